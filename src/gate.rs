//! Abuse, load and privacy controls shared by every adapter: per-user and per-chat rate
//! limits, a deadline on every answer with a bounded pool for the heavy work, allowlists,
//! and hashed user identifiers for logs. Adapters call [`Gate::handle`] instead of
//! answering directly, so the rules are the same everywhere.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::alerts::AlertService;
use crate::alerts::service::{changes_follows, is_alert_command};
use crate::command::{self, Command, Parsed};
use crate::core::answer::{Answer, AnswerItem, ItemKind};
use crate::digest::service::is_digest_command;
use crate::digest::{ChatContext, ChatRef, DigestService, Platform};
use crate::dispatch::{self, Answerer};
use crate::metrics::Metrics;
pub use crate::rate::{Budget, Rate, RateDecision, RateLimiter};

/// Who sent a message, and where. Ids are platform ids as strings ("-100123", "9876").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub platform: &'static str,
    pub chat: String,
    pub user: String,
    /// Discord guild (server) id, when there is one.
    pub guild: Option<String>,
    pub private: bool,
    /// The user may manage this group (Telegram: administrator or creator; Discord: Manage
    /// Channels). Only subscription changes depend on it, so adapters that must ask the
    /// platform do so only when [`crate::digest::service::needs_admin_check`] says so.
    pub chat_admin: bool,
    /// Where in the chat a digest subscribed from here is posted (a Telegram forum topic).
    pub thread: Option<String>,
    /// What the platform delivers to this chat (set by the adapter: Telegram 20 messages a
    /// minute in a group; Discord 5 every 5 seconds in a channel). The chat's budget follows
    /// it; `limits.per_chat_per_minute` can only lower it.
    pub delivery: Option<Rate>,
}

impl Sender {
    /// A sender in a group (`private: false`), not an admin, no guild, no thread.
    pub fn new(platform: &'static str, chat: impl Into<String>, user: impl Into<String>) -> Sender {
        Sender { platform, chat: chat.into(), user: user.into(), guild: None, private: false, chat_admin: false, thread: None, delivery: None }
    }

    /// The chat as a digest subscription sees it; `None` on a platform without digests.
    pub fn chat_context(&self) -> Option<ChatContext> {
        let platform = Platform::parse(self.platform)?;
        let mut chat = ChatRef::new(platform, self.chat.clone());
        chat.thread_id = self.thread.clone();
        Some(if self.private { ChatContext::private(chat) } else { ChatContext::group(chat, self.chat_admin) })
    }
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub per_user_per_minute: u32,
    /// A cap of our own on commands per chat per minute; 0: none (the platform's delivery
    /// limit in [`Sender::delivery`] applies alone).
    pub per_chat_per_minute: u32,
    pub deadline: Duration,
    /// Concurrent heavy answers; 0 means the number of cores.
    pub heavy_concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { per_user_per_minute: 10, per_chat_per_minute: 0, deadline: Duration::from_secs(5), heavy_concurrency: 0 }
    }
}

/// Where the bot answers. Empty lists mean everywhere.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub allowed_chats: Vec<String>,
    pub allowed_guilds: Vec<String>,
    /// `platform:user` ids allowed to run bot-wide commands.
    pub admins: Vec<String>,
}

impl Access {
    pub fn allows(&self, sender: &Sender) -> bool {
        let chat_ok = self.allowed_chats.is_empty() || self.allowed_chats.contains(&sender.chat);
        let guild_ok = self.allowed_guilds.is_empty() || sender.guild.as_ref().is_some_and(|g| self.allowed_guilds.contains(g));
        match (self.allowed_chats.is_empty(), self.allowed_guilds.is_empty()) {
            (true, true) => true,
            // Either list admits a message; a configured list that does not admit it refuses.
            (false, true) => chat_ok,
            (true, false) => guild_ok || (sender.guild.is_none() && sender.private),
            (false, false) => chat_ok || guild_ok,
        }
    }

