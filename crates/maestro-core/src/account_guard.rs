//! What maestro checks of the account its credentials belong to, once AWS has said which:
//! `MAESTRO_ALLOWED_ACCOUNT_IDS` (the action's `allowed-account-ids`, as configure-aws-credentials
//! names it) refuses any other account before any write, and `MAESTRO_MASK_AWS_ACCOUNT_ID`
//! (`mask-aws-account-id`) hides the account's id in the GitHub job's log from then on.

use crate::env::Env;
use crate::input::Location;
use crate::input::vars::{MAESTRO_ALLOWED_ACCOUNT_IDS, MAESTRO_MASK_AWS_ACCOUNT_ID};
use crate::input_error::InputError;
use crate::types::AccountId;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountGuard {
    /// The accounts a run may use, in the order given; empty allows any.
    allowed: Vec<AccountId>,
    /// The list as written, for the error that names it.
    written: Option<(Location, String)>,
    /// Whether the account's id is masked in the job's log.
    pub mask: bool,
}

impl AccountGuard {
    /// The two settings, checked before any AWS call: each id of the list (commas, spaces
    /// allowed around them) must be twelve digits.
    pub fn from_env(env: &Env) -> Result<Self, InputError> {
        let mask = match env.get(MAESTRO_MASK_AWS_ACCOUNT_ID).map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(InputError::new(
                    env.location(MAESTRO_MASK_AWS_ACCOUNT_ID),
                    format!("`{other}` is not `true` or `false`"),
                    "write `true` to hide the account's id in the job's log, or `false`",
                ));
            }
        };
        let Some(text) = env.get(MAESTRO_ALLOWED_ACCOUNT_IDS) else {
            return Ok(Self { mask, ..Self::default() });
        };
        let location = env.location(MAESTRO_ALLOWED_ACCOUNT_IDS);
        let mut allowed = Vec::new();
        let mut at = 0;
        for item in text.split(',') {
            let id = item.trim();
            let start = at + (item.len() - item.trim_start().len());
            at += item.len() + 1;
            if id.is_empty() {
                continue;
            }
            let parsed = AccountId::parse(id).map_err(|invalid| {
                InputError::at(location.clone(), text, start..start + id.len(), invalid.message, invalid.hint)
            })?;
            allowed.push(parsed);
        }
        if allowed.is_empty() {
            return Err(InputError::new(
                location,
                "no account id is listed",
                "list the accounts this job may deploy to, e.g. `123456789012,210987654321`, or unset it",
            ));
        }
        Ok(Self { allowed, written: Some((location, text.to_owned())), mask })
    }

    /// `account` (what STS answered) against the list: another account is bad input, exit 2,
    /// before any write.
    pub fn check(&self, account: &AccountId) -> Result<(), InputError> {
        let Some((location, text)) = &self.written else { return Ok(()) };
        if self.allowed.contains(account) {
            return Ok(());
        }
        Err(InputError::new(
            location.clone(),
            format!("the credentials belong to account {account}, which `{text}` does not list"),
            "use the role of a listed account, or add this one to the list if it is meant; nothing was changed",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(pairs: &[(&str, &str)]) -> Result<AccountGuard, InputError> {
        AccountGuard::from_env(&Env::from_process(pairs.iter().copied()))
    }

    fn account(id: &str) -> AccountId {
        AccountId::parse(id).unwrap()
    }

    #[test]
    fn unset_allows_any_account_and_masks_nothing() {
        let open = guard(&[]).unwrap();
        assert!(!open.mask);
        assert!(open.check(&account("123456789012")).is_ok());
    }

    #[test]
    fn a_listed_account_passes_and_another_is_refused_naming_both() {
        let allowed = guard(&[("MAESTRO_ALLOWED_ACCOUNT_IDS", "111111111111, 222222222222")]).unwrap();
        assert!(allowed.check(&account("222222222222")).is_ok());
        let refused = allowed.check(&account("333333333333")).unwrap_err().render();
        assert!(refused.contains("MAESTRO_ALLOWED_ACCOUNT_IDS"), "{refused}");
        assert!(
            refused.contains("account 333333333333, which `111111111111, 222222222222` does not list"),
            "{refused}"
        );
    }

    #[test]
    fn a_malformed_id_is_shown_where_it_is() {
        let error = guard(&[("MAESTRO_INPUT_MAESTRO_ALLOWED_ACCOUNT_IDS", "111111111111,12345")]).unwrap_err();
        assert_eq!((error.column, error.width), (Some(14), 5));
        assert!(error.render().contains("`12345` is not a 12-digit AWS account id"), "{}", error.render());
        assert!(guard(&[("MAESTRO_ALLOWED_ACCOUNT_IDS", " , ")]).is_err(), "an empty list");
    }

    #[test]
    fn masking_is_true_or_false() {
        assert!(guard(&[("MAESTRO_MASK_AWS_ACCOUNT_ID", "true")]).unwrap().mask);
        assert!(guard(&[("MAESTRO_MASK_AWS_ACCOUNT_ID", "yes")]).is_err());
    }
}
