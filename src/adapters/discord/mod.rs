//! Discord adapter: serenity 0.12 on the gateway, slash commands as the main interface.
//!
//! - Start-up: the token is checked (`GET /users/@me`) and the gateway looked up through
//!   `discord.api_url`, so a wrong token or an unreachable API fails fast with a clear error.
//!   Slash commands are registered from [`crate::command::COMMANDS`] on the first READY,
//!   globally or in `discord.guild_ids`.
//! - Slash commands are answered with embeds ([`crate::render::discord`]); answers not ready
//!   within [`interactions::DEFER_AFTER`] are deferred and the original response edited.
//!   `topic` and `person` options autocomplete from [`Answerer::suggest`].
//! - With `discord.prefix_commands`, `!brief topic` in messages is answered too (this needs
//!   the privileged MESSAGE_CONTENT intent, which is requested only then). Messages from
//!   bots, webhooks and ourselves are ignored.
//! - Every message we send has `allowed_mentions` with an empty `parse` list.
//! - Gateway disconnects are resumed by serenity. REST calls we make honour 429s
//!   ([`rest`]). serenity's own rate limiter is kept on against the real Discord and turned
//!   off only for another `api_url` (it would otherwise ignore the proxy URL).
//! - Tokens (the bot's and interactions') never reach the log.

mod commands;
mod digest;
mod interactions;
mod rest;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use chrono::Utc;
use serenity::builder::CreateMessage;
use serenity::client::{ClientBuilder, Context, EventHandler};
use serenity::http::HttpBuilder;
use serenity::model::application::Interaction;
use serenity::model::channel::{Message, MessageFlags};
use serenity::model::event::ResumedEvent;
use serenity::model::gateway::{GatewayIntents, Ready};
use tracing::{error, info, warn};

use self::rest::Rest;
use crate::command::{self, Parsed};
use crate::config::{DiscordConfig, read_secret};
use crate::core::answer::Answer;
use crate::dispatch::Answerer;
use crate::gate::{Access, Gate, Limits as GateLimits, Outcome, Sender};
use crate::render::discord as render;

/// Discord's own API; any other `api_url` is a proxy or a test fake.
pub const DEFAULT_API_URL: &str = "https://discord.com";

/// What Discord delivers to one channel (5 messages every 5 seconds): the gate's per-chat
/// budget for Discord.
pub const CHANNEL_DELIVERY: crate::rate::Rate = crate::rate::Rate::new(5, Duration::from_secs(5));

/// How long shutdown waits for the gateway to close before giving up on it.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The bot token: env `DISCORD_TOKEN`, else the file named by `discord.token_file`.
/// `Ok(None)` when neither is set.
pub fn load_token(config: &DiscordConfig) -> anyhow::Result<Option<String>> {
    read_secret(std::env::var("DISCORD_TOKEN").ok(), config.token_file.as_deref())
}

/// Gateway intents: none are needed for slash commands; prefix commands need message events
/// and their content.
pub fn intents(config: &DiscordConfig) -> GatewayIntents {
    if config.prefix_commands {
        GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES | GatewayIntents::MESSAGE_CONTENT
    } else {
        GatewayIntents::empty()
    }
}

/// What every event handler shares.
struct Bot {
    answerer: Arc<dyn Answerer>,
    /// Limits, allowlists and the answer deadline shared with every adapter.
    gate: Arc<Gate>,
    rest: Arc<Rest>,
    guild_ids: Vec<u64>,
    prefix_commands: bool,
    /// Our own user id, from READY.
    me: OnceLock<u64>,
    registered: AtomicBool,
}

impl Bot {
    async fn register_commands(&self, application_id: u64) {
        if self.registered.load(Ordering::SeqCst) {
            return;
        }
        let commands = commands::slash_commands(self.gate.digests().is_some());
        let mut ok = true;
        if self.guild_ids.is_empty() {
            let path = format!("/applications/{application_id}/commands");
            if let Err(e) = self.rest.put(&path, "/applications/{app}/commands", &commands).await {
                error!(error = %e, "discord: registering slash commands failed");
                ok = false;
            }
        } else {
            for guild in &self.guild_ids {
                let path = format!("/applications/{application_id}/guilds/{guild}/commands");
                if let Err(e) = self.rest.put(&path, "/applications/{app}/guilds/{guild}/commands", &commands).await {
                    error!(guild, error = %e, "discord: registering slash commands in a guild failed");
                    ok = false;
                }
            }
        }
        if ok {
            self.registered.store(true, Ordering::SeqCst);
            let scope = if self.guild_ids.is_empty() { "globally".to_string() } else { format!("in {} guild(s)", self.guild_ids.len()) };
            info!(count = commands.len(), "discord: slash commands registered {scope}");
        }
    }

