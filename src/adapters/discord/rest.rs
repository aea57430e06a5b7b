//! The REST calls the adapter makes itself: interaction responses, follow-ups, channel
//! messages and command registration. Bodies are serenity's builders, serialised as they
//! are; sending them here (rather than through serenity's `Http`) is what lets us honour
//! `429 retry_after` ourselves, which we must do when serenity's rate limiter is off (a
//! custom `api_url`), and lets every log line leave tokens out.
//!
//! Rate limits: a 429 is waited out (`retry_after` from the body, else the `Retry-After`
//! header) and retried, a global one holds every request; a response saying the bucket is
//! empty (`X-RateLimit-Remaining: 0`) makes the next request on that path wait for
//! `X-RateLimit-Reset-After`. A 429 means the request was not processed, so retrying an
//! interaction callback after it can never acknowledge an interaction twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;
use tracing::{debug, warn};

use crate::metrics::Metrics;

const USER_AGENT_VALUE: &str = concat!("DiscordBot (https://github.com/briefbot/briefbot, ", env!("CARGO_PKG_VERSION"), ")");
/// Retries after a 429 before giving up.
const MAX_RATE_LIMIT_RETRIES: u32 = 3;
/// A 429 asking for a longer wait than this is not waited out.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Discord's JSON error codes we act on.
pub const CODE_INVALID_FORM_BODY: i64 = 50035;

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("{route}: HTTP {status}: {message} (code {code})")]
    Status { route: String, status: u16, code: i64, message: String },
    #[error("{route}: {source}")]
    Transport {
        route: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{route}: still rate limited after {attempts} attempts (retry_after {retry_after:?})")]
    RateLimited { route: String, attempts: u32, retry_after: Duration },
}

impl RestError {
    pub fn status(&self) -> Option<u16> {
        match self {
            RestError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Discord rejected the request as malformed (so it certainly did not act on it).
    pub fn is_rejected_body(&self) -> bool {
        matches!(self, RestError::Status { status: 400, code: CODE_INVALID_FORM_BODY, .. } | RestError::Status { status: 413, .. })
    }
}

/// A small Discord REST client. `Debug` prints no token.
pub struct Rest {
    client: reqwest::Client,
    /// `{api_url}/api/v10`, without a trailing slash.
    base: String,
    auth: HeaderValue,
    /// Per path (paths hold interaction tokens, so they stay in memory, never in logs):
    /// do not send before this instant.
    waits: Mutex<HashMap<String, Instant>>,
    global_until: Mutex<Option<Instant>>,
    /// For `/metrics`: messages posted or edited, requests that failed for good, 429s.
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest").field("base", &self.base).field("auth", &"[REDACTED]").finish()
    }
}

impl Rest {
    pub fn new(api_url: &str, token: &str) -> anyhow::Result<Rest> {
        let token = token.trim();
        let token = if token.starts_with("Bot ") { token.to_string() } else { format!("Bot {token}") };
        let mut auth = HeaderValue::from_str(&token).map_err(|_| anyhow::anyhow!("discord: the bot token contains characters that cannot be sent"))?;
        auth.set_sensitive(true);
        let client = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).user_agent(USER_AGENT_VALUE).build()?;
        Ok(Rest {
            client,
            base: format!("{}/api/v10", api_url.trim_end_matches('/')),
            auth,
            waits: Mutex::new(HashMap::new()),
            global_until: Mutex::new(None),
            metrics: Arc::new(Metrics::new()),
        })
    }

    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Rest {
        self.metrics = metrics;
        self
    }

    pub async fn get(&self, path: &str, route: &str) -> Result<Option<Value>, RestError> {
        self.send::<()>(Method::GET, path, route, None).await
    }

    pub async fn post<B: Serialize + ?Sized>(&self, path: &str, route: &str, body: &B) -> Result<Option<Value>, RestError> {
        self.send(Method::POST, path, route, Some(body)).await
    }

    pub async fn patch<B: Serialize + ?Sized>(&self, path: &str, route: &str, body: &B) -> Result<Option<Value>, RestError> {
        self.send(Method::PATCH, path, route, Some(body)).await
    }

    pub async fn put<B: Serialize + ?Sized>(&self, path: &str, route: &str, body: &B) -> Result<Option<Value>, RestError> {
        self.send(Method::PUT, path, route, Some(body)).await
    }

    pub async fn delete(&self, path: &str, route: &str) -> Result<Option<Value>, RestError> {
        self.send::<()>(Method::DELETE, path, route, None).await
    }

    /// Send one request. `path` is relative to `/api/v10` and may hold secrets (interaction
    /// tokens); `route` is the template used in logs and errors (`/interactions/{id}/{token}/callback`).
    pub async fn send<B: Serialize + ?Sized>(&self, method: Method, path: &str, route: &str, body: Option<&B>) -> Result<Option<Value>, RestError> {
        let posts_a_message = matches!(method, Method::POST | Method::PATCH) && !route.ends_with("/commands");
        let result = self.send_uncounted(method, path, route, body).await;
        match &result {
            Ok(_) if posts_a_message => self.metrics.message_sent(),
            Ok(_) => {}
            Err(_) => self.metrics.send_error(),
        }
        result
    }

