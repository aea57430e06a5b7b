//! The digest schedule end to end: a real SQLite store in a temp dir, a test clock, a fake
//! platform. Fire instants across DST changes, exactly one digest per local day, catch-up
//! after downtime, and a fan-out killed half-way and resumed.

#![cfg(feature = "runtime")]

mod digest_support;

use std::collections::HashMap;
use std::sync::Arc;

use briefbot::core::digest::{ArticleSource, Window};
use briefbot::digest::store::DeliveryState;
use briefbot::digest::{ChatRef, Clock, DigestSettings, Platform, Scheduler, Senders, Store, TestClock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use chrono_tz::{America::New_York, Europe::London};
use digest_support::*;

fn settings(post_when_empty: bool) -> DigestSettings {
    DigestSettings { post_when_empty, max_per_second: 25, ..DigestSettings::default() }
}

fn scheduler(store: &Arc<Store>, platform: &FakePlatform, clock: &TestClock, confirming: bool) -> Scheduler<TestClock> {
    let sender = if confirming { platform.confirming_sender() } else { platform.sender() };
    let source: Arc<dyn ArticleSource> = Arc::new(NoArticles);
    Scheduler::new(store.clone(), source, Senders::new().with(Platform::Telegram, sender), clock.clone(), settings(true))
}

/// Step the clock from `from` to `to` in 15-minute steps, ticking at each.
async fn run_steps(s: &Scheduler<TestClock>, clock: &TestClock, from: DateTime<Utc>, to: DateTime<Utc>) {
    let mut t = from;
    while t <= to {
        clock.set(t);
        s.tick().await.unwrap();
        t += Duration::minutes(15);
    }
}

struct Case {
    zone: Tz,
    time: &'static str,
    /// (local date, expected fire instant) around the change.
    expect: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    // London, spring forward 2025-03-30 01:00 GMT -> 02:00 BST.
    Case {
        zone: London,
        time: "08:00",
        expect: &[("2025-03-29", "2025-03-29T08:00:00Z"), ("2025-03-30", "2025-03-30T07:00:00Z"), ("2025-03-31", "2025-03-31T07:00:00Z")],
    },
    // 01:30 does not exist on 2025-03-30: the next valid instant is 02:00 BST = 01:00 UTC.
    Case {
        zone: London,
        time: "01:30",
        expect: &[("2025-03-29", "2025-03-29T01:30:00Z"), ("2025-03-30", "2025-03-30T01:00:00Z"), ("2025-03-31", "2025-03-31T00:30:00Z")],
    },
    // London, fall back 2025-10-26 02:00 BST -> 01:00 GMT: 01:30 happens twice; the first.
    Case {
        zone: London,
        time: "01:30",
        expect: &[("2025-10-25", "2025-10-25T00:30:00Z"), ("2025-10-26", "2025-10-26T00:30:00Z"), ("2025-10-27", "2025-10-27T01:30:00Z")],
    },
    Case {
        zone: London,
        time: "08:00",
        expect: &[("2025-10-25", "2025-10-25T07:00:00Z"), ("2025-10-26", "2025-10-26T08:00:00Z"), ("2025-10-27", "2025-10-27T08:00:00Z")],
    },
    // New York, spring forward 2025-03-09 02:00 EST -> 03:00 EDT: 02:30 fires at 03:00 EDT.
    Case {
        zone: New_York,
        time: "02:30",
        expect: &[("2025-03-08", "2025-03-08T07:30:00Z"), ("2025-03-09", "2025-03-09T07:00:00Z"), ("2025-03-10", "2025-03-10T06:30:00Z")],
    },
    Case {
        zone: New_York,
        time: "08:00",
        expect: &[("2025-03-08", "2025-03-08T13:00:00Z"), ("2025-03-09", "2025-03-09T12:00:00Z"), ("2025-03-10", "2025-03-10T12:00:00Z")],
    },
    // New York, fall back 2025-11-02 02:00 EDT -> 01:00 EST: 01:30 EDT (05:30 UTC), once.
    Case {
        zone: New_York,
        time: "01:30",
        expect: &[("2025-11-01", "2025-11-01T05:30:00Z"), ("2025-11-02", "2025-11-02T05:30:00Z"), ("2025-11-03", "2025-11-03T06:30:00Z")],
    },
];

#[tokio::test]
async fn dst_changes_fire_once_per_local_day_at_the_right_instant() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    // Every case runs over its own three days, with its own chat.
    for (i, case) in CASES.iter().enumerate() {
        let first: NaiveDate = date(case.expect[0].0);
        let start = utc(case.expect[0].1) - Duration::hours(20);
        let end = utc(case.expect[2].1) + Duration::hours(20);
        let clock = TestClock::new(start);
        let platform = FakePlatform::new(clock.clone());
        let chat = ChatRef::telegram(1000 + i as i64);
        store.subscribe(&chat, hm(case.time), case.zone, &[], start).unwrap();
        let s = scheduler(&store, &platform, &clock, false);
        run_steps(&s, &clock, start, end).await;
        let posted: Vec<DateTime<Utc>> = platform.posted().iter().filter(|p| p.chat == chat).map(|p| p.at).collect();
        let expected: Vec<DateTime<Utc>> = case.expect.iter().map(|(_, t)| utc(t)).collect();
        // The window also includes the day before the first and after the last expected one.
        let in_range: Vec<DateTime<Utc>> = posted.iter().copied().filter(|t| *t >= expected[0] && *t <= expected[2]).collect();
        assert_eq!(in_range, expected, "{} {} around {first}: posted at {posted:?}", case.zone, case.time);
        // One digest per local date, whatever the step.
        let mut per_day: HashMap<NaiveDate, usize> = HashMap::new();
        for t in &posted {
            *per_day.entry(t.with_timezone(&case.zone).date_naive()).or_default() += 1;
        }
        assert!(per_day.values().all(|&n| n == 1), "{} {}: {per_day:?}", case.zone, case.time);
        for (d, _) in case.expect {
            let row = store.delivery(&chat, date(d)).unwrap().unwrap_or_else(|| panic!("no log row for {d}"));
            assert_eq!(row.state, DeliveryState::Sent);
        }
        store.unsubscribe(&chat, end).unwrap();
    }
}

