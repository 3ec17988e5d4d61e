//! The test emulator's strict layer (tests/support/strict/, docs/emulator.md): each rule by which
//! the emulator answers as AWS documents rather than as moto does, tried with the SDK directly
//! and checked on AWS's error code. One file per service or rule family.

mod autoscaling;
mod cloudwatch;
mod ec2;
mod ecr;
mod ecs_attachments;
mod ecs_clusters;
mod ecs_network;
mod ecs_service_deployments;
mod ecs_services;
mod ecs_strategies;
mod ecs_task_definitions;
mod ecs_tasks;
mod ecs_throttling;
mod elbv2;
mod elbv2_health_checks;
mod events;
mod iam;
mod logs;
mod ssm;
mod sts;
mod verify_reads;
mod world;
