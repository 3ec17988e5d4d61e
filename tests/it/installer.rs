//! The action's installer (ci/github/install.sh) installs only the bytes the action pins: maestro's
//! checksums are committed with the action (ci/github/checksums/<version>.sha256), pack's are pinned
//! in the script, the tool cache is checked again on every run, and downloads are HTTPS only. A
//! loopback server plays GitHub's release downloads.

use std::path::{Path, PathBuf};
use std::process::Command;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Scratch, repository_root};

const ASSET: &str = "maestro-x86_64-unknown-linux-musl.tar.gz";

/// A folder for one installer run: a copy of the action (so that the checksums it pins are the
/// test's), the tool cache, `GITHUB_PATH`, and the files served.
pub(crate) struct Runner {
    scratch: Scratch,
}

impl Runner {
    pub(crate) fn new() -> Self {
        let scratch = Scratch::new();
        std::fs::create_dir_all(scratch.join("cache")).unwrap();
        std::fs::create_dir_all(scratch.join("action/ci/github/checksums")).unwrap();
        std::fs::copy(repository_root().join("ci/github/install.sh"), scratch.join("action/ci/github/install.sh"))
            .unwrap();
        // What tells the script it runs from the action's checkout.
        std::fs::write(scratch.join("action/action.yml"), "name: maestro\n").unwrap();
        Self { scratch }
    }

    pub(crate) fn dir(&self) -> &Path {
        self.scratch.path()
    }

    /// The checksums the action at this "tag" pins for v9.9.9.
    fn pin(&self, sums: &str) {
        std::fs::write(self.dir().join("action/ci/github/checksums/v9.9.9.sha256"), sums).unwrap();
    }

    /// `name`.tar.gz (or .tgz) holding one executable `file` that prints `says`.
    pub(crate) fn archive(&self, name: &str, file: &str, says: &str) -> Vec<u8> {
        let stage = self.dir().join("stage");
        std::fs::create_dir_all(&stage).unwrap();
        let program = stage.join(file);
        std::fs::write(&program, format!("#!/bin/sh\necho '{says}'\n")).unwrap();
        assert!(Command::new("chmod").arg("755").arg(&program).status().unwrap().success());
        let archive = self.dir().join(name);
        let status = Command::new("tar").arg("-czf").arg(&archive).arg("-C").arg(&stage).arg(file).status().unwrap();
        assert!(status.success());
        std::fs::remove_dir_all(&stage).unwrap();
        std::fs::read(archive).unwrap()
    }

    fn install_from(&self, tool: &str, url: &str, extra: &[(&str, &str)]) -> std::process::Output {
        Command::new("bash")
            .arg(self.dir().join("action/ci/github/install.sh"))
            .arg(tool)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TOOL_CACHE", self.dir().join("cache"))
            .env("GITHUB_PATH", self.dir().join("github-path"))
            .env("MAESTRO_VERSION", "v9.9.9")
            .env("MAESTRO_DOWNLOAD_URL", url)
            .env("PACK_DOWNLOAD_URL", url)
            .envs(extra.iter().copied())
            .output()
            .unwrap()
    }

    fn install(&self, tool: &str, server: &MockServer, extra: &[(&str, &str)]) -> std::process::Output {
        self.install_from(tool, &server.uri(), extra)
    }

    fn installed(&self, relative: &str) -> PathBuf {
        self.dir().join("cache").join(relative)
    }

    fn maestro(&self) -> PathBuf {
        self.installed("maestro/v9.9.9/x86_64-unknown-linux-musl/maestro")
    }
}

pub(crate) fn sha256(bytes: &[u8], dir: &Path) -> String {
    let file = dir.join("to-hash");
    std::fs::write(&file, bytes).unwrap();
    let output = Command::new("sha256sum").arg(&file).output().unwrap();
    String::from_utf8(output.stdout).unwrap().split(' ').next().unwrap().to_owned()
}

