//! The integration tests, as one binary (faster to build on a 2-core CI).
// Helpers outside `#[test]` functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::unreadable_literal)]

mod aggregate;
mod common;
mod comms;
mod draw;
mod fallback;
mod history;
mod holidays;
mod html;
mod ics;
mod joinable;
mod json;
mod optimal;
mod participation;
mod presets;
mod reciprocal;
mod stable;
mod survey;
mod validate;
