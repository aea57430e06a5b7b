//! Several `briefbot serve` replicas sharing state in PostgreSQL (a throwaway cluster, see
//! `pg_support`), each a real process, against fakes on 127.0.0.1 (Telegram, Discord, feeds):
//! one long-polling leader and its takeover, digest fan-out through a SIGKILL, feeds under
//! leases, the alert leader, webhook replicas with re-delivered updates, the Discord gateway
//! leader. No network beyond loopback.

#![cfg(all(feature = "serve", feature = "postgres"))]

#[path = "pg_support/mod.rs"]
mod pg_support;
#[path = "support_serve/mod.rs"]
mod support;

#[cfg(feature = "discord")]
#[path = "support_discord/fake.rs"]
mod fake_discord;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::*;

/// Replica `i` of a test: its own data folder under `dir`, one corpus, the shared state at `url`.
fn replica(dir: &Path, i: usize, corpus: &Path, url: &str) -> std::process::Command {
    let mut cmd = briefbot(dir);
    cmd.arg("--corpus").arg(corpus).arg("--data").arg(dir.join(format!("data-{i}"))).env("BRIEFBOT_STATE_URL", url);
    cmd
}

/// Two `serve` replicas sharing state in PostgreSQL, Telegram in long-polling mode: exactly
/// one replica polls (the leader); when it is killed with SIGKILL the other takes over within
/// seconds and answers the next update. Each replica talks to a fake of its own, so the fakes
/// tell who polled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_poll_telegram_one_at_a_time_and_take_over_after_a_kill() {
    let url = pg_support::fresh_database("serve_replicas");
    let fakes = [Arc::new(Mutex::new(fake_telegram::Shared::default())), Arc::new(Mutex::new(fake_telegram::Shared::default()))];
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = replica(dir.path(), i, &shipped_corpus(), &url);
        cmd.env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN).env("BRIEFBOT__TELEGRAM__API_URL", &api);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let polls = |i: usize| fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "getupdates").count();
    wait_until(
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || polls(0) + polls(1) > 0,
        || format!("nobody polled:\n{}\n{}", replicas[0].stderr(), replicas[1].stderr()),
    )
    .await;
    // Long enough for a second poller to show up if there were one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (a, b) = (polls(0), polls(1));
    assert!((a == 0) != (b == 0), "exactly one replica polls: {a} and {b} getUpdates");
    let (leader, other) = if a > 0 { (0, 1) } else { (1, 0) };
    assert!(replicas[leader].stderr().contains("this replica leads"), "{}", replicas[leader].stderr());
    assert!(replicas[other].stderr().contains("waiting to lead"), "{}", replicas[other].stderr());

    replicas[leader].signal("KILL");
    replicas[leader].wait_exit(Duration::from_secs(10));
    let killed_at = Instant::now();
    let polled_before_the_kill = polls(leader);
    fakes[other].lock().unwrap().updates.push(json!({
        "update_id": 800,
        "message": {
            "message_id": 51, "date": 1_745_830_000,
            "chat": { "id": 4343, "type": "private", "first_name": "Ana" },
            "from": { "id": 4343, "is_bot": false, "first_name": "Ana", "language_code": "en" },
            "text": "/brief zangezur",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 6 }],
        },
    }));
    let answered = || fakes[other].lock().unwrap().calls.iter().any(|(m, b)| m == "sendmessage" && b["chat_id"] == 4343);
    wait_until(Duration::from_secs(30), Duration::from_millis(100), async || answered(), || format!("no takeover:\n{}", replicas[other].stderr())).await;
    let took = killed_at.elapsed();
    eprintln!("the surviving replica took over and answered {took:?} after the kill");
    assert!(took < Duration::from_secs(10), "took over within seconds: {took:?}");
    assert_eq!(polls(leader), polled_before_the_kill, "the killed replica polls no more");
    assert!(polls(other) > 0);
    replicas[other].signal("TERM");
    let (status, _) = replicas[other].wait_exit(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "{}", replicas[other].stderr());
}

