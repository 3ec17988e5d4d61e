//! ECR: is the commit's image there, the repository created when missing, and a login for pack.

use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::{ImageIdentifier, ImageScanningConfiguration, Tag as EcrTag};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::build::FoundImage;
use maestro_core::build::lifecycle::EcrImage;
use maestro_core::build::registry_login::Login;
use maestro_core::secret::Secret;
use maestro_core::spec::tags::Tag;

#[derive(Debug, Clone)]
pub(crate) struct Ecr(pub(crate) Client);

/// An image's manifest as ECR holds it, and its media type.
#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    text: String,
    media_type: Option<String>,
}

/// What ECR says about `<repository>:<tag>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Found(FoundImage),
    /// The repository exists, the tag does not.
    NoImage,
    NoRepository,
}

impl Ecr {
    /// `DescribeImages` for one tag, or one digest (`sha256:…`, a rollback's target); only ECR's
    /// own "not found" answers mean "build it" (or "gone").
    pub(crate) async fn image(&self, registry_id: &str, repository: &str, tag: &str) -> Result<Lookup, Failure> {
        let id = match tag.starts_with("sha256:") {
            true => ImageIdentifier::builder().image_digest(tag),
            false => ImageIdentifier::builder().image_tag(tag),
        };
        let result = self
            .0
            .describe_images()
            .registry_id(registry_id)
            .repository_name(repository)
            .image_ids(id.build())
            .send()
            .await;
        match result {
            Ok(output) => {
                let digest =
                    output.image_details().first().and_then(|detail| detail.image_digest()).unwrap_or_default();
                Ok(Lookup::Found(FoundImage { digest: digest.to_owned() }))
            }
            Err(error) if code(&error) == Some("ImageNotFoundException") => Ok(Lookup::NoImage),
            Err(error) if code(&error) == Some("RepositoryNotFoundException") => Ok(Lookup::NoRepository),
            Err(error) => Err(failure(&format!("look up image {repository}:{tag} in ECR"), &error)),
        }
    }

    /// Creates the repository, scanning each pushed image, with the app's tags and maestro's
    /// lifecycle policy (`maestro_core::build::lifecycle`: the last images and the last releases'
    /// images are kept).
    pub(crate) async fn create_repository(
        &self,
        registry_id: &str,
        name: &str,
        tags: &[Tag],
        policy: &str,
    ) -> Result<(), Failure> {
        let tags = tags
            .iter()
            .map(|tag| EcrTag::builder().key(&tag.key).value(&tag.value).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| Failure::new(format!("tag ECR repository {name}: {error}")))?;
        let result = self
            .0
            .create_repository()
            .registry_id(registry_id)
            .repository_name(name)
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(true).build())
            .set_tags(Some(tags))
            .send()
            .await;
        match result {
            // Another run created it in between, and gave it the policy: adopt it.
            Err(error) if code(&error) == Some("RepositoryAlreadyExistsException") => return Ok(()),
            Err(error) => return Err(failure(&format!("create ECR repository {name}"), &error)),
            Ok(_) => {}
        }
        self.put_lifecycle_policy(registry_id, name, policy).await
    }

    /// `GetLifecyclePolicy`: the repository's policy text, `None` when it has none.
    pub(crate) async fn lifecycle_policy(&self, registry_id: &str, name: &str) -> Result<Option<String>, Failure> {
        let result = self.0.get_lifecycle_policy().registry_id(registry_id).repository_name(name).send().await;
        match result {
            Ok(output) => Ok(output.lifecycle_policy_text().map(str::to_owned)),
            Err(error) if code(&error) == Some("LifecyclePolicyNotFoundException") => Ok(None),
            Err(error) => Err(failure(&format!("read the lifecycle policy of ECR repository {name}"), &error)),
        }
    }

    pub(crate) async fn put_lifecycle_policy(
        &self,
        registry_id: &str,
        name: &str,
        policy: &str,
    ) -> Result<(), Failure> {
        self.0
            .put_lifecycle_policy()
            .registry_id(registry_id)
            .repository_name(name)
            .lifecycle_policy_text(policy)
            .send()
            .await
            .map_err(|error| failure(&format!("set the lifecycle policy of ECR repository {name}"), &error))?;
        Ok(())
    }

    /// The manifest of the image `image.digest` and its media type (`BatchGetImage`): what
    /// [`Self::tag_image`] puts again with a tag.
    pub(crate) async fn manifest(&self, image: &EcrImage) -> Result<Manifest, Failure> {
        let what = format!("read the manifest of image {}@{}", image.repository, image.digest);
        let found = self
            .0
            .batch_get_image()
            .registry_id(&image.registry_id)
            .repository_name(&image.repository)
            .image_ids(ImageIdentifier::builder().image_digest(&image.digest).build())
            .send()
            .await
            .map_err(|error| failure(&what, &error))?;
        let Some(text) = found.images().first().and_then(|found| found.image_manifest()) else {
            let reason = found.failures().first().and_then(|failure| failure.failure_reason()).unwrap_or("not found");
            return Err(Failure::new(format!("{what}: ECR has no such image ({reason})")));
        };
        let media_type = found.images().first().and_then(|found| found.image_manifest_media_type());
        Ok(Manifest { text: text.to_owned(), media_type: media_type.map(str::to_owned) })
    }

    /// Adds `tag` to the image `image.digest`: its `manifest` put again with the tag (`PutImage`,
    /// ECR's way to tag an image without pulling it). The tag already on that image is fine
    /// (`ImageAlreadyExistsException`).
    pub(crate) async fn tag_image(&self, image: &EcrImage, tag: &str, manifest: Manifest) -> Result<(), Failure> {
        let what = format!("tag image {}@{} as {tag}", image.repository, image.digest);
        let result = self
            .0
            .put_image()
            .registry_id(&image.registry_id)
            .repository_name(&image.repository)
            .image_manifest(manifest.text)
            .set_image_manifest_media_type(manifest.media_type)
            .image_tag(tag)
            .image_digest(&image.digest)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ImageAlreadyExistsException") => Ok(()),
            Err(error) => Err(failure(&what, &error)),
        }
    }

    /// `GetAuthorizationToken` (valid for every registry the role may reach): the user name and password Docker clients send to the registry.
    pub(crate) async fn login(&self) -> Result<Login, Failure> {
        let output = self
            .0
            .get_authorization_token()
            .send()
            .await
            .map_err(|error| failure("get an ECR login for pack", &error))?;
        let decoded = output
            .authorization_data()
            .first()
            .and_then(|data| data.authorization_token())
            .and_then(|token| STANDARD.decode(token).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let Some((username, password)) = decoded.as_deref().and_then(|text| text.split_once(':')) else {
            return Err(Failure::new("ECR returned no usable authorization token")
                .hint("run again; if it persists, check the role's ecr:GetAuthorizationToken permission"));
        };
        Ok(Login {
            username: username.to_owned(),
            password: Secret::new(password),
            source: "ECR GetAuthorizationToken".to_owned(),
        })
    }
}
