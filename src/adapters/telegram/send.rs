//! Delivering answers: `sendMessage` with throttling and bounded retries.
//!
//! This one method is sent with our own request (the same reqwest client and the same
//! `{api_url}/bot{TOKEN}/{Method}` URL that teloxide uses) rather than through teloxide's
//! `Throttle<Bot>`, because we need a retry policy teloxide does not offer:
//! - teloxide-core sleeps a fixed 10 s inside every request that gets a 5xx before it even
//!   returns the error, so a bounded, quick exponential backoff is impossible on top of it;
//! - `Throttle` retries a 429 for as long as Telegram keeps answering 429; we wait the
//!   `retry_after` once and send exactly once more.
//!
//! The throttling itself ([`super::limiter`]) follows teloxide's `Limits::default()`.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tracing::warn;

use super::limiter::{Limiter, Requester};
use crate::metrics::Metrics;
use crate::render::telegram::redact;

/// How many times one message is attempted when the network or Telegram (5xx) fails.
pub(crate) const MAX_TRIES: u32 = 3;
/// First backoff after a failed attempt; doubles each time.
const BACKOFF_START: Duration = Duration::from_millis(300);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A 429 asking us to wait longer than this is not worth holding an answer for.
const MAX_FLOOD_WAIT: Duration = Duration::from_secs(120);

/// One message to send.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub chat_id: i64,
    /// Forum topic of the asking message, so the answer lands in the same topic.
    pub thread_id: Option<i32>,
    pub reply_to: Option<i32>,
    /// Telegram HTML.
    pub html: String,
    /// Who asked (a hash of the user id; 0 for digests): a chat's waiting sends take turns
    /// by requester (see [`Limiter::acquire`]).
    pub requester: Requester,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SendError {
    /// 429: wait this long.
    Flood(Duration),
    /// The group became a supergroup with this id.
    Migrated(i64),
    /// 5xx.
    Server { status: u16, description: String },
    /// Connection, timeout, or a body we could not read.
    Network(String),
    /// Any other refusal (400 bad request, 403 blocked by the user, ...): not retried.
    Rejected { status: u16, description: String },
}

impl SendError {
    fn transient(&self) -> bool {
        matches!(self, SendError::Server { .. } | SendError::Network(_))
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Flood(d) => write!(f, "Telegram flood control: retry after {} s", d.as_secs()),
            SendError::Migrated(id) => write!(f, "the group migrated to supergroup {id}"),
            SendError::Server { status, description } => write!(f, "Telegram server error {status}: {description}"),
            SendError::Network(e) => write!(f, "network error: {e}"),
            SendError::Rejected { status, description } => write!(f, "Telegram refused the message ({status}): {description}"),
        }
    }
}

#[derive(Deserialize)]
struct ApiResponse {
    ok: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<ResponseParameters>,
}

#[derive(Deserialize)]
struct ResponseParameters {
    #[serde(default)]
    retry_after: Option<u64>,
    #[serde(default)]
    migrate_to_chat_id: Option<i64>,
}

pub(crate) struct Sender {
    client: reqwest::Client,
    api_url: reqwest::Url,
    token: String,
    limiter: Limiter,
    /// Messages sent, failed for good, and 429s, for `/metrics`.
    metrics: std::sync::Arc<Metrics>,
}

impl Sender {
    pub(crate) fn new(client: reqwest::Client, api_url: reqwest::Url, token: String, limiter: Limiter) -> Self {
        Sender { client, api_url, token, limiter, metrics: std::sync::Arc::new(Metrics::new()) }
    }

    pub(crate) fn with_metrics(mut self, metrics: std::sync::Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    fn method_url(&self, method: &str) -> reqwest::Url {
        let mut url = self.api_url.clone();
        // `run` checked that the URL can be a base.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(&format!("bot{}", self.token)).push(method);
        }
        url
    }

    /// Send one message: throttled; a 429 is waited out and sent once more; network errors
    /// and 5xx are retried with exponential backoff, [`MAX_TRIES`] attempts in all.
    pub(crate) async fn send_message(&self, message: &Outgoing) -> Result<(), SendError> {
        self.send_message_tries(message, MAX_TRIES).await
    }

    /// [`Sender::send_message`] with at most `max_tries` attempts on network errors and 5xx.
    /// Digests use one: the fan-out has its own retry schedule (capped by
    /// `limits.backoff_ceiling_seconds`), which must not be multiplied by ours.
    pub(crate) async fn send_message_tries(&self, message: &Outgoing, max_tries: u32) -> Result<(), SendError> {
        let result = self.send_message_counted(message, max_tries.max(1)).await;
        match &result {
            Ok(()) => self.metrics.message_sent(),
            Err(_) => self.metrics.send_error(),
        }
        result
    }

