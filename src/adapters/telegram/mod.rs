//! Telegram adapter (teloxide).
//!
//! - Start-up: `getMe` (our username, for `/brief@ThisBot`), then `setMyCommands` from
//!   [`crate::command::COMMANDS`].
//! - Updates: long polling by default; webhook mode when `telegram.webhook_url` is set, with
//!   the secret token checked on every request (401 otherwise).
//! - Each message is answered in its own task through the shared [`Gate`] (per-user and
//!   per-chat limits, a deadline, [`crate::dispatch::respond`] on a bounded blocking pool);
//!   the answer is rendered by [`crate::render::telegram`] (HTML, split at 4096) and sent as
//!   replies to the asking message, throttled and retried (see `send.rs`).
//! - Inline queries (`@ThisBot zangezur` in any chat, once `/setinline` is on in BotFather)
//!   are answered with `answerInlineQuery` through the same gate (see `inline.rs`).
//! - Plain text gets usage in private chats only; groups see answers to commands only, and
//!   never to commands addressed to another bot.
//! - Failures: the user gets [`FAILURE_MESSAGE`]; details go to the log, with the bot token
//!   redacted. 409 Conflict on `getUpdates` (another instance polling with the same token)
//!   stops the adapter with an error instead of looping.

mod digest;
mod inline;
mod limiter;
mod send;
mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chrono::Utc;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, BotCommand, Update, UpdateKind};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{debug, error, info, warn};

use crate::command::{self, COMMANDS, DIGEST_COMMANDS, Parsed};
use crate::config::{TelegramConfig, read_secret};
use crate::dispatch::Answerer;
use crate::gate::{Access, Gate, Limits as GateLimits, Outcome, Sender as GateSender, hashed_id};
use crate::metrics::Metrics;
use crate::render::telegram::{render_parts, text_message};
use crate::state::updates::UpdateLog;

pub use crate::render::telegram::redact;

use limiter::{Limiter, Limits};
use send::{Outgoing, Sender};

/// What a user sees when anything goes wrong; the details go to the log.
pub const FAILURE_MESSAGE: &str = "Sorry, something went wrong answering that. Please try again later.";

/// Environment variable holding the bot token (else `telegram.token_file`).
pub const TOKEN_ENV: &str = "TELEGRAM_BOT_TOKEN";
/// Environment variable holding the webhook secret (else `telegram.webhook_secret_file`).
pub const WEBHOOK_SECRET_ENV: &str = "TELEGRAM_WEBHOOK_SECRET";

/// The updates we take: messages and inline queries.
const ALLOWED_UPDATES: [AllowedUpdate; 2] = [AllowedUpdate::Message, AllowedUpdate::InlineQuery];

/// Long-polling timeout; below teloxide's HTTP client timeout (17 s).
const POLL_TIMEOUT_SECS: u32 = 10;
/// Start-up calls (getMe, setMyCommands) are attempted this many times on network errors.
const STARTUP_TRIES: u32 = 3;
/// After shutdown, how long in-flight answers may take to finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(60);
/// Backoff between failed `getUpdates` calls: doubles from the first to the last.
const POLL_BACKOFF_START: Duration = Duration::from_millis(500);
const POLL_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// The bot token from `TELEGRAM_BOT_TOKEN`, else from `telegram.token_file`; `None` when
/// neither is set (the Telegram adapter is then not started).
pub fn load_token(config: &TelegramConfig) -> Result<Option<String>> {
    read_secret(std::env::var(TOKEN_ENV).ok(), config.token_file.as_deref())
}

/// The webhook secret from `TELEGRAM_WEBHOOK_SECRET`, else `telegram.webhook_secret_file`.
pub fn load_webhook_secret(config: &TelegramConfig) -> Result<Option<String>> {
    read_secret(std::env::var(WEBHOOK_SECRET_ENV).ok(), config.webhook_secret_file.as_deref())
}

