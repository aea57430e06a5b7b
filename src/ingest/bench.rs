//! Ingestion throughput: a local HTTP server (plain tokio, keep-alive) serves one RSS feed of
//! `articles` items and their article pages; the feed is polled (fetch, extract, store) and
//! the index refreshed. Prints articles per second. [`run_extract_bench`] times extraction
//! alone, on one thread, over pages with the clutter of a real news page (menus, a sidebar of
//! links, a comment section, a footer).
//!
//! Run: `cargo test --release --test ingest_bench -- --nocapture` (or call
//! [`run_ingest_bench`] / [`run_extract_bench`]).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use super::Ingestor;
use super::feeds::{FeedPoller, PollReport};
use crate::config::{Config, FeedConfig};
use crate::core::engine::{Engine, EngineOptions};

#[derive(Debug, Clone)]
pub struct IngestBenchReport {
    pub articles: usize,
    pub stored: usize,
    pub ingest_secs: f64,
    pub index_secs: f64,
    pub per_second: f64,
}

impl std::fmt::Display for IngestBenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ingest bench: {} articles stored of {} in {:.2}s (fetch+extract+store) + {:.2}s index = {:.1} articles/s",
            self.stored, self.articles, self.ingest_secs, self.index_secs, self.per_second
        )
    }
}

const WORDS: &[&str] = &[
    "minister",
    "corridor",
    "border",
    "talks",
    "agreement",
    "railway",
    "energy",
    "summit",
    "delegation",
    "parliament",
    "trade",
    "security",
    "region",
    "capital",
    "visit",
    "officials",
    "president",
    "cooperation",
    "transit",
    "pipeline",
    "election",
    "budget",
    "court",
    "province",
];

fn article_page(i: usize) -> String {
    let mut body = String::new();
    let mut x = (i as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    for p in 0..6 {
        body.push_str("<p>");
        for s in 0..4 {
            let _ = write!(body, "Report {i} paragraph {p} sentence {s}: the");
            for _ in 0..12 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let _ = write!(body, " {}", WORDS[(x >> 33) as usize % WORDS.len()]);
            }
            body.push_str(". ");
        }
        body.push_str("</p>\n");
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Story {i} | Bench Daily</title><meta property=\"og:site_name\" content=\"Bench Daily\">\
         <meta property=\"article:published_time\" content=\"2025-04-28T09:00:00Z\"><link rel=\"canonical\" href=\"/news/{i}\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Story {i}</h1><p class=\"byline\">By Bench Writer</p>{body}</article>\
         <footer>Copyright Bench Daily</footer></body></html>"
    )
}

/// A news page of about 9 KB: the article of [`article_page`] inside a menu, a sidebar of
/// fifty links, twenty readers' comments and a footer.
fn cluttered_page(i: usize) -> String {
    let mut side = String::new();
    for k in 0..50 {
        let _ = write!(side, "<li><a href=\"/news/{k}\">{} {} story {k}</a></li>", WORDS[k % WORDS.len()], WORDS[(k * 7) % WORDS.len()]);
    }
    let mut comments = String::new();
    for k in 0..20 {
        let _ = write!(
            comments,
            "<div class=\"comment\"><p class=\"who\">reader{k} at 10:{k:02} PM</p><p>I think the {} and the {} matter more than this report admits.</p></div>",
            WORDS[k % WORDS.len()],
            WORDS[(k * 5) % WORDS.len()]
        );
    }
    let article = article_page(i);
    let (head, rest) = article.split_once("<body>").unwrap_or((&article, ""));
    let body = rest.trim_end_matches("</body></html>");
    format!(
        "{head}<body><header><ul class=\"menu\"><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li><li><a href=\"/business\">Business</a></li></ul></header>\
         <div class=\"wrap\"><main>{body}<section id=\"comments\"><h3>20 comments</h3>{comments}</section></main><aside><h3>Most read</h3><ul>{side}</ul></aside></div>\
         <footer><p>Copyright Bench Daily. All rights reserved.</p></footer></body></html>"
    )
}

#[derive(Debug, Clone)]
pub struct ExtractBenchReport {
    pub pages: usize,
    pub bytes: usize,
    pub secs: f64,
    pub per_second: f64,
}

impl std::fmt::Display for ExtractBenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "extract bench: {} pages ({} KB each) in {:.2}s on one thread = {:.1} pages/s",
            self.pages,
            self.bytes / self.pages.max(1) / 1024,
            self.secs,
            self.per_second
        )
    }
}

