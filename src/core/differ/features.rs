//! What one sentence states, as the slots two reports of the same fact can differ on:
//! numbers with their unit, dates, names with the role words around them, routes ("from A",
//! "via B", "through B", "to C"), the content words that frame them, and cues of time
//! ("expected to", "will" on one side; "rose to", "has been raised" on the other).
//!
//! Pure functions over the sentence text; nothing here reads the index.

use std::collections::HashSet;

use crate::core::gazetteer;
use crate::core::lang::lexicon;

/// A number as written, with the word(s) after it that say what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    /// The counted thing ("people", "vehicle", "%", "day"); empty when nothing follows.
    pub unit: String,
}

/// Date words by granularity: two reports differ on a date only at the same granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateKind {
    Year,
    /// A month, with its day when given ("december 1", "march").
    Month,
    Weekday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RouteRole {
    From,
    Via,
    To,
}

/// A capitalised name with the words next to it, which say its role in the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// Lowercase, possessive dropped, titles removed ("ilse varga").
    pub key: String,
    /// The word before (a title such as "judge", "governor", or "rival", "in"); empty after
    /// a determiner or at the start.
    pub before: String,
    /// The content word after ("district", "chief"); empty when punctuation or nothing follows.
    pub after: String,
    /// The name is the place of a route ("via Azerbaijan", "to the port of Halvik").
    pub route: Option<RouteRole>,
    /// The country when the key is a demonym ("iranian": "Iran"), looked up once here rather
    /// than for every pair of names compared (see [`Name::same`]).
    pub country: Option<&'static str>,
}

