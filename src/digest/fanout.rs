//! The fan-out: one digest per due chat, paced per platform, with claims in the delivery log.
//!
//! For each job: wait for a token of the platform's bucket, claim `(chat, date)` (committed
//! and synced; claims of concurrent sends share one commit), send, record the outcome. `RateLimited` releases the claim, pauses the whole platform
//! for `retry_after` and tries the same chat again; `Transient` releases the claim and is
//! retried [`TRANSIENT_RETRIES`] times with backoff, then again [`RETRY_LATER`] later (at
//! most the backoff ceiling), up to [`MAX_FAILURES`] failures for the day; `Unavailable`
//! (the platform failing for everybody) follows [`super::outage`]: a shared backoff up to
//! the ceiling, one probe at a time once the platform is down, never counted against the
//! chat; `Gone` marks the chat's subscription inactive.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::outage::{Health, OUTAGE_AFTER};
use super::schedule::Clock;
use super::store::{Outcome, Store};
use super::{ChatRef, Platform, SendError, Senders};
use crate::core::answer::Answer;
use crate::core::digest::{Window, is_empty};

/// Sends in flight at once, per platform.
pub const MAX_IN_FLIGHT: usize = 16;
/// Immediate retries of a transient failure, with backoff 1 s, 2 s, 4 s.
pub const TRANSIENT_RETRIES: u32 = 3;
/// After the immediate retries, try again this much later (or after the backoff ceiling,
/// when that is shorter).
pub const RETRY_LATER: Duration = Duration::minutes(15);
/// Transient failures after which a chat's digest for that day is given up (its articles
/// go into the next day's digest). `Unavailable` answers (an outage) do not count.
pub const MAX_FAILURES: u32 = 12;
/// 429s for one chat in one run before it is put off until later.
pub const MAX_RATE_LIMITED: u32 = 50;

/// One chat's digest for one local date.
#[derive(Debug, Clone)]
pub struct Job {
    pub chat: ChatRef,
    pub date: NaiveDate,
    pub window: Window,
    /// The composed digest (shared by every chat with the same window and topics).
    pub answer: Arc<Answer>,
    pub post_when_empty: bool,
    /// Transient failures already recorded for this date.
    pub failures: u32,
    /// Sends already tried for this date: chats tried least go first, so that probes of a
    /// platform that is down take turns among the chats.
    pub attempts: u32,
}

/// What a fan-out did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FanoutReport {
    pub sent: u64,
    /// Nothing new and nothing posted.
    pub empty: u64,
    pub gone: u64,
    /// Put off until later in the day (transient failures or persistent 429s).
    pub retry_later: u64,
    pub failed: u64,
    /// Jobs whose key was already taken (another process, or done meanwhile).
    pub skipped: u64,
    /// `RateLimited` answers received (each followed by a wait and a retry).
    pub rate_limited: u64,
    /// Transient failures retried at once.
    pub transient_retries: u64,
    /// Store errors (the job is left for the next run).
    pub errors: u64,
}

impl FanoutReport {
    pub fn add(&mut self, o: &FanoutReport) {
        self.sent += o.sent;
        self.empty += o.empty;
        self.gone += o.gone;
        self.retry_later += o.retry_later;
        self.failed += o.failed;
        self.skipped += o.skipped;
        self.rate_limited += o.rate_limited;
        self.transient_retries += o.transient_retries;
        self.errors += o.errors;
    }
}

/// A token bucket without burst: sends are spaced `1 / rate` apart; a 429 pauses it.
pub struct Pacer {
    interval: Duration,
    next: Mutex<DateTime<Utc>>,
}

impl Pacer {
    pub fn new(per_second: u32) -> Self {
        Pacer { interval: Duration::microseconds(1_000_000 / i64::from(per_second.max(1))), next: Mutex::new(DateTime::<Utc>::MIN_UTC) }
    }

    /// Wait for the next slot.
    pub async fn acquire<C: Clock>(&self, clock: &C) {
        let slot = {
            let mut next = self.next.lock().expect("pacer lock");
            let slot = (*next).max(clock.now());
            *next = slot + self.interval;
            slot
        };
        clock.sleep_until(slot).await;
    }

