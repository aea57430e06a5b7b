//! Sentence splitting for news text: survives abbreviations ("Apr. 28, 2025", "Dr. Smith"),
//! dotted acronyms ("U.S."), initials ("J. R. Smith") and quotes that end a sentence.
//! Line breaks end sentences (headings, captions and list items are lines of their own),
//! except a hard-wrapped line that continues in lowercase.

use std::ops::Range;

use super::lang::lexicon;

/// Byte ranges of the sentences of `text`, trimmed of surrounding whitespace, in order.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = skip_space(text, 0);
    let mut i = start;
    while i < text.len() {
        let c = text[i..].chars().next().expect("in bounds");
        let clen = c.len_utf8();
        if c == '\n' {
            let next_line = skip_space(text, i + 1);
            let continues = !ends_terminal(&text[start..i]) && !blank_line_between(text, i, next_line) && starts_lowercase(&text[next_line..]);
            if !continues {
                push(&mut out, text, start, i);
                start = next_line;
                i = next_line;
                continue;
            }
        } else if matches!(c, '.' | '!' | '?' | '…') {
            // Run over repeated terminators and closing quotes/brackets.
            let mut end = i + clen;
            while let Some(d) = text[end..].chars().next() {
                if matches!(d, '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')' | ']' | '»') {
                    end += d.len_utf8();
                } else {
                    break;
                }
            }
            let after = &text[end..];
            let space_follows = after.chars().next().is_some_and(|d| d == ' ' || d == '\t' || d == '\u{a0}');
            if space_follows && c != '\n' {
                let next = skip_inline_space(text, end);
                let rest = &text[next..];
                // `“Why now?” Sir Anthony asked.`: a question or exclamation in quotes runs on
                // into its attribution.
                let quoted_question = matches!(c, '?' | '!') && text[i..end].contains(['"', '”', '’', '\'']);
                let attribution_follows = quoted_question && attribution_ahead(rest);
                if starts_sentence(rest) && !attribution_follows && !(c == '.' && is_abbreviation_before(text, start, i, rest)) {
                    push(&mut out, text, start, end);
                    start = next;
                    i = next;
                    continue;
                }
            }
            i = end;
            continue;
        }
        i += clen;
    }
    let _ = bytes;
    push(&mut out, text, start, text.len());
    out
}

/// Does `rest` open with a short attribution ("Sir Anthony asked.", "the minister said,")?
fn attribution_ahead(rest: &str) -> bool {
    const VERBS: &[&str] = &["said", "asked", "says", "asks", "replied", "added", "shouted", "wrote", "insisted", "demanded", "wondered", "cried", "exclaimed"];
    for (seen, token) in rest.split_whitespace().take(5).enumerate() {
        let word = token.trim_end_matches(['.', ',', ';']);
        if VERBS.contains(&word) {
            return seen >= 1;
        }
        // "Mrs. Moor asked.": a title's full stop or an initial's is no sentence end.
        let abbreviation = token.strip_suffix('.').is_some_and(|t| {
            lexicon::TITLE_ABBREVIATIONS.contains(&t.to_lowercase().as_str()) || (t.chars().count() == 1 && t.starts_with(char::is_uppercase))
        });
        if (token.ends_with(['.', ',', ';', '?', '!', ':']) && !abbreviation) || token.contains(['"', '“', '”']) {
            return false;
        }
    }
    false
}

fn push(out: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let trimmed_start = start + (slice.len() - slice.trim_start().len());
    let trimmed_end = start + slice.trim_end().len();
    if trimmed_end > trimmed_start {
        out.push(trimmed_start..trimmed_end);
    }
}