impl Name {
    /// [`same_name`] of the two names' keys.
    pub fn same(&self, other: &Name) -> bool {
        same_name_given(&self.key, &other.key, self.country, other.country)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Features {
    pub numbers: Vec<Number>,
    pub dates: Vec<(DateKind, String)>,
    pub names: Vec<Name>,
    /// Lowercased, lightly stemmed content words, names, numbers and dates left out.
    pub words: Vec<String>,
    /// Looks ahead: "expected to", "will", "plans to", "due to", "needs".
    pub prospective: bool,
    /// Says something changed: "rose to", "has risen", "raised to", "now", "final".
    pub change: bool,
    /// Speaks of another one of its kind: "a second pipeline", "the neighbouring district".
    pub another: bool,
    /// Says something did not happen: "not", "never", "no", "n't".
    pub negated: bool,
    /// Content words just before a route word ("gas" in "natural gas via Azerbaijan"): what moves.
    pub moved: Vec<String>,
}

const SMALL: &[&str] = &[
    "zero",
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
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const TENS: &[(&str, f64)] = &[("thirty", 30.0), ("forty", 40.0), ("fifty", 50.0), ("sixty", 60.0), ("seventy", 70.0), ("eighty", 80.0), ("ninety", 90.0)];
const SCALES: &[(&str, f64)] = &[("hundred", 1e2), ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12), ("bn", 1e9), ("m", 1e6)];

/// Words that carry no fact of their own (with the auxiliaries, `lexicon::is_auxiliary`).
const STOP: &[&str] = &[
    "under",
    "between",
    "against",
    "during",
    "within",
    "without",
    "across",
    "near",
    "around",
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "about",
    "as",
    "into",
    "over",
    "via",
    "through",
    "up",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "his",
    "her",
    "they",
    "their",
    "them",
    "we",
    "our",
    "i",
    "you",
    "said",
    "says",
    "say",
    "told",
    "according",
    "also",
    "after",
    "before",
    "since",
    "than",
    "then",
    "there",
    "which",
    "who",
    "whom",
    "what",
    "when",
    "where",
    "while",
    "all",
    "some",
    "any",
    "more",
    "most",
    "least",
    "per",
    "cent",
    "percent",
    "a",
    "year",
    "years",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "last",
    "next",
    "morning",
    "evening",
    "afternoon",
    "night",
    "late",
    "early",
    "today",
    "yesterday",
    "not",
    "no",
    "so",
    "such",
    "if",
    "out",
    "new",
];

/// Openings of a statement about what is yet to happen.
const PROSPECTIVE: &[&str] = &[
    "expected to",
    "expects to",
    "is to",
    "are to",
    "will",
    "would",
    "plans to",
    "planned to",
    "plan to",
    "due to",
    "set to",
    "scheduled to",
    "aims to",
    "needs",
    "still needs",
    "is likely",
    "could",
    "may",
];
/// Words that introduce another thing of the same kind than the one reported elsewhere.
const ANOTHER: &[&str] = &["another", "second", "separate", "neighbouring", "neighboring", "nearby", "different", "other", "earlier", "previous"];

/// Words saying a figure or fact has changed since an earlier report.
const CHANGE: &[&str] = &[
    "rose to",
    "risen to",
    "has risen",
    "raised to",
    "been raised",
    "climbed to",
    "increased to",
    "fell to",
    "dropped to",
    "has grown",
    "revised",
    "now",
    "final",
    "confirmed",
    "updated",
    "approved",
    "took",
    "was lifted",
    "to date",
    "so far",
    "currently",
    "adding",
    "widening",
    "widened",
    "extending",
    "extended",
    "increasing",
];

fn is_stop(w: &str) -> bool {
    STOP.contains(&w) || lexicon::is_auxiliary(w)
}

/// A month written out, or "sept" (the short form written without a full stop).
fn is_month(lower: &str) -> bool {
    lexicon::is_month(lower) || lower == "sept"
}

/// A light English stemmer for matching content words across paraphrases.
pub fn stem(w: &str) -> String {
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    for (suffix, keep) in [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")] {
        // "-es" only after a hissing sound ("taxes", "churches"); "vehicles" loses its "s".
        let hiss = |b: &str| b.ends_with(['s', 'x', 'z']) || b.ends_with("ch") || b.ends_with("sh");
        if let Some(base) = w.strip_suffix(suffix)
            && base.chars().count() >= 3
            && !(suffix == "s" && base.ends_with('s'))
            && (suffix != "es" || hiss(base))
        {
            return format!("{base}{keep}");
        }
    }
    w.to_string()
}

/// A token: the word without surrounding punctuation, and whether punctuation closes it.
struct Token<'a> {
    word: &'a str,
    lower: String,
    /// Punctuation (comma, full stop, colon…) right after the word.
    closes: bool,
    /// Punctuation right before the word (an opening quote or bracket).
    opens: bool,
    /// A comma right after the word.
    comma: bool,
    /// A colon or a full stop right after the word: the next word starts a line or label
    /// ("Energy: Issues related to ...").
    ends: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    text.split_whitespace()
        .filter_map(|raw| {
            let start = raw.find(|c: char| c.is_alphanumeric())?;
            let end = raw.rfind(|c: char| c.is_alphanumeric()).map(|i| i + raw[i..].chars().next().map_or(1, char::len_utf8))?;
            let word = &raw[start..end];
            let trail = &raw[end..];
            let lead = &raw[..start];
            Some(Token {
                word,
                lower: {
                    let lower = word.to_lowercase();
                    if lower.contains('’') { lower.replace('’', "'") } else { lower }
                },
                closes: trail.chars().any(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '"' | '”')) && trail != "'s" && trail != "’s",
                opens: !lead.is_empty(),
                comma: trail.contains(','),
                ends: trail.contains([':', '.', '!', '?']),
            })
        })
        .collect()
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn word_number(lower: &str) -> Option<f64> {
    if let Some(i) = SMALL.iter().position(|s| *s == lower) {
        return Some(i as f64);
    }
    TENS.iter().find(|t| t.0 == lower).map(|t| t.1)
}

/// "9,000", "1.2", "54%", "3,200": the value of a numeral, if the word is one.
fn numeral(word: &str) -> Option<(f64, bool)> {
    let (body, percent) = match word.strip_suffix('%') {
        Some(b) => (b, true),
        None => (word, false),
    };
    if body.is_empty() || !body.chars().next().is_some_and(|c| c.is_ascii_digit()) || !body.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    body.replace(',', "").parse::<f64>().ok().map(|v| (v, percent))
}

fn is_date_word(lower: &str) -> bool {
    lexicon::is_weekday(lower) || is_month(lower)
}

/// The features of one sentence. `known` holds the keys of names its article writes with a
/// capital in mid-sentence, so that a sentence-initial "Vessel's shares" is still a name.
pub fn extract(text: &str, known: &HashSet<String>) -> Features {
    extract_as(text, known, Part::All)
}

/// What [`extract_as`] computes: everything, or only the names' keys (for [`known_names`],
/// which reads every sentence of an article: the keys are those of the whole extraction).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    All,
    NameKeys,
}

