//! Posting daily digests to Discord channels: the [`DigestSender`] of the Discord [`Outbox`].
//!
//! A digest is posted as embeds ([`render::embed_messages`]) with no mentions allowed.
//! Errors map as the scheduler needs them: a 429 still there after [`super::rest`]'s own
//! retries → `RateLimited`; 403 (Missing Access / Permissions) or 404 (Unknown Channel) →
//! `Gone`; 5xx, timeouts and network errors → `Unavailable` (the fan-out's shared outage
//! backoff); anything else → `Transient`.
//!
//! Unlike Telegram, a bot can read its own recent messages in a channel, so after a crash
//! [`DigestSender::confirm`] looks for a message of ours posted since the send was claimed.

use chrono::{DateTime, Utc};
use serde_json::Value;
use serenity::builder::CreateMessage;
use tracing::warn;

use super::Outbox;
use super::interactions::{embeds, no_mentions};
use super::rest::RestError;
use crate::core::answer::Answer;
use crate::digest::{ChatRef, Confirmation, DigestSender, SendError};
use crate::render::discord as render;

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds, for snowflakes.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// The smallest snowflake at `t`: messages `after` it were created at `t` or later.
pub fn snowflake_at(t: DateTime<Utc>) -> u64 {
    let ms = (t.timestamp_millis() - DISCORD_EPOCH_MS).max(0) as u64;
    ms << 22
}

impl DigestSender for Outbox {
    async fn send(&self, chat: &ChatRef, digest: &Answer) -> Result<(), SendError> {
        let channel: u64 = chat.chat_id.parse().map_err(|_| SendError::Gone)?;
        let path = format!("/channels/{channel}/messages");
        for (i, message) in render::embed_messages(digest).iter().enumerate() {
            let mut body = CreateMessage::new().embeds(embeds(message)).allowed_mentions(no_mentions());
            if let Some(content) = &message.content {
                body = body.content(content.clone());
            }
            match self.rest.post(&path, "/channels/{channel}/messages", &body).await {
                Ok(_) => {}
                // Resending after a later part failed would post the first part twice.
                Err(e) if i > 0 => {
                    warn!(channel, part = i + 1, error = %e, "discord: digest posted only in part");
                    return Ok(());
                }
                Err(e) => return Err(classify(&e)),
            }
        }
        Ok(())
    }

    async fn confirm(&self, chat: &ChatRef, claimed_at: DateTime<Utc>) -> Confirmation {
        let Ok(channel) = chat.chat_id.parse::<u64>() else { return Confirmation::Unknown };
        let me = self
            .me
            .get_or_try_init(|| async {
                let me = self.rest.get("/users/@me", "/users/@me").await?;
                Ok::<u64, RestError>(me.as_ref().and_then(|m| m.get("id")).and_then(Value::as_str).and_then(|id| id.parse().ok()).unwrap_or(0))
            })
            .await;
        let Ok(&me) = me else { return Confirmation::Unknown };
        let path = format!("/channels/{channel}/messages?after={}&limit=50", snowflake_at(claimed_at));
        match self.rest.get(&path, "/channels/{channel}/messages").await {
            Ok(Some(Value::Array(messages))) => {
                let ours = messages.iter().any(|m| m.pointer("/author/id").and_then(Value::as_str).and_then(|id| id.parse::<u64>().ok()) == Some(me));
                if ours { Confirmation::Delivered } else { Confirmation::NotDelivered }
            }
            Ok(_) => Confirmation::Unknown,
            Err(e) => {
                warn!(channel, error = %e, "discord: could not check whether a digest was posted before the restart");
                Confirmation::Unknown
            }
        }
    }
}

fn classify(e: &RestError) -> SendError {
    match e {
        RestError::RateLimited { retry_after, .. } => SendError::RateLimited { retry_after: *retry_after },
        RestError::Status { status: 403 | 404, .. } => SendError::Gone,
        // Discord failing for everybody (5xx, timeouts, refused connections): the fan-out's
        // outage backoff.
        e @ (RestError::Status { status: 500..=599, .. } | RestError::Transport { .. }) => SendError::Unavailable(e.to_string()),
        other => SendError::Transient(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn snowflakes_follow_discords_epoch() {
        // Discord's documented example: 175928847299117063 was created 2016-04-30 11:18:25.796 UTC.
        let t = DateTime::parse_from_rfc3339("2016-04-30T11:18:25.796Z").unwrap().with_timezone(&Utc);
        assert_eq!(snowflake_at(t), 175928847299117063 >> 22 << 22);
    }

    #[test]
    fn errors_map_to_what_the_scheduler_does() {
        let status = |status, code| RestError::Status { route: "POST /channels/{channel}/messages".into(), status, code, message: String::new() };
        assert_eq!(classify(&status(403, 50001)), SendError::Gone);
        assert_eq!(classify(&status(404, 10003)), SendError::Gone);
        assert!(matches!(classify(&status(500, 0)), SendError::Unavailable(_)));
        assert!(matches!(classify(&status(400, 50035)), SendError::Transient(_)));
        let limited = RestError::RateLimited { route: "x".into(), attempts: 4, retry_after: Duration::from_secs(2) };
        assert_eq!(classify(&limited), SendError::RateLimited { retry_after: Duration::from_secs(2) });
    }
}