#[tokio::test]
async fn next_wake_jumps_land_on_the_slots() {
    // The same schedule driven the way `run` drives it: sleep until the next wake.
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    let start = utc("2025-03-27T12:00:00Z");
    let clock = TestClock::new(start);
    let platform = FakePlatform::new(clock.clone());
    let london = ChatRef::telegram(1);
    let new_york = ChatRef::discord(2);
    store.subscribe(&london, hm("01:30"), London, &[], start).unwrap();
    store.subscribe(&new_york, hm("01:30"), New_York, &[], start).unwrap();
    let source: Arc<dyn ArticleSource> = Arc::new(NoArticles);
    let senders = Senders::new().with(Platform::Telegram, platform.sender()).with(Platform::Discord, platform.sender());
    let s = Scheduler::new(store.clone(), source, senders, clock.clone(), settings(true));
    while clock.now() < utc("2025-04-02T00:00:00Z") {
        s.tick().await.unwrap();
        let next = s.next_wake().unwrap().expect("subscriptions are active");
        assert!(next > clock.now());
        clock.set(next);
    }
    let london_times: Vec<String> = platform.posted().iter().filter(|p| p.chat == london).map(|p| p.at.to_rfc3339()).collect();
    assert_eq!(
        london_times,
        ["2025-03-28T01:30:00+00:00", "2025-03-29T01:30:00+00:00", "2025-03-30T01:00:00+00:00", "2025-03-31T00:30:00+00:00", "2025-04-01T00:30:00+00:00"]
    );
    let ny: Vec<DateTime<Utc>> = platform.posted().iter().filter(|p| p.chat == new_york).map(|p| p.at).collect();
    assert_eq!(ny.len(), 5, "{ny:?}");
    assert!(ny.iter().all(|t| t.with_timezone(&New_York).format("%H:%M").to_string() == "01:30"));
}

