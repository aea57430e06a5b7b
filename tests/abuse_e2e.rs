//! End to end: the abuse controls of the shared gate, through the Telegram adapter's public
//! entry point ([`telegram::run_with_gate`]) against the fake Bot API on 127.0.0.1.
//!
//! - a flood of 1,000 commands from one user: one refusal, the rest of the chat answered,
//!   memory flat under a second flood from 1,000 different users;
//! - the deadline under a burst of heavy commands, with a light command answered meanwhile;
//! - the allowlist: chats not on it get nothing at all;
//! - privacy: the captured log holds neither message text nor raw user ids;
//! - `/status` for the bot's admins only;
//! - a flooded group: the other users' answers within the answer deadline.
//!
//! The flood test measures the process's resident memory, so it runs alone: it takes the
//! write half of [`EXCLUSIVE`], every other test the read half. Replies to one chat are
//! throttled to one a second, as on Telegram; that is where the flood test spends its time.

#![cfg(feature = "telegram")]

#[path = "support_telegram/answerer.rs"]
mod answerer;
#[path = "support_telegram/fake.rs"]
mod fake;
#[path = "support_telegram/html.rs"]
#[allow(dead_code)]
mod html;
#[path = "support_telegram/logs.rs"]
mod logs;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, LazyLock, Mutex};
use std::time::{Duration, Instant};

use briefbot::adapters::telegram;
use briefbot::command::Command;
use briefbot::config::{Config, TelegramConfig};
use briefbot::core::answer::Answer;
use briefbot::digest::DigestService;
use briefbot::dispatch::Answerer;
use briefbot::gate::{ADMINS_ONLY_MESSAGE, Access, BUSY_MESSAGE, Gate, Limits, hashed_id};
use briefbot::metrics::{MeteredAnswerer, Metrics};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::{RwLock, watch};
use tokio::task::JoinHandle;

use fake::{FakeTelegram, TOKEN, TOKEN_SECRET, group_chat, private_chat};

const WAIT: Duration = Duration::from_secs(10);

static EXCLUSIVE: LazyLock<RwLock<()>> = LazyLock::new(|| RwLock::new(()));

// ---------------------------------------------------------------------------------------
// Harness

fn init_logs() {
    logs::init("info,briefbot=trace", "ABUSE_E2E_LOG");
}

use answerer::seed_engine;
use logs::{logs, logs_len};