    async fn send_uncounted<B: Serialize + ?Sized>(&self, method: Method, path: &str, route: &str, body: Option<&B>) -> Result<Option<Value>, RestError> {
        let route_label = format!("{method} {route}");
        let url = format!("{}{}", self.base, path);
        let mut attempts = 0;
        loop {
            self.wait_turn(path).await;
            let mut request = self.client.request(method.clone(), &url).header(AUTHORIZATION, self.auth.clone()).header(USER_AGENT, USER_AGENT_VALUE);
            if let Some(body) = body {
                request = request.json(body);
            }
            let transport = |e: reqwest::Error| RestError::Transport { route: route_label.clone(), source: e.without_url() };
            let response = request.send().await.map_err(transport)?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(transport)?;
            let json: Option<Value> = if bytes.is_empty() { None } else { serde_json::from_slice(&bytes).ok() };

            if status == StatusCode::TOO_MANY_REQUESTS {
                self.metrics.rate_limited();
                attempts += 1;
                let (retry_after, global) = retry_after(&headers, json.as_ref());
                if attempts > MAX_RATE_LIMIT_RETRIES || retry_after > MAX_RATE_LIMIT_WAIT {
                    return Err(RestError::RateLimited { route: route_label, attempts, retry_after });
                }
                warn!(route = %route_label, ?retry_after, global, "discord: rate limited (429), waiting before retrying");
                let until = Instant::now() + retry_after;
                if global {
                    *self.global_until.lock().expect("rate-limit lock") = Some(until);
                } else {
                    self.waits.lock().expect("rate-limit lock").insert(path.to_string(), until);
                }
                continue;
            }
            self.note_bucket(path, &headers);
            if status.is_success() {
                debug!(route = %route_label, status = status.as_u16(), "discord: request done");
                return Ok(json);
            }
            let code = json.as_ref().and_then(|v| v.get("code")).and_then(Value::as_i64).unwrap_or(0);
            let message: String = json.as_ref().and_then(|v| v.get("message")).and_then(Value::as_str).unwrap_or("").chars().take(200).collect();
            return Err(RestError::Status { route: route_label, status: status.as_u16(), code, message });
        }
    }

    async fn wait_turn(&self, path: &str) {
        let global = *self.global_until.lock().expect("rate-limit lock");
        let local = {
            let mut waits = self.waits.lock().expect("rate-limit lock");
            let now = Instant::now();
            waits.retain(|_, until| *until > now);
            waits.get(path).copied()
        };
        if let Some(until) = global.into_iter().chain(local).max() {
            tokio::time::sleep_until(until).await;
        }
    }

    /// An emptied bucket: the next request on this path waits for the reset.
    fn note_bucket(&self, path: &str, headers: &HeaderMap) {
        let remaining = header_f64(headers, "x-ratelimit-remaining");
        let reset_after = header_f64(headers, "x-ratelimit-reset-after");
        if let (Some(remaining), Some(reset_after)) = (remaining, reset_after)
            && remaining <= 0.0
            && reset_after > 0.0
        {
            let wait = Duration::from_secs_f64(reset_after.min(MAX_RATE_LIMIT_WAIT.as_secs_f64()));
            self.waits.lock().expect("rate-limit lock").insert(path.to_string(), Instant::now() + wait);
        }
    }
}

fn header_f64(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok().filter(|v: &f64| v.is_finite())
}

/// How long a 429 asks us to wait, and whether the limit is global.
fn retry_after(headers: &HeaderMap, body: Option<&Value>) -> (Duration, bool) {
    let from_body = body.and_then(|b| b.get("retry_after")).and_then(Value::as_f64);
    let seconds = from_body.or_else(|| header_f64(headers, "retry-after")).filter(|s| *s >= 0.0).unwrap_or(1.0);
    let global = body.and_then(|b| b.get("global")).and_then(Value::as_bool).unwrap_or(false)
        || headers.get("x-ratelimit-global").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
    (Duration::from_secs_f64(seconds.min(3600.0)), global)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_prefers_body_then_header() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h, Some(&serde_json::json!({"retry_after": 0.25, "global": false}))), (Duration::from_millis(250), false));
        assert_eq!(retry_after(&h, None), (Duration::from_secs(2), false));
        assert_eq!(retry_after(&HeaderMap::new(), Some(&serde_json::json!({"retry_after": 1.5, "global": true}))), (Duration::from_millis(1500), true));
        assert_eq!(retry_after(&HeaderMap::new(), None), (Duration::from_secs(1), false));
    }

    #[test]
    fn debug_hides_the_token() {
        let rest = Rest::new("http://127.0.0.1:1/", "secret-token-value").unwrap();
        let shown = format!("{rest:?}");
        assert!(!shown.contains("secret-token-value") && shown.contains("http://127.0.0.1:1/api/v10"), "{shown}");
    }
}