/// `phrase` as whole words in `lower_text` (words joined by single spaces, with a space at
/// each end): `lower_text.contains(&format!(" {phrase} "))` without the allocation.
fn has_phrase(lower_text: &str, phrase: &str) -> bool {
    let bytes = lower_text.as_bytes();
    let mut from = 0;
    while let Some(k) = lower_text.get(from..).and_then(|rest| rest.find(phrase)) {
        let i = from + k;
        if i > 0 && bytes[i - 1] == b' ' && bytes.get(i + phrase.len()) == Some(&b' ') {
            return true;
        }
        // The phrases open with an ASCII letter, so the next byte starts a character.
        from = i + 1;
    }
    false
}

fn extract_as(text: &str, known: &HashSet<String>, part: Part) -> Features {
    let all = part == Part::All;
    let toks = tokens(text);
    let mut f = Features::default();
    if all {
        let lower_text = format!(" {} ", toks.iter().map(|t| t.lower.as_str()).collect::<Vec<_>>().join(" "));
        f.prospective = PROSPECTIVE.iter().any(|p| has_phrase(&lower_text, p));
        f.change = CHANGE.iter().any(|p| has_phrase(&lower_text, p));
    }
    f.another = toks.iter().any(|t| ANOTHER.contains(&t.lower.as_str()));
    f.negated = toks.iter().any(|t| matches!(t.lower.as_str(), "not" | "never" | "no" | "neither" | "nor") || t.lower.ends_with("n't"));
    let mut in_slot = vec![false; toks.len()];
    // The attribution at the end (", the ministry said.") says who reports, not what.
    if let Some(k) = toks.iter().rposition(|t| t.comma)
        && k + 1 < toks.len()
        && toks.len() - k - 1 <= 6
        && toks[k + 1..].iter().any(|t| matches!(t.lower.as_str(), "said" | "says" | "told" | "reported" | "according" | "announced"))
    {
        for slot in in_slot.iter_mut().skip(k + 1) {
            *slot = true;
        }
    }

    // Numbers and dates.
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let lower = t.lower.as_str();
        // Month with its day or year: "December 1", "March 2025", "1 December".
        if is_month(lower) && (lower != "may" || capitalised(t.word)) {
            in_slot[i] = true;
            let mut value = lower.to_string();
            if let Some(n) = toks.get(i + 1).and_then(|n| numeral(n.word)).filter(|(v, _)| *v >= 1.0 && *v <= 31.0) {
                value = format!("{lower} {}", n.0);
                in_slot[i + 1] = true;
            }
            if i > 0 && numeral(toks[i - 1].word).is_some_and(|(v, _)| (1.0..=31.0).contains(&v)) {
                value = format!("{lower} {}", toks[i - 1].word);
                in_slot[i - 1] = true;
            }
            f.dates.push((DateKind::Month, value));
            i += 1;
            continue;
        }
        if lexicon::is_weekday(lower) {
            in_slot[i] = true;
            f.dates.push((DateKind::Weekday, lower.to_string()));
            i += 1;
            continue;
        }
        if in_slot[i] {
            i += 1;
            continue;
        }
        // "two-day", "three-year": a number word joined to its unit.
        if let Some((num, unit)) = lower.split_once('-')
            && let Some(v) = word_number(num).or_else(|| numeral(num).map(|n| n.0))
            && unit.chars().all(char::is_alphabetic)
            && !unit.is_empty()
        {
            in_slot[i] = true;
            f.numbers.push(Number { value: v, unit: stem(unit) });
            i += 1;
            continue;
        }
        let value = numeral(t.word).or_else(|| word_number(lower).map(|v| (v, false)));
        let Some((mut value, percent)) = value else {
            i += 1;
            continue;
        };
        // A year: four digits in the calendar's range, not counting anything.
        let next_lower = toks.get(i + 1).map(|n| n.lower.as_str()).unwrap_or("");
        if !percent && t.word.len() == 4 && t.word.chars().all(|c| c.is_ascii_digit()) && (1800.0..=2100.0).contains(&value) {
            let counts = !t.closes && next_lower.ends_with('s') && !is_stop(next_lower) && !is_date_word(next_lower);
            if !counts {
                in_slot[i] = true;
                f.dates.push((DateKind::Year, t.word.to_string()));
                i += 1;
                continue;
            }
        }
        in_slot[i] = true;
        let mut j = i + 1;
        if !t.closes {
            while let Some(s) = toks.get(j).and_then(|n| SCALES.iter().find(|s| s.0 == n.lower)) {
                value *= s.1;
                in_slot[j] = true;
                let closes = toks[j].closes;
                j += 1;
                if closes {
                    break;
                }
            }
        }
        let mut unit = String::new();
        if !all {
            // The unit changes no slot: only the names' keys are asked for.
        } else if percent {
            unit = "%".into();
        } else if !toks[j - 1].closes {
            match toks.get(j).map(|n| n.lower.as_str()) {
                Some("per") if toks.get(j + 1).is_some_and(|n| n.lower == "cent") => unit = "%".into(),
                Some("percent") => unit = "%".into(),
                Some(w) if !is_stop(w) && !is_date_word(w) && !capitalised(toks[j].word) => {
                    unit = stem(w);
                    // "cubic metres", "injured drivers": an adjective before the counted noun.
                    if matches!(w, "cubic" | "square" | "more" | "additional" | "injured" | "new" | "other")
                        && let Some(n) = toks.get(j + 1).filter(|_| !toks[j].closes)
                    {
                        unit = format!("{unit} {}", stem(&n.lower));
                    }
                }
                _ => {}
            }
        }
        f.numbers.push(Number { value, unit });
        i = j;
    }

    // Names: runs of capitalised words (a sentence-initial word only when the run goes on or
    // the article writes it as a name elsewhere), titles peeled off as the role.
    let mut i = 0;
    while i < toks.len() {
        let is_cap = |k: usize| {
            let t = &toks[k];
            capitalised(t.word) && !in_slot[k] && !is_date_word(&t.lower) && !is_stop(&t.lower) && t.word.chars().any(char::is_alphabetic)
        };
        if !is_cap(i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < toks.len() && !toks[end - 1].closes && !toks[end].opens && is_cap(end) {
            end += 1;
        }
        let mut start = i;
        // Titles before the name are its role ("Mayor", "Deputy Governor", "Oil Minister").
        let mut title = String::new();
        while start + 1 < end && gazetteer::is_title_word(&toks[start].lower) {
            title = toks[start].lower.clone();
            start += 1;
        }
        let run_key = toks[start..end].iter().map(|t| t.lower.trim_end_matches("'s").to_string()).collect::<Vec<_>>().join(" ");
        let initial = i == 0 || toks[i - 1].ends;
        if initial && end - i == 1 && !known.contains(&run_key) {
            i = end;
            continue;
        }
        if end - start == 1 && gazetteer::is_title_word(&toks[start].lower) {
            i = end;
            continue;
        }
        if !all {
            for slot in in_slot.iter_mut().take(end).skip(i) {
                *slot = true;
            }
            f.names.push(Name { key: run_key, before: String::new(), after: String::new(), route: None, country: None });
            i = end;
            continue;
        }
        let before = if !title.is_empty() {
            title
        } else if i > 0 && !(toks[i - 1].closes && toks[i - 1].lower == "said") {
            let w = toks[i - 1].lower.clone();
            if gazetteer::is_title_word(&w) || !is_stop(&w) || matches!(w.as_str(), "in" | "at" | "from" | "by") { w } else { String::new() }
        } else {
            String::new()
        };
        let after = match toks.get(end) {
            Some(n) if !toks[end - 1].closes && !is_stop(&n.lower) && !capitalised(n.word) => n.lower.clone(),
            _ => String::new(),
        };
        let route = route_role(&toks, i);
        for slot in in_slot.iter_mut().take(end).skip(i) {
            *slot = true;
        }
        let country = gazetteer::country_of_demonym(&run_key);
        f.names.push(Name { key: run_key, before, after, route, country });
        i = end;
    }

    if !all {
        return f;
    }
    for (k, t) in toks.iter().enumerate() {
        if matches!(t.lower.as_str(), "via" | "through" | "from" | "to") {
            for b in toks[k.saturating_sub(4)..k].iter().filter(|b| !is_stop(&b.lower) && !capitalised(b.word) && b.lower.chars().count() > 2) {
                f.moved.push(stem(&b.lower));
            }
        }
    }
    f.words = toks
        .iter()
        .enumerate()
        .filter(|(k, t)| !in_slot[*k] && !is_stop(&t.lower) && t.lower.chars().any(char::is_alphabetic) && t.lower.chars().count() > 2)
        .map(|(_, t)| stem(&t.lower))
        .collect();
    f.words.sort();
    f.words.dedup();
    f
}