    /// Hand back a slot taken for a send that did not happen (the chat was claimed by
    /// another replica): the next one comes that much sooner, never before now.
    pub fn give_back<C: Clock>(&self, clock: &C) {
        let mut next = self.next.lock().expect("pacer lock");
        *next = (*next - self.interval).max(clock.now());
    }

    /// No sends before `t`.
    pub fn pause_until(&self, t: DateTime<Utc>) {
        let mut next = self.next.lock().expect("pacer lock");
        if t > *next {
            *next = t;
        }
    }
}

/// One claim waiting for the next group commit.
struct ClaimRequest {
    key: (ChatRef, NaiveDate, Window),
    reply: oneshot::Sender<Result<bool, String>>,
}

/// Claims of all workers go through one task that commits whatever has queued up in one
/// transaction: one disk sync for many claims when the pace is faster than the disk.
#[derive(Clone)]
pub struct Claimer {
    tx: mpsc::UnboundedSender<ClaimRequest>,
}

impl Claimer {
    /// Start the committing task on `set`; it ends when every `Claimer` clone is dropped.
    fn spawn<C: Clock + Clone>(store: Arc<Store>, clock: C, set: &mut JoinSet<()>) -> Claimer {
        let (tx, mut rx) = mpsc::unbounded_channel::<ClaimRequest>();
        set.spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while let Ok(more) = rx.try_recv() {
                    batch.push(more);
                }
                let keys: Vec<(ChatRef, NaiveDate, Window)> = batch.iter().map(|r| r.key.clone()).collect();
                let (store, now) = (store.clone(), clock.now());
                let result = tokio::task::spawn_blocking(move || store.claim_many(&keys, now)).await;
                match result {
                    Ok(Ok(claimed)) => {
                        for (r, c) in batch.into_iter().zip(claimed) {
                            let _ = r.reply.send(Ok(c));
                        }
                    }
                    Ok(Err(e)) => batch.into_iter().for_each(|r| drop(r.reply.send(Err(format!("{e:#}"))))),
                    Err(e) => batch.into_iter().for_each(|r| drop(r.reply.send(Err(e.to_string())))),
                }
            }
        });
        Claimer { tx }
    }

    /// Claim one key (committed and synced when this returns `Ok(true)`).
    async fn claim(&self, chat: &ChatRef, date: NaiveDate, window: &Window) -> Result<bool, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(ClaimRequest { key: (chat.clone(), date, *window), reply }).map_err(|_| "the claim task stopped".to_string())?;
        rx.await.map_err(|_| "the claim task stopped".to_string())?
    }
}

