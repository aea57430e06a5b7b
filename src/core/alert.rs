//! Topic alerts (`/follow <topic>`): the message a chat gets when a new article matches a
//! topic it follows, and the "and N more" message that folds what is over the hourly limit.
//!
//! Pure: no clock, no storage. The sentence comes from [`Engine::alert_item`]
//! (verbatim, with its span); the runtime (`crate::alerts`) decides who gets what and sends.
//!
//! [`Engine::alert_item`]: crate::core::engine::Engine::alert_item

use chrono::{DateTime, Utc};

use super::answer::{Answer, AnswerItem, ItemKind, SourceRef};

/// A fold lists at most this many articles by title; the rest are counted.
pub const MAX_FOLD_LISTED: usize = 10;

/// How a chat's new matches are sent given what is left of its hourly limit: `(alerts,
/// folded)`: the first `alerts` matches each get their own message, the next `folded`
/// share one "and N more" message, and the rest wait for the limit to allow them. The
/// fold is a message too, so the two together never take more than `remaining` messages.
pub fn plan(matches: usize, remaining: usize) -> (usize, usize) {
    if matches <= remaining {
        (matches, 0)
    } else if remaining == 0 {
        (0, 0)
    } else {
        (remaining - 1, matches - (remaining - 1))
    }
}

/// One alert: the topics the article matched, the best matching sentence (with its source),
/// as of `now`.
pub fn compose(topics: &[String], item: AnswerItem, now: DateTime<Utc>) -> Answer {
    let mut answer = Answer::new("alert", &topics.join(", "));
    answer.items.push(item);
    answer.as_of = Some(now.date_naive());
    answer
}

/// The "and N more" message: the articles over the hourly limit, by title (the first
/// [`MAX_FOLD_LISTED`]), each citing its article.
pub fn compose_fold(topics: &[String], sources: &[SourceRef], now: DateTime<Utc>) -> Answer {
    let mut answer = Answer::new("alert", &topics.join(", "));
    let n = sources.len();
    let articles = if n == 1 { "article" } else { "articles" };
    let mut notice = format!("And {n} more new {articles} (over this chat's hourly alert limit):");
    if n > MAX_FOLD_LISTED {
        notice = format!("And {n} more new articles (over this chat's hourly alert limit); the first {MAX_FOLD_LISTED}:");
    }
    answer.notice = Some(notice);
    for s in sources.iter().take(MAX_FOLD_LISTED) {
        let mut item = AnswerItem::new(s.title.clone(), ItemKind::Source);
        item.date = s.date;
        item.sources = vec![s.clone()];
        answer.items.push(item);
    }
    answer.as_of = Some(now.date_naive());
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(doc: &str) -> SourceRef {
        SourceRef::article(doc, format!("Title of {doc}"), None, None)
    }

    #[test]
    fn the_plan_never_takes_more_than_the_limit() {
        assert_eq!(plan(3, 6), (3, 0));
        assert_eq!(plan(6, 6), (6, 0));
        assert_eq!(plan(7, 6), (5, 2));
        assert_eq!(plan(20, 6), (5, 15));
        assert_eq!(plan(4, 1), (0, 4));
        assert_eq!(plan(4, 0), (0, 0));
        assert_eq!(plan(0, 0), (0, 0));
        for matches in 0..30 {
            for remaining in 0..10 {
                let (alerts, folded) = plan(matches, remaining);
                let messages = alerts + usize::from(folded > 0);
                assert!(messages <= remaining, "{matches} {remaining}");
                assert!(alerts + folded <= matches);
                if remaining > 0 {
                    assert_eq!(alerts + folded, matches, "with room for a message, every match goes out");
                }
            }
        }
    }

    #[test]
    fn an_alert_cites_its_sentence_and_a_fold_lists_titles() {
        let now = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let mut item = AnswerItem::new("The harbour reopened on Monday.", ItemKind::Bullet);
        item.sources = vec![source("a").at(0, 31)];
        let a = compose(&["harbour".to_string()], item.clone(), now);
        assert_eq!((a.command.as_str(), a.query.as_str(), a.items.len()), ("alert", "harbour", 1));
        assert_eq!(a.items[0].sources[0].span, Some((0, 31)));
        assert_eq!(a.as_of, now.date_naive().into());

        let many: Vec<SourceRef> = (0..12).map(|i| source(&format!("d{i}"))).collect();
        let f = compose_fold(&["harbour".to_string()], &many, now);
        assert!(f.notice.as_deref().unwrap().starts_with("And 12 more new articles"), "{:?}", f.notice);
        assert_eq!(f.items.len(), MAX_FOLD_LISTED);
        assert!(f.items.iter().all(|i| i.sources.len() == 1 && i.text == i.sources[0].title));
        let one = compose_fold(&["harbour".to_string()], &many[..1], now);
        assert!(one.notice.as_deref().unwrap().starts_with("And 1 more new article "), "{:?}", one.notice);
    }
}
