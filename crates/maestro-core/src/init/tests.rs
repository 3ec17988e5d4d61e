use super::*;
use crate::env::{Env, Origin};
use crate::input::vars as var;
use crate::permissions::GRANTS;

fn env(pairs: &[(&str, &str)]) -> Env {
    let mut env = Env::default();
    for (name, value) in pairs {
        env.set(*name, *value, Origin::Process);
    }
    env
}

fn checkout() -> Checkout {
    Checkout { procfile: true, origin: Some("git@github.com:acme/shop-api.git".to_owned()), ..Checkout::default() }
}

fn setup(ci: CiKind) -> Setup {
    let env = env(&[(var::AWS_REGION, "us-east-1"), (var::AWS_ACCOUNT_ID, "123456789012")]);
    Draft::read(Some(ci.name()), &env, &checkout()).unwrap().finish().unwrap()
}

#[test]
fn the_ci_is_the_flag_else_the_running_ci_else_the_checkouts_files() {
    assert_eq!(CiKind::parse("GitLab").unwrap(), CiKind::Gitlab);
    let refused = CiKind::parse("jenkins").unwrap_err();
    assert!(refused.hint.contains("--ci github"), "{refused:?}");
    let files = Checkout { gitlab_ci: true, buildspec: true, ..checkout() };
    assert_eq!(Draft::read(None, &env(&[]), &files).unwrap().ci, Some(CiKind::Gitlab));
    let on_codebuild = env(&[(var::CODEBUILD_BUILD_ID, "shop:1")]);
    assert_eq!(Draft::read(None, &on_codebuild, &files).unwrap().ci, Some(CiKind::Codebuild));
    assert_eq!(Draft::read(Some("github"), &on_codebuild, &files).unwrap().ci, Some(CiKind::Github));
    assert_eq!(Draft::read(None, &env(&[]), &checkout()).unwrap().ci, None);
}

#[test]
fn a_draft_without_answers_names_every_missing_input_and_its_flag() {
    let empty = Checkout::default();
    let errors = Draft::read(None, &env(&[]), &empty).unwrap().finish().unwrap_err();
    let rendered: Vec<String> = errors.0.iter().map(|error| format!("{} / {}", error.location, error.hint)).collect();
    assert_eq!(rendered.len(), 4, "{rendered:#?}");
    for flag in ["--ci", "--repo", "--region", "--role-arn"] {
        assert!(rendered.iter().any(|line| line.contains(flag)), "{flag} not named: {rendered:#?}");
    }
    // A value given and wrong is refused at once, where it was written.
    let wrong = env(&[(var::AWS_REGION, "us-east"), (var::MAESTRO_ROLE_ARN, "deploy")]);
    let errors = Draft::read(Some("gitlab"), &wrong, &empty).unwrap_err();
    let names: Vec<String> = errors.0.iter().map(|error| error.location.to_string()).collect();
    assert_eq!(names, ["AWS_REGION", "MAESTRO_ROLE_ARN"]);
}

#[test]
fn roles_come_from_an_arn_or_an_account_id() {
    let roles = DeployRoles::parse("arn:aws:iam::123456789012:role/ci/shop-deploy", "aws").unwrap();
    assert_eq!(roles.review.as_str(), "arn:aws:iam::123456789012:role/maestro-review");
    assert_eq!((roles.account(), DeployRoles::name_of(&roles.production)), ("123456789012", "ci/shop-deploy"));
    let roles = DeployRoles::parse("210987654321", "aws-cn").unwrap();
    assert_eq!(roles.production.as_str(), "arn:aws-cn:iam::210987654321:role/maestro-production");
    assert!(DeployRoles::parse("maestro", "aws").is_err());
    let setup = setup(CiKind::Github);
    assert_eq!(setup.task_role.as_str(), "arn:aws:iam::123456789012:role/acme-shop-api-task");
    assert_eq!(setup.execution_role.as_str(), "arn:aws:iam::123456789012:role/acme-shop-api-execution");
}

