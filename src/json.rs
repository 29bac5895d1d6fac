//! The versioned JSON documents: editions and outcomes.
//!
//! An edition document is the JSON form of an [`Edition`] with two tags in
//! front, and an outcome document the JSON form of an [`Outcome`]:
//!
//! ```json
//! { "format": "jobswap-edition", "version": 1, "name": "Vis mon job 2025", … }
//! { "format": "jobswap-outcome", "version": 1, "edition": "Vis mon job 2025", … }
//! ```
//!
//! Every field is described in `docs/FORMAT.md`, shipped with the crate.
//! Reading is strict: a document of another format or version, a field the
//! format does not know (a typo such as `"continuty_cap"`), a value of the
//! wrong type or invalid JSON is a [`JsonError`] saying what and where (line
//! and column), never a panic and never a silently ignored field.
//!
//! # Stability
//!
//! [`FORMAT_VERSION`] changes when a document valid for one version would be
//! refused, or read with another meaning, by the next: a field removed,
//! renamed or retyped, a default changed. Adding an optional field whose
//! default keeps the old meaning does not change it (older versions of the
//! crate refuse the new field rather than ignore it). A document written by
//! this crate at version 1 is read by every later release that reads
//! version 1.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Edition, Outcome};

/// The `format` tag of an edition document.
pub const EDITION_FORMAT: &str = "jobswap-edition";

/// The `format` tag of an outcome document.
pub const OUTCOME_FORMAT: &str = "jobswap-outcome";

/// The `version` tag written, and the only one read, by this release.
pub const FORMAT_VERSION: u32 = 1;

const FORMAT_TAG: &str = "format";
const VERSION_TAG: &str = "version";

/// Why a document could not be read.
///
/// Positions are 1-based lines and columns of the input text, `0` when
/// unknown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// The text is not JSON (or is truncated, or nests too deep).
    #[error("invalid json at line {line}, column {column}: {message}")]
    Syntax {
        /// What the JSON parser reports.
        message: String,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// The document is JSON, but not an object.
    #[error("the document is a json {found}, not an object")]
    NotAnObject {
        /// The kind of JSON value found: `array`, `string`, `number`,
        /// `boolean` or `null`.
        found: &'static str,
    },
    /// The document has no `format` tag.
    #[error("the document has no `format` tag (expected `\"format\": \"{expected}\"`)")]
    MissingFormat {
        /// The format expected.
        expected: &'static str,
    },
    /// The document's `format` tag names another kind of document.
    #[error("the document's format is `{found}`, expected `{expected}`")]
    WrongFormat {
        /// The tag found (its JSON text if it is not a string).
        found: String,
        /// The format expected.
        expected: &'static str,
    },
    /// The document has no `version` tag.
    #[error("the document has no `version` tag (this release reads version {supported})")]
    MissingVersion {
        /// The version this release reads.
        supported: u32,
    },
    /// The `version` tag is not a non-negative integer.
    #[error("the document's version `{found}` is not a non-negative integer")]
    InvalidVersion {
        /// The tag found, as JSON text.
        found: String,
    },
    /// The document's version is one this release does not read.
    #[error("format version {found} is not supported (this release reads version {supported})")]
    UnsupportedVersion {
        /// The version found.
        found: u64,
        /// The version this release reads.
        supported: u32,
    },
    /// The document does not fit the format: an unknown field, a missing
    /// field, a value of the wrong type or out of range.
    #[error("invalid {format} document at line {line}, column {column}: {message}")]
    Data {
        /// The format being read.
        format: &'static str,
        /// What is wrong, naming the field (serde's message).
        message: String,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
}

impl JsonError {
    /// The line and column of the error in the input, where known.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            JsonError::Syntax { line, column, .. } | JsonError::Data { line, column, .. }
                if *line > 0 =>
            {
                Some((*line, *column))
            }
            _ => None,
        }
    }

    fn from_serde(err: &serde_json::Error, format: &'static str) -> JsonError {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        // serde_json appends " at line L column C" to its message; the
        // position has its own fields here.
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        match err.classify() {
            serde_json::error::Category::Data => JsonError::Data {
                format,
                message,
                line,
                column,
            },
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => JsonError::Syntax {
                message,
                line,
                column,
            },
        }
    }
}

