//! `/follow`, `/unfollow` and `/following`: what the gate calls with the chat's identity and
//! permissions. Changing a group's follows is for its admins, exactly like `/subscribe`
//! (the gate asks the adapter whether the sender is one only for these changes).

use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::store::{AlertStore, Followed, MAX_FOLLOWS};
use crate::command::Command;
use crate::core::answer::Answer;
use crate::core::engine::Engine;
use crate::core::index::{analyse_terms, news_analyzer};
use crate::digest::ChatContext;

/// Is this one of the alert commands?
pub fn is_alert_command(command: &Command) -> bool {
    matches!(command, Command::Follow { .. } | Command::Unfollow { .. } | Command::Following)
}

/// Does this command change a chat's follows (admins only in groups)?
pub fn changes_follows(command: &Command) -> bool {
    matches!(command, Command::Follow { .. } | Command::Unfollow { .. })
}

/// A topic's key: its analysed terms (folded, stemmed, no stop words), so that "Port
/// Meridian", "port  meridian" and "ports meridian" are one topic. Empty when the topic
/// has no word that can match.
pub fn topic_key(topic: &str) -> String {
    let mut analyzer = news_analyzer();
    let mut terms: Vec<String> = Vec::new();
    for t in analyse_terms(&mut analyzer, topic) {
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    terms.join(" ")
}

pub struct AlertService {
    store: Arc<AlertStore>,
    max_per_hour: u32,
    /// For a spelling hint on `/follow` (a topic the corpus spells differently).
    engine: Option<Arc<Engine>>,
}

fn notice(command: &Command, text: impl Into<String>, now: DateTime<Utc>) -> Answer {
    let mut a = Answer::new(command.name(), command.argument()).with_notice(text);
    a.as_of = Some(now.date_naive());
    a
}

impl AlertService {
    pub fn new(store: Arc<AlertStore>, max_per_hour: u32) -> Self {
        AlertService { store, max_per_hour: max_per_hour.max(1), engine: None }
    }

    /// Say on `/follow` when the corpus spells a word of the topic differently.
    pub fn with_engine(mut self, engine: Arc<Engine>) -> Self {
        self.engine = Some(engine);
        self
    }

    pub fn store(&self) -> &Arc<AlertStore> {
        &self.store
    }

    pub fn max_per_hour(&self) -> u32 {
        self.max_per_hour
    }

    /// Answer an alert command; `None` for any other command.
    pub fn handle(&self, ctx: &ChatContext, command: &Command, now: DateTime<Utc>) -> Option<Answer> {
        if !is_alert_command(command) {
            return None;
        }
        if changes_follows(command) && ctx.is_group && !ctx.is_admin {
            return Some(notice(command, "Only admins can change this chat's topic alerts. /following shows them.", now));
        }
        let answer = match command {
            Command::Follow { topic } => self.follow(ctx, command, topic, now),
            Command::Unfollow { topic } => self.unfollow(ctx, command, topic, now),
            _ => self.following(ctx, command, now),
        };
        Some(answer.unwrap_or_else(|e| {
            tracing::error!(chat = %ctx.chat.log_tag(), "alerts: {e:#}");
            notice(command, "Sorry, this chat's topic alerts could not be read or saved just now.", now)
        }))
    }

    fn follow(&self, ctx: &ChatContext, command: &Command, topic: &str, now: DateTime<Utc>) -> Result<Answer> {
        let key = topic_key(topic);
        if key.is_empty() {
            return Ok(notice(
                command,
                format!("\"{topic}\" has no word an article could match (only short or common words). Try a name, a place or an issue."),
                now,
            ));
        }
        let text = match self.store.follow(&ctx.chat, topic, &key, now)? {
            Followed::Added => {
                let mut text = format!(
                    "Following {topic}: each new article that mentions it is posted here with its best sentence and a link (at most {} alerts an hour; more are folded into one message). /unfollow {topic} stops it.",
                    self.max_per_hour
                );
                // Only a hint: a name new to the corpus is not a typo of an old word.
                if let Some(spelled) = self.engine.as_ref().and_then(|e| e.corpus_spelling(topic).ok().flatten())
                    && topic_key(&spelled) != key
                {
                    text.push_str(&format!(" The corpus has no \"{topic}\" yet, but it has \"{spelled}\": /follow {spelled} if you meant that."));
                }
                text
            }
            Followed::Already => format!("This chat already follows {topic}. /following lists its topics."),
            Followed::TooMany => format!("This chat follows {MAX_FOLLOWS} topics already, the most it can. /unfollow one first."),
        };
        Ok(notice(command, text, now))
    }

    fn unfollow(&self, ctx: &ChatContext, command: &Command, topic: &str, now: DateTime<Utc>) -> Result<Answer> {
        let text = if topic.is_empty() {
            match self.store.unfollow_all(&ctx.chat)? {
                0 => "This chat follows no topics.".to_string(),
                1 => "Stopped the topic alert here.".to_string(),
                n => format!("Stopped all {n} topic alerts here."),
            }
        } else if self.store.unfollow(&ctx.chat, &topic_key(topic))? {
            format!("Stopped alerts on {topic} here.")
        } else {
            format!("This chat does not follow {topic}. /following lists its topics.")
        };
        Ok(notice(command, text, now))
    }

    fn following(&self, ctx: &ChatContext, command: &Command, now: DateTime<Utc>) -> Result<Answer> {
        let follows = self.store.follows_of(&ctx.chat)?;
        let text = if follows.is_empty() {
            "This chat follows no topics. /follow <topic> posts each new article on a topic here.".to_string()
        } else {
            let topics: Vec<&str> = follows.iter().map(|f| f.topic.as_str()).collect();
            format!("This chat follows: {} (at most {} alerts an hour). /unfollow <topic> stops one.", topics.join(", "), self.max_per_hour)
        };
        Ok(notice(command, text, now))
    }
}