#[test]
fn questions_take_the_default_on_enter_and_check_answers_with_the_deploys_parsers() {
    let mut draft = Draft::read(None, &env(&[(var::AWS_REGION, "eu-west-2")]), &Checkout::default()).unwrap();
    let topics: Vec<Topic> = draft.questions().iter().map(|question| question.topic).collect();
    assert_eq!(topics, [Topic::Ci, Topic::Repository, Topic::Region, Topic::Role, Topic::Processes]);
    let region = draft.question(Topic::Region).unwrap();
    assert_eq!(region.line(), "AWS region [eu-west-2]: ");
    assert_eq!(region.answer("\n").unwrap(), Answer::Region(crate::types::Region::parse("eu-west-2").unwrap()));
    assert!(region.answer("Frankfurt").unwrap_err().hint.contains("us-east-1"));
    // No default: Enter alone is not an answer.
    assert!(draft.question(Topic::Ci).unwrap().answer("").is_err());
    let processes = draft.question(Topic::Processes).unwrap();
    assert_eq!(processes.answer("").unwrap(), Answer::Processes("web:1".to_owned()));
    assert!(processes.answer("web{999;1}").is_err());
    for (topic, text) in [(Topic::Ci, "codebuild"), (Topic::Repository, "acme/shop-api"), (Topic::Role, "123456789012")]
    {
        let answer = draft.question(topic).unwrap().answer(text).unwrap();
        draft.apply(answer);
    }
    let setup = draft.finish().unwrap();
    assert_eq!(
        (setup.ci, setup.region.as_str(), setup.slug().as_str()),
        (CiKind::Codebuild, "eu-west-2", "acme-shop-api")
    );
    // With a Procfile and a repository, only three questions are left.
    let topics: Vec<Topic> =
        Draft::read(None, &env(&[]), &checkout()).unwrap().questions().iter().map(|q| q.topic).collect();
    assert_eq!(topics, [Topic::Ci, Topic::Region, Topic::Role]);
}

#[test]
fn the_github_workflow_pins_the_action_and_gives_each_job_its_role() {
    let text = setup(CiKind::Github).ci_file();
    assert!(text.contains("uses: veezor/maestro@v1"), "{text}");
    assert!(text.contains("id-token: write") && text.contains("cancel-in-progress: false"), "{text}");
    assert_eq!(text.matches("role-to-assume: arn:aws:iam::123456789012:role/maestro-production").count(), 1);
    assert_eq!(text.matches("role-to-assume: arn:aws:iam::123456789012:role/maestro-review").count(), 2);
    assert_eq!(text.matches("aws-region: us-east-1").count(), 3);
    assert!(text.contains("ecs-execution-role-arn: arn:aws:iam::123456789012:role/acme-shop-api-execution"));
}

