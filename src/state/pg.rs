//! The PostgreSQL engine's connection: a `deadpool-postgres` pool of `tokio-postgres`
//! clients on a small tokio runtime owned by this value, and versioned migrations.
//!
//! The stores' interfaces are synchronous (SQLite's are, and every call is short), so a call
//! here runs its future on the pool's runtime and waits for the answer on the calling thread,
//! whether that thread is inside the bot's runtime or not (a plain `block_on` there would
//! panic). Callers that must not block a runtime worker use `spawn_blocking`, as the digest
//! fan-out does for its claims.

use std::future::Future;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::redact;

/// Connections in the pool: the fan-out claims in batches from one task, the gate's digest
/// commands are light; a few are enough and leave room for many replicas on one server.
const POOL_SIZE: usize = 8;
/// How long a call waits for a connection (the database down: a clear error, not a hang).
const WAIT: Duration = Duration::from_secs(10);
/// The advisory lock migrations run under (one replica migrates, the others wait).
const MIGRATION_LOCK: i64 = 0x6272_6965_6662_6f74; // "briefbot"

/// A pool of connections to one database, and the runtime its I/O runs on.
pub struct Pg {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    /// For connections outside the pool (a leader holds its own).
    config: tokio_postgres::Config,
    shown: String,
    /// For each replica joined through this pool: how to leave, and word that it left.
    presence: std::sync::Mutex<Vec<Presence>>,
}

type Presence = (tokio::sync::oneshot::Sender<()>, std::sync::mpsc::Receiver<()>);

impl Pg {
    /// Connect to `url` (`postgres://user:password@host:port/db`, or a unix socket folder
    /// with `?host=/path`) and check that the database answers.
    pub fn connect(url: &str) -> Result<Pg> {
        let shown = redact(url);
        let config: tokio_postgres::Config = url.parse().with_context(|| format!("state.url {shown}: not a PostgreSQL connection URL"))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("briefbot-postgres")
            .enable_all()
            .build()
            .context("starting the PostgreSQL client runtime")?;
        let manager = Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = {
            let _entered = runtime.enter();
            Pool::builder(manager)
                .max_size(POOL_SIZE)
                .wait_timeout(Some(WAIT))
                .create_timeout(Some(WAIT))
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .build()
                .map_err(|e| anyhow!("state.url {shown}: {e}"))?
        };
        let pg = Pg { runtime: Some(runtime), pool, config, shown, presence: Default::default() };
        pg.run(|c| async move {
            c.simple_query("SELECT 1").await?;
            Ok(())
        })
        .with_context(|| format!("connecting to {}", pg.shown))?;
        Ok(pg)
    }

    /// The database, without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Run `f` with a pooled connection on the pool's runtime and wait for its result.
    pub fn run<T, F, Fut>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Object) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the pool");
        let pool = self.pool.clone();
        let shown = self.shown.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let result = match pool.get().await {
                Ok(client) => f(client).await,
                Err(e) => Err(anyhow!("{shown}: no connection: {e}")),
            };
            let _ = tx.send(result);
        });
        rx.recv().map_err(|_| anyhow!("{}: the PostgreSQL client runtime stopped", self.shown))?
    }

    /// Bring `component`'s tables up to date: `migrations[i]` takes it from version `i` to
    /// `i + 1`. All pending ones run in one transaction under an advisory lock, so replicas
    /// starting together migrate once. Returns the version now.
    pub fn migrate(&self, component: &'static str, migrations: &'static [&'static str]) -> Result<i64> {
        let shown = self.shown.clone();
        self.run(move |mut client| async move {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS briefbot_migrations (component TEXT PRIMARY KEY, version BIGINT NOT NULL, updated TIMESTAMPTZ NOT NULL DEFAULT now())")
                .await?;
            let version: i64 = tx
                .query_opt("SELECT version FROM briefbot_migrations WHERE component = $1", &[&component])
                .await?
                .map_or(0, |r| r.get(0));
            let known = migrations.len() as i64;
            if version > known {
                bail!("{shown}: {component} was migrated by a newer briefbot (schema {version}, this one knows {known})");
            }
            for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
                tx.batch_execute(sql).await.with_context(|| format!("{shown}: migrating {component} to schema {}", i + 1))?;
            }
            tx.execute(
                "INSERT INTO briefbot_migrations (component, version) VALUES ($1, $2)
                 ON CONFLICT (component) DO UPDATE SET version = excluded.version, updated = now()",
                &[&component, &known],
            )
            .await?;
            tx.commit().await?;
            Ok(known)
        })
    }

    /// The schema version of `component` (0: never migrated).
    pub fn version(&self, component: &'static str) -> Result<i64> {
        self.run(move |client| async move {
            let row = client.query_opt("SELECT version FROM briefbot_migrations WHERE component = $1", &[&component]).await?;
            Ok(row.map_or(0, |r| r.get(0)))
        })
    }
}

