//! The Discord adapter end to end: serenity's real client against a fake Discord (REST and
//! gateway WebSocket) on 127.0.0.1. No network. Each test is bounded to a few seconds.
//!
//! `DISCORD_E2E_ENGINE=1` runs the tests over the real engine instead of the seed answerer
//! (see `support_discord/answerer.rs`); `DISCORD_E2E_LOG=FILE` keeps the TRACE log of
//! `tokens_are_never_logged`.

#![cfg(feature = "discord")]

#[path = "support_discord/answerer.rs"]
mod answerer;
#[path = "support_discord/fake.rs"]
mod fake;

use std::io::Write;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefbot::adapters::discord;
use briefbot::command::{COMMANDS, Command};
use briefbot::config::DiscordConfig;
use briefbot::core::answer::{Answer, AnswerItem, ItemKind};
use briefbot::dispatch::Answerer;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use answerer::{mention_answerer, seed_answerer};
use fake::{APP_ID, BOT_ID, FakeDiscord, SentInteraction, TOKEN, USER_ID};

const STEP: Duration = Duration::from_secs(5);
const TEST_LIMIT: Duration = Duration::from_secs(25);

// ---------------------------------------------------------------------------------------
// Answerer wrappers: they work over the seed answerer and over the real engine alike.

/// Answers after a delay: the answer the inner answerer gives, only slower.
struct Slow<A>(A, Duration);

impl<A> Answerer for Slow<A>
where
    A: Deref + Send + Sync,
    A::Target: Answerer,
{
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        std::thread::sleep(self.1);
        self.0.answer(command, now)
    }
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.0.suggest(prefix, limit)
    }
}

/// A very long answer: the inner answer's items repeated, plus one huge item.
struct Amplify<A>(A, usize);

impl<A> Answerer for Amplify<A>
where
    A: Deref + Send + Sync,
    A::Target: Answerer,
{
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        let mut answer = self.0.answer(command, now);
        let items = std::mem::take(&mut answer.items);
        for n in 0..self.1 {
            for item in &items {
                let mut item = item.clone();
                item.text = format!("({n}) {}", item.text);
                answer.items.push(item);
            }
        }
        let mut huge =
            AnswerItem::new(format!("A run-on sentence *with* [markdown] and `code`: {}", "gas transit via Azerbaijan to Astara, ".repeat(150)), ItemKind::Hit);
        huge.sources = items.first().map(|i| i.sources.clone()).unwrap_or_default();
        answer.items.insert(0, huge);
        answer
    }
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.0.suggest(prefix, limit)
    }
}

/// Panics on the topic "boom" (after the delay, if any): a failing command.
struct Failing<A>(A, Duration);

impl<A> Answerer for Failing<A>
where
    A: Deref + Send + Sync,
    A::Target: Answerer,
{
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        if command.argument() == "boom" {
            std::thread::sleep(self.1);
            panic!("simulated failure inside the answerer");
        }
        self.0.answer(command, now)
    }
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.0.suggest(prefix, limit)
    }
}

// ---------------------------------------------------------------------------------------
// Harness.

struct Running {
    fake: FakeDiscord,
    stop: watch::Sender<bool>,
    task: JoinHandle<anyhow::Result<()>>,
}

fn config(fake: &FakeDiscord, prefix_commands: bool, guild_ids: Vec<u64>) -> DiscordConfig {
    DiscordConfig { api_url: fake.base_url.clone(), token_file: None, guild_ids, prefix_commands }
}

async fn start_with(answerer: Arc<dyn Answerer>, prefix_commands: bool, guild_ids: Vec<u64>) -> Running {
    let fake = FakeDiscord::start().await;
    let config = config(&fake, prefix_commands, guild_ids);
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(async move { discord::run(answerer, &config, TOKEN.to_string(), rx).await });
    fake.wait_live(STEP).await;
    Running { fake, stop, task }
}

/// The adapter behind a gate whose only bot admin is the fake's user.
async fn start_with_admin(answerer: Arc<dyn Answerer>) -> Running {
    let fake = FakeDiscord::start().await;
    let config = config(&fake, false, Vec::new());
    let access = briefbot::gate::Access { admins: vec![format!("discord:{USER_ID}")], ..Default::default() };
    let gate = Arc::new(briefbot::gate::Gate::new(answerer, briefbot::gate::Limits::default(), access));
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(async move { discord::run_with_gate(gate, &config, TOKEN.to_string(), rx).await });
    fake.wait_live(STEP).await;
    Running { fake, stop, task }
}

