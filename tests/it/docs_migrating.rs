//! docs/migrating.md: every value the bash maestro accepted that maestro refuses or reads
//! differently has a row, and every input a row names is one maestro documents and reads.

use maestro_core::input::vars;

use crate::support::repository_root;

/// The rows of the page's table of values: its cells, header and rule left out.
fn rows(page: &str) -> Vec<Vec<String>> {
    let section = page.split("## Values refused or read differently").nth(1).unwrap_or_default();
    let section = section.split("\n## ").next().unwrap_or_default();
    section
        .lines()
        .filter(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| line.trim().trim_matches('|').split('|').map(|cell| cell.trim().to_owned()).collect())
        .collect()
}

/// The variable names in `cell`'s code spans: `NAME` or `NAME=value`, upper case.
fn variables(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|code| {
            let name = code.split('=').next().unwrap_or_default();
            let upper = name.len() >= 3
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            upper.then(|| name.to_owned())
        })
        .collect()
}

#[test]
fn every_row_says_what_the_original_did_what_maestro_does_and_what_to_write() {
    let page = std::fs::read_to_string(repository_root().join("docs/migrating.md")).unwrap();
    let rows = rows(&page);
    assert!(rows.len() >= 20, "the table of values has {} rows: is `rows` still finding it?", rows.len());
    for row in &rows {
        assert_eq!(row.len(), 4, "a row is value | original | maestro | instead: {row:?}");
        assert!(row.iter().all(|cell| !cell.is_empty()), "a row leaves a cell empty: {row:?}");
    }
}

#[test]
fn every_input_the_migration_table_names_is_in_the_inputs_table() {
    let page = std::fs::read_to_string(repository_root().join("docs/migrating.md")).unwrap();
    let inputs = std::fs::read_to_string(repository_root().join("docs/inputs.md")).unwrap();
    let named: Vec<String> = rows(&page).iter().flatten().flat_map(|cell| variables(cell)).collect();
    assert!(named.len() >= 10, "only {named:?} found: is `variables` still reading the code spans?");
    let unknown: Vec<&String> = named
        .iter()
        .filter(|name| {
            let registered = vars::MAESTRO.iter().any(|variable| variable.name == name.as_str());
            let documented = inputs.lines().any(|line| line.starts_with(&format!("| `{name}` |")));
            !(registered && documented)
        })
        .collect();
    assert!(unknown.is_empty(), "docs/migrating.md names inputs that docs/inputs.md's tables lack: {unknown:?}");
}
