//! Telegram HTML rendering within Telegram limits.
//!
//! Pure functions: an [`Answer`] becomes one or more messages in Telegram's HTML parse mode.
//! Every piece of corpus text is escaped (`<`, `>`, `&`, and `"` inside attributes); the
//! wording comes from [`super::plain`] so that every front end says the same thing.
//!
//! Messages are limited to [`MAX_MESSAGE_LEN`] characters, counted as Telegram counts them
//! (UTF-16 code units). We count the HTML source, tags included, which is stricter than
//! Telegram's count after entity parsing, so a part that passes here always fits. Long
//! answers are split between bullets; a single bullet longer than the limit is split at a
//! sentence (or word) boundary with its tags closed at the end of one part and reopened at
//! the start of the next, so that every part is valid HTML on its own.

use crate::core::answer::{Answer, AnswerItem, ItemKind, SourceRef};
use crate::render::plain;

/// Telegram's limit for the text of one message.
pub const MAX_MESSAGE_LEN: usize = 4096;

/// Links longer than this are shown as plain titles (a URL that long is not worth a tag).
const MAX_HREF_LEN: usize = 2048;

/// When splitting an oversized bullet, do not start it in a part with less room than this:
/// start a new part instead.
const MIN_ROOM_FOR_SPLIT: usize = 200;

/// Escape text for Telegram HTML: `&`, `<` and `>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value (always written in double quotes): also `"`.
pub fn escape_attr(text: &str) -> String {
    escape(text).replace('"', "&quot;")
}

/// Length as Telegram counts it: UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Remove a bot token (and its secret half, and its URL-encoded form) from text that is
/// about to be logged or returned as an error. teloxide's and reqwest's errors can include
/// the request URL, which is `{api}/bot{TOKEN}/{method}`.
pub fn redact(text: &str, token: &str) -> String {
    const MASK: &str = "[REDACTED]";
    let token = token.trim();
    if token.is_empty() {
        return text.to_string();
    }
    let mut out = text.replace(token, MASK);
    for encoded in [token.replace(':', "%3A"), token.replace(':', "%3a")] {
        out = out.replace(&encoded, MASK);
    }
    // The part after the colon is the secret; the numeric bot id before it is public.
    if let Some((_, secret)) = token.split_once(':')
        && secret.len() >= 8
    {
        out = out.replace(secret, MASK);
    }
    out
}

/// A run of text with one style. Each span renders as self-contained HTML (open tag, escaped
/// text, close tag), which is what makes splitting anywhere between spans safe.
#[derive(Debug, Clone, PartialEq)]
enum Span {
    Text(String),
    Bold(String),
    Italic(String),
    Link { text: String, href: String },
}

impl Span {
    fn text(&self) -> &str {
        match self {
            Span::Text(t) | Span::Bold(t) | Span::Italic(t) | Span::Link { text: t, .. } => t,
        }
    }

    fn with_text(&self, text: String) -> Span {
        match self {
            Span::Text(_) => Span::Text(text),
            Span::Bold(_) => Span::Bold(text),
            Span::Italic(_) => Span::Italic(text),
            Span::Link { href, .. } => Span::Link { text, href: href.clone() },
        }
    }

    fn tags(&self) -> (String, &'static str) {
        match self {
            Span::Text(_) => (String::new(), ""),
            Span::Bold(_) => ("<b>".to_string(), "</b>"),
            Span::Italic(_) => ("<i>".to_string(), "</i>"),
            Span::Link { href, .. } => (format!("<a href=\"{}\">", escape_attr(href)), "</a>"),
        }
    }

    fn html(&self) -> String {
        if self.text().is_empty() {
            return String::new();
        }
        let (open, close) = self.tags();
        format!("{open}{}{close}", escape(self.text()))
    }

    fn tag_len(&self) -> usize {
        let (open, close) = self.tags();
        utf16_len(&open) + utf16_len(close)
    }
}

/// One unit of layout: the header, a section title, or one item with its sources. Parts are
/// only ever split between blocks, except for a block that alone exceeds the limit.
#[derive(Debug, Clone)]
struct Block {
    spans: Vec<Span>,
    /// What separates this block from the previous one in the same part.
    gap: &'static str,
}

