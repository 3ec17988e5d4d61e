//! A call AWS refused for want of a permission, said as the fix: the action, the resource when
//! AWS named it, and the statement of docs/iam.md that grants it.

use super::{DOC, GRANTS, Grant, SWITCHING, grant_of};

/// The error codes AWS answers a call the caller may not make with: `AccessDeniedException` (the
/// JSON-protocol services: ECS, ECR, SSM, CloudWatch Logs, EventBridge, Secrets Manager,
/// Application Auto Scaling), `AccessDenied` (the query protocol: STS, IAM, ELB, CloudWatch) and
/// `UnauthorizedOperation` (EC2,
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
pub fn is_access_denied(code: &str) -> bool {
    matches!(code, "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation")
}

/// The resource AWS's message names: "User: … is not authorized to perform: ssm:PutParameter on
/// resource: arn:… because no identity-based policy allows …" (the form the IAM User Guide's
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html shows).
pub fn denied_resource(message: &str) -> Option<&str> {
    let rest = message.split_once(" on resource: ")?.1;
    let resource = rest.split(' ').next()?.trim_end_matches(['.', ',']);
    (!resource.is_empty()).then_some(resource)
}

/// What to tell the user about a refused `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// "the role may not call ssm:PutParameter on arn:…".
    pub detail: String,
    /// Which statement of docs/iam.md grants it.
    pub hint: String,
}

/// The denial of `action`, with AWS's `message` (for the resource, when it names one).
pub fn denial(action: &str, message: Option<&str>) -> Denial {
    let resource = message.and_then(denied_resource);
    let on = resource.map(|resource| format!(" on {resource}")).unwrap_or_default();
    let detail = format!("the role may not call {action}{on}");
    let hint = match grant_on(action, resource) {
        Some(grant) => format!(
            "allow {} in the role's policy: statement `{}` of {DOC} (a role made for the bash maestro: {SWITCHING})",
            grant.action,
            grant.statement.sid()
        ),
        None => format!("allow {action} in the role's policy ({DOC})"),
    };
    Denial { detail, hint }
}

/// The grant of `action` whose statement covers `resource` (`ssm:PutParameter` on the release
/// records is `Releases`', on the lease `DeployLease`'s), else the action's first grant.
fn grant_on(action: &str, resource: Option<&str>) -> Option<&'static Grant> {
    let covering = resource.and_then(|resource| {
        GRANTS.iter().find(|grant| grant.action.eq_ignore_ascii_case(action) && grant.statement.covers(resource))
    });
    covering.or_else(|| grant_of(action))
}
