//! The alerter: finds the articles indexed since it last looked that match a followed topic,
//! and sends each following chat one cited message per article, through the same senders
//! (the adapters' Outboxes, with their throttles) and the same platform health as digests.
//!
//! Each tick:
//! 1. settles rows a process that is gone left `sending` (see [`Alerter::recover`]): once
//!    at start-up on SQLite, on every tick on state shared by replicas;
//! 2. reads the articles that arrived since the last tick (a few minutes of overlap, for a
//!    refresh that committed late; articles already seen are skipped) but never those that
//!    arrived before this alerter started (the initial scan) nor before the chat followed
//!    the topic, and asks the engine for each topic's best sentence in each
//!    ([`Engine::alert_item`]: `None` means no match);
//! 3. per chat, by arrival: as many alerts as the hourly limit has room for, the rest folded
//!    into one "and N more" message ([`alert::plan`]); what does not fit waits. Each send is
//!    claimed in the alert log first (UNIQUE per chat and article): an article claimed once
//!    is never sent to that chat again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use tokio::sync::watch;
use tracing::{info, warn};

use super::store::{AlertStore, Follow, Outcome};
use crate::core::alert;
use crate::core::answer::AnswerItem;
use crate::core::engine::Engine;
use crate::digest::outage::Health;
use crate::digest::store::ts;
use crate::digest::{ChatRef, Clock, Confirmation, DynDigestSender, SendError, Senders};

/// How far back each look at the corpus reaches before the last one (a refresh that took
/// its `now` before the last look but committed after it).
pub const LOOKBACK: Duration = Duration::minutes(5);
/// Transient failures after which an alert is given up.
pub const MAX_FAILURES: u32 = 5;
/// An alert still unsent this long after it was first claimed is given up (it is no longer
/// news; the digest has it).
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);
/// The window of the hourly limit.
pub const HOUR: Duration = Duration::hours(1);

/// One article waiting to be sent to one chat.
#[derive(Debug, Clone)]
struct Pending {
    chat: ChatRef,
    doc: String,
    topics: Vec<String>,
    arrived: DateTime<Utc>,
    /// The best sentence; `None` until read (an alert taken over from an earlier process).
    item: Option<AnswerItem>,
    failures: u32,
}

/// What a tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertReport {
    /// (chat, article) pairs found this tick.
    pub matched: u64,
    /// Alert messages accepted by the platform.
    pub alerts: u64,
    /// "And N more" messages accepted, and the articles they carried.
    pub folds: u64,
    pub folded: u64,
    /// Pairs left for a later tick (hourly limit, platform trouble, no sender here).
    pub waiting: u64,
    /// Pairs whose article the chat had already been sent (claimed before).
    pub skipped: u64,
    /// Sends the platform did not take (tried again next tick).
    pub retry: u64,
    pub gone: u64,
    pub failed: u64,
}

/// How one send ended for the pending pairs it carried.
enum Settled {
    Done,
    /// Not posted: try again next tick; `true` when it counts as a transient failure.
    Keep(bool),
    Gone,
}

pub struct Alerter<C: Clock> {
    store: Arc<AlertStore>,
    engine: Arc<Engine>,
    senders: Senders,
    clock: C,
    health: Arc<Health>,
    max_per_hour: u32,
    public_url: String,
    poll: StdDuration,
    started: DateTime<Utc>,
    cursor: DateTime<Utc>,
    /// Articles already matched, with the arrival time of the version seen.
    seen: HashMap<String, DateTime<Utc>>,
    pending: Vec<Pending>,
    recovered: bool,
}

impl<C: Clock + Clone> Alerter<C> {
    /// An alerter that alerts on articles arriving after the clock's `now`.
    pub fn new(store: Arc<AlertStore>, engine: Arc<Engine>, senders: Senders, clock: C, max_per_hour: u32) -> Self {
        let now = clock.now();
        Alerter {
            store,
            engine,
            senders,
            clock,
            health: Arc::new(Health::default()),
            max_per_hour: max_per_hour.max(1),
            public_url: String::new(),
            poll: StdDuration::from_secs(3),
            started: now,
            cursor: now,
            seen: HashMap::new(),
            pending: Vec::new(),
            recovered: false,
        }
    }

