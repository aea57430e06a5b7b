//! Refresh costs what changed: after any sequence of adds, edits and deletes the answers are
//! byte-identical to an index built from scratch, and a one-article refresh on a large
//! corpus reads back no other article's summary (counted, not timed).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use briefbot::bench::generator::{self, Rng};
use briefbot::command::Command;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::render::json;
use chrono::{TimeZone, Utc};

/// The answers that differ, both sides around the first difference (answers are long).
fn same(a: &[String], b: &[String], what: &str) {
    assert_eq!(a.len(), b.len());
    let mut report = String::new();
    for i in (0..a.len()).filter(|&i| a[i] != b[i]) {
        let at = a[i].bytes().zip(b[i].bytes()).position(|(x, y)| x != y).unwrap_or(0);
        let from = at.saturating_sub(200);
        let cut = |s: &str| s.get(from..(at + 200).min(s.len())).unwrap_or(s).to_string();
        report.push_str(&format!("\nanswer {i} differs at byte {at}:\n incremental: …{}…\n rebuilt:     …{}…", cut(&a[i]), cut(&b[i])));
    }
    assert!(report.is_empty(), "{what}:{report}");
}

fn answers(engine: &Engine, people: &[String]) -> Vec<String> {
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut commands = vec![
        Command::brief("pipeline"),
        Command::brief("sanctions"),
        // Compares the candidates with their articles' facts, kept between answers until
        // the index changes: a refresh must not leave the facts of an article as it was.
        Command::differ("pipeline"),
        Command::search("railway corridor"),
        Command::search("inflation"),
        Command::Sources,
        Command::quote("Ministry of Energy"),
    ];
    for p in people {
        commands.push(Command::quote(p.clone()));
        commands.push(Command::background(p.clone()));
        commands.push(Command::brief(p.clone()));
        commands.push(Command::search(p.clone()));
    }
    let mut out: Vec<String> = commands.iter().map(|c| json::render(&engine.answer(c, now))).collect();
    out.push(format!("{:?}", engine.suggest("", 1000)));
    out
}

/// Every article file under `dir`, relative, sorted.
fn articles(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Write a file with a modification time of our choosing, so that two edits in one clock
/// tick are still two changes.
fn write(path: &Path, text: &str, tick: &mut u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    *tick += 1;
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + *tick)).unwrap();
}

#[test]
fn answers_after_random_adds_edits_and_deletes_equal_a_rebuild_from_scratch() {
    let pool_dir = tempfile::tempdir().unwrap();
    generator::generate(pool_dir.path(), 40, 7).unwrap();
    let pool: Vec<String> = articles(pool_dir.path()).iter().map(|p| std::fs::read_to_string(pool_dir.path().join(p)).unwrap()).collect();
    assert_eq!(pool.len(), 40);
    for seed in [1u64, 2, 3] {
        let mut rng = Rng::new(seed);
        let corpus = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut tick = 0u64;
        let mut live: Vec<PathBuf> = Vec::new();
        for i in 0..8 {
            let p = PathBuf::from(format!("s{seed}/a{i:03}.md"));
            write(&corpus.path().join(&p), &pool[rng.below(pool.len())], &mut tick);
            live.push(p);
        }
        let (engine, _) = Engine::open(&EngineOptions::new(corpus.path(), data.path())).unwrap();
        let mut next = 8;
        for step in 0..24 {
            // One to three changes, told to the engine by path or found by a scan.
            let mut changed: Vec<String> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                match rng.below(4) {
                    0 | 1 => {
                        let p = PathBuf::from(format!("s{seed}/{}/a{next:03}.md", if rng.below(2) == 0 { "x" } else { "y" }));
                        next += 1;
                        write(&corpus.path().join(&p), &pool[rng.below(pool.len())], &mut tick);
                        changed.push(p.to_string_lossy().into_owned());
                        live.push(p);
                    }
                    2 if !live.is_empty() => {
                        let p = live[rng.below(live.len())].clone();
                        write(&corpus.path().join(&p), &pool[rng.below(pool.len())], &mut tick);
                        changed.push(p.to_string_lossy().into_owned());
                    }
                    _ if !live.is_empty() => {
                        let p = live.remove(rng.below(live.len()));
                        std::fs::remove_file(corpus.path().join(&p)).unwrap();
                        changed.push(p.to_string_lossy().into_owned());
                    }
                    _ => {}
                }
            }
            if step % 3 == 0 {
                engine.refresh().unwrap();
            } else {
                engine.refresh_paths(&changed, None).unwrap();
            }
            if step % 4 != 3 && step != 23 {
                continue;
            }
            let fresh_data = tempfile::tempdir().unwrap();
            let (fresh, _) = Engine::open(&EngineOptions::new(corpus.path(), fresh_data.path())).unwrap();
            let people: Vec<String> = fresh.suggest("", 40).into_iter().filter(|n| n.contains(' ')).take(4).collect();
            let again_data = tempfile::tempdir().unwrap();
            let (again, _) = Engine::open(&EngineOptions::new(corpus.path(), again_data.path())).unwrap();
            same(&answers(&again, &people), &answers(&fresh, &people), &format!("seed {seed} step {step}: two builds from scratch"));
            assert_eq!(engine.stats().articles, live.len(), "seed {seed} step {step}");
            same(&answers(&engine, &people), &answers(&fresh, &people), &format!("seed {seed} step {step}"));
            // Reopened from its own state, it still answers the same.
            drop(fresh);
        }
        drop(engine);
        let (reopened, report) = Engine::open(&EngineOptions::new(corpus.path(), data.path())).unwrap();
        assert!(!report.changed_anything() && report.healed.is_none(), "seed {seed}: {report:?}");
        let fresh_data = tempfile::tempdir().unwrap();
        let (fresh, _) = Engine::open(&EngineOptions::new(corpus.path(), fresh_data.path())).unwrap();
        let people: Vec<String> = fresh.suggest("", 40).into_iter().filter(|n| n.contains(' ')).take(4).collect();
        same(&answers(&reopened, &people), &answers(&fresh, &people), &format!("seed {seed}, reopened"));
    }
}

