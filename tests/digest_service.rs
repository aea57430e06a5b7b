//! The digest commands as adapters call them (permissions, parse errors, settings), and
//! topic-filtered digests composed from a fixture corpus whose arrival times the test sets.

#![cfg(feature = "runtime")]

mod digest_support;

use std::sync::Arc;

use briefbot::command::Command;
use briefbot::core::answer::{Answer, ItemKind};
use briefbot::core::digest::ArticleSource;
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::digest::store::DeliveryState;
use briefbot::digest::{ChatContext, ChatRef, DigestService, DigestSettings, Platform, Scheduler, Senders, Store, TestClock};
use chrono_tz::{Europe::London, Tz};
use digest_support::*;

const STRIKE: &str = "Dock workers at Port Meridian walked out on Saturday after talks over night-shift pay collapsed.\n\n\
The strike halted the loading of grain and timber. \"We asked for a fair night rate and got a lecture on productivity,\" union leader Hanna Korhonen said.";
const STRIKE_WIRE: &str = "Dock workers at Port Meridian walked out on Saturday after pay talks over the night shift collapsed.\n\n\
About 1,400 members joined the walkout, the Meridian Dockers' Union said.";
const GLACIER: &str = "Alpine glaciers lost a record share of their ice this summer, scientists at the Zermatt observatory reported on Friday.\n\n\
\"We have never measured a melt like this one,\" glaciologist Petra Lindqvist said.";
const WHEAT: &str = "Farmers in the northern plains began the wheat harvest two weeks early after a dry and hot spring.\n\n\
Grain traders expect prices to fall in the autumn, the farmers' cooperative said.";
const STRIKE_ENDS: &str = "Dock workers at Port Meridian voted on Thursday to end their strike after accepting a six per cent rise in night-shift pay.\n\n\
\"This is a deal our members can live with,\" Hanna Korhonen said after the vote.";

struct Fixture {
    _dir: tempfile::TempDir,
    corpus: std::path::PathBuf,
    engine: Arc<Engine>,
    store: Arc<Store>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        let store = Arc::new(open_store(&dir.path().join("data")).unwrap());
        Fixture { corpus, engine: Arc::new(engine), store, _dir: dir }
    }

    fn add(&self, name: &str, title: &str, date: &str, body: &str) {
        write_article(&self.corpus, name, title, date, body);
    }

    fn arrive(&self, at: &str) {
        let r = self.engine.refresh_at(Some(utc(at))).unwrap();
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    }

    fn service(&self) -> DigestService {
        let source: Arc<dyn ArticleSource> = self.engine.clone();
        DigestService::new(self.store.clone(), source, DigestSettings { default_zone: London, ..DigestSettings::default() })
    }
}

fn notice(a: &Answer) -> &str {
    a.notice.as_deref().unwrap_or("")
}

#[test]
fn only_admins_change_a_groups_subscription() {
    let f = Fixture::new();
    let svc = f.service();
    let now = utc("2025-06-01T10:00:00Z");
    let group = ChatRef::telegram(-100123);
    let member = ChatContext::group(group.clone(), false);
    let admin = ChatContext::group(group.clone(), true);

    let a = svc.respond(f.engine.as_ref(), &member, "/subscribe 07:00 Europe/London", Some("BriefBot"), now).unwrap();
    assert!(notice(&a).contains("Only admins can change the daily digest here"), "{a:?}");
    assert!(f.store.subscription(&group).unwrap().is_none());

    let a = svc.respond(f.engine.as_ref(), &admin, "/subscribe 07:00 Europe/London port strike, glaciers", None, now).unwrap();
    assert_eq!(a.command, "subscribe");
    assert!(notice(&a).starts_with("Subscribed: a daily digest here at 07:00 (Europe/London)"), "{}", notice(&a));
    assert!(notice(&a).contains("port strike, glaciers"), "{}", notice(&a));
    assert!(notice(&a).contains("Next: Mon 2 Jun 2025 07:00 BST"), "{}", notice(&a));
    let s = f.store.subscription(&group).unwrap().unwrap();
    assert_eq!((s.time, s.zone, s.topics.clone()), (hm("07:00"), London, vec!["port strike".to_string(), "glaciers".to_string()]));

    // Anyone may look; only admins may stop it.
    let a = svc.respond(f.engine.as_ref(), &member, "/subscription", None, now).unwrap();
    assert!(notice(&a).starts_with("This chat gets a daily digest here at 07:00 (Europe/London)"), "{}", notice(&a));
    let a = svc.respond(f.engine.as_ref(), &member, "/unsubscribe", None, now).unwrap();
    assert!(notice(&a).contains("Only admins can change the daily digest here"));
    assert!(f.store.subscription(&group).unwrap().unwrap().active);
    let a = svc.respond(f.engine.as_ref(), &admin, "/unsubscribe", None, now).unwrap();
    assert!(notice(&a).starts_with("Unsubscribed"), "{}", notice(&a));
    assert!(!f.store.subscription(&group).unwrap().unwrap().active);

    // A private chat is always allowed, whatever the adapter says about admins.
    let private = ChatContext { chat: ChatRef::telegram(55), is_group: false, is_admin: false };
    let a = svc.respond(f.engine.as_ref(), &private, "/subscribe", None, now).unwrap();
    assert!(notice(&a).starts_with("Subscribed: a daily digest here at 08:00 (Europe/London), of all new articles"), "{}", notice(&a));

    // Discord channels work the same way.
    let channel = ChatContext::group(ChatRef::discord(987654321), true);
    let a = svc.handle(&channel, &Command::Subscribe { args: "21:15 America/New_York".into() }, now).unwrap();
    assert!(notice(&a).contains("21:15 (America/New_York)"), "{}", notice(&a));
    assert_eq!(f.store.subscription(&channel.chat).unwrap().unwrap().chat.platform, Platform::Discord);

    assert!(briefbot::digest::service::needs_admin_check("/subscribe 08:00", None));
    assert!(briefbot::digest::service::needs_admin_check("/unsubscribe@BriefBot", Some("BriefBot")));
    assert!(!briefbot::digest::service::needs_admin_check("/subscription", None));
    assert!(!briefbot::digest::service::needs_admin_check("/brief x", None));
}

