//! The latency mode: `tests/support/fault_proxy.py` in front of the emulator with a fixed delay
//! per AWS call (`DELAY`, a CI runner's round trip to a region), so a run's wall time there
//! divided by the delay is its depth in sequential round trips; each run's calls as a timeline
//! (`MAESTRO_BENCH_TIMELINE=1`), grouped in the waves that went out together.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use maestro_test_support::moto_url;
use serde_json::{Value, json};

/// The latency of one AWS round trip in the latency mode, in seconds.
pub(crate) const DELAY: f64 = 0.05;

/// The proxy adding `DELAY` to every AWS call, and recording when each went out and came back.
pub(crate) struct Proxy {
    pub(crate) url: String,
    child: Child,
}

impl Proxy {
    pub(crate) fn start() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let python = std::env::var("MAESTRO_TEST_PYTHON").unwrap_or_else(|_| {
            let venv = root.join(".venv-test/bin/python");
            if venv.exists() { venv.display().to_string() } else { "python3".to_owned() }
        });
        let mut child = Command::new(python)
            .arg(root.join("tests/support/fault_proxy.py"))
            .args(["--upstream", &moto_url(), "--delay", &DELAY.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut port = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut port).unwrap();
        Self { url: format!("http://127.0.0.1:{}", port.trim()), child }
    }

    fn control(&self, config: Option<Value>) -> Value {
        let client = reqwest::blocking::Client::new();
        let request = match config {
            Some(config) => client.post(format!("{}/__fault/config", self.url)).json(&config),
            None => client.get(format!("{}/__fault/state", self.url)),
        };
        request.send().unwrap().json().unwrap()
    }

    /// Forgets the calls seen so far: the next timeline starts here.
    pub(crate) fn reset(&self) {
        self.control(Some(json!({"reset": true})));
    }

    /// The calls since the last reset, as waves: a call joins the wave in flight when it went out
    /// before any call of that wave came back (it cannot have waited for one), else it starts the
    /// next one. The number of waves is the run's depth in round trips, as the proxy saw it.
    pub(crate) fn waves(&self) -> Vec<Vec<String>> {
        let state = self.control(None);
        let mut calls: Vec<(String, f64, f64)> = state["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|call| {
                (call[0].as_str().unwrap_or("?").to_owned(), call[1].as_f64().unwrap(), call[2].as_f64().unwrap())
            })
            .collect();
        calls.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut waves: Vec<Vec<String>> = Vec::new();
        let mut first_answer = f64::NEG_INFINITY;
        for (name, start, end) in calls {
            if waves.is_empty() || start >= first_answer {
                waves.push(Vec::new());
                first_answer = end;
            } else {
                first_answer = first_answer.min(end);
            }
            waves.last_mut().unwrap().push(name);
        }
        waves
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One wave per line, its calls counted by operation.
pub(crate) fn print_waves(label: &str, waves: &[Vec<String>]) {
    eprintln!("{label}: {} waves of calls", waves.len());
    for (index, wave) in waves.iter().enumerate() {
        let mut counted: Vec<(String, usize)> = Vec::new();
        for name in wave {
            match counted.iter_mut().find(|(seen, _)| seen == name) {
                Some((_, count)) => *count += 1,
                None => counted.push((name.clone(), 1)),
            }
        }
        let line: Vec<String> = counted
            .into_iter()
            .map(|(name, count)| if count == 1 { name } else { format!("{name} ×{count}") })
            .collect();
        eprintln!("  {:>2}. {}", index + 1, line.join(", "));
    }
}
