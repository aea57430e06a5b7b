//! Answering interactions: slash commands (answered at once when the answer is quick,
//! deferred and then edited when it is not) and autocomplete (always at once).
//!
//! Every interaction is acknowledged exactly once: either one type 4 (message) or one type
//! 5 (defer) callback, the only retry being after a 429 (which Discord did not process).
//! Everything after the acknowledgement goes through the interaction webhook (edit of
//! `@original`, follow-ups).

use std::time::Duration;

use chrono::Utc;
use serenity::builder::{
    CreateAllowedMentions, CreateAutocompleteResponse, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, EditInteractionResponse,
};
use serenity::model::application::{CommandInteraction, InteractionResponseFlags};
use serenity::model::channel::MessageFlags;
use serenity::model::permissions::Permissions;
use tokio::task::JoinError;
use tracing::{error, info, warn};

use super::Bot;
use super::commands::{self, AUTOCOMPLETE_OPTIONS, MAX_CHOICES};
use super::rest::RestError;
use crate::core::answer::Answer;
use crate::dispatch;
use crate::gate::{Outcome, Sender};
use crate::render::discord::{self as render, DiscordMessage};

/// Answers ready within this time are sent directly; slower ones are deferred first.
/// Discord allows 3 s for the first response; this leaves room for the request itself.
pub const DEFER_AFTER: Duration = Duration::from_millis(1500);
/// An interaction token is valid for 15 minutes; an answer slower than this is abandoned.
pub const MAX_ANSWER_TIME: Duration = Duration::from_secs(10 * 60);
/// Autocomplete cannot be deferred: suggestions not ready by then are answered with none.
pub const AUTOCOMPLETE_BUDGET: Duration = Duration::from_millis(2000);

/// What a user sees when a command fails (details go to the log).
pub const FAILURE_TEXT: &str = "Sorry, that did not work. Please try again in a moment.";

/// Embed colour: a calm blue.
const COLOUR: u32 = 0x002B_6CB0;

/// Nobody is ever pinged by what we send.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

fn embed(e: &render::Embed) -> CreateEmbed {
    let mut b = CreateEmbed::new().description(e.description.clone()).colour(COLOUR);
    if let Some(t) = &e.title {
        b = b.title(t.clone());
    }
    for f in &e.fields {
        b = b.field(f.name.clone(), f.value.clone(), f.inline);
    }
    if let Some(f) = &e.footer {
        b = b.footer(CreateEmbedFooter::new(f.clone()));
    }
    b
}

pub(super) fn embeds(m: &DiscordMessage) -> Vec<CreateEmbed> {
    m.embeds.iter().map(embed).collect()
}

fn response_message(m: &DiscordMessage, ephemeral: bool) -> CreateInteractionResponseMessage {
    let mut b = CreateInteractionResponseMessage::new().embeds(embeds(m)).allowed_mentions(no_mentions());
    if let Some(c) = &m.content {
        b = b.content(c.clone());
    }
    if ephemeral {
        b = b.flags(InteractionResponseFlags::EPHEMERAL);
    }
    b
}

fn followup(m: &DiscordMessage, ephemeral: bool) -> CreateInteractionResponseFollowup {
    let mut b = CreateInteractionResponseFollowup::new().embeds(embeds(m)).allowed_mentions(no_mentions());
    if let Some(c) = &m.content {
        b = b.content(c.clone());
    }
    if ephemeral {
        b = b.flags(MessageFlags::EPHEMERAL);
    }
    b
}

fn edit(m: &DiscordMessage) -> EditInteractionResponse {
    let mut b = EditInteractionResponse::new().embeds(embeds(m)).allowed_mentions(no_mentions());
    if let Some(c) = &m.content {
        b = b.content(c.clone());
    }
    b
}

fn failure_message() -> DiscordMessage {
    DiscordMessage { content: Some(render::short_message(FAILURE_TEXT)), embeds: Vec::new() }
}

/// Where the responses to one interaction go. Interaction tokens are secrets for 15
/// minutes: they appear in paths only, and the route labels used in logs leave them out.
struct Target<'a> {
    bot: &'a Bot,
    id: u64,
    app: u64,
    token: &'a str,
    command: &'a str,
}

