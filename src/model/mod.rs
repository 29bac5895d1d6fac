//! The plain serde types of the domain.

pub(crate) mod agent;
pub(crate) mod edition;
pub(crate) mod host_slot;
pub(crate) mod pairing;
pub(crate) mod policy;
pub(crate) mod service;
pub(crate) mod slot;
pub(crate) mod wish;
