//! Validation of an edition: every problem at once, each with a stable code
//! and the ids involved.

use crate::Edition;

/// One problem found in an edition.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// An agent id is listed more than once.
    #[error("agent `{0}` is listed more than once")]
    DuplicateAgent(crate::AgentId),
}

impl Problem {
    /// A stable machine code, e.g. `"duplicate_agent"`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::DuplicateAgent(_) => "duplicate_agent",
        }
    }
}

/// Every problem found in an edition, sorted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the edition has {} problem(s)", problems.len())]
pub struct ValidationError {
    problems: Vec<Problem>,
}

impl ValidationError {
    /// The problems.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

/// Checks an edition and returns every problem found.
///
/// # Errors
///
/// A [`ValidationError`] listing every problem.
pub fn validate(edition: &Edition) -> Result<(), ValidationError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for a in &edition.agents {
        if !seen.insert(&a.id) {
            problems.push(Problem::DuplicateAgent(a.id.clone()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { problems })
    }
}
