use crate::build::source::SourceChoice;
use crate::fixtures;
use crate::input::Location;

fn choice(pairs: &[(&str, &str)]) -> SourceChoice {
    fixtures::settings(pairs).unwrap().build.source
}

fn refused(pairs: &[(&str, &str)]) -> (String, String, String) {
    let errors = fixtures::settings(pairs).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors:?}");
    let error = &errors.0[0];
    (error.location.to_string(), error.message.clone(), error.hint.clone())
}

#[test]
fn unset_is_detected_and_each_setting_chooses() {
    assert_eq!(choice(&[]), SourceChoice::Detect);
    assert_eq!(choice(&[("MAESTRO_BUILD", "Buildpacks")]), SourceChoice::Buildpacks);
    let dockerfile = |file: Option<&str>, target: Option<&str>, set: &str| SourceChoice::Dockerfile {
        file: file.map(str::to_owned),
        target: target.map(str::to_owned),
        set: Location::variable(set),
    };
    assert_eq!(choice(&[("MAESTRO_BUILD", "dockerfile")]), dockerfile(None, None, "MAESTRO_BUILD"));
    assert_eq!(
        choice(&[("MAESTRO_DOCKERFILE", "docker/Dockerfile.prod")]),
        dockerfile(Some("docker/Dockerfile.prod"), None, "MAESTRO_DOCKERFILE")
    );
    assert_eq!(
        choice(&[("MAESTRO_BUILD_TARGET", "release")]),
        dockerfile(None, Some("release"), "MAESTRO_BUILD_TARGET")
    );
    let SourceChoice::Prebuilt(image) = choice(&[("MAESTRO_IMAGE", "ghcr.io/acme/shop:1.4.2")]) else {
        panic!("a prebuilt image")
    };
    assert_eq!(image.uri(), "ghcr.io/acme/shop:1.4.2");
}

#[test]
fn an_image_with_a_build_setting_is_bad_input_naming_both() {
    for other in ["MAESTRO_BUILD", "MAESTRO_DOCKERFILE", "MAESTRO_BUILD_TARGET", "MAESTRO_BUILDER"] {
        let value = match other {
            "MAESTRO_BUILD" => "dockerfile",
            "MAESTRO_BUILDER" => "heroku/builder:24",
            _ => "release",
        };
        let (location, message, hint) = refused(&[("MAESTRO_IMAGE", "ghcr.io/acme/shop:1"), (other, value)]);
        assert_eq!(location, "MAESTRO_IMAGE");
        assert_eq!(message, format!("MAESTRO_IMAGE deploys an image built elsewhere, but {other} is set for a build"));
        assert_eq!(hint, format!("unset {other}, or unset MAESTRO_IMAGE to build the app"));
    }
}

#[test]
fn buildpacks_with_a_dockerfile_setting_or_a_builder_with_a_dockerfile_are_bad_input() {
    let (location, message, _) = refused(&[("MAESTRO_BUILD", "buildpacks"), ("MAESTRO_BUILD_TARGET", "web")]);
    assert_eq!(
        (location.as_str(), message.as_str()),
        ("MAESTRO_BUILD", "MAESTRO_BUILD=buildpacks, but MAESTRO_BUILD_TARGET is set for a Dockerfile build")
    );
    let (location, message, _) = refused(&[("MAESTRO_BUILD", "dockerfile"), ("MAESTRO_BUILDER", "heroku/builder:24")]);
    assert_eq!(location, "MAESTRO_BUILDER");
    assert_eq!(message, "MAESTRO_BUILDER names a buildpacks builder, but MAESTRO_BUILD asks for a Dockerfile build");
}

#[test]
fn bad_values_name_their_variable() {
    for (name, value) in [
        ("MAESTRO_BUILD", "docker"),
        ("MAESTRO_DOCKERFILE", "../Dockerfile"),
        ("MAESTRO_BUILD_TARGET", "two words"),
        ("MAESTRO_IMAGE", "nginx:latest"),
    ] {
        let (location, _, _) = refused(&[(name, value)]);
        assert_eq!(location, name);
    }
}
