//! Feed polling: conditional requests with the validators remembered in
//! `<data>/feeds.json` (written atomically), items seen before skipped, exponential backoff
//! for a feed that keeps failing, jittered intervals. With replicas (an ingestor with
//! [`super::shared`] state) a feed is polled only under its lease: one replica at a time,
//! taken over when its holder dies, and the feed's state here (validators, items seen) is
//! the one the last poll left in the shared state, so a takeover does not fetch afresh.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::fetch::{Conditional, Fetched, jittered};
use super::shared::{LOOK_AGAIN, Lease, POLL_LEASE};
use super::store::{canonical_url, write_atomic};
use super::{IngestSummary, Ingestor, ItemFallback, Outcome, extract};
use crate::config::{Config, FeedConfig};
use crate::core::engine::Engine;

/// Items remembered per feed (the newest); feeds rarely list more than 100.
const SEEN_CAP: usize = 2000;

/// What the data folder remembers about one feed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Consecutive failed polls.
    pub failures: u32,
    pub last_error: Option<String>,
    pub last_success: Option<DateTime<Utc>>,
    pub next_poll: Option<DateTime<Utc>>,
    /// Canonical links (or ids) of items already handled, oldest first.
    pub seen: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct FeedsFile {
    feeds: BTreeMap<String, FeedState>,
}

/// The result of one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollReport {
    /// 304: nothing fetched, nothing written.
    NotModified,
    /// The feed was read; `new_items` were not seen before.
    Polled { new_items: usize, summary: IngestSummary },
    /// The poll failed (logged); the feed is retried after `retry_in_minutes`.
    Failed { reason: String, retry_in_minutes: u64 },
    /// Another replica holds the feed's lease (until then): not polled here.
    Held { until: DateTime<Utc> },
}

/// Polls feeds through an [`Ingestor`] and remembers what it saw.
pub struct FeedPoller {
    ingestor: Arc<Ingestor>,
    state_path: PathBuf,
    state: Mutex<FeedsFile>,
    max_backoff_minutes: u64,
}

