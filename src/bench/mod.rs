//! `briefbot bench`: builds an index over a generated corpus and prints figures: build time
//! and throughput, reopen time, per-command latency (p50/p99), the shared gate's throughput
//! with its limits on and light-command latency under heavy load (`gate.rs`), quote
//! extraction speed and peak memory. Figures, not pass/fail: timing belongs here, not in tests.

#[cfg(feature = "runtime")]
mod gate;
pub mod generator;

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;

use crate::command::Command;
use crate::core::engine::{Engine, EngineOptions};
use crate::core::quotes;

pub struct BenchOptions {
    pub articles: usize,
    /// Where the generated corpus and its index live (reused between runs).
    pub work_dir: PathBuf,
    pub queries_per_command: usize,
    pub seed: u64,
    /// Keep the index an earlier run built in `work_dir` (and left whole) instead of
    /// building it again: for iterating on reopen and query latency at a million articles.
    pub reuse: bool,
    /// Only the reopen and the per-command latency: no refresh figures, gate or quote speed.
    pub quick: bool,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Peak resident memory of this process (Linux), in MiB.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(opts: &BenchOptions, out: &mut dyn Write) -> Result<()> {
    let corpus = opts.work_dir.join(format!("corpus-{}-{}", opts.articles, opts.seed));
    let data = opts.work_dir.join(format!("data-{}-{}", opts.articles, opts.seed));
    let marker = corpus.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
        let t = Instant::now();
        let bytes = generator::generate(&corpus, opts.articles, opts.seed)?;
        std::fs::write(&marker, bytes.to_string())?;
        writeln!(out, "generated {} articles ({:.1} MB) in {:.1}s", opts.articles, bytes as f64 / 1e6, t.elapsed().as_secs_f64())?;
    }
    let corpus_bytes: f64 = std::fs::read_to_string(&marker)?.trim().parse().unwrap_or(0.0);
    // Written after a build that finished: `--reuse` keeps only a whole index.
    let built = opts.work_dir.join(format!("data-{}-{}.built", opts.articles, opts.seed));
    let engine_opts = EngineOptions::new(&corpus, &data);
    if opts.reuse && built.exists() {
        writeln!(out, "reusing the index built in {} (build figures: {})", data.display(), std::fs::read_to_string(&built)?.trim())?;
    } else {
        let _ = std::fs::remove_file(&built);
        let _ = std::fs::remove_dir_all(&data);
        let t = Instant::now();
        let (engine, report) = Engine::open(&engine_opts)?;
        let build = t.elapsed();
        let stats = engine.stats();
        writeln!(
            out,
            "corpus: {} articles, {:.1} MB, {} sentences, {} quotes, {} entities",
            report.files,
            corpus_bytes / 1e6,
            stats.sentences,
            stats.quotes,
            stats.entities
        )?;
        let line = format!(
            "{:.1}s ({:.0} articles/s, {:.1} MB/s)",
            build.as_secs_f64(),
            report.files as f64 / build.as_secs_f64(),
            corpus_bytes / 1e6 / build.as_secs_f64()
        );
        writeln!(out, "index build: {line}")?;
        if let Some(mib) = peak_memory_mib() {
            writeln!(out, "peak memory after the build: {mib:.0} MiB")?;
        }
        drop(engine);
        std::fs::write(&built, line)?;
    }
    writeln!(out, "on disk: index {:.1} MB, state {:.1} MB", dir_bytes(&data.join("index")) as f64 / 1e6, dir_bytes(&data.join("state.sqlite")) as f64 / 1e6)?;

    // Reopening: answers are possible once the state is read (what `serve` waits for); the
    // scan of the folder that follows runs in the background there.
    let t = Instant::now();
    let (engine, _) = Engine::open_state(&engine_opts, crate::core::disk::Disk::real())?;
    let answerable = t.elapsed();
    drop(engine);
    let t = Instant::now();
    let (engine, report) = Engine::open(&engine_opts)?;
    writeln!(
        out,
        "reopen: {:.3}s to answer, {:.3}s with the scan of the folder ({} unchanged files checked)",
        answerable.as_secs_f64(),
        t.elapsed().as_secs_f64(),
        report.unchanged
    )?;
    if !opts.quick {
        incremental(&engine, &corpus, &opts.work_dir, opts.seed, out)?;
    }

