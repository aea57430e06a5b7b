//! `since:` and `until:` through the parser and the engine on a corpus of dated articles
//! written for these tests (an invented river town and its bridge): each topic command keeps
//! to the window, says which window it used and how many undated articles it left out, and a
//! window that cannot hold anything gets a usage answer.

use std::path::Path;

use briefbot::core::answer::Answer;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::dispatch;
use briefbot::render;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Noon on 20 March 2033: `since:7d` is 13 March, `yesterday` 19 March.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2033, 3, 20, 12, 0, 0).unwrap()
}

fn write(dir: &Path, name: &str, date: Option<&str>, title: &str, body: &str) {
    let date = date.map(|d| format!("date: {d}\n")).unwrap_or_default();
    std::fs::write(dir.join(name), format!("---\ntitle: {title}\n{date}---\n{body}\n")).unwrap();
}

/// Five articles on the Velmar bridge over four months, one without a date.
fn corpus(dir: &Path) {
    write(
        dir,
        "b1.md",
        Some("2032-12-02"),
        "Velmar bridge closed for repairs",
        "The Velmar bridge over the river Ost closed on Monday for repairs to its cables.\nEngineer Tomas Reyd said the cables had corroded faster than expected.\n\"The bridge will stay shut until the spring,\" Tomas Reyd said.",
    );
    write(
        dir,
        "b2.md",
        Some("2033-02-10"),
        "Velmar bridge repairs fall behind",
        "Repairs to the Velmar bridge fell behind schedule after a cold January.\nThe town council of Velmar approved extra money for the work on Tuesday.\n\"We are six weeks late and the winter is to blame,\" Tomas Reyd said.",
    );
    write(
        dir,
        "b3.md",
        Some("2033-03-14"),
        "Velmar bridge to reopen next week",
        "The Velmar bridge will reopen to cars next week, the town council said on Monday.\nBuses will return to the bridge a week later.\n\"The new cables will last forty years,\" Tomas Reyd said.",
    );
    write(
        dir,
        "b4.md",
        Some("2033-03-19"),
        "Crowds cross the reopened Velmar bridge",
        "Hundreds of people walked across the reopened Velmar bridge on Saturday morning.\nShops on both banks of the river Ost reported their busiest day since December.\n\"It feels like the town is whole again,\" Tomas Reyd said.",
    );
    write(
        dir,
        "b5.md",
        None,
        "A history of the Velmar bridge",
        "The first Velmar bridge over the river Ost was built of timber in 1871.\nThe present steel bridge replaced it in 1958 after a flood.\n\"Every generation rebuilds the bridge,\" Tomas Reyd said.",
    );
}

fn engine() -> (tempfile::TempDir, tempfile::TempDir, Engine) {
    let corpus_dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    corpus(corpus_dir.path());
    let (engine, report) = Engine::open(&EngineOptions::new(corpus_dir.path(), data.path())).unwrap();
    assert_eq!(report.files, 5, "{report:?}");
    (corpus_dir, data, engine)
}

