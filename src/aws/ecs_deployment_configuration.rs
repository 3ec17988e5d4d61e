//! A service's `deploymentConfiguration` from its spec: the circuit breaker, and for a
//! blue-green, canary or linear deploy the strategy, its bakes and the approval's PAUSE hook;
//! and what a described service's says, in the plan's terms.

use aws_sdk_ecs::types::{
    CanaryConfiguration, DeploymentAlarms, DeploymentCircuitBreaker, DeploymentConfiguration,
    DeploymentEarlySuccessCriteria, DeploymentLifecycleHook, DeploymentLifecycleHookAction,
    DeploymentLifecycleHookStage, DeploymentLifecycleHookTargetType, DeploymentLifecycleHookTimeoutConfiguration,
    DeploymentStrategy, LinearConfiguration, ServiceRevisionCleanup, ThresholdConfiguration, ThresholdType,
};

use crate::error::Failure;
use maestro_core::provision::action::ServiceSpec;
use maestro_core::provision::observed::LiveRollout;
use maestro_core::spec::approval::{self, Approval, TimeoutAction};
use maestro_core::spec::deploy_strategy::{Percent, Strategy};

fn minutes(minutes: u32) -> i32 {
    i32::try_from(minutes).unwrap_or(i32::MAX)
}

pub(super) fn of(spec: &ServiceSpec) -> Result<DeploymentConfiguration, Failure> {
    let rule = spec.circuit_breaker;
    // A disabled breaker gets no threshold: it would apply to nothing.
    let threshold = rule.threshold.filter(|_| rule.enable).map(|threshold| {
        ThresholdConfiguration::builder()
            .r#type(ThresholdType::from(threshold.kind()))
            .value(i32::try_from(threshold.value()).unwrap_or(i32::MAX))
            .build()
    });
    let breaker = DeploymentCircuitBreaker::builder()
        .enable(rule.enable)
        .rollback(rule.rollback)
        .set_threshold_configuration(threshold.transpose().map_err(|error| Failure::new(error.to_string()))?)
        .set_reset_on_healthy_task(rule.reset_on_healthy.filter(|_| rule.enable))
        .build();
    let mut configuration = DeploymentConfiguration::builder()
        .maximum_percent(200)
        .minimum_healthy_percent(100)
        .deployment_circuit_breaker(breaker)
        .set_alarms(alarms(spec)?);
    let Some(rollout) = &spec.rollout else {
        // "You can use early success criteria only with rolling deployment strategy". Sent off
        // as well, so turning it off (MAESTRO_EARLY_SUCCESS=false) removes it.
        let criteria = if spec.early_success {
            DeploymentEarlySuccessCriteria::builder()
                .enable(true)
                .healthy_percent(100)
                .source_service_revision_cleanup(ServiceRevisionCleanup::Deferred)
                .build()
        } else {
            DeploymentEarlySuccessCriteria::builder().enable(false).build()
        };
        return Ok(configuration.early_success_criteria(criteria).build());
    };
    let strategy = rollout.strategy;
    configuration = configuration.strategy(DeploymentStrategy::from(strategy.ecs_name()));
    // "You must provide this parameter when you use the BLUE_GREEN deployment strategy"
    // (DeploymentConfiguration.bakeTimeInMinutes); sent for every shifting strategy, so ECS's
    // default never decides how long the old revision stays.
    if let Some(bake) = strategy.bake_minutes() {
        configuration = configuration.bake_time_in_minutes(minutes(bake));
    }
    match strategy {
        Strategy::Canary { percent, canary_bake_minutes, .. } => {
            configuration = configuration.canary_configuration(
                CanaryConfiguration::builder()
                    .canary_percent(percent.as_f64())
                    .canary_bake_time_in_minutes(minutes(canary_bake_minutes))
                    .build(),
            );
        }
        Strategy::Linear { percent, step_bake_minutes, .. } => {
            configuration = configuration.linear_configuration(
                LinearConfiguration::builder()
                    .step_percent(percent.as_f64())
                    .step_bake_time_in_minutes(minutes(step_bake_minutes))
                    .build(),
            );
        }
        Strategy::Rolling | Strategy::BlueGreen { .. } => {}
    }
    // An empty list removes a PAUSE hook an earlier deploy set.
    let hooks: Vec<DeploymentLifecycleHook> = rollout.approval.iter().map(pause_hook).collect();
    Ok(configuration.set_lifecycle_hooks(Some(hooks)).build())
}

