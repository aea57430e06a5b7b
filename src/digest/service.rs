//! What adapters call: the digest commands, with the chat's identity and permissions.
//!
//! Wiring (serve mode):
//!
//! ```ignore
//! let engine: Arc<Engine> = Arc::new(engine);
//! let digests = Arc::new(DigestService::open(&config.data.dir, &config.digest, engine.clone())?);
//! // Each adapter, per message, on a blocking thread (like dispatch::respond):
//! let ctx = ChatContext { chat: ChatRef::telegram(chat_id), is_group, is_admin };
//! let answer = digests.respond(answerer.as_ref(), &ctx, &text, username.as_deref(), Utc::now());
//! // Once, with a DigestSender per platform that runs in this process:
//! let senders = Senders::new().with(Platform::Telegram, telegram_sender).with(Platform::Discord, discord_sender);
//! tokio::spawn(digests.scheduler(senders, SystemClock).with_refresh(engine.clone()).run(shutdown_rx));
//! ```
//!
//! `is_admin` matters only for `/subscribe` and `/unsubscribe` in groups; an adapter that
//! must ask the platform (Telegram's getChatMember) can do so only when
//! [`needs_admin_check`] says so.

use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::schedule::next_slot;
use super::scheduler::{Scheduler, since_label};
use super::settings::{DigestSettings, parse_subscribe};
use super::store::{Store, Subscription};
use super::{ChatRef, Clock, STORE_FILE, Senders};
use crate::command::{self, Command, DIGEST_COMMANDS, Parsed};
use crate::config::DigestConfig;
use crate::core::answer::{Answer, AnswerItem, ItemKind};
use crate::core::digest::{ArticleSource, ComposeOptions, Window, compose_window};
use crate::dispatch::{self, Answerer};

/// Who is asking, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatContext {
    pub chat: ChatRef,
    /// A group, supergroup, channel or Discord server channel (not a private chat / DM).
    pub is_group: bool,
    /// The user may manage the group (Telegram: administrator or creator; Discord: Manage
    /// Channels or Manage Server). Ignored outside groups.
    pub is_admin: bool,
}

impl ChatContext {
    pub fn private(chat: ChatRef) -> Self {
        ChatContext { chat, is_group: false, is_admin: true }
    }

    pub fn group(chat: ChatRef, is_admin: bool) -> Self {
        ChatContext { chat, is_group: true, is_admin }
    }
}

/// Is this one of the digest commands the service answers?
pub fn is_digest_command(command: &Command) -> bool {
    matches!(command, Command::Subscribe { .. } | Command::Unsubscribe | Command::Subscription | Command::Digest)
}

/// Does the answer to `text` depend on whether the user is an admin (a subscription change,
/// or a change of the chat's topic alerts)?
pub fn needs_admin_check(text: &str, bot_username: Option<&str>) -> bool {
    matches!(
        command::parse(text, bot_username),
        Parsed::Command(Command::Subscribe { .. } | Command::Unsubscribe | Command::Follow { .. } | Command::Unfollow { .. })
    )
}

pub struct DigestService {
    store: Arc<Store>,
    source: Arc<dyn ArticleSource>,
    settings: DigestSettings,
}

fn notice(command: &str, query: &str, text: impl Into<String>, now: DateTime<Utc>) -> Answer {
    let mut a = Answer::new(command, query).with_notice(text);
    a.as_of = Some(now.date_naive());
    a
}

fn describe(s: &Subscription, now: DateTime<Utc>) -> String {
    let topics = if s.topics.is_empty() { "all new articles".to_string() } else { format!("new articles on {}", s.topics.join(", ")) };
    let (_, next) = next_slot(now, s.time, s.zone);
    format!(
        "a daily digest here at {} ({}), of {topics}. Next: {}.",
        s.time.format("%H:%M"),
        s.zone.name(),
        next.with_timezone(&s.zone).format("%a %-d %b %Y %H:%M %Z")
    )
}

impl DigestService {
    pub fn new(store: Arc<Store>, source: Arc<dyn ArticleSource>, settings: DigestSettings) -> Self {
        DigestService { store, source, settings }
    }

