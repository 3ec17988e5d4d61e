//! The one precedence rule: which of a variable's values counts when several layers set it.
//!
//! A flag beats an input of the GitHub Action, which beats the process environment, which beats
//! an env file (`--env-file`). A layer that sets a variable to the empty string does not hide a
//! lower one: CI templates and the action pass `""` for "not set".

use crate::env::{EnvValue, Origin};

/// A source of values, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    EnvFile,
    Process,
    ActionInput,
    Flag,
}

impl Origin {
    pub fn layer(&self) -> Layer {
        match self {
            Origin::EnvFile { .. } => Layer::EnvFile,
            Origin::Process => Layer::Process,
            Origin::ActionInput(_) => Layer::ActionInput,
            Origin::Flag(_) => Layer::Flag,
        }
    }
}

/// The value that counts among one variable's values: the strongest layer's non-empty one.
pub fn winner<'a>(values: impl IntoIterator<Item = &'a EnvValue>) -> Option<&'a EnvValue> {
    values.into_iter().filter(|value| !value.value.is_empty()).max_by_key(|value| value.origin.layer())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(value: &str, origin: &Origin) -> EnvValue {
        EnvValue { value: value.to_owned(), origin: origin.clone() }
    }

    /// Every layer, strongest first.
    fn layers() -> [Origin; 4] {
        [
            Origin::Flag("--branch"),
            Origin::ActionInput("branch"),
            Origin::Process,
            Origin::EnvFile { file: "maestro.env".into(), line: 2 },
        ]
    }

    #[test]
    fn the_stronger_layer_wins_every_pair_in_either_order() {
        let layers = layers();
        let mut pairs = 0;
        for (index, stronger) in layers.iter().enumerate() {
            for weaker in &layers[index + 1..] {
                let (high, low) = (set("high", stronger), set("low", weaker));
                for values in [[&high, &low], [&low, &high]] {
                    let won = winner(values).unwrap();
                    assert_eq!((won.value.as_str(), &won.origin), ("high", stronger), "{stronger:?} over {weaker:?}");
                }
                pairs += 1;
            }
        }
        assert_eq!(pairs, 6);
    }

    #[test]
    fn an_empty_value_never_hides_a_weaker_layer() {
        let layers = layers();
        let mut pairs = 0;
        for (index, stronger) in layers.iter().enumerate() {
            for weaker in &layers[index + 1..] {
                let (empty, low) = (set("", stronger), set("low", weaker));
                for values in [[&empty, &low], [&low, &empty]] {
                    let won = winner(values).unwrap();
                    assert_eq!(
                        (won.value.as_str(), &won.origin),
                        ("low", weaker),
                        "empty {stronger:?} over {weaker:?}"
                    );
                }
                pairs += 1;
            }
        }
        assert_eq!(pairs, 6);
        assert_eq!(winner([&set("", &Origin::Process)]), None, "empty everywhere is unset");
    }
}