/// ECS's alarm watch: on with rollback for the planned alarm; off, once, when the live service
/// has it and the plan has none (`ServiceSpec::alarms_off`); else not sent, so a service that
/// never had one is updated as before.
fn alarms(spec: &ServiceSpec) -> Result<Option<DeploymentAlarms>, Failure> {
    let (names, on) = match (&spec.rollback_alarm, spec.alarms_off) {
        (Some(name), _) => (vec![name.clone()], true),
        (None, true) => (Vec::new(), false),
        (None, false) => return Ok(None),
    };
    DeploymentAlarms::builder()
        .set_alarm_names(Some(names))
        .enable(on)
        .rollback(on)
        .build()
        .map(Some)
        .map_err(|error| Failure::new(error.to_string()))
}

/// The approval as ECS takes it: a PAUSE hook ("This field is not applicable for PAUSE hooks":
/// no target ARN, no role) at its stage, with its timeout and the action ECS then takes.
fn pause_hook(approval: &Approval) -> DeploymentLifecycleHook {
    let action = match approval.on_timeout {
        TimeoutAction::Continue => DeploymentLifecycleHookAction::Continue,
        TimeoutAction::Rollback => DeploymentLifecycleHookAction::Rollback,
    };
    DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .lifecycle_stages(DeploymentLifecycleHookStage::from(approval.stage))
        .timeout_configuration(
            DeploymentLifecycleHookTimeoutConfiguration::builder()
                .timeout_in_minutes(minutes(approval.timeout_minutes))
                .action(action)
                .build(),
        )
        .build()
}

/// The strategy and approval a described service has; `None` for what maestro does not plan
/// (an unknown strategy, a Lambda hook, a pause at several stages), which an update replaces.
pub(super) fn observed(configuration: Option<&DeploymentConfiguration>) -> Option<LiveRollout> {
    let Some(configuration) = configuration else { return Some(LiveRollout::default()) };
    let bake = || configuration.bake_time_in_minutes().and_then(|bake| u32::try_from(bake).ok()).unwrap_or(0);
    let percent = |value: Option<f64>| {
        // Tenths, as ECS takes them; rounding absorbs a float's last digit.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        value.map(|value| Percent((value * 10.0).round().clamp(0.0, 1000.0) as u16))
    };
    let strategy = match configuration.strategy().map(DeploymentStrategy::as_str) {
        None | Some("ROLLING") => Strategy::Rolling,
        Some("BLUE_GREEN") => Strategy::BlueGreen { bake_minutes: bake() },
        Some("CANARY") => {
            let canary = configuration.canary_configuration()?;
            Strategy::Canary {
                percent: percent(canary.canary_percent())?,
                canary_bake_minutes: u32::try_from(canary.canary_bake_time_in_minutes()?).ok()?,
                bake_minutes: bake(),
            }
        }
        Some("LINEAR") => {
            let linear = configuration.linear_configuration()?;
            Strategy::Linear {
                percent: percent(linear.step_percent())?,
                step_bake_minutes: u32::try_from(linear.step_bake_time_in_minutes()?).ok()?,
                bake_minutes: bake(),
            }
        }
        Some(_) => return None,
    };
    let approval = match configuration.lifecycle_hooks() {
        [] => None,
        [hook] => Some(observed_pause(hook)?),
        _ => return None,
    };
    let early_success = match configuration.early_success_criteria() {
        Some(criteria) if criteria.enable() => {
            let ours = criteria.healthy_percent() == Some(100)
                && criteria.source_service_revision_cleanup() == Some(&ServiceRevisionCleanup::Deferred);
            if !ours {
                return None;
            }
            true
        }
        _ => false,
    };
    // Maestro's watch is one alarm, with rollback; a watch that is off is none. Anything else
    // (several alarms, no rollback) is not maestro's, and an update replaces it.
    let rollback_alarm = match configuration.alarms() {
        Some(alarms) if alarms.enable() => match (alarms.alarm_names(), alarms.rollback()) {
            ([name], true) => Some(name.clone()),
            _ => return None,
        },
        _ => None,
    };
    Some(LiveRollout { strategy, approval, early_success, rollback_alarm })
}

