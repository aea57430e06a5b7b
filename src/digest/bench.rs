//! The digest benchmark: compose and fan out one day's digest to many subscribed chats
//! against a local fake platform that enforces a rate limit (and answers 429 with a
//! `retry_after` when it is exceeded), then count what arrived: every chat exactly once,
//! no loss to 429s. Figures, not pass/fail; the counts are checked by the caller.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use chrono::{DateTime, Duration as ChronoDuration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::scheduler::Scheduler;
use super::settings::DigestSettings;
use super::store::Store;
use super::{ChatRef, DigestSender, Platform, SendError, Senders, SystemClock};
use crate::bench::generator;
use crate::core::answer::Answer;
use crate::core::digest::ArticleSource;
use crate::core::engine::{Engine, EngineOptions};

#[derive(Debug, Clone)]
pub struct DigestBenchOptions {
    /// Subscribed chats (10,000 is the reference size).
    pub chats: usize,
    /// Articles in the day's corpus.
    pub articles: usize,
    /// Where the generated corpus and the store live (wiped at each run).
    pub work_dir: PathBuf,
    /// The fan-out's pace (`digest.max_per_second`).
    pub max_per_second: u32,
    /// What the fake platform accepts per second; above it, 429 with `retry_after`.
    pub platform_limit: u32,
    /// Simulated network latency per send.
    pub latency: Duration,
    pub seed: u64,
}

impl Default for DigestBenchOptions {
    fn default() -> Self {
        DigestBenchOptions {
            chats: 10_000,
            articles: 200,
            work_dir: PathBuf::from("target/bench-digest"),
            max_per_second: 1_000,
            platform_limit: 800,
            latency: Duration::from_millis(2),
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DigestBenchReport {
    pub chats: usize,
    /// Distinct digests composed (chats with the same zone, slot and topics share one).
    pub distinct_digests: usize,
    pub compose: Duration,
    pub fanout: Duration,
    pub sent: u64,
    pub empty: u64,
    pub sends_per_second: f64,
    /// 429 answers from the fake platform.
    pub rate_limited: u64,
    /// Chats that got a 429 and never their digest (must be 0).
    pub losses_to_429: u64,
    /// Chats that got nothing and had something to get (must be 0).
    pub missing: u64,
    /// Chats that got the digest more than once (must be 0).
    pub duplicates: u64,
}

/// A fake chat platform: a sliding one-second window of accepted messages.
pub struct FakePlatform {
    limit: usize,
    latency: Duration,
    window: Mutex<VecDeque<Instant>>,
    delivered: Mutex<HashMap<String, u32>>,
    limited_chats: Mutex<HashMap<String, u32>>,
    rate_limited: AtomicU64,
}

impl FakePlatform {
    pub fn new(limit_per_second: u32, latency: Duration) -> Self {
        FakePlatform {
            limit: limit_per_second.max(1) as usize,
            latency,
            window: Mutex::new(VecDeque::new()),
            delivered: Mutex::new(HashMap::new()),
            limited_chats: Mutex::new(HashMap::new()),
            rate_limited: AtomicU64::new(0),
        }
    }

    fn admit(&self) -> Result<(), Duration> {
        let now = Instant::now();
        let mut w = self.window.lock().expect("window lock");
        while w.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            w.pop_front();
        }
        if w.len() >= self.limit {
            let oldest = *w.front().expect("window is full");
            return Err(Duration::from_secs(1).saturating_sub(now.duration_since(oldest)).max(Duration::from_millis(1)));
        }
        w.push_back(now);
        Ok(())
    }
}

/// The fake platform as a [`DigestSender`].
#[derive(Clone)]
pub struct FakeSender(pub Arc<FakePlatform>);

impl DigestSender for FakeSender {
    async fn send(&self, chat: &ChatRef, _digest: &Answer) -> Result<(), SendError> {
        if !self.0.latency.is_zero() {
            tokio::time::sleep(self.0.latency).await;
        }
        match self.0.admit() {
            Ok(()) => {
                *self.0.delivered.lock().expect("delivered lock").entry(chat.chat_id.clone()).or_default() += 1;
                Ok(())
            }
            Err(retry_after) => {
                self.0.rate_limited.fetch_add(1, Ordering::Relaxed);
                *self.0.limited_chats.lock().expect("limited lock").entry(chat.chat_id.clone()).or_default() += 1;
                Err(SendError::RateLimited { retry_after })
            }
        }
    }
}

/// Set every file's modification time under `dir` (arrival time of a fresh index).
fn set_mtimes(dir: &std::path::Path, t: SystemTime) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            set_mtimes(&path, t)?;
        } else {
            std::fs::File::options().write(true).open(&path)?.set_modified(t)?;
        }
    }
    Ok(())
}

