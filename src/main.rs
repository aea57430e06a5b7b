//! The `briefbot` binary: reads configuration, opens the engine and hands it to the
//! front end that was asked for. Everything else lives in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use briefbot::config::Config;
use briefbot::core::engine::{Engine, RefreshReport};
use briefbot::dispatch;
use briefbot::render;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "briefbot", version, about = "Cited briefings from a news corpus, for Telegram, Discord and the console.")]
struct Cli {
    /// Corpus folder (default: `corpus.dir` from the configuration, `corpus`).
    #[arg(long, global = true, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Data folder for the index and the store (default: `data.dir`, `data`).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Configuration file (default: config/local.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Answer one command, e.g. `briefbot ask "/brief zangezur"`.
    Ask {
        /// The command text, as a chat user would type it.
        text: String,
        /// Print one JSON object instead of plain text.
        #[arg(long)]
        json: bool,
    },
    /// An interactive console session.
    Chat,
    /// Export every extracted quote as JSON Lines.
    Quotes {
        /// Only this speaker's quotes (any spelling or alias).
        #[arg(long, value_name = "NAME")]
        speaker: Option<String>,
        /// JSON Lines output (the only format; accepted for clarity).
        #[arg(long)]
        json: bool,
    },
    /// The digest of what arrived since DATE (default: the last 24 hours), as `/digest` shows it.
    Digest {
        /// Start of the window: YYYY-MM-DD (midnight UTC) or an RFC 3339 time.
        #[arg(long, value_name = "DATE", value_parser = briefbot::core::digest::parse_since)]
        since: Option<chrono::DateTime<chrono::Utc>>,
        /// Print one JSON object (like `ask --json`) instead of plain text.
        #[arg(long)]
        json: bool,
    },
    /// Build or refresh the index and print counts.
    Index,
    /// Fetch pages or feeds (or read HTML files and folders) into the corpus, then refresh
    /// the index: `briefbot ingest https://example.org/rss.xml saved-page.html`.
    #[cfg(feature = "runtime")]
    Ingest {
        /// Page URLs, feed URLs, HTML (or feed) files, folders of HTML files.
        #[arg(required = true, value_name = "URL-OR-FILE")]
        targets: Vec<String>,
    },
    /// Run everything configured: Telegram and Discord (when their tokens are set), the
    /// corpus refresher, and the HTTP API with its web page on `http.bind`.
    #[cfg(feature = "serve")]
    Serve,
    /// Check a running server: GET {url}/healthz; exit 0 when it answers 200, else 1.
    #[cfg(feature = "serve")]
    Health {
        /// The server's base URL (default: from `http.bind`, e.g. http://127.0.0.1:8080).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Benchmark on a generated corpus: build, reopen, latency per command, memory.
    Bench {
        /// How many articles to generate (10000 and 100000 are the reference sizes).
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Queries per command.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Where the generated corpus and index are kept between runs.
        #[arg(long, default_value = "target/bench")]
        work_dir: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Reuse the index an earlier run built in the work dir (no build figures).
        #[arg(long)]
        reuse: bool,
        /// Only reopen and per-command latency (no refresh, gate or quote-speed figures).
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    // No panic or backtrace reaches a user: one line, exit 1. The line names where, not
    // what: a panic message can quote the text it failed on (a slice out of a char
    // boundary prints the string), and in serve mode that text is a user's message.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let _ = writeln!(std::io::stderr(), "briefbot: internal error{at} (please report it)");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        // The reader of our output went away (`briefbot quotes | head -1`): nothing more to
        // say to anyone, and nothing went wrong. Quietly, exit 0, as ripgrep does.
        Ok(Err(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            let _ = writeln!(std::io::stderr(), "briefbot: {}", one_line(&e));
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(1),
    }
}

/// The error and its causes in one line, each library text once.
fn one_line(e: &anyhow::Error) -> String {
    let e: &(dyn std::error::Error + 'static) = e.as_ref();
    briefbot::core::heal::one_line(e)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Write `text` and a newline to stdout. Never `println!`, which panics when the reader has
/// gone; the error goes up, and [`main`] ends quietly.
fn say(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Logs go to stderr at RUST_LOG's level (else `default`), as text or, with `log.json`, as
/// one JSON object per line.
fn init_logging(default: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).with_ansi(std::io::stderr().is_terminal());
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
}

fn load_config(cli: &Cli) -> Result<Config> {
    let local = cli.config.clone().or_else(|| Some(PathBuf::from("config/local.toml")).filter(|p| p.exists()));
    let env: Vec<(String, String)> = std::env::vars().collect();
    let mut config = Config::load(local.as_deref(), &env)?;
    if let Some(c) = &cli.corpus {
        config.corpus.dir = c.clone();
    }
    if let Some(d) = &cli.data {
        config.data.dir = d.clone();
    }
    Ok(config)
}

fn open_engine(config: &Config) -> Result<(Engine, RefreshReport)> {
    let opts = config.engine_options();
    let (engine, report) = Engine::open(&opts).with_context(|| format!("opening the corpus {}", opts.corpus_dir.display()))?;
    if let Some(h) = &report.healed {
        tracing::warn!("{h}");
    }
    for s in &report.skipped {
        tracing::warn!("skipped {}: {}", s.rel_path, s.reason);
    }
    if report.read_only {
        tracing::warn!("another briefbot process is updating the index; answering from the index as it is");
    }
    Ok((engine, report))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let config = load_config(&cli)?;
    #[cfg(feature = "serve")]
    let serving = matches!(cli.command, Cmd::Serve);
    #[cfg(not(feature = "serve"))]
    let serving = false;
    init_logging(if serving { "warn,briefbot=info" } else { "warn" }, config.log.json);
    match cli.command {
        #[cfg(feature = "serve")]
        Cmd::Serve => {
            briefbot::http::supervisor::run(config)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Cmd::Health { ref url } => {
            let base = match url {
                Some(u) => u.clone(),
                None => briefbot::http::health::default_url(briefbot::http::supervisor::resolve_bind(&config.http.bind)?),
            };
            let report = briefbot::http::health::check(&base, std::time::Duration::from_secs(5));
            say(&report.line)?;
            Ok(if report.healthy { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Cmd::Ask { ref text, json } => {
            let (engine, _) = open_engine(&config)?;
            let now = chrono::Utc::now();
            let Some(mut answer) = dispatch::respond(&engine, text, None, now) else {
                return Ok(ExitCode::SUCCESS);
            };
            // Damage found while answering: rebuild from the corpus now, then answer again.
            if engine.needs_rebuild() {
                let report = engine.refresh().context("rebuilding the damaged search index")?;
                if let Some(h) = &report.healed {
                    tracing::warn!("{h}");
                }
                answer = dispatch::respond(&engine, text, None, now).unwrap_or(answer);
            }
            let out = if json { render::json::render(&answer) } else { render::plain::render(&answer) };
            say(&out)?;
            Ok(if answer.command == "usage" { ExitCode::from(2) } else { ExitCode::SUCCESS })
        }
        Cmd::Chat => {
            let (engine, _) = open_engine(&config)?;
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                let _ = writeln!(std::io::stderr(), "(corpus: {})", config.corpus.dir.display());
            }
            briefbot::adapters::console::run(&engine, stdin.lock(), std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Quotes { ref speaker, json: _ } => {
            let (engine, _) = open_engine(&config)?;
            let quotes = engine.export_quotes(speaker.as_deref())?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for q in quotes {
                writeln!(out, "{}", serde_json::to_string(&q)?)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench { articles, queries, ref work_dir, seed, reuse, quick } => {
            let opts = briefbot::bench::BenchOptions { articles, work_dir: work_dir.clone(), queries_per_command: queries, seed, reuse, quick };
            briefbot::bench::run(&opts, &mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Digest { since, json } => {
            let (engine, _) = open_engine(&config)?;
            let answer = briefbot::core::digest::for_cli(&engine, since, chrono::Utc::now());
            say(&if json { render::json::render(&answer) } else { render::plain::render(&answer) })?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "runtime")]
        Cmd::Ingest { ref targets } => {
            let summary = briefbot::ingest::ingest_blocking(&config, targets)?;
            let (engine, _) = open_engine(&config)?;
            say(&format!("{summary}; {} articles in the index", engine.stats().articles))?;
            Ok(if summary.failed > 0 && summary.stored + summary.duplicates == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Cmd::Index => {
            let started = std::time::Instant::now();
            let (engine, report) = open_engine(&config)?;
            let stats = engine.stats();
            say(&format!(
                "{} articles ({} added, {} changed, {} removed, {} unchanged, {} skipped, {} failed analysis); {} sentences, {} quotes, {} entities; {:.2}s",
                stats.articles,
                report.added,
                report.changed,
                report.removed,
                report.unchanged,
                report.skipped.len(),
                stats.failed,
                stats.sentences,
                stats.quotes,
                stats.entities,
                started.elapsed().as_secs_f64()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
