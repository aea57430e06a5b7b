//! The word lists and small word tests the quote stages share (open-class lists that
//! belong to quotes only; closed classes are in `lang::lexicon`).

use super::*;

/// Words skipped between a subject and its verb ("has also said").
pub(super) const ADVERBS_LIST: &[&str] = &[
    "also",
    "later",
    "then",
    "further",
    "again",
    "previously",
    "earlier",
    "repeatedly",
    "has",
    "had",
    "have",
    "was",
    "is",
    "were",
    "are",
    "would",
    "will",
    "reportedly",
    "recently",
    "once",
    "publicly",
    "openly",
    "firmly",
    "quickly",
    "simply",
    "flatly",
    "bluntly",
    "angrily",
    "calmly",
    "personally",
    "separately",
    "subsequently",
    "privately",
    "explicitly",
    "initially",
    "finally",
    "already",
    "clearly",
    "just",
    "only",
    "even",
    "still",
    "often",
    "always",
    "never",
    "first",
    "last",
    "today",
    "yesterday",
    "importantly",
    "been",
    "did",
    "does",
    "do",
    "may",
    "might",
    "could",
    "should",
    "can",
    "shall",
    "since",
    "now",
    "subsequently",
    "immediately",
    "elsewhere",
    "meanwhile",
    "however",
    "himself",
    "herself",
    "themselves",
    "itself",
    "long",
    "consistently",
    "both",
    "all",
];
pub(super) static ADVERBS: WordSet = WordSet::new(ADVERBS_LIST);

/// Words that open a sentence as an adverb or interjection and are never its subject:
/// "Still, he said, ...", "Overall, she said, ...", "Yes, he said."
pub(super) const SENTENCE_ADVERBS_LIST: &[&str] = &[
    "still",
    "instead",
    "now",
    "yet",
    "so",
    "but",
    "and",
    "however",
    "otherwise",
    "meanwhile",
    "today",
    "again",
    "yes",
    "no",
    "well",
    "overall",
    "indeed",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "besides",
    "anyway",
    "regardless",
    "meantime",
    "similarly",
    "likewise",
    "then",
];
pub(super) static SENTENCE_ADVERBS: WordSet = WordSet::new(SENTENCE_ADVERBS_LIST);

/// Unnamed staff who speak for their organisation: "analysts at Brenner & Co said".
pub(super) const STAFF_NOUNS_LIST: &[&str] = &["analysts", "economists", "strategists", "officials", "executives"];
pub(super) static STAFF_NOUNS: WordSet = WordSet::new(STAFF_NOUNS_LIST);

/// People who speak for the person who owns them: "Clinton's campaign", "the Obama
/// administration", "his aides" (with the spokes nouns).
pub(super) const AGENT_NOUNS_LIST: &[&str] = &[
    "campaign",
    "administration",
    "office",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "staff",
    "team",
    "camp",
    "surrogates",
];
pub(super) static AGENT_NOUNS: WordSet = WordSet::new(AGENT_NOUNS_LIST);

/// Verbs that judge in words (`Lee blamed the delay on “reckless officials.”`): a quoted
/// phrase in their complement is the subject's words, as after a verb of speech.
pub(super) const JUDGING_VERBS_LIST: &[&str] = &["blamed", "blames", "mocked", "mocks", "dubbed", "dubs", "labeled", "labelled", "branded", "termed"];
pub(super) static JUDGING_VERBS: WordSet = WordSet::new(JUDGING_VERBS_LIST);

/// Heads of "a spokesman for X": the speaker is the organisation X.
pub(super) const SPOKES_NOUNS_LIST: &[&str] =
    &["spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen", "representative", "representatives"];
pub(super) static SPOKES_NOUNS: WordSet = WordSet::new(SPOKES_NOUNS_LIST);

/// Verbs that take a quoted phrase as a complement: "described X as “...”".
pub(super) const PHRASE_VERBS_LIST: &[&str] = &[
    "described",
    "describes",
    "describing",
    "called",
    "calls",
    "calling",
    "referred",
    "refers",
    "referring",
    "dubbed",
    "termed",
    "labelled",
    "labeled",
    "branded",
    "hailed",
    "recognizing",
    "recognising",
    "recognized",
    "recognised",
    "characterized",
    "characterised",
    "deemed",
    "accused",
];
pub(super) static PHRASE_VERBS: WordSet = WordSet::new(PHRASE_VERBS_LIST);