impl Block {
    fn html(&self) -> String {
        self.spans.iter().map(Span::html).collect()
    }
}

/// The whole answer as one HTML string, ignoring the length limit (for previews and tests).
pub fn render(answer: &Answer) -> String {
    pack(blocks(answer), usize::MAX).join("\n")
}

/// The answer as messages, each at most [`MAX_MESSAGE_LEN`] UTF-16 code units and each valid
/// Telegram HTML on its own, in reading order. Never empty.
pub fn render_parts(answer: &Answer) -> Vec<String> {
    render_parts_with_limit(answer, MAX_MESSAGE_LEN)
}

/// [`render_parts`] with another limit (tests use small limits).
pub fn render_parts_with_limit(answer: &Answer, limit: usize) -> Vec<String> {
    pack(blocks(answer), limit.max(MIN_ROOM_FOR_SPLIT))
}

/// A plain text message (already safe to send in HTML mode).
pub fn text_message(text: &str) -> String {
    escape(text)
}

fn blocks(answer: &Answer) -> Vec<Block> {
    let mut blocks = Vec::new();

    let mut header = Vec::new();
    let line = |header: &mut Vec<Span>, span: Span| {
        if !header.is_empty() {
            header.push(Span::Text("\n".into()));
        }
        header.push(span);
    };
    if let Some(h) = plain::heading(answer) {
        line(&mut header, Span::Bold(h));
    }
    if let Some(d) = answer.as_of {
        line(&mut header, Span::Italic(format!("as of {}", d.format("%Y-%m-%d"))));
    }
    if let Some(n) = answer.notice.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        line(&mut header, Span::Text(n.to_string()));
    }
    if let Some(w) = &answer.window {
        line(&mut header, Span::Italic(w.describe()));
    }
    if !header.is_empty() {
        blocks.push(Block { spans: header, gap: "" });
    }

    let mut section = None;
    let mut after_title = !blocks.is_empty();
    for item in &answer.items {
        if let Some(kind) = item.kind
            && let Some(title) = plain::section_title(kind)
            && section != Some(kind)
        {
            blocks.push(Block { spans: vec![Span::Bold(format!("{title}:"))], gap: "\n\n" });
            section = Some(kind);
            after_title = false;
        }
        let gap = if after_title { "\n\n" } else { "\n" };
        after_title = false;
        blocks.push(Block { spans: item_spans(item), gap });
    }

    if blocks.is_empty() {
        blocks.push(Block { spans: vec![Span::Text("Nothing to show.".into())], gap: "" });
    }
    blocks
}

fn item_spans(item: &AnswerItem) -> Vec<Span> {
    if item.kind == Some(ItemKind::Help) {
        return vec![Span::Text(item.text.clone())];
    }
    let mut spans = vec![Span::Text("• ".into())];
    // `/sources`: the article itself, linked and dated, without repeating it as its citation.
    if let [source] = item.sources.as_slice()
        && item.kind == Some(ItemKind::Source)
        && source.title.trim() == item.text.trim()
    {
        spans.extend(source_spans(source));
        return spans;
    }
    // A disagreement (or an update): what differs in bold, then each version in italics on
    // its own line with its own sources, so the two read one under the other.
    if let Some(claims) = &item.claims {
        spans.push(Span::Bold(plain::item_text(item)));
        for (i, claim) in claims.iter().enumerate() {
            spans.push(Span::Text(format!("\n  {}: ", plain::claim_label(item, i))));
            spans.push(Span::Italic(claim.text.clone()));
            spans.push(Span::Text("\n    [".into()));
            for (k, source) in claim.sources.iter().enumerate() {
                if k > 0 {
                    spans.push(Span::Text("; ".into()));
                }
                spans.extend(source_spans(source));
            }
            spans.push(Span::Text("]".into()));
        }
        return spans;
    }
    let quote_like = matches!(item.kind, Some(ItemKind::Direct | ItemKind::Indirect | ItemKind::Mixed));
    match (&item.speaker, quote_like) {
        (Some(speaker), true) => {
            // The plain wording without its " — Speaker" suffix, then the speaker in bold.
            let without_speaker = AnswerItem { speaker: None, ..item.clone() };
            spans.push(Span::Text(plain::item_text(&without_speaker)));
            spans.push(Span::Text(" — ".into()));
            spans.push(Span::Bold(speaker.clone()));
            let via = plain::via_suffix(item);
            if !via.is_empty() {
                spans.push(Span::Text(via));
            }
        }
        _ => spans.push(Span::Text(plain::item_text(item))),
    }
    if !item.sources.is_empty() {
        spans.push(Span::Text(format!("\n    [{}", plain::count_prefix(item))));
        for (i, source) in item.sources.iter().enumerate() {
            if i > 0 {
                spans.push(Span::Text("; ".into()));
            }
            spans.extend(source_spans(source));
        }
        spans.push(Span::Text("]".into()));
    }
    spans
}

