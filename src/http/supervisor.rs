//! `briefbot serve`: everything configured, in one process.
//!
//! 1. The configuration is checked before anything starts (bind address, bearer token,
//!    token files); a problem is one line naming the key. The subscription store is opened
//!    too: a damaged one stops start-up with what to do (it is user state: never replaced).
//! 2. The HTTP server starts listening at once; `/healthz` says `starting`.
//! 3. The engine opens on the blocking pool (rebuilding damaged derived state, with one
//!    warning). When it is ready, health turns `ok` and the
//!    chat adapters start (Telegram when a Telegram token is set, Discord when a Discord
//!    token is set), with the corpus refresher.
//! 4. SIGTERM or SIGINT flips the shutdown channel: adapters stop taking updates and finish
//!    the answers in flight, the refresher stops, the HTTP server finishes its requests.
//!    Whatever has not finished after [`SHUTDOWN_GRACE`] is abandoned; the exit is clean.
//!
//! A front end that fails for good (a refused token, a second instance polling the same
//! bot) stops the process with an error, so that a supervisor (Docker) sees it.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{error, info, warn};

use super::metrics::Metrics;
use super::{AppState, TOKEN_ENV, bearer_token_policy, local_url};
use crate::config::{Config, read_secret};
use crate::core::engine::{Engine, RefreshReport};
use crate::dispatch::Answerer;

/// After the shutdown signal, how long answers in flight may take before the process exits
/// anyway (below the 10 s that Docker waits before SIGKILL).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

/// The address `http.bind` names (the first one when a host name resolves to several).
pub fn resolve_bind(bind: &str) -> Result<SocketAddr> {
    bind.trim()
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| anyhow!("configuration: http.bind `{bind}` is not an address such as 127.0.0.1:8080"))
}

