//! The versioned JSON documents: editions and outcomes.
