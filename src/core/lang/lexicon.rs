//! The closed-class words every stage shares: pronouns (with their agreement features),
//! determiners, prepositions, auxiliaries and common finite verb forms, conjunctions,
//! question words, weekdays and months (with their short forms), and the titles written
//! short before a name.
//!
//! Invariant: each word class is listed here once; stages ask this module instead of
//! keeping their own copy. Open-class vocabularies (places, titles, speech verbs) live in
//! `gazetteer.rs`.

use crate::core::gazetteer::WordSet;

/// Personal pronouns that can be a clause's subject.
const PRONOUNS_LIST: &[&str] = &["he", "she", "they", "it", "we", "i", "you"];
pub static PRONOUNS: WordSet = WordSet::new(PRONOUNS_LIST);

/// What a third-person pronoun agrees with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// he, him, his, himself
    Male,
    /// she, her, hers, herself
    Female,
    /// they, them, their: a group, an organisation or a person
    Plural,
    /// it, its: an organisation or a thing, never a person
    Neuter,
}

/// The agreement features of a third-person pronoun (any case), `None` for other words.
pub fn pronoun_agreement(lower: &str) -> Option<Agreement> {
    Some(match lower {
        "he" | "him" | "his" | "himself" => Agreement::Male,
        "she" | "her" | "hers" | "herself" => Agreement::Female,
        "they" | "them" | "their" | "theirs" | "themselves" => Agreement::Plural,
        "it" | "its" | "itself" => Agreement::Neuter,
        _ => return None,
    })
}

const PREPOSITIONS_LIST: &[&str] = &[
    "of",
    "for",
    "at",
    "in",
    "from",
    "with",
    "on",
    "by",
    "near",
    "to",
    "under",
    "among",
    "within",
    "across",
    "about",
    "into",
    "over",
    "after",
    "before",
    "during",
    "outside",
    "inside",
    "behind",
    "via",
    "without",
    "against",
    "between",
    "towards",
    "toward",
    "through",
    "like",
    "despite",
    "onto",
    "upon",
    "throughout",
    "beyond",
    "unlike",
    "per",
];
pub static PREPOSITIONS: WordSet = WordSet::new(PREPOSITIONS_LIST);

const SUBJECT_PRONOUNS_LIST: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "there"];
pub static SUBJECT_PRONOUNS: WordSet = WordSet::new(SUBJECT_PRONOUNS_LIST);

const DETERMINERS_LIST: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "some",
    "many",
    "most",
    "all",
    "no",
    "several",
    "every",
    "each",
    "any",
    "both",
    "few",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "more",
    "fewer",
    "less",
    "another",
    "nobody",
    "none",
    "nothing",
    "everyone",
    "everybody",
    "everything",
    "something",
    "someone",
    "somebody",
    "anyone",
];
pub static DETERMINERS: WordSet = WordSet::new(DETERMINERS_LIST);

/// How many of [`FINITE`]'s first entries are auxiliaries.
const AUX_COUNT: usize = 35;

/// Auxiliaries (the first [`AUX_COUNT`]) and common irregular past tenses and present
/// forms: signs that words form a clause.
const FINITE_LIST: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "would",
    "will",
    "could",
    "can",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "shall",
    "won't",
    "wouldn't",
    "couldn't",
    "can't",
    "didn't",
    "doesn't",
    "don't",
    "isn't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "aren't",
    "shouldn't",
    "mustn't",
    "gave",
    "took",
    "made",
    "went",
    "came",
    "saw",
    "got",
    "left",
    "kept",
    "knew",
    "thought",
    "found",
    "became",
    "began",
    "ran",
    "felt",
    "held",
    "brought",
    "paid",
    "lost",
    "met",
    "sent",
    "rose",
    "fell",
    "grew",
    "won",
    "spent",
    "led",
    "built",
    "sold",
    "bought",
    "meant",
    "stood",
    "fought",
    "taught",
    "caught",
    "drew",
    "broke",
    "chose",
    "wrote",
    "took",
    "dug",
    "fled",
    "sought",
    "drove",
    "flew",
    "struck",
    "threw",
    "stole",
    "swore",
    "hid",
    "sank",
    "withdrew",
    "forgot",
    "understood",
    "remains",
    "remain",
    "needs",
    "need",
    "wants",
    "want",
    "says",
    "goes",
    "gives",
    "takes",
    "makes",
    "means",
    "seems",
    "looks",
    "shows",
    "faces",
    "plans",
    "intends",
    "expects",
    "hopes",
    "believes",
    "knows",
    "thinks",
    "feels",
    "lacks",
    "owes",
    "costs",
    "puts",
    "sets",
    "lets",
    "cuts",
    "hits",
];
pub static FINITE: WordSet = WordSet::new(FINITE_LIST);
pub static AUXILIARIES: WordSet = WordSet::new(FINITE_LIST.split_at(AUX_COUNT).0);

