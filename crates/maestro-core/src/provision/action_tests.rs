//! The actions' JSON: the shape the plan's JSON has always had.

use serde_json::json;

use super::*;

#[test]
fn named_pairs_keep_the_json_shape_of_the_tuples_they_replace() {
    let policy = PolicySpec {
        name: "shop-web-alb-scaling-policy".into(),
        resource_id: "service/shop/shop-web".into(),
        metric_type: "ALBRequestCountPerTarget".into(),
        target: 1000.0,
        disable_scale_in: false,
        alb: Some(AlbLabel { load_balancer: "shop".into(), target_group: "shop-tg".into() }),
        scale_in_cooldown: 300,
        scale_out_cooldown: 300,
    };
    assert_eq!(serde_json::to_value(&policy).unwrap()["alb"], json!(["shop", "shop-tg"]));
    let service = ServiceSpec {
        circuit_breaker: CircuitBreaker { enable: true, rollback: false, ..CircuitBreaker::default() },
        ..ServiceSpec::default()
    };
    assert_eq!(serde_json::to_value(&service).unwrap()["circuit_breaker"], json!([true, false]));
}
