//! Counters for `GET /metrics`, in the Prometheus text format (version 0.0.4).
//!
//! One [`Metrics`] is shared (through an `Arc`) by the HTTP API, the answerer wrapper that
//! every front end goes through ([`MeteredAnswerer`]), the chat adapters (through the
//! shared gate), which count what they send with [`Metrics::message_sent`],
//! [`Metrics::send_error`] and [`Metrics::rate_limited`], and the digest scheduler. Everything is a plain atomic: no locks on the answer path.
//! Nothing here knows which platform it counts for.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::command::Command;
use crate::core::answer::Answer;
use crate::core::engine::Stats;
use crate::dispatch::Answerer;

/// The `command` label values; anything else is counted as `other`.
pub const COMMAND_LABELS: &[&str] = &[
    "brief",
    "quote",
    "background",
    "differ",
    "search",
    "sources",
    "help",
    "usage",
    "subscribe",
    "unsubscribe",
    "subscription",
    "digest",
    "follow",
    "unfollow",
    "following",
    "status",
    "other",
];

/// The `reason` label values of `briefbot_refusals_total`: commands the shared gate did not
/// answer because of a rate limit, because heavy work would have missed the deadline
/// ("busy"), or because the chat is not on the allowlist.
pub const REFUSAL_REASONS: &[&str] = &["rate_limit", "busy", "not_allowed"];

/// The `outcome` label values of `briefbot_digests_total`.
pub const DIGEST_OUTCOMES: &[&str] = &["sent", "empty", "gone", "retry_later", "failed"];

