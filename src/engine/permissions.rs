//! `maestro verify`'s permissions check: the role the run signed in as, asked of IAM's policy
//! simulator (`maestro_core::verify::permissions` says which actions, on which resources).

use crate::aws::Session;
use crate::aws::calls::CallLog;
use crate::error::Error;
use maestro_core::plan::desired::DesiredState;
use maestro_core::types::Region;
use maestro_core::verify::permissions::{Outcome, Place, Principal};
use maestro_core::verify::{self, permissions};

/// Whether `caller_arn` may make the deploy's calls; each denied action is an input error.
pub(crate) async fn check(
    session: &Session,
    log: &CallLog,
    caller_arn: &str,
    region: &Region,
    desired: &DesiredState,
) -> Result<Outcome, Error> {
    let iam = session.iam(log);
    let role_arn = match permissions::principal(caller_arn) {
        Principal::Role(name) => match iam.role_arn(&name).await? {
            Ok(arn) => arn,
            Err(why) => return Ok(Outcome::NotChecked { why }),
        },
        Principal::User(arn) => arn,
        Principal::Other(arn) => {
            return Ok(Outcome::NotChecked { why: format!("the simulator takes a role or a user, not {arn}") });
        }
    };
    // `arn:<partition>:sts::<account>:…`
    let mut parts = caller_arn.split(':');
    let (partition, account) = (parts.nth(1).unwrap_or("aws"), parts.nth(2).unwrap_or_default());
    let place = Place { partition, region: region.as_str(), account };
    let mut answers = Vec::new();
    // One question per resource, a handful per app: asked one after the other, so the first
    // refusal ends the check without asking the rest.
    for question in permissions::questions(desired, place) {
        match iam.simulate(&role_arn, &question).await? {
            Ok(more) => answers.extend(more),
            Err(why) => return Ok(Outcome::NotChecked { why }),
        }
    }
    verify::as_errors(&permissions::judge(&role_arn, &answers))?;
    Ok(Outcome::Checked { role: role_arn, actions: answers.len() })
}
