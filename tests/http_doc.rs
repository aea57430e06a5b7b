//! `GET /doc/<id>`: source pages served by `briefbot::http::router` on 127.0.0.1, over a
//! corpus written here (its own text, with markup-like characters to escape).

#![cfg(feature = "serve")]

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::http::AppState;
use briefbot::http::metrics::Metrics;
use serde_json::{Value, json};
use tokio::sync::watch;

const ARTICLE: &str = "---\ntitle: \"Harbour <vote> & the ferry\"\ndate: 2024-03-01\nurl: https://example.org/harbour?a=1&b=2\nsource: The Harbour Post\nauthor: Ines Varga\n---\nThe harbour board of Port Elm voted on Tuesday to close the old ferry terminal by March.\n\nBoard chair Mara Quell said the pier was \"beyond <repair> & unsafe\" after the storm.\n\nThe ferry company will move its boats to the northern quay next spring.\n";

struct Server {
    base: String,
    addr: std::net::SocketAddr,
    client: reqwest::Client,
    _corpus: tempfile::TempDir,
    _data: tempfile::TempDir,
}

async fn start(token: Option<&str>) -> Server {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(corpus.path().join("local")).unwrap();
    std::fs::write(corpus.path().join("local/harbour-vote.md"), ARTICLE).unwrap();
    let data = tempfile::tempdir().unwrap();
    let opts = EngineOptions::new(corpus.path(), data.path());
    let (engine, stats) = tokio::task::spawn_blocking(move || {
        let (engine, _) = Engine::open(&opts).expect("open the corpus");
        let stats = engine.stats();
        (engine, stats)
    })
    .await
    .unwrap();
    let state = AppState::new(Arc::new(Metrics::new()), token.map(String::from));
    state.set_engine(Arc::new(engine), stats);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stop_rx) = watch::channel(false);
    tokio::spawn(briefbot::http::serve(listener, state, stop_rx));
    std::mem::forget(stop);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).no_proxy().build().unwrap();
    Server { base: format!("http://{addr}"), addr, client, _corpus: corpus, _data: data }
}

impl Server {
    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut r = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let r = r.send().await.expect("GET");
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The status line of a request sent byte for byte (clients would normalise `..`).
    fn raw_status(&self, target: &str) -> String {
        let mut s = std::net::TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out.lines().next().unwrap_or_default().to_string()
    }

    async fn ask(&self, q: &str, headers: &[(&str, &str)]) -> Value {
        let mut r = self.client.post(format!("{}/v1/ask", self.base)).json(&json!({ "q": q }));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.send().await.unwrap().json().await.unwrap()
    }
}

/// The text inside `<mark …>` elements, concatenated, unescaped of nothing.
fn marked(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<mark") {
        let after = &rest[i..];
        let open_end = after.find('>').unwrap() + 1;
        let close = after.find("</mark>").unwrap();
        out.push_str(&after[open_end..close]);
        rest = &after[close..];
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cited_quote_opens_highlighted_and_escaped() {
    let server = start(None).await;
    let answer = server.ask("/search ferry terminal", &[]).await;
    let item = &answer["items"][0];
    let source = &item["sources"][0];
    assert_eq!(source["doc"], "local/harbour-vote", "{answer}");
    let span = source["span"].as_array().unwrap_or_else(|| panic!("no span: {answer}"));
    let (a, b) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
    let (status, html) = server.get(&format!("/doc/local/harbour-vote?hl={a}-{b}"), &[]).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(marked(&html), item["text"].as_str().unwrap(), "{html}");
    assert!(html.contains("<mark id=\"hl\">"), "{html}");
    // Metadata and every piece of text escaped; no markup from the article.
    assert!(html.contains("<h1>Harbour &lt;vote&gt; &amp; the ferry</h1>"), "{html}");
    assert!(html.contains("The Harbour Post") && html.contains("2024-03-01") && html.contains("by Ines Varga"), "{html}");
    assert!(html.contains("href=\"https://example.org/harbour?a=1&amp;b=2\""), "{html}");
    assert!(html.contains("&quot;beyond &lt;repair&gt; &amp; unsafe&quot;") && !html.contains("<repair>"), "{html}");
    assert_eq!(html.matches("<p>").count(), 3, "three paragraphs: {html}");
    assert!(html.contains("<meta name=\"viewport\"") && html.contains("prefers-color-scheme: dark") && !html.contains("<script"), "{html}");
    // Every sentence has its anchor.
    assert!(html.contains("id=\"s0\"") && html.contains("id=\"s2\""), "{html}");

    // A quote's span is the quoted words, not its sentence.
    let quotes = server.ask("/quote mara quell", &[]).await;
    let q = &quotes["items"][0];
    let span = q["sources"][0]["span"].as_array().unwrap_or_else(|| panic!("no span: {quotes}"));
    let (_, html) = server.get(&format!("/doc/local/harbour-vote?hl={}-{}", span[0], span[1]), &[]).await;
    let text = q["text"].as_str().unwrap().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    assert_eq!(marked(&html), text, "{quotes}\n{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_and_traversal_are_404() {
    let server = start(None).await;
    assert_eq!(server.get("/doc/local/harbour-vote", &[]).await.0, 200);
    assert_eq!(server.get("/doc/local/harbour-vote.md", &[]).await.0, 404);
    assert_eq!(server.get("/doc/nothing-here", &[]).await.0, 404);
    for target in
        ["/doc/../../etc/passwd", "/doc/%2E%2E/%2E%2E/etc/passwd", "/doc/..%2F..%2Fetc%2Fpasswd", "/doc//etc/passwd", "/doc/local/../local/harbour-vote"]
    {
        let status = server.raw_status(target);
        assert!(status.contains(" 404 "), "{target}: {status}");
    }
    // A range outside the body marks nothing and breaks nothing.
    let (status, html) = server.get("/doc/local/harbour-vote?hl=100000-100010", &[]).await;
    assert_eq!((status, marked(&html)), (200, String::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_pages_follow_the_bearer_rule() {
    let server = start(Some("s3cret;x")).await;
    assert_eq!(server.get("/doc/local/harbour-vote", &[]).await.0, 401);
    assert_eq!(server.get("/doc/local/harbour-vote", &[("authorization", "Bearer wrong")]).await.0, 401);
    assert_eq!(server.get("/doc/local/harbour-vote", &[("authorization", "Bearer s3cret;x")]).await.0, 200);
    // The chat page's cookie (encodeURIComponent of the token) opens source pages, not the API.
    assert_eq!(server.get("/doc/local/harbour-vote", &[("cookie", "a=b; briefbot_token=s3cret%3Bx")]).await.0, 200);
    assert_eq!(server.get("/doc/local/harbour-vote", &[("cookie", "briefbot_token=s3cret")]).await.0, 401);
    let api = server.client.get(format!("{}/v1/ask?q=/help", server.base)).header("cookie", "briefbot_token=s3cret%3Bx").send().await.unwrap();
    assert_eq!(api.status().as_u16(), 401);
    // Unknown ids stay behind the token too: nothing says which ids exist.
    assert_eq!(server.get("/doc/nothing-here", &[]).await.0, 401);
}