/// Reads an edition document.
///
/// # Errors
///
/// - [`JsonError::Syntax`] if `text` is not JSON;
/// - [`JsonError::NotAnObject`] if it is not a JSON object;
/// - [`JsonError::MissingFormat`] or [`JsonError::WrongFormat`] if its
///   `format` tag is not [`EDITION_FORMAT`];
/// - [`JsonError::MissingVersion`], [`JsonError::InvalidVersion`] or
///   [`JsonError::UnsupportedVersion`] if its `version` tag is not
///   [`FORMAT_VERSION`];
/// - [`JsonError::Data`] if a field is unknown, missing, of the wrong type
///   or out of range; the message names the field.
///
/// The edition is read, not validated: [`crate::Instance::new`] checks
/// that its ids, dates and caps make sense.
///
/// # Examples
///
/// ```
/// use jobswap::json::{JsonError, read_edition};
///
/// let edition = read_edition(r#"{
///     "format": "jobswap-edition", "version": 1,
///     "name": "Vis mon job 2025", "start": "2025-03-03", "end": "2025-04-30",
///     "public_holidays": "france",
///     "policy": { "strategy": "draw", "seed": "2025" },
///     "services": [{ "id": "accueil-hdv", "name": "Accueil de l'hôtel de ville" }],
///     "agents": [{ "id": "denise", "name": "Denise", "service": "accueil-hdv", "visits": true }]
/// }"#)?;
/// assert_eq!(edition.policy.seed.get(), 2025);
/// assert_eq!(edition.services[0].continuity_cap, 1); // the default
///
/// let typo = read_edition(r#"{ "format": "jobswap-edition", "version": 1,
///     "name": "e", "start": "2025-03-03", "end": "2025-03-03",
///     "services": [], "agents": [], "sevices": [] }"#);
/// assert!(matches!(typo, Err(JsonError::Data { ref message, .. }) if message.contains("`sevices`")));
///
/// let future = read_edition(r#"{ "format": "jobswap-edition", "version": 2 }"#);
/// assert_eq!(future, Err(JsonError::UnsupportedVersion { found: 2, supported: 1 }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_edition(text: &str) -> Result<Edition, JsonError> {
    read(text, EDITION_FORMAT)
}

/// Writes an edition document, pretty-printed, tags first.
///
/// Fields at their default are written too (empty lists of unavailable
/// dates and the like excepted), so the document shows every setting.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::json::{read_edition, write_edition};
/// use jobswap::{Agent, Edition, Service};
///
/// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
/// let edition = Edition::new("Vis mon job 2025", d(3), d(31))
///     .service(Service::new("ccas", "Accueil du CCAS"))
///     .agent(Agent::new("ana", "Ana", "ccas").visits(true));
/// let text = write_edition(&edition);
/// assert!(text.starts_with("{\n  \"format\": \"jobswap-edition\",\n  \"version\": 1,"));
/// assert_eq!(read_edition(&text)?, edition);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_edition(edition: &Edition) -> String {
    write(edition, EDITION_FORMAT)
}

/// Reads an outcome document.
///
/// # Errors
///
/// As [`read_edition`], with [`OUTCOME_FORMAT`] as the expected format.
///
/// # Examples
///
/// ```
/// use jobswap::json::{read_outcome, write_outcome};
/// use jobswap::{Edition, Instance};
///
/// let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
/// let outcome = Instance::new(Edition::new("e", d, d))?.solve();
/// assert_eq!(read_outcome(&write_outcome(&outcome))?, outcome);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_outcome(text: &str) -> Result<Outcome, JsonError> {
    read(text, OUTCOME_FORMAT)
}

/// Writes an outcome document, pretty-printed, tags first.
pub fn write_outcome(outcome: &Outcome) -> String {
    write(outcome, OUTCOME_FORMAT)
}

/// The document as written: the two tags, then the body's own fields.
#[derive(Serialize)]
struct Doc<'a, T> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    body: &'a T,
}

