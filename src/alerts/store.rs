//! The alert store: which chats follow which topics, and the alert log, behind one
//! interface ([`AlertState`]) with two engines, as the digest store has:
//! - [`sqlite`] (the default): tables in the chat store's file (`<data>/briefbot.sqlite3`,
//!   next to the digest tables) with their own schema version (`alert_schema`);
//! - [`postgres`] (cargo feature `postgres`): the same tables in the database every replica
//!   shares, migrated as the component `alerts` of `briefbot_migrations`.
//!
//! Tables:
//! - `follows`: one row per `(platform, chat_id, topic_key)`: the topic as typed, the forum
//!   thread to post in, when it was followed (only articles arriving later alert), and an
//!   active flag (off when the chat is gone for the bot).
//! - `alert_log`: one row per `(platform, chat_id, doc)` UNIQUE: the key to "never the same
//!   article twice to a chat", on either engine and across replicas. `message` names the
//!   message the row went out in (`a:<doc>` for an alert, `f:<time>:<doc>` shared by every
//!   article of one "and N more" fold), so the hourly limit counts messages, not articles.
//!   States: `sending` (claimed: a send may be in flight), `sent`, `unknown` (was `sending`
//!   when its process died and the platform could not tell: treated as sent), `retry` (not
//!   posted; may be claimed again), `failed` (given up), `gone` (the chat is gone). On
//!   PostgreSQL a claim also names its replica (`claimed_by`), so that only the `sending`
//!   rows of a replica that is gone are settled ([`AlertState::orphaned_sending`]).
//!
//! Every claim is committed before the send. This is user state: never deleted or rebuilt.

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::digest::ChatRef;

#[cfg(feature = "postgres")]
pub mod postgres;
pub mod sqlite;

/// States in which a row's message counts as sent (toward the hourly limit).
pub(crate) const COUNTED: &str = "('sending', 'sent', 'unknown')";

/// A topic a chat follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub chat: ChatRef,
    /// As typed (whitespace collapsed).
    pub topic: String,
    /// The topic's analysed terms, space-separated: "Port Meridian" and "port meridian" are
    /// one topic.
    pub key: String,
    pub created: DateTime<Utc>,
}

/// What `/follow` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    Added,
    /// The chat already follows it (the time it started is kept).
    Already,
    /// The chat follows [`MAX_FOLLOWS`] topics already.
    TooMany,
}

/// Topics one chat may follow.
pub const MAX_FOLLOWS: usize = 20;

/// One row of the alert log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    pub chat: ChatRef,
    pub doc: String,
    pub topics: Vec<String>,
    pub message: String,
    pub state: String,
    pub claimed_at: DateTime<Utc>,
    pub failures: u32,
}

/// How a claimed send ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent,
    Gone,
    /// Not posted; may be claimed again. `failure` counts a transient failure.
    Retry {
        error: String,
        failure: bool,
    },
    /// Not posted; given up.
    Failed {
        error: String,
    },
}

