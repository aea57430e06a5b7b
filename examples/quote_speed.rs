//! Quote extraction speed on one core over a generated corpus:
//! `cargo run --release --example quote_speed -- [articles]`.

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    briefbot::bench::generator::generate(dir.path(), n, 42).expect("generate");
    let mut texts = Vec::new();
    for batch in std::fs::read_dir(dir.path()).unwrap() {
        for f in std::fs::read_dir(batch.unwrap().path()).unwrap() {
            texts.push(std::fs::read_to_string(f.unwrap().path()).unwrap());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = std::time::Instant::now();
    let found: usize = texts.iter().map(|t| briefbot::core::quotes::extract(t).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    println!("{:.1} MB in {secs:.2}s: {:.1} MB/s, {found} quotes", bytes as f64 / 1e6, bytes as f64 / 1e6 / secs);
}
