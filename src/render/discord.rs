//! Discord markdown and embed rendering within Discord limits.
//!
//! Pure functions: an [`Answer`] becomes one or more Discord messages, either as embeds
//! ([`embed_messages`], what slash commands answer with) or as plain markdown content
//! ([`markdown_messages`], what prefix commands answer with). The wording comes from
//! [`super::plain`] so that every front end says the same thing.
//!
//! Safety: every piece of corpus text goes through [`escape`], which escapes Discord
//! markdown and defuses `@everyone` / `@here` (and, by escaping `<`, user, role and channel
//! mentions). The adapter additionally sends `allowed_mentions` with an empty `parse` list on
//! every message, so nothing an answer contains can ping anybody.
//!
//! Limits ([Discord docs](https://discord.com/developers/docs/resources/message#embed-object-embed-limits)):
//! content 2000 characters; embed title 256, description 4096, at most 25 fields with names
//! of 256 and values of 1024, footer 2048; at most 10 embeds per message and 6000 characters
//! over all of them. Long answers are split between bullets into several messages; a bullet
//! longer than a page is split between words. Lengths are counted in Unicode scalar values
//! (what Discord counts).

use crate::core::answer::{Answer, AnswerItem, ItemKind, SourceRef};
use crate::render::plain;

/// Message content.
pub const MAX_CONTENT_LEN: usize = 2000;
pub const MAX_TITLE_LEN: usize = 256;
pub const MAX_DESCRIPTION_LEN: usize = 4096;
pub const MAX_FIELDS: usize = 25;
pub const MAX_FIELD_NAME_LEN: usize = 256;
pub const MAX_FIELD_VALUE_LEN: usize = 1024;
pub const MAX_FOOTER_LEN: usize = 2048;
/// Sum over all embeds of one message: titles, descriptions, field names and values, footers.
pub const MAX_EMBEDS_TOTAL_LEN: usize = 6000;
pub const MAX_EMBEDS_PER_MESSAGE: usize = 10;

/// An answer is cut after this many embeds (markdown: messages), with a line saying how many
/// results were left out: a chat is not the place for a hundred pages.
pub const MAX_EMBEDS_PER_ANSWER: usize = 6;
pub const MAX_MESSAGES_PER_ANSWER: usize = 5;

/// Room kept free on every page for the "…and N more" line.
const RESERVE: usize = 100;
/// Links longer than this are shown as plain titles.
const MAX_URL_LEN: usize = 300;
/// Source titles are cut to this length inside citations.
const MAX_LABEL_LEN: usize = 150;
/// Sources named per bullet; the rest are counted ("+2 more").
const MAX_SOURCES_PER_ITEM: usize = 3;

/// One embed, in Discord's terms. Text is markdown, already escaped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embed {
    pub title: Option<String>,
    pub description: String,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Embed {
    /// Characters as Discord counts them towards the 6000 per message.
    pub fn len(&self) -> usize {
        self.title.as_deref().map_or(0, char_len)
            + char_len(&self.description)
            + self.fields.iter().map(|f| char_len(&f.name) + char_len(&f.value)).sum::<usize>()
            + self.footer.as_deref().map_or(0, char_len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every per-embed limit holds.
    pub fn is_within_limits(&self) -> bool {
        self.title.as_deref().is_none_or(|t| char_len(t) <= MAX_TITLE_LEN)
            && char_len(&self.description) <= MAX_DESCRIPTION_LEN
            && self.fields.len() <= MAX_FIELDS
            && self.fields.iter().all(|f| char_len(&f.name) <= MAX_FIELD_NAME_LEN && char_len(&f.value) <= MAX_FIELD_VALUE_LEN)
            && self.footer.as_deref().is_none_or(|f| char_len(f) <= MAX_FOOTER_LEN)
            && self.len() <= MAX_EMBEDS_TOTAL_LEN
    }
}

/// One Discord message: content, embeds, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiscordMessage {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
}

impl DiscordMessage {
    pub fn is_within_limits(&self) -> bool {
        self.content.as_deref().is_none_or(|c| char_len(c) <= MAX_CONTENT_LEN)
            && self.embeds.len() <= MAX_EMBEDS_PER_MESSAGE
            && self.embeds.iter().all(Embed::is_within_limits)
            && self.embeds.iter().map(Embed::len).sum::<usize>() <= MAX_EMBEDS_TOTAL_LEN
            && (self.content.as_deref().is_some_and(|c| !c.is_empty()) || !self.embeds.is_empty())
    }
}

/// Length as Discord counts it.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Make corpus (or user) text safe to show: whitespace collapsed to single spaces (so that no
/// line of corpus text can start a heading, quote or list), control characters dropped,
/// mentions defused and markdown escaped.
pub fn escape(text: &str) -> String {
    let collapsed: String =
        text.split_whitespace().map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let defused = defuse_mentions(&collapsed);
    let mut out = String::with_capacity(defused.len() + defused.len() / 8);
    for c in defused.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    // Line-start syntax: "- x" and "+ x" are list items, "12. x" a numbered one.
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    } else {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(". ") {
            out.insert(digits, '\\');
        }
    }
    out
}

