//! Page furniture: the lines of a news page that belong to the page, not to the story —
//! photo captions and credits, bylines, cross-links ("WATCH:", "Related:"), editor's notes,
//! datelines or headline capitals on a line of their own, tweet embeds, contact lines — and
//! whether a sentence can stand alone (it does not open inside a quotation or as a fragment).
//!
//! General rules over the shape of a line, with no list of outlets' strings beyond the
//! labels pages share. A sentence on a furniture line is never prose fit for a brief.

use std::ops::Range;

/// Labels that open a cross-link, caption or boilerplate line ("WATCH: …", "Photo: …").
const LINE_LABELS: &[&str] = &[
    "watch",
    "read more",
    "read",
    "related",
    "see also",
    "also read",
    "also on",
    "more",
    "listen",
    "video",
    "photo",
    "photos",
    "image",
    "file photo",
    "editor's note",
    "editors' note",
    "editor's notes",
    "note to readers",
    "correction",
    "update",
    "updated",
    "warning",
    "sign up",
    "subscribe",
    "follow",
    "email",
    "twitter",
    "contact",
    "credit",
    "caption",
    "source",
    "sources",
];

/// Phrases that only page furniture uses, wherever they appear in the line.
const FURNITURE_PHRASES: &[&str] = &[
    "open this photo in gallery",
    "article continued below",
    "story continues below",
    "continue reading",
    "click here",
    "all rights reserved",
    "pic.twitter.com",
    "://t.co/",
    "in this file photo",
    "in this undated photo",
    "in this handout photo",
    "in this photo",
    "photo illustration",
    "with files from",
    "this story contains disturbing",
    "editor's note:",
    "editors' note:",
];

/// Calls to the reader that are furniture only as a command opening a sentence ("Sign up
/// for her newsletter."), not inside story text ("asked workers to sign up for a pay cut").
const FURNITURE_COMMANDS: &[&str] = &["follow us on", "sign up for", "subscribe to our"];

/// Words that name a photo agency or credit after a slash ("Jane Roe/Reuters").
const CREDIT_WORDS: &[&str] = &[
    "ap",
    "afp",
    "reuters",
    "getty",
    "getty images",
    "associated press",
    "the associated press",
    "canadian press",
    "the canadian press",
    "pool",
    "handout",
    "file",
    "bloomberg",
    "epa",
];

/// Verbs of a caption describing a picture ("is seen leaving", "are pictured").
const CAPTION_VERBS: &[&str] = &[" is seen ", " are seen ", " is pictured", " are pictured", " poses for ", " pose for "];

fn normalise(line: &str) -> String {
    // No-break spaces ("Editor’s\u{a0}note:") are spaces to the labels.
    line.trim().replace(['’', '‘'], "'").replace('\u{a0}', " ").to_lowercase()
}

/// True when a line of an article is page furniture rather than story text.
pub fn is_furniture_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let lower = normalise(t);
    if FURNITURE_PHRASES.iter().any(|p| lower.contains(p)) || lower.contains('©') {
        return true;
    }
    if FURNITURE_COMMANDS.iter().any(|c| opens_a_sentence(&lower, c)) {
        return true;
    }
    if opens_with_label(&lower) || is_subheading(t) || is_credit(t) || is_byline(t) || is_capitals(t) || is_tweet_signature(t) {
        return true;
    }
    if lower == "advertisement" || lower == "ad" {
        return true;
    }
    is_caption(t, &lower)
}

/// A caption: one sentence describing a picture in the present ("X is seen leaving …"), with
/// no quotation and no sentence of reporting around it. "is seen as" and "is seen by" are
/// judgements, not pictures ("Trump, who is seen as a stronger leader, …").
fn is_caption(line: &str, lower: &str) -> bool {
    let padded = format!(" {lower} ");
    // (`contains` before `find`: the first is the fast search, and most lines hold no verb.)
    let Some(verb) = CAPTION_VERBS.iter().find(|v| padded.contains(**v)) else { return false };
    let Some(verb_end) = padded.find(verb).map(|i| i + verb.len()) else { return false };
    if line.chars().count() >= 300 || line.contains(['"', '“', '”']) || lower.contains("''") {
        return false;
    }
    let next = padded[verb_end..].split_whitespace().next().unwrap_or("");
    if matches!(next, "as" | "by") {
        return false;
    }
    // More than one sentence is a story paragraph ("… officers are seen gathered around
    // someone. Two of them are kneeling.").
    let body = line.trim_end().trim_end_matches(['.', '!', '?']);
    !body.contains(". ") && !body.contains("? ") && !body.contains("! ")
}