    /// Share the platforms' health with the digest scheduler: an outage found by one holds
    /// the other back too.
    pub fn with_health(mut self, health: Arc<Health>) -> Self {
        self.health = health;
        self
    }

    /// Link each citation to its source page under `public_url` (`http.public_url`).
    pub fn with_public_url(mut self, public_url: &str) -> Self {
        self.public_url = public_url.trim().to_string();
        self
    }

    /// How often [`Alerter::run`] looks for new articles.
    pub fn with_poll(mut self, poll: StdDuration) -> Self {
        self.poll = poll.max(StdDuration::from_millis(100));
        self
    }

    /// Count articles that arrived after `t` as new (instead of after the start).
    pub fn with_start(mut self, t: DateTime<Utc>) -> Self {
        self.started = t;
        self.cursor = t;
        self
    }

    /// Articles waiting to be sent, per chat (`platform:chat`).
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// Settle rows a process that is gone left `sending` (it died between the claim and the
    /// platform's answer; on shared state, a replica whose session is gone), by the digests' rules: the sender is asked whether the message
    /// was posted. `Delivered`: sent. `NotDelivered`: sent again (once). `Unknown` (Telegram
    /// cannot read a chat's history): counted as sent and never sent again, so a crash can
    /// cost an alert but never repeat one. Then every `retry` row not older than
    /// [`GIVE_UP_AFTER`] is taken up again.
    pub async fn recover(&mut self) -> Result<()> {
        let now = self.clock.now();
        for row in self.store.orphaned_sending()? {
            let Some(sender) = self.senders.get(row.chat.platform).cloned() else { continue };
            let state = match sender.confirm_boxed(&row.chat, row.claimed_at).await {
                Confirmation::Delivered => "sent",
                Confirmation::NotDelivered => "retry",
                Confirmation::Unknown => {
                    warn!(chat = %row.chat.log_tag(), "alerts: a send was interrupted by a restart and cannot be checked; counting it as sent");
                    "unknown"
                }
            };
            self.store.resolve_sending(&row.chat, &row.doc, state, now)?;
        }
        for row in self.store.rows_in("retry")? {
            if now - row.claimed_at > GIVE_UP_AFTER {
                self.store.give_up(&row.chat, &row.doc, "not sent within a day", now)?;
                continue;
            }
            if !self.pending.iter().any(|p| same_chat(&p.chat, &row.chat) && p.doc == row.doc) {
                self.pending.push(Pending { chat: row.chat, doc: row.doc, topics: row.topics, arrived: row.claimed_at, item: None, failures: row.failures });
            }
        }
        Ok(())
    }

    /// One look at the corpus and one round of sends.
    pub async fn tick(&mut self) -> Result<AlertReport> {
        let mut report = AlertReport::default();
        // On state shared by replicas a claimer can die at any time (the alerter runs on a
        // leader; the one before it may have left claims): look on every tick (one query).
        if !self.recovered || self.store.shared() {
            self.recover().await?;
            self.recovered = true;
        }
        let now = self.clock.now();
        self.find_new(now, &mut report).await?;
        self.fill_items(now, &mut report).await?;
        self.send(now, &mut report).await?;
        // Not every tick: one with alerts only waiting for the hour says nothing new.
        if report.alerts + report.folds + report.gone + report.failed > 0 {
            info!(
                matched = report.matched,
                alerts = report.alerts,
                folds = report.folds,
                folded = report.folded,
                waiting = report.waiting,
                retry = report.retry,
                gone = report.gone,
                "alerts: sent"
            );
        }
        Ok(report)
    }