/// `@everyone` and `@here` get a zero-width space after the `@`, so that they read the same
/// but are no longer mentions even where `allowed_mentions` is not honoured (e.g. a copy and
/// paste). `<@id>`-style mentions are defused by [`escape`], which escapes the `<`.
pub fn defuse_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let lower = rest.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
        let lower4 = rest.get(..4).map(str::to_ascii_lowercase).unwrap_or_default();
        if lower == "everyone" || lower4 == "here" {
            out.push('\u{200B}');
        }
    }
    out.push_str(rest);
    out
}

/// Cut escaped text to at most `max` characters, ending in "…" when cut. Never leaves a
/// dangling escape backslash at the end.
pub fn truncate(text: &str, max: usize) -> String {
    if char_len(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    strip_dangling_backslash(&mut cut);
    cut.push('…');
    cut
}

fn strip_dangling_backslash(text: &mut String) {
    let trailing = text.chars().rev().take_while(|&c| c == '\\').count();
    if trailing % 2 == 1 {
        text.pop();
    }
}

/// A short message (an error or a notice) as message content: escaped, within limits.
pub fn short_message(text: &str) -> String {
    truncate(&escape(text), MAX_CONTENT_LEN)
}

/// `[label](url)` when the source has a usable URL, else the escaped label. With a source
/// page (`http.public_url`) the label links there and the original URL follows.
fn source_link(source: &SourceRef) -> String {
    // A long title is cut, never the outlet, byline and date after it.
    let label = match source.credit() {
        Some(credit) => {
            let credit = format!(" ({})", escape(&credit));
            let room = MAX_LABEL_LEN.saturating_sub(char_len(&credit)).max(MAX_LABEL_LEN / 3);
            format!("{}{credit}", truncate(&escape(&source.title), room))
        }
        None => truncate(&escape(&source.title), MAX_LABEL_LEN),
    };
    let original = source.url.as_deref().and_then(safe_url);
    match (source.page.as_deref().and_then(safe_url), original) {
        (Some(page), Some(url)) => format!("[{label}]({page}) ([original]({url}))"),
        (Some(url), None) | (None, Some(url)) => format!("[{label}]({url})"),
        (None, None) => label,
    }
}

/// A URL that can go inside `(...)` of a markdown link: http(s), no whitespace, not too
/// long; parentheses percent-encoded so they cannot end the link early.
fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let url = url.replace('(', "%28").replace(')', "%29").replace('<', "%3C").replace('>', "%3E");
    (url.len() <= MAX_URL_LEN).then_some(url)
}

/// The citation line under a bullet.
fn citation(sources: &[SourceRef]) -> Option<String> {
    if sources.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = sources.iter().take(MAX_SOURCES_PER_ITEM).map(source_link).collect();
    if sources.len() > MAX_SOURCES_PER_ITEM {
        parts.push(format!("+{} more", sources.len() - MAX_SOURCES_PER_ITEM));
    }
    Some(format!("\u{2003}↳ {}", parts.join("; ")))
}

