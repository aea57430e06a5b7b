//! Full disk and failing writes. A disk that fills up at every point of a refresh (an
//! injected budget of bytes, [`Disk::with_free_space`]), SQLite's own `SQLITE_FULL`, and —
//! where the machine lets a test mount one — a real, tiny tmpfs: nothing is left half
//! written, answers keep coming from the last good commit, user state stays consistent, and
//! everything recovers by itself once space returns.

#![cfg(feature = "runtime")]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use briefbot::command::Command;
use briefbot::core::digest::Window;
use briefbot::core::disk::Disk;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::digest::{ChatRef, Store};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-06-01T10:00:00Z").unwrap().with_timezone(&Utc)
}

/// An article of our own: a harbour town's news.
fn article(dir: &Path, name: &str, title: &str, body: &str) {
    std::fs::write(dir.join(name), format!("---\ntitle: {title}\ndate: 2025-05-{:02}\n---\n{body}\n", name.len() % 28 + 1)).unwrap();
}

fn seed(dir: &Path) {
    article(
        dir,
        "lighthouse.md",
        "Lighthouse keeper retires",
        "The lighthouse keeper of Northcliff retired on Friday after forty years. \
         Mara Quillon said the lamp had never failed on her watch. \
         \"The sea was always the boss here,\" Quillon said at the harbour office.",
    );
    article(
        dir,
        "ferry.md",
        "Ferry timetable changes",
        "The ferry to the islands will sail twice a day from June, the harbour board said. \
         Board chair Tomas Velder said the winter timetable had left islanders stranded. \
         Fares will stay at their current level until the autumn.",
    );
}

fn search(engine: &Engine, words: &str) -> Vec<String> {
    let a = engine.answer(&Command::search(words), now());
    assert!(a.notice.as_deref().is_none_or(|n| !n.contains("could not") && !n.contains("rebuilt")), "{words}: {:?}", a.notice);
    a.items.iter().map(|i| i.text.clone()).collect()
}

/// Hidden temporary files anywhere under `dir` (what an interrupted atomic write leaves).
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(temp_files(&p));
        } else if p.file_name().unwrap().to_string_lossy().ends_with(".tmp") {
            out.push(p);
        }
    }
    out
}

