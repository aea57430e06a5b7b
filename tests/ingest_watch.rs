//! The corpus folder is watched: files added, edited and deleted by hand show in answers
//! within seconds, without a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::ingest::watch_corpus;

fn hits(engine: &Engine, word: &str) -> usize {
    briefbot::dispatch::respond(engine, &format!("/search {word}"), None, chrono::Utc::now()).map(|a| a.items.len()).unwrap_or(0)
}

async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let started = Instant::now();
    while !f() {
        assert!(started.elapsed() < Duration::from_secs(5), "not within 5 s: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("{what}: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_edits_show_in_answers_within_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("seed.md"),
        "---\ntitle: \"Seed\"\ndate: 2025-04-28\n---\nThe harbour in Alat handled more ships this spring than in any year before.\n",
    )
    .unwrap();
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, tmp.path().join("data"))).unwrap();
    let engine = Arc::new(engine);
    assert_eq!(hits(&engine, "zanzibarite"), 0);
    let (tx, rx) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(watch_corpus(Arc::clone(&engine), Duration::from_millis(300), chrono::Utc::now, rx));

    // Added (in a new sub-folder, the way the ingester writes).
    std::fs::create_dir_all(corpus.join("hand.example")).unwrap();
    let path = corpus.join("hand.example/2025-05-01-note.md");
    std::fs::write(&path, "---\ntitle: \"A note\"\ndate: 2025-05-01\n---\nGeologists described zanzibarite deposits near the coast on Thursday.\n").unwrap();
    eventually("added file answers", || hits(&engine, "zanzibarite") > 0).await;

    // Edited.
    std::fs::write(&path, "---\ntitle: \"A note\"\ndate: 2025-05-01\n---\nGeologists described quuxanium deposits near the northern coast on Thursday.\n")
        .unwrap();
    eventually("edited file answers", || hits(&engine, "quuxanium") > 0 && hits(&engine, "zanzibarite") == 0).await;

    // A bad file is skipped (logged once) and does not stop the watcher.
    std::fs::write(corpus.join("broken.md"), [0xff, 0xfe, 0x00, 0x01]).unwrap();

    // Deleted.
    std::fs::remove_file(&path).unwrap();
    eventually("deleted file vanishes", || hits(&engine, "quuxanium") == 0).await;
    assert!(hits(&engine, "harbour") > 0, "the rest of the corpus is untouched");

    tx.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task).await.expect("watch_corpus stops on shutdown").unwrap();
}

/// Receive changes until `want` holds, within 5 s.
async fn changes_until(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<briefbot::ingest::watch::Change>,
    want: impl Fn(&[briefbot::ingest::watch::Change]) -> bool,
) -> Vec<briefbot::ingest::watch::Change> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !want(&got) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(c)) => got.push(c),
            _ => panic!("the notifications did not say it within 5 s: {got:?}"),
        }
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_name_the_files_that_changed_and_a_refresh_of_those_files_answers() {
    use briefbot::ingest::watch::{Change, notify_changes};
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(corpus.join("site.example")).unwrap();
    std::fs::write(
        corpus.join("seed.md"),
        "---\ntitle: \"Seed\"\ndate: 2025-04-28\n---\nThe harbour in Alat handled more ships this spring than in any year before.\n",
    )
    .unwrap();
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, tmp.path().join("data"))).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let _watcher = notify_changes(&corpus, tx).expect("inotify works on this machine");

    let file = |c: &[Change], p: &str| c.iter().any(|x| *x == Change::File(p.to_string()));
    std::fs::write(corpus.join("site.example/new.md"), "---\ntitle: \"Quarry\"\n---\nThe zanzibarite quarry reopened on Friday after a long winter.\n")
        .unwrap();
    // A file of another kind and a hidden temporary file are not articles: not named.
    std::fs::write(corpus.join("site.example/notes.json"), "{}").unwrap();
    std::fs::write(corpus.join("site.example/.tmp-123"), "x").unwrap();
    let got = changes_until(&mut rx, |c| file(c, "site.example/new.md")).await;
    assert!(got.iter().all(|c| matches!(c, Change::File(p) if p.ends_with(".md"))), "{got:?}");
    let r = engine.refresh_paths(&["site.example/new.md".to_string()], None).unwrap();
    assert_eq!((r.added, r.files), (1, 1), "only the named file is looked at");
    assert_eq!(hits(&engine, "zanzibarite"), 1);

    std::fs::remove_file(corpus.join("seed.md")).unwrap();
    changes_until(&mut rx, |c| file(c, "seed.md")).await;
    assert_eq!(engine.refresh_paths(&["seed.md".to_string()], None).unwrap().removed, 1);
    assert_eq!(hits(&engine, "harbour"), 0);

    // A folder moved away hides which files went with it: only a scan knows.
    std::fs::rename(corpus.join("site.example"), tmp.path().join("gone")).unwrap();
    changes_until(&mut rx, |c| c.contains(&Change::Rescan)).await;
    assert_eq!(engine.refresh().unwrap().removed, 1);
}
