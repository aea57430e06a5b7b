//! `briefbot serve` as a process: start-up, health, an answer over HTTP, the corpus
//! refresher, `briefbot health`, start-up errors, and a clean exit on SIGTERM/SIGINT; then
//! the same with a tiny fake Telegram Bot API on 127.0.0.1. No network beyond loopback.

#![cfg(feature = "serve")]

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[cfg(feature = "postgres")]
#[path = "pg_support/mod.rs"]
mod pg_support;

const BIN: &str = env!("CARGO_BIN_EXE_briefbot");

fn shipped_corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A `briefbot` command with a clean environment: no chat or HTTP tokens and no
/// `BRIEFBOT__*` overrides from the caller's shell; run in `dir` so that no
/// `config/local.toml` is picked up.
fn briefbot(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("BRIEFBOT") || k == "TELEGRAM_BOT_TOKEN" || k == "DISCORD_TOKEN" || k == "TELEGRAM_WEBHOOK_SECRET" {
            cmd.env_remove(k);
        }
    }
    cmd.current_dir(dir).env("RUST_LOG", "info");
    cmd
}

/// A running `briefbot serve` whose output is collected as it comes.
struct Serve {
    child: Child,
    base: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Serve {
    fn start(mut cmd: Command, port: u16) -> Serve {
        cmd.arg("serve").env("BRIEFBOT__HTTP__BIND", format!("127.0.0.1:{port}")).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start briefbot serve");
        let collect = |mut from: Box<dyn Read + Send>| {
            let buf = Arc::new(Mutex::new(Vec::new()));
            let b = buf.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = from.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    b.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            });
            buf
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Serve { child, base: format!("http://127.0.0.1:{port}"), stdout, stderr }
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Wait for `/healthz` to answer 200; panics (with the logs) on exit or after 90 s.
    async fn wait_ready(&mut self, client: &reqwest::Client) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("briefbot serve exited early ({status}):\n{}\n{}", self.stdout(), self.stderr());
            }
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await {
                let status = r.status().as_u16();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                match status {
                    200 => {
                        assert_eq!(body["status"], "ok", "{body}");
                        return body;
                    }
                    503 => {
                        assert_eq!(body, json!({ "status": "starting" }));
                    }
                    other => panic!("/healthz answered {other}: {body}"),
                }
            }
            assert!(Instant::now() < deadline, "not healthy within 90 s:\n{}", self.stderr());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.child.id().to_string()).status().expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Wait for the process to exit, at most `limit`; kills it and panics past that.
    fn wait_exit(&mut self, limit: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader threads drain the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return (status, started.elapsed());
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("briefbot serve did not exit within {limit:?}:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).no_proxy().build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_refreshes_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&shipped_corpus(), &corpus);
    let port = free_port();
    let mut cmd = briefbot(dir.path());
    cmd.arg("--corpus").arg(&corpus).arg("--data").arg(dir.path().join("data")).env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "1");
    let mut serve = Serve::start(cmd, port);
    let client = client();

    let health = serve.wait_ready(&client).await;
    assert_eq!(health["articles"], 5, "{health}");

    // No chat token: one line says so, with the page's URL.
    let stdout = serve.stdout();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("no chat token") && stdout.contains(&format!("http://127.0.0.1:{port}/")), "{stdout}");
    let page = client.get(format!("{}/", serve.base)).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);

    // One command over HTTP.
    let r = client.get(format!("{}/v1/ask?q=/brief%20zangezur", serve.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["command"], "brief");
    assert!(!answer["items"].as_array().unwrap().is_empty(), "{answer}");
    assert!(answer["text"].as_str().unwrap().contains("Nakhchivan"), "{answer}");

    // `briefbot health` against it, by URL and from http.bind.
    let out = briefbot(dir.path()).args(["health", "--url", &serve.base]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(line.starts_with("healthy: {\"status\":\"ok\"") && line.lines().count() == 1, "{line}");
    let out = briefbot(dir.path()).arg("health").env("BRIEFBOT__HTTP__BIND", format!("127.0.0.1:{port}")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));

    // The refresher picks up a new article and skips (and reports) a bad file.
    std::fs::write(
        corpus.join("new-article.md"),
        "---\ntitle: \"Caspian ferry line to Aktau reopens\"\ndate: 2025-05-02\n---\nThe ferry line between Baku and Aktau reopened on Friday, the port authority said.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("broken.md"), [0xff, 0xfe, 0x00, 0x01, 0x02]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let h: Value = client.get(format!("{}/healthz", serve.base)).send().await.unwrap().json().await.unwrap();
        if h["articles"] == 6 {
            break;
        }
        assert!(Instant::now() < deadline, "the refresher did not index the new article: {h}\n{}", serve.stderr());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let r: Value = client.post(format!("{}/v1/ask", serve.base)).json(&json!({ "q": "/search ferry aktau" })).send().await.unwrap().json().await.unwrap();
    assert!(r["text"].as_str().unwrap().contains("Aktau"), "{r}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !serve.stderr().contains("broken.md") {
        assert!(Instant::now() < deadline, "the skipped file was not logged:\n{}", serve.stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let metrics = client.get(format!("{}/metrics", serve.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|l| l == "briefbot_corpus_articles 6"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "briefbot_answers_total{command=\"brief\"} 1"), "{metrics}");

    serve.signal("TERM");
    let (status, took) = serve.wait_exit(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "exit after SIGTERM: {status}\n{}", serve.stderr());
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(serve.stderr().contains("SIGTERM"), "{}", serve.stderr());

    // Nothing listens any more: `briefbot health` says so and fails.
    let out = briefbot(dir.path()).args(["health", "--url", &serve.base]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(line.starts_with("unhealthy: ") && line.lines().count() == 1, "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_during_an_answer_burst_still_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cmd = briefbot(dir.path());
    cmd.arg("--corpus").arg(shipped_corpus()).arg("--data").arg(dir.path().join("data"));
    let mut serve = Serve::start(cmd, port);
    let client = client();
    serve.wait_ready(&client).await;
    // Questions in flight while the signal arrives: each gets a whole answer or a refused
    // connection, never a broken one.
    let mut asks = Vec::new();
    for q in ["/brief zangezur", "/quote pezeshkian", "/background nakhchivan", "/search gas", "/sources", "/brief baku"] {
        let (client, url) = (client.clone(), format!("{}/v1/ask", serve.base));
        asks.push(tokio::spawn(async move { client.post(url).json(&json!({ "q": q })).send().await }));
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    serve.signal("INT");
    for ask in asks {
        if let Ok(r) = ask.await.unwrap() {
            assert_eq!(r.status().as_u16(), 200);
            let v: Value = r.json().await.expect("a whole answer");
            assert!(v["command"].is_string());
        }
    }
    let (status, _) = serve.wait_exit(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{status}\n{}", serve.stderr());
}

#[test]
fn start_up_errors_are_one_line_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let run = |cmd: &mut Command| {
        let out = cmd.arg("--corpus").arg(shipped_corpus()).arg("--data").arg(dir.path().join("data")).arg("serve").output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).trim().to_string())
    };
    // Off loopback without a bearer token. (Nothing is bound: the check comes first.)
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__HTTP__BIND", "0.0.0.0:1"));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("http.bind") && err.contains("BRIEFBOT_HTTP_TOKEN"), "{err}");
    // An invalid value names its key.
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "soon"));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("BRIEFBOT__CORPUS__REFRESH_SECONDS"), "{err}");
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__HTTP__BIND", "not an address"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("http.bind") && err.lines().count() == 1, "{err}");
    // A token file that cannot be read.
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__HTTP__BIND", format!("127.0.0.1:{}", free_port())).arg("--config").arg({
        let local = dir.path().join("local.toml");
        std::fs::write(&local, "[http]\nbearer_token_file = \"/nonexistent/briefbot-token\"\n").unwrap();
        local
    }));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("http.bearer_token_file") && err.contains("/nonexistent/briefbot-token") && err.lines().count() == 1, "{err}");
    // The port is taken.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__HTTP__BIND", taken.local_addr().unwrap().to_string()));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot listen") && err.lines().count() == 1, "{err}");
    // Shared state that cannot be reached (its password never shown), or a URL of no engine.
    let (code, err) = run(briefbot(dir.path())
        .env("BRIEFBOT__HTTP__BIND", format!("127.0.0.1:{}", free_port()))
        .env("BRIEFBOT_STATE_URL", "postgres://bot:hunter2@127.0.0.1:1/briefbot?connect_timeout=2"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("state.url") && err.contains("127.0.0.1:1") && !err.contains("hunter2") && err.lines().count() == 1, "{err}");
    let (code, err) = run(briefbot(dir.path()).env("BRIEFBOT__STATE__URL", "mysql://db/briefbot"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("state.url") && err.lines().count() == 1, "{err}");
}

/// A tiny fake Telegram Bot API: one `/brief zangezur` update, then nothing; records
/// every call.
mod fake_telegram {
    use super::*;
    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::{Path as UrlPath, State};
    use axum::routing::post;

    pub const TOKEN: &str = "123456:SECRETpart-never-logged";

    #[derive(Default)]
    pub struct Shared {
        pub updates: Vec<Value>,
        pub calls: Vec<(String, Value)>,
    }

    pub async fn start(shared: Arc<Mutex<Shared>>) -> String {
        let app = Router::new().route("/{bot}/{method}", post(handle)).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

    fn ok(result: Value) -> axum::Json<Value> {
        axum::Json(json!({ "ok": true, "result": result }))
    }

    async fn handle(State(shared): State<Arc<Mutex<Shared>>>, UrlPath((bot, method)): UrlPath<(String, String)>, body: Bytes) -> axum::Json<Value> {
        let method = method.to_lowercase();
        let body: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
        shared.lock().unwrap().calls.push((method.clone(), body.clone()));
        if bot != format!("bot{TOKEN}") {
            return axum::Json(json!({ "ok": false, "error_code": 401, "description": "Unauthorized" }));
        }
        match method.as_str() {
            "getme" => ok(json!({
                "id": 123456, "is_bot": true, "first_name": "Brief", "username": "BriefServeBot",
                "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
                "can_connect_to_business": false, "has_main_web_app": false,
            })),
            "getwebhookinfo" => ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 })),
            "deletewebhook" | "setmycommands" | "setwebhook" => ok(json!(true)),
            "getupdates" => {
                let offset = body["offset"].as_i64().unwrap_or(0);
                let pending: Vec<Value> = {
                    let mut s = shared.lock().unwrap();
                    s.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    s.updates.clone()
                };
                if pending.is_empty() && body["timeout"].as_u64().unwrap_or(0) > 0 {
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                ok(Value::Array(pending))
            }
            "sendmessage" => ok(json!({
                "message_id": 9001, "date": 1_745_830_001,
                "chat": { "id": body["chat_id"], "type": "private", "first_name": "Ana" },
                "from": { "id": 123456, "is_bot": true, "first_name": "Brief", "username": "BriefServeBot" },
                "text": body["text"],
            })),
            _ => axum::Json(json!({ "ok": false, "error_code": 404, "description": "Not Found" })),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_telegram_when_its_token_is_set() {
    let shared = Arc::new(Mutex::new(fake_telegram::Shared::default()));
    shared.lock().unwrap().updates.push(json!({
        "update_id": 700,
        "message": {
            "message_id": 41, "date": 1_745_830_000,
            "chat": { "id": 4242, "type": "private", "first_name": "Ana" },
            "from": { "id": 4242, "is_bot": false, "first_name": "Ana", "language_code": "en" },
            "text": "/brief zangezur",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 6 }],
        },
    }));
    shared.lock().unwrap().updates.push(json!({
        "update_id": 701,
        "message": {
            "message_id": 42, "date": 1_745_830_005,
            "chat": { "id": 4242, "type": "private", "first_name": "Ana" },
            "from": { "id": 4242, "is_bot": false, "first_name": "Ana", "language_code": "en" },
            "text": "/subscribe 07:15 Europe/London",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 10 }],
        },
    }));
    let api = fake_telegram::start(shared.clone()).await;

    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cmd = briefbot(dir.path());
    cmd.arg("--corpus")
        .arg(shipped_corpus())
        .arg("--data")
        .arg(dir.path().join("data"))
        .env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
        .env("BRIEFBOT__TELEGRAM__API_URL", &api)
        .env("RUST_LOG", "debug");
    let mut serve = Serve::start(cmd, port);
    let client = client();
    serve.wait_ready(&client).await;

    let deadline = Instant::now() + Duration::from_secs(60);
    let sent = loop {
        let sends: Vec<Value> = shared.lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").map(|(_, b)| b.clone()).collect();
        if sends.len() >= 2 {
            break sends;
        }
        if let Some(status) = serve.child.try_wait().unwrap() {
            panic!("briefbot serve exited ({status}):\n{}", serve.stderr());
        }
        assert!(Instant::now() < deadline, "not two sendMessage calls within 60 s:\n{}", serve.stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Give a second (wrong) send a moment to show up, then check there was exactly one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sends: Vec<Value> = shared.lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").map(|(_, b)| b.clone()).collect();
    assert_eq!(sends.len(), 2, "{sends:?}");
    let brief = sent.iter().find(|b| b["reply_parameters"]["message_id"] == 41).expect("the /brief answer");
    assert_eq!(brief["chat_id"], 4242, "{brief}");
    assert!(brief["text"].as_str().unwrap().contains("Nakhchivan"), "{brief}");
    // serve runs digests: the subscription is answered and stored in the data folder's SQLite file.
    let subscribed = sent.iter().find(|b| b["reply_parameters"]["message_id"] == 42).expect("the /subscribe answer");
    assert!(subscribed["text"].as_str().unwrap().contains("07:15 (Europe/London)"), "{subscribed}");
    let store = briefbot::digest::Store::open_in(&dir.path().join("data")).unwrap();
    let sub = store.subscription(&briefbot::digest::ChatRef::telegram(4242)).unwrap().expect("stored");
    assert!(sub.active && sub.zone == chrono_tz::Europe::London);
    let menu = shared.lock().unwrap().calls.iter().find(|(m, _)| m == "setmycommands").map(|(_, b)| b.to_string()).unwrap_or_default();
    assert!(menu.contains("subscribe"), "the menu offers the digest commands: {menu}");
    // The web page still works beside the bot; the answers and the sends were counted.
    let metrics = client.get(format!("{}/metrics", serve.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|l| l == "briefbot_answers_total{command=\"brief\"} 1"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "briefbot_answers_total{command=\"subscribe\"} 1"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "briefbot_messages_sent_total 2"), "{metrics}");
    assert!(serve.stderr().contains("digest: scheduler starting"), "{}", serve.stderr());
    assert!(!serve.stdout().contains("no chat token"), "{}", serve.stdout());

    serve.signal("TERM");
    let (status, took) = serve.wait_exit(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "exit after SIGTERM: {status}\n{}", serve.stderr());
    assert!(took < Duration::from_secs(10));
    let logs = serve.stderr();
    assert!(!logs.contains("SECRETpart"), "the bot token reached the log:\n{logs}");
}

/// Two `serve` replicas sharing state in PostgreSQL, Telegram in long-polling mode: exactly
/// one replica polls (the leader); when it is killed with SIGKILL the other takes over within
/// seconds and answers the next update. Each replica talks to a fake of its own, so the fakes
/// tell who polled.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_poll_telegram_one_at_a_time_and_take_over_after_a_kill() {
    let url = pg_support::fresh_database("serve_replicas");
    let fakes = [Arc::new(Mutex::new(fake_telegram::Shared::default())), Arc::new(Mutex::new(fake_telegram::Shared::default()))];
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = briefbot(dir.path());
        cmd.arg("--corpus")
            .arg(shipped_corpus())
            .arg("--data")
            .arg(dir.path().join(format!("data-{i}")))
            .env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT_STATE_URL", &url);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let polls = |i: usize| fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "getupdates").count();
    let deadline = Instant::now() + Duration::from_secs(30);
    while polls(0) + polls(1) == 0 {
        assert!(Instant::now() < deadline, "nobody polled:\n{}\n{}", replicas[0].stderr(), replicas[1].stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Long enough for a second poller to show up if there were one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (a, b) = (polls(0), polls(1));
    assert!((a == 0) != (b == 0), "exactly one replica polls: {a} and {b} getUpdates");
    let (leader, other) = if a > 0 { (0, 1) } else { (1, 0) };
    assert!(replicas[leader].stderr().contains("this replica leads"), "{}", replicas[leader].stderr());
    assert!(replicas[other].stderr().contains("waiting to lead"), "{}", replicas[other].stderr());

    replicas[leader].signal("KILL");
    replicas[leader].wait_exit(Duration::from_secs(10));
    let killed_at = Instant::now();
    let polled_before_the_kill = polls(leader);
    fakes[other].lock().unwrap().updates.push(json!({
        "update_id": 800,
        "message": {
            "message_id": 51, "date": 1_745_830_000,
            "chat": { "id": 4343, "type": "private", "first_name": "Ana" },
            "from": { "id": 4343, "is_bot": false, "first_name": "Ana", "language_code": "en" },
            "text": "/brief zangezur",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 6 }],
        },
    }));
    let answered = || fakes[other].lock().unwrap().calls.iter().any(|(m, b)| m == "sendmessage" && b["chat_id"] == 4343);
    while !answered() {
        assert!(killed_at.elapsed() < Duration::from_secs(30), "no takeover within 30 s:\n{}", replicas[other].stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = killed_at.elapsed();
    eprintln!("the surviving replica took over and answered {took:?} after the kill");
    assert!(took < Duration::from_secs(10), "took over within seconds: {took:?}");
    assert_eq!(polls(leader), polled_before_the_kill, "the killed replica polls no more");
    assert!(polls(other) > 0);
    replicas[other].signal("TERM");
    let (status, _) = replicas[other].wait_exit(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "{}", replicas[other].stderr());
}

/// Three `serve` processes fan out one day's digests to 3,000 Telegram chats through one
/// PostgreSQL; one is killed with SIGKILL in the middle. No chat gets two digests; the chats
/// that got none are exactly the claims the dead replica had in flight, settled as `unknown`
/// by the survivors (Telegram cannot be asked: the rule for a crash), at most 16.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_fan_out_digests_once_through_a_kill() {
    use briefbot::digest::{ChatRef, Store};
    use briefbot::state::StateLocation;
    use chrono::Timelike;

    const CHATS: i64 = 3000;
    let url = pg_support::fresh_database("serve_fanout");
    let now = chrono::Utc::now();
    let slot = now - chrono::Duration::minutes(1);
    let time = chrono::NaiveTime::from_hms_opt(slot.hour(), slot.minute(), 0).unwrap();
    let state = Store::open_state(&StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let subs: Vec<_> = (0..CHATS).map(|i| (ChatRef::telegram(5000 + i), time, chrono_tz::Tz::UTC, Vec::new())).collect();
    state.subscribe_many(&subs, now - chrono::Duration::days(2)).unwrap();

    let fakes: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(fake_telegram::Shared::default()))).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = briefbot(dir.path());
        cmd.arg("--corpus")
            .arg(shipped_corpus())
            .arg("--data")
            .arg(dir.path().join(format!("data-{i}")))
            .env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT__DIGEST__POST_WHEN_EMPTY", "true")
            .env("BRIEFBOT__DIGEST__MAX_PER_SECOND", "200")
            .env("BRIEFBOT_STATE_URL", &url);
        replicas.push(Serve::start(cmd, free_port()));
    }
    let posts = |i: usize| -> Vec<i64> {
        fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").filter_map(|(_, b)| b["chat_id"].as_i64()).collect()
    };
    let total = || (0..3).map(|i| posts(i).len()).sum::<usize>();
    let deadline = Instant::now() + Duration::from_secs(180);
    while total() < 600 {
        for r in &mut replicas {
            if let Some(status) = r.child.try_wait().unwrap() {
                panic!("a replica exited ({status}):\n{}", r.stderr());
            }
        }
        assert!(Instant::now() < deadline, "the fan-out did not get going: {} sent", total());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Kill the replica that has sent the most so far: it is surely mid-fan-out.
    let victim = (0..3).max_by_key(|&i| posts(i).len()).unwrap();
    replicas[victim].signal("KILL");
    replicas[victim].wait_exit(Duration::from_secs(10));
    let by_victim = posts(victim).len();
    // The survivors finish, and settle what the victim left.
    let deadline = Instant::now() + Duration::from_secs(300);
    let counts = loop {
        let c = state.state_counts().unwrap();
        let done = c.get("sent").copied().unwrap_or(0) + c.get("unknown").copied().unwrap_or(0);
        if done == CHATS as u64 && !c.contains_key("sending") {
            break c;
        }
        assert!(Instant::now() < deadline, "not finished: {c:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut got: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for i in 0..3 {
        for chat in posts(i) {
            *got.entry(chat).or_default() += 1;
        }
    }
    eprintln!(
        "3 replicas, 3,000 chats: victim sent {by_victim} before SIGKILL; per replica {:?}; rows {counts:?}",
        (0..3).map(|i| posts(i).len()).collect::<Vec<_>>()
    );
    assert!(got.values().all(|&n| n == 1), "no chat got two digests");
    let unknown: std::collections::HashSet<i64> =
        state.deliveries_in(briefbot::digest::store::DeliveryState::Unknown).unwrap().iter().map(|d| d.chat_id.parse().unwrap()).collect();
    let missed: std::collections::HashSet<i64> = (0..CHATS).map(|i| 5000 + i).filter(|c| !got.contains_key(c)).collect();
    assert!(missed.is_subset(&unknown), "every chat without a digest is a claim the dead replica had in flight: {missed:?} vs {unknown:?}");
    assert!(unknown.len() <= 16, "at most the dead replica's sends in flight: {}", unknown.len());
    assert_eq!(got.len() as u64, counts.get("sent").copied().unwrap_or(0) + (unknown.len() - missed.len()) as u64);
    for (i, r) in replicas.iter().enumerate() {
        if i != victim {
            assert!(!posts(i).is_empty(), "every survivor took part:\n{}", r.stderr());
            r.signal("TERM");
        }
    }
}

/// Feeds and their article pages on 127.0.0.1; `items` says how many each feed lists.
mod fake_feed {
    use super::*;
    use axum::Router;
    use axum::extract::{Path as UrlPath, State};
    use axum::routing::get;

    pub type Items = Arc<Mutex<usize>>;

    fn words(n: usize) -> String {
        format!(
            "Harbour officials in Vellmar said on Tuesday that crane number {n} would be back in service within a week. \
             The repairs, they said, had been planned since the spring and would not delay the ferry timetable. \
             Dock workers told reporters that the night shift had been asking for the work for two years."
        )
    }

    /// Feed `k` lists cranes `k + 1 ..= k + items`: neighbouring feeds share most articles.
    async fn feed(State(items): State<Items>, UrlPath(k): UrlPath<usize>, headers: axum::http::HeaderMap) -> ([(axum::http::HeaderName, String); 1], String) {
        let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default().to_string();
        let n = *items.lock().unwrap();
        let entries: String = (k + 1..=k + n)
            .map(|i| format!("<item><title>Crane {i} returns</title><link>http://{host}/news/crane-{i}</link><guid>crane-{i}</guid><pubDate>Tue, 0{} Jun 2025 08:00:00 GMT</pubDate></item>", 1 + i % 9))
            .collect();
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Vellmar Harbour News {k}</title><link>http://{host}/</link>{entries}</channel></rss>"
        );
        ([(axum::http::header::CONTENT_TYPE, "application/rss+xml".to_string())], body)
    }

    async fn page(UrlPath(slug): UrlPath<String>) -> axum::response::Html<String> {
        let n: usize = slug.trim_start_matches("crane-").parse().unwrap_or(0);
        axum::response::Html(format!(
            "<html><head><title>Crane {n} returns</title></head><body><article><h1>Crane {n} returns</h1><p>{}</p><p>{}</p></article></body></html>",
            words(n),
            words(n + 100)
        ))
    }

    pub async fn start(items: Items) -> String {
        let app = Router::new().route("/feed/{k}", get(feed)).route("/news/{slug}", get(page)).with_state(items);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }
}

