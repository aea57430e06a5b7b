//! Digest composition: what arrived in the corpus in a window of time, as one [`Answer`].
//!
//! Pure: no clock, no storage. The caller says which window (`since`, `until`) and which
//! topics; the scheduler (`crate::digest`, feature `runtime`), `/digest` and
//! `briefbot digest` all compose through [`compose_window`] so they say the same thing.
//!
//! A digest is:
//! 1. top stories: each is the lead of one article (one sentence, two when the second leans
//!    on the first), and reports of the same story in several articles (titles or leads that
//!    share most of their terms) are folded into one item that cites them all;
//! 2. one or two key quotes from those stories, direct quotes with a resolved speaker first;
//! 3. the remaining new articles as sources (title, date, link).
//!
//! Every item is verbatim corpus text with its sources, as everywhere else.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use tantivy::tokenizer::TextAnalyzer;

use super::answer::{Answer, AnswerItem, Claim, ItemKind, SourceRef};
use super::brief::leans_on_previous;
use super::differ::{self, Statement};
use super::engine::{ArticleInfo, Engine, ExportQuote};
use super::error::CoreError;
use super::index::{analyse_terms, news_analyzer};
use super::quotes::QuoteKind;

/// At most this many stories in one digest.
pub const MAX_STORIES: usize = 5;
/// At most this many characters of story text (like a brief).
pub const MAX_STORY_CHARS: usize = 1500;
/// At most this many key quotes.
pub const MAX_QUOTES: usize = 2;
/// At most this many further articles listed as sources.
pub const MAX_MORE_SOURCES: usize = 10;
/// A digest reads at most this many articles (the newest); more are counted, not read.
pub const MAX_ARTICLES: usize = 300;
/// Two reports whose titles or leads share this much (Dice over analysed terms) are one story.
pub const SAME_STORY: f32 = 0.5;
/// ... unless their dates are further apart than this (a strike starting and ending).
pub const MAX_DAYS_APART: i64 = 2;

/// What composition needs from the corpus. [`Engine`] implements it; tests and benchmarks
/// may use their own.
pub trait ArticleSource: Send + Sync {
    /// Articles that arrived after `since`, oldest first.
    fn articles_since(&self, since: DateTime<Utc>) -> Vec<ArticleInfo>;
    /// The prose sentences of one article, in order.
    fn article_sentences(&self, doc: &str) -> Result<Vec<String>, CoreError>;
    /// The quotes of one article, in order.
    fn article_quotes(&self, doc: &str) -> Result<Vec<ExportQuote>, CoreError>;
}

impl ArticleSource for Engine {
    fn articles_since(&self, since: DateTime<Utc>) -> Vec<ArticleInfo> {
        Engine::articles_since(self, since)
    }
    fn article_sentences(&self, doc: &str) -> Result<Vec<String>, CoreError> {
        Engine::article_sentences(self, doc)
    }
    fn article_quotes(&self, doc: &str) -> Result<Vec<ExportQuote>, CoreError> {
        Engine::article_quotes(self, doc)
    }
}

/// One new article with the text composition reads.
#[derive(Debug, Clone)]
pub struct DigestArticle {
    pub source: SourceRef,
    pub arrived: Option<DateTime<Utc>>,
    /// Prose sentences in order (the first is the lead).
    pub sentences: Vec<String>,
    pub quotes: Vec<ExportQuote>,
}

/// The window a digest covers: articles that arrived after `since` and not after `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    pub since: DateTime<Utc>,
    /// `None`: everything up to now.
    pub until: Option<DateTime<Utc>>,
}

/// How to compose.
#[derive(Debug, Clone, Default)]
pub struct ComposeOptions {
    /// Only articles matching at least one of these topics; empty means every article.
    pub topics: Vec<String>,
    /// How the start of the window is shown ("2025-04-27 08:00 Europe/London").
    pub since_label: String,
    /// The day the digest is for (the answer's "as of").
    pub as_of: Option<NaiveDate>,
}

