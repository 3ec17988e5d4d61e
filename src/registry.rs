//! The OCI distribution API, for registries other than ECR: does `<repository>:<tag>` exist, and
//! (for an image built elsewhere) which platforms does it offer?
//!
//! `HEAD /v2/<name>/manifests/<tag>`, with the registry's token flow when it answers 401. Only a
//! 404 means "not there"; every other answer is an error, never a reason to rebuild blindly.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, WWW_AUTHENTICATE};

use crate::error::Failure;
use crate::http::body::BodyError;
use crate::http::{RetryPolicy, Sent, without_url};
use maestro_core::build::FoundImage;
use maestro_core::build::platforms::{self, ImagePlatforms, Manifest};
use maestro_core::build::registry_login::{Challenge, Login, challenge};
use maestro_core::build::repository::ImageRepository;

/// Whether the login may be sent to the token service `realm`: over TLS, or to this machine (a
/// test registry). A registry answering an `http://` realm elsewhere would have the credentials
/// cross the network in clear, to a host it chose.
fn is_safe_realm(realm: &reqwest::Url) -> bool {
    let loopback = |host: &str| {
        host == "localhost"
            || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    };
    realm.scheme() == "https" || realm.host_str().is_some_and(loopback)
}

/// Every manifest type an image may be stored as. distribution answers a HEAD for an OCI
/// manifest with 404 unless the OCI type is accepted.
const MANIFEST_TYPES: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

pub(crate) struct Registry {
    http: reqwest::Client,
}

impl Registry {
    pub(crate) fn new() -> Result<Self, Failure> {
        let http = crate::http::client(Duration::from_secs(30))
            .map_err(|error| Failure::new(format!("set up the registry client: {error}")))?;
        Ok(Self { http })
    }

    /// The commit's image, if the registry has it.
    pub(crate) async fn image(
        &self,
        repository: &ImageRepository,
        tag: &str,
        login: Option<&Login>,
    ) -> Result<Option<FoundImage>, Failure> {
        let what = repository.reference(tag);
        let url = format!("{}://{}/v2/{}/manifests/{tag}", repository.scheme(), repository.host, repository.path);
        let first = self.head(&url, None, &what).await?;
        let response = if first.status == StatusCode::UNAUTHORIZED {
            let authorization = self.authorize(repository, &first.headers, login, &what).await?;
            self.head(&url, Some(&authorization), &what).await?
        } else {
            first
        };
        match response.status {
            StatusCode::OK => {
                let digest = response.headers.get("docker-content-digest").and_then(|value| value.to_str().ok());
                Ok(Some(FoundImage { digest: digest.unwrap_or_default().to_owned() }))
            }
            StatusCode::NOT_FOUND => Ok(None),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(refused(&what, response.status, login)),
            status => Err(Failure::new(format!("look up image {what}: the registry answered {status}")).hint(
                "maestro builds only when the registry says the image is missing; check the registry and run again",
            )),
        }
    }

    /// Which platforms `repository@reference` offers: an index's entries, or a single manifest's
    /// config blob (`os`, `architecture`); unknown when the registry does not say. A read that
    /// fails is no reason to stop a deploy: what it means is judged beside the task's platform.
    pub(crate) async fn platforms(
        &self,
        repository: &ImageRepository,
        reference: &str,
        login: Option<&Login>,
    ) -> ImagePlatforms {
        let what = repository.reference(reference);
        let base = format!("{}://{}/v2/{}", repository.scheme(), repository.host, repository.path);
        let read = async {
            let manifest = self.get(repository, &format!("{base}/manifests/{reference}"), login, &what).await?;
            Ok::<_, Failure>(match platforms::read_manifest(&manifest) {
                Manifest::Index(platforms) => ImagePlatforms::Known(platforms),
                Manifest::Image { config_digest } => {
                    let config = self.get(repository, &format!("{base}/blobs/{config_digest}"), login, &what).await?;
                    platforms::read_config(&config)
                        .map_or(ImagePlatforms::Unknown, |platform| ImagePlatforms::Known(vec![platform]))
                }
                Manifest::Unreadable => ImagePlatforms::Unknown,
            })
        };
        read.await.unwrap_or_else(|failure| {
            tracing::debug!("the platforms of image {what} are unknown: {failure}");
            ImagePlatforms::Unknown
        })
    }

