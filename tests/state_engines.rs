//! One suite, two engines: the digest store's behaviour on SQLite (the embedded default) and
//! on a real PostgreSQL (a throwaway cluster, see `pg_support`), plus what only a shared
//! database must do: replicas claiming the same chats at once claim each exactly once, and
//! replicas starting together migrate once.

#![cfg(feature = "postgres")]

mod digest_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use briefbot::alerts::AlertStore;
use briefbot::alerts::store::{Followed, MAX_FOLLOWS, Outcome as AlertOutcome};
use briefbot::core::digest::Window;
use briefbot::digest::store::{DeliveryState, Outcome};
use briefbot::digest::{ChatRef, Platform, Store};
use briefbot::state::StateLocation;
use chrono::Duration;
use chrono_tz::Europe::London;
use digest_support::pg_support;
use digest_support::*;

/// A store location that can be opened more than once (a second connection, a restart).
struct Engine {
    _dir: Option<tempfile::TempDir>,
    location: StateLocation,
    data: PathBuf,
}

impl Engine {
    fn sqlite() -> Engine {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_path_buf();
        Engine { _dir: Some(dir), location: StateLocation::Sqlite, data }
    }

    fn postgres(label: &str) -> Engine {
        Engine { _dir: None, location: StateLocation::Postgres(pg_support::fresh_database(label)), data: PathBuf::from("/nonexistent") }
    }

    fn alerts(&self) -> AlertStore {
        let store = AlertStore::open_state(&self.location, &self.data).unwrap();
        assert_eq!(store.engine(), self.location.engine());
        store
    }

    fn open(&self) -> Store {
        let store = Store::open_state(&self.location, &self.data).unwrap();
        assert_eq!(store.engine(), self.location.engine());
        store
    }
}

macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&super::Engine::sqlite());
            }
            #[test]
            fn postgres() {
                super::$name(&super::Engine::postgres(stringify!($name)));
            }
        }
    )*};
}

on_both_engines!(
    migrations_are_versioned,
    subscribing_again_keeps_the_day_owed,
    the_delivery_key_is_unique,
    a_retry_is_claimed_again_only_when_due,
    nothing_to_post_is_recorded_once,
    covered_windows_and_settings,
    an_interrupted_send_is_settled_once,
    many_subscriptions_at_once,
    old_rows_are_forgotten,
    alert_tables_are_versioned_beside_the_digest_tables,
    an_alert_is_claimed_once_per_chat_and_article,
    follows_are_per_topic_key_and_limited,
    only_a_gone_claimers_alerts_are_settled,
    alert_claims_from_many_handles_at_once_take_each_article_once,
);

fn window_at(t: &str) -> Window {
    Window { since: utc(t) - Duration::days(1), until: Some(utc(t)) }
}

fn migrations_are_versioned(e: &Engine) {
    let store = e.open();
    assert_eq!(store.schema_version().unwrap(), 1);
    drop(store);
    // Opening again migrates nothing and loses nothing.
    let store = e.open();
    store.subscribe(&ChatRef::telegram(7), hm("09:30"), London, &[], utc("2025-06-01T08:00:00Z")).unwrap();
    drop(store);
    let store = e.open();
    assert_eq!(store.schema_version().unwrap(), 1);
    assert!(store.subscription(&ChatRef::telegram(7)).unwrap().is_some_and(|s| s.active && s.time == hm("09:30")));
}

fn subscribing_again_keeps_the_day_owed(e: &Engine) {
    let store = e.open();
    let chat = ChatRef::telegram(-100).with_thread("12");
    let t0 = utc("2025-06-01T08:00:00Z");
    let s = store.subscribe(&chat, hm("08:00"), London, &["port strike".to_string()], t0).unwrap();
    assert_eq!((s.chat.thread_id.as_deref(), s.topics.clone(), s.zone), (Some("12"), vec!["port strike".to_string()], London));
    // Changing the time while subscribed keeps `activated`; switching off and on moves it.
    let s2 = store.subscribe(&chat, hm("07:15"), London, &[], t0 + Duration::hours(3)).unwrap();
    assert_eq!((s2.activated, s2.time, s2.topics.len()), (t0, hm("07:15"), 0));
    assert!(store.unsubscribe(&chat, t0 + Duration::hours(4)).unwrap());
    assert!(!store.unsubscribe(&chat, t0 + Duration::hours(5)).unwrap(), "already off");
    let off = store.subscription(&chat).unwrap().unwrap();
    assert_eq!((off.active, off.inactive_reason.as_deref()), (false, Some("unsubscribed")));
    assert!(store.active_subscriptions().unwrap().is_empty());
    assert_eq!(store.all_subscriptions().unwrap().len(), 1);
    let s3 = store.subscribe(&chat, hm("07:15"), London, &[], t0 + Duration::hours(6)).unwrap();
    assert_eq!((s3.active, s3.activated, s3.created, s3.inactive_reason), (true, t0 + Duration::hours(6), t0, None));
    assert!(store.deactivate(&chat, "gone", t0 + Duration::hours(7)).unwrap());
    assert_eq!(store.subscription(&chat).unwrap().unwrap().inactive_reason.as_deref(), Some("gone"));
}