fn skip_space(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if c.is_whitespace() {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

fn skip_inline_space(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

fn blank_line_between(text: &str, newline: usize, next: usize) -> bool {
    text[newline + 1..next].contains('\n')
}

fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with(['.', '!', '?', '…', '"', '”', ':']) || t.is_empty()
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

/// A new sentence starts with a capital, a digit, or an opening quote or bracket.
fn starts_sentence(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        // (`the U.S. “clearly” needed`: a quotation opening in lowercase goes on the
        // sentence.)
        Some('"' | '“' | '‘' | '\'' | '(' | '[' | '«') => !chars.next().is_some_and(char::is_lowercase),
        Some('—' | '-') => true,
        _ => false,
    }
}

/// Is the period at `dot` the end of an abbreviation, an initial or a dotted acronym that
/// does not end the sentence? `rest` is the text after the following space.
fn is_abbreviation_before(text: &str, sentence_start: usize, dot: usize, rest: &str) -> bool {
    let before = &text[sentence_start..dot];
    let token_start =
        before.rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“').map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let token = &before[token_start..];
    if token.is_empty() {
        return false;
    }
    let next_word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    // A quotation opening after "Inc." or "S.C." opens a sentence: `… in Fort Mill, S.C.
    // "It seems …"`.
    let quotation_follows = rest.starts_with(['"', '“']) || rest.starts_with("''");
    let lower = token.to_lowercase();
    // Month abbreviations before a day or year: "Apr. 28, 2025".
    // ("Robert P. Casey": a capital "P" is an initial, not a page.)
    let initial = token.chars().count() == 1 && token.starts_with(char::is_uppercase);
    if lexicon::is_month_abbreviation(&lower) || (NUMBER_ABBREVIATIONS.contains(&lower.as_str()) && !initial) {
        return rest.starts_with(|c: char| c.is_ascii_digit());
    }
    if lexicon::TITLE_ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    if OTHER_ABBREVIATIONS.contains(&lower.as_str()) || lexicon::NAME_END_ABBREVIATIONS.contains(&lower.as_str()) {
        // "Co." and "Inc." often end sentences; keep going only before a lowercase-looking
        // continuation, which starts_sentence already excluded, or a name-like word.
        return !quotation_follows && !COMMON_SENTENCE_STARTS.contains(&next_word.as_str());
    }
    // A single capital letter is an initial: "J. Smith".
    if initial {
        return true;
    }
    // Dotted acronyms ("U.S.", "a.m."): end the sentence only before a typical sentence start.
    if token.contains('.') && token.chars().filter(|c| c.is_alphabetic()).count() <= 4 && token.split('.').all(|p| p.chars().count() <= 2) {
        return !quotation_follows && !COMMON_SENTENCE_STARTS.contains(&next_word.as_str());
    }
    false
}

/// Abbreviations that only continue the sentence before a number: "No. 5", "Vol. 2".
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos", "vol", "pp", "fig", "art", "sec", "p"];

/// Other short forms (with `lexicon::NAME_END_ABBREVIATIONS`).
const OTHER_ABBREVIATIONS: &[&str] = &["vs", "etc", "approx", "dept", "est", "e.g", "i.e", "cf", "al"];

const COMMON_SENTENCE_STARTS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "However",
    "Meanwhile",
    "Since",
    "For",
    "Some",
    "Many",
    "Most",
    "According",
    "Officials",
    "Yet",
    "So",
    "Still",
    "Also",
    "Now",
    "Last",
    "Earlier",
    "Later",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(sentences("One thing. Another thing! A third? Yes."), vec!["One thing.", "Another thing!", "A third?", "Yes."]);
    }

    #[test]
    fn keeps_dates_titles_and_initials_whole() {
        assert_eq!(
            sentences("They met on Apr. 28, 2025 in Baku. Dr. Smith and J. R. Tolkien came."),
            vec!["They met on Apr. 28, 2025 in Baku.", "Dr. Smith and J. R. Tolkien came."]
        );
    }

    #[test]
    fn dotted_acronyms() {
        assert_eq!(
            sentences("Talks with the U.S. administration went well. Officials left."),
            vec!["Talks with the U.S. administration went well.", "Officials left."]
        );
        assert_eq!(sentences("He flew to the U.S. The talks ended."), vec!["He flew to the U.S.", "The talks ended."]);
        // A quotation after the acronym opens the next sentence.
        assert_eq!(
            sentences("“It works,” Vale told reporters in Port Elm, N.C. “It seems fine.” Later, Acme Co. “Fixes” was launched."),
            vec!["“It works,” Vale told reporters in Port Elm, N.C.", "“It seems fine.”", "Later, Acme Co.", "“Fixes” was launched."]
        );
    }

    #[test]
    fn quotes_that_end_sentences() {
        assert_eq!(
            sentences("“Together, we can build peace,” he stated. “We will go.” She left. He said “no.” Then silence."),
            vec!["“Together, we can build peace,” he stated.", "“We will go.”", "She left.", "He said “no.”", "Then silence."]
        );
        // A quote that ends in a question mark followed by lowercase attribution continues.
        assert_eq!(sentences("“Why now?” she asked. Nobody knew."), vec!["“Why now?” she asked.", "Nobody knew."]);
        // So does one whose attribution opens with a title or an initial.
        assert_eq!(sentences("“Why now?” Mrs. Vale asked. “Why not?” J. Reyd said."), vec!["“Why now?” Mrs. Vale asked.", "“Why not?” J. Reyd said."]);
    }

    #[test]
    fn lines_are_sentences_but_wrapped_lines_join() {
        assert_eq!(sentences("Heading Without Stop\nBody text here.\n\nNext para."), vec!["Heading Without Stop", "Body text here.", "Next para."]);
        assert_eq!(sentences("A sentence that was\nhard wrapped here."), vec!["A sentence that was\nhard wrapped here."]);
    }

    #[test]
    fn ellipsis_inside_quote_does_not_split() {
        assert_eq!(sentences("He said “in all fields…On the sidelines we talk.” Done."), vec!["He said “in all fields…On the sidelines we talk.”", "Done."]);
    }
}
