//! The alert store: which chats follow which topics, and the alert log. It lives in the chat
//! store's SQLite file (`<data>/briefbot.sqlite3`, next to the digest tables) but keeps to
//! its own tables and its own schema version (`alert_schema`), so that it can move behind
//! another storage backend without touching the digest tables.
//!
//! Tables:
//! - `follows`: one row per `(platform, chat_id, topic_key)`: the topic as typed, the forum
//!   thread to post in, when it was followed (only articles arriving later alert), and an
//!   active flag (off when the chat is gone for the bot).
//! - `alert_log`: one row per `(platform, chat_id, doc)` UNIQUE: the key to "never the same
//!   article twice to a chat". `message` names the message the row went out in (`a:<doc>`
//!   for an alert, `f:<time>:<doc>` shared by every article of one "and N more" fold), so
//!   the hourly limit counts messages, not articles. States: `sending` (claimed: a send may
//!   be in flight), `sent`, `unknown` (was `sending` at a restart and the platform could not
//!   tell: treated as sent), `retry` (not posted; may be claimed again), `failed` (given up),
//!   `gone` (the chat is gone).
//!
//! Every claim is committed (and synced: `synchronous = FULL`) before the send. This is user
//! state: never deleted or rebuilt; a damaged file stops start-up untouched (the digest
//! store's [`StoreDamaged`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::digest::store::{StoreDamaged, ts};
use crate::digest::{ChatRef, Platform, STORE_FILE};

/// This store's migrations, in order; `alert_schema.version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: follows and the alert log.
    "CREATE TABLE follows (
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        topic TEXT NOT NULL,
        topic_key TEXT NOT NULL,
        created TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        PRIMARY KEY (platform, chat_id, topic_key)
    );
    CREATE TABLE alert_log (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        doc TEXT NOT NULL,
        topics TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'unknown', 'retry', 'failed', 'gone')),
        claimed_at TEXT NOT NULL,
        finished_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        UNIQUE (platform, chat_id, doc)
    );
    CREATE INDEX alert_log_sent ON alert_log(platform, chat_id, claimed_at);
    CREATE INDEX alert_log_state ON alert_log(state);",
];

/// States in which a row's message counts as sent (toward the hourly limit).
const COUNTED: &str = "('sending', 'sent', 'unknown')";

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn platform_of(r: &Row<'_>) -> rusqlite::Result<Platform> {
    let p: String = r.get("platform")?;
    Platform::parse(&p).ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("unknown platform {p}").into()))
}

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

