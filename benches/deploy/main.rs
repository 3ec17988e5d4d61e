//! The deploy benchmark: `bash scripts/bench.sh` (it starts the emulator and runs `cargo bench
//! --bench deploy`). For apps of 1, 10 and 50 processes: a fresh deploy and a no-change
//! redeploy by the real release binary against the emulator on loopback, with wall time, AWS
//! calls (reads and writes) and peak memory; the same runs (in another account) with 50 ms added
//! to every AWS call (`latency.rs`), whose wall time says how many round trips deep the run is;
//! and, as the baseline, the sequence of `aws` CLI commands the bash maestro issued for the same
//! work (maestro-original.md, sections 1 to 5). Prints one Markdown table and checks it against
//! the targets in the README (`table.rs`; exit 1 when one is missed). `MAESTRO_BENCH_CALLS=1`
//! also prints each run's AWS calls by operation, `MAESTRO_BENCH_TIMELINE=1` the latency runs'
//! calls in the waves that went out together; `MAESTRO_BENCH_NO_CLI=1` leaves the baseline out. First, the rollout-floor benchmark
//! (`floor.rs`; alone with `cargo bench --bench deploy -- floor`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use maestro_test_support::{EmulatorCall, Scratch, moto_url, xml_values as xml};

mod cli_baseline;
mod floor;
mod latency;
mod table;
mod throttled;
use cli_baseline::cli;
use serde_json::Value;

const SIZES: [usize; 3] = [1, 10, 50];
pub(crate) const REGION: &str = "us-east-1";
pub(crate) const SHA: &str = "abcdef1234567890abcdef1234567890abcdef12";

pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) keys: [(String, String); 3],
    vpc: String,
    subnets: String,
    security_group: String,
}

/// A fresh account with credentials, its default network, the image and the app's secret, set up
/// with raw calls to the emulator (`EmulatorCall`), as the test suite's accounts are.
fn bench_account(id: &str, repository: &str) -> Account {
    let assumed = EmulatorCall::query(
        id,
        "sts",
        format!("Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn=arn:aws:iam::{id}:role/bench"),
    )
    .send_blocking();
    // The roles `maestro()` names exist, trusting ECS's tasks: deploy verifies them first.
    for role in ["bench-task", "bench-execution"] {
        EmulatorCall::create_role(id, role, "ecs-tasks.amazonaws.com").send_blocking();
    }
    EmulatorCall::create_role(id, "ecsEventsRole", "events.amazonaws.com").send_blocking();
    let subnets = EmulatorCall::query(id, "ec2", "Action=DescribeSubnets&Version=2016-11-15").send_blocking();
    let groups = EmulatorCall::query(id, "ec2", "Action=DescribeSecurityGroups&Version=2016-11-15").send_blocking();
    let ecr = "AmazonEC2ContainerRegistry_V20150921";
    EmulatorCall::json(
        id,
        "ecr",
        &format!("{ecr}.CreateRepository"),
        &serde_json::json!({"repositoryName": repository}),
    )
    .send_blocking();
    let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": format!("sha256:{:064}", 1), "size": 2}, "layers": []});
    let image =
        serde_json::json!({"repositoryName": repository, "imageTag": &SHA[..8], "imageManifest": manifest.to_string()});
    EmulatorCall::json(id, "ecr", &format!("{ecr}.PutImage"), &image).send_blocking();
    let secret = serde_json::json!({"Name": "staging/bench-app", "SecretString": "{\"PORT\": \"3000\"}"});
    EmulatorCall::json(id, "secretsmanager", "secretsmanager.CreateSecret", &secret).send_blocking();
    Account {
        id: id.to_owned(),
        keys: [
            ("AWS_ACCESS_KEY_ID".into(), xml(&assumed, "AccessKeyId")[0].clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), xml(&assumed, "SecretAccessKey")[0].clone()),
            ("AWS_SESSION_TOKEN".into(), xml(&assumed, "SessionToken")[0].clone()),
        ],
        vpc: xml(&subnets, "vpcId")[0].clone(),
        subnets: xml(&subnets, "subnetId").into_iter().take(2).collect::<Vec<_>>().join(","),
        security_group: xml(&groups, "groupId")[0].clone(),
    }
}

/// An app of `processes` processes: `web` (behind the load balancer, autoscaled) and workers.
fn app(dir: &Path, processes: usize) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let mut procfile = String::from("web: bin/web\n");
    let mut listed = vec!["web:1-3[cpu=60]".to_owned()];
    for index in 1..processes {
        procfile.push_str(&format!("worker{index}: bin/worker {index}\n"));
        listed.push(format!("worker{index}"));
    }
    std::fs::write(dir.join("Procfile"), procfile).unwrap();
    listed.join(",")
}