    /// A manifest's or blob's bytes, authorized as the registry's challenge asks.
    async fn get(
        &self,
        repository: &ImageRepository,
        url: &str,
        login: Option<&Login>,
        what: &str,
    ) -> Result<Vec<u8>, Failure> {
        let send = |authorization: Option<String>| {
            let request = self.http.get(url).header(ACCEPT, MANIFEST_TYPES);
            let request = match authorization {
                Some(authorization) => request.header(AUTHORIZATION, authorization),
                None => request,
            };
            async move {
                request.send().await.map_err(|error| {
                    Failure::new(format!("read image {what}: {}", without_url(&error, "the registry")))
                })
            }
        };
        let mut response = send(None).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            let authorization = self.authorize(repository, response.headers(), login, what).await?;
            response = send(Some(authorization)).await?;
        }
        if !response.status().is_success() {
            return Err(Failure::new(format!("read image {what}: the registry answered {}", response.status())));
        }
        crate::http::body::read(response, crate::http::body::MOST_BYTES)
            .await
            .map_err(|_| Failure::new(format!("read image {what}: the answer could not be read")))
    }

    /// The `Authorization` header the registry's challenge asks for.
    async fn authorize(
        &self,
        repository: &ImageRepository,
        headers: &HeaderMap,
        login: Option<&Login>,
        what: &str,
    ) -> Result<String, Failure> {
        let header = headers.get(WWW_AUTHENTICATE).and_then(|value| value.to_str().ok()).unwrap_or_default();
        match challenge(header) {
            Some(Challenge::Basic) => match login {
                Some(login) => Ok(basic(login)),
                None => Err(refused(what, StatusCode::UNAUTHORIZED, None)),
            },
            Some(Challenge::Bearer { realm, service, scope }) => {
                let scope = scope.unwrap_or_else(|| format!("repository:{}:pull", repository.path));
                let mut url = reqwest::Url::parse(&realm).map_err(|error| {
                    Failure::new(format!("the registry's token service `{realm}` is not a URL: {error}"))
                })?;
                if !is_safe_realm(&url) {
                    return Err(Failure::new(format!("the registry's token service for {what} is not https://"))
                        .detail(format!("realm: {realm}"))
                        .hint("maestro sends the registry login only over TLS (or to this machine); check the registry's WWW-Authenticate answer"));
                }
                url.query_pairs_mut().append_pair("scope", &scope);
                if let Some(service) = &service {
                    url.query_pairs_mut().append_pair("service", service);
                }
                let mut request = self.http.get(url);
                if let Some(login) = login {
                    request = request.header(AUTHORIZATION, basic(login));
                }
                let response = request.send().await.map_err(|error| {
                    Failure::new(format!("get a registry token for {what}: {}", without_url(&error, "the registry")))
                })?;
                let status = response.status();
                if !status.is_success() {
                    return Err(refused(what, status, login));
                }
                let body = crate::http::body::read(response, crate::http::body::MOST_BYTES).await.map_err(|error| {
                    let error = match error {
                        BodyError::Read(error) => without_url(&error, "the registry"),
                        too_big @ BodyError::TooBig { .. } => too_big.to_string(),
                    };
                    Failure::new(format!("read the registry token for {what}: {error}"))
                })?;
                let body: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|error| Failure::new(format!("read the registry token for {what}: not JSON: {error}")))?;
                let token = body.get("token").or_else(|| body.get("access_token")).and_then(|token| token.as_str());
                match token {
                    Some(token) => Ok(format!("Bearer {token}")),
                    None => Err(Failure::new(format!("the registry's token service gave no token for {what}"))),
                }
            }
            None => Err(Failure::new(format!(
                "look up image {what}: the registry asks for an authentication maestro does not know"
            ))
            .detail(format!("WWW-Authenticate: {header}"))),
        }
    }

    async fn head(&self, url: &str, authorization: Option<&str>, what: &str) -> Result<Answer, Failure> {
        let policy = RetryPolicy::registry_lookup();
        let build = || {
            let request = self.http.head(url).header(ACCEPT, MANIFEST_TYPES);
            match authorization {
                Some(authorization) => request.header(AUTHORIZATION, authorization),
                None => request,
            }
        };
        let last_error = match crate::http::send(&policy, build).await {
            Sent::Answered(response) => {
                return Ok(Answer { status: response.status(), headers: response.headers().clone() });
            }
            Sent::OutOfAttempts(Ok(response)) => format!("the registry answered {}", response.status()),
            Sent::OutOfAttempts(Err(error)) | Sent::Unanswered(error) => without_url(&error, "the registry"),
            Sent::AskedTooLong { status, .. } => format!("the registry answered {status}"),
        };
        Err(Failure::new(format!("look up image {what}: {last_error} ({} attempts)", policy.attempts()))
            .hint("maestro builds only when the registry says the image is missing; check that the registry is reachable and run again"))
    }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
}

fn basic(login: &Login) -> String {
    use base64::Engine;
    let pair = format!("{}:{}", login.username, login.password.expose());
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
}

fn refused(what: &str, status: StatusCode, login: Option<&Login>) -> Failure {
    let failure = Failure::new(format!("look up image {what}: the registry refused access ({status})"));
    match login {
        Some(login) => failure.hint(format!("check that the credentials from {} may pull from this repository", login.source)),
        None => failure.hint("give maestro credentials for the registry: MAESTRO_REGISTRY_USERNAME and MAESTRO_REGISTRY_PASSWORD (GITHUB_TOKEN is used for ghcr.io, CI_REGISTRY_USER/CI_REGISTRY_PASSWORD on GitLab)"),
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