fn ask(engine: &Engine, text: &str) -> Answer {
    dispatch::respond(engine, text, None, now()).unwrap_or_else(|| panic!("{text}: no answer"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every cited article of an answer.
fn cited(a: &Answer) -> Vec<String> {
    let mut docs: Vec<String> = a.items.iter().flat_map(|i| i.sources.iter().map(|s| s.doc.clone())).collect();
    docs.sort();
    docs.dedup();
    docs
}

#[test]
fn without_a_filter_every_article_answers() {
    let (_c, _d, engine) = engine();
    let a = ask(&engine, "/search velmar bridge");
    assert_eq!(cited(&a), ["b1", "b2", "b3", "b4", "b5"], "{a:?}");
    assert!(a.window.is_none(), "no window was asked for");
}

#[test]
fn search_keeps_to_an_absolute_window() {
    let (_c, _d, engine) = engine();
    let a = ask(&engine, "/search velmar bridge since:2033-02-01 until:2033-03-15");
    assert_eq!(cited(&a), ["b2", "b3"], "{a:?}");
    let w = a.window.as_ref().expect("the answer says its window");
    assert_eq!((w.since, w.until, w.undated), (Some(day(2033, 2, 1)), Some(day(2033, 3, 15)), 1));
    assert_eq!(w.describe(), "Only articles dated 2033-02-01 to 2033-03-15; 1 article without a date left out.");
}

#[test]
fn relative_windows_resolve_against_now() {
    let (_c, _d, engine) = engine();
    // 13 March on: the two newest articles.
    let a = ask(&engine, "/search velmar bridge since:7d");
    assert_eq!(cited(&a), ["b3", "b4"], "{a:?}");
    assert_eq!(a.window.as_ref().unwrap().since, Some(day(2033, 3, 13)));
    // Yesterday (19 March) on: the newest only.
    assert_eq!(cited(&ask(&engine, "/search velmar bridge since:yesterday")), ["b4"]);
    // 24 hours before noon on the 20th is the 19th.
    assert_eq!(cited(&ask(&engine, "/search velmar bridge since:24h")), ["b4"]);
    // Up to 30 days ago (18 February): the two oldest dated ones; the undated one never.
    let old = ask(&engine, "/search velmar bridge until:30d");
    assert_eq!(cited(&old), ["b1", "b2"], "{old:?}");
    assert_eq!(old.window.as_ref().unwrap().until, Some(day(2033, 2, 18)));
}

#[test]
fn quotes_brief_and_background_keep_to_the_window() {
    let (_c, _d, engine) = engine();
    let all = ask(&engine, "/quote tomas reyd");
    assert!(all.items.len() >= 4, "{all:?}");
    let recent = ask(&engine, "/quote tomas reyd since:2033-03-01");
    assert!(!recent.items.is_empty(), "{recent:?}");
    assert_eq!(cited(&recent), ["b3", "b4"], "{recent:?}");
    assert!(recent.items.iter().all(|i| i.speaker.as_deref() == Some("Tomas Reyd")));

    let brief = ask(&engine, "/brief velmar bridge until:2033-02-28");
    assert!(!brief.items.is_empty(), "{brief:?}");
    assert_eq!(cited(&brief), ["b1", "b2"], "{brief:?}");
    assert!(brief.window.is_some());

    let background = ask(&engine, "/background velmar bridge since:2033-03-01");
    assert!(!background.items.is_empty(), "{background:?}");
    let docs = cited(&background);
    assert!(docs.iter().all(|d| d == "b3" || d == "b4"), "{docs:?}");
    assert!(background.window.is_some());
}

#[test]
fn an_empty_window_says_nothing_and_still_names_the_window() {
    let (_c, _d, engine) = engine();
    let a = ask(&engine, "/search velmar bridge since:2033-03-20");
    assert!(a.items.is_empty(), "{a:?}");
    assert!(a.notice.as_deref().unwrap_or_default().contains("Nothing"), "{a:?}");
    assert_eq!(a.window.as_ref().unwrap().describe(), "Only articles dated 2033-03-20 or later; 1 article without a date left out.");
}

#[test]
fn a_window_ending_before_it_starts_gets_usage() {
    let (_c, _d, engine) = engine();
    // Mixed bounds are compared only once `now` is known: the engine refuses them.
    let a = ask(&engine, "/brief velmar since:2033-03-18 until:5d");
    assert_eq!(a.command, "usage");
    assert!(a.notice.as_deref().unwrap().contains("is before since:"), "{a:?}");
    let b = ask(&engine, "/brief velmar since:banana");
    assert_eq!(b.command, "usage");
    assert!(b.notice.as_deref().unwrap().contains("since:banana"), "{b:?}");
}

#[test]
fn every_renderer_shows_the_window() {
    let (_c, _d, engine) = engine();
    let a = ask(&engine, "/search velmar bridge since:2033-03-01");
    let line = "Only articles dated 2033-03-01 or later; 1 article without a date left out.";
    assert!(render::plain::render(&a).contains(line), "{}", render::plain::render(&a));
    let json = render::json::to_value(&a);
    assert_eq!(json["window"]["since"], "2033-03-01");
    assert_eq!(json["window"]["undated"], 1);
    assert_eq!(json["window"]["label"], line);
    let telegram = render::telegram::render_parts(&a).join("\n");
    assert!(telegram.contains(line), "{telegram}");
    let embeds: Vec<String> = render::discord::embed_messages(&a).into_iter().flat_map(|m| m.embeds).map(|e| e.description).collect();
    assert!(embeds.join("\n").contains(line), "{embeds:?}");
    let markdown = render::discord::markdown_messages(&a).join("\n");
    assert!(markdown.contains(line), "{markdown}");
}