/// Upper bounds (seconds) of the answer latency histogram's buckets; `+Inf` is implied.
pub const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Counters and gauges shared by every front end. Create with [`Metrics::new`] (or
/// `Default`) and share as `Arc<Metrics>`.
#[derive(Debug)]
pub struct Metrics {
    answers: Vec<AtomicU64>,
    /// Per bucket (non-cumulative), plus one for `+Inf`.
    latency_buckets: Vec<AtomicU64>,
    latency_sum_micros: AtomicU64,
    latency_count: AtomicU64,
    messages_sent: AtomicU64,
    send_errors: AtomicU64,
    rate_limited: AtomicU64,
    refusals: Vec<AtomicU64>,
    digests: Vec<AtomicU64>,
    refreshes: AtomicU64,
    refresh_errors: AtomicU64,
    skipped_files: AtomicU64,
    ready: AtomicBool,
    corpus_articles: AtomicU64,
    corpus_sentences: AtomicU64,
    corpus_quotes: AtomicU64,
    corpus_entities: AtomicU64,
    corpus_failed: AtomicU64,
    /// When these counters started (for `/status`'s uptime).
    started: Instant,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let zeros = |n: usize| (0..n).map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        Metrics {
            answers: zeros(COMMAND_LABELS.len()),
            latency_buckets: zeros(LATENCY_BUCKETS.len() + 1),
            latency_sum_micros: AtomicU64::new(0),
            latency_count: AtomicU64::new(0),
            messages_sent: AtomicU64::new(0),
            send_errors: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            refusals: zeros(REFUSAL_REASONS.len()),
            digests: zeros(DIGEST_OUTCOMES.len()),
            refreshes: AtomicU64::new(0),
            refresh_errors: AtomicU64::new(0),
            skipped_files: AtomicU64::new(0),
            ready: AtomicBool::new(false),
            corpus_articles: AtomicU64::new(0),
            corpus_sentences: AtomicU64::new(0),
            corpus_quotes: AtomicU64::new(0),
            corpus_entities: AtomicU64::new(0),
            corpus_failed: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// How long ago these counters were created (in `briefbot serve`: since start-up).
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Count one answer to `command` (a command name without slash, e.g. `brief`; unknown
    /// names count as `other`) that took `elapsed`.
    pub fn record_answer(&self, command: &str, elapsed: Duration) {
        let i = COMMAND_LABELS.iter().position(|c| *c == command).unwrap_or(COMMAND_LABELS.len() - 1);
        self.answers[i].fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        let b = LATENCY_BUCKETS.iter().position(|le| secs <= *le).unwrap_or(LATENCY_BUCKETS.len());
        self.latency_buckets[b].fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros.fetch_add(elapsed.as_micros().min(u64::MAX as u128) as u64, Ordering::Relaxed);
        self.latency_count.fetch_add(1, Ordering::Relaxed);
    }

    /// How many answers to `command` were counted (for tests and logs).
    pub fn answers(&self, command: &str) -> u64 {
        COMMAND_LABELS.iter().position(|c| *c == command).map_or(0, |i| self.answers[i].load(Ordering::Relaxed))
    }

    /// Answers counted so far, all commands together.
    pub fn answers_total(&self) -> u64 {
        self.answers.iter().map(|n| n.load(Ordering::Relaxed)).sum()
    }

    /// A chat message was delivered to a platform.
    pub fn message_sent(&self) {
        self.messages_sent.fetch_add(1, Ordering::Relaxed);
    }

    /// Sending a chat message failed for good (after any retries).
    pub fn send_error(&self) {
        self.send_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// A platform answered 429 Too Many Requests.
    pub fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    /// The gate refused a command for `reason` (one of [`REFUSAL_REASONS`]; others are ignored).
    pub fn refused(&self, reason: &str) {
        if let Some(i) = REFUSAL_REASONS.iter().position(|r| *r == reason) {
            self.refusals[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How many commands the gate refused for `reason`.
    pub fn refusals(&self, reason: &str) -> u64 {
        REFUSAL_REASONS.iter().position(|r| *r == reason).map_or(0, |i| self.refusals[i].load(Ordering::Relaxed))
    }

    /// What a digest fan-out did: `(outcome, count)` with outcomes from [`DIGEST_OUTCOMES`].
    pub fn record_digests(&self, outcomes: &[(&str, u64)]) {
        for (outcome, n) in outcomes {
            if let Some(i) = DIGEST_OUTCOMES.iter().position(|o| o == outcome) {
                self.digests[i].fetch_add(*n, Ordering::Relaxed);
            }
        }
    }

    pub fn send_errors(&self) -> u64 {
        self.send_errors.load(Ordering::Relaxed)
    }

    pub fn rate_limited_count(&self) -> u64 {
        self.rate_limited.load(Ordering::Relaxed)
    }

    pub fn messages_sent(&self) -> u64 {
        self.messages_sent.load(Ordering::Relaxed)
    }

    /// A corpus refresh finished (`ok`) or failed, skipping `skipped` files.
    pub fn record_refresh(&self, ok: bool, skipped: usize) {
        if ok {
            self.refreshes.fetch_add(1, Ordering::Relaxed);
        } else {
            self.refresh_errors.fetch_add(1, Ordering::Relaxed);
        }
        self.skipped_files.fetch_add(skipped as u64, Ordering::Relaxed);
    }

    /// The corpus size after opening or refreshing the index; marks the index ready.
    pub fn set_corpus(&self, stats: &Stats) {
        self.corpus_articles.store(stats.articles as u64, Ordering::Relaxed);
        self.corpus_sentences.store(stats.sentences, Ordering::Relaxed);
        self.corpus_quotes.store(stats.quotes, Ordering::Relaxed);
        self.corpus_entities.store(stats.entities as u64, Ordering::Relaxed);
        self.corpus_failed.store(stats.failed as u64, Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    /// The corpus size last recorded by [`Metrics::set_corpus`].
    pub fn corpus(&self) -> Stats {
        Stats {
            articles: self.corpus_articles.load(Ordering::Relaxed) as usize,
            sentences: self.corpus_sentences.load(Ordering::Relaxed),
            quotes: self.corpus_quotes.load(Ordering::Relaxed),
            entities: self.corpus_entities.load(Ordering::Relaxed) as usize,
            failed: self.corpus_failed.load(Ordering::Relaxed) as usize,
        }
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);

        header(&mut out, "briefbot_answers_total", "counter", "Answers given, by command (all front ends).");
        for (label, n) in COMMAND_LABELS.iter().zip(&self.answers) {
            let _ = writeln!(out, "briefbot_answers_total{{command=\"{label}\"}} {}", load(n));
        }

        header(&mut out, "briefbot_answer_seconds", "histogram", "Time to compute an answer, in seconds.");
        let mut cumulative = 0;
        for (le, n) in LATENCY_BUCKETS.iter().zip(&self.latency_buckets) {
            cumulative += load(n);
            let _ = writeln!(out, "briefbot_answer_seconds_bucket{{le=\"{le}\"}} {cumulative}");
        }
        cumulative += load(&self.latency_buckets[LATENCY_BUCKETS.len()]);
        let _ = writeln!(out, "briefbot_answer_seconds_bucket{{le=\"+Inf\"}} {cumulative}");
        let _ = writeln!(out, "briefbot_answer_seconds_sum {}", load(&self.latency_sum_micros) as f64 / 1e6);
        let _ = writeln!(out, "briefbot_answer_seconds_count {}", load(&self.latency_count));

        for (name, help, value) in [
            ("briefbot_messages_sent_total", "Chat messages delivered to a platform.", &self.messages_sent),
            ("briefbot_send_errors_total", "Chat messages that could not be delivered.", &self.send_errors),
            ("briefbot_rate_limited_total", "429 Too Many Requests answers from a platform.", &self.rate_limited),
            ("briefbot_corpus_refreshes_total", "Corpus refreshes that completed.", &self.refreshes),
            ("briefbot_corpus_refresh_errors_total", "Corpus refreshes that failed.", &self.refresh_errors),
            ("briefbot_corpus_skipped_files_total", "Corpus files skipped (binary, not UTF-8, empty or too large), as reported.", &self.skipped_files),
        ] {
            header(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", load(value));
        }

        header(&mut out, "briefbot_refusals_total", "counter", "Commands the bot did not answer, by reason (its own rate limits, busy, chat not allowed).");
        for (label, n) in REFUSAL_REASONS.iter().zip(&self.refusals) {
            let _ = writeln!(out, "briefbot_refusals_total{{reason=\"{label}\"}} {}", load(n));
        }

        header(&mut out, "briefbot_digests_total", "counter", "Daily digests handled by the scheduler, by outcome.");
        for (label, n) in DIGEST_OUTCOMES.iter().zip(&self.digests) {
            let _ = writeln!(out, "briefbot_digests_total{{outcome=\"{label}\"}} {}", load(n));
        }

        header(&mut out, "briefbot_ready", "gauge", "1 when the index is open and answering, else 0.");
        let _ = writeln!(out, "briefbot_ready {}", u8::from(self.ready.load(Ordering::Acquire)));
        for (name, help, value) in [
            ("briefbot_corpus_articles", "Articles in the index.", &self.corpus_articles),
            ("briefbot_corpus_sentences", "Sentences in the index.", &self.corpus_sentences),
            ("briefbot_corpus_quotes", "Quotes in the index.", &self.corpus_quotes),
            ("briefbot_corpus_entities", "Entities in the corpus-wide entity table.", &self.corpus_entities),
            (
                "briefbot_corpus_failed_articles",
                "Corpus files left out because their analysis panicked or ran past the budget (retried when they change).",
                &self.corpus_failed,
            ),
        ] {
            header(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {}", load(value));
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// An [`Answerer`] that counts every answer (by command) and its latency in [`Metrics`].
/// `briefbot serve` hands this to every front end, so `/metrics` covers them all without
/// the adapters knowing about it.
pub struct MeteredAnswerer {
    inner: Arc<dyn Answerer>,
    metrics: Arc<Metrics>,
}

impl MeteredAnswerer {
    pub fn new(inner: Arc<dyn Answerer>, metrics: Arc<Metrics>) -> MeteredAnswerer {
        MeteredAnswerer { inner, metrics }
    }
}

impl Answerer for MeteredAnswerer {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        let started = Instant::now();
        let answer = self.inner.answer(command, now);
        self.metrics.record_answer(command.name(), started.elapsed());
        answer
    }

    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.inner.suggest(prefix, limit)
    }

    fn ready(&self) -> bool {
        self.inner.ready()
    }

    fn document(&self, id: &str) -> Option<crate::core::engine::StoredDocument> {
        self.inner.document(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative_and_counts_add_up() {
        let m = Metrics::new();
        m.record_answer("brief", Duration::from_micros(500));
        m.record_answer("brief", Duration::from_millis(30));
        m.record_answer("nonsense", Duration::from_secs(60));
        m.message_sent();
        m.rate_limited();
        m.record_digests(&[("sent", 3), ("gone", 1), ("nonsense", 9)]);
        m.refused("busy");
        m.refused("busy");
        m.refused("nonsense");
        let text = m.render();
        assert!(text.contains("briefbot_digests_total{outcome=\"sent\"} 3\n"), "{text}");
        assert!(text.contains("briefbot_digests_total{outcome=\"gone\"} 1\n"), "{text}");
        assert!(text.contains("briefbot_refusals_total{reason=\"busy\"} 2\n"), "{text}");
        assert!(text.contains("briefbot_refusals_total{reason=\"rate_limit\"} 0\n"), "{text}");
        assert_eq!((m.refusals("busy"), m.refusals("nonsense")), (2, 0));
        assert!(text.contains("briefbot_answers_total{command=\"brief\"} 2\n"), "{text}");
        assert!(text.contains("briefbot_answers_total{command=\"other\"} 1\n"), "{text}");
        assert!(text.contains("briefbot_answer_seconds_bucket{le=\"0.001\"} 1\n"), "{text}");
        assert!(text.contains("briefbot_answer_seconds_bucket{le=\"0.05\"} 2\n"), "{text}");
        assert!(text.contains("briefbot_answer_seconds_bucket{le=\"10\"} 2\n"), "{text}");
        assert!(text.contains("briefbot_answer_seconds_bucket{le=\"+Inf\"} 3\n"), "{text}");
        assert!(text.contains("briefbot_answer_seconds_count 3\n"), "{text}");
        assert!(text.contains("briefbot_messages_sent_total 1\n"), "{text}");
        assert!(text.contains("briefbot_send_errors_total 0\n"), "{text}");
        assert!(text.contains("briefbot_rate_limited_total 1\n"), "{text}");
        assert!(text.contains("briefbot_ready 0\n"), "{text}");
        assert_eq!(m.answers("brief"), 2);
        assert_eq!(m.answers_total(), 3);
    }

    #[test]
    fn corpus_gauges_mark_ready() {
        let m = Metrics::new();
        m.set_corpus(&Stats { articles: 5, sentences: 100, quotes: 7, entities: 40, failed: 2 });
        let text = m.render();
        assert!(text.contains("briefbot_ready 1\n"));
        assert!(text.contains("briefbot_corpus_failed_articles 2\n"), "{text}");
        assert_eq!(m.corpus().failed, 2);
        assert!(text.contains("briefbot_corpus_articles 5\n"));
        assert!(text.contains("briefbot_corpus_entities 40\n"));
        assert_eq!(m.corpus().quotes, 7);
    }
}
