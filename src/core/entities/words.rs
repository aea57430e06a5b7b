//! The word lists of the name stage that are not closed classes (those are in
//! `lang::lexicon`): words that open a sentence but never a name, name particles, place
//! prefixes, the nouns that refer back to an organisation, and small helpers on names.
//!
//! Invariant: lists only, and pure functions of one word or one name; no rule here looks at
//! a sentence.

use super::*;

/// Words capitalised only because they start a sentence, besides the closed classes of
/// [`lexicon::is_function_word`]: sentence adverbs, ordinals, interjections and the labels of
/// page furniture ("Photo", "Related").
pub(super) const NOT_NAMES_LIST: &[&str] = &[
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
    "neither",
    "either",
    // Sentence adverbs opening a quotation ("“Certainly Donald Trump has gone ...").
    "certainly",
    "clearly",
    "obviously",
    "surely",
    "frankly",
    "honestly",
    "actually",
    "basically",
    "definitely",
    "really",
    "probably",
    "apparently",
    "unfortunately",
    "fortunately",
    "hopefully",
    "initially",
    "eventually",
    "recently",
    "currently",
    "previously",
    "additionally",
    "interestingly",
    "maybe",
    "half",
    "fellow",
    "several",
    // Imperatives of page furniture: "(See Sexton’s full timeline below.)", "Watch: ...".
    "see",
    "watch",
    "click",
    // An adjective opening a description: "Former Carson advisers said".
    "former",
];

pub(super) static NOT_NAMES: WordSet = WordSet::new(NOT_NAMES_LIST);

/// First words that make a name a place: "River Leven", "Lake Geneva", "Mount Kenya", and the
/// saints and articles of Spanish and Portuguese place names ("San Jose", "Santa Ana", "Los
/// Alamos"), which read as a given name and a surname otherwise.
pub(super) const PLACE_PREFIXES: &[&str] = &[
    "River", "Lake", "Mount", "Cape", "Isle", "Fort", "Loch", "Glen", "Gulf", "Port", "North", "South", "East", "West", "Northern", "Southern", "Eastern",
    "Western", "Central", "Upper", "Lower", "Greater", "San", "Santa", "São", "Los", "Las", "Puerto",
];

pub(super) const CONNECTORS_LIST: &[&str] = &["of", "de", "al", "bin", "ibn", "van", "von", "la", "du", "del", "der", "da", "dos", "das", "di", "le", "el"];

pub(super) static CONNECTORS: WordSet = WordSet::new(CONNECTORS_LIST);

/// "Republicans Jolly and Lopez-Cantera", "Senators Rubio and Cruz": a plural party noun or
/// a plural title before a name describes the people named and is no part of a name.
pub(super) fn is_plural_label(word: &str) -> bool {
    matches!(word, "Senators" | "Sens" | "Reps" | "Representatives" | "Governors" | "Govs")
        || (crate::core::lang::names::is_party_plural(word) && word != "Labours")
}

pub(super) fn is_not_name(word: &str) -> bool {
    let f = fold_word(word);
    let f = f.trim_end_matches("'s");
    // ("Stated Stone: ...": a past tense of speech opening a sentence before a name.)
    NOT_NAMES.contains(f) || lexicon::is_function_word(f) || is_stopword(f) || (f.ends_with("ed") && gazetteer::is_speech_verb(f))
}

pub(super) fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).or_else(|| s.strip_suffix('’')).unwrap_or(s)
}

pub(super) fn has_word(name: &str, list: &[&str]) -> bool {
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

pub(super) fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// Nouns that "the company" may stand for: businesses rather than public bodies.
pub(super) const COMPANY_NOUNS_LIST: &[&str] = &[
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

pub(super) static COMPANY_NOUNS: WordSet = WordSet::new(COMPANY_NOUNS_LIST);

/// The other lowercase nouns that refer back to an organisation ("the agency said").
pub(super) const BODY_NOUNS_LIST: &[&str] = &[
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
pub(super) const ORG_WORD_NOUNS: &[(&str, &[&str])] = &[
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
pub(super) const CIVIC_WORDS: &[&str] = &[
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
pub(super) fn verbish(lower: &str) -> bool {
    lexicon::AUXILIARIES.contains(lower) || matches!(lower, "said" | "says" | "told")
}

pub(super) fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

pub(super) fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or(name)
}
