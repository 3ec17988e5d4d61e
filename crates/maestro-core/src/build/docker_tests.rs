use super::*;

const R: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

fn argv(no_cache: bool, target: Option<&str>, platform: Option<&str>, secrets: &[String]) -> String {
    let repository = ImageRepository { host: R.into(), path: "shop-main".into() };
    let build = DockerBuild::new(&DockerInputs {
        repository: &repository,
        tag: "abc12345",
        file: "/checkout/api/Dockerfile.prod",
        context: "/checkout/api",
        target,
        platform,
        no_cache,
        secrets,
    });
    build.argv().join(" ").replace(R, "R")
}

const BASE: &str = "buildx build --builder maestro --push --progress plain --tag R/shop-main:abc12345 \
                    --tag R/shop-main:latest --file /checkout/api/Dockerfile.prod";
const CACHE: &str = "--cache-from type=registry,ref=R/shop-main:cache \
                     --cache-to type=registry,ref=R/shop-main:cache,mode=max,image-manifest=true,oci-mediatypes=true";

#[test]
fn a_default_build_pushes_both_tags_with_the_registry_cache() {
    assert_eq!(argv(false, None, None, &[]), format!("{BASE} {CACHE} /checkout/api"));
}

#[test]
fn every_combination_of_target_platform_cache_and_secrets() {
    let keys = ["NPM_TOKEN".to_owned(), "BUNDLE_GEMS__CONTRIBSYS__COM".to_owned()];
    for no_cache in [false, true] {
        for target in [None, Some("release")] {
            for platform in [None, Some("linux/arm64")] {
                for secrets in [&keys[..0], &keys[..]] {
                    let mut expected = BASE.to_owned();
                    if let Some(target) = target {
                        expected.push_str(&format!(" --target {target}"));
                    }
                    if let Some(platform) = platform {
                        expected.push_str(&format!(" --platform {platform}"));
                    }
                    expected.push_str(if no_cache { " --no-cache" } else { " " });
                    if !no_cache {
                        expected.push_str(CACHE);
                    }
                    for key in secrets {
                        expected.push_str(&format!(" --secret id={key},env={key}"));
                    }
                    expected.push_str(" /checkout/api");
                    assert_eq!(argv(no_cache, target, platform, secrets), expected);
                }
            }
        }
    }
}

#[test]
fn the_builder_is_made_once_with_a_driver_that_exports_caches() {
    assert_eq!(inspect_builder().join(" "), "buildx inspect maestro");
    assert_eq!(create_builder().join(" "), "buildx create --name maestro --driver docker-container");
}

#[test]
fn docker_gets_only_the_system_docker_and_buildx_variables() {
    let env = Env::from_process([
        ("PATH", "/usr/bin"),
        ("HOME", "/root"),
        ("DOCKER_HOST", "unix:///run/docker.sock"),
        ("BUILDX_CONFIG", "/b"),
        ("PACK_HOME", "/p"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("GITHUB_TOKEN", "ghs"),
        ("NPM_TOKEN", "npm-1"),
    ]);
    let names: Vec<String> = docker_environment(&env).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["BUILDX_CONFIG", "DOCKER_HOST", "HOME", "PATH"]);
}

#[test]
fn only_listed_keys_become_secrets_and_none_docker_reads_itself() {
    let secret: Map<String, Value> = serde_json::from_value(serde_json::json!({
        "NPM_TOKEN": "npm-1",
        "DATABASE_URL": "postgres://secret",
        "HTTPS_PROXY": "http://evil:3128",
        "BUILDX_BUILDER": "evil",
        "PEM": "a\nb",
        "PORT": 3000,
    }))
    .unwrap();
    assert_eq!(docker_secrets("main/shop", &secret, None), DockerSecrets::default(), "unlisted: none");
    let only: Vec<String> =
        ["NPM_TOKEN", "PEM", "PORT", "HTTPS_PROXY", "BUILDX_BUILDER", "MISSING"].map(str::to_owned).to_vec();
    let secrets = docker_secrets("main/shop", &secret, Some(&only));
    assert_eq!(secrets.keys(), ["NPM_TOKEN", "PEM", "PORT"]);
    assert_eq!(secrets.env.iter().map(|(_, value)| value.expose()).collect::<Vec<_>>(), ["npm-1", "a\nb", "3000"]);
    assert_eq!(secrets.warnings.len(), 3, "{:?}", secrets.warnings);
    assert!(secrets.warnings.iter().all(|warning| !warning.contains("evil")), "no value in a warning");
    assert!(secrets.warnings[2].contains("`MISSING`"));
}
