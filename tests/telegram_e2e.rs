//! End to end: the Telegram adapter against a fake Bot API server on 127.0.0.1.
//!
//! Real HTTP both ways (teloxide and our sender to the fake; the test to the webhook
//! listener), no network beyond loopback. Every test is bounded by timeouts and finishes in
//! a few seconds; outgoing messages to one chat are throttled to one a second, as on
//! Telegram, which is what the longest tests spend their time on.

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
use briefbot::command::{COMMANDS, DIGEST_COMMANDS};
use briefbot::config::TelegramConfig;
use briefbot::core::answer::AnswerItem;
use briefbot::dispatch::{Answerer, respond};
use briefbot::render::{plain, telegram as render};
use chrono::Utc;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use answerer::{long_answerer, panicking_answerer, seed_answerer, slow_answerer};
use fake::{BOT_USERNAME, FakeTelegram, Reply, TOKEN, TOKEN_SECRET, group_chat, private_chat};

const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// Harness

fn init_logs() {
    logs::init("debug,hyper=info,hyper_util=info,reqwest=info,h2=info", "TELEGRAM_E2E_LOG");
}

use logs::logs;

fn assert_no_token_in_logs() {
    let logs = logs();
    assert!(!logs.contains(TOKEN_SECRET), "the bot token leaked into the log");
}

