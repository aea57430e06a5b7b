//! The SQLite engine of the state store: one file (`<data>/briefbot.sqlite3`, WAL,
//! `synchronous=FULL`), one connection behind a mutex (every call is short).
//! Migrations are versioned through `PRAGMA user_version`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{COVERING, Delivery, DeliveryState, DigestState, Outcome, StoreDamaged, Subscription, date_text, ts};
use crate::core::digest::Window;
use crate::digest::{ChatRef, Platform, STORE_FILE};

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: subscriptions, per-chat settings, the delivery log.
    "CREATE TABLE subscriptions (
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        time TEXT NOT NULL,
        zone TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '[]',
        active INTEGER NOT NULL DEFAULT 1,
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
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        digest_date TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'unknown', 'empty', 'retry', 'failed', 'gone')),
        since TEXT NOT NULL,
        until TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        finished_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        error TEXT,
        UNIQUE (platform, chat_id, digest_date)
    );
    CREATE INDEX deliveries_state ON deliveries(state);",
];

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn conv_err(msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, msg.into())
}

/// Errors of SQLite that mean the file itself is damaged.
fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// The SQLite engine.
pub struct SqliteState {
    conn: Mutex<Connection>,
    path: PathBuf,
}

fn row_subscription(r: &Row<'_>) -> rusqlite::Result<Subscription> {
    let platform: String = r.get("platform")?;
    let platform = Platform::parse(&platform).ok_or_else(|| conv_err(format!("unknown platform {platform}")))?;
    let time: String = r.get("time")?;
    let zone: String = r.get("zone")?;
    let topics: String = r.get("topics")?;
    Ok(Subscription {
        chat: ChatRef { platform, chat_id: r.get("chat_id")?, thread_id: r.get("thread_id")? },
        time: NaiveTime::parse_from_str(&time, "%H:%M").map_err(|e| conv_err(e.to_string()))?,
        zone: zone.parse().map_err(|e: chrono_tz::ParseError| conv_err(e.to_string()))?,
        topics: serde_json::from_str(&topics).map_err(|e| conv_err(e.to_string()))?,
        active: r.get::<_, i64>("active")? != 0,
        created: parse_ts(&r.get::<_, String>("created")?)?,
        activated: parse_ts(&r.get::<_, String>("activated")?)?,
        updated: parse_ts(&r.get::<_, String>("updated")?)?,
        inactive_reason: r.get("inactive_reason")?,
    })
}

fn row_delivery(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    let platform: String = r.get("platform")?;
    let state: String = r.get("state")?;
    let date: String = r.get("digest_date")?;
    let opt_ts = |name: &str| -> rusqlite::Result<Option<DateTime<Utc>>> { r.get::<_, Option<String>>(name)?.map(|s| parse_ts(&s)).transpose() };
    Ok(Delivery {
        platform: Platform::parse(&platform).ok_or_else(|| conv_err(format!("unknown platform {platform}")))?,
        chat_id: r.get("chat_id")?,
        date: date.parse().map_err(|e: chrono::ParseError| conv_err(e.to_string()))?,
        state: DeliveryState::parse(&state).ok_or_else(|| conv_err(format!("unknown state {state}")))?,
        window: (parse_ts(&r.get::<_, String>("since")?)?, parse_ts(&r.get::<_, String>("until")?)?),
        claimed_at: parse_ts(&r.get::<_, String>("claimed_at")?)?,
        finished_at: opt_ts("finished_at")?,
        attempts: r.get("attempts")?,
        failures: r.get("failures")?,
        next_attempt: opt_ts("next_attempt")?,
        error: r.get("error")?,
    })
}