async fn start(answerer: Arc<dyn Answerer>) -> Running {
    start_with(answerer, false, Vec::new()).await
}

impl Running {
    /// Flip the shutdown switch: `run` must close the gateway and return `Ok` promptly.
    async fn shutdown(self) {
        self.stop.send(true).unwrap();
        let result = tokio::time::timeout(STEP, self.task).await.expect("run() returns after shutdown").expect("run() task");
        result.expect("run() ends cleanly");
    }
}

async fn bounded(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(TEST_LIMIT, test).await.expect("test took too long");
}

fn opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// Everything a user would read in these messages.
fn text_of(messages: &[Value]) -> String {
    let mut out = String::new();
    for m in messages {
        out.push_str(m["content"].as_str().unwrap_or(""));
        out.push('\n');
        for e in m["embeds"].as_array().into_iter().flatten() {
            for part in [&e["title"], &e["description"], &e["footer"]["text"]] {
                out.push_str(part.as_str().unwrap_or(""));
                out.push('\n');
            }
        }
    }
    out
}

/// Wait until the messages sent for this interaction satisfy `done`.
async fn wait_messages(fake: &FakeDiscord, sent: &SentInteraction, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + STEP;
    loop {
        let messages = fake.messages_for(sent);
        if done(&messages) {
            return messages;
        }
        if Instant::now() > deadline {
            let seen: Vec<String> = fake.requests().iter().map(|r| format!("{} {} -> {}", r.method, r.path, r.status)).collect();
            panic!("timed out waiting for {what}; messages: {messages:#?}; requests: {seen:#?}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Discord's limits, and nobody pinged.
fn assert_safe(m: &Value) {
    fake::check_message_limits(m).unwrap_or_else(|e| panic!("over Discord's limits: {e}\n{m:#}"));
    assert_eq!(m["allowed_mentions"]["parse"], json!([]), "allowed_mentions must parse nothing: {m:#}");
    for key in ["users", "roles"] {
        assert!(m["allowed_mentions"][key].as_array().is_none_or(Vec::is_empty), "{m:#}");
    }
}

fn is_ephemeral(m: &Value) -> bool {
    m["flags"].as_u64().unwrap_or(0) & 64 != 0
}

// ---------------------------------------------------------------------------------------
// Tests.

/// 1. `/quote person:pezeshkian`: the quote with its speaker and citation, within limits,
/// pinging nobody, answered directly (type 4).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_command_is_answered_with_cited_quote() {
    bounded(async {
        let bot = start(seed_answerer()).await;
        let sent = bot.fake.command("quote", json!([opt("person", "pezeshkian")])).await;
        let quote = "Our relationship with Azerbaijan is rooted in historical, cultural, and social connections";
        let messages = wait_messages(&bot.fake, &sent, "the quote", |m| text_of(m).contains(quote)).await;

        let callbacks = bot.fake.callbacks_for(&sent);
        assert_eq!(callbacks.len(), 1);
        assert_eq!(callbacks[0].body["type"], 4, "a quick answer is sent directly");
        let text = text_of(&messages);
        assert!(text.contains("Masoud Pezeshkian"), "{text}");
        assert!(text.contains("Iran’s President Pezeshkian Visits Azerbaijan Amid Efforts to Revive Ties"), "the citation: {text}");
        assert!(text.contains("Quotes: pezeshkian"), "{text}");
        for m in &messages {
            assert_safe(m);
            assert!(!is_ephemeral(m));
        }
        bot.shutdown().await;
    })
    .await;
}

/// 2. Slash commands are registered at start-up, globally, with all six names, descriptions
/// from COMMANDS and autocompleting options, and /status for server managers only; no
/// privileged intents are requested.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_at_start_up() {
    bounded(async {
        let bot = start(seed_answerer()).await;
        let path = format!("/applications/{APP_ID}/commands");
        let put = bot.fake.wait_for("command registration", STEP, |r| r.iter().find(|r| r.method == "PUT" && r.path == path).cloned()).await;
        assert_eq!(put.status, 200);
        let commands = put.body.as_array().expect("an array of commands");
        let names: Vec<&str> = commands.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["brief", "quote", "background", "differ", "search", "sources", "help", "status"]);
        for (c, spec) in commands.iter().zip(COMMANDS) {
            assert_eq!(c["description"], spec.description);
            assert!(c["default_member_permissions"].is_null(), "everyone sees /{}", spec.name);
        }
        // /status: only members with Manage Server (1 << 5) see it in the command list.
        assert_eq!(commands[7]["default_member_permissions"], "32", "{}", commands[7]);
        let quote = &commands[1]["options"];
        assert_eq!((quote[0]["name"].as_str(), quote[0]["required"].as_bool(), quote[0]["autocomplete"].as_bool()), (Some("person"), Some(true), Some(true)));
        assert_eq!((quote[1]["name"].as_str(), quote[1]["required"].as_bool(), quote[1]["autocomplete"].as_bool()), (Some("topic"), Some(false), Some(true)));
        assert!(commands[5]["options"].as_array().is_none_or(Vec::is_empty), "/sources takes no options");
        let differ = &commands[3]["options"];
        assert_eq!((differ[0]["name"].as_str(), differ[0]["required"].as_bool()), (Some("topic"), Some(true)), "/differ takes a topic like /brief");

        let identify = &bot.fake.received_ops(2)[0];
        assert_eq!(identify["d"]["intents"], 0, "slash commands need no intents");
        bot.shutdown().await;
    })
    .await;
}

/// 2b. With guild ids, commands go to each guild (instant) and not globally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_in_configured_guilds() {
    bounded(async {
        let bot = start_with(seed_answerer(), false, vec![111, 222]).await;
        for guild in [111, 222] {
            let path = format!("/applications/{APP_ID}/guilds/{guild}/commands");
            let put = bot.fake.wait_for("guild registration", STEP, |r| r.iter().find(|r| r.method == "PUT" && r.path == path).cloned()).await;
            assert_eq!(put.body.as_array().unwrap().len(), 8, "seven commands and /status");
        }
        assert!(!bot.fake.requests().iter().any(|r| r.path == format!("/applications/{APP_ID}/commands")));
        bot.shutdown().await;
    })
    .await;
}