    /// Open `<data_dir>/briefbot.sqlite3` with the `[digest]` configuration.
    pub fn open(data_dir: &std::path::Path, config: &DigestConfig, source: Arc<dyn ArticleSource>) -> Result<Self> {
        let settings = DigestSettings::from_config(config)?;
        let store = Arc::new(Store::open(&data_dir.join(STORE_FILE))?);
        Ok(DigestService::new(store, source, settings))
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn settings(&self) -> &DigestSettings {
        &self.settings
    }

    /// The scheduler for this service's store (sharing it, so that `/subscribe` wakes it).
    pub fn scheduler<C: Clock + Clone>(&self, senders: Senders, clock: C) -> Scheduler<C> {
        Scheduler::new(self.store.clone(), self.source.clone(), senders, clock, self.settings.clone())
    }

    /// Answer one message, like [`dispatch::respond`], with the digest commands answered
    /// here and `/help` listing them too. `None` means stay silent.
    pub fn respond(&self, answerer: &dyn Answerer, ctx: &ChatContext, text: &str, bot_username: Option<&str>, now: DateTime<Utc>) -> Option<Answer> {
        match command::parse(text, bot_username) {
            Parsed::Command(cmd) if is_digest_command(&cmd) => self.handle(ctx, &cmd, now),
            Parsed::Command(Command::Help) => {
                let mut a = answerer.answer(&Command::Help, now);
                a.items.extend(digest_help_items());
                Some(a)
            }
            _ => dispatch::respond(answerer, text, bot_username, now),
        }
    }

    /// Answer a digest command; `None` for any other command.
    pub fn handle(&self, ctx: &ChatContext, command: &Command, now: DateTime<Utc>) -> Option<Answer> {
        let answer = match command {
            Command::Subscribe { args } => self.subscribe(ctx, args, now),
            Command::Unsubscribe => self.unsubscribe(ctx, now),
            Command::Subscription => self.subscription(ctx, now),
            Command::Digest => self.preview(ctx, now),
            _ => return None,
        };
        Some(answer.unwrap_or_else(|e| {
            tracing::error!(chat = %ctx.chat.log_tag(), "digest: {e:#}");
            notice(command.name(), command.argument(), "Sorry, the digest settings could not be read or saved just now.", now)
        }))
    }

    fn refuse(&self, ctx: &ChatContext, command: &Command, now: DateTime<Utc>) -> Option<Answer> {
        (ctx.is_group && !ctx.is_admin)
            .then(|| notice(command.name(), command.argument(), "Only admins can change the daily digest here. /subscription shows the current one.", now))
    }

    fn subscribe(&self, ctx: &ChatContext, args: &str, now: DateTime<Utc>) -> Result<Answer> {
        if let Some(a) = self.refuse(ctx, &Command::Subscribe { args: args.to_string() }, now) {
            return Ok(a);
        }
        let parsed = match parse_subscribe(args) {
            Ok(p) => p,
            Err(msg) => return Ok(notice("subscribe", args, format!("{msg}. Usage: /subscribe [HH:MM] [Area/City] [topics...]"), now)),
        };
        let existing = self.store.subscription(&ctx.chat)?.filter(|s| s.active);
        // Time and zone not given keep the current subscription's (or the defaults);
        // topics are replaced (none means everything).
        let time = parsed.time.or(existing.as_ref().map(|s| s.time)).unwrap_or(self.settings.default_time);
        let zone: Tz = parsed.zone.or(existing.as_ref().map(|s| s.zone)).unwrap_or(self.settings.default_zone);
        let sub = self.store.subscribe(&ctx.chat, time, zone, &parsed.topics, now)?;
        let verb = if existing.is_some() { "Updated" } else { "Subscribed" };
        Ok(notice("subscribe", args, format!("{verb}: {} /unsubscribe stops it.", describe(&sub, now)), now))
    }

    fn unsubscribe(&self, ctx: &ChatContext, now: DateTime<Utc>) -> Result<Answer> {
        if let Some(a) = self.refuse(ctx, &Command::Unsubscribe, now) {
            return Ok(a);
        }
        let text = if self.store.unsubscribe(&ctx.chat, now)? {
            "Unsubscribed: no more daily digests here. /subscribe starts them again."
        } else {
            "This chat has no daily digest to stop."
        };
        Ok(notice("unsubscribe", "", text, now))
    }

    fn subscription(&self, ctx: &ChatContext, now: DateTime<Utc>) -> Result<Answer> {
        let text = match self.store.subscription(&ctx.chat)?.filter(|s| s.active) {
            Some(s) => format!("This chat gets {}", describe(&s, now)),
            None => format!(
                "This chat has no daily digest. /subscribe [HH:MM] [Area/City] [topics...] sets one up (default {} {}).",
                self.settings.default_time.format("%H:%M"),
                self.settings.default_zone.name()
            ),
        };
        Ok(notice("subscription", "", text, now))
    }

    /// `/digest`: what the next digest would say if it were sent now (nothing is logged).
    fn preview(&self, ctx: &ChatContext, now: DateTime<Utc>) -> Result<Answer> {
        let sub = self.store.subscription(&ctx.chat)?.filter(|s| s.active);
        let zone = sub.as_ref().map_or(self.settings.default_zone, |s| s.zone);
        let topics = sub.as_ref().map(|s| s.topics.clone()).unwrap_or_default();
        let since = self.store.covered_until_for(&ctx.chat)?.filter(|_| sub.is_some()).unwrap_or(now - Duration::days(1));
        let window = Window { since, until: Some(now) };
        let opts = ComposeOptions { topics, since_label: since_label(since, zone), as_of: Some(now.with_timezone(&zone).date_naive()) };
        Ok(compose_window(self.source.as_ref(), &window, &opts))
    }
}

/// The digest commands as help lines.
pub fn digest_help_items() -> Vec<AnswerItem> {
    DIGEST_COMMANDS
        .iter()
        .map(|s| {
            let line = if s.args.is_empty() { format!("/{} - {}", s.name, s.description) } else { format!("/{} {} - {}", s.name, s.args, s.description) };
            AnswerItem::new(line, ItemKind::Help)
        })
        .collect()
}
