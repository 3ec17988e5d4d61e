//! `maestro logs`: the environment's CloudWatch logs, every process's lines in one time order,
//! each prefixed with its process and task (docs/logs.md). Lines are written as they are read,
//! not as one report: with `--output json`, one JSON object per line. The app secret's values are
//! hidden in every line; when the secret cannot be read, nothing is printed.

use std::io::Write;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::LogsArgs;
use crate::clock;
use crate::engine::logs::Reader;
use crate::error::{Error, Failure};
use crate::output::{Output, Stdout};
use crate::style::Style;
use maestro_core::env::Env;
use maestro_core::input_error::InputErrors;
use maestro_core::logs::line::{JsonLine, Layout};
use maestro_core::logs::{LogEvent, since, sources};
use maestro_core::redact::Redactor;

pub(super) async fn run(args: &LogsArgs, env: Env, stdout: &mut Stdout<'_>) -> Result<(), Error> {
    match Box::pin(follow_or_read(args, env, stdout)).await {
        Ok(()) => Ok(()),
        Err(error) => Err(stdout.failed_line(error)),
    }
}

async fn follow_or_read(args: &LogsArgs, env: Env, stdout: &mut Stdout<'_>) -> Result<(), Error> {
    // Every input problem at once, before any AWS call: `--since`, the app's inputs, the names.
    let since = since::parse(&args.since);
    let inputs = prepare::validate(&args.app, env);
    let chosen = inputs.as_ref().ok().map(|inputs| sources::select(&args.processes, &inputs.log_sources()));
    let (since, inputs, chosen) = match (since, inputs, chosen) {
        (Ok(since), Ok(inputs), Some(Ok(chosen))) => (since, inputs, chosen),
        (since, inputs, chosen) => {
            let mut errors = InputErrors::default();
            errors.0.extend(since.err());
            match inputs {
                Err(Error::Input(problems)) => errors.0.extend(problems.0),
                Err(other) => return Err(other),
                Ok(_) => {}
            }
            errors.0.extend(chosen.and_then(Result::err).into_iter().flat_map(|problems| problems.0));
            return Err(errors.into());
        }
    };
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let values = to.clients.secrets.values(&to.desired.secret).await.map_err(|error| {
        Failure::new("the log lines are withheld: the app secret could not be read to hide its values")
            .detail(error.to_string())
            .hint(format!("allow secretsmanager:GetSecretValue on {} (see docs/logs.md)", to.desired.secret))
    })?;
    let redactor = Redactor::new(values.iter().map(String::as_str));
    let processes: Vec<String> = chosen.iter().map(|source| source.process.clone()).collect();
    let colour = stdout.output() == Output::Human && Style::for_stdout(&inputs.env).colour;
    let layout = Layout::new(&processes, colour);
    let start = since.start_millis(i64::try_from(clock::unix_millis()).unwrap_or(i64::MAX));
    let mut reader = Reader::new(to.clients.logs.clone(), chosen);
    let output = stdout.output();
    let mut print = |events: &[LogEvent]| write(stdout.raw(), output, &layout, &redactor, events);
    if !args.follow {
        let events = reader.read(start).await?;
        if events.is_empty() {
            tracing::info!("no log lines since {}", maestro_core::logs::timestamp::format(start));
        }
        return print(events.as_slice());
    }
    tokio::select! {
        followed = reader.follow(start, &mut print) => followed,
        // Ctrl-C ends a follow: the way out, not a failure.
        () = crate::cancel::requested() => Ok(()),
    }
}

/// `events` as `--output` asks, flushed: a follow's lines show as they come.
fn write(
    out: &mut dyn Write,
    output: Output,
    layout: &Layout,
    redactor: &Redactor,
    events: &[LogEvent],
) -> Result<(), Error> {
    let mut text = String::new();
    for event in events {
        match output {
            Output::Human => {
                for line in layout.human(event, redactor) {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            Output::Json | Output::Ndjson => {
                let line = serde_json::to_string(&JsonLine::of(event, redactor)).map_err(std::io::Error::from)?;
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