/// Run the Telegram adapter until `shutdown` becomes `true` (or its sender is dropped):
/// then it stops taking updates, lets in-flight answers finish, and returns `Ok`. Returns an
/// error on a fatal problem: a bad configuration, a token Telegram refuses, a webhook that
/// cannot be set, or another instance polling with the same token.
///
/// Messages go through a [`Gate`] with the default limits and no allowlist; use
/// [`run_with_gate`] to share a configured one.
pub async fn run(answerer: Arc<dyn Answerer>, config: &TelegramConfig, token: String, shutdown: watch::Receiver<bool>) -> Result<()> {
    let gate = Arc::new(Gate::new(answerer, GateLimits::default(), Access::default()));
    run_with_gate(gate, config, token, shutdown).await
}

/// [`run`], answering through `gate` (per-user and per-chat limits, a deadline on a bounded
/// pool, allowlists): the same rules as the other front ends.
pub async fn run_with_gate(gate: Arc<Gate>, config: &TelegramConfig, token: String, shutdown: watch::Receiver<bool>) -> Result<()> {
    let outbox = Outbox::new(config, &token, gate.metrics().clone())?;
    run_with_outbox(gate, config, outbox, shutdown).await
}

/// [`run_with_gate`], sending through `outbox`, which the digest scheduler shares: answers
/// and digests then go through one throttle, as Telegram's limits are per bot.
pub async fn run_with_outbox(gate: Arc<Gate>, config: &TelegramConfig, outbox: Outbox, mut shutdown: watch::Receiver<bool>) -> Result<()> {
    let token = outbox.sender.token().to_string();
    // Webhook settings are checked before anything touches the network.
    let webhook = if config.webhook_url.trim().is_empty() { None } else { Some(webhook::Settings::from_config(config)?) };
    let listener = match &webhook {
        Some(w) => Some(tokio::net::TcpListener::bind(&w.bind).await.with_context(|| format!("telegram: binding the webhook listener to {}", w.bind))?),
        None => None,
    };

    let bot = Bot::with_client(token.clone(), outbox.client.clone()).set_api_url(outbox.api_url.clone());

    let me = startup_call(&token, "getMe", || bot.get_me().send()).await.map_err(|e| match e {
        RequestError::Api(ApiError::InvalidToken) => anyhow!("telegram: Telegram refused the bot token (getMe)"),
        e => anyhow!("telegram: getMe failed: {}", redact(&e.to_string(), &token)),
    })?;
    let username = me.user.username.clone();
    match &username {
        Some(name) => info!("telegram: connected as @{name}"),
        None => warn!("telegram: getMe returned no username; commands addressed to any bot will be answered"),
    }
    if !me.supports_inline_queries {
        info!("telegram: inline mode is off for this bot; switch it on with /setinline in BotFather to answer @bot queries");
    }
    register_commands(&bot, &token, gate.digests().is_some()).await;

    // Replicas in webhook mode record the updates they take in the state they share.
    let updates = outbox.updates.clone().map(|log| (log, i64::try_from(me.user.id.0).unwrap_or(i64::MAX)));
    let ctx = Arc::new(Ctx {
        gate,
        sender: outbox.sender.clone(),
        bot: bot.clone(),
        username,
        token: token.clone(),
        backoff_ceiling: outbox.backoff_ceiling,
        updates,
    });
    let mut tasks = JoinSet::new();
    let result = match (webhook, listener) {
        (Some(settings), Some(listener)) => webhook::serve(&ctx, &bot, settings, listener, &mut tasks, &mut shutdown).await,
        _ => poll(&ctx, &bot, &mut tasks, &mut shutdown).await,
    };
    drain(&mut tasks).await;
    result
}

/// The throttled message sender of one bot token, shared by the adapter's answers and the
/// digest scheduler ([`crate::digest::DigestSender`] is implemented in `digest.rs`).
#[derive(Clone)]
pub struct Outbox {
    sender: Arc<Sender>,
    client: reqwest::Client,
    api_url: reqwest::Url,
    /// The longest wait between two failed `getUpdates` (`limits.backoff_ceiling_seconds`,
    /// at most [`POLL_BACKOFF_MAX`]).
    backoff_ceiling: Duration,
    /// Webhook updates taken, shared by replicas (see [`crate::state::updates`]).
    updates: Option<Arc<dyn UpdateLog>>,
}