/// Read the articles of a window. Articles beyond [`MAX_ARTICLES`] (the oldest) are left
/// out; the second value counts every article in the window.
pub fn gather(source: &dyn ArticleSource, window: &Window) -> Result<(Vec<DigestArticle>, usize), CoreError> {
    let mut infos: Vec<ArticleInfo> = source.articles_since(window.since);
    if let Some(until) = window.until {
        infos.retain(|a| a.arrived.is_some_and(|t| t <= until));
    }
    let total = infos.len();
    if infos.len() > MAX_ARTICLES {
        infos.drain(..infos.len() - MAX_ARTICLES);
    }
    let mut out = Vec::with_capacity(infos.len());
    for info in infos {
        let sentences = source.article_sentences(&info.source.doc)?;
        let quotes = source.article_quotes(&info.source.doc)?;
        out.push(DigestArticle { source: info.source, arrived: info.arrived, sentences, quotes });
    }
    Ok((out, total))
}

/// Gather and compose; never fails (corpus trouble becomes the notice).
pub fn compose_window(source: &dyn ArticleSource, window: &Window, opts: &ComposeOptions) -> Answer {
    compose_gathered(&gather(source, window), opts)
}

/// Compose from what [`gather`] returned (one gathering can serve several topic lists).
pub fn compose_gathered(gathered: &Result<(Vec<DigestArticle>, usize), CoreError>, opts: &ComposeOptions) -> Answer {
    match gathered {
        Ok((articles, total)) => {
            let mut answer = compose(articles, opts);
            if *total > articles.len() && !answer.items.is_empty() {
                let notice = answer.notice.take().unwrap_or_default();
                answer.notice = Some(format!("{notice} (the {} newest of {total} read)", articles.len()));
            }
            answer
        }
        Err(e) => {
            let mut answer = Answer::new("digest", &opts.topics.join(", ")).with_notice(format!("Sorry, the corpus could not be read just now ({e})."));
            answer.as_of = opts.as_of;
            answer
        }
    }
}

/// `--since` of `briefbot digest`: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
pub fn parse_since(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD or an RFC 3339 time such as 2025-04-28T08:00:00Z"))
}

/// `briefbot digest [--since DATE]`: what arrived after `since` (default: the 24 hours
/// before `now`) up to `now`, on every topic.
pub fn for_cli(source: &dyn ArticleSource, since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Answer {
    let since = since.unwrap_or(now - chrono::Duration::days(1));
    let opts = ComposeOptions { topics: Vec::new(), since_label: since.format("%Y-%m-%d %H:%M UTC").to_string(), as_of: Some(now.date_naive()) };
    compose_window(source, &Window { since, until: Some(now) }, &opts)
}

/// The terms of a text, as the index analyses them (folded, stemmed, no stop words).
fn term_set(analyzer: &mut TextAnalyzer, text: &str) -> HashSet<String> {
    analyse_terms(analyzer, text).into_iter().filter(|t| t.chars().count() > 1).collect()
}

/// Dice coefficient of two term sets.
pub fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f32;
    2.0 * inter / (a.len() + b.len()) as f32
}

/// Does an article match a topic: every term of the topic occurs in its title or text?
/// Topics that analyse to nothing (only stop words) match nothing.
fn matches_topic(article_terms: &HashSet<String>, topic_terms: &[String]) -> bool {
    !topic_terms.is_empty() && topic_terms.iter().all(|t| article_terms.contains(t))
}

/// Keep the articles that match at least one topic (all of them when there are none).
pub fn filter_topics(articles: &[DigestArticle], topics: &[String]) -> Vec<DigestArticle> {
    if topics.is_empty() {
        return articles.to_vec();
    }
    let mut analyzer = news_analyzer();
    let topic_terms: Vec<Vec<String>> = topics.iter().map(|t| analyse_terms(&mut analyzer, t)).collect();
    articles
        .iter()
        .filter(|a| {
            let mut terms = term_set(&mut analyzer, &a.source.title);
            for s in &a.sentences {
                terms.extend(analyse_terms(&mut analyzer, s));
            }
            topic_terms.iter().any(|t| matches_topic(&terms, t))
        })
        .cloned()
        .collect()
}

/// The lead of an article: its first prose sentence, with the next when that leans on it.
pub fn lead(article: &DigestArticle) -> Option<String> {
    let first = article.sentences.first()?;
    match article.sentences.get(1) {
        Some(second) if leans_on_previous(second) && first.chars().count() + second.chars().count() < 400 => Some(format!("{first} {second}")),
        _ => Some(first.clone()),
    }
}

/// A story: articles reporting the same thing. `members` index the articles; the first is
/// the one whose lead is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub members: Vec<usize>,
}