/// Three `serve` processes fan out one day's digests to 3,000 Telegram chats through one
/// PostgreSQL; one is killed with SIGKILL in the middle. No chat gets two digests; the chats
/// that got none are exactly the claims the dead replica had in flight, settled as `unknown`
/// by the survivors (Telegram cannot be asked: the rule for a crash), at most 16.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_fan_out_digests_once_through_a_kill() {
    use briefbot::digest::{ChatRef, Store};
    use briefbot::state::StateLocation;

    const CHATS: i64 = 3000;
    let url = pg_support::fresh_database("serve_fanout");
    let now = chrono::Utc::now();
    let (time, tz) = a_minute_ago(now);
    let state = Store::open_state(&StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let subs: Vec<_> = (0..CHATS).map(|i| (ChatRef::telegram(5000 + i), time, tz, Vec::new())).collect();
    state.subscribe_many(&subs, now - chrono::Duration::days(2)).unwrap();

    let fakes: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(fake_telegram::Shared::default()))).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = replica(dir.path(), i, &shipped_corpus(), &url);
        cmd.env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT__DIGEST__POST_WHEN_EMPTY", "true")
            .env("BRIEFBOT__DIGEST__MAX_PER_SECOND", "200");
        replicas.push(Serve::start(cmd, free_port()));
    }
    let posts = |i: usize| -> Vec<i64> {
        fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").filter_map(|(_, b)| b["chat_id"].as_i64()).collect()
    };
    let total = || (0..3).map(|i| posts(i).len()).sum::<usize>();
    let going = async || {
        for r in &mut replicas {
            if let Some(status) = r.child.try_wait().unwrap() {
                panic!("a replica exited ({status}):\n{}", r.stderr());
            }
        }
        total() >= 600
    };
    wait_until(Duration::from_secs(180), Duration::from_millis(20), going, || format!("the fan-out did not get going: {} sent", total())).await;
    // Kill the replica that has sent the most so far: it is surely mid-fan-out.
    let victim = (0..3).max_by_key(|&i| posts(i).len()).unwrap();
    replicas[victim].signal("KILL");
    replicas[victim].wait_exit(Duration::from_secs(10));
    let by_victim = posts(victim).len();
    // The survivors finish, and settle what the victim left.
    let finished = async || {
        let c = state.state_counts().unwrap();
        let done = c.get("sent").copied().unwrap_or(0) + c.get("unknown").copied().unwrap_or(0);
        (done == CHATS as u64 && !c.contains_key("sending")).then_some(c)
    };
    let counts = wait_for(Duration::from_secs(300), Duration::from_millis(200), finished, || format!("not finished: {:?}", state.state_counts())).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut got: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for i in 0..3 {
        for chat in posts(i) {
            *got.entry(chat).or_default() += 1;
        }
    }
    eprintln!(
        "3 replicas, 3,000 chats: victim sent {by_victim} before SIGKILL; per replica {:?}; rows {counts:?}",
        (0..3).map(|i| posts(i).len()).collect::<Vec<_>>()
    );
    assert!(got.values().all(|&n| n == 1), "no chat got two digests");
    let unknown: std::collections::HashSet<i64> =
        state.deliveries_in(briefbot::digest::store::DeliveryState::Unknown).unwrap().iter().map(|d| d.chat_id.parse().unwrap()).collect();
    let missed: std::collections::HashSet<i64> = (0..CHATS).map(|i| 5000 + i).filter(|c| !got.contains_key(c)).collect();
    assert!(missed.is_subset(&unknown), "every chat without a digest is a claim the dead replica had in flight: {missed:?} vs {unknown:?}");
    assert!(unknown.len() <= 16, "at most the dead replica's sends in flight: {}", unknown.len());
    assert_eq!(got.len() as u64, counts.get("sent").copied().unwrap_or(0) + (unknown.len() - missed.len()) as u64);
    for (i, r) in replicas.iter().enumerate() {
        if i != victim {
            assert!(!posts(i).is_empty(), "every survivor took part:\n{}", r.stderr());
            r.signal("TERM");
        }
    }
}

/// Feeds and their article pages on 127.0.0.1; `items` says how many each feed lists.
/// A daily digest time a minute ago, in a time zone where that is far from midnight: the
/// digest is due at once and its day does not change while the test runs. (At 00:00:30 UTC a
/// minute ago is 23:59, whose digest is not due again until tonight; a fan-out started at
/// 23:58 would cross into the next day.) UTC+12 within two hours of midnight UTC, else UTC.
fn a_minute_ago(now: chrono::DateTime<chrono::Utc>) -> (chrono::NaiveTime, chrono_tz::Tz) {
    use chrono::Timelike;
    let tz = if (2..22).contains(&now.hour()) { chrono_tz::Tz::UTC } else { chrono_tz::Tz::Etc__GMTMinus12 };
    let slot = (now - chrono::Duration::minutes(1)).with_timezone(&tz);
    (chrono::NaiveTime::from_hms_opt(slot.hour(), slot.minute(), 0).expect("a time of day"), tz)
}

mod fake_feed {
    use super::*;
    use axum::Router;
    use axum::extract::{Path as UrlPath, State};
    use axum::routing::get;