    pub fn is_admin(&self, sender: &Sender) -> bool {
        let id = format!("{}:{}", sender.platform, sender.user);
        self.admins.contains(&id)
    }
}

/// What the adapter should do with a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Answer(Answer),
    /// A short message for the user (a first rate-limit refusal, "busy, try again").
    Notice(String),
    /// Say nothing (repeated refusals, other bots' commands, chats not allowed).
    Silent,
}

/// Hashed ids for logs live in [`crate::ids`] (the digest scheduler uses them too, and it
/// must not import the gate, which imports it).
pub use crate::ids::hashed_id;

pub struct Gate {
    answerer: Arc<dyn Answerer>,
    limits: Limits,
    access: Access,
    limiter: RateLimiter,
    heavy: Arc<tokio::sync::Semaphore>,
    /// Subscriptions and `/digest`; without it the digest commands say digests are not set up.
    digests: Option<Arc<DigestService>>,
    /// `/follow`, `/unfollow`, `/following`; without it they say alerts are not set up.
    alerts: Option<Arc<AlertService>>,
    /// Shared with `/metrics`: adapters count what they send here.
    metrics: Arc<Metrics>,
}

/// Commands cheap enough to skip the heavy-work pool: a list, a settings row. They still
/// run under the deadline, so a light command is answered while heavy ones fill the pool.
fn is_light(parsed: &Parsed) -> bool {
    match parsed {
        Parsed::Command(c) => {
            is_alert_command(c) || matches!(c, Command::Help | Command::Sources | Command::Subscribe { .. } | Command::Unsubscribe | Command::Subscription)
        }
        Parsed::Usage { .. } | Parsed::NotACommand => true,
        Parsed::ForAnotherBot => true,
    }
}

pub const BUSY_MESSAGE: &str = "I'm busy right now; please try again in a moment.";

impl Gate {
    pub fn new(answerer: Arc<dyn Answerer>, limits: Limits, access: Access) -> Gate {
        let permits = if limits.heavy_concurrency == 0 { std::thread::available_parallelism().map_or(2, |n| n.get()) } else { limits.heavy_concurrency };
        Gate {
            answerer,
            limits,
            access,
            limiter: RateLimiter::default(),
            heavy: Arc::new(tokio::sync::Semaphore::new(permits)),
            digests: None,
            alerts: None,
            metrics: Arc::new(Metrics::new()),
        }
    }

    /// Answer `/follow`, `/unfollow` and `/following` from `alerts` (follows in its store).
    pub fn with_alerts(mut self, alerts: Arc<AlertService>) -> Gate {
        self.alerts = Some(alerts);
        self
    }

    pub fn alerts(&self) -> Option<&Arc<AlertService>> {
        self.alerts.as_ref()
    }

    /// Answer the digest commands from `digests` (subscriptions in its store).
    pub fn with_digests(mut self, digests: Arc<DigestService>) -> Gate {
        self.digests = Some(digests);
        self
    }

    /// Count into `metrics` (the one `/metrics` shows) instead of a private set.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Gate {
        self.metrics = metrics;
        self
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub fn digests(&self) -> Option<&Arc<DigestService>> {
        self.digests.as_ref()
    }

    pub fn answerer(&self) -> Arc<dyn Answerer> {
        self.answerer.clone()
    }

    pub fn access(&self) -> &Access {
        &self.access
    }

    /// Decide and, if allowed, answer within the deadline. Logs carry the command name and
    /// a hashed user id, never the message text.
    pub async fn handle(&self, sender: &Sender, text: &str, bot_username: Option<&str>, now: DateTime<Utc>) -> Outcome {
        self.handle_checked(sender, text, bot_username, now, || async { false }).await
    }

