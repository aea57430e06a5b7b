//! The PostgreSQL engine of the alert store: the SQLite engine's tables, states and text
//! encodings ([`super::sqlite`]) in the database every replica shares.
//!
//! What changes with several writers: a claim names its replica (`claimed_by`), and only
//! the `sending` rows of a replica whose session is gone are settled by the others
//! ([`AlertState::orphaned_sending`]); a chat's follows change under a transaction lock on
//! that chat, so two replicas answering `/follow` at once keep to [`MAX_FOLLOWS`]. The UNIQUE
//! `(platform, chat_id, doc)` key decides between claims from any replica: an article is
//! posted to a chat once.

use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use super::{AlertState, COUNTED, Follow, Followed, LogRow, MAX_FOLLOWS, Outcome};
use crate::digest::store::ts;
use crate::digest::{ChatRef, Platform};
use crate::state::pg::Pg;

/// This component's name in `briefbot_migrations`.
pub const COMPONENT: &str = "alerts";

/// Schema migrations, in order.
pub const MIGRATIONS: &[&str] = &[
    // 1: follows and the alert log (with the claiming replica).
    "CREATE TABLE follows (
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        topic TEXT NOT NULL,
        topic_key TEXT NOT NULL,
        created TEXT NOT NULL,
        active BIGINT NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        PRIMARY KEY (platform, chat_id, topic_key)
    );
    CREATE INDEX follows_active ON follows(active);
    CREATE TABLE alert_log (
        id BIGSERIAL PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        doc TEXT NOT NULL,
        topics TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'unknown', 'retry', 'failed', 'gone')),
        claimed_at TEXT NOT NULL,
        claimed_by TEXT,
        finished_at TEXT,
        failures BIGINT NOT NULL DEFAULT 0,
        error TEXT,
        UNIQUE (platform, chat_id, doc)
    );
    CREATE INDEX alert_log_sent ON alert_log(platform, chat_id, claimed_at);
    CREATE INDEX alert_log_state ON alert_log(state);",
];

/// The first key of the transaction lock a chat's follows change under (the second is
/// `hashtext(platform:chat)`): "folw".
const FOLLOW_LOCK: i32 = 0x666f_6c77;

/// The PostgreSQL engine.
pub struct PgAlerts {
    pg: Arc<Pg>,
    /// This store among the replicas (it holds a presence lock under this name).
    id: String,
}

impl PgAlerts {
    /// Use the database `pg` connects to, bringing the alert tables up to date, and join the
    /// replicas (a presence lock held while this value lives).
    pub fn open(pg: Arc<Pg>) -> Result<PgAlerts> {
        static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        pg.migrate(COMPONENT, MIGRATIONS)?;
        let id = format!("{}#alerts{}", crate::state::replica_id(), OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        pg.join(&id)?;
        Ok(PgAlerts { pg, id })
    }

    /// This store among the replicas.
    pub fn replica(&self) -> &str {
        &self.id
    }
}

fn text(r: &Row, name: &str) -> Result<String> {
    r.try_get::<_, String>(name).with_context(|| format!("column {name}"))
}

fn opt_text(r: &Row, name: &str) -> Result<Option<String>> {
    r.try_get::<_, Option<String>>(name).with_context(|| format!("column {name}"))
}

fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(s).with_context(|| format!("timestamp {s}"))?.with_timezone(&Utc))
}

fn chat_of(r: &Row) -> Result<ChatRef> {
    let p = text(r, "platform")?;
    Ok(ChatRef {
        platform: Platform::parse(&p).ok_or_else(|| anyhow!("unknown platform {p}"))?,
        chat_id: text(r, "chat_id")?,
        thread_id: opt_text(r, "thread_id")?,
    })
}

fn row_follow(r: &Row) -> Result<Follow> {
    Ok(Follow { chat: chat_of(r)?, topic: text(r, "topic")?, key: text(r, "topic_key")?, created: parse_time(&text(r, "created")?)? })
}

fn row_log(r: &Row) -> Result<LogRow> {
    Ok(LogRow {
        chat: chat_of(r)?,
        doc: text(r, "doc")?,
        topics: serde_json::from_str(&text(r, "topics")?).unwrap_or_default(),
        message: text(r, "message")?,
        state: text(r, "state")?,
        claimed_at: parse_time(&text(r, "claimed_at")?)?,
        failures: u32::try_from(r.try_get::<_, i64>("failures")?).unwrap_or(u32::MAX),
    })
}

/// Owned `(platform, chat_id)` for a query that outlives the borrow.
fn key(chat: &ChatRef) -> (&'static str, String) {
    (chat.platform.as_str(), chat.chat_id.clone())
}

impl AlertState for PgAlerts {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    fn location(&self) -> String {
        self.pg.shown().to_string()
    }

