//! The requests that create and update a service, from its spec; and what a described service
//! says of the fields those requests set.

use aws_sdk_ecs::operation::create_service::builders::CreateServiceFluentBuilder;
use aws_sdk_ecs::operation::update_service::builders::UpdateServiceFluentBuilder;
use aws_sdk_ecs::types::{
    AdvancedConfiguration, AssignPublicIp, AwsVpcConfiguration, LoadBalancer, NetworkConfiguration,
    PropagateTags as EcsPropagateTags, ServiceConnectClientAlias, ServiceConnectConfiguration, ServiceConnectService,
    Tag as EcsTag,
};

use super::ecs::strategy;
use super::ecs_deployment_configuration;
use crate::error::Failure;
use maestro_core::plan::aws_values::PropagateTags;
use maestro_core::provision::action::ServiceSpec;
use maestro_core::provision::observed::ObservedServiceConnect;
use maestro_core::provision::service_change::ServiceChange;
use maestro_core::rollout::service_deployment::Started;
use maestro_core::spec::tags::Tag;

/// CreateService with everything the spec says. The capacity provider strategy is the service's
/// own: the cluster's default applies only at creation, and a shared cluster's is not ours.
pub(super) fn create_request(
    request: CreateServiceFluentBuilder,
    spec: &ServiceSpec,
    task_definition: &str,
    target_group_arn: Option<&str>,
    traffic: Option<&Traffic<'_>>,
) -> Result<CreateServiceFluentBuilder, Failure> {
    Ok(request
        .cluster(&spec.cluster)
        .service_name(&spec.name)
        .task_definition(task_definition)
        .desired_count(spec.desired_count.and_then(|count| i32::try_from(count).ok()).unwrap_or(1))
        .network_configuration(network(spec)?)
        .deployment_configuration(ecs_deployment_configuration::of(spec)?)
        .enable_execute_command(spec.execute_command)
        .propagate_tags(propagate_tags(ServiceSpec::PROPAGATE_TAGS))
        .set_capacity_provider_strategy(Some(strategy(&spec.capacity_provider_strategy)?))
        .set_health_check_grace_period_seconds(grace_period(spec))
        .set_load_balancers(Some(load_balancers(spec, target_group_arn, traffic)))
        .set_service_connect_configuration(service_connect(spec)?)
        .set_tags(Some(tags(&spec.tags))))
}

/// UpdateService with the fields of the spec's changes only. UpdateService's reference says
/// `networkConfiguration`, `loadBalancers` and `serviceConnectConfiguration` each "trigger a new
/// service deployment" (every task replaced), and the others do not: sent every time, a count or
/// breaker change would roll the whole service.
pub(super) fn update_request(
    mut request: UpdateServiceFluentBuilder,
    spec: &ServiceSpec,
    task_definition: &str,
    target_group_arn: Option<&str>,
    traffic: Option<&Traffic<'_>>,
) -> Result<UpdateServiceFluentBuilder, Failure> {
    request = request.cluster(&spec.cluster).service(&spec.name);
    let mut deployment_sent = false;
    for change in &spec.changes {
        request = match change {
            ServiceChange::NewRevision | ServiceChange::BehindLatest { .. } => request.task_definition(task_definition),
            ServiceChange::Count { want, .. } => request.desired_count(i32::try_from(*want).unwrap_or(i32::MAX)),
            ServiceChange::Network => request.network_configuration(network(spec)?),
            // One configuration holds both: sent once however many of them changed.
            ServiceChange::CircuitBreaker | ServiceChange::Rollout | ServiceChange::RollbackAlarm => {
                if deployment_sent {
                    request
                } else {
                    deployment_sent = true;
                    request.deployment_configuration(ecs_deployment_configuration::of(spec)?)
                }
            }
            ServiceChange::Exec => request.enable_execute_command(spec.execute_command),
            ServiceChange::TagPropagation => request.propagate_tags(propagate_tags(ServiceSpec::PROPAGATE_TAGS)),
            // "You can remove existing loadBalancers by passing an empty list."
            ServiceChange::LoadBalancer => {
                request.set_load_balancers(Some(load_balancers(spec, target_group_arn, traffic)))
            }
            ServiceChange::ServiceConnect => request.service_connect_configuration(
                service_connect(spec)?.unwrap_or_else(|| ServiceConnectConfiguration::builder().enabled(false).build()),
            ),
            // The strategy "doesn't trigger a new service deployment": without one, running tasks
            // would stay where they are (on Spot, say) until the next deployment.
            ServiceChange::CapacityProvider => request
                .set_capacity_provider_strategy(Some(strategy(&spec.capacity_provider_strategy)?))
                .force_new_deployment(true),
            ServiceChange::HealthCheckGracePeriod => request.set_health_check_grace_period_seconds(grace_period(spec)),
        };
    }
    Ok(request)
}

fn grace_period(spec: &ServiceSpec) -> Option<i32> {
    spec.health_check_grace_period.map(|seconds| i32::try_from(seconds).unwrap_or(i32::MAX))
}