    /// [`Gate::handle`], asking `is_chat_admin` (a platform call such as Telegram's
    /// getChatMember) only for a subscription change in a group whose sender is not already
    /// known to be an admin, and only after the rate limits let the message through, so
    /// that a flood never turns into a flood of platform calls.
    pub async fn handle_checked<F, Fut>(&self, sender: &Sender, text: &str, bot_username: Option<&str>, now: DateTime<Utc>, is_chat_admin: F) -> Outcome
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        if !self.access.allows(sender) {
            self.metrics.refused("not_allowed");
            return Outcome::Silent;
        }
        let parsed = command::parse(text, bot_username);
        let name = match &parsed {
            Parsed::Command(c) => c.name(),
            Parsed::ForAnotherBot => return Outcome::Silent,
            Parsed::NotACommand if !sender.private => return Outcome::Silent,
            _ => "usage",
        };
        let user_key = format!("u:{}:{}", sender.platform, sender.user);
        let chat_key = format!("c:{}:{}", sender.platform, sender.chat);
        let user_rates = [Rate::per_minute(self.limits.per_user_per_minute)];
        let chat_rates = self.chat_rates(sender);
        match self.limiter.check(&[Budget::user(&user_key, &user_rates), Budget::chat(&chat_key, &chat_rates)], Instant::now()) {
            RateDecision::Allow => {}
            RateDecision::Refuse { retry_after, notify } => {
                self.metrics.refused("rate_limit");
                // One line per refusal that is answered; the silent ones go to debug, so
                // that a flood does not become a log flood either.
                if notify {
                    tracing::info!(command = name, user = %hashed_id(sender.platform, &sender.user), "rate limited");
                } else {
                    tracing::debug!(command = name, user = %hashed_id(sender.platform, &sender.user), "rate limited again");
                }
                return if notify {
                    Outcome::Notice(format!("Too many requests; please try again in {} seconds.", retry_after.as_secs().max(1)))
                } else {
                    Outcome::Silent
                };
            }
        }
        let started = Instant::now();
        let deadline = self.limits.deadline;
        if matches!(parsed, Parsed::Command(Command::Status)) {
            let outcome = self.status(sender, now).await;
            tracing::info!(command = name, user = %hashed_id(sender.platform, &sender.user), ms = started.elapsed().as_millis() as u64, "answered");
            return outcome;
        }
        let mut sender = sender.clone();
        let changes_subscription = matches!(&parsed, Parsed::Command(Command::Subscribe { .. } | Command::Unsubscribe)) && self.digests.is_some();
        let changes_alerts = matches!(&parsed, Parsed::Command(c) if changes_follows(c)) && self.alerts.is_some();
        if (changes_subscription || changes_alerts) && !sender.private && !sender.chat_admin {
            sender.chat_admin = match tokio::time::timeout(deadline, is_chat_admin()).await {
                Ok(admin) => admin,
                Err(_) => return self.busy(),
            };
        }
        // Wait for a heavy-work slot only as long as the deadline allows.
        let permit = if is_light(&parsed) {
            None
        } else {
            match tokio::time::timeout(deadline, self.heavy.clone().acquire_owned()).await {
                Ok(Ok(p)) => Some(p),
                _ => return self.busy(),
            }
        };
        let answerer = self.answerer.clone();
        let text = text.to_string();
        let bot = bot_username.map(str::to_string);
        let digests = self.digests.clone();
        let context = sender.chat_context();
        let metrics = self.metrics.clone();
        let digest_command = matches!(&parsed, Parsed::Command(c) if is_digest_command(c));
        let alert_command = match &parsed {
            Parsed::Command(c) if is_alert_command(c) => Some(c.clone()),
            _ => None,
        };
        let alerts = self.alerts.clone();
        let job = tokio::task::spawn_blocking(move || {
            // The permit lives as long as the work, even past the deadline: the pool stays bounded.
            let _permit = permit;
            if let Some(command) = alert_command {
                let answer = match (alerts, &context) {
                    (Some(alerts), Some(ctx)) => alerts.handle(ctx, &command, now),
                    (None, Some(_)) => Some(
                        Answer::new(command.name(), command.argument())
                            .with_notice("Topic alerts are not available on this bot just now: its alert store could not be opened."),
                    ),
                    // A front end without chats: the answerer explains where alerts work.
                    (_, None) => dispatch::respond(answerer.as_ref(), &text, bot.as_deref(), now),
                };
                metrics.record_answer(name, started.elapsed());
                return answer;
            }
            match (digests, context) {
                (Some(digests), Some(ctx)) => {
                    let answer = digests.respond(answerer.as_ref(), &ctx, &text, bot.as_deref(), now);
                    // The answerer counts the other commands itself.
                    if digest_command {
                        metrics.record_answer(name, started.elapsed());
                    }
                    answer
                }
                _ => dispatch::respond(answerer.as_ref(), &text, bot.as_deref(), now),
            }
        });
        let remaining = deadline.saturating_sub(started.elapsed());
        let outcome = match tokio::time::timeout(remaining, job).await {
            Ok(Ok(Some(answer))) => Outcome::Answer(answer),
            Ok(Ok(None)) => Outcome::Silent,
            Ok(Err(e)) => {
                // Not `{e}`: a panic's message may quote the text it choked on.
                tracing::error!(command = name, panicked = e.is_panic(), "answer failed");
                Outcome::Notice("Sorry, something went wrong answering that. Please try again later.".to_string())
            }
            Err(_) => self.busy(),
        };
        tracing::info!(command = name, user = %hashed_id(sender.platform, &sender.user), ms = started.elapsed().as_millis() as u64, "answered");
        outcome
    }
}