    pub type Items = Arc<Mutex<usize>>;
    /// Every feed request: the feed's number and the `If-None-Match` it carried.
    pub type Asked = Arc<Mutex<Vec<(usize, Option<String>)>>>;

    fn words(n: usize) -> String {
        format!(
            "Harbour officials in Vellmar said on Tuesday that crane number {n} would be back in service within a week. \
             The repairs, they said, had been planned since the spring and would not delay the ferry timetable. \
             Dock workers told reporters that the night shift had been asking for the work for two years."
        )
    }

    /// Feed `k` lists cranes `k + 1 ..= k + items`: neighbouring feeds share most articles.
    /// Its ETag changes with the list; a request with the current one gets 304.
    async fn feed(State((items, asked)): State<(Items, Asked)>, UrlPath(k): UrlPath<usize>, headers: axum::http::HeaderMap) -> axum::response::Response {
        use axum::response::IntoResponse;
        let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default().to_string();
        let n = *items.lock().unwrap();
        let etag = format!("\"feed-{k}-{n}\"");
        let given = headers.get("if-none-match").and_then(|h| h.to_str().ok()).map(str::to_string);
        asked.lock().unwrap().push((k, given.clone()));
        if given.as_deref() == Some(etag.as_str()) {
            return axum::http::StatusCode::NOT_MODIFIED.into_response();
        }
        let entries: String = (k + 1..=k + n)
            .map(|i| format!("<item><title>Crane {i} returns</title><link>http://{host}/news/crane-{i}</link><guid>crane-{i}</guid><pubDate>Tue, 0{} Jun 2025 08:00:00 GMT</pubDate></item>", 1 + i % 9))
            .collect();
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Vellmar Harbour News {k}</title><link>http://{host}/</link>{entries}</channel></rss>"
        );
        ([(axum::http::header::CONTENT_TYPE, "application/rss+xml".to_string()), (axum::http::header::ETAG, etag)], body).into_response()
    }

    async fn page(UrlPath(slug): UrlPath<String>) -> axum::response::Html<String> {
        let n: usize = slug.trim_start_matches("crane-").parse().unwrap_or(0);
        axum::response::Html(format!(
            "<html><head><title>Crane {n} returns</title></head><body><article><h1>Crane {n} returns</h1><p>{}</p><p>{}</p></article></body></html>",
            words(n),
            words(n + 100)
        ))
    }

    pub async fn start(items: Items, asked: Asked) -> String {
        let app = Router::new().route("/feed/{k}", get(feed)).route("/news/{slug}", get(page)).with_state((items, asked));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }
}

