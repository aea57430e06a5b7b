//! Derived state heals itself: a damaged index or state file (manifest, entity table) is moved aside and
//! rebuilt from the corpus with one warning line, and the answer is the one an undamaged
//! index gives. The real binary over the shipped seed corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_briefbot");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--corpus")
        .arg(repo().join("corpus"))
        .arg("--data")
        .arg(data)
        .args(args)
        .current_dir(data)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The answer items (text and sources), which must not depend on how the index was built.
fn items(out: &Output) -> Vec<(String, Value)> {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr(out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    v["items"].as_array().unwrap().iter().map(|i| (i["text"].as_str().unwrap().to_string(), i["sources"].clone())).collect()
}

/// The index's files with this extension (segment files are named `<uuid>.<ext>`).
fn segment_files(data: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext) && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    v.sort();
    v
}

fn truncate_half(path: &Path) {
    let len = std::fs::metadata(path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(len / 2).unwrap();
}

type Damage = fn(&Path) -> String;

/// Each kind of damage, applied to a built data folder; returns a word the warning names.
const DAMAGES: &[(&str, Damage)] = &[
    ("a truncated doc store", |d| {
        let f = &segment_files(d, "store")[0];
        truncate_half(f);
        f.file_name().unwrap().to_string_lossy().into_owned()
    }),
    ("a truncated term dictionary", |d| {
        let f = &segment_files(d, "term")[0];
        truncate_half(f);
        f.file_name().unwrap().to_string_lossy().into_owned()
    }),
    ("an empty postings file", |d| {
        let f = &segment_files(d, "idx")[0];
        std::fs::write(f, b"").unwrap();
        f.file_name().unwrap().to_string_lossy().into_owned()
    }),
    ("a missing segment file", |d| {
        let f = &segment_files(d, "pos")[0];
        std::fs::remove_file(f).unwrap();
        "Data corruption".into()
    }),
    ("garbage in meta.json", |d| {
        std::fs::write(d.join("index/meta.json"), "{\"segments\": [garbage").unwrap();
        "meta.json".into()
    }),
    ("a missing meta.json", |d| {
        std::fs::remove_file(d.join("index/meta.json")).unwrap();
        "manifest lists".into()
    }),
    ("garbage in the list of tantivy's files", |d| {
        std::fs::write(d.join("index/.managed.json"), "\u{0}\u{1}not json").unwrap();
        "managed".into()
    }),
    ("a truncated state file", |d| {
        truncate_half(&d.join("state.sqlite"));
        "manifest".into()
    }),
    ("garbage in the state file", |d| {
        std::fs::write(d.join("state.sqlite"), "not a database at all, but long enough to have a header ".repeat(20)).unwrap();
        "manifest".into()
    }),
    ("a missing state file", |d| {
        std::fs::remove_file(d.join("state.sqlite")).unwrap();
        "manifest lists 0".into()
    }),
    ("garbage in a row of the entity table", |d| {
        let conn = rusqlite::Connection::open(d.join("state.sqlite")).unwrap();
        conn.execute("UPDATE groups SET pres = '[[[' WHERE rowid = (SELECT min(rowid) FROM groups)", []).unwrap();
        "group row".into()
    }),
];

#[test]
fn damaged_derived_state_is_rebuilt_with_one_warning_and_the_same_answers() {
    let reference_dir = tempfile::tempdir().unwrap();
    let reference = items(&run(reference_dir.path(), &["ask", "--json", "/brief gas"]));
    assert!(!reference.is_empty(), "the seed corpus has a brief about gas");
    let quotes_reference = run(reference_dir.path(), &["quotes", "--json"]).stdout;
    for (name, damage) in DAMAGES {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        let built = run(data, &["index"]);
        assert!(built.status.success(), "{}", stderr(&built));
        let named = damage(data);

        let out = run(data, &["ask", "--json", "/brief gas"]);
        assert_eq!(items(&out), reference, "{name}: the rebuilt index answers as before");
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: one warning line, got: {err}");
        assert!(lines[0].contains("damaged") && lines[0].contains("rebuilt from the corpus"), "{name}: {err}");
        assert!(lines[0].contains(&named), "{name}: the warning names {named}: {err}");
        assert!(lines[0].matches(&named).count() == 1, "{name}: library text shown once: {err}");
        assert!(lines[0].chars().count() < 600, "{name}: a readable line: {err}");

        // The damaged files are kept for a bug report, with a note.
        let why = std::fs::read_to_string(data.join("damaged/WHY.txt")).unwrap_or_else(|_| panic!("{name}: damaged/WHY.txt"));
        assert!(why.contains("rebuilt"), "{why}");

        // Healed for good: the next run is silent, and every quote is back.
        let again = run(data, &["quotes", "--json"]);
        assert!(again.status.success() && again.stderr.is_empty(), "{name}: {}", stderr(&again));
        assert_eq!(again.stdout, quotes_reference, "{name}: the same quotes after the rebuild");
    }
}

#[test]
fn only_the_last_damage_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(run(data, &["index"]).status.success());
    std::fs::write(data.join("index/meta.json"), "not json").unwrap();
    assert!(run(data, &["index"]).status.success());
    assert!(data.join("damaged/index/meta.json").is_file());
    std::fs::write(data.join("state.sqlite"), "not a database ".repeat(100)).unwrap();
    let out = run(data, &["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data.join("damaged/state.sqlite").is_file());
    // (The state and the index are rebuilt together: the index kept now is the sound one.)
    assert_ne!(std::fs::read_to_string(data.join("damaged/index/meta.json")).unwrap_or_default(), "not json", "the earlier damage was replaced");
    assert!(std::fs::read_to_string(data.join("damaged/WHY.txt")).unwrap().contains("manifest"));
    let names: Vec<String> = std::fs::read_dir(data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!names.iter().any(|n| n.contains("damaged") && n != "damaged"), "one damaged folder: {names:?}");
}

#[test]
fn a_stray_file_in_the_index_folder_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let before = items(&run(data, &["ask", "--json", "/brief gas"]));
    std::fs::write(data.join("index/notes.txt"), "left here by someone").unwrap();
    std::fs::write(data.join("index/0123456789abcdef0123456789abcdef.store"), "not a segment").unwrap();
    let out = run(data, &["ask", "--json", "/brief gas"]);
    assert_eq!(items(&out), before);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// A store with real subscriptions in `data`, closed again.
#[cfg(feature = "runtime")]
fn store_with_subscriptions(data: &Path) -> PathBuf {
    use briefbot::digest::{ChatRef, Store};
    let store = Store::open_in(data).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2025-06-01T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let topics: Vec<String> = vec!["harbour".into(), "ferry timetable".into()];
    for i in 0..400 {
        store.subscribe(&ChatRef::telegram(i), chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(), chrono_tz::Europe::London, &topics, now).unwrap();
    }
    let path = store.sqlite_path().expect("the SQLite engine").to_path_buf();
    drop(store);
    path
}

#[cfg(feature = "runtime")]
type StoreDamage = fn(&Path);

#[cfg(feature = "runtime")]
const STORE_DAMAGES: &[(&str, StoreDamage)] = &[
    ("a garbage header", |p| {
        let mut b = std::fs::read(p).unwrap();
        b[..100].copy_from_slice(&[0x5a; 100]);
        std::fs::write(p, b).unwrap();
    }),
    ("a file cut in half", truncate_half),
    ("an overwritten page", |p| {
        let mut b = std::fs::read(p).unwrap();
        let page = 4096;
        b[page * 2..page * 3].copy_from_slice(&[0xab; 4096]);
        std::fs::write(p, b).unwrap();
    }),
];

#[cfg(feature = "runtime")]
#[test]
fn a_damaged_subscription_store_is_refused_and_left_untouched() {
    use briefbot::digest::Store;
    use briefbot::digest::store::StoreDamaged;
    for (name, damage) in STORE_DAMAGES {
        let dir = tempfile::tempdir().unwrap();
        let path = store_with_subscriptions(dir.path());
        assert!(std::fs::metadata(&path).unwrap().len() >= 4096 * 4, "a store of several pages");
        damage(&path);
        let before = std::fs::read(&path).unwrap();
        let err = Store::open_in(dir.path()).err().unwrap_or_else(|| panic!("{name}: a damaged store is refused"));
        let damaged = err.downcast_ref::<StoreDamaged>().unwrap_or_else(|| panic!("{name}: {err:#}"));
        let text = damaged.to_string();
        assert!(text.contains("backup") && text.contains(".recover") && !text.contains('\n'), "{name}: {text}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name}: the file is never written");
    }
}

#[cfg(feature = "serve")]
#[test]
fn serve_stops_at_start_up_on_a_damaged_subscription_store_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = store_with_subscriptions(&data);
    truncate_half(&path);
    let before = std::fs::read(&path).unwrap();
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("BRIEFBOT") || k == "TELEGRAM_BOT_TOKEN" || k == "DISCORD_TOKEN" {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd
        .arg("--corpus")
        .arg(repo().join("corpus"))
        .arg("--data")
        .arg(&data)
        .arg("serve")
        .current_dir(dir.path())
        .env("RUST_LOG", "warn")
        .env("BRIEFBOT__HTTP__BIND", "127.0.0.1:0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("serve kept running on a damaged subscription store");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("briefbot.sqlite3") && err.contains("damaged") && err.contains("backup") && err.contains(".recover"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "never written, never deleted");
    assert!(!data.join("index").exists(), "start-up stopped before the index was built");
}

/// A corpus of our own, large enough that the index's doc store spans many blocks.
fn harbour_corpus(dir: &Path, n: usize) {
    let places = ["Northcliff", "Saltmere", "Greyhaven", "Otterby", "Kelp Point", "Marrow Bay"];
    for i in 0..n {
        let place = places[i % places.len()];
        let mut body = String::new();
        for j in 0..12 {
            body.push_str(&format!(
                "The council of {place} met for session {i}-{j} on Tuesday to discuss the harbour wall, the ferry timetable and the price of diesel for the fishing fleet. "
            ));
        }
        body.push_str(&format!("\"We will rebuild the wall before winter,\" said Councillor Edda Marlowe{i} in {place}.\n"));
        std::fs::write(
            dir.join(format!("{i:03}-council.md")),
            format!("---\ntitle: Council meeting {i} in {place}\ndate: 2025-03-{:02}\n---\n{body}", i % 28 + 1),
        )
        .unwrap();
    }
}

/// Overwrite the first half of every doc store file with zeros, in place.
fn zero_doc_stores(data: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    for f in segment_files(data, "store") {
        let len = std::fs::metadata(&f).unwrap().len();
        let mut file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.write_all(&vec![0u8; (len / 2) as usize]).unwrap();
        file.sync_all().unwrap();
    }
}

#[test]
fn damage_found_while_answering_leads_to_a_rebuild_not_an_endless_error() {
    use briefbot::command::Command;
    use briefbot::core::engine::{Engine, EngineOptions};
    let corpus = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    harbour_corpus(corpus.path(), 80);
    let now = chrono::Utc::now();
    let ask = |engine: &Engine, words: &str| engine.answer(&Command::search(words), now);
    // The answer of an undamaged index (another data folder: this engine's cache stays cold).
    let clean = tempfile::tempdir().unwrap();
    let before = ask(&Engine::open(&EngineOptions::new(corpus.path(), clean.path())).unwrap().0, "harbour wall Saltmere");
    assert!(!before.items.is_empty(), "{before:?}");

    // Damage in the middle of the doc store, where the checks at open do not read: found
    // by the first answer that reads there.
    let opts = EngineOptions::new(corpus.path(), data.path());
    drop(Engine::open(&opts).unwrap());
    zero_doc_stores(data.path());
    let (engine, report) = Engine::open(&opts).unwrap();
    assert!(report.healed.is_none(), "not found at open: {:?}", report.healed);
    let damaged = ask(&engine, "harbour wall Saltmere");
    assert!(damaged.items.is_empty());
    let notice = damaged.notice.clone().unwrap_or_default();
    assert!(notice.contains("being rebuilt"), "the user is told, in our words: {notice}");
    assert!(engine.needs_rebuild());

    // The next refresh (the refresher's tick in `serve`) rebuilds from the corpus.
    let report = engine.refresh().unwrap();
    let healed = report.healed.expect("the rebuild is reported");
    assert!(healed.to_string().contains("rebuilt from the corpus"), "{healed}");
    assert!(!engine.needs_rebuild() && !engine.rebuilding());
    let after = ask(&engine, "harbour wall Saltmere");
    assert_eq!(after.notice, before.notice);
    let texts = |a: &briefbot::core::answer::Answer| a.items.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
    // As full an answer as before the damage (ties among these near-identical sentences may
    // be ordered differently by the new segments).
    assert_eq!(after.items.len(), before.items.len());
    assert!(texts(&after).iter().all(|t| t.contains("Saltmere") && t.contains("harbour wall")), "{:?}", texts(&after));
    assert_eq!(engine.stats().articles, 80);
    assert!(data.path().join("damaged/WHY.txt").is_file(), "a copy of the damaged index is kept");
    // And a restart finds a healthy index.
    drop(engine);
    let (engine, report) = Engine::open(&opts).unwrap();
    assert!(report.healed.is_none(), "{:?}", report.healed);
    assert_eq!(texts(&ask(&engine, "harbour wall Saltmere")), texts(&after));
}

#[cfg(feature = "serve")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_says_starting_while_a_damaged_index_is_rebuilt() {
    use briefbot::command::Command;
    use briefbot::core::engine::{Engine, EngineOptions};
    use briefbot::http::AppState;
    use briefbot::http::metrics::Metrics;
    use std::sync::Arc;

    let corpus = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    harbour_corpus(corpus.path(), 300);
    let opts = EngineOptions::new(corpus.path(), data.path());
    let engine = {
        let opts = opts.clone();
        tokio::task::spawn_blocking(move || {
            drop(Engine::open(&opts).unwrap());
            zero_doc_stores(opts.data_dir.as_path());
            Arc::new(Engine::open(&opts).unwrap().0)
        })
        .await
        .unwrap()
    };
    let state = AppState::new(Arc::new(Metrics::new()), None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/healthz", listener.local_addr().unwrap());
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(briefbot::http::serve(listener, state.clone(), stop_rx));
    let stats = engine.stats();
    let answerer = state.set_engine(engine.clone(), stats);
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let health = || async { client.get(&url).send().await.unwrap().status().as_u16() };
    assert_eq!(health().await, 200);

    // An answer finds the damage; the refresher's next tick rebuilds; health says
    // "starting" (503) for as long as that takes, then "ok" again.
    let a = {
        let answerer = answerer.clone();
        tokio::task::spawn_blocking(move || answerer.answer(&Command::search("harbour wall"), chrono::Utc::now())).await.unwrap()
    };
    assert!(a.notice.unwrap_or_default().contains("being rebuilt"));
    assert_eq!(health().await, 200, "nothing is rebuilding yet");
    let rebuild = {
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.refresh())
    };
    let mut seen = Vec::new();
    while !rebuild.is_finished() {
        seen.push(health().await);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(rebuild.await.unwrap().unwrap().healed.is_some());
    assert!(seen.contains(&503), "starting while rebuilding: {seen:?}");
    assert_eq!(health().await, 200);
    let a = tokio::task::spawn_blocking(move || answerer.answer(&Command::search("harbour wall"), chrono::Utc::now())).await.unwrap();
    assert!(!a.items.is_empty(), "{a:?}");
    stop.send(true).unwrap();
    server.await.unwrap().unwrap();
}