/// Service Connect as the service's primary deployment runs it (a service describes it only
/// per deployment).
pub(super) fn observed_service_connect(service: &aws_sdk_ecs::types::Service) -> Option<ObservedServiceConnect> {
    let primary = service.deployments().iter().find(|deployment| deployment.status() == Some("PRIMARY"))?;
    let configuration = primary.service_connect_configuration()?;
    let first = configuration.services().first();
    let alias = first.and_then(|service| service.client_aliases().first());
    Some(ObservedServiceConnect {
        enabled: configuration.enabled(),
        namespace: configuration.namespace().unwrap_or_default().to_owned(),
        port_name: first.map(|service| service.port_name().to_owned()).unwrap_or_default(),
        discovery_name: first.and_then(|service| service.discovery_name()).unwrap_or_default().to_owned(),
        dns_name: alias.and_then(|alias| alias.dns_name()).unwrap_or_default().to_owned(),
        port: alias.and_then(|alias| u16::try_from(alias.port()).ok()).unwrap_or_default(),
    })
}

fn built<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, Failure> {
    result.map_err(|error| Failure::new(format!("invalid service configuration: {error}")))
}

fn network(spec: &ServiceSpec) -> Result<NetworkConfiguration, Failure> {
    let vpc = built(
        AwsVpcConfiguration::builder()
            .set_subnets(Some(spec.subnets.clone()))
            .set_security_groups(Some(spec.security_groups.clone()))
            .assign_public_ip(AssignPublicIp::Disabled)
            .build(),
    )?;
    Ok(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
}

/// What ECS shifts a blue-green, canary or linear service's traffic with: the alternate target
/// group, the production and test listener rules, and the role it modifies them with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Traffic<'a> {
    pub alternate_target_group: &'a str,
    pub production_rule: &'a str,
    pub test_rule: &'a str,
    pub role_arn: &'a str,
}

fn load_balancers(
    spec: &ServiceSpec,
    target_group_arn: Option<&str>,
    traffic: Option<&Traffic<'_>>,
) -> Vec<LoadBalancer> {
    target_group_arn
        .map(|arn| {
            let advanced = traffic.map(|traffic| {
                AdvancedConfiguration::builder()
                    .alternate_target_group_arn(traffic.alternate_target_group)
                    .production_listener_rule(traffic.production_rule)
                    .test_listener_rule(traffic.test_rule)
                    .role_arn(traffic.role_arn)
                    .build()
            });
            LoadBalancer::builder()
                .target_group_arn(arn)
                .container_name(&spec.container)
                .container_port(i32::from(spec.port))
                .set_advanced_configuration(advanced)
                .build()
        })
        .into_iter()
        .collect()
}

fn service_connect(spec: &ServiceSpec) -> Result<Option<ServiceConnectConfiguration>, Failure> {
    let Some(connect) = &spec.service_connect else { return Ok(None) };
    let alias =
        built(ServiceConnectClientAlias::builder().port(i32::from(connect.port)).dns_name(&connect.dns_name).build())?;
    let service = built(
        ServiceConnectService::builder()
            .port_name(&connect.port_name)
            .discovery_name(&connect.discovery_name)
            .client_aliases(alias)
            .build(),
    )?;
    Ok(Some(
        ServiceConnectConfiguration::builder().enabled(true).namespace(&connect.namespace).services(service).build(),
    ))
}

/// The id of the deployment a create or update started: the service's primary one.
/// What the create or update started: the PRIMARY deployment's id, and the service deployment
/// ECS names for it (`currentServiceDeployment`).
pub(super) fn started(service: Option<&aws_sdk_ecs::types::Service>) -> Started {
    let id = service
        .and_then(|service| service.deployments().iter().find(|deployment| deployment.status() == Some("PRIMARY")))
        .and_then(|deployment| deployment.id())
        .unwrap_or_default()
        .to_owned();
    let service_deployment = service.and_then(|service| service.current_service_deployment()).map(str::to_owned);
    Started { id, service_deployment }
}

fn propagate_tags(propagate: PropagateTags) -> EcsPropagateTags {
    match propagate {
        PropagateTags::TaskDefinition => EcsPropagateTags::TaskDefinition,
        PropagateTags::Service => EcsPropagateTags::Service,
        PropagateTags::Off => EcsPropagateTags::None,
    }
}

pub(super) fn observed_propagate_tags(propagate: &EcsPropagateTags) -> Option<PropagateTags> {
    match propagate {
        EcsPropagateTags::TaskDefinition => Some(PropagateTags::TaskDefinition),
        EcsPropagateTags::Service => Some(PropagateTags::Service),
        EcsPropagateTags::None => Some(PropagateTags::Off),
        _ => None,
    }
}

fn tags(tags: &[Tag]) -> Vec<EcsTag> {
    tags.iter().map(|tag| EcsTag::builder().key(&tag.key).value(&tag.value).build()).collect()
}

#[cfg(test)]
mod tests {
    use aws_config::BehaviorVersion;
    use maestro_core::plan::aws_values::CapacityProvider;
    use maestro_core::plan::desired::CapacityProviderWeight;

    use super::*;