/// Extraction alone (no fetch, no store), on the calling thread, over `pages` generated
/// cluttered pages. Fails if a page is not extracted or keeps its comments.
pub fn run_extract_bench(pages: usize, min_chars: usize) -> anyhow::Result<ExtractBenchReport> {
    let html: Vec<String> = (0..pages).map(cluttered_page).collect();
    let started = Instant::now();
    for (i, h) in html.iter().enumerate() {
        let x = super::extract::extract(h, Some(&format!("http://127.0.0.1/news/{i}")), min_chars)?;
        anyhow::ensure!(x.text.contains(&format!("Report {i} paragraph 5")) && !x.text.contains("reader3 at"), "page {i} extracted badly: {}", x.text);
    }
    let secs = started.elapsed().as_secs_f64();
    Ok(ExtractBenchReport { pages, bytes: html.iter().map(String::len).sum(), secs, per_second: if secs > 0.0 { pages as f64 / secs } else { 0.0 } })
}

fn feed(n: usize, base: &str) -> String {
    let mut items = String::new();
    for i in 0..n {
        let _ = write!(
            items,
            "<item><title>Story {i}</title><link>{base}/news/{i}?utm_source=rss</link><pubDate>Mon, 28 Apr 2025 09:00:00 GMT</pubDate><description>Summary {i}.</description></item>"
        );
    }
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench Daily</title><link>{base}/</link>{items}</channel></rss>")
}

/// Serve `/feed.xml` and `/news/<i>` on 127.0.0.1 until the returned handle is aborted.
async fn serve(n: usize) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let feed_xml = Arc::new(feed(n, &base));
    let handle = tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let feed_xml = Arc::clone(&feed_xml);
            let _ = sock.set_nodelay(true);
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let mut len = 0usize;
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if h.trim().is_empty() {
                            break;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    if len > 0 {
                        let mut skip = vec![0; len];
                        let _ = r.read_exact(&mut skip).await;
                    }
                    let (ct, body) = if path == "/feed.xml" {
                        ("application/rss+xml", feed_xml.to_string())
                    } else if let Some(i) = path.strip_prefix("/news/").and_then(|p| p.split('?').next()).and_then(|p| p.parse::<usize>().ok()) {
                        ("text/html; charset=utf-8", article_page(i))
                    } else {
                        ("text/plain", "not found".to_string())
                    };
                    // One write per response: a head and a body written separately meet Nagle's
                    // algorithm and the client's delayed ACK, a 40 ms stall per request that
                    // measures the fake server, not ingestion.
                    let response = format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                    if w.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((base, handle))
}

/// Ingest `articles` articles from a local server into a fresh corpus under `work_dir`, then
/// index them. The figure is (articles stored) / (ingest + index time).
pub fn run_ingest_bench(articles: usize, work_dir: &Path) -> anyhow::Result<IngestBenchReport> {
    let _ = std::fs::remove_dir_all(work_dir);
    let corpus = work_dir.join("corpus");
    let data = work_dir.join("data");
    std::fs::create_dir_all(&corpus)?;
    std::fs::create_dir_all(&data)?;
    let mut config = Config::load(None, &[])?;
    config.corpus.dir = corpus.clone();
    config.data.dir = data.clone();
    config.ingest.host_interval_ms = 0;
    config.ingest.timeout_seconds = 10;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, &data))?;
    let (stored, ingest_secs) = rt.block_on(async {
        let (base, server) = serve(articles).await?;
        let ingestor = Arc::new(Ingestor::new(&config)?);
        let poller = FeedPoller::new(ingestor, &data, 60);
        let feed = FeedConfig { url: format!("{base}/feed.xml"), name: None, poll_minutes: 15 };
        let started = Instant::now();
        let report = poller.poll_feed(&feed, chrono::Utc::now()).await;
        let secs = started.elapsed().as_secs_f64();
        server.abort();
        let stored = match report {
            PollReport::Polled { summary, .. } => summary.stored,
            other => anyhow::bail!("bench feed poll: {other:?}"),
        };
        anyhow::Ok((stored, secs))
    })?;
    let started = Instant::now();
    engine.refresh()?;
    let index_secs = started.elapsed().as_secs_f64();
    rt.shutdown_timeout(Duration::from_secs(1));
    let total = ingest_secs + index_secs;
    Ok(IngestBenchReport { articles, stored, ingest_secs, index_secs, per_second: if total > 0.0 { stored as f64 / total } else { 0.0 } })
}