/// The first key of the lock each replica holds while it lives (the second is
/// `hashtext(its id)`): "pres".
const PRESENCE_LOCK: i32 = 0x7072_6573;

/// SQL: true when the replica named by the expression `$who` holds its presence lock, i.e.
/// its process and its session are alive. A killed replica's session closes with its socket
/// and the server drops the lock at once: no heartbeat, no clock.
pub fn alive_sql(who: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
            AND l.classid = {PRESENCE_LOCK}::oid AND l.objid = hashtext({who})::oid)"
    )
}

/// A row claimed by one replica "unless its holder is alive": the claim inserts the row, or
/// takes an existing one over when its holder's session is gone ([`alive_sql`]) or when
/// `free_if` holds, and never while `kept_if` holds. Replicas claiming one row at once are
/// ordered by its row lock (`INSERT ... ON CONFLICT DO UPDATE ... WHERE`): one of them gets it.
///
/// The statement's parameters are, in order, the `key` columns, the holder, then `columns`;
/// `free_if` and `kept_if` may use more after them.
pub struct Claim {
    pub table: &'static str,
    /// The key columns (the conflict target).
    pub key: &'static [&'static str],
    /// The column naming the holder (a replica's presence id, as in [`Pg::join`]).
    pub holder: &'static str,
    /// The other columns the claim writes, on insert and on takeover.
    pub columns: &'static [&'static str],
    /// Further assignments on a takeover (`""`: none).
    pub also: &'static str,
    /// When a live holder's row may be taken too (`""`: never).
    pub free_if: &'static str,
    /// When the row is never taken, its holder alive or not (`""`: always takeable).
    pub kept_if: &'static str,
}

