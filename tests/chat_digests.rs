//! Daily digests through the real adapters: subscription commands arrive as Telegram
//! messages and Discord slash commands (admin checks included), and the scheduler posts
//! the digest with the adapters' own senders to fake platforms on 127.0.0.1. The store is a
//! real SQLite file and the corpus a real index on disk; only the scheduler's clock is a
//! test clock, so no test sleeps until a digest is due.

#![cfg(all(feature = "telegram", feature = "discord"))]

mod digest_support;
#[path = "support_discord/fake.rs"]
mod discord_fake;
#[path = "support_telegram/fake.rs"]
mod telegram_fake;

use std::sync::Arc;
use std::time::Duration;

use briefbot::adapters::{discord, telegram};
use briefbot::config::{DiscordConfig, TelegramConfig};
use briefbot::core::digest::ArticleSource;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::digest::schedule::next_slot;
use briefbot::digest::{ChatRef, Clock, Confirmation, DigestSender, DigestService, DigestSettings, Platform, Senders, Store, TestClock};
use briefbot::gate::{Access, Gate, Limits};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use digest_support::{hm, open_store, write_article};
use serde_json::{Value, json};
use tokio::sync::watch;

const WAIT: Duration = Duration::from_secs(10);

const STRIKE: &str = "Dock workers at Port Meridian walked out on Saturday after talks over night-shift pay collapsed.\n\n\
\"We asked for a fair night rate and got a lecture on productivity,\" union leader Hanna Korhonen said.";
const GLACIER: &str = "Alpine glaciers lost a record share of their ice this summer, scientists at the Zermatt observatory reported on Friday.";
const STRIKE_ENDS: &str = "Dock workers at Port Meridian voted on Thursday to end their strike after accepting a six per cent rise in night-shift pay.";

/// A corpus folder, an index and a subscription store in one temporary folder.
struct Fixture {
    _dir: tempfile::TempDir,
    corpus: std::path::PathBuf,
    engine: Arc<Engine>,
    store: Arc<Store>,
    service: Arc<DigestService>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        let engine = Arc::new(engine);
        let store = Arc::new(open_store(&dir.path().join("data")).unwrap());
        let source: Arc<dyn ArticleSource> = engine.clone();
        let service = Arc::new(DigestService::new(store.clone(), source, DigestSettings::default()));
        Fixture { corpus, engine, store, service, _dir: dir }
    }

    /// Articles that arrive at `at`.
    fn arrive(&self, at: DateTime<Utc>, articles: &[(&str, &str, &str)]) {
        for (name, title, body) in articles {
            write_article(&self.corpus, name, title, "2025-06-01", body);
        }
        let report = self.engine.refresh_at(Some(at)).unwrap();
        assert_eq!(report.added, articles.len(), "{report:?}");
    }

    fn gate(&self) -> Arc<Gate> {
        Arc::new(Gate::new(self.engine.clone(), Limits::default(), Access::default()).with_digests(self.service.clone()))
    }
}

/// The scheduler's clock at the first 09:30 UTC after now (the time the tests subscribe to).
fn at_next_slot() -> TestClock {
    let (_, slot) = next_slot(Utc::now(), hm("09:30"), Tz::UTC);
    TestClock::new(slot)
}

// ---------------------------------------------------------------------------------------
// Telegram

fn telegram_config(fake: &telegram_fake::FakeTelegram) -> TelegramConfig {
    TelegramConfig { api_url: fake.url.clone(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None }
}

const FORUM: i64 = -100_777;
const TOPIC: i64 = 42;
const MEMBER: i64 = 7;
const ADMIN: i64 = 8;

/// A message in topic [`TOPIC`] of the forum supergroup [`FORUM`]; returns its message id.
fn push_topic_message(fake: &telegram_fake::FakeTelegram, user: i64, text: &str, message_id: i64) -> i64 {
    let chat = json!({ "id": FORUM, "type": "supergroup", "title": "Newsroom", "is_forum": true });
    let mut message = telegram_fake::message_json(message_id, chat, user, text);
    message["message_thread_id"] = json!(TOPIC);
    message["is_topic_message"] = json!(true);
    fake.push_update(json!({ "message": message }));
    message_id
}

async fn telegram_reply(fake: &telegram_fake::FakeTelegram, message_id: i64) -> String {
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(message_id).is_empty()).await, "no reply to message {message_id}");
    fake.replies_to(message_id)[0]["text"].as_str().unwrap_or_default().to_string()
}

