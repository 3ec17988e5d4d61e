//! A service brought back from zero tasks: `maestro stop` left it at zero, and this deploy's
//! update raises it to its count (or its autoscaler's minimum). Its wait is for tasks coming
//! back, and its summary says `scaled from 0`, not `deployed` nor `unchanged`.

use crate::provision::action::Action;
use crate::provision::service_change::ServiceChange;

/// The run's update of `service` raises it from zero tasks.
pub fn scaled_from_zero(actions: &[Action], service: &str) -> bool {
    actions.iter().any(|action| match action {
        Action::UpdateService(spec) if spec.name == service => {
            spec.changes.iter().any(|change| matches!(change, ServiceChange::Count { want, have: 0 } if *want > 0))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provision::action::ServiceSpec;

    fn update(name: &str, changes: Vec<ServiceChange>) -> Action {
        Action::UpdateService(ServiceSpec { name: name.into(), changes, ..ServiceSpec::default() })
    }

    #[test]
    fn only_an_update_raising_a_service_from_zero_is_a_restore() {
        let actions = [
            update("web", vec![ServiceChange::Count { want: 2, have: 0 }]),
            update("worker", vec![ServiceChange::Count { want: 3, have: 1 }]),
            update("clock", vec![ServiceChange::NewRevision]),
            update("idle", vec![ServiceChange::Count { want: 0, have: 0 }]),
        ];
        let restored: Vec<&str> = ["web", "worker", "clock", "idle", "absent"]
            .into_iter()
            .filter(|name| scaled_from_zero(&actions, name))
            .collect();
        assert_eq!(restored, ["web"]);
    }
}