/// One piece of the body: an item's markdown (bullet and citation), or a section title.
struct Block {
    /// Which item this block belongs to, for counting what a cut answer leaves out.
    item: Option<usize>,
    text: String,
}

fn item_block(item: &AnswerItem) -> String {
    match item.kind {
        Some(ItemKind::Help) => escape(&item.text),
        Some(ItemKind::Source) if !item.sources.is_empty() => {
            let links: Vec<String> = item.sources.iter().take(MAX_SOURCES_PER_ITEM).map(source_link).collect();
            format!("• {}", links.join("; "))
        }
        // A disagreement or an update: what differs in bold, each version quoted on its own
        // line with its own citation, one under the other.
        _ if item.claims.is_some() => {
            let mut text = format!("• **{}**", escape(&plain::item_text(item)));
            for (i, claim) in item.claims.iter().flatten().enumerate() {
                text.push_str(&format!("\n> **{}:** {}", plain::claim_label(item, i), escape(&claim.text)));
                if let Some(c) = citation(&claim.sources) {
                    text.push_str("\n> ");
                    text.push_str(&c);
                }
            }
            text
        }
        _ => {
            let mut text = format!("• {}", escape(&plain::item_text(item)));
            if let Some(c) = citation(&item.sources) {
                let c = match item.source_count {
                    Some(n) if n >= 2 => c.replacen("↳ ", &format!("↳ {n} sources: "), 1),
                    _ => c,
                };
                text.push('\n');
                text.push_str(&c);
            }
            text
        }
    }
}

fn body_blocks(answer: &Answer) -> Vec<Block> {
    let mut blocks = Vec::new();
    if let Some(notice) = answer.notice.as_deref().filter(|n| !n.trim().is_empty()) {
        blocks.push(Block { item: None, text: format!("*{}*", escape(notice)) });
    }
    if let Some(w) = &answer.window {
        blocks.push(Block { item: None, text: format!("*{}*", escape(&w.describe())) });
    }
    let mut section = None;
    for (i, item) in answer.items.iter().enumerate() {
        if let Some(kind) = item.kind
            && let Some(title) = plain::section_title(kind)
            && section != Some(kind)
        {
            blocks.push(Block { item: None, text: format!("**{title}**") });
            section = Some(kind);
        }
        blocks.push(Block { item: Some(i), text: item_block(item) });
    }
    blocks
}

fn title(answer: &Answer) -> String {
    let heading = plain::heading(answer).unwrap_or_else(|| "How to use briefbot".to_string());
    truncate(&escape(&heading), MAX_TITLE_LEN)
}

fn as_of(answer: &Answer) -> Option<String> {
    answer.as_of.map(|d| format!("as of {}", d.format("%Y-%m-%d")))
}

