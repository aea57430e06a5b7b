//! The gate section of `briefbot bench`: what the shared abuse gate ([`crate::gate::Gate`])
//! sustains with its limits on, over the real engine.
//!
//! - Throughput: many concurrent senders push a mix of commands through [`Gate::handle`]
//!   for a fixed time, every command from a user of its own and at most 20 to a chat, so
//!   that the limits (10 a user, 30 a chat, per minute) are checked on every command but
//!   refuse none; answers per second, and what was refused anyway.
//! - Light commands under load: while heavy senders keep the heavy-work pool full with
//!   `/brief` on common topics, one prober sends `/help` and `/sources` one at a time;
//!   their latency through the gate, p50 and p99.
//! - The rate limiter on its own: checks per second.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;

use super::percentile;
use crate::core::engine::Engine;
use crate::gate::{Access, Budget, Gate, Limits, Outcome, Rate, RateDecision, RateLimiter, Sender};

/// How long the throughput phase runs.
const THROUGHPUT_TIME: Duration = Duration::from_secs(8);
/// Concurrent senders in the throughput phase.
const SENDERS: usize = 64;
/// Heavy senders keeping the pool full while light commands are measured.
const HEAVY_SENDERS: usize = 16;
/// Light commands measured, per command.
const PROBES: usize = 300;
/// Commands per chat: under Telegram's 20 messages a minute in a group (the bench's senders
/// have no platform budget, so only `limits.per_chat_per_minute` would apply).
const PER_CHAT: u64 = 20;

/// Unique senders: a new user for every command, a new chat every [`PER_CHAT`] commands.
struct Identities(AtomicU64);

impl Identities {
    fn next(&self) -> Sender {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        Sender::new("bench", format!("chat{}", n / PER_CHAT), format!("user{n}"))
    }
}

#[derive(Default)]
struct Tally {
    answers: AtomicU64,
    rate_limited: AtomicU64,
    busy: AtomicU64,
}

