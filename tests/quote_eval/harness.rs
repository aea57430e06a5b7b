//! What the quote evaluations share: run the extractor over a gold set, score it, print the
//! summary, write the report, and fail below the thresholds.

use std::path::{Path, PathBuf};

use briefbot::core::quotes::{Quote, QuoteKind, extract};

use super::gold::{self, GoldDoc, GoldKind, Pred};

/// The goal: F1 and speaker accuracy at least these, on direct and indirect quotes.
pub const MIN_F1: f64 = 0.85;
pub const MIN_SPEAKER_ACCURACY: f64 = 0.90;

#[allow(unreachable_patterns)]
fn kind_of(kind: &QuoteKind) -> Option<GoldKind> {
    match kind {
        QuoteKind::Direct => Some(GoldKind::Direct),
        QuoteKind::Indirect => Some(GoldKind::Indirect),
        QuoteKind::Mixed => Some(GoldKind::Mixed),
        _ => None,
    }
}

fn to_pred(q: &Quote) -> Pred {
    Pred { start: q.start, end: q.end, text: q.text.clone(), speaker: q.speaker.clone(), kind: kind_of(&q.kind), cue: q.cue.clone() }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// `$CARGO_TARGET_DIR/<file>` (default `target/<file>`).
fn report_path(file: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest.join(PathBuf::from(dir)),
        _ => manifest.join("target"),
    };
    target.join(file)
}

/// Extract, score and report `docs` (the set called `name`); the summary is printed and,
/// with every miss, false positive and wrong speaker, written to `report_file` under the
/// target folder. Panics (fails the test) below the thresholds or if the extractor panicked.
pub fn evaluate(name: &str, docs: &[GoldDoc], report_file: &str) {
    // A panic on one document is recorded (and fails the test below) rather than hiding
    // the figures for all the others; that document scores as if nothing was found.
    let mut panics = Vec::new();
    let preds: Vec<Vec<Pred>> = docs
        .iter()
        .map(|d| match std::panic::catch_unwind(|| extract(&d.body)) {
            Ok(quotes) => quotes.iter().map(to_pred).collect(),
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                let shown: String = message.lines().next().unwrap_or("").chars().take(160).collect();
                panics.push(format!("{}: {shown}", d.file));
                Vec::new()
            }
        })
        .collect();
    let report = gold::score(docs, &preds);
    let t = &report.total;
    let (f1, speaker) = (t.f1(), t.speaker_accuracy());
    let verdict = |ok: bool| if ok { "ok" } else { "BELOW" };
    let mut summary = format!("{name}\n{}", report.summary());
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
    let path = report_path(report_file);
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
    assert!(f1 >= MIN_F1, "{name}: quote extraction F1 {f1:.3} is below {MIN_F1}; see {}", path.display());
    assert!(speaker >= MIN_SPEAKER_ACCURACY, "{name}: speaker accuracy {speaker:.3} is below {MIN_SPEAKER_ACCURACY}; see {}", path.display());
}
