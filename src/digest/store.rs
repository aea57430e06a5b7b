//! The digest store: subscriptions, per-chat settings and the delivery log, behind one
//! interface ([`DigestState`]) with two engines:
//! - SQLite ([`sqlite::SqliteState`], the default): one file `<data>/briefbot.sqlite3`
//!   (WAL, `synchronous=FULL`), migrations versioned through `PRAGMA user_version`;
//! - PostgreSQL (`postgres::PgState`, cargo feature `postgres`, `[state] url`): shared by
//!   every replica, migrations versioned in `briefbot_migrations` (see [`crate::state`]).
//!
//! [`Store`] is what the rest of the bot holds: an engine plus the notification the scheduler
//! waits on. Both engines keep the same tables and the same text encodings:
//! - `subscriptions`: one row per `(platform, chat_id)`: local time, zone, topics (JSON),
//!   active flag, when created, when last (re)activated, why inactive.
//! - `chat_settings`: per-chat key/value settings (`post_when_empty` overrides the default).
//! - `deliveries`: the delivery log, UNIQUE `(platform, chat_id, digest_date)`: the key to
//!   exactly-once. States: `sending` (claimed: a send may be in flight), `sent`, `unknown`
//!   (was `sending` at a restart and the platform could not tell: treated as sent), `empty`
//!   (nothing new and nothing posted), `retry` (not posted; to try again at
//!   `next_attempt`), `failed` (gave up for that day), `gone` (the chat is gone).
//!
//! Every write is its own transaction; a claim is committed (and on SQLite synced) before the
//! send (outcomes are synced with the next claim: see [`Store::finish`]). A write that fails
//! part-way (a full disk: `SQLITE_FULL`) rolls its transaction back whole.
//!
//! This is user state, not derived from anything: it is never deleted, replaced or
//! rebuilt. A damaged SQLite file ([`StoreDamaged`]) is left exactly as it is, and start-up
//! stops with what to do.
//! Timestamps are RFC 3339 UTC text with microseconds, so they also sort as text (on both
//! engines: one encoding, one set of comparisons).

#[cfg(feature = "postgres")]
pub mod postgres;
pub mod sqlite;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use tokio::sync::Notify;

use super::{ChatRef, Platform};
use crate::core::digest::Window;

/// States after which a window counts as covered (its articles are not offered again).
pub(crate) const COVERING: &str = "('sending', 'sent', 'unknown', 'empty')";

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subscription {
    pub chat: ChatRef,
    pub time: NaiveTime,
    #[serde(serialize_with = "ser_zone")]
    pub zone: Tz,
    pub topics: Vec<String>,
    pub active: bool,
    pub created: DateTime<Utc>,
    /// When it was last switched on: slots before this are not owed.
    pub activated: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub inactive_reason: Option<String>,
}

fn ser_zone<S: serde::Serializer>(z: &Tz, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(z.name())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    Sending,
    Sent,
    Unknown,
    Empty,
    Retry,
    Failed,
    Gone,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Unknown => "unknown",
            DeliveryState::Empty => "empty",
            DeliveryState::Retry => "retry",
            DeliveryState::Failed => "failed",
            DeliveryState::Gone => "gone",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "sending" => DeliveryState::Sending,
            "sent" => DeliveryState::Sent,
            "unknown" => DeliveryState::Unknown,
            "empty" => DeliveryState::Empty,
            "retry" => DeliveryState::Retry,
            "failed" => DeliveryState::Failed,
            "gone" => DeliveryState::Gone,
            _ => return None,
        })
    }
}

/// One row of the delivery log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub platform: Platform,
    pub chat_id: String,
    pub date: NaiveDate,
    pub state: DeliveryState,
    pub window: (DateTime<Utc>, DateTime<Utc>),
    pub claimed_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Claims made (each is one send).
    pub attempts: u32,
    /// Transient failures so far.
    pub failures: u32,
    pub next_attempt: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

/// How a claimed send ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent,
    Gone,
    /// Not posted; try again at `at`. `failure` counts a transient failure (a 429 does not).
    Retry {
        at: DateTime<Utc>,
        error: String,
        failure: bool,
    },
    /// Not posted; give up for this date.
    Failed {
        error: String,
    },
}

/// The store file is damaged: it was left untouched, and this says what to do.
#[derive(Debug, thiserror::Error)]
#[error(
    "the subscription store {path} is damaged ({detail}); it was left as it is. Stop briefbot and restore the file from your backup, or recover what it holds: sqlite3 {path} \".recover\" | sqlite3 recovered.sqlite3, then put recovered.sqlite3 in its place"
)]
pub struct StoreDamaged {
    pub path: PathBuf,
    pub detail: String,
}