    // Queries: topics from the generator's vocabulary, people from the entity table.
    let people: Vec<String> = engine.suggest("", 400).into_iter().filter(|n| n.contains(' ')).take(100).collect();
    let mut rng = generator::Rng::new(opts.seed ^ 0xBEEF);
    let topics = ["pipeline", "railway corridor", "sanctions", "border", "inflation", "wheat", "uranium", "floods", "ceasefire talks", "copper"];
    let now = Utc::now();
    // Each query is timed with a label (its topic or person), so that the slowest labels
    // of a command show where its tail comes from.
    let mut run_cmd = |name: &str, make: &mut dyn FnMut(&mut generator::Rng) -> (String, Command), out: &mut dyn Write| -> Result<()> {
        let mut times = Vec::with_capacity(opts.queries_per_command);
        let mut by_label: std::collections::BTreeMap<String, Vec<Duration>> = std::collections::BTreeMap::new();
        let mut items = 0usize;
        for _ in 0..opts.queries_per_command {
            let (label, cmd) = make(&mut rng);
            let t = Instant::now();
            let a = engine.answer(&cmd, now);
            let took = t.elapsed();
            times.push(took);
            by_label.entry(label).or_default().push(took);
            items += a.items.len();
        }
        times.sort();
        writeln!(
            out,
            "{name:<12} p50 {:>7.2} ms  p99 {:>7.2} ms  ({} queries, {:.1} items/answer)",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.len(),
            items as f64 / times.len().max(1) as f64
        )?;
        writeln!(out, "{}", slowest_labels(by_label, 5))?;
        Ok(())
    };
    let topic = |r: &mut generator::Rng| topics[r.below(topics.len())].to_string();
    run_cmd(
        "/brief",
        &mut |r| {
            let t = topic(r);
            (t.clone(), Command::brief(t))
        },
        out,
    )?;
    let p = people.clone();
    run_cmd(
        "/quote",
        &mut |r| {
            let who = if p.is_empty() { "nobody".into() } else { p[r.below(p.len())].clone() };
            (who.clone(), Command::quote(who))
        },
        out,
    )?;
    run_cmd(
        "/background",
        &mut |r| {
            let who = if people.is_empty() { "pipeline".into() } else { people[r.below(people.len())].clone() };
            (who.clone(), Command::background(who))
        },
        out,
    )?;
    run_cmd(
        "/search",
        &mut |r| {
            let t = topic(r);
            (t.clone(), Command::search(t))
        },
        out,
    )?;
    run_cmd("/sources", &mut |_| (String::new(), Command::Sources), out)?;
    if opts.quick {
        if let Some(mib) = peak_memory_mib() {
            writeln!(out, "peak memory: {mib:.0} MiB")?;
        }
        return Ok(());
    }
    #[cfg(feature = "runtime")]
    gate::run(std::sync::Arc::new(engine), &topics, &people, out)?;
    #[cfg(not(feature = "runtime"))]
    drop(engine);

    // Quote extraction on one core, over raw article text.
    let mut texts = Vec::new();
    let mut total = 0usize;
    for entry in walk(&corpus) {
        if total > 8_000_000 {
            break;
        }
        if let Ok(t) = std::fs::read_to_string(&entry) {
            total += t.len();
            texts.push(t);
        }
    }
    let t = Instant::now();
    let mut found = 0usize;
    for text in &texts {
        found += quotes::extract(text).len();
    }
    let secs = t.elapsed().as_secs_f64();
    writeln!(out, "quote extraction: {:.1} MB/s on one core ({:.1} MB, {} quotes)", total as f64 / 1e6 / secs, total as f64 / 1e6, found)?;
    if let Some(mib) = peak_memory_mib() {
        writeln!(out, "peak memory: {mib:.0} MiB")?;
    }
    Ok(())
}