/// `phrase` opens the line or a sentence inside it.
fn opens_a_sentence(lower: &str, phrase: &str) -> bool {
    // `contains` first: its search of short needles is much faster than `match_indices`, and
    // almost no line holds the phrase.
    lower.contains(phrase)
        && lower.match_indices(phrase).any(|(i, _)| {
            let before = lower[..i].trim_end_matches([' ', '“', '"', '(']);
            before.is_empty() || before.ends_with(['.', '!', '?', ':'])
        })
}

/// "WATCH: …", "Editor's note: …": a known label, then a colon, at the start of the line.
fn opens_with_label(lower: &str) -> bool {
    let Some((head, _)) = lower.split_once(':') else { return false };
    let head = head.trim().trim_start_matches(|c: char| !c.is_alphanumeric());
    LINE_LABELS.contains(&head)
}

/// A subheading or list heading: one capitalised word, a colon, then a short phrase
/// ("Security: The impact of the corridor project.").
fn is_subheading(line: &str) -> bool {
    let Some((head, rest)) = line.split_once(": ") else { return false };
    let single_word = !head.contains(' ') && head.chars().next().is_some_and(char::is_uppercase) && head.chars().all(char::is_alphabetic);
    single_word && rest.split_whitespace().count() <= 14 && !rest.contains(['"', '“', '”'])
}

/// A photo credit: "Name Name/Agency" or "(Photo: …)" / "(AP Photo/…)" anywhere in the line.
fn is_credit(line: &str) -> bool {
    let lower = normalise(line);
    if lower.contains("(photo") || lower.contains("(image") || lower.contains("photo/") || lower.contains("photo by ") || lower.contains("photo credit") {
        return true;
    }
    // Offsets come from `line` itself: `normalise` changes byte lengths (no-break spaces,
    // curly apostrophes, case), so an offset into `lower` is no offset into `line`.
    for (i, _) in line.match_indices('/') {
        let after = normalise(line.get(i + 1..).unwrap_or(""));
        if CREDIT_WORDS.iter().any(|w| after.starts_with(w) && after[w.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())) {
            // The part before the slash is a name (capitalised words), not a URL or a ratio.
            let before = line.get(..i).unwrap_or("").trim_end();
            let last = before.rsplit(' ').next().unwrap_or("");
            if last.chars().next().is_some_and(char::is_uppercase) {
                return true;
            }
        }
    }
    false
}

/// "By Jane Roe" alone, or "Jane Roe, Associated Press" / "Jane Roe, staff writer".
fn is_byline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() >= 2 && words.len() <= 6 && words[0] == "By" && words[1..].iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) || *w == "and")
    {
        return true;
    }
    if let Some((name, rest)) = line.split_once(", ") {
        let name_words: Vec<&str> = name.split_whitespace().collect();
        let rest_l = rest.trim().trim_end_matches('.').to_lowercase();
        let named = (2..=4).contains(&name_words.len()) && name_words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let role = [
            "reporter",
            "correspondent",
            "writer",
            "editor",
            "columnist",
            "producer",
            "associated press",
            "the associated press",
            "reuters",
            "afp",
            "bloomberg",
        ]
        .iter()
        .any(|r| rest_l == *r || rest_l.ends_with(&format!(" {r}")));
        if named && role && rest_l.split_whitespace().count() <= 5 {
            return true;
        }
    }
    false
}

