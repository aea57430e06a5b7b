//! The HTTP API as a function (`briefbot::http::router`) served on a real listener on
//! 127.0.0.1, over the shipped corpus with a temporary data folder.

#![cfg(feature = "serve")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::http::metrics::Metrics;
use briefbot::http::{AppState, bearer_token_policy};
use serde_json::{Value, json};
use tokio::sync::watch;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

struct Server {
    base: String,
    state: AppState,
    data: tempfile::TempDir,
    client: reqwest::Client,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Serve a state with `token` on 127.0.0.1:0; the engine is opened only by `open()`.
    async fn start(token: Option<String>) -> Server {
        let state = AppState::new(Arc::new(Metrics::new()), token);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stop_rx) = watch::channel(false);
        let server = tokio::spawn(briefbot::http::serve(listener, state.clone(), stop_rx));
        let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).no_proxy().build().unwrap();
        Server { base, state, data: tempfile::tempdir().unwrap(), client, stop, server }
    }

    async fn started_and_open(token: Option<String>) -> Server {
        let server = Server::start(token).await;
        server.open().await;
        server
    }

    async fn open(&self) {
        let opts = EngineOptions::new(corpus(), self.data.path());
        let (engine, stats) = tokio::task::spawn_blocking(move || {
            let (engine, _) = Engine::open(&opts).expect("open the shipped corpus");
            let stats = engine.stats();
            (engine, stats)
        })
        .await
        .unwrap();
        self.state.set_engine(Arc::new(engine), stats);
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.expect("GET");
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn get_json(&self, path: &str) -> (u16, Value) {
        let (status, body) = self.get(path).await;
        (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}")))
    }

    async fn post_json(&self, path: &str, body: String) -> (u16, Value) {
        let r = self.client.post(format!("{}{path}", self.base)).header("content-type", "application/json").body(body).send().await.expect("POST");
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
    }

    async fn stop(self) {
        self.stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), self.server).await.expect("graceful shutdown within 10 s").unwrap().unwrap();
    }
}