/// 3. Autocomplete: at once (type 8), at most 25 choices, names within 100 characters, the
/// relevant name first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_relevant_names() {
    bounded(async {
        let bot = start(seed_answerer()).await;
        let sent = bot.fake.autocomplete("quote", "person", "pez").await;
        let cb = bot.fake.wait_for("autocomplete", STEP, |r| r.iter().find(|r| r.path.contains(&sent.token)).cloned()).await;
        assert_eq!(cb.status, 204, "answered within Discord's 3 s");
        assert_eq!(cb.body["type"], 8);
        let choices = cb.body["data"]["choices"].as_array().unwrap();
        assert!(!choices.is_empty() && choices.len() <= 25);
        assert_eq!(choices[0]["name"], "Masoud Pezeshkian");
        assert_eq!(choices[0]["value"], "Masoud Pezeshkian");

        // An empty prefix offers many names: still at most 25.
        let sent = bot.fake.autocomplete("brief", "topic", "").await;
        let cb = bot.fake.wait_for("autocomplete", STEP, |r| r.iter().find(|r| r.path.contains(&sent.token)).cloned()).await;
        let choices = cb.body["data"]["choices"].as_array().unwrap();
        assert!(choices.len() <= 25, "{}", choices.len());
        assert_eq!(choices.len(), 25, "the seed corpus names more than 25 entities: the cap must bite");
        for c in choices {
            let name = c["name"].as_str().unwrap();
            assert!(!name.is_empty() && name.chars().count() <= 100);
            assert!(c["value"].as_str().unwrap().chars().count() <= 100);
        }
        bot.shutdown().await;
    })
    .await;
}

/// 4. A slow answer is deferred (type 5) within Discord's 3 s, then the original response is
/// edited with the answer; the interaction is acknowledged exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answer_is_deferred_then_edited() {
    bounded(async {
        let bot = start(Arc::new(Slow(seed_answerer(), Duration::from_millis(2500)))).await;
        let sent = bot.fake.command("brief", json!([opt("topic", "zangezur")])).await;
        let messages = wait_messages(&bot.fake, &sent, "the edited answer", |m| text_of(m).contains("Brief: zangezur")).await;

        let requests = bot.fake.requests();
        let callbacks: Vec<_> = requests.iter().filter(|r| r.path.contains(&sent.token) && r.path.ends_with("/callback")).collect();
        assert_eq!(callbacks.len(), 1, "exactly one callback: {callbacks:#?}");
        assert_eq!(callbacks[0].body["type"], 5);
        assert_eq!(callbacks[0].status, 204, "deferred within 3 s");
        let edit = requests
            .iter()
            .find(|r| r.method == "PATCH" && r.path == format!("/webhooks/{APP_ID}/{}/messages/@original", sent.token))
            .expect("the original response is edited");
        assert_eq!(edit.status, 200);
        assert!(edit.at >= callbacks[0].at);
        for m in &messages {
            assert_safe(m);
        }
        bot.shutdown().await;
    })
    .await;
}