#[test]
fn bad_arguments_get_clear_messages_and_change_nothing() {
    let f = Fixture::new();
    let svc = f.service();
    let now = utc("2025-06-01T10:00:00Z");
    let ctx = ChatContext::private(ChatRef::telegram(9));
    for (text, expect) in [
        ("/subscribe 25:00", "`25:00` is not a time of day"),
        ("/subscribe 7:5", "`7:5` is not a time of day"),
        ("/subscribe 08:00 Europe/Londn", "did you mean Europe/London?"),
        ("/subscribe 08:00 Mars/Olympus", "`Mars/Olympus` is not a time zone"),
        ("/subscribe 08:00 09:00", "Give one time of day"),
    ] {
        let a = svc.respond(f.engine.as_ref(), &ctx, text, None, now).unwrap();
        assert!(notice(&a).contains(expect), "{text}: {}", notice(&a));
        assert!(notice(&a).contains("Usage: /subscribe"), "{text}: {}", notice(&a));
    }
    assert!(f.store.subscription(&ctx.chat).unwrap().is_none());
    let a = svc.respond(f.engine.as_ref(), &ctx, "/unsubscribe", None, now).unwrap();
    assert_eq!(notice(&a), "This chat has no daily digest to stop.");
    let a = svc.respond(f.engine.as_ref(), &ctx, "/subscription", None, now).unwrap();
    assert!(notice(&a).starts_with("This chat has no daily digest."), "{}", notice(&a));
}

#[test]
fn resubscribing_keeps_time_and_zone_and_replaces_topics() {
    let f = Fixture::new();
    let svc = f.service();
    let now = utc("2025-06-01T10:00:00Z");
    let ctx = ChatContext::private(ChatRef::telegram(9));
    svc.respond(f.engine.as_ref(), &ctx, "/subscribe 06:45 America/New_York wheat", None, now).unwrap();
    let a = svc.respond(f.engine.as_ref(), &ctx, "/subscribe glaciers", None, now).unwrap();
    assert!(notice(&a).starts_with("Updated: a daily digest here at 06:45 (America/New_York), of new articles on glaciers"), "{}", notice(&a));
}

#[test]
fn other_commands_go_to_the_engine_and_help_lists_the_digest() {
    let f = Fixture::new();
    f.add("glacier", "Glacier melt sets a record", "2025-06-01", GLACIER);
    f.arrive("2025-06-01T06:00:00Z");
    let svc = f.service();
    let now = utc("2025-06-01T10:00:00Z");
    let ctx = ChatContext::private(ChatRef::telegram(9));
    let a = svc.respond(f.engine.as_ref(), &ctx, "/search glaciers", None, now).unwrap();
    assert_eq!(a.command, "search");
    assert!(!a.items.is_empty());
    let help = svc.respond(f.engine.as_ref(), &ctx, "/help", None, now).unwrap();
    let lines: Vec<&str> = help.items.iter().map(|i| i.text.as_str()).collect();
    assert!(lines.iter().any(|l| l.starts_with("/brief")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("/subscribe [HH:MM] [Area/City] [topics...]")), "{lines:?}");
    assert!(svc.respond(f.engine.as_ref(), &ctx, "/brief@OtherBot x", Some("BriefBot"), now).is_none());
}

