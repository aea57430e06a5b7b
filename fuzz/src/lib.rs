//! What real pages do to text, as mutations for the fuzzer: dashes of every kind around
//! lists, unbalanced and nested quotation marks of every script, brackets, very long
//! sentences, lines of one character, no-break and zero-width spaces, right-to-left text and
//! marks, emoji built from several code points, HTML entities left in the text.
//!
//! [`mutate`] is the structured half of the `analyse` target's custom mutator: it keeps the
//! text valid UTF-8 and changes it the way scraped pages differ from clean prose, so the
//! coverage-guided search starts from real articles and stays near them.

/// Dashes and hyphens that separate list items and asides.
pub const DASHES: &[&str] = &[" — ", " – ", " - ", " ― ", "—", "–", "-", " -- ", "‒", " ‐ ", "\u{2011}", "\u{2212}"];

/// Opening and closing marks of many scripts, in the pairs they are used in, and alone.
pub const QUOTE_PAIRS: &[(&str, &str)] = &[
    ("\"", "\""),
    ("“", "”"),
    ("”", "”"),
    ("„", "“"),
    ("„", "”"),
    ("«", "»"),
    ("» ", " «"),
    ("‹", "›"),
    ("「", "」"),
    ("『", "』"),
    ("'", "'"),
    ("‘", "’"),
    ("‚", "‘"),
    ("(", ")"),
    ("[", "]"),
    ("{", "}"),
    ("“‘", "’”"),
    ("«“", "”»"),
];

/// Things left in the text by pages: invisible characters, direction marks, entities,
/// emoji (ZWJ sequences, flags, skin tones), other scripts, odd punctuation.
pub const LITTER: &[&str] = &[
    "\u{a0}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{feff}",
    "\u{200e}",
    "\u{200f}",
    "\u{202e}",
    "\u{202c}",
    "\u{2028}",
    "\u{ad}",
    "&amp;",
    "&#8220;",
    "&#8221;",
    "&nbsp;",
    "&quot;",
    "&#x2014;",
    "&lt;b&gt;",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "👍🏽",
    "🇺🇦",
    "❤️",
    "قال الرئيس",
    "\u{200f}שלום עולם\u{200f}",
    "Ǆ",
    "İstanbul",
    "ß",
    "ﬁ",
    "e\u{301}",
    "…",
    "...",
    "?!",
    "•",
    "*",
    "#",
    "|",
    ":",
    ";",
    ",",
    ".",
    "\t",
    "\r",
    "\n",
    "\n\n",
    " ",
    "  ",
    "Mr.",
    "U.S.",
    "Jan. 5, 2016",
    "1/2",
    "3.5",
    "said",
    "told reporters",
    "according to",
    "Blue Origin, SpaceX",
];

/// A small deterministic generator (xorshift) seeded by libFuzzer.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u32) -> Rng {
        Rng(u64::from(seed) ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random character boundary of `text`.
fn boundary(text: &str, rng: &mut Rng) -> usize {
    let n = text.chars().count();
    let k = rng.below(n + 1);
    text.char_indices().nth(k).map_or(text.len(), |(i, _)| i)
}

/// A random word start (or 0).
fn word_start(text: &str, rng: &mut Rng) -> usize {
    let starts: Vec<usize> =
        text.char_indices().filter(|&(i, c)| !c.is_whitespace() && (i == 0 || text[..i].ends_with(char::is_whitespace))).map(|(i, _)| i).collect();
    if starts.is_empty() { 0 } else { *rng.pick(&starts) }
}

/// A random word end after `from` (or the end of the text).
fn word_end_after(text: &str, from: usize, rng: &mut Rng) -> usize {
    let ends: Vec<usize> = text[from..].char_indices().filter(|&(_, c)| c.is_whitespace()).map(|(i, _)| from + i).take(40).collect();
    if ends.is_empty() { text.len() } else { *rng.pick(&ends) }
}

/// Change `text` the way a real page might. The result is valid UTF-8 of any length; the
/// caller trims it to the fuzzer's size limit.
pub fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut t = text.to_string();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        match rng.below(10) {
            // Something pages leave in the text.
            0 | 1 => {
                let at = boundary(&t, rng);
                let s: &str = *rng.pick::<&str>(LITTER);
                t.insert_str(at, s);
            }
            // A quotation around some words, balanced or missing one of its marks.
            2 | 3 => {
                let (open, close) = *rng.pick(QUOTE_PAIRS);
                let s = word_start(&t, rng);
                let e = word_end_after(&t, s, rng);
                match rng.below(4) {
                    0 => t.insert_str(s, open),
                    1 => t.insert_str(e, close),
                    _ => {
                        t.insert_str(e, close);
                        t.insert_str(s, open);
                    }
                }
            }
            // An aside or a list between dashes: "the companies — Blue Origin, SpaceX — had".
            4 => {
                let d = *rng.pick(DASHES);
                let s = word_start(&t, rng);
                let e = word_end_after(&t, s, rng);
                let d2 = if rng.below(3) == 0 { *rng.pick(DASHES) } else { d };
                t.insert_str(e, d2);
                t.insert_str(s, d);
            }
            // Spaces become no-break or zero-width spaces (all of them, or one).
            5 => {
                let to = *rng.pick(&["\u{a0}", "\u{200b}", "\u{2009}", "\u{3000}", "\u{feff}"]);
                if rng.below(2) == 0 {
                    t = t.replace(' ', to);
                } else if let Some(i) = t.find(' ') {
                    t.replace_range(i..i + 1, to);
                }
            }
            // Lines of one character, or a line break in the middle of a sentence.
            6 => {
                let at = boundary(&t, rng);
                let c = *rng.pick(&["\n.\n", "\nA\n", "\n\u{201c}\n", "\n—\n", "\n)\n", "\n", "\n\n"]);
                t.insert_str(at, c);
            }
            // A very long sentence: full stops become commas, or a clause repeats.
            7 => {
                if rng.below(2) == 0 {
                    t = t.replace(". ", ", ");
                } else {
                    let s = word_start(&t, rng);
                    let e = word_end_after(&t, s, rng);
                    let clause = format!(" {},", t[s..e].trim());
                    let times = 1 + rng.below(60);
                    t.insert_str(e, &clause.repeat(times));
                }
            }
            // Text of another script or right-to-left, with or without marks.
            8 => {
                let at = boundary(&t, rng);
                let s = *rng.pick(&["\u{202e}مرحبا بالعالم\u{202c}", "قال: «نعم»", "\u{200f}", "אמר \"כן\".", "他说：「好」。", "Он сказал: «Да»."]);
                t.insert_str(at, s);
            }
            // Cut the text somewhere (a page truncated mid-sentence).
            _ => {
                let at = boundary(&t, rng);
                t.truncate(at);
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_keep_utf8_and_change_text() {
        let seed = "NASA said the companies had been selected. “We are ready,” she said.";
        let mut changed = 0;
        for s in 0..500 {
            let mut rng = Rng::new(s);
            let out = mutate(seed, &mut rng);
            if out != seed {
                changed += 1;
            }
        }
        assert!(changed > 400, "{changed}");
    }
}