fn the_delivery_key_is_unique(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-01T08:00:00Z");
    let chat = ChatRef::discord(42);
    store.subscribe(&chat, hm("08:00"), London, &[], now).unwrap();
    let window = window_at("2025-06-01T08:00:00Z");
    assert!(store.claim(&chat, date("2025-06-01"), &window, now).unwrap());
    assert!(!store.claim(&chat, date("2025-06-01"), &window, now).unwrap(), "a second claim for the same day fails");
    let other = e.open();
    assert!(!other.claim(&chat, date("2025-06-01"), &window, now).unwrap(), "through another connection too");
    assert!(other.claim(&chat, date("2025-06-02"), &window, now).unwrap());
    let row = store.delivery(&chat, date("2025-06-01")).unwrap().unwrap();
    assert_eq!((row.state, row.attempts, row.window, row.claimed_at), (DeliveryState::Sending, 1, (window.since, now), now));
    store.unsubscribe(&chat, now).unwrap();
    assert!(!store.claim(&chat, date("2025-06-03"), &window, now).unwrap(), "an inactive subscription is not claimed");
    assert_eq!(store.claim_many(&[(ChatRef::discord(9), date("2025-06-03"), window)], now).unwrap(), vec![false], "no subscription, no claim");
}

fn a_retry_is_claimed_again_only_when_due(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-01T08:00:00Z");
    let chat = ChatRef::telegram(5);
    store.subscribe(&chat, hm("08:00"), London, &[], now).unwrap();
    let (day, window) = (date("2025-06-01"), window_at("2025-06-01T08:00:00Z"));
    assert!(store.claim(&chat, day, &window, now).unwrap());
    let at = now + Duration::minutes(10);
    store.finish(&chat, day, &Outcome::Retry { at, error: "HTTP 400".into(), failure: true }, now).unwrap();
    let row = store.delivery(&chat, day).unwrap().unwrap();
    assert_eq!((row.state, row.failures, row.next_attempt, row.error.as_deref()), (DeliveryState::Retry, 1, Some(at), Some("HTTP 400")));
    assert!(!store.claim(&chat, day, &window, now + Duration::minutes(5)).unwrap(), "not due yet");
    assert!(store.claim(&chat, day, &window, at).unwrap(), "due");
    let row = store.delivery(&chat, day).unwrap().unwrap();
    assert_eq!((row.state, row.attempts, row.next_attempt), (DeliveryState::Sending, 2, None));
    store.finish(&chat, day, &Outcome::Retry { at, error: "429".into(), failure: false }, at).unwrap();
    assert_eq!(store.delivery(&chat, day).unwrap().unwrap().failures, 1, "a 429 is not a failure");
    // A later digest supersedes the retry.
    assert_eq!(store.give_up_retries_before(&chat, date("2025-06-02"), at).unwrap(), 1);
    let row = store.delivery(&chat, day).unwrap().unwrap();
    assert_eq!(row.state, DeliveryState::Failed);
    assert!(row.error.unwrap().ends_with("(superseded by a later digest)"));
    // `finish` changes only a row being sent.
    store.finish(&chat, day, &Outcome::Sent, at).unwrap();
    assert_eq!(store.delivery(&chat, day).unwrap().unwrap().state, DeliveryState::Failed);
    assert!(store.claim(&chat, date("2025-06-02"), &window, at).unwrap());
    store.finish(&chat, date("2025-06-02"), &Outcome::Failed { error: "refused".into() }, at).unwrap();
    let row = store.delivery(&chat, date("2025-06-02")).unwrap().unwrap();
    assert_eq!((row.state, row.failures, row.finished_at), (DeliveryState::Failed, 1, Some(at)));
}

fn nothing_to_post_is_recorded_once(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-01T08:00:00Z");
    let chat = ChatRef::telegram(6);
    store.subscribe(&chat, hm("08:00"), London, &[], now).unwrap();
    let window = window_at("2025-06-01T08:00:00Z");
    assert!(store.record_empty(&chat, date("2025-06-01"), &window, now).unwrap());
    assert!(!store.record_empty(&chat, date("2025-06-01"), &window, now).unwrap());
    assert!(!store.claim(&chat, date("2025-06-01"), &window, now).unwrap(), "an empty day is covered");
    assert!(store.claim(&chat, date("2025-06-02"), &window, now).unwrap());
    store.finish(&chat, date("2025-06-02"), &Outcome::Retry { at: now, error: "x".into(), failure: true }, now).unwrap();
    assert!(store.record_empty(&chat, date("2025-06-02"), &window, now).unwrap(), "a retry row may turn out empty");
    assert_eq!(store.delivery(&chat, date("2025-06-02")).unwrap().unwrap().state, DeliveryState::Empty);
}