fn observed_pause(hook: &DeploymentLifecycleHook) -> Option<Approval> {
    if hook.target_type() != Some(&DeploymentLifecycleHookTargetType::Pause) {
        return None;
    }
    let [stage] = hook.lifecycle_stages() else { return None };
    let stage = approval::STAGES.iter().find(|(_, ecs)| *ecs == stage.as_str())?.1;
    let timeout = hook.timeout_configuration();
    Some(Approval {
        stage,
        timeout_minutes: timeout
            .and_then(DeploymentLifecycleHookTimeoutConfiguration::timeout_in_minutes)
            .and_then(|minutes| u32::try_from(minutes).ok())
            .unwrap_or(approval::DEFAULT_TIMEOUT_MINUTES),
        on_timeout: timeout
            .and_then(DeploymentLifecycleHookTimeoutConfiguration::action)
            .and_then(|action| TimeoutAction::of(action.as_str()))
            .unwrap_or(TimeoutAction::Rollback),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use maestro_core::plan::desired::Rollout;

    fn spec(strategy: &str, approval: Option<&str>) -> ServiceSpec {
        let strategy = maestro_core::spec::deploy_strategy::parse("S", strategy).unwrap();
        let approval = approval.map(|text| approval::parse("A", text).unwrap().unwrap());
        ServiceSpec {
            rollout: strategy.shifts_traffic().then(|| Rollout {
                strategy,
                minimum_minutes: strategy.minimum_minutes(),
                approval,
                infrastructure_role_arn: Some("arn:aws:iam::1:role/r".into()),
            }),
            ..ServiceSpec::default()
        }
    }

    #[test]
    fn a_canary_with_its_bakes_and_a_pause_as_ecs_takes_them() {
        let configuration = of(&spec("canary:12.5%,canary-bake=3m,bake=7m", Some("pre-production-traffic"))).unwrap();
        assert_eq!(configuration.strategy(), Some(&DeploymentStrategy::Canary));
        assert_eq!(configuration.bake_time_in_minutes(), Some(7));
        let canary = configuration.canary_configuration().unwrap();
        assert_eq!((canary.canary_percent(), canary.canary_bake_time_in_minutes()), (Some(12.5), Some(3)));
        let [hook] = configuration.lifecycle_hooks() else { panic!("one hook") };
        assert_eq!(hook.target_type(), Some(&DeploymentLifecycleHookTargetType::Pause));
        assert_eq!(hook.hook_target_arn(), None);
        assert_eq!(hook.lifecycle_stages(), [DeploymentLifecycleHookStage::PreProductionTrafficShift]);
        let timeout = hook.timeout_configuration().unwrap();
        assert_eq!(
            (timeout.timeout_in_minutes(), timeout.action()),
            (Some(1440), Some(&DeploymentLifecycleHookAction::Rollback))
        );
    }

    #[test]
    fn what_is_sent_reads_back_as_planned() {
        for (strategy, approval) in [
            ("rolling", None),
            ("blue-green:bake=10m", Some("post-test-traffic,timeout=2h,on-timeout=continue")),
            ("canary:2.5%,canary-bake=1m,bake=0", None),
            ("linear:33.3%,step-bake=4m,bake=1h", Some("post-scale-up")),
        ] {
            let spec = spec(strategy, approval);
            let planned = LiveRollout {
                strategy: spec.rollout.as_ref().map(|rollout| rollout.strategy).unwrap_or_default(),
                approval: spec.rollout.as_ref().and_then(|rollout| rollout.approval),
                early_success: spec.early_success,
                rollback_alarm: spec.rollback_alarm.clone(),
            };
            assert_eq!(observed(Some(&of(&spec).unwrap())), Some(planned), "{strategy}");
        }
        // A rolling service keeps no strategy fields; one ECS reports without a configuration rolls.
        let rolling = of(&spec("rolling", None)).unwrap();
        assert_eq!((rolling.strategy(), rolling.lifecycle_hooks().len()), (None, 0));
        let early = ServiceSpec { early_success: true, ..spec("rolling", None) };
        let criteria = of(&early).unwrap().early_success_criteria().cloned().unwrap();
        assert_eq!(
            (criteria.enable(), criteria.healthy_percent(), criteria.source_service_revision_cleanup()),
            (true, Some(100), Some(&ServiceRevisionCleanup::Deferred))
        );
        assert_eq!(observed(Some(&of(&early).unwrap())).map(|live| live.early_success), Some(true));
        // Never beside a shifting strategy, which ECS refuses it with.
        let early_canary = ServiceSpec { early_success: true, ..spec("canary", None) };
        assert!(of(&early_canary).unwrap().early_success_criteria().is_none());
        assert_eq!(observed(None), Some(LiveRollout::default()));
    }

    #[test]
    fn the_rollback_alarm_is_watched_with_rollback_and_turned_off_once() {
        let watched = ServiceSpec { rollback_alarm: Some("shop-web-5xx".into()), ..spec("canary", None) };
        let alarms = of(&watched).unwrap().alarms().cloned().unwrap();
        assert_eq!(
            (alarms.alarm_names(), alarms.enable(), alarms.rollback()),
            (&["shop-web-5xx".to_owned()][..], true, true)
        );
        assert_eq!(observed(Some(&of(&watched).unwrap())).unwrap().rollback_alarm.as_deref(), Some("shop-web-5xx"));
        let off = ServiceSpec { alarms_off: true, ..spec("rolling", None) };
        let alarms = of(&off).unwrap().alarms().cloned().unwrap();
        assert_eq!((alarms.alarm_names().len(), alarms.enable(), alarms.rollback()), (0, false, false));
        assert_eq!(observed(Some(&of(&off).unwrap())).unwrap().rollback_alarm, None);
        assert!(of(&spec("rolling", None)).unwrap().alarms().is_none(), "a service that never had one: not sent");
        // Someone's watch of two alarms is not maestro's: the whole configuration is replaced.
        let theirs = DeploymentConfiguration::builder()
            .alarms(
                DeploymentAlarms::builder()
                    .alarm_names("a")
                    .alarm_names("b")
                    .enable(true)
                    .rollback(true)
                    .build()
                    .unwrap(),
            )
            .build();
        assert_eq!(observed(Some(&theirs)), None);
    }

    #[test]
    fn a_hook_maestro_does_not_plan_is_not_its_approval() {
        let lambda = DeploymentConfiguration::builder()
            .strategy(DeploymentStrategy::BlueGreen)
            .lifecycle_hooks(
                DeploymentLifecycleHook::builder()
                    .target_type(DeploymentLifecycleHookTargetType::AwsLambda)
                    .hook_target_arn("arn:aws:lambda:us-east-1:1:function:check")
                    .lifecycle_stages(DeploymentLifecycleHookStage::PostTestTrafficShift)
                    .build(),
            )
            .build();
        assert_eq!(observed(Some(&lambda)), None);
    }
}