/// Whether the name starting at token `i` is the place of a route: "from X", "via X",
/// "through X", "to X", with up to three words between ("to the port of Halvik", "to the
/// regional capital, Rimau").
fn route_role(toks: &[Token<'_>], i: usize) -> Option<RouteRole> {
    let lo = i.saturating_sub(4);
    for k in (lo..i).rev() {
        let w = toks[k].lower.as_str();
        let role = match w {
            "from" => Some(RouteRole::From),
            "via" | "through" => Some(RouteRole::Via),
            "to" | "into" | "towards" => Some(RouteRole::To),
            _ => None,
        };
        if let Some(r) = role {
            // "to" before a verb ("to import") is no route: the words between are the
            // determiners and nouns of a place ("the port of").
            return Some(r);
        }
        let between_ok = matches!(w, "the" | "of" | "a" | "port" | "village" | "town" | "city" | "capital" | "regional" | "region" | "border" | "republic");
        if !between_ok {
            return None;
        }
    }
    None
}

/// The names an article writes with a capital in mid-sentence (its known names), by key.
pub fn known_names<S: AsRef<str>>(sentences: &[S]) -> HashSet<String> {
    let empty = HashSet::new();
    let mut out = HashSet::new();
    for s in sentences {
        for n in extract_as(s.as_ref(), &empty, Part::NameKeys).names {
            out.insert(n.key.clone());
            if let Some(last) = n.key.rsplit(' ').next() {
                out.insert(last.to_string());
            }
            if let Some(first) = n.key.split(' ').next() {
                out.insert(first.to_string());
            }
        }
    }
    out
}

/// Two name keys for the same thing: equal, one the end of the other ("reed", "jonas reed"),
/// or a demonym and its country ("iranian", "iran"; "russian", "russia").
pub fn same_name(a: &str, b: &str) -> bool {
    if a == b || word_suffix(a, b) || word_suffix(b, a) || word_prefix(a, b) || word_prefix(b, a) {
        return true;
    }
    let demonym = |x: &str, y: &str| gazetteer::country_of_demonym(x).is_some_and(|c| c.eq_ignore_ascii_case(y));
    if demonym(a, b) || demonym(b, a) {
        return true;
    }
    same_stem(a, b)
}

/// [`same_name`] with each key's country (when it is a demonym) known.
pub fn same_name_given(a: &str, b: &str, country_a: Option<&str>, country_b: Option<&str>) -> bool {
    if a == b || word_suffix(a, b) || word_suffix(b, a) || word_prefix(a, b) || word_prefix(b, a) {
        return true;
    }
    if country_a.is_some_and(|c| c.eq_ignore_ascii_case(b)) || country_b.is_some_and(|c| c.eq_ignore_ascii_case(a)) {
        return true;
    }
    same_stem(a, b)
}

/// One word the other with a short ending ("kolm", "kolmish").
fn same_stem(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4 && long.starts_with(short) && long.len() - short.len() <= 3 && !short.contains(' ') && !long.contains(' ')
}

/// `whole` ends with the words of `part` (`"ali aliyev"`, `"aliyev"`), without allocating:
/// this runs for every pair of names of every pair of candidate sentences of a brief.
fn word_suffix(whole: &str, part: &str) -> bool {
    whole.len() > part.len() && whole.ends_with(part) && whole.as_bytes()[whole.len() - part.len() - 1] == b' '
}

/// `whole` starts with the words of `part`.
fn word_prefix(whole: &str, part: &str) -> bool {
    whole.len() > part.len() && whole.starts_with(part) && whole.as_bytes()[part.len()] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Features {
        extract(text, &HashSet::new())
    }

    #[test]
    fn numbers_carry_their_unit() {
        let x = f("At least 15 people were killed and about 9,000 vehicles a day used it.");
        assert_eq!(x.numbers, vec![Number { value: 15.0, unit: "people".into() }, Number { value: 9000.0, unit: "vehicle".into() }]);
        let y = f("The pipe will carry 1.2 billion cubic metres and 54 per cent of it, for a two-day visit.");
        assert_eq!(y.numbers[0], Number { value: 1.2e9, unit: "cubic metre".into() });
        assert_eq!(y.numbers[1].unit, "%");
        assert_eq!(y.numbers[2], Number { value: 2.0, unit: "day".into() });
    }

    #[test]
    fn dates_by_granularity() {
        let x = f("Built in 1962, it will open on December 1 and closed on Tuesday evening.");
        assert!(x.dates.contains(&(DateKind::Year, "1962".into())));
        assert!(x.dates.contains(&(DateKind::Month, "december 1".into())));
        assert!(x.dates.contains(&(DateKind::Weekday, "tuesday".into())));
        assert!(x.numbers.is_empty(), "{:?}", x.numbers);
    }

    #[test]
    fn names_with_roles_and_routes() {
        let x = f("The inquiry will be led by retired judge Paul Oster in Varna.");
        assert_eq!(x.names[0].key, "paul oster");
        assert_eq!(x.names[0].before, "judge");
        assert_eq!(x.names[1].before, "in");
        let g = f("Issues related to the transit of Russian gas through Iran to Azerbaijan.");
        let roles: Vec<(String, Option<RouteRole>)> = g.names.iter().map(|n| (n.key.clone(), n.route)).collect();
        assert_eq!(roles, vec![("russian".into(), None), ("iran".into(), Some(RouteRole::Via)), ("azerbaijan".into(), Some(RouteRole::To))]);
        let h = f("Mayor Ilse Varga said the city would open an inquiry.");
        assert_eq!((h.names[0].key.as_str(), h.names[0].before.as_str()), ("ilse varga", "mayor"));
        assert!(h.prospective);
        assert!(!f("Rescue teams searched the water.").names.iter().any(|n| n.key == "rescue"));
    }

    #[test]
    fn names_match_across_spellings() {
        assert!(same_name("reed", "jonas reed"));
        assert!(same_name("iranian", "iran"));
        assert!(!same_name("oskar lind", "peter lind"));
        assert!(!same_name("tull", "marra"));
        assert!(same_name("ada brook", "ada") && same_name("ada", "ada brook") && same_name("ada brook", "brook"));
        assert!(!same_name("abrook", "brook") && !same_name("adam brook", "ada"), "whole words only");
    }

    #[test]
    fn name_keys_alone_are_those_of_the_whole_extraction() {
        // Numbers, dates and titles take words from names; the keys-only pass must take the
        // same ones (it skips only what changes no slot).
        let sentences = [
            "Mayor Ilse Varga met Deputy Governor Tom Reyes in Halvik on Monday, the council said.",
            "On 3 March 2024, 1,200 Kolm Rail workers walked out; Varga's office blamed Dara Gas.",
            "Prices rose to 54 per cent in May, while Sept figures from the Arles Bureau showed 9,000 cubic metres.",
            "Vessel's shares fell 12% after the two-day visit by Chief Executive Ruth Caldera to Brisk.",
            "Gas flows via Azerbaijan to the port of Halvik, not through Iran, Ostra officials said.",
            "“We will not sign,” said Ana Sol, the Greens’ leader, on Wednesday.",
        ];
        let empty = HashSet::new();
        for text in sentences {
            let whole: Vec<String> = extract(text, &empty).names.into_iter().map(|n| n.key).collect();
            let keys: Vec<String> = extract_as(text, &empty, Part::NameKeys).names.into_iter().map(|n| n.key).collect();
            assert_eq!(keys, whole, "{text}");
            assert!(!whole.is_empty(), "{text}");
        }
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_phrase(" it is expected to rise ", "expected to"));
        assert!(has_phrase(" now ", "now"));
        assert!(!has_phrase(" it is unexpected to rise ", "expected to"));
        assert!(!has_phrase(" it is expected tomorrow ", "expected to"));
        assert!(!has_phrase(" snow fell ", "now") && has_phrase(" snow fell now ", "now"));
    }
}