impl Outbox {
    /// Checks the token and `telegram.api_url`; touches no network.
    pub fn new(config: &TelegramConfig, token: &str, metrics: Arc<Metrics>) -> Result<Outbox> {
        let token = token.trim().to_string();
        if token.is_empty() {
            bail!("telegram: the bot token is empty");
        }
        let api_url: reqwest::Url = config.api_url.trim().parse().with_context(|| format!("telegram.api_url `{}` is not a URL", config.api_url))?;
        if !matches!(api_url.scheme(), "http" | "https") || api_url.cannot_be_a_base() {
            bail!("telegram.api_url `{}` must be an http(s) URL", config.api_url);
        }
        let client = teloxide::net::default_reqwest_settings().build().context("telegram: building the HTTP client")?;
        let sender = Sender::new(client.clone(), api_url.clone(), token, Limiter::new(Limits::default())).with_metrics(metrics);
        Ok(Outbox { sender: Arc::new(sender), client, api_url, backoff_ceiling: POLL_BACKOFF_MAX, updates: None })
    }

    /// Failed `getUpdates` calls wait at most `ceiling` before the next (never more than
    /// [`POLL_BACKOFF_MAX`]).
    pub fn with_backoff_ceiling(mut self, ceiling: Duration) -> Outbox {
        self.backoff_ceiling = ceiling.clamp(POLL_BACKOFF_START, POLL_BACKOFF_MAX);
        self
    }

    /// In webhook mode, claim each update in `log` (shared by replicas) before taking it: an
    /// update Telegram re-delivers to another replica is answered once.
    pub fn with_update_log(mut self, log: Arc<dyn UpdateLog>) -> Outbox {
        self.updates = Some(log);
        self
    }
}

/// What every answering task shares.
struct Ctx {
    gate: Arc<Gate>,
    sender: Arc<Sender>,
    /// For getChatMember (is the sender an admin of the group?).
    bot: Bot,
    username: Option<String>,
    token: String,
    backoff_ceiling: Duration,
    /// The shared update log and this bot's id (webhook mode with replicas).
    updates: Option<(Arc<dyn UpdateLog>, i64)>,
}

impl Ctx {
    /// Record in the shared update log that `update_id` was answered.
    async fn answered(&self, update_id: u32) {
        let Some((log, bot)) = self.updates.clone() else { return };
        let done = tokio::task::spawn_blocking(move || log.done(bot, i64::from(update_id))).await;
        if let Err(e) = done.map_err(anyhow::Error::from).and_then(|r| r) {
            warn!(update_id, "telegram: could not record an answered update in the shared state: {e:#}");
        }
    }
}

/// Resolves when shutdown is requested (the value becomes `true` or the sender is gone).
async fn shutdown_requested(shutdown: &mut watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        debug!("telegram: shutdown channel closed; stopping");
    }
}

