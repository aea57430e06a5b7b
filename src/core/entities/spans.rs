//! Capitalised runs: where a candidate name may start and end in a sentence, before any
//! decision about what it is. Lines of page furniture give no runs, a party-state tag
//! ("D-Mich.") never starts one, a date never ends one ("in Baku April 5"), and a title's
//! "and" joins its words ("The Globe and Mail").
//!
//! Invariant: a run is decided from the sentence's words and the characters between them;
//! every slice at a computed offset is checked.

use super::*;

pub(super) struct RawSpan {
    pub(super) start_word: usize,
    pub(super) end_word: usize, // exclusive
    pub(super) sentence_initial: bool,
}

/// Is the sentence at byte `at` on a line of page furniture (a caption, a credit, a byline,
/// a cross-link)? The same recognition the index uses for its prose field
/// ([`furniture::is_furniture_line`]); `cache` keeps the last line's verdict, since the
/// sentences of a line come one after another.
pub(super) fn on_furniture_line(body: &str, at: usize, cache: &mut Option<(Range<usize>, bool)>) -> bool {
    if let Some((line, verdict)) = cache.as_ref()
        && line.contains(&at)
    {
        return *verdict;
    }
    let start = body.get(..at).and_then(|b| b.rfind('\n')).map_or(0, |p| p + 1);
    let end = body.get(at..).and_then(|b| b.find('\n')).map_or(body.len(), |p| at + p);
    let verdict = body.get(start..end).is_some_and(furniture::is_furniture_line);
    *cache = Some((start..end + 1, verdict));
    verdict
}

/// Is word `i`, the last of a capitalised run, a date rather than part of a name: a weekday,
/// a month before a day or year ("April 5", "Sept. 12"), or a month other than "May" (a
/// surname) at the end of the run.
pub(super) fn date_after_name(sentence: &str, ws: &[Word], i: usize) -> bool {
    let Some(w) = ws.get(i) else { return false };
    if i == 0 {
        return false;
    }
    if lexicon::is_weekday(w.text) {
        return true;
    }
    let after = sentence.get(w.end..).unwrap_or("");
    let numeral_follows = after.trim_start_matches('.').trim_start().starts_with(|c: char| c.is_ascii_digit());
    if lexicon::is_month(w.text) {
        return numeral_follows || !w.text.eq_ignore_ascii_case("may");
    }
    lexicon::is_month_abbreviation(w.text) && after.starts_with('.') && numeral_follows
}

/// "Sofie Claes of Brabant Capital": split a two- or three-word personal name from the
/// organisation or place after "of". Names like "Bank of England" or "Ports of Sweden"
/// (an organisation word, or one word before "of") stay whole.
pub(super) fn split_name_of_org<'w, 'a>(name_words: &'w [Word<'a>]) -> (&'w [Word<'a>], Option<&'w [Word<'a>]>) {
    let Some(of) = name_words.iter().position(|w| w.text == "of") else { return (name_words, None) };
    if !(2..=3).contains(&of) || of + 1 >= name_words.len() {
        return (name_words, None);
    }
    let left = &name_words[..of];
    let personal = left.iter().all(|w| {
        w.is_capitalised()
            && !w.is_all_caps()
            && !has_word(w.text, ORG_WORDS)
            && !has_word(w.text, PLACE_WORDS)
            && !has_word(w.text, THING_WORDS)
            && !gazetteer::is_known_place(w.text)
            && !gazetteer::is_demonym(w.text)
    });
    if personal { (left, Some(&name_words[of + 1..])) } else { (name_words, None) }
}