    fn client() -> aws_sdk_ecs::Client {
        let config = aws_sdk_ecs::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_sdk_ecs::config::Region::new("us-east-1"))
            .build();
        aws_sdk_ecs::Client::from_conf(config)
    }

    fn spec(changes: Vec<ServiceChange>) -> ServiceSpec {
        ServiceSpec {
            cluster: "shop".into(),
            name: "shop-web".into(),
            subnets: vec!["subnet-1".into()],
            container: "shop".into(),
            port: 3000,
            desired_count: Some(3),
            capacity_provider_strategy: vec![CapacityProviderWeight {
                capacity_provider: CapacityProvider::Fargate,
                weight: 1,
            }],
            health_check_grace_period: Some(60),
            changes,
            ..ServiceSpec::default()
        }
    }

    #[test]
    fn an_update_sends_only_what_changed() {
        let count = update_request(
            client().update_service(),
            &spec(vec![ServiceChange::Count { want: 3, have: 2 }]),
            "arn:td:2",
            Some("arn:tg"),
            None,
        )
        .unwrap();
        let input = count.as_input();
        assert_eq!(input.get_desired_count(), &Some(3));
        assert!(input.get_task_definition().is_none(), "a count change keeps the revision");
        assert!(
            input.get_network_configuration().is_none()
                && input.get_load_balancers().is_none()
                && input.get_service_connect_configuration().is_none(),
            "none of the fields that start a deployment"
        );
        assert!(input.get_deployment_configuration().is_none() && input.get_enable_execute_command().is_none());

        let revision = update_request(
            client().update_service(),
            &spec(vec![ServiceChange::NewRevision]),
            "arn:td:2",
            Some("arn:tg"),
            None,
        )
        .unwrap();
        let input = revision.as_input();
        assert_eq!(input.get_task_definition().as_deref(), Some("arn:td:2"));
        assert!(input.get_desired_count().is_none() && input.get_network_configuration().is_none());

        let moved = update_request(
            client().update_service(),
            &spec(vec![
                ServiceChange::CapacityProvider,
                ServiceChange::HealthCheckGracePeriod,
                ServiceChange::LoadBalancer,
            ]),
            "arn:td:2",
            Some("arn:tg"),
            None,
        )
        .unwrap();
        let input = moved.as_input();
        let strategy = input.get_capacity_provider_strategy().as_deref().unwrap();
        assert_eq!(strategy[0].capacity_provider(), "FARGATE");
        assert_eq!(input.get_force_new_deployment(), &Some(true), "running tasks move to the new provider");
        assert_eq!(input.get_health_check_grace_period_seconds(), &Some(60));
        assert_eq!(input.get_load_balancers().as_deref().unwrap()[0].target_group_arn(), Some("arn:tg"));
        assert!(input.get_load_balancers().as_deref().unwrap()[0].advanced_configuration().is_none());
    }

    #[test]
    fn a_shifting_service_sends_its_traffic_and_one_deployment_configuration() {
        let traffic = Traffic {
            alternate_target_group: "arn:tg-alt",
            production_rule: "arn:rule/prod",
            test_rule: "arn:rule/test",
            role_arn: "arn:aws:iam::1:role/ecsInfrastructureRoleForLoadBalancers",
        };
        let both = update_request(
            client().update_service(),
            &spec(vec![ServiceChange::CircuitBreaker, ServiceChange::LoadBalancer, ServiceChange::Rollout]),
            "arn:td:2",
            Some("arn:tg"),
            Some(&traffic),
        )
        .unwrap();
        let input = both.as_input();
        assert!(input.get_deployment_configuration().is_some());
        assert!(input.get_task_definition().is_none(), "a strategy change keeps the revision");
        let attachment = &input.get_load_balancers().as_deref().unwrap()[0];
        let advanced = attachment.advanced_configuration().unwrap();
        assert_eq!(
            (
                attachment.target_group_arn(),
                advanced.alternate_target_group_arn(),
                advanced.production_listener_rule(),
                advanced.test_listener_rule(),
                advanced.role_arn(),
            ),
            (
                Some("arn:tg"),
                Some("arn:tg-alt"),
                Some("arn:rule/prod"),
                Some("arn:rule/test"),
                Some("arn:aws:iam::1:role/ecsInfrastructureRoleForLoadBalancers")
            )
        );
    }

    #[test]
    fn service_connect_unplanned_is_turned_off_and_a_create_sends_everything() {
        let off = update_request(
            client().update_service(),
            &spec(vec![ServiceChange::ServiceConnect]),
            "arn:td:2",
            None,
            None,
        )
        .unwrap();
        assert!(!off.as_input().get_service_connect_configuration().as_ref().unwrap().enabled());
        let create =
            create_request(client().create_service(), &spec(Vec::new()), "arn:td:2", Some("arn:tg"), None).unwrap();
        let input = create.as_input();
        assert_eq!(input.get_capacity_provider_strategy().as_deref().map(<[_]>::len), Some(1));
        assert_eq!(input.get_health_check_grace_period_seconds(), &Some(60));
        assert_eq!(input.get_enable_execute_command(), &Some(false), "no task role in this spec");
        assert!(input.get_network_configuration().is_some());
    }
}