    /// A `!command` message (prefix commands only).
    async fn prefix_message(&self, msg: &Message) {
        let text = msg.content.trim();
        if !text.starts_with('!') {
            return;
        }
        // Only our commands: another bot's `!play` is not ours to answer with usage.
        match command::parse(text, None) {
            Parsed::Command(_) | Parsed::Usage { command: Some(_), .. } => {}
            Parsed::Usage { command: None, .. } | Parsed::ForAnotherBot | Parsed::NotACommand => return,
        }
        let gate = self.gate.clone();
        let owned = text.to_string();
        // Message events carry no permissions: subscription changes in servers need the
        // slash command (the refusal says only admins may; `/subscribe` works for them).
        let mut sender = Sender::new("discord", msg.channel_id.get().to_string(), msg.author.id.get().to_string());
        sender.guild = msg.guild_id.map(|g| g.get().to_string());
        sender.private = msg.guild_id.is_none();
        sender.delivery = Some(CHANNEL_DELIVERY);
        let answer = match tokio::spawn(async move { gate.handle(&sender, &owned, None, Utc::now()).await }).await {
            Ok(Outcome::Answer(answer)) => answer,
            Ok(Outcome::Notice(text)) => Answer::new("notice", "").with_notice(text),
            Ok(Outcome::Silent) => return,
            Err(e) => {
                error!(message = msg.id.get(), panicked = e.is_panic(), "discord: prefix command failed");
                let _ = self.send_message(msg, &render::short_message(interactions::FAILURE_TEXT), true).await;
                return;
            }
        };
        for (i, chunk) in render::markdown_messages(&answer).iter().enumerate() {
            if let Err(e) = self.send_message(msg, chunk, i == 0).await {
                error!(message = msg.id.get(), channel = msg.channel_id.get(), error = %e, "discord: sending an answer failed");
                return;
            }
        }
    }

    async fn send_message(&self, to: &Message, content: &str, reply: bool) -> Result<(), rest::RestError> {
        let mut body = CreateMessage::new().content(content).allowed_mentions(interactions::no_mentions()).flags(MessageFlags::SUPPRESS_EMBEDS);
        if reply {
            body = body.reference_message(to);
        }
        let path = format!("/channels/{}/messages", to.channel_id.get());
        self.rest.post(&path, "/channels/{channel}/messages", &body).await.map(drop)
    }
}

struct Handler(Arc<Bot>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.0.me.set(ready.user.id.get());
        info!(user = %ready.user.name, application = ready.application.id.get(), guilds = ready.guilds.len(), "discord: connected to the gateway");
        self.0.register_commands(ready.application.id.get()).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        info!("discord: gateway session resumed");
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(c) => interactions::command(&self.0, &c).await,
            Interaction::Autocomplete(c) => interactions::autocomplete(&self.0, &c).await,
            other => warn!(kind = ?other.kind(), "discord: ignoring an interaction we do not offer"),
        }
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        let bot = &self.0;
        if !bot.prefix_commands || msg.author.bot || msg.webhook_id.is_some() || bot.me.get() == Some(&msg.author.id.get()) {
            return;
        }
        bot.prefix_message(&msg).await;
    }
}

/// Run the Discord bot until `shutdown` becomes true (then the gateway is closed cleanly and
/// this returns `Ok`). Errors: the token refused, the API unreachable, or the gateway
/// failing for good.
pub async fn run(answerer: Arc<dyn Answerer>, config: &DiscordConfig, token: String, shutdown: tokio::sync::watch::Receiver<bool>) -> anyhow::Result<()> {
    let gate = Arc::new(Gate::new(answerer, GateLimits::default(), Access::default()));
    run_with_gate(gate, config, token, shutdown).await
}

