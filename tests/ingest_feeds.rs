//! Feeds and pages from a local HTTP server: extraction of several page shapes, conditional
//! requests, duplicates, syndication groups, and every failure logged without stopping the poll.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use briefbot::config::{Config, FeedConfig};
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::ingest::store::Stored;
use briefbot::ingest::{FeedPoller, Ingestor, Outcome, PollReport};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages");

#[derive(Clone, Default)]
struct Server {
    base: Arc<Mutex<String>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    if_none_match: Arc<Mutex<Vec<String>>>,
    huge_sent: Arc<AtomicU64>,
}

impl Server {
    fn hit(&self, path: &str) {
        *self.hits.lock().unwrap().entry(path.to_string()).or_default() += 1;
    }
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn fixture(name: &str, base: &str) -> Vec<u8> {
    let bytes = std::fs::read(Path::new(FIXTURES).join(name)).unwrap();
    if name.ends_with(".xml") || name.ends_with(".json") { String::from_utf8(bytes).unwrap().replace("{base}", base).into_bytes() } else { bytes }
}

async fn feed_route(State(s): State<Server>, UrlPath(name): UrlPath<String>, headers: HeaderMap) -> Response {
    s.hit(&format!("/feeds/{name}"));
    let base = s.base.lock().unwrap().clone();
    match name.as_str() {
        "rss.xml" => {
            if let Some(v) = headers.get(header::IF_NONE_MATCH) {
                s.if_none_match.lock().unwrap().push(v.to_str().unwrap().to_string());
                if v == "\"rss-v1\"" {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
            }
            ([(header::CONTENT_TYPE, "application/rss+xml"), (header::ETAG, "\"rss-v1\"")], fixture("rss.xml", &base)).into_response()
        }
        "atom.xml" => ([(header::CONTENT_TYPE, "application/atom+xml"), (header::LAST_MODIFIED, "Mon, 05 May 2025 06:00:00 GMT")], fixture("atom.xml", &base))
            .into_response(),
        "feed.json" => ([(header::CONTENT_TYPE, "application/feed+json")], fixture("feed.json", &base)).into_response(),
        "malformed.xml" => ([(header::CONTENT_TYPE, "application/rss+xml")], fixture("malformed.xml", &base)).into_response(),
        "error.xml" => (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response(),
        "slow.xml" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            ([(header::CONTENT_TYPE, "application/rss+xml")], fixture("rss.xml", &base)).into_response()
        }
        "huge.xml" => {
            // 50 MB, streamed in 64 KB chunks without a Content-Length.
            let sent = Arc::clone(&s.huge_sent);
            let stream = futures_util::stream::iter(0..800u32).then(move |i| {
                let sent = Arc::clone(&sent);
                async move {
                    if i % 16 == 0 {
                        tokio::task::yield_now().await;
                    }
                    sent.fetch_add(65_536, Ordering::SeqCst);
                    let mut chunk = vec![b' '; 65_536];
                    if i == 0 {
                        chunk[..5].copy_from_slice(b"<rss>");
                    }
                    Ok::<_, std::io::Error>(chunk)
                }
            });
            ([(header::CONTENT_TYPE, "application/rss+xml")], Body::from_stream(stream)).into_response()
        }
        "loop-a.xml" => (StatusCode::FOUND, [(header::LOCATION, "/feeds/loop-b.xml")]).into_response(),
        "loop-b.xml" => (StatusCode::FOUND, [(header::LOCATION, "/feeds/loop-a.xml")]).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn page_route(State(s): State<Server>, UrlPath(path): UrlPath<String>) -> Response {
    s.hit(&format!("/{path}"));
    let (file, ct) = match path.as_str() {
        "news/ministers-meet" => ("news_article.html", "text/html; charset=utf-8"),
        "blog/astara-bridge" => ("blog_cluttered.html", "text/html"),
        "index" => ("index_page.html", "text/html; charset=utf-8"),
        "lankaran/cafe-owners" => ("windows1252.html", "text/html"),
        "amp/rail-freight" => ("amp_article.html", "text/html; charset=utf-8"),
        "energy/gas-swap" => ("jsonld_article.html", "text/html; charset=utf-8"),
        "wire/border-hours" => ("wire_story.html", "text/html; charset=utf-8"),
        "partner/border-hours" => ("partner_copy.html", "text/html; charset=utf-8"),
        "slow-page" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            ("news_article.html", "text/html")
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, ct)], fixture(file, "")).into_response()
}

use futures_util::StreamExt;

async fn start() -> (Server, String) {
    let s = Server::default();
    let app = Router::new().route("/feeds/{name}", get(feed_route)).route("/{*path}", get(page_route)).with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    *s.base.lock().unwrap() = base.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (s, base)
}

fn config(dir: &Path) -> Config {
    let mut c = Config::load(None, &[]).unwrap();
    c.corpus.dir = dir.join("corpus");
    c.data.dir = dir.join("data");
    c.ingest.timeout_seconds = 1;
    c.ingest.max_bytes = 1_000_000;
    c.ingest.host_interval_ms = 0;
    c.ingest.max_redirects = 5;
    std::fs::create_dir_all(&c.corpus.dir).unwrap();
    std::fs::create_dir_all(&c.data.dir).unwrap();
    c
}

fn feed(base: &str, name: &str) -> FeedConfig {
    FeedConfig { url: format!("{base}/feeds/{name}"), name: Some(name.to_string()), poll_minutes: 15 }
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() { walk(&p, out) } else { out.push(p) }
        }
    }
    walk(dir, &mut out);
    out.sort();
    out
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}; files: {:?}", corpus_files(dir)))
}

