//! Updates a chat platform may deliver twice, handled once across replicas.
//!
//! Telegram re-delivers a webhook update that was not acknowledged (the replica that had it
//! died before answering 200, or the proxy timed out), and the proxy may hand the second
//! delivery to another replica. Each replica drops the ids it has seen itself (in memory);
//! with PostgreSQL the replicas also record the ids they take in a table they share, so a
//! re-delivery is answered once whichever replica gets it:
//!
//! - a replica **claims** an update before acknowledging it: the first claim wins; a claim of
//!   an id that is already recorded is refused while the update is being answered by a live
//!   replica or once it was answered (**done**);
//! - a claim left by a replica whose session is gone (killed before it answered) is taken
//!   over, so an update is not lost with the replica that first received it. (A replica
//!   killed between sending its answer and recording it done leaves a claim that looks
//!   unanswered: the one case that answers twice, as a single process killed then would.)
//! - records expire after [`KEEP`] (Telegram keeps an undelivered update for 24 hours), purged
//!   at most once an hour by the claims themselves.

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};

/// How long an update id is remembered.
pub const KEEP: Duration = Duration::hours(48);
/// How often the claims purge expired records.
pub const PURGE_EVERY: Duration = Duration::hours(1);

/// The update ids replicas have taken, per bot.
pub trait UpdateLog: Send + Sync {
    /// Claim update `update_id` of bot `bot` for this replica: `true` when this replica
    /// should answer it (first delivery, or its claimer died before answering), `false` when
    /// it is answered or being answered elsewhere (or here).
    fn claim(&self, bot: i64, update_id: i64, now: DateTime<Utc>) -> Result<bool>;
    /// The update was answered (or needed no answer).
    fn done(&self, bot: i64, update_id: i64) -> Result<()>;
    /// Forget updates received before `before`; returns how many.
    fn expire(&self, before: DateTime<Utc>) -> Result<u64>;
}

/// The update log of a PostgreSQL database, for this replica.
#[cfg(feature = "postgres")]
pub fn open_pg(pg: std::sync::Arc<super::pg::Pg>) -> Result<std::sync::Arc<dyn UpdateLog>> {
    Ok(std::sync::Arc::new(pg_engine::PgUpdates::open(pg)?))
}

#[cfg(feature = "postgres")]
mod pg_engine {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;
    use crate::state::pg::{Claim, Pg};

    /// This component's name in `briefbot_migrations`.
    const COMPONENT: &str = "updates";
    const MIGRATIONS: &[&str] = &[
        // 1: update ids taken by replicas (received: Unix seconds).
        "CREATE TABLE chat_updates (
            bot BIGINT NOT NULL,
            update_id BIGINT NOT NULL,
            claimed_by TEXT NOT NULL,
            done BOOLEAN NOT NULL DEFAULT false,
            received BIGINT NOT NULL,
            PRIMARY KEY (bot, update_id)
        );
        CREATE INDEX chat_updates_received ON chat_updates (received);",
    ];

    /// An update is this replica's unless it was answered or its claimer lives.
    const CLAIM: Claim = Claim {
        table: "chat_updates",
        key: &["bot", "update_id"],
        holder: "claimed_by",
        columns: &["received"],
        also: "",
        free_if: "",
        kept_if: "chat_updates.done",
    };

    pub struct PgUpdates {
        pg: Arc<Pg>,
        id: String,
        /// When the claims last purged expired records (Unix seconds).
        purged: AtomicI64,
    }

    impl PgUpdates {
        pub fn open(pg: Arc<Pg>) -> Result<PgUpdates> {
            static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            pg.migrate(COMPONENT, MIGRATIONS)?;
            let id = format!("{}#updates{}", crate::state::replica_id(), OPENED.fetch_add(1, Ordering::Relaxed));
            pg.join(&id)?;
            Ok(PgUpdates { pg, id, purged: AtomicI64::new(i64::MIN) })
        }
    }

    impl UpdateLog for PgUpdates {
        fn claim(&self, bot: i64, update_id: i64, now: DateTime<Utc>) -> Result<bool> {
            let last = self.purged.load(Ordering::Relaxed);
            if last == i64::MIN || now.timestamp().saturating_sub(last) >= PURGE_EVERY.num_seconds() {
                self.purged.store(now.timestamp(), Ordering::Relaxed);
                self.expire(now - KEEP)?;
            }
            self.pg.claim(&CLAIM, vec![Box::new(bot), Box::new(update_id), Box::new(self.id.clone()), Box::new(now.timestamp())])
        }

        fn done(&self, bot: i64, update_id: i64) -> Result<()> {
            let me = self.id.clone();
            self.pg.run(move |client| async move {
                client.execute("UPDATE chat_updates SET done = true WHERE bot = $1 AND update_id = $2 AND claimed_by = $3", &[&bot, &update_id, &me]).await?;
                Ok(())
            })
        }

        fn expire(&self, before: DateTime<Utc>) -> Result<u64> {
            let before = before.timestamp();
            self.pg.run(move |client| async move { Ok(client.execute("DELETE FROM chat_updates WHERE received < $1", &[&before]).await?) })
        }
    }
}