fn row_follow(r: &Row<'_>) -> rusqlite::Result<Follow> {
    Ok(Follow {
        chat: ChatRef { platform: platform_of(r)?, chat_id: r.get("chat_id")?, thread_id: r.get("thread_id")? },
        topic: r.get("topic")?,
        key: r.get("topic_key")?,
        created: parse_ts(&r.get::<_, String>("created")?)?,
    })
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

fn row_log(r: &Row<'_>) -> rusqlite::Result<LogRow> {
    let topics: String = r.get("topics")?;
    Ok(LogRow {
        chat: ChatRef { platform: platform_of(r)?, chat_id: r.get("chat_id")?, thread_id: r.get("thread_id")? },
        doc: r.get("doc")?,
        topics: serde_json::from_str(&topics).unwrap_or_default(),
        message: r.get("message")?,
        state: r.get("state")?,
        claimed_at: parse_ts(&r.get::<_, String>("claimed_at")?)?,
        failures: r.get("failures")?,
    })
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

/// Follows and the alert log. One connection behind a mutex: every call is short.
pub struct AlertStore {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl AlertStore {
    /// Open (or create) the alert tables in `<data_dir>/briefbot.sqlite3`.
    pub fn open_in(data_dir: &Path) -> Result<AlertStore> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
        AlertStore::open(&data_dir.join(STORE_FILE))
    }

    /// Open the store file at `path` and bring the alert tables up to date. A damaged file is
    /// a [`StoreDamaged`] error, found before anything is written.
    pub fn open(path: &Path) -> Result<AlertStore> {
        let mut conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        match conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)) {
            Ok(ok) if ok == "ok" => {}
            Ok(problem) => return Err(StoreDamaged { path: path.to_path_buf(), detail: problem.lines().next().unwrap_or_default().to_string() }.into()),
            Err(e) if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)) => {
                return Err(StoreDamaged { path: path.to_path_buf(), detail: e.to_string() }.into());
            }
            Err(e) => return Err(anyhow::Error::new(e).context(format!("checking {}", path.display()))),
        }
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL;")?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch("CREATE TABLE IF NOT EXISTS alert_schema (version INTEGER NOT NULL)")?;
        let version: i64 = tx.query_row("SELECT version FROM alert_schema", [], |r| r.get(0)).optional()?.unwrap_or(0);
        let known = MIGRATIONS.len() as i64;
        if version > known {
            bail!("{}: its alert tables were written by a newer briefbot (alert schema {version}, this one knows {known})", path.display());
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).with_context(|| format!("migrating the alert tables of {} to schema {}", path.display(), i + 1))?;
        }
        tx.execute("DELETE FROM alert_schema", [])?;
        tx.execute("INSERT INTO alert_schema (version) VALUES (?1)", [known])?;
        tx.commit()?;
        Ok(AlertStore { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The alert schema version.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.lock().query_row("SELECT version FROM alert_schema", [], |r| r.get(0))?)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Follow `topic` (key `key`) in `chat` from `now` on. Following again keeps the first
    /// time (and moves the chat's thread to where it was asked); a follow switched off
    /// because the chat was gone starts again from `now`.
    pub fn follow(&self, chat: &ChatRef, topic: &str, key: &str, now: DateTime<Utc>) -> Result<Followed> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT active FROM follows WHERE platform = ?1 AND chat_id = ?2 AND topic_key = ?3",
                params![chat.platform.as_str(), chat.chat_id, key],
                |r| r.get(0),
            )
            .optional()?;
        let result = match existing {
            Some(1) => {
                tx.execute(
                    "UPDATE follows SET thread_id = ?4 WHERE platform = ?1 AND chat_id = ?2 AND topic_key = ?3",
                    params![chat.platform.as_str(), chat.chat_id, key, chat.thread_id],
                )?;
                Followed::Already
            }
            _ => {
                let count: i64 = tx.query_row(
                    "SELECT COUNT(*) FROM follows WHERE platform = ?1 AND chat_id = ?2 AND active = 1",
                    params![chat.platform.as_str(), chat.chat_id],
                    |r| r.get(0),
                )?;
                if count as usize >= MAX_FOLLOWS {
                    Followed::TooMany
                } else {
                    tx.execute(
                        "INSERT INTO follows (platform, chat_id, thread_id, topic, topic_key, created, active, inactive_reason)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, NULL)
                         ON CONFLICT (platform, chat_id, topic_key) DO UPDATE SET
                            thread_id = excluded.thread_id, topic = excluded.topic, created = excluded.created, active = 1, inactive_reason = NULL",
                        params![chat.platform.as_str(), chat.chat_id, chat.thread_id, topic, key, ts(now)],
                    )?;
                    Followed::Added
                }
            }
        };
        tx.commit()?;
        Ok(result)
    }

    /// Stop following the topic with key `key` in `chat`. True when the chat followed it.
    pub fn unfollow(&self, chat: &ChatRef, key: &str) -> Result<bool> {
        let n = self.lock().execute(
            "DELETE FROM follows WHERE platform = ?1 AND chat_id = ?2 AND topic_key = ?3 AND active = 1",
            params![chat.platform.as_str(), chat.chat_id, key],
        )?;
        Ok(n > 0)
    }

    /// Stop every topic of `chat`; how many there were.
    pub fn unfollow_all(&self, chat: &ChatRef) -> Result<usize> {
        Ok(self.lock().execute("DELETE FROM follows WHERE platform = ?1 AND chat_id = ?2 AND active = 1", params![chat.platform.as_str(), chat.chat_id])?)
    }

    /// Switch off every follow of a chat the bot can no longer post in.
    pub fn deactivate_chat(&self, chat: &ChatRef, reason: &str) -> Result<usize> {
        Ok(self.lock().execute(
            "UPDATE follows SET active = 0, inactive_reason = ?3 WHERE platform = ?1 AND chat_id = ?2 AND active = 1",
            params![chat.platform.as_str(), chat.chat_id, reason],
        )?)
    }

    /// The active follows of one chat, oldest first.
    pub fn follows_of(&self, chat: &ChatRef) -> Result<Vec<Follow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM follows WHERE platform = ?1 AND chat_id = ?2 AND active = 1 ORDER BY created, topic_key")?;
        let rows = st.query_map(params![chat.platform.as_str(), chat.chat_id], row_follow)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every active follow, by platform, chat and time.
    pub fn active_follows(&self) -> Result<Vec<Follow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM follows WHERE active = 1 ORDER BY platform, chat_id, created, topic_key")?;
        let rows = st.query_map([], row_follow)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Messages (alerts and folds) claimed for `chat` after `since` that count as sent.
    pub fn messages_since(&self, chat: &ChatRef, since: DateTime<Utc>) -> Result<u32> {
        Ok(self.lock().query_row(
            &format!("SELECT COUNT(DISTINCT message) FROM alert_log WHERE platform = ?1 AND chat_id = ?2 AND claimed_at > ?3 AND state IN {COUNTED}"),
            params![chat.platform.as_str(), chat.chat_id, ts(since)],
            |r| r.get(0),
        )?)
    }

    /// Claim `(chat, doc)` for each of `docs` (with the topics it matched), all for one
    /// message, in one transaction committed before this returns: a new row in `sending`, or
    /// a `retry` row back to `sending`. False for a doc whose key is taken (sent, being sent,
    /// given up): that article is never sent to the chat again.
    pub fn claim(&self, chat: &ChatRef, docs: &[(String, Vec<String>)], message: &str, now: DateTime<Utc>) -> Result<Vec<bool>> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(docs.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO alert_log (platform, chat_id, thread_id, doc, topics, message, state, claimed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sending', ?7)
                 ON CONFLICT (platform, chat_id, doc) DO UPDATE SET
                    state = 'sending', claimed_at = excluded.claimed_at, message = excluded.message, thread_id = excluded.thread_id, finished_at = NULL
                 WHERE alert_log.state = 'retry'",
            )?;
            for (doc, topics) in docs {
                let n = insert.execute(params![chat.platform.as_str(), chat.chat_id, chat.thread_id, doc, serde_json::to_string(topics)?, message, ts(now)])?;
                out.push(n > 0);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// Record how the send of claimed rows ended. Only rows in `sending` change.
    pub fn finish(&self, chat: &ChatRef, docs: &[String], outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        for doc in docs {
            let key = params![chat.platform.as_str(), chat.chat_id, doc, ts(now)];
            let where_ = "WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3 AND state = 'sending'";
            match outcome {
                Outcome::Sent => tx.execute(&format!("UPDATE alert_log SET state = 'sent', finished_at = ?4, error = NULL {where_}"), key)?,
                Outcome::Gone => tx.execute(&format!("UPDATE alert_log SET state = 'gone', finished_at = ?4 {where_}"), key)?,
                Outcome::Retry { error, failure } => tx.execute(
                    &format!("UPDATE alert_log SET state = 'retry', finished_at = ?4, error = ?5, failures = failures + ?6 {where_}"),
                    params![chat.platform.as_str(), chat.chat_id, doc, ts(now), error, i64::from(*failure)],
                )?,
                Outcome::Failed { error } => tx.execute(
                    &format!("UPDATE alert_log SET state = 'failed', finished_at = ?4, error = ?5 {where_}"),
                    params![chat.platform.as_str(), chat.chat_id, doc, ts(now), error],
                )?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    /// Has `(chat, doc)` been claimed for good (sent, being sent, given up)? A `retry` row
    /// has not: it may be claimed again.
    pub fn taken(&self, chat: &ChatRef, doc: &str) -> Result<bool> {
        let state: Option<String> = self
            .lock()
            .query_row(
                "SELECT state FROM alert_log WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3",
                params![chat.platform.as_str(), chat.chat_id, doc],
                |r| r.get(0),
            )
            .optional()?;
        Ok(state.is_some_and(|s| s != "retry"))
    }

    /// Rows in one state, oldest claim first.
    pub fn rows_in(&self, state: &str) -> Result<Vec<LogRow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM alert_log WHERE state = ?1 ORDER BY claimed_at, platform, chat_id, doc")?;
        let rows = st.query_map([state], row_log)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every row of the alert log, oldest claim first.
    pub fn rows(&self) -> Result<Vec<LogRow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM alert_log ORDER BY claimed_at, platform, chat_id, doc")?;
        let rows = st.query_map([], row_log)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Give up an alert waiting in `retry` (it will not be sent).
    pub fn give_up(&self, chat: &ChatRef, doc: &str, error: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE alert_log SET state = 'failed', finished_at = ?4, error = ?5 WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3 AND state = 'retry'",
            params![chat.platform.as_str(), chat.chat_id, doc, ts(now), error],
        )?;
        Ok(())
    }

    /// Settle a row left in `sending` by an earlier process: `sent`, `unknown` or `retry`.
    pub fn resolve_sending(&self, chat: &ChatRef, doc: &str, state: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE alert_log SET state = ?4, finished_at = ?5, error = COALESCE(error, 'interrupted while sending')
             WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3 AND state = 'sending'",
            params![chat.platform.as_str(), chat.chat_id, doc, state, ts(now)],
        )?;
        Ok(())
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
