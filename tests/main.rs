//! The integration tests, as one binary (faster to build on a 2-core CI).

mod common;
mod draw;
mod holidays;
mod json;
mod survey;
mod validate;
