//! The corpus core: loading, index, sentences, entities, dates, quotes, briefs, background.
//!
//! Invariant: nothing here knows about Telegram, Discord, HTTP, environment variables or
//! the clock. Callers pass `now` in; answers are structured data, never markup.

pub mod answer;
