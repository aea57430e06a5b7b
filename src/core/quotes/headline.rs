//! Stage 7: reports in the headline. The body's stages skip the headline (its title case
//! makes names of every word), so it is read here on its own, narrowly: `Flynn says Trump
//! 'absolutely right' ...`, `Hillary Clinton Calls ISIS Violence Against Yazidis
//! 'Genocide.'`, `Clinton Says Russians Hacked DNC, Calls Trump's Putin Remarks
//! 'Troubling.'`, `Cecile Richards: 'I'm Sick Of ...'`.
//!
//! Invariant: a headline report needs a subject that names, in full or by its last words, a
//! person or organisation the body names (the body's entities decide who it is: a title-case
//! word never makes a speaker), then a reporting verb in the present tense, then at least two
//! words of content. Anything else in a headline gives no quote.

use super::super::lang::lexicon::CONJUNCTIONS;
use super::vocab::{HEADLINE_ONLY_VERBS, NOUN_LIKE_VERBS};
use super::*;

/// The reports of the headline `body[..end]`, in order.
pub(super) fn quotes(body: &str, end: usize, ents: &DocEntities) -> Vec<(Range<usize>, RawQuote)> {
    let mut out = Vec::new();
    let Some(head) = body.get(..end) else { return out };
    // Segments: sentences and parts set off by a semicolon or a dash.
    let mut from = 0;
    let cuts = head.match_indices([';', '|', '—', '–']).map(|(i, s)| (i, s.len())).chain(head.match_indices(". ").map(|(i, _)| (i, 1)));
    let mut cuts: Vec<(usize, usize)> = cuts.collect();
    cuts.sort_unstable();
    cuts.push((head.len(), 0));
    for (at, len) in cuts {
        if at < from {
            continue;
        }
        segment(head, from..at, ents, &mut out);
        from = at + len;
    }
    out
}

/// The reports of one segment `head[range]`.
fn segment(head: &str, range: Range<usize>, ents: &DocEntities, out: &mut Vec<(Range<usize>, RawQuote)>) {
    let mut start = range.start;
    let mut seg = &head[range];
    // "The Latest: ...", "EXCLUSIVE: ...": a short label; "Cecile Richards: '...'": a speaker.
    if let Some(colon) = seg.find(':')
        && word_iter(&seg[..colon]).count() <= 4
    {
        let label = seg[..colon].trim();
        let rest = &seg[colon + 1..];
        let opens_quote = rest.trim_start().starts_with(['“', '"', '‘', '\'']);
        if opens_quote && let Some(speaker) = named(ents, label) {
            let lead = rest.len() - rest.trim_start().len();
            let q = start + colon + 1 + lead..start + colon + 1 + rest.trim_end().len();
            if word_iter(&head[q.clone()]).nth(1).is_some() {
                out.push((q, RawQuote { speaker: Some(speaker), mention: Some(label.to_string()), cue: None, kind: QuoteKind::Direct }));
            }
            return;
        }
        start += colon + 1;
        seg = rest;
    }
    let ws: Vec<Word> = word_iter(seg).collect();
    let Some(k) = (1..ws.len()).find(|&k| headline_verb(&ws[k])) else { return };
    // The subject: the capitalised words right before the verb, the longest run that names
    // someone the body names ("Former Mexico leader Calderon calls ..." is Calderon).
    let mut j = k;
    while j > 0 && k - j < 4 && ws[j - 1].is_capitalised() && seg[ws[j - 1].end..ws[j].start] == *" " {
        j -= 1;
    }
    let Some((j, mention, speaker)) = (j..k).find_map(|i| {
        let mention = &seg[ws[i].start..ws[k - 1].end];
        named(ents, mention).map(|s| (i, mention, s))
    }) else {
        return;
    };
    // "If Obama Says It, ...", "As Trump demands wall, ...": a condition reports nothing;
    // "Campaign for Trump says": the name is not the subject.
    if let Some(w) = j.checked_sub(1).map(|i| lower(&ws[i]))
        && ((PREPOSITIONS.contains(w.as_str()) && !matches!(w.as_str(), "after" | "before"))
            || (CONJUNCTIONS.contains(w.as_str()) && !matches!(w.as_str(), "and" | "but" | "or" | "nor" | "so" | "yet")))
    {
        return;
    }
    // "Guns Are 'The Ultimate Public Health Crisis,' Howard Dean Tells Democratic
    // Convention": after the content, a comma, the subject and the verb with a listener.
    let before = seg[..ws[j].start].trim_end();
    if ws.len() - k <= 3
        && let Some(content) = before.strip_suffix(',')
    {
        let lead = content.len() - content.trim_start().len();
        let text = content.trim();
        if word_iter(text).nth(2).is_some() {
            out.push(report(start + lead, text, speaker, mention, &ws[k]));
        }
        return;
    }
    // What follows the verb, to the segment's end; a second verb after a comma reports for
    // the same subject ("Says ..., Calls ...").
    let mut verb = k;
    loop {
        let mut c = verb + 1;
        if c < ws.len() && lower(&ws[verb]).starts_with("call") && matches!(lower(&ws[c]).as_str(), "for" | "on") {
            c += 1;
        }
        let Some(first) = ws.get(c) else { return };
        let next = (c + 1..ws.len()).find(|&n| seg[ws[n - 1].end..ws[n].start].trim() == "," && headline_verb(&ws[n]));
        let stop = next.map_or(seg.len(), |n| ws[n - 1].end);
        let text = seg[first.start..stop].trim_end().trim_end_matches([',', '.', ' ']);
        // ("Trump rips Joe Scarborough": a name alone is whom, not what.)
        if word_iter(text).nth(2).is_some() {
            out.push(report(start + first.start, text, speaker.clone(), mention, &ws[verb]));
        }
        match next {
            Some(n) => verb = n,
            None => return,
        }
    }
}

/// A report of `text` starting at byte `at`: mixed speech when it holds a quotation.
fn report(at: usize, text: &str, speaker: String, mention: &str, verb: &Word) -> (Range<usize>, RawQuote) {
    let quoted = text.contains(['“', '"', '‘']) || text.starts_with('\'') || text.contains(" '");
    let kind = if quoted { QuoteKind::Mixed } else { QuoteKind::Indirect };
    (at..at + text.len(), RawQuote { speaker: Some(speaker), mention: Some(mention.to_string()), cue: Some(lower(verb).to_string()), kind })
}

/// The full name of the person or organisation the body names with `mention`.
fn named(ents: &DocEntities, mention: &str) -> Option<String> {
    if let Some(p) = ents.person_named(mention) {
        return Some(ents.persons[p].name.clone());
    }
    ents.orgs.iter().find(|o| o.name.eq_ignore_ascii_case(mention)).map(|o| o.name.clone())
}

/// A reporting verb in a headline's present tense: "says", "Calls", "Slams"; not the speech
/// verbs that a headline uses as nouns after a name ("Trump Comments Spark ...").
fn headline_verb(w: &Word) -> bool {
    let l = lower(w);
    let l = l.as_str();
    let noun_like = NOUN_LIKE_VERBS.contains(l) && !matches!(l, "claims" | "promises" | "vows");
    (l.ends_with('s') && !l.ends_with("ss") && !noun_like && gazetteer::is_speech_verb(l)) || HEADLINE_ONLY_VERBS.contains(l)
}
