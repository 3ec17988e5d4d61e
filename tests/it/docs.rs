//! The documentation keeps up with the code.

use maestro_core::input::vars;

use crate::support::repository_root;

#[test]
fn every_variable_is_documented_in_the_input_reference() {
    let reference = std::fs::read_to_string(repository_root().join("docs/inputs.md")).unwrap();
    let missing: Vec<&str> = vars::MAESTRO
        .iter()
        .filter(|variable| variable.documented && !reference.contains(&format!("`{}`", variable.name)))
        .map(|variable| variable.name)
        .collect();
    assert!(missing.is_empty(), "docs/inputs.md does not document {missing:?}");
}

#[test]
fn the_readme_commands_are_the_ones_that_work() {
    let readme = std::fs::read_to_string(repository_root().join("README.md")).unwrap();
    assert!(
        readme
            .contains("cargo run --release -- plan --offline --app examples/shop --env-file examples/shop/maestro.env")
    );
    assert!(readme.contains("bash scripts/test.sh"));
    let ci = std::fs::read_to_string(repository_root().join(".ci/run")).unwrap();
    assert!(ci.contains("bash scripts/test.sh"), ".ci/run must call the README's test command");
}
