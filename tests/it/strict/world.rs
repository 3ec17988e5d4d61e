//! What the strict-layer tests share: an account with its default network, a Fargate cluster,
//! task definitions that satisfy every rule (so a test changes one thing), and reading a refusal.

use aws_sdk_ecs::error::ProvideErrorMetadata;
use aws_sdk_ecs::types::builders::ContainerDefinitionBuilder;
use aws_sdk_ecs::types::{
    AwsVpcConfiguration, CapacityProviderStrategyItem, Compatibility, ContainerDefinition, NetworkConfiguration,
    NetworkMode, PortMapping, ServiceConnectClientAlias, ServiceConnectConfiguration, ServiceConnectService,
};

use maestro_test_support::{Network, TestAccount};

pub(super) const CLUSTER: &str = "strict";

/// The code and message of a call the emulator refused; panics, showing the answer, when it did not.
pub(super) fn refusal<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> (String, String) {
    let error = result.expect_err("the emulator should refuse this call");
    (error.code().unwrap_or_default().to_owned(), error.message().unwrap_or_default().to_owned())
}

pub(super) struct World {
    pub(super) account: TestAccount,
    pub(super) network: Network,
    pub(super) ecs: aws_sdk_ecs::Client,
}

impl World {
    /// The account of `test`, with a cluster whose default strategy is Fargate.
    pub(super) async fn new(test: &str) -> World {
        let account = TestAccount::new(test).await;
        let network = account.network().await;
        let ecs = aws_sdk_ecs::Client::new(&account.config);
        let fargate = CapacityProviderStrategyItem::builder().capacity_provider("FARGATE").weight(1).build().unwrap();
        ecs.create_cluster()
            .cluster_name(CLUSTER)
            .capacity_providers("FARGATE")
            .default_capacity_provider_strategy(fargate)
            .send()
            .await
            .unwrap();
        World { account, network, ecs }
    }

    pub(super) fn role(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:role/{name}", self.account.id)
    }

    /// The account's network, as an awsvpc configuration.
    pub(super) fn vpc(&self) -> NetworkConfiguration {
        self.vpc_of(self.network.subnets.clone(), vec![self.network.security_group.clone()])
    }

    pub(super) fn vpc_of(&self, subnets: Vec<String>, groups: Vec<String>) -> NetworkConfiguration {
        let vpc = AwsVpcConfiguration::builder().set_subnets(Some(subnets)).set_security_groups(Some(groups)).build();
        NetworkConfiguration::builder().awsvpc_configuration(vpc.unwrap()).build()
    }

    /// A container listening on 8080 (port name `http`), as maestro's template renders one.
    pub(super) fn container(name: &str) -> ContainerDefinitionBuilder {
        let port = PortMapping::builder().container_port(8080).name("http").build();
        ContainerDefinition::builder().name(name).image("public.ecr.aws/docker/library/nginx:1").port_mappings(port)
    }

    /// Service Connect for the port named `port` (the [`Self::container`]'s is `http`), under `discovery`.
    pub(super) fn connect(port: &str, discovery: &str) -> ServiceConnectConfiguration {
        let alias = ServiceConnectClientAlias::builder().port(8080).dns_name("web").build().unwrap();
        let service =
            ServiceConnectService::builder().port_name(port).discovery_name(discovery).client_aliases(alias).build();
        ServiceConnectConfiguration::builder().enabled(true).namespace("internal").services(service.unwrap()).build()
    }

    /// A Fargate definition of `family` that every rule accepts; `task_role` says whether it has one.
    pub(super) fn fargate(
        &self,
        family: &str,
        task_role: bool,
    ) -> aws_sdk_ecs::operation::register_task_definition::builders::RegisterTaskDefinitionFluentBuilder {
        let request = self
            .ecs
            .register_task_definition()
            .family(family)
            .requires_compatibilities(Compatibility::Fargate)
            .network_mode(NetworkMode::Awsvpc)
            .cpu("256")
            .memory("512")
            .execution_role_arn(self.role("execution"))
            .container_definitions(World::container("app").build());
        if task_role { request.task_role_arn(self.role("task")) } else { request }
    }

    /// Registers [`Self::fargate`]; its ARN.
    pub(super) async fn definition(&self, family: &str, task_role: bool) -> String {
        let registered = self.fargate(family, task_role).send().await.unwrap();
        registered.task_definition().unwrap().task_definition_arn().unwrap().to_owned()
    }

    /// A service of `definition` in the account's network, with nothing else.
    pub(super) fn service(
        &self,
        name: &str,
        definition: &str,
    ) -> aws_sdk_ecs::operation::create_service::builders::CreateServiceFluentBuilder {
        self.ecs
            .create_service()
            .cluster(CLUSTER)
            .service_name(name)
            .task_definition(definition)
            .desired_count(1)
            .network_configuration(self.vpc())
    }

    /// The statuses DescribeServices gives `name` (empty when MISSING), and its failures' reasons.
    pub(super) async fn describe(&self, name: &str) -> (Vec<String>, Vec<String>) {
        let described = self.ecs.describe_services().cluster(CLUSTER).services(name).send().await.unwrap();
        let statuses = described.services().iter().filter_map(|service| service.status().map(str::to_owned)).collect();
        let reasons = described.failures().iter().filter_map(|failure| failure.reason().map(str::to_owned)).collect();
        (statuses, reasons)
    }
}
