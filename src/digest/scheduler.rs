//! The scheduler: the only part of the digest layer that reads the clock.
//!
//! [`Scheduler::run`] settles rows left `sending` by a killed process ([`Scheduler::recover`]),
//! then loops: send what is due ([`Scheduler::tick`]), sleep until the next slot (or until
//! a subscription changes, or shutdown). What is due for a subscription at `now` is the
//! latest slot at or before `now` (its local date D) when D is today (local), the delivery
//! log has no row for D and the subscription was active before the slot; or a `retry` row
//! whose time has come. So today's digest missed while the bot was down is sent once at
//! start-up, never twice; a day missed entirely is not sent late, and the next digest
//! covers everything since the previous one.
//!
//! The window of a digest is (end of the chat's previous covered window, the slot
//! instant]; a first digest covers the 24 hours before its slot. Articles arriving after
//! the slot wait for the next day, so a resumed or caught-up fan-out sends what the
//! on-time one would have.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use tokio::sync::watch;
use tracing::{info, warn};

use super::fanout::{FanoutReport, Job, fan_out};
use super::outage::Health;
use super::schedule::{Clock, latest_slot, local_date, next_slot};
use super::settings::DigestSettings;
use super::store::{DeliveryState, Store};
use super::{ChatRef, Confirmation, Platform, Senders};
use crate::core::answer::Answer;
use crate::core::digest::{ArticleSource, ComposeOptions, Window, compose_gathered, gather};
use crate::core::engine::Engine;
use crate::metrics::Metrics;

/// The per-chat setting that overrides `digest.post_when_empty` ("true" or "false").
pub const POST_WHEN_EMPTY_KEY: &str = "post_when_empty";
/// How long the scheduler sleeps at most before looking again.
pub const MAX_SLEEP: Duration = Duration::hours(1);
/// With shared state (PostgreSQL replicas): the longest sleep between two looks.
pub const SHARED_MAX_SLEEP: Duration = Duration::seconds(5);

/// A chat whose digest is due.
#[derive(Debug, Clone, PartialEq)]
pub struct DueChat {
    pub chat: ChatRef,
    pub date: NaiveDate,
    pub window: Window,
    pub topics: Vec<String>,
    pub zone: Tz,
    pub failures: u32,
    /// Sends already tried for this date (0 for a chat not tried yet).
    pub attempts: u32,
}

/// What [`Scheduler::recover`] did with rows left `sending`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoverReport {
    /// The platform confirmed the message: marked sent.
    pub delivered: u64,
    /// The platform confirmed nothing was posted: will be sent again.
    pub resend: u64,
    /// The platform could not tell: marked `unknown`, treated as sent.
    pub unknown: u64,
    /// No sender for the platform in this process: left for one that has it.
    pub left: u64,
}

/// The label for the start of a window, in the chat's zone.
pub fn since_label(since: DateTime<Utc>, zone: Tz) -> String {
    format!("{} ({})", since.with_timezone(&zone).format("%Y-%m-%d %H:%M"), zone.name())
}

pub struct Scheduler<C: Clock + Clone> {
    store: Arc<Store>,
    source: Arc<dyn ArticleSource>,
    senders: Senders,
    clock: C,
    settings: DigestSettings,
    engine: Option<Arc<Engine>>,
    metrics: Option<Arc<Metrics>>,
    /// Each platform's outage state; its backoff never exceeds the ceiling.
    health: Arc<Health>,
}

impl<C: Clock + Clone> Scheduler<C> {
    pub fn new(store: Arc<Store>, source: Arc<dyn ArticleSource>, senders: Senders, clock: C, settings: DigestSettings) -> Self {
        Scheduler { store, source, senders, clock, settings, engine: None, metrics: None, health: Arc::new(Health::default()) }
    }

    /// Retries against a failing platform wait at most `ceiling` (`limits.backoff_ceiling_seconds`).
    pub fn with_backoff_ceiling(mut self, ceiling: std::time::Duration) -> Self {
        let ceiling = Duration::from_std(ceiling).unwrap_or(super::outage::DEFAULT_CEILING);
        self.health = Arc::new(Health::new(ceiling));
        self
    }