/// 5. A very long answer is split into several messages (the first in the callback, the rest
/// as follow-ups), every one within every limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_answer_stays_within_limits() {
    bounded(async {
        let long = Arc::new(Amplify(seed_answerer(), 60));
        let command = Command::search("gas");
        let expected = briefbot::render::discord::embed_messages(&long.answer(&command, Utc::now())).len();
        assert!(expected > 1, "the answer must need several messages");

        let bot = start(long).await;
        let sent = bot.fake.command("search", json!([opt("words", "gas")])).await;
        let messages = wait_messages(&bot.fake, &sent, "all parts", |m| m.len() >= expected).await;
        assert_eq!(messages.len(), expected);
        assert!(bot.fake.requests().iter().filter(|r| r.path.contains(&sent.token)).all(|r| r.status < 300), "Discord accepted every part");
        let followups = bot.fake.requests().into_iter().filter(|r| r.method == "POST" && r.path == format!("/webhooks/{APP_ID}/{}", sent.token)).count();
        assert_eq!(followups, expected - 1);
        for m in &messages {
            assert_safe(m);
        }
        let text = text_of(&messages);
        assert!(text.contains("A run-on sentence \\*with\\* \\[markdown\\] and \\`code\\`"), "escaped");
        assert!(text.contains("not shown"), "a cut answer says so");
        bot.shutdown().await;
    })
    .await;
}

/// 6. Corpus text with `@everyone`, `@here` and a role mention pings nobody: defused in the
/// text and `allowed_mentions` empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_mentions_ping_nobody() {
    bounded(async {
        let bot = start(mention_answerer()).await;
        let sent = bot.fake.command("search", json!([opt("words", "council")])).await;
        let messages = wait_messages(&bot.fake, &sent, "the council sentence", |m| text_of(m).contains("must attend the vote")).await;
        let text = text_of(&messages);
        assert!(!text.contains("@everyone") && !text.contains("@here"), "{text}");
        assert!(text.contains("@\u{200B}everyone must attend the vote"), "the sentence still reads the same: {text}");
        assert!(!text.replace("\\<@", "").contains("<@"), "role mention escaped: {text}");
        for m in &messages {
            assert_safe(m);
        }
        bot.shutdown().await;
    })
    .await;
}

/// 7. The gateway connection is closed (close frame 4000), replaced (op 7 RECONNECT) and
/// dropped (bare TCP close): each time the client resumes the session (op 6, no new
/// IDENTIFY) and later interactions are still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_disconnects_are_resumed() {
    bounded(async {
        let bot = start(seed_answerer()).await;
        let fake = &bot.fake;
        let ask = || async {
            let sent = fake.command("brief", json!([opt("topic", "zangezur")])).await;
            wait_messages(fake, &sent, "an answer", |m| text_of(m).contains("Brief: zangezur")).await;
        };
        ask().await;

        fake.close_gateway(4000).await;
        fake.wait_for_op(6, 1, STEP).await;
        ask().await;

        fake.request_reconnect().await;
        fake.wait_for_op(6, 2, STEP).await;
        ask().await;

        fake.drop_gateway().await;
        fake.wait_for_op(6, 3, STEP).await;
        ask().await;

        assert_eq!(fake.received_ops(2).len(), 1, "resumed, never re-identified");
        assert!(fake.connections() >= 4);
        let resume = &fake.received_ops(6)[0];
        assert_eq!(resume["d"]["session_id"], "session-1");
        bot.shutdown().await;
    })
    .await;
}