/// Group articles into stories by the overlap of their titles and leads (single linkage
/// at [`SAME_STORY`], only between articles dated at most [`MAX_DAYS_APART`] apart).
/// Stories come biggest first, then latest arrived, then newest dated.
pub fn stories(articles: &[DigestArticle]) -> Vec<Story> {
    let mut analyzer = news_analyzer();
    let titles: Vec<HashSet<String>> = articles.iter().map(|a| term_set(&mut analyzer, &a.source.title)).collect();
    let leads: Vec<HashSet<String>> = articles.iter().map(|a| term_set(&mut analyzer, a.sentences.first().map_or("", String::as_str))).collect();
    let n = articles.len();
    // Reports of one event are dated within a couple of days of each other (when dated).
    let close_in_time = |i: usize, j: usize| match (articles[i].source.date, articles[j].source.date) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= MAX_DAYS_APART,
        _ => true,
    };
    let sim = |i: usize, j: usize| if close_in_time(i, j) { overlap(&titles[i], &titles[j]).max(overlap(&leads[i], &leads[j])) } else { 0.0 };
    // Union-find over pairs that report the same thing.
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut sims = vec![vec![0.0f32; n]; n];
    let pairs = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
    for (i, j) in pairs {
        let s = sim(i, j);
        sims[i][j] = s;
        sims[j][i] = s;
        if s >= SAME_STORY {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            if a != b {
                parent[b.max(a)] = a.min(b);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let r = root(&mut parent, i);
        match group_of[r] {
            Some(g) => groups[g].push(i),
            None => {
                group_of[r] = Some(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    let mut out: Vec<Story> = groups
        .into_iter()
        .map(|mut members| {
            // The most central report leads (the first to arrive among equals); articles
            // without a lead never do.
            let centrality = |i: usize| -> f32 {
                if articles[i].sentences.is_empty() {
                    return -1.0;
                }
                members.iter().filter(|&&j| j != i).map(|&j| sims[i][j]).sum()
            };
            let best = members
                .iter()
                .copied()
                .max_by(|&a, &b| centrality(a).total_cmp(&centrality(b)).then(articles[b].arrived.cmp(&articles[a].arrived)).then(b.cmp(&a)))
                .expect("groups are not empty");
            members.retain(|&m| m != best);
            members.sort_by(|&a, &b| articles[a].arrived.cmp(&articles[b].arrived).then(articles[a].source.doc.cmp(&articles[b].source.doc)));
            members.insert(0, best);
            Story { members }
        })
        .collect();
    let arrived = |s: &Story| s.members.iter().filter_map(|&m| articles[m].arrived).max();
    let dated = |s: &Story| s.members.iter().filter_map(|&m| articles[m].source.date).max();
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(arrived(b).cmp(&arrived(a)))
            .then(dated(b).cmp(&dated(a)))
            .then(articles[a.members[0]].source.doc.cmp(&articles[b.members[0]].source.doc))
    });
    out
}

/// How good a key quote is: (kind and speaker, whether it reads as a whole sentence).
/// Direct quotes with a resolved speaker come first; fragments ("an overreaction to a
/// generous offer", quotes starting mid-sentence) after whole sentences of the same kind.
fn quote_score(q: &ExportQuote) -> Option<(u32, bool)> {
    let text = quote_text(q);
    let chars = text.chars().count();
    let words = text.split_whitespace().count();
    if words < 5 || !(25..=320).contains(&chars) {
        return None;
    }
    let base = match (q.kind, q.speaker.is_some()) {
        (QuoteKind::Direct, true) => 5,
        (QuoteKind::Mixed, true) => 4,
        (QuoteKind::Indirect, true) => 2,
        (QuoteKind::Direct, false) => 1,
        _ => return None,
    };
    let whole = words >= 8 && text.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with(|c: char| c.is_uppercase() || c.is_numeric());
    Some((base, whole))
}

/// The quote's text as shown: a direct quote without its quotation marks and without the
/// comma its attribution left ("... live with," Korhonen said): still a verbatim span of
/// the article (renderers put the quotation marks back).
fn quote_text(q: &ExportQuote) -> &str {
    let t = q.text.trim();
    if q.kind != QuoteKind::Direct {
        return t;
    }
    const MARKS: &[char] = &['"', '“', '”', '‘', '’', '\'', '«', '»'];
    t.trim_matches(MARKS).trim_end_matches(',').trim()
}

fn quote_item(q: &ExportQuote, article: &DigestArticle) -> AnswerItem {
    let kind = match q.kind {
        QuoteKind::Direct => ItemKind::Direct,
        QuoteKind::Mixed => ItemKind::Mixed,
        QuoteKind::Indirect => ItemKind::Indirect,
    };
    let mut item = AnswerItem::new(quote_text(q), kind);
    item.speaker = q.speaker.clone();
    item.speaker_via = q.speaker_via.clone();
    item.date = article.source.date;
    item.sources = vec![article.source.clone()];
    item
}

/// The first disagreement among the articles of a story (see [`crate::core::differ`]), as an
/// item with each version and its sources.
pub fn story_disagreement(articles: &[DigestArticle], story: &Story) -> Option<AnswerItem> {
    if story.members.len() < 2 {
        return None;
    }
    let mut stmts = Vec::new();
    let mut texts: HashMap<String, Vec<String>> = HashMap::new();
    for &m in &story.members {
        let a = &articles[m];
        let day = a.source.date.map_or(-1, |d| (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days());
        for (pos, s) in a.sentences.iter().enumerate() {
            stmts.push(Statement { doc: a.source.doc.clone(), pos: pos as u64, text: s.clone(), day });
        }
        texts.insert(a.source.doc.clone(), a.sentences.clone());
    }
    let comparison = differ::compare(&stmts, &texts);
    let d = comparison.disagreements.first()?;
    let source_of = |doc: &str| story.members.iter().map(|&m| &articles[m].source).find(|s| s.doc == doc).cloned();
    let points = d.points.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
    let mut item = AnswerItem::new(format!("Sources differ on {points}"), ItemKind::Disagreement);
    let claims: Vec<Claim> = d
        .claims
        .iter()
        .map(|members| {
            let mut sources: Vec<SourceRef> = Vec::new();
            for &i in members {
                if !sources.iter().any(|s| s.doc == stmts[i].doc) {
                    sources.extend(source_of(&stmts[i].doc));
                }
            }
            Claim { text: stmts[members[0]].text.clone(), sources }
        })
        .collect();
    item.sources = claims.iter().flat_map(|c| c.sources.iter().cloned()).collect();
    item.date = item.sources.iter().filter_map(|s| s.date).max();
    item.claims = Some(claims);
    Some(item)
}

/// Compose a digest from the articles of its window (already read).
pub fn compose(articles: &[DigestArticle], opts: &ComposeOptions) -> Answer {
    let topics_label = opts.topics.join(", ");
    let mut answer = Answer::new("digest", &topics_label);
    answer.as_of = opts.as_of;
    let articles = filter_topics(articles, &opts.topics);
    let about = if opts.topics.is_empty() { String::new() } else { format!(" on {topics_label}") };
    let since = if opts.since_label.is_empty() { String::new() } else { format!(" since {}", opts.since_label) };
    if articles.is_empty() {
        answer.notice = Some(format!("Nothing new in the corpus{about}{since}."));
        return answer;
    }
    let n = articles.len();
    answer.notice = Some(format!("Digest: {n} new article{}{about}{since}.", if n == 1 { "" } else { "s" }));

    let stories = stories(&articles);
    let mut cited: HashSet<usize> = HashSet::new();
    let mut chars = 0usize;
    let mut shown: Vec<&Story> = Vec::new();
    for story in &stories {
        if shown.len() >= MAX_STORIES {
            break;
        }
        let lead_article = &articles[story.members[0]];
        let Some(text) = lead(lead_article) else { continue };
        let len = text.chars().count();
        if chars + len > MAX_STORY_CHARS && !shown.is_empty() {
            continue;
        }
        chars += len;
        let mut item = AnswerItem::new(text, ItemKind::Bullet);
        item.sources = story.members.iter().map(|&m| articles[m].source.clone()).collect();
        item.date = story.members.iter().filter_map(|&m| articles[m].source.date).max();
        cited.extend(story.members.iter().copied());
        answer.items.push(item);
        // A story whose sources differ says so, with the versions, under its bullet.
        if let Some(d) = story_disagreement(&articles, story) {
            answer.items.push(d);
        }
        shown.push(story);
    }

    // Key quotes: from the stories shown (bigger stories first), best kind first, at most
    // one per speaker and none that repeats another.
    let mut candidates: Vec<((u32, bool), usize, usize, &ExportQuote)> = Vec::new();
    for (rank, story) in shown.iter().enumerate() {
        for &m in &story.members {
            for q in &articles[m].quotes {
                if let Some(score) = quote_score(q) {
                    candidates.push((score, rank, m, q));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.3.start.cmp(&b.3.start)).then(a.2.cmp(&b.2)));
    let mut analyzer = news_analyzer();
    let mut chosen: Vec<(Option<&str>, HashSet<String>)> = Vec::new();
    for (_, _, m, q) in candidates {
        if chosen.len() >= MAX_QUOTES {
            break;
        }
        let terms = term_set(&mut analyzer, &q.text);
        let repeats = chosen.iter().any(|(speaker, t)| (q.speaker.is_some() && *speaker == q.speaker.as_deref()) || overlap(t, &terms) >= SAME_STORY);
        if repeats {
            continue;
        }
        answer.items.push(quote_item(q, &articles[m]));
        chosen.push((q.speaker.as_deref(), terms));
    }

    // The rest of what is new, as sources, newest first.
    let mut rest: Vec<usize> = (0..n).filter(|i| !cited.contains(i)).collect();
    rest.sort_by(|&a, &b| articles[b].arrived.cmp(&articles[a].arrived).then(articles[a].source.doc.cmp(&articles[b].source.doc)));
    for &i in rest.iter().take(MAX_MORE_SOURCES) {
        let mut item = AnswerItem::new(articles[i].source.title.clone(), ItemKind::Source);
        item.date = articles[i].source.date;
        item.sources = vec![articles[i].source.clone()];
        answer.items.push(item);
    }
    if rest.len() > MAX_MORE_SOURCES {
        let notice = answer.notice.take().unwrap_or_default();
        answer.notice = Some(format!("{notice} {} more not listed.", rest.len() - MAX_MORE_SOURCES));
    }
    answer
}

/// True when a digest has nothing to say (no new article in its window).
pub fn is_empty(answer: &Answer) -> bool {
    answer.items.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(doc: &str, title: &str, sentences: &[&str], arrived_h: i64) -> DigestArticle {
        DigestArticle {
            source: SourceRef::article(doc, title, None, Some(format!("https://example.org/{doc}"))),
            arrived: DateTime::from_timestamp(1_700_000_000 + arrived_h * 3600, 0),
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
            quotes: Vec::new(),
        }
    }

    fn quote(doc: &str, text: &str, speaker: Option<&str>, kind: QuoteKind, start: u64) -> ExportQuote {
        ExportQuote {
            doc: doc.into(),
            start,
            end: start + text.chars().count() as u64,
            text: text.into(),
            speaker: speaker.map(str::to_string),
            speaker_mention: None,
            speaker_via: None,
            speaker_step: None,
            cue: Some("said".into()),
            kind,
        }
    }

    #[test]
    fn near_duplicates_fold_into_one_item() {
        let arts = vec![
            article("a", "Dockers strike at Port Meridian", &["Dock workers at Port Meridian walked out on Saturday after pay talks collapsed."], 1),
            article("b", "Port Meridian dock workers walk out", &["Dock workers at Port Meridian walked out on Saturday after talks on pay collapsed."], 2),
            article("c", "Glacier retreat speeds up", &["Alpine glaciers lost a record share of their ice this summer, scientists said."], 3),
        ];
        let answer = compose(&arts, &ComposeOptions::default());
        let bullets: Vec<&AnswerItem> = answer.items.iter().filter(|i| i.kind == Some(ItemKind::Bullet)).collect();
        assert_eq!(bullets.len(), 2, "{answer:#?}");
        let docs: Vec<&str> = bullets[0].sources.iter().map(|s| s.doc.as_str()).collect();
        assert_eq!(docs.len(), 2);
        assert!(docs.contains(&"a") && docs.contains(&"b"));
        assert_eq!(bullets[1].sources[0].doc, "c");
    }

    #[test]
    fn a_story_whose_sources_differ_is_marked() {
        let arts = vec![
            article(
                "a",
                "Ferry sinks off Skarv",
                &["A ferry sank off the Skarv lighthouse on Sunday night.", "The coastguard rescued 31 passengers from the water near the lighthouse."],
                1,
            ),
            article(
                "b",
                "Ferry sinks off Skarv lighthouse",
                &["A ferry sank off the Skarv lighthouse on Sunday night.", "The coastguard rescued 44 passengers from the water near the lighthouse."],
                2,
            ),
            article("c", "Glacier retreat speeds up", &["Alpine glaciers lost a record share of their ice this summer, scientists said."], 3),
        ];
        let answer = compose(&arts, &ComposeOptions::default());
        let marks: Vec<&AnswerItem> = answer.items.iter().filter(|i| i.kind == Some(ItemKind::Disagreement)).collect();
        assert_eq!(marks.len(), 1, "{answer:#?}");
        let claims = marks[0].claims.as_ref().unwrap();
        let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("31 passengers")) && texts.iter().any(|t| t.contains("44 passengers")), "{texts:?}");
        assert_eq!(claims.iter().map(|c| c.sources[0].doc.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        // It comes right under its story.
        let at = answer.items.iter().position(|i| i.kind == Some(ItemKind::Disagreement)).unwrap();
        assert_eq!(answer.items[at - 1].kind, Some(ItemKind::Bullet));
        // A story of one article, or articles that agree, is not marked.
        let agree = vec![arts[0].clone(), article("d", "Ferry sinks off Skarv", &["A ferry sank off the Skarv lighthouse on Sunday night."], 4)];
        assert!(!compose(&agree, &ComposeOptions::default()).items.iter().any(|i| i.kind == Some(ItemKind::Disagreement)));
    }

    #[test]
    fn quotes_prefer_direct_with_speaker_and_differ() {
        let mut a = article("a", "Strike", &["Dock workers at Port Meridian walked out on Saturday after pay talks collapsed."], 1);
        a.quotes = vec![
            quote("a", "the operator had refused to discuss overtime rates at all", Some("Hanna Korhonen"), QuoteKind::Indirect, 10),
            quote("a", "We asked for a fair night rate and got a lecture on productivity", None, QuoteKind::Direct, 20),
            quote("a", "Our members have run out of patience with the operator", Some("Hanna Korhonen"), QuoteKind::Direct, 30),
            quote("a", "We asked again and again for a fair rate and got nothing", Some("Hanna Korhonen"), QuoteKind::Direct, 40),
            quote("a", "This is an overreaction to a generous offer from us", Some("Paul Abernethy"), QuoteKind::Mixed, 50),
        ];
        let answer = compose(&[a], &ComposeOptions::default());
        let quotes: Vec<&AnswerItem> =
            answer.items.iter().filter(|i| matches!(i.kind, Some(ItemKind::Direct | ItemKind::Mixed | ItemKind::Indirect))).collect();
        assert_eq!(quotes.len(), 2, "{answer:#?}");
        assert_eq!(quotes[0].speaker.as_deref(), Some("Hanna Korhonen"));
        assert_eq!(quotes[0].kind, Some(ItemKind::Direct));
        assert!(quotes[0].text.starts_with("Our members"));
        assert_eq!(quotes[1].speaker.as_deref(), Some("Paul Abernethy"));
    }

    #[test]
    fn topics_filter_and_empty_notice() {
        let arts = vec![
            article("a", "Dockers strike at Port Meridian", &["Dock workers walked out on Saturday after pay talks collapsed at the port."], 1),
            article("c", "Glacier retreat speeds up", &["Alpine glaciers lost a record share of their ice this summer, scientists said."], 3),
        ];
        let opts = ComposeOptions { topics: vec!["glaciers".into()], since_label: "yesterday".into(), as_of: None };
        let answer = compose(&arts, &opts);
        assert_eq!(answer.items.len(), 1);
        assert_eq!(answer.items[0].sources[0].doc, "c");
        let none = compose(&arts, &ComposeOptions { topics: vec!["wheat".into()], ..opts });
        assert!(none.items.is_empty());
        assert_eq!(none.notice.as_deref(), Some("Nothing new in the corpus on wheat since yesterday."));
    }

    #[test]
    fn leads_pair_leaning_sentences() {
        let a = article("a", "T", &["The port reopened on Monday after a two-week strike.", "However, grain ships still queue outside."], 1);
        assert_eq!(lead(&a).unwrap(), "The port reopened on Monday after a two-week strike. However, grain ships still queue outside.");
    }
}
