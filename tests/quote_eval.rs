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

use briefbot::core::quotes::extract;
use gold::Pred;

const MIN_F1: f64 = 0.85;
const MIN_SPEAKER_ACCURACY: f64 = 0.90;

#[test]
fn quote_extraction_meets_thresholds() {
    let docs = gold::load_or_panic();
    // A panic on one document is recorded (and fails the test below) rather than hiding
    // the figures for all the others; that document scores as if nothing was found.
    let mut panics = Vec::new();
    let preds: Vec<Vec<Pred>> = docs
        .iter()
        .map(|d| match std::panic::catch_unwind(|| extract(&d.body)) {
            Ok(quotes) => quotes.iter().map(harness::to_pred).collect(),
            Err(payload) => {
                let message = harness::panic_message(payload.as_ref());
                let first_line = message.lines().next().unwrap_or("");
                let shown: String = first_line.chars().take(160).collect();
                panics.push(format!("{}: {shown}", d.file));
                Vec::new()
            }
        })
        .collect();
    let report = gold::score(&docs, &preds);
    let t = &report.total;
    let (f1, speaker) = (t.f1(), t.speaker_accuracy());
    let verdict = |ok: bool| if ok { "ok" } else { "BELOW" };
    let mut summary = report.summary();
    summary.push_str(&format!(
        "thresholds: F1 {f1:.3} >= {MIN_F1} {}; speaker accuracy {speaker:.3} >= {MIN_SPEAKER_ACCURACY} {}\n",
        verdict(f1 >= MIN_F1),
        verdict(speaker >= MIN_SPEAKER_ACCURACY)
    ));
    if !panics.is_empty() {
        summary.push_str(&format!("EXTRACTOR PANICKED on {} documents (scored as finding nothing):\n", panics.len()));
        for p in &panics {
            summary.push_str(&format!("  {p}\n"));
        }
    }
    let path = harness::report_path("quote_eval_report.txt");
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, format!("{summary}\nDetails (misses, false positives, wrong speakers)\n\n{}", report.details())));
    println!("{summary}");
    match written {
        Ok(()) => println!("full report: {}", path.display()),
        Err(e) => println!("could not write {}: {e}", path.display()),
    }
    assert!(panics.is_empty(), "the extractor panicked on {} documents: {panics:#?}", panics.len());
    assert!(f1 >= MIN_F1, "quote extraction F1 {f1:.3} is below {MIN_F1}; see {}", path.display());
    assert!(speaker >= MIN_SPEAKER_ACCURACY, "speaker accuracy {speaker:.3} is below {MIN_SPEAKER_ACCURACY}; see {}", path.display());
}
