//! `--confirm <environment>`: a destroy deletes only when told the environment's name, the
//! marker's value (`<slug>-<branch>`, the names' base), so a command copied from another branch's
//! job cannot destroy this one.

use crate::input::Location;
use crate::input_error::InputError;

/// `None` when `given` names `environment`; otherwise the problem, naming the flag and the fix.
pub fn check(given: Option<&str>, environment: &str) -> Option<InputError> {
    let message = match given {
        Some(given) if given == environment => return None,
        Some(given) => format!("`{given}` is not this environment: it is `{environment}`; nothing was deleted"),
        None => format!("destroy deletes environment `{environment}` only when confirmed; nothing was deleted"),
    };
    Some(InputError::new(
        Location::Flag("--confirm"),
        message,
        format!("read the list above, then run again with `--confirm {environment}`"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_environments_own_name_confirms() {
        assert!(check(Some("acme-shop-main"), "acme-shop-main").is_none());
        for given in [None, Some("acme-shop-main-next"), Some("ACME-shop-main"), Some("")] {
            let problem = check(given, "acme-shop-main").expect("not confirmed");
            assert!(problem.hint.contains("--confirm acme-shop-main"), "{problem:?}");
        }
    }
}