/// 8. A failing command answers with a short ephemeral message, directly (type 4, flag 64)
/// or, when it fails after a defer, as an ephemeral follow-up in place of the deferred one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_command_answers_ephemerally() {
    bounded(async {
        let bot = start(Arc::new(Failing(seed_answerer(), Duration::ZERO))).await;
        let sent = bot.fake.command("brief", json!([opt("topic", "boom")])).await;
        let messages = wait_messages(&bot.fake, &sent, "the failure message", |m| !m.is_empty()).await;
        assert_eq!(bot.fake.callbacks_for(&sent)[0].body["type"], 4);
        assert!(is_ephemeral(&messages[0]), "{messages:#?}");
        assert!(messages[0]["content"].as_str().unwrap().starts_with("Sorry"));
        assert_safe(&messages[0]);
        // The bot still answers afterwards.
        let sent = bot.fake.command("quote", json!([opt("person", "pezeshkian")])).await;
        wait_messages(&bot.fake, &sent, "a normal answer", |m| text_of(m).contains("Quotes: pezeshkian")).await;
        bot.shutdown().await;

        let bot = start(Arc::new(Failing(seed_answerer(), Duration::from_millis(2000)))).await;
        let sent = bot.fake.command("brief", json!([opt("topic", "boom")])).await;
        let messages = wait_messages(&bot.fake, &sent, "the failure follow-up", |m| !m.is_empty()).await;
        let requests = bot.fake.requests();
        let mine: Vec<_> = requests.iter().filter(|r| r.path.contains(&sent.token)).map(|r| (r.method.as_str(), r.status)).collect();
        assert_eq!(mine, [("POST", 204), ("DELETE", 204), ("POST", 200)], "defer, delete the placeholder, ephemeral follow-up");
        assert!(is_ephemeral(&messages[0]));
        bot.shutdown().await;
    })
    .await;
}

/// 9. A 429 on the interaction callback is waited out (`retry_after`) and retried; the
/// interaction is still acknowledged once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_honoured() {
    bounded(async {
        let fake = FakeDiscord::start().await;
        let config = config(&fake, false, Vec::new());
        let gate = Arc::new(briefbot::gate::Gate::new(seed_answerer(), Default::default(), Default::default()));
        let (stop, rx) = watch::channel(false);
        let task = {
            let gate = gate.clone();
            tokio::spawn(async move { discord::run_with_gate(gate, &config, TOKEN.to_string(), rx).await })
        };
        fake.wait_live(STEP).await;
        let bot = Running { fake, stop, task };
        bot.fake.rate_limit_next("POST", "/callback", 0.4);
        let sent = bot.fake.command("quote", json!([opt("person", "pezeshkian")])).await;
        wait_messages(&bot.fake, &sent, "the answer after the 429", |m| !m.is_empty()).await;
        let attempts: Vec<_> = bot.fake.requests().into_iter().filter(|r| r.path.contains(&sent.token)).collect();
        assert_eq!(attempts.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 204]);
        let waited = attempts[1].at - attempts[0].at;
        assert!(waited >= Duration::from_millis(400), "waited {waited:?}");
        // What /metrics shows in serve mode: the 429 and the one answer posted.
        let m = gate.metrics();
        assert_eq!((m.rate_limited_count(), m.messages_sent(), m.send_errors()), (1, 1, 0));
        bot.shutdown().await;
    })
    .await;
}

/// 10. Prefix commands (`!brief ...`) with `prefix_commands`: answered in markdown within
/// 2000 characters, as a reply that pings nobody; bots, ourselves and chatter are ignored;
/// MESSAGE_CONTENT is requested only then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefix_commands_in_messages() {
    bounded(async {
        let bot = start_with(mention_answerer(), true, Vec::new()).await;
        let identify = &bot.fake.received_ops(2)[0];
        assert_ne!(identify["d"]["intents"].as_u64().unwrap() & (1 << 15), 0, "MESSAGE_CONTENT requested");

        bot.fake.message("!brief zangezur", 555, true).await; // another bot
        bot.fake.message("!brief zangezur", BOT_ID, true).await; // ourselves
        bot.fake.message("hello there", USER_ID, false).await; // chatter
        bot.fake.message("!play some music", USER_ID, false).await; // another bot's command
        let id = bot.fake.message("!search council", USER_ID, false).await;
        let reply = bot.fake.wait_for("a reply", STEP, |r| r.iter().find(|r| r.method == "POST" && r.path.starts_with("/channels/")).cloned()).await;
        assert_eq!(reply.status, 200);
        assert_safe(&reply.body);
        let content = reply.body["content"].as_str().unwrap();
        assert!(content.contains("@\u{200B}everyone must attend") && !content.contains("@everyone"), "{content}");
        assert_eq!(reply.body["message_reference"]["message_id"], id.to_string());
        assert!(!reply.body["allowed_mentions"]["replied_user"].as_bool().unwrap_or(false), "the reply pings nobody");

        tokio::time::sleep(Duration::from_millis(300)).await;
        let replies = bot.fake.requests().into_iter().filter(|r| r.path.starts_with("/channels/")).count();
        assert_eq!(replies, 1, "only the one command was answered");
        bot.shutdown().await;
    })
    .await;
}