pub(super) fn gap_is_space(text: &str, a: usize, b: usize) -> bool {
    a <= b && text[a..b].chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// "Fishermen's", "Workers'": a plural possessive, which can sit inside an organisation's
/// name ("Norwegian Fishermen's Association"), unlike "Iran's".
pub(super) fn is_plural_possessive(word: &str, gap: &str) -> bool {
    let lower = Lower::new(word);
    let s_apostrophe = lower.ends_with('s') && gap.strip_prefix(['\'', '’']).is_some_and(|g| g.trim().is_empty());
    let irregular = ["men's", "men’s", "children's", "children’s", "people's", "people’s"].iter().any(|e| lower.ends_with(e));
    s_apostrophe || irregular
}

/// Does a run of capitalised words starting at `from` end in an organisation word?
pub(super) fn org_head_follows(sentence: &str, ws: &[Word], from: usize) -> bool {
    let mut k = from;
    while k < ws.len() && k < from + 4 && ws[k].is_capitalised() {
        if has_word(ws[k].text, ORG_WORDS) && (k + 1 == ws.len() || !ws[k + 1].is_capitalised() || !gap_is_space(sentence, ws[k].end, ws[k + 1].start)) {
            return true;
        }
        if k + 1 < ws.len() && !gap_is_space(sentence, ws[k].end, ws[k + 1].start) {
            return has_word(ws[k].text, ORG_WORDS);
        }
        k += 1;
    }
    false
}

/// Small words inside organisation names: "Federal Office for the Environment", "Consumer
/// and Markets Authority". Returns how many words to take before the next capitalised one.
pub(super) fn org_connector(sentence: &str, ws: &[Word], start: usize, end: usize) -> Option<usize> {
    let w = ws[end].text;
    let plain = |a: usize| a + 1 < ws.len() && gap_is_space(sentence, ws[a].end, ws[a + 1].start);
    let run_ends_in_org = has_word(ws[end - 1].text, ORG_WORDS);
    match w {
        "for" | "of" if plain(end) && ws[end + 1].text == "the" && plain(end + 1) && ws[end + 2].is_capitalised() && run_ends_in_org => Some(2),
        // ("Commission on Presidential Debates", "Council on American-Islamic Relations".)
        // (Not a date: "the Security Council on Friday".)
        "for" | "on"
            if plain(end)
                && ws[end + 1].is_capitalised()
                && run_ends_in_org
                && !lexicon::is_weekday(ws[end + 1].text)
                && !lexicon::is_month(ws[end + 1].text) =>
        {
            Some(1)
        }
        // "Committee for a Responsible Federal Budget".
        "for" if plain(end) && matches!(ws[end + 1].text, "a" | "an") && plain(end + 1) && ws[end + 2].is_capitalised() && run_ends_in_org => Some(2),
        // "Democracy for America", "Veterans for Peace"-like bodies named for a country: one
        // word that is no given name, "for", a known place.
        "for"
            if plain(end)
                && end == start + 1
                && ws[end + 1].is_capitalised()
                && gazetteer::is_known_place(ws[end + 1].text)
                && !super::given_names::is_given_name(ws[start].text)
                && !gazetteer::is_known_place(ws[start].text)
                && !is_not_name(ws[start].text) =>
        {
            Some(1)
        }
        "and" if plain(end) && ws[end + 1].is_capitalised() => {
            // "The Globe and Mail": a capitalised "The" inside a sentence opens a title, and
            // its "and" joins one word to one word.
            if titled_run(sentence, ws, start) && end == start + 2 && !(end + 2 < ws.len() && plain(end + 1) && ws[end + 2].is_capitalised()) {
                return Some(1);
            }
            let run: Vec<&Word> = ws[start..end].iter().filter(|w| !is_not_name(w.text)).collect();
            let left_ok = (1..=2).contains(&run.len())
                && run.iter().all(|w| !has_word(w.text, ORG_WORDS) && !gazetteer::is_known_place(w.text) && !gazetteer::is_demonym(w.text));
            // "Department of Housing and Urban Development": a body "of" a field, and another
            // field that ends in an organisation word.
            let of_body = end - start <= 4 && ws[start..end].windows(2).any(|p| has_word(p[0].text, ORG_WORDS) && p[1].text == "of");
            ((left_ok || of_body) && org_head_follows(sentence, ws, end + 1)).then_some(1)
        }
        _ => None,
    }
}

/// A handle, a hashtag or a link's path: "@IAmTheJody", "#BernieOrBust", "t.co/PfASk".
pub(super) fn after_handle_mark(sentence: &str, at: usize) -> bool {
    sentence.get(..at).is_some_and(|b| b.ends_with(['@', '#', '/', '_']))
}

/// Byte ranges of the headlines a sentence quotes or runs into ("an email stating, “Senator
/// Wins Primary as He Thanks Voters”"): stretches of four words or more between quotation
/// marks or sentence bounds where every word but the small ones is capitalised and a small
/// word is too ("As", "For", "To"). Their capitalised words are headline style, not names.
pub(super) fn title_case_stretches(sentence: &str, ws: &[Word]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut seg_start = 0;
    let bounds: Vec<usize> = sentence.match_indices(['“', '”', '"']).map(|(i, _)| i).chain(std::iter::once(sentence.len())).collect();
    for b in bounds {
        let seg: Vec<&Word> = ws.iter().filter(|w| w.start >= seg_start && w.end <= b).collect();
        seg_start = b;
        if seg.len() < 4 {
            continue;
        }
        let lower = |w: &Word| Lower::new(w.text).to_string();
        let content_lowercase =
            seg.iter().any(|w| !w.is_capitalised() && w.text.chars().next().is_some_and(char::is_alphabetic) && !lexicon::is_function_word(&lower(w)));
        // A small word written with a capital after the segment's first word; "The" (outlets),
        // "I", "A" before a capital (grades), "May" and "Will" (names) say nothing.
        let small_capital = seg.iter().skip(1).any(|w| {
            let l = lower(w);
            w.is_capitalised() && !w.is_all_caps() && lexicon::is_function_word(&l) && !matches!(l.as_str(), "the" | "i" | "a" | "may" | "will")
        });
        if !content_lowercase
            && small_capital
            && let (Some(first), Some(last)) = (seg.first(), seg.last())
        {
            out.push(first.start..last.end);
        }
    }
    out
}

/// Does the run at word `start` open with a capitalised "The" inside a sentence ("said The
/// Globe and Mail")? Only a title is written so: an outlet, a work, an organisation.
pub(super) fn titled_run(sentence: &str, ws: &[Word], start: usize) -> bool {
    ws.get(start).is_some_and(|w| w.text == "The" && sentence.get(..w.start).is_some_and(|b| b.chars().any(char::is_alphanumeric)))
}

/// Maximal runs of capitalised words joined by single spaces (and name connectors).
pub(super) fn spans(sentence: &str, ws: &[Word]) -> Vec<RawSpan> {
    let mut out = Vec::new();
    let titles = title_case_stretches(sentence, ws);
    let mut i = 0;
    let starts_at_sentence = |w: &Word| sentence[..w.start].chars().all(|c| !c.is_alphanumeric());
    while i < ws.len() {
        if !ws[i].is_capitalised()
            || crate::core::lang::names::is_party_state_tag(ws[i].text, &sentence[..ws[i].start], &sentence[ws[i].end..])
            || after_handle_mark(sentence, ws[i].start)
            || in_ranges(&titles, ws[i].start)
        {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < ws.len() {
            let prev = &ws[end - 1];
            let gap = &sentence[prev.end..ws[end].start];
            let possessive = strip_possessive(prev.text) != prev.text;
            if (possessive || !gap_is_space(sentence, prev.end, ws[end].start)) && is_plural_possessive(prev.text, gap) {
                if ws[end].is_capitalised() && org_head_follows(sentence, ws, end) {
                    end += 1;
                    continue;
                }
                break;
            }
            // "Mr. Smith", "Dr. Ana Ruiz": an abbreviated title before the name; "Paul D. Ryan":
            // an initial inside it.
            let initial = end > start + 1 && prev.text.len() == 1 && prev.is_capitalised();
            // ("G.K. Butterfield", "J.M. Berger": initials written together open a name; a
            // dotted place or body, "U.S. Senate", does not.)
            let joined_initials = (3..=5).contains(&prev.text.len())
                && prev.text.split('.').all(|p| p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase()))
                && !gazetteer::is_known_place(prev.text)
                && !matches!(prev.text, "U.S" | "U.K" | "U.N" | "E.U" | "D.C" | "N.Y" | "L.A" | "N.J" | "N.C" | "S.C" | "N.H" | "P.M" | "A.M" | "U.S.A");
            if gap == ". " && ws[end].is_capitalised() && (initial || joined_initials || lexicon::TITLE_ABBREVIATIONS.contains(&Lower::new(prev.text).as_str()))
            {
                end += 1;
                continue;
            }
            if gap.trim() == "&" && ws[end].is_capitalised() {
                // "Procter & Gamble", "Marks & Spencer".
                end += 1;
                continue;
            }
            if !gap_is_space(sentence, prev.end, ws[end].start) || possessive {
                break;
            }
            if ws[end].is_capitalised() {
                end += 1;
            } else if CONNECTORS.contains(ws[end].text)
                && end + 1 < ws.len()
                && ws[end + 1].is_capitalised()
                && gap_is_space(sentence, ws[end].end, ws[end + 1].start)
            {
                end += 2;
            } else if let Some(n) = org_connector(sentence, ws, start, end) {
                end += n + 1;
            } else {
                break;
            }
        }
        // Shouted text is not a name: "BEGIN VIDEO CLIP", "BOCA RATON, Fla." (two or more words
        // in capitals, two of them of four letters or more; acronyms are shorter or alone).
        let shouted = ws[start..end].iter().filter(|w| w.is_all_caps()).count() >= 2
            && ws[start..end].iter().filter(|w| w.is_all_caps() && w.text.chars().filter(|c| c.is_alphabetic()).count() >= 4).count() >= 2;
        if !shouted {
            out.push(RawSpan { start_word: start, end_word: end, sentence_initial: starts_at_sentence(&ws[start]) });
        }
        i = end;
    }
    out
}
