//! Quotation spans: quotation marks paired into segments, and segments split by a short
//! attribution joined into one group.
//!
//! Invariant: a segment includes its marks; groups are in text order and do not overlap.

use super::*;

/// Quoted text: one or more segments, each including its quotation marks.
#[derive(Debug, Clone)]
pub(super) struct QuoteGroup {
    pub(super) segments: Vec<Range<usize>>,
    /// Text between split parts (the attribution), if the quote was split around it.
    pub(super) interrupt: Option<Range<usize>>,
}

impl QuoteGroup {
    pub(super) fn start(&self) -> usize {
        self.segments[0].start
    }
    pub(super) fn end(&self) -> usize {
        self.segments.last().expect("non-empty").end
    }
}

pub(super) fn is_open_double(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}
pub(super) fn is_close_double(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Find quotation-mark spans. A paragraph that ends inside a quote continues it when the
/// next paragraph reopens with a quote mark; otherwise the quote ends with the paragraph.
pub(super) fn quote_mark_spans(body: &str, skip_before: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    // Walk the characters by byte offset, keeping the previous one.
    let mut i = skip_before;
    let mut prev: Option<char> = None;
    // Inside a curly quotation nested in a straight one.
    let mut inner = false;
    while let Some(c) = body[i..].chars().next() {
        let next = body[i + c.len_utf8()..].chars().next();
        let word_before = prev.is_some_and(|p| p.is_alphanumeric());
        let word_after = next.is_some_and(|n| n.is_alphanumeric());
        match open {
            None => {
                let opens = is_open_double(c)
                    || (c == '"' && !word_before)
                    || (c == '‘' && !word_before)
                    || (c == '\'' && !word_before && word_after && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '—' | '-')));
                if opens {
                    open = Some((i, c));
                }
            }
            Some((start, mark)) => {
                let closes = match mark {
                    // (`“It's unusual,“ said X`: an opening mark typed for the closing one,
                    // after the quotation's last stop and before a space.)
                    '“' | '„' | '«' => {
                        is_close_double(c)
                            || c == '"'
                            || (c == '“' && prev.is_some_and(|p| matches!(p, ',' | '.' | '?' | '!')) && next.is_none_or(char::is_whitespace))
                    }
                    // (`"It is not about “Equal Justice” any more.`: curly marks inside
                    // straight ones quote a term within the quotation; a curly quotation
                    // ending in a stop, `"Trump walked on, chanting “U-S-A!”`, is speech
                    // of its own inside a quoted excerpt.)
                    '"' if c == '“' && quoted_term_ahead(&body[i + c.len_utf8()..]) => {
                        inner = true;
                        false
                    }
                    '"' if inner && c == '”' => {
                        inner = false;
                        false
                    }
                    '"' => c == '"' || is_close_double(c),
                    '‘' | '\'' => (c == '’' || c == '\'') && !word_after,
                    _ => false,
                };
                if c == '\n' {
                    // Paragraph end inside a quote: continue only if the next paragraph reopens.
                    let after = i + 1;
                    let reopen = body[after..].char_indices().find(|(_, d)| !d.is_whitespace()).map(|(j, d)| (after + j, d));
                    if let Some((j, d)) = reopen
                        && (d == mark || (mark == '“' && d == '"') || (mark == '"' && d == '“'))
                    {
                        i = j + d.len_utf8();
                        prev = Some(d);
                        continue;
                    }
                    // Single quotes never span paragraphs (apostrophes would run away).
                    if !matches!(mark, '‘' | '\'') && i > start + 1 {
                        out.push(start..i);
                    }
                    open = None;
                    inner = false;
                } else if closes {
                    let end = i + c.len_utf8();
                    out.push(start..end);
                    open = None;
                    inner = false;
                }
            }
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    if let Some((start, mark)) = open
        && !matches!(mark, '‘' | '\'')
    {
        out.push(start..body.len());
    }
    // Straight single quotes must hold more than a word, or they are apostrophes; a curly
    // opening ‘ is unambiguous (`described it as ‘shambolic’`).
    out.retain(|r| {
        let s = &body[r.clone()];
        !(s.starts_with('\'') && word_iter(s).take(2).count() < 2)
    });
    out
}

/// Does a curly quotation of a term (no stop before its closing mark) start here, closing
/// before the paragraph ends?
fn quoted_term_ahead(rest: &str) -> bool {
    let para = rest.split('\n').next().unwrap_or_default();
    para.find('”').is_some_and(|close| {
        let inner = &para[..close];
        !inner.contains('“') && !inner.trim_end().ends_with([',', '.', '?', '!', '…']) && word_iter(inner).take(9).count() <= 8
    })
}

/// `“We will go,” she said, “but not yet.”`: join the parts when the text between them is
/// a short attribution.
pub(super) fn group_split_quotes(body: &str, spans: &[Range<usize>]) -> Vec<QuoteGroup> {
    let mut groups: Vec<QuoteGroup> = Vec::new();
    for s in spans {
        if let Some(last) = groups.last_mut() {
            let between = &body[last.end()..s.start];
            let first_inner = body[last.segments.last().expect("non-empty").clone()].trim_end_matches(['”', '"', '’', '\'', '»']);
            let ends_open = first_inner.ends_with([',', '—', '-', '…']) || first_inner.ends_with("...");
            // A short attribution: one to nine words, one of them a speech verb.
            // `“...,” he said, adding the cuts “worry me”` is no split quote: a second report
            // starts a quote of its own, and the attribution stays outside both.
            let short_with_cue = || {
                let (mut n, mut cues) = (0, 0);
                for w in word_iter(between).take(10) {
                    n += 1;
                    cues += usize::from(gazetteer::is_speech_verb(&lower(&w)));
                }
                (1..=9).contains(&n) && cues == 1 && !between.contains('\n') && !between.contains(['.', '?', '!'])
            };
            if ends_open && last.interrupt.is_none() && short_with_cue() {
                last.interrupt = Some(last.end()..s.start);
                last.segments.push(s.clone());
                continue;
            }
        }
        groups.push(QuoteGroup { segments: vec![s.clone()], interrupt: None });
    }
    groups
}