#[tokio::test]
async fn a_missed_digest_is_sent_once_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let chat = ChatRef::telegram(42);
    let clock = TestClock::new(utc("2025-06-01T10:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    {
        let store = Arc::new(open_store(&path).unwrap());
        store.subscribe(&chat, hm("08:00"), London, &[], clock.now()).unwrap();
        let s = scheduler(&store, &platform, &clock, false);
        s.recover().await.unwrap();
        s.tick().await.unwrap();
        clock.set(utc("2025-06-02T07:00:00Z")); // 08:00 BST
        s.tick().await.unwrap();
        assert_eq!(platform.posted().len(), 1);
    }
    // Down from 2025-06-02 07:30 until 2025-06-03 11:00 (the 3 June slot, 07:00 UTC, passed).
    for restart_at in ["2025-06-03T11:00:00Z", "2025-06-03T11:05:00Z", "2025-06-03T16:00:00Z"] {
        clock.set(utc(restart_at));
        let store = Arc::new(open_store(&path).unwrap());
        let s = scheduler(&store, &platform, &clock, false);
        s.recover().await.unwrap();
        s.tick().await.unwrap();
    }
    let posted = platform.posted();
    assert_eq!(posted.len(), 2, "one on time, one caught up: {posted:?}");
    assert_eq!(posted[1].at, utc("2025-06-03T11:00:00Z"));
    // Down for two whole days: only the latest digest is owed (it covers both days).
    clock.set(utc("2025-06-06T09:00:00Z"));
    let store = Arc::new(open_store(&path).unwrap());
    let s = scheduler(&store, &platform, &clock, false);
    s.tick().await.unwrap();
    s.tick().await.unwrap();
    let posted = platform.posted();
    assert_eq!(posted.len(), 3);
    let row = store.delivery(&chat, date("2025-06-06")).unwrap().unwrap();
    assert_eq!(row.window, (utc("2025-06-03T07:00:00Z"), utc("2025-06-06T07:00:00Z")), "the caught-up digest covers everything since the last");
    assert!(store.delivery(&chat, date("2025-06-04")).unwrap().is_none());
    assert!(store.delivery(&chat, date("2025-06-05")).unwrap().is_none());
    // Back before today's slot after missing yesterday's: yesterday's is not sent late;
    // today's, on time, covers both days.
    clock.set(utc("2025-06-08T06:00:00Z"));
    let s = scheduler(&store, &platform, &clock, false);
    s.recover().await.unwrap();
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 3);
    assert_eq!(s.next_wake().unwrap(), Some(utc("2025-06-08T07:00:00Z")));
    clock.set(utc("2025-06-08T07:00:00Z"));
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 4);
    let row = store.delivery(&chat, date("2025-06-08")).unwrap().unwrap();
    assert_eq!(row.window, (utc("2025-06-06T07:00:00Z"), utc("2025-06-08T07:00:00Z")));
    assert!(store.delivery(&chat, date("2025-06-07")).unwrap().is_none());
}

#[tokio::test]
async fn changing_zone_does_not_bring_a_second_digest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    let clock = TestClock::new(utc("2025-06-01T00:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let chat = ChatRef::telegram(8);
    store.subscribe(&chat, hm("08:00"), chrono_tz::Asia::Tokyo, &[], clock.now()).unwrap();
    clock.set(utc("2025-06-01T23:00:00Z")); // 08:00 on 2 June in Tokyo
    let s = scheduler(&store, &platform, &clock, false);
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 1);
    // Now the chat moves to Los Angeles, where it is 16:00 on 1 June: that slot passed,
    // but the chat already had a digest for a later date.
    store.subscribe(&chat, hm("08:00"), chrono_tz::America::Los_Angeles, &[], clock.now()).unwrap();
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 1);
    clock.set(utc("2025-06-02T15:00:00Z")); // 08:00 on 2 June in Los Angeles: done already
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 1);
    clock.set(utc("2025-06-03T15:00:00Z"));
    s.tick().await.unwrap();
    assert_eq!(platform.posted().len(), 2);
}

