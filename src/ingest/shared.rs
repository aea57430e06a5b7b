//! What ingest shares with other replicas when user state is PostgreSQL: per-feed leases
//! (each feed polled by one replica at a time) and the seen-URL / seen-text records (each
//! article stored once, whichever replica meets it first).
//!
//! Without replicas there is nothing to share: the ingester's duplicate index is derived from
//! the corpus folder and `feeds.json` schedules the polls ([`super::feeds`]).
//!
//! - **Leases.** A row per feed: its holder and until when. A replica polls a feed only
//!   after taking its lease, for the poll ([`POLL_LEASE`]), then keeps it until the feed's
//!   next poll, so another replica does not poll it in between. A lease is free once it
//!   expires, or at once when its holder's session is gone (a killed replica): the next
//!   replica to look takes it over. A replica that finds a feed held looks again within
//!   [`LOOK_AGAIN`].
//! - **Seen records.** Keys `url:<canonical URL>` and `text:<site>:<sha256 of the normalised
//!   text>` (the same text on another site is a syndicated copy, kept and grouped), each
//!   naming the document stored under it. Before an article is written its keys are
//!   reserved in one transaction; a key already taken makes it a duplicate. A reservation
//!   names its replica: one left by a replica that died before writing is taken over, so an
//!   article is never lost to a crash. A write that fails releases its keys.
//! - **Poll state.** A row per feed with what `feeds.json` holds for it (validators, the
//!   items it listed, failures): written after each poll, read by the replica that takes the
//!   lease next, so a takeover asks with the last validators (a 304 when nothing changed)
//!   and skips the items already handled, as the same replica would.

#[cfg(feature = "postgres")]
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::store::{canonical_url, normalise};

/// How long a poll may hold its feed's lease before others may take it (its holder alive).
pub const POLL_LEASE: Duration = Duration::minutes(10);
/// How soon a replica that found a feed held looks at its lease again.
pub const LOOK_AGAIN: Duration = Duration::seconds(5);

/// Whether a feed may be polled here now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// Taken (or already held) by this replica.
    Mine,
    /// Held by another replica until then.
    Held(DateTime<Utc>),
}

/// What a reservation of an article's keys found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reserved {
    /// The keys are this replica's: write the article, then [`SharedIngest::settle`].
    Mine,
    /// A key is taken: the document stored under it (empty while another replica writes it),
    /// and which key (`"same URL"`, `"same text"`).
    Taken { doc: String, reason: &'static str },
}