/// Two `serve` replicas over one corpus folder and one PostgreSQL, both configured with the
/// same three feeds, which share most of their articles: each feed is polled under its lease
/// (one replica at a time), every article is stored once, and when a replica is killed the
/// other takes over its feeds' leases and stores what is new, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_several_feeds_store_each_article_once() {
    const FEEDS: usize = 3;
    let url = pg_support::fresh_database("serve_feeds");
    let items: fake_feed::Items = Arc::new(Mutex::new(3));
    let asked: fake_feed::Asked = Arc::default();
    let site = fake_feed::start(items.clone(), asked.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let config = dir.path().join("replica.toml");
    let feeds: String = (0..FEEDS).map(|k| format!("[[feeds]]\nurl = \"{site}/feed/{k}\"\npoll_minutes = 1\n\n")).collect();
    std::fs::write(&config, format!("{feeds}[ingest]\nhost_interval_ms = 0\n")).unwrap();
    let client = client();
    let mut replicas = Vec::new();
    for i in 0..2 {
        let mut cmd = replica(dir.path(), i, &corpus, &url);
        cmd.arg("--config").arg(&config);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let stored = || -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&corpus).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(entry.path()).into_iter().flatten().flatten() {
                out.push(std::fs::read_to_string(f.path()).unwrap_or_default());
            }
        }
        out
    };
    let stored_at_least = async |n: usize, replicas: &Vec<Serve>| {
        let what = || format!("{} of {n} articles stored:\n{}\n{}", stored().len(), replicas[0].stderr(), replicas[1].stderr());
        wait_for(Duration::from_secs(90), Duration::from_millis(200), async || Some(stored()).filter(|now| now.len() >= n), what).await
    };
    let db = briefbot::state::pg::Pg::connect(&url).unwrap();
    let state = || {
        db.run(|c| async move {
            let rows = c.query("SELECT feed, holder, taken FROM feed_leases ORDER BY feed", &[]).await?;
            Ok(rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, i64>(2))).collect::<Vec<_>>())
        })
        .unwrap()
    };
    // Cranes 1..=5 across the three feeds.
    stored_at_least(FEEDS + 2, &replicas).await;
    std::thread::sleep(Duration::from_secs(3));
    let leases = state();
    assert_eq!(leases.len(), FEEDS, "a lease row per feed: {leases:?}");
    let pids: Vec<String> = replicas.iter().map(|r| format!("-{}-", r.child.id())).collect();
    let held_by = |leases: &[(String, String, i64)], i: usize| leases.iter().filter(|(_, h, _)| h.contains(&pids[i])).count();
    eprintln!("feed leases after the first round: {leases:?}");
    assert_eq!(held_by(&leases, 0) + held_by(&leases, 1), FEEDS, "every lease held by one of the two: {leases:?}");
    // Kill a replica holding at least one feed; the survivor takes its leases over.
    let victim = if held_by(&leases, 0) > 0 { 0 } else { 1 };
    let other = 1 - victim;
    replicas[victim].signal("KILL");
    replicas[victim].wait_exit(Duration::from_secs(10));
    *items.lock().unwrap() = 5;
    // Cranes 1..=7 now.
    let all = stored_at_least(FEEDS + 4, &replicas).await;
    wait_until(
        Duration::from_secs(90),
        Duration::from_millis(500),
        async || held_by(&state(), other) == FEEDS,
        || format!("the survivor takes every lease over: {:?}\n{}", state(), replicas[other].stderr()),
    )
    .await;
    std::thread::sleep(Duration::from_secs(2));
    let all = if stored().len() > all.len() { stored() } else { all };
    for i in 1..=FEEDS + 4 {
        let copies = all.iter().filter(|text| text.contains(&format!("/news/crane-{i}\n"))).count();
        assert_eq!(copies, 1, "article {i} stored once, not {copies} times");
    }
    assert_eq!(all.len(), FEEDS + 4);
    // The poll state is shared too: only each feed's very first request went without
    // validators; the survivor asked for the feeds it took over with the dead replica's.
    let asked = asked.lock().unwrap().clone();
    let bare: Vec<usize> = asked.iter().filter(|(_, etag)| etag.is_none()).map(|(k, _)| *k).collect();
    eprintln!("feed requests (feed, If-None-Match): {asked:?}");
    assert_eq!(bare.len(), FEEDS, "one request without validators per feed, ever: {asked:?}");
    replicas[other].signal("TERM");
}