fn covered_windows_and_settings(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-03T08:00:00Z");
    let (a, b) = (ChatRef::telegram(1), ChatRef::discord(2));
    for chat in [&a, &b] {
        store.subscribe(chat, hm("08:00"), London, &[], now).unwrap();
    }
    assert!(store.covered_until_for(&a).unwrap().is_none());
    assert!(store.claim(&a, date("2025-06-01"), &window_at("2025-06-01T08:00:00Z"), now).unwrap());
    store.finish(&a, date("2025-06-01"), &Outcome::Sent, now).unwrap();
    assert!(store.claim(&a, date("2025-06-02"), &window_at("2025-06-02T08:00:00Z"), now).unwrap());
    store.finish(&a, date("2025-06-02"), &Outcome::Gone, now).unwrap();
    assert!(store.record_empty(&b, date("2025-06-02"), &window_at("2025-06-02T07:00:00Z"), now).unwrap());
    assert_eq!(store.covered_until_for(&a).unwrap(), Some(utc("2025-06-01T08:00:00Z")), "a gone row covers nothing");
    let covered = store.covered_until().unwrap();
    assert_eq!(covered.len(), 2);
    assert_eq!(covered[&(Platform::Discord, "2".to_string())], utc("2025-06-02T07:00:00Z"));
    let from = store.deliveries_from(date("2025-06-02")).unwrap();
    assert_eq!(from.len(), 2);
    assert_eq!(from[&(Platform::Telegram, "1".to_string(), date("2025-06-02"))].state, DeliveryState::Gone);

    assert_eq!(store.setting(&a, "post_when_empty").unwrap(), None);
    store.set_setting(&a, "post_when_empty", "true", now).unwrap();
    store.set_setting(&a, "post_when_empty", "false", now).unwrap();
    store.set_setting(&b, "post_when_empty", "true", now).unwrap();
    assert_eq!(store.setting(&a, "post_when_empty").unwrap().as_deref(), Some("false"));
    let all = store.settings_named("post_when_empty").unwrap();
    assert_eq!(all, HashMap::from([((Platform::Telegram, "1".to_string()), "false".to_string()), ((Platform::Discord, "2".to_string()), "true".to_string())]));
}