    /// Look for new articles and what they match until `stop` turns true.
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) -> Result<()> {
        let poll = Duration::from_std(self.poll).unwrap_or(Duration::seconds(3));
        loop {
            if *stop.borrow() {
                break;
            }
            if let Err(e) = self.tick().await {
                warn!("alerts: {e:#}");
            }
            let next = self.clock.now() + poll;
            tokio::select! {
                _ = self.clock.sleep_until(next) => {}
                r = stop.changed() => if r.is_err() { break },
            }
        }
        Ok(())
    }

    async fn find_new(&mut self, now: DateTime<Utc>, report: &mut AlertReport) -> Result<()> {
        let since = (self.cursor - LOOKBACK).max(self.started);
        self.cursor = self.cursor.max(now);
        let follows = self.store.active_follows()?;
        let engine = self.engine.clone();
        let seen = std::mem::take(&mut self.seen);
        let (found, mut seen) = tokio::task::spawn_blocking(move || find_matches(&engine, since, &follows, seen)).await.context("matching new articles")?;
        let horizon = (self.cursor - LOOKBACK).max(self.started);
        seen.retain(|_, arrived| *arrived > horizon);
        self.seen = seen;
        for p in found {
            if self.pending.iter().any(|q| same_chat(&q.chat, &p.chat) && q.doc == p.doc) {
                continue;
            }
            report.matched += 1;
            self.pending.push(p);
        }
        Ok(())
    }

    /// Read the sentence of alerts taken over from an earlier process; those whose article
    /// is gone from the index or no longer matches are given up.
    async fn fill_items(&mut self, now: DateTime<Utc>, report: &mut AlertReport) -> Result<()> {
        if self.pending.iter().all(|p| p.item.is_some()) {
            return Ok(());
        }
        let engine = self.engine.clone();
        let mut pending = std::mem::take(&mut self.pending);
        let pending = tokio::task::spawn_blocking(move || {
            for p in pending.iter_mut().filter(|p| p.item.is_none()) {
                p.item = p.topics.iter().find_map(|t| engine.alert_item(t, &p.doc).ok().flatten());
            }
            pending
        })
        .await
        .context("reading alert sentences")?;
        for p in pending {
            if p.item.is_some() {
                self.pending.push(p);
            } else {
                report.failed += 1;
                self.store.give_up(&p.chat, &p.doc, "the article no longer matches or is gone", now)?;
            }
        }
        Ok(())
    }

    async fn send(&mut self, now: DateTime<Utc>, report: &mut AlertReport) -> Result<()> {
        let mut by_chat: BTreeMap<(String, String), Vec<Pending>> = BTreeMap::new();
        for p in std::mem::take(&mut self.pending) {
            // Waiting for a day (no sender for its platform here, a long outage): no longer news.
            if now - p.arrived > GIVE_UP_AFTER {
                report.failed += 1;
                self.store.give_up(&p.chat, &p.doc, "not sent within a day", now)?;
                continue;
            }
            by_chat.entry((p.chat.platform.as_str().to_string(), p.chat.chat_id.clone())).or_default().push(p);
        }
        let mut keep: Vec<Pending> = Vec::new();
        for (_, mut list) in by_chat {
            list.sort_by(|a, b| a.arrived.cmp(&b.arrived).then(a.doc.cmp(&b.doc)));
            let chat = list[0].chat.clone();
            // Articles this chat was sent already (by an earlier process) take no place.
            let before = list.len();
            let mut open = Vec::with_capacity(list.len());
            for p in list {
                if !self.store.taken(&chat, &p.doc)? {
                    open.push(p);
                }
            }
            report.skipped += (before - open.len()) as u64;
            let list = open;
            if list.is_empty() {
                continue;
            }
            let sender = match self.senders.get(chat.platform) {
                Some(s) if !self.health.waiting(chat.platform, now) => s.clone(),
                _ => {
                    report.waiting += list.len() as u64;
                    keep.extend(list);
                    continue;
                }
            };
            let used = self.store.messages_since(&chat, now - HOUR)?;
            let (alerts, folded) = alert::plan(list.len(), self.max_per_hour.saturating_sub(used) as usize);
            let mut rest = list.into_iter();
            let mut held = false;
            let mut gone = false;
            for p in rest.by_ref().take(alerts) {
                if held {
                    keep.push(p);
                    continue;
                }
                match self.send_alert(sender.as_ref(), &chat, &p, now, report).await? {
                    Settled::Done => {}
                    Settled::Keep(failure) => {
                        held = true;
                        keep.push(Pending { failures: p.failures + u32::from(failure), ..p });
                    }
                    Settled::Gone => {
                        gone = true;
                        break;
                    }
                }
            }
            if gone {
                keep.retain(|p| !same_chat(&p.chat, &chat));
                continue;
            }
            let fold: Vec<Pending> = rest.by_ref().take(folded).collect();
            if !fold.is_empty() {
                if held {
                    keep.extend(fold);
                } else {
                    match self.send_fold(sender.as_ref(), &chat, &fold, now, report).await? {
                        (Settled::Done, _) => {}
                        (Settled::Keep(failure), claimed) => keep
                            .extend(fold.into_iter().filter(|p| claimed.contains(&p.doc)).map(|p| Pending { failures: p.failures + u32::from(failure), ..p })),
                        (Settled::Gone, _) => {
                            keep.retain(|p| !same_chat(&p.chat, &chat));
                            continue;
                        }
                    }
                }
            }
            let waiting: Vec<Pending> = rest.collect();
            report.waiting += waiting.len() as u64;
            keep.extend(waiting);
        }
        self.pending = keep;
        Ok(())
    }

    fn link(&self, answer: &mut crate::core::answer::Answer) {
        if !self.public_url.is_empty() {
            crate::render::link_source_pages(answer, &self.public_url);
        }
    }

    async fn send_alert(&self, sender: &dyn DynDigestSender, chat: &ChatRef, p: &Pending, now: DateTime<Utc>, report: &mut AlertReport) -> Result<Settled> {
        let claimed = self.store.claim(chat, &[(p.doc.clone(), p.topics.clone())], &format!("a:{}", p.doc), now)?;
        if !claimed[0] {
            report.skipped += 1;
            return Ok(Settled::Done);
        }
        let item = p.item.clone().context("an alert without its sentence")?;
        let mut answer = alert::compose(&p.topics, item, now);
        self.link(&mut answer);
        let result = sender.send_boxed(chat, &answer).await;
        if result.is_ok() {
            report.alerts += 1;
        }
        self.settle(chat, std::slice::from_ref(&p.doc), p.failures, result, report)
    }

    async fn send_fold(
        &self,
        sender: &dyn DynDigestSender,
        chat: &ChatRef,
        fold: &[Pending],
        now: DateTime<Utc>,
        report: &mut AlertReport,
    ) -> Result<(Settled, Vec<String>)> {
        let docs: Vec<(String, Vec<String>)> = fold.iter().map(|p| (p.doc.clone(), p.topics.clone())).collect();
        let claimed = self.store.claim(chat, &docs, &format!("f:{}:{}", ts(now), fold[0].doc), now)?;
        let mine: Vec<&Pending> = fold.iter().zip(&claimed).filter(|(_, c)| **c).map(|(p, _)| p).collect();
        report.skipped += (fold.len() - mine.len()) as u64;
        if mine.is_empty() {
            return Ok((Settled::Done, Vec::new()));
        }
        let mut topics: Vec<String> = Vec::new();
        for t in mine.iter().flat_map(|p| p.topics.iter()) {
            if !topics.contains(t) {
                topics.push(t.clone());
            }
        }
        // Each article by title, its page without a highlight.
        let sources: Vec<_> = mine
            .iter()
            .filter_map(|p| p.item.as_ref().and_then(|i| i.sources.first()).cloned())
            .map(|mut s| {
                s.span = None;
                s
            })
            .collect();
        let mut answer = alert::compose_fold(&topics, &sources, now);
        self.link(&mut answer);
        let docs: Vec<String> = mine.iter().map(|p| p.doc.clone()).collect();
        let failures = mine.iter().map(|p| p.failures).max().unwrap_or(0);
        let result = sender.send_boxed(chat, &answer).await;
        if result.is_ok() {
            report.folds += 1;
            report.folded += docs.len() as u64;
        }
        let settled = self.settle(chat, &docs, failures, result, report)?;
        Ok((settled, docs))
    }

    /// Record the platform's answer for the claimed `docs`.
    fn settle(&self, chat: &ChatRef, docs: &[String], failures: u32, result: Result<(), SendError>, report: &mut AlertReport) -> Result<Settled> {
        let now = self.clock.now();
        let (outcome, settled) = match result {
            Ok(()) => {
                self.health.succeeded(chat.platform);
                (Outcome::Sent, Settled::Done)
            }
            Err(SendError::Gone) => {
                report.gone += 1;
                info!(chat = %chat.log_tag(), "alerts: the chat is gone; its follows are switched off");
                self.store.deactivate_chat(chat, "gone")?;
                (Outcome::Gone, Settled::Gone)
            }
            Err(SendError::Unavailable(e)) => {
                self.health.failed(chat.platform, now);
                report.retry += 1;
                (Outcome::Retry { error: e, failure: false }, Settled::Keep(false))
            }
            Err(SendError::RateLimited { .. }) => {
                report.retry += 1;
                (Outcome::Retry { error: "rate limited".into(), failure: false }, Settled::Keep(false))
            }
            Err(SendError::Transient(e)) if failures + 1 >= MAX_FAILURES => {
                report.failed += 1;
                warn!(chat = %chat.log_tag(), "alerts: giving up an alert after {} failures: {e}", failures + 1);
                (Outcome::Failed { error: e }, Settled::Done)
            }
            Err(SendError::Transient(e)) => {
                report.retry += 1;
                (Outcome::Retry { error: e, failure: true }, Settled::Keep(true))
            }
        };
        self.store.finish(chat, docs, &outcome, now)?;
        Ok(settled)
    }
}

