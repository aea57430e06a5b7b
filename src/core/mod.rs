//! The corpus core: loading, index, sentences, entities, dates, quotes, briefs, background.
//!
//! Invariant: nothing here knows about Telegram, Discord, HTTP, environment variables or
//! the clock. Callers pass `now` in; answers are structured data, never markup.

pub mod alert;
pub mod analysis;
pub mod answer;
pub mod brief;
pub mod corpus;
pub mod dates;
pub mod differ;
pub mod digest;
pub mod disk;
pub mod engine;
pub mod entities;
pub mod error;
pub mod furniture;
pub mod gazetteer;
pub mod heal;
pub mod index;
pub mod lang;
pub mod quotes;
pub mod sentences;
pub mod text;