impl Gate {
    /// `/status` for an admin (`access.admins`); everybody else gets [`ADMINS_ONLY_MESSAGE`].
    /// Light work (counters and one SQLite read), off the async threads, under the deadline.
    async fn status(&self, sender: &Sender, now: DateTime<Utc>) -> Outcome {
        let started = Instant::now();
        if !self.access.is_admin(sender) {
            self.metrics.record_answer("status", started.elapsed());
            return Outcome::Notice(ADMINS_ONLY_MESSAGE.to_string());
        }
        let metrics = self.metrics.clone();
        let digests = self.digests.clone();
        let job = tokio::task::spawn_blocking(move || {
            let answer = status_answer(&metrics, digests.as_deref(), now);
            metrics.record_answer("status", started.elapsed());
            answer
        });
        match tokio::time::timeout(self.limits.deadline, job).await {
            Ok(Ok(answer)) => Outcome::Answer(answer),
            Ok(Err(e)) => {
                tracing::error!(command = "status", panicked = e.is_panic(), "answer failed");
                Outcome::Notice("Sorry, something went wrong answering that. Please try again later.".to_string())
            }
            Err(_) => self.busy(),
        }
    }

    /// The chat's budget: what the platform delivers there, and our own cap when one is set.
    fn chat_rates(&self, sender: &Sender) -> Vec<Rate> {
        let own = (self.limits.per_chat_per_minute > 0).then(|| Rate::per_minute(self.limits.per_chat_per_minute));
        sender.delivery.into_iter().chain(own).collect()
    }

    fn busy(&self) -> Outcome {
        self.metrics.refused("busy");
        Outcome::Notice(BUSY_MESSAGE.to_string())
    }

    /// Keys (users and chats) the rate limiter tracks now, for tests and benchmarks.
    pub fn tracked_keys(&self) -> usize {
        self.limiter.tracked_keys()
    }
}

/// What `/status` says to anybody not in `access.admins`.
pub const ADMINS_ONLY_MESSAGE: &str = "This command is for the bot's admins.";

