//! Platform outages end to end: Telegram (and Discord) answer 5xx to every post for thirty
//! minutes from the digests' time. The scheduler posts through the adapters' own senders to
//! the fake platforms on 127.0.0.1, with a real SQLite store and a real index; only the
//! scheduler's clock is a test clock, so thirty minutes pass in well under a second.
//!
//! What must hold: nothing is lost (every subscribed chat gets that day's digest once the
//! platform recovers, within the backoff ceiling), nothing is posted twice, the waits
//! between tries never exceed the configured ceiling, and the platform sees one probe at a
//! time while it is down, not one request per chat.

#![cfg(all(feature = "telegram", feature = "discord"))]

mod digest_support;
#[path = "support_discord/fake.rs"]
mod discord_fake;
#[path = "support_telegram/fake.rs"]
mod telegram_fake;

use std::collections::HashMap;
use std::sync::Arc;

use briefbot::adapters::{discord, telegram};
use briefbot::config::{DiscordConfig, TelegramConfig};
use briefbot::core::digest::ArticleSource;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::digest::schedule::next_slot;
use briefbot::digest::store::DeliveryState;
use briefbot::digest::{ChatRef, Clock, DigestService, DigestSettings, Platform, Scheduler, Senders, Store, TestClock};
use briefbot::metrics::Metrics;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use digest_support::{hm, open_store, write_article};

const HARBOUR: &str = "Crane operators at the northern harbour stopped work on Monday after a safety inspection found cracked bolts on two gantries.\n\n\
\"Nobody goes up there until every bolt is replaced,\" shift supervisor Ilse Marquardt said.";

const CEILING: Duration = Duration::seconds(60);
const OUTAGE: Duration = Duration::minutes(30);

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
    service: Arc<DigestService>,
}

impl Fixture {
    /// A corpus with one article that has arrived, and a subscription store.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        let engine = Arc::new(engine);
        write_article(&corpus, "harbour", "Harbour cranes stopped after inspection", "2025-06-01", HARBOUR);
        assert_eq!(engine.refresh_at(Some(Utc::now())).unwrap().added, 1);
        let store = Arc::new(open_store(&dir.path().join("data")).unwrap());
        let source: Arc<dyn ArticleSource> = engine.clone();
        let service = Arc::new(DigestService::new(store.clone(), source, DigestSettings::default()));
        Fixture { _dir: dir, store, service }
    }
}

