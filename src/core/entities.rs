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

use super::furniture;
use super::gazetteer::{self, FastMap, FastSet, LEADER_WORDS, ORG_WORDS, PLACE_WORDS, THING_WORDS, WordSet};
use super::lang::lexicon;
use super::text::{Lower, Word, edit_distance, fold_word, is_stopword, name_key, typo_budget, word_iter, words};

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
    /// For organisations (and names the text treats as one): index into [`DocEntities::orgs`].
    pub org: Option<usize>,
}

/// An organisation of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOrg {
    /// The fullest form in this document ("Civil Aviation Authority" for "the CAA").
    pub name: String,
    /// Common nouns that can refer back to it: "company", "agency", "union".
    pub nouns: Vec<String>,
    /// Whether "the company" can mean it: a business rather than a public body.
    pub company_like: bool,
    pub mentions: u32,
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
    pub orgs: Vec<DocOrg>,
}

/// Words capitalised only because they start a sentence, besides the closed classes of
/// [`lexicon::is_function_word`]: sentence adverbs, ordinals, interjections and the labels of
/// page furniture ("Photo", "Related").
const NOT_NAMES_LIST: &[&str] = &[
    "however",
    "meanwhile",
    "moreover",
    "furthermore",
    "also",
    "still",
    "then",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "according",
    "following",
    "there",
    "here",
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
    "such",
    "even",
    "only",
    "just",
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
    "instead",
    "indeed",
    "perhaps",
    "again",
    "together",
    "thus",
    "hence",
    "therefore",
    "otherwise",
    "besides",
];
static NOT_NAMES: WordSet = WordSet::new(NOT_NAMES_LIST);

/// First words that make a name a place: "River Leven", "Lake Geneva", "Mount Kenya".
const PLACE_PREFIXES: &[&str] = &[
    "River", "Lake", "Mount", "Cape", "Isle", "Fort", "Loch", "Glen", "Gulf", "Port", "North", "South", "East", "West", "Northern", "Southern", "Eastern",
    "Western", "Central", "Upper", "Lower", "Greater",
];

const CONNECTORS_LIST: &[&str] = &["of", "de", "al", "bin", "ibn", "van", "von", "la", "du", "del", "der", "da", "dos", "das", "di", "le", "el"];
static CONNECTORS: WordSet = WordSet::new(CONNECTORS_LIST);

fn is_not_name(word: &str) -> bool {
    let f = fold_word(word);
    let f = f.trim_end_matches("'s");
    NOT_NAMES.contains(f) || lexicon::is_function_word(f) || is_stopword(f)
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).or_else(|| s.strip_suffix('’')).unwrap_or(s)
}

