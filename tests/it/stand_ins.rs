//! Stand-ins for the build's tools, which cannot be installed here: a Docker daemon that only
//! answers `/_ping`, and `tests/support/stand-in-pack/pack` and `tests/support/stand-in-docker/docker`
//! (see their headers) first on PATH.

use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

use crate::support::{Scratch, repository_root};

/// A scratch folder for one build test: the daemon's socket and pack's record live here.
pub(crate) struct BuildTools {
    scratch: Scratch,
}

impl BuildTools {
    pub(crate) fn new() -> Self {
        let scratch = Scratch::new();
        let listener = UnixListener::bind(scratch.join("docker.sock")).unwrap();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0_u8; 512];
                let read = stream.read(&mut request).unwrap_or(0);
                let answer = if request[..read].starts_with(b"GET /_ping ") {
                    "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK"
                } else {
                    "HTTP/1.0 404 Not Found\r\n\r\n"
                };
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        Self { scratch }
    }

    /// The folder: maestro's build folders are made here too (it is the build's TMPDIR).
    pub(crate) fn dir(&self) -> &Path {
        self.scratch.path()
    }

    fn record_path(&self) -> PathBuf {
        self.scratch.join("pack-record.json")
    }

    /// What the stand-in pack recorded of its last run, if it ran.
    pub(crate) fn record(&self) -> Option<serde_json::Value> {
        let text = self.scratch.read("pack-record.json")?;
        std::fs::remove_file(self.record_path()).unwrap();
        Some(serde_json::from_str(&text).unwrap())
    }

    fn docker_record_path(&self) -> PathBuf {
        self.scratch.join("docker-record.json")
    }

    /// What the stand-in docker recorded of its last `buildx build`, if it ran.
    pub(crate) fn docker_record(&self) -> Option<serde_json::Value> {
        let text = self.scratch.read("docker-record.json")?;
        std::fs::remove_file(self.docker_record_path()).unwrap();
        Some(serde_json::from_str(&text).unwrap())
    }

    /// Every docker call so far (`buildx inspect`, `create`, `build`), as argv strings; forgotten once read.
    pub(crate) fn docker_calls(&self) -> Vec<String> {
        let Some(text) = self.scratch.read("docker-record.json.calls") else { return Vec::new() };
        std::fs::remove_file(self.scratch.join("docker-record.json.calls")).unwrap();
        text.lines().map(|line| serde_json::from_str::<Vec<String>>(line).unwrap().join(" ")).collect()
    }

    /// The variables that give a spawned maestro the stand-in pack, docker and daemon.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let stand_ins = ["tests/support/stand-in-pack", "tests/support/stand-in-docker"]
            .map(|dir| repository_root().join(dir).display().to_string())
            .join(":");
        let path = format!("{stand_ins}:{}", std::env::var("PATH").unwrap_or_default());
        let python = std::env::var("MAESTRO_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        vec![
            ("PATH".to_owned(), path),
            ("DOCKER_HOST".to_owned(), format!("unix://{}", self.scratch.join("docker.sock").display())),
            ("PACK_STAND_IN_PYTHON".to_owned(), python.clone()),
            ("PACK_STAND_IN_RECORD".to_owned(), self.record_path().display().to_string()),
            ("PACK_STAND_IN_MOTO_URL".to_owned(), std::env::var("MAESTRO_TEST_MOTO_URL").unwrap_or_default()),
            ("DOCKER_STAND_IN_PYTHON".to_owned(), python.clone()),
            ("DOCKER_STAND_IN_RECORD".to_owned(), self.docker_record_path().display().to_string()),
            ("DOCKER_STAND_IN_MOTO_URL".to_owned(), std::env::var("MAESTRO_TEST_MOTO_URL").unwrap_or_default()),
            ("TMPDIR".to_owned(), self.dir().display().to_string()),
        ]
    }

    /// The build folders maestro left behind (each holds the env file with the app's secret).
    pub(crate) fn build_dirs_left(&self) -> Vec<String> {
        std::fs::read_dir(self.dir())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("maestro-build-"))
            .collect()
    }
}