/// A daily slot that fell due a few minutes ago, today in `zone`: five minutes back, or local
/// midnight when five minutes back is yesterday there (a slot of yesterday is not sent
/// today, so a bench run just after a zone's midnight would find those chats not due).
fn recent_slot(now: DateTime<Utc>, zone: Tz) -> NaiveTime {
    let local = (now - ChronoDuration::minutes(5)).with_timezone(&zone);
    if local.date_naive() == now.with_timezone(&zone).date_naive() {
        NaiveTime::from_hms_opt(local.hour(), local.minute(), 0).expect("valid")
    } else {
        NaiveTime::MIN
    }
}

/// Run the benchmark and print its figures to `out`.
pub fn run_digest_bench(opts: &DigestBenchOptions, out: &mut dyn Write) -> Result<DigestBenchReport> {
    let root = opts.work_dir.join(format!("digest-{}-{}", opts.articles, opts.seed));
    let _ = std::fs::remove_dir_all(&root);
    let (corpus, data) = (root.join("corpus"), root.join("data"));
    std::fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
    generator::generate(&corpus, opts.articles, opts.seed)?;
    // The articles arrived an hour ago: inside the window of a slot five minutes ago.
    set_mtimes(&corpus, SystemTime::now() - Duration::from_secs(3600))?;
    let t = Instant::now();
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, &data))?;
    writeln!(out, "digest bench: {} articles indexed in {:.1}s", opts.articles, t.elapsed().as_secs_f64())?;
    let engine = Arc::new(engine);

    // Subscriptions: four zones, each with its slot five minutes ago (local), a fifth of
    // them on a topic.
    let now = Utc::now();
    let zones: [Tz; 4] = [Tz::UTC, chrono_tz::Europe::London, chrono_tz::America::New_York, chrono_tz::Asia::Tokyo];
    let topics = ["pipeline", "sanctions", "border"];
    let store = Arc::new(Store::open_in(&data)?);
    let mut subs = Vec::with_capacity(opts.chats);
    for i in 0..opts.chats {
        let zone = zones[i % zones.len()];
        let time = recent_slot(now, zone);
        let t: Vec<String> = if i % 5 == 4 { vec![topics[i % topics.len()].to_string()] } else { Vec::new() };
        subs.push((ChatRef::new(Platform::Telegram, format!("{}", 1_000_000 + i)), time, zone, t));
    }
    store.subscribe_many(&subs, now - ChronoDuration::days(2))?;

    let platform = Arc::new(FakePlatform::new(opts.platform_limit, opts.latency));
    let senders = Senders::new().with(Platform::Telegram, FakeSender(platform.clone()));
    let settings = DigestSettings { max_per_second: opts.max_per_second, ..DigestSettings::default() };
    let source: Arc<dyn ArticleSource> = engine.clone();
    let scheduler = Scheduler::new(store.clone(), source.clone(), senders, SystemClock, settings);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    // Composition on its own: every distinct digest of the run (the fan-out composes again).
    let due = scheduler.due(Utc::now())?;
    let t = Instant::now();
    let distinct = runtime.block_on(scheduler.compose_due(&due))?.len();
    let compose = t.elapsed();
    writeln!(out, "compose: {distinct} distinct digests for {} due chats in {:.1} ms", due.len(), compose.as_secs_f64() * 1e3)?;

    let t = Instant::now();
    let report = runtime.block_on(scheduler.tick())?;
    let fanout = t.elapsed();

    let delivered = platform.delivered.lock().expect("delivered lock").clone();
    let limited = platform.limited_chats.lock().expect("limited lock").clone();
    let duplicates = delivered.values().filter(|&&n| n > 1).count() as u64;
    let expected_sends = opts.chats as u64 - report.empty;
    let missing = expected_sends.saturating_sub(delivered.len() as u64);
    let losses_to_429 = limited.keys().filter(|c| !delivered.contains_key(*c)).count() as u64;
    let rate_limited = platform.rate_limited.load(Ordering::Relaxed);
    let sends_per_second = report.sent as f64 / fanout.as_secs_f64();
    writeln!(
        out,
        "fan-out: {} chats in {:.2}s: {} sent, {} empty (nothing on their topic), {:.0} sends/s (pace {}/s, platform limit {}/s)",
        opts.chats,
        fanout.as_secs_f64(),
        report.sent,
        report.empty,
        sends_per_second,
        opts.max_per_second,
        opts.platform_limit
    )?;
    writeln!(out, "429s: {rate_limited} answered, {losses_to_429} chats lost to them; missing {missing}, duplicates {duplicates}")?;
    Ok(DigestBenchReport {
        chats: opts.chats,
        distinct_digests: distinct,
        compose,
        fanout,
        sent: report.sent,
        empty: report.empty,
        sends_per_second,
        rate_limited,
        losses_to_429,
        missing,
        duplicates,
    })
}