impl Target<'_> {
    async fn callback(&self, response: &CreateInteractionResponse) -> Result<(), RestError> {
        let path = format!("/interactions/{}/{}/callback", self.id, self.token);
        self.bot.rest.post(&path, "/interactions/{id}/{token}/callback", response).await.map(drop)
    }

    async fn edit_original(&self, body: &EditInteractionResponse) -> Result<(), RestError> {
        let path = format!("/webhooks/{}/{}/messages/@original", self.app, self.token);
        self.bot.rest.patch(&path, "/webhooks/{app}/{token}/messages/@original", body).await.map(drop)
    }

    async fn delete_original(&self) -> Result<(), RestError> {
        let path = format!("/webhooks/{}/{}/messages/@original", self.app, self.token);
        self.bot.rest.delete(&path, "/webhooks/{app}/{token}/messages/@original").await.map(drop)
    }

    async fn followup(&self, body: &CreateInteractionResponseFollowup) -> Result<(), RestError> {
        let path = format!("/webhooks/{}/{}", self.app, self.token);
        self.bot.rest.post(&path, "/webhooks/{app}/{token}", body).await.map(drop)
    }

    async fn followups(&self, messages: &[DiscordMessage], ephemeral: bool) {
        for m in messages {
            if let Err(e) = self.followup(&followup(m, ephemeral)).await {
                error!(interaction = self.id, command = self.command, error = %e, "discord: follow-up message failed");
                return;
            }
        }
    }

    /// Not yet acknowledged: answer with a short ephemeral message.
    async fn fail_now(&self) {
        let response = CreateInteractionResponse::Message(response_message(&failure_message(), true));
        if let Err(e) = self.callback(&response).await {
            error!(interaction = self.id, command = self.command, error = %e, "discord: could not even send the failure message");
        }
    }

    /// Already deferred (publicly): replace the "thinking" message by an ephemeral one, or,
    /// when that cannot be done, edit it to say what happened.
    async fn fail_deferred(&self) {
        self.private_after_defer(&failure_message()).await
    }

    /// Already deferred: show `message` to the asker only (a gate notice or a failure).
    async fn private_after_defer(&self, message: &DiscordMessage) {
        if self.delete_original().await.is_ok() && self.followup(&followup(message, true)).await.is_ok() {
            return;
        }
        if let Err(e) = self.edit_original(&edit(message)).await {
            error!(interaction = self.id, command = self.command, error = %e, "discord: could not report the failure");
        }
    }

    /// Answer ready before the deadline: one type 4 callback, then follow-ups. `private`:
    /// the answer concerns only the asker (a refused subscription change).
    async fn reply_now(&self, answer: &Answer, private: bool) {
        let ephemeral = private || is_private_answer(answer);
        let messages = messages_for(answer);
        let Some((first, rest)) = messages.split_first() else { return self.fail_now().await };
        let response = CreateInteractionResponse::Message(response_message(first, ephemeral));
        match self.callback(&response).await {
            Ok(()) => self.followups(rest, ephemeral).await,
            Err(e) if e.is_rejected_body() => {
                // Discord refused the message itself, so the interaction is still open.
                error!(interaction = self.id, command = self.command, error = %e, "discord: answer rejected; sending the failure message instead");
                self.fail_now().await;
            }
            Err(e) => error!(interaction = self.id, command = self.command, error = %e, "discord: interaction response failed"),
        }
    }

    /// Answer after a defer: edit the original response, then follow-ups.
    async fn reply_deferred(&self, answer: &Answer) {
        let messages = messages_for(answer);
        let Some((first, rest)) = messages.split_first() else { return self.fail_deferred().await };
        match self.edit_original(&edit(first)).await {
            Ok(()) => self.followups(rest, false).await,
            Err(e) => {
                error!(interaction = self.id, command = self.command, error = %e, "discord: editing the deferred response failed");
                if e.is_rejected_body() {
                    self.fail_deferred().await;
                }
            }
        }
    }
}

/// Answers only the asker sees (ephemeral): usage help, gate notices (limits, busy,
/// failures, "for admins only") and `/status` (bot-wide counters are for the bot's admins).
fn is_private_answer(answer: &Answer) -> bool {
    matches!(answer.command.as_str(), "usage" | "notice" | "status")
}

/// A subscription change (`/subscribe`, `/unsubscribe`) asked in a server by a member
/// without the permission to make it: the refusal is shown to the asker only.
fn is_refused_change(text: &str, sender: &Sender) -> bool {
    !sender.private && !sender.chat_admin && crate::digest::service::needs_admin_check(text, None)
}

/// Gate notices (limits, busy, failures) are one short line; answers are embeds.
fn messages_for(answer: &Answer) -> Vec<DiscordMessage> {
    match (&answer.notice, answer.command.as_str()) {
        (Some(text), "notice") => vec![DiscordMessage { content: Some(render::short_message(text)), embeds: Vec::new() }],
        _ => render::embed_messages(answer),
    }
}

fn outcome(result: Result<Option<Answer>, JoinError>, _now: chrono::DateTime<Utc>) -> Result<Option<Answer>, String> {
    match result {
        Ok(answer) => Ok(answer),
        Err(e) if e.is_panic() => Err("the answerer panicked".to_string()),
        Err(e) => Err(format!("the answer task failed: {e}")),
    }
}