/// The files the manifest on disk lists (rows of the state file).
fn listed(data: &Path) -> usize {
    let conn = rusqlite::Connection::open_with_flags(data.join("state.sqlite"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn a_disk_that_fills_at_any_point_of_a_refresh_leaves_the_last_good_state_and_recovers() {
    let corpus = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    seed(corpus.path());
    let disk = Disk::with_free_space(1 << 40);
    let opts = EngineOptions::new(corpus.path(), data.path());
    let (engine, _) = Engine::open_on(&opts, disk.clone()).unwrap();
    assert_eq!(engine.stats().articles, 2);
    assert!(!search(&engine, "lighthouse keeper").is_empty());

    // A new article arrives, and the disk fills up: first at once, then a little later each
    // time, so that the writes fail at every point (segment files, tantivy's meta.json,
    // the state file's manifest and entity rows).
    article(corpus.path(), "storm.md", "Storm closes the quay", "A storm closed the quay at Northcliff on Sunday. Velder said the ferry would wait in port.");
    let index_files = || std::fs::read_dir(data.path().join("index")).unwrap().count();
    let files_before = index_files();
    let mut failures = 0;
    let mut budget = 0u64;
    loop {
        disk.set_free_space(budget);
        match engine.refresh() {
            // (The article may have been indexed by an attempt that then failed to save the
            // manifest: this one saves it.)
            Ok(_) => break,
            Err(e) => {
                failures += 1;
                assert!(!e.is_damage(), "a full disk is not damage (nothing is rebuilt): {e}");
                assert!(!engine.needs_rebuild());
                // Answers come from the index as it was.
                assert!(!search(&engine, "lighthouse keeper").is_empty(), "answers go on at budget {budget}");
                assert!(temp_files(data.path()).is_empty(), "no temporary file left at budget {budget}: {:?}", temp_files(data.path()));
                // The files of the failed attempt are deleted: they would keep a real disk full.
                // (A failure after tantivy's commit, at the manifest, leaves one more segment.)
                assert!(index_files() <= files_before + 13, "budget {budget}: {} files in the index, {files_before} before", index_files());
                assert!(listed(data.path()) >= 2, "the manifest is whole");
            }
        }
        budget += 512;
        assert!(budget < 4 << 20, "a one-article refresh fits in 4 MB");
    }
    assert!(failures >= 3, "the disk filled at several points ({failures} failed refreshes)");
    // Recovered by itself: the next refresh indexed the article, nothing to do by hand.
    assert_eq!(engine.stats().articles, 3);
    assert!(search(&engine, "storm quay").iter().any(|t| t.contains("storm closed the quay")));
    assert!(temp_files(data.path()).is_empty());
    assert_eq!(listed(data.path()), 3, "the manifest on disk caught up");
    assert!(engine.refresh().unwrap().added == 0, "nothing left to do");
    drop(engine);
    // A restart finds the state consistent: no damage, nothing to rebuild.
    let (engine, report) = Engine::open(&opts).unwrap();
    assert!(report.healed.is_none(), "{:?}", report.healed);
    assert_eq!(engine.stats().articles, 3);
}

#[test]
fn a_restart_after_a_refresh_that_failed_part_way_answers_from_a_consistent_index() {
    // Whatever point the disk filled at, a new process opening the data folder gets an
    // index that agrees with its manifest (rebuilding it if the failure fell between the
    // index commit and the manifest), and answers.
    for budget in (0..40_000u64).step_by(2_500) {
        let corpus = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        seed(corpus.path());
        let opts = EngineOptions::new(corpus.path(), data.path());
        let disk = Disk::with_free_space(1 << 40);
        let (engine, _) = Engine::open_on(&opts, disk.clone()).unwrap();
        article(
            corpus.path(),
            "storm.md",
            "Storm closes the quay",
            "A storm closed the quay at Northcliff on Sunday. Velder said the ferry would wait in port.",
        );
        disk.set_free_space(budget);
        let failed = engine.refresh().is_err();
        drop(engine);
        let (engine, _) = Engine::open(&opts).unwrap();
        assert_eq!(engine.stats().articles, 3, "budget {budget} (refresh failed: {failed})");
        assert!(!search(&engine, "lighthouse keeper").is_empty());
        assert!(!search(&engine, "storm quay").is_empty());
    }
}

#[test]
fn a_full_disk_rolls_back_subscription_and_delivery_writes_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let time = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    let zone = chrono_tz::Europe::London;
    let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let window = Window { since: now(), until: Some(now()) };
    store.subscribe(&ChatRef::telegram(1), time, zone, &[], now()).unwrap();
    assert!(store.claim(&ChatRef::telegram(1), day, &window, now()).unwrap());

    // The file may grow a little, then no more: SQLite fails writes part-way with SQLITE_FULL.
    let pages = store.page_count().unwrap();
    store.limit_pages(Some(pages + 3)).unwrap();
    let topics: Vec<String> = (0..20).map(|i| format!("harbour topic number {i} with a long name")).collect();
    let many: Vec<(ChatRef, NaiveTime, chrono_tz::Tz, Vec<String>)> = (100..600).map(|i| (ChatRef::telegram(i), time, zone, topics.clone())).collect();
    let err = store.subscribe_many(&many, now()).unwrap_err();
    assert!(format!("{err:#}").contains("full"), "{err:#}");
    assert_eq!(store.all_subscriptions().unwrap().len(), 1, "all of a failed batch is rolled back");
    // One at a time, until the file is full: each write is there whole or not at all.
    let mut stored = 0;
    for (chat, ..) in &many {
        match store.subscribe(chat, time, zone, &topics, now()) {
            Ok(s) => {
                assert_eq!(s.topics, topics);
                stored += 1;
            }
            Err(_) => break,
        }
    }
    assert!(stored > 0 && stored < many.len(), "{stored} subscriptions fitted");
    let subs = store.all_subscriptions().unwrap();
    assert_eq!(subs.len(), 1 + stored);
    assert!(subs.iter().all(|s| s.topics.is_empty() || s.topics == topics));
    // Claims for a month of digests to every subscribed chat do not fit: none is kept, so
    // no digest counts as sent that was not.
    let keys: Vec<(ChatRef, NaiveDate, Window)> =
        many[..stored].iter().flat_map(|(chat, ..)| (0..30).map(move |d| (chat.clone(), day + chrono::Days::new(d), window))).collect();
    assert!(store.claim_many(&keys, now()).is_err());
    assert_eq!(store.deliveries().unwrap().len(), 1, "no claim of a failed batch is kept");
    // The claim made before the disk filled is still there.
    let d = store.delivery(&ChatRef::telegram(1), day).unwrap().unwrap();
    assert_eq!(d.state.as_str(), "sending");

    // Space returns: the same writes succeed, with no repair step.
    store.limit_pages(None).unwrap();
    store.subscribe_many(&many, now()).unwrap();
    assert_eq!(store.all_subscriptions().unwrap().len(), 1 + many.len());
    assert!(store.claim_many(&keys, now()).unwrap().iter().all(|&c| c));
    assert_eq!(store.deliveries().unwrap().len(), 1 + keys.len());
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped. `None` (with a loud
/// message) when this machine does not let the test mount one.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Process::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).output().is_ok_and(|o| o.status.success());
        ok.then_some(Tmpfs(dir))
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(self.0.path()).output();
    }
}

/// Fill the file system under `dir` with one file, as far as it goes.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let small = [0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

#[test]
fn a_real_full_file_system() {
    let Some(fs) = Tmpfs::mount("4m") else {
        eprintln!(
            "\n*** SKIPPED a_real_full_file_system: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); the injected-error tests above still ran ***\n"
        );
        return;
    };
    let corpus = fs.path().join("corpus");
    let data = fs.path().join("data");
    std::fs::create_dir_all(&corpus).unwrap();
    seed(&corpus);
    let opts = EngineOptions::new(&corpus, &data);
    let (engine, _) = Engine::open(&opts).unwrap();
    let store = Store::open_in(&data).unwrap();
    store.subscribe(&ChatRef::telegram(1), NaiveTime::from_hms_opt(8, 0, 0).unwrap(), chrono_tz::Europe::London, &[], now()).unwrap();
    let mut ingest = briefbot::ingest::store::Store::open(&corpus, 5_000_000).unwrap();

    let filler = fill(fs.path());
    // Ingest: the write fails, and leaves no file (not even a temporary one).
    let new = briefbot::ingest::store::NewArticle {
        title: "Storm closes the quay".into(),
        site: "northcliff.example".into(),
        url: Some("https://northcliff.example/storm".into()),
        text: "A storm closed the quay at Northcliff on Sunday. Velder said the ferry would wait in port. ".repeat(200),
        ..Default::default()
    };
    let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let err = ingest.store(&new, &[], day).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull, "{err}");
    assert!(!corpus.join("northcliff.example").exists() || std::fs::read_dir(corpus.join("northcliff.example")).unwrap().next().is_none());
    assert!(temp_files(fs.path()).is_empty(), "{:?}", temp_files(fs.path()));
    // A file that did arrive (written before the disk filled) cannot be indexed yet.
    std::fs::remove_file(&filler).unwrap();
    article(
        &corpus,
        "gale.md",
        "Gale warning for the islands",
        &"A gale warning was issued for the islands on Monday. Quillon said the lamp would burn all night. ".repeat(40),
    );
    let filler = fill(fs.path());
    assert!(engine.refresh().is_err(), "nothing can be written");
    assert!(!search(&engine, "lighthouse keeper").is_empty(), "answers from the last commit");
    assert!(search(&engine, "gale warning").is_empty(), "the index stays at its last commit");
    assert!(store.subscribe(&ChatRef::telegram(2), NaiveTime::from_hms_opt(9, 0, 0).unwrap(), chrono_tz::Europe::London, &[], now()).is_err());
    assert_eq!(store.all_subscriptions().unwrap().len(), 1);
    assert!(temp_files(fs.path()).is_empty(), "{:?}", temp_files(fs.path()));

    // Space returns: everything goes through, with no manual step.
    std::fs::remove_file(&filler).unwrap();
    let report = engine.refresh().unwrap();
    assert_eq!(report.added, 1);
    assert!(!search(&engine, "gale warning").is_empty());
    assert!(matches!(ingest.store(&new, &[], day).unwrap(), briefbot::ingest::store::Stored::New { .. }));
    assert_eq!(engine.refresh().unwrap().added, 1);
    store.subscribe(&ChatRef::telegram(2), NaiveTime::from_hms_opt(9, 0, 0).unwrap(), chrono_tz::Europe::London, &[], now()).unwrap();
    assert_eq!(store.all_subscriptions().unwrap().len(), 2);
    drop((engine, store));
}
