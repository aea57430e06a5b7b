//! The closed-class words every stage shares: pronouns (with their agreement features),
//! determiners, prepositions, auxiliaries and common finite verb forms.
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
    "of", "for", "at", "in", "from", "with", "on", "by", "near", "to", "under", "among", "within", "across", "about", "into", "over", "after", "before",
    "during", "outside", "inside", "behind", "via", "without", "against", "between", "towards", "toward", "through", "like",
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
const AUX_COUNT: usize = 32;

/// Auxiliaries (the first [`AUX_COUNT`]) and common irregular past tenses and present
/// forms: signs that words form a clause.
const FINITE_LIST: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "would", "will", "could", "can", "should", "may", "might", "must", "did", "does", "do", "shall", "won't",
    "wouldn't", "couldn't", "can't", "didn't", "doesn't", "don't", "isn't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "gave", "took", "made", "went",
    "came", "saw", "got", "left", "kept", "knew", "thought", "found", "became", "began", "ran", "felt", "held", "brought", "paid", "lost", "met", "sent",
    "rose", "fell", "grew", "won", "spent", "led", "built", "sold", "bought", "meant", "stood", "fought", "taught", "caught", "drew", "broke", "chose",
    "wrote", "took", "remains", "remain", "needs", "need", "wants", "want", "says", "goes", "gives", "takes", "makes", "means", "seems", "looks", "shows",
    "faces", "plans", "intends", "expects", "hopes", "believes", "knows", "thinks", "feels", "lacks", "owes", "costs", "puts", "sets", "lets", "cuts", "hits",
];
pub static FINITE: WordSet = WordSet::new(FINITE_LIST);
pub static AUXILIARIES: WordSet = WordSet::new(FINITE_LIST.split_at(AUX_COUNT).0);
