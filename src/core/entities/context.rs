//! What the words around a name say about it: a role in apposition before or after it, an
//! organisation noun ("the consumer group X", "X, the regulator"), an age ("Allen, 21,"),
//! a speech verb after it.
//!
//! Invariant: each function reads only the text right before or right after one name and
//! returns what it found, never a decision about the name's kind.

use super::*;

/// Does a speech verb come right after a name ("Rosa said", "Ruby, said")? A verb after
/// another subject ("Pressed by MPs, he conceded") says nothing about the name.
pub(super) fn speech_verb_follows(after: &str) -> bool {
    if after.trim_start().starts_with(['.', ';']) {
        return false;
    }
    let mut ws = word_iter(after);
    let Some(w0) = ws.next() else { return false };
    let gap = &after[..w0.start];
    let l0 = Lower::new(w0.text);
    if gap.trim().is_empty() {
        if gazetteer::is_speech_verb(&l0) {
            return true;
        }
        let adverb = matches!(l0.as_str(), "also" | "later" | "then" | "has" | "had" | "again" | "previously" | "earlier" | "once");
        return adverb && ws.next().is_some_and(|w| gazetteer::is_speech_verb(&Lower::new(w.text)) && after[w0.end..w.start].trim().is_empty());
    }
    gap.trim() == "," && gazetteer::is_speech_verb(&l0)
}

/// A role written in apposition before a name: "The finance minister, Tomasz Wierzbicki",
/// "Her son, Marco Ferrante". Returns the role phrase.
pub(super) fn role_before(sentence: &str, name_start: usize) -> Option<String> {
    let before = sentence[..name_start].trim_end();
    let before = before.strip_suffix(',')?;
    let chunk_start = before.rfind([',', ';', ':', '—', '(']).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let chunk = before[chunk_start..].trim();
    let ws = words(chunk);
    if ws.is_empty() || ws.len() > 8 || ws.iter().any(|w| verbish(Lower::new(w.text).as_str())) {
        return None;
    }
    // A noun phrase, not a clause: it opens with a determiner, a possessor or the role
    // itself, and has no verb ("Finch learned the craft from his uncle, Walter" is a clause).
    let first = Lower::new(ws[0].text);
    let opens = matches!(first.as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "my" | "another" | "one")
        || strip_possessive(ws[0].text) != ws[0].text
        || (ws[0].is_capitalised() && gazetteer::is_role_noun(&first));
    if !opens || ws[1..].iter().any(|w| w.text.len() > 4 && w.text.ends_with("ed")) {
        return None;
    }
    // "The court heard from a forensic engineer, Dr Kamal Iqbal": the role is the noun
    // phrase after the clause's last preposition.
    // ("Counsel to the inquiry" keeps its head.)
    let (ws, chunk) = match ws.iter().rposition(|w| matches!(w.text, "from" | "by" | "with" | "to")) {
        Some(p) if p >= 1 && !gazetteer::is_role_noun(&Lower::new(ws[p - 1].text)) && ws.get(p + 1).is_some_and(|d| matches!(d.text, "a" | "an" | "the")) => {
            (ws[p + 1..].to_vec(), &chunk[ws[p + 1].start..])
        }
        _ => (ws, chunk),
    };
    // The role noun heads the phrase: "Counsel to the inquiry", "The company's chief executive".
    let head_at = ws.iter().position(|w| matches!(w.text, "to" | "for" | "of" | "at" | "from" | "in")).unwrap_or(ws.len());
    let head = ws[..head_at].last()?;
    gazetteer::is_role_noun(&Lower::new(strip_possessive(head.text))).then(|| chunk.to_string())
}

/// "The state news agency, Kavir": an organisation noun in apposition before a name.
pub(super) fn org_noun_before(sentence: &str, name_start: usize) -> Option<String> {
    let before = sentence[..name_start].trim_end().strip_suffix(',')?;
    let last = word_iter(before).last()?;
    if !before[last.end..].trim().is_empty() {
        return None;
    }
    let lower = Lower::new(last.text);
    ORG_NOUNS.contains(lower.as_str()).then(|| lower.to_string())
}

/// ", 21," after a name: an age, so a person.
pub(super) fn age_follows(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(", ") else { return false };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].starts_with([',', ')'])
}

/// "the Save Ashby Fields group": an organisation noun right after a name.
pub(super) fn org_noun_after(after: &str) -> Option<String> {
    let first = word_iter(after).next()?;
    if !after[..first.start].trim().is_empty() {
        return None;
    }
    let lower = Lower::new(first.text);
    (first.text.starts_with(char::is_lowercase) && ORG_NOUNS.contains(lower.as_str()) && lower != "side").then(|| lower.to_string())
}

/// "FNV, the largest Dutch union, ...": an organisation noun in apposition after a name.
pub(super) fn appositive_org_noun(after: &str) -> Option<String> {
    let rest = after.strip_prefix(", ")?;
    let end = rest.find([',', '.', ';', '(', ')', '—', '“', '"']).unwrap_or(rest.len());
    let mut ws = word_iter(&rest[..end]);
    let first = ws.next()?;
    if !matches!(Lower::new(first.text).as_str(), "the" | "a" | "an") {
        return None;
    }
    // The head: the last word before "of", "which", ... (the first word is an article).
    let (mut count, mut head, mut stopped) = (1, first, false);
    for w in ws {
        count += 1;
        if count > 8 {
            return None;
        }
        if !stopped {
            if matches!(w.text, "of" | "for" | "in" | "at" | "which" | "that" | "who") {
                stopped = true;
            } else {
                head = w;
            }
        }
    }
    let head = Lower::new(head.text);
    ORG_NOUNS.contains(head.as_str()).then(|| head.to_string())
}

/// ", the Iranian president’s political advisor," after a name: a role in apposition.
pub(super) fn appositive(after: &str) -> Option<String> {
    let rest = after.strip_prefix(", ")?;
    let end = rest.find([',', '.', ';', '(', ')', '—', '“', '"']).unwrap_or(rest.len());
    let phrase = rest[..end].trim();
    let (mut count, mut first, mut has_title, mut clause) = (0, None, false, false);
    for w in word_iter(phrase) {
        count += 1;
        if count > 12 {
            return None;
        }
        first = first.or(Some(w));
        has_title = has_title || gazetteer::is_role_noun(&Lower::new(strip_possessive(w.text)));
        // Lowercase verbs would mean a clause, not an apposition.
        clause = clause || verbish(w.text);
    }
    let first_word = first?;
    let first = Lower::new(first_word.text);
    let starts_ok =
        matches!(first.as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their") || gazetteer::is_title_word(&first) || first_word.is_capitalised();
    (starts_ok && has_title && !clause).then(|| phrase.to_string())
}