/// What an engine of the alert store does. Calls are short and blocking (SQLite under a
/// mutex; PostgreSQL on the pool's own runtime).
pub trait AlertState: Send + Sync {
    /// "sqlite" or "postgres".
    fn engine(&self) -> &'static str;
    /// Where the state lives, for messages (a file path, or the database without password).
    fn location(&self) -> String;
    /// The alert schema version.
    fn schema_version(&self) -> Result<i64>;
    /// Follow `topic` (key `key`) in `chat` from `now` on. Following again keeps the first
    /// time (and moves the chat's thread to where it was asked); a follow switched off
    /// because the chat was gone starts again from `now`.
    fn follow(&self, chat: &ChatRef, topic: &str, key: &str, now: DateTime<Utc>) -> Result<Followed>;
    /// Stop following the topic with key `key` in `chat`. True when the chat followed it.
    fn unfollow(&self, chat: &ChatRef, key: &str) -> Result<bool>;
    /// Stop every topic of `chat`; how many there were.
    fn unfollow_all(&self, chat: &ChatRef) -> Result<usize>;
    /// Switch off every follow of a chat the bot can no longer post in.
    fn deactivate_chat(&self, chat: &ChatRef, reason: &str) -> Result<usize>;
    /// The active follows of one chat, oldest first.
    fn follows_of(&self, chat: &ChatRef) -> Result<Vec<Follow>>;
    /// Every active follow, by platform, chat and time.
    fn active_follows(&self) -> Result<Vec<Follow>>;
    /// Messages (alerts and folds) claimed for `chat` after `since` that count as sent.
    fn messages_since(&self, chat: &ChatRef, since: DateTime<Utc>) -> Result<u32>;
    /// Claim `(chat, doc)` for each of `docs` (with the topics it matched), all for one
    /// message, in one transaction committed before this returns: a new row in `sending`, or
    /// a `retry` row back to `sending`. False for a doc whose key is taken (sent, being sent,
    /// given up): that article is never sent to the chat again.
    fn claim(&self, chat: &ChatRef, docs: &[(String, Vec<String>)], message: &str, now: DateTime<Utc>) -> Result<Vec<bool>>;
    /// Record how the send of claimed rows ended. Only rows in `sending` change.
    fn finish(&self, chat: &ChatRef, docs: &[String], outcome: &Outcome, now: DateTime<Utc>) -> Result<()>;
    /// Has `(chat, doc)` been claimed for good (sent, being sent, given up)? A `retry` row
    /// has not: it may be claimed again.
    fn taken(&self, chat: &ChatRef, doc: &str) -> Result<bool>;
    /// Rows in one state, oldest claim first.
    fn rows_in(&self, state: &str) -> Result<Vec<LogRow>>;
    /// Every row of the alert log, oldest claim first.
    fn rows(&self) -> Result<Vec<LogRow>>;
    /// Give up an alert waiting in `retry` (it will not be sent).
    fn give_up(&self, chat: &ChatRef, doc: &str, error: &str, now: DateTime<Utc>) -> Result<()>;
    /// Settle a row left in `sending` by a process that is gone: `sent`, `unknown` or `retry`.
    fn resolve_sending(&self, chat: &ChatRef, doc: &str, state: &str, now: DateTime<Utc>) -> Result<()>;
    /// Rows left `sending` by a process that is gone. SQLite: every such row (one process;
    /// asked at start-up). PostgreSQL: rows whose replica's session is gone.
    fn orphaned_sending(&self) -> Result<Vec<LogRow>> {
        self.rows_in("sending")
    }
    /// Whether other processes share this state (then interrupted sends are looked for on
    /// every tick, not only at start-up).
    fn shared(&self) -> bool {
        false
    }
}

/// The alert store the bot holds: one engine behind [`AlertState`].
pub struct AlertStore {
    inner: Box<dyn AlertState>,
}

impl std::ops::Deref for AlertStore {
    type Target = dyn AlertState;
    fn deref(&self) -> &Self::Target {
        self.inner.as_ref()
    }
}

impl AlertStore {
    /// Open (or create) the alert tables in `<data_dir>/briefbot.sqlite3`.
    pub fn open_in(data_dir: &Path) -> Result<AlertStore> {
        Ok(AlertStore { inner: Box::new(sqlite::SqliteAlerts::open_in(data_dir)?) })
    }

    /// Open the SQLite store file at `path` and bring the alert tables up to date. A damaged
    /// file is a [`crate::digest::store::StoreDamaged`] error, found before anything is written.
    pub fn open(path: &Path) -> Result<AlertStore> {
        Ok(AlertStore { inner: Box::new(sqlite::SqliteAlerts::open(path)?) })
    }

    /// The store on any engine.
    pub fn with_engine(engine: Box<dyn AlertState>) -> AlertStore {
        AlertStore { inner: engine }
    }

    /// The PostgreSQL store on `pg` (shared with the digest store), its tables brought up to
    /// date.
    #[cfg(feature = "postgres")]
    pub fn open_pg(pg: std::sync::Arc<crate::state::pg::Pg>) -> Result<AlertStore> {
        Ok(AlertStore { inner: Box::new(postgres::PgAlerts::open(pg)?) })
    }