/// Who may change a channel's digest: members with Manage Channels, Manage Server or
/// Administrator.
pub fn may_manage_digests(p: Permissions) -> bool {
    p.intersects(Permissions::MANAGE_CHANNELS | Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR)
}

/// A slash command.
pub async fn command(bot: &Bot, interaction: &CommandInteraction) {
    let target = Target { bot, id: interaction.id.get(), app: interaction.application_id.get(), token: &interaction.token, command: &interaction.data.name };
    let Some(text) = commands::command_text(&interaction.data) else {
        warn!(interaction = target.id, command = target.command, "discord: unknown slash command");
        let answer = dispatch::usage_answer("usage", &format!("Unknown command /{}. Try /help.", interaction.data.name), Utc::now());
        return target.reply_now(&answer, true).await;
    };
    info!(interaction = target.id, command = target.command, "discord: slash command");
    let gate = bot.gate.clone();
    let mut sender = Sender::new("discord", interaction.channel_id.get().to_string(), interaction.user.id.get().to_string());
    sender.guild = interaction.guild_id.map(|g| g.get().to_string());
    sender.private = interaction.guild_id.is_none();
    sender.delivery = Some(super::CHANNEL_DELIVERY);
    // Discord sends the member's permissions in the channel with the interaction.
    sender.chat_admin = interaction.member.as_ref().and_then(|m| m.permissions).is_some_and(may_manage_digests);
    let refused = is_refused_change(&text, &sender);
    // The gate applies limits and allowlists and bounds the answer's time; `Silent` means
    // no response at all (a chat not allowed, or a repeated refusal).
    let mut task = tokio::spawn(async move {
        match gate.handle(&sender, &text, None, Utc::now()).await {
            Outcome::Answer(answer) => Some(answer),
            Outcome::Notice(notice) => Some(Answer::new("notice", "").with_notice(notice)),
            Outcome::Silent => None,
        }
    });

    if let Ok(result) = tokio::time::timeout(DEFER_AFTER, &mut task).await {
        return match outcome(result, Utc::now()) {
            Ok(Some(answer)) => target.reply_now(&answer, refused).await,
            Ok(None) => {}
            Err(why) => {
                error!(interaction = target.id, command = target.command, error = %why, "discord: command failed");
                target.fail_now().await;
            }
        };
    }

    // Slow: acknowledge now (the user sees "thinking..."), answer by editing later.
    let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new());
    if let Err(e) = target.callback(&defer).await {
        error!(interaction = target.id, command = target.command, error = %e, "discord: deferring the response failed");
        task.abort();
        return;
    }
    match tokio::time::timeout(MAX_ANSWER_TIME, task).await {
        Ok(result) => match outcome(result, Utc::now()) {
            Ok(Some(answer)) if refused || is_private_answer(&answer) => match messages_for(&answer).first() {
                Some(first) => target.private_after_defer(first).await,
                None => target.fail_deferred().await,
            },
            Ok(Some(answer)) => target.reply_deferred(&answer).await,
            Ok(None) => target.fail_deferred().await,
            Err(why) => {
                error!(interaction = target.id, command = target.command, error = %why, "discord: command failed");
                target.fail_deferred().await;
            }
        },
        Err(_) => {
            error!(interaction = target.id, command = target.command, "discord: answer took too long; giving up");
            target.fail_deferred().await;
        }
    }
}

/// An autocomplete request: suggestions for the focused `topic` or `person` option.
pub async fn autocomplete(bot: &Bot, interaction: &CommandInteraction) {
    let target = Target { bot, id: interaction.id.get(), app: interaction.application_id.get(), token: &interaction.token, command: &interaction.data.name };
    let focused = interaction.data.autocomplete().filter(|f| AUTOCOMPLETE_OPTIONS.contains(&f.name)).map(|f| f.value.to_string());
    let names = match focused {
        Some(prefix) => {
            let answerer = bot.answerer.clone();
            let task = tokio::task::spawn_blocking(move || answerer.suggest(prefix.trim(), MAX_CHOICES));
            match tokio::time::timeout(AUTOCOMPLETE_BUDGET, task).await {
                Ok(Ok(names)) => names,
                Ok(Err(e)) => {
                    // Not the error itself: a panic message can quote the typed prefix.
                    error!(interaction = target.id, panicked = e.is_panic(), "discord: suggest failed");
                    Vec::new()
                }
                Err(_) => {
                    warn!(interaction = target.id, "discord: suggestions too slow for autocomplete; answering with none");
                    Vec::new()
                }
            }
        }
        None => Vec::new(),
    };
    let response = CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new().set_choices(commands::choices(names)));
    if let Err(e) = target.callback(&response).await {
        warn!(interaction = target.id, error = %e, "discord: autocomplete response failed");
    }
}
