//! Quote extraction speed on one core over a generated corpus:
//! `cargo run --release --example quote_speed -- [articles]`.
//!
//! Also prints a digest of everything extracted (offsets, text, speaker, mention, cue,
//! kind), so a change meant only for speed can show that the output stayed the same.

use std::hash::{Hash, Hasher};

/// FNV-1a: stable across runs and builds, unlike the std hasher's random keys.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    briefbot::bench::generator::generate(dir.path(), n, 42).expect("generate");
    let mut paths = Vec::new();
    for batch in std::fs::read_dir(dir.path()).unwrap() {
        for f in std::fs::read_dir(batch.unwrap().path()).unwrap() {
            paths.push(f.unwrap().path());
        }
    }
    // A fixed order, so the digest does not depend on the directory listing.
    paths.sort();
    let texts: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = std::time::Instant::now();
    let found: usize = texts.iter().map(|t| briefbot::core::quotes::extract(t).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    // The digest comes from a second, untimed pass.
    let mut digest = Fnv(0xcbf2_9ce4_8422_2325);
    for t in &texts {
        for q in briefbot::core::quotes::extract(t) {
            (q.start, q.end, &q.text, &q.speaker, &q.speaker_mention, &q.cue, format!("{:?}", q.kind)).hash(&mut digest);
        }
    }
    println!("{:.1} MB in {secs:.2}s: {:.1} MB/s, {found} quotes, output digest {:016x}", bytes as f64 / 1e6, bytes as f64 / 1e6 / secs, digest.finish());
}