impl FeedPoller {
    /// `data_dir/feeds.json` holds the state; a missing or unreadable file starts afresh
    /// (with a warning for the latter).
    pub fn new(ingestor: Arc<Ingestor>, data_dir: &Path, max_backoff_minutes: u64) -> FeedPoller {
        let state_path = data_dir.join("feeds.json");
        let state = match std::fs::read(&state_path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("{}: {e}; starting with no feed state", state_path.display());
                FeedsFile::default()
            }),
            Err(_) => FeedsFile::default(),
        };
        FeedPoller { ingestor, state_path, state: Mutex::new(state), max_backoff_minutes }
    }

    pub fn ingestor(&self) -> &Arc<Ingestor> {
        &self.ingestor
    }

    /// The remembered state of a feed.
    pub fn state(&self, url: &str) -> Option<FeedState> {
        self.state.lock().expect("feed state").feeds.get(url).cloned()
    }

    fn save(&self) {
        // Written under the lock, so that an older snapshot never replaces a newer one.
        let s = self.state.lock().expect("feed state");
        let bytes = serde_json::to_vec_pretty(&*s).unwrap_or_default();
        if let Err(e) = write_atomic(&self.state_path, &bytes) {
            tracing::warn!("writing {}: {e}", self.state_path.display());
        }
    }

    /// Is the feed due at `now` (never polled, or its next poll time has come)?
    pub fn is_due(&self, feed: &FeedConfig, now: DateTime<Utc>) -> bool {
        self.state(&feed.url).and_then(|s| s.next_poll).is_none_or(|t| t <= now)
    }

    /// When the next feed falls due (None: no feeds).
    pub fn next_due(&self, feeds: &[FeedConfig]) -> Option<DateTime<Utc>> {
        feeds.iter().map(|f| self.state(&f.url).and_then(|s| s.next_poll).unwrap_or(DateTime::<Utc>::MIN_UTC)).min()
    }

    /// Poll one feed now (whatever its schedule), ingest its new items, remember the result.
    /// With replicas, only under the feed's lease, kept until the feed's next poll.
    pub async fn poll_feed(&self, feed: &FeedConfig, now: DateTime<Utc>) -> PollReport {
        let Some(shared) = self.ingestor.shared().cloned() else { return self.poll_now(feed, now).await };
        match shared.take_feed(&feed.url, now, now + POLL_LEASE) {
            Ok(Lease::Mine) => {}
            Ok(Lease::Held(until)) => {
                // Looked at again soon: a holder that dies frees the lease at once.
                self.defer(feed, until.min(now + LOOK_AGAIN));
                return PollReport::Held { until };
            }
            Err(e) => {
                let reason = format!("the feed leases replicas share: {e:#}");
                tracing::warn!("feed {}: {reason}", feed.url);
                self.defer(feed, now + LOOK_AGAIN);
                return PollReport::Failed { reason, retry_in_minutes: 0 };
            }
        }
        // Start from the feed's state as the last replica to poll it left it (its
        // validators and the items it listed), when there is one.
        match shared.feed_state(&feed.url) {
            Ok(Some(json)) => match serde_json::from_str::<FeedState>(&json) {
                Ok(st) => {
                    self.state.lock().expect("feed state").feeds.insert(feed.url.clone(), st);
                }
                Err(e) => tracing::warn!("feed {}: its shared poll state is unreadable ({e}); polling without it", feed.url),
            },
            Ok(None) => {}
            Err(e) => tracing::warn!("feed {}: reading its shared poll state: {e:#}", feed.url),
        }
        let report = self.poll_now(feed, now).await;
        let after = self.state(&feed.url).unwrap_or_default();
        if let Err(e) = serde_json::to_string(&after).map_err(anyhow::Error::from).and_then(|json| shared.save_feed_state(&feed.url, &json, now)) {
            tracing::warn!("feed {}: writing its shared poll state: {e:#}", feed.url);
        }
        if let Some(next) = after.next_poll
            && let Err(e) = shared.keep_feed(&feed.url, next)
        {
            tracing::warn!("feed {}: keeping its lease: {e:#}", feed.url);
        }
        report
    }

    /// Look at the feed again at `at` (its lease is held elsewhere); nothing else changes.
    fn defer(&self, feed: &FeedConfig, at: DateTime<Utc>) {
        self.state.lock().expect("feed state").feeds.entry(feed.url.clone()).or_default().next_poll = Some(at);
        self.save();
    }

    async fn poll_now(&self, feed: &FeedConfig, now: DateTime<Utc>) -> PollReport {
        let label = feed.name.clone().unwrap_or_else(|| feed.url.clone());
        let prior = self.state(&feed.url).unwrap_or_default();
        let cond = Conditional { etag: prior.etag.clone(), last_modified: prior.last_modified.clone() };
        let fetched = self.ingestor.fetcher().get(&feed.url, Some(&cond)).await;
        let parsed = match fetched {
            Ok(Fetched::NotModified) => {
                self.finish(feed, now, None, None);
                return PollReport::NotModified;
            }
            Ok(Fetched::Body(body)) => {
                let text = body.text();
                match feed_rs::parser::Builder::new().base_uri(Some(&body.final_url)).build().parse(text.as_bytes()) {
                    Ok(f) => Ok((f, body)),
                    Err(e) => Err(format!("malformed feed: {e}")),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        let (parsed, body) = match parsed {
            Ok(p) => p,
            Err(reason) => {
                let retry = self.fail(feed, now, &reason);
                tracing::warn!("feed {label}: {reason}; retrying in {retry} min");
                return PollReport::Failed { reason, retry_in_minutes: retry };
            }
        };
        let seen: HashSet<String> = prior.seen.iter().cloned().collect();
        let mut summary = IngestSummary::default();
        let mut new_seen = Vec::new();
        let items = items(&parsed, Some(&feed.url));
        let mut new_items = 0;
        for (link, fb) in &items {
            let key = item_key(link.as_deref(), fb);
            if seen.contains(&key) {
                continue;
            }
            new_items += 1;
            let outcome = self.ingestor.ingest_item(link.as_deref(), fb, now).await;
            summary.add(&outcome);
            // A failed item (page and feed text both unusable) is tried again next time.
            if !matches!(outcome, Outcome::Failed { .. }) {
                new_seen.push(key);
            }
        }
        // A failed item is tried again at the next poll (a full disk, say): so that poll must
        // not be answered "304 Not Modified", and the validators are forgotten.
        let validators = if summary.failed > 0 { (None, None) } else { (body.etag, body.last_modified) };
        self.finish(feed, now, Some(validators), Some(new_seen));
        if new_items > 0 {
            tracing::info!("feed {label}: {new_items} new items: {summary}");
        }
        PollReport::Polled { new_items, summary }
    }

    fn finish(&self, feed: &FeedConfig, now: DateTime<Utc>, validators: Option<(Option<String>, Option<String>)>, new_seen: Option<Vec<String>>) {
        {
            let mut s = self.state.lock().expect("feed state");
            let st = s.feeds.entry(feed.url.clone()).or_default();
            if let Some((etag, modified)) = validators {
                st.etag = etag;
                st.last_modified = modified;
            }
            if let Some(new) = new_seen {
                st.seen.extend(new);
                if st.seen.len() > SEEN_CAP {
                    let extra = st.seen.len() - SEEN_CAP;
                    st.seen.drain(..extra);
                }
            }
            st.failures = 0;
            st.last_error = None;
            st.last_success = Some(now);
            let interval = jittered(Duration::from_secs(feed.poll_minutes.max(1) * 60), 0.1);
            st.next_poll = Some(now + chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(15)));
        }
        self.save();
    }

    /// Record a failure; returns the backoff in minutes.
    fn fail(&self, feed: &FeedConfig, now: DateTime<Utc>, reason: &str) -> u64 {
        let minutes = {
            let mut s = self.state.lock().expect("feed state");
            let st = s.feeds.entry(feed.url.clone()).or_default();
            st.failures = st.failures.saturating_add(1);
            st.last_error = Some(reason.to_string());
            let minutes = backoff_minutes(feed.poll_minutes, st.failures, self.max_backoff_minutes);
            let wait = jittered(Duration::from_secs(minutes * 60), 0.1);
            st.next_poll = Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(15)));
            minutes
        };
        self.save();
        minutes
    }

    /// Poll every feed that is due at `now`, feeds on different hosts concurrently (the
    /// fetcher keeps one request at a time per host). Returns each due feed's report.
    pub async fn poll_due(self: &Arc<Self>, feeds: &[FeedConfig], now: DateTime<Utc>) -> Vec<(String, PollReport)> {
        let mut set = tokio::task::JoinSet::new();
        for (i, f) in feeds.iter().enumerate().filter(|(_, f)| self.is_due(f, now)) {
            let me = Arc::clone(self);
            let f = f.clone();
            set.spawn(async move { (i, f.url.clone(), me.poll_feed(&f, now).await) });
        }
        let mut out = Vec::new();
        while let Some(r) = set.join_next().await {
            match r {
                Ok(x) => out.push(x),
                Err(e) => tracing::warn!("a feed poll stopped: {e}"),
            }
        }
        out.sort_by_key(|(i, _, _)| *i);
        out.into_iter().map(|(_, u, r)| (u, r)).collect()
    }
}

