//! The PostgreSQL engine of the digest store: the same tables, states and text encodings as
//! the SQLite engine ([`super::sqlite`]), in a database every replica shares.
//!
//! What changes with several writers: a claim batch locks its chats' subscription rows
//! `FOR UPDATE SKIP LOCKED`, so replicas fanning out at once each take the chats nobody else
//! is claiming and never wait on each other; the UNIQUE delivery key still decides (a chat
//! skipped here because another replica was claiming it is that replica's). Each claim
//! records the replica that made it (`claimed_by`).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use tokio_postgres::Row;

use super::{COVERING, Delivery, DeliveryState, DigestState, Outcome, Subscription, date_text, ts};
use crate::core::digest::Window;
use crate::digest::{ChatRef, Platform};
use crate::state::pg::Pg;

/// This component's name in `briefbot_migrations`.
pub const COMPONENT: &str = "digest";

/// Schema migrations, in order (the SQLite engine's schema, in PostgreSQL's types).
pub const MIGRATIONS: &[&str] = &[
    // 1: subscriptions, per-chat settings, the delivery log (with the claiming replica).
    "CREATE TABLE subscriptions (
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        time TEXT NOT NULL,
        zone TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '[]',
        active BIGINT NOT NULL DEFAULT 1,
        created TEXT NOT NULL,
        activated TEXT NOT NULL,
        updated TEXT NOT NULL,
        inactive_reason TEXT,
        PRIMARY KEY (platform, chat_id)
    );
    CREATE INDEX subscriptions_active ON subscriptions(active);
    CREATE TABLE chat_settings (
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (platform, chat_id, key)
    );
    CREATE TABLE deliveries (
        id BIGSERIAL PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        digest_date TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'unknown', 'empty', 'retry', 'failed', 'gone')),
        since TEXT NOT NULL,
        until TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        claimed_by TEXT,
        finished_at TEXT,
        attempts BIGINT NOT NULL DEFAULT 0,
        failures BIGINT NOT NULL DEFAULT 0,
        next_attempt TEXT,
        error TEXT,
        UNIQUE (platform, chat_id, digest_date)
    );
    CREATE INDEX deliveries_state ON deliveries(state);",
];

/// The PostgreSQL engine.
pub struct PgState {
    pg: Arc<Pg>,
    /// This store among the replicas (the process's id, and a number when one process opens
    /// several, as tests and the benchmark do).
    id: String,
}

