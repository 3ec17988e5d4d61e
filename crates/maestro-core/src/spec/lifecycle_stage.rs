//! `MAESTRO_WAIT_UNTIL` (`maestro deploy --wait-until`): the lifecycle stage of a blue-green,
//! canary or linear deploy at which maestro stops waiting and lets ECS finish on its own.

use crate::input::Location;
use crate::input_error::InputError;

/// ECS's lifecycle stages a service deployment goes through, in order
/// (ServiceDeployment.lifecycleStage), in maestro's words and ECS's.
pub const STAGES: &[(&str, &str)] = &[
    ("reconcile-service", "RECONCILE_SERVICE"),
    ("pre-scale-up", "PRE_SCALE_UP"),
    ("scale-up", "SCALE_UP"),
    ("post-scale-up", "POST_SCALE_UP"),
    ("test-traffic-shift", "TEST_TRAFFIC_SHIFT"),
    ("post-test-traffic-shift", "POST_TEST_TRAFFIC_SHIFT"),
    ("pre-production-traffic-shift", "PRE_PRODUCTION_TRAFFIC_SHIFT"),
    ("production-traffic-shift", "PRODUCTION_TRAFFIC_SHIFT"),
    ("post-production-traffic-shift", "POST_PRODUCTION_TRAFFIC_SHIFT"),
    ("bake-time", "BAKE_TIME"),
    ("clean-up", "CLEAN_UP"),
];

/// Where an ECS stage stands in the order; `None` for a stage this list does not know.
pub fn position(ecs_stage: &str) -> Option<usize> {
    STAGES.iter().position(|(_, ecs)| *ecs == ecs_stage)
}

/// The stage's ECS name, from maestro's (`bake-time`) or ECS's (`BAKE_TIME`).
pub fn parse(input: impl Into<Location>, text: &str) -> Result<&'static str, InputError> {
    let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
    STAGES.iter().find(|(name, _)| *name == wanted).map(|(_, ecs)| *ecs).ok_or_else(|| {
        let names = STAGES.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ");
        InputError::at(
            input,
            text,
            0..text.len(),
            format!("`{}` is not a lifecycle stage of ECS's deployments", text.trim()),
            format!("use one of {names}, e.g. `bake-time` to stop waiting once production traffic has moved"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_in_either_spelling_and_its_place_in_the_order() {
        assert_eq!(parse("W", "bake-time").unwrap(), "BAKE_TIME");
        assert_eq!(parse("W", "PRODUCTION_TRAFFIC_SHIFT").unwrap(), "PRODUCTION_TRAFFIC_SHIFT");
        assert!(position("SCALE_UP") < position("BAKE_TIME"));
        assert_eq!(position("SOMETHING_NEW"), None);
        let error = parse("W", "baking").unwrap_err();
        assert!(error.message.contains("`baking` is not a lifecycle stage"), "{}", error.message);
        assert!(error.hint.contains("`bake-time`"));
    }
}