pub(crate) struct Run {
    pub(crate) seconds: f64,
    pub(crate) reads: u64,
    pub(crate) writes: u64,
    pub(crate) peak_mb: f64,
}

/// Runs `command`, measuring its wall time and its peak resident memory (`VmHWM`, the kernel's
/// high-water mark, read while it runs; the last reading before it exits is the peak).
fn measure(command: &mut Command) -> (Duration, f64, String) {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let readers = std::thread::spawn(move || {
        use std::io::Read;
        let (mut stdout, mut stderr) = (String::new(), String::new());
        let errors = std::thread::spawn(move || {
            stderr_pipe.read_to_string(&mut stderr).unwrap();
            stderr
        });
        stdout_pipe.read_to_string(&mut stdout).unwrap();
        (stdout, errors.join().unwrap())
    });
    let mut peak_kb = 0_u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let high_water = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches(" kB").trim().parse().ok());
            peak_kb = peak_kb.max(high_water.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed();
    let (stdout, stderr) = readers.join().unwrap();
    assert!(status.success(), "{stderr}");
    (elapsed, peak_kb as f64 / 1024.0, stdout)
}

fn maestro(account: &Account, dir: &Path, processes: &str, subcommand: &[&str], endpoint: &str) -> Command {
    // The roles AWS requires for what maestro configures (awslogs, an ECR image, ECS Exec), as the
    // emulator's strict layer does.
    let task_role = format!("arn:aws:iam::{}:role/bench-task", account.id);
    let execution_role = format!("arn:aws:iam::{}:role/bench-execution", account.id);
    let mut command = Command::new(env!("CARGO_BIN_EXE_maestro"));
    command.args(subcommand).arg("--app").arg(dir).args(["--output", "json"]);
    command.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    command.envs(account.keys.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.envs([
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_REGION", REGION),
        ("AWS_ACCOUNT_ID", account.id.as_str()),
        ("MAESTRO_REPO_OVERRIDE", "bench/app"),
        ("MAESTRO_BRANCH_OVERRIDE", "staging"),
        ("MAESTRO_COMMIT_OVERRIDE", SHA),
        ("ECS_SERVICE_TASK_PROCESSES", processes),
        ("ECS_SERVICE_SUBNETS", account.subnets.as_str()),
        ("ALB_SUBNETS", account.subnets.as_str()),
        ("ECS_SERVICE_SECURITY_GROUPS", account.security_group.as_str()),
        ("ALB_SECURITY_GROUPS", account.security_group.as_str()),
        ("WORKLOAD_VPC_ID", account.vpc.as_str()),
        ("WORKLOAD_RESOURCE_TAGS", "workload=bench"),
        ("ECS_TASK_ROLE_ARN", task_role.as_str()),
        ("ECS_EXECUTION_ROLE_ARN", execution_role.as_str()),
        ("MAESTRO_SKIP_BUILD", "true"),
        ("MAESTRO_POLL_INTERVAL", "0.05"),
        // The emulator throttles only the throttled benchmark's accounts (throttled.rs, which
        // paces): the other runs measure maestro's own round trips, which pacing at ECS's
        // documented rates would hide behind a 50-process app's 30 s of registrations.
        ("MAESTRO_NO_ECS_PACING", "true"),
    ]);
    command
}

/// A `maestro deploy` through `endpoint` (the emulator, or the latency proxy in front of it).
fn deploy(account: &Account, dir: &Path, processes: &str, endpoint: &str, label: &str) -> Run {
    let (elapsed, peak_mb, stdout) = measure(&mut maestro(account, dir, processes, &["deploy"], endpoint));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    if std::env::var_os("MAESTRO_BENCH_CALLS").is_some() {
        eprintln!("{label}: {}", report["aws_calls"]["by_operation"]);
    }
    Run {
        seconds: elapsed.as_secs_f64(),
        reads: report["aws_calls"]["reads"].as_u64().unwrap(),
        writes: report["aws_calls"]["writes"].as_u64().unwrap(),
        peak_mb,
    }
}

/// The AWS resources the app has: what "reads per resource" is counted against.
fn resources(account: &Account, dir: &Path, processes: &str) -> u64 {
    let (_, _, stdout) = measure(&mut maestro(account, dir, processes, &["plan", "--offline"], &moto_url()));
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    let count = |key: &str| plan[key].as_array().map_or(0, Vec::len) as u64;
    let policies: u64 = plan["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| service["scaling"].as_array().map_or(0, Vec::len) as u64)
        .sum();
    // the load balancer, its target group and listener (and the redirect listener with a certificate)
    let balancer =
        plan["load_balancer"].as_object().map_or(0, |balancer| 3 + u64::from(!balancer["certificate_arn"].is_null()));
    // cluster, secret and image, plus the lists
    3 + count("log_groups") + count("task_definitions") + count("services") + count("schedules") + policies + balancer
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("the deploy benchmark runs with `bash scripts/bench.sh`");
        return;
    }
    let url = moto_url();
    let scratch = Scratch::new();
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() % 1_000_000;
    // `cargo bench --bench deploy -- floor`: the rollout-floor benchmark alone.
    let floor_only = std::env::args().any(|arg| arg == "floor");
    // `cargo bench --bench deploy -- throttled`: the throttled benchmark alone.
    if std::env::args().any(|arg| arg == "throttled") {
        let (table, failures) = throttled::run(&scratch, stamp);
        println!("{table}");
        return report(&failures, &write_table("bench-throttled.md", &table));
    }
    let (floor_table, mut failures) = floor::run(&scratch, stamp);
    let floor_out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-floor.md");
    std::fs::create_dir_all(floor_out.parent().unwrap()).unwrap();
    std::fs::write(&floor_out, &floor_table).unwrap();
    println!("{floor_table}");
    if floor_only {
        return report(&failures, &floor_out);
    }
    let aws = std::env::var("MAESTRO_BENCH_AWS_CLI").expect("scripts/bench.sh installs the aws CLI");
    let proxy = latency::Proxy::start();
    let timeline = std::env::var_os("MAESTRO_BENCH_TIMELINE").is_some();
    let with_cli = std::env::var_os("MAESTRO_BENCH_NO_CLI").is_none();
    // The emulator loads each service's backend on first use: one deploy, not measured, first.
    let warm = bench_account(&format!("{:06}{:06}", stamp, 999), "bench-app-staging");
    let warm_dir = scratch.join("warm-up");
    let warm_listed = app(&warm_dir, 1);
    deploy(&warm, &warm_dir, &warm_listed, &url, "warm-up");
    let mut rows = Vec::new();
    for processes in SIZES {
        let account = bench_account(&format!("{:06}{processes:06}", stamp), "bench-app-staging");
        // 300 and up: the floor benchmark's accounts are 200 to 202, on the scaled clock.
        let slow_account = bench_account(&format!("{:06}{:06}", stamp, 300 + processes), "bench-app-staging");
        let dir: PathBuf = scratch.join(&format!("app-{processes}"));
        let listed = app(&dir, processes);
        let resources = resources(&account, &dir, &listed);
        let fresh = deploy(&account, &dir, &listed, &url, &format!("{processes}, fresh"));
        let again = deploy(&account, &dir, &listed, &url, &format!("{processes}, again"));
        let slow = |label: &str| {
            proxy.reset();
            let run = deploy(&slow_account, &dir, &listed, &proxy.url, &format!("{processes}, {label} at 50 ms"));
            let waves = proxy.waves();
            if timeline {
                latency::print_waves(&format!("{processes} processes, {label} at 50 ms"), &waves);
            }
            (run, waves.len())
        };
        let (slow_fresh, slow_again) = (slow("fresh deploy"), slow("no-change redeploy"));
        // The original's calls for 50 processes take minutes of aws CLI starts: 1 and 10 show it.
        let baseline = (processes <= 10 && with_cli).then(|| {
            let cli_account = bench_account(&format!("{:06}{:06}", stamp, 100 + processes), "bench-app-staging");
            (cli(&cli_account, processes, true, &url, &aws), cli(&cli_account, processes, false, &url, &aws))
        });
        let (cli_fresh, cli_again) = baseline.map_or((None, None), |(fresh, again)| (Some(fresh), Some(again)));
        for (label, loopback, (slow, waves), cli) in
            [("fresh deploy", fresh, slow_fresh, cli_fresh), ("no-change redeploy", again, slow_again, cli_again)]
        {
            rows.push(table::Row { processes, label, loopback, slow, waves, resources, cli });
        }
    }
    let table = table::markdown(&rows);
    println!("{table}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-deploy.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &table).unwrap();
    failures.extend(table::missed(&rows));
    let (throttled_table, throttled_failures) = throttled::run(&scratch, stamp);
    println!("{throttled_table}");
    write_table("bench-throttled.md", &throttled_table);
    failures.extend(throttled_failures);
    report(&failures, &out);
}

/// Writes `table` to target/`name`; its path.
fn write_table(name: &str, table: &str) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join(name);
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, table).unwrap();
    out
}

fn report(failures: &[String], table: &Path) {
    if failures.is_empty() {
        println!("every target is met (table also in {})", table.display());
    } else {
        println!("targets missed:\n- {}", failures.join("\n- "));
        std::process::exit(1);
    }
}
