//! The build's tools, checked before anything else: `pack` (buildpacks) or `docker` with buildx (a
//! Dockerfile) on `PATH`, and a Docker daemon that answers (both build in containers).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::error::Failure;
use maestro_core::env::Env;
use maestro_core::input::vars as var;

const WHERE_THEY_COME_FROM: &str = "the maestro GitHub Action, the maestro CodeBuild image and the GitLab template run maestro in an image that has both; elsewhere, install pack (https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/) and Docker, or set MAESTRO_SKIP_BUILD=true to deploy an image built before";

/// Fails, saying what to install, when pack or the Docker daemon is missing.
pub(crate) async fn check(env: &Env) -> Result<PathBuf, Failure> {
    let pack = find_on_path(env, "pack").ok_or_else(|| {
        Failure::new("the build needs `pack` (the Cloud Native Buildpacks CLI), and it is not on PATH")
            .hint(WHERE_THEY_COME_FROM)
    })?;
    daemon(env, WHERE_THEY_COME_FROM).await?;
    Ok(pack)
}

/// Fails, saying what to install, when `docker` or its daemon is missing (a Dockerfile build).
pub(crate) async fn check_docker(env: &Env) -> Result<PathBuf, Failure> {
    let docker = find_on_path(env, "docker").ok_or_else(|| {
        Failure::new("the Dockerfile build needs `docker` (with the buildx plugin), and it is not on PATH")
            .hint(DOCKER_WHERE)
    })?;
    daemon(env, DOCKER_WHERE).await?;
    Ok(docker)
}

const DOCKER_WHERE: &str = "GitHub's runners, the maestro CodeBuild image and the GitLab template have docker with buildx; elsewhere install Docker and its buildx plugin (https://docs.docker.com/build/), or set MAESTRO_SKIP_BUILD=true to deploy an image built before";

async fn daemon(env: &Env, hint: &str) -> Result<(), Failure> {
    let host = env.get(var::DOCKER_HOST).unwrap_or("unix:///var/run/docker.sock");
    if let Err(problem) = ping(host, env.get(var::DOCKER_TLS_VERIFY).is_some()).await {
        return Err(Failure::new(format!("the build needs a Docker daemon, and none answers at {host}"))
            .detail(problem)
            .hint(hint));
    }
    Ok(())
}

pub(crate) fn find_on_path(env: &Env, program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    env.get(var::PATH)?.split(':').filter(|dir| !dir.is_empty()).map(|dir| Path::new(dir).join(program)).find(|path| {
        std::fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
    })
}

/// Docker's `GET /_ping` over the daemon's socket.
async fn ping(host: &str, tls: bool) -> Result<(), String> {
    let request = b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
    let exchange = async {
        let mut answer = Vec::new();
        if let Some(path) = host.strip_prefix("unix://") {
            let mut stream = tokio::net::UnixStream::connect(path).await?;
            stream.write_all(request).await?;
            stream.read_to_end(&mut answer).await?;
        } else if let Some(address) = host.strip_prefix("tcp://") {
            let mut stream = tokio::net::TcpStream::connect(address.trim_end_matches('/')).await?;
            if tls {
                // A TLS daemon: being reachable is all maestro checks; pack does the handshake.
                return Ok(b"HTTP/1.0 200 OK".to_vec());
            }
            stream.write_all(request).await?;
            stream.read_to_end(&mut answer).await?;
        } else {
            // ssh:// and other transports: pack knows them, maestro cannot check them.
            return Ok(b"HTTP/1.0 200 OK".to_vec());
        }
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .map_err(|_| "no answer in 10 s".to_owned())?
        .map_err(|error| error.to_string())?;
    let status = String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned();
    if status.split(' ').nth(1) == Some("200") { Ok(()) } else { Err(format!("the daemon answered `{status}`")) }
}