/// Send `jobs` (any platforms). Each platform's jobs go through its own pacer at
/// `per_second`, [`MAX_IN_FLIGHT`] at a time. Stops taking new jobs when `stop` turns true
/// (sends in flight finish). Jobs of a platform without a sender are left untouched, and so
/// are those of a platform that `health` says is down: while its backoff runs, none is
/// tried; after it, one chat alone probes, and the others follow only if it goes through.
pub async fn fan_out<C: Clock + Clone>(
    store: Arc<Store>,
    senders: &Senders,
    clock: C,
    jobs: Vec<Job>,
    per_second: u32,
    stop: Option<watch::Receiver<bool>>,
    health: Arc<Health>,
) -> FanoutReport {
    let mut jobs = jobs;
    jobs.sort_by_key(|j| j.attempts);
    let mut by_platform: HashMap<Platform, VecDeque<Job>> = HashMap::new();
    for job in jobs {
        by_platform.entry(job.chat.platform).or_default().push_back(job);
    }
    if store.shared() {
        // Replicas fanning out together start at different places in the same list, so
        // that they mostly claim different chats instead of queueing behind each other.
        let offset = replica_offset(&store.replica());
        for queue in by_platform.values_mut() {
            let n = queue.len().max(1);
            queue.rotate_left(offset % n);
        }
    }
    let report = Arc::new(Mutex::new(FanoutReport::default()));
    let mut set = JoinSet::new();
    for (platform, queue) in by_platform {
        let Some(sender) = senders.get(platform).cloned() else {
            debug!(%platform, jobs = queue.len(), "digest: no sender for this platform in this process; leaving its digests due");
            continue;
        };
        if health.waiting(platform, clock.now()) {
            debug!(%platform, jobs = queue.len(), "digest: the platform is down; waiting for the backoff before trying again");
            continue;
        }
        let queue = Arc::new(Mutex::new(queue));
        let pacer = Arc::new(Pacer::new(per_second));
        let claimer = Claimer::spawn(store.clone(), clock.clone(), &mut set);
        // Held by the one worker probing a platform that is down.
        let probe = Arc::new(tokio::sync::Mutex::new(()));
        for _ in 0..MAX_IN_FLIGHT {
            let (queue, pacer, sender, store, clock, report, stop, claimer, health, probe) = (
                queue.clone(),
                pacer.clone(),
                sender.clone(),
                store.clone(),
                clock.clone(),
                report.clone(),
                stop.clone(),
                claimer.clone(),
                health.clone(),
                probe.clone(),
            );
            set.spawn(async move {
                let ctx = DeliverCtx { store: &store, claimer: &claimer, sender: sender.as_ref(), pacer: &pacer, clock: &clock, health: &health };
                loop {
                    if stop.as_ref().is_some_and(|s| *s.borrow()) {
                        break;
                    }
                    // While the platform is down only one chat is tried at a time; when its
                    // try fails the others leave their chats due for the next run.
                    let _probing = if health.is_down(platform) {
                        let guard = probe.lock().await;
                        if health.waiting(platform, clock.now()) {
                            break;
                        }
                        // The probe before us may have gone through.
                        health.is_down(platform).then_some(guard)
                    } else {
                        None
                    };
                    let Some(job) = queue.lock().expect("queue lock").pop_front() else { break };
                    let r = deliver(&ctx, &job).await;
                    report.lock().expect("report lock").add(&r);
                }
            });
        }
    }
    // Dropping the set (if this future is dropped) aborts the workers: that is a "kill".
    while let Some(r) = set.join_next().await {
        if let Err(e) = r
            && e.is_panic()
        {
            warn!("digest: a fan-out worker panicked: {e}");
        }
    }
    report.lock().expect("report lock").clone()
}

/// Where in a fan-out's list this replica starts (a hash of its id).
fn replica_offset(id: &str) -> usize {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) as usize
}

/// What a worker delivers with.
struct DeliverCtx<'a, C: Clock> {
    store: &'a Store,
    claimer: &'a Claimer,
    sender: &'a dyn super::DynDigestSender,
    pacer: &'a Pacer,
    clock: &'a C,
    health: &'a Health,
}