/// What an engine of the digest store does. Calls are short and blocking (the SQLite engine
/// runs them under a mutex; the PostgreSQL engine on its own small runtime); the fan-out calls
/// the claims from `spawn_blocking`. See [`Store`] for what each call means.
pub trait DigestState: Send + Sync {
    /// "sqlite" or "postgres".
    fn engine(&self) -> &'static str;
    /// Where the state lives, for messages (a file path, or the database without password).
    fn location(&self) -> String;
    fn schema_version(&self) -> Result<i64>;
    /// SQLite only: see [`Store::limit_pages`].
    fn limit_pages(&self, pages: Option<u32>) -> Result<u32> {
        let _ = pages;
        anyhow::bail!("limit_pages is a SQLite test hook; the {} engine has no page limit", self.engine())
    }
    /// SQLite only: see [`Store::page_count`].
    fn page_count(&self) -> Result<u32> {
        anyhow::bail!("page_count is a SQLite measure; the {} engine has none", self.engine())
    }
    fn subscribe(&self, chat: &ChatRef, time: NaiveTime, zone: Tz, topics: &[String], now: DateTime<Utc>) -> Result<()>;
    fn deactivate(&self, chat: &ChatRef, reason: &str, now: DateTime<Utc>) -> Result<bool>;
    fn subscription(&self, chat: &ChatRef) -> Result<Option<Subscription>>;
    fn prune(&self, cutoff: DateTime<Utc>) -> Result<(usize, usize)>;
    fn active_subscriptions(&self) -> Result<Vec<Subscription>>;
    fn all_subscriptions(&self) -> Result<Vec<Subscription>>;
    fn subscribe_many(&self, subs: &[(ChatRef, NaiveTime, Tz, Vec<String>)], now: DateTime<Utc>) -> Result<()>;
    fn setting(&self, chat: &ChatRef, key: &str) -> Result<Option<String>>;
    fn set_setting(&self, chat: &ChatRef, key: &str, value: &str, now: DateTime<Utc>) -> Result<()>;
    fn settings_named(&self, key: &str) -> Result<HashMap<(Platform, String), String>>;
    fn delivery(&self, chat: &ChatRef, date: NaiveDate) -> Result<Option<Delivery>>;
    fn deliveries(&self) -> Result<Vec<Delivery>>;
    fn deliveries_from(&self, from: NaiveDate) -> Result<HashMap<(Platform, String, NaiveDate), Delivery>>;
    fn deliveries_in(&self, state: DeliveryState) -> Result<Vec<Delivery>>;
    fn covered_until(&self) -> Result<HashMap<(Platform, String), DateTime<Utc>>>;
    fn covered_until_for(&self, chat: &ChatRef) -> Result<Option<DateTime<Utc>>>;
    fn claim_many(&self, keys: &[(ChatRef, NaiveDate, Window)], now: DateTime<Utc>) -> Result<Vec<bool>>;
    fn record_empty(&self, chat: &ChatRef, date: NaiveDate, window: &Window, now: DateTime<Utc>) -> Result<bool>;
    fn finish(&self, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>) -> Result<()>;
    fn give_up_retries_before(&self, chat: &ChatRef, date: NaiveDate, now: DateTime<Utc>) -> Result<usize>;
    fn resolve_sending(&self, platform: Platform, chat_id: &str, date: NaiveDate, state: DeliveryState, now: DateTime<Utc>) -> Result<()>;
    fn state_counts(&self) -> Result<HashMap<String, u64>>;
    /// Rows left `sending` by a process that is gone. SQLite: every such row (one process;
    /// called at start-up). PostgreSQL: rows whose replica's session is gone.
    fn orphaned_sending(&self) -> Result<Vec<Delivery>> {
        self.deliveries_in(DeliveryState::Sending)
    }
    /// Whether other processes share this state (then interrupted sends are looked for
    /// while running, not only at start-up).
    fn shared(&self) -> bool {
        false
    }
    /// This store among the replicas.
    fn replica(&self) -> String {
        crate::state::replica_id().to_string()
    }
}

/// The digest store the bot holds: one engine, and the notification the scheduler waits on.
pub struct Store {
    inner: Box<dyn DigestState>,
    /// The SQLite file, when that is the engine.
    path: Option<PathBuf>,
    changed: Notify,
}