/// Run `briefbot serve` until SIGTERM/SIGINT (`Ok`) or a fatal error.
pub fn run(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("briefbot").build().context("starting the async runtime")?;
    let result = runtime.block_on(serve(config));
    // A refresh or an index build still running on the blocking pool is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

type Tasks = JoinSet<(&'static str, Result<()>)>;

async fn serve(config: Config) -> Result<()> {
    // Everything that can be wrong with the configuration, before anything starts.
    let bind = resolve_bind(&config.http.bind)?;
    let http_token = read_secret(std::env::var(TOKEN_ENV).ok(), config.http.bearer_token_file.as_deref()).context("http.bearer_token_file")?;
    let http_token = bearer_token_policy(bind, http_token)?;
    #[cfg(feature = "telegram")]
    let telegram_token = crate::adapters::telegram::load_token(&config.telegram).context("telegram.token_file")?;
    #[cfg(not(feature = "telegram"))]
    let telegram_token: Option<String> = None;
    #[cfg(feature = "discord")]
    let discord_token = crate::adapters::discord::load_token(&config.discord).context("discord.token_file")?;
    #[cfg(not(feature = "discord"))]
    let discord_token: Option<String> = None;

    // User state, before anything starts: a damaged store stops here, untouched. A SQLite
    // store that cannot be opened for another reason leaves the bot answering without digests.
    // `[state] url` / BRIEFBOT_STATE_URL: PostgreSQL shared by replicas; else the SQLite file.
    let location = crate::state::StateLocation::resolve(&config.state.url, std::env::var(crate::state::STATE_URL_ENV).ok().as_deref())?;
    let (store, mut shared) = open_state(&location, &config.data.dir);
    let mut store = match store {
        Ok(s) => Ok(Arc::new(s)),
        Err(e) if e.is::<crate::digest::store::StoreDamaged>() => return Err(e),
        // Shared state that cannot be reached stops start-up: a replica without it cannot
        // tell whether another one already polls Telegram or fans out (the orchestrator
        // restarts it; the others go on).
        Err(e) if location != crate::state::StateLocation::Sqlite => return Err(e.context("state.url: the shared state cannot be opened")),
        Err(e) => Err(e),
    };

    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("http.bind {bind}: cannot listen"))?;
    let url = local_url(listener.local_addr().unwrap_or(bind));
    // (Logged once start-up can no longer fail on a bad setting: errors stay one line.)
    info!(engine = location.engine(), replica = crate::state::replica_id(), "state: open");

    let (stop_tx, stop_rx) = watch::channel(false);
    let metrics = Arc::new(Metrics::new());
    let state = AppState::new(metrics.clone(), http_token.clone());
    let mut tasks: Tasks = JoinSet::new();
    {
        let (state, stop) = (state.clone(), stop_rx.clone());
        tasks.spawn(async move { ("http", super::serve(listener, state, stop).await.context("http server")) });
    }
    info!(url = %url, bearer_token = http_token.is_some(), "http: listening");
    if telegram_token.is_none() && discord_token.is_none() {
        // Not `println!`: it panics when stdout is closed.
        let _ = writeln!(std::io::stdout(), "briefbot: no chat token set (TELEGRAM_BOT_TOKEN, DISCORD_TOKEN): serving the web page only, at {url}");
    }

    let opts = config.engine_options();
    info!(corpus = %opts.corpus_dir.display(), data = %opts.data_dir.display(), "index: opening");
    // Answers are possible once the state on disk is read; the scan of the folder then runs
    // in the background (the refresher's first round). An empty state is built first.
    let mut opening = Some(tokio::task::spawn_blocking(move || {
        let (engine, healed) = Engine::open_state(&opts, crate::core::disk::Disk::real())?;
        let report = if engine.stats().articles == 0 || engine.needs_rebuild() {
            let mut r = engine.refresh()?;
            r.healed = healed.or(r.healed);
            r
        } else {
            RefreshReport { healed, ..Default::default() }
        };
        Ok::<_, crate::core::error::CoreError>((Arc::new(engine), report))
    }));
    let mut tokens = Some((telegram_token, discord_token));

    let signal = shutdown_signal();
    tokio::pin!(signal);
    let outcome: Result<()> = loop {
        tokio::select! {
            name = &mut signal => {
                info!("{name}: shutting down");
                break Ok(());
            }
            opened = async { opening.as_mut().expect("guarded").await }, if opening.is_some() => {
                opening = None;
                let (engine, report) = match opened {
                    Ok(Ok(opened)) => opened,
                    Ok(Err(e)) => break Err(anyhow!(e).context(format!("opening the corpus {}", config.corpus.dir.display()))),
                    Err(e) => break Err(anyhow!("opening the corpus {}: {e}", config.corpus.dir.display())),
                };
                let (telegram_token, discord_token) = tokens.take().unwrap_or_default();
                let store = std::mem::replace(&mut store, Err(anyhow!("opened once")));
                let shared = shared.take();
                start(&config, &state, engine, report, store, shared, telegram_token, discord_token, &stop_rx, &mut tasks).await;
            }
            Some(done) = tasks.join_next() => match done {
                Ok(("http", Ok(()))) => break Err(anyhow!("the HTTP server stopped unexpectedly")),
                Ok((name, Ok(()))) => info!("{name}: stopped"),
                // Adapter errors already name their adapter ("telegram: ...").
                Ok((name, Err(e))) => break Err(if e.to_string().starts_with(name) { e } else { e.context(name) }),
                Err(e) => break Err(anyhow!("a task failed: {e}")),
            },
        }
    };

    // Stop taking new work; let what is in flight finish, within the grace period.
    let _ = stop_tx.send(true);
    let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
    let again = shutdown_signal();
    tokio::pin!(again);
    loop {
        tokio::select! {
            next = tokio::time::timeout_at(deadline, tasks.join_next()) => match next {
                Ok(Some(Ok((name, Err(e))))) => warn!("{name}: {}", one_line(&e)),
                Ok(Some(Ok((name, Ok(()))))) => info!("{name}: stopped"),
                Ok(Some(Err(e))) if !e.is_cancelled() => warn!("a task failed while stopping: {e}"),
                Ok(Some(Err(_))) => {}
                Ok(None) => break,
                Err(_) => {
                    warn!("stopping: gave up waiting after {}s for {} task(s)", SHUTDOWN_GRACE.as_secs(), tasks.len());
                    tasks.abort_all();
                    break;
                }
            },
            name = &mut again => {
                warn!("{name} while stopping: stopping now");
                tasks.abort_all();
                break;
            }
        }
    }
    // A fatal error is reported once, by the caller, as one line.
    outcome
}

/// The index is open: report it, mark the server ready, start the adapters and the refresher.
#[allow(clippy::too_many_arguments)]
async fn start(
    config: &Config,
    state: &AppState,
    engine: Arc<Engine>,
    report: RefreshReport,
    store: Result<Arc<crate::digest::Store>>,
    shared: Option<Shared>,
    telegram_token: Option<String>,
    discord_token: Option<String>,
    stop: &watch::Receiver<bool>,
    tasks: &mut Tasks,
) {
    log_report(&report);
    let stats = {
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.stats()).await.unwrap_or_default()
    };
    state.metrics().record_refresh(true, report.skipped.len());
    let answerer = state.set_engine(engine.clone(), stats);
    info!(
        articles = stats.articles,
        sentences = stats.sentences,
        quotes = stats.quotes,
        entities = stats.entities,
        skipped = report.skipped.len(),
        "index: ready"
    );

    // Subscriptions live in the data folder; a store that cannot be opened leaves the bot
    // answering without digests rather than not at all.
    let digests = match store
        .and_then(|store| Ok(crate::digest::DigestService::new(store, engine.clone(), crate::digest::DigestSettings::from_config(&config.digest)?)))
    {
        Ok(d) => Some(Arc::new(d)),
        Err(e) => {
            error!("digest: cannot open the subscription store, digests are off: {e:#}");
            None
        }
    };

    // Topic alerts keep their own tables beside the digest tables (the same SQLite file, or
    // the database replicas share); without them the bot still answers.
    let alert_store = match &shared {
        #[cfg(feature = "postgres")]
        Some(pg) => crate::alerts::AlertStore::open_pg(pg.clone()),
        #[cfg(not(feature = "postgres"))]
        Some(never) => match *never {},
        None => crate::alerts::AlertStore::open_in(&config.data.dir),
    };
    let alerts = match alert_store {
        Ok(store) => Some(Arc::new(crate::alerts::AlertService::new(Arc::new(store), config.alerts.max_per_hour).with_engine(engine.clone()))),
        Err(e) => {
            error!("alerts: cannot open the alert tables, topic alerts are off: {e:#}");
            None
        }
    };

    // One gate for every adapter: rate limits, allowlists and deadlines are shared.
    // Chat answers link each citation to its source page when people can reach this server.
    let mut gate = crate::gate::Gate::new(
        super::doc::with_source_pages(answerer.clone(), &config.http.public_url),
        crate::gate::Limits {
            per_user_per_minute: config.limits.per_user_per_minute,
            per_chat_per_minute: config.limits.per_chat_per_minute,
            deadline: Duration::from_millis(config.limits.answer_deadline_ms),
            heavy_concurrency: config.limits.heavy_concurrency,
        },
        crate::gate::Access {
            allowed_chats: config.access.allowed_chats.clone(),
            allowed_guilds: config.access.allowed_guilds.clone(),
            admins: config.access.admins.clone(),
        },
    )
    .with_metrics(state.metrics().clone());
    if let Some(d) = &digests {
        gate = gate.with_digests(d.clone());
    }
    if let Some(a) = &alerts {
        gate = gate.with_alerts(a.clone());
    }
    let gate = Arc::new(gate);
    #[allow(unused_mut)]
    let mut senders = crate::digest::Senders::new();
    #[cfg(feature = "telegram")]
    if let Some(token) = telegram_token {
        match crate::adapters::telegram::Outbox::new(&config.telegram, &token, gate.metrics().clone()) {
            Ok(outbox) => {
                #[allow(unused_mut)]
                let mut outbox = outbox.with_backoff_ceiling(config.limits.backoff_ceiling());
                // Webhook replicas claim each update in the state they share: a re-delivery
                // that the proxy sends to another replica is answered once.
                #[cfg(feature = "postgres")]
                if let Some(pg) = shared.as_ref().filter(|_| !config.telegram.webhook_url.trim().is_empty()) {
                    match crate::state::updates::open_pg(pg.clone()) {
                        Ok(log) => outbox = outbox.with_update_log(log),
                        Err(e) => error!("telegram: cannot open the shared update log; re-delivered updates are dropped per replica only: {e:#}"),
                    }
                }
                senders.insert(crate::digest::Platform::Telegram, Arc::new(outbox.clone()));
                let (gate, telegram, stop) = (gate.clone(), config.telegram.clone(), stop.clone());
                info!("telegram: starting");
                // Webhook mode: every replica answers the updates it receives. Long
                // polling: one replica at a time polls (Telegram allows one getUpdates).
                let leader = shared.clone().filter(|_| telegram.webhook_url.trim().is_empty());
                tasks.spawn(async move {
                    let run = |stop| {
                        let (gate, telegram, outbox) = (gate.clone(), telegram.clone(), outbox.clone());
                        async move { crate::adapters::telegram::run_with_outbox(gate, &telegram, outbox, stop).await }
                    };
                    ("telegram", when_leading(leader, "telegram-poll", stop, run).await)
                });
            }
            Err(e) => {
                tasks.spawn(async move { ("telegram", Err(e)) });
            }
        }
    }
    #[cfg(feature = "discord")]
    if let Some(token) = discord_token {
        match crate::adapters::discord::Outbox::new(&config.discord, &token, gate.metrics().clone()) {
            Ok(outbox) => {
                senders.insert(crate::digest::Platform::Discord, Arc::new(outbox.clone()));
                let (gate, discord, stop) = (gate.clone(), config.discord.clone(), stop.clone());
                info!("discord: starting");
                // One gateway connection for the bot: on the leading replica only.
                let leader = shared.clone();
                tasks.spawn(async move {
                    let run = |stop| {
                        let (gate, discord, outbox) = (gate.clone(), discord.clone(), outbox.clone());
                        async move { crate::adapters::discord::run_with_outbox(gate, &discord, outbox, stop).await }
                    };
                    ("discord", when_leading(leader, "discord-gateway", stop, run).await)
                });
            }
            Err(e) => {
                tasks.spawn(async move { ("discord", Err(e)) });
            }
        }
    }
    // Digests and alerts go through the same senders and share what they learn of an outage.
    let ceiling = chrono::Duration::from_std(config.limits.backoff_ceiling()).unwrap_or(crate::digest::outage::DEFAULT_CEILING);
    let health = Arc::new(crate::digest::outage::Health::new(ceiling));
    // The refresher says when its start-up scan is over (it runs in the background of answers).
    let (scanned_tx, mut scanned) = watch::channel(false);
    if let Some(alerts) = &alerts
        && !senders.platforms().is_empty()
    {
        // Created once the start-up scan is over: only articles indexed from then on alert
        // (what the scan finds was written while the bot was down, which is not news).
        let every = Duration::from_secs(if config.corpus.refresh_seconds == 0 { 3 } else { config.corpus.refresh_seconds.min(60) });
        let (store, engine, senders, health, public_url, max) =
            (alerts.store().clone(), engine.clone(), senders.clone(), health.clone(), config.http.public_url.clone(), alerts.max_per_hour());
        let stop = stop.clone();
        // With replicas, one alerter runs at a time (a leader): the hourly limit per chat is
        // counted by one sender, and the alert log's claims keep a takeover from repeating an
        // alert (a dead leader's claims in flight are settled as after a crash).
        let leader = shared.clone();
        tasks.spawn(async move {
            let mut waiting = stop.clone();
            tokio::select! {
                _ = scanned.wait_for(|done| *done) => {}
                _ = waiting.wait_for(|s| *s) => return ("alerts", Ok(())),
            }
            let run = |stop| {
                let alerter = crate::alerts::Alerter::new(store.clone(), engine.clone(), senders.clone(), crate::digest::SystemClock, max)
                    .with_health(health.clone())
                    .with_public_url(&public_url)
                    .with_poll(every);
                info!("alerts: watching for new articles on followed topics");
                alerter.run(stop)
            };
            ("alerts", when_leading(leader, "alerts", stop, run).await)
        });
    }
    if let Some(digests) = &digests {
        let platforms = senders.platforms();
        // With no chat platform here, subscriptions wait (unclaimed) for a process that has one.
        if !platforms.is_empty() {
            let scheduler = digests
                .scheduler(senders, crate::digest::SystemClock)
                .with_refresh(engine.clone())
                .with_metrics(gate.metrics().clone())
                .with_health(health.clone());
            let stop = stop.clone();
            info!(platforms = ?platforms, "digest: scheduler starting");
            tasks.spawn(async move { ("digest", scheduler.run(stop).await) });
        }
    }
    if !config.feeds.is_empty() {
        let (config, engine, stop) = (config.clone(), engine.clone(), stop.clone());
        info!(feeds = config.feeds.len(), "feeds: polling");
        // With replicas, every replica polls, each feed under its lease (one replica at a
        // time, taken over when its holder dies), and every article is checked against the
        // seen records they share: each article is stored once.
        let shared_ingest = match &shared {
            #[cfg(feature = "postgres")]
            Some(pg) => match crate::ingest::shared::open_pg(pg.clone()) {
                Ok(s) => Some(s),
                Err(e) => {
                    error!("feeds: cannot open the state replicas share, feeds are off: {e:#}");
                    None
                }
            },
            #[cfg(not(feature = "postgres"))]
            Some(never) => match *never {},
            None => None,
        };
        if shared.is_none() || shared_ingest.is_some() {
            tasks.spawn(async move {
                crate::ingest::run_feeds_with(config, engine, shared_ingest, stop).await;
                ("feeds", Ok(()))
            });
        }
    }
    #[cfg(not(feature = "telegram"))]
    let _ = telegram_token;
    #[cfg(not(feature = "discord"))]
    let _ = discord_token;
    let _: &Arc<dyn Answerer> = &answerer;

    // With `refresh_seconds = 0` the folder is not watched, but a damaged index is still rebuilt.
    let every = (config.corpus.refresh_seconds > 0).then(|| Duration::from_secs(config.corpus.refresh_seconds));
    let scan = Duration::from_secs(config.corpus.scan_seconds);
    let (metrics, stop, corpus) = (state.metrics().clone(), stop.clone(), config.corpus.dir.clone());
    tasks.spawn(async move { ("refresher", refresher(engine, metrics, every, scan, corpus, scanned_tx, stop).await) });
}