    fn schema_version(&self) -> Result<i64> {
        self.pg.version(COMPONENT)
    }

    fn follow(&self, chat: &ChatRef, topic: &str, key_: &str, now: DateTime<Utc>) -> Result<Followed> {
        let (p, c) = key(chat);
        let (thread, topic, k, now) = (chat.thread_id.clone(), topic.to_string(), key_.to_string(), ts(now));
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1, hashtext($2::text || ':' || $3::text))", &[&FOLLOW_LOCK, &p, &c]).await?;
            let existing = tx
                .query_opt("SELECT active FROM follows WHERE platform = $1 AND chat_id = $2 AND topic_key = $3", &[&p, &c, &k])
                .await?
                .map(|r| r.get::<_, i64>(0));
            let result = if existing == Some(1) {
                tx.execute("UPDATE follows SET thread_id = $4 WHERE platform = $1 AND chat_id = $2 AND topic_key = $3", &[&p, &c, &k, &thread]).await?;
                Followed::Already
            } else {
                let count: i64 = tx.query_one("SELECT COUNT(*) FROM follows WHERE platform = $1 AND chat_id = $2 AND active = 1", &[&p, &c]).await?.get(0);
                if count as usize >= MAX_FOLLOWS {
                    Followed::TooMany
                } else {
                    tx.execute(
                        "INSERT INTO follows (platform, chat_id, thread_id, topic, topic_key, created, active, inactive_reason)
                         VALUES ($1, $2, $3, $4, $5, $6, 1, NULL)
                         ON CONFLICT (platform, chat_id, topic_key) DO UPDATE SET
                            thread_id = excluded.thread_id, topic = excluded.topic, created = excluded.created, active = 1, inactive_reason = NULL",
                        &[&p, &c, &thread, &topic, &k, &now],
                    )
                    .await?;
                    Followed::Added
                }
            };
            tx.commit().await?;
            Ok(result)
        })
    }

    fn unfollow(&self, chat: &ChatRef, key_: &str) -> Result<bool> {
        let (p, c) = key(chat);
        let k = key_.to_string();
        self.pg.run(move |client| async move {
            let n = client.execute("DELETE FROM follows WHERE platform = $1 AND chat_id = $2 AND topic_key = $3 AND active = 1", &[&p, &c, &k]).await?;
            Ok(n > 0)
        })
    }

    fn unfollow_all(&self, chat: &ChatRef) -> Result<usize> {
        let (p, c) = key(chat);
        self.pg.run(move |client| async move {
            Ok(client.execute("DELETE FROM follows WHERE platform = $1 AND chat_id = $2 AND active = 1", &[&p, &c]).await? as usize)
        })
    }

    fn deactivate_chat(&self, chat: &ChatRef, reason: &str) -> Result<usize> {
        let (p, c) = key(chat);
        let reason = reason.to_string();
        self.pg.run(move |client| async move {
            Ok(client
                .execute("UPDATE follows SET active = 0, inactive_reason = $3 WHERE platform = $1 AND chat_id = $2 AND active = 1", &[&p, &c, &reason])
                .await? as usize)
        })
    }

    fn follows_of(&self, chat: &ChatRef) -> Result<Vec<Follow>> {
        let (p, c) = key(chat);
        self.pg.run(move |client| async move {
            let rows = client.query("SELECT * FROM follows WHERE platform = $1 AND chat_id = $2 AND active = 1 ORDER BY created, topic_key", &[&p, &c]).await?;
            rows.iter().map(row_follow).collect()
        })
    }

    fn active_follows(&self) -> Result<Vec<Follow>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT * FROM follows WHERE active = 1 ORDER BY platform, chat_id, created, topic_key", &[]).await?;
            rows.iter().map(row_follow).collect()
        })
    }

    fn messages_since(&self, chat: &ChatRef, since: DateTime<Utc>) -> Result<u32> {
        let (p, c) = key(chat);
        let since = ts(since);
        self.pg.run(move |client| async move {
            let n: i64 = client
                .query_one(
                    &format!("SELECT COUNT(DISTINCT message) FROM alert_log WHERE platform = $1 AND chat_id = $2 AND claimed_at > $3 AND state IN {COUNTED}"),
                    &[&p, &c, &since],
                )
                .await?
                .get(0);
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        })
    }

    fn claim(&self, chat: &ChatRef, docs: &[(String, Vec<String>)], message: &str, now: DateTime<Utc>) -> Result<Vec<bool>> {
        let (p, c) = key(chat);
        let thread = chat.thread_id.clone();
        let docs = docs.iter().map(|(d, topics)| Ok((d.clone(), serde_json::to_string(topics)?))).collect::<Result<Vec<_>>>()?;
        let (message, now, me) = (message.to_string(), ts(now), self.id.clone());
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            let insert = tx
                .prepare(
                    "INSERT INTO alert_log (platform, chat_id, thread_id, doc, topics, message, state, claimed_at, claimed_by)
                     VALUES ($1, $2, $3, $4, $5, $6, 'sending', $7, $8)
                     ON CONFLICT (platform, chat_id, doc) DO UPDATE SET
                        state = 'sending', claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by, message = excluded.message,
                        thread_id = excluded.thread_id, finished_at = NULL
                     WHERE alert_log.state = 'retry'",
                )
                .await?;
            let mut out = Vec::with_capacity(docs.len());
            for (doc, topics) in &docs {
                out.push(tx.execute(&insert, &[&p, &c, &thread, doc, topics, &message, &now, &me]).await? > 0);
            }
            tx.commit().await?;
            Ok(out)
        })
    }

    fn finish(&self, chat: &ChatRef, docs: &[String], outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let (docs, outcome, now) = (docs.to_vec(), outcome.clone(), ts(now));
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            let where_ = "WHERE platform = $1 AND chat_id = $2 AND doc = $3 AND state = 'sending'";
            for doc in &docs {
                match &outcome {
                    Outcome::Sent => {
                        tx.execute(&format!("UPDATE alert_log SET state = 'sent', finished_at = $4, error = NULL {where_}"), &[&p, &c, doc, &now]).await?
                    }
                    Outcome::Gone => tx.execute(&format!("UPDATE alert_log SET state = 'gone', finished_at = $4 {where_}"), &[&p, &c, doc, &now]).await?,
                    Outcome::Retry { error, failure } => {
                        tx.execute(
                            &format!("UPDATE alert_log SET state = 'retry', finished_at = $4, error = $5, failures = failures + $6 {where_}"),
                            &[&p, &c, doc, &now, error, &i64::from(*failure)],
                        )
                        .await?
                    }
                    Outcome::Failed { error } => {
                        tx.execute(&format!("UPDATE alert_log SET state = 'failed', finished_at = $4, error = $5 {where_}"), &[&p, &c, doc, &now, error])
                            .await?
                    }
                };
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn taken(&self, chat: &ChatRef, doc: &str) -> Result<bool> {
        let (p, c) = key(chat);
        let doc = doc.to_string();
        self.pg.run(move |client| async move {
            let row = client.query_opt("SELECT state FROM alert_log WHERE platform = $1 AND chat_id = $2 AND doc = $3", &[&p, &c, &doc]).await?;
            Ok(row.is_some_and(|r| r.get::<_, String>(0) != "retry"))
        })
    }

    fn rows_in(&self, state: &str) -> Result<Vec<LogRow>> {
        let state = state.to_string();
        self.pg.run(move |client| async move {
            let rows = client.query("SELECT * FROM alert_log WHERE state = $1 ORDER BY claimed_at, platform, chat_id, doc", &[&state]).await?;
            rows.iter().map(row_log).collect()
        })
    }

    fn rows(&self) -> Result<Vec<LogRow>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT * FROM alert_log ORDER BY claimed_at, platform, chat_id, doc", &[]).await?;
            rows.iter().map(row_log).collect()
        })
    }

    fn give_up(&self, chat: &ChatRef, doc: &str, error: &str, now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let (doc, error, now) = (doc.to_string(), error.to_string(), ts(now));
        self.pg.run(move |client| async move {
            client
                .execute(
                    "UPDATE alert_log SET state = 'failed', finished_at = $4, error = $5 WHERE platform = $1 AND chat_id = $2 AND doc = $3 AND state = 'retry'",
                    &[&p, &c, &doc, &now, &error],
                )
                .await?;
            Ok(())
        })
    }

    fn resolve_sending(&self, chat: &ChatRef, doc: &str, state: &str, now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let (doc, state, now) = (doc.to_string(), state.to_string(), ts(now));
        self.pg.run(move |client| async move {
            client
                .execute(
                    "UPDATE alert_log SET state = $4, finished_at = $5, error = COALESCE(error, 'interrupted while sending')
                     WHERE platform = $1 AND chat_id = $2 AND doc = $3 AND state = 'sending'",
                    &[&p, &c, &doc, &state, &now],
                )
                .await?;
            Ok(())
        })
    }

    fn orphaned_sending(&self) -> Result<Vec<LogRow>> {
        self.pg.run(|client| async move {
            let rows = client
                .query(
                    &format!(
                        "SELECT * FROM alert_log WHERE state = 'sending' AND (claimed_by IS NULL OR NOT {})
                         ORDER BY claimed_at, platform, chat_id, doc",
                        crate::state::pg::alive_sql("alert_log.claimed_by")
                    ),
                    &[],
                )
                .await?;
            rows.iter().map(row_log).collect()
        })
    }

    fn shared(&self) -> bool {
        true
    }
}