fn write<T: Serialize>(body: &T, format: &'static str) -> String {
    let doc = Doc {
        format,
        version: FORMAT_VERSION,
        body,
    };
    // Cannot fail: editions and outcomes hold no map with non-string keys,
    // and their only hand-written `Serialize` (`Seed`) never errs.
    serde_json::to_string_pretty(&doc).expect("editions and outcomes always serialise to JSON")
}

/// Reads a document in two passes.
///
/// The first parses it into a [`Value`] to report syntax errors and check
/// the tags before anything else (a document of another format or version
/// gets that error, not a confusing one about its fields). The second
/// deserialises the body straight from the text, so that the errors about
/// fields keep their line and column, which `serde_json::from_value` would
/// lose.
fn read<T>(text: &str, format: &'static str) -> Result<T, JsonError>
where
    T: for<'de> Deserialize<'de>,
{
    let value: Value = serde_json::from_str(text).map_err(|e| JsonError::from_serde(&e, format))?;
    check_tags(&value, format)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let body = WithoutTags::<T>(PhantomData)
        .deserialize(&mut de)
        .and_then(|body| de.end().map(|()| body))
        .map_err(|e| JsonError::from_serde(&e, format))?;
    Ok(body)
}

fn check_tags(value: &Value, format: &'static str) -> Result<(), JsonError> {
    let map = match value {
        Value::Object(map) => map,
        Value::Array(_) => return Err(JsonError::NotAnObject { found: "array" }),
        Value::String(_) => return Err(JsonError::NotAnObject { found: "string" }),
        Value::Number(_) => return Err(JsonError::NotAnObject { found: "number" }),
        Value::Bool(_) => return Err(JsonError::NotAnObject { found: "boolean" }),
        Value::Null => return Err(JsonError::NotAnObject { found: "null" }),
    };
    match map.get(FORMAT_TAG) {
        None => return Err(JsonError::MissingFormat { expected: format }),
        Some(Value::String(s)) if s == format => {}
        Some(Value::String(s)) => {
            return Err(JsonError::WrongFormat {
                found: s.clone(),
                expected: format,
            });
        }
        Some(other) => {
            return Err(JsonError::WrongFormat {
                found: other.to_string(),
                expected: format,
            });
        }
    }
    match map.get(VERSION_TAG) {
        None => Err(JsonError::MissingVersion {
            supported: FORMAT_VERSION,
        }),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
            Some(v) => Err(JsonError::UnsupportedVersion {
                found: v,
                supported: FORMAT_VERSION,
            }),
            None => Err(JsonError::InvalidVersion {
                found: n.to_string(),
            }),
        },
        Some(other) => Err(JsonError::InvalidVersion {
            found: other.to_string(),
        }),
    }
}

/// Deserialises a `T` from a JSON object whose `format` and `version`
/// members (already checked) are skipped, reading the text directly.
struct WithoutTags<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for WithoutTags<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for WithoutTags<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(SkipTags { inner: map }))
    }
}

/// A map that hides the tag members from the body's deserialiser, so that
/// its `deny_unknown_fields` sees only the body's own fields.
struct SkipTags<A> {
    inner: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SkipTags<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<String>()? else {
                return Ok(None);
            };
            if key == FORMAT_TAG || key == VERSION_TAG {
                self.inner.next_value::<IgnoredAny>()?;
                continue;
            }
            return seed
                .deserialize(StringDeserializer::<A::Error>::new(key))
                .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_error_has_its_position() {
        let text =
            "{\"format\": \"jobswap-edition\", \"version\": 1,\n\"name\": \"e\",\n\"colour\": 3}";
        let err = read_edition(text).unwrap_err();
        let JsonError::Data { message, line, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(message.contains("unknown field `colour`"), "{message}");
        assert_eq!(*line, 3);
        assert!(
            err.to_string()
                .starts_with("invalid jobswap-edition document at line 3")
        );
    }

    #[test]
    fn syntax_error_has_its_position() {
        let err = read_edition("{\n  \"format\": ,\n}").unwrap_err();
        assert!(matches!(err, JsonError::Syntax { line: 2, .. }), "{err:?}");
        assert_eq!(err.position().map(|p| p.0), Some(2));
    }
}