fn same_chat(a: &ChatRef, b: &ChatRef) -> bool {
    a.platform == b.platform && a.chat_id == b.chat_id
}

/// The (chat, article) pairs among the articles arrived after `since` that match a topic
/// the chat followed before the article arrived. Articles in `seen` with the same arrival
/// were matched before.
fn find_matches(
    engine: &Engine,
    since: DateTime<Utc>,
    follows: &[Follow],
    mut seen: HashMap<String, DateTime<Utc>>,
) -> (Vec<Pending>, HashMap<String, DateTime<Utc>>) {
    let mut out: Vec<Pending> = Vec::new();
    if follows.is_empty() {
        return (out, seen);
    }
    let mut by_key: BTreeMap<&str, Vec<&Follow>> = BTreeMap::new();
    for f in follows {
        by_key.entry(f.key.as_str()).or_default().push(f);
    }
    for article in engine.articles_since(since) {
        let Some(arrived) = article.arrived else { continue };
        let doc = article.source.doc;
        if seen.get(&doc) == Some(&arrived) {
            continue;
        }
        seen.insert(doc.clone(), arrived);
        for followers in by_key.values() {
            let followers: Vec<&&Follow> = followers.iter().filter(|f| f.created < arrived).collect();
            let Some(first) = followers.first() else { continue };
            let item = match engine.alert_item(&first.topic, &doc) {
                Ok(Some(item)) => item,
                Ok(None) => continue,
                Err(e) => {
                    warn!("alerts: could not read a new article: {e}");
                    continue;
                }
            };
            for f in followers {
                match out.iter_mut().find(|p| same_chat(&p.chat, &f.chat) && p.doc == doc) {
                    Some(p) => p.topics.push(f.topic.clone()),
                    None => out.push(Pending {
                        chat: f.chat.clone(),
                        doc: doc.clone(),
                        topics: vec![f.topic.clone()],
                        arrived,
                        item: Some(item.clone()),
                        failures: 0,
                    }),
                }
            }
        }
    }
    (out, seen)
}