    /// Share the platforms' health with another sender of the same platforms (the topic
    /// alerter), so that an outage one finds holds the other back too.
    pub fn with_health(mut self, health: Arc<Health>) -> Self {
        self.health = health;
        self
    }

    /// The platforms' outage state (for tests and `/status`).
    pub fn health(&self) -> &Arc<Health> {
        &self.health
    }

    /// Count what each fan-out did in `metrics` (`briefbot_digests_total`).
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Refresh this engine's index (new articles arrive at the clock's `now`) before each
    /// fan-out.
    pub fn with_refresh(mut self, engine: Arc<Engine>) -> Self {
        self.engine = Some(engine);
        self
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Settle rows left `sending` by a process that died mid-send (see the module docs of
    /// [`crate::digest`] for the policy).
    pub async fn recover(&self) -> Result<RecoverReport> {
        let mut report = RecoverReport::default();
        let rows = self.store.orphaned_sending()?;
        for row in rows {
            let Some(sender) = self.senders.get(row.platform) else {
                report.left += 1;
                continue;
            };
            let chat = ChatRef::new(row.platform, row.chat_id.clone());
            let chat = self.store.subscription(&chat)?.map_or(chat, |s| s.chat);
            let state = match sender.confirm_boxed(&chat, row.claimed_at).await {
                Confirmation::Delivered => {
                    report.delivered += 1;
                    DeliveryState::Sent
                }
                Confirmation::NotDelivered => {
                    report.resend += 1;
                    DeliveryState::Retry
                }
                Confirmation::Unknown => {
                    report.unknown += 1;
                    warn!(chat = %chat.log_tag(), date = %row.date, "digest: a send was interrupted by a restart and cannot be checked; counting it as sent");
                    DeliveryState::Unknown
                }
            };
            self.store.resolve_sending(row.platform, &row.chat_id, row.date, state, self.clock.now())?;
        }
        Ok(report)
    }

    /// The digests due at `now` (every platform, with or without a sender here).
    ///
    /// For each active subscription, the latest slot at or before `now` (local date D) is
    /// due when it is today's (local) slot, came after the subscription was switched on,
    /// and the log has no row for D nor for a later date (a zone change cannot bring a
    /// second digest for one day); or when its row is a `retry` whose time has come. A
    /// slot missed on an earlier day is not sent late: the next digest covers its window.
    /// `retry` rows of earlier days are given up here (state `failed`).
    pub fn due(&self, now: DateTime<Utc>) -> Result<Vec<DueChat>> {
        let subs = self.store.active_subscriptions()?;
        if subs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.store.deliveries_from((now - Duration::days(4)).date_naive())?;
        let mut latest_row: HashMap<(Platform, &str), NaiveDate> = HashMap::new();
        for (p, c, d) in rows.keys() {
            let e = latest_row.entry((*p, c.as_str())).or_insert(*d);
            *e = (*e).max(*d);
        }
        let covered = self.store.covered_until()?;
        let mut out = Vec::new();
        for s in subs {
            let (date, fire) = latest_slot(now, s.time, s.zone);
            let chat_key = (s.chat.platform, s.chat.chat_id.as_str());
            let stale_retries = rows.iter().any(|((p, c, d), row)| (*p, c.as_str()) == chat_key && *d < date && row.state == DeliveryState::Retry);
            if stale_retries {
                self.store.give_up_retries_before(&s.chat, date, now)?;
            }
            if fire < s.activated {
                continue;
            }
            let key = (s.chat.platform, s.chat.chat_id.clone(), date);
            let (window, failures, attempts) = match rows.get(&key) {
                None => {
                    let todays = local_date(fire, s.zone) == local_date(now, s.zone);
                    if !todays || latest_row.get(&chat_key).is_some_and(|d| *d > date) {
                        continue;
                    }
                    let since = covered.get(&(key.0, key.1.clone())).copied().unwrap_or(fire - Duration::days(1)).min(fire);
                    (Window { since, until: Some(fire) }, 0, 0)
                }
                Some(d) if d.state == DeliveryState::Retry && d.next_attempt.is_none_or(|t| t <= now) => {
                    (Window { since: d.window.0, until: Some(d.window.1) }, d.failures, d.attempts)
                }
                Some(_) => continue,
            };
            out.push(DueChat { chat: s.chat, date, window, topics: s.topics, zone: s.zone, failures, attempts });
        }
        Ok(out)
    }

    /// When the scheduler should look next: the earliest next slot or retry after now.
    pub fn next_wake(&self) -> Result<Option<DateTime<Utc>>> {
        let now = self.clock.now();
        let mut next: Option<DateTime<Utc>> = None;
        let platforms = self.senders.platforms();
        let mut seen: HashMap<(chrono::NaiveTime, Tz), DateTime<Utc>> = HashMap::new();
        for s in self.store.active_subscriptions()? {
            if !platforms.contains(&s.chat.platform) {
                continue;
            }
            let t = *seen.entry((s.time, s.zone)).or_insert_with(|| next_slot(now, s.time, s.zone).1);
            next = Some(next.map_or(t, |n| n.min(t)));
        }
        // Retries still to come (one whose time has passed was either sent by the last
        // tick or is of an earlier day, given up at the next).
        for d in self.store.deliveries_in(DeliveryState::Retry)? {
            match d.next_attempt {
                Some(t) if t > now && platforms.contains(&d.platform) => next = Some(next.map_or(t, |n| n.min(t))),
                _ => {}
            }
        }
        // A platform that is down is probed again when its backoff ends (the chats not tried
        // have no row saying so).
        for p in &platforms {
            if let Some(t) = self.health.retry_at(*p).filter(|t| *t > now) {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        }
        Ok(next)
    }

    /// Send everything due now.
    pub async fn tick(&self) -> Result<FanoutReport> {
        self.tick_with_stop(None).await
    }

    /// Send everything due now; stop taking new chats when `stop` turns true.
    pub async fn tick_with_stop(&self, stop: Option<watch::Receiver<bool>>) -> Result<FanoutReport> {
        let now = self.clock.now();
        if let Some(engine) = &self.engine {
            let engine = engine.clone();
            match tokio::task::spawn_blocking(move || engine.refresh_at(Some(now))).await {
                Ok(Ok(report)) => {
                    for s in &report.skipped {
                        warn!("skipped {}: {}", s.rel_path, s.reason);
                    }
                }
                Ok(Err(e)) => warn!("digest: could not refresh the corpus: {e}"),
                Err(e) => warn!("digest: corpus refresh panicked: {e}"),
            }
        }
        let platforms = self.senders.platforms();
        let due: Vec<DueChat> = self.due(now)?.into_iter().filter(|d| platforms.contains(&d.chat.platform)).collect();
        if due.is_empty() {
            return Ok(FanoutReport::default());
        }
        let answers = self.compose_due(&due).await?;
        let overrides = self.store.settings_named(POST_WHEN_EMPTY_KEY)?;
        let jobs: Vec<Job> = due
            .into_iter()
            .map(|d| {
                let answer = answers[&compose_key(&d)].clone();
                let post_when_empty = overrides
                    .get(&(d.chat.platform, d.chat.chat_id.clone()))
                    .map_or(self.settings.post_when_empty, |v| matches!(v.as_str(), "true" | "1" | "yes"));
                Job { chat: d.chat, date: d.date, window: d.window, answer, post_when_empty, failures: d.failures, attempts: d.attempts }
            })
            .collect();
        let count = jobs.len();
        let report = fan_out(self.store.clone(), &self.senders, self.clock.clone(), jobs, self.settings.max_per_second, stop, self.health.clone()).await;
        info!(
            due = count,
            sent = report.sent,
            empty = report.empty,
            gone = report.gone,
            retry_later = report.retry_later,
            failed = report.failed,
            rate_limited = report.rate_limited,
            "digest: fan-out done"
        );
        if let Some(m) = &self.metrics {
            m.record_digests(&[
                ("sent", report.sent),
                ("empty", report.empty),
                ("gone", report.gone),
                ("retry_later", report.retry_later),
                ("failed", report.failed),
            ]);
        }
        Ok(report)
    }

    /// Compose each distinct (window, topics, zone, date) once, reading each window's
    /// articles once.
    pub async fn compose_due(&self, due: &[DueChat]) -> Result<HashMap<ComposeKey, Arc<Answer>>> {
        let mut by_window: HashMap<Window, Vec<(ComposeKey, DueChat)>> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for d in due {
            let k = compose_key(d);
            if seen.insert(k.clone()) {
                by_window.entry(d.window).or_default().push((k, d.clone()));
            }
        }
        let source = self.source.clone();
        tokio::task::spawn_blocking(move || {
            let mut out = HashMap::new();
            for (window, keys) in by_window {
                let gathered = gather(source.as_ref(), &window);
                for (k, d) in keys {
                    let opts = ComposeOptions { topics: d.topics.clone(), since_label: since_label(d.window.since, d.zone), as_of: Some(d.date) };
                    out.insert(k, Arc::new(compose_gathered(&gathered, &opts)));
                }
            }
            out
        })
        .await
        .context("composing digests")
    }

    /// Recover, then send what is due at each slot until `shutdown` turns true (or its
    /// sender is dropped). A fan-out in progress at shutdown finishes the sends in flight
    /// and leaves the rest due for the next start.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> Result<()> {
        match self.recover().await {
            Ok(r) if r != RecoverReport::default() => info!(?r, "digest: settled sends interrupted by the last shutdown"),
            Ok(_) => {}
            Err(e) => warn!("digest: could not check interrupted sends: {e:#}"),
        }
        let mut pruned_at: Option<DateTime<Utc>> = None;
        loop {
            if *shutdown.borrow() {
                break;
            }
            let now = self.clock.now();
            if pruned_at.is_none_or(|t| now - t >= Duration::days(1)) {
                pruned_at = Some(now);
                match self.store.prune(now - Duration::days(i64::from(self.settings.keep_days))) {
                    Ok((0, 0)) => {}
                    Ok((rows, subscriptions)) => info!(rows, subscriptions, "digest: forgot old delivery rows and switched-off subscriptions"),
                    Err(e) => warn!("digest: pruning the store: {e:#}"),
                }
            }
            if self.store.shared() {
                // Another replica may have died mid-fan-out: its claims are settled by the
                // same rules as a crash of this one (never a second post).
                match self.recover().await {
                    Ok(r) if r != RecoverReport::default() => info!(?r, "digest: settled sends interrupted by a replica that stopped"),
                    Ok(_) => {}
                    Err(e) => warn!("digest: could not check interrupted sends: {e:#}"),
                }
            }
            if let Err(e) = self.tick_with_stop(Some(shutdown.clone())).await {
                warn!("digest: {e:#}");
            }
            let now = self.clock.now();
            // Replicas look again often: subscriptions made through another replica, and
            // the retries and claims of one that stopped, are seen within seconds.
            let max_sleep = if self.store.shared() { SHARED_MAX_SLEEP } else { MAX_SLEEP };
            let next = match self.next_wake() {
                Ok(n) => n.unwrap_or(now + max_sleep).min(now + max_sleep),
                Err(e) => {
                    warn!("digest: {e:#}");
                    now + Duration::minutes(1)
                }
            };
            tokio::select! {
                _ = self.clock.sleep_until(next) => {}
                _ = self.store.changed() => {}
                r = shutdown.changed() => {
                    if r.is_err() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// What makes two digests the same: window, topics, zone and local date.
pub type ComposeKey = (DateTime<Utc>, Option<DateTime<Utc>>, Vec<String>, &'static str, NaiveDate);

fn compose_key(d: &DueChat) -> ComposeKey {
    (d.window.since, d.window.until, d.topics.clone(), d.zone.name(), d.date)
}