async fn startup_call<T, F, Fut>(token: &str, what: &str, mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match call().await {
            Ok(v) => return Ok(v),
            Err(RequestError::RetryAfter(s)) if attempt < STARTUP_TRIES && s.duration() <= Duration::from_secs(60) => {
                warn!("telegram: {what}: 429, retrying after {} s", s.seconds());
                tokio::time::sleep(s.duration()).await;
            }
            Err(e @ RequestError::Network(_)) if attempt < STARTUP_TRIES => {
                let wait = POLL_BACKOFF_START * 2u32.pow(attempt - 1);
                warn!("telegram: {what} failed ({}); retrying in {} ms", redact(&e.to_string(), token), wait.as_millis());
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// `setMyCommands` with every command of [`COMMANDS`] (and [`DIGEST_COMMANDS`] when this
/// bot runs digests). A failure is logged, not fatal: the bot answers commands without the
/// menu too.
async fn register_commands(bot: &Bot, token: &str, digests: bool) {
    let digest_commands = if digests { DIGEST_COMMANDS } else { &[] };
    let commands: Vec<BotCommand> = COMMANDS.iter().chain(digest_commands).map(|c| BotCommand::new(c.name, c.description)).collect();
    match startup_call(token, "setMyCommands", || bot.set_my_commands(commands.clone()).send()).await {
        Ok(_) => info!("telegram: registered {} commands", commands.len()),
        Err(e) => warn!("telegram: setMyCommands failed: {}", redact(&e.to_string(), token)),
    }
}

/// Long polling until shutdown or a fatal error.
async fn poll(ctx: &Arc<Ctx>, bot: &Bot, tasks: &mut JoinSet<()>, shutdown: &mut watch::Receiver<bool>) -> Result<()> {
    delete_webhook_if_set(bot, &ctx.token).await;
    info!("telegram: long polling for updates");
    let mut offset: i32 = 0;
    let mut failures: u32 = 0;
    loop {
        reap(tasks);
        let request = bot.get_updates().offset(offset).timeout(POLL_TIMEOUT_SECS).allowed_updates(ALLOWED_UPDATES.to_vec()).send();
        let result = tokio::select! {
            biased;
            _ = shutdown_requested(shutdown) => break,
            result = request => result,
        };
        match result {
            Ok(updates) => {
                failures = 0;
                for update in updates {
                    offset = offset.max(next_offset(update.id.0));
                    dispatch(ctx, tasks, update);
                }
            }
            Err(e) if is_conflict(&e) => {
                error!("telegram: 409 Conflict from getUpdates: another instance is polling with this token; stopping this adapter");
                bail!("telegram: another instance is polling with this token (409 Conflict from getUpdates); stop the other instance or use webhook mode");
            }
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                error!("telegram: getUpdates: Telegram refused the bot token; stopping this adapter");
                bail!("telegram: Telegram refused the bot token (getUpdates: Unauthorized); was it revoked?");
            }
            Err(RequestError::InvalidJson { raw, .. }) => {
                // One unreadable update must not block the queue: take what can be read, and
                // move the offset past the rest.
                let (updates, next) = salvage_updates(&raw);
                if next.is_some_and(|n| n > offset) {
                    warn!("telegram: getUpdates answer did not fully parse; skipping what could not be read");
                    for update in updates {
                        dispatch(ctx, tasks, update);
                    }
                    offset = offset.max(next.unwrap_or(offset));
                    continue;
                }
                failures += 1;
                warn!("telegram: unreadable getUpdates answer (attempt {failures}); retrying");
                if pause(poll_backoff(failures).min(ctx.backoff_ceiling), shutdown).await {
                    break;
                }
            }
            Err(e) => {
                failures += 1;
                let wait = match &e {
                    RequestError::RetryAfter(s) => s.duration(),
                    _ => poll_backoff(failures).min(ctx.backoff_ceiling),
                };
                warn!("telegram: getUpdates failed ({}); retrying in {} ms", redact(&e.to_string(), &ctx.token), wait.as_millis());
                if pause(wait, shutdown).await {
                    break;
                }
            }
        }
    }
    info!("telegram: stopping; no new updates will be taken");
    if offset != 0 {
        // Confirm what we took, so that a restart does not answer it again.
        let ack = bot.get_updates().offset(offset).timeout(0).limit(1).send();
        if let Ok(Err(e)) = tokio::time::timeout(Duration::from_secs(5), ack).await {
            debug!("telegram: confirming updates on shutdown failed: {}", redact(&e.to_string(), &ctx.token));
        }
    }
    Ok(())
}

fn next_offset(update_id: u32) -> i32 {
    i32::try_from(update_id).unwrap_or(i32::MAX - 1).saturating_add(1)
}

fn poll_backoff(failures: u32) -> Duration {
    POLL_BACKOFF_START.saturating_mul(1 << failures.saturating_sub(1).min(10)).min(POLL_BACKOFF_MAX)
}

/// Sleep, unless shutdown comes first (then `true`).
async fn pause(wait: Duration, shutdown: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = shutdown_requested(shutdown) => true,
        _ = tokio::time::sleep(wait) => false,
    }
}

fn is_conflict(e: &RequestError) -> bool {
    match e {
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => true,
        RequestError::Api(ApiError::Unknown(description)) => description.starts_with("Conflict") && description.contains("getUpdates"),
        _ => false,
    }
}

/// From a `getUpdates` body that did not parse as a whole: the updates that parse on their
/// own, and the offset past the highest `update_id` seen.
fn salvage_updates(raw: &str) -> (Vec<Update>, Option<i32>) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else { return (Vec::new(), None) };
    let Some(items) = value.get("result").and_then(|r| r.as_array()) else { return (Vec::new(), None) };
    let mut next = None;
    let mut updates = Vec::new();
    for item in items {
        if let Some(id) = item.get("update_id").and_then(|v| v.as_u64()).and_then(|id| u32::try_from(id).ok()) {
            next = Some(next.unwrap_or(0).max(next_offset(id)));
        }
        // From text, not from the `Value`: teloxide's lenient `UpdateKind` parsing only works
        // on a borrowed-string deserializer.
        match serde_json::from_str::<Update>(&item.to_string()) {
            Ok(update) => updates.push(update),
            Err(e) => warn!(update = %describe_update(item), "telegram: skipping an update that could not be parsed: {}", json_error(&e)),
        }
    }
    (updates, next)
}

