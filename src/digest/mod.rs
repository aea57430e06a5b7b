//! Daily digests: subscriptions, the schedule and the fan-out to every subscribed chat.
//!
//! - [`service::DigestService`]: what adapters call for `/subscribe`, `/unsubscribe`,
//!   `/subscription` and `/digest` (and, through [`service::DigestService::respond`], for
//!   every other command too, which it hands to the answerer).
//! - [`store::Store`]: subscriptions, per-chat settings and the delivery log keyed
//!   `(platform, chat, digest_date)` UNIQUE, in the SQLite file `<data>/briefbot.sqlite3`
//!   (WAL) or, for replicas, in PostgreSQL (`[state] url`; see [`store`]).
//! - [`schedule`]: local times in IANA zones to instants, across DST changes; the [`Clock`].
//! - [`scheduler::Scheduler`]: the only part that reads the clock; wakes at each slot, sends
//!   what is due, catches up after downtime and resumes an interrupted fan-out.
//! - [`fanout`]: pacing (a token bucket per platform), 429s, retries, gone chats.
//! - [`outage`]: a platform failing for everybody: one shared backoff up to a ceiling, one
//!   probe at a time, the rest when it recovers.
//! - [`bench`]: compose + fan-out to 10,000 chats against a fake rate-limited platform.
//!
//! Composition itself is pure and lives in [`crate::core::digest`].
//!
//! # Exactly once
//!
//! A digest is keyed by the chat and its *local* date. Before each send the fan-out claims
//! the key in the delivery log (`state = 'sending'`, committed), and marks it `'sent'` after
//! the platform accepted the message. The UNIQUE key means no second claim can succeed for
//! the same day, whatever restarts or overlaps happen. Errors the platform reports before
//! accepting (429, transient failures) release the claim (`'retry'`) so that the same chat
//! is tried again: nothing is lost.
//!
//! A row still `'sending'` at start-up belonged to a fan-out that was killed while the
//! platform call was in flight: the message may or may not have been posted. Policy:
//! the sender's [`DigestSender::confirm`] is asked; `Delivered` marks it sent,
//! `NotDelivered` resends it, and `Unknown` (the default, e.g. Telegram, whose Bot API
//! cannot read a chat's history) marks it `'unknown'`: treated as sent and never resent.
//! A chat therefore never gets a day's digest twice; the window in which one could be
//! missed is the time between the claim's commit and the platform's acceptance of that one
//! message, and only when the process dies exactly then.

pub mod bench;
pub mod fanout;
pub mod outage;
pub mod schedule;
pub mod scheduler;
pub mod service;
pub mod settings;
pub mod store;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::core::answer::Answer;

pub use schedule::{Clock, SystemClock, TestClock};
pub use scheduler::Scheduler;
pub use service::{ChatContext, DigestService};
pub use settings::DigestSettings;
pub use store::Store;

/// The file name of the store in the data folder.
pub const STORE_FILE: &str = "briefbot.sqlite3";

/// A chat platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Telegram,
    Discord,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        match s {
            "telegram" => Some(Platform::Telegram),
            "discord" => Some(Platform::Discord),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a digest goes: a Telegram chat or a Discord channel. `(platform, chat_id)` is the
/// key of a subscription; `thread_id` (a Telegram forum topic) is where in the chat to post.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ChatRef {
    pub platform: Platform,
    /// The platform's id as text (Telegram's i64 chat id, Discord's channel snowflake).
    pub chat_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
}

impl ChatRef {
    pub fn new(platform: Platform, chat_id: impl Into<String>) -> Self {
        ChatRef { platform, chat_id: chat_id.into(), thread_id: None }
    }

    pub fn telegram(chat_id: i64) -> Self {
        ChatRef::new(Platform::Telegram, chat_id.to_string())
    }

    pub fn discord(channel_id: u64) -> Self {
        ChatRef::new(Platform::Discord, channel_id.to_string())
    }

    pub fn with_thread(mut self, thread_id: impl Into<String>) -> Self {
        self.thread_id = Some(thread_id.into());
        self
    }

    /// The chat for logs: platform and a one-way hash of the id (a Telegram private
    /// chat's id is its user's id, which logs never hold).
    pub fn log_tag(&self) -> String {
        format!("{}:{}", self.platform, crate::ids::hashed_id(self.platform.as_str(), &self.chat_id))
    }
}