#[test]
fn preview_shows_what_arrived_since_the_last_digest() {
    let f = Fixture::new();
    f.add("glacier", "Glacier melt sets a record", "2025-06-01", GLACIER);
    f.arrive("2025-06-01T06:00:00Z");
    let svc = f.service();
    let ctx = ChatContext::private(ChatRef::telegram(9));
    let a = svc.respond(f.engine.as_ref(), &ctx, "/digest", None, utc("2025-06-01T10:00:00Z")).unwrap();
    assert_eq!(a.command, "digest");
    assert_eq!(all_cited(&a), ["glacier".to_string()].into_iter().collect());
    assert!(notice(&a).starts_with("Digest: 1 new article since 2025-05-31 11:00 (Europe/London)"), "{}", notice(&a));
    // Two days later nothing is new.
    let a = svc.respond(f.engine.as_ref(), &ctx, "/digest", None, utc("2025-06-03T10:00:00Z")).unwrap();
    assert!(a.items.is_empty());
    assert!(notice(&a).starts_with("Nothing new in the corpus since"), "{}", notice(&a));
}

#[tokio::test]
async fn topic_filtered_digests_from_the_corpus() {
    let f = Fixture::new();
    // Before the 08:00 UTC slot of 1 June:
    f.add("strike", "Dock workers walk out at Port Meridian", "2025-05-31", STRIKE);
    f.add("glacier", "Glacier melt sets a record", "2025-05-30", GLACIER);
    f.arrive("2025-06-01T06:00:00Z");
    f.add("strike-wire", "Port Meridian dockers strike over night pay", "2025-05-31", STRIKE_WIRE);
    f.add("wheat", "Wheat harvest starts early", "2025-05-31", WHEAT);
    f.arrive("2025-06-01T06:30:00Z");
    // After it: the next day's digest.
    f.add("strike-ends", "Port Meridian strike ends with six per cent deal", "2025-06-01", STRIKE_ENDS);
    f.arrive("2025-06-01T09:00:00Z");

    let start = utc("2025-05-31T12:00:00Z");
    let (glaciers, port, everything, volcano) = (ChatRef::telegram(1), ChatRef::telegram(2), ChatRef::telegram(3), ChatRef::telegram(4));
    f.store.subscribe(&glaciers, hm("08:00"), Tz::UTC, &["glaciers".to_string()], start).unwrap();
    f.store.subscribe(&port, hm("08:00"), Tz::UTC, &["port".to_string()], start).unwrap();
    f.store.subscribe(&everything, hm("08:00"), Tz::UTC, &[], start).unwrap();
    f.store.subscribe(&volcano, hm("08:00"), Tz::UTC, &["volcano".to_string()], start).unwrap();

    let clock = TestClock::new(utc("2025-06-01T08:00:00Z"));
    let platform = FakePlatform::new(clock.clone());
    let source: Arc<dyn ArticleSource> = f.engine.clone();
    let s = Scheduler::new(f.store.clone(), source, Senders::new().with(Platform::Telegram, platform.sender()), clock.clone(), DigestSettings::default());
    s.tick().await.unwrap();

    let got = |chat: &ChatRef| -> Vec<Answer> { platform.posted().into_iter().filter(|p| &p.chat == chat).map(|p| p.answer).collect() };
    let g = got(&glaciers);
    assert_eq!(g.len(), 1);
    assert_eq!(all_cited(&g[0]), ["glacier".to_string()].into_iter().collect());
    assert!(g[0].items.iter().any(|i| i.kind == Some(ItemKind::Direct) && i.speaker.as_deref() == Some("Petra Lindqvist")), "{:#?}", g[0]);

    let p = got(&port);
    assert_eq!(p.len(), 1);
    let bullets: Vec<_> = p[0].items.iter().filter(|i| i.kind == Some(ItemKind::Bullet)).collect();
    assert_eq!(bullets.len(), 1, "two reports of the walk-out are one story: {:#?}", p[0]);
    let docs: Vec<&str> = bullets[0].sources.iter().map(|s| s.doc.as_str()).collect();
    assert!(docs.contains(&"strike") && docs.contains(&"strike-wire"), "{docs:?}");
    assert!(!all_cited(&p[0]).contains("strike-ends"), "arrived after the slot");

    let e = got(&everything);
    assert_eq!(e.len(), 1);
    assert_eq!(all_cited(&e[0]), ["strike", "strike-wire", "glacier", "wheat"].into_iter().map(String::from).collect());
    assert!(notice(&e[0]).starts_with("Digest: 4 new articles since 2025-05-31 08:00 (UTC)"), "{}", notice(&e[0]));

    // Nothing on its topic: no post (post_when_empty = false), but the day is done.
    assert!(got(&volcano).is_empty());
    assert_eq!(f.store.delivery(&volcano, date("2025-06-01")).unwrap().unwrap().state, DeliveryState::Empty);

    // The next day: only what arrived since.
    clock.set(utc("2025-06-02T08:00:00Z"));
    s.tick().await.unwrap();
    let p = got(&port);
    assert_eq!(p.len(), 2);
    assert_eq!(all_cited(&p[1]), ["strike-ends".to_string()].into_iter().collect());
    assert_eq!(got(&glaciers).len(), 1, "nothing new on glaciers: no post");
    assert_eq!(all_cited(&got(&everything)[1]), ["strike-ends".to_string()].into_iter().collect());
}
