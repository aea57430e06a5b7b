//! Inline mode: `@ThisBot zangezur` typed in any chat. Telegram sends an `inline_query`
//! update; we answer with `answerInlineQuery`: the brief on the words and, when they name
//! somebody quoted in the corpus, that person's quotes. Each result, once picked, is sent by
//! the user as one self-contained cited message (the same HTML as a command's answer, cut
//! to whole items so that it fits one message).
//!
//! The work goes through the same [`Gate`](crate::gate::Gate) as commands, as if the user
//! had asked in their private chat with the bot: the same per-user and per-chat limits, the
//! same deadline and pool. Time filters work as in commands (`zangezur since:7d`), and a
//! query written as a topic command (`/search gas`) answers that command alone. Results are
//! the same for everybody, so Telegram may cache them per query ([`CACHE_SECONDS`]); a
//! refusal (rate limit, busy) is personal and not cached. A repeated refusal, which the gate
//! keeps silent for commands, gets no answer at all (Telegram then shows no results).
//!
//! Inline mode is switched on in BotFather (`/setinline`); without it Telegram sends no
//! inline queries.

use std::sync::Arc;

use chrono::Utc;
use teloxide::prelude::*;
use teloxide::types::{
    InlineQuery, InlineQueryId, InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputMessageContentText, LinkPreviewOptions, ParseMode,
};
use tracing::{debug, warn};

use super::{Ctx, chat_tag, redact};
use crate::command::{self, Command, Parsed};
use crate::core::answer::Answer;
use crate::gate::{Outcome, Sender as GateSender};
use crate::render::plain;
use crate::render::telegram::{render_parts, text_message};

/// How long Telegram may serve our results for the same query without asking again.
pub const CACHE_SECONDS: u32 = 300;
/// The hint for an empty query is the same for everybody and never changes.
const HINT_CACHE_SECONDS: u32 = 3600;
/// Telegram's inline result title and description are shown on one or two lines.
const MAX_TITLE_CHARS: usize = 64;
const MAX_DESCRIPTION_CHARS: usize = 120;
/// Telegram refuses an inline query longer than this anyway.
const MAX_QUERY_CHARS: usize = 256;

/// What the hint result says when the query is empty (or not one we answer).
pub const HINT_TITLE: &str = "Type a topic or a person";
pub const HINT_TEXT: &str = "Type a topic or a person after the bot's name, for example zangezur or pezeshkian, to share a cited brief or their quotes. Add since:7d or until:2025-04-30 to keep to a time window.";

/// One inline query to answer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Job {
    pub id: String,
    pub user_id: String,
    pub query: String,
}

impl Job {
    pub fn from_query(q: &InlineQuery) -> Option<Job> {
        if q.from.is_bot {
            return None;
        }
        Some(Job { id: q.id.0.clone(), user_id: q.from.id.0.to_string(), query: q.query.chars().take(MAX_QUERY_CHARS).collect() })
    }
}

/// What to ask for a query: the command texts, in the order their results are shown.
/// Empty: answer with the hint only.
pub(super) fn requests(query: &str) -> Vec<String> {
    let query = query.split_whitespace().collect::<Vec<_>>().join(" ");
    if query.is_empty() {
        return Vec::new();
    }
    if query.starts_with(['/', '!']) {
        // A command: only the topic commands, which answer the same in any chat. Digest
        // commands would act on the user's private chat; they are not for inline mode.
        return match command::parse(&query, None) {
            Parsed::Command(Command::Brief { .. } | Command::Quote { .. } | Command::Background { .. } | Command::Search { .. }) => vec![query],
            _ => Vec::new(),
        };
    }
    vec![format!("/brief {query}"), format!("/quote {query}")]
}

/// An answer made to fit one message: whole items from the end are left out until it does.
pub(super) fn one_message(answer: &Answer) -> String {
    let mut answer = answer.clone();
    let mut parts = render_parts(&answer);
    while parts.len() > 1 && answer.items.len() > 1 {
        answer.items.pop();
        parts = render_parts(&answer);
    }
    parts.swap_remove(0)
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn article(id: &str, title: &str, description: &str, html: String) -> InlineQueryResult {
    let content = InputMessageContentText::new(html).parse_mode(ParseMode::Html).link_preview_options(LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    });
    let mut result = InlineQueryResultArticle::new(id, shorten(title, MAX_TITLE_CHARS), InputMessageContent::Text(content));
    if !description.trim().is_empty() {
        result = result.description(shorten(description, MAX_DESCRIPTION_CHARS));
    }
    InlineQueryResult::Article(result)
}

/// The hint for an empty query: a result that explains, and sends the explanation if picked.
pub(super) fn hint() -> InlineQueryResult {
    article("hint", HINT_TITLE, "for example zangezur, or pezeshkian since:7d", text_message(HINT_TEXT))
}