/// A release serving `asset`, and a `SHA256SUMS` next to it that the installer must not trust.
async fn release(server: &MockServer, asset: &[u8], sums: String) {
    Mock::given(method("GET"))
        .and(path(format!("/v9.9.9/{ASSET}")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(asset.to_vec()))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v9.9.9/SHA256SUMS"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sums))
        .mount(server)
        .await;
}

fn says(program: &Path) -> String {
    String::from_utf8_lossy(&Command::new(program).output().unwrap().stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_installer_installs_a_verified_binary_once() {
    let runner = Runner::new();
    let asset = runner.archive("maestro.tar.gz", "maestro", "maestro 9.9.9");
    runner.pin(&format!(
        "{}  maestro-aarch64-unknown-linux-musl.tar.gz\n{}  {ASSET}\n",
        "0".repeat(64),
        sha256(&asset, runner.dir())
    ));
    let server = MockServer::start().await;
    release(&server, &asset, String::new()).await;
    let first = runner.install("maestro", &server, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(says(&runner.maestro()), "maestro 9.9.9\n");
    let github_path = std::fs::read_to_string(runner.dir().join("github-path")).unwrap();
    assert_eq!(github_path.trim(), runner.maestro().parent().unwrap().display().to_string());
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests.iter().all(|request| !request.url.path().ends_with("SHA256SUMS")),
        "the release's sums are not read"
    );

    // From the tool cache the second time: checked again, nothing downloaded.
    let second = runner.install("maestro", &server, &[]);
    assert!(second.status.success());
    assert!(stderr(&second).contains("from the tool cache, checksum verified"), "{}", stderr(&second));
    assert_eq!(server.received_requests().await.unwrap().len(), requests.len());
}

/// M4: whoever can change a release asset can change the SHA256SUMS next to it; the installer
/// checks against the sums committed with the action. (Installed the tampered binary before.)
#[tokio::test]
async fn a_tampered_binary_is_refused_even_with_matching_release_sums() {
    let runner = Runner::new();
    let genuine = runner.archive("maestro.tar.gz", "maestro", "maestro 9.9.9");
    let tampered = runner.archive("evil.tar.gz", "maestro", "TAMPERED");
    runner.pin(&format!("{}  {ASSET}\n", sha256(&genuine, runner.dir())));
    let server = MockServer::start().await;
    release(&server, &tampered, format!("{}  {ASSET}\n", sha256(&tampered, runner.dir()))).await;
    let refused = runner.install("maestro", &server, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused)
            .contains(&format!("::error title=maestro install::{ASSET} does not match its pinned checksum")),
        "{}",
        stderr(&refused)
    );
    assert!(!runner.maestro().exists(), "nothing installed");
    assert!(!runner.dir().join("github-path").exists());
}

#[tokio::test]
async fn a_version_the_action_pins_no_checksums_for_is_refused() {
    let runner = Runner::new();
    let server = MockServer::start().await;
    let refused = runner.install("maestro", &server, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("this action pins no checksums for maestro v9.9.9"), "{}", stderr(&refused));
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing downloaded");
}

/// `version: v1` (a major) or `v9.2` (a minor) is the newest release of that series the action
/// pins; releases are published per full tag, so the series itself had no assets (a 404).
#[tokio::test]
async fn a_series_installs_the_newest_release_of_it_the_action_pins() {
    let runner = Runner::new();
    let server = MockServer::start().await;
    for (version, says) in [("v9.2.7", "maestro 9.2.7"), ("v9.10.0", "maestro 9.10.0"), ("v10.0.0", "maestro 10")] {
        let asset = runner.archive(&format!("{version}.tar.gz"), "maestro", says);
        let sums = format!("{}  {ASSET}\n", sha256(&asset, runner.dir()));
        std::fs::write(runner.dir().join(format!("action/ci/github/checksums/{version}.sha256")), sums).unwrap();
        Mock::given(method("GET"))
            .and(path(format!("/{version}/{ASSET}")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(asset))
            .mount(&server)
            .await;
    }
    for (series, newest) in [("v9", "v9.10.0"), ("v9.2", "v9.2.7")] {
        let installed = runner.install("maestro", &server, &[("MAESTRO_VERSION", series)]);
        assert!(installed.status.success(), "{}", stderr(&installed));
        assert!(stderr(&installed).contains(&format!("maestro {series}: {newest}, the newest release")));
        let program = runner.installed(&format!("maestro/{newest}/x86_64-unknown-linux-musl/maestro"));
        assert_eq!(says(&program), format!("maestro {}\n", &newest[1..]));
    }
    let none = runner.install("maestro", &server, &[("MAESTRO_VERSION", "v8")]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("this action pins no release of maestro v8"), "{}", stderr(&none));
}

/// M4: on self-hosted runners the tool cache is shared; a binary or archive planted there never
/// runs. (The old installer ran a cached binary as it found it.)
#[tokio::test]
async fn a_poisoned_tool_cache_is_replaced_by_the_pinned_bytes() {
    let runner = Runner::new();
    let genuine = runner.archive("maestro.tar.gz", "maestro", "maestro 9.9.9");
    let trojan = runner.archive("evil.tar.gz", "maestro", "TROJAN");
    runner.pin(&format!("{}  {ASSET}\n", sha256(&genuine, runner.dir())));
    let server = MockServer::start().await;
    release(&server, &genuine, String::new()).await;
    let cache = runner.maestro().parent().unwrap().to_path_buf();

    // A planted binary alone, before any install.
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("maestro"), "#!/bin/sh\necho TROJAN\n").unwrap();
    assert!(Command::new("chmod").arg("755").arg(cache.join("maestro")).status().unwrap().success());
    let run = runner.install("maestro", &server, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(says(&runner.maestro()), "maestro 9.9.9\n");

    // A planted binary next to the genuine archive.
    std::fs::write(cache.join("maestro"), "#!/bin/sh\necho TROJAN\n").unwrap();
    let run = runner.install("maestro", &server, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(says(&runner.maestro()), "maestro 9.9.9\n");

    // A planted archive (and its binary): downloaded again.
    let downloads = server.received_requests().await.unwrap().len();
    std::fs::write(cache.join(ASSET), &trojan).unwrap();
    std::fs::write(cache.join("maestro"), "#!/bin/sh\necho TROJAN\n").unwrap();
    let run = runner.install("maestro", &server, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(says(&runner.maestro()), "maestro 9.9.9\n");
    assert_eq!(server.received_requests().await.unwrap().len(), downloads + 1);
    assert_eq!(std::fs::read(cache.join(ASSET)).unwrap(), genuine, "the cache holds the genuine archive again");
}

/// M4: pack's checksum is pinned per platform; a pack whose own `.sha256` matches it is still
/// refused. (The old installer trusted the `.sha256` served next to pack.)
#[tokio::test]
async fn pack_is_installed_only_with_a_pinned_checksum() {
    let runner = Runner::new();
    let pack = runner.archive("pack.tgz", "pack", "0.39.1");
    let server = MockServer::start().await;
    for version in ["0.39.1", "0.40.0"] {
        Mock::given(method("GET"))
            .and(path(format!("/v{version}/pack-v{version}-linux.tgz")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(pack.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/v{version}/pack-v{version}-linux.tgz.sha256")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(format!("{}  pack-v{version}-linux.tgz\n", sha256(&pack, runner.dir()))),
            )
            .mount(&server)
            .await;
    }
    let refused = runner.install("pack", &server, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("pack-v0.39.1-linux.tgz does not match its pinned checksum"),
        "{}",
        stderr(&refused)
    );
    let unpinned = runner.install("pack", &server, &[("PACK_VERSION", "0.40.0")]);
    assert_eq!(unpinned.status.code(), Some(1));
    assert!(stderr(&unpinned).contains("no checksum is pinned for pack 0.40.0 (linux): set PACK_SHA256"));
    assert!(
        !runner.installed("pack/0.39.1/linux/pack").exists() && !runner.installed("pack/0.40.0/linux/pack").exists()
    );

    let installed = runner.install("pack", &server, &[("PACK_SHA256", &sha256(&pack, runner.dir()))]);
    assert!(installed.status.success(), "{}", stderr(&installed));
    let folder = runner.installed("pack/0.39.1/linux");
    assert_eq!(
        String::from_utf8_lossy(&installed.stdout).trim(),
        folder.display().to_string(),
        "pack's folder, for run.sh"
    );
    assert_eq!(says(&folder.join("pack")), "0.39.1\n");
    assert_eq!(runner.install("nothing", &server, &[]).status.code(), Some(1));
}

/// M4: downloads are HTTPS with TLS 1.2 at least; plain HTTP only to the runner's own loopback.
#[test]
fn downloads_refuse_plain_http_off_the_loopback() {
    let runner = Runner::new();
    runner.pin(&format!("{}  {ASSET}\n", "0".repeat(64)));
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): curl refuses the scheme before any connection.
    let refused = runner.install_from("maestro", "http://192.0.2.1:9", &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("not supported"), "curl refused the protocol: {}", stderr(&refused));
    for file in ["ci/github/install.sh", "Dockerfile"] {
        let text = std::fs::read_to_string(repository_root().join(file)).unwrap();
        for line in text.lines().filter(|line| line.trim_start().starts_with("curl ") || line.contains(" curl -")) {
            assert!(line.contains("--proto") && line.contains("--tlsv1.2"), "{file}: {line}");
        }
    }
}

/// The Dockerfile pins the same pack checksums as the installer.
#[test]
fn the_dockerfile_pins_packs_checksums_like_the_installer() {
    let installer = std::fs::read_to_string(repository_root().join("ci/github/install.sh")).unwrap();
    let dockerfile = std::fs::read_to_string(repository_root().join("Dockerfile")).unwrap();
    for (platform, arg) in [("linux", "PACK_SHA256_amd64"), ("linux-arm64", "PACK_SHA256_arm64")] {
        let pin = installer
            .lines()
            .find_map(|line| line.trim().strip_prefix(&format!("0.39.1/{platform}) echo ")))
            .unwrap_or_else(|| panic!("install.sh pins pack 0.39.1 for {platform}"));
        let pin = pin.trim_end_matches(" ;;");
        assert!(dockerfile.contains(&format!("ARG {arg}={pin}")), "Dockerfile: ARG {arg}={pin}");
    }
    assert!(dockerfile.contains("ARG PACK_VERSION=0.39.1") && !dockerfile.contains(".sha256\""));
}

/// The README's one-line install: the script piped to bash on a laptop (no action checkout, no
/// runner variables) reads the version and the pinned checksums from the tag it came from, and
/// puts the binary in ~/.local/bin.
#[tokio::test]
async fn piped_on_a_laptop_it_installs_what_its_tag_pins_into_the_home_folder() {
    let runner = Runner::new();
    let asset = runner.archive("maestro.tar.gz", "maestro", "maestro 9.9.9");
    let server = MockServer::start().await;
    // The release asset of this machine, as the script names it from `uname -m`.
    let this_machine = match std::env::consts::ARCH {
        "aarch64" => "maestro-aarch64-unknown-linux-musl.tar.gz",
        _ => ASSET,
    };
    Mock::given(method("GET"))
        .and(path(format!("/v9.9.9/{this_machine}")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(asset.clone()))
        .mount(&server)
        .await;
    let tag = |file: &str, body: String| {
        Mock::given(method("GET"))
            .and(path(format!("/tag/{file}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
    };
    tag("Cargo.toml", "[package]\nname = \"maestro\"\nversion = \"9.9.9\"\n".into()).mount(&server).await;
    let sums = format!("{}  {this_machine}\n", sha256(&asset, runner.dir()));
    tag("ci/github/checksums/v9.9.9.sha256", sums).mount(&server).await;
    let home = runner.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let piped = |source: String| {
        let mut child = Command::new("bash")
            .current_dir(&home)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &home)
            .env("MAESTRO_DOWNLOAD_URL", server.uri())
            .env("MAESTRO_SOURCE_URL", source)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let script = std::fs::read(repository_root().join("ci/github/install.sh")).unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), &script).unwrap();
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    };
    let installed = piped(format!("{}/tag", server.uri()));
    assert!(installed.status.success(), "{}", stderr(&installed));
    assert_eq!(says(&home.join(".local/bin/maestro")), "maestro 9.9.9\n");
    assert!(stderr(&installed).contains("add "), "not on PATH, so it says how: {}", stderr(&installed));
    assert!(!stderr(&installed).contains("::error"), "{}", stderr(&installed));

    // A tag that pins other bytes: refused, said plainly (no workflow command off GitHub).
    let other = Mock::given(method("GET"))
        .and(path("/other/ci/github/checksums/v9.9.9.sha256"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("{}  {this_machine}\n", "0".repeat(64))));
    other.mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/other/Cargo.toml"))
        .respond_with(ResponseTemplate::new(200).set_body_string("version = \"9.9.9\"\n"))
        .mount(&server)
        .await;
    std::fs::remove_dir_all(home.join(".cache")).unwrap();
    let refused = piped(format!("{}/other", server.uri()));
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).starts_with("error: ") && stderr(&refused).contains("does not match its pinned checksum"),
        "{}",
        stderr(&refused)
    );
}
