//! `briefbot ingest <url-or-file>...` end to end (local files only: no network).

use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages");

#[test]
fn ingest_files_and_folders_then_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, data) = (tmp.path().join("corpus"), tmp.path().join("data"));
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_briefbot"))
            .arg("--corpus")
            .arg(&corpus)
            .arg("--data")
            .arg(&data)
            .args(args)
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let news = format!("{FIXTURES}/news_article.html");
    let (code, out, err) = run(&["ingest", &news, &format!("{FIXTURES}/windows1252.html")]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("2 stored"), "{out}");
    assert!(out.contains("2 articles in the index"), "{out}");
    assert!(corpus.join("caspianledger.example/2025-04-28-ministers-meet-in-baku-to-chart-corridor-talks.md").is_file());
    // Again: a duplicate, nothing written. A missing file: one warning line, still exit 0.
    let (code, out, err) = run(&["ingest", &news, "/no/such/page.html"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("0 stored") && out.contains("1 duplicates, 1 failed"), "{out}");
    assert_eq!(err.lines().filter(|l| l.contains("/no/such/page.html")).count(), 1, "{err}");
    // Nothing usable at all: exit 1.
    let (code, _, _) = run(&["ingest", &format!("{FIXTURES}/index_page.html")]);
    assert_eq!(code, Some(1));
    // Usage error without targets.
    let (code, _, _) = run(&["ingest"]);
    assert_eq!(code, Some(2));
    let (code, out, err) = run(&["ask", "/search working group"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("working group"), "{out}");
    // The page's outlet and byline (og:site_name, the author meta) reach the citation.
    assert!(out.contains("(The Caspian Ledger, Leyla Hasanova, 2025-04-28)"), "{out}");
    let (code, out, err) = run(&["ask", "--json", "/sources"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let ledger: Vec<&serde_json::Value> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["sources"].as_array().unwrap())
        .filter(|s| s["doc"].as_str().unwrap().starts_with("caspianledger.example/"))
        .collect();
    assert_eq!(ledger.len(), 1, "{v}");
    assert_eq!(ledger[0]["outlet"], "The Caspian Ledger", "{v}");
    assert_eq!(ledger[0]["author"], "Leyla Hasanova", "{v}");
}