/// The results for the answers to [`requests`]: one per answer with items; when none has
/// any, one result carrying the first answer's notice ("Nothing in the corpus about ...").
pub(super) fn results(answers: &[Answer]) -> Vec<InlineQueryResult> {
    let mut out = Vec::new();
    for (i, answer) in answers.iter().enumerate().filter(|(_, a)| !a.items.is_empty()) {
        let title = plain::heading(answer).unwrap_or_else(|| answer.command.clone());
        let description = answer.items.first().map(plain::item_text).unwrap_or_default();
        out.push(article(&format!("{i}-{}", answer.command), &title, &description, one_message(answer)));
    }
    if out.is_empty()
        && let Some(first) = answers.first()
    {
        let notice = first.notice.clone().unwrap_or_else(|| "Nothing found.".to_string());
        out.push(article("0-notice", &notice, "", text_message(&notice)));
    }
    out
}

/// Answer one inline query through the gate, then with `answerInlineQuery`.
pub(super) async fn answer(ctx: Arc<Ctx>, job: Job) {
    let texts = requests(&job.query);
    let (results, cache, personal) = if texts.is_empty() {
        (vec![hint()], HINT_CACHE_SECONDS, false)
    } else {
        // As if asked in the user's private chat with the bot (whose id is the user's).
        let mut sender = GateSender::new("telegram", job.user_id.clone(), job.user_id.clone());
        sender.private = true;
        let mut answers = Vec::new();
        let mut refusal = None;
        for text in &texts {
            match ctx.gate.handle(&sender, text, ctx.username.as_deref(), Utc::now()).await {
                Outcome::Answer(a) => answers.push(a),
                Outcome::Notice(n) => {
                    refusal = Some(n);
                    break;
                }
                // Not allowed here, or a repeated refusal: no answer at all.
                Outcome::Silent => return,
            }
        }
        // A refusal concerns this user now: what could be answered is shown, uncached.
        match refusal {
            Some(n) if answers.iter().all(|a| a.items.is_empty()) => (vec![article("0-notice", &n, "", text_message(&n))], 0, true),
            Some(_) => (results(&answers), 0, true),
            None => (results(&answers), CACHE_SECONDS, false),
        }
    };
    let count = results.len();
    let request = ctx.bot.answer_inline_query(InlineQueryId(job.id.clone()), results).cache_time(cache).is_personal(personal);
    match request.send().await {
        Ok(_) => debug!(user = %chat_tag(job.user_id.parse().unwrap_or_default()), results = count, "telegram: inline query answered"),
        Err(e) => warn!("telegram: answerInlineQuery failed: {}", redact(&e.to_string(), &ctx.token)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answer::{AnswerItem, ItemKind, SourceRef};
    use crate::render::telegram::MAX_MESSAGE_LEN;

    #[test]
    fn what_a_query_asks() {
        assert_eq!(requests("  zangezur  corridor "), ["/brief zangezur corridor", "/quote zangezur corridor"]);
        assert_eq!(requests("pezeshkian since:7d"), ["/brief pezeshkian since:7d", "/quote pezeshkian since:7d"]);
        assert_eq!(requests("/search gas transit"), ["/search gas transit"]);
        assert!(requests("").is_empty() && requests("   ").is_empty());
        assert!(requests("/subscribe 08:00").is_empty(), "digest commands are not for inline mode");
        assert!(requests("/status").is_empty());
    }

    fn answer_with(n: usize) -> Answer {
        let mut a = Answer::new("brief", "harbour");
        for i in 0..n {
            let mut item = AnswerItem::new(format!("Sentence {i} about the harbour <b>& its</b> ferries. {}", "word ".repeat(60)), ItemKind::Bullet);
            item.sources = vec![SourceRef::article(format!("d{i}"), format!("Title {i}"), None, None)];
            a.items.push(item);
        }
        a
    }

    #[test]
    fn a_result_is_one_message_of_whole_cited_items() {
        let long = answer_with(40);
        assert!(render_parts(&long).len() > 1);
        let html = one_message(&long);
        assert!(crate::render::telegram::utf16_len(&html) <= MAX_MESSAGE_LEN);
        assert!(html.contains("&lt;b&gt;&amp; its&lt;/b&gt;"), "corpus text is escaped: {html}");
        // Every bullet shown carries its citation.
        let bullets = html.matches("Sentence ").count();
        assert!(bullets >= 2);
        for i in 0..bullets {
            assert!(html.contains(&format!("Title {i}")), "bullet {i} is cited: {html}");
        }
    }

    #[test]
    fn results_skip_empty_answers_and_fall_back_to_the_notice() {
        let nothing = Answer::new("quote", "harbour").with_notice("No quotes from harbour in the corpus.");
        let json = serde_json::to_value(results(&[answer_with(2), nothing.clone()])).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 1);
        assert_eq!(json[0]["type"], "article");
        assert_eq!(json[0]["title"], "Brief: harbour");
        assert_eq!(json[0]["input_message_content"]["parse_mode"], "HTML");
        let only_notice = serde_json::to_value(results(&[Answer::new("brief", "x").with_notice("Nothing in the corpus about x."), nothing])).unwrap();
        assert_eq!(only_notice.as_array().unwrap().len(), 1);
        assert_eq!(only_notice[0]["title"], "Nothing in the corpus about x.");
        assert_eq!(serde_json::to_value(hint()).unwrap()["title"], HINT_TITLE);
    }
}
