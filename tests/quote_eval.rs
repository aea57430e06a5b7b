//! Quote extraction, measured: runs `briefbot::core::quotes::extract` over the articles in
//! tests/quote_eval/texts and scores it against tests/quote_eval/gold.json (guidelines in
//! tests/quote_eval/README.md).
//!
//! `cargo test --test quote_eval -- --nocapture` prints the summary; the summary and the
//! per-document misses, false positives and wrong speakers go to
//! `$CARGO_TARGET_DIR/quote_eval_report.txt` (default `target/quote_eval_report.txt`).

#[path = "quote_eval/gold.rs"]
mod gold;
#[path = "quote_eval/harness.rs"]
mod harness;

#[test]
fn quote_extraction_meets_thresholds() {
    harness::evaluate("DEVELOPMENT SET (tests/quote_eval)", &gold::load_or_panic(), "quote_eval_report.txt");
}
