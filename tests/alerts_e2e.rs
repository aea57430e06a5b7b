//! Topic alerts through the real adapters: `/follow` arrives as a Telegram message or a
//! Discord slash command (admin checks included), new files land in the watched corpus folder
//! and are indexed by the real engine, and the alerter posts through the adapters' own
//! senders to fake platforms on 127.0.0.1. The follows and the alert log are real SQLite.

#![cfg(all(feature = "telegram", feature = "discord"))]

mod digest_support;
#[path = "support_discord/fake.rs"]
mod discord_fake;
#[path = "support_telegram/fake.rs"]
mod telegram_fake;

use std::sync::Arc;
use std::time::Duration;

use briefbot::adapters::{discord, telegram};
use briefbot::alerts::{AlertService, Alerter};
use briefbot::command::Command;
use briefbot::config::{DiscordConfig, TelegramConfig};
use briefbot::core::digest::ArticleSource;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::digest::{ChatContext, ChatRef, DigestService, DigestSettings, Platform, Senders, SystemClock};
use briefbot::gate::{Access, Gate, Limits};
use chrono::Utc;
use digest_support::{open_alert_store, open_store, write_article};
use serde_json::{Value, json};
use tokio::sync::watch;

const WAIT: Duration = Duration::from_secs(10);
const PUBLIC: &str = "https://news.example";

const OLD_PORT: &str = "The Port Meridian harbour authority published its annual report on Monday, a week late.";
const STRIKE: &str = "Talks over night-shift pay broke down on Friday evening.\n\n\
Dock workers at Port Meridian walked out on Saturday after the talks collapsed.\n\n\
\"We asked for a fair night rate,\" union leader Hanna Korhonen said.";
const GLACIER: &str = "Alpine glaciers lost a record share of their ice this summer, scientists at the Zermatt observatory reported on Friday.";
const FERRY: &str = "A ferry company said on Tuesday it would add a second evening crossing to the islands from next month.";

/// A corpus folder, an index, the digest and alert tables in one temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
    corpus: std::path::PathBuf,
    engine: Arc<Engine>,
    alerts: Arc<AlertService>,
    digests: Arc<DigestService>,
}

impl Fixture {
    fn new(max_per_hour: u32) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        // Present at start-up: it never alerts.
        write_article(&corpus, "old-port", "Harbour report is out", "2025-05-01", OLD_PORT);
        let (engine, report) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        assert_eq!(report.added, 1);
        let engine = Arc::new(engine);
        let data = dir.path().join("data");
        let store = Arc::new(open_store(&data).unwrap());
        let source: Arc<dyn ArticleSource> = engine.clone();
        let digests = Arc::new(DigestService::new(store, source, DigestSettings::default()));
        let alerts = Arc::new(AlertService::new(Arc::new(open_alert_store(&data).unwrap()), max_per_hour).with_engine(engine.clone()));
        Fixture { corpus, engine, alerts, digests, dir }
    }

    /// Files written to the watched folder, then one refresh (as the refresher does).
    fn arrive(&self, articles: &[(&str, &str, &str)]) {
        for (name, title, body) in articles {
            write_article(&self.corpus, name, title, "2025-06-01", body);
        }
        let report = self.engine.refresh_at(Some(Utc::now())).unwrap();
        assert_eq!(report.added, articles.len(), "{report:?}");
    }

    fn gate(&self) -> Arc<Gate> {
        Arc::new(Gate::new(self.engine.clone(), Limits::default(), Access::default()).with_digests(self.digests.clone()).with_alerts(self.alerts.clone()))
    }

    /// An alerter as `briefbot serve` makes one, over a fresh connection to the store file
    /// (a new process sees only what is on disk).
    fn alerter(&self, senders: Senders) -> Alerter<SystemClock> {
        let store = Arc::new(open_alert_store(&self.dir.path().join("data")).unwrap());
        Alerter::new(store, self.engine.clone(), senders, SystemClock, self.alerts.max_per_hour()).with_public_url(PUBLIC)
    }
}

// ---------------------------------------------------------------------------------------
// Telegram

