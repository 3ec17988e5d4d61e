use super::*;
use crate::preview::prune::{self, Done, Pruned, PullState, Verdict};

const NOW: u64 = 1_800_000_000;
const DOMAIN: &str = "preview.shop.example.com";

fn service(name: &str, marker: Option<&str>, running: u32) -> FoundService {
    FoundService { name: name.to_owned(), marker: marker.map(str::to_owned), running, desired: 1 }
}

fn hosts(list: &[&str]) -> Vec<String> {
    list.iter().map(|host| (*host).to_owned()).collect()
}

#[test]
fn a_preview_is_found_by_its_marker_or_its_host_rule() {
    let services = [
        service("acme-shop-pr-41-web", Some("acme-shop-pr-41"), 1),
        service("acme-shop-pr-41-worker", Some("acme-shop-pr-41"), 0),
        service("acme-shop-pr-42-web", Some("acme-shop-pr-42"), 1),
        // The base branch's, another app's previews, and a name without the marker: not ours.
        service("acme-shop-main-web", Some("acme-shop-main"), 3),
        service("acme-shop-blog-pr-41-web", Some("acme-shop-blog-pr-41"), 1),
        service("acme-shop-pr-44-web", None, 1),
    ];
    let rules = hosts(&["pr-41.preview.shop.example.com", "PR-43.Preview.Shop.Example.com", "pr-9.other.example.com"]);
    let found = discover("acme-shop", &services, &rules, Some(DOMAIN));
    let summary: Vec<(u64, usize, u32, u32, bool)> = found
        .iter()
        .map(|listed| (listed.number, listed.services.len(), listed.running, listed.desired, listed.routed))
        .collect();
    // #43 only has its rule left: a destroy that did not finish, still listed (and pruned).
    assert_eq!(summary, [(41, 2, 1, 2, true), (42, 1, 1, 1, false), (43, 0, 0, 0, true)]);
    assert_eq!(found[0].environment, "acme-shop-pr-41");
    // Without the domain, the rules cannot be read: only the services tell.
    let numbers: Vec<u64> = discover("acme-shop", &services, &rules, None).iter().map(|l| l.number).collect();
    assert_eq!(numbers, [41, 42]);
}

#[test]
fn ages_read_as_people_say_them() {
    for (seconds, said) in [
        (0, "0s"),
        (45, "45s"),
        (720, "12m"),
        (3_600, "1h"),
        (5 * 3_600 + 600, "5h 10m"),
        (86_400, "1d"),
        (3 * 86_400 + 4 * 3_600 + 59, "3d 4h"),
    ] {
        assert_eq!(age(seconds), said, "{seconds}");
    }
}

fn listed(number: u64, commit: Option<&str>, deployed_ago: Option<u64>, running: u32, routed: bool) -> Listed {
    Listed {
        number,
        environment: format!("acme-shop-pr-{number}"),
        url: Some(format!("https://pr-{number}.{DOMAIN}")),
        services: if running > 0 { vec![format!("acme-shop-pr-{number}-web")] } else { Vec::new() },
        running,
        desired: u32::from(running > 0),
        routed,
        commit: commit.map(str::to_owned),
        deployed_at: deployed_ago.map(|ago| NOW - ago),
    }
}

#[test]
fn the_list_as_people_read_it() {
    let previews = [
        listed(41, Some("a1a1a1a1a1a1a1a1a1a1"), Some(2 * 86_400 + 3_600), 1, true),
        listed(42, Some("b2b2b2b2b2b2b2b2b2b2"), Some(600), 1, true),
        listed(43, None, None, 0, true),
    ];
    let text = human("acme/shop", "acme-shop-main", &previews, NOW);
    assert_eq!(
        text,
        "previews of acme/shop in cluster acme-shop-main:
  PR      commit    age       tasks  URL
  #41     a1a1a1a1  2d 1h     1/1    https://pr-41.preview.shop.example.com
  #42     b2b2b2b2  10m       1/1    https://pr-42.preview.shop.example.com
  #43     -         -         0/0    https://pr-43.preview.shop.example.com  (no services: only its host rule is left)
"
    );
    assert_eq!(human("acme/shop", "acme-shop-main", &[], NOW), "no previews of acme/shop in cluster acme-shop-main\n");
}

#[test]
fn what_prune_did_as_people_read_it() {
    let pruned = |number: u64, pull: PullState, ago: u64, done: Done| {
        let verdict = prune::judge(number, &pull, Some(NOW - ago), NOW, 7 * 86_400);
        Pruned {
            number,
            environment: format!("acme-shop-pr-{number}"),
            pull_request: pull,
            last_deployed_at: Some(NOW - ago),
            verdict,
            done,
        }
    };
    let report = [
        pruned(41, PullState::Closed, 3_600, Done::Removed),
        pruned(42, PullState::Open, 86_400, Done::Kept),
        pruned(
            43,
            PullState::Unknown { why: "no GitHub token".to_owned() },
            9 * 86_400,
            Done::Failed { error: "1 of 9 deletes did not happen".to_owned() },
        ),
    ];
    assert_eq!(report[2].verdict, Verdict::Remove {
            why: "last deployed 9d ago, longer than the TTL of 7d (pull request #43's state is unknown (no GitHub token))"
                .to_owned()
        });
    assert_eq!(
        prune::human("acme/shop", 7 * 86_400, &report),
        "prune the previews of acme/shop (TTL 7d):
  removed  #41     pull request #41 is closed
  kept     #42     pull request #42 is open; last deployed 1d ago, within 7d
  FAILED   #43     last deployed 9d ago, longer than the TTL of 7d (pull request #43's state is unknown (no GitHub token)): 1 of 9 deletes did not happen
1 removed, 1 kept, 1 failed
"
    );
    let json = serde_json::to_value(&report[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "number": 41,
            "environment": "acme-shop-pr-41",
            "pull_request": {"state": "closed"},
            "last_deployed_at": NOW - 3_600,
            "verdict": "remove",
            "why": "pull request #41 is closed",
            "result": "removed",
        })
    );
}

#[test]
fn a_previews_request_is_its_pull_requests_run_into_this_branch() {
    let base = crate::fixtures::staging(&[]);
    let request = request(&base, 41);
    assert_eq!(request.branch.as_deref(), Some("pr-41"));
    assert_eq!(request.environment_key(), format!("{}-pr-41", base.app_slug()));
    assert_eq!((request.pull_request, request.base_branch.clone()), (Some(41), base.branch.clone()));
    let settings =
        crate::fixtures::deployable(&[("MAESTRO_PREVIEWS", "true"), ("MAESTRO_PREVIEW_DOMAIN", DOMAIN)]).unwrap();
    let preview = crate::preview::Preview::of(&request, &settings).unwrap().expect("a preview");
    assert_eq!(preview.host, format!("pr-41.{DOMAIN}"));
}
