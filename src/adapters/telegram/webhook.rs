//! Webhook mode: Telegram POSTs updates to `telegram.webhook_url`, which a reverse proxy
//! forwards to the listener on `telegram.webhook_bind`.
//!
//! Every request must carry the secret in `X-Telegram-Bot-Api-Secret-Token` (compared in
//! constant time); anything else gets 401. The secret is given to Telegram with `setWebhook`.
//! A body that is not an update is logged and acknowledged (200), so Telegram does not
//! resend it forever. With replicas sharing PostgreSQL, each update is claimed in the shared
//! update log ([`crate::state::updates`]) before it is acknowledged, so one Telegram
//! re-delivers to another replica is answered once. The listener is ours rather than teloxide's `webhooks::axum`, which
//! panics when it cannot bind and deletes the webhook on shutdown (a rolling restart would
//! then delete the webhook the new instance just set).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use teloxide::prelude::*;
use teloxide::types::Update;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::{Ctx, dispatch, load_webhook_secret, reap, redact, shutdown_requested, startup_call};
use crate::config::TelegramConfig;
use crate::state::updates::UpdateLog;

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Updates accepted but not yet dispatched; beyond this, Telegram is told 503 and retries.
const QUEUE: usize = 256;
/// Update ids remembered to drop Telegram's re-deliveries.
const SEEN: usize = 1024;

pub(super) struct Settings {
    pub url: reqwest::Url,
    pub bind: String,
    pub path: String,
    secret: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings").field("url", &self.url.as_str()).field("bind", &self.bind).field("path", &self.path).finish_non_exhaustive()
    }
}

impl Settings {
    /// Webhook settings from the configuration; webhook mode without a valid secret is an
    /// error.
    pub fn from_config(config: &TelegramConfig) -> Result<Settings> {
        let url: reqwest::Url = config.webhook_url.trim().parse().with_context(|| format!("telegram.webhook_url `{}` is not a URL", config.webhook_url))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            bail!("telegram.webhook_url `{}` must be an https URL", config.webhook_url);
        }
        if url.scheme() != "https" {
            warn!("telegram: telegram.webhook_url is not https; Telegram only delivers to https URLs");
        }
        let secret = load_webhook_secret(config)?.ok_or_else(|| {
            anyhow!("telegram: webhook mode (telegram.webhook_url is set) needs a secret token: set TELEGRAM_WEBHOOK_SECRET or telegram.webhook_secret_file")
        })?;
        if !valid_secret(&secret) {
            bail!("telegram: the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, `_` and `-`");
        }
        let bind = config.webhook_bind.trim().to_string();
        if bind.is_empty() {
            bail!("telegram: webhook mode needs telegram.webhook_bind (the address to listen on)");
        }
        let path = url.path().to_string();
        Ok(Settings { url, bind, path, secret })
    }
}

/// What Telegram accepts as a `secret_token`.
fn valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Clone)]
struct HookState {
    secret: Arc<[u8]>,
    tx: mpsc::Sender<Update>,
    /// With replicas: the update log they share, and this bot's id.
    updates: Option<(Arc<dyn UpdateLog>, i64)>,
}

async fn receive(State(state): State<HookState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let authorised = headers.get(SECRET_HEADER).is_some_and(|given| constant_time_eq(given.as_bytes(), &state.secret));
    if !authorised {
        warn!("telegram: rejected a webhook request without the right secret token");
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            warn!("telegram: skipping a webhook request that is not an update: {}", super::json_error(&e));
            return StatusCode::OK;
        }
    };
    // A place in the queue first: an update claimed in the shared log must be answered here.
    let permit = match state.tx.try_reserve() {
        Ok(permit) => permit,
        Err(mpsc::error::TrySendError::Full(())) => {
            warn!("telegram: webhook queue full; asking Telegram to retry later");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        Err(mpsc::error::TrySendError::Closed(())) => return StatusCode::SERVICE_UNAVAILABLE,
    };
    if let Some((log, bot)) = state.updates.clone() {
        let update_id = update.id.0;
        let claimed = tokio::task::spawn_blocking(move || log.claim(bot, i64::from(update_id), chrono::Utc::now())).await;
        match claimed.map_err(anyhow::Error::from).and_then(|r| r) {
            Ok(true) => {}
            Ok(false) => {
                debug!(update_id, "telegram: dropping an update another replica (or this one) has taken");
                return StatusCode::OK;
            }
            // Answering it twice beats losing it.
            Err(e) => warn!(update_id, "telegram: could not claim an update in the shared state, answering it anyway: {e:#}"),
        }
    }
    permit.send(update);
    StatusCode::OK
}

