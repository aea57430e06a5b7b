//! A living corpus: RSS / Atom / JSON feeds and article pages become Markdown files in the
//! corpus folder, and the folder is watched so that new, edited and deleted files show in
//! answers without a restart.
//!
//! - [`fetch`]: polite HTTP (timeouts, redirect limit, size cap, conditional requests, one
//!   request at a time per host) and charset decoding.
//! - [`extract`]: main text and metadata of a page (dom_smoothie); feed snippets to text.
//! - [`store`]: `corpus/<site>/<date>-<slug>.md`, atomic writes, duplicates and syndication
//!   groups.
//! - [`feeds`]: feed polling with remembered validators and backoff; [`feeds::run_feeds`] for
//!   serve mode.
//! - [`shared`]: with replicas (PostgreSQL), per-feed leases and the seen-URL / seen-text
//!   records every replica checks before it writes an article.
//! - [`watch`]: [`watch::watch_corpus`], the corpus folder re-scanned every few seconds.
//! - [`bench`]: articles ingested per second from a local server.
//!
//! Bad input never loses data or stops anything: each failure is one `warn!` line and the
//! next item or poll goes on.

pub mod bench;
pub mod extract;
pub mod feeds;
pub mod fetch;
pub mod shared;
pub mod store;
pub mod title;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Config;
pub use feeds::{FeedPoller, PollReport, run_feeds, run_feeds_with};
use fetch::{Fetched, Fetcher};
use store::{NewArticle, Store, Stored};
pub use watch::watch_corpus;

/// What happened to one page, feed item or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stored(Stored),
    /// Nothing stored; the reason was logged.
    Failed {
        target: String,
        reason: String,
    },
}

/// Counts over a run of [`Ingestor`] calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub stored: usize,
    pub grouped: usize,
    pub duplicates: usize,
    pub failed: usize,
    /// Ids of the documents written.
    pub ids: Vec<String>,
}

impl IngestSummary {
    pub fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Stored(Stored::New { id, group, .. }) => {
                self.stored += 1;
                self.grouped += usize::from(group.is_some());
                self.ids.push(id.clone());
            }
            Outcome::Stored(Stored::Duplicate { .. }) => self.duplicates += 1,
            Outcome::Failed { .. } => self.failed += 1,
        }
    }

    pub fn merge(&mut self, other: &IngestSummary) {
        self.stored += other.stored;
        self.grouped += other.grouped;
        self.duplicates += other.duplicates;
        self.failed += other.failed;
        self.ids.extend(other.ids.iter().cloned());
    }
}

impl std::fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} stored ({} grouped with a copy from another site), {} duplicates, {} failed", self.stored, self.grouped, self.duplicates, self.failed)
    }
}

/// The feed's own view of an item, used when its page is not an article.
#[derive(Debug, Clone, Default)]
pub struct ItemFallback {
    pub title: String,
    pub date: Option<NaiveDate>,
    pub text: String,
    pub byline: Option<String>,
    pub feed_title: Option<String>,
    pub feed_url: Option<String>,
}

/// Fetches, extracts and stores. One per process (it holds the duplicate index).
pub struct Ingestor {
    fetcher: Fetcher,
    store: Mutex<Store>,
    min_article_chars: usize,
    /// With replicas: the seen records they share (see [`shared`]).
    shared: Option<Arc<dyn shared::SharedIngest>>,
}

impl Ingestor {
    /// Open the corpus folder of `config` and learn what is in it.
    pub fn new(config: &Config) -> anyhow::Result<Ingestor> {
        let store = Store::open(&config.corpus.dir, config.corpus.max_file_bytes)?;
        Ok(Ingestor { fetcher: Fetcher::new(&config.ingest)?, store: Mutex::new(store), min_article_chars: config.ingest.min_article_chars, shared: None })
    }

