//! briefbot: a briefing bot that answers from a curated news corpus, every sentence cited.
//!
//! - [`core`]: the corpus core (loading, index, language work, answers). No chat SDK, no
//!   HTTP, no environment, no clock.
//! - [`command`]: the one command parser shared by every adapter.
//! - [`dispatch`]: message text in, structured [`core::answer::Answer`] out.
//! - [`render`]: answers to plain text, JSON, Telegram HTML and Discord markdown.
//! - [`adapters`]: console, Telegram and Discord front ends (the SDKs behind features).
//! - [`config`]: configuration files and environment overrides.
//! - `digest`, `alerts` (feature `runtime`): daily digests and topic alerts, with their
//!   SQLite store.
//! - [`state`]: where user state lives (SQLite by default, PostgreSQL for replicas).

pub mod adapters;
#[cfg(feature = "runtime")]
pub mod alerts;
pub mod bench;
pub mod command;
pub mod config;
pub mod core;
#[cfg(feature = "runtime")]
pub mod digest;
pub mod dispatch;
#[cfg(feature = "runtime")]
pub mod gate;
#[cfg(feature = "serve")]
pub mod http;
pub mod ids;
#[cfg(feature = "runtime")]
pub mod ingest;
pub mod metrics;
pub mod rate;
pub mod render;
pub mod state;