/// 11. A refused token fails fast with a clear error that does not contain the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_token_fails_fast() {
    bounded(async {
        let fake = FakeDiscord::start().await;
        let (_stop, rx) = watch::channel(false);
        let wrong = "wrong-token-abcdefghijklmnop";
        let err = tokio::time::timeout(STEP, discord::run(seed_answerer(), &config(&fake, false, Vec::new()), wrong.into(), rx))
            .await
            .expect("fails fast")
            .expect_err("a refused token is an error");
        let msg = format!("{err:#}");
        assert!(msg.contains("refused the bot token"), "{msg}");
        assert!(!msg.contains(wrong));
        assert_eq!(fake.connections(), 0, "no gateway connection without a valid token");
    })
    .await;
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// 12. Tokens never reach the log: the whole run, at TRACE level, including a rate limit and
/// a failure, never prints the bot token, nor (in our own log lines) interaction tokens.
#[tokio::test(flavor = "current_thread")]
async fn tokens_are_never_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_env_filter("trace").with_ansi(false).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    bounded(async {
        let bot = start(Arc::new(Failing(seed_answerer(), Duration::ZERO))).await;
        bot.fake.rate_limit_next("POST", "/callback", 0.1);
        let a = bot.fake.command("quote", json!([opt("person", "pezeshkian")])).await;
        wait_messages(&bot.fake, &a, "answer", |m| !m.is_empty()).await;
        let b = bot.fake.command("brief", json!([opt("topic", "boom")])).await;
        wait_messages(&bot.fake, &b, "failure", |m| !m.is_empty()).await;
        bot.shutdown().await;

        let log = String::from_utf8_lossy(&captured.0.lock().unwrap()).to_string();
        if let Ok(path) = std::env::var("DISCORD_E2E_LOG") {
            std::fs::write(path, &log).unwrap();
        }
        assert!(log.contains("discord: rate limited"), "the log was captured");
        assert!(!log.contains(TOKEN), "bot token in the log");
        for line in log.lines().filter(|l| l.contains("briefbot")) {
            assert!(!line.contains(&a.token) && !line.contains(&b.token), "interaction token in: {line}");
        }
    })
    .await;
}

/// `/status` is answered to the bot's admin only, and only the asker sees it (flags 64);
/// anybody else is told it is for admins, ephemerally too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_is_answered_ephemerally() {
    bounded(async {
        let bot = start_with_admin(seed_answerer()).await;
        let sent = bot.fake.command("status", json!([])).await;
        let messages = wait_messages(&bot.fake, &sent, "the status", |m| !m.is_empty()).await;
        let text = text_of(&messages);
        assert!(text.contains("uptime") || text.contains("Uptime"), "the admin gets the counters: {text}");
        assert!(messages.iter().all(is_ephemeral), "{messages:#?}");
        let callbacks = bot.fake.callbacks_for(&sent);
        assert_eq!(callbacks[0].body["data"]["flags"], 64, "{}", callbacks[0].body);
        bot.shutdown().await;

        let bot = start(seed_answerer()).await;
        let sent = bot.fake.command("status", json!([])).await;
        let messages = wait_messages(&bot.fake, &sent, "the refusal", |m| !m.is_empty()).await;
        assert!(text_of(&messages).contains("admins"), "{}", text_of(&messages));
        assert!(messages.iter().all(is_ephemeral), "{messages:#?}");
        bot.shutdown().await;
    })
    .await;
}

/// The since/until slash options become since:/until: and the answer names the window (the
/// seed corpus has two undated articles, left out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_window_options_are_applied_and_shown() {
    bounded(async {
        let bot = start(seed_answerer()).await;
        let sent = bot.fake.command("brief", json!([opt("topic", "zangezur"), opt("since", "2025-04-01"), opt("until", "2025-04-30")])).await;
        let line = "Only articles dated 2025-04-01 to 2025-04-30; 2 articles without a date left out.";
        let messages = wait_messages(&bot.fake, &sent, "the brief", |m| !m.is_empty()).await;
        let text = text_of(&messages);
        assert!(text.contains(line), "{text}");
        for m in &messages {
            assert_safe(m);
        }
        bot.shutdown().await;
    })
    .await;
}