/// Verbs that take a clause without "that" ("She said the talks ...").
pub(super) const BARE_CLAUSE_VERBS_LIST: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "added",
    "adds",
    "adding",
    "warned",
    "warns",
    "warning",
    "argued",
    "argues",
    "arguing",
    "insisted",
    "insists",
    "insisting",
    "claimed",
    "claims",
    "claiming",
    "believes",
    "believed",
    "thinks",
    "thought",
    "noted",
    "notes",
    "noting",
    "stressed",
    "stresses",
    "explained",
    "told",
    "tells",
    "telling",
    "stated",
    "states",
    "predicted",
    "predicts",
    "conceded",
    "concedes",
    "admitted",
    "admits",
    "acknowledged",
    "acknowledges",
    "suggested",
    "suggests",
    "confirmed",
    "confirms",
    "estimated",
    "recalled",
    "recalls",
    "revealed",
    "agreed",
    "complained",
    "maintained",
    "maintains",
    "indicated",
    "signalled",
    "signaled",
    "wrote",
    "writes",
    "reported",
    "reports",
    "emphasised",
    "emphasized",
    "underlined",
    "reiterated",
    "countered",
    "contended",
    "asserted",
    "declared",
    "alleged",
    "promised",
    "pledged",
    "vowed",
    "testified",
    "disclosed",
    "observed",
    "remarked",
    "boasted",
    "joked",
    "lamented",
    "assured",
    "informed",
    "reminded",
    "replied",
    "answered",
    "responded",
    "announced",
    "announces",
    "tweeted",
    "tweets",
    "posted",
    "bragged",
    "demanded",
];
pub(super) static BARE_CLAUSE_VERBS: WordSet = WordSet::new(BARE_CLAUSE_VERBS_LIST);

/// Verbs that usually take a noun object ("noted the increase", "stressed the importance
/// of"): without "that" they report a clause only when an auxiliary shows one.
pub(super) const WEAK_CLAUSE_VERBS_LIST: &[&str] = &[
    "noted",
    "notes",
    "noting",
    "stressed",
    "stresses",
    "emphasised",
    "emphasized",
    "underlined",
    "reiterated",
    "confirmed",
    "confirms",
    "acknowledged",
    "acknowledges",
    "revealed",
    "explained",
    "reported",
    "reports",
    "indicated",
    "signalled",
    "signaled",
    "disclosed",
    "observed",
    "remarked",
    "recalled",
    "recalls",
    "predicted",
    "predicts",
    "estimated",
    "promised",
    "pledged",
];
pub(super) static WEAK_CLAUSE_VERBS: WordSet = WordSet::new(WEAK_CLAUSE_VERBS_LIST);

/// Verbs whose first complement is the listener: "told reporters that ...".
pub(super) const TELL_VERBS_LIST: &[&str] =
    &["told", "tells", "telling", "tell", "informed", "assured", "reassured", "reminded", "briefed", "warned", "warns", "urged"];
pub(super) static TELL_VERBS: WordSet = WordSet::new(TELL_VERBS_LIST);

/// Verbs that report a finished statement when they end a sentence: "..., officials said."
pub(super) const POSTPOSED_VERBS_LIST: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "told",
    "noted",
    "stated",
    "warned",
    "wrote",
    "reported",
    "reports",
    "argued",
    "insisted",
    "claimed",
    "explained",
    "believes",
    "thinks",
    "confirmed",
    "announced",
    "suggested",
    "acknowledged",
    "admitted",
    "estimated",
    "predicted",
    "recalled",
    "say",
];
pub(super) static POSTPOSED_VERBS: WordSet = WordSet::new(POSTPOSED_VERBS_LIST);

