//! Small text utilities shared by the language modules: folding, tokens, edit distance.

use unicode_normalization::UnicodeNormalization;

/// Lowercase, strip accents and unify apostrophes, so that "Pezeşkian", "PEZESHKIAN" and
/// "Pezeshkian" compare equal. Letters without a decomposition are mapped by hand.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'ə' | 'Ə' => out.push('e'),
            'ı' => out.push('i'),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            '’' | '‘' | '`' | 'ʼ' => out.push('\''),
            '‐' | '‑' | '–' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// [`fold`] for one word, without allocating when it is short ASCII.
pub fn fold_word(s: &str) -> Lower<'_> {
    if !s.is_ascii() {
        return Lower::Owned(fold(s));
    }
    // ASCII folds to its lowercase, with '`' read as an apostrophe.
    if s.contains('`') {
        return Lower::Owned(fold(s));
    }
    Lower::new(s)
}

/// Fold and keep only letters, digits and single spaces: the key under which names are
/// compared ("Pezeshkian’s" → "pezeshkian's" → key "pezeshkian").
pub fn name_key(s: &str) -> String {
    if s.is_ascii() {
        return name_key_ascii(s);
    }
    name_key_general(s)
}

/// [`name_key`] for any text; the ASCII fast path must agree with it.
fn name_key_general(s: &str) -> String {
    let folded = fold(s);
    let folded = folded.strip_suffix("'s").unwrap_or(&folded);
    let mut out = String::with_capacity(folded.len());
    let mut space = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The lowercase form of a word (`str::to_lowercase`) without allocating in the common
/// cases: borrowed when lowercasing changes nothing, on the stack when the word is short
/// ASCII, owned otherwise. Derefs to `str`.
pub enum Lower<'a> {
    Borrowed(&'a str),
    Inline { buf: [u8; INLINE_LOWER], len: u8 },
    Owned(String),
}

const INLINE_LOWER: usize = 32;

impl<'a> Lower<'a> {
    pub fn new(s: &'a str) -> Lower<'a> {
        if s.is_ascii() {
            if !s.bytes().any(|b| b.is_ascii_uppercase()) {
                return Lower::Borrowed(s);
            }
            if s.len() <= INLINE_LOWER {
                let mut buf = [0u8; INLINE_LOWER];
                for (d, b) in buf.iter_mut().zip(s.bytes()) {
                    *d = b.to_ascii_lowercase();
                }
                return Lower::Inline { buf, len: s.len() as u8 };
            }
            return Lower::Owned(s.to_ascii_lowercase());
        }
        let unchanged = s.chars().all(|c| {
            let mut l = c.to_lowercase();
            l.len() == 1 && l.next() == Some(c)
        });
        if unchanged { Lower::Borrowed(s) } else { Lower::Owned(s.to_lowercase()) }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Lower::Borrowed(s) => s,
            // Only ASCII bytes are ever stored inline.
            Lower::Inline { buf, len } => std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default(),
            Lower::Owned(s) => s,
        }
    }
}

impl std::ops::Deref for Lower<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<&str> for Lower<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq for Lower<'_> {
    fn eq(&self, other: &Lower<'_>) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::fmt::Debug for Lower<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl Default for Lower<'_> {
    fn default() -> Self {
        Lower::Borrowed("")
    }
}

/// [`name_key`] for ASCII, in one pass and one allocation: ASCII folds to its lowercase
/// with '`' read as an apostrophe.
fn name_key_ascii(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let possessive = n >= 2 && matches!(b[n - 2], b'\'' | b'`') && b[n - 1].eq_ignore_ascii_case(&b's');
    let body = if possessive { &b[..n - 2] } else { b };
    let mut out = String::with_capacity(body.len());
    let mut space = false;
    for &c in body {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(char::from(c.to_ascii_lowercase()));
        } else {
            space = true;
        }
    }
    out
}

/// A word of text with its byte range. Words are runs of letters and digits joined by
/// internal apostrophes, hyphens or dots between letters ("Iran-Azerbaijan", "U.S").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl Word<'_> {
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }
    pub fn is_all_caps(&self) -> bool {
        let letters = self.text.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2 && self.text.chars().all(|c| !c.is_lowercase())
    }
}

pub fn words(text: &str) -> Vec<Word<'_>> {
    word_iter(text).collect()
}

/// The words of `text` one at a time: for callers that need only the first few.
pub fn word_iter(text: &str) -> WordIter<'_> {
    WordIter { text, pos: 0 }
}

pub struct WordIter<'a> {
    text: &'a str,
    /// Where to read on: the character that ended the last word, or the end.
    pos: usize,
}

/// The character at byte `i` of `text` and its length, ASCII first.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((char::from(b), 1));
    }
    text[i..].chars().next().map(|c| (c, c.len_utf8()))
}

/// UTF-8 read as Latin-1, once or twice ("SarukhÃ¡n", "PeÃ±a", "SarukhÃ\u{83}Â¡n" for
/// "Sarukhán", "Peña"): after "Ã" or "Â", a character of U+0080..=U+00BF is the rest of a
/// letter, not punctuation, so the name stays one word.
/// Texts in decomposed form write "Ã" as "A" and a combining tilde: a combining mark
/// continues the word it follows, as in "Sarukha\u{301}n".
#[inline]
fn mojibake_tail(text: &str, i: usize, c: char) -> bool {
    if ('\u{300}'..='\u{36F}').contains(&c) {
        return true;
    }
    ('\u{80}'..='\u{BF}').contains(&c) && {
        let before = &text[..i];
        before.ends_with(['Ã', 'Â']) || before.ends_with("A\u{303}") || before.ends_with("A\u{302}")
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() }
}