/// Topic alerts with two `serve` replicas on one PostgreSQL: a follow stored in the shared
/// state alerts once (one replica runs the alerter, a leader), and when that replica is
/// SIGKILLed the other takes the alerter over: the next new article alerts once, the first
/// is not sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_alert_once_and_the_next_leader_takes_over() {
    const READER: i64 = 4242;
    let url = pg_support::fresh_database("serve_alerts");
    let follows = briefbot::alerts::AlertStore::open_state(&briefbot::state::StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let topic = "harbour strike";
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let followed = follows.follow(&briefbot::digest::ChatRef::telegram(READER), topic, &briefbot::alerts::service::topic_key(topic), since).unwrap();
    assert_eq!(followed, briefbot::alerts::store::Followed::Added);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let article = |name: &str, title: &str, body: &str| {
        let text = format!("---\ntitle: \"{title}\"\ndate: 2026-02-01\nurl: https://example.org/{name}\n---\n{body}\n");
        std::fs::write(corpus.join(format!("{name}.md")), text).unwrap();
    };
    article("weather", "Rain on the coast", "Heavy rain fell along the northern coast on Sunday, forecasters said.");
    let fakes = [Arc::new(Mutex::new(fake_telegram::Shared::default())), Arc::new(Mutex::new(fake_telegram::Shared::default()))];
    let client = client();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = replica(dir.path(), i, &corpus, &url);
        cmd.env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN).env("BRIEFBOT__TELEGRAM__API_URL", &api).env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "1");
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let watching = |r: &Serve| r.stderr().contains("alerts: watching");
    wait_until(
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || replicas.iter().any(watching),
        || format!("no alerter:\n{}\n{}", replicas[0].stderr(), replicas[1].stderr()),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(replicas.iter().filter(|r| watching(r)).count(), 1, "one alerter among the replicas");
    let alerts = |i: usize| -> Vec<String> {
        fakes[i]
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, b)| m == "sendmessage" && b["chat_id"] == READER)
            .map(|(_, b)| b["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let all = || [alerts(0), alerts(1)].concat();
    let wait_alerts = |n: usize| {
        async move {
            wait_until(Duration::from_secs(40), Duration::from_millis(100), async || all().len() >= n, || format!("not {n} alerts: {:?}", all())).await;
            // A second (wrong) alert would come within a few refresh periods.
            tokio::time::sleep(Duration::from_secs(4)).await;
            assert_eq!(all().len(), n, "{:#?}", all());
        }
    };
    article("strike-1", "Harbour strike begins", "Crane drivers began a harbour strike at Port Lund on Monday over pay.");
    wait_alerts(1).await;
    assert!(all()[0].contains("Crane drivers began a harbour strike at Port Lund"), "{:?}", all());
    let leader = if alerts(0).len() == 1 { 0 } else { 1 };
    let other = 1 - leader;
    assert!(watching(&replicas[leader]) && !watching(&replicas[other]));
    replicas[leader].signal("KILL");
    replicas[leader].wait_exit(Duration::from_secs(10));
    wait_until(
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || watching(&replicas[other]),
        || format!("no takeover:\n{}", replicas[other].stderr()),
    )
    .await;
    article("strike-2", "Harbour strike ends", "The harbour strike ended on Friday after crane drivers accepted a new pay offer.");
    wait_alerts(2).await;
    assert_eq!(alerts(other).len(), 1, "the new leader sent the new alert");
    assert!(alerts(other)[0].contains("ended on Friday"), "{:?}", alerts(other));
    let log = follows.rows().unwrap();
    assert_eq!(log.iter().map(|r| (r.doc.as_str(), r.state.as_str())).collect::<Vec<_>>(), [("strike-1", "sent"), ("strike-2", "sent")]);
    replicas[other].signal("TERM");
}

/// Telegram in webhook mode and Discord behind three `serve` replicas (the test posts each
/// update to one of them, as a proxy would) while they fan out one day's digests to 3,000
/// chats: `CHATS` Telegram chats and `CHANNELS` Discord channels. One replica is SIGKILLed
/// mid-run and the updates meant for it go to the others. Every update is answered once, by
/// the replica that received it, and again once after Telegram re-delivers each to another
/// replica (one orphaned by a claimer that died unanswered is answered then); no chat gets
/// two digests; every Discord channel gets one
/// (the survivors ask Discord about the dead replica's claims), and the Telegram chats
/// without one are exactly the dead replica's claims in flight (settled `unknown`, the rule
/// for a crash).
#[cfg(feature = "discord")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_behind_a_webhook_answer_each_update_once_through_a_kill() {
    use briefbot::digest::{ChatRef, Store};
    use briefbot::state::StateLocation;

    // Telegram takes about 30 messages a second per bot (each replica's sender keeps to
    // it), Discord more: 3,000 chats in all, a third of them Discord channels.
    const CHATS: i64 = 2000;
    const CHANNELS: u64 = 1000;
    const FIRST_CHANNEL: u64 = 620_000_000_000_000_000;
    const UPDATES: i64 = 60;
    const SECRET: &str = "hook_s3cret-for-tests";
    let url = pg_support::fresh_database("serve_webhook");
    let now = chrono::Utc::now();
    let (time, tz) = a_minute_ago(now);
    let state = Store::open_state(&StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let mut subs: Vec<_> = (0..CHATS).map(|i| (ChatRef::telegram(5000 + i), time, tz, Vec::new())).collect();
    subs.extend((0..CHANNELS).map(|i| (ChatRef::discord(FIRST_CHANNEL + i), time, tz, Vec::new())));
    state.subscribe_many(&subs, now - chrono::Duration::days(2)).unwrap();
    let discord = fake_discord::FakeDiscord::start().await;

    let fakes: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(fake_telegram::Shared::default()))).collect();
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut replicas = Vec::new();
    let mut hooks = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let hook = free_port();
        hooks.push(format!("http://127.0.0.1:{hook}/telegram"));
        let mut cmd = replica(dir.path(), i, &shipped_corpus(), &url);
        cmd.env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT__TELEGRAM__WEBHOOK_URL", "https://bot.example/telegram")
            .env("BRIEFBOT__TELEGRAM__WEBHOOK_BIND", format!("127.0.0.1:{hook}"))
            .env("DISCORD_TOKEN", fake_discord::TOKEN)
            .env("BRIEFBOT__DISCORD__API_URL", &discord.base_url)
            .env("BRIEFBOT__DIGEST__POST_WHEN_EMPTY", "true")
            .env("BRIEFBOT__DIGEST__MAX_PER_SECOND", "100");
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    // The webhook listener starts after /healthz answers (it registers with the platform
    // first): wait until every replica's hook accepts connections before posting to it.
    for hook in &hooks {
        let addr = hook.trim_start_matches("http://").trim_end_matches("/telegram").to_string();
        wait_until(
            Duration::from_secs(60),
            Duration::from_millis(100),
            async || tokio::net::TcpStream::connect(&addr).await.is_ok(),
            || format!("the webhook at {addr} never listened"),
        )
        .await;
    }
    let sent_to = |i: usize| -> Vec<i64> {
        fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").filter_map(|(_, b)| b["chat_id"].as_i64()).collect()
    };
    let digests = |i: usize| sent_to(i).into_iter().filter(|c| (5000..5000 + CHATS).contains(c)).count();
    let update = |n: i64| {
        json!({
            "update_id": 10_000 + n,
            "message": {
                "message_id": n + 1, "date": 1_745_830_000,
                "chat": { "id": 90_000 + n, "type": "private", "first_name": "Ana" },
                "from": { "id": 90_000 + n, "is_bot": false, "first_name": "Ana", "language_code": "en" },
                "text": "/help",
                "entities": [{ "type": "bot_command", "offset": 0, "length": 5 }],
            },
        })
    };
    // Where each update went: the first live replica from `n % 3` on (the proxy's pick).
    let mut went: Vec<usize> = Vec::new();
    let mut victim = None;
    for n in 0..UPDATES {
        if victim.is_none() && (0..3).map(digests).sum::<usize>() >= 150 {
            // Kill the replica that has sent the most digests so far: it is mid-fan-out.
            let v = (0..3).max_by_key(|&i| digests(i)).unwrap();
            replicas[v].signal("KILL");
            replicas[v].wait_exit(Duration::from_secs(10));
            victim = Some(v);
        }
        let to = (0..3).map(|k| (n as usize + k) % 3).find(|&i| Some(i) != victim).unwrap();
        let r = client.post(&hooks[to]).header("x-telegram-bot-api-secret-token", SECRET).json(&update(n)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "replica {to} took update {n}");
        went.push(to);
        // Answered before the next one comes (and, a moment later, recorded as answered):
        // a kill then never falls between an answer and its record, the one case that
        // answers a re-delivery twice (see `state::updates`); the unanswered case is below.
        wait_until(
            Duration::from_secs(20),
            Duration::from_millis(20),
            async || sent_to(to).contains(&(90_000 + n)),
            || format!("replica {to} did not answer update {n}"),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let victim =
        victim.unwrap_or_else(|| panic!("the fan-out did not reach 150 digests while the updates came: {:?}", (0..3).map(digests).collect::<Vec<_>>()));
    // The survivors finish the fan-out and settle what the victim left.
    let finished = async || {
        let c = state.state_counts().unwrap();
        let done = c.get("sent").copied().unwrap_or(0) + c.get("unknown").copied().unwrap_or(0);
        (done == CHATS as u64 + CHANNELS && !c.contains_key("sending") && !c.contains_key("retry")).then_some(c)
    };
    let counts = wait_for(Duration::from_secs(180), Duration::from_millis(200), finished, || format!("not finished: {:?}", state.state_counts())).await;
    // Every update answered once, by the replica it went to (the victim's answers before it died count).
    assert!(went.contains(&victim), "the victim had updates before it died: {went:?}");
    let answers = |n: i64| -> Vec<usize> { (0..3).map(|i| sent_to(i).iter().filter(|&&c| c == 90_000 + n).count()).collect() };
    for n in 0..UPDATES {
        let per_replica = answers(n);
        assert_eq!(per_replica.iter().sum::<usize>(), 1, "update {n} answered once: {per_replica:?}");
        assert_eq!(per_replica[went[n as usize]], 1, "update {n} answered by the replica that received it");
    }
    // Telegram re-delivers every update, each to another live replica than the first time
    // (the proxy's next pick): the shared update log refuses what was answered, by a live
    // replica or by the dead one.
    let live: Vec<usize> = (0..3).filter(|&i| i != victim).collect();
    let post = |to: usize, n: i64| {
        let (client, hook, body) = (client.clone(), hooks[to].clone(), update(n));
        async move {
            let r = client.post(&hook).header("x-telegram-bot-api-secret-token", SECRET).json(&body).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "replica {to} took update {n} again");
        }
    };
    for n in 0..UPDATES {
        let to = live.iter().copied().find(|&i| i != went[n as usize]).unwrap();
        post(to, n).await;
    }
    // A replica that acknowledged an update and died before answering it (a handle of the
    // shared log, joined as a replica, then gone): the re-delivery is answered.
    let orphan = briefbot::state::updates::open_pg(Arc::new(briefbot::state::pg::Pg::connect(&url).unwrap())).unwrap();
    assert!(orphan.claim(123456, 10_000 + UPDATES, chrono::Utc::now()).unwrap());
    drop(orphan);
    post(live[0], UPDATES).await;
    let missing = || -> Vec<i64> { (0..=UPDATES).filter(|&n| answers(n).iter().sum::<usize>() == 0).collect() };
    wait_until(
        Duration::from_secs(30),
        Duration::from_millis(100),
        async || missing().is_empty(),
        || format!("re-delivered updates not answered: {:?}", missing()),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for n in 0..=UPDATES {
        assert_eq!(answers(n).iter().sum::<usize>(), 1, "update {n} answered exactly once through its re-delivery: {:?}", answers(n));
    }
    assert_eq!(answers(UPDATES)[live[0]], 1, "the orphaned update answered by the replica it was re-delivered to");
    let mut got: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for i in 0..3 {
        for chat in sent_to(i).into_iter().filter(|c| (5000..5000 + CHATS).contains(c)) {
            *got.entry(chat).or_default() += 1;
        }
    }
    let mut channels: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for r in discord.requests().iter().filter(|r| r.method == "POST" && r.status == 200 && r.path.starts_with("/channels/")) {
        *channels.entry(r.path.split('/').nth(2).and_then(|c| c.parse().ok()).unwrap_or(0)).or_default() += 1;
    }
    eprintln!(
        "webhook replicas: victim {victim}; Telegram digests per replica {:?}; Discord channels served {}; rows {counts:?}",
        (0..3).map(digests).collect::<Vec<_>>(),
        channels.len()
    );
    assert!(got.values().all(|&n| n == 1), "no chat got two digests");
    assert!(channels.values().all(|&n| n == 1), "no channel got two digests");
    assert_eq!(channels.len() as u64, CHANNELS, "every Discord channel got its digest (the dead replica's claims checked with Discord)");
    assert!(channels.keys().all(|c| (FIRST_CHANNEL..FIRST_CHANNEL + CHANNELS).contains(c)));
    let unknown: std::collections::HashSet<i64> = state
        .deliveries_in(briefbot::digest::store::DeliveryState::Unknown)
        .unwrap()
        .iter()
        .filter(|d| d.platform == briefbot::digest::Platform::Telegram)
        .map(|d| d.chat_id.parse().unwrap())
        .collect();
    let missed: std::collections::HashSet<i64> = (0..CHATS).map(|i| 5000 + i).filter(|c| !got.contains_key(c)).collect();
    assert!(missed.is_subset(&unknown), "every chat without a digest is a claim the dead replica had in flight: {missed:?} vs {unknown:?}");
    assert!(unknown.len() <= 16, "at most the dead replica's sends in flight: {}", unknown.len());
    for (i, r) in replicas.iter().enumerate() {
        if i != victim {
            r.signal("TERM");
        }
    }
}

/// Three `serve` replicas against one fake Discord (REST and gateway), sharing PostgreSQL,
/// fanning out one day's digests to `CHANNELS` channels. Exactly one replica holds the
/// gateway (the leader); a slash command is answered once, by it. The leader is SIGKILLed in
/// the middle of the fan-out: another replica opens the gateway (a new session) within
/// seconds and answers the next command once; the survivors settle the dead replica's claims
/// by asking Discord (the channel's messages), so every channel gets exactly one digest.
#[cfg(feature = "discord")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_share_discord_one_gateway_and_one_digest_per_channel_through_a_kill() {
    use briefbot::digest::{ChatRef, Store};
    use briefbot::state::StateLocation;

    const CHANNELS: u64 = 600;
    const FIRST: u64 = 610_000_000_000_000_000;
    let url = pg_support::fresh_database("serve_discord");
    let now = chrono::Utc::now();
    let (time, tz) = a_minute_ago(now);
    let state = Store::open_state(&StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let subs: Vec<_> = (0..CHANNELS).map(|i| (ChatRef::discord(FIRST + i), time, tz, Vec::new())).collect();
    state.subscribe_many(&subs, now - chrono::Duration::days(2)).unwrap();

    let fake = fake_discord::FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut replicas = Vec::new();
    for i in 0..3 {
        let mut cmd = replica(dir.path(), i, &shipped_corpus(), &url);
        cmd.env("DISCORD_TOKEN", fake_discord::TOKEN)
            .env("BRIEFBOT__DISCORD__API_URL", &fake.base_url)
            .env("BRIEFBOT__DIGEST__POST_WHEN_EMPTY", "true")
            .env("BRIEFBOT__DIGEST__MAX_PER_SECOND", "20");
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let leads = |r: &Serve| r.stderr().lines().any(|l| l.contains("this replica leads") && l.contains("discord-gateway"));
    let posted = || -> Vec<u64> {
        fake.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.status == 200 && r.path.starts_with("/channels/") && r.path.ends_with("/messages"))
            .filter_map(|r| r.path.split('/').nth(2).and_then(|c| c.parse().ok()))
            .collect()
    };
    fake.wait_live(Duration::from_secs(60)).await;
    let ask = |topic: &'static str| {
        let fake = &fake;
        async move {
            let sent = fake.command("brief", json!([{"name": "topic", "type": 3, "value": topic}])).await;
            wait_until(
                Duration::from_secs(10),
                Duration::from_millis(20),
                async || !fake.messages_for(&sent).is_empty(),
                || format!("the command was not answered: {:?}", fake.callbacks_for(&sent)),
            )
            .await;
            // A second answer (a second gateway session) would come at once.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let callbacks = fake.callbacks_for(&sent);
            assert_eq!(callbacks.len(), 1, "one acknowledgement: {callbacks:?}");
            assert!(callbacks[0].status < 300, "{callbacks:?}");
            let text: String = fake.messages_for(&sent).iter().map(|m| m.to_string()).collect();
            assert!(text.contains("Nakhchivan"), "{text}");
        }
    };
    ask("zangezur").await;
    // Long enough for a second gateway to show up if there were one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(fake.connections(), 1, "one gateway session for three replicas");
    let leaders: Vec<usize> = (0..3).filter(|&i| leads(&replicas[i])).collect();
    assert_eq!(leaders.len(), 1, "one leader: {leaders:?}");
    let leader = leaders[0];

    // Kill the leader in the middle of the fan-out, once it has claims of its own.
    let db = briefbot::state::pg::Pg::connect(&url).unwrap();
    let claimed_by = |pid: u32| {
        let pattern = format!("%-{pid}-%");
        db.run(move |c| async move { Ok(c.query_one("SELECT count(*) FROM deliveries WHERE claimed_by LIKE $1", &[&pattern]).await?.get::<_, i64>(0)) })
            .unwrap()
    };
    let going = async || posted().len() >= (CHANNELS / 6) as usize && claimed_by(replicas[leader].child.id()) > 0;
    wait_until(Duration::from_secs(120), Duration::from_millis(20), going, || format!("the fan-out did not get going: {} posted", posted().len())).await;
    replicas[leader].signal("KILL");
    replicas[leader].wait_exit(Duration::from_secs(10));
    let killed_at = Instant::now();
    let by_victim = claimed_by(replicas[leader].child.id());
    let posted_at_kill = posted().len();
    assert!(posted_at_kill < CHANNELS as usize, "killed mid-fan-out");

    // Another replica opens the gateway (a new session: IDENTIFY, not RESUME).
    wait_until(Duration::from_secs(30), Duration::from_millis(50), async || fake.connections() >= 2, || "no takeover of the gateway".to_string()).await;
    fake.wait_live(Duration::from_secs(30)).await;
    let took = killed_at.elapsed();
    ask("zangezur").await;
    let new_leaders: Vec<usize> = (0..3).filter(|&i| i != leader && leads(&replicas[i])).collect();
    assert_eq!(new_leaders.len(), 1, "one new leader: {new_leaders:?}");
    assert_eq!(fake.received_ops(2).len(), 2, "two IDENTIFYs in all: the first leader's and the new one's");

    // The survivors finish and settle what the victim left.
    let finished = async || Some(state.state_counts().unwrap()).filter(|c| c.get("sent").copied().unwrap_or(0) == CHANNELS && c.len() == 1);
    let counts = wait_for(Duration::from_secs(180), Duration::from_millis(200), finished, || format!("not finished: {:?}", state.state_counts())).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut got: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for c in posted() {
        *got.entry(c).or_default() += 1;
    }
    eprintln!(
        "discord replicas: leader {leader} killed after {posted_at_kill} posts (it had claimed {by_victim}); gateway taken over in {took:?}; rows {counts:?}"
    );
    let twice: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "no channel gets two digests: {twice:?}");
    assert_eq!(got.len() as u64, CHANNELS, "every channel gets its digest");
    assert!(got.keys().all(|c| (FIRST..FIRST + CHANNELS).contains(c)));
    for (i, r) in replicas.iter().enumerate() {
        if i != leader {
            r.signal("TERM");
        }
    }
}