/// Subscribe `chats` at 09:30 UTC and run the scheduler as `Scheduler::run` does (tick,
/// then sleep until the next wake-up) in virtual time from the first 09:30 after now, with
/// the platform failing for [`OUTAGE`]. `outage(true/false)` switches the fake's outage;
/// `delivered()` counts accepted digests per chat id. Returns the slot.
async fn ride_out_an_outage(
    fx: &Fixture,
    platform: Platform,
    chats: &[ChatRef],
    senders: Senders,
    outage: impl Fn(bool),
    delivered: impl Fn() -> HashMap<String, usize>,
) -> DateTime<Utc> {
    for c in chats {
        fx.store.subscribe(c, hm("09:30"), Tz::UTC, &[], Utc::now()).unwrap();
    }
    let (_, slot) = next_slot(Utc::now(), hm("09:30"), Tz::UTC);
    let clock = TestClock::new(slot);
    let scheduler: Scheduler<TestClock> = fx.service.scheduler(senders, clock.clone()).with_backoff_ceiling(CEILING.to_std().unwrap());
    let recovered = slot + OUTAGE;
    let mut tries_at = Vec::new();
    let mut ticks = 0;
    while delivered().len() < chats.len() {
        ticks += 1;
        assert!(ticks < 300, "{platform}: the digests never went out: {:?}", delivered());
        outage(clock.now() < recovered);
        let report = scheduler.tick().await.unwrap();
        if report.sent + report.retry_later + report.transient_retries > 0 && clock.now() < recovered {
            tries_at.push(clock.now());
        }
        if delivered().len() == chats.len() {
            break;
        }
        let now = clock.now();
        let next = scheduler.next_wake().unwrap().expect("due digests wake the scheduler");
        assert!(next - now <= CEILING, "{platform}: waited {} s at {now}, over the ceiling", (next - now).num_seconds());
        clock.set(next.max(now));
    }
    let gaps: Vec<i64> = tries_at.windows(2).map(|w| (w[1] - w[0]).num_seconds()).collect();
    assert!(gaps.iter().all(|g| *g <= CEILING.num_seconds()), "{platform}: gaps between tries {gaps:?}");
    assert!(clock.now() - recovered <= CEILING + Duration::seconds(5), "{platform}: every digest within the ceiling of recovery (at {})", clock.now());
    eprintln!(
        "{platform}: {} fan-outs during the outage, all {} digests {} s after recovery",
        tries_at.len(),
        chats.len(),
        (clock.now() - recovered).num_seconds()
    );

    // The rest of the day, every ten minutes: nobody gets a second digest.
    let mut t = clock.now();
    while t < slot + Duration::hours(14) {
        t += Duration::minutes(10);
        clock.set(t);
        scheduler.tick().await.unwrap();
    }
    let counts = delivered();
    for c in chats {
        assert_eq!(counts.get(&c.chat_id), Some(&1), "{platform}: chat {c}: {counts:?}");
        let row = fx.store.delivery(c, slot.date_naive()).unwrap().unwrap();
        assert_eq!((row.state, row.failures), (DeliveryState::Sent, 0), "{platform}: chat {c}: the outage is not the chat's failure");
    }
    slot
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_down_for_thirty_minutes_then_every_chat_gets_its_digest_once() {
    let fx = Fixture::new();
    let fake = telegram_fake::FakeTelegram::start().await;
    let config =
        TelegramConfig { api_url: fake.url.clone(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None };
    let outbox = telegram::Outbox::new(&config, telegram_fake::TOKEN, Arc::new(Metrics::new())).unwrap();
    // Groups and private chats.
    let chats: Vec<ChatRef> = (0..30).map(|i| ChatRef::telegram(if i % 3 == 0 { 5_000 + i } else { -100_900_000 - i })).collect();
    let delivered = || {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for body in fake.delivered() {
            *counts.entry(body["chat_id"].as_i64().unwrap().to_string()).or_default() += 1;
        }
        counts
    };
    // Telegram's outages show as 502s and 504s from its front end, in turn.
    let flip = std::sync::atomic::AtomicBool::new(false);
    let outage = |on: bool| {
        let status = if flip.fetch_xor(true, std::sync::atomic::Ordering::SeqCst) { 504 } else { 502 };
        fake.set_send_outage(on.then_some(status));
    };
    ride_out_an_outage(&fx, Platform::Telegram, &chats, Senders::new().with(Platform::Telegram, outbox), outage, delivered).await;
    let failed = fake.calls("sendMessage").iter().filter(|c| c.status >= 500).count();
    // The first fan-out's workers (at most 16 at once), then one probe per backoff: 1, 2,
    // 4 ... 32 s, then one a minute for the rest of the thirty minutes.
    assert!(failed <= 16 + 6 + 30, "{failed} requests during the outage");
    let digest = &fake.delivered()[0];
    assert!(digest["text"].as_str().unwrap().contains("cracked bolts"), "the digest itself: {digest}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_down_for_thirty_minutes_then_every_channel_gets_its_digest_once() {
    let fx = Fixture::new();
    let fake = discord_fake::FakeDiscord::start().await;
    let config = DiscordConfig { api_url: fake.base_url.clone(), token_file: None, guild_ids: Vec::new(), prefix_commands: false };
    let outbox = discord::Outbox::new(&config, discord_fake::TOKEN, Arc::new(Metrics::new())).unwrap();
    let chats: Vec<ChatRef> = (0..20).map(|i| ChatRef::discord(710_000_000_000_000_000 + i)).collect();
    let posts = || fake.requests().into_iter().filter(|r| r.method == "POST" && r.path.starts_with("/channels/")).collect::<Vec<_>>();
    let delivered = || {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for r in posts().into_iter().filter(|r| r.status == 200) {
            let channel = r.path.trim_start_matches("/channels/").trim_end_matches("/messages").to_string();
            *counts.entry(channel).or_default() += 1;
        }
        counts
    };
    let outage = |on: bool| fake.set_post_outage(on.then_some(503));
    ride_out_an_outage(&fx, Platform::Discord, &chats, Senders::new().with(Platform::Discord, outbox), outage, delivered).await;
    let failed = posts().iter().filter(|r| r.status >= 500).count();
    assert!(failed <= 16 + 6 + 30, "{failed} requests during the outage");
}