async fn delete_webhook_if_set(bot: &Bot, token: &str) {
    match bot.get_webhook_info().send().await {
        Ok(info) if info.url.is_some() => {
            info!("telegram: a webhook is set; deleting it to use long polling");
            if let Err(e) = bot.delete_webhook().send().await {
                warn!("telegram: deleteWebhook failed: {}", redact(&e.to_string(), token));
            }
        }
        Ok(_) => {}
        Err(e) => warn!("telegram: getWebhookInfo failed: {}", redact(&e.to_string(), token)),
    }
}

/// Collect finished tasks so the set does not grow; a panicked task is logged.
fn reap(tasks: &mut JoinSet<()>) {
    while let Some(result) = tasks.try_join_next() {
        if let Err(e) = result {
            error!("telegram: an answering task failed: {e}");
        }
    }
}

/// Wait for in-flight answers after shutdown, within [`DRAIN_TIMEOUT`].
async fn drain(tasks: &mut JoinSet<()>) {
    reap(tasks);
    if tasks.is_empty() {
        return;
    }
    info!("telegram: finishing {} answer(s) in flight", tasks.len());
    let all = async {
        while let Some(result) = tasks.join_next().await {
            if let Err(e) = result {
                error!("telegram: an answering task failed: {e}");
            }
        }
    };
    if tokio::time::timeout(DRAIN_TIMEOUT, all).await.is_err() {
        warn!("telegram: {} answer(s) still in flight after {} s; abandoning them", tasks.len(), DRAIN_TIMEOUT.as_secs());
        tasks.abort_all();
    }
}

/// One update in: a message worth answering becomes a task; anything else is skipped.
fn dispatch(ctx: &Arc<Ctx>, tasks: &mut JoinSet<()>, update: Update) {
    let update_id = update.id.0;
    type Answering = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
    let job: Option<Answering> = match update.kind {
        UpdateKind::Message(message) => Job::from_message(&message, ctx.username.as_deref()).map(|job| -> Answering { Box::pin(answer(ctx.clone(), job)) }),
        UpdateKind::InlineQuery(query) => inline::Job::from_query(&query).map(|job| -> Answering { Box::pin(inline::answer(ctx.clone(), job)) }),
        UpdateKind::Error(value) => {
            warn!(update_id, update = %describe_update(&value), "telegram: skipping an update that could not be parsed");
            None
        }
        _ => {
            debug!(update_id, "telegram: ignoring an update that is not a message");
            None
        }
    };
    let ctx = ctx.clone();
    tasks.spawn(async move {
        if let Some(job) = job {
            job.await;
        }
        ctx.answered(update_id).await;
    });
}

/// The shape of an update for the log: its kind and the field names of its payload, never
/// a value (values hold message text and user ids).
fn describe_update(value: &serde_json::Value) -> String {
    let Some(object) = value.as_object() else { return "not an object".to_string() };
    let mut parts = Vec::new();
    for (key, inner) in object.iter().filter(|(k, _)| k.as_str() != "update_id").take(4) {
        let mut fields: Vec<&str> = inner.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        fields.sort_unstable();
        fields.truncate(12);
        parts.push(if fields.is_empty() { key.to_string() } else { format!("{key} {{{}}}", fields.join(", ")) });
    }
    if parts.is_empty() { "empty".to_string() } else { parts.join("; ") }
}