/// Split text that does not fit one page: at line breaks, then spaces, then anywhere (but
/// never between an escape backslash and the character it escapes).
fn split_piece(text: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        if char_len(line) <= limit {
            out.push(line.to_string());
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ') {
            let needed = if current.is_empty() { char_len(word) } else { char_len(&current) + 1 + char_len(word) };
            if needed <= limit {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
                continue;
            }
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            let mut word = word.to_string();
            while char_len(&word) > limit {
                let mut head: String = word.chars().take(limit).collect();
                strip_dangling_backslash(&mut head);
                if head.is_empty() {
                    head = word.chars().take(2).collect();
                }
                word = word[head.len()..].to_string();
                out.push(head);
            }
            current = word;
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Pack blocks into pages of at most `limit` characters, joined by newlines; blocks longer
/// than a page are split. Returns the pages and, for each, the first item that starts on it.
fn paginate(blocks: Vec<Block>, limit: usize) -> Vec<(String, Vec<usize>)> {
    let mut pages: Vec<(String, Vec<usize>)> = Vec::new();
    let mut current = String::new();
    let mut items = Vec::new();
    for block in blocks {
        let pieces = if char_len(&block.text) <= limit { vec![block.text] } else { split_piece(&block.text, limit) };
        for (n, piece) in pieces.into_iter().enumerate() {
            let starts_item = if n == 0 { block.item } else { None };
            if !current.is_empty() && char_len(&current) + 1 + char_len(&piece) > limit {
                pages.push((std::mem::take(&mut current), std::mem::take(&mut items)));
            }
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(&piece);
            items.extend(starts_item);
        }
    }
    if !current.is_empty() || pages.is_empty() {
        pages.push((current, items));
    }
    pages
}

/// Keep at most `max` pages; when pages are dropped, say how many results were left out.
fn cap_pages(mut pages: Vec<(String, Vec<usize>)>, max: usize) -> Vec<String> {
    if pages.len() > max {
        let omitted: usize = pages[max..].iter().map(|(_, items)| items.len()).sum();
        pages.truncate(max);
        if omitted > 0 {
            let last = &mut pages[max - 1].0;
            let shown = if omitted == 1 { "1 more result".to_string() } else { format!("{omitted} more results") };
            last.push_str(&format!("\n*…and {shown} not shown. Narrow the question to see them.*"));
        }
    }
    pages.into_iter().map(|(text, _)| text).collect()
}

/// The answer as embeds, packed into as few messages as the limits allow. The first embed
/// carries the title; every embed carries the "as of" footer.
pub fn embed_messages(answer: &Answer) -> Vec<DiscordMessage> {
    let footer = as_of(answer);
    let pages = cap_pages(paginate(body_blocks(answer), MAX_DESCRIPTION_LEN - RESERVE), MAX_EMBEDS_PER_ANSWER);
    let embeds = pages.into_iter().enumerate().map(|(i, description)| Embed {
        title: (i == 0).then(|| title(answer)),
        description: if description.is_empty() { "No results.".to_string() } else { description },
        fields: Vec::new(),
        footer: footer.clone(),
    });
    let mut messages: Vec<DiscordMessage> = Vec::new();
    for embed in embeds {
        let fits = messages
            .last()
            .is_some_and(|m| m.embeds.len() < MAX_EMBEDS_PER_MESSAGE && m.embeds.iter().map(Embed::len).sum::<usize>() + embed.len() <= MAX_EMBEDS_TOTAL_LEN);
        match messages.last_mut() {
            Some(m) if fits => m.embeds.push(embed),
            _ => messages.push(DiscordMessage { content: None, embeds: vec![embed] }),
        }
    }
    messages
}

/// The answer as markdown message content, each at most [`MAX_CONTENT_LEN`] characters,
/// split between bullets.
pub fn markdown_messages(answer: &Answer) -> Vec<String> {
    let mut heading = format!("**{}**", title(answer));
    if let Some(d) = as_of(answer) {
        heading.push_str(&format!(" · {d}"));
    }
    let mut blocks = vec![Block { item: None, text: heading }];
    blocks.extend(body_blocks(answer));
    cap_pages(paginate(blocks, MAX_CONTENT_LEN - RESERVE), MAX_MESSAGES_PER_ANSWER)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn source(title: &str, url: Option<&str>) -> SourceRef {
        SourceRef::article("001", title, NaiveDate::from_ymd_opt(2025, 4, 28), url.map(String::from))
    }

    fn quote_answer() -> Answer {
        let mut a = Answer::new("quote", "pezeshkian");
        let mut item = AnswerItem::new(
            "Our relationship with Azerbaijan is rooted in historical, cultural, and social connections that must be further strengthened.",
            ItemKind::Direct,
        );
        item.speaker = Some("Masoud Pezeshkian".into());
        item.sources = vec![source("Iran’s President Pezeshkian Visits Azerbaijan Amid Efforts to Revive Ties", Some("https://example.com/a(1)"))];
        a.items.push(item);
        a.as_of = NaiveDate::from_ymd_opt(2025, 5, 1);
        a
    }

    fn long_answer(items: usize, words: usize) -> Answer {
        let mut a = Answer::new("search", "gas");
        for i in 0..items {
            let text = format!("Sentence {i} *bold* _it_ @everyone <@&1> {}", "gas transit via Azerbaijan ".repeat(words));
            let mut item = AnswerItem::new(text, ItemKind::Hit);
            item.sources = (0..5).map(|j| source(&format!("Article {j} [x] {}", "t".repeat(300)), Some(&format!("https://example.com/{j}")))).collect();
            a.items.push(item);
        }
        a.as_of = NaiveDate::from_ymd_opt(2025, 5, 1);
        a
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a*b_c~d`e|f>g<h#i[j]k\\l"), "a\\*b\\_c\\~d\\`e\\|f\\>g\\<h\\#i\\[j\\]k\\\\l");
        assert_eq!(escape("# Heading\n> quote\n- list"), "\\# Heading \\> quote - list");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("12. item"), "12\\. item");
        assert_eq!(escape("2025 was"), "2025 was");
        assert_eq!(escape("tab\tand\u{0}nul"), "tab andnul");
        assert_eq!(escape("||spoiler||"), "\\|\\|spoiler\\|\\|");
    }

    #[test]
    fn defuses_mentions() {
        let s = escape("Hi @everyone and @here and @Everyone, <@123> <@&456> <#789>");
        assert!(!s.contains("@everyone") && !s.contains("@here") && !s.contains("@Everyone"), "{s}");
        assert!(s.contains("@\u{200B}everyone") && s.contains("@\u{200B}here"));
        assert!(s.contains("\\<@123\\>") && s.contains("\\<@&456\\>"), "{s}");
        assert_eq!(defuse_mentions("mail@example.com"), "mail@example.com");
        assert_eq!(defuse_mentions("@"), "@");
    }

    #[test]
    fn truncation_keeps_escapes_whole() {
        let t = truncate("ab\\*cd", 4);
        assert_eq!(t, "ab…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(char_len(&truncate(&"é".repeat(300), 256)), 256);
    }

    #[test]
    fn quote_renders_with_citation_link() {
        let messages = embed_messages(&quote_answer());
        assert_eq!(messages.len(), 1);
        let e = &messages[0].embeds[0];
        assert_eq!(e.title.as_deref(), Some("Quotes: pezeshkian"));
        assert!(e.description.contains("“Our relationship with Azerbaijan is rooted in historical"), "{}", e.description);
        assert!(e.description.contains("— Masoud Pezeshkian"));
        assert!(
            e.description.contains("[Iran’s President Pezeshkian Visits Azerbaijan Amid Efforts to Revive Ties (2025-04-28)](https://example.com/a%281%29)"),
            "{}",
            e.description
        );
        assert_eq!(e.footer.as_deref(), Some("as of 2025-05-01"));
        assert!(messages[0].is_within_limits());

        let md = markdown_messages(&quote_answer());
        assert_eq!(md.len(), 1);
        assert!(md[0].starts_with("**Quotes: pezeshkian** · as of 2025-05-01\n• “Our relationship"), "{}", md[0]);
    }

    #[test]
    fn citations_name_outlet_and_byline_when_known() {
        let mut a = quote_answer();
        a.items[0].sources[0] = a.items[0].sources[0].clone().by(Some("The *Caspian* Ledger"), Some("Leyla Hasanova"));
        let d = &embed_messages(&a)[0].embeds[0].description;
        assert!(d.contains("Revive Ties (The \\*Caspian\\* Ledger, Leyla Hasanova, 2025-04-28)](https://example.com/a%281%29)"), "{d}");
        let md = markdown_messages(&a);
        assert!(md[0].contains("(The \\*Caspian\\* Ledger, Leyla Hasanova, 2025-04-28)"), "{}", md[0]);
    }

    #[test]
    fn sources_without_url_are_plain_labels() {
        let mut a = quote_answer();
        a.items[0].sources[0].url = Some("javascript:alert(1)".into());
        let d = &embed_messages(&a)[0].embeds[0].description;
        assert!(d.contains("↳ Iran’s President") && !d.contains("]("), "{d}");
    }

    #[test]
    fn citations_link_their_source_page_when_served() {
        let mut a = quote_answer();
        a.items[0].sources[0].url = Some("https://example.com/a(b)".into());
        a.items[0].sources[0].span = Some((10, 42));
        let before = markdown_messages(&a).join("\n");
        assert!(before.contains("](https://example.com/a%28b%29)") && !before.contains("/doc/"), "{before}");
        crate::render::link_source_pages(&mut a, "https://bot.example");
        let md = markdown_messages(&a).join("\n");
        assert!(md.contains("](https://bot.example/doc/001?hl=10-42#hl) ([original](https://example.com/a%28b%29))"), "{md}");
        let d = &embed_messages(&a)[0].embeds[0].description;
        assert!(d.contains("](https://bot.example/doc/001?hl=10-42#hl)"), "{d}");
    }

    #[test]
    fn long_answers_split_within_limits() {
        for (items, words) in [(1, 2000), (40, 10), (300, 3), (3, 400)] {
            let a = long_answer(items, words);
            let messages = embed_messages(&a);
            assert!(messages.iter().map(|m| m.embeds.len()).sum::<usize>() <= MAX_EMBEDS_PER_ANSWER);
            for m in &messages {
                assert!(m.is_within_limits(), "{items}x{words}: {m:?}");
                for e in &m.embeds {
                    assert!(!e.description.contains("@everyone"));
                }
            }
            let md = markdown_messages(&a);
            assert!(md.len() <= MAX_MESSAGES_PER_ANSWER);
            for m in &md {
                assert!(char_len(m) <= MAX_CONTENT_LEN, "{}", char_len(m));
                assert!(!m.ends_with('\\') || m.ends_with("\\\\"));
            }
        }
    }

    #[test]
    fn splits_at_bullet_boundaries() {
        let a = long_answer(40, 10);
        let md = markdown_messages(&a);
        assert!(md.len() > 1);
        for m in &md[1..] {
            assert!(m.starts_with("• Sentence"), "{m}");
        }
        // Nothing lost or repeated between pages: the bullets shown are 0..n, each once.
        let all = md.join("\n");
        let shown = (0..40).take_while(|i| all.contains(&format!("• Sentence {i} "))).count();
        assert!(shown >= 5, "{shown}");
        for i in 0..40 {
            assert_eq!(all.matches(&format!("• Sentence {i} ")).count(), usize::from(i < shown), "bullet {i}");
        }
        assert!(md.last().unwrap().contains(&format!("…and {} more results not shown", 40 - shown)));
    }

    #[test]
    fn cut_answers_say_what_is_missing() {
        let a = long_answer(300, 3);
        let messages = embed_messages(&a);
        let last = messages.last().unwrap().embeds.last().unwrap();
        assert!(last.description.contains("more results not shown"), "{}", last.description);
        let md = markdown_messages(&a);
        assert!(md.last().unwrap().contains("more results not shown"));
    }

    #[test]
    fn empty_answers_have_text() {
        let mut a = Answer::new("brief", "nothing").with_notice("Nothing in the corpus about *nothing*.");
        a.as_of = None;
        let m = embed_messages(&a);
        assert_eq!(m[0].embeds[0].description, "*Nothing in the corpus about \\*nothing\\*.*");
        assert!(m[0].embeds[0].footer.is_none());
        let bare = embed_messages(&Answer::new("brief", "x"));
        assert_eq!(bare[0].embeds[0].description, "No results.");
        assert!(bare[0].is_within_limits());
    }

    #[test]
    fn oversized_word_is_hard_split_without_breaking_escapes() {
        let pieces = split_piece(&"\\*".repeat(3000), 1001);
        assert!(pieces.iter().all(|p| char_len(p) <= 1001 && p.len() % 2 == 0), "{:?}", pieces.iter().map(|p| p.len()).collect::<Vec<_>>());
        assert_eq!(pieces.concat(), "\\*".repeat(3000));
    }
}
