//! Ingestion throughput (fetch, extract, store, index) from a local server, and extraction
//! alone on one thread. `cargo test --release --test ingest_bench -- --nocapture` prints the
//! figures. `INGEST_BENCH_ARTICLES=2000` changes the size (default 300).

#[test]
fn ingest_throughput() {
    let n: usize = std::env::var("INGEST_BENCH_ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let report = briefbot::ingest::bench::run_ingest_bench(n, dir.path()).unwrap();
    println!("{report}");
    assert_eq!(report.stored, n, "every generated article is stored once");
    // The ≥ 50/s target is for release builds; debug builds only check that it runs.
    if !cfg!(debug_assertions) {
        assert!(report.per_second >= 50.0, "{report}");
    }
}

#[test]
fn extraction_throughput() {
    let n: usize = std::env::var("INGEST_BENCH_ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let report = briefbot::ingest::bench::run_extract_bench(n, 250).unwrap();
    println!("{report}");
    // The ≥ 200 pages/s target (one core) is for release builds; debug builds only check that it runs.
    if !cfg!(debug_assertions) {
        assert!(report.per_second >= 200.0, "{report}");
    }
}