/// A JSON error without serde's quotation of the offending value (which may be message text).
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "unexpected fields or types",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    format!("{kind} at line {} column {}", e.line(), e.column())
}

/// A message to answer.
#[derive(Debug, Clone)]
struct Job {
    chat_id: i64,
    /// The sender's user id (the chat id when there is none, e.g. anonymous group admins).
    user_id: String,
    private: bool,
    /// Sent by an anonymous group admin (as the group itself): an admin by definition.
    anonymous_admin: bool,
    thread_id: Option<i32>,
    message_id: i32,
    text: String,
}

impl Job {
    /// `None` for messages we stay silent on: no text, from a bot, or in a group and not a
    /// command for us (plain text, a command for another bot, an unknown command that does
    /// not name us).
    fn from_message(message: &Message, username: Option<&str>) -> Option<Job> {
        if message.from.as_ref().is_some_and(|u| u.is_bot) {
            return None;
        }
        let text = message.text()?;
        if !message.chat.is_private() {
            match command::parse(text, username) {
                Parsed::NotACommand | Parsed::ForAnotherBot => return None,
                Parsed::Usage { command: None, .. } if !names_a_bot(text) => return None,
                _ => {}
            }
        }
        Some(Job {
            chat_id: message.chat.id.0,
            user_id: message.from.as_ref().map_or_else(|| message.chat.id.0.to_string(), |u| u.id.0.to_string()),
            private: message.chat.is_private(),
            anonymous_admin: message.sender_chat.as_ref().is_some_and(|c| c.id == message.chat.id),
            thread_id: message.thread_id.filter(|_| message.is_topic_message).map(|t| t.0.0),
            message_id: message.id.0,
            text: text.to_string(),
        })
    }
}

/// `/cmd@Bot ...`: the command word carries a bot name.
fn names_a_bot(text: &str) -> bool {
    text.trim_start().split(char::is_whitespace).next().is_some_and(|head| head.contains('@'))
}

/// The asking user as the send limiter's requester (never 0, which is the digests').
fn requester(user_id: &str) -> limiter::Requester {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    user_id.hash(&mut h);
    h.finish().max(1)
}

/// A short one-way id for a chat, for logs (the log never holds platform ids).
fn chat_tag(chat_id: i64) -> String {
    hashed_id("telegram", &chat_id.to_string())
}

/// Is `user_id` an administrator (or the creator) of the group `chat_id`? Asked only for
/// subscription changes in groups; when Telegram cannot tell us, the answer is no.
async fn is_chat_admin(ctx: &Ctx, chat_id: i64, user_id: &str) -> bool {
    let Ok(user) = user_id.parse::<u64>() else { return false };
    match ctx.bot.get_chat_member(ChatId(chat_id), UserId(user)).send().await {
        Ok(member) => member.is_privileged(),
        Err(e) => {
            warn!(chat = %chat_tag(chat_id), "telegram: getChatMember failed, treating the sender as not an admin: {}", redact(&e.to_string(), &ctx.token));
            false
        }
    }
}

