//! From message text to an answer: the path every adapter takes, so that parsing, usage
//! messages and error wording are the same everywhere.

use chrono::{DateTime, Utc};

use crate::command::{self, Command, Parsed};
use crate::core::answer::{Answer, AnswerItem, ItemKind};

/// What answers commands. The engine implements it; adapters hold an `Arc<dyn Answerer>`.
/// Calls may block (index look-ups): async adapters call it from `spawn_blocking`.
pub trait Answerer: Send + Sync {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer;
    /// Entity and topic names starting with (or close to) `prefix`, best first, for
    /// autocomplete. At most `limit`.
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String>;
    /// False while the answerer cannot answer from its corpus (a damaged index being
    /// rebuilt): health checks say "starting".
    fn ready(&self) -> bool {
        true
    }
    /// One article as stored, by document id (for its source page); `None` for an id the
    /// corpus does not list.
    fn document(&self, _id: &str) -> Option<crate::core::engine::StoredDocument> {
        None
    }
}

/// Answer one message. `None` means stay silent (a command addressed to another bot).
/// Plain text without a command gets the usage answer; adapters in group chats may choose
/// to ignore [`Parsed::NotACommand`] before calling this.
pub fn respond(answerer: &dyn Answerer, text: &str, bot_username: Option<&str>, now: DateTime<Utc>) -> Option<Answer> {
    match command::parse(text, bot_username) {
        Parsed::Command(cmd) => Some(answerer.answer(&cmd, now)),
        Parsed::ForAnotherBot => None,
        Parsed::Usage { command, message } => Some(usage_answer(command.as_deref().unwrap_or("usage"), &message, now)),
        Parsed::NotACommand => Some(usage_answer("usage", "Commands start with a slash, for example /brief zangezur.", now)),
    }
}

/// A usage answer: the notice says what was wrong, the items list the commands.
pub fn usage_answer(command: &str, message: &str, now: DateTime<Utc>) -> Answer {
    let mut answer = Answer::new("usage", "").with_notice(message);
    if command != "usage" {
        answer.query = command.to_string();
    }
    answer.items = help_items();
    answer.as_of = Some(now.date_naive());
    answer
}

/// The command list as answer items, shared by `/help` and usage answers.
pub fn help_items() -> Vec<AnswerItem> {
    command::COMMANDS
        .iter()
        .map(|s| {
            let line = if s.args.is_empty() { format!("/{} - {}", s.name, s.description) } else { format!("/{} {} - {}", s.name, s.args, s.description) };
            AnswerItem::new(line, ItemKind::Help)
        })
        .chain(std::iter::once(AnswerItem::new(command::TIME_FILTER_HELP, ItemKind::Help)))
        .collect()
}