/// A corpus with nothing new: every digest is the one-line "nothing new" note, so the
/// replica benchmark measures the fan-out and its coordination, not composition.
#[cfg(feature = "postgres")]
struct NothingNew;

#[cfg(feature = "postgres")]
impl ArticleSource for NothingNew {
    fn articles_since(&self, _since: chrono::DateTime<Utc>) -> Vec<crate::core::engine::ArticleInfo> {
        Vec::new()
    }
    fn article_sentences(&self, _doc: &str) -> Result<Vec<String>, crate::core::error::CoreError> {
        Ok(Vec::new())
    }
    fn article_quotes(&self, _doc: &str) -> Result<Vec<crate::core::engine::ExportQuote>, crate::core::error::CoreError> {
        Ok(Vec::new())
    }
}

/// What [`run_replica_bench`] measured.
#[derive(Debug, Clone, Default)]
pub struct ReplicaBenchReport {
    pub replicas: usize,
    pub chats: usize,
    pub fanout: Duration,
    pub digests_per_second: f64,
    /// Per replica: digests it sent.
    pub sent: Vec<u64>,
    pub missing: u64,
    pub duplicates: u64,
}

/// `replicas` schedulers, each with its own connection pool to the PostgreSQL database at
/// `url` (as separate processes would have), fan out one day's digest to `chats` chats at
/// `per_second` each, through one fake platform (`latency` per send, `platform_limit`/s).
/// `url` must name an empty database.
#[cfg(feature = "postgres")]
pub fn run_replica_bench(
    url: &str,
    replicas: usize,
    chats: usize,
    per_second: u32,
    platform_limit: u32,
    latency: Duration,
    out: &mut dyn Write,
) -> Result<ReplicaBenchReport> {
    let location = crate::state::StateLocation::Postgres(url.to_string());
    let nowhere = std::path::Path::new("/nonexistent");
    let now = Utc::now();
    let time = recent_slot(now, Tz::UTC);
    let subs: Vec<_> = (0..chats).map(|i| (ChatRef::new(Platform::Telegram, format!("{}", 2_000_000 + i)), time, Tz::UTC, Vec::new())).collect();
    Store::open_state(&location, nowhere)?.subscribe_many(&subs, now - ChronoDuration::days(2))?;
    let platform = Arc::new(FakePlatform::new(platform_limit, latency));
    let settings = DigestSettings { max_per_second: per_second, post_when_empty: true, ..DigestSettings::default() };
    let schedulers = (0..replicas.max(1))
        .map(|_| {
            let store = Arc::new(Store::open_state(&location, nowhere)?);
            let senders = Senders::new().with(Platform::Telegram, FakeSender(platform.clone()));
            Ok(Scheduler::new(store, Arc::new(NothingNew), senders, SystemClock, settings.clone()))
        })
        .collect::<Result<Vec<_>>>()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let t = Instant::now();
    let reports = runtime.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (i, s) in schedulers.into_iter().enumerate() {
            set.spawn(async move { (i, s.tick().await) });
        }
        let mut sent = vec![0; replicas.max(1)];
        while let Some(r) = set.join_next().await {
            let (i, report) = r?;
            sent[i] = report?.sent;
        }
        anyhow::Ok(sent)
    })?;
    let fanout = t.elapsed();
    let delivered = platform.delivered.lock().expect("delivered lock").clone();
    let duplicates = delivered.values().filter(|&&n| n > 1).count() as u64;
    let missing = (chats as u64).saturating_sub(delivered.len() as u64);
    let digests_per_second = delivered.len() as f64 / fanout.as_secs_f64();
    writeln!(
        out,
        "replicas: {} on PostgreSQL, {chats} chats in {:.2}s: {digests_per_second:.0} digests/s (pace {per_second}/s per replica, {} ms per send); per replica {reports:?}; missing {missing}, duplicates {duplicates}",
        replicas.max(1),
        fanout.as_secs_f64(),
        latency.as_millis()
    )?;
    Ok(ReplicaBenchReport { replicas: replicas.max(1), chats, fanout, digests_per_second, sent: reports, missing, duplicates })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_recent_slot_never_falls_on_yesterday_in_its_zone() {
        // 15:03 UTC is 00:03 in Tokyo: five minutes back is yesterday there.
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 15, 3, 0).unwrap();
        assert_eq!(recent_slot(now, chrono_tz::Asia::Tokyo), NaiveTime::MIN);
        assert_eq!(recent_slot(now, Tz::UTC), NaiveTime::from_hms_opt(14, 58, 0).unwrap());
    }
}
