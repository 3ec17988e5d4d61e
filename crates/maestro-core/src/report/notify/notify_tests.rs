use serde_json::{Value, json};

use super::*;
use crate::report::fixtures::{context, finished};
use crate::rollout::approval::fixtures::awaiting;

fn json_of(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn each_way_a_deploy_ends_is_one_outcome() {
    let context = context(None);
    let outcome = |event: &Event| Notification::of(&context, event).map(|n| (n.event, n.outcome));
    assert_eq!(outcome(&Event::Started), Some((Moment::Started, Outcome::InProgress)));
    assert_eq!(outcome(&Event::Finished(finished(true))), Some((Moment::Ended, Outcome::Success)));
    assert_eq!(outcome(&Event::Finished(finished(false))), Some((Moment::Ended, Outcome::Failed)));
    let by = crate::queue::Supersession { sha: "0123456789abcdef".into(), run_url: None };
    assert_eq!(outcome(&Event::Superseded(by)), Some((Moment::Ended, Outcome::Superseded)));
    assert_eq!(outcome(&Event::AwaitingApproval(awaiting())), Some((Moment::Ended, Outcome::AwaitingApproval)));
    let mut aborted = finished(false);
    for service in &mut aborted.services {
        (service.state, service.reason) = (ServiceState::RolledBack, None);
    }
    assert_eq!(outcome(&Event::Finished(aborted.clone())), Some((Moment::Ended, Outcome::RolledBack)));
    // One that could not be rolled back is a failure.
    aborted.services[1].state = ServiceState::Failed;
    assert_eq!(outcome(&Event::Finished(aborted)), Some((Moment::Ended, Outcome::Failed)));
    for quiet in [Event::Released, Event::Stopped, Event::Destroyed] {
        assert_eq!(outcome(&quiet), None);
    }
}

#[test]
fn a_failure_carries_its_reason_the_commit_and_the_duration() {
    let notification = Notification::of(&context(None), &Event::Finished(finished(false))).unwrap();
    assert_eq!(notification.reason.as_deref(), Some("1 of 2 services did not roll out"));
    assert_eq!(
        notification.service_reasons(),
        [("acme-shop-api-staging-worker", "rolled back by the circuit breaker")]
    );
    assert_eq!(notification.commit.short_sha, "ffeeddcc");
    assert_eq!(notification.commit.author.as_deref(), Some("Mona Lisa"));
    assert_eq!(notification.duration().as_deref(), Some("1 min 35 s"));
    assert_eq!(notification.app, "acme/shop-api");
    let mut context = context(None);
    context.request.app = Some("admin".into());
    context.request.commit_author = None;
    let started = Notification::of(&context, &Event::Started).unwrap();
    assert_eq!((started.app.as_str(), started.commit.author.as_deref()), ("admin", Some("octocat")));
    assert_eq!((started.seconds, started.duration()), (None, None));
}

#[test]
fn the_generic_payload_names_every_field_even_when_empty() {
    let started = json_of(&Notification::of(&context(None), &Event::Started).unwrap());
    let keys: Vec<&str> = started.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema",
            "event",
            "outcome",
            "app",
            "repository",
            "environment",
            "commit",
            "seconds",
            "url",
            "run_url",
            "reason",
            "services"
        ]
    );
    assert_eq!(
        (&started["event"], &started["outcome"], &started["seconds"]),
        (&json!("started"), &json!("in_progress"), &Value::Null)
    );
    assert_eq!(started["schema"], SCHEMA);
}

#[test]
fn slack_text_from_outside_cannot_mention_or_link() {
    let mut finished = finished(false);
    finished.failure = Some("<!channel> see <https://evil.example|here> & more".into());
    let message = json_of(&slack::message(&Notification::of(&context(None), &Event::Finished(finished)).unwrap()));
    let text = message.to_string();
    assert!(!text.contains("<!channel>") && !text.contains("<https://evil"), "{text}");
    assert!(text.contains("&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more"), "{text}");
    assert_eq!(message["blocks"][1]["type"], "section");
    assert!(message["blocks"][1]["text"]["text"].as_str().unwrap().starts_with("*Reason*\n&lt;!channel&gt;"));
}

#[test]
fn a_teams_card_is_an_adaptive_card_1_4_in_a_message() {
    let message =
        json_of(&teams::message(&Notification::of(&context(None), &Event::Finished(finished(true))).unwrap()));
    assert_eq!(message["type"], "message");
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
    assert_eq!(attachment["contentUrl"], Value::Null);
    let card = &attachment["content"];
    assert_eq!((&card["type"], &card["version"]), (&json!("AdaptiveCard"), &json!("1.4")));
    assert_eq!(card["body"][0]["type"], "TextBlock");
    assert_eq!(card["body"][1]["type"], "FactSet");
    assert_eq!(
        card["actions"][0],
        json!({"type": "Action.OpenUrl", "title": "Open the app", "url": "https://staging.shop.example.com"})
    );
}

#[test]
fn teams_text_from_outside_cannot_form_a_link() {
    let mut finished = finished(false);
    finished.failure = Some("see [the fix](https://evil.example)".into());
    let mut context = context(None);
    context.request.commit_author = Some("[Mona](https://evil.example)".into());
    let card = json_of(&teams::message(&Notification::of(&context, &Event::Finished(finished)).unwrap())).to_string();
    assert!(!card.contains("](https://evil"), "{card}");
    assert!(card.contains("see [the fix] (https://evil.example)") && card.contains("[Mona] (https://evil.example)"));
}