/// A line in capitals: a dateline alone ("WASHINGTON —") or a headline-style line
/// ("DESPITE THE RAIN, THE PARADE GOES ON.").
fn is_capitals(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 4 {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper * 10 >= letters.len() * 9
}

/// The signature line of an embedded tweet: "— Jane Roe (@janeroe) May 4, 2016".
fn is_tweet_signature(line: &str) -> bool {
    let Some(at) = line.find("(@") else { return false };
    let Some(close) = line[at..].find(')') else { return false };
    let handle = &line[at + 2..at + close];
    let after = line[at + close + 1..].trim();
    !handle.is_empty()
        && handle.chars().all(|c| c.is_alphanumeric() || c == '_')
        && after.split_whitespace().count() <= 4
        && after.chars().any(|c| c.is_ascii_digit())
}

/// The byte ranges of the furniture lines of a body, and of pull quotes: lines that repeat
/// (most of) another line of the same article, often with the speaker's bare name after it.
pub fn furniture_lines(body: &str) -> Vec<Range<usize>> {
    let mut lines: Vec<(Range<usize>, &str)> = Vec::new();
    let mut at = 0;
    for l in body.split_inclusive('\n') {
        let r = at..at + l.len();
        at += l.len();
        let t = l.trim();
        if !t.is_empty() {
            lines.push((r, t));
        }
    }
    // Pull quotes are looked for in articles of ordinary length only (the check compares lines
    // pairwise).
    let pull_quotes = lines.len() <= 400;
    let mut out = Vec::new();
    for (i, (r, t)) in lines.iter().enumerate() {
        if is_furniture_line(t) || (pull_quotes && is_pull_quote(t, i, &lines)) {
            out.push(r.clone());
        }
    }
    out
}

fn is_pull_quote(line: &str, i: usize, lines: &[(Range<usize>, &str)]) -> bool {
    // Drop a trailing bare name ("… the end.” Jane Roe").
    let core = strip_trailing_name(line);
    let core = core.trim().trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '.' | ' '));
    if core.chars().count() < 25 {
        return false;
    }
    // The line's words appear inside a longer line of the article: it is repeated display text.
    // A line repeated word for word is display text the second time.
    lines.iter().enumerate().any(|(j, (_, other))| (j != i && other.len() > line.len() && other.contains(core)) || (j < i && *other == line))
}

fn strip_trailing_name(line: &str) -> &str {
    let t = line.trim_end();
    if let Some((p, c)) = t.char_indices().rev().find(|(_, c)| matches!(c, '.' | '!' | '?' | '”' | '"')) {
        let end = p + c.len_utf8();
        let words: Vec<&str> = t[end..].split_whitespace().collect();
        if !words.is_empty() && words.len() <= 4 && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase)) {
            return &t[..end];
        }
    }
    t
}

/// True when the sentence at `start` of `body` opens inside a quotation that began earlier
/// in its paragraph (so it cannot stand alone), or shows a closing quotation mark before
/// any opening one.
pub fn opens_inside_quotation(body: &str, start: usize) -> bool {
    let para_start = body[..start].rfind('\n').map_or(0, |p| p + 1);
    let before = &body[para_start..start];
    let opens = before.matches('“').count();
    let closes = before.matches('”').count();
    if opens > closes {
        return true;
    }
    if before.matches('"').count() % 2 == 1 {
        return true;
    }
    let sentence_end = body[start..].find('\n').map_or(body.len(), |e| start + e);
    let own = &body[start..sentence_end];
    match own.find(['“', '”']) {
        Some(p) => own[p..].starts_with('”'),
        None => false,
    }
}

