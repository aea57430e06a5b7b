//! Topic alerts in `briefbot serve` as a process, against the fake Telegram Bot API on
//! 127.0.0.1: a chat follows a topic, a new file in the watched corpus folder brings exactly
//! one alert; after a restart on the same data folder, what the initial scan finds does not
//! alert, nothing is sent twice, and the next new file alerts once.

#![cfg(all(feature = "serve", feature = "telegram"))]

#[path = "support_telegram/fake.rs"]
mod telegram_fake;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_briefbot");
const READER: i64 = 4242;

/// `briefbot serve` on a free port with a clean environment, its log in `log`.
struct Serve {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Serve {
    fn start(dir: &Path, api: &str, log: &str) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = dir.join(log);
        let mut cmd = Command::new(BIN);
        for (k, _) in std::env::vars() {
            if k.starts_with("BRIEFBOT") || k == "TELEGRAM_BOT_TOKEN" || k == "DISCORD_TOKEN" || k == "TELEGRAM_WEBHOOK_SECRET" {
                cmd.env_remove(k);
            }
        }
        cmd.current_dir(dir)
            .args(["--corpus", "corpus", "--data", "data", "serve"])
            .env("RUST_LOG", "info")
            .env("TELEGRAM_BOT_TOKEN", telegram_fake::TOKEN)
            .env("BRIEFBOT__TELEGRAM__API_URL", api)
            .env("BRIEFBOT__HTTP__BIND", format!("127.0.0.1:{port}"))
            .env("BRIEFBOT__HTTP__PUBLIC_URL", "https://news.example")
            .env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        Serve { child: cmd.spawn().expect("start briefbot serve"), base: format!("http://127.0.0.1:{port}"), log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("briefbot serve exited early ({status}):\n{}", self.log());
            }
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await
                && r.status().as_u16() == 200
            {
                return;
            }
            assert!(Instant::now() < deadline, "not healthy within 90 s:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn stop(&mut self) {
        let status = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().expect("run kill");
        assert!(status.success());
        let started = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(15), "no exit after SIGTERM:\n{}", self.log());
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

fn article(dir: &Path, name: &str, title: &str, body: &str) {
    let text = format!("---\ntitle: \"{title}\"\ndate: 2026-02-01\nurl: https://example.org/{name}\n---\n{body}\n");
    std::fs::write(dir.join("corpus").join(format!("{name}.md")), text).unwrap();
}

/// Accepted messages to the reader's chat that reply to nobody: the alerts.
fn alerts(fake: &telegram_fake::FakeTelegram) -> Vec<String> {
    fake.delivered()
        .into_iter()
        .filter(|b| b["chat_id"].as_i64() == Some(READER) && telegram_fake::reply_target(b).is_none())
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn wait_alerts(fake: &telegram_fake::FakeTelegram, serve: &Serve, n: usize) {
    assert!(fake.wait_until(Duration::from_secs(30), |f| alerts(f).len() >= n).await, "not {n} alerts within 30 s: {:#?}\n{}", alerts(fake), serve.log());
    // A second (wrong) alert would come within a few refresh periods.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(alerts(fake).len(), n, "{:#?}", alerts(fake));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_alerts_each_new_article_once_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    article(dir.path(), "weather", "Rain on the coast", "Heavy rain fell along the northern coast on Sunday, forecasters said.");
    let fake = telegram_fake::FakeTelegram::start().await;
    let mut serve = Serve::start(dir.path(), &fake.url, "serve-1.log");
    serve.wait_ready().await;

    let id = fake.push_message(telegram_fake::private_chat(READER), READER, "/follow harbour strike");
    assert!(fake.wait_until(Duration::from_secs(20), |f| !f.replies_to(id).is_empty()).await, "no reply:\n{}", serve.log());
    let reply = fake.replies_to(id)[0]["text"].as_str().unwrap_or_default().to_string();
    assert!(reply.contains("Following harbour strike"), "{reply}");

    article(dir.path(), "strike-1", "Harbour strike begins", "Crane drivers began a harbour strike at Port Lund on Monday over pay.");
    wait_alerts(&fake, &serve, 1).await;
    let first = &alerts(&fake)[0];
    assert!(first.contains("Crane drivers began a harbour strike at Port Lund on Monday over pay."), "{first}");
    assert!(first.contains("https://news.example/doc/strike-1?hl=") && first.contains("https://example.org/strike-1"), "{first}");
    serve.stop();

    // Written while the bot is down: the next start's initial scan finds it, which is not news.
    article(dir.path(), "strike-2", "Harbour strike widens", "The harbour strike spread to Port Vik on Tuesday, union officials said.");
    let mut serve = Serve::start(dir.path(), &fake.url, "serve-2.log");
    serve.wait_ready().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(alerts(&fake).len(), 1, "{:#?}", alerts(&fake));

    article(dir.path(), "strike-3", "Harbour strike ends", "The harbour strike ended on Friday after crane drivers accepted a new pay offer.");
    wait_alerts(&fake, &serve, 2).await;
    assert!(alerts(&fake)[1].contains("ended on Friday"), "{:#?}", alerts(&fake));
    serve.stop();
    assert!(serve.log().contains("alerts: watching"), "{}", serve.log());
}