fn an_interrupted_send_is_settled_once(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-01T08:00:00Z");
    let chats: Vec<ChatRef> = (1..=3).map(ChatRef::telegram).collect();
    for c in &chats {
        store.subscribe(c, hm("08:00"), London, &[], now).unwrap();
    }
    let window = window_at("2025-06-01T08:00:00Z");
    let keys: Vec<_> = chats.iter().map(|c| (c.clone(), date("2025-06-01"), window)).collect();
    assert_eq!(store.claim_many(&keys, now).unwrap(), vec![true; 3]);
    drop(store);
    // A restart finds the claims still `sending`.
    let store = e.open();
    let sending = store.deliveries_in(DeliveryState::Sending).unwrap();
    assert_eq!(sending.iter().map(|d| d.chat_id.as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    let later = now + Duration::minutes(1);
    store.resolve_sending(Platform::Telegram, "1", date("2025-06-01"), DeliveryState::Unknown, later).unwrap();
    store.resolve_sending(Platform::Telegram, "2", date("2025-06-01"), DeliveryState::Sent, later).unwrap();
    store.resolve_sending(Platform::Telegram, "3", date("2025-06-01"), DeliveryState::Retry, later).unwrap();
    // Settled once: a second resolution changes nothing.
    store.resolve_sending(Platform::Telegram, "1", date("2025-06-01"), DeliveryState::Retry, later).unwrap();
    let counts = store.state_counts().unwrap();
    assert_eq!(counts, HashMap::from([("unknown".to_string(), 1), ("sent".to_string(), 1), ("retry".to_string(), 1)]));
    let retry = store.delivery(&chats[2], date("2025-06-01")).unwrap().unwrap();
    assert_eq!((retry.next_attempt, retry.error.as_deref()), (Some(later), Some("interrupted while sending")));
    assert!(store.claim(&chats[2], date("2025-06-01"), &window, later).unwrap(), "resent: the platform said it was not posted");
    assert!(!store.claim(&chats[0], date("2025-06-01"), &window, later).unwrap(), "unknown counts as sent");
}

fn many_subscriptions_at_once(e: &Engine) {
    let store = e.open();
    let now = utc("2025-06-01T08:00:00Z");
    let subs: Vec<_> = (0..500).map(|i| (ChatRef::telegram(i), hm("06:45"), London, if i % 3 == 0 { vec!["ports".to_string()] } else { vec![] })).collect();
    store.subscribe(&ChatRef::telegram(3), hm("09:00"), London, &[], now).unwrap();
    store.unsubscribe(&ChatRef::telegram(3), now).unwrap();
    store.subscribe_many(&subs, now + Duration::hours(1)).unwrap();
    let active = store.active_subscriptions().unwrap();
    assert_eq!(active.len(), 500);
    let three = store.subscription(&ChatRef::telegram(3)).unwrap().unwrap();
    assert_eq!((three.active, three.time, three.topics.len(), three.inactive_reason), (true, hm("06:45"), 1, None), "replaced whole");
}

fn old_rows_are_forgotten(e: &Engine) {
    let store = e.open();
    let start = utc("2025-01-01T08:00:00Z");
    let (daily, quiet, left) = (ChatRef::telegram(1), ChatRef::telegram(2), ChatRef::telegram(3));
    for chat in [&daily, &quiet, &left] {
        store.subscribe(chat, hm("08:00"), London, &[], start).unwrap();
    }
    let window = Window { since: start, until: Some(start) };
    for day in 1..=31 {
        let d = date(&format!("2025-01-{day:02}"));
        assert!(store.claim(&daily, d, &window, start).unwrap());
        store.finish(&daily, d, &Outcome::Sent, start).unwrap();
    }
    store.set_setting(&left, "post_when_empty", "true", start).unwrap();
    assert!(store.record_empty(&quiet, date("2025-01-02"), &window, start).unwrap());
    assert!(store.record_empty(&left, date("2025-01-02"), &window, start).unwrap());
    store.unsubscribe(&left, utc("2025-01-03T09:00:00Z")).unwrap();
    let (rows, subs) = store.prune(utc("2025-01-20T00:00:00Z")).unwrap();
    assert_eq!((rows, subs), (19 + 1, 1));
    assert!(store.subscription(&left).unwrap().is_none());
    assert_eq!(store.setting(&left, "post_when_empty").unwrap(), None, "its settings went with it");
    assert_eq!(store.deliveries().unwrap().iter().filter(|d| d.chat_id == "1").count(), 12);
    assert_eq!(store.prune(utc("2025-01-20T00:00:00Z")).unwrap(), (0, 0));
}

// ---------------------------------------------------------------------------------------
// The alert store (follows and the alert log), on both engines

fn alert_docs(names: &[&str]) -> Vec<(String, Vec<String>)> {
    names.iter().map(|d| (d.to_string(), vec!["port".to_string()])).collect()
}

fn alert_tables_are_versioned_beside_the_digest_tables(e: &Engine) {
    let alerts = e.alerts();
    let digests = e.open();
    assert_eq!((alerts.schema_version().unwrap(), digests.schema_version().unwrap()), (1, 1));
    let now = utc("2026-03-01T10:00:00Z");
    assert_eq!(alerts.follow(&ChatRef::telegram(-5), "Port Meridian", "port meridian", now).unwrap(), Followed::Added);
    drop(alerts);
    // Opening again migrates nothing twice and loses nothing.
    let again = e.alerts();
    assert_eq!(again.schema_version().unwrap(), 1);
    let follows = again.follows_of(&ChatRef::telegram(-5)).unwrap();
    assert_eq!(follows.iter().map(|f| (f.topic.as_str(), f.key.as_str(), f.created)).collect::<Vec<_>>(), [("Port Meridian", "port meridian", now)]);
}

fn an_alert_is_claimed_once_per_chat_and_article(e: &Engine) {
    let store = e.alerts();
    let other_process = e.alerts();
    let (chat, other) = (ChatRef::telegram(-100).with_thread("4"), ChatRef::discord(7));
    let now = utc("2026-03-01T10:00:00Z");
    let hour_ago = now - Duration::hours(1);
    assert_eq!(store.claim(&chat, &alert_docs(&["a"]), "a:a", now).unwrap(), [true]);
    assert_eq!(other_process.claim(&chat, &alert_docs(&["a"]), "a:a", now).unwrap(), [false], "taken, through another connection too");
    assert_eq!(store.claim(&other, &alert_docs(&["a"]), "a:a", now).unwrap(), [true], "another chat may have it");
    assert!(other_process.taken(&chat, "a").unwrap());
    // Not posted (a 429): released, claimed again later, and then sent.
    store.finish(&chat, &["a".to_string()], &AlertOutcome::Retry { error: "429".into(), failure: false }, now).unwrap();
    assert!(!store.taken(&chat, "a").unwrap());
    assert_eq!(store.messages_since(&chat, hour_ago).unwrap(), 0, "a released claim does not count toward the hour");
    let row = store.rows_in("retry").unwrap().pop().unwrap();
    assert_eq!((row.chat.thread_id.as_deref(), row.topics.clone(), row.failures), (Some("4"), vec!["port".to_string()], 0));
    assert_eq!(other_process.claim(&chat, &alert_docs(&["a"]), "a:a", now).unwrap(), [true]);
    other_process.finish(&chat, &["a".to_string()], &AlertOutcome::Sent, now).unwrap();
    // `finish` changes only rows being sent.
    store.finish(&chat, &["a".to_string()], &AlertOutcome::Failed { error: "late".into() }, now).unwrap();
    assert_eq!(store.rows_in("sent").unwrap().len(), 1);
    // A fold of three articles (one already sent) is one message toward the hourly limit.
    assert_eq!(store.claim(&chat, &alert_docs(&["b", "c", "a"]), "f:x:b", now).unwrap(), [true, true, false]);
    assert_eq!(store.messages_since(&chat, hour_ago).unwrap(), 2);
    assert_eq!(store.messages_since(&chat, now).unwrap(), 0, "the window is a rolling hour");
    store.finish(&chat, &["b".to_string(), "c".to_string()], &AlertOutcome::Retry { error: "down".into(), failure: true }, now).unwrap();
    assert_eq!(store.rows_in("retry").unwrap().iter().map(|r| r.failures).collect::<Vec<_>>(), [1, 1]);
    store.give_up(&chat, "b", "not sent within a day", now).unwrap();
    assert!(store.taken(&chat, "b").unwrap(), "given up is never claimed again");
    assert_eq!(store.claim(&chat, &alert_docs(&["b"]), "a:b", now).unwrap(), [false]);
    let states: Vec<(String, String)> = store.rows().unwrap().into_iter().map(|r| (r.doc, r.state)).collect();
    assert_eq!(states.len(), 4, "one row per chat and article: {states:?}");
}

fn follows_are_per_topic_key_and_limited(e: &Engine) {
    let store = e.alerts();
    let chat = ChatRef::telegram(-100);
    let now = utc("2026-03-01T10:00:00Z");
    assert_eq!(store.follow(&chat, "Port", "port", now).unwrap(), Followed::Added);
    assert_eq!(store.follow(&chat.clone().with_thread("9"), "port", "port", now + Duration::hours(1)).unwrap(), Followed::Already);
    let f = store.follows_of(&chat).unwrap();
    assert_eq!((f[0].created, f[0].chat.thread_id.as_deref()), (now, Some("9")), "the first time is kept, the thread moves");
    for i in 1..MAX_FOLLOWS {
        assert_eq!(store.follow(&chat, &format!("t{i}"), &format!("t{i}"), now).unwrap(), Followed::Added);
    }
    assert_eq!(store.follow(&chat, "one more", "one more", now).unwrap(), Followed::TooMany);
    assert!(store.unfollow(&chat, "t1").unwrap());
    assert!(!store.unfollow(&chat, "t1").unwrap());
    assert_eq!(store.active_follows().unwrap().len(), MAX_FOLLOWS - 1);
    assert_eq!(store.deactivate_chat(&chat, "gone").unwrap(), MAX_FOLLOWS - 1);
    assert!(store.follows_of(&chat).unwrap().is_empty());
    assert_eq!(store.unfollow_all(&chat).unwrap(), 0, "switched off, not followed");
    // Following again after that starts afresh.
    let later = now + Duration::days(1);
    assert_eq!(store.follow(&chat, "Port", "port", later).unwrap(), Followed::Added);
    assert_eq!(store.follows_of(&chat).unwrap()[0].created, later);
    assert_eq!(store.unfollow_all(&chat).unwrap(), 1);
}

fn only_a_gone_claimers_alerts_are_settled(e: &Engine) {
    let now = utc("2026-03-01T10:00:00Z");
    let chat = ChatRef::telegram(8);
    let claimer = e.alerts();
    let looker = e.alerts();
    assert_eq!(claimer.claim(&chat, &alert_docs(&["x", "y"]), "f:1:x", now).unwrap(), [true, true]);
    let orphaned = looker.orphaned_sending().unwrap();
    if looker.shared() {
        // A replica that lives may still be sending: not for the others to settle.
        assert!(orphaned.is_empty(), "{orphaned:?}");
    } else {
        // One process: what a new store finds `sending` was left by the process before.
        assert_eq!(orphaned.len(), 2);
    }
    drop(claimer);
    // The server releases a closed session's locks a moment after the socket closes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while looker.orphaned_sending().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let orphaned = looker.orphaned_sending().unwrap();
    assert_eq!(orphaned.iter().map(|r| r.doc.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    looker.resolve_sending(&chat, "x", "unknown", now).unwrap();
    looker.resolve_sending(&chat, "y", "retry", now).unwrap();
    looker.resolve_sending(&chat, "x", "retry", now).unwrap();
    assert!(looker.orphaned_sending().unwrap().is_empty());
    assert!(looker.taken(&chat, "x").unwrap(), "unknown counts as sent, settled once");
    assert_eq!(looker.claim(&chat, &alert_docs(&["y"]), "a:y", now).unwrap(), [true], "the platform said it was not posted");
}

fn alert_claims_from_many_handles_at_once_take_each_article_once(e: &Engine) {
    let now = utc("2026-03-01T10:00:00Z");
    let chat = ChatRef::telegram(-77);
    let docs: Vec<String> = (0..60).map(|i| format!("doc-{i}")).collect();
    let handles: Vec<_> = (0..4).map(|_| Arc::new(e.alerts())).collect();
    let won: Vec<usize> = std::thread::scope(|scope| {
        let tasks: Vec<_> = handles
            .iter()
            .enumerate()
            .map(|(h, store)| {
                let (chat, docs) = (&chat, &docs);
                scope.spawn(move || {
                    // Each handle walks the articles in its own order.
                    let mut mine = 0;
                    for i in 0..docs.len() {
                        let doc = &docs[(i + h * 15) % docs.len()];
                        if store.claim(chat, &[(doc.clone(), vec!["t".into()])], &format!("a:{doc}"), now).unwrap()[0] {
                            mine += 1;
                        }
                    }
                    mine
                })
            })
            .collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(won.iter().sum::<usize>(), docs.len(), "each article claimed exactly once: {won:?}");
    assert_eq!(handles[0].rows_in("sending").unwrap().len(), docs.len());
}

/// Ingest's shared state (PostgreSQL only: one process needs none): a feed's lease is one
/// replica's until it expires or its holder is gone; an article's keys are taken once.
#[test]
fn feed_leases_pass_on_and_seen_keys_are_taken_once() {
    use briefbot::ingest::shared::{Lease, Reserved, article_keys, open_pg, url_key};
    use briefbot::state::pg::Pg;
    let url = pg_support::fresh_database("ingest_shared");
    let open = || open_pg(Arc::new(Pg::connect(&url).unwrap())).unwrap();
    let (a, b) = (open(), open());
    let now = utc("2026-03-01T10:00:00Z");
    let minutes = |m: i64| now + Duration::minutes(m);
    assert_eq!(a.take_feed("f1", now, minutes(10)).unwrap(), Lease::Mine);
    assert_eq!(b.take_feed("f1", now, minutes(10)).unwrap(), Lease::Held(minutes(10)), "one replica at a time");
    assert_eq!(b.take_feed("f2", now, minutes(10)).unwrap(), Lease::Mine, "leases are per feed");
    assert_eq!(a.take_feed("f1", minutes(1), minutes(11)).unwrap(), Lease::Mine, "the holder may poll again");
    a.keep_feed("f1", minutes(3)).unwrap();
    assert_eq!(b.take_feed("f1", minutes(2), minutes(12)).unwrap(), Lease::Held(minutes(3)), "kept until the feed's next poll");
    assert_eq!(b.take_feed("f1", minutes(3), minutes(13)).unwrap(), Lease::Mine, "free once expired");
    assert_eq!(a.take_feed("f1", minutes(4), minutes(14)).unwrap(), Lease::Held(minutes(13)));
    // The holder dies (its session ends): its leases are free as soon as the server has
    // closed the session (a moment; the server ends the backend after the socket closes).
    let soon = |what: &str, mut ok: Box<dyn FnMut() -> bool + '_>| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !ok() {
            assert!(std::time::Instant::now() < deadline, "{what} within 10 s");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    drop(b);
    soon("the dead holder's lease is free", Box::new(|| a.take_feed("f1", minutes(5), minutes(15)).unwrap() == Lease::Mine));
    assert_eq!(a.take_feed("f2", minutes(5), minutes(15)).unwrap(), Lease::Mine);

    let c = open();
    let keys = article_keys("vellmar.example", "Crane 4 is back in service.", &["http://vellmar.example/news/crane-4?utm_source=feed"]);
    assert_eq!(a.reserve(&keys, now).unwrap(), Reserved::Mine);
    assert_eq!(c.reserve(&keys, now).unwrap(), Reserved::Taken { doc: String::new(), reason: "same URL" }, "being written by a live replica");
    a.settle(&keys, Some("vellmar.example/2026-03-01-crane-4")).unwrap();
    assert_eq!(c.reserve(&keys, now).unwrap(), Reserved::Taken { doc: "vellmar.example/2026-03-01-crane-4".into(), reason: "same URL" });
    let url_only = url_key("http://vellmar.example/news/crane-4").unwrap();
    assert_eq!(c.known(&[url_only]).unwrap().as_deref(), Some("vellmar.example/2026-03-01-crane-4"), "canonical URLs match");
    // The same text under another URL: the same site refuses it, another site may keep it.
    let again = article_keys("vellmar.example", "Crane 4 is back in service.", &["http://vellmar.example/amp/crane-4"]);
    assert_eq!(c.reserve(&again, now).unwrap(), Reserved::Taken { doc: "vellmar.example/2026-03-01-crane-4".into(), reason: "same text" });
    let syndicated = article_keys("harbour.example", "Crane 4 is back in service.", &["http://harbour.example/crane-4"]);
    assert_eq!(c.reserve(&syndicated, now).unwrap(), Reserved::Mine);
    // A failed write releases its keys.
    c.settle(&syndicated, None).unwrap();
    assert_eq!(a.reserve(&syndicated, now).unwrap(), Reserved::Mine);
    // A replica that dies between the reservation and the write loses nothing: taken over.
    let d = open();
    let lost = article_keys("vellmar.example", "Crane 5 is back too.", &["http://vellmar.example/news/crane-5"]);
    assert_eq!(d.reserve(&lost, now).unwrap(), Reserved::Mine);
    assert!(matches!(c.reserve(&lost, now).unwrap(), Reserved::Taken { .. }));
    drop(d);
    soon("the dead replica's reservation is taken over", Box::new(|| c.reserve(&lost, now).unwrap() == Reserved::Mine));

    // A feed's poll state, as the last replica to poll it left it.
    assert_eq!(c.feed_state("f1").unwrap(), None);
    a.save_feed_state("f1", r#"{"etag":"\"v1\""}"#, now).unwrap();
    a.save_feed_state("f1", r#"{"etag":"\"v2\""}"#, minutes(1)).unwrap();
    assert_eq!(c.feed_state("f1").unwrap().as_deref(), Some(r#"{"etag":"\"v2\""}"#), "the latest poll's, read by another replica");
    assert_eq!(c.feed_state("f2").unwrap(), None, "per feed");
}

/// Webhook updates across replicas: the first claim of an update id wins; a re-delivery
/// to another replica is refused while the first one is alive or once it answered; a claim
/// left unanswered by a replica that died is taken over; ids are per bot; old ids expire.
#[test]
fn update_ids_are_answered_once_across_replicas() {
    use briefbot::state::pg::Pg;
    use briefbot::state::updates::{KEEP, open_pg};
    let url = pg_support::fresh_database("chat_updates");
    let open = || open_pg(Arc::new(Pg::connect(&url).unwrap())).unwrap();
    let (a, b) = (open(), open());
    let now = utc("2026-03-01T10:00:00Z");
    const BOT: i64 = 123456;
    assert!(a.claim(BOT, 10, now).unwrap(), "first delivery");
    assert!(!b.claim(BOT, 10, now).unwrap(), "re-delivered to another replica while the first answers it");
    assert!(!a.claim(BOT, 10, now).unwrap(), "re-delivered to the same replica");
    assert!(b.claim(BOT + 1, 10, now).unwrap(), "update ids are per bot");
    a.done(BOT, 10).unwrap();
    b.done(BOT, 10).unwrap(); // not b's claim: changes nothing
    assert!(!b.claim(BOT, 10, now).unwrap(), "answered");

    // A replica dies after claiming 11 (unanswered) and answering 12.
    let c = open();
    assert!(c.claim(BOT, 11, now).unwrap());
    assert!(c.claim(BOT, 12, now).unwrap());
    c.done(BOT, 12).unwrap();
    assert!(!a.claim(BOT, 11, now).unwrap(), "its claimer is alive");
    drop(c);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !a.claim(BOT, 11, now).unwrap() {
        assert!(std::time::Instant::now() < deadline, "the dead replica's unanswered update is taken over within 10 s");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!b.claim(BOT, 11, now).unwrap(), "taken over once");
    assert!(!b.claim(BOT, 12, now).unwrap(), "what the dead replica answered stays answered");

    // Ids are kept for KEEP, then forgotten (the claims purge them).
    assert_eq!(a.expire(now - KEEP).unwrap(), 0);
    let later = now + KEEP + Duration::hours(2);
    assert_eq!(b.expire(later - KEEP).unwrap(), 4, "every id of the first hour");
    assert!(b.claim(BOT, 10, later).unwrap(), "a forgotten id is new again");
    let d = open();
    assert!(d.claim(BOT, 99, now - KEEP - Duration::hours(1)).unwrap());
    assert!(d.claim(BOT, 100, later).unwrap(), "a claim an hour after the last purge purges expired ids");
    assert!(d.claim(BOT, 99, later).unwrap(), "the expired id was purged");
}

/// Replicas fanning out at once: four handles (each its own pool, as four processes would
/// have) claim the same 2,000 chats in batches, in different orders; every chat is claimed
/// by exactly one of them.
#[test]
fn replicas_claiming_at_once_claim_each_chat_once() {
    let e = Engine::postgres("claims_at_once");
    let now = utc("2025-06-01T08:00:00Z");
    let chats: Vec<ChatRef> = (0..2000).map(ChatRef::telegram).collect();
    let setup = e.open();
    setup.subscribe_many(&chats.iter().map(|c| (c.clone(), hm("08:00"), London, Vec::new())).collect::<Vec<_>>(), now).unwrap();
    let window = window_at("2025-06-01T08:00:00Z");
    let stores: Vec<Arc<Store>> = (0..4).map(|_| Arc::new(e.open())).collect();
    let handles: Vec<_> = stores
        .iter()
        .enumerate()
        .map(|(n, store)| {
            let store = store.clone();
            let mut order = chats.clone();
            if n % 2 == 1 {
                order.reverse();
            }
            order.rotate_left(n * 300);
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                for batch in order.chunks(50) {
                    let keys: Vec<_> = batch.iter().map(|c| (c.clone(), date("2025-06-01"), window)).collect();
                    for (c, won) in batch.iter().zip(store.claim_many(&keys, now).unwrap()) {
                        if won {
                            mine.push(c.chat_id.clone());
                        }
                    }
                }
                mine
            })
        })
        .collect();
    let mut claimed: HashMap<String, usize> = HashMap::new();
    let mut per_replica = Vec::new();
    for h in handles {
        let mine = h.join().unwrap();
        per_replica.push(mine.len());
        for c in mine {
            *claimed.entry(c).or_default() += 1;
        }
    }
    // A chat skipped because another replica held it was claimed by that replica; after
    // the race every chat has exactly one `sending` row and exactly one winner.
    let rows = setup.deliveries_in(DeliveryState::Sending).unwrap();
    assert_eq!(rows.len(), 2000);
    assert_eq!(claimed.len(), 2000, "every chat claimed (per replica: {per_replica:?})");
    assert!(claimed.values().all(|&n| n == 1), "no chat claimed twice");
}

/// Replicas starting together migrate once; none fails.
#[test]
fn replicas_starting_together_migrate_once() {
    let e = Arc::new(Engine::postgres("migrate_together"));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = match &e.location {
                StateLocation::Postgres(u) => u.clone(),
                StateLocation::Sqlite => unreachable!(),
            };
            std::thread::spawn(move || Store::open_state(&StateLocation::Postgres(url), Path::new("/nonexistent")).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), 1);
    }
}

/// A database that cannot be reached is a clear start-up error naming it, without the
/// password.
#[test]
fn an_unreachable_database_is_a_clear_error() {
    let url = "postgres://bot:s3cret@127.0.0.1:1/briefbot?connect_timeout=2";
    let err = format!("{:#}", Store::open_state(&StateLocation::Postgres(url.into()), Path::new("/nonexistent")).err().unwrap());
    assert!(err.contains("127.0.0.1:1") && !err.contains("s3cret"), "{err}");
}

/// Three replicas fan out one day's digests to 3,000 chats through one shared database; one
/// is killed in the middle (its task aborted mid-send and its session closed, as SIGKILL
/// does). The two others settle what it left by the rules of a crash (the platform is asked:
/// this one can read back what it posted) and finish: every chat gets exactly one digest.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_one_killed_every_chat_gets_one_digest() {
    use briefbot::core::digest::ArticleSource;
    use briefbot::digest::{Clock, DigestSettings, Scheduler, Senders, TestClock};

    let e = Engine::postgres("three_replicas");
    let clock = TestClock::new(utc("2025-06-01T06:00:00Z"));
    let chats: Vec<ChatRef> = (0..3000u64).map(|i| ChatRef::discord(900_000 + i)).collect();
    {
        let setup = e.open();
        setup.subscribe_many(&chats.iter().map(|c| (c.clone(), hm("08:00"), chrono_tz::Tz::UTC, Vec::new())).collect::<Vec<_>>(), clock.now()).unwrap();
    }
    clock.set(utc("2025-06-01T08:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let settings = DigestSettings { post_when_empty: true, max_per_second: 1000, ..DigestSettings::default() };
    let replica = |store: Store| {
        let source: Arc<dyn ArticleSource> = Arc::new(NoArticles);
        Scheduler::new(Arc::new(store), source, Senders::new().with(Platform::Discord, platform.confirming_sender()), clock.clone(), settings.clone())
    };
    let (r1, r2, r3) = (replica(e.open()), replica(e.open()), replica(e.open()));
    let (s2, s3) = (r2.store().clone(), r3.store().clone());
    let doomed = tokio::spawn(async move { r1.tick().await });
    let t2 = tokio::spawn(async move { r2.tick().await.map(|r| (r, r2)) });
    let t3 = tokio::spawn(async move { r3.tick().await.map(|r| (r, r3)) });
    // Kill the first replica once the fan-out is well under way.
    let started = std::time::Instant::now();
    while platform.posted().len() < 600 {
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the fan-out did not get going");
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    doomed.abort();
    assert!(doomed.await.unwrap_err().is_cancelled(), "killed mid-fan-out");
    let (_, r2) = t2.await.unwrap().unwrap();
    let (_, r3) = t3.await.unwrap().unwrap();
    let before = platform.counts();
    assert!(before.values().all(|&n| n == 1), "no chat got two digests, even during the kill");
    // The survivors settle the dead replica's claims (its session is gone), then send what
    // is owed.
    let settled = r2.recover().await.unwrap();
    let again = r3.recover().await.unwrap();
    assert_eq!(again, Default::default(), "settled once");
    let (a, b) = tokio::join!(r2.tick(), r3.tick());
    let (a, b) = (a.unwrap(), b.unwrap());
    let counts = platform.counts();
    eprintln!("before the kill's settlement: {} chats served; settled {settled:?}; afterwards {} + {} sent", before.len(), a.sent, b.sent);
    for c in &chats {
        assert_eq!(counts.get(&c.chat_id), Some(&1), "chat {c}");
    }
    assert_eq!(counts.len(), chats.len());
    assert!(s2.deliveries_in(DeliveryState::Sending).unwrap().is_empty());
    let sent = s3.state_counts().unwrap();
    assert_eq!(sent.get("sent").copied().unwrap_or(0), 3000, "{sent:?}");
}

/// The replica benchmark's own checks at a small size (its figures come from the same run at
/// `REPLICA_BENCH_CHATS=3000`): with 1, 2 and 3 replicas every chat gets its digest exactly
/// once, and every replica takes part.
#[test]
fn replica_bench_serves_every_chat_once() {
    let chats: usize = std::env::var("REPLICA_BENCH_CHATS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    for replicas in 1..=3 {
        let url = pg_support::fresh_database(&format!("bench_{replicas}"));
        let mut out = Vec::new();
        let r = briefbot::digest::bench::run_replica_bench(&url, replicas, chats, 400, 100_000, std::time::Duration::from_millis(5), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        eprint!("{text}");
        assert_eq!((r.missing, r.duplicates), (0, 0), "{text}");
        assert_eq!(r.sent.iter().sum::<u64>(), chats as u64, "{text}");
        assert!(r.sent.iter().all(|&n| n > 0), "every replica took part: {text}");
    }
}