#[test]
fn the_gitlab_job_has_its_id_token_resource_group_and_the_production_role_on_the_default_branch() {
    let mut setup = setup(CiKind::Gitlab);
    setup.processes = Some("web{1024;2048}:2-5[cpu=60], worker".to_owned());
    let text = setup.ci_file();
    for expected in [
        "id_tokens:\n    MAESTRO_ID_TOKEN:\n",
        "resource_group: $CI_ENVIRONMENT_NAME",
        "    MAESTRO_ROLE_ARN: arn:aws:iam::123456789012:role/maestro-review\n",
        // Other branches are review apps that stop by themselves; the default branch's stays.
        "    name: review/$CI_COMMIT_REF_SLUG\n    url: $MAESTRO_ENVIRONMENT_URL\n    on_stop: maestro-stop\n    auto_stop_in: 2 weeks\n",
        "      variables:\n        MAESTRO_ROLE_ARN: arn:aws:iam::123456789012:role/maestro-production\n",
        "    ECS_SERVICE_TASK_PROCESSES: \"web{1024;2048}:2-5[cpu=60], worker\"\n",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert_eq!(text.matches("auto_stop_in").count(), 1, "{text}");
}

#[test]
fn the_buildspec_is_version_0_2_with_the_images_one_line() {
    let text = setup(CiKind::Codebuild).ci_file();
    assert!(text.contains("\nversion: 0.2\n") && text.contains("- dockerd-entrypoint.sh main.sh\n"), "{text}");
    assert!(text.contains("service role maestro-production"), "{text}");
}

#[test]
fn the_permission_policy_grants_every_action_on_this_apps_names_only() {
    let policy = permission_policy(&setup(CiKind::Github));
    let text = serde_json::to_string_pretty(&policy).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["Version"], "2012-10-17");
    for grant in GRANTS {
        assert!(text.contains(&format!("\"{}\"", grant.action)), "{} missing", grant.action);
    }
    assert!(!text.contains('<'), "a placeholder is left:\n{text}");
    assert!(text.contains("arn:aws:ecs:us-east-1:123456789012:cluster/acme-shop-api-*"), "{text}");
    assert!(text.contains("arn:aws:iam::123456789012:role/acme-shop-api-task"), "{text}");
    // No pull secret: its resource is left out, not left as a placeholder.
    let secret =
        document["Statement"].as_array().unwrap().iter().find(|statement| statement["Sid"] == "AppSecret").unwrap();
    assert_eq!(
        secret["Resource"],
        serde_json::json!(["arn:aws:secretsmanager:us-east-1:123456789012:secret:*/acme-shop-api-??????"])
    );
    let verify = document["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|statement| statement["Sid"] == "VerifyPermissions")
        .unwrap();
    assert_eq!(
        verify["Resource"],
        serde_json::json!([
            "arn:aws:iam::123456789012:role/maestro-production",
            "arn:aws:iam::123456789012:role/maestro-review"
        ])
    );
}

#[test]
fn trust_policies_name_this_repository_as_each_ci_signs_it() {
    let github = trust_policies(&setup(CiKind::Github));
    let text = serde_json::to_string(&github).unwrap();
    assert!(
        text.contains(r#""token.actions.githubusercontent.com:sub":"repo:acme/shop-api:environment:production""#),
        "{text}"
    );
    assert!(
        text.contains(r#""StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:*"}"#),
        "{text}"
    );
    let gitlab = serde_json::to_string(&trust_policies(&setup(CiKind::Gitlab))).unwrap();
    assert!(gitlab.contains("project_path:acme/shop-api:ref_type:branch:ref:main"), "{gitlab}");
    let codebuild = trust_policies(&setup(CiKind::Codebuild));
    assert_eq!(codebuild.len(), 1);
    assert!(serde_json::to_string(&codebuild).unwrap().contains("codebuild.amazonaws.com"));
}

#[test]
fn prerequisites_use_the_deploys_names_and_say_how_to_check_each() {
    let items = prerequisites(&setup(CiKind::Github));
    let named =
        |name: &str| items.iter().find(|item| item.name == name).unwrap_or_else(|| panic!("{name}: {items:#?}"));
    assert_eq!(
        named("main/acme-shop-api").check,
        Check::AwsCli(
            "aws secretsmanager describe-secret --secret-id main/acme-shop-api --region us-east-1".to_owned()
        )
    );
    assert_eq!(named(var::ECS_SERVICE_SUBNETS).check, Check::MaestroVerify);
    assert_eq!(named(EVENTS_ROLE).check, Check::MaestroVerify);
    assert!(
        matches!(&named("token.actions.githubusercontent.com").check, Check::AwsCli(command) if command.contains("oidc-provider/token.actions"))
    );
    assert!(
        matches!(&named("maestro-review").check, Check::AwsCli(command) if command == "aws iam get-role --role-name maestro-review")
    );
}

#[test]
fn the_review_role_is_denied_productions_resources_named_as_the_deploy_names_them() {
    let setup = setup(CiKind::Gitlab);
    let deny = serde_json::to_value(review_deny(&setup).unwrap()).unwrap();
    assert_eq!((deny["Effect"].as_str(), deny["Action"].as_str()), (Some("Deny"), Some("*")));
    let resources: Vec<&str> = deny["Resource"].as_array().unwrap().iter().filter_map(|value| value.as_str()).collect();
    let names = setup.production_names();
    assert!(
        resources.contains(&format!("arn:aws:ecs:*:123456789012:cluster/{}", names.cluster()).as_str()),
        "{resources:#?}"
    );
    let rules = format!("arn:aws:events:*:123456789012:rule/{}*", names.schedule_rule_prefix());
    assert!(resources.contains(&rules.as_str()), "{rules} not in {resources:#?}");
    assert!(resources.iter().all(|resource| !resource.contains('<')), "{resources:#?}");
    assert_eq!(review_deny(&self::setup(CiKind::Codebuild)), None);
}
