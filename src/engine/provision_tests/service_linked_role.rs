//! The first CreateCluster of an account creates ECS's service-linked role, and ECS answers
//! "Unable to assume the service linked role" until IAM has propagated it: maestro tries again.
//! The emulator has no IAM to propagate, so these answers are scripted.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::aws::calls::CallLog;
use crate::aws::{Clients, Session};
use crate::engine::apply::apply;
use crate::engine::refs::Refs;
use maestro_core::provision::action::Action;
use maestro_test_support::scripted;

const CREATE_CLUSTER: &str = "AmazonEC2ContainerServiceV20141113.CreateCluster";

fn create_cluster() -> Action {
    Action::CreateCluster {
        name: "acme-shop-api-staging".into(),
        capacity_providers: Vec::new(),
        default_strategy: Vec::new(),
        tags: Vec::new(),
    }
}

/// A server refusing the first `refusals` CreateCluster calls with `message`, then creating.
async fn refusing(refusals: u64, message: &str) -> MockServer {
    let server = MockServer::start().await;
    let refusal = json!({"__type": "InvalidParameterException", "message": message});
    Mock::given(header("x-amz-target", CREATE_CLUSTER))
        .respond_with(ResponseTemplate::new(400).set_body_json(refusal))
        .up_to_n_times(refusals)
        .with_priority(1)
        .mount(&server)
        .await;
    let created = json!({"cluster": {"clusterName": "acme-shop-api-staging", "status": "ACTIVE"}});
    Mock::given(header("x-amz-target", CREATE_CLUSTER))
        .respond_with(ResponseTemplate::new(200).set_body_json(created))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn apply_on(server: &MockServer) -> Result<(), crate::error::Failure> {
    let clients = Clients::new(&Session::from_config(scripted(&server.uri()).await), &CallLog::default());
    apply(&clients, [&create_cluster()], &mut Refs::default(), Duration::from_millis(1)).await
}

#[tokio::test]
async fn create_cluster_is_tried_again_while_the_service_linked_role_propagates() {
    let server =
        refusing(2, "Unable to assume the service linked role. Please verify that the ECS service linked role exists.")
            .await;
    apply_on(&server).await.unwrap_or_else(|failure| panic!("{}", failure.render()));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "two refusals, then the cluster");
}

#[tokio::test]
async fn another_invalid_parameter_is_not_tried_again() {
    let server = refusing(1, "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.").await;
    let failure = apply_on(&server).await.unwrap_err();
    assert!(
        failure
            .message
            .starts_with("create cluster acme-shop-api-staging (ecs:CreateCluster): InvalidParameterException"),
        "{}",
        failure.message
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