/// Two `serve` replicas over one corpus folder and one PostgreSQL, both configured with the
/// same three feeds, which share most of their articles: each feed is polled under its lease
/// (one replica at a time), every article is stored once, and when a replica is killed the
/// other takes over its feeds' leases and stores what is new, once.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_several_feeds_store_each_article_once() {
    const FEEDS: usize = 3;
    let url = pg_support::fresh_database("serve_feeds");
    let items: fake_feed::Items = Arc::new(Mutex::new(3));
    let site = fake_feed::start(items.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let config = dir.path().join("replica.toml");
    let feeds: String = (0..FEEDS).map(|k| format!("[[feeds]]\nurl = \"{site}/feed/{k}\"\npoll_minutes = 1\n\n")).collect();
    std::fs::write(&config, format!("{feeds}[ingest]\nhost_interval_ms = 0\n")).unwrap();
    let client = client();
    let mut replicas = Vec::new();
    for i in 0..2 {
        let mut cmd = briefbot(dir.path());
        cmd.arg("--config").arg(&config).arg("--corpus").arg(&corpus).arg("--data").arg(dir.path().join(format!("data-{i}"))).env("BRIEFBOT_STATE_URL", &url);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let stored = || -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&corpus).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(entry.path()).into_iter().flatten().flatten() {
                out.push(std::fs::read_to_string(f.path()).unwrap_or_default());
            }
        }
        out
    };
    let wait_for = |n: usize, replicas: &Vec<Serve>| {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let now = stored();
            if now.len() >= n {
                return now;
            }
            assert!(Instant::now() < deadline, "{} of {n} articles stored:\n{}\n{}", now.len(), replicas[0].stderr(), replicas[1].stderr());
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let db = briefbot::state::pg::Pg::connect(&url).unwrap();
    let state = || {
        db.run(|c| async move {
            let rows = c.query("SELECT feed, holder, taken FROM feed_leases ORDER BY feed", &[]).await?;
            Ok(rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, i64>(2))).collect::<Vec<_>>())
        })
        .unwrap()
    };
    // Cranes 1..=5 across the three feeds.
    wait_for(FEEDS + 2, &replicas);
    std::thread::sleep(Duration::from_secs(3));
    let leases = state();
    assert_eq!(leases.len(), FEEDS, "a lease row per feed: {leases:?}");
    let pids: Vec<String> = replicas.iter().map(|r| format!("-{}-", r.child.id())).collect();
    let held_by = |leases: &[(String, String, i64)], i: usize| leases.iter().filter(|(_, h, _)| h.contains(&pids[i])).count();
    eprintln!("feed leases after the first round: {leases:?}");
    assert_eq!(held_by(&leases, 0) + held_by(&leases, 1), FEEDS, "every lease held by one of the two: {leases:?}");
    // Kill a replica holding at least one feed; the survivor takes its leases over.
    let victim = if held_by(&leases, 0) > 0 { 0 } else { 1 };
    let other = 1 - victim;
    replicas[victim].signal("KILL");
    replicas[victim].wait_exit(Duration::from_secs(10));
    *items.lock().unwrap() = 5;
    // Cranes 1..=7 now.
    let all = wait_for(FEEDS + 4, &replicas);
    let deadline = Instant::now() + Duration::from_secs(90);
    while held_by(&state(), other) < FEEDS {
        assert!(Instant::now() < deadline, "the survivor takes every lease over: {:?}\n{}", state(), replicas[other].stderr());
        std::thread::sleep(Duration::from_millis(500));
    }
    std::thread::sleep(Duration::from_secs(2));
    let all = if stored().len() > all.len() { stored() } else { all };
    for i in 1..=FEEDS + 4 {
        let copies = all.iter().filter(|text| text.contains(&format!("/news/crane-{i}\n"))).count();
        assert_eq!(copies, 1, "article {i} stored once, not {copies} times");
    }
    assert_eq!(all.len(), FEEDS + 4);
    replicas[other].signal("TERM");
}

