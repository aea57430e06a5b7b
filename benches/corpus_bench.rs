//! `cargo bench`: the reference benchmark at 10,000 generated articles. For 100,000 run
//! `cargo run --release -- bench --articles 100000`.

fn main() -> anyhow::Result<()> {
    // cargo passes `--bench`; any other argument is ignored on purpose.
    let opts =
        briefbot::bench::BenchOptions { articles: 10_000, work_dir: "target/bench".into(), queries_per_command: 200, seed: 42, reuse: false, quick: false };
    briefbot::bench::run(&opts, &mut std::io::stdout())
}