/// Set the webhook and answer what arrives until shutdown.
pub(super) async fn serve(
    ctx: &Arc<Ctx>,
    bot: &Bot,
    settings: Settings,
    listener: tokio::net::TcpListener,
    tasks: &mut JoinSet<()>,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<()> {
    let (tx, mut rx) = mpsc::channel::<Update>(QUEUE);
    let hook = HookState { secret: settings.secret.as_bytes().into(), tx, updates: ctx.updates.clone() };
    let app = Router::new().route(&settings.path, post(receive)).with_state(hook);
    let local = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| settings.bind.clone());
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let mut server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await
    });

    let set = startup_call(&ctx.token, "setWebhook", || {
        bot.set_webhook(settings.url.clone()).secret_token(settings.secret.clone()).allowed_updates(super::ALLOWED_UPDATES.to_vec()).send()
    })
    .await;
    if let Err(e) = set {
        let _ = stop_tx.send(());
        let _ = server.await;
        bail!("telegram: setWebhook failed: {}", redact(&e.to_string(), &ctx.token));
    }
    info!("telegram: webhook set; listening on {local}{}", settings.path);

    let mut seen = Seen::default();
    let result = loop {
        reap(tasks);
        tokio::select! {
            biased;
            _ = shutdown_requested(shutdown) => break Ok(()),
            finished = &mut server => {
                break Err(match finished {
                    Ok(Ok(())) => anyhow!("telegram: the webhook listener stopped"),
                    Ok(Err(e)) => anyhow!("telegram: the webhook listener failed: {e}"),
                    Err(e) => anyhow!("telegram: the webhook listener failed: {e}"),
                });
            }
            update = rx.recv() => match update {
                Some(update) if seen.first_time(update.id.0) => dispatch(ctx, tasks, update),
                Some(update) => debug!(update_id = update.id.0, "telegram: dropping a re-delivered update"),
                None => break Err(anyhow!("telegram: the webhook listener stopped")),
            },
        }
    };

    info!("telegram: stopping the webhook listener");
    let _ = stop_tx.send(());
    // Updates already acknowledged to Telegram are answered, not dropped.
    rx.close();
    while let Ok(update) = rx.try_recv() {
        if seen.first_time(update.id.0) {
            dispatch(ctx, tasks, update);
        }
    }
    if !server.is_finished() && tokio::time::timeout(Duration::from_secs(5), &mut server).await.is_err() {
        server.abort();
    }
    result
}

/// The last [`SEEN`] update ids.
#[derive(Default)]
struct Seen {
    order: VecDeque<u32>,
    set: HashSet<u32>,
}

impl Seen {
    fn first_time(&mut self, id: u32) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > SEEN
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_checked() {
        assert!(valid_secret("abc_DEF-123"));
        assert!(!valid_secret(""));
        assert!(!valid_secret("has space"));
        assert!(!valid_secret(&"a".repeat(257)));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn re_deliveries_are_dropped() {
        let mut seen = Seen::default();
        assert!(seen.first_time(1));
        assert!(!seen.first_time(1));
        for i in 2..2000 {
            seen.first_time(i);
        }
        assert!(seen.first_time(1));
        assert!(seen.set.len() <= SEEN);
    }
}
