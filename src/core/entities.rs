//! Named entities, rule-based: capitalised phrases typed as people, organisations, places or
//! other named things, with roles ("Iranian President"), spelling variants and surnames.
//!
//! Two levels: [`DocEntities`] for one article (positions, used by quote attribution) and
//! [`EntityTable`] for the corpus (canonical names and aliases, used to answer queries).
//! The fullest name is the canonical one; "Massoud" and "Masoud" with one surname are one
//! person.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::gazetteer::{self, LEADER_WORDS, ORG_WORDS, PLACE_WORDS, THING_WORDS};
use super::text::{Word, edit_distance, fold, is_stopword, name_key, typo_budget, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

/// One occurrence of a name in a document (byte offsets into the body).
#[derive(Debug, Clone, PartialEq)]
pub struct NameMention {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// The name as written, without title or possessive.
    pub name: String,
    pub kind: EntityKind,
    /// For people: index into [`DocEntities::persons`].
    pub person: Option<usize>,
    /// A title written before the name ("Iranian Oil Minister").
    pub role: Option<String>,
    /// Byte offset where the whole phrase, title included, starts.
    pub phrase_start: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocPerson {
    /// The fullest form in this document.
    pub name: String,
    pub variants: Vec<String>,
    pub roles: Vec<String>,
    pub gender: Option<Gender>,
    pub mentions: u32,
}

/// What one document contributes to the corpus-wide table (persisted with the index).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub persons: Vec<DocPerson>,
    /// Non-person names: (name as written most often, kind, mentions).
    pub names: Vec<(String, EntityKind, u32)>,
}

#[derive(Debug, Clone, Default)]
pub struct DocEntities {
    pub mentions: Vec<NameMention>,
    pub persons: Vec<DocPerson>,
}

/// Words capitalised only because they start a sentence (or that are never names).
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "however",
    "meanwhile",
    "moreover",
    "furthermore",
    "also",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "still",
    "then",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "in",
    "on",
    "at",
    "for",
    "from",
    "with",
    "by",
    "of",
    "to",
    "as",
    "after",
    "before",
    "during",
    "since",
    "while",
    "when",
    "where",
    "why",
    "how",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "if",
    "although",
    "though",
    "because",
    "despite",
    "against",
    "among",
    "between",
    "according",
    "following",
    "under",
    "over",
    "about",
    "there",
    "here",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "every",
    "no",
    "not",
    "firstly",
    "secondly",
    "thirdly",
    "finally",
    "importantly",
    "historically",
    "specifically",
    "particularly",
    "especially",
    "ultimately",
    "earlier",
    "later",
    "last",
    "next",
    "first",
    "second",
    "third",
    "new",
    "other",
    "another",
    "such",
    "even",
    "only",
    "just",
    "more",
    "less",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mr",
    "mrs",
    "ms",
    "dr",
    "news",
    "photo",
    "image",
    "author",
    "newsletter",
    "read",
    "share",
    "advertisement",
    "related",
    "sources",
    "source",
    "update",
    "updated",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "yes",
    "oh",
    "well",
    "please",
    "thanks",
    "thank",
    "let",
    "let's",
    "would",
    "could",
    "should",
    "will",
    "can",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "one",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "several",
    "few",
    "without",
    "within",
    "into",
    "onto",
    "upon",
    "across",
    "through",
    "throughout",
    "beyond",
    "instead",
    "indeed",
    "perhaps",
    "once",
    "again",
    "together",
    "thus",
    "hence",
    "therefore",
    "otherwise",
    "besides",
    "beyond",
    "like",
    "unlike",
    "via",
    "per",
];

const CONNECTORS: &[&str] = &["of", "de", "al", "bin", "ibn", "van", "von", "la", "du", "del", "der", "da", "dos", "das", "di", "le", "el"];

fn is_not_name(word: &str) -> bool {
    let f = fold(word);
    let f = f.trim_end_matches("'s");
    NOT_NAMES.contains(&f) || is_stopword(f)
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).or_else(|| s.strip_suffix('’')).unwrap_or(s)
}

fn has_word(name: &str, list: &[&str]) -> bool {
    name.split([' ', '-']).any(|w| list.iter().any(|x| x.eq_ignore_ascii_case(w)))
}

fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// The country a role phrase names ("Iranian President" → Iran; "President of Iran" → Iran).
pub fn role_country(role: &str) -> Option<&'static str> {
    for w in words(role) {
        let w = strip_possessive(w.text);
        if let Some(c) = gazetteer::country_of_demonym(w) {
            return Some(c);
        }
        if let Some((c, _)) = gazetteer::COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(w)) {
            return Some(c);
        }
    }
    None
}

/// The head noun of a role phrase ("Iranian Oil Minister" → "minister").
pub fn role_head(role: &str) -> Option<String> {
    words(role).iter().rev().map(|w| strip_possessive(w.text).to_lowercase()).find(|w| gazetteer::is_title_word(w))
}

/// Are these two role heads compatible ("leader" fits a president)?
pub fn heads_compatible(asked: &str, held: &str) -> bool {
    asked == held || (asked == "leader" && LEADER_WORDS.contains(&held)) || (held == "leader" && LEADER_WORDS.contains(&asked))
}

struct RawSpan {
    start_word: usize,
    end_word: usize, // exclusive
    sentence_initial: bool,
}

/// Find the names in one document. `sentences` are byte ranges of `body`; sentences that
/// start before `skip_before` (a headline) are ignored.
pub fn analyse(body: &str, sentences: &[Range<usize>], skip_before: usize) -> DocEntities {
    struct Candidate {
        start: usize,
        end: usize,
        phrase_start: usize,
        sentence: usize,
        name: String,
        role: Option<String>,
        initial: bool,
        speech_after: bool,
        locative_before: bool,
        appositive_role: Option<String>,
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut midsentence_keys: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (si, range) in sentences.iter().enumerate() {
        if range.start < skip_before {
            continue;
        }
        let sentence = &body[range.clone()];
        let ws = words(sentence);
        for span in spans(sentence, &ws) {
            let mut first = span.start_word;
            let mut initial = span.sentence_initial;
            while first < span.end_word && is_not_name(ws[first].text) {
                first += 1;
                initial = false;
            }
            // Trailing connectors never end a name.
            let mut last = span.end_word;
            while last > first && CONNECTORS.contains(&ws[last - 1].text) {
                last -= 1;
            }
            if first >= last {
                continue;
            }
            let span_words = &ws[first..last];
            // Split a leading title ("Iranian Oil Minister") from the name.
            let title_end = span_words.iter().rposition(|w| gazetteer::is_title_word(&strip_possessive(w.text).trim_end_matches('.').to_lowercase()));
            let (role, name_words): (Option<String>, &[Word]) = match title_end {
                Some(t) if t + 1 < span_words.len() => {
                    let rest = &span_words[t + 1..];
                    // "President of Iran": the rest continues the role; a name may follow it.
                    let rest = if rest.first().is_some_and(|w| CONNECTORS.contains(&w.text)) {
                        if rest.len() >= 4 { &rest[rest.len() - 2..] } else { continue }
                    } else {
                        rest
                    };
                    let role_start = span_words[0].start;
                    let role_end = span_words[span_words.len() - rest.len() - 1].end;
                    (Some(sentence[role_start..role_end].to_string()), rest)
                }
                Some(_) => {
                    // Title alone ("the President"): no name here.
                    continue;
                }
                None => (None, span_words),
            };
            // Lowercase role nouns right before the name: "spokesperson Esmail Baghaei".
            let mut role = role;
            let mut phrase_start = span_words[0].start;
            if role.is_none() && first > 0 {
                let prev = &ws[first - 1];
                if !prev.is_capitalised() && gazetteer::is_title_word(&prev.text.to_lowercase()) && gap_is_space(sentence, prev.end, ws[first].start) {
                    // Include the capitalised words before it: "Foreign Ministry spokesperson".
                    let mut k = first - 1;
                    while k > 0 && ws[k - 1].is_capitalised() && gap_is_space(sentence, ws[k - 1].end, ws[k].start) && !is_not_name(ws[k - 1].text) {
                        k -= 1;
                    }
                    role = Some(sentence[ws[k].start..prev.end].to_string());
                    phrase_start = ws[k].start;
                }
            }
            // "Iran Javanshir Akhundov" (after "Ambassador ... to"): a place before a name.
            let name_words = if name_words.len() >= 3 && (gazetteer::is_known_place(name_words[0].text) || gazetteer::is_demonym(name_words[0].text)) {
                &name_words[1..]
            } else {
                name_words
            };
            let Some(first_name_word) = name_words.first() else { continue };
            let last_name_word = name_words.last().expect("non-empty");
            let start = first_name_word.start;
            let end = last_name_word.end;
            let raw = &sentence[start..end];
            let name = strip_possessive(raw).to_string();
            if name.chars().count() < 2 || gazetteer::is_demonym(&name) || name.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            // Hyphenated pairs of countries ("Iran-Azerbaijan") are adjectives, not names.
            if name.contains('-') && name.split('-').all(|p| gazetteer::is_known_place(p) || gazetteer::is_demonym(p)) {
                continue;
            }
            let after = &sentence[end..];
            let next_words: Vec<String> = words(after).iter().take(3).map(|w| w.text.to_lowercase()).collect();
            let speech_after = next_words.iter().take(2).any(|w| gazetteer::is_speech_verb(w)) && !after.trim_start().starts_with(['.', ';']);
            let name_index = ws.iter().position(|w| w.start == start).unwrap_or(first);
            let prev_word = ws[..name_index].last().map(|w| w.text.to_lowercase());
            let locative_before = prev_word.as_deref().is_some_and(|p| {
                matches!(p, "in" | "to" | "from" | "near" | "across" | "via" | "into" | "through" | "towards" | "toward" | "around" | "outside" | "inside")
            });
            let appositive_role = appositive(after);
            let initial = initial && first == span.start_word;
            if !initial {
                midsentence_keys.insert(name_key(&name));
            }
            candidates.push(Candidate {
                start: range.start + start,
                end: range.start + start + name.len(),
                phrase_start: range.start + phrase_start,
                sentence: si,
                name,
                role,
                initial,
                speech_after,
                locative_before,
                appositive_role,
            });
        }
    }

    // Decide each name's kind from all its occurrences in the document.
    #[derive(Default)]
    struct Votes {
        person: i32,
        org: i32,
        place: i32,
        thing: i32,
    }
    let mut votes: HashMap<String, Votes> = HashMap::new();
    for c in &candidates {
        let v = votes.entry(name_key(&c.name)).or_default();
        let words_n = c.name.split(' ').count();
        if has_word(&c.name, ORG_WORDS) {
            v.org += 4;
        }
        if has_word(&c.name, THING_WORDS) {
            v.thing += 4;
        }
        if PLACE_WORDS.iter().any(|p| last_word(&c.name).eq_ignore_ascii_case(p)) {
            v.place += 4;
        }
        if gazetteer::is_known_place(&c.name) {
            v.place += 6;
        }
        let acronym = c.name.len() <= 6 && c.name.chars().all(|ch| ch.is_ascii_uppercase());
        if acronym && !gazetteer::is_known_place(&c.name) {
            v.org += 3;
        }
        if c.role.is_some() && !acronym {
            v.person += 4;
        }
        if c.appositive_role.is_some() {
            v.person += 3;
        }
        if c.speech_after && !acronym {
            v.person += 2;
        }
        if c.locative_before {
            v.place += 1;
        }
        if (2..=4).contains(&words_n) && c.name.split(' ').all(|w| w.chars().next().is_some_and(char::is_uppercase) && !w.chars().all(|ch| ch.is_uppercase())) {
            v.person += 1;
        }
    }
    let kind_of = |key: &str| -> EntityKind {
        let Some(v) = votes.get(key) else { return EntityKind::Other };
        let best = v.person.max(v.org).max(v.place).max(v.thing);
        if best <= 0 {
            EntityKind::Other
        } else if v.org == best {
            EntityKind::Organization
        } else if v.place == best {
            EntityKind::Place
        } else if v.thing == best {
            EntityKind::Other
        } else {
            EntityKind::Person
        }
    };

    // Group people: multi-word names by surname, then first names that are variants.
    let mut persons: Vec<DocPerson> = Vec::new();
    let mut person_of_key: HashMap<String, usize> = HashMap::new();
    let mut full_names: Vec<&Candidate> = candidates.iter().filter(|c| c.name.contains(' ') && kind_of(&name_key(&c.name)) == EntityKind::Person).collect();
    full_names.sort_by_key(|c| std::cmp::Reverse(c.name.split(' ').count()));
    for c in full_names {
        let key = name_key(&c.name);
        if person_of_key.contains_key(&key) {
            continue;
        }
        let found = persons.iter().position(|p| same_person(&p.name, &c.name));
        let idx = match found {
            Some(i) => i,
            None => {
                persons.push(DocPerson { name: c.name.clone(), variants: Vec::new(), roles: Vec::new(), gender: None, mentions: 0 });
                persons.len() - 1
            }
        };
        if !persons[idx].variants.contains(&c.name) {
            persons[idx].variants.push(c.name.clone());
        }
        person_of_key.insert(key, idx);
    }
    // Surnames alone, and single names that behave like people.
    for c in &candidates {
        let key = name_key(&c.name);
        if person_of_key.contains_key(&key) || c.name.contains(' ') {
            continue;
        }
        let by_surname = persons.iter().position(|p| name_key(last_word(&p.name)) == key);
        if let Some(i) = by_surname {
            person_of_key.insert(key, i);
        } else if kind_of(&key) == EntityKind::Person && (midsentence_keys.contains(&key) || c.role.is_some() || c.speech_after) {
            persons.push(DocPerson { name: c.name.clone(), variants: vec![c.name.clone()], roles: Vec::new(), gender: None, mentions: 0 });
            person_of_key.insert(key, persons.len() - 1);
        }
    }
    let mut mentions = Vec::with_capacity(candidates.len());
    for c in &candidates {
        let key = name_key(&c.name);
        // A single capitalised word at a sentence start is only a name if it is one elsewhere.
        if c.initial
            && !c.name.contains(' ')
            && !midsentence_keys.contains(&key)
            && !gazetteer::is_known_place(&c.name)
            && !person_of_key.contains_key(&key)
            && !c.speech_after
        {
            continue;
        }
        let person = person_of_key.get(&key).copied();
        let kind = if person.is_some() { EntityKind::Person } else { kind_of(&key) };
        if let Some(p) = person {
            let dp = &mut persons[p];
            dp.mentions += 1;
            for role in c.role.iter().chain(c.appositive_role.iter()) {
                if !dp.roles.contains(role) {
                    dp.roles.push(role.clone());
                }
            }
        }
        mentions.push(NameMention {
            start: c.start,
            end: c.end,
            sentence: c.sentence,
            name: c.name.clone(),
            kind,
            person,
            role: c.role.clone(),
            phrase_start: c.phrase_start,
        });
    }
    infer_genders(body, sentences, &mentions, &mut persons);
    DocEntities { mentions, persons }
}

fn gap_is_space(text: &str, a: usize, b: usize) -> bool {
    a <= b && text[a..b].chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// Maximal runs of capitalised words joined by single spaces (and name connectors).
fn spans(sentence: &str, ws: &[Word]) -> Vec<RawSpan> {
    let mut out = Vec::new();
    let mut i = 0;
    let starts_at_sentence = |w: &Word| sentence[..w.start].chars().all(|c| !c.is_alphanumeric());
    while i < ws.len() {
        if !ws[i].is_capitalised() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < ws.len() {
            let gap_ok = gap_is_space(sentence, ws[end - 1].end, ws[end].start);
            if !gap_ok || strip_possessive(ws[end - 1].text) != ws[end - 1].text {
                break;
            }
            if ws[end].is_capitalised() {
                end += 1;
            } else if CONNECTORS.contains(&ws[end].text)
                && end + 1 < ws.len()
                && ws[end + 1].is_capitalised()
                && gap_is_space(sentence, ws[end].end, ws[end + 1].start)
            {
                end += 2;
            } else {
                break;
            }
        }
        out.push(RawSpan { start_word: start, end_word: end, sentence_initial: starts_at_sentence(&ws[start]) });
        i = end;
    }
    out
}

/// ", the Iranian president’s political advisor," after a name: a role in apposition.
fn appositive(after: &str) -> Option<String> {
    let rest = after.strip_prefix(", ")?;
    let end = rest.find([',', '.', ';', '(', ')', '—', '“', '"']).unwrap_or(rest.len());
    let phrase = rest[..end].trim();
    let ws = words(phrase);
    if ws.is_empty() || ws.len() > 12 {
        return None;
    }
    let first = ws[0].text.to_lowercase();
    let starts_ok =
        matches!(first.as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their") || gazetteer::is_title_word(&first) || ws[0].is_capitalised();
    let has_title = ws.iter().any(|w| gazetteer::is_title_word(&strip_possessive(w.text).to_lowercase()));
    // Lowercase verbs would mean a clause, not an apposition.
    let verbish = ws.iter().any(|w| matches!(w.text, "is" | "was" | "are" | "were" | "has" | "have" | "had" | "will" | "said" | "says"));
    (starts_ok && has_title && !verbish).then(|| phrase.to_string())
}

/// Are two full names the same person: one surname, first names equal, a spelling
/// variant ("Masoud"/"Massoud"), an initial, or one name contained in the other.
pub fn same_person(a: &str, b: &str) -> bool {
    let ka = name_key(a);
    let kb = name_key(b);
    if ka == kb {
        return true;
    }
    let wa: Vec<&str> = ka.split(' ').collect();
    let wb: Vec<&str> = kb.split(' ').collect();
    if wa.last() != wb.last() {
        return false;
    }
    if wa.len() == 1 || wb.len() == 1 {
        return true;
    }
    let (fa, fb) = (wa[0], wb[0]);
    if fa == fb || (fa.len() == 1 && fb.starts_with(fa)) || (fb.len() == 1 && fa.starts_with(fb)) {
        return true;
    }
    edit_distance(fa, fb, 1) <= typo_budget(fa.len().min(fb.len())).min(1)
}

/// Gender from how the text refers back: a sentence naming exactly one person followed
/// (in it or the next sentence) by he/his/him or she/her. Honorifics decide outright.
fn infer_genders(body: &str, sentences: &[Range<usize>], mentions: &[NameMention], persons: &mut [DocPerson]) {
    let mut votes = vec![(0i32, 0i32); persons.len()];
    for m in mentions {
        let Some(p) = m.person else { continue };
        if let Some(role) = &m.role {
            let r = role.to_lowercase();
            if r.split(' ')
                .any(|w| matches!(w.trim_end_matches('.'), "mr" | "sir" | "lord" | "king" | "prince" | "spokesman" | "chairman" | "congressman" | "father"))
            {
                votes[p].0 += 5;
            }
            if r.split(' ').any(|w| {
                matches!(
                    w.trim_end_matches('.'),
                    "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess" | "spokeswoman" | "chairwoman" | "congresswoman"
                )
            }) {
                votes[p].1 += 5;
            }
        }
    }
    for (si, range) in sentences.iter().enumerate() {
        let people: Vec<usize> = {
            let mut v: Vec<usize> = mentions.iter().filter(|m| m.sentence == si).filter_map(|m| m.person).collect();
            v.dedup();
            v
        };
        if people.len() != 1 {
            continue;
        }
        let mut text = body[range.clone()].to_string();
        if let Some(next) = sentences.get(si + 1) {
            text.push(' ');
            text.push_str(&body[next.clone()]);
        }
        let mut male = 0;
        let mut female = 0;
        for w in words(&text) {
            match w.text {
                "he" | "He" | "his" | "His" | "him" | "himself" => male += 1,
                "she" | "She" | "her" | "Her" | "hers" | "herself" => female += 1,
                _ => {}
            }
        }
        if male > 0 && female == 0 {
            votes[people[0]].0 += 1;
        } else if female > 0 && male == 0 {
            votes[people[0]].1 += 1;
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

impl DocEntities {
    pub fn summary(&self) -> DocSummary {
        let mut names: HashMap<String, (String, EntityKind, u32)> = HashMap::new();
        for m in self.mentions.iter().filter(|m| m.person.is_none()) {
            let e = names.entry(name_key(&m.name)).or_insert_with(|| (m.name.clone(), m.kind, 0));
            e.2 += 1;
        }
        let mut names: Vec<_> = names.into_values().collect();
        names.sort();
        DocSummary { persons: self.persons.clone(), names }
    }

    /// The person a role phrase refers to at byte `position`: "the Iranian leader", "the
    /// minister", "Iran's president". Prefers the latest compatible person mentioned before.
    pub fn resolve_role(&self, country: Option<&str>, head: &str, position: usize) -> Option<usize> {
        let fits = |p: usize| {
            self.persons[p].roles.iter().any(|r| role_head(r).is_some_and(|h| heads_compatible(head, &h)) && (country.is_none() || role_country(r) == country))
        };
        let before = self.mentions.iter().rev().filter(|m| m.start < position).filter_map(|m| m.person).find(|&p| fits(p));
        before.or_else(|| (0..self.persons.len()).filter(|&p| fits(p)).max_by_key(|&p| self.persons[p].mentions))
    }

    /// The person a name refers to in this document (full name, variant or surname).
    pub fn person_named(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.persons.iter().position(|p| p.variants.iter().any(|v| name_key(v) == key) || name_key(&p.name) == key).or_else(|| {
            let sur: Vec<usize> = (0..self.persons.len()).filter(|&p| name_key(last_word(&self.persons[p].name)) == key).collect();
            (sur.len() == 1).then(|| sur[0])
        })
    }
}

/// One entity of the corpus-wide table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    /// Every form seen (folded keys), the canonical one included.
    pub aliases: Vec<String>,
    pub roles: Vec<String>,
    pub mentions: u32,
    pub docs: u32,
}

/// The corpus-wide entity table: canonical names and their aliases.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
    #[serde(skip)]
    by_alias: HashMap<String, Vec<usize>>,
}

impl EntityTable {
    pub fn build<'a>(summaries: impl IntoIterator<Item = &'a DocSummary>) -> Self {
        let mut entities: Vec<Entity> = Vec::new();
        let mut person_by_surname: HashMap<String, Vec<usize>> = HashMap::new();
        let mut other_by_key: HashMap<(String, EntityKind), usize> = HashMap::new();
        let mut persons: Vec<&DocPerson> = Vec::new();
        let mut doc_of_person: Vec<usize> = Vec::new();
        let summaries: Vec<&DocSummary> = summaries.into_iter().collect();
        for (d, s) in summaries.iter().enumerate() {
            for p in &s.persons {
                persons.push(p);
                doc_of_person.push(d);
            }
        }
        // Fullest names first, so that surnames alone attach to an existing person.
        let mut order: Vec<usize> = (0..persons.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(persons[i].name.split(' ').count()), std::cmp::Reverse(persons[i].mentions)));
        let mut last_doc: HashMap<usize, usize> = HashMap::new();
        for i in order {
            let p = persons[i];
            let surname = name_key(last_word(&p.name));
            let candidates = person_by_surname.entry(surname).or_default();
            let found = candidates.iter().copied().find(|&e| same_person(&entities[e].name, &p.name));
            let e = match found {
                Some(e) => e,
                None => {
                    entities.push(Entity { name: p.name.clone(), kind: EntityKind::Person, aliases: Vec::new(), roles: Vec::new(), mentions: 0, docs: 0 });
                    candidates.push(entities.len() - 1);
                    entities.len() - 1
                }
            };
            let ent = &mut entities[e];
            ent.mentions += p.mentions;
            if last_doc.insert(e, doc_of_person[i]) != Some(doc_of_person[i]) {
                ent.docs += 1;
            }
            // The fullest, then most frequent, spelling is canonical.
            if p.name.split(' ').count() > ent.name.split(' ').count() {
                ent.name = p.name.clone();
            }
            for v in p.variants.iter().chain(std::iter::once(&p.name)) {
                let k = name_key(v);
                if !ent.aliases.contains(&k) {
                    ent.aliases.push(k);
                }
            }
            for r in &p.roles {
                if !ent.roles.contains(r) && ent.roles.len() < 12 {
                    ent.roles.push(r.clone());
                }
            }
        }
        for (d, s) in summaries.iter().enumerate() {
            for (name, kind, count) in &s.names {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                let e = *other_by_key.entry((key.clone(), *kind)).or_insert_with(|| {
                    entities.push(Entity { name: name.clone(), kind: *kind, aliases: vec![key.clone()], roles: Vec::new(), mentions: 0, docs: 0 });
                    entities.len() - 1
                });
                entities[e].mentions += count;
                if last_doc.insert(e, d) != Some(d) {
                    entities[e].docs += 1;
                }
            }
        }
        // Surnames alone are aliases of the most mentioned person with that surname.
        let mut table = EntityTable { entities, by_alias: HashMap::new() };
        let mut best_by_surname: HashMap<String, usize> = HashMap::new();
        for (i, e) in table.entities.iter().enumerate() {
            if e.kind == EntityKind::Person && e.name.contains(' ') {
                let s = name_key(last_word(&e.name));
                let b = best_by_surname.entry(s).or_insert(i);
                if table.entities[*b].mentions < e.mentions {
                    *b = i;
                }
            }
        }
        for (s, i) in best_by_surname {
            if !table.entities[i].aliases.contains(&s) {
                table.entities[i].aliases.push(s);
            }
        }
        // A single-word "person" whose name is some person's surname is that person.
        let mut merged_into: HashMap<usize, usize> = HashMap::new();
        for i in 0..table.entities.len() {
            let e = &table.entities[i];
            if e.kind == EntityKind::Person && !e.name.contains(' ') {
                let key = name_key(&e.name);
                if let Some(j) = (0..table.entities.len()).find(|&j| {
                    j != i && table.entities[j].kind == EntityKind::Person && table.entities[j].aliases.contains(&key) && table.entities[j].name.contains(' ')
                }) {
                    merged_into.insert(i, j);
                }
            }
        }
        for (&i, &j) in &merged_into {
            let (m, d, roles) = (table.entities[i].mentions, table.entities[i].docs, table.entities[i].roles.clone());
            let target = &mut table.entities[j];
            target.mentions += m;
            target.docs = target.docs.max(d);
            for r in roles {
                if !target.roles.contains(&r) {
                    target.roles.push(r);
                }
            }
        }
        let mut idx = 0;
        table.entities.retain(|_| {
            let keep = !merged_into.contains_key(&idx);
            idx += 1;
            keep
        });
        table.entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        table.reindex();
        table
    }

    /// Rebuild the alias lookup (after deserialising).
    pub fn reindex(&mut self) {
        self.by_alias.clear();
        for (i, e) in self.entities.iter().enumerate() {
            for a in &e.aliases {
                self.by_alias.entry(a.clone()).or_default().push(i);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Exact alias lookup (folded): the most mentioned entity with that alias.
    pub fn lookup(&self, name: &str) -> Option<&Entity> {
        let key = name_key(name);
        self.by_alias.get(&key).and_then(|v| v.iter().map(|&i| &self.entities[i]).max_by_key(|e| (e.kind == EntityKind::Person, e.mentions)))
    }

    /// Alias lookup that forgives accents, case and typos (one per five letters, at most two).
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        if let Some(e) = self.lookup(name) {
            return Some(e);
        }
        let key = name_key(name);
        let budget = typo_budget(key.chars().count());
        if budget == 0 {
            return None;
        }
        let mut best: Option<(usize, &Entity)> = None;
        for e in &self.entities {
            for a in &e.aliases {
                let d = edit_distance(&key, a, budget);
                if d <= budget && best.is_none_or(|(bd, be)| d < bd || (d == bd && e.mentions > be.mentions)) {
                    best = Some((d, e));
                }
            }
        }
        best.map(|(_, e)| e)
    }

    /// Split "/quote massoud pezeshkian gas" into the person and the topic: the longest
    /// leading run of words that names an entity.
    pub fn split_name_and_topic<'q>(&self, query: &'q str) -> Option<(&Entity, &'q str)> {
        let ws = words(query);
        for n in (1..=ws.len().min(5)).rev() {
            let name = &query[ws[0].start..ws[n - 1].end];
            if let Some(e) = self.resolve(name) {
                let topic = query[ws[n - 1].end..].trim();
                return Some((e, topic));
            }
        }
        None
    }

    /// The canonical name for a name as written (any alias).
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.lookup(name).map(|e| e.name.as_str())
    }

    /// Names that start with `prefix` (any word of them), most mentioned first; then close
    /// spellings. For autocomplete and "did you mean".
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<&Entity> {
        let key = name_key(prefix);
        let mut out: Vec<&Entity> = if key.is_empty() {
            self.entities.iter().take(limit).collect()
        } else {
            self.entities.iter().filter(|e| e.aliases.iter().any(|a| a.starts_with(&key) || a.split(' ').any(|w| w.starts_with(&key)))).take(limit).collect()
        };
        if out.len() < limit && key.chars().count() >= 4 {
            let budget = typo_budget(key.chars().count()).max(1);
            for e in &self.entities {
                if out.len() >= limit {
                    break;
                }
                if !out.iter().any(|o| std::ptr::eq(*o, e)) && e.aliases.iter().any(|a| a.split(' ').any(|w| edit_distance(&key, w, budget) <= budget)) {
                    out.push(e);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sentences;

    fn doc(text: &str) -> DocEntities {
        analyse(text, &sentences::split(text), 0)
    }

    #[test]
    fn people_with_titles_and_surnames() {
        let d = doc("Iranian President Masoud Pezeshkian arrived in Baku. He met Azerbaijani President Ilham Aliyev. Pezeshkian said the talks went well.");
        let names: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Masoud Pezeshkian", "Ilham Aliyev"]);
        assert_eq!(d.persons[0].mentions, 2, "the surname alone is the same person");
        assert!(d.persons[0].roles.iter().any(|r| r == "Iranian President"));
        let baku = d.mentions.iter().find(|m| m.name == "Baku").unwrap();
        assert_eq!(baku.kind, EntityKind::Place);
        assert_eq!(d.persons[0].gender, Some(Gender::Male));
    }

    #[test]
    fn organisations_places_and_things() {
        let d = doc(
            "Iran’s state news agency IRNA reported it. The Foreign Ministry spokesperson Esmail Baghaei spoke in Tehran about the Zangezur Corridor project.",
        );
        let kind = |n: &str| d.mentions.iter().find(|m| m.name == n).map(|m| m.kind);
        assert_eq!(kind("IRNA"), Some(EntityKind::Organization));
        assert_eq!(kind("Foreign Ministry"), Some(EntityKind::Organization));
        assert_eq!(kind("Esmail Baghaei"), Some(EntityKind::Person));
        assert_eq!(kind("Tehran"), Some(EntityKind::Place));
        assert_eq!(kind("Zangezur Corridor"), Some(EntityKind::Other));
        assert!(d.persons[0].roles.iter().any(|r| r.contains("spokesperson")));
    }

    #[test]
    fn role_nouns_resolve_to_people() {
        let text = "Iranian President Masoud Pezeshkian met Azerbaijani President Ilham Aliyev. The Iranian leader said he was pleased.";
        let d = doc(text);
        let pos = text.find("The Iranian leader").unwrap();
        let p = d.resolve_role(Some("Iran"), "leader", pos).unwrap();
        assert_eq!(d.persons[p].name, "Masoud Pezeshkian");
        let p = d.resolve_role(Some("Azerbaijan"), "president", pos).unwrap();
        assert_eq!(d.persons[p].name, "Ilham Aliyev");
    }

    #[test]
    fn table_merges_variants_and_resolves_typos() {
        let a = doc("Iranian President Masoud Pezeshkian spoke. Pezeshkian smiled.").summary();
        let b = doc("Iranian President Massoud Pezeshkian said hello. Mehdi Sanaei, the president’s political advisor, agreed.").summary();
        let table = EntityTable::build([&a, &b]);
        let e = table.resolve("massoud pezeshkian").unwrap();
        assert_eq!(e.name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("pezeshkan").unwrap().name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("PEZEŞKIAN").unwrap().name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("sanaei").unwrap().name, "Mehdi Sanaei");
        let (p, topic) = table.split_name_and_topic("massoud pezeshkian gas deal").unwrap();
        assert_eq!((p.name.as_str(), topic), ("Masoud Pezeshkian", "gas deal"));
        assert!(table.resolve("bitcoin").is_none());
    }
}