impl Tally {
    fn count(&self, outcome: &Outcome) {
        let counter = match outcome {
            Outcome::Answer(_) => &self.answers,
            Outcome::Notice(n) if n == crate::gate::BUSY_MESSAGE => &self.busy,
            Outcome::Notice(_) | Outcome::Silent => &self.rate_limited,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

pub fn run(engine: Arc<Engine>, topics: &[&str], people: &[String], out: &mut dyn Write) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    let limits = Limits::default();
    let gate = Arc::new(Gate::new(engine, limits.clone(), Access::default()));
    let pool = if limits.heavy_concurrency == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { limits.heavy_concurrency };
    writeln!(
        out,
        "gate (limits on: {}/user/min, per chat the platform's budget, deadline {} ms, heavy pool {pool}):",
        limits.per_user_per_minute,
        limits.deadline.as_millis()
    )?;

    // The mix: the four heavy commands and one light one, in turn.
    let person = |i: usize| if people.is_empty() { "pipeline".to_string() } else { people[i % people.len()].clone() };
    let mix: Vec<String> = (0..topics.len().max(people.len()).max(1))
        .flat_map(|i| {
            let topic = topics[i % topics.len()];
            [
                format!("/brief {topic}"),
                format!("/quote {}", person(i)),
                format!("/background {}", person(i + 7)),
                format!("/search {topic}"),
                "/sources".to_string(),
            ]
        })
        .collect();
    let mix = Arc::new(mix);

    // 1. Throughput.
    let ids = Arc::new(Identities(AtomicU64::new(0)));
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for s in 0..SENDERS {
            let (gate, ids, tally, mix) = (gate.clone(), ids.clone(), tally.clone(), mix.clone());
            tasks.push(tokio::spawn(async move {
                let mut i = s;
                while started.elapsed() < THROUGHPUT_TIME {
                    let outcome = gate.handle(&ids.next(), &mix[i % mix.len()], None, Utc::now()).await;
                    tally.count(&outcome);
                    i += SENDERS;
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
    let secs = started.elapsed().as_secs_f64();
    let answers = tally.answers.load(Ordering::Relaxed);
    writeln!(
        out,
        "gate throughput: {:.0} answers/s sustained ({} commands in {secs:.1}s from {SENDERS} concurrent senders, one user each; mix brief/quote/background/search/sources; {} refused by the limits, {} busy)",
        answers as f64 / secs,
        answers + tally.rate_limited.load(Ordering::Relaxed) + tally.busy.load(Ordering::Relaxed),
        tally.rate_limited.load(Ordering::Relaxed),
        tally.busy.load(Ordering::Relaxed),
    )?;

    // 2. Light commands while heavy ones keep the pool full.
    let heavy_tally = Arc::new(Tally::default());
    let probe_tally = Tally::default();
    let stop = Arc::new(AtomicBool::new(false));
    let (help, sources, heavy_secs) = runtime.block_on(async {
        let mut heavy = Vec::new();
        for s in 0..HEAVY_SENDERS {
            let (gate, ids, tally, stop) = (gate.clone(), ids.clone(), heavy_tally.clone(), stop.clone());
            let topics: Vec<String> = topics.iter().map(|t| format!("/brief {t}")).collect();
            heavy.push(tokio::spawn(async move {
                let mut i = s;
                while !stop.load(Ordering::Relaxed) {
                    let outcome = gate.handle(&ids.next(), &topics[i % topics.len()], None, Utc::now()).await;
                    tally.count(&outcome);
                    i += 1;
                }
            }));
        }
        // Let the heavy senders fill the pool before measuring.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let heavy_started = Instant::now();
        let answers_before = heavy_tally.answers.load(Ordering::Relaxed);
        let mut help = Vec::with_capacity(PROBES);
        let mut sources = Vec::with_capacity(PROBES);
        for _ in 0..PROBES {
            for (text, times) in [("/help", &mut help), ("/sources", &mut sources)] {
                let t = Instant::now();
                let outcome = gate.handle(&ids.next(), text, None, Utc::now()).await;
                times.push(t.elapsed());
                probe_tally.count(&outcome);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        let heavy_secs = heavy_started.elapsed().as_secs_f64();
        let heavy_answers = heavy_tally.answers.load(Ordering::Relaxed) - answers_before;
        stop.store(true, Ordering::Relaxed);
        for t in heavy {
            let _ = t.await;
        }
        (help, sources, heavy_answers as f64 / heavy_secs)
    });
    let line = |name: &str, mut times: Vec<Duration>| {
        times.sort();
        format!("{name} p50 {:.2} ms  p99 {:.2} ms", percentile(&times, 0.5).as_secs_f64() * 1e3, percentile(&times, 0.99).as_secs_f64() * 1e3)
    };
    writeln!(
        out,
        "gate light commands while {HEAVY_SENDERS} senders keep the heavy pool full ({heavy_secs:.0} heavy answers/s, {} busy): {}; {} ({PROBES} each, one at a time, {} not answered)",
        heavy_tally.busy.load(Ordering::Relaxed),
        line("/help", help),
        line("/sources", sources),
        probe_tally.busy.load(Ordering::Relaxed) + probe_tally.rate_limited.load(Ordering::Relaxed),
    )?;

    // 3. The rate limiter alone: one user key and one chat key per check, as the gate does.
    let limiter = RateLimiter::default();
    let n = 1_000_000u64;
    let t = Instant::now();
    let mut allowed = 0u64;
    let (user_rates, chat_rates) = ([Rate::per_minute(10)], [Rate::per_minute(20)]);
    for i in 0..n {
        let user = format!("u:bench:{}", i % 20_000);
        let chat = format!("c:bench:{}", i % 2_000);
        if matches!(limiter.check(&[Budget::user(&user, &user_rates), Budget::chat(&chat, &chat_rates)], Instant::now()), RateDecision::Allow) {
            allowed += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    writeln!(out, "rate limiter alone: {:.2} M checks/s on one core ({n} checks over 20,000 users in 2,000 chats, {allowed} allowed)", n as f64 / secs / 1e6)?;
    runtime.shutdown_timeout(Duration::from_secs(10));
    Ok(())
}
