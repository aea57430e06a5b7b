//! Posting daily digests to Telegram chats: the [`DigestSender`] of the Telegram [`Outbox`].
//!
//! A digest is rendered like any answer (HTML, split at 4096) and posted without a reply
//! target, in the subscribed forum topic when there is one. The errors map as the
//! scheduler needs them:
//! - 429 (after the one wait-and-resend [`super::send`] does) → `RateLimited`: the fan-out
//!   pauses and sends the same digest again;
//! - 403 (blocked, kicked) or 400 "chat not found" / "thread not found" → `Gone`: the
//!   subscription is marked inactive;
//! - 5xx, timeouts and network errors → `Unavailable`: Telegram is failing for everybody;
//!   the fan-out backs off for the whole platform (up to `limits.backoff_ceiling_seconds`)
//!   and tries again until it recovers;
//! - anything else → `Transient`: retried a bounded number of times.
//!
//! A digest is attempted once per fan-out try (no retries inside [`super::send`]): the
//! fan-out's schedule is the only one, so its ceiling holds.
//!
//! Once the first part of a long digest was accepted, a later part that fails is logged and
//! the digest counts as sent: resending it would post the first part twice.

use std::time::Duration;

use tracing::warn;

use super::Outbox;
use super::send::{Outgoing, SendError as TelegramError};
use crate::core::answer::Answer;
use crate::digest::{ChatRef, DigestSender, SendError};
use crate::render::telegram::{redact, render_parts};

impl DigestSender for Outbox {
    async fn send(&self, chat: &ChatRef, digest: &Answer) -> Result<(), SendError> {
        // A chat id that is not a number cannot be posted to, now or later.
        let chat_id: i64 = chat.chat_id.parse().map_err(|_| SendError::Gone)?;
        let thread_id = chat.thread_id.as_deref().and_then(|t| t.parse().ok());
        for (i, html) in render_parts(digest).into_iter().enumerate() {
            let outgoing = Outgoing { chat_id, thread_id, reply_to: None, html, requester: 0 };
            match self.sender.send_message_tries(&outgoing, 1).await {
                Ok(()) => {}
                Err(e) if i > 0 => {
                    warn!(chat = %super::chat_tag(chat_id), part = i + 1, "telegram: digest posted only in part: {}", redact(&e.to_string(), self.sender.token()));
                    return Ok(());
                }
                Err(e) => return Err(classify(e)),
            }
        }
        Ok(())
    }
}

/// What a failed first part means for the subscription.
fn classify(e: TelegramError) -> SendError {
    match e {
        TelegramError::Flood(wait) => SendError::RateLimited { retry_after: wait.max(Duration::from_secs(1)) },
        TelegramError::Rejected { status: 403, .. } => SendError::Gone,
        TelegramError::Rejected { status: 400, description } if is_gone(&description) => SendError::Gone,
        // Telegram failing for everybody: the fan-out's outage backoff, never counted
        // against the chat.
        e @ (TelegramError::Server { .. } | TelegramError::Network(_)) => SendError::Unavailable(e.to_string()),
        other => SendError::Transient(other.to_string()),
    }
}

/// Bot API descriptions that mean the chat (or its topic) no longer exists for the bot.
fn is_gone(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    ["chat not found", "message thread not found", "topic_deleted", "chat_write_forbidden", "have no rights to send", "not enough rights to send"]
        .iter()
        .any(|m| d.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_what_the_scheduler_does() {
        assert_eq!(classify(TelegramError::Flood(Duration::from_secs(7))), SendError::RateLimited { retry_after: Duration::from_secs(7) });
        assert_eq!(classify(TelegramError::Rejected { status: 403, description: "Forbidden: bot was blocked by the user".into() }), SendError::Gone);
        assert_eq!(classify(TelegramError::Rejected { status: 400, description: "Bad Request: chat not found".into() }), SendError::Gone);
        assert!(matches!(classify(TelegramError::Rejected { status: 400, description: "Bad Request: can't parse entities".into() }), SendError::Transient(_)));
        assert!(matches!(classify(TelegramError::Server { status: 502, description: "Bad Gateway".into() }), SendError::Unavailable(_)));
        assert!(matches!(classify(TelegramError::Network("operation timed out".into())), SendError::Unavailable(_)));
    }
}