impl SqliteState {
    /// Open (or create) `<data_dir>/briefbot.sqlite3`.
    pub fn open_in(data_dir: &Path) -> Result<SqliteState> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
        SqliteState::open(&data_dir.join(STORE_FILE))
    }

    /// Open (or create) the store at `path` and bring its schema up to date. A damaged file
    /// is found before anything is written to it, and is a [`StoreDamaged`] error.
    pub fn open(path: &Path) -> Result<SqliteState> {
        let mut conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Read-only, and first: nothing is written to a damaged file (not even the journal mode).
        let damaged = |detail: String| StoreDamaged { path: path.to_path_buf(), detail };
        match conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)) {
            Ok(ok) if ok == "ok" => {}
            Ok(problem) => return Err(damaged(problem.lines().next().unwrap_or_default().to_string()).into()),
            Err(e) if is_corruption(&e) => return Err(damaged(e.to_string()).into()),
            Err(e) => return Err(anyhow::Error::new(e).context(format!("checking {}", path.display()))),
        }
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!("digest store {}: journal mode is {mode}, not WAL", path.display());
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            bail!("{} was written by a newer briefbot (schema {version}, this one knows {known})", path.display());
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql).with_context(|| format!("migrating {} to schema {}", path.display(), i + 1))?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(SqliteState { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Let the file grow to at most `pages` pages (`None`: no limit): writes beyond fail
    /// with `SQLITE_FULL`, exactly as on a full disk. For tests of what a full disk does.
    pub fn limit_pages(&self, pages: Option<u32>) -> Result<u32> {
        let n = pages.map_or(u32::MAX / 2, |p| p.max(1));
        Ok(self.lock().query_row(&format!("PRAGMA max_page_count = {n}"), [], |r| r.get(0))?)
    }

    /// Pages the file has now.
    pub fn page_count(&self) -> Result<u32> {
        Ok(self.lock().query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.lock().query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// [`DigestState::finish`] on a connection.
    fn finish_in(conn: &Connection, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let key = params![chat.platform.as_str(), chat.chat_id, date_text(date), ts(now)];
        let where_ = "WHERE platform = ?1 AND chat_id = ?2 AND digest_date = ?3 AND state = 'sending'";
        match outcome {
            Outcome::Sent => conn.execute(&format!("UPDATE deliveries SET state = 'sent', finished_at = ?4, error = NULL {where_}"), key)?,
            Outcome::Gone => conn.execute(&format!("UPDATE deliveries SET state = 'gone', finished_at = ?4 {where_}"), key)?,
            Outcome::Retry { at, error, failure } => conn.execute(
                &format!("UPDATE deliveries SET state = 'retry', next_attempt = ?5, error = ?6, failures = failures + ?7, finished_at = ?4 {where_}"),
                params![chat.platform.as_str(), chat.chat_id, date_text(date), ts(now), ts(*at), error, i64::from(*failure)],
            )?,
            Outcome::Failed { error } => conn.execute(
                &format!("UPDATE deliveries SET state = 'failed', error = ?5, failures = failures + 1, finished_at = ?4 {where_}"),
                params![chat.platform.as_str(), chat.chat_id, date_text(date), ts(now), error],
            )?,
        };
        Ok(())
    }
}

impl DigestState for SqliteState {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn limit_pages(&self, pages: Option<u32>) -> Result<u32> {
        SqliteState::limit_pages(self, pages)
    }

    fn page_count(&self) -> Result<u32> {
        SqliteState::page_count(self)
    }

    fn schema_version(&self) -> Result<i64> {
        SqliteState::schema_version(self)
    }

    /// Subscribe a chat (or change its subscription). A new or re-activated subscription
    /// owes no digest for slots before `now`.
    fn subscribe(&self, chat: &ChatRef, time: NaiveTime, zone: Tz, topics: &[String], now: DateTime<Utc>) -> Result<()> {
        let topics_json = serde_json::to_string(topics)?;
        let now_s = ts(now);
        {
            let conn = self.lock();
            conn.execute(
                "INSERT INTO subscriptions (platform, chat_id, thread_id, time, zone, topics, active, created, activated, updated, inactive_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7, ?7, NULL)
                 ON CONFLICT (platform, chat_id) DO UPDATE SET
                    thread_id = excluded.thread_id, time = excluded.time, zone = excluded.zone, topics = excluded.topics,
                    activated = CASE WHEN subscriptions.active = 1 THEN subscriptions.activated ELSE excluded.activated END,
                    active = 1, updated = excluded.updated, inactive_reason = NULL",
                params![chat.platform.as_str(), chat.chat_id, chat.thread_id, time.format("%H:%M").to_string(), zone.name(), topics_json, now_s],
            )?;
        }
        Ok(())
    }

    /// Switch a subscription off with a reason ("unsubscribed", "gone"). True when it was on.
    fn deactivate(&self, chat: &ChatRef, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        let n = self.lock().execute(
            "UPDATE subscriptions SET active = 0, inactive_reason = ?3, updated = ?4 WHERE platform = ?1 AND chat_id = ?2 AND active = 1",
            params![chat.platform.as_str(), chat.chat_id, reason, ts(now)],
        )?;
        Ok(n > 0)
    }

    /// A chat's subscription, active or not.
    fn subscription(&self, chat: &ChatRef) -> Result<Option<Subscription>> {
        Ok(self
            .lock()
            .query_row("SELECT * FROM subscriptions WHERE platform = ?1 AND chat_id = ?2", params![chat.platform.as_str(), chat.chat_id], row_subscription)
            .optional()?)
    }

    /// Forget what is older than `cutoff`: delivery-log rows of earlier dates (except each
    /// chat's latest, which says up to when the chat is covered), and subscriptions switched
    /// off before it, with their settings and log. Rows still `sending` are left for
    /// start-up recovery. Returns (delivery rows, subscriptions) deleted.
    fn prune(&self, cutoff: DateTime<Utc>) -> Result<(usize, usize)> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let day = date_text(cutoff.date_naive());
        let deliveries = tx.execute(
            "DELETE FROM deliveries WHERE digest_date < ?1 AND state <> 'sending'
               AND digest_date < (SELECT MAX(x.digest_date) FROM deliveries x WHERE x.platform = deliveries.platform AND x.chat_id = deliveries.chat_id)",
            params![day],
        )?;
        let gone = "SELECT platform, chat_id FROM subscriptions WHERE active = 0 AND updated < ?1";
        let when = ts(cutoff);
        tx.execute(&format!("DELETE FROM chat_settings WHERE (platform, chat_id) IN ({gone})"), params![when])?;
        let old_log = tx.execute(&format!("DELETE FROM deliveries WHERE state <> 'sending' AND (platform, chat_id) IN ({gone})"), params![when])?;
        let subscriptions = tx.execute("DELETE FROM subscriptions WHERE active = 0 AND updated < ?1", params![when])?;
        tx.commit()?;
        Ok((deliveries + old_log, subscriptions))
    }

    /// Every active subscription, by platform and chat.
    fn active_subscriptions(&self) -> Result<Vec<Subscription>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM subscriptions WHERE active = 1 ORDER BY platform, chat_id")?;
        let rows = st.query_map([], row_subscription)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every subscription, active or not.
    fn all_subscriptions(&self) -> Result<Vec<Subscription>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM subscriptions ORDER BY platform, chat_id")?;
        let rows = st.query_map([], row_subscription)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Add many subscriptions in one transaction (benchmarks, imports).
    fn subscribe_many(&self, subs: &[(ChatRef, NaiveTime, Tz, Vec<String>)], now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        {
            let mut st = tx.prepare(
                "INSERT OR REPLACE INTO subscriptions (platform, chat_id, thread_id, time, zone, topics, active, created, activated, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7, ?7)",
            )?;
            let now_s = ts(now);
            for (chat, time, zone, topics) in subs {
                st.execute(params![
                    chat.platform.as_str(),
                    chat.chat_id,
                    chat.thread_id,
                    time.format("%H:%M").to_string(),
                    zone.name(),
                    serde_json::to_string(topics)?,
                    now_s
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A per-chat setting.
    fn setting(&self, chat: &ChatRef, key: &str) -> Result<Option<String>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT value FROM chat_settings WHERE platform = ?1 AND chat_id = ?2 AND key = ?3",
                params![chat.platform.as_str(), chat.chat_id, key],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_setting(&self, chat: &ChatRef, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "INSERT INTO chat_settings (platform, chat_id, key, value, updated) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (platform, chat_id, key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
            params![chat.platform.as_str(), chat.chat_id, key, value, ts(now)],
        )?;
        Ok(())
    }

    /// One setting for every chat that has it: `(platform, chat_id) -> value`.
    fn settings_named(&self, key: &str) -> Result<HashMap<(Platform, String), String>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT platform, chat_id, value FROM chat_settings WHERE key = ?1")?;
        let rows = st.query_map([key], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (p, c, v) = row?;
            if let Some(p) = Platform::parse(&p) {
                out.insert((p, c), v);
            }
        }
        Ok(out)
    }

    /// The delivery log row of one chat and date.
    fn delivery(&self, chat: &ChatRef, date: NaiveDate) -> Result<Option<Delivery>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT * FROM deliveries WHERE platform = ?1 AND chat_id = ?2 AND digest_date = ?3",
                params![chat.platform.as_str(), chat.chat_id, date_text(date)],
                row_delivery,
            )
            .optional()?)
    }

    /// Every row of the delivery log (oldest date first).
    fn deliveries(&self) -> Result<Vec<Delivery>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM deliveries ORDER BY digest_date, platform, chat_id")?;
        let rows = st.query_map([], row_delivery)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Rows from `from` (a local date) on, by key.
    fn deliveries_from(&self, from: NaiveDate) -> Result<HashMap<(Platform, String, NaiveDate), Delivery>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM deliveries WHERE digest_date >= ?1")?;
        let rows = st.query_map([date_text(from)], row_delivery)?;
        let mut out = HashMap::new();
        for d in rows {
            let d = d?;
            out.insert((d.platform, d.chat_id.clone(), d.date), d);
        }
        Ok(out)
    }

    /// Rows in one state.
    fn deliveries_in(&self, state: DeliveryState) -> Result<Vec<Delivery>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT * FROM deliveries WHERE state = ?1 ORDER BY digest_date, platform, chat_id")?;
        let rows = st.query_map([state.as_str()], row_delivery)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The end of the last window delivered (or deliberately skipped as empty) per chat.
    fn covered_until(&self) -> Result<HashMap<(Platform, String), DateTime<Utc>>> {
        let conn = self.lock();
        let mut st =
            conn.prepare_cached(&format!("SELECT platform, chat_id, MAX(until) FROM deliveries WHERE state IN {COVERING} GROUP BY platform, chat_id"))?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (p, c, t) = row?;
            if let Some(p) = Platform::parse(&p) {
                out.insert((p, c), parse_ts(&t)?);
            }
        }
        Ok(out)
    }

    /// The end of the last window covered for one chat.
    fn covered_until_for(&self, chat: &ChatRef) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self.lock().query_row(
            &format!("SELECT MAX(until) FROM deliveries WHERE platform = ?1 AND chat_id = ?2 AND state IN {COVERING}"),
            params![chat.platform.as_str(), chat.chat_id],
            |r| r.get(0),
        )?;
        Ok(t.map(|t| parse_ts(&t)).transpose()?)
    }

    /// [`Store::claim`] for several keys in one transaction (one sync: group commit).
    fn claim_many(&self, keys: &[(ChatRef, NaiveDate, Window)], now: DateTime<Utc>) -> Result<Vec<bool>> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(keys.len());
        {
            let mut active = tx.prepare_cached("SELECT active FROM subscriptions WHERE platform = ?1 AND chat_id = ?2")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO deliveries (platform, chat_id, digest_date, state, since, until, claimed_at, attempts)
                 VALUES (?1, ?2, ?3, 'sending', ?4, ?5, ?6, 1)
                 ON CONFLICT (platform, chat_id, digest_date) DO UPDATE SET
                    state = 'sending', claimed_at = excluded.claimed_at, attempts = deliveries.attempts + 1, next_attempt = NULL
                 WHERE deliveries.state = 'retry' AND (deliveries.next_attempt IS NULL OR deliveries.next_attempt <= excluded.claimed_at)",
            )?;
            for (chat, date, window) in keys {
                let is_active = active.query_row(params![chat.platform.as_str(), chat.chat_id], |r| r.get::<_, i64>(0)).optional()?.is_some_and(|a| a != 0);
                let claimed = is_active
                    && insert.execute(params![
                        chat.platform.as_str(),
                        chat.chat_id,
                        date_text(*date),
                        ts(window.since),
                        ts(window.until.unwrap_or(now)),
                        ts(now)
                    ])? > 0;
                out.push(claimed);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// Record that `(chat, date)` had nothing to post (and nothing was posted). False when
    /// the key was taken.
    fn record_empty(&self, chat: &ChatRef, date: NaiveDate, window: &Window, now: DateTime<Utc>) -> Result<bool> {
        let n = self.lock().execute(
            "INSERT INTO deliveries (platform, chat_id, digest_date, state, since, until, claimed_at, finished_at)
             VALUES (?1, ?2, ?3, 'empty', ?4, ?5, ?6, ?6)
             ON CONFLICT (platform, chat_id, digest_date) DO UPDATE SET state = 'empty', finished_at = excluded.finished_at
             WHERE deliveries.state = 'retry'",
            params![chat.platform.as_str(), chat.chat_id, date_text(date), ts(window.since), ts(window.until.unwrap_or(now)), ts(now)],
        )?;
        Ok(n > 0)
    }

    /// Record how a claimed send ended. Only a row in `sending` changes.
    ///
    /// Not synced to disk on its own (`synchronous = NORMAL` for this write): if the
    /// machine loses power before the next synced write, the row reads `sending` again and
    /// start-up recovery settles it, never by sending twice. The next claim's sync makes
    /// it durable anyway (WAL frames are synced in order).
    fn finish(&self, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let conn = self.lock();
        conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        let r = SqliteState::finish_in(&conn, chat, date, outcome, now);
        conn.execute_batch("PRAGMA synchronous = FULL")?;
        r
    }

    /// Give up a chat's `retry` rows of dates before `date` (a later digest supersedes them).
    fn give_up_retries_before(&self, chat: &ChatRef, date: NaiveDate, now: DateTime<Utc>) -> Result<usize> {
        Ok(self.lock().execute(
            "UPDATE deliveries SET state = 'failed', finished_at = ?4, error = COALESCE(error, '') || ' (superseded by a later digest)'
             WHERE platform = ?1 AND chat_id = ?2 AND state = 'retry' AND digest_date < ?3",
            params![chat.platform.as_str(), chat.chat_id, date_text(date), ts(now)],
        )?)
    }

    /// Settle a row left in `sending` by an earlier process.
    fn resolve_sending(&self, platform: Platform, chat_id: &str, date: NaiveDate, state: DeliveryState, now: DateTime<Utc>) -> Result<()> {
        let next_attempt = (state == DeliveryState::Retry).then(|| ts(now));
        self.lock().execute(
            "UPDATE deliveries SET state = ?4, finished_at = ?5, next_attempt = ?6,
                error = COALESCE(error, 'interrupted while sending')
             WHERE platform = ?1 AND chat_id = ?2 AND digest_date = ?3 AND state = 'sending'",
            params![platform.as_str(), chat_id, date_text(date), state.as_str(), ts(now), next_attempt],
        )?;
        Ok(())
    }

    /// Counts of delivery rows by state.
    fn state_counts(&self) -> Result<HashMap<String, u64>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached("SELECT state, COUNT(*) FROM deliveries GROUP BY state")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
    }
}