fn has_word(name: &str, list: &[&str]) -> bool {
    // The three big lists have hashed lookups; others are short.
    let lookup: fn(&str) -> bool = if std::ptr::eq(list, ORG_WORDS) {
        gazetteer::is_org_word
    } else if std::ptr::eq(list, PLACE_WORDS) {
        gazetteer::is_place_word
    } else if std::ptr::eq(list, THING_WORDS) {
        gazetteer::is_thing_word
    } else {
        return name.split([' ', '-']).any(|w| list.iter().any(|x| x.eq_ignore_ascii_case(w)));
    };
    name.split([' ', '-']).any(lookup)
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
    words(role).iter().rev().map(|w| strip_possessive(w.text).to_lowercase()).find(|w| gazetteer::is_role_noun(w))
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

/// Nouns that "the company" may stand for: businesses rather than public bodies.
const COMPANY_NOUNS_LIST: &[&str] = &[
    "company",
    "firm",
    "business",
    "carrier",
    "airline",
    "maker",
    "manufacturer",
    "retailer",
    "platform",
    "app",
    "bank",
    "lender",
    "insurer",
    "operator",
    "chain",
    "supermarket",
    "developer",
    "provider",
    "producer",
    "supplier",
    "startup",
    "giant",
    "consortium",
    "group",
];
static COMPANY_NOUNS: WordSet = WordSet::new(COMPANY_NOUNS_LIST);

/// The other lowercase nouns that refer back to an organisation ("the agency said").
const BODY_NOUNS_LIST: &[&str] = &[
    "the company said",
    "club",
    "team",
    "side",
    "agency",
    "authority",
    "regulator",
    "watchdog",
    "association",
    "union",
    "council",
    "ministry",
    "department",
    "office",
    "board",
    "commission",
    "committee",
    "body",
    "organisation",
    "organization",
    "charity",
    "party",
    "government",
    "institute",
    "university",
    "society",
    "federation",
    "foundation",
    "police",
    "force",
    "court",
    "broadcaster",
    "newspaper",
    "paper",
    "channel",
    "network",
    "outlet",
    "publisher",
    "airport",
    "hospital",
    "school",
    "trust",
    "coalition",
    "alliance",
    "service",
    "inquiry",
    "tribunal",
    "employer",
    "employers",
];
/// Lowercase nouns that refer back to an organisation ("the company said").
pub static ORG_NOUNS: WordSet = WordSet::union(COMPANY_NOUNS_LIST, BODY_NOUNS_LIST);

/// Words in an organisation's name and the nouns they let the text use for it.
const ORG_WORD_NOUNS: &[(&str, &[&str])] = &[
    ("air", &["airline", "carrier", "company"]),
    ("airlines", &["airline", "carrier", "company"]),
    ("airways", &["airline", "carrier", "company"]),
    ("aviation", &["company"]),
    ("bank", &["bank", "lender"]),
    ("police", &["police", "force"]),
    ("council", &["council", "authority"]),
    ("ministry", &["ministry", "department", "government"]),
    ("department", &["department", "ministry", "government"]),
    ("authority", &["authority", "regulator", "watchdog"]),
    ("commission", &["commission", "regulator", "watchdog"]),
    ("agency", &["agency", "regulator"]),
    ("office", &["office", "regulator"]),
    ("association", &["association", "body", "group"]),
    ("union", &["union", "body", "group"]),
    ("federation", &["federation", "body", "group"]),
    ("chamber", &["chamber", "body", "group"]),
    ("board", &["board", "body"]),
    ("committee", &["committee", "body"]),
    ("society", &["society", "group", "charity"]),
    ("watch", &["group", "charity", "organisation"]),
    ("trust", &["trust", "charity"]),
    ("foundation", &["foundation", "charity"]),
    ("alliance", &["alliance", "group"]),
    ("coalition", &["coalition", "group"]),
    ("party", &["party"]),
    ("university", &["university"]),
    ("institute", &["institute"]),
    ("hospital", &["hospital", "trust"]),
    ("school", &["school"]),
    ("court", &["court"]),
    ("inquiry", &["inquiry"]),
    ("club", &["club", "team", "side"]),
    ("fc", &["club", "team", "side"]),
    ("united", &["club", "team", "side"]),
    ("rovers", &["club", "team", "side"]),
    ("athletic", &["club", "team", "side"]),
    ("wanderers", &["club", "team", "side"]),
    ("albion", &["club", "team", "side"]),
    ("group", &["group", "company", "firm"]),
    ("groep", &["group", "company", "firm"]),
    ("gruppe", &["group", "company", "firm"]),
    ("groupe", &["group", "company", "firm"]),
    ("holdings", &["group", "company", "firm"]),
    ("company", &["company", "firm"]),
    ("corporation", &["company", "firm"]),
    ("corp", &["company", "firm"]),
    ("inc", &["company", "firm"]),
    ("ltd", &["company", "firm"]),
    ("plc", &["company", "firm"]),
    ("llc", &["company", "firm"]),
    ("gmbh", &["company", "firm"]),
    ("ag", &["company", "firm"]),
    ("foods", &["company", "firm", "group"]),
    ("industries", &["company", "firm", "group"]),
    ("motors", &["company", "firm", "maker"]),
    ("energy", &["company", "firm"]),
    ("capital", &["firm", "company"]),
    ("securities", &["firm", "company", "bank"]),
    ("investments", &["firm", "company"]),
    ("partners", &["firm", "company"]),
    ("research", &["firm", "company"]),
    ("economics", &["firm", "company"]),
    ("consulting", &["firm", "company"]),
    ("technologies", &["company", "firm"]),
    ("systems", &["company", "firm"]),
    ("labs", &["company", "firm"]),
    ("news", &["broadcaster", "outlet"]),
    ("times", &["newspaper", "paper"]),
    ("post", &["newspaper", "paper"]),
    ("herald", &["newspaper", "paper"]),
    ("tribune", &["newspaper", "paper"]),
    ("gazette", &["newspaper", "paper"]),
    ("journal", &["newspaper", "paper"]),
];

/// Name words of public bodies: such an organisation is not "the company".
const CIVIC_WORDS: &[&str] = &[
    "ministry",
    "agency",
    "authority",
    "council",
    "union",
    "association",
    "committee",
    "department",
    "commission",
    "office",
    "police",
    "court",
    "government",
    "parliament",
    "assembly",
    "university",
    "institute",
    "society",
    "board",
    "party",
    "federation",
    "foundation",
    "chamber",
    "watch",
    "trust",
    "inquiry",
    "tribunal",
    "army",
    "navy",
    "forces",
    "service",
    "school",
    "hospital",
    "church",
    "museum",
    "library",
    "club",
    "fc",
    "united",
    "senate",
    "congress",
    "cabinet",
    "presidency",
    "nations",
    "alliance",
    "coalition",
];

/// Does this word show that a phrase is a clause, not a descriptive noun phrase: an
/// auxiliary or a common speech verb?
fn verbish(lower: &str) -> bool {
    lexicon::AUXILIARIES.contains(lower) || matches!(lower, "said" | "says" | "told")
}

/// Find the names in one document. `sentences` are byte ranges of `body`; sentences that
/// start before `skip_before` (a headline) are ignored.
pub fn analyse(body: &str, sentences: &[Range<usize>], skip_before: usize) -> DocEntities {
    struct Candidate<'t> {
        start: usize,
        end: usize,
        phrase_start: usize,
        sentence: usize,
        name: &'t str,
        role: Option<String>,
        initial: bool,
        speech_after: bool,
        locative_before: bool,
        appositive_role: Option<String>,
        /// Looks like a name even at a sentence start: "QuickPlate", "FNV", "Aerovia, which ...".
        name_like: bool,
        /// A common noun the text uses for it: "the consumer group FlyRight", "ACM, the regulator".
        descriptor: Option<String>,
        /// An age in apposition: "Allen, 21, said".
        aged: bool,
        /// `name_key(name)`, computed once.
        key: String,
        /// Opened by a capitalised "The" inside the sentence ("said The Globe and Mail").
        titled: bool,
    }
    let quoted = quoted_ranges(body);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut midsentence_keys: FastSet<String> = FastSet::default();
    let mut line_verdict: Option<(Range<usize>, bool)> = None;
    for (si, range) in sentences.iter().enumerate() {
        if range.start < skip_before || on_furniture_line(body, range.start, &mut line_verdict) {
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
            // Trailing connectors never end a name, nor does a date after it ("in Baku
            // April 5", "Vale Tuesday").
            let mut last = span.end_word;
            while last > first && (CONNECTORS.contains(ws[last - 1].text) || date_after_name(sentence, &ws, last - 1)) {
                last -= 1;
            }
            // Letters after a name ("Fiona Adebayo KC") are not part of it; "a Green MP" is
            // a title, left to the title split below.
            let full_last = last;
            while last > first + 2 && gazetteer::is_post_nominal(ws[last - 1].text) {
                last -= 1;
            }
            let post_nominal = last < full_last;
            if first >= last {
                continue;
            }
            let span_words = &ws[first..last];
            // Split a leading title ("Iranian Oil Minister") from the name.
            let title_end = span_words.iter().rposition(|w| gazetteer::is_title_word(&Lower::new(strip_possessive(w.text).trim_end_matches('.'))));
            let (role, name_words): (Option<String>, &[Word]) = match title_end {
                Some(t) if t + 1 < span_words.len() => {
                    let rest = &span_words[t + 1..];
                    // "President of Iran": the rest continues the role; a name may follow it.
                    let rest = if rest.first().is_some_and(|w| CONNECTORS.contains(w.text)) {
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
            let title_split = role.is_some();
            let mut role = role;
            let mut phrase_start = span_words[0].start;
            let mut descriptor = None;
            let mut lowercase_role = false;
            if role.is_none() && first > 0 {
                let prev = &ws[first - 1];
                let prev_lower = Lower::new(prev.text);
                if !prev.is_capitalised() && gazetteer::is_title_word(&prev_lower) && gap_is_space(sentence, prev.end, ws[first].start) {
                    // Include the capitalised words before it: "Foreign Ministry spokesperson".
                    let mut k = first - 1;
                    while k > 0 && ws[k - 1].is_capitalised() && gap_is_space(sentence, ws[k - 1].end, ws[k].start) && !is_not_name(ws[k - 1].text) {
                        k -= 1;
                    }
                    role = Some(sentence[ws[k].start..prev.end].to_string());
                    phrase_start = ws[k].start;
                    lowercase_role = true;
                } else if ORG_NOUNS.contains(prev_lower.as_str()) {
                    // "the consumer group FlyRight", "the state news agency, Kavir".
                    descriptor = Some(prev_lower.to_string());
                }
            }
            // "The finance minister, Tomasz Wierzbicki, ...": a role in apposition before. A
            // possessor is never in apposition ("X, an analyst at Y, Norveld's brands").
            // With a title ("a forensic engineer, Dr Kamal Iqbal") the apposition is a second role.
            let mut role_in_apposition = None;
            if strip_possessive(ws[last - 1].text) == ws[last - 1].text {
                if role.is_none() {
                    role = role_before(sentence, ws[first].start);
                } else if title_split {
                    role_in_apposition = role_before(sentence, span_words[0].start);
                }
            }
            if descriptor.is_none() {
                descriptor = org_noun_before(sentence, ws[first].start);
            }
            // "Iran Javanshir Akhundov" (after "Ambassador ... to"): a place before a name.
            let name_words = if name_words.len() >= 3
                && (gazetteer::is_known_place(name_words[0].text) || gazetteer::is_demonym(name_words[0].text))
                && !name_words.iter().any(|w| has_word(strip_possessive(w.text), ORG_WORDS))
            {
                &name_words[1..]
            } else {
                name_words
            };
            // "Residents of Kelbrook Mill say": a plural noun opening the sentence is not part
            // of the name after "of".
            let name_words = if initial
                && first == span.start_word
                && name_words.len() >= 3
                && name_words[1].text == "of"
                && name_words[0].text.ends_with('s')
                && !has_word(name_words[0].text, ORG_WORDS)
                && !has_word(name_words[0].text, PLACE_WORDS)
                && !gazetteer::is_known_place(name_words[0].text)
            {
                &name_words[2..]
            } else {
                name_words
            };
            // "Sofie Claes of Brabant Capital": a person, then where they work.
            let (name_words, tail) = split_name_of_org(name_words);
            for (part, is_tail) in [(Some(name_words), false), (tail, true)] {
                let Some(name_words) = part else { continue };
                let Some(first_name_word) = name_words.first() else { continue };
                let last_name_word = name_words.last().expect("non-empty");
                let start = first_name_word.start;
                let end = last_name_word.end;
                let raw = &sentence[start..end];
                let name = strip_possessive(raw);
                if name.chars().count() < 2 || gazetteer::is_demonym(name) || gazetteer::is_region_adjective(name) || name.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                // Hyphenated pairs of countries ("Iran-Azerbaijan") are adjectives, not names.
                if name.contains('-') && name.split('-').all(|p| gazetteer::is_known_place(p) || gazetteer::is_demonym(p)) {
                    continue;
                }
                let after = &sentence[end..];
                let name_index = ws.iter().position(|w| w.start == start).unwrap_or(first);
                let prev_word = ws[..name_index].last().map(|w| Lower::new(w.text));
                // "in Baku" (not "Outside, Rebecca Long": the comma ends the adverb).
                let prev_gap_plain = name_index > 0 && gap_is_space(sentence, ws[name_index - 1].end, start);
                let locative_before = prev_gap_plain
                    && prev_word.as_deref().is_some_and(|p: &str| {
                        matches!(
                            p,
                            "in" | "at"
                                | "to"
                                | "from"
                                | "near"
                                | "across"
                                | "via"
                                | "into"
                                | "through"
                                | "towards"
                                | "toward"
                                | "around"
                                | "outside"
                                | "inside"
                        )
                    });
                // "Residents of X in North Yorkshire say": a name after a preposition is not
                // the verb's subject.
                let after_preposition =
                    locative_before || (prev_gap_plain && prev_word.as_deref().is_some_and(|p| matches!(p, "of" | "for" | "with" | "by" | "on")));
                let speech_after = !after_preposition && speech_verb_follows(after);
                let appositive_role = if is_tail { None } else { appositive(after).or_else(|| role_in_apposition.clone()) };
                let initial = initial && first == span.start_word && !is_tail;
                let key = name_key(name);
                if !initial && !midsentence_keys.contains(&key) {
                    midsentence_keys.insert(key.clone());
                }
                let camel = name.chars().skip(1).any(char::is_uppercase) && name.chars().any(char::is_lowercase) && !name.contains(' ');
                let acronym = name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && name.chars().all(|c| c.is_ascii_uppercase() || c == '&');
                let relative_after = ["who", "which", "whose"].iter().any(|r| after.strip_prefix(", ").is_some_and(|a| a.starts_with(r)));
                let descriptor = if is_tail { None } else { descriptor.clone().or_else(|| appositive_org_noun(after)).or_else(|| org_noun_after(after)) };
                candidates.push(Candidate {
                    start: range.start + start,
                    end: range.start + start + name.len(),
                    // The phrase includes a title written before the name, nothing else.
                    phrase_start: range.start + if !is_tail && (title_split || lowercase_role) { phrase_start.min(start) } else { start },
                    sentence: si,
                    name,
                    role: if is_tail { None } else { role.clone() },
                    initial,
                    speech_after,
                    locative_before,
                    appositive_role,
                    name_like: camel || acronym || relative_after,
                    descriptor,
                    // "Nadia Shah KC": letters after a name belong to people.
                    aged: age_follows(after) || (post_nominal && !is_tail),
                    key,
                    titled: !is_tail && first == span.start_word + 1 && titled_run(sentence, &ws, span.start_word),
                });
            }
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
    let mut votes: FastMap<String, Votes> = FastMap::default();
    for c in &candidates {
        if !votes.contains_key(&c.key) {
            votes.insert(c.key.clone(), Votes::default());
        }
        let v = votes.get_mut(&c.key).expect("inserted");
        let words_n = c.name.split(' ').count();
        // "Brenner & Co", "Marks & Spencer": an ampersand joins the names of a firm.
        if has_word(c.name, ORG_WORDS) || c.name.contains(" & ") {
            v.org += 4;
        }
        if has_word(c.name, THING_WORDS) {
            v.thing += 4;
        }
        let last = last_word(c.name);
        if PLACE_WORDS.iter().any(|p| last.eq_ignore_ascii_case(p)) || (words_n >= 2 && PLACE_PREFIXES.contains(&first_word(c.name))) {
            v.place += 4;
        }
        if gazetteer::is_known_place(c.name) {
            v.place += 6;
        }
        let acronym = c.name.len() <= 6 && c.name.chars().all(|ch| ch.is_ascii_uppercase());
        if acronym && !gazetteer::is_known_place(c.name) {
            v.org += 3;
        }
        if c.descriptor.is_some() {
            v.org += 3;
        }
        if c.titled {
            v.org += 2;
        }
        if c.role.is_some() && !acronym {
            v.person += 4;
        }
        if c.appositive_role.is_some() || c.aged {
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
    // A surname that behaves like a person ("Allen, 21, said") makes the full name one
    // ("a late header from Marcus Allen").
    let person_surnames: FastSet<String> = candidates
        .iter()
        .filter(|c| !c.name.contains(' ') && (c.speech_after || c.aged || c.role.is_some() || c.appositive_role.is_some()))
        .map(|c| c.key.clone())
        .collect();
    if !person_surnames.is_empty() {
        for c in candidates.iter().filter(|c| c.name.contains(' ')) {
            if person_surnames.contains(&name_key(last_word(c.name))) {
                votes.entry(c.key.clone()).or_default().person += 3;
            }
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
    let mut person_of_key: FastMap<String, usize> = FastMap::default();
    // Name keys of `persons`, kept alongside.
    let mut person_name_keys: Vec<String> = Vec::new();
    let mut full_names: Vec<&Candidate> = candidates.iter().filter(|c| c.name.contains(' ') && kind_of(&c.key) == EntityKind::Person).collect();
    full_names.sort_by_key(|c| std::cmp::Reverse(c.name.split(' ').count()));
    for c in full_names {
        let key = c.key.as_str();
        if person_of_key.contains_key(key) {
            continue;
        }
        let found = person_name_keys.iter().position(|k| same_person_keys(k, &c.key));
        let idx = match found {
            Some(i) => i,
            None => {
                persons.push(DocPerson { name: c.name.to_string(), variants: Vec::new(), roles: Vec::new(), gender: None, mentions: 0 });
                person_name_keys.push(c.key.clone());
                persons.len() - 1
            }
        };
        // A transcript's "DANIEL KERR" is not the canonical spelling of "Daniel Kerr".
        if is_all_caps(&persons[idx].name) && !is_all_caps(c.name) && persons[idx].name.split(' ').count() <= c.name.split(' ').count() {
            persons[idx].name = c.name.to_string();
            person_name_keys[idx] = c.key.clone();
        }
        if !persons[idx].variants.iter().any(|v| v == c.name) {
            persons[idx].variants.push(c.name.to_string());
        }
        person_of_key.insert(key.to_string(), idx);
    }
    // Surnames alone, first names alone, and single names that behave like people. A
    // surname several people share ("Ferrante" for a family) is decided per mention.
    let mut shared_surnames: FastSet<String> = FastSet::default();
    // (surname key, first-name key) per person, computed once.
    let mut person_keys: Vec<(String, String)> = persons.iter().map(|p| (name_key(last_word(&p.name)), name_key(first_word(&p.name)))).collect();
    for c in &candidates {
        let key = c.key.as_str();
        if person_of_key.contains_key(key) || shared_surnames.contains(key) || c.name.contains(' ') {
            continue;
        }
        let (by_surname, several) = first_and_more((0..persons.len()).filter(|&p| person_keys[p].0 == key));
        if several {
            shared_surnames.insert(key.to_string());
            continue;
        }
        if let Some(p) = by_surname {
            person_of_key.insert(key.to_string(), p);
            continue;
        }
        // "Rosa" where the article has one Rosa Ferrante: the first name stands for her.
        let (by_first, several) = first_and_more((0..persons.len()).filter(|&p| persons[p].name.contains(' ') && person_keys[p].1 == key));
        if let Some(p) = by_first.filter(|_| !several && !gazetteer::is_known_place(c.name) && !gazetteer::is_demonym(c.name)) {
            person_of_key.insert(key.to_string(), p);
        } else if kind_of(key) == EntityKind::Person
            && (midsentence_keys.contains(key) || c.role.is_some() || c.speech_after)
            && !gazetteer::is_group_noun(&Lower::new(c.name))
        {
            persons.push(DocPerson { name: c.name.to_string(), variants: vec![c.name.to_string()], roles: Vec::new(), gender: None, mentions: 0 });
            person_keys.push((key.to_string(), key.to_string()));
            person_of_key.insert(key.to_string(), persons.len() - 1);
        }
    }
    let mut mentions = Vec::with_capacity(candidates.len());
    let mut latest_by_surname: FastMap<String, usize> = FastMap::default();
    let mut descriptors: Vec<(Option<String>, bool)> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let key = c.key.as_str();
        // A single capitalised word at a sentence start is only a name if it is one elsewhere.
        if c.initial
            && !c.name.contains(' ')
            && !midsentence_keys.contains(key)
            && !gazetteer::is_known_place(c.name)
            && !person_of_key.contains_key(key)
            && !shared_surnames.contains(key)
            && !c.speech_after
            && !c.name_like
        {
            continue;
        }
        let person = person_of_key.get(key).copied().or_else(|| {
            // A shared surname: the family member named most recently, else the first.
            shared_surnames.contains(key).then(|| {
                latest_by_surname.get(key).copied().unwrap_or_else(|| (0..persons.len()).find(|&p| person_keys[p].0 == key).expect("shared surname has people"))
            })
        });
        let kind = if person.is_some() { EntityKind::Person } else { kind_of(key) };
        if let Some(p) = person {
            match latest_by_surname.get_mut(&person_keys[p].0) {
                Some(latest) => *latest = p,
                None => {
                    latest_by_surname.insert(person_keys[p].0.clone(), p);
                }
            }
            let dp = &mut persons[p];
            dp.mentions += 1;
            for role in c.role.iter().chain(c.appositive_role.iter()) {
                if !dp.roles.contains(role) {
                    dp.roles.push(role.clone());
                }
            }
        }
        descriptors.push((c.descriptor, c.name_like || c.speech_after));
        mentions.push(NameMention {
            start: c.start,
            end: c.end,
            sentence: c.sentence,
            name: c.name.to_string(),
            kind,
            person,
            role: c.role,
            phrase_start: c.phrase_start,
            org: None,
        });
    }
    infer_genders(body, sentences, &mentions, &mut persons, &quoted);
    let orgs = build_orgs(&mut mentions, &descriptors);
    DocEntities { mentions, persons, orgs }
}

/// Is the sentence at byte `at` on a line of page furniture (a caption, a credit, a byline,
/// a cross-link)? The same recognition the index uses for its prose field
/// ([`furniture::is_furniture_line`]); `cache` keeps the last line's verdict, since the
/// sentences of a line come one after another.
fn on_furniture_line(body: &str, at: usize, cache: &mut Option<(Range<usize>, bool)>) -> bool {
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
fn date_after_name(sentence: &str, ws: &[Word], i: usize) -> bool {
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

/// The first item and whether there are more, without collecting.
fn first_and_more(mut items: impl Iterator<Item = usize>) -> (Option<usize>, bool) {
    let first = items.next();
    let more = first.is_some() && items.next().is_some();
    (first, more)
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or(name)
}

/// Organisations of a document: every organisation mention, and other names that the text
/// calls a company, group or agency, grouped under their fullest form. An acronym joins
/// the name whose initials it spells ("CAA" → "Civil Aviation Authority"), and a first
/// word joins the full name ("Skylark" → "Skylark Air").
fn build_orgs(mentions: &mut [NameMention], descriptors: &[(Option<String>, bool)]) -> Vec<DocOrg> {
    // Other names count when the text treats them as a body: a descriptor ("the consumer
    // group Fair Deal"), an acronym, or a name that speaks ("Aerovia, which ..., said").
    // "Norveld" in a story about "Norveld Foods": the first word of an organisation's name.
    let org_names: Vec<&str> = mentions.iter().filter(|m| m.kind == EntityKind::Organization && m.name.contains(' ')).map(|m| m.name.as_str()).collect();
    let first_word_of_org = |name: &str| org_names.iter().any(|n| n.len() > name.len() && n.starts_with(name) && n[name.len()..].starts_with(' '));
    let is_org = |m: &NameMention, d: &(Option<String>, bool)| match m.kind {
        EntityKind::Organization => true,
        EntityKind::Other => d.0.is_some() || d.1 || acronym_like(&m.name) || first_word_of_org(&m.name),
        // "Shares in Norveld": a preposition made it look like a place.
        EntityKind::Place => !gazetteer::is_known_place(&m.name) && first_word_of_org(&m.name),
        _ => false,
    };
    let names: Vec<(usize, String)> =
        mentions.iter().zip(descriptors).enumerate().filter(|(_, (m, d))| is_org(m, d)).map(|(i, (m, _))| (i, m.name.clone())).collect();
    let mut orgs: Vec<DocOrg> = Vec::new();
    let mut org_of_key: FastMap<String, usize> = FastMap::default();
    // Each distinct name is looked up once against the distinct names.
    let mut unique: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut full_of: FastMap<&str, String> = FastMap::default();
    for (i, name) in &names {
        let full = full_of.entry(name.as_str()).or_insert_with(|| canonical_org_name(name, unique.iter().copied())).clone();
        let key = name_key(&full);
        let o = *org_of_key.entry(key).or_insert_with(|| {
            orgs.push(DocOrg { name: full.clone(), nouns: Vec::new(), company_like: false, mentions: 0 });
            orgs.len() - 1
        });
        let org = &mut orgs[o];
        org.mentions += 1;
        // The head word says what it is: "Bank of England" is a bank, "Skylark Air" an airline.
        let head_part = full.split(" of ").next().unwrap_or(&full).split(" for ").next().unwrap_or(&full);
        let head = head_part.rsplit([' ', '-']).map(|w| Lower::new(strip_possessive(w))).find_map(|w| ORG_WORD_NOUNS.iter().find(|(k, _)| *k == w.as_str()));
        if let Some((_, nouns)) = head {
            for n in *nouns {
                if !org.nouns.iter().any(|x| x == n) {
                    org.nouns.push((*n).to_string());
                }
            }
        }
        if let Some(d) = &descriptors[*i].0
            && !org.nouns.contains(d)
        {
            org.nouns.push(d.clone());
        }
        mentions[*i].org = Some(o);
    }
    for org in &mut orgs {
        let civic = org.name.split([' ', '-']).any(|w| CIVIC_WORDS.contains(&Lower::new(strip_possessive(w)).as_str()));
        // "group" names associations as often as companies: it decides nothing.
        let company_noun = org.nouns.iter().any(|n| n != "group" && COMPANY_NOUNS.contains(n.as_str()));
        let other_noun = org.nouns.iter().any(|n| !COMPANY_NOUNS.contains(n.as_str()));
        org.company_like = company_noun || (!civic && !other_noun && !acronym_like(&org.name));
    }
    orgs
}

fn acronym_like(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && !name.contains(' ') && name.chars().all(|c| c.is_ascii_uppercase() || c == '&' || c == '.')
}

/// The fullest form of an organisation's name among `all`: the name an acronym abbreviates,
/// or a longer name that starts with this one.
fn canonical_org_name<'a>(name: &str, all: impl Iterator<Item = &'a str> + Clone) -> String {
    if acronym_like(name) {
        let letters: String = name.chars().filter(char::is_ascii_uppercase).collect();
        if let Some(full) = all.clone().find(|n| n.contains(' ') && initials(n) == letters) {
            return full.to_string();
        }
        return name.to_string();
    }
    let prefix = format!("{name} ");
    all.filter(|n| n.starts_with(&prefix) && !n[prefix.len()..].starts_with(|c: char| c.is_lowercase()))
        .max_by_key(|n| n.len())
        .map_or_else(|| name.to_string(), str::to_string)
}

/// "Civil Aviation Authority" → "CAA"; small words are skipped ("Ministry of Transport" → "MT").
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| !matches!(*w, "of" | "for" | "and" | "the" | "on" | "in" | "&" | "de"))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_uppercase)
        .collect()
}

/// Byte ranges inside double quotation marks (straight or curly), within a paragraph.
/// Pronouns there belong to the quoted speaker's world, not to the narration.
fn quoted_ranges(body: &str) -> Vec<Range<usize>> {
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
fn possessive_her(after: &str) -> bool {
    let Some(next) = after.strip_prefix(' ').and_then(|a| word_iter(a).next()) else { return false };
    after[1..1 + next.start].is_empty() && next.text.starts_with(char::is_lowercase) && !lexicon::is_function_word(next.text)
}

fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= pos);
    ranges.get(i).is_some_and(|r| r.start <= pos)
}

/// Does a speech verb come right after a name ("Rosa said", "Ruby, said")? A verb after
/// another subject ("Pressed by MPs, he conceded") says nothing about the name.
fn speech_verb_follows(after: &str) -> bool {
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
fn role_before(sentence: &str, name_start: usize) -> Option<String> {
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
fn org_noun_before(sentence: &str, name_start: usize) -> Option<String> {
    let before = sentence[..name_start].trim_end().strip_suffix(',')?;
    let last = word_iter(before).last()?;
    if !before[last.end..].trim().is_empty() {
        return None;
    }
    let lower = Lower::new(last.text);
    ORG_NOUNS.contains(lower.as_str()).then(|| lower.to_string())
}

/// ", 21," after a name: an age, so a person.
fn age_follows(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(", ") else { return false };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].starts_with([',', ')'])
}

/// "the Save Ashby Fields group": an organisation noun right after a name.
fn org_noun_after(after: &str) -> Option<String> {
    let first = word_iter(after).next()?;
    if !after[..first.start].trim().is_empty() {
        return None;
    }
    let lower = Lower::new(first.text);
    (first.text.starts_with(char::is_lowercase) && ORG_NOUNS.contains(lower.as_str()) && lower != "side").then(|| lower.to_string())
}

/// "FNV, the largest Dutch union, ...": an organisation noun in apposition after a name.
fn appositive_org_noun(after: &str) -> Option<String> {
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

/// "Sofie Claes of Brabant Capital": split a two- or three-word personal name from the
/// organisation or place after "of". Names like "Bank of England" or "Ports of Sweden"
/// (an organisation word, or one word before "of") stay whole.
fn split_name_of_org<'w, 'a>(name_words: &'w [Word<'a>]) -> (&'w [Word<'a>], Option<&'w [Word<'a>]>) {
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

fn gap_is_space(text: &str, a: usize, b: usize) -> bool {
    a <= b && text[a..b].chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// "Fishermen's", "Workers'": a plural possessive, which can sit inside an organisation's
/// name ("Norwegian Fishermen's Association"), unlike "Iran's".
fn is_plural_possessive(word: &str, gap: &str) -> bool {
    let lower = Lower::new(word);
    let s_apostrophe = lower.ends_with('s') && gap.strip_prefix(['\'', '’']).is_some_and(|g| g.trim().is_empty());
    let irregular = ["men's", "men’s", "children's", "children’s", "people's", "people’s"].iter().any(|e| lower.ends_with(e));
    s_apostrophe || irregular
}

/// Does a run of capitalised words starting at `from` end in an organisation word?
fn org_head_follows(sentence: &str, ws: &[Word], from: usize) -> bool {
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
fn org_connector(sentence: &str, ws: &[Word], start: usize, end: usize) -> Option<usize> {
    let w = ws[end].text;
    let plain = |a: usize| a + 1 < ws.len() && gap_is_space(sentence, ws[a].end, ws[a + 1].start);
    let run_ends_in_org = has_word(ws[end - 1].text, ORG_WORDS);
    match w {
        "for" | "of" if plain(end) && ws[end + 1].text == "the" && plain(end + 1) && ws[end + 2].is_capitalised() && run_ends_in_org => Some(2),
        "for" if plain(end) && ws[end + 1].is_capitalised() && run_ends_in_org => Some(1),
        "and" if plain(end) && ws[end + 1].is_capitalised() => {
            // "The Globe and Mail": a capitalised "The" inside a sentence opens a title, and
            // its "and" joins one word to one word.
            if titled_run(sentence, ws, start) && end == start + 2 && !(end + 2 < ws.len() && plain(end + 1) && ws[end + 2].is_capitalised()) {
                return Some(1);
            }
            let run: Vec<&Word> = ws[start..end].iter().filter(|w| !is_not_name(w.text)).collect();
            let left_ok = (1..=2).contains(&run.len())
                && run.iter().all(|w| !has_word(w.text, ORG_WORDS) && !gazetteer::is_known_place(w.text) && !gazetteer::is_demonym(w.text));
            (left_ok && org_head_follows(sentence, ws, end + 1)).then_some(1)
        }
        _ => None,
    }
}

/// A handle, a hashtag or a link's path: "@IAmTheJody", "#BernieOrBust", "t.co/PfASk".
fn after_handle_mark(sentence: &str, at: usize) -> bool {
    sentence.get(..at).is_some_and(|b| b.ends_with(['@', '#', '/', '_']))
}

/// Byte ranges of the headlines a sentence quotes or runs into ("an email stating, “Senator
/// Wins Primary as He Thanks Voters”"): stretches of four words or more between quotation
/// marks or sentence bounds where every word but the small ones is capitalised and a small
/// word is too ("As", "For", "To"). Their capitalised words are headline style, not names.
fn title_case_stretches(sentence: &str, ws: &[Word]) -> Vec<Range<usize>> {
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
fn titled_run(sentence: &str, ws: &[Word], start: usize) -> bool {
    ws.get(start).is_some_and(|w| w.text == "The" && sentence.get(..w.start).is_some_and(|b| b.chars().any(char::is_alphanumeric)))
}

/// Maximal runs of capitalised words joined by single spaces (and name connectors).
fn spans(sentence: &str, ws: &[Word]) -> Vec<RawSpan> {
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
            if gap == ". " && ws[end].is_capitalised() && (initial || lexicon::TITLE_ABBREVIATIONS.contains(&Lower::new(prev.text).as_str())) {
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

/// ", the Iranian president’s political advisor," after a name: a role in apposition.
fn appositive(after: &str) -> Option<String> {
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

/// Are two full names the same person: one surname, first names equal, a spelling
/// variant ("Masoud"/"Massoud"), an initial, or one name contained in the other.
pub fn same_person(a: &str, b: &str) -> bool {
    same_person_keys(&name_key(a), &name_key(b))
}

/// [`same_person`] on name keys.
fn same_person_keys(ka: &str, kb: &str) -> bool {
    if ka == kb {
        return true;
    }
    if ka.rsplit(' ').next() != kb.rsplit(' ').next() {
        return false;
    }
    if !ka.contains(' ') || !kb.contains(' ') {
        return true;
    }
    let (fa, fb) = (ka.split(' ').next().unwrap_or(ka), kb.split(' ').next().unwrap_or(kb));
    if fa == fb || (fa.len() == 1 && fb.starts_with(fa)) || (fb.len() == 1 && fa.starts_with(fb)) {
        return true;
    }
    edit_distance(fa, fb, 1) <= typo_budget(fa.len().min(fb.len())).min(1)
}

/// Gender from how the text refers back: a sentence naming exactly one person followed
/// (in it or the next sentence) by he/his/him or she/her, outside quotation marks (a
/// quote's pronouns point into the speaker's own story). Honorifics and family words in a
/// role ("Mrs", "her son, ...", "a mother of three") decide outright.
fn infer_genders(body: &str, sentences: &[Range<usize>], mentions: &[NameMention], persons: &mut [DocPerson], quoted: &[Range<usize>]) {
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
    /// minister", "Iran's president". Among the people who hold a compatible role, one named
    /// in the last two sentences wins; otherwise the most mentioned one (the story's chief
    /// executive rather than a rival's), then the latest.
    pub fn resolve_role(&self, country: Option<&str>, head: &str, position: usize) -> Option<usize> {
        // Who fits, decided once per person rather than per mention.
        let fitting: Vec<bool> = self
            .persons
            .iter()
            .map(|person| {
                person.roles.iter().any(|r| role_head(r).is_some_and(|h| heads_compatible(head, &h)) && (country.is_none() || role_country(r) == country))
            })
            .collect();
        self.resolve_among(&fitting, position)
    }

    /// [`resolve_role`](Self::resolve_role) for "the Portuguese coach" when no role names a
    /// country: a holder of the role whose roles name no country at all.
    pub fn resolve_role_countryless(&self, head: &str, position: usize) -> Option<usize> {
        let fitting: Vec<bool> = self
            .persons
            .iter()
            .map(|person| {
                person.roles.iter().all(|r| role_country(r).is_none()) && person.roles.iter().any(|r| role_head(r).is_some_and(|h| heads_compatible(head, &h)))
            })
            .collect();
        self.resolve_among(&fitting, position)
    }

    /// The person among `fitting` a role noun at `position` refers to: one named in the
    /// last sentences, else the most mentioned before it, else the most mentioned.
    fn resolve_among(&self, fitting: &[bool], position: usize) -> Option<usize> {
        if !fitting.contains(&true) {
            return None;
        }
        let fits = |p: usize| fitting[p];
        let here = self.mentions.partition_point(|m| m.start < position);
        let sentence_now = self.mentions[..here].last().map_or(0, |m| m.sentence);
        let recent = self.mentions[..here].iter().rev().take_while(|m| m.sentence + 2 >= sentence_now).filter_map(|m| m.person).find(|&p| fits(p));
        if recent.is_some() {
            return recent;
        }
        let mut best: Option<(u32, usize, usize)> = None;
        for (i, m) in self.mentions[..here].iter().enumerate() {
            if let Some(p) = m.person.filter(|&p| fits(p)) {
                let key = (self.persons[p].mentions, i, p);
                if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                    best = Some(key);
                }
            }
        }
        best.map(|b| b.2).or_else(|| (0..self.persons.len()).filter(|&p| fits(p)).max_by_key(|&p| self.persons[p].mentions))
    }

    /// The person a name refers to in this document (full name, variant or surname).
    pub fn person_named(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.persons.iter().position(|p| p.variants.iter().any(|v| name_key(v) == key) || name_key(&p.name) == key).or_else(|| {
            let sur: Vec<usize> = (0..self.persons.len()).filter(|&p| name_key(last_word(&self.persons[p].name)) == key).collect();
            (sur.len() == 1).then(|| sur[0])
        })
    }

    /// The organisation a common noun refers to at byte `position` ("the company", "the
    /// agency", "the association"): the latest one mentioned before that the noun fits.
    pub fn resolve_org_noun(&self, noun: &str, position: usize) -> Option<usize> {
        let noun = noun.to_lowercase();
        let noun = match noun.as_str() {
            "organization" => "organisation".to_string(),
            "firms" | "companies" => "company".to_string(),
            _ => noun,
        };
        let here = self.mentions.partition_point(|m| m.start < position);
        self.mentions[..here].iter().rev().filter_map(|m| m.org).find(|&o| self.org_fits(o, &noun))
    }

    /// Can this common noun ("company", "agency", "group") refer to organisation `o`?
    pub fn org_fits(&self, o: usize, noun: &str) -> bool {
        let org = &self.orgs[o];
        org.nouns.iter().any(|n| n == noun)
            || (COMPANY_NOUNS.contains(noun) && noun != "group" && org.company_like)
            || (noun == "group" && (org.company_like || org.nouns.iter().any(|n| n == "association" || n == "charity" || n == "union")))
            || matches!(noun, "organisation" | "body")
    }

    /// Football writing names clubs after towns ("Riverside City"): for "the club", the
    /// latest such name typed as a place, when no organisation fits.
    pub fn club_place_before(&self, position: usize) -> Option<&str> {
        let here = self.mentions.partition_point(|m| m.start < position);
        self.mentions[..here]
            .iter()
            .rev()
            .find(|m| {
                m.kind == EntityKind::Place
                    && m.name.contains(' ')
                    && !gazetteer::is_known_place(&m.name)
                    && matches!(last_word(&m.name), "City" | "Town" | "County" | "United" | "Rovers" | "Athletic" | "Wanderers")
            })
            .map(|m| m.name.as_str())
    }

    /// The organisation whose name starts with `prefix` ("Skylark" → "Skylark Air").
    pub fn org_with_prefix(&self, prefix: &str) -> Option<usize> {
        let key = name_key(prefix);
        if key.is_empty() {
            return None;
        }
        let spaced = format!("{key} ");
        self.orgs.iter().position(|o| name_key(&o.name) == key).or_else(|| self.orgs.iter().position(|o| name_key(&o.name).starts_with(&spaced)))
    }

    /// Mentions (indices) whose name ends exactly at byte `end`.
    pub fn mention_ending_at(&self, end: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.start < end);
        self.mentions[..i].iter().rev().take(4).position(|m| m.end == end).map(|k| i - 1 - k)
    }

    /// The mention (index) that starts at byte `start`, title included or not.
    pub fn mention_starting_at(&self, start: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.phrase_start < start.saturating_sub(80));
        self.mentions[i..].iter().take_while(|m| m.phrase_start <= start + 1).position(|m| m.phrase_start == start || m.start == start).map(|k| k + i)
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

/// The most roles an entity keeps from the articles' people.
const MAX_ROLES: usize = 12;

impl Entity {
    /// An entity founded by a person of one article, before [`absorb`](Self::absorb)s it.
    pub fn of_person(p: &DocPerson) -> Entity {
        Entity { name: p.name.clone(), kind: EntityKind::Person, aliases: Vec::new(), roles: Vec::new(), mentions: 0, docs: 0 }
    }

    /// Merge one article's person into this entity: the one merge rule of the table, used by
    /// [`EntityTable::build`] and by the groups kept per surname (`engine/table.rs`), so both
    /// make the same table. Mentions add up; `new_doc` counts another article; the name with
    /// more words becomes the canonical one; every spelling becomes an alias (folded); roles
    /// join in order, up to [`MAX_ROLES`].
    pub fn absorb(&mut self, p: &DocPerson, new_doc: bool) {
        self.mentions += p.mentions;
        if new_doc {
            self.docs += 1;
        }
        if p.name.split(' ').count() > self.name.split(' ').count() {
            self.name = p.name.clone();
        }
        for v in p.variants.iter().chain(std::iter::once(&p.name)) {
            let k = name_key(v);
            if !self.aliases.contains(&k) {
                self.aliases.push(k);
            }
        }
        for r in &p.roles {
            if !self.roles.contains(r) && self.roles.len() < MAX_ROLES {
                self.roles.push(r.clone());
            }
        }
    }

    /// Merge a single-word "person" that is this person's surname: its mentions add up, its
    /// articles count as many as the larger of the two (they are mostly the same articles),
    /// its roles join.
    pub fn absorb_surname(&mut self, lone: &Entity) {
        self.mentions += lone.mentions;
        self.docs = self.docs.max(lone.docs);
        for r in &lone.roles {
            if !self.roles.contains(r) {
                self.roles.push(r.clone());
            }
        }
    }
}

/// The corpus-wide entity table: canonical names and their aliases.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
    #[serde(skip)]
    by_alias: HashMap<String, Vec<usize>>,
    /// Entities by each word of their aliases (folded), most mentioned first.
    #[serde(skip)]
    by_word: HashMap<String, Vec<usize>>,
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
                    entities.push(Entity::of_person(p));
                    candidates.push(entities.len() - 1);
                    entities.len() - 1
                }
            };
            let new_doc = last_doc.insert(e, doc_of_person[i]) != Some(doc_of_person[i]);
            entities[e].absorb(p, new_doc);
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
        let mut table = EntityTable { entities, by_alias: HashMap::new(), by_word: HashMap::new() };
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
            let lone = table.entities[i].clone();
            table.entities[j].absorb_surname(&lone);
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
        self.by_word.clear();
        for (i, e) in self.entities.iter().enumerate() {
            for a in &e.aliases {
                self.by_alias.entry(a.clone()).or_default().push(i);
                for w in a.split(' ') {
                    let v = self.by_word.entry(w.to_string()).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
    }

    /// Entities one of whose spellings contains every word of `name` (folded), most
    /// mentioned first: "wasserman" finds Debbie Wasserman Schultz and David Wasserman.
    pub fn containing_words(&self, name: &str) -> Vec<&Entity> {
        let key = name_key(name);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let Some(first) = words.first().and_then(|w| self.by_word.get(*w)) else { return Vec::new() };
        first.iter().map(|&i| &self.entities[i]).filter(|e| e.aliases.iter().any(|a| words.iter().all(|w| a.split(' ').any(|x| x == *w)))).collect()
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

    fn names(d: &DocEntities) -> Vec<&str> {
        d.mentions.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn furniture_lines_give_no_names() {
        let text = "Ferry strike ends at Port Elm.\n\
            Open this photo in gallery Harbour Minister Ada Brook speaks to reporters at the quay.\n\
            Ada Brook leaves the council chamber. Tom Vale/The Associated Press\n\
            By Lena Ortiz\n\
            WATCH: Minister Ada Brook on the strike\n\
            Article continued below\n\
            Harbour Minister Ada Brook said on Tuesday that the strike was over. Brook thanked the unions.\n";
        let d = doc(text);
        let first_line_end = text.find('\n').unwrap();
        let story = text.find("Harbour Minister Ada Brook said").unwrap();
        assert!(d.mentions.iter().all(|m| m.start < first_line_end || m.start >= story), "names on furniture lines: {:?}", names(&d));
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Ada Brook"], "{:?}", names(&d));
        assert_eq!(d.persons[0].mentions, 2, "the story's two mentions, none from captions");
    }

    #[test]
    fn dates_and_party_tags_never_join_a_name() {
        let d =
            doc("Sen. Ada Crane (D-Mich.) flew to Azerbaijan April 5 and met officials in Baku Tuesday. Rep. Tom Vale, R-N.Y., stayed in Port Elm Sept. 12.");
        let all = names(&d);
        for name in ["Azerbaijan", "Baku", "Port Elm", "Ada Crane", "Tom Vale"] {
            assert!(all.contains(&name), "{name} missing from {all:?}");
        }
        assert!(all.iter().all(|n| !n.contains("April") && !n.contains("Tuesday") && !n.contains("Sept") && !n.contains('-')), "{all:?}");
        // "May" is a surname as often as a month: it stays at the end of a name.
        let d = doc("The talks were led by Prime Minister Theresa May, officials said.");
        assert!(names(&d).contains(&"Theresa May"), "{:?}", names(&d));
    }

    #[test]
    fn headlines_handles_initials_and_shouting_are_not_names() {
        let d = doc("The campaign sent an email stating, “Mayor Ada Brook Wins Harbour Vote as She Thanks Ferry Workers.” Brook spoke later.");
        assert!(names(&d).iter().all(|n| !n.contains("Wins") && !n.contains("Ferry Workers")), "{:?}", names(&d));
        assert!(names(&d).contains(&"Brook"), "{:?}", names(&d));
        let d = doc("Supporters posted #SaveTheFerry and @AdaBrookPort photos at t.co/XyZab12 on Tuesday.");
        assert!(names(&d).is_empty(), "{:?}", names(&d));
        let d = doc("PORT ELM, Vale. — Speaker Tom D. Vale said the ferry would sail. BEGIN VIDEO CLIP");
        assert!(names(&d).contains(&"Tom D. Vale"), "{:?}", names(&d));
        assert!(names(&d).iter().all(|n| !n.contains("PORT") && !n.contains("CLIP")), "{:?}", names(&d));
        let d = doc("Montana Gov. Mira Holt and Actor Tomas Reyd spoke. The FBI and NATO said nothing.");
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Mira Holt", "Tomas Reyd"], "{:?}", names(&d));
        assert!(names(&d).contains(&"FBI") && names(&d).contains(&"NATO"), "{:?}", names(&d));
    }

    #[test]
    fn an_outlet_written_with_the_is_one_organisation() {
        let d = doc("The report was first published by The Globe and Mail on Friday, and the minister did not deny it.");
        let m = d.mentions.iter().find(|m| m.name.contains("Globe")).expect("the outlet is a name");
        assert_eq!(m.name, "Globe and Mail");
        assert_eq!(m.kind, EntityKind::Organization);
        assert!(!names(&d).contains(&"Mail"));
        // One word on each side only: "and" before a full name starts a new phrase.
        let d = doc("Lena Ortiz wrote to The Gazette and Tom Vale replied.");
        assert!(names(&d).contains(&"Tom Vale"), "{:?}", names(&d));
        assert!(names(&d).contains(&"Gazette"), "{:?}", names(&d));
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
    fn titles_hyphenated_roles_and_post_nominals() {
        let d = doc("Vice-chair Rhona Platt opened the session. Co-author Idris Bell spoke next. The inquiry heard from Nadia Shah KC on Monday.");
        let names: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Rhona Platt", "Idris Bell", "Nadia Shah"]);
    }

    #[test]
    fn person_of_organisation_splits() {
        let d = doc("The deal was backed by Greta Lind of Oskar Capital and by the Bank of England.");
        let kind = |n: &str| d.mentions.iter().find(|m| m.name == n).map(|m| m.kind);
        assert_eq!(kind("Greta Lind"), Some(EntityKind::Person));
        assert_eq!(kind("Oskar Capital"), Some(EntityKind::Organization));
        assert_eq!(kind("Bank of England"), Some(EntityKind::Organization));
    }

    #[test]
    fn organisation_names_keep_plural_possessives_and_small_words() {
        let d = doc("The Welsh Teachers' Union and the Ministry for the Economy met the Food and Drink Federation. Iran's Foreign Ministry stayed away.");
        let orgs: Vec<&str> = d.orgs.iter().map(|o| o.name.as_str()).collect();
        assert!(orgs.contains(&"Welsh Teachers' Union"), "{orgs:?}");
        assert!(orgs.contains(&"Ministry for the Economy"), "{orgs:?}");
        assert!(orgs.contains(&"Food and Drink Federation"), "{orgs:?}");
        assert!(orgs.contains(&"Foreign Ministry"), "{orgs:?}");
    }

    #[test]
    fn acronyms_and_first_words_join_the_full_name() {
        let text = "The Financial Conduct Authority opened a review. The FCA said more would follow. Larkspur Bank cut rates; a Larkspur spokesman declined to comment.";
        let d = doc(text);
        let org_of = |n: &str| d.mentions.iter().find(|m| m.name == n).and_then(|m| m.org).map(|o| d.orgs[o].name.as_str());
        assert_eq!(org_of("FCA"), Some("Financial Conduct Authority"));
        let p = text.find("a Larkspur").unwrap();
        assert_eq!(d.org_with_prefix("Larkspur").map(|o| d.orgs[o].name.as_str()), Some("Larkspur Bank"));
        assert_eq!(d.resolve_org_noun("bank", p).map(|o| d.orgs[o].name.as_str()), Some("Larkspur Bank"));
        assert_eq!(d.resolve_org_noun("regulator", p).map(|o| d.orgs[o].name.as_str()), Some("Financial Conduct Authority"));
    }

    #[test]
    fn first_names_and_shared_surnames() {
        let d = doc("Tomas Berg and his sister Ingrid Berg run the farm. Tomas drives the tractor. Berg is the elder.");
        let person = |n: &str| d.mentions.iter().find(|m| m.name == n).and_then(|m| m.person).map(|p| d.persons[p].name.as_str());
        assert_eq!(person("Tomas"), Some("Tomas Berg"));
        // "Berg" alone: the family member named last.
        assert_eq!(person("Berg"), Some("Tomas Berg"));
    }

    #[test]
    fn gender_from_relations_not_from_objects() {
        let d = doc("Her son, Felix Moor, arrived late. Counsel for the defence, Ama Osei, questioned him for an hour.");
        let g = |n: &str| d.persons.iter().find(|p| p.name == n).and_then(|p| p.gender);
        assert_eq!(g("Felix Moor"), Some(Gender::Male));
        assert_ne!(g("Ama Osei"), Some(Gender::Male));
    }

    #[test]
    fn names_after_prepositions_are_not_speakers_of_the_next_verb() {
        let d = doc("Villagers near Lower Brampton say the road is unsafe.");
        let kind = d.mentions.iter().find(|m| m.name == "Lower Brampton").map(|m| m.kind);
        assert_eq!(kind, Some(EntityKind::Place));
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