/// "Title (Reuters, Jane Doe, 2025-04-28)", the title a link where the source has a usable URL. With a source
/// page (`http.public_url`) the title links there and the original URL follows as "original".
fn source_spans(source: &SourceRef) -> Vec<Span> {
    let title = if source.title.trim().is_empty() { source.doc.clone() } else { source.title.clone() };
    let original = source.url.as_deref().map(str::trim).filter(|u| linkable(u));
    let page = source.page.as_deref().map(str::trim).filter(|u| linkable(u));
    let mut spans = vec![match page.or(original) {
        Some(url) => Span::Link { text: title, href: url.to_string() },
        None => Span::Text(title),
    }];
    if let Some(credit) = source.credit() {
        spans.push(Span::Text(format!(" ({credit})")));
    }
    if let (Some(_), Some(url)) = (page, original) {
        spans.push(Span::Text(" · ".into()));
        spans.push(Span::Link { text: "original".into(), href: url.to_string() });
    }
    spans
}

/// Telegram accepts http(s) links; anything else (javascript:, relative paths) stays text.
fn linkable(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && url.len() <= MAX_HREF_LEN && !url.chars().any(char::is_whitespace)
}

/// Greedily fill parts with whole blocks; split only blocks that alone exceed the limit.
fn pack(blocks: Vec<Block>, limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for block in blocks {
        let html = block.html();
        let len = utf16_len(&html);
        let gap_len = if current.is_empty() { 0 } else { utf16_len(block.gap) };
        if current_len + gap_len + len <= limit {
            if !current.is_empty() {
                current.push_str(block.gap);
            }
            current.push_str(&html);
            current_len += gap_len + len;
            continue;
        }
        if len <= limit {
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            current = html;
            current_len = len;
            continue;
        }
        // Too long for any part: start it in the room left here and split it.
        let prefix = if current.is_empty() { String::new() } else { std::mem::take(&mut current) + block.gap };
        let mut pieces = split_spans(prefix, block.spans, limit);
        current = pieces.pop().unwrap_or_default();
        current_len = utf16_len(&current);
        parts.extend(pieces);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    for part in &mut parts {
        part.truncate(part.trim_end().len());
    }
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() {
        parts.push("Nothing to show.".to_string());
    }
    parts
}

/// Split one oversized block into parts at span boundaries, splitting a span's text where it
/// must (its tags are closed in one part and reopened in the next).
fn split_spans(prefix: String, spans: Vec<Span>, limit: usize) -> Vec<String> {
    let min_room = (limit / 4).min(MIN_ROOM_FOR_SPLIT);
    let mut parts = Vec::new();
    let mut current_len = utf16_len(&prefix);
    let mut current = prefix;
    let mut queue: std::collections::VecDeque<Span> = spans.into();
    while let Some(span) = queue.pop_front() {
        let html = span.html();
        let len = utf16_len(&html);
        if current_len + len <= limit {
            current.push_str(&html);
            current_len += len;
            continue;
        }
        let room = limit.saturating_sub(current_len + span.tag_len());
        if !current.trim().is_empty() && room < min_room {
            parts.push(std::mem::take(&mut current));
            current_len = 0;
            queue.push_front(trim_start_span(span));
            continue;
        }
        match split_text(span.text(), room) {
            Some((head, tail)) => {
                current.push_str(&span.with_text(head).html());
                parts.push(std::mem::take(&mut current));
                current_len = 0;
                if !tail.is_empty() {
                    queue.push_front(span.with_text(tail));
                }
            }
            None if !current.is_empty() => {
                parts.push(std::mem::take(&mut current));
                current_len = 0;
                queue.push_front(trim_start_span(span));
            }
            // Not even one character fits beside the tags: drop the tags.
            None => queue.push_front(Span::Text(span.text().to_string())),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn trim_start_span(span: Span) -> Span {
    let trimmed = span.text().trim_start().to_string();
    span.with_text(trimmed)
}

/// Split `text` so that the escaped head fits in `room` UTF-16 units: at the last sentence end
/// in the second half of what fits, else at the last space, else at a character boundary.
/// The split is made in the raw text, so an entity like `&amp;` is never cut. `None` when not
/// even one character fits.
fn split_text(text: &str, room: usize) -> Option<(String, String)> {
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let w = match c {
            '&' => 5,
            '<' | '>' => 4,
            c => c.len_utf16(),
        };
        if used + w > room {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    if end == 0 {
        return None;
    }
    if end == text.len() {
        return Some((text.to_string(), String::new()));
    }
    let fits = &text[..end];
    let mut last_sentence = None;
    let mut last_space = None;
    let mut prev: Vec<char> = Vec::with_capacity(2);
    for (i, c) in fits.char_indices() {
        if c.is_whitespace() && i > 0 {
            last_space = Some(i);
            // A sentence ends with . ! ? … possibly followed by closing quotes or brackets.
            let ends_sentence =
                prev.iter().rev().find(|p| !matches!(p, '"' | '\'' | '”' | '’' | '»' | ')' | ']')).is_some_and(|p| matches!(p, '.' | '!' | '?' | '…'));
            if ends_sentence {
                last_sentence = Some(i);
            }
        }
        if prev.len() == 2 {
            prev.remove(0);
        }
        prev.push(c);
    }
    // The boundary right after what fits counts too: "...end. Next".
    if text[end..].starts_with(char::is_whitespace) {
        last_space = Some(end);
        let tail_char = fits.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']).chars().last();
        if matches!(tail_char, Some('.' | '!' | '?' | '…')) {
            last_sentence = Some(end);
        }
    }
    let cut = match (last_sentence, last_space) {
        (Some(s), _) if s >= end / 2 => s,
        (_, Some(w)) if w > 0 => w,
        _ => end,
    };
    let head = text[..cut].trim_end().to_string();
    let tail = text[cut..].trim_start().to_string();
    if head.is_empty() {
        return Some((text[..end].to_string(), text[end..].to_string()));
    }
    Some((head, tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Telegram's HTML subset, strictly: allowed tags only, balanced, `href` the only
    /// attribute, entities only the named four or numeric, no raw `<`/`>` in text.
    pub(crate) fn check_html(html: &str) -> Result<(), String> {
        const ALLOWED: &[&str] = &["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler"];
        let mut stack: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            match c {
                '<' => {
                    let end = rest.find('>').ok_or("unclosed tag")?;
                    let tag = &rest[1..end];
                    if tag.contains('<') {
                        return Err(format!("'<' inside tag {tag:?}"));
                    }
                    if let Some(name) = tag.strip_prefix('/') {
                        let open = stack.pop().ok_or(format!("stray </{name}>"))?;
                        if open != name {
                            return Err(format!("</{name}> closes <{open}>"));
                        }
                    } else {
                        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
                        if !ALLOWED.contains(&name) {
                            return Err(format!("tag <{name}> not allowed"));
                        }
                        if name == "a" {
                            let value = attrs.strip_prefix("href=\"").and_then(|v| v.strip_suffix('"')).ok_or(format!("bad <a> attributes {attrs:?}"))?;
                            if value.contains('"') {
                                return Err("quote in href".into());
                            }
                            check_entities(value)?;
                        } else if !attrs.is_empty() {
                            return Err(format!("attributes on <{name}>"));
                        }
                        stack.push(name.to_string());
                    }
                    rest = &rest[end + 1..];
                }
                '>' => return Err("raw '>' in text".into()),
                _ => {
                    let end = rest.find(['<', '>']).unwrap_or(rest.len());
                    check_entities(&rest[..end])?;
                    rest = &rest[end..];
                }
            }
        }
        if let Some(open) = stack.pop() {
            return Err(format!("<{open}> never closed"));
        }
        Ok(())
    }

    fn check_entities(text: &str) -> Result<(), String> {
        let mut rest = text;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let end = after.find(';').ok_or(format!("unterminated entity at {:?}", &rest[i..]))?;
            let name = &after[..end];
            let ok = matches!(name, "lt" | "gt" | "amp" | "quot")
                || name.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                || name.strip_prefix("#x").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_hexdigit()));
            if !ok {
                return Err(format!("bad entity &{name};"));
            }
            rest = &after[end + 1..];
        }
        Ok(())
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn source(title: &str, url: Option<&str>) -> SourceRef {
        SourceRef::article("doc", title, Some(date("2025-04-28")), url.map(String::from))
    }

    fn bullet(text: &str) -> AnswerItem {
        AnswerItem { sources: vec![source("A & B <news>", Some("https://example.com/a?x=1&y=\"2\""))], ..AnswerItem::new(text, ItemKind::Bullet) }
    }

    #[test]
    fn a_disagreement_shows_each_version_with_its_sources() {
        use crate::core::answer::Claim;
        let mut item = AnswerItem::new("Sources differ on the direction", ItemKind::Disagreement);
        item.claims = Some(vec![
            Claim { text: "Gas goes via Arle to Brin.".into(), sources: vec![source("A <1>", Some("https://example.com/a"))] },
            Claim { text: "Gas goes through Brin to Arle.".into(), sources: vec![source("B", None)] },
        ]);
        let mut answer = Answer::new("differ", "gas");
        answer.items.push(item);
        let html = render(&answer);
        assert!(html.contains("<b>Sources differ on the direction:</b>"), "{html}");
        assert!(html.contains("Version 1: <i>Gas goes via Arle to Brin.</i>\n    [<a href=\"https://example.com/a\">A &lt;1&gt;</a> (2025-04-28)]"), "{html}");
        assert!(html.contains("Version 2: <i>Gas goes through Brin to Arle.</i>\n    [B (2025-04-28)]"), "{html}");
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(escape("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(escape("say \"hi\""), "say \"hi\"");
        assert_eq!(escape_attr("https://x/?a=1&b=\"2\""), "https://x/?a=1&amp;b=&quot;2&quot;");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn renders_heading_items_speakers_and_sources() {
        let mut answer = Answer::new("quote", "pezeshkian <&>");
        answer.as_of = Some(date("2025-05-01"));
        answer.notice = Some("Only 1 < 2 quotes & that's all".into());
        answer.items.push(AnswerItem {
            speaker: Some("Masoud <Pezeshkian>".into()),
            sources: vec![source("Iran’s President & Co", Some("https://example.com/a?x=1&y=2")), source("No link <here>", None)],
            ..AnswerItem::new("“Our relationship with Azerbaijan is rooted in history & culture.”", ItemKind::Direct)
        });
        let html = render(&answer);
        check_html(&html).unwrap();
        assert!(html.starts_with("<b>Quotes: pezeshkian &lt;&amp;&gt;</b>\n<i>as of 2025-05-01</i>\nOnly 1 &lt; 2 quotes &amp; that's all\n\n"), "{html}");
        assert!(html.contains("• “Our relationship with Azerbaijan is rooted in history &amp; culture.” — <b>Masoud &lt;Pezeshkian&gt;</b>"), "{html}");
        assert!(html.contains("<a href=\"https://example.com/a?x=1&amp;y=2\">Iran’s President &amp; Co</a> (2025-04-28)"), "{html}");
        assert!(html.contains("; No link &lt;here&gt; (2025-04-28)]"), "{html}");
    }

    #[test]
    fn unsafe_urls_are_not_links() {
        let mut answer = Answer::new("brief", "x");
        answer.items.push(AnswerItem { sources: vec![source("T", Some("javascript:alert(1)"))], ..AnswerItem::new("t", ItemKind::Bullet) });
        let html = render(&answer);
        assert!(!html.contains("<a"), "{html}");
        check_html(&html).unwrap();
    }

    #[test]
    fn background_sections_and_help_lines() {
        let mut answer = Answer::new("background", "nakhchivan");
        answer.items.push(AnswerItem::new("An exclave", ItemKind::About));
        answer.items.push(AnswerItem { date: Some(date("1988-01-01")), ..AnswerItem::new("Railway severed", ItemKind::Event) });
        answer.items.push(AnswerItem { date: Some(date("1993-01-01")), ..AnswerItem::new("Visit", ItemKind::Event) });
        answer.items.push(AnswerItem::new("Zangezur", ItemKind::Related));
        let html = render(&answer);
        check_html(&html).unwrap();
        assert_eq!(html.matches("<b>Timeline:</b>").count(), 1, "{html}");
        assert!(html.contains("<b>What the corpus says it is:</b>\n• An exclave"), "{html}");
        assert!(html.contains("• 1988-01-01: Railway severed"), "{html}");
        assert!(html.contains("<b>Related names:</b>"), "{html}");

        let usage = crate::dispatch::usage_answer("brief", "Usage: /brief <topic>", chrono::DateTime::UNIX_EPOCH);
        let html = render(&usage);
        check_html(&html).unwrap();
        assert!(html.contains("/brief &lt;topic&gt; - "), "{html}");
    }

    #[test]
    fn sources_are_listed_once_linked_and_dated() {
        let mut answer = Answer::new("sources", "");
        let s = source("Iran & Azerbaijan", Some("https://example.com/x"));
        answer.items.push(AnswerItem { sources: vec![s.clone()], ..AnswerItem::new(s.title.clone(), ItemKind::Source) });
        let html = render(&answer);
        check_html(&html).unwrap();
        assert!(html.ends_with("\n\n• <a href=\"https://example.com/x\">Iran &amp; Azerbaijan</a> (2025-04-28)"), "{html}");
    }

    #[test]
    fn citations_name_outlet_and_byline_when_known() {
        let mut answer = Answer::new("brief", "ferry");
        let mut item = AnswerItem::new("The ferry stops.", ItemKind::Bullet);
        item.sources = vec![source("Ferry <news>", None).by(Some("Harbour & Co"), Some("By Ana Lima")), source("Other", None)];
        answer.items.push(item);
        let html = render(&answer);
        check_html(&html).unwrap();
        assert!(html.contains("[Ferry &lt;news&gt; (Harbour &amp; Co, Ana Lima, 2025-04-28); Other (2025-04-28)]"), "{html}");
    }

    #[test]
    fn citations_link_their_source_page_when_served() {
        let mut answer = Answer::new("search", "ferry");
        let mut item = AnswerItem::new("The ferry stops.", ItemKind::Hit);
        item.sources = vec![source("Port <news>", Some("https://example.com/x?a=1&b=2")).at(4, 20), source("No link", None).at(0, 9)];
        answer.items.push(item);
        let before = render(&answer);
        assert!(before.contains("<a href=\"https://example.com/x?a=1&amp;b=2\">Port &lt;news&gt;</a>") && !before.contains("/doc/"), "{before}");
        crate::render::link_source_pages(&mut answer, "https://bot.example/");
        let html = render(&answer);
        check_html(&html).unwrap();
        assert!(
            html.contains("<a href=\"https://bot.example/doc/doc?hl=4-20#hl\">Port &lt;news&gt;</a> (2025-04-28) · <a href=\"https://example.com/x?a=1&amp;b=2\">original</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://bot.example/doc/doc?hl=0-9#hl\">No link</a> (2025-04-28)") && html.matches("original").count() == 1, "{html}");
    }

    #[test]
    fn short_answers_are_one_part() {
        let mut answer = Answer::new("brief", "zangezur");
        for i in 0..5 {
            answer.items.push(bullet(&format!("Bullet {i} with <tags> & ampersands")));
        }
        let parts = render_parts(&answer);
        assert_eq!(parts.len(), 1);
        check_html(&parts[0]).unwrap();
        assert_eq!(parts[0], render(&answer));
    }

    #[test]
    fn long_answers_split_at_bullets() {
        let mut answer = Answer::new("brief", "zangezur");
        for i in 0..120 {
            answer.items.push(bullet(&format!("Bullet number {i}: Azerbaijan & Iran <agree> on “the corridor”. Émigrés 🚆 travel.")));
        }
        let parts = render_parts(&answer);
        assert!(parts.len() > 2, "{}", parts.len());
        let mut seen = 0;
        for part in &parts {
            assert!(utf16_len(part) <= MAX_MESSAGE_LEN);
            check_html(part).unwrap_or_else(|e| panic!("{e}: {part}"));
            // Whole bullets only: each part starts with the heading or a bullet.
            assert!(part.starts_with("<b>Brief") || part.starts_with("• Bullet number"), "{part}");
            for i in 0..120 {
                if part.contains(&format!("Bullet number {i}:")) {
                    assert_eq!(i, seen, "bullets in order");
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 120);
    }

    #[test]
    fn an_oversized_bullet_is_split_at_sentences_with_tags_reopened() {
        let sentence = "The corridor & the railway <to Nakhchivan> were severed in 1988. ";
        let mut answer = Answer::new("quote", "x");
        answer.items.push(AnswerItem {
            speaker: Some("Someone Important".into()),
            sources: vec![source("T", Some("https://example.com/t"))],
            ..AnswerItem::new(sentence.repeat(200).trim(), ItemKind::Indirect)
        });
        let parts = render_parts(&answer);
        assert!(parts.len() >= 3, "{}", parts.len());
        for (i, part) in parts.iter().enumerate() {
            assert!(utf16_len(part) <= MAX_MESSAGE_LEN, "part {i} is {}", utf16_len(part));
            check_html(part).unwrap_or_else(|e| panic!("{e}: {part}"));
            if i + 1 < parts.len() {
                assert!(part.ends_with("1988."), "split at a sentence end: {:?}", &part[part.len() - 40..]);
            }
        }
        let joined = parts.join(" ");
        assert_eq!(joined.matches("severed in 1988.").count(), 200);
        assert!(parts.last().unwrap().contains("<b>Someone Important</b>"));
    }

    #[test]
    fn a_bullet_without_spaces_is_cut_between_characters_never_inside_entities() {
        let mut answer = Answer::new("search", "x");
        answer.items.push(AnswerItem::new("&<>é🚆".repeat(3000), ItemKind::Hit));
        let parts = render_parts_with_limit(&answer, 500);
        assert!(parts.len() > 10);
        for part in &parts {
            assert!(utf16_len(part) <= 500);
            check_html(part).unwrap_or_else(|e| panic!("{e}: {part}"));
        }
    }

    #[test]
    fn split_bold_and_link_spans_close_and_reopen() {
        let mut answer = Answer::new("quote", "x");
        answer.items.push(AnswerItem {
            speaker: Some("Very Long Speaker Name ".repeat(60)),
            sources: vec![source(&"Long title words ".repeat(60), Some("https://example.com/t?a=1&b=2"))],
            ..AnswerItem::new("Short.", ItemKind::Direct)
        });
        let parts = render_parts_with_limit(&answer, 400);
        assert!(parts.len() > 4);
        for part in &parts {
            assert!(utf16_len(part) <= 400);
            check_html(part).unwrap_or_else(|e| panic!("{e}: {part}"));
        }
        assert!(parts.iter().filter(|p| p.starts_with("<b>Name Very Long")).count() >= 2, "{parts:#?}");
        assert!(parts.iter().filter(|p| p.contains("<a href=\"https://example.com/t?a=1&amp;b=2\">")).count() >= 2);
    }

    #[test]
    fn utf16_counts_astral_characters_twice() {
        assert_eq!(utf16_len("é"), 1);
        assert_eq!(utf16_len("🚆"), 2);
    }

    #[test]
    fn redaction_removes_the_token_in_all_forms() {
        let token = "123456789:AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao";
        let text = format!(
            "error sending request for url (https://api.telegram.org/bot{token}/SendMessage); encoded bot123456789%3AAAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao; secret AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao"
        );
        let red = redact(&text, token);
        assert!(!red.contains("AAF7-g0gYncWnm5IyfZlpPRqRRv6kNAGlao"), "{red}");
        assert!(red.contains("https://api.telegram.org/bot[REDACTED]/SendMessage"), "{red}");
        assert_eq!(redact("nothing here", token), "nothing here");
        assert_eq!(redact("x", ""), "x");
    }
}