impl Claim {
    /// The claim's statement: it returns a row when the claim is this replica's.
    pub fn sql(&self) -> String {
        let columns: Vec<&str> = self.key.iter().chain([&self.holder]).chain(self.columns).copied().collect();
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let mut set: Vec<String> = columns[self.key.len()..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
        if !self.also.is_empty() {
            set.push(self.also.to_string());
        }
        let mut takeable = format!("NOT {}", alive_sql(&format!("{}.{}", self.table, self.holder)));
        if !self.free_if.is_empty() {
            takeable = format!("{} OR {takeable}", self.free_if);
        }
        if !self.kept_if.is_empty() {
            takeable = format!("NOT ({}) AND ({takeable})", self.kept_if);
        }
        format!(
            "INSERT INTO {table} ({columns}) VALUES ({params}) ON CONFLICT ({key}) DO UPDATE SET {set} WHERE {takeable} RETURNING 1",
            table = self.table,
            columns = columns.join(", "),
            params = params.join(", "),
            key = self.key.join(", "),
            set = set.join(", "),
        )
    }
}

/// A statement parameter a claim owns (it is sent to the pool's runtime).
pub type Param = Box<dyn tokio_postgres::types::ToSql + Send + Sync>;

impl Pg {
    /// Make `claim` with `params` (see [`Claim`] for their order): `true` when the row is
    /// now this replica's.
    pub fn claim(&self, claim: &Claim, params: Vec<Param>) -> Result<bool> {
        let sql = claim.sql();
        self.run(move |client| async move {
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params.iter().map(|p| &**p as _).collect();
            Ok(client.query_opt(&sql, &refs).await?.is_some())
        })
    }
}

impl Pg {
    /// Join the replicas as `replica`: take its presence lock on a connection of its own,
    /// held for as long as this value lives. Rows it claims name it; once its session is
    /// gone (the process killed, or cut off from the database) the others settle what it
    /// left by the rules of a crash.
    pub fn join(&self, replica: &str) -> Result<()> {
        let (config, id, shown) = (self.config.clone(), replica.to_string(), self.shown.clone());
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<Result<()>>(1);
        let (leave_tx, leave_rx) = tokio::sync::oneshot::channel::<()>();
        let (left_tx, left_rx) = std::sync::mpsc::sync_channel::<()>(1);
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the pool");
        runtime.spawn(async move {
            let (client, connection) = match config.connect(NoTls).await {
                Ok(c) => c,
                Err(e) => {
                    let _ = ready_tx.send(Err(anyhow!("{shown}: {e}")));
                    return;
                }
            };
            let mut connection = tokio::spawn(connection);
            match client.query_one("SELECT pg_try_advisory_lock($1, hashtext($2))", &[&PRESENCE_LOCK, &id]).await {
                Ok(r) if r.get::<_, bool>(0) => {
                    let _ = ready_tx.send(Ok(()));
                }
                Ok(_) => {
                    let _ = ready_tx.send(Err(anyhow!("{shown}: another replica already runs as {id}")));
                    return;
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(anyhow!("{shown}: {e}")));
                    return;
                }
            }
            tokio::select! {
                _ = leave_rx => {
                    // Release the lock first: the server acts on a Terminate after the
                    // client has closed its end, so the lock could outlive the wait below.
                    if let Err(e) = client.simple_query("SELECT pg_advisory_unlock_all()").await {
                        tracing::warn!("state: releasing the replica's presence lock: {e}");
                    }
                    drop(client);
                    let _ = (&mut connection).await;
                    let _ = left_tx.send(());
                }
                _ = &mut connection => {
                    tracing::warn!("state: the replica's session ended; other replicas now settle its claims");
                }
            }
        });
        ready_rx.recv().map_err(|_| anyhow!("{}: the PostgreSQL client runtime stopped", self.shown))??;
        self.presence.lock().expect("presence lock").push((leave_tx, left_rx));
        Ok(())
    }
}

/// The first key of every leadership lock (the second is `hashtext(name)`).
const LEADER_LOCK: i32 = 0x6272_6965; // "brie"
/// How often a candidate tries to lead, and a leader checks it still holds its lock.
const LEADER_CHECK: Duration = Duration::from_secs(1);

impl Pg {
    /// Lead `name` ("telegram-poll", "discord-gateway"): one replica at a time. The watch
    /// turns true while this replica leads. A candidate tries every second; the lock is a
    /// session advisory lock on a connection of its own, so when the leader dies its
    /// connection closes and the next candidate takes over within about a second (a leader
    /// cut off from the database notices within a second and turns false).
    pub fn leadership(&self, name: &'static str) -> tokio::sync::watch::Receiver<bool> {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let config = self.config.clone();
        let runtime = self.runtime.as_ref().expect("the runtime lives as long as the pool");
        runtime.spawn(async move {
            loop {
                if tx.is_closed() {
                    return;
                }
                if let Ok((client, connection)) = config.connect(NoTls).await {
                    let conn = tokio::spawn(connection);
                    let got = client.query_one("SELECT pg_try_advisory_lock($1, hashtext($2))", &[&LEADER_LOCK, &name]).await.map(|r| r.get::<_, bool>(0));
                    if let Ok(true) = got {
                        tracing::info!(name, "state: this replica leads");
                        let _ = tx.send(true);
                        while !tx.is_closed() && client.simple_query("SELECT 1").await.is_ok() {
                            tokio::time::sleep(LEADER_CHECK).await;
                        }
                        let _ = tx.send(false);
                        tracing::warn!(name, "state: this replica no longer leads");
                    }
                    drop(client);
                    let _ = conn.await;
                }
                tokio::time::sleep(LEADER_CHECK).await;
            }
        });
        rx
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // Leave cleanly (a replica shutting down or dropped in a test): its claims are
        // settled by the others at once, as after a kill.
        for (leave, left) in self.presence.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default() {
            if leave.send(()).is_ok() {
                let _ = left.recv_timeout(Duration::from_secs(2));
            }
        }
        // Dropping a runtime blocks, which panics inside another runtime: let it go instead.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
