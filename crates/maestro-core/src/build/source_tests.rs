use super::*;

fn files(has_dockerfile: bool, has_project_toml: bool, builder_set: bool) -> SourceFiles {
    SourceFiles { dockerfile: "Dockerfile".into(), has_dockerfile, has_project_toml, builder_set }
}

fn dockerfile(detected: bool) -> Source {
    Source::Dockerfile(DockerfileBuild { file: "Dockerfile".into(), target: None, detected })
}

#[test]
fn a_dockerfile_without_project_toml_or_builder_is_detected_and_said() {
    let (source, note) = resolve(&SourceChoice::Detect, &files(true, false, false)).unwrap();
    assert_eq!(source, dockerfile(true));
    assert_eq!(
        note.unwrap(),
        "`Dockerfile` found and no project.toml: the image is built from the Dockerfile (set MAESTRO_BUILD=buildpacks to build with buildpacks)"
    );
    // project.toml, MAESTRO_BUILDER or no Dockerfile: the buildpacks, as before.
    for facts in [files(true, true, false), files(true, false, true), files(false, false, false)] {
        assert_eq!(resolve(&SourceChoice::Detect, &facts).unwrap(), (Source::Buildpacks, None), "{facts:?}");
    }
    assert_eq!(resolve(&SourceChoice::Buildpacks, &files(true, false, false)).unwrap().0, Source::Buildpacks);
}

#[test]
fn a_dockerfile_build_without_the_dockerfile_is_bad_input_naming_the_variable() {
    let choice =
        SourceChoice::Dockerfile { file: None, target: Some("web".into()), set: Location::variable("MAESTRO_BUILD") };
    let error = resolve(&choice, &files(false, false, false)).unwrap_err();
    assert_eq!(*error.location, Location::variable("MAESTRO_BUILD"));
    assert_eq!(error.message, "a Dockerfile build is asked for, but there is no `Dockerfile`");
    assert!(error.hint.contains("MAESTRO_DOCKERFILE"), "{}", error.hint);
    let (source, note) = resolve(&choice, &files(true, true, false)).unwrap();
    assert_eq!(
        source,
        Source::Dockerfile(DockerfileBuild { file: "Dockerfile".into(), target: Some("web".into()), detected: false })
    );
    assert!(note.is_none());
}

#[test]
fn prebuilt_images_by_tag_or_digest() {
    let tagged = parse_prebuilt("MAESTRO_IMAGE", " ghcr.io/acme/shop:1.4.2 ").unwrap();
    assert_eq!(tagged.repository.name(), "ghcr.io/acme/shop");
    assert_eq!(tagged.reference, "1.4.2");
    assert_eq!(tagged.uri(), "ghcr.io/acme/shop:1.4.2");
    let digest = format!("sha256:{}", "a1".repeat(32));
    let pinned = parse_prebuilt("MAESTRO_IMAGE", &format!("127.0.0.1:5000/acme/shop@{digest}")).unwrap();
    assert_eq!(pinned.repository.host, "127.0.0.1:5000");
    assert_eq!(pinned.reference, digest);
    assert_eq!(pinned.uri(), format!("127.0.0.1:5000/acme/shop@{digest}"));
}

#[test]
fn a_bad_image_reference_points_at_its_part() {
    let cases = [
        ("ghcr.io/acme/shop", "the image has no tag or digest", 1),
        ("127.0.0.1:5000/acme/shop", "the image has no tag or digest", 1),
        ("ghcr.io/acme/shop:-x", "`-x` is not a tag", 19),
        ("ghcr.io/acme/shop@sha256:abc", "`sha256:abc` is not a `sha256:` digest of 64 hex digits", 19),
        ("nginx:1.27", "there is no registry host before the repository's path", 1),
        ("library/nginx:1.27", "`library` is not a registry host (Docker Hub is not supported here)", 1),
        ("ghcr.io/Acme/shop:1", "`Acme` is not a valid repository path component", 9),
    ];
    for (text, message, column) in cases {
        let error = parse_prebuilt("MAESTRO_IMAGE", text).unwrap_err();
        assert!(error.message.starts_with(message), "{text}: {}", error.message);
        assert_eq!(error.column, Some(column), "{text}");
        assert_eq!(error.excerpt.as_deref(), Some(text));
        assert!(error.hint.contains("ghcr.io/acme/shop:1.4.2"), "{text}");
    }
}

#[test]
fn commands_for_the_launcher_and_for_an_image_of_its_own() {
    let line = "bundle exec puma -C config/puma.rb";
    assert_eq!(Launch::CnbLauncher.process_command(line), None);
    assert_eq!(
        Launch::ImageEntryPoint.process_command(line).unwrap(),
        ["/bin/sh", "-c", "bundle exec puma -C config/puma.rb"]
    );
    assert_eq!(Launch::ImageEntryPoint.process_command(" "), None, "no Procfile: the image's own CMD");
    assert_eq!(Launch::CnbLauncher.scheduled_command("rake feed"), ["rake feed"]);
    assert_eq!(Launch::ImageEntryPoint.scheduled_command("rake feed"), ["/bin/sh", "-c", "rake feed"]);
    let one = ["rake db:migrate && rake seed".to_owned()];
    let many = ["rake".to_owned(), "db:migrate".to_owned()];
    assert_eq!(Launch::CnbLauncher.one_off_command(&one), one);
    assert_eq!(Launch::ImageEntryPoint.one_off_command(&one), ["/bin/sh", "-c", "rake db:migrate && rake seed"]);
    assert_eq!(Launch::ImageEntryPoint.one_off_command(&many), many);
}

#[test]
fn the_plan_json_names_the_source() {
    let value = serde_json::to_value(dockerfile(true)).unwrap();
    assert_eq!(value, json!({"kind": "dockerfile", "file": "Dockerfile", "target": null, "detected": true}));
    let image = Source::Prebuilt(parse_prebuilt("MAESTRO_IMAGE", "ghcr.io/acme/shop:2").unwrap());
    assert_eq!(serde_json::to_value(image).unwrap(), json!({"kind": "image", "image": "ghcr.io/acme/shop:2"}));
    assert_eq!(serde_json::to_value(Source::Buildpacks).unwrap(), json!({"kind": "buildpacks"}));
}
