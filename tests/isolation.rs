//! Isolation, the net under the analysis: a document whose analysis panics or stalls is
//! skipped with one report naming it, counted, retried only when its file changes, and
//! everything else is indexed and answered. The failures are made by construction through
//! `EngineOptions::analysis_hook`, not by relying on a bug.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use briefbot::command::Command;
use briefbot::core::analysis::Failure;
use briefbot::core::corpus::SkipReason;
use briefbot::core::engine::{AnalysisHook, Engine, EngineOptions};

/// Panics that reached the process's own hook (the binary prints "internal error" from
/// there). A contained analysis panic must not.
static LOUD_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Install a hook like the binary's before anything else runs, so the engine's hook
/// sits in front of it as it does in `briefbot`.
fn binary_like_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            LOUD_PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

fn write(dir: &Path, name: &str, title: &str, body: &str) {
    std::fs::write(dir.join(name), format!("---\ntitle: {title}\ndate: 2025-05-02\n---\n{body}\n")).unwrap();
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ferry.md", "Ferry", "The ferry to Osterby resumed on Monday after two weeks of repairs to its hull.");
    write(dir.path(), "bad.md", "Bad", "The lighthouse keeper retired on Friday after forty years at the station.");
    write(dir.path(), "bridge.md", "Bridge", "The council approved the new bridge over the Lune on Thursday evening.");
    dir
}

fn search(engine: &Engine, words: &str) -> String {
    let answer = engine.answer(&Command::search(words.to_string()), chrono::Utc::now());
    answer.items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_panicking_document_is_skipped_counted_and_retried_only_when_it_changes() {
    binary_like_hook();
    let corpus = corpus();
    let data = tempfile::tempdir().unwrap();
    let broken = Arc::new(AtomicBool::new(true));
    let bad_runs = Arc::new(AtomicUsize::new(0));
    let hook = {
        let (broken, bad_runs) = (broken.clone(), bad_runs.clone());
        AnalysisHook(Arc::new(move |doc: &briefbot::core::corpus::Document| {
            if doc.id == "bad" {
                bad_runs.fetch_add(1, Ordering::SeqCst);
                if broken.load(Ordering::SeqCst) {
                    panic!("broken by construction");
                }
            }
        }))
    };
    let opts = EngineOptions { analysis_hook: Some(hook), ..EngineOptions::new(corpus.path(), data.path()) };
    let loud_before = LOUD_PANICS.load(Ordering::SeqCst);

    let (engine, report) = Engine::open(&opts).unwrap();
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    let skip = &report.skipped[0];
    assert_eq!(skip.rel_path, "bad.md");
    let SkipReason::Analysis(Failure::Panicked { at }) = &skip.reason else { panic!("{:?}", skip.reason) };
    assert!(at.starts_with("tests/isolation.rs:"), "the reason says where: {at}");
    assert!(skip.reason.to_string().contains("internal error at tests/isolation.rs:"), "{}", skip.reason);
    assert_eq!(LOUD_PANICS.load(Ordering::SeqCst), loud_before, "a contained panic prints nothing beyond the caller's one warning");
    let stats = engine.stats();
    assert_eq!((stats.articles, stats.failed), (2, 1));
    assert!(search(&engine, "ferry").contains("Osterby"), "the other documents are indexed");
    assert!(search(&engine, "bridge").contains("Lune"));
    assert!(search(&engine, "lighthouse").is_empty());
    assert_eq!(bad_runs.load(Ordering::SeqCst), 1);

    // Unchanged: not analysed again, not reported again, still counted.
    let again = engine.refresh().unwrap();
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    assert_eq!(bad_runs.load(Ordering::SeqCst), 1, "an unchanged failed file is not re-analysed");
    assert_eq!(engine.stats().failed, 1);
    // Reopening (a restart) remembers it too.
    drop(engine);
    let (engine, reopened) = Engine::open(&opts).unwrap();
    assert!(reopened.skipped.is_empty(), "{:?}", reopened.skipped);
    assert_eq!((bad_runs.load(Ordering::SeqCst), engine.stats().failed), (1, 1));

    // Changed and still failing: retried once, reported once more.
    std::thread::sleep(Duration::from_millis(20));
    write(corpus.path(), "bad.md", "Bad", "The lighthouse keeper retired on Friday after forty-one years at the station.");
    let changed = engine.refresh().unwrap();
    assert_eq!(changed.skipped.len(), 1, "{:?}", changed.skipped);
    assert_eq!(bad_runs.load(Ordering::SeqCst), 2);

    // Fixed (here: the hook stops failing) and changed: indexed, no longer counted.
    broken.store(false, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(20));
    write(corpus.path(), "bad.md", "Bad", "The lighthouse keeper retired on Friday after forty-two years at the station.");
    let fixed = engine.refresh().unwrap();
    assert!(fixed.skipped.is_empty(), "{:?}", fixed.skipped);
    assert_eq!(fixed.added, 1);
    let stats = engine.stats();
    assert_eq!((stats.articles, stats.failed), (3, 0));
    assert!(search(&engine, "lighthouse").contains("forty-two years"));
}

#[test]
fn a_document_past_the_time_budget_is_skipped_and_the_rest_goes_on() {
    binary_like_hook();
    let corpus = corpus();
    let data = tempfile::tempdir().unwrap();
    let stalls = Arc::new(AtomicUsize::new(0));
    let counted = stalls.clone();
    let hook = AnalysisHook(Arc::new(move |doc: &briefbot::core::corpus::Document| {
        if doc.id == "bad" {
            counted.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
        }
    }));
    let budget = Duration::from_millis(300);
    let opts = EngineOptions { analysis_hook: Some(hook), analysis_budget: budget, ..EngineOptions::new(corpus.path(), data.path()) };
    let started = Instant::now();
    let (engine, report) = Engine::open(&opts).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "the refresh did not wait for the stalled document: {:?}", started.elapsed());
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(report.skipped[0].rel_path, "bad.md");
    assert_eq!(report.skipped[0].reason, SkipReason::Analysis(Failure::TimedOut { budget }));
    assert_eq!(report.skipped[0].reason.to_string(), "analysis took longer than 300 ms; retried when the file changes");
    let stats = engine.stats();
    assert_eq!((stats.articles, stats.failed), (2, 1));
    assert!(search(&engine, "bridge").contains("Lune"));
    // The next refresh does not stall on it again.
    assert!(engine.refresh().unwrap().skipped.is_empty());
    assert_eq!(stalls.load(Ordering::SeqCst), 1);
}
