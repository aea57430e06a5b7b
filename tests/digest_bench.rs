//! The digest benchmark's own checks at a small size: every chat gets its digest exactly
//! once through a rate-limited fake platform, and the 429s it answers lose nothing.
//! (The figures come from `run_digest_bench` at 10,000 chats, not from here.)

#![cfg(feature = "runtime")]

use std::time::Duration;

use briefbot::digest::bench::{DigestBenchOptions, run_digest_bench};

#[test]
fn fan_out_through_429s_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let opts = DigestBenchOptions {
        chats: 600,
        articles: 40,
        work_dir: dir.path().to_path_buf(),
        max_per_second: 3_000,
        platform_limit: 400,
        latency: Duration::from_millis(1),
        seed: 7,
    };
    let mut out = Vec::new();
    let r = run_digest_bench(&opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(r.rate_limited > 0, "the platform limit was hit: {text}");
    assert_eq!((r.losses_to_429, r.missing, r.duplicates), (0, 0, 0), "{text}");
    assert_eq!(r.sent + r.empty, 600, "{text}");
    assert!(text.contains("sends/s") && text.contains("429s:"), "{text}");
}