/// Topic alerts with two `serve` replicas on one PostgreSQL: a follow stored in the shared
/// state alerts once (one replica runs the alerter, a leader), and when that replica is
/// SIGKILLed the other takes the alerter over: the next new article alerts once, the first
/// is not sent again.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_alert_once_and_the_next_leader_takes_over() {
    const READER: i64 = 4242;
    let url = pg_support::fresh_database("serve_alerts");
    let follows = briefbot::alerts::AlertStore::open_state(&briefbot::state::StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let topic = "harbour strike";
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let followed = follows.follow(&briefbot::digest::ChatRef::telegram(READER), topic, &briefbot::alerts::service::topic_key(topic), since).unwrap();
    assert_eq!(followed, briefbot::alerts::store::Followed::Added);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let article = |name: &str, title: &str, body: &str| {
        let text = format!("---\ntitle: \"{title}\"\ndate: 2026-02-01\nurl: https://example.org/{name}\n---\n{body}\n");
        std::fs::write(corpus.join(format!("{name}.md")), text).unwrap();
    };
    article("weather", "Rain on the coast", "Heavy rain fell along the northern coast on Sunday, forecasters said.");
    let fakes = [Arc::new(Mutex::new(fake_telegram::Shared::default())), Arc::new(Mutex::new(fake_telegram::Shared::default()))];
    let client = client();
    let mut replicas = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let mut cmd = briefbot(dir.path());
        cmd.arg("--corpus")
            .arg(&corpus)
            .arg("--data")
            .arg(dir.path().join(format!("data-{i}")))
            .env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "1")
            .env("BRIEFBOT_STATE_URL", &url);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    let watching = |r: &Serve| r.stderr().contains("alerts: watching");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !replicas.iter().any(watching) {
        assert!(Instant::now() < deadline, "no alerter:\n{}\n{}", replicas[0].stderr(), replicas[1].stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(replicas.iter().filter(|r| watching(r)).count(), 1, "one alerter among the replicas");
    let alerts = |i: usize| -> Vec<String> {
        fakes[i]
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, b)| m == "sendmessage" && b["chat_id"] == READER)
            .map(|(_, b)| b["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let all = || [alerts(0), alerts(1)].concat();
    let wait_alerts = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(40);
        async move {
            while all().len() < n {
                assert!(Instant::now() < deadline, "not {n} alerts: {:?}", all());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // A second (wrong) alert would come within a few refresh periods.
            tokio::time::sleep(Duration::from_secs(4)).await;
            assert_eq!(all().len(), n, "{:#?}", all());
        }
    };
    article("strike-1", "Harbour strike begins", "Crane drivers began a harbour strike at Port Lund on Monday over pay.");
    wait_alerts(1).await;
    assert!(all()[0].contains("Crane drivers began a harbour strike at Port Lund"), "{:?}", all());
    let leader = if alerts(0).len() == 1 { 0 } else { 1 };
    let other = 1 - leader;
    assert!(watching(&replicas[leader]) && !watching(&replicas[other]));
    replicas[leader].signal("KILL");
    replicas[leader].wait_exit(Duration::from_secs(10));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !watching(&replicas[other]) {
        assert!(Instant::now() < deadline, "no takeover:\n{}", replicas[other].stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    article("strike-2", "Harbour strike ends", "The harbour strike ended on Friday after crane drivers accepted a new pay offer.");
    wait_alerts(2).await;
    assert_eq!(alerts(other).len(), 1, "the new leader sent the new alert");
    assert!(alerts(other)[0].contains("ended on Friday"), "{:?}", alerts(other));
    let log = follows.rows().unwrap();
    assert_eq!(log.iter().map(|r| (r.doc.as_str(), r.state.as_str())).collect::<Vec<_>>(), [("strike-1", "sent"), ("strike-2", "sent")]);
    replicas[other].signal("TERM");
}

/// Telegram in webhook mode behind three `serve` replicas (the test posts each update to one
/// of them, as a proxy would) while they fan out one day's digests; one replica is SIGKILLed
/// mid-run and the updates meant for it go to the others. Every update is answered once, by
/// the replica that received it; no chat gets two digests, and the chats without one are
/// exactly the dead replica's claims in flight (settled `unknown`, the rule for a crash).
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_behind_a_webhook_answer_each_update_once_through_a_kill() {
    use briefbot::digest::{ChatRef, Store};
    use briefbot::state::StateLocation;
    use chrono::Timelike;

    const CHATS: i64 = 600;
    const UPDATES: i64 = 60;
    const SECRET: &str = "hook_s3cret-for-tests";
    let url = pg_support::fresh_database("serve_webhook");
    let now = chrono::Utc::now();
    let slot = now - chrono::Duration::minutes(1);
    let time = chrono::NaiveTime::from_hms_opt(slot.hour(), slot.minute(), 0).unwrap();
    let state = Store::open_state(&StateLocation::Postgres(url.clone()), Path::new("/nonexistent")).unwrap();
    let subs: Vec<_> = (0..CHATS).map(|i| (ChatRef::telegram(5000 + i), time, chrono_tz::Tz::UTC, Vec::new())).collect();
    state.subscribe_many(&subs, now - chrono::Duration::days(2)).unwrap();

    let fakes: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(fake_telegram::Shared::default()))).collect();
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut replicas = Vec::new();
    let mut hooks = Vec::new();
    for (i, fake) in fakes.iter().enumerate() {
        let api = fake_telegram::start(fake.clone()).await;
        let hook = free_port();
        hooks.push(format!("http://127.0.0.1:{hook}/telegram"));
        let mut cmd = briefbot(dir.path());
        cmd.arg("--corpus")
            .arg(shipped_corpus())
            .arg("--data")
            .arg(dir.path().join(format!("data-{i}")))
            .env("TELEGRAM_BOT_TOKEN", fake_telegram::TOKEN)
            .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
            .env("BRIEFBOT__TELEGRAM__API_URL", &api)
            .env("BRIEFBOT__TELEGRAM__WEBHOOK_URL", "https://bot.example/telegram")
            .env("BRIEFBOT__TELEGRAM__WEBHOOK_BIND", format!("127.0.0.1:{hook}"))
            .env("BRIEFBOT__DIGEST__POST_WHEN_EMPTY", "true")
            .env("BRIEFBOT__DIGEST__MAX_PER_SECOND", "20")
            .env("BRIEFBOT_STATE_URL", &url);
        replicas.push(Serve::start(cmd, free_port()));
    }
    for r in &mut replicas {
        r.wait_ready(&client).await;
    }
    // The webhook listener starts after /healthz answers (it registers with the platform
    // first): wait until every replica's hook accepts connections before posting to it.
    for hook in &hooks {
        let addr = hook.trim_start_matches("http://").trim_end_matches("/telegram").to_string();
        let deadline = Instant::now() + Duration::from_secs(60);
        while tokio::net::TcpStream::connect(&addr).await.is_err() {
            assert!(Instant::now() < deadline, "the webhook at {addr} never listened");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let sent_to = |i: usize| -> Vec<i64> {
        fakes[i].lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").filter_map(|(_, b)| b["chat_id"].as_i64()).collect()
    };
    let digests = |i: usize| sent_to(i).into_iter().filter(|c| (5000..5000 + CHATS).contains(c)).count();
    let update = |n: i64| {
        json!({
            "update_id": 10_000 + n,
            "message": {
                "message_id": n + 1, "date": 1_745_830_000,
                "chat": { "id": 90_000 + n, "type": "private", "first_name": "Ana" },
                "from": { "id": 90_000 + n, "is_bot": false, "first_name": "Ana", "language_code": "en" },
                "text": "/help",
                "entities": [{ "type": "bot_command", "offset": 0, "length": 5 }],
            },
        })
    };
    // Where each update went: the first live replica from `n % 3` on (the proxy's pick).
    let mut went: Vec<usize> = Vec::new();
    let mut victim = None;
    for n in 0..UPDATES {
        if victim.is_none() && (0..3).map(digests).sum::<usize>() >= 150 {
            // Kill the replica that has sent the most digests so far: it is mid-fan-out.
            let v = (0..3).max_by_key(|&i| digests(i)).unwrap();
            replicas[v].signal("KILL");
            replicas[v].wait_exit(Duration::from_secs(10));
            victim = Some(v);
        }
        let to = (0..3).map(|k| (n as usize + k) % 3).find(|&i| Some(i) != victim).unwrap();
        let r = client.post(&hooks[to]).header("x-telegram-bot-api-secret-token", SECRET).json(&update(n)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "replica {to} took update {n}");
        went.push(to);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let victim =
        victim.unwrap_or_else(|| panic!("the fan-out did not reach 150 digests while the updates came: {:?}", (0..3).map(digests).collect::<Vec<_>>()));
    // The survivors finish the fan-out and settle what the victim left.
    let deadline = Instant::now() + Duration::from_secs(180);
    let counts = loop {
        let c = state.state_counts().unwrap();
        let done = c.get("sent").copied().unwrap_or(0) + c.get("unknown").copied().unwrap_or(0);
        if done == CHATS as u64 && !c.contains_key("sending") {
            break c;
        }
        assert!(Instant::now() < deadline, "not finished: {c:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Every update answered once, by the replica it went to (the victim's answers before it died count).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answered: Vec<usize> = (0..UPDATES).map(|n| (0..3).map(|i| sent_to(i).iter().filter(|&&c| c == 90_000 + n).count()).sum::<usize>()).collect();
        if answered.iter().all(|&a| a >= 1) {
            tokio::time::sleep(Duration::from_secs(1)).await;
            break;
        }
        let missing: Vec<i64> = (0..UPDATES).filter(|&n| answered[n as usize] == 0).collect();
        // An update the victim acknowledged just before the kill may be lost with it, as
        // with one process killed; every other one is answered.
        let lost_with_victim = missing.iter().all(|&n| went[n as usize] == victim);
        assert!(Instant::now() < deadline || lost_with_victim, "updates not answered: {missing:?}");
        if Instant::now() >= deadline {
            assert!(missing.len() <= 1, "at most the update in the victim's hands when it died: {missing:?}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for n in 0..UPDATES {
        let per_replica: Vec<usize> = (0..3).map(|i| sent_to(i).iter().filter(|&&c| c == 90_000 + n).count()).collect();
        assert!(per_replica.iter().sum::<usize>() <= 1, "update {n} answered once: {per_replica:?}");
        if per_replica.iter().sum::<usize>() == 1 {
            assert_eq!(per_replica[went[n as usize]], 1, "update {n} answered by the replica that received it");
        }
    }
    let mut got: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for i in 0..3 {
        for chat in sent_to(i).into_iter().filter(|c| (5000..5000 + CHATS).contains(c)) {
            *got.entry(chat).or_default() += 1;
        }
    }
    eprintln!("webhook replicas: victim {victim}; digests per replica {:?}; rows {counts:?}", (0..3).map(digests).collect::<Vec<_>>());
    assert!(got.values().all(|&n| n == 1), "no chat got two digests");
    let unknown: std::collections::HashSet<i64> =
        state.deliveries_in(briefbot::digest::store::DeliveryState::Unknown).unwrap().iter().map(|d| d.chat_id.parse().unwrap()).collect();
    let missed: std::collections::HashSet<i64> = (0..CHATS).map(|i| 5000 + i).filter(|c| !got.contains_key(c)).collect();
    assert!(missed.is_subset(&unknown), "every chat without a digest is a claim the dead replica had in flight: {missed:?} vs {unknown:?}");
    assert!(unknown.len() <= 16, "at most the dead replica's sends in flight: {}", unknown.len());
    for (i, r) in replicas.iter().enumerate() {
        if i != victim {
            r.signal("TERM");
        }
    }
}

/// The container runs exactly this command line; keep the packaging and the binary in step.
#[test]
fn packaging_matches_the_serve_contract() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let dockerfile = read("Dockerfile");
    let lines: Vec<&str> = dockerfile.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
    let has = |want: &str| lines.contains(&want);
    let manifest = read("Cargo.toml");
    let rust_version = manifest.lines().find_map(|l| l.strip_prefix("rust-version = ")).expect("rust-version in Cargo.toml").trim_matches('"');
    let froms: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "a two-stage build: {froms:?}");
    assert_eq!(*froms[0], format!("FROM rust:{rust_version}-slim-bookworm AS build"), "the build image follows Cargo.toml's rust-version");
    assert_eq!(*froms[1], "FROM debian:bookworm-slim");
    assert!(dockerfile.contains("cargo build --release --locked"));
    assert!(dockerfile.contains("ca-certificates"));
    for want in [
        "WORKDIR /app",
        "USER briefbot",
        "VOLUME /app/data",
        "EXPOSE 8080",
        "ENV BRIEFBOT__HTTP__BIND=0.0.0.0:8080",
        "COPY config/ /app/config/",
        "COPY corpus/ /app/corpus/",
        "CMD [\"briefbot\", \"serve\"]",
    ] {
        assert!(has(want), "Dockerfile lacks `{want}`");
    }
    assert!(lines.iter().any(|l| l.starts_with("HEALTHCHECK ") && l.ends_with("CMD [\"briefbot\", \"health\"]")), "HEALTHCHECK runs `briefbot health`");

    let compose = read("docker-compose.yml");
    for want in [
        "  briefbot:",
        "    build: .",
        "    env_file: .env",
        "      - ./corpus:/app/corpus",
        "      - briefbot-data:/app/data",
        "      - \"127.0.0.1:8080:8080\"",
        "      test: [\"CMD\", \"briefbot\", \"health\"]",
        "    restart: unless-stopped",
        "  briefbot-data:",
    ] {
        assert!(compose.lines().any(|l| l == want), "docker-compose.yml lacks `{want}`");
    }

    let env = read(".env.example");
    for key in ["TELEGRAM_BOT_TOKEN=", "DISCORD_TOKEN=", "BRIEFBOT_HTTP_TOKEN="] {
        assert!(env.lines().any(|l| l == key), ".env.example lacks an empty `{key}`");
    }
    let ignore = read(".dockerignore");
    for want in [".env", "target", "data", ".git"] {
        assert!(ignore.lines().any(|l| l == want), ".dockerignore lacks `{want}`");
    }
    assert!(read(".gitignore").lines().any(|l| l == ".env"), ".env (tokens) is never committed");
}