/// The shared state replicas coordinate through (leadership), when the state is PostgreSQL.
#[cfg(feature = "postgres")]
type Shared = Arc<crate::state::pg::Pg>;
#[cfg(not(feature = "postgres"))]
type Shared = std::convert::Infallible;

/// Open user state: the digest store, and (PostgreSQL) the connection replicas coordinate
/// through.
fn open_state(location: &crate::state::StateLocation, data_dir: &std::path::Path) -> (Result<crate::digest::Store>, Option<Shared>) {
    match location {
        crate::state::StateLocation::Sqlite => (crate::digest::Store::open_in(data_dir), None),
        #[cfg(feature = "postgres")]
        crate::state::StateLocation::Postgres(url) => match crate::state::pg::Pg::connect(url) {
            Ok(pg) => {
                let pg = Arc::new(pg);
                (crate::digest::Store::open_pg(pg.clone()), Some(pg))
            }
            Err(e) => (Err(e), None),
        },
        #[cfg(not(feature = "postgres"))]
        other => (crate::digest::Store::open_state(other, data_dir), None),
    }
}

/// Run an adapter that must run on one replica at a time (`leader` set: the state is
/// shared) while this replica leads `name`; without `leader`, just run it. When leadership
/// is lost (the database unreachable) the adapter is stopped and waits to lead again.
#[allow(unused_variables, unused_mut)]
async fn when_leading<F, Fut>(leader: Option<Shared>, name: &'static str, mut stop: watch::Receiver<bool>, run: F) -> Result<()>
where
    F: Fn(watch::Receiver<bool>) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    #[cfg(feature = "postgres")]
    if let Some(pg) = leader {
        let mut lead = pg.leadership(name);
        loop {
            info!(name, "state: waiting to lead");
            tokio::select! {
                r = lead.wait_for(|l| *l) => if r.is_err() { return Ok(()) },
                _ = stop.wait_for(|s| *s) => return Ok(()),
            }
            let (inner_tx, inner_rx) = watch::channel(false);
            let (mut outer, mut lost) = (stop.clone(), lead.clone());
            let forward = tokio::spawn(async move {
                tokio::select! {
                    _ = outer.wait_for(|s| *s) => {}
                    _ = lost.wait_for(|l| !*l) => {}
                }
                let _ = inner_tx.send(true);
            });
            let result = run(inner_rx).await;
            forward.abort();
            if *stop.borrow() {
                return result;
            }
            if *lead.borrow() {
                // The adapter stopped on its own while leading: as without replicas.
                return result;
            }
            warn!(name, "state: lost leadership; the adapter stopped and waits to lead again");
        }
    }
    run(stop).await
}