const NEW_ARTICLE: &str = "---\ntitle: Zorblatt opens the Quintavel ferry\ndate: 2031-02-03\n---\n\n\
Ulrike Zorblatt, the harbour master of Quintavel, opened the new ferry line on Monday. \
\"The crossing takes forty minutes now,\" Zorblatt said at the pier. \
The Quintavel Ferry Guild said the boats would run every hour from March.\n";

#[test]
fn a_one_article_refresh_on_twenty_thousand_articles_reads_no_other_summary() {
    let corpus = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    generator::generate(corpus.path(), 20_000, 11).unwrap();
    let opts = EngineOptions::new(corpus.path(), data.path());
    let (engine, report) = Engine::open(&opts).unwrap();
    assert_eq!(report.added, 20_000);
    let before = engine.summary_reads();

    // A new article whose names no other article shares: told by path, then by a scan.
    std::fs::write(corpus.path().join("zorblatt.md"), NEW_ARTICLE).unwrap();
    let r = engine.refresh_paths(&["zorblatt.md".to_string()], None).unwrap();
    assert_eq!(r.added, 1);
    let own = engine.summary_reads() - before;
    // Its people's group (its own rows) and one row per name group (the first article naming it).
    assert!(own <= 8, "only the new article's own groups are read back: {own} rows");
    assert_eq!(engine.entity("Ulrike Zorblatt").map(|e| e.docs), Some(1));

    let before = engine.summary_reads();
    std::fs::write(corpus.path().join("zorblatt.md"), NEW_ARTICLE.replace("forty", "thirty")).unwrap();
    let r = engine.refresh().unwrap();
    assert_eq!((r.changed, r.unchanged), (1, 20_000));
    let edit = engine.summary_reads() - before;
    assert!(edit <= 2 * own, "an edit reads its own rows and its groups: {edit} rows");

    let before = engine.summary_reads();
    std::fs::remove_file(corpus.path().join("zorblatt.md")).unwrap();
    let r = engine.refresh_paths(&["zorblatt.md".to_string()], None).unwrap();
    assert_eq!(r.removed, 1);
    assert!(engine.summary_reads() - before <= 2 * own);
    assert!(engine.entity("Ulrike Zorblatt").is_none(), "gone with its article");

    // An article of the generated corpus shares its names with many others: its refresh
    // reads the groups of those names (people of its surnames), never the corpus.
    let some = articles(corpus.path())[1234].clone();
    let text = std::fs::read_to_string(corpus.path().join(&some)).unwrap();
    let before = engine.summary_reads();
    std::fs::write(corpus.path().join(&some), format!("{text}\nOne more line was added to this article today.\n")).unwrap();
    engine.refresh_paths(&[some], None).unwrap();
    let shared = engine.summary_reads() - before;
    // (The corpus holds over 120,000 person rows: six people an article, 280 surnames.)
    assert!(shared < 12_000, "{shared} summary rows read for one article of 20,000");
}

/// A running file of entries, each opening with its clock time (or the same sentences
/// without the times), where the pledge was signed in `place`.
fn pledge_article(place: &str, live: bool) -> String {
    let entries = [
        ("9:40 p.m.", format!("The pledge was signed in {place} by the county chairs of the Greens.")),
        ("9:10 p.m.", "Polls have closed in Arlen and Brisk.".to_string()),
        ("8:50 p.m.", "Turnout in the valley was high, the county clerks reported.".to_string()),
    ];
    let body: Vec<String> = entries.iter().map(|(t, e)| if live { format!("{t} {e}") } else { e.clone() }).collect();
    format!("---\ntitle: Election night in the valley\n---\n\n{}\n", body.join("\n\n"))
}

#[test]
fn a_comparison_after_an_edit_sees_the_article_as_it_is_now() {
    // Two undated live blogs tell different moments, not versions of one fact; a live blog
    // and a plain report of the same evening that name another place differ. What an
    // article is (a live blog or not) is kept between answers until the index changes.
    let corpus = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("a.md"), pledge_article("Arlen", true)).unwrap();
    std::fs::write(corpus.path().join("b.md"), pledge_article("Brisk", false)).unwrap();
    let opts = EngineOptions::new(corpus.path(), data.path());
    let (engine, _) = Engine::open(&opts).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let differ = |e: &Engine| e.answer(&Command::differ("pledge"), now);
    let disagreements = |e: &Engine| differ(e).items.iter().filter(|i| i.kind == Some(briefbot::core::answer::ItemKind::Disagreement)).count();
    assert_eq!(disagreements(&engine), 1, "{:?}", differ(&engine));
    assert_eq!(disagreements(&engine), 1, "asked again (the facts kept)");

    // The plain report becomes a live blog too: now two running files of other moments.
    std::fs::write(corpus.path().join("b.md"), pledge_article("Brisk", true)).unwrap();
    engine.refresh_paths(&["b.md".to_string()], None).unwrap();
    assert_eq!(disagreements(&engine), 0, "{:?}", differ(&engine));
    let fresh_data = tempfile::tempdir().unwrap();
    let (fresh, _) = Engine::open(&EngineOptions::new(corpus.path(), fresh_data.path())).unwrap();
    assert_eq!(json::render(&differ(&engine)), json::render(&differ(&fresh)));
}
