//! `briefbot serve` as a process: start-up, health, an answer over HTTP, the corpus
//! refresher, `briefbot health`, start-up errors, and a clean exit on SIGTERM/SIGINT; then
//! the same with a tiny fake Telegram Bot API on 127.0.0.1. No network beyond loopback.
//! (Several replicas sharing PostgreSQL: `serve_replicas.rs`.)

#![cfg(feature = "serve")]

#[path = "support_serve/mod.rs"]
mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use support::*;

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
    let articles = async || client.get(format!("{}/healthz", serve.base)).send().await.unwrap().json::<Value>().await.unwrap()["articles"].clone();
    wait_until(
        Duration::from_secs(30),
        Duration::from_millis(200),
        async || articles().await == 6,
        || format!("the refresher did not index the new article:\n{}", serve.stderr()),
    )
    .await;
    let r: Value = client.post(format!("{}/v1/ask", serve.base)).json(&json!({ "q": "/search ferry aktau" })).send().await.unwrap().json().await.unwrap();
    assert!(r["text"].as_str().unwrap().contains("Aktau"), "{r}");
    wait_until(
        Duration::from_secs(10),
        Duration::from_millis(100),
        async || serve.stderr().contains("broken.md"),
        || format!("the skipped file was not logged:\n{}", serve.stderr()),
    )
    .await;
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

    let sends = || -> Vec<Value> { shared.lock().unwrap().calls.iter().filter(|(m, _)| m == "sendmessage").map(|(_, b)| b.clone()).collect() };
    let log = serve.stderr_reader();
    let sent = wait_for(
        Duration::from_secs(60),
        Duration::from_millis(100),
        async || {
            if let Some(status) = serve.child.try_wait().unwrap() {
                panic!("briefbot serve exited ({status}):\n{}", log());
            }
            Some(sends()).filter(|s| s.len() >= 2)
        },
        || format!("not two sendMessage calls:\n{}", log()),
    )
    .await;
    // Give a second (wrong) send a moment to show up, then check there was exactly one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sends = sends();
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
