//! Topic alerts in `briefbot serve` as a process, against the fake Telegram Bot API on
//! 127.0.0.1: a chat follows a topic, a new file in the watched corpus folder brings exactly
//! one alert; after a restart on the same data folder, what the initial scan finds does not
//! alert, nothing is sent twice, and the next new file alerts once.

#![cfg(all(feature = "serve", feature = "telegram"))]

#[path = "support_serve/mod.rs"]
mod support;
#[path = "support_telegram/fake.rs"]
mod telegram_fake;

use std::path::Path;
use std::time::Duration;

use support::{Serve, briefbot, client, free_port};

const READER: i64 = 4242;

/// `briefbot serve` on the corpus and data folders in `dir`, Telegram at the fake `api`,
/// refreshing every second; ready when it returns.
async fn start(dir: &Path, api: &str) -> Serve {
    let mut cmd = briefbot(dir);
    cmd.args(["--corpus", "corpus", "--data", "data"])
        .env("TELEGRAM_BOT_TOKEN", telegram_fake::TOKEN)
        .env("BRIEFBOT__TELEGRAM__API_URL", api)
        .env("BRIEFBOT__HTTP__PUBLIC_URL", "https://news.example")
        .env("BRIEFBOT__CORPUS__REFRESH_SECONDS", "1");
    let mut serve = Serve::start(cmd, free_port());
    serve.wait_ready(&client()).await;
    serve
}

/// SIGTERM, and a clean exit.
fn stop(serve: &mut Serve) {
    serve.signal("TERM");
    let (status, _) = serve.wait_exit(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "exit after SIGTERM: {status}\n{}", serve.stderr());
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
    assert!(fake.wait_until(Duration::from_secs(30), |f| alerts(f).len() >= n).await, "not {n} alerts within 30 s: {:#?}\n{}", alerts(fake), serve.stderr());
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
    let mut serve = start(dir.path(), &fake.url).await;

    let id = fake.push_message(telegram_fake::private_chat(READER), READER, "/follow harbour strike");
    assert!(fake.wait_until(Duration::from_secs(20), |f| !f.replies_to(id).is_empty()).await, "no reply:\n{}", serve.stderr());
    let reply = fake.replies_to(id)[0]["text"].as_str().unwrap_or_default().to_string();
    assert!(reply.contains("Following harbour strike"), "{reply}");

    article(dir.path(), "strike-1", "Harbour strike begins", "Crane drivers began a harbour strike at Port Lund on Monday over pay.");
    wait_alerts(&fake, &serve, 1).await;
    let first = &alerts(&fake)[0];
    assert!(first.contains("Crane drivers began a harbour strike at Port Lund on Monday over pay."), "{first}");
    assert!(first.contains("https://news.example/doc/strike-1?hl=") && first.contains("https://example.org/strike-1"), "{first}");
    stop(&mut serve);

    // Written while the bot is down: the next start's initial scan finds it, which is not news.
    article(dir.path(), "strike-2", "Harbour strike widens", "The harbour strike spread to Port Vik on Tuesday, union officials said.");
    let mut serve = start(dir.path(), &fake.url).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(alerts(&fake).len(), 1, "{:#?}", alerts(&fake));

    article(dir.path(), "strike-3", "Harbour strike ends", "The harbour strike ended on Friday after crane drivers accepted a new pay offer.");
    wait_alerts(&fake, &serve, 2).await;
    assert!(alerts(&fake)[1].contains("ended on Friday"), "{:#?}", alerts(&fake));
    stop(&mut serve);
    assert!(serve.stderr().contains("alerts: watching"), "{}", serve.stderr());
}
