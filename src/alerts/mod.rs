//! Topic alerts: `/follow <topic>` in a chat, and one short cited message there for every
//! newly indexed article that matches the topic.
//!
//! - [`service::AlertService`]: `/follow`, `/unfollow`, `/following` (admins only in groups
//!   for the changes, exactly like `/subscribe`).
//! - [`store::AlertStore`]: follows and the alert log behind [`store::AlertState`], with two
//!   engines like the digest store: the digest store's SQLite file (tables and a schema
//!   version of their own), or the PostgreSQL database replicas share.
//! - [`alerter::Alerter`]: finds new articles that match, keeps to `alerts.max_per_hour`
//!   per chat (the rest folded into one "and N more" message) and sends through the
//!   adapters' senders, sharing their throttles and the platform health with digests.
//!
//! Composition is pure and lives in [`crate::core::alert`]; the sentence comes from
//! [`crate::core::engine::Engine::alert_item`].
//!
//! # Never the same article twice to a chat
//!
//! Before each send the alerter claims `(platform, chat, article)` in the alert log
//! (UNIQUE, committed and synced before the platform is called); a claim that finds the key
//! taken sends nothing. A platform that did not take the message (429, outage, transient
//! failure) releases the claim (`retry`) and the alert is tried again on the next tick.
//! A row still `sending` at start-up is settled as digests are: the platform is asked
//! ([`crate::digest::DigestSender::confirm`]); `Delivered` is recorded as sent,
//! `NotDelivered` is sent again, and `Unknown` (Telegram) counts as sent and is never sent
//! again. A crash between the claim and the platform's answer can therefore cost one
//! alert, never repeat one.
//!
//! With replicas (PostgreSQL), one alerter runs at a time, on the replica that leads
//! `alerts`: the hourly limit is counted by one sender, claims name their replica, and the
//! leader settles on every tick the `sending` rows of a replica whose session is gone, by
//! the same rules. A takeover never repeats an alert.
//!
//! Articles that arrived before the alerter started (the initial scan of a restart) and
//! articles that arrived before the chat followed the topic never alert.

pub mod alerter;
pub mod service;
pub mod store;

pub use alerter::{AlertReport, Alerter};
pub use service::AlertService;
pub use store::AlertStore;