/// Deliver one job: claim, send, record; retry as the error says.
async fn deliver<C: Clock>(ctx: &DeliverCtx<'_, C>, job: &Job) -> FanoutReport {
    let DeliverCtx { store, claimer, sender, pacer, clock, health } = *ctx;
    let ceiling = health.ceiling();
    let mut r = FanoutReport::default();
    let chat = &job.chat;
    if is_empty(&job.answer) && !job.post_when_empty {
        match store.record_empty(chat, job.date, &job.window, clock.now()) {
            Ok(true) => r.empty += 1,
            Ok(false) => r.skipped += 1,
            Err(e) => {
                warn!(chat = %chat.log_tag(), "digest: could not record an empty digest: {e:#}");
                r.errors += 1;
            }
        }
        return r;
    }
    let mut failures = job.failures;
    let mut transient_in_run = 0u32;
    let mut limited_in_run = 0u32;
    loop {
        pacer.acquire(clock).await;
        // The platform went down while this chat waited for its retry: leave it for the
        // probe (its row already says when).
        if health.waiting(chat.platform, clock.now()) {
            r.retry_later += 1;
            return r;
        }
        match claimer.claim(chat, job.date, &job.window).await {
            Ok(true) => {}
            Ok(false) => {
                // Taken (by an earlier run, or another replica right now): nothing is sent,
                // so the slot goes to the next chat.
                pacer.give_back(clock);
                r.skipped += 1;
                return r;
            }
            Err(e) => {
                warn!(chat = %chat.log_tag(), "digest: could not claim the delivery: {e}");
                r.errors += 1;
                return r;
            }
        }
        let result = sender.send_boxed(chat, &job.answer).await;
        let now = clock.now();
        let outcome = match result {
            Ok(()) => {
                health.succeeded(chat.platform);
                r.sent += 1;
                Outcome::Sent
            }
            Err(SendError::Unavailable(e)) => {
                let (streak, at) = health.failed(chat.platform, now);
                pacer.pause_until(at);
                let outcome = Outcome::Retry { at, error: e.clone(), failure: false };
                if streak < OUTAGE_AFTER {
                    // A blip: the same chat again once the pause is over.
                    r.transient_retries += 1;
                    debug!(chat = %chat.log_tag(), "digest: the platform failed ({e}); retrying in {} s", (at - now).num_seconds());
                    record(store, chat, job.date, &outcome, now, &mut r);
                    continue;
                }
                if streak == OUTAGE_AFTER {
                    warn!(platform = %chat.platform, "digest: the platform keeps failing ({e}); holding digests and trying one chat at a time, next in {} s", (at - now).num_seconds());
                } else {
                    debug!(platform = %chat.platform, streak, "digest: still failing ({e}); next try in {} s", (at - now).num_seconds());
                }
                r.retry_later += 1;
                outcome
            }
            Err(SendError::Gone) => {
                r.gone += 1;
                info!(chat = %chat.log_tag(), "digest: the chat is gone; subscription switched off");
                if let Err(e) = store.deactivate(chat, "gone", now) {
                    warn!(chat = %chat.log_tag(), "digest: could not switch the subscription off: {e:#}");
                }
                Outcome::Gone
            }
            Err(SendError::RateLimited { retry_after }) => {
                r.rate_limited += 1;
                limited_in_run += 1;
                let wait = Duration::from_std(retry_after).unwrap_or(Duration::seconds(1)).max(Duration::milliseconds(1));
                pacer.pause_until(now + wait);
                if limited_in_run >= MAX_RATE_LIMITED {
                    r.retry_later += 1;
                    let at = now + RETRY_LATER.min(ceiling).max(wait);
                    record(store, chat, job.date, &Outcome::Retry { at, error: "rate limited".into(), failure: false }, now, &mut r);
                    return r;
                }
                record(store, chat, job.date, &Outcome::Retry { at: now, error: "rate limited".into(), failure: false }, now, &mut r);
                continue;
            }
            Err(SendError::Transient(e)) => {
                failures += 1;
                transient_in_run += 1;
                if failures >= MAX_FAILURES {
                    r.failed += 1;
                    warn!(chat = %chat.log_tag(), date = %job.date, "digest: giving up for the day after {failures} failures: {e}");
                    Outcome::Failed { error: e }
                } else if transient_in_run > TRANSIENT_RETRIES {
                    r.retry_later += 1;
                    warn!(chat = %chat.log_tag(), date = %job.date, "digest: failed {transient_in_run} times ({e}); trying again later");
                    Outcome::Retry { at: now + RETRY_LATER.min(ceiling), error: e, failure: true }
                } else {
                    r.transient_retries += 1;
                    debug!(chat = %chat.log_tag(), "digest: transient failure ({e}); retrying");
                    record(store, chat, job.date, &Outcome::Retry { at: now, error: e, failure: true }, now, &mut r);
                    clock.sleep_until(now + Duration::seconds(1 << (transient_in_run - 1)).min(ceiling)).await;
                    continue;
                }
            }
        };
        record(store, chat, job.date, &outcome, now, &mut r);
        return r;
    }
}

fn record(store: &Store, chat: &ChatRef, date: NaiveDate, outcome: &Outcome, now: DateTime<Utc>, r: &mut FanoutReport) {
    if let Err(e) = store.finish(chat, date, outcome, now) {
        warn!(chat = %chat.log_tag(), "digest: could not record the outcome {outcome:?}: {e:#}");
        r.errors += 1;
    }
}