fn config(api_url: &str) -> TelegramConfig {
    TelegramConfig { api_url: api_url.to_string(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None }
}

struct RunningBot {
    shutdown: watch::Sender<bool>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl RunningBot {
    fn start(config: TelegramConfig, answerer: Arc<dyn Answerer>) -> RunningBot {
        init_logs();
        let (shutdown, rx) = watch::channel(false);
        let handle = tokio::spawn(async move { telegram::run(answerer, &config, TOKEN.to_string(), rx).await });
        RunningBot { shutdown, handle }
    }

    /// Like `start`, through `gate` (whose metrics the test reads).
    fn start_with_gate(config: TelegramConfig, gate: Arc<briefbot::gate::Gate>) -> RunningBot {
        init_logs();
        let (shutdown, rx) = watch::channel(false);
        let handle = tokio::spawn(async move { telegram::run_with_gate(gate, &config, TOKEN.to_string(), rx).await });
        RunningBot { shutdown, handle }
    }

    /// Ask for shutdown and wait for `run` to return.
    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.finish().await
    }

    /// Wait for `run` to return on its own.
    async fn finish(self) -> anyhow::Result<()> {
        tokio::time::timeout(WAIT, self.handle).await.expect("run returns in time").expect("run does not panic")
    }
}

async fn start_polling(fake: &FakeTelegram, answerer: Arc<dyn Answerer>) -> RunningBot {
    let bot = RunningBot::start(config(&fake.url), answerer);
    assert!(fake.wait_until(WAIT, |f| !f.calls("getUpdates").is_empty()).await, "the bot starts polling");
    bot
}

/// The answer the bot should have computed for `text` (answers do not depend on the time
/// beyond the "as of" date).
fn expected(answerer: &dyn Answerer, text: &str) -> briefbot::core::answer::Answer {
    respond(answerer, text, Some(BOT_USERNAME), Utc::now()).expect("an answer")
}

/// The visible wording of an item without its speaker suffix (the speaker is checked
/// separately, in bold).
fn item_words(item: &AnswerItem) -> String {
    plain::item_text(&AnswerItem { speaker: None, ..item.clone() })
}

fn text_of(body: &Value) -> &str {
    body["text"].as_str().expect("sendMessage has text")
}

/// Checks every message we send must pass.
fn assert_valid_message(body: &Value) {
    assert_eq!(body["parse_mode"], "HTML", "{body}");
    let text = text_of(body);
    assert!(!text.trim().is_empty());
    assert!(html::utf16_len(text) <= 4096, "message of {} UTF-16 units", html::utf16_len(text));
    if let Err(e) = html::check(text) {
        panic!("invalid Telegram HTML ({e}):\n{text}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------
// 1. A quote, answered in HTML as a reply in the right chat.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_is_answered_in_html_as_a_reply() {
    let fake = FakeTelegram::start().await;
    let seed = seed_answerer();
    let bot = start_polling(&fake, seed.clone()).await;

    let chat = 4242;
    let asked = fake.push_message(private_chat(chat), chat, "/quote pezeshkian");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await, "an answer arrives");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let replies = fake.replies_to(asked);
    let expected = expected(seed.as_ref(), "/quote pezeshkian");
    assert_eq!(replies.len(), render::render_parts(&expected).len());
    assert_eq!(fake.delivered().len(), replies.len(), "nothing else was sent");

    for body in &replies {
        assert_valid_message(body);
        assert_eq!(body["chat_id"], json!(chat));
        assert_eq!(fake::reply_target(body), Some(asked));
    }
    let text: String = replies.iter().map(text_of).collect::<Vec<_>>().join("\n");
    assert!(text.starts_with("<b>Quotes: pezeshkian</b>"), "{text}");
    let visible = html::visible_text(&text);
    assert!(visible.contains("Our relationship with Azerbaijan is rooted in historical"), "{visible}");
    // The citation: the article the quote comes from.
    assert!(visible.contains("Iran’s President Pezeshkian Visits Azerbaijan Amid Efforts to Revive Ties"), "{visible}");
    // The speaker, in bold.
    assert!(text.contains("Pezeshkian</b>"), "{text}");
    assert!(visible.contains("as of "), "{visible}");
    // Every item, verbatim as a reader sees it, and every source with a link where it has a URL.
    for item in &expected.items {
        assert!(visible.contains(&item_words(item)), "missing {:?}", item.text);
        for source in &item.sources {
            assert!(visible.contains(source.title.trim()), "missing source {:?}", source.title);
            if let Some(url) = source.url.as_deref().filter(|u| u.starts_with("http")) {
                assert!(text.contains(&format!("<a href=\"{}\">", render::escape_attr(url))), "no link to {url}");
            }
        }
    }

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 2. The command menu.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_with_descriptions() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, seed_answerer()).await;

    let calls = fake.calls("setMyCommands");
    assert_eq!(calls.len(), 1);
    let commands = calls[0].body["commands"].as_array().expect("a commands array").clone();
    assert_eq!(commands.len(), COMMANDS.len());
    for spec in COMMANDS {
        let entry = commands.iter().find(|c| c["command"] == spec.name).unwrap_or_else(|| panic!("/{} not registered", spec.name));
        let description = entry["description"].as_str().unwrap_or_default();
        assert!(!description.trim().is_empty() && description.chars().count() <= 256, "/{}: {description:?}", spec.name);
        assert_eq!(description, spec.description);
    }
    for spec in DIGEST_COMMANDS {
        assert!(!commands.iter().any(|c| c["command"] == spec.name), "/{} must not be registered yet", spec.name);
    }
    // getMe first (our username), then the menu, then polling.
    let order: Vec<String> = fake.all_calls().into_iter().map(|c| c.method).collect();
    let pos = |m: &str| order.iter().position(|x| x == m).unwrap_or(usize::MAX);
    assert!(pos("getme") < pos("setmycommands") && pos("setmycommands") < pos("getupdates"), "{order:?}");

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 3. Splitting.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_answers_arrive_as_several_valid_messages_in_order() {
    let fake = FakeTelegram::start().await;
    let long = long_answerer(seed_answerer());
    let bot = start_polling(&fake, long.clone()).await;

    let expected = expected(long.as_ref(), "/brief zangezur");
    let count = render::render_parts(&expected).len();
    assert!(count >= 3, "the test answer should need several messages, not {count}");

    let chat = 77;
    let asked = fake.push_message(private_chat(chat), chat, "/brief zangezur");
    assert!(fake.wait_until(WAIT, |f| f.replies_to(asked).len() >= count).await, "all {count} parts arrive");
    let replies = fake.replies_to(asked);
    assert_eq!(replies.len(), count);

    let mut numbers = Vec::new();
    for body in &replies {
        assert_valid_message(body);
        assert_eq!(body["chat_id"], json!(chat));
        let visible = html::visible_text(text_of(body));
        // The numbers the long answerer put in front of each item, in reading order.
        for piece in visible.split('[').skip(1) {
            if let Some(n) = piece.split(']').next().and_then(|n| n.parse::<usize>().ok()) {
                numbers.push(n);
            }
        }
    }
    let total = expected.items.len();
    assert_eq!(numbers, (0..total).collect::<Vec<_>>(), "every item once, in order");
    assert!(text_of(&replies[0]).starts_with("<b>Brief: zangezur</b>"));
    // The last item alone is longer than a message: it was split across messages, its
    // sources at the end of the last one.
    let last_item = &expected.items[total - 1];
    assert!(html::utf16_len(&last_item.text) > 4096);
    let last = html::visible_text(text_of(replies.last().unwrap()));
    assert!(!last.contains(&format!("[{}]", total - 1)), "the giant item started in an earlier message");
    assert!(last.contains(last_item.sources[0].title.trim()));

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 4. 429: wait retry_after, then exactly one more send.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_control_is_waited_out_and_delivered_once() {
    let fake = FakeTelegram::start().await;
    let gate = Arc::new(briefbot::gate::Gate::new(seed_answerer(), Default::default(), Default::default()));
    let bot = RunningBot::start_with_gate(config(&fake.url), gate.clone());
    assert!(fake.wait_until(WAIT, |f| !f.calls("getUpdates").is_empty()).await, "the bot starts polling");

    fake.script_send(Reply::TooManyRequests(1));
    let asked = fake.push_message(private_chat(9), 9, "/search gas transit");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await, "delivered after the wait");
    // Give a duplicate every chance to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let calls = fake.calls("sendMessage");
    let statuses: Vec<u16> = calls.iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![429, 200], "one refusal, then exactly one delivery");
    let waited = calls[1].at.duration_since(calls[0].at);
    assert!(waited >= Duration::from_millis(950), "retried after {waited:?}, before retry_after");
    assert_eq!(calls[0].body, calls[1].body, "the same message was sent again");
    assert_valid_message(&calls[1].body);
    // What /metrics shows in serve mode: one 429, one message delivered, no failure.
    let m = gate.metrics();
    assert_eq!((m.rate_limited_count(), m.messages_sent(), m.send_errors()), (1, 1, 0));

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 5. 500: retried with backoff, then delivered.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, seed_answerer()).await;

    fake.script_send(Reply::ServerError);
    let asked = fake.push_message(private_chat(10), 10, "/sources");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await, "delivered after a retry");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let calls = fake.calls("sendMessage");
    let statuses: Vec<u16> = calls.iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![500, 200]);
    assert!(calls[1].at.duration_since(calls[0].at) >= Duration::from_millis(250), "backed off before retrying");
    assert_valid_message(&calls[1].body);

    // Two failures in a row are still within the bound of three tries.
    fake.script_send(Reply::ServerError);
    fake.script_send(Reply::ServerError);
    let again = fake.push_message(private_chat(11), 11, "/help");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(again).is_empty()).await);
    assert_eq!(fake.calls("sendMessage").len(), 5);

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_server_errors_give_up_after_three_tries() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, seed_answerer()).await;

    for _ in 0..3 {
        fake.script_send(Reply::ServerError);
    }
    let asked = fake.push_message(private_chat(12), 12, "/help");
    // Three failed tries of the answer, then the apology gets through.
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await);
    let statuses: Vec<u16> = fake.calls("sendMessage").iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![500, 500, 500, 200]);
    let apology = html::visible_text(text_of(&fake.replies_to(asked)[0]));
    assert_eq!(apology, telegram::FAILURE_MESSAGE);

    bot.stop().await.expect("clean shutdown");
}

