use super::*;
use crate::spec::procfile;

fn app(procfile_text: &str) -> App {
    App {
        procfile: procfile::parse("Procfile", procfile_text).unwrap(),
        procfile_path: "Procfile".into(),
        schedule_file: None,
        project_builder: None,
        base_task_definitions: Default::default(),
        source_dir: ".".into(),
        image_source: Default::default(),
        image_source_note: None,
    }
}

#[test]
fn a_procfile_test_process_turns_the_phase_on_unless_told_otherwise() {
    let with_test = app("web: bin/web\ntest: bundle exec rspec\n");
    let on = plan(&TestSettings::default(), &with_test, false).unwrap().unwrap();
    assert_eq!(on.command, "bundle exec rspec");
    assert_eq!(on.source, "Procfile:2");
    let off = TestSettings { enabled: Some(false), ..TestSettings::default() };
    assert_eq!(plan(&off, &with_test, false).unwrap(), None);
    // `maestro test` runs it whatever MAESTRO_TEST says.
    assert!(plan(&off, &with_test, true).unwrap().is_some());
    assert_eq!(plan(&TestSettings::default(), &app("web: bin/web\n"), false).unwrap(), None);
}

#[test]
fn the_command_variable_wins_over_the_procfile() {
    let settings = TestSettings {
        enabled: Some(true),
        command: Some("make check".into()),
        runner: Some(Runner::Ecs),
        ..TestSettings::default()
    };
    let planned = plan(&settings, &app("web: bin/web\ntest: rspec\n"), false).unwrap().unwrap();
    assert_eq!((planned.command.as_str(), planned.source.as_str()), ("make check", "MAESTRO_TEST_COMMAND"));
    assert_eq!(planned.runner, Some(Runner::Ecs));
}

#[test]
fn turned_on_without_a_command_is_bad_input_naming_the_fix() {
    let on = TestSettings { enabled: Some(true), ..TestSettings::default() };
    let error = format!("{:?}", plan(&on, &app("web: bin/web\n"), false).unwrap_err());
    assert!(error.contains("MAESTRO_TEST"), "{error}");
    assert!(error.contains("there is no test command"), "{error}");
    assert!(error.contains("`test:` line to Procfile"), "{error}");
    assert!(error.contains("MAESTRO_TEST_COMMAND"), "{error}");
}

#[test]
fn test_images_are_never_tagged_like_a_deployable_one() {
    assert_eq!(test_tag("abc12345"), "test-abc12345");
    assert_eq!(passed_tag("abc12345"), "tested-abc12345");
    assert_ne!(test_tag("abc12345"), "abc12345");
}
