//! Identifiers: public string ids chosen by the organiser.
//!
//! Solvers never see these strings: the crate maps them once to dense
//! `u32` indices. Ids are ordered by value, which is what makes every output
//! independent of the order in which the input lists things.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps a string as an id. Any string is accepted here; an empty
            /// one is reported by validation.
            pub fn new(id: impl Into<String>) -> Self {
                Self(Arc::from(id.into()))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(Arc::from(s))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id! {
    /// An agent (employee) of the organisation, e.g. `"denise.m"`.
    AgentId
}
string_id! {
    /// A service (organisational unit), e.g. `"etat-civil"`.
    ServiceId
}
string_id! {
    /// A host slot offered by a host agent, e.g. `"veronique-2025-03-04-am"`.
    HostSlotId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_by_value_and_display_plainly() {
        let mut v = vec![AgentId::new("b"), AgentId::new("a"), AgentId::new("ab")];
        v.sort();
        assert_eq!(v, ["a", "ab", "b"].map(AgentId::from));
        assert_eq!(ServiceId::new("ccas").to_string(), "ccas");
        let json = serde_json::to_string(&HostSlotId::new("h1")).unwrap();
        assert_eq!(json, "\"h1\"");
    }
}
