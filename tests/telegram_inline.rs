//! Telegram inline mode end to end: an `inline_query` update in (long polling and webhook),
//! `answerInlineQuery` out, against the fake Bot API on 127.0.0.1, over the real engine and
//! the shipped seed corpus.

#![cfg(feature = "telegram")]

#[path = "support_telegram/answerer.rs"]
mod answerer;
#[path = "support_telegram/fake.rs"]
mod fake;
#[path = "support_telegram/html.rs"]
mod html;
#[path = "support_telegram/logs.rs"]
mod logs;

use std::sync::Arc;
use std::time::Duration;

use briefbot::adapters::telegram;
use briefbot::config::TelegramConfig;
use briefbot::gate::{Access, Gate, Limits};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use answerer::seed_answerer;
use fake::{FakeTelegram, TOKEN, TOKEN_SECRET, private_chat};

const WAIT: Duration = Duration::from_secs(10);
const QUOTE: &str = "Our relationship with Azerbaijan is rooted in historical";
const SOURCE: &str = "Iran’s President Pezeshkian Visits Azerbaijan Amid Efforts to Revive Ties";

fn config(api_url: &str) -> TelegramConfig {
    TelegramConfig { api_url: api_url.to_string(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None }
}

struct RunningBot {
    shutdown: watch::Sender<bool>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl RunningBot {
    fn start(config: TelegramConfig, gate: Arc<Gate>) -> RunningBot {
        logs::init("debug,hyper=info,hyper_util=info,reqwest=info,h2=info", "TELEGRAM_INLINE_LOG");
        let (shutdown, rx) = watch::channel(false);
        let handle = tokio::spawn(async move { telegram::run_with_gate(gate, &config, TOKEN.to_string(), rx).await });
        RunningBot { shutdown, handle }
    }

    async fn stop(self) {
        let _ = self.shutdown.send(true);
        tokio::time::timeout(WAIT, self.handle).await.expect("run returns in time").expect("run does not panic").expect("clean shutdown");
        assert!(!logs::logs().contains(TOKEN_SECRET), "the bot token leaked into the log");
    }
}

fn gate(limits: Limits) -> Arc<Gate> {
    Arc::new(Gate::new(seed_answerer(), limits, Access::default()))
}

async fn polling(fake: &FakeTelegram, gate: Arc<Gate>) -> RunningBot {
    let bot = RunningBot::start(config(&fake.url), gate);
    assert!(fake.wait_until(WAIT, |f| !f.calls("getUpdates").is_empty()).await, "the bot starts polling");
    bot
}

async fn inline_answer(fake: &FakeTelegram, id: &str) -> Value {
    assert!(fake.wait_until(WAIT, |f| !f.inline_answers(id).is_empty()).await, "inline query {id} is answered");
    let answers = fake.inline_answers(id);
    assert_eq!(answers.len(), 1, "one answer per inline query");
    let mut answer = answers[0].clone();
    // teloxide may send `results` as a JSON string.
    if let Some(s) = answer["results"].as_str() {
        answer["results"] = serde_json::from_str(s).unwrap();
    }
    answer
}

/// Every result: an article whose message is valid Telegram HTML within 4096 UTF-16 units.
fn messages(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            assert_eq!(r["type"], "article", "{r}");
            let content = &r["input_message_content"];
            assert_eq!(content["parse_mode"], "HTML", "{r}");
            let text = content["message_text"].as_str().unwrap().to_string();
            assert!(html::utf16_len(&text) <= 4096);
            if let Err(e) = html::check(&text) {
                panic!("invalid Telegram HTML ({e}):\n{text}");
            }
            text
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inline_query_gets_the_brief_and_the_quotes_cited() {
    let fake = FakeTelegram::start().await;
    let bot = polling(&fake, gate(Limits::default())).await;
    // Inline queries are among the updates asked for.
    let asked = fake.calls("getUpdates")[0].body["allowed_updates"].to_string();
    assert!(asked.contains("inline_query") && asked.contains("message"), "{asked}");

    let id = fake.push_inline_query(77, "pezeshkian");
    let answer = inline_answer(&fake, &id).await;
    assert_eq!(answer["cache_time"], 300, "{answer}");
    assert_ne!(answer["is_personal"], true, "the same results serve everybody");
    let titles: Vec<&str> = answer["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Brief: pezeshkian", "Quotes: pezeshkian"], "{answer}");
    let texts = messages(&answer);
    for text in &texts {
        let visible = html::visible_text(text);
        assert!(visible.contains(SOURCE) || visible.contains("Pezeshkian"), "every result is cited: {visible}");
        assert!(visible.contains("as of "), "{visible}");
    }
    let quotes = html::visible_text(&texts[1]);
    assert!(quotes.contains(QUOTE) && quotes.contains(SOURCE), "the quote with its article: {quotes}");
    assert!(texts[1].contains("Pezeshkian</b>"), "the speaker in bold: {}", texts[1]);
    assert!(fake.delivered().is_empty(), "inline answers post nothing to any chat");

    // A topic that is nobody's: the brief only.
    let id = fake.push_inline_query(77, "zangezur");
    let answer = inline_answer(&fake, &id).await;
    let titles: Vec<&str> = answer["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Brief: zangezur"]);
    assert!(html::visible_text(&messages(&answer)[0]).contains("1988"), "{answer}");

    // An empty query: one hint, cached long.
    let id = fake.push_inline_query(77, "");
    let answer = inline_answer(&fake, &id).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["title"], "Type a topic or a person");
    assert!(messages(&answer)[0].contains("since:7d"));

    // Nothing in the corpus: one result saying so (it can be sent as it is).
    let id = fake.push_inline_query(77, "qwxzv");
    let answer = inline_answer(&fake, &id).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{answer}");
    assert!(results[0]["title"].as_str().unwrap().starts_with("Nothing in the corpus about qwxzv"), "{answer}");

    // A bad time filter: its usage message, not a crash.
    let id = fake.push_inline_query(77, "pezeshkian since:banana");
    let answer = inline_answer(&fake, &id).await;
    assert!(answer["results"].to_string().contains("since:banana is not a date"), "{answer}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_share_the_commands_rate_limit() {
    let fake = FakeTelegram::start().await;
    // Three answers a minute per user: an inline query asks for two (brief and quotes).
    let bot = polling(&fake, gate(Limits { per_user_per_minute: 3, ..Limits::default() })).await;
    let first = fake.push_inline_query(88, "pezeshkian");
    let answer = inline_answer(&fake, &first).await;
    assert_eq!(answer["results"].as_array().unwrap().len(), 2, "{answer}");
    // The third answer of the minute is this brief; its quotes are refused: the brief is
    // shown, personal and uncached (others asking the same get both).
    let second = fake.push_inline_query(88, "pezeshkian gas");
    let answer = inline_answer(&fake, &second).await;
    assert_eq!(answer["results"].as_array().unwrap().len(), 1, "{answer}");
    assert_eq!((answer["cache_time"].as_u64(), answer["is_personal"].as_bool()), (Some(0), Some(true)), "{answer}");
    // Refused again: silence, as for commands (no flood of notices).
    let third = fake.push_inline_query(88, "baku");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(fake.inline_answers(&third).is_empty());
    // The same budget as commands: the user's command is refused too.
    let asked = fake.push_message(private_chat(88), 88, "/brief baku");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(fake.replies_to(asked).is_empty(), "{:?}", fake.replies_to(asked));
    // Another user is not held back.
    let other = fake.push_inline_query(89, "baku");
    assert!(!inline_answer(&fake, &other).await["results"].as_array().unwrap().is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_arrive_by_webhook_too() {
    let fake = FakeTelegram::start().await;
    let secret = "inline_Webhook-s3cret";
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, secret).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let public = "https://bot.example.test/hooks/tg";
    let config =
        TelegramConfig { webhook_url: public.into(), webhook_bind: format!("127.0.0.1:{port}"), webhook_secret_file: Some(secret_file), ..config(&fake.url) };
    let bot = RunningBot::start(config, gate(Limits::default()));
    assert!(fake.wait_until(WAIT, |f| f.webhook_url() == public).await, "setWebhook is called");
    let allowed = fake.calls("setWebhook")[0].body["allowed_updates"].to_string();
    assert!(allowed.contains("inline_query"), "{allowed}");

    let update = json!({ "update_id": 5, "inline_query": {
        "id": "hook-1", "from": { "id": 99, "is_bot": false, "first_name": "Ana" }, "query": "pezeshkian", "offset": ""
    }});
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/hooks/tg"))
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let answer = inline_answer(&fake, "hook-1").await;
    let texts = messages(&answer);
    assert!(texts.iter().any(|t| html::visible_text(t).contains(QUOTE)), "{answer}");
    bot.stop().await;
}

/// A time window reaches Telegram both ways: in a command's reply and in an inline result,
/// each saying the window and the undated articles left out (the seed corpus has two).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_windows_are_shown_in_commands_and_inline_results() {
    let fake = FakeTelegram::start().await;
    let bot = polling(&fake, gate(Limits::default())).await;
    let line = "Only articles dated 2025-04-01 or later; 2 articles without a date left out.";

    let asked = fake.push_message(private_chat(61), 61, "/brief zangezur since:2025-04-01");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await, "an answer arrives");
    let reply = html::visible_text(fake.replies_to(asked)[0]["text"].as_str().unwrap());
    assert!(reply.contains(line), "{reply}");

    let id = fake.push_inline_query(61, "pezeshkian since:2025-04-01");
    let answer = inline_answer(&fake, &id).await;
    let texts = messages(&answer);
    assert!(!texts.is_empty());
    for text in &texts {
        assert!(html::visible_text(text).contains(line), "{text}");
    }
    bot.stop().await;
}