/// `briefbot ask --json`, run as a process over the same corpus (its own data folder).
fn cli_json(text: &str) -> Value {
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefbot"))
        .args(["ask", "--json", text, "--corpus"])
        .arg(corpus())
        .arg("--data")
        .arg(data.path())
        .current_dir(data.path())
        .output()
        .expect("run briefbot ask");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("briefbot ask --json printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn assert_answer_shape(v: &Value) {
    let keys: Vec<&str> = v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().map(String::as_str).collect();
    for k in ["command", "query", "notice", "items", "text"] {
        assert!(keys.contains(&k), "missing {k} in {v}");
    }
    assert_eq!(keys.len(), 5, "unexpected keys in {v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_by_get_and_post_gives_the_cli_json_with_sources() {
    let server = Server::started_and_open(None).await;
    let (status, got) = server.get_json("/v1/ask?q=/brief%20zangezur").await;
    assert_eq!(status, 200, "{got}");
    assert_answer_shape(&got);
    assert_eq!(got["command"], "brief");
    assert_eq!(got["query"], "zangezur");
    let items = got["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{got}");
    for item in items {
        let sources = item["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "item without sources: {item}");
        assert!(sources.iter().all(|s| s["title"].as_str().is_some_and(|t| !t.is_empty())), "{item}");
    }
    assert!(got["text"].as_str().unwrap().contains("Nakhchivan"), "{got}");

    let (status, posted) = server.post_json("/v1/ask", json!({ "q": "/brief zangezur" }).to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(posted, got, "POST and GET answer alike");
    assert_eq!(got, cli_json("/brief zangezur"), "the HTTP API answers exactly as `briefbot ask --json`");

    let (status, quote) = server.get_json("/v1/ask?q=%2Fquote+pezeshkian").await;
    assert_eq!(status, 200);
    assert_eq!(quote["command"], "quote");
    assert_eq!(quote, cli_json("/quote pezeshkian"));
    server.stop().await;
}

/// The front matter's outlet (`source`) and byline (`author`) reach `/sources` and the
/// citations of answers, in the JSON and in its text, and only for the articles that have them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_and_citations_carry_outlet_and_author() {
    let server = Server::started_and_open(None).await;
    let (status, got) = server.get_json("/v1/ask?q=/sources").await;
    assert_eq!(status, 200, "{got}");
    let sources: Vec<&Value> = got["items"].as_array().unwrap().iter().flat_map(|i| i["sources"].as_array().unwrap()).collect();
    let by_doc = |prefix: &str| *sources.iter().find(|s| s["doc"].as_str().unwrap().starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} in {got}"));
    assert_eq!(by_doc("000")["author"], "Gulnara Safarli", "{got}");
    assert!(by_doc("000").get("outlet").is_none(), "{got}");
    assert_eq!(by_doc("002")["outlet"], "The New Region", "{got}");
    assert!(by_doc("001").get("outlet").is_none() && by_doc("001").get("author").is_none(), "{got}");
    let text = got["text"].as_str().unwrap();
    assert!(text.contains("(The New Region, 2025-04-28)"), "{text}");
    assert!(text.contains("(Gulnara Safarli)"), "{text}");
    // A cited answer: every citation of article 002 names its outlet.
    let (_, brief) = server.get_json("/v1/ask?q=/search%20de-escalation").await;
    let cited: Vec<&Value> = brief["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["sources"].as_array().unwrap())
        .filter(|s| s["doc"].as_str().unwrap().starts_with("002"))
        .collect();
    assert!(!cited.is_empty(), "{brief}");
    assert!(cited.iter().all(|s| s["outlet"] == "The New Region"), "{brief}");
    assert!(brief["text"].as_str().unwrap().contains("The New Region, 2025-04-28"), "{brief}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_until_the_engine_is_ready_then_200_with_counts() {
    let server = Server::start(None).await;
    let (status, body) = server.get_json("/healthz").await;
    assert_eq!((status, body), (503, json!({ "status": "starting" })));
    let (status, early) = server.get_json("/v1/ask?q=/brief%20zangezur").await;
    assert_eq!(status, 503, "{early}");
    assert_answer_shape(&early);
    assert!(early["notice"].as_str().unwrap().contains("still opening"), "{early}");
    // Usage problems need no index.
    let (status, usage) = server.get_json("/v1/ask?q=hello").await;
    assert_eq!(status, 400, "{usage}");
    assert_eq!(usage["command"], "usage");
    let (_, metrics) = server.get("/metrics").await;
    assert!(metrics.contains("briefbot_ready 0\n"), "{metrics}");

    server.open().await;
    let (status, text) = server.get("/healthz").await;
    assert_eq!(status, 200, "{text}");
    assert!(text.starts_with("{\"status\":\"ok\",\"articles\":5,\"sentences\":"), "documented key order: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["articles"], 5, "{body}");
    for k in ["sentences", "quotes", "entities"] {
        assert!(body[k].as_u64().is_some_and(|n| n > 0), "{k} in {body}");
    }
    assert_eq!(body.as_object().unwrap().len(), 5, "{body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_answers_by_command() {
    let server = Server::started_and_open(None).await;
    assert_eq!(server.get_json("/v1/ask?q=/brief%20zangezur").await.0, 200);
    assert_eq!(server.post_json("/v1/ask", json!({ "q": "/quote pezeshkian" }).to_string()).await.0, 200);
    let r = server.client.get(format!("{}/metrics", server.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    for line in [
        "briefbot_answers_total{command=\"brief\"} 1",
        "briefbot_answers_total{command=\"quote\"} 1",
        "briefbot_answers_total{command=\"search\"} 0",
        "briefbot_answer_seconds_bucket{le=\"+Inf\"} 2",
        "briefbot_answer_seconds_count 2",
        "briefbot_messages_sent_total 0",
        "briefbot_send_errors_total 0",
        "briefbot_rate_limited_total 0",
        "briefbot_ready 1",
        "briefbot_corpus_articles 5",
    ] {
        assert!(text.lines().any(|l| l == line), "missing `{line}` in\n{text}");
    }
    assert!(text.contains("# TYPE briefbot_answer_seconds histogram"));
    assert!(text.lines().any(|l| l.starts_with("briefbot_answer_seconds_sum ")));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bearer_token_is_required_off_loopback() {
    // Off loopback without a token the server does not start at all.
    let err = bearer_token_policy("0.0.0.0:8080".parse().unwrap(), None).unwrap_err().to_string();
    assert!(err.contains("BRIEFBOT_HTTP_TOKEN"), "{err}");
    let token = bearer_token_policy("0.0.0.0:8080".parse().unwrap(), Some("s3cret-token".into())).unwrap();
    let server = Server::started_and_open(token).await;
    let url = format!("{}/v1/ask?q=/sources", server.base);

    let r = server.client.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    let body: Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    assert!(!body.to_string().contains("s3cret"), "the token is never echoed");

    for wrong in ["Bearer nope", "Bearer s3cret-toke", "Bearer s3cret-token-and-more", "Basic s3cret-token", "s3cret-token"] {
        let r = server.client.get(&url).header("authorization", wrong).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{wrong}");
    }
    let r = server.client.post(format!("{}/v1/ask", server.base)).json(&json!({ "q": "/sources" })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);

    let r = server.client.get(&url).bearer_auth("s3cret-token").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["command"], "sources");
    assert_eq!(body["items"].as_array().unwrap().len(), 5);
    let r = server.client.post(format!("{}/v1/ask", server.base)).bearer_auth("s3cret-token").json(&json!({ "q": "/help" })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);

    // Health, metrics and the page stay open (the Docker healthcheck has no token).
    assert_eq!(server.get("/healthz").await.0, 200);
    assert_eq!(server.get("/metrics").await.0, 200);
    assert_eq!(server.get("/").await.0, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_a_400_answer_never_a_500() {
    let server = Server::started_and_open(None).await;
    let long = "a".repeat(20_000);
    let long_cmd = format!("/brief {}", "zangezur ".repeat(2_300));
    let gets = [
        "/v1/ask".to_string(),
        "/v1/ask?q=".to_string(),
        "/v1/ask?x=1".to_string(),
        "/v1/ask?q=%20%20".to_string(),
        format!("/v1/ask?q={long}"),
        format!("/v1/ask?q={}", long_cmd.replace(' ', "%20")),
        "/v1/ask?q=zangezur".to_string(),
        "/v1/ask?q=/brief".to_string(),
        "/v1/ask?q=/nosuchcommand%20x".to_string(),
        "/v1/ask?q=%FF%FE".to_string(),
        format!("/v1/ask?q=/brief%20{}", "x".repeat(1_000)),
    ];
    for path in &gets {
        let (status, body) = server.get(path).await;
        let shown = &path[..path.len().min(60)];
        assert_eq!(status, 400, "GET {shown}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {shown}: not JSON ({e}): {body}"));
        assert_answer_shape(&v);
        assert_eq!(v["command"], "usage", "GET {shown}: {v}");
        assert!(v["notice"].as_str().is_some_and(|n| !n.is_empty()), "GET {shown}: {v}");
    }
    let posts = [
        "{}".to_string(),
        "".to_string(),
        "not json".to_string(),
        "[1,2]".to_string(),
        json!({ "q": 5 }).to_string(),
        json!({ "q": null }).to_string(),
        json!({ "q": long }).to_string(),
        json!({ "q": long_cmd }).to_string(),
        json!({ "q": "/quote" }).to_string(),
    ];
    for body in &posts {
        let (status, v) = server.post_json("/v1/ask", body.clone()).await;
        let shown = &body[..body.len().min(60)];
        assert_eq!(status, 400, "POST {shown}: {v}");
        assert_answer_shape(&v);
        assert_eq!(v["command"], "usage", "POST {shown}: {v}");
    }
    // Odd but well-formed commands are answered (200) or refused (400), never a 500.
    for path in ["/v1/ask?q=/brief%20%00%01", "/v1/ask?q=/search%20%F0%9F%98%80", "/v1/ask?q=/brief%20%3Cscript%3E", "/v1/ask?q=/quote%20%22%22%22"] {
        let (status, body) = server.get(path).await;
        assert!(status == 200 || status == 400, "GET {path}: {status} {body}");
        assert_answer_shape(&serde_json::from_str(&body).unwrap());
    }
    // Bodies beyond the limit are refused before they are read. The server then closes that
    // connection (the rest of the body is never read), so the refusal goes through a client of
    // its own: the shared client could otherwise pool that connection and send the next
    // request into a closed socket (seen once in CI as a broken pipe on the GET below).
    let once = reqwest::Client::builder().timeout(Duration::from_secs(30)).no_proxy().build().unwrap();
    let r = once.post(format!("{}/v1/ask", server.base)).body(vec![b'a'; 200_000]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
    // Unknown paths and methods are answered, not crashed on.
    assert_eq!(server.get("/v1/nothing").await.0, 404);
    assert_eq!(server.get("/nothing").await.0, 404);
    let r = server.client.delete(format!("{}/v1/ask", server.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    // The server still answers after all that.
    assert_eq!(server.get_json("/v1/ask?q=/brief%20zangezur").await.0, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_self_contained() {
    let server = Server::start(None).await;
    let r = server.client.get(format!("{}/", server.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'") && csp.contains("script-src 'sha256-"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"q\"") && html.contains("id=\"send\"") && html.contains("v1/ask"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no external resources");
    assert!(!html.contains("innerHTML"), "corpus text goes in with textContent");
    server.stop().await;
}
