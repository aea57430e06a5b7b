//! What the quote evaluations share: the extractor's quotes as scorer predictions, panic
//! messages for the report, and where the report goes.

use std::path::{Path, PathBuf};

use briefbot::core::quotes::{Quote, QuoteKind};

use super::gold::{GoldKind, Pred};

#[allow(unreachable_patterns)]
pub fn kind_of(kind: &QuoteKind) -> Option<GoldKind> {
    match kind {
        QuoteKind::Direct => Some(GoldKind::Direct),
        QuoteKind::Indirect => Some(GoldKind::Indirect),
        QuoteKind::Mixed => Some(GoldKind::Mixed),
        _ => None,
    }
}

pub fn to_pred(q: &Quote) -> Pred {
    Pred { start: q.start, end: q.end, text: q.text.clone(), speaker: q.speaker.clone(), kind: kind_of(&q.kind), cue: q.cue.clone() }
}

pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// `$CARGO_TARGET_DIR/<file>` (default `target/<file>`).
pub fn report_path(file: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest.join(PathBuf::from(dir)),
        _ => manifest.join("target"),
    };
    target.join(file)
}
