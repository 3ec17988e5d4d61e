//! AWS's own words for the few closed choices maestro makes or compares: a load balancer's
//! scheme, a listener's protocol, a capacity provider, a launch type, where tasks get their tags.
//!
//! Each is written and serialised exactly as AWS spells it, so the plan's JSON is what it was when
//! these were strings; the shell's adapters turn them into SDK enums with a `match`, and what they
//! read back becomes `None` when AWS answers with something maestro never sets.

use std::fmt;

use serde::{Serialize, Serializer};

/// An enum of AWS words: its variants, their spelling, `as_str`, `from_name`, `Display` and a
/// `Serialize` that writes the word.
macro_rules! aws_words {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $word:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            /// The value AWS (or a validated setting) spells `word`; `None` for any other word.
            pub fn from_name(word: &str) -> Option<Self> {
                match word {
                    $($word => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

aws_words! {
    /// Who can reach a load balancer (`ALB_SCHEME`); AWS cannot change it on an existing one.
    #[derive(Default)]
    Scheme {
        /// The original's default.
        #[default]
        InternetFacing = "internet-facing",
        Internal = "internal",
    }
}

aws_words! {
    /// The protocol of the listener that forwards to the app: HTTPS with a certificate, else HTTP.
    ListenerProtocol {
        Http = "HTTP",
        Https = "HTTPS",
    }
}

aws_words! {
    /// A Fargate capacity provider (`MAESTRO_CAPACITY_PROVIDER` picks the default one).
    #[derive(Default)]
    CapacityProvider {
        Fargate = "FARGATE",
        /// The original's default.
        #[default]
        FargateSpot = "FARGATE_SPOT",
    }
}

aws_words! {
    /// Where a scheduled task runs; maestro's always run on Fargate.
    LaunchType {
        Fargate = "FARGATE",
        Ec2 = "EC2",
        External = "EXTERNAL",
    }
}

aws_words! {
    /// Where a task's tags come from; maestro's take the task definition's.
    PropagateTags {
        TaskDefinition = "TASK_DEFINITION",
        Service = "SERVICE",
        /// Not propagated (AWS's `NONE`).
        Off = "NONE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_is_spelled_as_aws_spells_it_both_ways() {
        let words = [
            (Scheme::InternetFacing.as_str(), Scheme::from_name("internet-facing").map(Scheme::as_str)),
            (Scheme::Internal.as_str(), Scheme::from_name("internal").map(Scheme::as_str)),
            (ListenerProtocol::Https.as_str(), ListenerProtocol::from_name("HTTPS").map(ListenerProtocol::as_str)),
            (
                CapacityProvider::FargateSpot.as_str(),
                CapacityProvider::from_name("FARGATE_SPOT").map(CapacityProvider::as_str),
            ),
            (LaunchType::External.as_str(), LaunchType::from_name("EXTERNAL").map(LaunchType::as_str)),
            (PropagateTags::Off.as_str(), PropagateTags::from_name("NONE").map(PropagateTags::as_str)),
        ];
        for (word, parsed) in words {
            assert_eq!(Some(word), parsed);
        }
        assert_eq!(serde_json::to_value(ListenerProtocol::Http).unwrap(), "HTTP");
        assert_eq!(CapacityProvider::Fargate.to_string(), "FARGATE");
        assert_eq!(Scheme::from_name("Internal"), None, "the spelling is AWS's, exactly");
        assert_eq!(
            (Scheme::default(), CapacityProvider::default()),
            (Scheme::InternetFacing, CapacityProvider::FargateSpot)
        );
    }
}
