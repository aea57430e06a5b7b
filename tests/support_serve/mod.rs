//! `briefbot serve` as a process, for the tests that run it (`serve_process`, one process;
//! `serve_alerts`, one restarted; `serve_replicas`, several sharing PostgreSQL): a clean
//! command line, the running process with its output collected, free ports, waiting for a
//! condition with a deadline, and a tiny fake Telegram Bot API on 127.0.0.1.

#![allow(dead_code)]

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_briefbot");

pub fn shipped_corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn briefbot(dir: &Path) -> Command {
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
pub struct Serve {
    pub child: Child,
    pub base: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Serve {
    pub fn start(mut cmd: Command, port: u16) -> Serve {
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

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// [`Serve::stderr`] as a handle that does not borrow the process (to read while the
    /// process is borrowed mutably, as a wait that checks it is still running does).
    pub fn stderr_reader(&self) -> impl Fn() -> String + use<> {
        let stderr = self.stderr.clone();
        move || String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned()
    }

    /// Wait for `/healthz` to answer 200; panics (with the logs) on exit or after 90 s.
    pub async fn wait_ready(&mut self, client: &reqwest::Client) -> Value {
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

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.child.id().to_string()).status().expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Wait for the process to exit, at most `limit`; kills it and panics past that.
    pub fn wait_exit(&mut self, limit: Duration) -> (ExitStatus, Duration) {
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

/// Poll `ready` every `every` until it gives a value; past `limit`, panic with `what()` (what
/// was awaited, and what was seen instead). The one waiting loop of the process tests.
pub async fn wait_for<T>(limit: Duration, every: Duration, mut ready: impl AsyncFnMut() -> Option<T>, what: impl Fn() -> String) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = ready().await {
            return value;
        }
        assert!(Instant::now() < deadline, "{} (waited {limit:?})", what());
        tokio::time::sleep(every).await;
    }
}

/// [`wait_for`] a condition.
pub async fn wait_until(limit: Duration, every: Duration, mut ready: impl AsyncFnMut() -> bool, what: impl Fn() -> String) {
    wait_for(limit, every, async || ready().await.then_some(()), what).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).no_proxy().build().unwrap()
}

/// A tiny fake Telegram Bot API: one `/brief zangezur` update, then nothing; records
/// every call.
pub mod fake_telegram {
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