/// Ingest's state shared by replicas.
pub trait SharedIngest: Send + Sync {
    /// Take `feed`'s lease until `until`, when it is free (expired, its holder gone) or
    /// already this replica's.
    fn take_feed(&self, feed: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Lease>;
    /// Keep this replica's lease on `feed` until `until` (the feed's next poll).
    fn keep_feed(&self, feed: &str, until: DateTime<Utc>) -> Result<()>;
    /// The document stored under any of `keys`, if one is.
    fn known(&self, keys: &[String]) -> Result<Option<String>>;
    /// Reserve `keys` for an article about to be written.
    fn reserve(&self, keys: &[String], now: DateTime<Utc>) -> Result<Reserved>;
    /// After the write: the keys name `doc` (written, or a duplicate the corpus already had),
    /// or are released (`None`: the write failed).
    fn settle(&self, keys: &[String], doc: Option<&str>) -> Result<()>;
    /// A feed's poll state (conditional-request validators, the items it listed) as the
    /// last replica to poll it left it: JSON of [`super::feeds::FeedState`].
    fn feed_state(&self, feed: &str) -> Result<Option<String>>;
    /// Record a feed's poll state after a poll.
    fn save_feed_state(&self, feed: &str, state: &str, now: DateTime<Utc>) -> Result<()>;
}

/// The seen key of a URL (after canonicalisation).
pub fn url_key(url: &str) -> Option<String> {
    canonical_url(url).map(|u| format!("url:{u}"))
}

/// The seen keys of an article: its URLs, and its text on its site.
pub fn article_keys(site: &str, text: &str, urls: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for k in urls.iter().filter_map(|u| url_key(u)) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let digest = Sha256::digest(normalise(text).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    keys.push(format!("text:{site}:{hex}"));
    keys
}

/// The shared ingest state of a PostgreSQL database.
#[cfg(feature = "postgres")]
pub fn open_pg(pg: Arc<crate::state::pg::Pg>) -> Result<Arc<dyn SharedIngest>> {
    Ok(Arc::new(pg_engine::PgIngest::open(pg)?))
}

#[cfg(feature = "postgres")]
mod pg_engine {
    use super::*;
    use crate::digest::store::ts;
    use crate::state::pg::{Claim, Param, Pg, alive_sql};

    /// This component's name in `briefbot_migrations`.
    const COMPONENT: &str = "ingest";
    const MIGRATIONS: &[&str] = &[
        // 1: feed leases and the seen records.
        "CREATE TABLE feed_leases (
            feed TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires TEXT NOT NULL,
            taken BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE ingest_seen (
            key TEXT PRIMARY KEY,
            doc TEXT,
            holder TEXT NOT NULL,
            added TEXT NOT NULL
        );",
        // 2: each feed's poll state (validators, items seen), so that a replica taking a
        // feed over asks with the last poll's validators.
        "CREATE TABLE feed_state (
            feed TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated TEXT NOT NULL
        );",
    ];
    /// The transaction lock reservations run under: "seen".
    const SEEN_LOCK: i64 = 0x7365_656e;

    /// A feed's lease is this replica's when it already holds it, when the lease expired
    /// (`$4`: now) or when its holder's session is gone; `taken` counts the changes of holder.
    const LEASE: Claim = Claim {
        table: "feed_leases",
        key: &["feed"],
        holder: "holder",
        columns: &["expires"],
        also: "taken = feed_leases.taken + (feed_leases.holder <> excluded.holder)::int",
        free_if: "feed_leases.holder = excluded.holder OR feed_leases.expires <= $4",
        kept_if: "",
    };

    pub struct PgIngest {
        pg: Arc<Pg>,
        id: String,
    }

    impl PgIngest {
        pub fn open(pg: Arc<Pg>) -> Result<PgIngest> {
            static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            pg.migrate(COMPONENT, MIGRATIONS)?;
            let id = format!("{}#ingest{}", crate::state::replica_id(), OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            pg.join(&id)?;
            Ok(PgIngest { pg, id })
        }
    }

    impl SharedIngest for PgIngest {
        fn take_feed(&self, feed: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Lease> {
            let params: Vec<Param> = vec![Box::new(feed.to_string()), Box::new(self.id.clone()), Box::new(ts(until)), Box::new(ts(now))];
            if self.pg.claim(&LEASE, params)? {
                return Ok(Lease::Mine);
            }
            let feed = feed.to_string();
            self.pg.run(move |client| async move {
                let row = client.query_opt("SELECT expires FROM feed_leases WHERE feed = $1", &[&feed]).await?;
                let until = row.and_then(|r| DateTime::parse_from_rfc3339(&r.get::<_, String>(0)).ok()).map(|t| t.with_timezone(&Utc)).unwrap_or_else(Utc::now);
                Ok(Lease::Held(until))
            })
        }

        fn keep_feed(&self, feed: &str, until: DateTime<Utc>) -> Result<()> {
            let (feed, me, until) = (feed.to_string(), self.id.clone(), ts(until));
            self.pg.run(move |client| async move {
                client.execute("UPDATE feed_leases SET expires = $3 WHERE feed = $1 AND holder = $2", &[&feed, &me, &until]).await?;
                Ok(())
            })
        }

        fn known(&self, keys: &[String]) -> Result<Option<String>> {
            let keys = keys.to_vec();
            self.pg.run(move |client| async move {
                let row = client.query_opt("SELECT doc FROM ingest_seen WHERE key = ANY($1) AND doc IS NOT NULL LIMIT 1", &[&keys]).await?;
                Ok(row.map(|r| r.get(0)))
            })
        }

        fn reserve(&self, keys: &[String], now: DateTime<Utc>) -> Result<Reserved> {
            let (keys, me, now) = (keys.to_vec(), self.id.clone(), ts(now));
            self.pg.run(move |mut client| async move {
                let tx = client.transaction().await?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SEEN_LOCK]).await?;
                let rows = tx
                    .query(
                        &format!("SELECT key, doc, (holder = $2 OR {}) AS live FROM ingest_seen WHERE key = ANY($1)", alive_sql("ingest_seen.holder")),
                        &[&keys, &me],
                    )
                    .await?;
                for r in &rows {
                    let (key, doc, live): (String, Option<String>, bool) = (r.get(0), r.get(1), r.get(2));
                    let reason = if key.starts_with("url:") { "same URL" } else { "same text" };
                    match doc {
                        Some(doc) => return Ok(Reserved::Taken { doc, reason }),
                        // Being written by a live replica (this one included: a concurrent
                        // poll); a dead one's reservation is taken over below.
                        None if live => return Ok(Reserved::Taken { doc: String::new(), reason }),
                        None => {}
                    }
                }
                let insert = tx
                    .prepare(
                        "INSERT INTO ingest_seen (key, doc, holder, added) VALUES ($1, NULL, $2, $3)
                         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, added = excluded.added WHERE ingest_seen.doc IS NULL",
                    )
                    .await?;
                for k in &keys {
                    tx.execute(&insert, &[k, &me, &now]).await?;
                }
                tx.commit().await?;
                Ok(Reserved::Mine)
            })
        }

        fn settle(&self, keys: &[String], doc: Option<&str>) -> Result<()> {
            let (keys, me, doc) = (keys.to_vec(), self.id.clone(), doc.map(str::to_string));
            self.pg.run(move |client| async move {
                match doc {
                    Some(doc) => {
                        client.execute("UPDATE ingest_seen SET doc = $3 WHERE key = ANY($1) AND holder = $2 AND doc IS NULL", &[&keys, &me, &doc]).await?
                    }
                    None => client.execute("DELETE FROM ingest_seen WHERE key = ANY($1) AND holder = $2 AND doc IS NULL", &[&keys, &me]).await?,
                };
                Ok(())
            })
        }

        fn feed_state(&self, feed: &str) -> Result<Option<String>> {
            let feed = feed.to_string();
            self.pg.run(move |client| async move { Ok(client.query_opt("SELECT state FROM feed_state WHERE feed = $1", &[&feed]).await?.map(|r| r.get(0))) })
        }

        fn save_feed_state(&self, feed: &str, state: &str, now: DateTime<Utc>) -> Result<()> {
            let (feed, state, now) = (feed.to_string(), state.to_string(), ts(now));
            self.pg.run(move |client| async move {
                client
                    .execute(
                        "INSERT INTO feed_state (feed, state, updated) VALUES ($1, $2, $3)
                         ON CONFLICT (feed) DO UPDATE SET state = excluded.state, updated = excluded.updated",
                        &[&feed, &state, &now],
                    )
                    .await?;
                Ok(())
            })
        }
    }
}