    async fn send_message_counted(&self, message: &Outgoing, max_tries: u32) -> Result<(), SendError> {
        let mut chat_id = message.chat_id;
        let mut tries = 0;
        let mut flood_retried = false;
        let mut migrated = false;
        loop {
            self.limiter.acquire(chat_id, message.requester).await;
            tries += 1;
            let err = match self.post_message(chat_id, message).await {
                Ok(()) => return Ok(()),
                Err(e) => e,
            };
            if matches!(err, SendError::Flood(_)) {
                self.metrics.rate_limited();
            }
            match err {
                SendError::Flood(wait) if !flood_retried && wait <= MAX_FLOOD_WAIT => {
                    flood_retried = true;
                    warn!(chat = %super::chat_tag(chat_id), retry_after_s = wait.as_secs(), "telegram: 429 Too Many Requests; waiting, then sending once more");
                    // The limiter holds every sender (this one included) until the wait is over.
                    self.limiter.freeze(wait);
                }
                SendError::Migrated(new_id) if !migrated => {
                    migrated = true;
                    warn!(chat = %super::chat_tag(chat_id), "telegram: group migrated to a supergroup; sending there");
                    chat_id = new_id;
                }
                e if e.transient() && tries < max_tries => {
                    let wait = backoff(tries);
                    warn!(
                        chat = %super::chat_tag(chat_id),
                        attempt = tries,
                        "telegram: sendMessage failed ({}); retrying in {} ms",
                        redact(&e.to_string(), &self.token),
                        wait.as_millis()
                    );
                    tokio::time::sleep(wait).await;
                }
                e => return Err(e),
            }
        }
    }

    async fn post_message(&self, chat_id: i64, message: &Outgoing) -> Result<(), SendError> {
        let mut body = json!({
            "chat_id": chat_id,
            "text": message.html,
            "parse_mode": "HTML",
            "link_preview_options": { "is_disabled": true },
        });
        if let Some(reply_to) = message.reply_to {
            body["reply_parameters"] = json!({ "message_id": reply_to, "allow_sending_without_reply": true });
        }
        if let Some(thread) = message.thread_id {
            body["message_thread_id"] = json!(thread);
        }
        let response = self
            .client
            .post(self.method_url("sendMessage"))
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::Network(redact(&e.without_url().to_string(), &self.token)))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| SendError::Network(redact(&e.without_url().to_string(), &self.token)))?;
        classify(status, &text)
    }
}

/// Turn a Bot API response into success or a [`SendError`].
fn classify(status: u16, body: &str) -> Result<(), SendError> {
    let parsed: Option<ApiResponse> = serde_json::from_str(body).ok();
    if parsed.as_ref().is_some_and(|r| r.ok) && (200..300).contains(&status) {
        return Ok(());
    }
    let description = parsed.as_ref().and_then(|r| r.description.clone()).unwrap_or_else(|| body.chars().take(200).collect());
    let parameters = parsed.as_ref().and_then(|r| r.parameters.as_ref());
    if let Some(secs) = parameters.and_then(|p| p.retry_after) {
        return Err(SendError::Flood(Duration::from_secs(secs)));
    }
    if let Some(id) = parameters.and_then(|p| p.migrate_to_chat_id) {
        return Err(SendError::Migrated(id));
    }
    match status {
        // A 429 without retry_after, a 5xx, or a 2xx we cannot read: retry with backoff.
        429 | 500..=599 => Err(SendError::Server { status, description }),
        200..=299 if parsed.is_none() => Err(SendError::Network(format!("unreadable response: {description}"))),
        _ => Err(SendError::Rejected { status, description }),
    }
}

fn backoff(attempt: u32) -> Duration {
    BACKOFF_START.saturating_mul(1 << attempt.saturating_sub(1).min(8)).min(BACKOFF_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_responses() {
        assert_eq!(classify(200, r#"{"ok":true,"result":{}}"#), Ok(()));
        assert_eq!(
            classify(429, r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#),
            Err(SendError::Flood(Duration::from_secs(3)))
        );
        assert!(matches!(classify(500, r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#), Err(SendError::Server { status: 500, .. })));
        assert!(matches!(classify(502, "<html>Bad Gateway</html>"), Err(SendError::Server { status: 502, .. })));
        assert!(matches!(
            classify(403, r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#),
            Err(SendError::Rejected { status: 403, .. })
        ));
        assert_eq!(
            classify(
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234}}"#
            ),
            Err(SendError::Migrated(-1001234))
        );
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        assert_eq!(backoff(1), Duration::from_millis(300));
        assert_eq!(backoff(2), Duration::from_millis(600));
        assert_eq!(backoff(30), BACKOFF_MAX);
    }

    #[test]
    fn method_url_keeps_a_base_path() {
        let sender = Sender::new(reqwest::Client::new(), "http://127.0.0.1:9/tg/".parse().unwrap(), "1:abc".into(), Limiter::default());
        assert_eq!(sender.method_url("sendMessage").as_str(), "http://127.0.0.1:9/tg/bot1:abc/sendMessage");
        let sender = Sender::new(reqwest::Client::new(), "https://api.telegram.org".parse().unwrap(), "1:abc".into(), Limiter::default());
        assert_eq!(sender.method_url("sendMessage").as_str(), "https://api.telegram.org/bot1:abc/sendMessage");
    }
}