/// Words after a speech verb that do not start a reported clause.
pub(super) const NOT_CLAUSE_STARTS_LIST: &[&str] = &[
    "goodbye", "sorry", "hello", "thanks", "thank", "yes", "so", "little", "much", "enough", "whether", "if", "how", "what", "why", "when", "where", "who",
    "whom", "which", "to", "not", "nothing",
];
pub(super) static NOT_CLAUSE_STARTS: WordSet = WordSet::new(NOT_CLAUSE_STARTS_LIST);

/// A word's lowercase form with the typographic apostrophe made plain ("don’t" is
/// "don't"), so that every list holds one spelling.
pub(super) fn lower<'a>(w: &Word<'a>) -> Lower<'a> {
    if !w.text.is_ascii() && w.text.contains('’') {
        return Lower::Owned(w.text.replace('’', "'").to_lowercase());
    }
    Lower::new(w.text)
}

pub(super) fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).or_else(|| s.strip_suffix('’')).unwrap_or(s)
}

/// The words of `body[from..end]`, given `all`, the words of `body[from..x]` for some
/// `x >= end`: the prefix of `all` that ends by `end`. Tokenizing a slice cut at a word
/// boundary gives exactly that prefix (a word's end never depends on text past a character
/// that stops it); when a word straddles `end`, the slice is tokenized afresh.
pub(super) fn prefix_words<'w, 'a>(all: &'w [Word<'a>], body: &'a str, from: usize, end: usize) -> std::borrow::Cow<'w, [Word<'a>]> {
    let n = all.partition_point(|w| from + w.end <= end);
    if all.get(n).is_some_and(|w| from + w.start < end) {
        return std::borrow::Cow::Owned(words(&body[from..end]));
    }
    std::borrow::Cow::Borrowed(&all[..n])
}

/// Does a word look like a finite verb (an auxiliary, a past tense)?
pub(super) fn finite_like(w: &str) -> bool {
    let plain;
    let w = if !w.is_ascii() && w.contains('’') {
        plain = w.replace('’', "'");
        plain.as_str()
    } else {
        w
    };
    let l = Lower::new(w);
    FINITE.contains(l.as_str()) || (l.len() > 4 && l.ends_with("ed") && !l.ends_with("eed"))
}

/// "he's", "they're", "we'll": a subject pronoun and its auxiliary, a clause's start.
pub(super) fn pronoun_and_auxiliary(w: &str) -> bool {
    let l = Lower::new(w);
    l.as_str().split_once(['\'', '’']).is_some_and(|(p, aux)| SUBJECT_PRONOUNS.contains(p) && matches!(aux, "s" | "re" | "ve" | "ll" | "d" | "m"))
}

/// ", who chairs the union," / ", 67," / ", an analyst at X," / ", speaking on Monday,":
/// a phrase set off by commas between a subject and its verb.
pub(super) fn parenthetical_like(seg: &str) -> bool {
    let Some(first) = word_iter(seg).next() else { return false };
    let l = lower(&first);
    if first.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    if first.is_capitalised() {
        return false;
    }
    // "and virulently opposed Trump": a relative clause's second verb, not a subject.
    if matches!(l.as_str(), "and" | "or" | "but") {
        let next = word_iter(seg).skip(1).find(|w| !(w.text.len() > 4 && w.text.ends_with("ly")));
        return next.is_some_and(|w| w.text.starts_with(char::is_lowercase) && finite_like(w.text));
    }
    matches!(
        l.as_str(),
        "who"
            | "whose"
            | "which"
            | "whom"
            | "where"
            | "a"
            | "an"
            | "the"
            | "his"
            | "her"
            | "its"
            | "their"
            | "now"
            | "aged"
            | "then"
            | "both"
            | "once"
            | "also"
            | "not"
            | "previously"
            | "formerly"
            | "currently"
            | "still"
            | "like"
            | "when"
            | "until"
            | "as"
            | "for"
            | "of"
            | "from"
            | "one"
            | "another"
            | "in"
            | "on"
            | "at"
            | "after"
            | "before"
            | "during"
            | "with"
            | "without"
            | "meanwhile"
            | "however"
            | "though"
            | "too"
            | "herself"
            | "himself"
            | "themselves"
            | "itself"
    ) || l.ends_with("ing")
        || (l.ends_with("ed") && l.len() > 3)
        || gazetteer::is_role_noun(&l)
        || matches!(l.as_str(), "asked" | "pressed" | "told" | "known" | "shown" | "seen" | "given" | "written")
}