fn config(api_url: &str) -> TelegramConfig {
    TelegramConfig { api_url: api_url.to_string(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None }
}

struct RunningBot {
    shutdown: watch::Sender<bool>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl RunningBot {
    /// Ask for shutdown and wait for `run_with_gate` to return: every answer in flight has
    /// then been sent, so nothing more can arrive.
    async fn stop(self) {
        let _ = self.shutdown.send(true);
        tokio::time::timeout(Duration::from_secs(30), self.handle)
            .await
            .expect("run_with_gate returns in time")
            .expect("run_with_gate does not panic")
            .expect("clean shutdown");
    }
}

async fn start_polling(fake: &FakeTelegram, gate: Arc<Gate>) -> RunningBot {
    init_logs();
    let (shutdown, rx) = watch::channel(false);
    let config = config(&fake.url);
    let handle = tokio::spawn(async move { telegram::run_with_gate(gate, &config, TOKEN.to_string(), rx).await });
    assert!(fake.wait_until(WAIT, |f| !f.calls("getUpdates").is_empty()).await, "the bot starts polling");
    RunningBot { shutdown, handle }
}

/// Every delivered message, by the message id it replies to (one snapshot of the fake).
fn replies(fake: &FakeTelegram) -> HashMap<i64, Vec<Value>> {
    let mut out: HashMap<i64, Vec<Value>> = HashMap::new();
    for body in fake.delivered() {
        if let Some(target) = fake::reply_target(&body) {
            out.entry(target).or_default().push(body);
        }
    }
    out
}

fn text_of(body: &Value) -> &str {
    body["text"].as_str().expect("sendMessage has text")
}

fn visible(body: &Value) -> String {
    html::visible_text(text_of(body))
}

/// Wait until the poll loop has gone round twice more: finished answering tasks are reaped
/// at the top of every round, so every decided message has then let go of its task.
async fn two_more_polls(fake: &FakeTelegram) {
    let seen = fake.calls("getUpdates").len();
    assert!(fake.wait_until(WAIT, |f| f.calls("getUpdates").len() >= seen + 2).await, "the bot keeps polling");
}

/// Resident memory of this process in KiB (Linux: VmRSS in /proc/self/status).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS line");
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("VmRSS in kB")
}

async fn wait_for(timeout: Duration, condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !condition() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

// ---------------------------------------------------------------------------------------
// 1. A flood from one user: ten answers and one refusal; the rest of the chat answered;
//    memory flat.

/// A topic of about 250 characters: every flood message carries one, so that a leak of
/// message text would show in the memory figures.
fn long_topic() -> String {
    let mut topic = String::from("zangezur corridor");
    let words = ["railway", "border", "customs", "transit", "gas", "pipeline", "talks", "nakhchivan", "armenia", "azerbaijan", "iran"];
    let mut i = 0;
    while topic.len() < 250 {
        topic.push(' ');
        topic.push_str(words[i % words.len()]);
        i += 1;
    }
    topic
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_user_gets_one_refusal_others_are_answered_and_memory_stays_flat() {
    let _alone = EXCLUSIVE.write().await;
    let test_started = Instant::now();
    let fake = FakeTelegram::start().await;
    // The user limit is the default. The chat limit is exactly what the chat's messages
    // need: the flooder's ten answers and one refusal, the second user's three answers, and
    // the slot every chat keeps for its own refusal. The second user is answered only if
    // the flooder's 989 silent refusals took nothing of the chat's budget. It leaves the
    // chat full for the memory flood below.
    let limits = Limits { per_chat_per_minute: 15, ..Limits::default() };
    assert_eq!(limits.per_user_per_minute, 10);
    let gate = Arc::new(Gate::new(seed_engine(), limits, Access::default()));
    let metrics = gate.metrics().clone();
    let bot = start_polling(&fake, gate.clone()).await;

    let group = -100_424_242;
    let (flooder, second) = (71_001, 71_002);
    let flood_text = format!("/brief {}", long_topic());
    let mut flood_ids = Vec::new();
    let mut second_ids = Vec::new();
    let flood_started = Instant::now();
    for i in 0..1000 {
        flood_ids.push(fake.push_message(group_chat(group), flooder, &flood_text));
        // The second user joins in after the flood has started.
        if [100, 400, 700].contains(&i) {
            second_ids.push(fake.push_message(group_chat(group), second, "/brief zangezur"));
        }
    }
    assert!(wait_for(Duration::from_secs(20), || metrics.refusals("rate_limit") >= 990).await, "all 1,000 commands are decided");
    let decided = flood_started.elapsed();
    assert_eq!(metrics.refusals("rate_limit"), 990, "exactly the commands over the user limit are refused");

    // Fourteen replies in the group, at Telegram's pace of one a second.
    let expected_replies = 10 + 1 + second_ids.len();
    let all: Vec<i64> = flood_ids.iter().chain(&second_ids).copied().collect();
    let replied = |f: &FakeTelegram| {
        let r = replies(f);
        all.iter().filter(|id| r.contains_key(id)).count()
    };
    assert!(fake.wait_until(Duration::from_secs(30), |f| replied(f) >= expected_replies).await, "the answers and the refusal are delivered");

    let r = replies(&fake);
    let flooder_replies: Vec<&Vec<Value>> = flood_ids.iter().filter_map(|id| r.get(id)).collect();
    let notices: Vec<String> = flooder_replies.iter().map(|parts| visible(&parts[0])).filter(|t| t.starts_with("Too many requests")).collect();
    let answers = flooder_replies.iter().filter(|parts| text_of(&parts[0]).starts_with("<b>Brief: ")).count();
    assert_eq!((answers, notices.len(), flooder_replies.len()), (10, 1, 11), "the flooder: the limit's worth of answers, then one refusal");
    let retry: u64 = notices[0]
        .strip_prefix("Too many requests; please try again in ")
        .and_then(|rest| rest.strip_suffix(" seconds."))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the refusal says when to retry: {:?}", notices[0]));
    assert!((1..=60).contains(&retry), "retry in {retry} s");
    for id in &second_ids {
        let parts = r.get(id).unwrap_or_else(|| panic!("the second user's command {id} is answered"));
        assert!(text_of(&parts[0]).starts_with("<b>Brief: zangezur</b>"), "{}", text_of(&parts[0]));
    }

    // One more flooder command, now that the chat is full too: it is refused silently and
    // marks the chat's refusal as said, so that the newcomers below get silence only.
    fake.push_message(group_chat(group), flooder, &flood_text);
    assert!(wait_for(WAIT, || metrics.refusals("rate_limit") == 991).await);
    two_more_polls(&fake).await;
    let delivered_before = fake.delivered().len();
    let keys_before = gate.tracked_keys();
    assert_eq!(keys_before, 3, "the flooder, the second user and the chat");

    // Memory: 1,000 commands from 1,000 different users into the full chat, twice; the
    // first round warms the allocator up for this shape of traffic, the second is measured.
    let mut rss = Vec::new();
    let mut log_growth = 0;
    for round in 0..2_i64 {
        let (rss_before, log_before) = (rss_kib(), logs_len());
        for i in 0..1000 {
            fake.push_message(group_chat(group), 72_000_000 + round * 1000 + i, &flood_text);
        }
        let refused = 991 + 1000 * (round as u64 + 1);
        assert!(wait_for(Duration::from_secs(20), || metrics.refusals("rate_limit") >= refused).await, "flood {round} from different users is decided");
        two_more_polls(&fake).await;
        assert_eq!(metrics.refusals("rate_limit"), refused);
        rss.push((rss_before, rss_kib()));
        log_growth = logs_len() - log_before;
    }
    assert_eq!(fake.delivered().len(), delivered_before, "nothing is sent to a chat over its limit once its refusal was said");
    assert_eq!(gate.tracked_keys(), keys_before, "refused newcomers leave nothing in the rate limiter");

    // The bound. What may legitimately stay after the measured flood: nothing in the
    // limiter (checked above); in the test itself, 1,000 debug lines in the log capture
    // buffer (100 KiB) and a few recorded getUpdates calls in the fake; allocator noise.
    // Observed: +240 to +490 KiB in debug builds. What a leak would cost: each message
    // carries a 257-character text and arrives as an update of about 600 bytes of JSON,
    // which becomes a parsed teloxide Message, a Job and an answering task; keeping as
    // little as 1 KiB of that per message adds 1 MiB (checked by leaking a 1 KiB copy of
    // the text on every refusal: +1,116 KiB, and this assertion fails).
    let (rss_before, rss_after) = rss[1];
    let growth = rss_after.saturating_sub(rss_before);
    eprintln!(
        "flood: 1,000 commands decided in {} ms; RSS {} -> {} KiB over the warm-up flood, {rss_before} -> {rss_after} KiB (+{growth} KiB) over the measured one; log capture +{} KiB",
        decided.as_millis(),
        rss[0].0,
        rss[0].1,
        log_growth / 1024
    );
    assert!(growth < 1024, "memory grew by {growth} KiB over a flood of 1,000 refused commands");

    bot.stop().await;
    // Everything in flight has been sent now: still exactly eleven replies to the flooder.
    let r = replies(&fake);
    assert_eq!(flood_ids.iter().filter(|id| r.contains_key(id)).count(), 11);
    assert!(!logs().contains(TOKEN_SECRET));
    eprintln!("flood test took {:.1} s", test_started.elapsed().as_secs_f64());
}

// ---------------------------------------------------------------------------------------
// 2. The deadline under a burst: heavy commands beyond the pool are told "busy" within the
//    deadline, and a light command is answered while heavy ones fill the pool.

/// Heavy commands wait until the latch opens; light ones (`/help`, `/sources`) go straight
/// through. Counts how many heavy answers started and how many are waiting.
struct Latched {
    inner: Arc<dyn Answerer>,
    open: Mutex<bool>,
    opened: Condvar,
    entered: AtomicUsize,
    waiting: AtomicUsize,
}

impl Latched {
    fn new(inner: Arc<dyn Answerer>) -> Arc<Latched> {
        Arc::new(Latched { inner, open: Mutex::new(false), opened: Condvar::new(), entered: AtomicUsize::new(0), waiting: AtomicUsize::new(0) })
    }

    fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.opened.notify_all();
    }
}

impl Answerer for Latched {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        if !matches!(command, Command::Help | Command::Sources) {
            self.entered.fetch_add(1, Ordering::SeqCst);
            self.waiting.fetch_add(1, Ordering::SeqCst);
            let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
            while !*open {
                open = self.opened.wait(open).unwrap_or_else(|e| e.into_inner());
            }
            drop(open);
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        self.inner.answer(command, now)
    }

    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.inner.suggest(prefix, limit)
    }
}

/// Opens the latch when the test ends, however it ends: the runtime waits for blocked
/// answering threads when it shuts down.
struct OpenOnDrop(Arc<Latched>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_heavy_commands_gets_busy_within_the_deadline_while_help_is_answered() {
    let _shared = EXCLUSIVE.read().await;
    let fake = FakeTelegram::start().await;
    let latch = Latched::new(seed_engine());
    let _release = OpenOnDrop(latch.clone());
    let deadline = Duration::from_millis(1500);
    let pool = 2;
    let limits = Limits { deadline, heavy_concurrency: pool, ..Limits::default() };
    let gate = Arc::new(Gate::new(latch.clone(), limits, Access::default()));
    let metrics = gate.metrics().clone();
    let bot = start_polling(&fake, gate).await;

    // Six heavy commands from six users, each in a private chat of their own (so that
    // neither our limits nor Telegram's per-chat pace are involved).
    let mut heavy = Vec::new();
    for user in 81_001..81_007 {
        let pushed = Instant::now();
        heavy.push((user, fake.push_message(private_chat(user), user, "/brief zangezur"), pushed));
    }
    assert!(wait_for(WAIT, || latch.waiting.load(Ordering::SeqCst) == pool).await, "the heavy pool fills");

    // A light command while the pool is full: answered, and the heavy ones still wait.
    let helper = 81_100;
    let help_pushed = Instant::now();
    let help = fake.push_message(private_chat(helper), helper, "/help");
    assert!(fake.wait_until(WAIT, |f| f.replies_to(help).len() == 1).await, "/help is answered");
    let help_reply = fake.calls("sendMessage").into_iter().find(|c| fake::reply_target(&c.body) == Some(help)).expect("the /help reply");
    let help_latency = help_reply.at.duration_since(help_pushed);
    assert_eq!(latch.waiting.load(Ordering::SeqCst), pool, "the heavy answers were still holding the pool");
    assert!(help_latency < deadline, "/help took {help_latency:?} with the pool full");
    assert!(visible(&help_reply.body).contains("/brief <topic>"), "{}", visible(&help_reply.body));

    // Every heavy command gets "busy", no sooner than the deadline (the gate waits that
    // long for a slot or for the answer) and not much later.
    assert!(fake.wait_until(WAIT, |f| heavy.iter().all(|(_, id, _)| !f.replies_to(*id).is_empty())).await, "every heavy command gets a reply");
    let sent = fake.calls("sendMessage");
    for (user, id, pushed) in &heavy {
        let call = sent.iter().find(|c| fake::reply_target(&c.body) == Some(*id)).expect("a reply");
        assert_eq!(visible(&call.body), BUSY_MESSAGE, "user {user}");
        let took = call.at.duration_since(*pushed);
        assert!(took >= deadline && took < deadline + Duration::from_secs(1), "user {user}: busy after {took:?}");
    }
    assert_eq!(latch.entered.load(Ordering::SeqCst), pool, "no heavy answer started beyond the pool");
    assert_eq!(metrics.refusals("busy"), heavy.len() as u64);

    // Once the stuck answers finish, the pool serves again within the deadline.
    latch.open();
    assert!(wait_for(WAIT, || latch.waiting.load(Ordering::SeqCst) == 0).await);
    let later: Vec<(i64, Instant)> = (81_200..81_202).map(|user| (fake.push_message(private_chat(user), user, "/brief zangezur"), Instant::now())).collect();
    assert!(fake.wait_until(WAIT, |f| later.iter().all(|(id, _)| !f.replies_to(*id).is_empty())).await);
    for (id, pushed) in &later {
        let call = fake.calls("sendMessage").into_iter().find(|c| fake::reply_target(&c.body) == Some(*id)).expect("a reply");
        assert!(text_of(&call.body).starts_with("<b>Brief: zangezur</b>"), "{}", text_of(&call.body));
        assert!(call.at.duration_since(*pushed) < deadline);
    }

    bot.stop().await;
    // The abandoned answers finished after their deadline: nothing more was sent for them.
    for (user, id, _) in &heavy {
        assert_eq!(fake.replies_to(*id).len(), 1, "user {user} got exactly the busy message");
    }
}

// ---------------------------------------------------------------------------------------
// 3. Allowlists: a chat not on `access.allowed_chats` gets no reply at all.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chats_not_on_the_allowlist_get_no_reply_at_all() {
    let _shared = EXCLUSIVE.read().await;
    let fake = FakeTelegram::start().await;
    let allowed = -100_777_001_i64;
    let access = Access { allowed_chats: vec![allowed.to_string()], ..Access::default() };
    let gate = Arc::new(Gate::new(seed_engine(), Limits::default(), access));
    let metrics = gate.metrics().clone();
    let bot = start_polling(&fake, gate).await;

    let other_group = -100_777_002_i64;
    let stranger = 91_001;
    fake.push_message(group_chat(other_group), stranger, "/brief zangezur");
    fake.push_message(group_chat(other_group), stranger, "/help");
    fake.push_message(private_chat(stranger), stranger, "/sources");
    fake.push_message(private_chat(stranger), stranger, "hello, anyone there?");
    let ok = fake.push_message(group_chat(allowed), 91_002, "/help");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(ok).is_empty()).await, "the allowed chat is answered");
    assert!(wait_for(WAIT, || metrics.refusals("not_allowed") == 4).await, "all four messages elsewhere reached the gate");
    bot.stop().await;

    let delivered = fake.delivered();
    assert!(!delivered.is_empty());
    for body in &delivered {
        assert_eq!(body["chat_id"], json!(allowed), "only the allowed chat hears from the bot: {body}");
    }
    assert_eq!(metrics.refusals("rate_limit"), 0);
}

