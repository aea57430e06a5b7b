//! Renderers: one structured answer, several faces. Each stays within its platform's limits.

pub mod discord;
pub mod json;
pub mod plain;
pub mod telegram;