/// The `/status` answer: corpus size, active digest subscriptions (when digests are set
/// up), answers given, messages sent and failed, platform 429s, uptime. Counters only: no
/// chat, user or message appears in it.
pub fn status_answer(metrics: &Metrics, digests: Option<&DigestService>, now: DateTime<Utc>) -> Answer {
    let corpus = metrics.corpus();
    let subscriptions = match digests.map(|d| d.store().active_subscriptions()) {
        None => "not set up".to_string(),
        Some(Ok(subs)) => {
            let mut by_platform: Vec<(&str, usize)> = Vec::new();
            for sub in &subs {
                let p = sub.chat.platform.as_str();
                match by_platform.iter_mut().find(|(name, _)| *name == p) {
                    Some((_, n)) => *n += 1,
                    None => by_platform.push((p, 1)),
                }
            }
            let detail: Vec<String> = by_platform.iter().map(|(p, n)| format!("{p} {n}")).collect();
            if detail.is_empty() { "0 active".to_string() } else { format!("{} active ({})", subs.len(), detail.join(", ")) }
        }
        Some(Err(e)) => {
            tracing::warn!("status: could not count subscriptions: {e:#}");
            "could not be read".to_string()
        }
    };
    let lines = [
        format!(
            "Corpus: {} articles, {} sentences, {} quotes, {} entities{}",
            corpus.articles,
            corpus.sentences,
            corpus.quotes,
            corpus.entities,
            match corpus.failed {
                0 => String::new(),
                n => format!("; {n} left out (analysis failed, see the log)"),
            }
        ),
        format!("Digest subscriptions: {subscriptions}"),
        format!("Answers given: {}", metrics.answers_total()),
        format!("Messages sent: {}; send errors: {}; 429s from platforms: {}", metrics.messages_sent(), metrics.send_errors(), metrics.rate_limited_count()),
        format!(
            "Refused: {} over a rate limit, {} busy, {} in chats not allowed",
            metrics.refusals("rate_limit"),
            metrics.refusals("busy"),
            metrics.refusals("not_allowed")
        ),
        format!("Uptime: {}", uptime_text(metrics.uptime())),
    ];
    let mut answer = Answer::new("status", "");
    answer.items = lines.into_iter().map(|l| AnswerItem::new(l, ItemKind::Help)).collect();
    answer.as_of = Some(now.date_naive());
    answer
}

