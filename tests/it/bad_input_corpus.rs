//! The corpus of malformed inputs (`tests/fixtures/bad-inputs.json`): each one, given to
//! `maestro deploy`, exits 2 with its message and a hint, and maestro makes no AWS call at all:
//! the AWS endpoint is a loopback server that records every request it gets. A case may also
//! plant symbolic links, FIFOs and big files in the app (M6: files are read safely).

use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_ENV, Scratch, maestro, repository_root, run};

#[tokio::test(flavor = "multi_thread")]
async fn every_malformed_input_stops_before_any_aws_call() {
    let corpus: Value = serde_json::from_str(
        &std::fs::read_to_string(repository_root().join("tests/fixtures/bad-inputs.json")).unwrap(),
    )
    .unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    let aws = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)).mount(&aws).await;
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let app = Scratch::copy_of_example();
        for (path, text) in case["files"].as_object().into_iter().flatten() {
            app.write(path, text.as_str().unwrap());
        }
        // Files that are not text: symbolic links (to a target as written), FIFOs, and big files
        // (`repeat` of `line`).
        for (path, target) in case["links"].as_object().into_iter().flatten() {
            let planted = app.join(path);
            if planted.is_dir() {
                std::fs::remove_dir_all(&planted).unwrap();
            } else {
                let _ = std::fs::remove_file(&planted);
            }
            std::os::unix::fs::symlink(target.as_str().unwrap(), app.join(path)).unwrap();
        }
        for path in case["fifos"].as_array().into_iter().flatten() {
            let path = app.join(path.as_str().unwrap());
            let _ = std::fs::remove_file(&path);
            assert!(std::process::Command::new("mkfifo").arg(&path).status().unwrap().success());
        }
        for (path, big) in case["big_files"].as_object().into_iter().flatten() {
            let line = big["line"].as_str().unwrap().repeat(usize::try_from(big["repeat"].as_u64().unwrap()).unwrap());
            app.write(path, &line);
        }
        let mut command = maestro();
        command.args(["deploy", "--env-file", EXAMPLE_ENV, "--app"]).arg(app.path());
        command.envs([
            ("AWS_ENDPOINT_URL", aws.uri().as_str()),
            ("AWS_ACCESS_KEY_ID", "fake-access-key-id"),
            ("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key"),
            ("MAESTRO_SKIP_BUILD", "true"),
        ]);
        for (name, value) in case["env"].as_object().into_iter().flatten() {
            command.env(name, value.as_str().unwrap());
        }
        let outcome = run(&mut command);
        let expected = case["expect"].as_str().unwrap();
        let problem = if outcome.code != Some(2) {
            Some(format!("exit code {:?}", outcome.code))
        } else if !outcome.stderr.contains(expected) {
            Some(format!("no `{expected}`"))
        } else if !outcome.stderr.contains("hint: ") {
            Some("no hint".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            failures.push(format!("case {index} ({case}): {problem}\n{}", outcome.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let calls = aws.received_requests().await.unwrap();
    assert!(calls.is_empty(), "{} AWS calls were made for bad input", calls.len());
}