/// Answer one message through the gate, render, and send every part as a reply.
async fn answer(ctx: Arc<Ctx>, job: Job) {
    let started = Instant::now();
    let mut sender = GateSender::new("telegram", job.chat_id.to_string(), job.user_id.clone());
    sender.private = job.private;
    sender.chat_admin = job.anonymous_admin;
    sender.thread = job.thread_id.map(|t| t.to_string());
    sender.delivery = Some(limiter::delivery_rate(job.private));
    let is_admin = || is_chat_admin(&ctx, job.chat_id, &job.user_id);
    let (command, parts) = match ctx.gate.handle_checked(&sender, &job.text, ctx.username.as_deref(), Utc::now(), is_admin).await {
        Outcome::Answer(answer) => (answer.command.clone(), render_parts(&answer)),
        // A refusal, "busy", or a failure (the gate logged it): one plain message.
        Outcome::Notice(notice) => ("notice".to_string(), vec![text_message(&notice)]),
        Outcome::Silent => return,
    };
    let chat = chat_tag(job.chat_id);
    let count = parts.len();
    for html in parts {
        let outgoing = Outgoing { chat_id: job.chat_id, thread_id: job.thread_id, reply_to: Some(job.message_id), html, requester: requester(&job.user_id) };
        if let Err(e) = ctx.sender.send_message(&outgoing).await {
            error!(chat = %chat, "telegram: could not deliver the answer: {}", redact(&e.to_string(), &ctx.token));
            if command != "notice" {
                let apology = Outgoing { html: text_message(FAILURE_MESSAGE), ..outgoing };
                if let Err(e) = ctx.sender.send_message(&apology).await {
                    debug!(chat = %chat, "telegram: could not deliver the apology either: {}", redact(&e.to_string(), &ctx.token));
                }
            }
            return;
        }
    }
    debug!(chat = %chat, command = %command, parts = count, elapsed_ms = started.elapsed().as_millis() as u64, "telegram: delivered");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(chat: serde_json::Value, text: &str) -> Message {
        serde_json::from_value(serde_json::json!({
            "message_id": 7,
            "date": 1714300000,
            "chat": chat,
            "from": {"id": 5, "is_bot": false, "first_name": "Ana"},
            "text": text,
        }))
        .unwrap()
    }

    fn private(text: &str) -> Message {
        message(serde_json::json!({"id": 5, "type": "private", "first_name": "Ana"}), text)
    }

    fn group(text: &str) -> Message {
        message(serde_json::json!({"id": -100, "type": "group", "title": "Newsroom"}), text)
    }

    #[test]
    fn which_messages_get_answers() {
        let me = Some("BriefBot");
        assert!(Job::from_message(&private("hello"), me).is_some());
        assert!(Job::from_message(&private("/brief x"), me).is_some());
        assert!(Job::from_message(&group("hello"), me).is_none());
        assert!(Job::from_message(&group("/brief@OtherBot x"), me).is_none());
        assert!(Job::from_message(&group("/start"), me).is_none());
        assert!(Job::from_message(&group("/start@BriefBot"), me).is_some());
        assert!(Job::from_message(&group("/brief@BriefBot zangezur"), me).is_some());
        assert!(Job::from_message(&group("/brief"), me).is_some());
        let job = Job::from_message(&group("/quote x"), me).unwrap();
        assert_eq!((job.chat_id, job.message_id, job.thread_id), (-100, 7, None));
    }

    #[test]
    fn unreadable_updates_are_described_without_their_values() {
        let value = serde_json::json!({"update_id": 9, "message": {"text": "secret words", "from": {"id": 8675309}}});
        let described = describe_update(&value);
        assert_eq!(described, "message {from, text}");
        let e = serde_json::from_str::<u32>(r#""secret words""#).unwrap_err();
        assert!(e.to_string().contains("secret"), "serde quotes values: {e}");
        assert!(!json_error(&e).contains("secret"));
    }

    #[test]
    fn conflict_is_recognised() {
        assert!(is_conflict(&RequestError::Api(ApiError::TerminatedByOtherGetUpdates)));
        assert!(is_conflict(&RequestError::Api(ApiError::Unknown("Conflict: terminated by other getUpdates request".into()))));
        assert!(!is_conflict(&RequestError::Api(ApiError::Unknown("Bad Request".into()))));
    }

    #[test]
    fn salvages_readable_updates_and_skips_the_rest() {
        let raw = r#"{"ok":true,"result":[{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private","first_name":"A"},"text":"/help"}},{"update_id":6,"weird":[]},{"no_id":true}]}"#;
        let (updates, next) = salvage_updates(raw);
        assert_eq!(next, Some(7));
        assert!(!updates.is_empty());
        assert_eq!(updates[0].id.0, 5);
        assert_eq!(salvage_updates("not json"), (Vec::new(), None));
    }
}
