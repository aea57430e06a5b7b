//! Shared pieces of the digest tests: a fake chat platform that records what it accepted
//! and can misbehave on demand, an empty article source, fixture articles and time helpers.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use briefbot::core::answer::Answer;
use briefbot::core::digest::ArticleSource;
use briefbot::core::engine::{ArticleInfo, ExportQuote};
use briefbot::core::error::CoreError;
use briefbot::digest::{ChatRef, Clock, Confirmation, DigestSender, SendError, Store, TestClock};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use tokio::sync::Notify;

#[cfg(feature = "postgres")]
#[path = "../pg_support/mod.rs"]
pub mod pg_support;

/// The engine the digest suites run on: `BRIEFBOT_TEST_STATE=postgres` runs them on a real
/// PostgreSQL (CI runs them once on each engine); anything else, SQLite.
pub fn on_postgres() -> bool {
    std::env::var("BRIEFBOT_TEST_STATE").is_ok_and(|v| v.eq_ignore_ascii_case("postgres"))
}

/// The test server's database for the data folder `dir`: made on first use, the same for
/// the same `dir` (a restart, or another store of the same process).
#[cfg(feature = "postgres")]
pub fn database_for(dir: &Path) -> String {
    static DATABASES: std::sync::OnceLock<Mutex<HashMap<std::path::PathBuf, String>>> = std::sync::OnceLock::new();
    DATABASES.get_or_init(Default::default).lock().unwrap().entry(dir.to_path_buf()).or_insert_with(|| pg_support::fresh_database("digest")).clone()
}

/// The store of the data folder `dir`: the SQLite file there, or (on PostgreSQL) a database
/// of the test server made for `dir` on first use and opened again for the same `dir` (a
/// restart).
pub fn open_store(dir: &Path) -> anyhow::Result<Store> {
    if !on_postgres() {
        return Store::open_in(dir);
    }
    #[cfg(feature = "postgres")]
    return Store::open_state(&briefbot::state::StateLocation::Postgres(database_for(dir)), dir);
    #[cfg(not(feature = "postgres"))]
    panic!("BRIEFBOT_TEST_STATE=postgres needs the `postgres` feature");
}