    /// Check and record every article in the seen records replicas share, so that an article
    /// is stored once whichever replica meets it first.
    pub fn with_shared(mut self, shared: Arc<dyn shared::SharedIngest>) -> Ingestor {
        self.shared = Some(shared);
        self
    }

    /// The state shared with other replicas, if any.
    pub fn shared(&self) -> Option<&Arc<dyn shared::SharedIngest>> {
        self.shared.as_ref()
    }

    /// Write articles through `disk` (tests give one that fills up).
    pub fn with_disk(self, disk: crate::core::disk::Disk) -> Ingestor {
        let store = self.store.into_inner().unwrap_or_else(|p| p.into_inner()).with_disk(disk);
        Ingestor { store: Mutex::new(store), ..self }
    }

    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    pub fn corpus_dir(&self) -> PathBuf {
        self.store.lock().expect("store lock").root().to_path_buf()
    }

    /// Is this URL already in the corpus (after canonicalisation)?
    pub fn has_url(&self, url: &str) -> bool {
        self.store.lock().expect("store lock").has_url(url).is_some()
    }

    /// `briefbot ingest`: each target is a page URL, a feed URL, an HTML (or feed) file or a
    /// folder of HTML files. Failures are logged and counted; the next target goes on.
    pub async fn ingest_targets(&self, targets: &[String], now: DateTime<Utc>) -> IngestSummary {
        let mut summary = IngestSummary::default();
        for t in targets {
            for o in self.ingest_target(t, now).await {
                summary.add(&o);
            }
        }
        summary
    }

    pub async fn ingest_target(&self, target: &str, now: DateTime<Utc>) -> Vec<Outcome> {
        if target.starts_with("http://") || target.starts_with("https://") {
            return self.ingest_url(target, now).await;
        }
        let path = Path::new(target);
        if path.is_dir() {
            let mut files = Vec::new();
            collect_html(path, &mut files);
            files.sort();
            if files.is_empty() {
                return vec![self.failed(target, "no .html files in the folder")];
            }
            return files.iter().flat_map(|f| self.ingest_file(f, now)).collect();
        }
        if path.is_file() {
            return self.ingest_file(path, now);
        }
        vec![self.failed(target, "neither a URL nor an existing file or folder")]
    }