/// True when a sentence opens like a fragment: a lowercase first word (not a brand such as
/// "iPhone") or a continuation mark; or is a list heading with its item ("Security: The
/// impact of the corridor project."), which a page may glue to the end of the previous line.
pub fn opens_as_fragment(text: &str) -> bool {
    let t = text.trim_start();
    if is_subheading(t) {
        return true;
    }
    let Some(first) = t.chars().next() else { return true };
    if matches!(first, '…' | ',' | ';' | ':' | ')' | ']') || t.starts_with("...") {
        return true;
    }
    if first.is_lowercase() {
        let word: String = t.chars().take_while(|c| c.is_alphanumeric()).collect();
        return !word.chars().skip(1).any(char::is_uppercase);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credit_after_no_break_spaces_is_read_without_slicing_inside_one() {
        // Found by the fuzzer: the normalised line is shorter than the line (each no-break
        // space is two bytes, its replacement one), so the slash's offset in one was inside a
        // character of the other.
        assert!(is_furniture_line("Ann Lee\u{a0}\u{a0} / Reuters"));
        assert!(is_furniture_line("Jonathan-\u{a0}Drake\u{a0}\u{a0} / Reuters."));
        assert!(!is_furniture_line("The vote was 7\u{a0}\u{a0}/ 2 in favour of the harbour plan."));
    }

    #[test]
    fn captions_and_credits_are_furniture() {
        for line in [
            "Open this photo in gallery Harbour Minister Ada Brook speaks to reporters.",
            "Ada Brook leaves the council chamber on Tuesday. Tom Vale/The Associated Press",
            "Mayor Ada Brook is seen leaving the council chamber in Port Elm on Tuesday.",
            "A crowd waits outside the stadium. (Photo: Lena Ortiz for the Gazette)",
            "In this file photo, the ferry leaves the harbour at dawn.",
            "The harbour at dawn (AP Photo/Lena Ortiz)",
            "Want more from Lena? Sign up for her newsletter, Harbour Notes.",
            "Follow us on Mastodon for the latest from the port.",
        ] {
            assert!(is_furniture_line(line), "caption not caught: {line}");
        }
    }

    #[test]
    fn labels_bylines_datelines_and_capitals_are_furniture() {
        for line in [
            "WATCH: The minister's full statement on the ferry strike",
            "Related: Ferry strike enters its second week",
            "Editor’s note: The author is a paid adviser to the port authority.",
            "By Lena Ortiz",
            "Lena Ortiz, Associated Press",
            "PORT ELM —",
            "DESPITE THE RAIN, THE HARBOUR PARADE GOES ON.",
            "— Ada Brook (@adabrook) May 4, 2031",
            "Follow us on Twitter for more harbour news.",
            "Energy: The cost of the new harbour cranes.",
        ] {
            assert!(is_furniture_line(line), "furniture not caught: {line}");
        }
    }

    #[test]
    fn story_sentences_are_not_furniture() {
        for line in [
            "The harbour minister said on Tuesday that the ferry strike would end by Friday.",
            "Brook, who has led the port authority since 2029, won 57 percent of the vote.",
            "The NATO summit in Port Elm drew 30 leaders, the ministry said.",
            "Shares rose 3/4 of a point after the ruling.",
            "Officials said the U.S. and EU would watch the vote closely.",
            "“We will reopen the harbour,” Brook said.",
            // Caption verbs in story text: a judgement, a quotation, two sentences.
            "Brook, who is seen as the stronger candidate, leads by four points.",
            "The candidates are seen by voters as a circus.",
            "“We have won,” Brook said. “She is seen as a failed leader.”",
            "At the quay, four officers are seen gathered around a man. Two of them kneel.",
            // Calls to the reader inside story text.
            "The port asked workers to sign up for an optional pay cut.",
        ] {
            assert!(!is_furniture_line(line), "story sentence flagged: {line}");
        }
    }

    #[test]
    fn pull_quotes_repeat_a_story_line() {
        let body = "Ferry strike ends.\nThe minister spoke on Tuesday. “We will reopen the harbour by Friday,” Ada Brook said at the quay.\n“We will reopen the harbour by Friday.” Ada Brook\nThe unions agreed.\n";
        let lines = furniture_lines(body);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(body[lines[0].clone()].starts_with("“We will reopen the harbour by Friday.” Ada Brook"));
    }

    #[test]
    fn quotation_and_fragment_openings() {
        let body = "Brook spoke at the quay. “The strike is over. We reopen on Friday,” she said.\nThe unions agreed.";
        let second = body.find("We reopen").unwrap();
        assert!(opens_inside_quotation(body, second));
        let third = body.find("The unions").unwrap();
        assert!(!opens_inside_quotation(body, third));
        let first = body.find("“The strike").unwrap();
        assert!(!opens_inside_quotation(body, first));
        assert!(opens_inside_quotation("He said it was fine,” Brook added.", 0));
        assert!(opens_as_fragment("and then the ferry left."));
        assert!(!opens_as_fragment("iPhone sales rose in the harbour town."));
        assert!(!opens_as_fragment("The ferry left."));
        // A list heading glued after the previous item on one line is not a sentence.
        assert!(opens_as_fragment("Harbour: The future of the old ferry quay and its cranes."));
        assert!(!opens_as_fragment("Ferries: the town runs four of them a day between the two islands, the council said on Monday in a statement."));
        // No-break spaces do not hide a label.
        assert!(is_furniture_line("Editor\u{2019}s\u{a0}note:\u{a0}The mayor regularly misleads voters about the harbour."));
    }
}