fn front<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let end = text[4..].find("\n---\n").unwrap() + 4;
    text[4..end].lines().find_map(|l| l.strip_prefix(&format!("{key}: ")))
}

fn body(text: &str) -> &str {
    let end = text[4..].find("\n---\n").unwrap() + 4;
    &text[end + 5..]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feeds_pages_duplicates_groups_and_failures() {
    let (server, base) = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(tmp.path());
    let corpus = cfg.corpus.dir.clone();
    let ingestor = Arc::new(Ingestor::new(&cfg).unwrap());
    let poller = Arc::new(FeedPoller::new(Arc::clone(&ingestor), &cfg.data.dir, cfg.ingest.max_backoff_minutes));
    let now = chrono::Utc::now();

    // Failures first: each is reported with one reason, and the list goes on.
    let feeds: Vec<FeedConfig> =
        ["malformed.xml", "error.xml", "slow.xml", "huge.xml", "loop-a.xml", "rss.xml", "atom.xml", "feed.json"].iter().map(|n| feed(&base, n)).collect();
    let started = std::time::Instant::now();
    let reports = poller.poll_due(&feeds, now).await;
    assert!(started.elapsed() < Duration::from_secs(4), "the slow feed is cut off by the timeout: {:?}", started.elapsed());
    let by_name: HashMap<String, PollReport> = reports.into_iter().map(|(u, r)| (u.rsplit('/').next().unwrap().to_string(), r)).collect();
    let reason = |n: &str| match &by_name[n] {
        PollReport::Failed { reason, retry_in_minutes } => {
            assert_eq!(*retry_in_minutes, 30, "first failure doubles the interval");
            reason.clone()
        }
        other => panic!("{n}: {other:?}"),
    };
    assert!(reason("malformed.xml").contains("malformed feed"), "{}", reason("malformed.xml"));
    assert_eq!(reason("error.xml"), "HTTP status 500");
    assert_eq!(reason("slow.xml"), "timed out");
    assert!(reason("huge.xml").contains("larger than 1000000 bytes"), "{}", reason("huge.xml"));
    assert!(server.huge_sent.load(Ordering::SeqCst) < 20_000_000, "the 50 MB body was abandoned early: {} bytes", server.huge_sent.load(Ordering::SeqCst));
    assert_eq!(reason("loop-a.xml"), "too many redirects");
    let st = poller.state(&feeds[1].url).unwrap();
    assert_eq!(st.failures, 1);
    assert!(st.next_poll.unwrap() > now + chrono::Duration::minutes(29));
    assert!(!poller.is_due(&feeds[1], now + chrono::Duration::minutes(20)), "backoff");

    // The good feeds.
    let PollReport::Polled { new_items, summary } = &by_name["rss.xml"] else { panic!("{:?}", by_name["rss.xml"]) };
    assert_eq!(*new_items, 5);
    assert_eq!(summary.stored, 5, "{summary:?}");
    let PollReport::Polled { summary: atom, .. } = &by_name["atom.xml"] else { panic!("{:?}", by_name["atom.xml"]) };
    let PollReport::Polled { summary: json, .. } = &by_name["feed.json"] else { panic!("{:?}", by_name["feed.json"]) };
    let files = corpus_files(&corpus);
    let names: Vec<String> = files.iter().map(|p| p.strip_prefix(&corpus).unwrap().to_string_lossy().into_owned()).collect();
    eprintln!("{names:#?}\natom {atom:?}\njson {json:?}");

    // A news article with <article>, canonical link and published time.
    let news = read(&corpus, "caspianledger.example/2025-04-28-ministers-meet-in-baku-to-chart-corridor-talks.md");
    assert_eq!(front(&news, "title"), Some("\"Ministers meet in Baku to chart corridor talks\""));
    assert_eq!(front(&news, "date"), Some("2025-04-28"));
    assert_eq!(front(&news, "url"), Some("https://www.caspianledger.example/2025/04/28/ministers-meet-in-baku/?utm_source=homepage"));
    assert_eq!(front(&news, "source"), Some("\"The Caspian Ledger\""));
    assert_eq!(front(&news, "byline").map(|b| b.contains("Leyla Hasanova")), Some(true), "{news}");
    let b = body(&news);
    assert!(b.contains("BAKU, April 28") && !b.contains("By Leyla"), "{b}");
    assert!(b.contains("four hours.\n\n\"We have agreed"), "paragraphs stay paragraphs: {b}");
    assert!(!b.contains("Subscribe now") && !b.contains("Most read") && !b.contains("All rights reserved"), "{b}");

    // A blog with nav, ads and comments: only the post.
    let blog = names.iter().find(|n| n.contains("astara-bridge")).unwrap_or_else(|| panic!("{names:?}"));
    let blog = read(&corpus, blog);
    assert!(blog.contains("Lorries queue for up to three days"), "{blog}");
    for junk in ["ADVERTISEMENT", "casino", "Powered by WordPress", "Learn Azerbaijani", "Great post"] {
        assert!(!body(&blog).contains(junk), "{junk} in {blog}");
    }
    assert_eq!(front(&blog, "date"), Some("2025-04-29"));

    // A page that is not an article: the feed's own text, paragraphs kept.
    let fish = names.iter().find(|n| n.contains("fishermen-protest")).unwrap_or_else(|| panic!("{names:?}"));
    let fish = read(&corpus, fish);
    assert!(body(&fish).starts_with("Fishermen in Neftchala protested"), "{fish}");
    assert!(body(&fish).contains("business.\n\nThe fisheries agency"), "{fish}");
    assert_eq!(front(&fish, "date"), Some("2025-04-30"));
    assert_eq!(front(&fish, "source"), Some("\"The Caspian Ledger\""));

    // windows-1252, declared in a <meta http-equiv>.
    let cafe = names.iter().find(|n| n.contains("cafe-owners")).unwrap_or_else(|| panic!("{names:?}"));
    let cafe = read(&corpus, cafe);
    assert!(cafe.contains("Owners of caf\u{e9}s") && cafe.contains("government\u{2019}s") && cafe.contains("\u{201c}In the summer"), "{cafe}");
    assert!(!cafe.contains('\u{fffd}'));

    // A page slower than the timeout: the feed's text stands in.
    let slow = names.iter().find(|n| n.contains("slow-page-item")).unwrap_or_else(|| panic!("{names:?}"));
    assert!(read(&corpus, slow).contains("ferry terminal"));

    // AMP page: stored under its canonical (non-AMP) URL and site.
    let amp = names.iter().find(|n| n.starts_with("news.example.org/") && n.contains("rail-freight")).unwrap_or_else(|| panic!("{names:?}"));
    let amp = read(&corpus, amp);
    assert_eq!(front(&amp, "url"), Some("https://news.example.org/2025/04/30/rail-freight-nakhchivan-doubles"));
    assert!(body(&amp).contains("transshipment yard") && !body(&amp).contains("Menu"), "{amp}");

    // JSON-LD metadata.
    let gas = names.iter().find(|n| n.contains("gas-swap")).unwrap_or_else(|| panic!("{names:?}"));
    assert!(gas.starts_with("energyreview.example/2025-05-02-"), "{gas}");
    let gas = read(&corpus, gas);
    assert_eq!(front(&gas, "source"), Some("\"South Caucasus Energy Review\""));
    assert_eq!(front(&gas, "byline"), Some("\"Farid Mammadov\""));
    assert_eq!(front(&gas, "date"), Some("2025-05-02"));

    // Duplicates: the Atom entry linking the Ledger story (other case, www, utm, fragment) is
    // not fetched or stored again.
    assert_eq!(atom.duplicates, 1, "{atom:?}");
    assert_eq!(names.iter().filter(|n| n.contains("ministers-meet")).count(), 1, "{names:?}");

    // Syndication: the partner's copy is kept and grouped with the wire's.
    let wire = names.iter().find(|n| n.starts_with("wire.example/")).unwrap_or_else(|| panic!("{names:?}"));
    let partner = names.iter().find(|n| n.starts_with("partnerpost.example/")).unwrap_or_else(|| panic!("{names:?}"));
    let wire_id = wire.trim_end_matches(".md");
    let (first, second) =
        if json.grouped == 1 { (wire_id.to_string(), read(&corpus, partner)) } else { (partner.trim_end_matches(".md").to_string(), read(&corpus, wire)) };
    assert_eq!(front(&second, "group"), Some(first.as_str()), "{second}");
    assert_eq!(atom.grouped + json.grouped, 1);

    // A JSON Feed item without a URL: its content_html, under the feed's host.
    assert!(names.iter().any(|n| n.contains("editor-s-note")), "{names:?}");

    // No temp files left behind.
    assert!(names.iter().all(|n| n.ends_with(".md") && !n.contains(".tmp")), "{names:?}");
    let stored_total = names.len();
    assert_eq!(stored_total, summary.stored + atom.stored + json.stored);
    let mtimes: Vec<_> = files.iter().map(|f| std::fs::metadata(f).unwrap().modified().unwrap()).collect();

    // Second poll: If-None-Match sent, 304, nothing rewritten, no page fetched again.
    let page_hits = server.hits("/news/ministers-meet");
    assert_eq!(poller.poll_feed(&feed(&base, "rss.xml"), now).await, PollReport::NotModified);
    assert_eq!(server.if_none_match.lock().unwrap().as_slice(), ["\"rss-v1\""]);
    // Atom has only Last-Modified; the server ignores it, so the feed is read, but every item
    // was seen before and no page is fetched.
    let PollReport::Polled { new_items, .. } = poller.poll_feed(&feed(&base, "atom.xml"), now).await else { panic!() };
    assert_eq!(new_items, 0);
    assert_eq!(server.hits("/news/ministers-meet"), page_hits);
    assert_eq!(server.hits("/amp/rail-freight"), 1);
    let after = corpus_files(&corpus);
    assert_eq!(after, files);
    let mtimes_after: Vec<_> = after.iter().map(|f| std::fs::metadata(f).unwrap().modified().unwrap()).collect();
    assert_eq!(mtimes, mtimes_after);

    // The validators survive a restart (data/feeds.json).
    let saved = std::fs::read_to_string(cfg.data.dir.join("feeds.json")).unwrap();
    assert!(saved.contains("rss-v1") && saved.contains("Mon, 05 May 2025 06:00:00 GMT"), "{saved}");
    let fresh = FeedPoller::new(Arc::new(Ingestor::new(&cfg).unwrap()), &cfg.data.dir, 360);
    assert_eq!(fresh.poll_feed(&feed(&base, "rss.xml"), now).await, PollReport::NotModified);

    // And the articles are answerable.
    let (engine, report) = tokio::task::spawn_blocking({
        let (c, d) = (cfg.corpus.dir.clone(), cfg.data.dir.clone());
        move || Engine::open(&EngineOptions::new(c, d)).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(report.added, stored_total, "{:?}", report.skipped);
    let answer = briefbot::dispatch::respond(&engine, "/search sturgeon quota", None, now).unwrap();
    assert!(!answer.items.is_empty(), "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_command_targets_pages_feeds_files_and_folders() {
    let (_server, base) = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(tmp.path());
    let ingestor = Ingestor::new(&cfg).unwrap();
    let now = chrono::Utc::now();
    // A page URL, then the same page again (duplicate), then a feed URL.
    let s = ingestor.ingest_targets(&[format!("{base}/news/ministers-meet"), format!("{base}/news/ministers-meet#comments")], now).await;
    assert_eq!((s.stored, s.duplicates, s.failed), (1, 1, 0), "{s:?}");
    let s = ingestor.ingest_targets(&[format!("{base}/feeds/feed.json")], now).await;
    assert_eq!(s.stored, 2, "{s:?}");
    // A folder of HTML files: the index page is no article and has no feed text: one failure.
    let folder = tmp.path().join("saved");
    std::fs::create_dir_all(&folder).unwrap();
    for f in ["jsonld_article.html", "windows1252.html", "index_page.html", "news_article.html"] {
        std::fs::copy(Path::new(FIXTURES).join(f), folder.join(f)).unwrap();
    }
    let outcomes = ingestor.ingest_target(folder.to_str().unwrap(), now).await;
    let kinds: Vec<&str> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Stored(Stored::New { .. }) => "new",
            Outcome::Stored(Stored::Duplicate { .. }) => "dup",
            Outcome::Failed { .. } => "failed",
        })
        .collect();
    // Sorted: index_page, jsonld_article, news_article (dup by canonical), windows1252.
    assert_eq!(kinds, ["failed", "new", "dup", "new"], "{outcomes:?}");
    let local = std::fs::read_dir(cfg.corpus.dir.join("local")).unwrap().flatten().map(|e| std::fs::read_to_string(e.path()).unwrap()).collect::<Vec<_>>();
    assert_eq!(local.len(), 1, "the windows-1252 file has no URL: site `local`");
    assert!(local[0].contains("Owners of caf\u{e9}s"));
    // Nonsense targets fail with a reason.
    let s = ingestor.ingest_targets(&["/no/such/file.html".to_string(), format!("{base}/missing")], now).await;
    assert_eq!(s.failed, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_that_met_a_full_disk_are_ingested_at_the_next_poll() {
    let (server, base) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path());
    let disk = briefbot::core::disk::Disk::with_free_space(0);
    let ingestor = Arc::new(Ingestor::new(&c).unwrap().with_disk(disk.clone()));
    let poller = FeedPoller::new(ingestor, &c.data.dir, 60);
    let rss = feed(&base, "rss.xml");
    let now = chrono::Utc::now();
    let PollReport::Polled { summary, .. } = poller.poll_feed(&rss, now).await else { panic!("the feed is read") };
    assert!(summary.failed > 0 && summary.stored == 0, "{summary}");
    assert!(corpus_files(&c.corpus.dir).is_empty(), "nothing half-written, no temporary file: {:?}", corpus_files(&c.corpus.dir));
    // Space returns: the next poll fetches the feed again (not a 304) and stores the items.
    disk.set_free_space(1 << 30);
    let report = poller.poll_feed(&rss, now).await;
    let PollReport::Polled { summary, .. } = report else { panic!("the feed is fetched again, not 304: {report:?}") };
    assert_eq!((summary.stored, summary.failed), (5, 0), "{summary}");
    assert_eq!(server.hits("/feeds/rss.xml"), 2);
    // And then the feed is conditional again.
    poller.poll_feed(&rss, now).await;
    assert!(server.if_none_match.lock().unwrap().iter().any(|v| v == "\"rss-v1\""));
}