/// How often the refresher looks for an index to rebuild or a failed refresh to try again.
const HEAL_POLL: Duration = Duration::from_secs(5);

fn log_report(report: &RefreshReport) {
    if let Some(h) = &report.healed {
        warn!("index: {h}");
    }
    for s in &report.skipped {
        warn!("corpus: skipped {}: {}", s.rel_path, s.reason);
    }
    if report.read_only {
        warn!("index: another briefbot process is updating the index; answering from the index as it is");
    }
    if report.changed_anything() {
        info!(added = report.added, changed = report.changed, removed = report.removed, unchanged = report.unchanged, "corpus: index updated");
    }
}

/// Keep the index in step with the corpus folder until `stop` (`every` = `None`: only
/// rebuild a damaged index). The folder is watched with the file system's notifications:
/// the files named are refreshed after `every` of quiet gathering; a full scan runs at once
/// (start-up) and then every `scan` (0: never again) as a safety net. Without notifications
/// the folder is scanned every `every`. A refresh that failed (a full disk) is simply tried
/// again next time.
async fn refresher(
    engine: Arc<Engine>,
    metrics: Arc<Metrics>,
    every: Option<Duration>,
    scan: Duration,
    corpus: std::path::PathBuf,
    scanned: watch::Sender<bool>,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    use crate::ingest::watch::{Change, notify_changes};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Change>();
    let watcher = match every {
        Some(_) => match notify_changes(&corpus, tx) {
            Ok(w) => Some(w),
            Err(e) => {
                warn!("corpus: no file-system notifications ({e}); scanning the folder every {}s", every.unwrap_or(HEAL_POLL).as_secs());
                None
            }
        },
        None => None,
    };
    let watched = watcher.is_some();
    // Without notifications, the scan period is the refresh period.
    let period = match (every, watched) {
        (Some(e), false) => e,
        (Some(_), true) if !scan.is_zero() => scan,
        _ => HEAL_POLL,
    };
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The same failure (a full disk) is logged once, not every period; recovery is logged too.
    let mut failing: Option<String> = None;
    let mut heal = tokio::time::interval_at(tokio::time::Instant::now() + HEAL_POLL, HEAL_POLL);
    heal.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut retry = false;
    // The start-up scan, in the background of answers.
    let mut first = every.is_some();
    if !first {
        let _ = scanned.send(true);
    }
    loop {
        let mut paths: Option<Vec<String>> = None;
        if !first {
            let woke: Option<Change> = tokio::select! {
                _ = stop.wait_for(|s| *s) => return Ok(()),
                _ = tick.tick() => {
                    if !(every.is_some() && (!watched || !scan.is_zero())) {
                        continue;
                    }
                    None
                }
                // A damaged index, or changes whose refresh failed: a scan settles both.
                _ = heal.tick() => {
                    if !(retry || engine.needs_rebuild()) {
                        continue;
                    }
                    None
                }
                Some(change) = rx.recv() => Some(change),
            };
            if let Some(change) = woke {
                // Gather what arrives together (an editor's save, a batch of feed items).
                tokio::time::sleep(every.unwrap_or(HEAL_POLL).min(Duration::from_secs(1))).await;
                let mut set = std::collections::BTreeSet::new();
                let mut rescan = false;
                let mut next = Some(change);
                while let Some(c) = next {
                    match c {
                        Change::File(p) => {
                            set.insert(p);
                        }
                        Change::Rescan => rescan = true,
                    }
                    next = rx.try_recv().ok();
                }
                if !rescan {
                    paths = Some(set.into_iter().collect());
                }
            }
        }
        first = false;
        let e = engine.clone();
        // Articles found now count as arrived now: that is what the daily digest reports.
        let work = move || {
            let now = Some(chrono::Utc::now());
            match &paths {
                Some(p) => e.refresh_paths(p, now),
                None => e.refresh_at(now),
            }
            .map(|report| (report, e.stats()))
        };
        let result = tokio::task::spawn_blocking(work).await;
        // The start-up scan is over (whatever its outcome): from here on, arrivals are news.
        let _ = scanned.send(true);
        retry = !matches!(result, Ok(Ok(_)));
        match result {
            Ok(Ok((report, stats))) => {
                if failing.take().is_some() {
                    info!("corpus: refresh works again");
                }
                log_report(&report);
                metrics.record_refresh(true, report.skipped.len());
                metrics.set_corpus(&stats);
            }
            Ok(Err(e)) => {
                let line = crate::core::heal::one_line(&e);
                if failing.as_deref() != Some(line.as_str()) {
                    warn!("corpus: refresh failed (tried again every {}s): {line}", HEAL_POLL.as_secs());
                }
                failing = Some(line);
                metrics.record_refresh(false, 0);
            }
            Err(e) => {
                warn!("corpus: refresh failed: {e}");
                metrics.record_refresh(false, 0);
            }
        }
    }
}

/// Resolves with the signal's name on SIGTERM or SIGINT (Ctrl-C).
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(e) => {
                warn!("cannot listen for SIGTERM ({e}); Ctrl-C still stops the server");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// The error and its causes in one line, each library text once.
fn one_line(e: &anyhow::Error) -> String {
    let e: &(dyn std::error::Error + 'static) = e.as_ref();
    crate::core::heal::one_line(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(resolve_bind("127.0.0.1:8080").unwrap(), "127.0.0.1:8080".parse().unwrap());
        assert!(resolve_bind("localhost:8080").unwrap().ip().is_loopback());
        let err = resolve_bind("nonsense").unwrap_err().to_string();
        assert!(err.contains("http.bind") && err.contains("nonsense"), "{err}");
    }
}
