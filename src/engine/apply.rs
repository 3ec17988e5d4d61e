//! Applies actions in stages; the actions of one stage do not depend on each other and run
//! concurrently. The first failure stops the run after its stage: later stages never start on
//! top of a half-applied one.

use tokio::task::JoinSet;

use crate::aws::Clients;
use crate::core::provision::action::Action;
use crate::error::Failure;

pub(super) async fn apply(clients: &Clients, actions: &[Action]) -> Result<(), Failure> {
    let mut stages: Vec<u8> = actions.iter().map(Action::stage).collect();
    stages.dedup();
    for stage in stages {
        let mut running = JoinSet::new();
        for action in actions.iter().filter(|action| action.stage() == stage) {
            // Each change runs as its own task, which owns what it uses.
            let (clients, action) = (clients.clone(), action.clone());
            running.spawn(async move {
                tracing::info!("{action}");
                run(&clients, &action).await
            });
        }
        let mut first_failure = None;
        while let Some(joined) = running.join_next().await {
            let outcome = joined
                .map_err(|error| Failure::new(format!("an AWS change stopped: {error}")))
                .and_then(|result| result);
            if let Err(failure) = outcome {
                first_failure.get_or_insert(failure);
            }
        }
        if let Some(failure) = first_failure {
            return Err(failure);
        }
    }
    Ok(())
}

async fn run(clients: &Clients, action: &Action) -> Result<(), Failure> {
    match action {
        Action::CreateCluster { name, capacity_providers, default_strategy, tags } => {
            clients.ecs.create_cluster(name, capacity_providers, default_strategy, tags).await
        }
        Action::PutClusterCapacityProviders { name, capacity_providers, default_strategy } => {
            clients.ecs.put_capacity_providers(name, capacity_providers, default_strategy).await
        }
        Action::TagResource { arn, tags } => clients.ecs.tag(arn, tags).await,
        Action::CreateLogGroup { name, tags } => clients.logs.create(name, tags).await,
        Action::RegisterTaskDefinition { family, definition, .. } => {
            let arn = clients.ecs.register_task_definition(family, definition).await?;
            tracing::info!("registered {arn}");
            Ok(())
        }
    }
}