    /// Open the store `state` names: PostgreSQL when it has a URL, else the SQLite file in
    /// `data_dir`.
    pub fn open_state(state: &crate::state::StateLocation, data_dir: &Path) -> Result<AlertStore> {
        match state {
            crate::state::StateLocation::Sqlite => AlertStore::open_in(data_dir),
            #[cfg(feature = "postgres")]
            crate::state::StateLocation::Postgres(url) => AlertStore::open_pg(std::sync::Arc::new(crate::state::pg::Pg::connect(url)?)),
            #[cfg(not(feature = "postgres"))]
            crate::state::StateLocation::Postgres(_) => {
                anyhow::bail!("[state] url names PostgreSQL, but this briefbot was built without the `postgres` feature")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn claims_are_once_per_chat_and_article_and_live_beside_the_digest_tables() {
        let dir = tempfile::tempdir().unwrap();
        let store = AlertStore::open_in(dir.path()).unwrap();
        // The digest store opens the same file after it, with its own schema version.
        let digests = crate::digest::Store::open_in(dir.path()).unwrap();
        assert!(digests.schema_version().unwrap() >= 1);
        // Opening again migrates nothing twice.
        let store2 = AlertStore::open_in(dir.path()).unwrap();
        assert_eq!((store.schema_version().unwrap(), store2.schema_version().unwrap()), (1, 1));

        let chat = ChatRef::telegram(-100);
        let other = ChatRef::telegram(7);
        let now = at("2026-03-01T10:00:00Z");
        let docs = |names: &[&str]| names.iter().map(|d| (d.to_string(), vec!["port".to_string()])).collect::<Vec<_>>();
        assert_eq!(store.claim(&chat, &docs(&["a"]), "a:a", now).unwrap(), [true]);
        // The same article again, in the same or another process: taken.
        assert_eq!(store2.claim(&chat, &docs(&["a"]), "a:a", now).unwrap(), [false]);
        // Another chat may have it.
        assert_eq!(store.claim(&other, &docs(&["a"]), "a:a", now).unwrap(), [true]);
        // Not posted (a 429): released, and claimed again later.
        store.finish(&chat, &["a".to_string()], &Outcome::Retry { error: "429".into(), failure: false }, now).unwrap();
        assert!(!store.taken(&chat, "a").unwrap());
        assert_eq!(store.messages_since(&chat, now - chrono::Duration::hours(1)).unwrap(), 0);
        assert_eq!(store.claim(&chat, &docs(&["a"]), "a:a", now).unwrap(), [true]);
        store.finish(&chat, &["a".to_string()], &Outcome::Sent, now).unwrap();
        assert!(store.taken(&chat, "a").unwrap());
        // A fold of three articles is one message toward the hourly limit.
        assert_eq!(store.claim(&chat, &docs(&["b", "c", "a"]), "f:x:b", now).unwrap(), [true, true, false]);
        assert_eq!(store.messages_since(&chat, now - chrono::Duration::hours(1)).unwrap(), 2);
        assert_eq!(store.messages_since(&chat, now).unwrap(), 0, "the window is a rolling hour");

        // Follows: one per topic key, at most MAX_FOLLOWS, switched off when the chat is gone.
        assert_eq!(store.follow(&chat, "Port", "port", now).unwrap(), Followed::Added);
        assert_eq!(store.follow(&chat, "port", "port", now).unwrap(), Followed::Already);
        for i in 1..MAX_FOLLOWS {
            assert_eq!(store.follow(&chat, &format!("t{i}"), &format!("t{i}"), now).unwrap(), Followed::Added);
        }
        assert_eq!(store.follow(&chat, "one more", "one more", now).unwrap(), Followed::TooMany);
        assert_eq!(store.deactivate_chat(&chat, "gone").unwrap(), MAX_FOLLOWS);
        assert!(store.follows_of(&chat).unwrap().is_empty());
        // Following again after that starts afresh.
        let later = now + chrono::Duration::days(1);
        assert_eq!(store.follow(&chat, "Port", "port", later).unwrap(), Followed::Added);
        assert_eq!(store.follows_of(&chat).unwrap()[0].created, later);
    }
}