/// Wait until `n` claims of a dead process are there to settle (on PostgreSQL the server
/// releases a closed session's presence lock a moment after the socket closes).
fn wait_orphaned(store: &briefbot::alerts::AlertStore, n: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while store.orphaned_sending().unwrap().len() < n {
        assert!(std::time::Instant::now() < deadline, "the dead claimer's rows are not settled within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn telegram_config(fake: &telegram_fake::FakeTelegram) -> TelegramConfig {
    TelegramConfig { api_url: fake.url.clone(), token_file: None, webhook_url: String::new(), webhook_bind: String::new(), webhook_secret_file: None }
}

const GROUP: i64 = -100_555;
const MEMBER: i64 = 7;
const ADMIN: i64 = 8;
const READER: i64 = 55;

async fn telegram_reply(fake: &telegram_fake::FakeTelegram, message_id: i64) -> String {
    assert!(fake.wait_until(WAIT, |f| !f.replies_to(message_id).is_empty()).await, "no reply to message {message_id}");
    fake.replies_to(message_id)[0]["text"].as_str().unwrap_or_default().to_string()
}

/// Accepted messages to `chat` that reply to nobody: the alerts.
fn alerts_in(fake: &telegram_fake::FakeTelegram, chat: i64) -> Vec<String> {
    fake.delivered()
        .into_iter()
        .filter(|b| b["chat_id"].as_i64() == Some(chat) && telegram_fake::reply_target(b).is_none())
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_follow_alerts_once_per_chat_within_the_hourly_limit_across_restarts() {
    let fx = Fixture::new(6);
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
    let menu = fake.calls("setMyCommands")[0].body.to_string();
    assert!(menu.contains("\"follow\"") && menu.contains("\"unfollow\"") && menu.contains("\"following\""), "{menu}");

    // A plain member may not change the group's alerts; Telegram is asked whether they are an admin.
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::group_chat(GROUP), MEMBER, "/follow Port Meridian")).await;
    assert!(text.contains("Only admins"), "{text}");
    assert_eq!(fake.calls("getChatMember").len(), 1);
    let group = ChatRef::telegram(GROUP);
    assert!(fx.alerts.store().follows_of(&group).unwrap().is_empty());

    fake.set_member_status(GROUP, ADMIN, "administrator");
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::group_chat(GROUP), ADMIN, "/follow Port Meridian")).await;
    assert!(text.contains("Following Port Meridian"), "{text}");
    // Anyone may list them, without an admin check.
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::group_chat(GROUP), MEMBER, "/following")).await;
    assert!(text.contains("Port Meridian"), "{text}");
    assert_eq!(fake.calls("getChatMember").len(), 2);

    // A private chat follows two topics; the same topic typed differently is the same one.
    for (i, cmd) in ["/follow port meridian", "/follow glaciers", "/follow PORT  Meridian"].iter().enumerate() {
        let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, cmd)).await;
        assert!(if i == 2 { text.contains("already follows") } else { text.contains("Following") }, "{cmd}: {text}");
    }
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/following")).await;
    assert!(text.contains("port meridian") && text.contains("glaciers"), "{text}");
    // A word the corpus spells differently gets a hint, and is followed as typed.
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/follow harbuor")).await;
    assert!(text.contains("Following harbuor") && text.contains("it has \"harbour\""), "{text}");
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/unfollow harbuor")).await;
    assert!(text.contains("Stopped alerts on harbuor"), "{text}");
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/help")).await;
    assert!(text.contains("/follow") && text.contains("/unfollow") && text.contains("/following"), "{text}");

    // Indexed after the follows but before the alerter started (a restart's initial scan):
    // not news to this process, no alert.
    fx.arrive(&[("port-before-start", "Port Meridian cranes idle", "Cranes at Port Meridian stood idle on Sunday for the first time in years.")]);
    let senders = Senders::new().with(Platform::Telegram, outbox.clone());
    let mut alerter = fx.alerter(senders.clone());
    let report = alerter.tick().await.unwrap();
    assert_eq!((report.alerts, report.matched), (0, 0), "{report:?}");
    assert!(alerts_in(&fake, GROUP).is_empty() && alerts_in(&fake, READER).is_empty());

    // New files in the watched folder: exactly one alert per following chat and article.
    let before_news = Utc::now();
    fx.arrive(&[
        ("strike", "Dock workers walk out at Port Meridian", STRIKE),
        ("glacier", "Glacier melt sets a record", GLACIER),
        ("ferry", "Second evening ferry", FERRY),
    ]);
    let report = alerter.tick().await.unwrap();
    assert_eq!(report.alerts, 3, "{report:?}");
    let in_group = alerts_in(&fake, GROUP);
    assert_eq!(in_group.len(), 1, "{in_group:#?}");
    let alert = &in_group[0];
    assert!(alert.contains("New on Port Meridian"), "{alert}");
    // The best sentence names the topic (not the lead, which does not), verbatim.
    assert!(alert.contains("Dock workers at Port Meridian walked out on Saturday after the talks collapsed."), "{alert}");
    assert!(!alert.contains("night-shift pay broke down"), "{alert}");
    // Its title links to the source page with the sentence highlighted, then the original.
    assert!(alert.contains("Dock workers walk out at Port Meridian"), "{alert}");
    assert!(alert.contains(&format!("{PUBLIC}/doc/strike?hl=")), "{alert}");
    assert!(alert.contains("https://example.org/strike"), "{alert}");
    let private = alerts_in(&fake, READER);
    assert_eq!(private.len(), 2, "{private:#?}");
    assert!(private.iter().any(|t| t.contains("Zermatt")) && private.iter().any(|t| t.contains("walked out")));
    assert!(private.iter().all(|t| !t.contains("ferry")), "an article on no followed topic alerts nobody");

    // Nothing new: nothing sent.
    assert_eq!(alerter.tick().await.unwrap().alerts, 0);
    assert_eq!(alerts_in(&fake, GROUP).len(), 1);

    // A restart whose alerter (to be sure) counts the same articles as new: each is claimed
    // for its chat already, so nothing goes out twice.
    let senders_again = Senders::new().with(Platform::Telegram, outbox.clone());
    let mut restarted = fx.alerter(senders_again).with_start(before_news);
    let report = restarted.tick().await.unwrap();
    assert_eq!((report.alerts, report.folds, report.skipped), (0, 0, 3), "{report:?}");
    assert_eq!((alerts_in(&fake, GROUP).len(), alerts_in(&fake, READER).len()), (1, 2));

    // A crash between a claim and Telegram's answer: Telegram cannot say whether it was
    // posted, so the next process counts it as sent and never posts it.
    let store = fx.alerts.store();
    let before_crash = Utc::now();
    fx.arrive(&[("glacier-2", "Glaciers retreat again", "Glaciers in the eastern Alps retreated by a record forty metres this year, surveyors said.")]);
    // The claim is made by a process that then dies (on PostgreSQL its session ends: a
    // live replica's claims are not for others to settle).
    let crashed = open_alert_store(&fx.dir.path().join("data")).unwrap();
    assert_eq!(crashed.claim(&ChatRef::telegram(READER), &[("glacier-2".into(), vec!["glaciers".into()])], "a:glacier-2", Utc::now()).unwrap(), [true]);
    drop(crashed);
    wait_orphaned(fx.alerts.store(), 1);
    let mut after_crash = fx.alerter(senders.clone()).with_start(before_crash);
    let report = after_crash.tick().await.unwrap();
    assert_eq!((report.alerts, report.skipped), (0, 1), "{report:?}");
    assert!(!alerts_in(&fake, READER).iter().any(|t| t.contains("forty metres")));
    let row = store.rows().unwrap().into_iter().find(|r| r.doc == "glacier-2").unwrap();
    assert_eq!(row.state, "unknown");

    // Eight more at once. The group had one alert this hour: four more alerts and one "and
    // 4 more" message make its six. The private chat had three (one of them the alert
    // counted as sent after the crash): two alerts and a fold of six.
    let bodies: Vec<(String, String, String)> = (1..=8)
        .map(|i| {
            (
                format!("port-{i}"),
                format!("Port Meridian update {i}"),
                format!("Port Meridian berth {i} reopened to container ships on Wednesday after repairs to the quay."),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = bodies.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    fx.arrive(&refs);
    let report = alerter.tick().await.unwrap();
    assert_eq!((report.alerts, report.folds, report.folded), (4 + 2, 2, 4 + 6), "{report:?}");
    let in_group = alerts_in(&fake, GROUP);
    assert_eq!(in_group.len(), 6, "the hourly limit holds: {in_group:#?}");
    let fold = in_group.last().unwrap();
    assert!(fold.contains("And 4 more new articles"), "{fold}");
    for i in 5..=8 {
        assert!(fold.contains(&format!("Port Meridian update {i}")), "the fold lists update {i}: {fold}");
    }
    let private = alerts_in(&fake, READER);
    assert_eq!(private.len(), 2 + 3, "{private:#?}");
    assert!(private.last().unwrap().contains("And 6 more new articles"), "{private:#?}");
    let rows = store.rows().unwrap();
    assert_eq!(rows.len(), (1 + 8) + (3 + 8), "one row per chat and article: {rows:#?}");
    assert_eq!(rows.iter().filter(|r| r.state == "sent").count(), rows.len() - 1, "{rows:#?}");

    // One more now: both chats are at their limit for this hour, so it waits.
    fx.arrive(&[("port-9", "Port Meridian update 9", "Port Meridian berth 9 reopened to container ships on Thursday.")]);
    let report = alerter.tick().await.unwrap();
    assert_eq!((report.alerts, report.folds, report.waiting), (0, 0, 2), "{report:?}");
    assert_eq!(alerter.waiting(), 2);
    assert_eq!(alerts_in(&fake, GROUP).len(), 6);

    // Unfollow one topic, then all.
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/unfollow glaciers")).await;
    assert!(text.contains("Stopped alerts on glaciers"), "{text}");
    let text = telegram_reply(&fake, fake.push_message(telegram_fake::private_chat(READER), READER, "/unfollow")).await;
    assert!(text.contains("Stopped the topic alert"), "{text}");
    assert!(store.follows_of(&ChatRef::telegram(READER)).unwrap().is_empty());

    stop.send(true).unwrap();
    tokio::time::timeout(WAIT, bot).await.unwrap().unwrap().unwrap();
}

// ---------------------------------------------------------------------------------------
// Discord

const GUILD: u64 = 600_000_000_000_000_006;
const OTHER_CHANNEL: u64 = 700_000_000_000_000_099;

fn opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

async fn discord_reply(fake: &discord_fake::FakeDiscord, sent: &discord_fake::SentInteraction) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(m) = fake.messages_for(sent).first() {
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
async fn discord_channel_managers_follow_and_a_crashed_send_is_settled_by_asking_discord() {
    let fx = Fixture::new(6);
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
    let registered = fake
        .wait_for("command registration", WAIT, |reqs| reqs.iter().find(|r| r.method == "PUT" && r.path.ends_with("/commands")).map(|r| r.body.clone()))
        .await;
    let follow = registered.as_array().unwrap().iter().find(|c| c["name"] == "follow").expect("follow registered").clone();
    assert_eq!(follow["options"][0]["name"], "topic");
    assert_eq!(follow["options"][0]["required"], true);

    // Without Manage Channels: refused, nothing stored.
    let chat = ChatRef::discord(discord_fake::CHANNEL_ID);
    let text = discord_reply(&fake, &fake.guild_command("follow", json!([opt("topic", "port meridian")]), GUILD, "2048").await).await;
    assert!(text.contains("Only admins"), "{text}");
    assert!(fx.alerts.store().follows_of(&chat).unwrap().is_empty());
    let text = discord_reply(&fake, &fake.guild_command("follow", json!([opt("topic", "port meridian")]), GUILD, "16").await).await;
    assert!(text.contains("Following port meridian"), "{text}");
    let text = discord_reply(&fake, &fake.guild_command("following", json!([]), GUILD, "2048").await).await;
    assert!(text.contains("port meridian"), "{text}");

    let senders = Senders::new().with(Platform::Discord, outbox.clone());
    let mut alerter = fx.alerter(senders.clone());
    fx.arrive(&[("strike", "Dock workers walk out at Port Meridian", STRIKE), ("glacier", "Glacier melt sets a record", GLACIER)]);
    assert_eq!(alerter.tick().await.unwrap().alerts, 1);
    let posts = channel_posts(&fake, discord_fake::CHANNEL_ID);
    assert_eq!(posts.len(), 1);
    let shown = posts[0].body.to_string();
    assert!(shown.contains("walked out on Saturday") && !shown.contains("Zermatt"), "{shown}");
    assert!(shown.contains(&format!("{PUBLIC}/doc/strike?hl=")), "{shown}");
    assert_eq!(posts[0].body["allowed_mentions"]["parse"], json!([]), "an alert pings nobody");
    discord_fake::check_message_limits(&posts[0].body).unwrap();

    // Another channel of the server follows the topic too.
    let other = ChatRef::discord(OTHER_CHANNEL);
    let answer = fx.alerts.handle(&ChatContext::group(other.clone(), true), &Command::Follow { topic: "Port Meridian".into() }, Utc::now()).unwrap();
    assert!(answer.notice.unwrap().contains("Following"));

    // A crash after the claim, before the post: Discord shows no message of ours in that
    // channel since the claim, so the next process posts it, once. (The fake lists every
    // message of a channel, whatever `after` says, so only a channel without any tells.)
    fx.arrive(&[("port-2", "Port Meridian reopens", "Port Meridian reopened on Monday after a week-long strike by dock workers.")]);
    let store = fx.alerts.store();
    let crashed = open_alert_store(&fx.dir.path().join("data")).unwrap();
    assert_eq!(crashed.claim(&other, &[("port-2".into(), vec!["Port Meridian".into()])], "a:port-2", Utc::now()).unwrap(), [true]);
    drop(crashed);
    wait_orphaned(fx.alerts.store(), 1);
    let started = Utc::now() - chrono::Duration::minutes(1);
    let mut restarted = fx.alerter(senders.clone()).with_start(started);
    let report = restarted.tick().await.unwrap();
    assert_eq!(report.alerts, 2, "{report:?}");
    let posts = channel_posts(&fake, OTHER_CHANNEL);
    assert_eq!(posts.len(), 1);
    assert!(posts[0].body.to_string().contains("week-long strike"));
    // The first channel had no claim for it, and gets it from this process: once per chat.
    assert_eq!(channel_posts(&fake, discord_fake::CHANNEL_ID).len(), 2);
    // And once more: nothing twice.
    let mut again = fx.alerter(senders).with_start(started);
    let report = again.tick().await.unwrap();
    assert_eq!((report.alerts, report.skipped), (0, 3), "{report:?}");
    assert_eq!(channel_posts(&fake, OTHER_CHANNEL).len(), 1);

    // Removed from the channel: its follows are switched off, not retried forever; the other
    // channel still gets its alert.
    fake.forbid_channel(discord_fake::CHANNEL_ID);
    fx.arrive(&[("port-3", "Port Meridian cranes", "Port Meridian ordered four new cranes on Friday, its director said.")]);
    let report = alerter.tick().await.unwrap();
    assert_eq!((report.gone, report.alerts), (1, 1), "{report:?}");
    assert!(store.follows_of(&chat).unwrap().is_empty());
    assert_eq!(store.follows_of(&other).unwrap().len(), 1);
    assert_eq!(channel_posts(&fake, OTHER_CHANNEL).len(), 2);

    stop.send(true).unwrap();
    tokio::time::timeout(WAIT, bot).await.unwrap().unwrap().unwrap();
}

// ---------------------------------------------------------------------------------------
// Which articles match a topic, and the sentence shown

#[test]
fn a_topic_matches_as_a_phrase_when_the_corpus_has_one_else_within_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    write_article(&corpus, "named", "Harbour news", "2025-06-01", "Port Meridian opened a third container terminal on Monday, the harbour board said.");
    write_article(
        &corpus,
        "apart",
        "Bank results",
        "2025-06-01",
        "The port of Lisbon handled more ships this spring than last. Meridian Bank reported higher profits on Tuesday.",
    );
    write_article(&corpus, "transit", "Pipeline fees", "2025-06-01", "Transit fees for Caspian gas rose again in May, the ministry said on Friday.");
    write_article(
        &corpus,
        "scattered",
        "Budget lines",
        "2025-06-01",
        "Gas prices fell by a tenth over the winter months. Bus transit ridership grew in every district of the capital.",
    );
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let item = engine.alert_item("port meridian", "named").unwrap().expect("the name is there");
    assert_eq!(item.text, "Port Meridian opened a third container terminal on Monday, the harbour board said.");
    let (start, end) = item.sources[0].span.expect("the sentence's place in the body");
    assert_eq!(end - start, item.text.chars().count() as u64);
    // The corpus has "Port Meridian" together: two words that meet elsewhere are not the name.
    assert_eq!(engine.alert_item("port meridian", "apart").unwrap(), None);
    // "gas transit" is nowhere a phrase: the words must meet in one sentence.
    assert!(engine.alert_item("gas transit", "transit").unwrap().is_some());
    assert_eq!(engine.alert_item("gas transit", "scattered").unwrap(), None);
    // Nothing to match, or an unknown article: no alert.
    assert_eq!(engine.alert_item("the of", "named").unwrap(), None);
    assert_eq!(engine.alert_item("port meridian", "no-such-article").unwrap(), None);
}