/// The labels whose slowest query took longest: "  slowest: label max/median ms (n), ...".
fn slowest_labels(by_label: std::collections::BTreeMap<String, Vec<Duration>>, n: usize) -> String {
    let mut rows: Vec<(String, Duration, Duration, usize)> = by_label
        .into_iter()
        .map(|(label, mut t)| {
            t.sort();
            (label, *t.last().unwrap_or(&Duration::ZERO), percentile(&t, 0.5), t.len())
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown: Vec<String> = rows
        .iter()
        .take(n)
        .map(|(l, max, med, k)| format!("{} {:.1}/{:.1} ms ({k})", if l.is_empty() { "-" } else { l }, max.as_secs_f64() * 1e3, med.as_secs_f64() * 1e3))
        .collect();
    format!("  slowest (max/median): {}", shown.join(", "))
}

/// Bytes under `path` (a file or a folder).
fn dir_bytes(path: &std::path::Path) -> u64 {
    if path.is_file() {
        return std::fs::metadata(path).map_or(0, |m| m.len());
    }
    walk_all(path).iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

fn walk_all(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Refresh alone, on the built corpus: one, ten and a hundred new articles (told by path, as
/// the watcher and the ingester do, and found by a scan of the folder, as `briefbot index`
/// does), an unchanged scan, one article removed. The corpus is left as it was.
fn incremental(engine: &Engine, corpus: &std::path::Path, work: &std::path::Path, seed: u64, out: &mut dyn Write) -> Result<()> {
    let extra = work.join(format!("extra-{seed}"));
    if !extra.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&extra);
        std::fs::create_dir_all(&extra)?;
        generator::generate(&extra, 222, seed ^ 0xADD)?;
        std::fs::write(extra.join(".complete"), "")?;
    }
    let sources: Vec<PathBuf> = walk(&extra);
    let added_dir = corpus.join("added");
    let _ = std::fs::remove_dir_all(&added_dir);
    std::fs::create_dir_all(&added_dir)?;
    let mut next = 0usize;
    let mut add = |k: usize| -> Result<Vec<String>> {
        let mut paths = Vec::new();
        for _ in 0..k {
            let rel = format!("added/article-{next:04}.md");
            std::fs::copy(&sources[next % sources.len()], corpus.join(&rel))?;
            next += 1;
            paths.push(rel);
        }
        Ok(paths)
    };
    let secs = |d: Duration| d.as_secs_f64();
    for k in [1usize, 10, 100] {
        let paths = add(k)?;
        let t = Instant::now();
        let r = engine.refresh_paths(&paths, None)?;
        let told = t.elapsed();
        anyhow::ensure!(r.added == k, "added {} of {k}", r.added);
        add(k)?;
        let t = Instant::now();
        let r = engine.refresh()?;
        let scanned = t.elapsed();
        anyhow::ensure!(r.added == k, "added {} of {k}", r.added);
        writeln!(out, "add {k:>3}: {:.3}s told by path, {:.3}s found by a scan", secs(told), secs(scanned))?;
    }
    let t = Instant::now();
    let r = engine.refresh()?;
    anyhow::ensure!(!r.changed_anything());
    writeln!(out, "unchanged refresh (scan): {:.3}s", secs(t.elapsed()))?;
    let gone = "added/article-0000.md".to_string();
    std::fs::remove_file(corpus.join(&gone))?;
    let t = Instant::now();
    let r = engine.refresh_paths(std::slice::from_ref(&gone), None)?;
    let told = t.elapsed();
    anyhow::ensure!(r.removed == 1);
    std::fs::remove_file(corpus.join("added/article-0001.md"))?;
    let t = Instant::now();
    let r = engine.refresh()?;
    anyhow::ensure!(r.removed == 1);
    writeln!(out, "remove one: {:.3}s told by path, {:.3}s found by a scan", secs(told), secs(t.elapsed()))?;
    std::fs::remove_dir_all(&added_dir)?;
    engine.refresh()?;
    Ok(())
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