// ---------------------------------------------------------------------------------------
// 6. Groups: commands for other bots, and plain talk, get nothing.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_messages_for_other_bots_are_ignored() {
    let fake = FakeTelegram::start().await;
    let seed = seed_answerer();
    let bot = start_polling(&fake, seed.clone()).await;

    let group = -1_001_234;
    let other = fake.push_message(group_chat(group), 1, "/brief@OtherBot x");
    let chatter = fake.push_message(group_chat(group), 2, "good morning everyone");
    let generic = fake.push_message(group_chat(group), 3, "/start");
    let mine = fake.push_message(group_chat(group), 4, &format!("/brief@{BOT_USERNAME} zangezur"));
    // Updates are handled in order, so once the last one is answered the others were seen.
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(mine).is_empty()).await, "the command for us is answered");
    tokio::time::sleep(Duration::from_millis(300)).await;

    for ignored in [other, chatter, generic] {
        assert!(fake.replies_to(ignored).is_empty(), "message {ignored} should get no answer");
    }
    let replies = fake.replies_to(mine);
    assert_eq!(fake.delivered().len(), replies.len(), "no other message was sent");
    let expected = expected(seed.as_ref(), &format!("/brief@{BOT_USERNAME} zangezur"));
    let text: String = replies.iter().map(text_of).collect::<Vec<_>>().join("\n");
    for body in &replies {
        assert_valid_message(body);
        assert_eq!(body["chat_id"], json!(group));
    }
    assert!(text.starts_with("<b>Brief: zangezur</b>"), "{text}");
    let visible = html::visible_text(&text);
    for item in &expected.items {
        assert!(visible.contains(&item_words(item)), "missing {:?}", item.text);
        assert!(!item.sources.is_empty(), "every bullet is cited");
        // Corpus text with markup characters arrives escaped.
        if item.text.contains('<') {
            assert!(text.contains(&render::escape(&item.text)));
        }
    }

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 7. A 20,000-character message gets usage, and the bot carries on.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_messages_get_usage() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, seed_answerer()).await;

    let chat = 31;
    let long_command = format!("/brief {}", "zangezur ".repeat(2_222)).chars().take(20_000).collect::<String>();
    let long_text = "Tell me everything about the corridor please. ".repeat(500).chars().take(20_000).collect::<String>();
    assert_eq!(long_command.chars().count(), 20_000);
    let a = fake.push_message(private_chat(chat), chat, &long_command);
    let b = fake.push_message(private_chat(chat), chat, &long_text);
    let c = fake.push_message(private_chat(chat), chat, "/help");
    assert!(fake.wait_until(WAIT, |f| [a, b, c].iter().all(|m| !f.replies_to(*m).is_empty())).await, "all three answered");

    for body in fake.delivered() {
        assert_valid_message(&body);
    }
    let first = html::visible_text(text_of(&fake.replies_to(a)[0]));
    assert!(first.contains("too long for /brief"), "{first}");
    assert!(first.contains("/brief <topic>"), "usage lists the commands: {first}");
    let second = html::visible_text(text_of(&fake.replies_to(b)[0]));
    assert!(second.contains("Commands start with a slash"), "{second}");
    assert!(!first.contains(telegram::FAILURE_MESSAGE) && !second.contains(telegram::FAILURE_MESSAGE));

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// 8. Webhook mode: the secret is required on every request.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_requires_the_secret() {
    let fake = FakeTelegram::start().await;
    let secret = "s3cret_Webhook-token";
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("webhook_secret");
    std::fs::write(&secret_file, format!("{secret}\n")).unwrap();
    let port = free_port();
    let public = "https://bot.example.test/hooks/telegram";
    let config = TelegramConfig {
        webhook_url: public.to_string(),
        webhook_bind: format!("127.0.0.1:{port}"),
        webhook_secret_file: Some(secret_file),
        ..config(&fake.url)
    };
    let bot = RunningBot::start(config, seed_answerer());
    assert!(fake.wait_until(WAIT, |f| f.webhook_url() == public).await, "setWebhook is called");
    let set = &fake.calls("setWebhook")[0].body;
    assert_eq!(set["secret_token"], secret, "Telegram is given the secret");

    let endpoint = format!("http://127.0.0.1:{port}/hooks/telegram");
    let client = reqwest::Client::new();
    let update = |id: i64, message_id: i64, text: &str| json!({ "update_id": id, "message": fake::message_json(message_id, private_chat(55), 55, text) });
    let post = |body: Value, secret: Option<&str>| {
        let mut request = client.post(&endpoint).json(&body);
        if let Some(s) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        request.send()
    };

    let wrong = post(update(1, 900, "/quote pezeshkian"), Some("not-the-secret")).await.unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let missing = post(update(2, 901, "/quote pezeshkian"), None).await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    let garbage = client.post(&endpoint).header("X-Telegram-Bot-Api-Secret-Token", secret).body("{not json").send().await.unwrap();
    assert_eq!(garbage.status().as_u16(), 200, "malformed updates are acknowledged and skipped");
    let right = post(update(3, 902, "/quote pezeshkian"), Some(secret)).await.unwrap();
    assert_eq!(right.status().as_u16(), 200);

    assert!(fake.wait_until(WAIT, |f| !f.replies_to(902).is_empty()).await, "the authorised update is answered");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(fake.replies_to(900).is_empty() && fake.replies_to(901).is_empty(), "rejected updates are not answered");
    let reply = &fake.replies_to(902)[0];
    assert_valid_message(reply);
    assert!(html::visible_text(text_of(reply)).contains("Our relationship with Azerbaijan is rooted in historical"));
    assert!(fake.calls("getUpdates").is_empty(), "no polling in webhook mode");

    bot.stop().await.expect("clean shutdown");
    assert_no_token_in_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_without_a_secret_is_a_startup_error() {
    let fake = FakeTelegram::start().await;
    if std::env::var_os(telegram::WEBHOOK_SECRET_ENV).is_some() {
        return; // the environment provides one; nothing to test here
    }
    let config =
        TelegramConfig { webhook_url: "https://bot.example.test/hook".into(), webhook_bind: format!("127.0.0.1:{}", free_port()), ..config(&fake.url) };
    let err = RunningBot::start(config, seed_answerer()).finish().await.expect_err("refuses to start");
    assert!(err.to_string().contains("secret"), "{err}");
    assert!(fake.all_calls().is_empty(), "checked before calling Telegram");
}