impl Store {
    /// Open (or create) `<data_dir>/briefbot.sqlite3`.
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        let s = sqlite::SqliteState::open_in(data_dir)?;
        Ok(Store { path: Some(s.path().to_path_buf()), inner: Box::new(s), changed: Notify::new() })
    }

    /// Open (or create) the SQLite store at `path` and bring its schema up to date. A damaged
    /// file is found before anything is written to it, and is a [`StoreDamaged`] error.
    pub fn open(path: &Path) -> Result<Store> {
        let s = sqlite::SqliteState::open(path)?;
        Ok(Store { path: Some(path.to_path_buf()), inner: Box::new(s), changed: Notify::new() })
    }

    /// The store on any engine.
    pub fn with_engine(engine: Box<dyn DigestState>) -> Store {
        Store { inner: engine, path: None, changed: Notify::new() }
    }

    /// Open the store `state` names: PostgreSQL when it has a URL, else the SQLite file in
    /// `data_dir`.
    pub fn open_state(state: &crate::state::StateLocation, data_dir: &Path) -> Result<Store> {
        match state {
            crate::state::StateLocation::Sqlite => Store::open_in(data_dir),
            #[cfg(feature = "postgres")]
            crate::state::StateLocation::Postgres(url) => {
                let pg = std::sync::Arc::new(crate::state::pg::Pg::connect(url)?);
                Ok(Store::with_engine(Box::new(postgres::PgState::open(pg)?)))
            }
            #[cfg(not(feature = "postgres"))]
            crate::state::StateLocation::Postgres(_) => {
                anyhow::bail!("[state] url names PostgreSQL, but this briefbot was built without the `postgres` feature")
            }
        }
    }

    /// The PostgreSQL store on `pg`, its tables brought up to date.
    #[cfg(feature = "postgres")]
    pub fn open_pg(pg: std::sync::Arc<crate::state::pg::Pg>) -> Result<Store> {
        Ok(Store::with_engine(Box::new(postgres::PgState::open(pg)?)))
    }

    /// "sqlite" or "postgres".
    pub fn engine(&self) -> &'static str {
        self.inner.engine()
    }

    /// Where the state lives, for messages.
    pub fn location(&self) -> String {
        self.inner.location()
    }

    /// The SQLite file (`None` on PostgreSQL).
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Let the SQLite file grow to at most `pages` pages (`None`: no limit): writes beyond
    /// fail with `SQLITE_FULL`, exactly as on a full disk. For tests of what a full disk does.
    pub fn limit_pages(&self, pages: Option<u32>) -> Result<u32> {
        self.inner.limit_pages(pages)
    }

    /// Pages the SQLite file has now.
    pub fn page_count(&self) -> Result<u32> {
        self.inner.page_count()
    }

    /// The schema version: migrations applied.
    pub fn schema_version(&self) -> Result<i64> {
        self.inner.schema_version()
    }

    /// Resolves when subscriptions changed (through this process) since the last call (the
    /// scheduler waits on it).
    pub async fn changed(&self) {
        self.changed.notified().await
    }

    /// Subscribe a chat (or change its subscription). A new or re-activated subscription
    /// owes no digest for slots before `now`.
    pub fn subscribe(&self, chat: &ChatRef, time: NaiveTime, zone: Tz, topics: &[String], now: DateTime<Utc>) -> Result<Subscription> {
        self.inner.subscribe(chat, time, zone, topics, now)?;
        self.changed.notify_one();
        self.subscription(chat)?.context("subscription just written")
    }

    /// Switch a chat's subscription off. True when it was on.
    pub fn unsubscribe(&self, chat: &ChatRef, now: DateTime<Utc>) -> Result<bool> {
        self.deactivate(chat, "unsubscribed", now)
    }

    /// Switch a subscription off with a reason ("unsubscribed", "gone"). True when it was on.
    pub fn deactivate(&self, chat: &ChatRef, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        let off = self.inner.deactivate(chat, reason, now)?;
        if off {
            self.changed.notify_one();
        }
        Ok(off)
    }

    /// A chat's subscription, active or not.
    pub fn subscription(&self, chat: &ChatRef) -> Result<Option<Subscription>> {
        self.inner.subscription(chat)
    }

    /// Forget what is older than `cutoff`: delivery-log rows of earlier dates (except each
    /// chat's latest, which says up to when the chat is covered), and subscriptions switched
    /// off before it, with their settings and log. Rows still `sending` are left for
    /// start-up recovery. Returns (delivery rows, subscriptions) deleted.
    pub fn prune(&self, cutoff: DateTime<Utc>) -> Result<(usize, usize)> {
        self.inner.prune(cutoff)
    }

    /// Every active subscription, by platform and chat.
    pub fn active_subscriptions(&self) -> Result<Vec<Subscription>> {
        self.inner.active_subscriptions()
    }

    /// Every subscription, active or not.
    pub fn all_subscriptions(&self) -> Result<Vec<Subscription>> {
        self.inner.all_subscriptions()
    }

    /// Add many subscriptions in one transaction (benchmarks, imports).
    pub fn subscribe_many(&self, subs: &[(ChatRef, NaiveTime, Tz, Vec<String>)], now: DateTime<Utc>) -> Result<()> {
        self.inner.subscribe_many(subs, now)?;
        self.changed.notify_one();
        Ok(())
    }

    /// A per-chat setting.
    pub fn setting(&self, chat: &ChatRef, key: &str) -> Result<Option<String>> {
        self.inner.setting(chat, key)
    }

    pub fn set_setting(&self, chat: &ChatRef, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
        self.inner.set_setting(chat, key, value, now)
    }

    /// One setting for every chat that has it: `(platform, chat_id) -> value`.
    pub fn settings_named(&self, key: &str) -> Result<HashMap<(Platform, String), String>> {
        self.inner.settings_named(key)
    }

    /// The delivery log row of one chat and date.
    pub fn delivery(&self, chat: &ChatRef, date: NaiveDate) -> Result<Option<Delivery>> {
        self.inner.delivery(chat, date)
    }

    /// Every row of the delivery log (oldest date first).
    pub fn deliveries(&self) -> Result<Vec<Delivery>> {
        self.inner.deliveries()
    }

    /// Rows from `from` (a local date) on, by key.
    pub fn deliveries_from(&self, from: NaiveDate) -> Result<HashMap<(Platform, String, NaiveDate), Delivery>> {
        self.inner.deliveries_from(from)
    }

    /// Rows in one state.
    pub fn deliveries_in(&self, state: DeliveryState) -> Result<Vec<Delivery>> {
        self.inner.deliveries_in(state)
    }

    /// The end of the last window delivered (or deliberately skipped as empty) per chat.
    pub fn covered_until(&self) -> Result<HashMap<(Platform, String), DateTime<Utc>>> {
        self.inner.covered_until()
    }

    /// The end of the last window covered for one chat.
    pub fn covered_until_for(&self, chat: &ChatRef) -> Result<Option<DateTime<Utc>>> {
        self.inner.covered_until_for(chat)
    }

    /// Claim `(chat, date)` for one send: a new row in state `sending`, or a `retry` row
    /// due by `now` back to `sending`. Committed (and synced) before returning. False when
    /// the key is taken (sent, being sent, given up) or the subscription is no longer active.
    pub fn claim(&self, chat: &ChatRef, date: NaiveDate, window: &Window, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.claim_many(&[(chat.clone(), date, *window)], now)?[0])
    }

    /// [`Store::claim`] for several keys in one transaction (one sync: group commit). On
    /// PostgreSQL the batch locks its chats' subscription rows `FOR UPDATE SKIP LOCKED`: a
    /// chat another replica is claiming right now is skipped (false), not waited for.
    pub fn claim_many(&self, keys: &[(ChatRef, NaiveDate, Window)], now: DateTime<Utc>) -> Result<Vec<bool>> {
        self.inner.claim_many(keys, now)
    }

    /// Record that `(chat, date)` had nothing to post (and nothing was posted). False when
    /// the key was taken.
    pub fn record_empty(&self, chat: &ChatRef, date: NaiveDate, window: &Window, now: DateTime<Utc>) -> Result<bool> {
        self.inner.record_empty(chat, date, window, now)
    }

    /// Record how a claimed send ended. Only a row in `sending` changes.
    ///
    /// On SQLite not synced to disk on its own (`synchronous = NORMAL` for this write): if the
    /// machine loses power before the next synced write, the row reads `sending` again and
    /// start-up recovery settles it, never by sending twice. The next claim's sync makes
    /// it durable anyway (WAL frames are synced in order).
    pub fn finish(&self, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        self.inner.finish(chat, date, outcome, now)
    }

    /// Give up a chat's `retry` rows of dates before `date` (a later digest supersedes them).
    pub fn give_up_retries_before(&self, chat: &ChatRef, date: NaiveDate, now: DateTime<Utc>) -> Result<usize> {
        self.inner.give_up_retries_before(chat, date, now)
    }

    /// Settle a row left in `sending` by an earlier process.
    pub fn resolve_sending(&self, platform: Platform, chat_id: &str, date: NaiveDate, state: DeliveryState, now: DateTime<Utc>) -> Result<()> {
        self.inner.resolve_sending(platform, chat_id, date, state, now)
    }

    /// Counts of delivery rows by state.
    pub fn state_counts(&self) -> Result<HashMap<String, u64>> {
        self.inner.state_counts()
    }

    /// Rows left `sending` by a process that is gone (on SQLite, at start-up: every one).
    pub fn orphaned_sending(&self) -> Result<Vec<Delivery>> {
        self.inner.orphaned_sending()
    }

    /// Whether other replicas share this state (PostgreSQL).
    pub fn shared(&self) -> bool {
        self.inner.shared()
    }

    /// This store's name among the replicas (the claims it makes carry it on PostgreSQL).
    pub fn replica(&self) -> String {
        self.inner.replica()
    }
}