// ---------------------------------------------------------------------------------------
// 4. Privacy: the log has command names and hashed user ids, never message text, topics
//    or platform user ids.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_holds_no_message_text_and_no_raw_user_ids() {
    let _shared = EXCLUSIVE.read().await;
    const MARKER: &str = "zzmarkerqq";
    let user: i64 = 7_355_608_421;
    let fake = FakeTelegram::start().await;
    let gate = Arc::new(Gate::new(seed_engine(), Limits::default(), Access::default()));
    let bot = start_polling(&fake, gate).await;

    let group = -100_123_987;
    let asked = [
        fake.push_message(private_chat(user), user, &format!("/brief {MARKER}")),
        fake.push_message(private_chat(user), user, &format!("hello {MARKER}, what do you know?")),
        fake.push_message(private_chat(user), user, &format!("/{MARKER} now")),
        fake.push_message(group_chat(group), user, &format!("/search {MARKER} pipeline")),
        fake.push_message(group_chat(group), user, &format!("/quote {MARKER}")),
    ];
    // An update teloxide cannot read, holding the marker and the user id.
    fake.push_update(json!({ "message": { "text": format!("/brief {MARKER}"), "from": { "id": user, "is_bot": false, "first_name": MARKER } } }));
    let last = fake.push_message(private_chat(user), user, "/help");
    assert!(fake.wait_until(Duration::from_secs(15), |f| asked.iter().chain([&last]).all(|id| !f.replies_to(*id).is_empty())).await, "everything is answered");
    bot.stop().await;

    let log = logs();
    for command in ["brief", "search", "quote", "help", "usage"] {
        assert!(log.contains(&format!("command=\"{command}\"")), "the log names /{command}:\n{log}");
    }
    assert!(log.contains(&hashed_id("telegram", &user.to_string())), "the user appears hashed");
    assert!(log.contains("could not be parsed"), "the unreadable update was logged");
    assert!(!log.contains(MARKER), "message text reached the log");
    assert!(!log.contains(&user.to_string()), "a raw user id reached the log");
    assert!(!log.contains(TOKEN_SECRET));
}