    /// A local HTML page, or a feed file (its items' pages are not fetched).
    pub fn ingest_file(&self, path: &Path, now: DateTime<Utc>) -> Vec<Outcome> {
        let target = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return vec![self.failed(&target, &e.to_string())],
        };
        let text = fetch::decode(&bytes, None);
        if looks_like_feed(None, &text) {
            match feed_rs::parser::parse(text.as_bytes()) {
                Ok(feed) => return feeds::items(&feed, None).into_iter().map(|(_, fb)| self.store_fallback(&target, None, &fb, now)).collect(),
                // An XML declaration before an HTML page: the page, not a broken feed.
                Err(_) if has_html_body(&text) => {}
                Err(e) => return vec![self.failed(&target, &format!("malformed feed: {e}"))],
            }
        }
        vec![self.ingest_html(&target, &text, None, None, now)]
    }

    /// A URL: a feed (each item's page is fetched) or an article page.
    pub async fn ingest_url(&self, url: &str, now: DateTime<Utc>) -> Vec<Outcome> {
        let body = match self.fetcher.get(url, None).await {
            Ok(Fetched::Body(b)) => b,
            Ok(Fetched::NotModified) => return vec![self.failed(url, "304 without a conditional request")],
            Err(e) => return vec![self.failed(url, &e.to_string())],
        };
        let text = body.text();
        if looks_like_feed(body.content_type.as_deref(), &text) {
            let feed = match feed_rs::parser::Builder::new().base_uri(Some(&body.final_url)).build().parse(text.as_bytes()) {
                Ok(f) => f,
                Err(e) => return vec![self.failed(url, &format!("malformed feed: {e}"))],
            };
            let mut out = Vec::new();
            for (link, fb) in feeds::items(&feed, Some(url)) {
                out.push(self.ingest_item(link.as_deref(), &fb, now).await);
            }
            return out;
        }
        vec![self.ingest_html(url, &text, Some(&body.final_url), None, now)]
    }

    /// One feed item: its page when that is an article, else the feed's own text.
    pub async fn ingest_item(&self, link: Option<&str>, fb: &ItemFallback, now: DateTime<Utc>) -> Outcome {
        let Some(link) = link else {
            return self.store_fallback(fb.feed_url.as_deref().unwrap_or("feed item"), None, fb, now);
        };
        if let Some(id) = self.store.lock().expect("store lock").has_url(link) {
            return Outcome::Stored(Stored::Duplicate { id: id.to_string(), reason: "same URL" });
        }
        // Stored by another replica since this one read the corpus: not fetched again.
        if let Some(seen) = &self.shared
            && let Some(id) = shared::url_key(link).and_then(|k| {
                seen.known(&[k]).unwrap_or_else(|e| {
                    tracing::warn!("ingest {link}: the shared seen records: {e:#}");
                    None
                })
            })
        {
            return Outcome::Stored(Stored::Duplicate { id, reason: "same URL" });
        }
        match self.fetcher.get(link, None).await {
            Ok(Fetched::Body(body)) => {
                let text = body.text();
                self.ingest_html(link, &text, Some(&body.final_url), Some(fb), now)
            }
            Ok(Fetched::NotModified) => self.store_fallback(link, Some(link), fb, now),
            Err(e) => {
                tracing::warn!("ingest {link}: {e}; using the feed's own text");
                self.store_fallback(link, Some(link), fb, now)
            }
        }
    }

    /// Extract and store one page. `url` is where it was fetched from (after redirects).
    pub fn ingest_html(&self, target: &str, html: &str, url: Option<&str>, fallback: Option<&ItemFallback>, now: DateTime<Utc>) -> Outcome {
        match extract::extract(html, url, self.min_article_chars) {
            Ok(ex) => {
                let page_url = ex.canonical.clone().or_else(|| url.map(str::to_string));
                let site = page_url.as_deref().and_then(store::site_of).or_else(|| url.and_then(store::site_of)).unwrap_or_else(|| "local".into());
                let title = Some(ex.title.clone()).filter(|t| !t.is_empty()).or_else(|| fallback.map(|f| f.title.clone())).unwrap_or_default();
                let article = NewArticle {
                    title,
                    date: ex.date.or_else(|| fallback.and_then(|f| f.date)),
                    url: page_url,
                    source: ex.site_name.clone().or_else(|| fallback.and_then(|f| f.feed_title.clone())),
                    byline: ex.byline.clone().or_else(|| fallback.and_then(|f| f.byline.clone())),
                    site,
                    feed: fallback.and_then(|f| f.feed_url.clone()),
                    text: ex.text,
                };
                let urls: Vec<&str> = [Some(target), url].into_iter().flatten().filter(|u| u.starts_with("http")).collect();
                self.save(target, &article, &urls, now)
            }
            Err(e) => match fallback {
                Some(fb) if !fb.text.trim().is_empty() => {
                    tracing::info!("ingest {target}: {e}; using the feed's own text");
                    self.store_fallback(target, url, fb, now)
                }
                _ => self.failed(target, &e.to_string()),
            },
        }
    }

    fn store_fallback(&self, target: &str, url: Option<&str>, fb: &ItemFallback, now: DateTime<Utc>) -> Outcome {
        if fb.text.trim().is_empty() {
            return self.failed(target, "no article on the page and no text in the feed");
        }
        let site = url.and_then(store::site_of).or_else(|| fb.feed_url.as_deref().and_then(store::site_of)).unwrap_or_else(|| "local".into());
        let article = NewArticle {
            title: fb.title.clone(),
            date: fb.date,
            url: url.map(str::to_string),
            source: fb.feed_title.clone(),
            byline: fb.byline.clone(),
            site,
            feed: fb.feed_url.clone(),
            text: fb.text.clone(),
        };
        let urls: Vec<&str> = url.into_iter().collect();
        self.save(target, &article, &urls, now)
    }

    fn save(&self, target: &str, article: &NewArticle, urls: &[&str], now: DateTime<Utc>) -> Outcome {
        let Some(seen) = &self.shared else { return self.save_here(target, article, urls, now) };
        // With replicas: the article's keys are reserved first; taken means another replica
        // stored it (or is storing it right now).
        let all: Vec<&str> = urls.iter().copied().chain(article.url.as_deref()).collect();
        let keys = shared::article_keys(&article.site, &article.text, &all);
        match seen.reserve(&keys, now) {
            Ok(shared::Reserved::Mine) => {}
            Ok(shared::Reserved::Taken { doc, reason }) => {
                tracing::debug!("ingest {target}: stored by another replica ({reason})");
                return Outcome::Stored(Stored::Duplicate { id: if doc.is_empty() { "(being stored by another replica)".into() } else { doc }, reason });
            }
            Err(e) => return self.failed(target, &format!("the seen records replicas share: {e:#}")),
        }
        let outcome = self.save_here(target, article, urls, now);
        let doc = match &outcome {
            Outcome::Stored(Stored::New { id, .. } | Stored::Duplicate { id, .. }) => Some(id.as_str()),
            Outcome::Failed { .. } => None,
        };
        if let Err(e) = seen.settle(&keys, doc) {
            tracing::warn!("ingest {target}: recording it in the seen records replicas share: {e:#}");
        }
        outcome
    }

    fn save_here(&self, target: &str, article: &NewArticle, urls: &[&str], now: DateTime<Utc>) -> Outcome {
        let result = self.store.lock().expect("store lock").store(article, urls, now.date_naive());
        match result {
            Ok(s) => {
                match &s {
                    Stored::New { id, group, .. } => {
                        tracing::info!("ingested {target} as {id}{}", group.as_ref().map(|g| format!(" (group {g})")).unwrap_or_default())
                    }
                    Stored::Duplicate { id, reason } => tracing::debug!("ingest {target}: duplicate of {id} ({reason})"),
                }
                Outcome::Stored(s)
            }
            Err(e) => self.failed(target, &format!("writing the article: {e}")),
        }
    }

    fn failed(&self, target: &str, reason: &str) -> Outcome {
        tracing::warn!("ingest {target}: {reason}");
        Outcome::Failed { target: target.to_string(), reason: reason.to_string() }
    }
}

/// `briefbot ingest` from synchronous code: runs [`Ingestor::ingest_targets`] on a private
/// runtime. The caller refreshes the index afterwards (opening the engine does).
pub fn ingest_blocking(config: &Config, targets: &[String]) -> anyhow::Result<IngestSummary> {
    let ingestor = Ingestor::new(config)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    Ok(rt.block_on(ingestor.ingest_targets(targets, Utc::now())))
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_html(&p, out);
        } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "html" | "htm" | "xhtml")) {
            out.push(p);
        }
    }
}

/// The text has an HTML `<body>` element.
fn has_html_body(text: &str) -> bool {
    text.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"<body"))
}

/// A feed rather than a page: by Content-Type, else by the first bytes.
pub fn looks_like_feed(content_type: Option<&str>, text: &str) -> bool {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("html") {
        return false;
    }
    if ct.contains("rss") || ct.contains("atom") || ct.contains("feed+json") {
        return true;
    }
    let head: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(1024).collect::<String>().to_ascii_lowercase();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org");
    }
    let head = head.trim_start_matches(|c| c != '<');
    (head.starts_with("<?xml") || head.starts_with("<rss") || head.starts_with("<feed") || head.starts_with("<rdf")) && !head.contains("<html")
}