// ---------------------------------------------------------------------------------------
// Two instances on one token: 409 stops the adapter with a clear error, no crash loop.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflict_stops_the_adapter_with_a_clear_error() {
    let fake = FakeTelegram::start().await;
    fake.set_conflict(true);
    // `finish` bounds the wait; one getUpdates call proves there is no retry loop (a
    // wall-clock bound here only measured how loaded the machine was).
    let err = RunningBot::start(config(&fake.url), seed_answerer()).finish().await.expect_err("stops with an error");
    assert!(err.to_string().contains("another instance is polling with this token"), "{err}");
    assert_eq!(fake.calls("getUpdates").len(), 1, "no retry loop");
    assert!(!format!("{err:#}").contains(TOKEN_SECRET));
    assert_no_token_in_logs();
}

// ---------------------------------------------------------------------------------------
// Failures: an unreachable API, a failing answerer, malformed updates, shutdown.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_api_fails_without_leaking_the_token() {
    let port = free_port(); // nothing listens there any more
    let err = RunningBot::start(config(&format!("http://127.0.0.1:{port}")), seed_answerer()).finish().await.expect_err("cannot start");
    let text = format!("{err:#} {err:?}");
    assert!(text.contains("getMe"), "{text}");
    assert!(!text.contains(TOKEN_SECRET), "token in error: {text}");
    assert_no_token_in_logs();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_answer_gets_a_friendly_message() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, panicking_answerer()).await;
    let asked = fake.push_message(private_chat(60), 60, "/brief zangezur");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await);
    let reply = &fake.replies_to(asked)[0];
    assert_valid_message(reply);
    assert_eq!(html::visible_text(text_of(reply)), telegram::FAILURE_MESSAGE);
    // The bot is still there.
    let again = fake.push_message(private_chat(60), 60, "/help");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(again).is_empty()).await);
    bot.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_updates_are_skipped() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, seed_answerer()).await;
    // A message teloxide cannot read, an update without an id (the batch no longer parses
    // as a whole), an update of a kind we do not handle, then a good message.
    fake.push_update(json!({ "message": { "bogus": true } }));
    fake.push_raw_update(json!({ "message": { "text": "no update_id" } }));
    fake.push_update(json!({ "poll_answer": { "weird": [] } }));
    let good = fake.push_message(private_chat(70), 70, "/help");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(good).is_empty()).await, "the good message is answered");
    assert_eq!(fake.delivered().len(), 1);
    bot.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_answers_in_flight() {
    let fake = FakeTelegram::start().await;
    let bot = start_polling(&fake, slow_answerer(seed_answerer(), Duration::from_millis(800))).await;
    let asked = fake.push_message(private_chat(80), 80, "/quote pezeshkian");
    // Once getUpdates moved past the update, the bot is working on it.
    let past = |f: &FakeTelegram| f.calls("getUpdates").iter().any(|c| c.body["offset"].as_i64().unwrap_or(0) > 0);
    assert!(fake.wait_until(WAIT, past).await);
    assert!(fake.replies_to(asked).is_empty(), "still answering");
    bot.stop().await.expect("clean shutdown");
    assert_eq!(fake.replies_to(asked).len(), 1, "the answer in flight was delivered before run returned");
    let polls_after = fake.calls("getUpdates").len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.calls("getUpdates").len(), polls_after, "no polling after shutdown");
}