#[tokio::test]
async fn a_subscription_made_after_todays_slot_starts_tomorrow() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    let clock = TestClock::new(utc("2025-06-01T09:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    store.subscribe(&ChatRef::telegram(1), hm("08:00"), Tz::UTC, &[], clock.now()).unwrap();
    let s = scheduler(&store, &platform, &clock, false);
    s.tick().await.unwrap();
    assert!(platform.posted().is_empty());
    assert_eq!(s.next_wake().unwrap(), Some(utc("2025-06-02T08:00:00Z")));
}

/// Kill a fan-out after `n` accepted messages (the next is accepted, then the process
/// "dies" with that request in flight), start a new scheduler on the same file.
async fn kill_and_resume(confirming: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let clock = TestClock::new(utc("2025-06-01T07:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let chats: Vec<ChatRef> = (0..60).map(|i| ChatRef::telegram(5000 + i)).collect();
    {
        let store = Arc::new(open_store(&path).unwrap());
        for c in &chats {
            store.subscribe(c, hm("08:00"), Tz::UTC, &[], clock.now()).unwrap();
        }
        platform.with(|s| s.hang_after = Some(25));
        clock.set(utc("2025-06-01T08:00:00Z"));
        let s = scheduler(&store, &platform, &clock, confirming);
        let hung = platform.hung.clone();
        tokio::select! {
            r = s.tick() => panic!("the fan-out should have hung, not finished: {r:?}"),
            _ = hung.notified() => {}
        }
        // Dropping the tick future aborted every worker: the process is gone.
    }
    // Let the aborted workers finish dying: with them go the last handles on the store (on
    // PostgreSQL, its session and presence lock, as when a process dies).
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let sent_before = platform.posted().len();
    assert!((26..60).contains(&sent_before), "{sent_before}");
    {
        let store = open_store(&path).unwrap();
        let sending = store.deliveries_in(DeliveryState::Sending).unwrap();
        assert!(!sending.is_empty(), "the request in flight was claimed");
        if confirming {
            // A claim whose request never reached the platform (killed between the two).
            let counts = platform.counts();
            let unsent = chats.iter().find(|c| !counts.contains_key(&c.chat_id)).unwrap();
            let fire = utc("2025-06-01T08:00:00Z");
            let window = Window { since: fire - Duration::days(1), until: Some(fire) };
            assert!(store.claim(unsent, date("2025-06-01"), &window, clock.now()).unwrap());
        }
    }
    // Restart: the platform behaves again.
    platform.with(|s| s.hang_after = None);
    clock.advance(Duration::minutes(3));
    let store = Arc::new(open_store(&path).unwrap());
    let s = scheduler(&store, &platform, &clock, confirming);
    let recovered = s.recover().await.unwrap();
    eprintln!("confirming={confirming}: {sent_before} accepted before the kill; recovery: {recovered:?}");
    if confirming {
        assert!(recovered.delivered >= 1 && recovered.resend >= 1, "{recovered:?}");
    } else {
        assert!(recovered.unknown >= 1, "{recovered:?}");
    }
    s.tick().await.unwrap();
    // And once more, as after another restart.
    let s = scheduler(&store, &platform, &clock, confirming);
    s.recover().await.unwrap();
    s.tick().await.unwrap();
    let counts = platform.counts();
    for c in &chats {
        assert_eq!(counts.get(&c.chat_id), Some(&1), "chat {c}: {counts:?}");
    }
    assert_eq!(counts.len(), chats.len());
    assert!(store.deliveries_in(DeliveryState::Sending).unwrap().is_empty());
}

#[tokio::test]
async fn restart_mid_fan_out_with_a_platform_that_can_confirm() {
    kill_and_resume(true).await;
}

#[tokio::test]
async fn restart_mid_fan_out_with_a_platform_that_cannot_confirm() {
    kill_and_resume(false).await;
}

#[tokio::test]
async fn rate_limits_transient_failures_and_gone_chats() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    let clock = TestClock::new(utc("2025-06-01T07:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let chats: Vec<ChatRef> = (0..40).map(ChatRef::telegram).collect();
    for c in &chats {
        store.subscribe(c, hm("08:00"), Tz::UTC, &[], clock.now()).unwrap();
    }
    platform.with(|s| {
        s.rate_limit_every = Some(7);
        s.gone.insert("3".into());
        s.transient.insert("5".into(), 2); // recovers within the run
        s.transient.insert("6".into(), 100); // keeps failing
    });
    clock.set(utc("2025-06-01T08:00:00Z"));
    let s = scheduler(&store, &platform, &clock, false);
    let report = s.tick().await.unwrap();
    assert!(report.rate_limited > 0 && platform.state.lock().unwrap().rate_limited > 0);
    let counts = platform.counts();
    for c in &chats {
        let expected = usize::from(!["3", "6"].contains(&c.chat_id.as_str()));
        assert_eq!(counts.get(&c.chat_id).copied().unwrap_or(0), expected, "chat {c}");
    }
    assert_eq!(report.gone, 1);
    assert_eq!(report.retry_later, 1);
    // The gone chat's subscription is off; it is not tried again.
    let gone = store.subscription(&ChatRef::telegram(3)).unwrap().unwrap();
    assert!(!gone.active);
    assert_eq!(gone.inactive_reason.as_deref(), Some("gone"));
    // The failing chat is retried later in the day, a bounded number of times.
    let calls_before = platform.state.lock().unwrap().calls;
    for _ in 0..20 {
        clock.advance(Duration::minutes(16));
        s.tick().await.unwrap();
    }
    let row = store.delivery(&ChatRef::telegram(6), date("2025-06-01")).unwrap().unwrap();
    assert_eq!(row.state, DeliveryState::Failed);
    let calls_after = platform.state.lock().unwrap().calls;
    assert!(calls_after - calls_before <= 12, "bounded retries: {}", calls_after - calls_before);
    assert_eq!(platform.counts().get("3"), None);
    // Pacing: 40 sends at 25/s, plus 2 s pauses after each 429, in virtual time.
    let posted = platform.posted();
    let first = posted.first().unwrap().at;
    let last = posted.iter().map(|p| p.at).max().unwrap();
    assert!(last - first >= Duration::milliseconds(37 * 40), "paced: {}", last - first);
}

/// A platform down for thirty minutes from the digest's time: nothing is lost, nothing is
/// posted twice, the waits between tries never exceed the ceiling, and while it is down the
/// platform gets one probe at a time rather than one request per chat.
#[tokio::test]
async fn a_thirty_minute_outage_delays_every_digest_and_each_chat_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(dir.path()).unwrap());
    let clock = TestClock::new(utc("2025-06-01T07:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let chats: Vec<ChatRef> = (0..60).map(|i| ChatRef::telegram(-1000 - i)).collect();
    for c in &chats {
        store.subscribe(c, hm("08:00"), Tz::UTC, &[], clock.now()).unwrap();
    }
    let (slot, recovered) = (utc("2025-06-01T08:00:00Z"), utc("2025-06-01T08:30:00Z"));
    platform.with(|s| s.unavailable_until = Some(recovered));
    let ceiling = Duration::seconds(60);
    let s = scheduler(&store, &platform, &clock, false).with_backoff_ceiling(ceiling.to_std().unwrap());

    // What `Scheduler::run` does, in virtual time: tick, then sleep until the next wake-up.
    clock.set(slot);
    let mut ticks = 0;
    while platform.counts().len() < chats.len() {
        ticks += 1;
        assert!(ticks < 500, "the digests never went out");
        s.tick().await.unwrap();
        let now = clock.now();
        let next = s.next_wake().unwrap().expect("due digests wake the scheduler");
        if platform.counts().len() < chats.len() {
            assert!(next - now <= ceiling, "waited {} s at {now}, over the ceiling", (next - now).num_seconds());
        }
        clock.set(next.max(now));
    }

    let posted = platform.posted();
    assert!(posted.iter().all(|p| p.at >= recovered), "nothing was posted during the outage");
    let last = posted.iter().map(|p| p.at).max().unwrap();
    assert!(last - recovered <= ceiling + Duration::seconds(5), "every chat had its digest within the ceiling of recovery: last at {last}");
    let calls = platform.state.lock().unwrap().outage_calls.clone();
    let gaps: Vec<i64> = calls.windows(2).map(|w| (w[1] - w[0]).num_seconds()).collect();
    assert!(gaps.iter().all(|g| *g <= ceiling.num_seconds()), "gaps between tries: {gaps:?}");
    assert!(calls.len() <= 16 + 30 + 10, "{} requests during the outage: one probe at a time, not one per chat", calls.len());
    eprintln!("outage: {} requests in 30 minutes, {ticks} ticks, last digest {} s after recovery", calls.len(), (last - recovered).num_seconds());

    // The rest of the day, ticking every few minutes: no chat gets a second digest.
    run_steps(&s, &clock, clock.now(), utc("2025-06-01T23:45:00Z")).await;
    let counts = platform.counts();
    for c in &chats {
        assert_eq!(counts.get(&c.chat_id), Some(&1), "chat {c}");
    }
    for c in &chats {
        let row = store.delivery(c, date("2025-06-01")).unwrap().unwrap();
        assert_eq!((row.state, row.failures), (DeliveryState::Sent, 0), "chat {c}: an outage is not the chat's failure");
    }
}