/// Sources that are figures or findings, not speakers: "according to a survey".
pub(super) const DATA_NOUNS_LIST: &[&str] = &[
    "consensus",
    "calculations",
    "calculation",
    "data",
    "figures",
    "estimates",
    "statistics",
    "study",
    "studies",
    "survey",
    "surveys",
    "poll",
    "polls",
    "trial",
    "research",
    "analysis",
    "records",
    "census",
    "projections",
    "forecasts",
    "modelling",
    "modeling",
    "tally",
];
pub(super) static DATA_NOUNS: WordSet = WordSet::new(DATA_NOUNS_LIST);

/// Heads that never make a subject.
pub(super) const STOP_HEADS_LIST: &[&str] = &[
    "that", "this", "which", "who", "what", "there", "here", "to", "and", "or", "but", "so", "as", "if", "than", "then", "when", "where", "while", "not",
    "also", "it", "its", "ones", "all", "both", "each", "some", "none",
];
pub(super) static STOP_HEADS: WordSet = WordSet::new(STOP_HEADS_LIST);

pub(super) fn is_time_word(l: &str) -> bool {
    matches!(
        l,
        "week"
            | "month"
            | "year"
            | "night"
            | "morning"
            | "evening"
            | "afternoon"
            | "weekend"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "spring"
            | "summer"
            | "autumn"
            | "winter"
            | "time"
    )
}

/// How many of `ws` a time adverbial at their start takes: "this week", "this past
/// month", "earlier this year", "just this month", "last Tuesday night", "on Monday",
/// "two weeks ago", "less than two weeks ago", "a month later". `None` when none opens them.
/// Only the words are read: a caller that needs the phrase unbroken checks the gaps.
pub(super) fn time_phrase_len(ws: &[Word]) -> Option<usize> {
    // (Read for every subject: the first word decides cheaply, and nothing is allocated.)
    let l = |i: usize| ws.get(i).map_or(Lower::Borrowed(""), lower);
    let opener = l(0);
    let first_ok = matches!(
        opener.as_str(),
        "just"
            | "only"
            | "about"
            | "nearly"
            | "almost"
            | "less"
            | "more"
            | "this"
            | "last"
            | "next"
            | "past"
            | "earlier"
            | "later"
            | "late"
            | "early"
            | "on"
            | "a"
            | "an"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "several"
            | "some"
            | "few"
    ) || opener.starts_with(|c: char| c.is_ascii_digit())
        || crate::core::lang::lexicon::is_weekday(&opener);
    if !first_ok {
        return None;
    }
    let mut i = 0;
    // Hedges before the phrase.
    if matches!(l(0).as_str(), "just" | "only" | "about" | "nearly" | "almost") {
        i = 1;
    } else if matches!(l(0).as_str(), "less" | "more") && l(1) == "than" {
        i = 2;
    }
    let unit = |w: &str| {
        let w = w.strip_suffix('s').unwrap_or(w);
        is_time_word(w) || matches!(w, "day" | "hour" | "decade" | "minute")
    };
    // The part of a day after a weekday or "last week"'s unit: "Tuesday night".
    let day_part = |i: usize| usize::from(matches!(l(i).as_str(), "night" | "morning" | "afternoon" | "evening"));
    let first = l(i);
    let deictic = |w: &str| matches!(w, "this" | "last" | "next" | "past");
    if deictic(&first) || matches!(first.as_str(), "earlier" | "later" | "late" | "early") {
        // "this past week", "earlier this month", "late last year".
        let j = if deictic(&l(i + 1)) { i + 2 } else { i + 1 };
        if j > i + 1 || deictic(&first) {
            let u = l(j);
            if is_time_word(&u) && u != "time" {
                return Some(j + 1 + day_part(j + 1));
            }
        }
        return None;
    }
    if first == "on" && crate::core::lang::lexicon::is_weekday(&l(i + 1)) {
        return Some(i + 2 + day_part(i + 2));
    }
    if i == 0 && crate::core::lang::lexicon::is_weekday(&first) {
        return Some(1 + day_part(1));
    }
    // "two weeks ago", "a few days later".
    let counted = matches!(first.as_str(), "a" | "an" | "one" | "two" | "three" | "four" | "five" | "six" | "several" | "some" | "few")
        || first.chars().all(|c| c.is_ascii_digit()) && !first.is_empty();
    if counted {
        let j = if l(i + 1) == "few" { i + 2 } else { i + 1 };
        if unit(&l(j)) && matches!(l(j + 1).as_str(), "ago" | "later" | "earlier") {
            return Some(j + 2);
        }
    }
    None
}

