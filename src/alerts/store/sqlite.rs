//! The SQLite engine of the alert store: tables in the chat store's file
//! (`<data>/briefbot.sqlite3`, next to the digest tables) with a schema version of their own
//! (`alert_schema`). Every claim is committed (and synced: `synchronous = FULL`) before the
//! send. A damaged file stops start-up untouched (the digest store's [`StoreDamaged`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{AlertState, COUNTED, Follow, Followed, LogRow, MAX_FOLLOWS, Outcome};
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

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn platform_of(r: &Row<'_>) -> rusqlite::Result<Platform> {
    let p: String = r.get("platform")?;
    Platform::parse(&p).ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("unknown platform {p}").into()))
}

fn row_follow(r: &Row<'_>) -> rusqlite::Result<Follow> {
    Ok(Follow {
        chat: ChatRef { platform: platform_of(r)?, chat_id: r.get("chat_id")?, thread_id: r.get("thread_id")? },
        topic: r.get("topic")?,
        key: r.get("topic_key")?,
        created: parse_ts(&r.get::<_, String>("created")?)?,
    })
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

/// The SQLite engine: one connection behind a mutex (every call is short).
pub struct SqliteAlerts {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl SqliteAlerts {
    /// Open (or create) the alert tables in `<data_dir>/briefbot.sqlite3`.
    pub fn open_in(data_dir: &Path) -> Result<SqliteAlerts> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
        SqliteAlerts::open(&data_dir.join(STORE_FILE))
    }

    /// Open the store file at `path` and bring the alert tables up to date. A damaged file is
    /// a [`StoreDamaged`] error, found before anything is written.
    pub fn open(path: &Path) -> Result<SqliteAlerts> {
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
        Ok(SqliteAlerts { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl AlertState for SqliteAlerts {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    /// The alert schema version.
    fn schema_version(&self) -> Result<i64> {
        Ok(self.lock().query_row("SELECT version FROM alert_schema", [], |r| r.get(0))?)
    }

    /// Follow `topic` (key `key`) in `chat` from `now` on. Following again keeps the first
    /// time (and moves the chat's thread to where it was asked); a follow switched off
    /// because the chat was gone starts again from `now`.
    fn follow(&self, chat: &ChatRef, topic: &str, key: &str, now: DateTime<Utc>) -> Result<Followed> {
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
    fn unfollow(&self, chat: &ChatRef, key: &str) -> Result<bool> {
        let n = self.lock().execute(
            "DELETE FROM follows WHERE platform = ?1 AND chat_id = ?2 AND topic_key = ?3 AND active = 1",
            params![chat.platform.as_str(), chat.chat_id, key],
        )?;
        Ok(n > 0)
    }

    /// Stop every topic of `chat`; how many there were.
    fn unfollow_all(&self, chat: &ChatRef) -> Result<usize> {
        Ok(self.lock().execute("DELETE FROM follows WHERE platform = ?1 AND chat_id = ?2 AND active = 1", params![chat.platform.as_str(), chat.chat_id])?)
    }

    /// Switch off every follow of a chat the bot can no longer post in.
    fn deactivate_chat(&self, chat: &ChatRef, reason: &str) -> Result<usize> {
        Ok(self.lock().execute(
            "UPDATE follows SET active = 0, inactive_reason = ?3 WHERE platform = ?1 AND chat_id = ?2 AND active = 1",
            params![chat.platform.as_str(), chat.chat_id, reason],
        )?)
    }

    /// The active follows of one chat, oldest first.
    fn follows_of(&self, chat: &ChatRef) -> Result<Vec<Follow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM follows WHERE platform = ?1 AND chat_id = ?2 AND active = 1 ORDER BY created, topic_key")?;
        let rows = st.query_map(params![chat.platform.as_str(), chat.chat_id], row_follow)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every active follow, by platform, chat and time.
    fn active_follows(&self) -> Result<Vec<Follow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM follows WHERE active = 1 ORDER BY platform, chat_id, created, topic_key")?;
        let rows = st.query_map([], row_follow)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Messages (alerts and folds) claimed for `chat` after `since` that count as sent.
    fn messages_since(&self, chat: &ChatRef, since: DateTime<Utc>) -> Result<u32> {
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
    fn claim(&self, chat: &ChatRef, docs: &[(String, Vec<String>)], message: &str, now: DateTime<Utc>) -> Result<Vec<bool>> {
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
    fn finish(&self, chat: &ChatRef, docs: &[String], outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
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
    fn taken(&self, chat: &ChatRef, doc: &str) -> Result<bool> {
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
    fn rows_in(&self, state: &str) -> Result<Vec<LogRow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM alert_log WHERE state = ?1 ORDER BY claimed_at, platform, chat_id, doc")?;
        let rows = st.query_map([state], row_log)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every row of the alert log, oldest claim first.
    fn rows(&self) -> Result<Vec<LogRow>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM alert_log ORDER BY claimed_at, platform, chat_id, doc")?;
        let rows = st.query_map([], row_log)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Give up an alert waiting in `retry` (it will not be sent).
    fn give_up(&self, chat: &ChatRef, doc: &str, error: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE alert_log SET state = 'failed', finished_at = ?4, error = ?5 WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3 AND state = 'retry'",
            params![chat.platform.as_str(), chat.chat_id, doc, ts(now), error],
        )?;
        Ok(())
    }

    /// Settle a row left in `sending` by an earlier process: `sent`, `unknown` or `retry`.
    fn resolve_sending(&self, chat: &ChatRef, doc: &str, state: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE alert_log SET state = ?4, finished_at = ?5, error = COALESCE(error, 'interrupted while sending')
             WHERE platform = ?1 AND chat_id = ?2 AND doc = ?3 AND state = 'sending'",
            params![chat.platform.as_str(), chat.chat_id, doc, state, ts(now)],
        )?;
        Ok(())
    }
}