/// The alert store of the data folder `dir`, on the engine [`open_store`] uses (on
/// PostgreSQL: the same database, through a connection of its own, as another process has).
pub fn open_alert_store(dir: &Path) -> anyhow::Result<briefbot::alerts::AlertStore> {
    if !on_postgres() {
        return briefbot::alerts::AlertStore::open_in(dir);
    }
    #[cfg(feature = "postgres")]
    return briefbot::alerts::AlertStore::open_state(&briefbot::state::StateLocation::Postgres(database_for(dir)), dir);
    #[cfg(not(feature = "postgres"))]
    panic!("BRIEFBOT_TEST_STATE=postgres needs the `postgres` feature");
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

/// A corpus with nothing in it.
pub struct NoArticles;

impl ArticleSource for NoArticles {
    fn articles_since(&self, _since: DateTime<Utc>) -> Vec<ArticleInfo> {
        Vec::new()
    }
    fn article_sentences(&self, _doc: &str) -> Result<Vec<String>, CoreError> {
        Ok(Vec::new())
    }
    fn article_quotes(&self, _doc: &str) -> Result<Vec<ExportQuote>, CoreError> {
        Ok(Vec::new())
    }
}

/// One message the fake platform accepted.
#[derive(Debug, Clone)]
pub struct Posted {
    pub chat: ChatRef,
    pub at: DateTime<Utc>,
    pub answer: Answer,
}

/// The fake platform's state, shared by every sender made for it (across "restarts").
#[derive(Default)]
pub struct PlatformState {
    pub posted: Vec<Posted>,
    /// Calls to send (accepted or not).
    pub calls: usize,
    /// Chats that blocked the bot.
    pub gone: HashSet<String>,
    /// Remaining transient failures per chat.
    pub transient: HashMap<String, u32>,
    /// Every n-th call answers 429 (retry after 2 s).
    pub rate_limit_every: Option<usize>,
    pub rate_limited: usize,
    /// After this many accepted messages, the next one is accepted and then its call
    /// never returns (the process "dies" with that request in flight).
    pub hang_after: Option<usize>,
    /// An outage: until this instant every call fails for every chat (503), nothing posted.
    pub unavailable_until: Option<DateTime<Utc>>,
    /// When each call failed during the outage.
    pub outage_calls: Vec<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct FakePlatform {
    pub state: Arc<Mutex<PlatformState>>,
    pub clock: TestClock,
    /// Notified when a call hangs.
    pub hung: Arc<Notify>,
}

impl FakePlatform {
    pub fn new(clock: TestClock) -> Self {
        FakePlatform { state: Arc::default(), clock, hung: Arc::new(Notify::new()) }
    }

    pub fn with<F: FnOnce(&mut PlatformState)>(&self, f: F) -> &Self {
        f(&mut self.state.lock().unwrap());
        self
    }

    /// A sender that cannot confirm after a crash (like Telegram).
    pub fn sender(&self) -> FakeSender {
        FakeSender { platform: self.clone(), confirms: false }
    }

    /// A sender that can read back what it posted (like Discord).
    pub fn confirming_sender(&self) -> FakeSender {
        FakeSender { platform: self.clone(), confirms: true }
    }

    pub fn posted(&self) -> Vec<Posted> {
        self.state.lock().unwrap().posted.clone()
    }

    /// How many messages each chat got.
    pub fn counts(&self) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for p in self.posted() {
            *out.entry(p.chat.chat_id.clone()).or_default() += 1;
        }
        out
    }
}

pub struct FakeSender {
    platform: FakePlatform,
    confirms: bool,
}

impl DigestSender for FakeSender {
    async fn send(&self, chat: &ChatRef, digest: &Answer) -> Result<(), SendError> {
        // Several sends are in flight at once. A confirming platform is "slow to accept"
        // (a kill may catch requests it never accepted: it can say so after a restart);
        // the other one accepts at once and is slow to answer (a kill catches requests it
        // accepted: the policy for unknown outcomes is not to resend).
        if self.confirms {
            tokio::task::yield_now().await;
        }
        let hang = {
            let mut s = self.platform.state.lock().unwrap();
            s.calls += 1;
            let now = self.platform.clock.now();
            if s.unavailable_until.is_some_and(|until| now < until) {
                s.outage_calls.push(now);
                return Err(SendError::Unavailable("503 Service Unavailable".into()));
            }
            if s.gone.contains(&chat.chat_id) {
                return Err(SendError::Gone);
            }
            if let Some(n) = s.transient.get_mut(&chat.chat_id).filter(|n| **n > 0) {
                *n -= 1;
                return Err(SendError::Transient("502 Bad Gateway".into()));
            }
            if s.rate_limit_every.is_some_and(|k| s.calls.is_multiple_of(k)) {
                s.rate_limited += 1;
                return Err(SendError::RateLimited { retry_after: Duration::from_secs(2) });
            }
            let hang = s.hang_after.is_some_and(|n| s.posted.len() == n);
            s.posted.push(Posted { chat: chat.clone(), at: self.platform.clock.now(), answer: digest.clone() });
            hang
        };
        if hang {
            self.platform.hung.notify_one();
            std::future::pending::<()>().await;
        }
        if !self.confirms {
            tokio::task::yield_now().await;
        }
        Ok(())
    }

    async fn confirm(&self, chat: &ChatRef, claimed_at: DateTime<Utc>) -> Confirmation {
        if !self.confirms {
            return Confirmation::Unknown;
        }
        let s = self.platform.state.lock().unwrap();
        if s.posted.iter().any(|p| p.chat.chat_id == chat.chat_id && p.at >= claimed_at) { Confirmation::Delivered } else { Confirmation::NotDelivered }
    }
}

/// Write an article with front matter.
pub fn write_article(dir: &Path, name: &str, title: &str, date: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let text = format!("---\ntitle: \"{title}\"\ndate: {date}\nurl: https://example.org/{name}\n---\n{body}\n");
    std::fs::write(dir.join(format!("{name}.md")), text).unwrap();
}

/// The doc ids an answer's items cite, item by item.
pub fn cited(answer: &Answer) -> Vec<Vec<String>> {
    answer.items.iter().map(|i| i.sources.iter().map(|s| s.doc.clone()).collect()).collect()
}

/// Every doc id an answer cites.
pub fn all_cited(answer: &Answer) -> HashSet<String> {
    answer.items.iter().flat_map(|i| i.sources.iter().map(|s| s.doc.clone())).collect()
}
