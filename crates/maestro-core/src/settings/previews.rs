//! Preview environments (`MAESTRO_PREVIEWS`): a pull request deployed as `pr-<n>`, small, behind
//! a host rule on one load balancer its app's previews share, and removed when it closes.
//! What a preview changes in the plan is `crate::preview`'s; here are the variables, checked.

use super::reader::Reader;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::spec::process_list::{self, ProcessList};
use crate::types::{Invalid, SecretName};

/// A preview whose last deploy is older than this is pruned (`maestro previews prune`).
pub const DEFAULT_TTL_SECONDS: u64 = 7 * 86_400;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PreviewSettings {
    /// `MAESTRO_PREVIEWS=true`: a pull request deploys a preview.
    pub enabled: bool,
    /// The load balancer the app's previews share; `<slug>-previews` when unset.
    pub load_balancer: Option<String>,
    /// A preview's host is `pr-<n>.<domain>`.
    pub domain: Option<String>,
    /// A wildcard certificate for `*.<domain>`: the shared listener is HTTPS on 443.
    pub certificate_arn: Option<String>,
    /// Where previews run; the base branch's cluster (or `ECS_CLUSTER_ID`) when unset.
    pub cluster: Option<String>,
    /// Schedules run in previews too (they are created disabled otherwise).
    pub schedules: bool,
    /// The previews' processes and sizes, instead of one task of each.
    pub processes: Option<ProcessList>,
    /// The secret previews read; the base branch's when unset, never `MAESTRO_SECRET_NAME`.
    pub secret_name: Option<String>,
    /// A preview not deployed for this long is pruned.
    pub ttl_seconds: u64,
}

impl PreviewSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        Self {
            enabled: read.boolean(var::MAESTRO_PREVIEWS),
            load_balancer: read.checked(
                var::MAESTRO_PREVIEW_ALB,
                super::network::is_load_balancer_name,
                "a valid load balancer name",
                "load balancer names have 1 to 32 letters, digits and `-`, and do not start or end with `-`",
            ),
            domain: read.checked(
                var::MAESTRO_PREVIEW_DOMAIN,
                is_domain,
                "a domain name",
                "give the domain whose wildcard record points at the previews' load balancer, e.g. \
                 `preview.shop.example.com` (a preview is then `pr-12.preview.shop.example.com`)",
            ),
            certificate_arn: read.checked(
                var::MAESTRO_PREVIEW_CERTIFICATE_ARN,
                super::network::is_certificate_arn,
                "a certificate ARN",
                "use the ARN of an ACM certificate for `*.<MAESTRO_PREVIEW_DOMAIN>`",
            ),
            cluster: read.checked(
                var::MAESTRO_PREVIEW_CLUSTER,
                super::is_ecs_name,
                "a valid ECS cluster name",
                "cluster names use letters, digits, `-` and `_` (at most 255)",
            ),
            schedules: read.boolean(var::MAESTRO_PREVIEW_SCHEDULES),
            processes: read.parsed(var::MAESTRO_PREVIEW_PROCESSES, process_list::parse),
            secret_name: read.typed(var::MAESTRO_PREVIEW_SECRET, SecretName::parse).map(String::from),
            ttl_seconds: read
                .typed(var::MAESTRO_PREVIEW_TTL, |text| {
                    parse_ttl(text).map_err(|problem| Invalid { message: problem.0, hint: TTL_HINT.to_owned() })
                })
                .unwrap_or(DEFAULT_TTL_SECONDS),
        }
    }
}

/// A domain a preview's host is under: letters, digits, `-` and `.`, at most 100 characters so
/// that `pr-<n>.` fits the 128 a host condition takes; no wildcard (maestro adds `pr-<n>.`).
fn is_domain(value: &str) -> bool {
    value.len() <= 100
        && value.contains('.')
        && !value.starts_with(['.', '-'])
        && !value.ends_with(['.', '-'])
        && !value.contains("..")
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Problems with a TTL, said as the reader says them.
#[derive(Debug)]
pub struct TtlProblem(pub String);

const TTL_HINT: &str = "write a number of days, hours or minutes, e.g. `7d`, `36h` or `90m`";

/// `7d`, `36h`, `90m`: a whole number and its unit, in seconds.
pub fn parse_ttl(text: &str) -> Result<u64, TtlProblem> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let unit: u64 = match &text[digits..] {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "" => return Err(TtlProblem(format!("`{text}` has no unit (`d`, `h` or `m`)"))),
        other => return Err(TtlProblem(format!("`{other}` is not a unit of `{text}`: use `d`, `h` or `m`"))),
    };
    match text[..digits].parse::<u64>().ok().and_then(|count| count.checked_mul(unit)) {
        Some(0) => Err(TtlProblem("a TTL of 0 would prune every preview at once".to_owned())),
        Some(seconds) => Ok(seconds),
        None => Err(TtlProblem(format!("`{text}` is not a number of days, hours or minutes"))),
    }
}

/// An `--older-than` flag's value, read as `MAESTRO_PREVIEW_TTL` is.
pub fn older_than(text: &str) -> Result<u64, InputError> {
    parse_ttl(text)
        .map_err(|problem| InputError::new(crate::input::Location::Flag("--older-than"), problem.0, TTL_HINT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ttl_is_a_whole_number_and_a_unit() {
        assert_eq!(parse_ttl("7d").unwrap(), 604_800);
        assert_eq!(parse_ttl("36h").unwrap(), 129_600);
        assert_eq!(parse_ttl("90m").unwrap(), 5_400);
        for bad in ["", "7", "d", "7w", "0d", "1.5d", "-1d", "99999999999999999999d"] {
            assert!(parse_ttl(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_domain_takes_no_wildcard_and_leaves_room_for_the_prefix() {
        assert!(is_domain("preview.shop.example.com"));
        for bad in ["*.shop.example.com", "localhost", ".example.com", "a..b.com", &format!("{}.com", "a".repeat(97))] {
            assert!(!is_domain(bad), "{bad}");
        }
    }
}