/// The forms of "be" that are not finite: with [`AUXILIARIES`], every auxiliary.
const BE_FORMS: &[&str] = &["be", "been", "being"];

/// An auxiliary, finite ("would", "hasn't") or not ("been").
pub fn is_auxiliary(lower: &str) -> bool {
    AUXILIARIES.contains(lower) || BE_FORMS.contains(&lower)
}

/// Conjunctions, coordinating and subordinating.
const CONJUNCTIONS_LIST: &[&str] =
    &["and", "but", "or", "nor", "so", "yet", "as", "since", "while", "when", "where", "if", "although", "though", "because", "unless", "whether", "once"];
pub static CONJUNCTIONS: WordSet = WordSet::new(CONJUNCTIONS_LIST);

/// Question and relative words.
const WH_WORDS_LIST: &[&str] = &["what", "which", "who", "whom", "whose", "where", "when", "why", "how"];
pub static WH_WORDS: WordSet = WordSet::new(WH_WORDS_LIST);

/// A word of a closed class (lowercase): pronoun, determiner, preposition, auxiliary,
/// conjunction, question word, weekday or month. Such a word never starts a name, though
/// it may be capitalised at a sentence start.
pub fn is_function_word(lower: &str) -> bool {
    PRONOUNS.contains(lower)
        || DETERMINERS.contains(lower)
        || PREPOSITIONS.contains(lower)
        || is_auxiliary(lower)
        || CONJUNCTIONS.contains(lower)
        || WH_WORDS.contains(lower)
        || WEEKDAYS.contains(&lower)
        || MONTHS.contains(&lower)
}

/// The days of the week, lowercase.
pub const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
/// Their short forms ("Tue"), lowercase.
pub const WEEKDAY_ABBREVIATIONS: &[&str] = &["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"];
/// The months, lowercase, in order.
pub const MONTHS: &[&str] = &["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
/// Their short forms ("Sept."), lowercase, with the month's number; "may" has none.
pub const MONTH_ABBREVIATIONS: &[(&str, u32)] =
    &[("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)];

/// Titles written short with a full stop before a name ("Mr. Smith", "Sen. Vale", "St. Louis"),
/// lowercase.
pub const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "st", "mt", "ft", "messrs",
    "mme", "mlle", "maj", "brig", "supt", "insp", "det", "cpl", "pvt", "amb", "atty",
];

/// Short forms that end a name with a full stop ("Acme Inc.", "Robert Casey Jr."), lowercase.
pub const NAME_END_ABBREVIATIONS: &[&str] = &["inc", "ltd", "co", "corp", "llc", "plc", "bros", "jr", "sr"];

/// Does this word, written before a full stop, end a name rather than a sentence: a dotted
/// acronym ("F.B.I", "U.S") or a short form after a name ("Jr", "Inc")? `word` is as the
/// tokenizer gives it, without the final stop.
pub fn ends_name_with_stop(word: &str) -> bool {
    (word.contains('.') && word.chars().all(|c| c == '.' || c.is_uppercase())) || NAME_END_ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// The role noun a short title stands for ("Sen." → "senator"), lowercase in and out, so
/// that "the senator" can refer back to "Sen. Ann Lee".
pub fn title_noun(abbreviation: &str) -> Option<&'static str> {
    Some(match abbreviation {
        "sen" | "sens" => "senator",
        "rep" | "reps" => "representative",
        "gov" | "govs" => "governor",
        "gen" => "general",
        "col" => "colonel",
        "sgt" => "sergeant",
        "capt" => "captain",
        "adm" => "admiral",
        "pres" => "president",
        "supt" => "superintendent",
        "amb" => "ambassador",
        "atty" => "attorney",
        "det" => "detective",
        _ => return None,
    })
}

/// A day of the week, written out (any case).
pub fn is_weekday(word: &str) -> bool {
    WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

/// A month, written out (any case).
pub fn is_month(word: &str) -> bool {
    MONTHS.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// A month's short form (any case): "Jan", "Sept".
pub fn is_month_abbreviation(word: &str) -> bool {
    MONTH_ABBREVIATIONS.iter().any(|(m, _)| m.eq_ignore_ascii_case(word))
}

/// A weekday or a month, written out or short (any case): "Tue", "Sept", "March".
pub fn is_calendar_word(word: &str) -> bool {
    is_weekday(word) || is_month(word) || is_month_abbreviation(word) || WEEKDAY_ABBREVIATIONS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

/// The number of a month written out or short (any case, a full stop allowed): "March" → 3,
/// "Sept." → 9.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if let Some(i) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(w)) {
        return Some(i as u32 + 1);
    }
    MONTH_ABBREVIATIONS.iter().find(|(m, _)| m.eq_ignore_ascii_case(w)).map(|(_, n)| *n)
}