/// Speech verbs in -s that are as often plural nouns ("the states", "his comments"): a
/// report only before "that", a quotation, a colon, or at the end of the sentence.
pub(super) const NOUN_LIKE_VERBS_LIST: &[&str] = &["states", "comments", "notes", "claims", "reports", "promises", "vows", "posts", "tweets", "remarks"];
pub(super) static NOUN_LIKE_VERBS: WordSet = WordSet::new(NOUN_LIKE_VERBS_LIST);

/// Verbs of headlines that report a stance without a speech verb ("Clinton Slams Trump On
/// Abortion", "Sanders Pledges ..."), read only in a headline, after a name.
pub(super) const HEADLINE_ONLY_VERBS_LIST: &[&str] = &["slams", "blasts", "rips", "praises", "pledges", "threatens", "touts", "mocks"];
pub(super) static HEADLINE_ONLY_VERBS: WordSet = WordSet::new(HEADLINE_ONLY_VERBS_LIST);

/// Speech acts whose content follows an object or a particle: "urged voters to ...",
/// "called for ...", "called on Congress to ...", "accused X of ...", "criticized X for
/// ...", "vowed to ...". What the word needs after it to report anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ObjectReport {
    /// "for ..." or "on X to ...".
    Call,
    /// "X to ...".
    Urge,
    /// "X of ...".
    Accuse,
    /// "X for ...".
    Criticize,
    /// "to ...".
    Promise,
}

pub(super) fn object_report_kind(l: &str) -> Option<ObjectReport> {
    Some(match l {
        "called" | "calls" | "calling" | "call" => ObjectReport::Call,
        "urged" | "urges" | "urging" | "urge" | "asked" | "asks" | "asking" | "told" | "tells" | "telling" | "ordered" | "instructed" => ObjectReport::Urge,
        "accused" | "accuses" | "accusing" => ObjectReport::Accuse,
        "criticized" | "criticizes" | "criticizing" | "criticised" | "criticises" | "criticising" => ObjectReport::Criticize,
        "promised" | "promises" | "promising" | "vowed" | "vows" | "vowing" | "pledged" | "pledges" | "pledging" => ObjectReport::Promise,
        _ => return None,
    })
}

/// Past forms outside [`FINITE`] that open a report after a subject: `Reyd spoke of a
/// “betrayal”`, `Moor put the blame on “the board”`.
pub(super) const OTHER_PAST: &[&str] = &["spoke", "put", "sang", "set", "struck", "swore", "threw", "let", "hit", "cut", "quit", "shot", "sought", "read"];

/// Nouns for what someone said, whose owner owns a quotation after them ("Clinton's claim
/// that “...”").
pub(super) const WORDS_NOUNS: &[&str] = &[
    "claim",
    "claims",
    "remark",
    "remarks",
    "words",
    "statement",
    "statements",
    "comment",
    "comments",
    "description",
    "slogan",
    "promise",
    "vow",
    "pledge",
    "message",
    "tweet",
    "tweets",
    "quote",
    "call",
    "line",
    "lines",
    "assertion",
    "argument",
    "warning",
    "speech",
    "answer",
    "response",
    "reply",
    "question",
    "insistence",
    "suggestion",
    "charge",
    "accusation",
    "contention",
];

/// A connective that may open a sentence before a report or a quotation ("But according
/// to X,", "But as X noted,", "Instead, “...”"), lowercase.
pub(super) fn is_leading_connective(l: &str) -> bool {
    matches!(l, "but" | "and" | "yet" | "so" | "still" | "however" | "also" | "instead" | "then" | "later" | "now" | "meanwhile")
}