/// "3 d 4 h 5 min", "4 h 5 min", "5 min 6 s", "6 s".
fn uptime_text(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, mins, secs) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if days > 0 {
        format!("{days} d {hours} h {mins} min")
    } else if hours > 0 {
        format!("{hours} h {mins} min")
    } else if mins > 0 {
        format!("{mins} min {secs} s")
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    struct Slow(Duration);
    impl Answerer for Slow {
        fn answer(&self, c: &Command, _now: DateTime<Utc>) -> Answer {
            std::thread::sleep(self.0);
            Answer::new(c.name(), c.argument())
        }
        fn suggest(&self, _: &str, _: usize) -> Vec<String> {
            Vec::new()
        }
    }

    fn sender(user: &str, chat: &str) -> Sender {
        Sender::new("test", chat, user)
    }

    #[test]
    fn allowlists() {
        let open = Access::default();
        assert!(open.allows(&sender("1", "2")));
        let only = Access { allowed_chats: vec!["2".into()], ..Default::default() };
        assert!(only.allows(&sender("1", "2")));
        assert!(!only.allows(&sender("1", "3")));
        let guilds = Access { allowed_guilds: vec!["g1".into()], ..Default::default() };
        let mut s = sender("1", "2");
        s.guild = Some("g1".into());
        assert!(guilds.allows(&s));
        s.guild = Some("g2".into());
        assert!(!guilds.allows(&s));
        assert_ne!(hashed_id("telegram", "42"), "42");
        assert_eq!(hashed_id("telegram", "42"), hashed_id("telegram", "42"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn deadline_turns_into_busy_and_pool_stays_bounded() {
        let limits = Limits { deadline: Duration::from_millis(200), heavy_concurrency: 1, per_user_per_minute: 100, per_chat_per_minute: 100 };
        let gate = Arc::new(Gate::new(Arc::new(Slow(Duration::from_millis(600))), limits, Access::default()));
        let now = Utc::now();
        let a = gate.handle(&sender("1", "c"), "/brief x", None, now).await;
        assert_eq!(a, Outcome::Notice(BUSY_MESSAGE.to_string()));
        // The slow job still holds the only slot: the next one cannot start and is busy at once.
        let b = gate.handle(&sender("2", "c"), "/brief y", None, now).await;
        assert_eq!(b, Outcome::Notice(BUSY_MESSAGE.to_string()));
        assert_eq!(gate.metrics().refusals("busy"), 2);
    }

    #[tokio::test]
    async fn status_is_for_admins_only() {
        let metrics = Arc::new(Metrics::new());
        metrics.set_corpus(&crate::core::engine::Stats { articles: 5, sentences: 120, quotes: 9, entities: 40, failed: 1 });
        metrics.record_answer("brief", Duration::from_millis(3));
        metrics.message_sent();
        metrics.message_sent();
        metrics.send_error();
        metrics.rate_limited();
        let access = Access { admins: vec!["test:42".into(), "discord:42".into()], ..Default::default() };
        let limits = Limits { per_user_per_minute: 2, ..Limits::default() };
        let gate = Gate::new(Arc::new(Slow(Duration::ZERO)), limits, access).with_metrics(metrics.clone());
        let now = Utc::now();

        let Outcome::Answer(answer) = gate.handle(&sender("42", "room"), "/status", None, now).await else { panic!("an admin gets the status") };
        assert_eq!(answer.command, "status");
        let lines: Vec<&str> = answer.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            lines[..5],
            [
                "Corpus: 5 articles, 120 sentences, 9 quotes, 40 entities; 1 left out (analysis failed, see the log)",
                "Digest subscriptions: not set up",
                "Answers given: 1",
                "Messages sent: 2; send errors: 1; 429s from platforms: 1",
                "Refused: 0 over a rate limit, 0 busy, 0 in chats not allowed",
            ]
        );
        assert!(lines.len() == 6 && lines[5].starts_with("Uptime: ") && lines[5].ends_with(" s"), "{lines:?}");
        assert_eq!(metrics.answers("status"), 1);

        // Same id on another platform, or another id: not an admin.
        let mut other_platform = sender("42", "room");
        other_platform.platform = "telegram";
        for who in [sender("43", "room"), other_platform] {
            assert_eq!(gate.handle(&who, "/status", None, now).await, Outcome::Notice(ADMINS_ONLY_MESSAGE.to_string()));
        }
        // The refusal goes through the rate limits like any command: one more, then the
        // limit's notice, then silence.
        let stranger = sender("43", "room");
        assert_eq!(gate.handle(&stranger, "/status", None, now).await, Outcome::Notice(ADMINS_ONLY_MESSAGE.to_string()));
        assert!(matches!(gate.handle(&stranger, "/status", None, now).await, Outcome::Notice(n) if n.starts_with("Too many requests")));
        assert_eq!(gate.handle(&stranger, "/status", None, now).await, Outcome::Silent);
        assert_eq!(uptime_text(Duration::from_secs(3 * 86_400 + 4 * 3600 + 5 * 60 + 6)), "3 d 4 h 5 min");
        assert_eq!(uptime_text(Duration::from_secs(65)), "1 min 5 s");
    }

    #[tokio::test]
    async fn flood_from_one_user_leaves_others_answered() {
        let gate = Gate::new(Arc::new(Slow(Duration::ZERO)), Limits::default(), Access::default());
        let now = Utc::now();
        let mut notices = 0;
        let mut answers = 0;
        for _ in 0..1000 {
            match gate.handle(&sender("flooder", "room"), "/brief x", None, now).await {
                Outcome::Answer(_) => answers += 1,
                Outcome::Notice(_) => notices += 1,
                Outcome::Silent => {}
            }
        }
        assert_eq!((answers, notices), (10, 1), "ten answers, one refusal, then silence");
        assert_eq!(gate.metrics().refusals("rate_limit"), 990);
        assert!(matches!(gate.handle(&sender("other", "room"), "/brief x", None, now).await, Outcome::Answer(_)));
    }
}