// ---------------------------------------------------------------------------------------
// 5. `/status`: for the bot's admins only.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_is_answered_for_admins_only() {
    let _shared = EXCLUSIVE.read().await;
    let fake = FakeTelegram::start().await;
    let engine = seed_engine();
    let data = tempfile::tempdir().expect("temp dir");
    let digest_config = Config::load(None, &[]).expect("default config").digest;
    let digests = Arc::new(DigestService::open(data.path(), &digest_config, engine.clone()).expect("digest store"));
    let metrics = Arc::new(Metrics::new());
    let stats = engine.stats();
    metrics.set_corpus(&stats);
    let admin = 5_550_001_i64;
    let access = Access { admins: vec![format!("telegram:{admin}"), "discord:5550002".into()], ..Access::default() };
    let answerer = Arc::new(MeteredAnswerer::new(engine, metrics.clone()));
    let gate = Arc::new(Gate::new(answerer, Limits::default(), access).with_metrics(metrics.clone()).with_digests(digests));
    let bot = start_polling(&fake, gate).await;

    // One subscription; a non-admin asking in a group (whose user id is an admin's on
    // Discord, not on Telegram).
    let subscriber = 5_550_003_i64;
    let subscribed = fake.push_message(private_chat(subscriber), subscriber, "/subscribe 08:00 Europe/London");
    let refused = fake.push_message(group_chat(-100_555), 5_550_002, "/status");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(subscribed).is_empty() && !f.replies_to(refused).is_empty()).await);
    assert!(
        visible(&fake.replies_to(subscribed)[0]).contains("Subscribed: a daily digest here at 08:00 (Europe/London)"),
        "{}",
        visible(&fake.replies_to(subscribed)[0])
    );
    assert_eq!(fake.replies_to(refused).len(), 1);
    assert_eq!(visible(&fake.replies_to(refused)[0]), ADMINS_ONLY_MESSAGE);
    assert!(wait_for(WAIT, || metrics.messages_sent() == 2).await, "both replies are counted");

    let asked = fake.push_message(private_chat(admin), admin, "/status");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(asked).is_empty()).await, "the admin is answered");
    let text: String = fake.replies_to(asked).iter().map(visible).collect::<Vec<_>>().join("\n");
    assert!(text.starts_with("Bot status"), "{text}");
    for line in [
        format!("Corpus: {} articles, {} sentences, {} quotes, {} entities", stats.articles, stats.sentences, stats.quotes, stats.entities),
        "Digest subscriptions: 1 active (telegram 1)".to_string(),
        // The subscription and the refusal.
        "Answers given: 2".to_string(),
        "Messages sent: 2; send errors: 0; 429s from platforms: 0".to_string(),
        "Refused: 0 over a rate limit, 0 busy, 0 in chats not allowed".to_string(),
    ] {
        assert!(text.contains(&line), "missing {line:?} in:\n{text}");
    }
    assert!(text.contains("Uptime: "), "{text}");
    assert!(stats.articles > 0);

    // /help lists the commands for everybody, without /status.
    let help = fake.push_message(private_chat(admin), admin, "/help");
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(help).is_empty()).await);
    let help_text = visible(&fake.replies_to(help)[0]);
    assert!(help_text.contains("/brief") && !help_text.contains("/status"), "{help_text}");

    bot.stop().await;
    assert_eq!(metrics.answers("status"), 2, "the refusal and the admin's answer");
}