/// Accepted messages to `chat` that reply to nobody: the digests.
fn digests_in(fake: &telegram_fake::FakeTelegram, chat: i64) -> Vec<Value> {
    fake.delivered().into_iter().filter(|b| b["chat_id"].as_i64() == Some(chat) && telegram_fake::reply_target(b).is_none()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_admins_subscribe_a_forum_topic_and_its_digest_arrives_there_once() {
    let fx = Fixture::new();
    let fake = telegram_fake::FakeTelegram::start().await;
    let config = telegram_config(&fake);
    let gate = fx.gate();
    let outbox = telegram::Outbox::new(&config, telegram_fake::TOKEN, gate.metrics().clone()).unwrap();
    let (stop, rx) = watch::channel(false);
    let bot = {
        let (gate, outbox) = (gate.clone(), outbox.clone());
        tokio::spawn(async move { telegram::run_with_outbox(gate, &config, outbox, rx).await })
    };
    assert!(fake.wait_until(WAIT, |f| !f.calls("getUpdates").is_empty()).await, "the bot polls");

    // The command menu offers the digest commands.
    let menu = fake.calls("setMyCommands")[0].body.to_string();
    assert!(menu.contains("\"subscribe\"") && menu.contains("\"unsubscribe\""), "{menu}");

    // A plain member may not subscribe the group; Telegram is asked once.
    let text = telegram_reply(&fake, push_topic_message(&fake, MEMBER, "/subscribe 09:30 port", 9001)).await;
    assert!(text.contains("Only admins"), "{text}");
    assert_eq!(fake.calls("getChatMember").len(), 1);
    assert!(fx.store.subscription(&ChatRef::telegram(FORUM)).unwrap().is_none());

    // An administrator may; the subscription remembers the topic it was made in.
    fake.set_member_status(FORUM, ADMIN, "administrator");
    let text = telegram_reply(&fake, push_topic_message(&fake, ADMIN, "/subscribe 09:30 port", 9002)).await;
    assert!(text.contains("Subscribed: a daily digest here at 09:30"), "{text}");
    let sub = fx.store.subscription(&ChatRef::telegram(FORUM)).unwrap().expect("stored");
    assert!(sub.active);
    assert_eq!((sub.topics.clone(), sub.chat.thread_id.clone()), (vec!["port".to_string()], Some(TOPIC.to_string())));

    // Anyone may read the settings; no admin check is needed for that.
    let text = telegram_reply(&fake, push_topic_message(&fake, MEMBER, "/subscription", 9003)).await;
    assert!(text.contains("09:30") && text.contains("port"), "{text}");
    assert_eq!(fake.calls("getChatMember").len(), 2, "only the two subscription changes asked Telegram");

    // In a private chat the user owns the chat: no admin check.
    let id = fake.push_message(telegram_fake::private_chat(55), 55, "/subscribe 09:30 glaciers");
    assert!(telegram_reply(&fake, id).await.contains("Subscribed:"));
    assert_eq!(fake.calls("getChatMember").len(), 2);

    // News arrives; at 09:30 the scheduler posts through the adapter's own sender.
    fx.arrive(Utc::now(), &[("strike", "Dock workers walk out at Port Meridian", STRIKE), ("glacier", "Glacier melt sets a record", GLACIER)]);
    let clock = at_next_slot();
    let scheduler = fx.service.scheduler(Senders::new().with(Platform::Telegram, outbox.clone()), clock.clone());
    let report = scheduler.tick().await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    let forum = digests_in(&fake, FORUM);
    assert_eq!(forum.len(), 1, "{forum:#?}");
    let digest = &forum[0];
    assert_eq!(digest["message_thread_id"], json!(TOPIC), "posted in the subscribed topic");
    let text = digest["text"].as_str().unwrap();
    assert!(text.contains("Port Meridian") && !text.contains("Glacier"), "only the subscribed topic: {text}");
    assert!(text.contains("fair night rate") && text.contains("Hanna Korhonen"), "the key quote with its speaker: {text}");
    let private = digests_in(&fake, 55);
    assert_eq!(private.len(), 1);
    assert!(private[0]["text"].as_str().unwrap().contains("Glacier"));

    // The same slot again (a restart, a second tick): nothing is posted twice.
    scheduler.tick().await.unwrap();
    assert_eq!(digests_in(&fake, FORUM).len(), 1);

    // The bot is removed from the group: the next day's digest finds it gone, and the
    // subscription is switched off instead of being retried forever.
    fake.forbid_chat(FORUM);
    // It arrives after the first digest went out, so the next day's digest has it.
    fx.arrive(clock.now() + chrono::Duration::hours(1), &[("strike-ends", "Port Meridian strike ends", STRIKE_ENDS)]);
    clock.advance(chrono::Duration::days(1));
    let report = scheduler.tick().await.unwrap();
    assert_eq!(report.gone, 1, "{report:?}");
    let sub = fx.store.subscription(&ChatRef::telegram(FORUM)).unwrap().unwrap();
    assert!(!sub.active && sub.inactive_reason.is_some(), "{sub:?}");
    assert!(gate.metrics().send_errors() >= 1 && gate.metrics().messages_sent() >= 6);

    stop.send(true).unwrap();
    tokio::time::timeout(WAIT, bot).await.unwrap().unwrap().unwrap();
}

// ---------------------------------------------------------------------------------------
// Discord

const GUILD: u64 = 600_000_000_000_000_006;

fn opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// What the user reads in the messages sent for an interaction.
async fn discord_reply(fake: &discord_fake::FakeDiscord, sent: &discord_fake::SentInteraction) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let messages = fake.messages_for(sent);
        if let Some(m) = messages.first() {
            let mut text = m["content"].as_str().unwrap_or_default().to_string();
            for e in m["embeds"].as_array().into_iter().flatten() {
                text.push_str(e["description"].as_str().unwrap_or_default());
            }
            return text;
        }
        assert!(tokio::time::Instant::now() < deadline, "no answer to the interaction");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn channel_posts(fake: &discord_fake::FakeDiscord, channel: u64) -> Vec<discord_fake::Recorded> {
    let path = format!("/channels/{channel}/messages");
    fake.requests().into_iter().filter(|r| r.method == "POST" && r.path == path && r.status == 200).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_channel_managers_subscribe_and_the_digest_is_posted_once() {
    let fx = Fixture::new();
    let fake = discord_fake::FakeDiscord::start().await;
    let config = DiscordConfig { api_url: fake.base_url.clone(), token_file: None, guild_ids: Vec::new(), prefix_commands: false };
    let gate = fx.gate();
    let outbox = discord::Outbox::new(&config, discord_fake::TOKEN, gate.metrics().clone()).unwrap();
    let (stop, rx) = watch::channel(false);
    let bot = {
        let (gate, outbox, config) = (gate.clone(), outbox.clone(), config.clone());
        tokio::spawn(async move { discord::run_with_outbox(gate, &config, outbox, rx).await })
    };
    fake.wait_live(WAIT).await;

    // The digest commands are registered, with Discord-valid option names.
    let registered = fake
        .wait_for("command registration", WAIT, |reqs| reqs.iter().find(|r| r.method == "PUT" && r.path.ends_with("/commands")).map(|r| r.body.clone()))
        .await;
    let subscribe = registered.as_array().unwrap().iter().find(|c| c["name"] == "subscribe").expect("subscribe registered").clone();
    let options: Vec<&str> = subscribe["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(options, ["time", "zone", "topics"]);

    // Without Manage Channels: refused, nothing stored.
    let sent = fake.guild_command("subscribe", json!([opt("time", "09:30"), opt("topics", "port")]), GUILD, "2048").await;
    let text = discord_reply(&fake, &sent).await;
    assert!(text.contains("Only admins"), "{text}");
    // The refusal concerns the asker only: ephemeral (flags 64), not posted to the channel.
    let refusal = fake.messages_for(&sent);
    assert!(refusal.iter().all(|m| m["flags"].as_u64().unwrap_or(0) & 64 != 0), "{refusal:#?}");
    let chat = ChatRef::discord(discord_fake::CHANNEL_ID);
    assert!(fx.store.subscription(&chat).unwrap().is_none());

    // With Manage Channels (1 << 4): subscribed.
    let sent = fake.guild_command("subscribe", json!([opt("time", "09:30"), opt("topics", "port")]), GUILD, "16").await;
    let text = discord_reply(&fake, &sent).await;
    assert!(text.contains("Subscribed") && text.contains("09:30"), "{text}");
    assert!(fake.messages_for(&sent).iter().all(|m| m["flags"].as_u64().unwrap_or(0) & 64 == 0), "the subscription is announced to the channel");
    assert!(fx.store.subscription(&chat).unwrap().is_some_and(|s| s.active && s.topics == ["port"]));

    fx.arrive(Utc::now(), &[("strike", "Dock workers walk out at Port Meridian", STRIKE), ("glacier", "Glacier melt sets a record", GLACIER)]);
    let clock = at_next_slot();
    let claimed_at = Utc::now();
    let scheduler = fx.service.scheduler(Senders::new().with(Platform::Discord, outbox.clone()), clock.clone());
    let report = scheduler.tick().await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let posts = channel_posts(&fake, discord_fake::CHANNEL_ID);
    assert_eq!(posts.len(), 1);
    let body = &posts[0].body;
    assert_eq!(body["allowed_mentions"]["parse"], json!([]), "a digest pings nobody");
    let shown = body.to_string();
    assert!(shown.contains("Port Meridian") && !shown.contains("Glacier"), "{shown}");
    discord_fake::check_message_limits(body).unwrap();

    // After a crash, Discord can tell whether the claimed digest was posted: ours is there,
    // and a channel without our message says not delivered.
    assert_eq!(outbox.confirm(&chat, claimed_at).await, Confirmation::Delivered);
    assert_eq!(outbox.confirm(&ChatRef::discord(12345), claimed_at).await, Confirmation::NotDelivered);

    scheduler.tick().await.unwrap();
    assert_eq!(channel_posts(&fake, discord_fake::CHANNEL_ID).len(), 1, "never twice for one day");

    // Removed from the channel: the subscription is switched off.
    fake.forbid_channel(discord_fake::CHANNEL_ID);
    // It arrives after the first digest went out, so the next day's digest has it.
    fx.arrive(clock.now() + chrono::Duration::hours(1), &[("strike-ends", "Port Meridian strike ends", STRIKE_ENDS)]);
    clock.advance(chrono::Duration::days(1));
    assert_eq!(scheduler.tick().await.unwrap().gone, 1);
    assert!(!fx.store.subscription(&chat).unwrap().unwrap().active);

    stop.send(true).unwrap();
    tokio::time::timeout(WAIT, bot).await.unwrap().unwrap().unwrap();
}