/// `poll_minutes * 2^failures`, at most `max` (and at least one minute).
pub fn backoff_minutes(poll_minutes: u64, failures: u32, max: u64) -> u64 {
    let factor = 1u64.checked_shl(failures.min(30)).unwrap_or(u64::MAX);
    poll_minutes.max(1).saturating_mul(factor).min(max.max(1))
}

fn item_key(link: Option<&str>, fb: &ItemFallback) -> String {
    link.and_then(canonical_url).unwrap_or_else(|| format!("{}|{}", fb.title, fb.date.map(|d| d.to_string()).unwrap_or_default()))
}

/// A feed's items: each one's link (absolute, when it has one) and its own text.
pub fn items(feed: &feed_rs::model::Feed, feed_url: Option<&str>) -> Vec<(Option<String>, ItemFallback)> {
    let feed_title = feed.title.as_ref().map(|t| extract::snippet_text(&t.content)).filter(|t| !t.is_empty());
    feed.entries
        .iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| e.links.first())
                .map(|l| l.href.clone())
                .or_else(|| Some(e.id.clone()).filter(|id| id.starts_with("http")))
                .and_then(|href| absolute(&href, feed_url));
            let content = e.content.as_ref().and_then(|c| c.body.clone()).filter(|b| !b.trim().is_empty());
            let summary = e.summary.as_ref().map(|s| s.content.clone());
            let text = content.or(summary).map(|t| extract::snippet_text(&t)).unwrap_or_default();
            let fb = ItemFallback {
                title: e.title.as_ref().map(|t| extract::snippet_text(&t.content)).unwrap_or_default(),
                date: e.published.or(e.updated).map(|d| d.date_naive()),
                text,
                byline: e.authors.first().and_then(|a| a.name.clone()).filter(|n| !n.trim().is_empty()),
                feed_title: feed_title.clone(),
                feed_url: feed_url.map(str::to_string),
            };
            (link, fb)
        })
        .collect()
}

fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    match url::Url::parse(href) {
        Ok(u) => Some(u.to_string()).filter(|_| matches!(u.scheme(), "http" | "https")),
        Err(_) => base.and_then(|b| url::Url::parse(b).ok()).and_then(|b| b.join(href).ok()).map(|u| u.to_string()),
    }
}

/// Serve mode: poll `config.feeds` on their schedules until `shutdown` turns true, and
/// refresh `engine` after each round that stored something. Returns at once when no feeds
/// are configured. Never fails: every problem is logged and the next poll goes on.
pub async fn run_feeds(config: Config, engine: Arc<Engine>, shutdown: watch::Receiver<bool>) {
    run_feeds_with(config, engine, None, shutdown).await
}

/// [`run_feeds`] as one of several replicas: with `shared`, each feed is polled under its
/// lease and every article checked against the seen records the replicas share.
pub async fn run_feeds_with(config: Config, engine: Arc<Engine>, shared: Option<Arc<dyn super::shared::SharedIngest>>, mut shutdown: watch::Receiver<bool>) {
    if config.feeds.is_empty() {
        return;
    }
    let ingestor = match Ingestor::new(&config) {
        Ok(i) => Arc::new(match shared {
            Some(s) => i.with_shared(s),
            None => i,
        }),
        Err(e) => {
            tracing::warn!("feeds disabled: {e:#}");
            return;
        }
    };
    let poller = Arc::new(FeedPoller::new(ingestor, &config.data.dir, config.ingest.max_backoff_minutes));
    loop {
        if *shutdown.borrow() {
            return;
        }
        let now = Utc::now();
        let reports = tokio::select! {
            r = poller.poll_due(&config.feeds, now) => r,
            _ = shutdown.changed() => return,
        };
        let stored: usize = reports.iter().map(|(_, r)| if let PollReport::Polled { summary, .. } = r { summary.stored } else { 0 }).sum();
        if stored > 0 {
            // The engine is told which files were written: no scan of the whole folder.
            let paths: Vec<String> = reports
                .iter()
                .filter_map(|(_, r)| if let PollReport::Polled { summary, .. } = r { Some(summary.ids.iter().map(|id| format!("{id}.md"))) } else { None })
                .flatten()
                .collect();
            let e = Arc::clone(&engine);
            match tokio::task::spawn_blocking(move || e.refresh_paths(&paths, Some(Utc::now()))).await {
                Ok(Ok(r)) => tracing::info!("feeds: {stored} new articles; index +{} ~{} -{}", r.added, r.changed, r.removed),
                Ok(Err(e)) => tracing::warn!("feeds: refreshing the index: {e}"),
                Err(e) => tracing::warn!("feeds: refreshing the index: {e}"),
            }
        }
        let wait = poller.next_due(&config.feeds).map(|t| (t - Utc::now()).to_std().unwrap_or(Duration::ZERO)).unwrap_or(Duration::from_secs(60));
        let wait = wait.clamp(Duration::from_secs(1), Duration::from_secs(3600));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff_minutes(15, 1, 360), 30);
        assert_eq!(backoff_minutes(15, 2, 360), 60);
        assert_eq!(backoff_minutes(15, 10, 360), 360);
        assert_eq!(backoff_minutes(15, 200, 360), 360);
    }
}