// ---------------------------------------------------------------------------------------
// 6. A flooded group: while one user floods, the others' answers arrive within the answer
//    deadline. Telegram delivers one message a second to a chat (twenty a minute in a
//    group), so the flooder's ten answers and refusal take ten seconds to deliver; the
//    others' answers must not queue behind them.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_one_user_floods_a_group_the_others_are_answered_within_the_deadline() {
    let _shared = EXCLUSIVE.read().await;
    let fake = FakeTelegram::start().await;
    // The defaults: the group's budget is Telegram's own, 20 messages a minute.
    let limits = Limits::default();
    let deadline = limits.deadline;
    let gate = Arc::new(Gate::new(seed_engine(), limits, Access::default()));
    let metrics = gate.metrics().clone();
    let bot = start_polling(&fake, gate).await;

    let group = -100_535_353;
    let flooder = 73_001;
    let flood: Vec<i64> = (0..40).map(|_| fake.push_message(group_chat(group), flooder, "/brief zangezur")).collect();
    assert!(wait_for(WAIT, || metrics.refusals("rate_limit") >= 30).await, "the flood is decided");

    // Five others ask, a second apart, while the flooder's answers are still being delivered.
    let mut others = Vec::new();
    for i in 0..5 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let user = 73_100 + i;
        others.push((user, fake.push_message(group_chat(group), user, "/brief zangezur"), Instant::now()));
    }
    assert!(fake.wait_until(Duration::from_secs(30), |f| others.iter().all(|(_, id, _)| !f.replies_to(*id).is_empty())).await, "the others are answered");
    let sent = fake.calls("sendMessage");
    let mut latencies = Vec::new();
    for (user, id, asked) in &others {
        let reply = sent.iter().find(|c| fake::reply_target(&c.body) == Some(*id) && c.status == 200).expect("a reply");
        assert!(text_of(&reply.body).starts_with("<b>Brief: zangezur</b>"), "user {user}: {}", text_of(&reply.body));
        latencies.push(reply.at.duration_since(*asked));
    }
    // The flooder still gets every answer the limits allowed, and the one refusal.
    let flood_replied = |f: &FakeTelegram| flood.iter().filter(|id| !f.replies_to(**id).is_empty()).count();
    assert!(fake.wait_until(Duration::from_secs(30), |f| flood_replied(f) == 11).await, "the flooder's ten answers and refusal are delivered");
    bot.stop().await;
    let worst = latencies.iter().max().copied().unwrap_or_default();
    eprintln!("flooded group: the others' answers took {latencies:?} (deadline {deadline:?})");
    assert!(worst < deadline, "an answer to another user took {worst:?} while one user flooded the group");
    // Telegram's pace held: one message a second in the group, twenty a minute at most.
    let times: Vec<Instant> = fake.calls("sendMessage").iter().filter(|c| c.body["chat_id"] == json!(group)).map(|c| c.at).collect();
    assert_eq!(times.len(), 16, "ten answers and a refusal for the flooder, five answers for the others");
    assert!(times.windows(2).all(|w| w[1].duration_since(w[0]) >= Duration::from_millis(900)), "one a second");
}