impl<'a> Iterator for WordIter<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let text = self.text;
        let mut i = self.pos;
        // Skip to the next letter or digit.
        let start = loop {
            let Some((c, len)) = char_at(text, i) else {
                self.pos = i;
                return None;
            };
            if is_word_char(c) {
                break i;
            }
            i += len;
        };
        let mut end = start + char_at(text, start).map_or(1, |(_, len)| len);
        i = end;
        while let Some((d, len)) = char_at(text, i) {
            if is_word_char(d) || mojibake_tail(text, i, d) {
                i += len;
                end = i;
            } else if matches!(d, '\'' | '’' | '-' | '‑' | '.') && char_at(text, i + len).is_some_and(|(n, _)| is_word_char(n)) {
                // A joiner, when a letter or digit follows directly.
                i += len;
            } else {
                break;
            }
        }
        self.pos = i;
        Some(Word { start, end, text: &text[start..end] })
    }
}

/// Levenshtein distance, giving up (returning `max + 1`) once it must exceed `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    // Damerau (optimal string alignment): two neighbouring letters swapped ("huwaei" for
    // "huawei") are one typo, as people make them.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How many typos a name of this length may carry and still match: none for short names
/// (too many false friends), one from five letters, two from ten.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

/// Byte offset → code-point offset, for the public offsets (which count code points).
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Common English function words: never topics, never names on their own.
pub fn is_stopword(folded: &str) -> bool {
    STOPWORDS.binary_search(&folded).is_ok()
}

const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Pezeşkian"), "pezeskian");
        assert_eq!(fold("Əliyev"), "eliyev");
        assert_eq!(fold("détente"), "detente");
        assert_eq!(name_key("Pezeshkian’s"), "pezeshkian");
        assert_eq!(name_key("  Ilham   Aliyev "), "ilham aliyev");
    }

    #[test]
    fn words_keep_joined_forms() {
        let w: Vec<&str> = words("Iran-Azerbaijan ties, U.S. and Pezeshkian’s visit.").iter().map(|w| w.text).collect();
        assert_eq!(w, vec!["Iran-Azerbaijan", "ties", "U.S", "and", "Pezeshkian’s", "visit"]);
    }

    #[test]
    fn mojibake_letters_stay_in_their_word() {
        let w: Vec<&str> = words("Arturo SarukhÃ\u{83}Â¡n and PeÃ±a Nieto ¡sí! Ã, ¿").iter().map(|w| w.text).collect();
        assert_eq!(w, vec!["Arturo", "SarukhÃ\u{83}Â¡n", "and", "PeÃ±a", "Nieto", "sí", "Ã"]);
        let w: Vec<&str> = words("SarukhA\u{303}\u{83}A\u{302}¡n met Jose\u{301} Pen\u{303}a.").iter().map(|w| w.text).collect();
        assert_eq!(w, vec!["SarukhA\u{303}\u{83}A\u{302}¡n", "met", "Jose\u{301}", "Pen\u{303}a"]);
    }

    /// The tokenizer as first written (peekable char indices), for comparison.
    fn reference_words(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    iter.next();
                } else if matches!(d, '\'' | '’' | '-' | '‑' | '.') && text[j + d.len_utf8()..].chars().next().is_some_and(|n| n.is_alphanumeric()) {
                    iter.next();
                } else {
                    break;
                }
            }
            out.push((i, end));
        }
        out
    }

    #[test]
    fn word_iter_matches_the_reference_tokenizer() {
        let pieces =
            ["a", "Z", "9", "é", "Þór", "ß", " ", "  ", ".", "'", "’", "-", "‑", "“", "”", "—", ",", "\n", "U.S.", "it’s", "x-", "-y", "..", "'s", "中文", "٣"];
        // Every sequence of up to four pieces, and some long mixed texts.
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next.into_iter().filter(|t| t.chars().count() <= 8));
            texts.sort();
            texts.dedup();
        }
        texts.push("Iran-Azerbaijan ties, U.S. and Pezeshkian’s visit. “Don’t,” she said — 4.5% of £85,000.".to_string());
        for t in &texts {
            let got: Vec<(usize, usize)> = word_iter(t).map(|w| (w.start, w.end)).collect();
            assert_eq!(got, reference_words(t), "{t:?}");
        }
    }

    #[test]
    fn ascii_fast_paths_match_fold() {
        for s in ["Pezeshkian's", "O`Brien`S", "  Ilham   Aliyev ", "AT&T", "U.S.", "it's", "'s", "s", "Smith's'", "Marks & Spencer's", "Co-op"] {
            assert_eq!(name_key(s), name_key_general(s), "{s}");
            assert_eq!(fold_word(s).as_str(), fold(s), "{s}");
        }
    }

    #[test]
    fn lower_matches_to_lowercase() {
        for s in ["said", "Said", "ÖSTERREICH", "Pezeşkian", "ǅemal", "ΣΟΦΙΑΣ", "a-very-long-ascii-word-beyond-the-inline-buffer-SIZE", "", "Ǆ", "İstanbul"]
        {
            assert_eq!(Lower::new(s).as_str(), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("pezeshkan", "pezeshkian", 2), 1);
        assert_eq!(edit_distance("masoud", "massoud", 1), 1);
        assert_eq!(edit_distance("bitcoin", "baku", 1), 2);
        assert_eq!(edit_distance("huwaei", "huawei", 2), 1, "a transposition is one edit");
        assert_eq!(edit_distance("lewandowksi", "lewandowski", 2), 1);
        assert_eq!(edit_distance("ab", "ba", 1), 1);
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]), "stopwords must stay sorted for binary search");
    }
}