impl fmt::Display for ChatRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.chat_id)
    }
}

/// Why a digest could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The platform refused for now (HTTP 429); nothing was posted. The fan-out pauses the
    /// platform for `retry_after` and sends the same digest to the same chat again.
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// The chat is gone for the bot (blocked, kicked, deleted, no access): the subscription
    /// is marked inactive and never retried.
    #[error("the chat is gone")]
    Gone,
    /// The platform is failing, not this chat (5xx, a timeout, a refused connection), and
    /// did not take the message: retried with a backoff shared by the whole platform, up to
    /// `limits.backoff_ceiling_seconds`, for as long as the day lasts (see [`outage`]).
    #[error("platform unavailable: {0}")]
    Unavailable(String),
    /// Anything else where the platform did not accept the message (a refusal that is not
    /// about the chat being gone): retried a bounded number of times, then again later in
    /// the day, then given up for the day.
    #[error("{0}")]
    Transient(String),
}

/// Whether a message claimed before a crash was posted, as far as the platform can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Delivered,
    NotDelivered,
    Unknown,
}

/// What adapters implement so that the scheduler can post digests. Implement it with
/// `async fn send(&self, chat: &ChatRef, digest: &Answer) -> Result<(), SendError>`.
///
/// `send` renders the answer for the platform (splitting long messages as for any answer)
/// and posts it to `chat` (in `chat.thread_id` when set). It must return `Ok` only when the
/// platform accepted the message, `RateLimited`/`Unavailable`/`Transient` only when it did
/// not, and
/// `Gone` when the bot can no longer post there (blocked, removed, chat deleted).
pub trait DigestSender: Send + Sync + 'static {
    fn send(&self, chat: &ChatRef, digest: &Answer) -> impl Future<Output = Result<(), SendError>> + Send;

    /// After a crash: was a digest claimed at `claimed_at` posted in `chat`? Platforms that
    /// can read their own recent messages (Discord) may answer; the default is `Unknown`,
    /// which means "treat as sent".
    fn confirm(&self, chat: &ChatRef, claimed_at: DateTime<Utc>) -> impl Future<Output = Confirmation> + Send {
        let _ = (chat, claimed_at);
        async { Confirmation::Unknown }
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`DigestSender`] as a trait object (implemented for every `DigestSender`).
pub trait DynDigestSender: Send + Sync {
    fn send_boxed<'a>(&'a self, chat: &'a ChatRef, digest: &'a Answer) -> BoxFuture<'a, Result<(), SendError>>;
    fn confirm_boxed<'a>(&'a self, chat: &'a ChatRef, claimed_at: DateTime<Utc>) -> BoxFuture<'a, Confirmation>;
}

impl<T: DigestSender> DynDigestSender for T {
    fn send_boxed<'a>(&'a self, chat: &'a ChatRef, digest: &'a Answer) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.send(chat, digest))
    }
    fn confirm_boxed<'a>(&'a self, chat: &'a ChatRef, claimed_at: DateTime<Utc>) -> BoxFuture<'a, Confirmation> {
        Box::pin(self.confirm(chat, claimed_at))
    }
}

/// The senders of the platforms this process runs. Subscriptions of a platform without a
/// sender wait (they are not claimed) until a process with one runs.
#[derive(Clone, Default)]
pub struct Senders {
    map: HashMap<Platform, Arc<dyn DynDigestSender>>,
}

impl Senders {
    pub fn new() -> Self {
        Senders::default()
    }

    /// Add a platform's sender.
    pub fn with(mut self, platform: Platform, sender: impl DigestSender) -> Self {
        self.map.insert(platform, Arc::new(sender));
        self
    }

    /// Add a platform's sender that is shared with its adapter.
    pub fn insert(&mut self, platform: Platform, sender: Arc<dyn DynDigestSender>) {
        self.map.insert(platform, sender);
    }

    pub fn get(&self, platform: Platform) -> Option<&Arc<dyn DynDigestSender>> {
        self.map.get(&platform)
    }

    pub fn platforms(&self) -> Vec<Platform> {
        let mut p: Vec<Platform> = self.map.keys().copied().collect();
        p.sort();
        p
    }
}
