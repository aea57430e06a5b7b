//! Digest composition over real corpora (the engine's index, no scheduler): reports of one
//! event folded into one item citing all of them, key quotes, sources; and
//! `briefbot digest [--since DATE] [--json]` end to end.

use std::path::PathBuf;
use std::process::Command;

use briefbot::core::answer::ItemKind;
use briefbot::core::digest::{ComposeOptions, Window, compose_window, for_cli, parse_since};
use briefbot::core::engine::{Engine, EngineOptions};
use chrono::{DateTime, Utc};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_briefbot");

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn write(dir: &std::path::Path, name: &str, title: &str, date: &str, body: &str) {
    std::fs::write(dir.join(format!("{name}.md")), format!("---\ntitle: \"{title}\"\ndate: {date}\nurl: https://example.org/{name}\n---\n{body}\n")).unwrap();
}

#[test]
fn near_duplicate_reports_fold_into_one_item_citing_both() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    write(
        &corpus,
        "wire-a",
        "Ferry operator cancels winter crossings to the islands",
        "2025-02-03",
        "The island ferry operator cancelled all winter crossings to Sula and Vik on Monday, citing a shortage of engineers.\n\n\
         \"We cannot sail ships we cannot maintain,\" said Mari Holm, the chief executive.",
    );
    write(
        &corpus,
        "paper-b",
        "Winter ferry crossings to Sula and Vik cancelled",
        "2025-02-03",
        "The island ferry operator on Monday cancelled all winter crossings to Sula and Vik because it is short of engineers.\n\n\
         Islanders said they would lose their only link to the hospital.",
    );
    write(
        &corpus,
        "other",
        "Library reopens after flood repairs",
        "2025-02-02",
        "The town library reopened on Saturday after eight months of repairs following last spring's flood.",
    );
    engine.refresh_at(Some(utc("2025-02-03T12:00:00Z"))).unwrap();
    let window = Window { since: utc("2025-02-03T00:00:00Z"), until: Some(utc("2025-02-04T00:00:00Z")) };
    let answer = compose_window(&engine, &window, &ComposeOptions { since_label: "yesterday".into(), ..ComposeOptions::default() });
    assert_eq!(answer.command, "digest");
    assert_eq!(answer.notice.as_deref(), Some("Digest: 3 new articles since yesterday."));
    let bullets: Vec<_> = answer.items.iter().filter(|i| i.kind == Some(ItemKind::Bullet)).collect();
    assert_eq!(bullets.len(), 2, "{answer:#?}");
    let mut docs: Vec<&str> = bullets[0].sources.iter().map(|s| s.doc.as_str()).collect();
    docs.sort();
    assert_eq!(docs, ["paper-b", "wire-a"], "the story told twice comes first, citing both");
    assert!(bullets[0].text.starts_with("The island ferry operator"), "{}", bullets[0].text);
    assert_eq!(bullets[1].sources[0].doc, "other");
    let quote = answer.items.iter().find(|i| i.kind == Some(ItemKind::Direct)).expect("a key quote");
    assert_eq!(quote.speaker.as_deref(), Some("Mari Holm"));
    assert_eq!(quote.text, "We cannot sail ships we cannot maintain");
    assert!(answer.items.iter().all(|i| !i.sources.is_empty() && i.sources.iter().all(|s| s.url.is_some())));

    // The window bounds are respected.
    let before = compose_window(&engine, &Window { since: utc("2025-02-03T12:00:00Z"), until: None }, &ComposeOptions::default());
    assert!(before.items.is_empty());
    assert_eq!(before.notice.as_deref(), Some("Nothing new in the corpus."));
    let cli = for_cli(&engine, Some(parse_since("2025-02-01").unwrap()), utc("2025-02-05T00:00:00Z"));
    assert_eq!(cli.items.len(), answer.items.len());
}

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    Command::new(BIN).arg("--corpus").arg(corpus).arg("--data").arg(data).args(args).current_dir(data).output().unwrap()
}

#[test]
fn cli_digest_json_over_the_shipped_corpus() {
    let data = tempfile::tempdir().unwrap();
    let out = run(data.path(), &["digest", "--since", "2000-01-01", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(v["command"], "digest");
    assert!(v["notice"].as_str().unwrap().starts_with("Digest: 5 new articles since 2000-01-01"), "{}", v["notice"]);
    let items = v["items"].as_array().unwrap();
    assert!(items.len() >= 2, "{v:#}");
    for item in items {
        assert!(item["text"].as_str().is_some_and(|t| !t.is_empty()));
        let sources = item["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "every item cites: {item:#}");
        assert!(sources.iter().all(|s| s["doc"].is_string() && s["title"].is_string()));
    }
    // The visit was reported by several articles: one item cites at least two of them.
    assert!(items.iter().any(|i| i["kind"] == "bullet" && i["sources"].as_array().unwrap().len() >= 2), "{v:#}");
    // Every article of the corpus is cited somewhere.
    let cited: std::collections::HashSet<&str> =
        items.iter().flat_map(|i| i["sources"].as_array().unwrap().iter().map(|s| s["doc"].as_str().unwrap())).collect();
    assert_eq!(cited.len(), 5, "{cited:?}");
    assert!(v["text"].as_str().unwrap().contains("Digest: 5 new articles"));

    let plain = run(data.path(), &["digest", "--since", "2000-01-01"]);
    assert!(plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stdout).starts_with("Digest: 5 new articles"));

    let bad = run(data.path(), &["digest", "--since", "last tuesday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date"), "{}", String::from_utf8_lossy(&bad.stderr));

    let future = run(data.path(), &["digest", "--since", "2999-01-01T00:00:00Z", "--json"]);
    let v: Value = serde_json::from_slice(&future.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    assert!(v["notice"].as_str().unwrap().starts_with("Nothing new in the corpus since 2999-01-01"));
}