/// [`run`] with the shared [`Gate`] built by the caller (limits and allowlists from the
/// configuration).
pub async fn run_with_gate(gate: Arc<Gate>, config: &DiscordConfig, token: String, shutdown: tokio::sync::watch::Receiver<bool>) -> anyhow::Result<()> {
    let outbox = Outbox::new(config, &token, gate.metrics().clone())?;
    run_with_outbox(gate, config, outbox, shutdown).await
}

/// [`run_with_gate`], sending through `outbox`, which the digest scheduler shares (one
/// REST client, so that 429s seen by one hold back the other).
pub async fn run_with_outbox(gate: Arc<Gate>, config: &DiscordConfig, outbox: Outbox, mut shutdown: tokio::sync::watch::Receiver<bool>) -> anyhow::Result<()> {
    let answerer = gate.answerer();
    let api_url = outbox.api_url.clone();
    let token = outbox.token.clone();
    let custom_api = api_url != DEFAULT_API_URL;
    let rest = outbox.rest.clone();

    // Fail fast, and never let serenity fall back to the real gateway when a custom
    // api_url is unreachable.
    let me = rest.get("/users/@me", "/users/@me").await.map_err(|e| match e.status() {
        Some(401) => anyhow!("discord: Discord refused the bot token (GET /users/@me: 401)"),
        _ => anyhow!("discord: cannot reach the API at {api_url}: {e}"),
    })?;
    rest.get("/gateway", "/gateway").await.map_err(|e| anyhow!("discord: gateway lookup at {api_url} failed: {e}"))?;
    let name = me.as_ref().and_then(|m| m.get("username")).and_then(|n| n.as_str()).unwrap_or("?").to_string();
    info!(bot = %name, api = %api_url, prefix_commands = config.prefix_commands, "discord: starting");

    let mut http = HttpBuilder::new(&token);
    if custom_api {
        http = http.proxy(api_url.clone()).ratelimiter_disabled(true);
    }
    let bot = Arc::new(Bot {
        answerer,
        gate,
        rest,
        guild_ids: config.guild_ids.clone(),
        prefix_commands: config.prefix_commands,
        me: OnceLock::new(),
        registered: AtomicBool::new(false),
    });
    let mut client = ClientBuilder::new_with_http(http.build(), intents(config)).event_handler(Handler(bot)).await.context("discord: building the client")?;

    if *shutdown.borrow() {
        return Ok(());
    }
    let manager = client.shard_manager.clone();
    let start = client.start();
    tokio::pin!(start);
    tokio::select! {
        result = &mut start => return result.map_err(|e| anyhow!("discord: gateway: {e}")),
        () = wait_for_shutdown(&mut shutdown) => {}
    }
    info!("discord: shutting down");
    // `shutdown_all` does nothing while the shard is still booting, so repeat it until the
    // client has stopped.
    let stop = async {
        loop {
            manager.shutdown_all().await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    tokio::select! {
        result = &mut start => result.map_err(|e| anyhow!("discord: gateway: {e}")),
        () = stop => Ok(()),
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            warn!("discord: the gateway did not close in time");
            Ok(())
        }
    }
}

/// The REST client of one bot token, shared by the adapter and the digest scheduler
/// ([`crate::digest::DigestSender`] is implemented in `digest.rs`).
#[derive(Clone)]
pub struct Outbox {
    rest: Arc<Rest>,
    api_url: String,
    token: String,
    /// Our user id, looked up once when a crashed digest send must be confirmed.
    me: Arc<tokio::sync::OnceCell<u64>>,
}

impl Outbox {
    /// Checks the token's form and `discord.api_url`; touches no network.
    pub fn new(config: &DiscordConfig, token: &str, metrics: Arc<crate::metrics::Metrics>) -> anyhow::Result<Outbox> {
        let api_url = config.api_url.trim().trim_end_matches('/').to_string();
        let rest = Rest::new(&api_url, token)?.with_metrics(metrics);
        Ok(Outbox { rest: Arc::new(rest), api_url, token: token.to_string(), me: Arc::new(tokio::sync::OnceCell::new()) })
    }
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").field("api_url", &self.api_url).field("token", &"[REDACTED]").finish()
    }
}

/// Resolves when `shutdown` is (or becomes) true; never, if the sender goes away.
async fn wait_for_shutdown(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}
