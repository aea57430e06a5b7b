//! The SQLite store: schema versioning, WAL, and surviving a process killed without a
//! clean close (a child process writes, is SIGKILLed, and the parent reopens the file).

#![cfg(feature = "runtime")]

mod digest_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use briefbot::config::Config;
use briefbot::core::digest::Window;
use briefbot::digest::store::DeliveryState;
use briefbot::digest::{ChatRef, DigestSettings, STORE_FILE, Store};
use chrono_tz::Europe::London;
use digest_support::*;

const CHILD_ENV: &str = "BRIEFBOT_DIGEST_STORE_CHILD";
const CHATS: i64 = 200;
const READY: &str = "DIGEST-STORE-CHILD-READY";

/// Runs only as the child of `subscriptions_survive_a_kill` (otherwise it returns at
/// once): writes, says it is ready, waits to be killed.
#[test]
fn child_writes_subscriptions_then_waits() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let store = Store::open_in(std::path::Path::new(&dir)).unwrap();
    let now = utc("2025-06-01T10:00:00Z");
    for i in 0..CHATS {
        let topics = if i % 2 == 0 { vec!["port strike".to_string()] } else { Vec::new() };
        store.subscribe(&ChatRef::telegram(i), hm("08:00"), London, &topics, now).unwrap();
    }
    let window = Window { since: now, until: Some(now) };
    assert!(store.claim(&ChatRef::telegram(0), date("2025-06-01"), &window, now).unwrap());
    println!("{READY}");
    loop {
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[test]
fn subscriptions_survive_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writes_subscriptions_then_waits", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The child's stdout carries the test harness's lines too; wait for the marker, at
    // most a minute.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains(READY) {
                let _ = tx.send(());
            }
        }
    });
    if rx.recv_timeout(Duration::from_secs(60)).is_err() {
        let _ = child.kill();
        panic!("the child did not get ready");
    }
    // The writes are in the WAL, not yet checkpointed into the main file.
    assert!(dir.path().join(format!("{STORE_FILE}-wal")).exists());
    child.kill().unwrap(); // SIGKILL: no destructor runs, the connection is never closed
    child.wait().unwrap();

    let store = Store::open_in(dir.path()).unwrap();
    let subs = store.active_subscriptions().unwrap();
    assert_eq!(subs.len() as i64, CHATS);
    let s = store.subscription(&ChatRef::telegram(4)).unwrap().unwrap();
    assert_eq!((s.time, s.zone, s.topics.clone()), (hm("08:00"), London, vec!["port strike".to_string()]));
    let claimed = store.delivery(&ChatRef::telegram(0), date("2025-06-01")).unwrap().unwrap();
    assert_eq!(claimed.state, DeliveryState::Sending);
}

#[test]
fn a_connection_dropped_without_closing_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    store.subscribe(&ChatRef::discord(77), hm("18:30"), London, &[], utc("2025-01-01T00:00:00Z")).unwrap();
    std::mem::forget(store);
    let store = Store::open_in(dir.path()).unwrap();
    let s = store.subscription(&ChatRef::discord(77)).unwrap().unwrap();
    assert!(s.active);
    assert_eq!(s.time, hm("18:30"));
}

#[test]
fn schema_is_versioned_and_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
    drop(store);
    // Reopening does not migrate again.
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    // A file from a newer briefbot is refused, not damaged.
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    drop(store);
    let err = Store::open_in(dir.path()).err().unwrap().to_string();
    assert!(err.contains("newer briefbot"), "{err}");
}

#[test]
fn the_delivery_key_is_unique() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let now = utc("2025-06-01T08:00:00Z");
    let chat = ChatRef::telegram(1);
    store.subscribe(&chat, hm("08:00"), London, &[], now).unwrap();
    let window = Window { since: now, until: Some(now) };
    assert!(store.claim(&chat, date("2025-06-01"), &window, now).unwrap());
    assert!(!store.claim(&chat, date("2025-06-01"), &window, now).unwrap(), "a second claim for the same day fails");
    // Even through a second connection (another process).
    let other = Store::open_in(dir.path()).unwrap();
    assert!(!other.claim(&chat, date("2025-06-01"), &window, now).unwrap());
    assert!(other.claim(&chat, date("2025-06-02"), &window, now).unwrap());
    // An inactive subscription cannot be claimed.
    store.unsubscribe(&chat, now).unwrap();
    assert!(!store.claim(&chat, date("2025-06-03"), &window, now).unwrap());
}

#[test]
fn digest_configuration_keys() {
    let c = Config::load(None, &[]).unwrap();
    assert_eq!((c.digest.default_time.as_str(), c.digest.default_timezone.as_str()), ("08:00", "UTC"));
    assert!(!c.digest.post_when_empty);
    assert_eq!(c.digest.max_per_second, 25);
    let s = DigestSettings::from_config(&c.digest).unwrap();
    assert_eq!(s.default_zone, chrono_tz::Tz::UTC);
    let env = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
    let c = Config::load(None, &env("BRIEFBOT__DIGEST__DEFAULT_TIMEZONE", "Europe/London")).unwrap();
    assert_eq!(c.digest.default_timezone, "Europe/London");
    let err = Config::load(None, &env("BRIEFBOT__DIGEST__DEFAULT_TIMEZONE", "Mars/Olympus")).unwrap_err().to_string();
    assert!(err.contains("digest.default_timezone"), "{err}");
    let err = Config::load(None, &env("BRIEFBOT__DIGEST__DEFAULT_TIME", "25:00")).unwrap_err().to_string();
    assert!(err.contains("digest.default_time"), "{err}");
}

#[test]
fn old_delivery_rows_and_switched_off_subscriptions_are_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let start = utc("2025-01-01T08:00:00Z");
    let (daily, quiet, left) = (ChatRef::telegram(1), ChatRef::telegram(2), ChatRef::telegram(3));
    for chat in [&daily, &quiet, &left] {
        store.subscribe(chat, hm("08:00"), London, &[], start).unwrap();
    }
    let window = Window { since: start, until: Some(start) };
    // `daily` got a digest every day of January, `quiet` only on 2 January.
    for day in 1..=31 {
        let d = date(&format!("2025-01-{day:02}"));
        assert!(store.claim(&daily, d, &window, start).unwrap());
        store.finish(&daily, d, &briefbot::digest::store::Outcome::Sent, start).unwrap();
    }
    assert!(store.record_empty(&quiet, date("2025-01-02"), &window, start).unwrap());
    // `left` unsubscribed on 3 January and is not heard of again.
    assert!(store.record_empty(&left, date("2025-01-02"), &window, start).unwrap());
    store.unsubscribe(&left, utc("2025-01-03T09:00:00Z")).unwrap();

    let (rows, subs) = store.prune(utc("2025-01-20T00:00:00Z")).unwrap();
    assert_eq!(subs, 1, "the subscription switched off before the cutoff");
    assert!(store.subscription(&left).unwrap().is_none());
    assert_eq!(rows, 19 + 1, "January 1-19 of `daily`, and `left`'s row; `quiet` keeps its only (latest) row");
    let kept: Vec<_> = store.deliveries().unwrap();
    assert_eq!(kept.iter().filter(|d| d.chat_id == "1").count(), 12);
    assert!(kept.iter().any(|d| d.chat_id == "2"), "a chat's latest row says up to when it is covered");
    assert!(store.subscription(&quiet).unwrap().is_some_and(|s| s.active), "active subscriptions are never pruned");
    assert_eq!(store.prune(utc("2025-01-20T00:00:00Z")).unwrap(), (0, 0), "nothing more to forget");
}
