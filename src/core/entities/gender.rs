//! A person's gender, read from how the text refers to them: honorifics and family words in
//! a role, and pronouns after a sentence that names them alone, outside quotation marks.
//!
//! Invariant: no vote, no gender; a tie leaves it unknown.

use super::given_names::given_name_gender;
use super::*;

/// Byte ranges inside double quotation marks (straight or curly), within a paragraph.
/// Pronouns there belong to the quoted speaker's world, not to the narration.
pub(super) fn quoted_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev = ' ';
    for (i, c) in body.char_indices() {
        match (open, c) {
            (None, '“') => open = Some(i),
            (None, '"') if !prev.is_alphanumeric() => open = Some(i),
            (Some(s), '”' | '"') => {
                out.push(s..i + c.len_utf8());
                open = None;
            }
            (Some(s), '\n') => {
                out.push(s..i);
                open = None;
            }
            _ => {}
        }
        prev = c;
    }
    if let Some(s) = open {
        out.push(s..body.len());
    }
    out
}

/// "her office" (possessive) rather than "told her that" (object, often someone else).
pub(super) fn possessive_her(after: &str) -> bool {
    let Some(next) = after.strip_prefix(' ').and_then(|a| word_iter(a).next()) else { return false };
    after[1..1 + next.start].is_empty() && next.text.starts_with(char::is_lowercase) && !lexicon::is_function_word(next.text)
}

pub(super) fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= pos);
    ranges.get(i).is_some_and(|r| r.start <= pos)
}

/// Gender from how the text refers back: a sentence naming exactly one person followed
/// (in it or the next sentence) by he/his/him or she/her, outside quotation marks (a
/// quote's pronouns point into the speaker's own story). Honorifics and family words in a
/// role ("Mrs", "her son, ...", "a mother of three") decide outright.
pub(super) fn infer_genders(body: &str, sentences: &[Range<usize>], mentions: &[NameMention], persons: &mut [DocPerson], quoted: &[Range<usize>]) {
    let mut votes = vec![(0i32, 0i32); persons.len()];
    for (p, person) in persons.iter().enumerate() {
        for role in &person.roles {
            let r = role.to_lowercase();
            // The role's head describes the person; "Her son" is male whatever "her" says.
            let head_at = r.split(' ').position(|w| matches!(w, "of" | "to" | "for" | "at")).unwrap_or(usize::MAX);
            for (k, w) in r.split(' ').enumerate() {
                let w = strip_possessive(w.trim_end_matches(['.', ',']));
                let weight = if k < head_at { 5 } else { 2 };
                if gazetteer::MALE_WORDS.contains(&w) {
                    votes[p].0 += weight;
                }
                if gazetteer::FEMALE_WORDS.contains(&w) {
                    votes[p].1 += weight;
                }
            }
        }
    }
    // A common given name ("Jessica Ruiz", "Bernard Sand") votes like an honorific, a little
    // less: the text's own pronouns can still outvote it.
    for (p, person) in persons.iter().enumerate() {
        if !person.name.contains(' ') {
            continue;
        }
        match given_name_gender(first_word(&person.name)) {
            Some(Gender::Male) => votes[p].0 += 3,
            Some(Gender::Female) => votes[p].1 += 3,
            None => {}
        }
    }
    for m in mentions {
        let Some(p) = m.person else { continue };
        if let Some(role) = &m.role {
            let r = role.to_lowercase();
            if r.split(' ').any(|w| matches!(w.trim_end_matches('.'), "mr" | "sir" | "lord" | "king" | "prince")) {
                votes[p].0 += 5;
            }
            if r.split(' ').any(|w| matches!(w.trim_end_matches('.'), "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess")) {
                votes[p].1 += 5;
            }
        }
    }
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for m in mentions {
        if let Some(p) = m.person
            && !in_ranges(quoted, m.start)
            && m.sentence < by_sentence.len()
            && !by_sentence[m.sentence].contains(&p)
        {
            by_sentence[m.sentence].push(p);
        }
    }
    for (si, range) in sentences.iter().enumerate() {
        if by_sentence[si].len() != 1 {
            continue;
        }
        let person = by_sentence[si][0];
        // Pronouns refer back: only those after the person's first mention count.
        let lo = mentions.partition_point(|m| m.sentence < si);
        let first_at = mentions[lo..].iter().find(|m| m.person == Some(person)).map_or(range.start, |m| m.end);
        let mut male = 0;
        let mut female = 0;
        let mut count = |r: &Range<usize>| {
            for w in word_iter(&body[r.clone()]) {
                if in_ranges(quoted, r.start + w.start) || r.start + w.start >= r.end {
                    continue;
                }
                // Subject and possessive forms: an object ("questioned him") is usually
                // someone else.
                match w.text {
                    "he" | "He" | "his" | "His" | "himself" => male += 1,
                    "she" | "She" | "Her" | "hers" | "herself" => female += 1,
                    "her" if possessive_her(&body[r.start + w.end..]) => female += 1,
                    _ => {}
                }
            }
        };
        count(&(first_at..range.end));
        // The next sentence counts up to where it names someone else.
        if let Some(next) = sentences.get(si + 1) {
            let lo = mentions.partition_point(|m| m.sentence <= si);
            let other =
                mentions[lo..].iter().take_while(|m| m.sentence == si + 1).find(|m| m.person.is_some_and(|q| q != person) && !in_ranges(quoted, m.start));
            count(&(next.start..other.map_or(next.end, |m| m.start)));
        }
        if male > 0 && female == 0 {
            votes[person].0 += 1;
        } else if female > 0 && male == 0 {
            votes[person].1 += 1;
        }
    }
    for (p, (m, f)) in persons.iter_mut().zip(votes) {
        p.gender = if m > f {
            Some(Gender::Male)
        } else if f > m {
            Some(Gender::Female)
        } else {
            None
        };
    }
}