impl PgState {
    /// Use the database `pg` connects to, bringing the digest tables up to date.
    pub fn open(pg: Arc<Pg>) -> Result<PgState> {
        static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        pg.migrate(COMPONENT, MIGRATIONS)?;
        let id = format!("{}#{}", crate::state::replica_id(), OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        pg.join(&id)?;
        Ok(PgState { pg, id })
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

fn platform(s: &str) -> Result<Platform> {
    Platform::parse(s).ok_or_else(|| anyhow!("unknown platform {s}"))
}

fn row_subscription(r: &Row) -> Result<Subscription> {
    let time = text(r, "time")?;
    let zone = text(r, "zone")?;
    Ok(Subscription {
        chat: ChatRef { platform: platform(&text(r, "platform")?)?, chat_id: text(r, "chat_id")?, thread_id: opt_text(r, "thread_id")? },
        time: NaiveTime::parse_from_str(&time, "%H:%M").with_context(|| format!("time {time}"))?,
        zone: zone.parse().map_err(|e: chrono_tz::ParseError| anyhow!("zone {zone}: {e}"))?,
        topics: serde_json::from_str(&text(r, "topics")?)?,
        active: r.try_get::<_, i64>("active")? != 0,
        created: parse_time(&text(r, "created")?)?,
        activated: parse_time(&text(r, "activated")?)?,
        updated: parse_time(&text(r, "updated")?)?,
        inactive_reason: opt_text(r, "inactive_reason")?,
    })
}

fn row_delivery(r: &Row) -> Result<Delivery> {
    let state = text(r, "state")?;
    let date = text(r, "digest_date")?;
    let opt_time = |name: &str| -> Result<Option<DateTime<Utc>>> { opt_text(r, name)?.map(|s| parse_time(&s)).transpose() };
    Ok(Delivery {
        platform: platform(&text(r, "platform")?)?,
        chat_id: text(r, "chat_id")?,
        date: date.parse().with_context(|| format!("date {date}"))?,
        state: DeliveryState::parse(&state).ok_or_else(|| anyhow!("unknown state {state}"))?,
        window: (parse_time(&text(r, "since")?)?, parse_time(&text(r, "until")?)?),
        claimed_at: parse_time(&text(r, "claimed_at")?)?,
        finished_at: opt_time("finished_at")?,
        attempts: u32::try_from(r.try_get::<_, i64>("attempts")?).unwrap_or(u32::MAX),
        failures: u32::try_from(r.try_get::<_, i64>("failures")?).unwrap_or(u32::MAX),
        next_attempt: opt_time("next_attempt")?,
        error: opt_text(r, "error")?,
    })
}

/// Owned `(platform, chat_id)` for a query that outlives the borrow.
fn key(chat: &ChatRef) -> (&'static str, String) {
    (chat.platform.as_str(), chat.chat_id.clone())
}

impl DigestState for PgState {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    fn location(&self) -> String {
        self.pg.shown().to_string()
    }

    fn schema_version(&self) -> Result<i64> {
        self.pg.version(COMPONENT)
    }

    fn subscribe(&self, chat: &ChatRef, time: NaiveTime, zone: Tz, topics: &[String], now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let thread = chat.thread_id.clone();
        let (time, zone, topics, now) = (time.format("%H:%M").to_string(), zone.name(), serde_json::to_string(topics)?, ts(now));
        self.pg.run(move |client| async move {
            client
                .execute(
                    "INSERT INTO subscriptions (platform, chat_id, thread_id, time, zone, topics, active, created, activated, updated, inactive_reason)
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $7, NULL)
                     ON CONFLICT (platform, chat_id) DO UPDATE SET
                        thread_id = excluded.thread_id, time = excluded.time, zone = excluded.zone, topics = excluded.topics,
                        activated = CASE WHEN subscriptions.active = 1 THEN subscriptions.activated ELSE excluded.activated END,
                        active = 1, updated = excluded.updated, inactive_reason = NULL",
                    &[&p, &c, &thread, &time, &zone, &topics, &now],
                )
                .await?;
            Ok(())
        })
    }

    fn deactivate(&self, chat: &ChatRef, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        let (p, c) = key(chat);
        let (reason, now) = (reason.to_string(), ts(now));
        self.pg.run(move |client| async move {
            let n = client
                .execute(
                    "UPDATE subscriptions SET active = 0, inactive_reason = $3, updated = $4 WHERE platform = $1 AND chat_id = $2 AND active = 1",
                    &[&p, &c, &reason, &now],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn subscription(&self, chat: &ChatRef) -> Result<Option<Subscription>> {
        let (p, c) = key(chat);
        self.pg.run(move |client| async move {
            let row = client.query_opt("SELECT * FROM subscriptions WHERE platform = $1 AND chat_id = $2", &[&p, &c]).await?;
            row.as_ref().map(row_subscription).transpose()
        })
    }

    fn prune(&self, cutoff: DateTime<Utc>) -> Result<(usize, usize)> {
        let (day, when) = (date_text(cutoff.date_naive()), ts(cutoff));
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            let deliveries = tx
                .execute(
                    "DELETE FROM deliveries WHERE digest_date < $1 AND state <> 'sending'
                       AND digest_date < (SELECT MAX(x.digest_date) FROM deliveries x WHERE x.platform = deliveries.platform AND x.chat_id = deliveries.chat_id)",
                    &[&day],
                )
                .await?;
            let gone = "SELECT platform, chat_id FROM subscriptions WHERE active = 0 AND updated < $1";
            tx.execute(&format!("DELETE FROM chat_settings WHERE (platform, chat_id) IN ({gone})"), &[&when]).await?;
            let old_log = tx.execute(&format!("DELETE FROM deliveries WHERE state <> 'sending' AND (platform, chat_id) IN ({gone})"), &[&when]).await?;
            let subscriptions = tx.execute("DELETE FROM subscriptions WHERE active = 0 AND updated < $1", &[&when]).await?;
            tx.commit().await?;
            Ok(((deliveries + old_log) as usize, subscriptions as usize))
        })
    }

    fn active_subscriptions(&self) -> Result<Vec<Subscription>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT * FROM subscriptions WHERE active = 1 ORDER BY platform, chat_id", &[]).await?;
            rows.iter().map(row_subscription).collect()
        })
    }

    fn all_subscriptions(&self) -> Result<Vec<Subscription>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT * FROM subscriptions ORDER BY platform, chat_id", &[]).await?;
            rows.iter().map(row_subscription).collect()
        })
    }

    fn subscribe_many(&self, subs: &[(ChatRef, NaiveTime, Tz, Vec<String>)], now: DateTime<Utc>) -> Result<()> {
        let rows = subs
            .iter()
            .map(|(chat, time, zone, topics)| {
                Ok((
                    chat.platform.as_str(),
                    chat.chat_id.clone(),
                    chat.thread_id.clone(),
                    time.format("%H:%M").to_string(),
                    zone.name(),
                    serde_json::to_string(topics)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let now = ts(now);
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            // `INSERT OR REPLACE` on SQLite: the whole row is new.
            let st = tx
                .prepare(
                    "INSERT INTO subscriptions (platform, chat_id, thread_id, time, zone, topics, active, created, activated, updated)
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $7)
                     ON CONFLICT (platform, chat_id) DO UPDATE SET thread_id = excluded.thread_id, time = excluded.time, zone = excluded.zone,
                        topics = excluded.topics, active = 1, created = excluded.created, activated = excluded.activated,
                        updated = excluded.updated, inactive_reason = NULL",
                )
                .await?;
            for (p, c, thread, time, zone, topics) in &rows {
                tx.execute(&st, &[p, c, thread, time, zone, topics, &now]).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn setting(&self, chat: &ChatRef, key_: &str) -> Result<Option<String>> {
        let (p, c) = key(chat);
        let k = key_.to_string();
        self.pg.run(move |client| async move {
            let row = client.query_opt("SELECT value FROM chat_settings WHERE platform = $1 AND chat_id = $2 AND key = $3", &[&p, &c, &k]).await?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    fn set_setting(&self, chat: &ChatRef, key_: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let (k, v, now) = (key_.to_string(), value.to_string(), ts(now));
        self.pg.run(move |client| async move {
            client
                .execute(
                    "INSERT INTO chat_settings (platform, chat_id, key, value, updated) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (platform, chat_id, key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                    &[&p, &c, &k, &v, &now],
                )
                .await?;
            Ok(())
        })
    }

    fn settings_named(&self, key_: &str) -> Result<HashMap<(Platform, String), String>> {
        let k = key_.to_string();
        self.pg.run(move |client| async move {
            let rows = client.query("SELECT platform, chat_id, value FROM chat_settings WHERE key = $1", &[&k]).await?;
            let mut out = HashMap::new();
            for r in rows {
                if let Some(p) = Platform::parse(r.get(0)) {
                    out.insert((p, r.get(1)), r.get(2));
                }
            }
            Ok(out)
        })
    }

    fn delivery(&self, chat: &ChatRef, date: NaiveDate) -> Result<Option<Delivery>> {
        let (p, c) = key(chat);
        let d = date_text(date);
        self.pg.run(move |client| async move {
            let row = client.query_opt("SELECT * FROM deliveries WHERE platform = $1 AND chat_id = $2 AND digest_date = $3", &[&p, &c, &d]).await?;
            row.as_ref().map(row_delivery).transpose()
        })
    }

    fn deliveries(&self) -> Result<Vec<Delivery>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT * FROM deliveries ORDER BY digest_date, platform, chat_id", &[]).await?;
            rows.iter().map(row_delivery).collect()
        })
    }

    fn deliveries_from(&self, from: NaiveDate) -> Result<HashMap<(Platform, String, NaiveDate), Delivery>> {
        let from = date_text(from);
        self.pg.run(move |client| async move {
            let rows = client.query("SELECT * FROM deliveries WHERE digest_date >= $1", &[&from]).await?;
            let mut out = HashMap::new();
            for r in &rows {
                let d = row_delivery(r)?;
                out.insert((d.platform, d.chat_id.clone(), d.date), d);
            }
            Ok(out)
        })
    }

    fn deliveries_in(&self, state: DeliveryState) -> Result<Vec<Delivery>> {
        let s = state.as_str();
        self.pg.run(move |client| async move {
            let rows = client.query("SELECT * FROM deliveries WHERE state = $1 ORDER BY digest_date, platform, chat_id", &[&s]).await?;
            rows.iter().map(row_delivery).collect()
        })
    }

    fn covered_until(&self) -> Result<HashMap<(Platform, String), DateTime<Utc>>> {
        self.pg.run(|client| async move {
            let rows = client
                .query(&format!("SELECT platform, chat_id, MAX(until) FROM deliveries WHERE state IN {COVERING} GROUP BY platform, chat_id"), &[])
                .await?;
            let mut out = HashMap::new();
            for r in rows {
                if let Some(p) = Platform::parse(r.get(0)) {
                    out.insert((p, r.get(1)), parse_time(r.get(2))?);
                }
            }
            Ok(out)
        })
    }

    fn covered_until_for(&self, chat: &ChatRef) -> Result<Option<DateTime<Utc>>> {
        let (p, c) = key(chat);
        self.pg.run(move |client| async move {
            let row =
                client.query_one(&format!("SELECT MAX(until) FROM deliveries WHERE platform = $1 AND chat_id = $2 AND state IN {COVERING}"), &[&p, &c]).await?;
            row.get::<_, Option<String>>(0).map(|t| parse_time(&t)).transpose()
        })
    }

    fn claim_many(&self, keys: &[(ChatRef, NaiveDate, Window)], now: DateTime<Utc>) -> Result<Vec<bool>> {
        let keys: Vec<(&'static str, String, String, String, String)> = keys
            .iter()
            .map(|(chat, date, window)| (chat.platform.as_str(), chat.chat_id.clone(), date_text(*date), ts(window.since), ts(window.until.unwrap_or(now))))
            .collect();
        let (now, me) = (ts(now), self.id.clone());
        self.pg.run(move |mut client| async move {
            let tx = client.transaction().await?;
            let platforms: Vec<&str> = keys.iter().map(|k| k.0).collect();
            let chats: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
            // The batch's active chats that no other claim holds right now.
            let locked = tx
                .query(
                    "SELECT s.platform, s.chat_id FROM subscriptions s
                       JOIN UNNEST($1::text[], $2::text[]) AS k(platform, chat_id) ON s.platform = k.platform AND s.chat_id = k.chat_id
                      WHERE s.active = 1
                      FOR UPDATE OF s SKIP LOCKED",
                    &[&platforms, &chats],
                )
                .await?;
            let free: std::collections::HashSet<(String, String)> = locked.iter().map(|r| (r.get(0), r.get(1))).collect();
            let insert = tx
                .prepare(
                    "INSERT INTO deliveries (platform, chat_id, digest_date, state, since, until, claimed_at, claimed_by, attempts)
                     VALUES ($1, $2, $3, 'sending', $4, $5, $6, $7, 1)
                     ON CONFLICT (platform, chat_id, digest_date) DO UPDATE SET
                        state = 'sending', claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by,
                        attempts = deliveries.attempts + 1, next_attempt = NULL
                     WHERE deliveries.state = 'retry' AND (deliveries.next_attempt IS NULL OR deliveries.next_attempt <= excluded.claimed_at)",
                )
                .await?;
            let mut out = Vec::with_capacity(keys.len());
            for (p, c, d, since, until) in &keys {
                let claimed = free.contains(&(p.to_string(), c.clone())) && tx.execute(&insert, &[p, c, d, since, until, &now, &me]).await? > 0;
                out.push(claimed);
            }
            tx.commit().await?;
            Ok(out)
        })
    }

    fn record_empty(&self, chat: &ChatRef, date: NaiveDate, window: &Window, now: DateTime<Utc>) -> Result<bool> {
        let (p, c) = key(chat);
        let (d, since, until, now) = (date_text(date), ts(window.since), ts(window.until.unwrap_or(now)), ts(now));
        self.pg.run(move |client| async move {
            let n = client
                .execute(
                    "INSERT INTO deliveries (platform, chat_id, digest_date, state, since, until, claimed_at, finished_at)
                     VALUES ($1, $2, $3, 'empty', $4, $5, $6, $6)
                     ON CONFLICT (platform, chat_id, digest_date) DO UPDATE SET state = 'empty', finished_at = excluded.finished_at
                     WHERE deliveries.state = 'retry'",
                    &[&p, &c, &d, &since, &until, &now],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn finish(&self, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let (p, c) = key(chat);
        let (d, now) = (date_text(date), ts(now));
        let outcome = outcome.clone();
        self.pg.run(move |client| async move {
            let where_ = "WHERE platform = $1 AND chat_id = $2 AND digest_date = $3 AND state = 'sending'";
            match outcome {
                Outcome::Sent => {
                    client.execute(&format!("UPDATE deliveries SET state = 'sent', finished_at = $4, error = NULL {where_}"), &[&p, &c, &d, &now]).await?
                }
                Outcome::Gone => client.execute(&format!("UPDATE deliveries SET state = 'gone', finished_at = $4 {where_}"), &[&p, &c, &d, &now]).await?,
                Outcome::Retry { at, error, failure } => {
                    client
                        .execute(
                            &format!(
                                "UPDATE deliveries SET state = 'retry', next_attempt = $5, error = $6, failures = failures + $7, finished_at = $4 {where_}"
                            ),
                            &[&p, &c, &d, &now, &ts(at), &error, &i64::from(failure)],
                        )
                        .await?
                }
                Outcome::Failed { error } => {
                    client
                        .execute(
                            &format!("UPDATE deliveries SET state = 'failed', error = $5, failures = failures + 1, finished_at = $4 {where_}"),
                            &[&p, &c, &d, &now, &error],
                        )
                        .await?
                }
            };
            Ok(())
        })
    }

    fn give_up_retries_before(&self, chat: &ChatRef, date: NaiveDate, now: DateTime<Utc>) -> Result<usize> {
        let (p, c) = key(chat);
        let (d, now) = (date_text(date), ts(now));
        self.pg.run(move |client| async move {
            let n = client
                .execute(
                    "UPDATE deliveries SET state = 'failed', finished_at = $4, error = COALESCE(error, '') || ' (superseded by a later digest)'
                     WHERE platform = $1 AND chat_id = $2 AND state = 'retry' AND digest_date < $3",
                    &[&p, &c, &d, &now],
                )
                .await?;
            Ok(n as usize)
        })
    }

    fn resolve_sending(&self, platform: Platform, chat_id: &str, date: NaiveDate, state: DeliveryState, now: DateTime<Utc>) -> Result<()> {
        let (p, c, d, s) = (platform.as_str(), chat_id.to_string(), date_text(date), state.as_str());
        let next_attempt = (state == DeliveryState::Retry).then(|| ts(now));
        let now = ts(now);
        self.pg.run(move |client| async move {
            client
                .execute(
                    "UPDATE deliveries SET state = $4, finished_at = $5, next_attempt = $6,
                        error = COALESCE(error, 'interrupted while sending')
                     WHERE platform = $1 AND chat_id = $2 AND digest_date = $3 AND state = 'sending'",
                    &[&p, &c, &d, &s, &now, &next_attempt],
                )
                .await?;
            Ok(())
        })
    }

    fn shared(&self) -> bool {
        true
    }

    fn replica(&self) -> String {
        self.id.clone()
    }

    fn orphaned_sending(&self) -> Result<Vec<Delivery>> {
        self.pg.run(|client| async move {
            let rows = client
                .query(
                    &format!(
                        "SELECT * FROM deliveries WHERE state = 'sending' AND (claimed_by IS NULL OR NOT {})
                         ORDER BY digest_date, platform, chat_id",
                        crate::state::pg::alive_sql("deliveries.claimed_by")
                    ),
                    &[],
                )
                .await?;
            rows.iter().map(row_delivery).collect()
        })
    }

    fn state_counts(&self) -> Result<HashMap<String, u64>> {
        self.pg.run(|client| async move {
            let rows = client.query("SELECT state, COUNT(*) FROM deliveries GROUP BY state", &[]).await?;
            Ok(rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64)).collect())
        })
    }
}
