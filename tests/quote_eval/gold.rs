//! The quote-extraction evaluation set: loading `gold.json`, checking it, and scoring
//! predictions against it.
//!
//! Shared by `tests/quote_gold.rs` (the gold alone, no extractor) and `tests/quote_eval.rs`
//! (runs `briefbot::core::quotes::extract`), each including it with
//! `#[path = "quote_eval/gold.rs"] mod gold;`. See `tests/quote_eval/README.md`.
//!
//! A document's body is its file after the first line (the headline) and that line's
//! newline. All offsets are Unicode code points into the body, end exclusive.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A prediction matches a gold quote when their overlap covers at least this share of the
/// gold span (in code points).
pub const MIN_OVERLAP: f64 = 0.30;

/// Marks a direct gold span may start with.
pub const OPENING_MARKS: &[char] = &['"', '“', '‘', '\''];
/// Marks a direct gold span may end with.
pub const CLOSING_MARKS: &[char] = &['"', '”', '’', '\''];
/// Quotation marks that never double as apostrophes: an indirect span contains none of
/// them, a mixed span at least one opening one.
const UNAMBIGUOUS_MARKS: &[char] = &['"', '“', '”', '‘'];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GoldKind {
    Direct,
    Indirect,
    Mixed,
}

impl GoldKind {
    pub const ALL: [GoldKind; 3] = [GoldKind::Direct, GoldKind::Indirect, GoldKind::Mixed];

    pub fn parse(s: &str) -> Option<GoldKind> {
        match s {
            "direct" => Some(GoldKind::Direct),
            "indirect" => Some(GoldKind::Indirect),
            "mixed" => Some(GoldKind::Mixed),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GoldKind::Direct => "direct",
            GoldKind::Indirect => "indirect",
            GoldKind::Mixed => "mixed",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGold {
    documents: Vec<RawDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc {
    file: String,
    quotes: Vec<RawQuote>,
    #[serde(default)]
    not_quotes: Vec<String>,
}

/// One quote as written in `gold.json`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuote {
    pub text: String,
    #[serde(default = "first_occurrence")]
    pub occurrence: usize,
    #[serde(default)]
    pub speaker: Option<String>,
    pub kind: String,
}

fn first_occurrence() -> usize {
    1
}

#[derive(Clone, Debug)]
pub struct GoldQuote {
    pub text: String,
    pub occurrence: usize,
    pub speaker: Option<String>,
    pub kind: GoldKind,
    pub start: usize,
    pub end: usize,
}

impl GoldQuote {
    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

/// A listed non-quote and the spans it is counted at (see [`GoldDoc::build`]).
#[derive(Clone, Debug)]
pub struct NotQuote {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
}

#[derive(Clone, Debug)]
pub struct GoldDoc {
    pub file: String,
    pub headline: String,
    pub body: String,
    /// Body length in code points.
    pub body_len: usize,
    pub quotes: Vec<GoldQuote>,
    pub not_quotes: Vec<NotQuote>,
}

pub fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("quote_eval")
}

pub fn gold_path() -> PathBuf {
    eval_dir().join("gold.json")
}

pub fn texts_dir() -> PathBuf {
    eval_dir().join("texts")
}

/// The `occurrence`-th (1-based) of the non-overlapping, left-to-right matches of `text` in
/// `body` (as `str::match_indices` finds them), as code-point offsets.
pub fn locate(body: &str, text: &str, occurrence: usize) -> Option<(usize, usize)> {
    if text.is_empty() || occurrence == 0 {
        return None;
    }
    let (byte, _) = body.match_indices(text).nth(occurrence - 1)?;
    let start = body[..byte].chars().count();
    Some((start, start + text.chars().count()))
}

/// All non-overlapping matches of `text` in `body`, as code-point offsets.
pub fn locate_all(body: &str, text: &str) -> Vec<(usize, usize)> {
    if text.is_empty() {
        return Vec::new();
    }
    let len = text.chars().count();
    let mut out = Vec::new();
    let (mut chars_before, mut last_byte) = (0, 0);
    for (byte, _) in body.match_indices(text) {
        chars_before += body[last_byte..byte].chars().count();
        last_byte = byte;
        out.push((chars_before, chars_before + len));
    }
    out
}

/// The code points `start..end` of `body`.
pub fn slice(body: &str, start: usize, end: usize) -> String {
    body.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

impl GoldDoc {
    /// Builds a document from a file's content and its raw annotations. A quote that cannot
    /// be located or has an unknown kind is reported in `errors` and left out.
    ///
    /// A non-quote is counted at its occurrences outside the gold spans; where some of those
    /// are wrapped in quotation marks (`"North-South"`), only the wrapped ones count.
    pub fn build(file: &str, content: &str, raw_quotes: &[RawQuote], not_quotes: &[String], errors: &mut Vec<String>) -> GoldDoc {
        let (headline, body) = match content.split_once('\n') {
            Some((h, b)) => (h.to_string(), b.to_string()),
            None => {
                errors.push(format!("{file}: no newline after the headline"));
                (content.to_string(), String::new())
            }
        };
        if content.contains('\r') {
            errors.push(format!("{file}: contains carriage returns; save it with LF line endings"));
        }
        let mut quotes = Vec::new();
        for (i, raw) in raw_quotes.iter().enumerate() {
            let at = format!("{file}: quote #{} {:?}", i + 1, short(&raw.text));
            let Some(kind) = GoldKind::parse(&raw.kind) else {
                errors.push(format!("{at}: kind {:?} is not direct, indirect or mixed", raw.kind));
                continue;
            };
            if raw.occurrence == 0 {
                errors.push(format!("{at}: occurrence is 1-based, 0 given"));
                continue;
            }
            let Some((start, end)) = locate(&body, &raw.text, raw.occurrence) else {
                let found = locate_all(&body, &raw.text).len();
                errors.push(format!("{at}: occurrence {} not found in the body ({found} found)", raw.occurrence));
                continue;
            };
            quotes.push(GoldQuote { text: raw.text.clone(), occurrence: raw.occurrence, speaker: raw.speaker.clone(), kind, start, end });
        }
        let chars: Vec<char> = body.chars().collect();
        let not_quotes = not_quotes
            .iter()
            .map(|text| {
                let outside: Vec<(usize, usize)> =
                    locate_all(&body, text).into_iter().filter(|&span| quotes.iter().all(|q| overlap(span, (q.start, q.end)) == 0)).collect();
                let wrapped: Vec<(usize, usize)> = outside
                    .iter()
                    .copied()
                    .filter(|&(s, e)| s > 0 && e < chars.len() && OPENING_MARKS.contains(&chars[s - 1]) && CLOSING_MARKS.contains(&chars[e]))
                    .collect();
                NotQuote { text: text.clone(), spans: if wrapped.is_empty() { outside } else { wrapped } }
            })
            .collect();
        GoldDoc { file: file.to_string(), headline, body_len: chars.len(), body, quotes, not_quotes }
    }
}

/// Loads `gold.json` and its texts and runs [`check`]; every problem found is returned.
pub fn load() -> Result<Vec<GoldDoc>, Vec<String>> {
    load_from(&eval_dir())
}

/// [`load`] for another set laid out the same way: `dir/gold.json` and `dir/texts/*.txt`
/// (the held-out set in `tests/quote_eval_heldout/` uses it).
pub fn load_from(dir: &Path) -> Result<Vec<GoldDoc>, Vec<String>> {
    let path = dir.join("gold.json");
    let texts_dir = || dir.join("texts");
    let json = std::fs::read_to_string(&path).map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    let raw: RawGold = serde_json::from_str(&json).map_err(|e| vec![format!("cannot parse {}: {e}", path.display())])?;
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for raw_doc in &raw.documents {
        let text_path = texts_dir().join(&raw_doc.file);
        match std::fs::read_to_string(&text_path) {
            Ok(content) => docs.push(GoldDoc::build(&raw_doc.file, &content, &raw_doc.quotes, &raw_doc.not_quotes, &mut errors)),
            Err(e) => errors.push(format!("cannot read {}: {e}", text_path.display())),
        }
    }
    match std::fs::read_dir(texts_dir()) {
        Ok(entries) => {
            let listed: BTreeSet<&str> = raw.documents.iter().map(|d| d.file.as_str()).collect();
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".txt") && !listed.contains(name.as_str()) {
                    errors.push(format!("texts/{name} is not listed in gold.json"));
                }
            }
        }
        Err(e) => errors.push(format!("cannot list {}: {e}", texts_dir().display())),
    }
    errors.extend(check(&docs));
    if errors.is_empty() { Ok(docs) } else { Err(errors) }
}

/// [`load`], panicking with the full list of problems.
pub fn load_or_panic() -> Vec<GoldDoc> {
    load_from_or_panic(&eval_dir())
}

/// [`load_from`], panicking with the full list of problems.
pub fn load_from_or_panic(dir: &Path) -> Vec<GoldDoc> {
    match load_from(dir) {
        Ok(docs) => docs,
        Err(errors) => panic!("gold annotation problems ({}):\n  {}", errors.len(), errors.join("\n  ")),
    }
}

/// Consistency of located documents: spans in range and not overlapping, span shapes that
/// fit their kinds, well-formed speakers, usable non-quotes, no file listed twice.
pub fn check(docs: &[GoldDoc]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for doc in docs {
        let file = &doc.file;
        if !seen.insert(file.as_str()) {
            errors.push(format!("{file}: listed more than once"));
        }
        if doc.body.trim().is_empty() {
            errors.push(format!("{file}: empty body"));
        }
        for q in &doc.quotes {
            let at = format!("{file}: {:?}", short(&q.text));
            if q.start >= q.end || q.end > doc.body_len {
                errors.push(format!("{at}: span {}..{} out of range (body has {} code points)", q.start, q.end, doc.body_len));
                continue;
            }
            if slice(&doc.body, q.start, q.end) != q.text {
                errors.push(format!("{at}: offsets do not reproduce the text"));
            }
            if q.text.trim() != q.text {
                errors.push(format!("{at}: span has leading or trailing whitespace"));
            }
            let first = q.text.chars().next().unwrap_or(' ');
            let last = q.text.chars().last().unwrap_or(' ');
            match q.kind {
                GoldKind::Direct => {
                    if !OPENING_MARKS.contains(&first) || !CLOSING_MARKS.contains(&last) {
                        errors.push(format!("{at}: a direct span runs from an opening to a closing quotation mark"));
                    }
                }
                GoldKind::Indirect => {
                    if q.text.contains(UNAMBIGUOUS_MARKS) {
                        errors.push(format!("{at}: an indirect span has no quotation marks (use mixed)"));
                    }
                }
                GoldKind::Mixed => {
                    if !q.text.contains(['"', '“', '‘']) {
                        errors.push(format!("{at}: a mixed span contains a quoted fragment (use indirect)"));
                    }
                    if OPENING_MARKS.contains(&first) && CLOSING_MARKS.contains(&last) {
                        errors.push(format!("{at}: a mixed span is reported speech around a fragment, not a bare quote (use direct)"));
                    }
                }
            }
            if let Some(speaker) = &q.speaker
                && (speaker.trim().is_empty() || speaker.trim() != speaker)
            {
                errors.push(format!("{at}: speaker {speaker:?} is empty or padded"));
            }
        }
        let mut spans: Vec<&GoldQuote> = doc.quotes.iter().collect();
        spans.sort_by_key(|q| (q.start, q.end));
        for pair in spans.windows(2) {
            if pair[0].end > pair[1].start {
                errors.push(format!(
                    "{file}: gold spans overlap: {:?} ({}..{}) and {:?} ({}..{})",
                    short(&pair[0].text),
                    pair[0].start,
                    pair[0].end,
                    short(&pair[1].text),
                    pair[1].start,
                    pair[1].end
                ));
            }
        }
        for nq in &doc.not_quotes {
            if nq.text.trim().is_empty() {
                errors.push(format!("{file}: empty not_quote"));
            } else if nq.spans.is_empty() {
                errors.push(format!("{file}: not_quote {:?} does not occur outside the gold spans", nq.text));
            }
        }
    }
    errors
}

/// A prediction, decoupled from the extractor's own type so the scorer can be tested alone.
#[derive(Clone, Debug, Default)]
pub struct Pred {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub speaker: Option<String>,
    pub kind: Option<GoldKind>,
    pub cue: Option<String>,
}

/// Speaker names as compared: accents folded, lowercase, curly apostrophes straightened,
/// whitespace collapsed, a leading "the " dropped.
pub fn normalize_speaker(name: &str) -> String {
    let mut folded = String::new();
    for c in name.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ø' | 'Ø' => folded.push('o'),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ß' => folded.push_str("ss"),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => folded.push('d'),
            'þ' | 'Þ' => folded.push_str("th"),
            '’' | '‘' | 'ʼ' => folded.push('\''),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => collapsed,
    }
}

/// Whether a predicted speaker counts as the gold one; `None` (or an empty name) on both
/// sides agrees.
pub fn same_speaker(gold: Option<&str>, pred: Option<&str>) -> bool {
    let norm = |s: Option<&str>| s.map(normalize_speaker).filter(|s| !s.is_empty());
    norm(gold) == norm(pred)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub pred: usize,
    pub gold: usize,
    pub overlap: usize,
}

/// One-to-one matching: every (prediction, gold) pair whose overlap covers at least
/// [`MIN_OVERLAP`] of the gold span is a candidate; candidates are taken greedily, largest
/// overlap first (ties: earlier prediction, then earlier gold).
pub fn match_doc(doc: &GoldDoc, preds: &[Pred]) -> Vec<Match> {
    let mut candidates = Vec::new();
    for (pi, p) in preds.iter().enumerate() {
        let span = (p.start, p.end.min(doc.body_len));
        for (gi, g) in doc.quotes.iter().enumerate() {
            let ov = overlap(span, (g.start, g.end));
            if ov > 0 && ov as f64 >= MIN_OVERLAP * g.len() as f64 {
                candidates.push(Match { pred: pi, gold: gi, overlap: ov });
            }
        }
    }
    candidates.sort_by(|a, b| b.overlap.cmp(&a.overlap).then(a.pred.cmp(&b.pred)).then(a.gold.cmp(&b.gold)));
    let mut pred_used = vec![false; preds.len()];
    let mut gold_used = vec![false; doc.quotes.len()];
    let mut matches = Vec::new();
    for c in candidates {
        if !pred_used[c.pred] && !gold_used[c.gold] {
            pred_used[c.pred] = true;
            gold_used[c.gold] = true;
            matches.push(c);
        }
    }
    matches.sort_by_key(|m| m.gold);
    matches
}

/// Counts for one document or for the whole set.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub speaker_correct: usize,
    /// Matched pairs whose prediction carries a kind we know.
    pub kind_known: usize,
    pub kind_correct: usize,
    pub gold_by_kind: [usize; 3],
    pub matched_by_kind: [usize; 3],
    /// Unmatched predictions over a listed non-quote.
    pub not_quote_hits: usize,
    /// Predictions with `start > end` or `end` past the body.
    pub bad_offsets: usize,
    /// Predictions whose `text` is not the body's `start..end`.
    pub text_mismatches: usize,
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// Among matched pairs, the share with the gold speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.matched)
    }

    /// Gold quotes found with the right speaker, over all gold quotes.
    pub fn attributed_recall(&self) -> f64 {
        ratio(self.speaker_correct, self.gold)
    }

    pub fn kind_recall(&self, kind: GoldKind) -> Option<f64> {
        let i = kind.index();
        (self.gold_by_kind[i] > 0).then(|| ratio(self.matched_by_kind[i], self.gold_by_kind[i]))
    }

    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched += o.matched;
        self.speaker_correct += o.speaker_correct;
        self.kind_known += o.kind_known;
        self.kind_correct += o.kind_correct;
        for i in 0..3 {
            self.gold_by_kind[i] += o.gold_by_kind[i];
            self.matched_by_kind[i] += o.matched_by_kind[i];
        }
        self.not_quote_hits += o.not_quote_hits;
        self.bad_offsets += o.bad_offsets;
        self.text_mismatches += o.text_mismatches;
    }
}

#[derive(Clone, Debug, Default)]
pub struct DocScore {
    pub file: String,
    pub counts: Counts,
    /// One line per unmatched prediction over a listed non-quote.
    pub not_quote_hits: Vec<String>,
    /// Misses, false positives and wrong speakers, one line each.
    pub details: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub docs: Vec<DocScore>,
    pub total: Counts,
}

/// Shortened one-line form of a span for listings.
pub fn short(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 80 { format!("{}…", flat.chars().take(79).collect::<String>()) } else { flat }
}

fn show_speaker(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_string(), |s| format!("{s:?}"))
}

/// Scores `preds[i]` against `docs[i]`.
pub fn score(docs: &[GoldDoc], preds: &[Vec<Pred>]) -> Report {
    assert_eq!(docs.len(), preds.len(), "one prediction list per document");
    let mut report = Report::default();
    for (doc, preds) in docs.iter().zip(preds) {
        let mut ds = DocScore { file: doc.file.clone(), ..DocScore::default() };
        let c = &mut ds.counts;
        c.gold = doc.quotes.len();
        c.predicted = preds.len();
        for q in &doc.quotes {
            c.gold_by_kind[q.kind.index()] += 1;
        }
        for p in preds {
            if p.start > p.end || p.end > doc.body_len {
                c.bad_offsets += 1;
            } else if slice(&doc.body, p.start, p.end) != p.text {
                c.text_mismatches += 1;
            }
        }
        let matches = match_doc(doc, preds);
        let mut pred_matched = vec![false; preds.len()];
        let mut gold_matched = vec![false; doc.quotes.len()];
        for m in &matches {
            let (g, p) = (&doc.quotes[m.gold], &preds[m.pred]);
            pred_matched[m.pred] = true;
            gold_matched[m.gold] = true;
            c.matched += 1;
            c.matched_by_kind[g.kind.index()] += 1;
            if same_speaker(g.speaker.as_deref(), p.speaker.as_deref()) {
                c.speaker_correct += 1;
            } else {
                ds.details.push(format!(
                    "  SPEAKER gold {} predicted {}: {:?}",
                    show_speaker(g.speaker.as_deref()),
                    show_speaker(p.speaker.as_deref()),
                    short(&g.text)
                ));
            }
            if let Some(kind) = p.kind {
                c.kind_known += 1;
                if kind == g.kind {
                    c.kind_correct += 1;
                }
            }
        }
        for (gi, g) in doc.quotes.iter().enumerate() {
            if !gold_matched[gi] {
                ds.details.push(format!("  MISS [{}] {} @{}..{}: {:?}", g.kind.name(), show_speaker(g.speaker.as_deref()), g.start, g.end, short(&g.text)));
            }
        }
        for (pi, p) in preds.iter().enumerate() {
            if pred_matched[pi] {
                continue;
            }
            let span = (p.start, p.end.min(doc.body_len));
            let hit = doc.not_quotes.iter().find(|nq| nq.spans.iter().any(|&s| overlap(span, s) > 0));
            let shown = short(&slice(&doc.body, span.0, span.1));
            if let Some(nq) = hit {
                c.not_quote_hits += 1;
                ds.not_quote_hits.push(format!("{}: {:?} hits not_quote {:?}", doc.file, shown, nq.text));
            }
            ds.details.push(format!(
                "  FALSE POSITIVE {} @{}..{} (cue {}){}: {:?}",
                show_speaker(p.speaker.as_deref()),
                p.start,
                p.end,
                show_speaker(p.cue.as_deref()),
                if hit.is_some() { " [not_quote]" } else { "" },
                shown
            ));
        }
        report.total.add(&ds.counts);
        report.docs.push(ds);
    }
    report
}

fn fmt3(x: f64) -> String {
    format!("{x:.3}")
}

impl Report {
    /// The summary table: totals, per-document lines, recall by kind, non-quote hits.
    pub fn summary(&self) -> String {
        let t = &self.total;
        let mut s = String::new();
        let _ = writeln!(s, "Quote extraction evaluation: {} documents, {} gold quotes, {} predicted", self.docs.len(), t.gold, t.predicted);
        let _ = writeln!(s, "(a match needs an overlap of at least {:.0}% of the gold span; one-to-one, largest overlap first)\n", MIN_OVERLAP * 100.0);
        let width = self.docs.iter().map(|d| d.file.len()).max().unwrap_or(0).max(5);
        let _ = writeln!(s, "{:width$}  {:>4}  {:>4}  {:>5}  {:>5}  {:>5}  {:>5}  {:>7}", "document", "gold", "pred", "match", "P", "R", "F1", "speaker");
        let line = |s: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{name:width$}  {:>4}  {:>4}  {:>5}  {:>5}  {:>5}  {:>5}  {:>7}",
                c.gold,
                c.predicted,
                c.matched,
                fmt3(c.precision()),
                fmt3(c.recall()),
                fmt3(c.f1()),
                if c.matched == 0 { "-".to_string() } else { fmt3(c.speaker_accuracy()) }
            );
        };
        for d in &self.docs {
            line(&mut s, &d.file, &d.counts);
        }
        let _ = writeln!(s, "{}", "-".repeat(width + 48));
        line(&mut s, "TOTAL", t);
        let _ = writeln!(s);
        let _ = writeln!(s, "precision {}  recall {}  F1 {}", fmt3(t.precision()), fmt3(t.recall()), fmt3(t.f1()));
        let by_kind: Vec<String> = GoldKind::ALL
            .iter()
            .map(|&k| {
                let i = k.index();
                format!("{} {} ({}/{})", k.name(), t.kind_recall(k).map_or("-".to_string(), fmt3), t.matched_by_kind[i], t.gold_by_kind[i])
            })
            .collect();
        let _ = writeln!(s, "recall by kind: {}", by_kind.join("  "));
        let _ = writeln!(s, "speaker accuracy (matched pairs): {} ({}/{})", fmt3(t.speaker_accuracy()), t.speaker_correct, t.matched);
        let _ = writeln!(s, "found with the right speaker, over all gold: {} ({}/{})", fmt3(t.attributed_recall()), t.speaker_correct, t.gold);
        let _ = writeln!(
            s,
            "predicted kind agrees with gold (matched pairs with a kind): {} ({}/{})",
            fmt3(ratio(t.kind_correct, t.kind_known)),
            t.kind_correct,
            t.kind_known
        );
        let _ = writeln!(s, "false positives on listed non-quotes: {}", t.not_quote_hits);
        for d in &self.docs {
            for h in &d.not_quote_hits {
                let _ = writeln!(s, "  {h}");
            }
        }
        if t.bad_offsets + t.text_mismatches > 0 {
            let _ =
                writeln!(s, "WARNING: {} predictions with offsets outside the body, {} whose text is not body[start..end]", t.bad_offsets, t.text_mismatches);
        }
        s
    }

    /// Per document: misses, false positives and wrong speakers.
    pub fn details(&self) -> String {
        let mut s = String::new();
        for d in &self.docs {
            if d.details.is_empty() {
                continue;
            }
            let _ = writeln!(s, "{}", d.file);
            for line in &d.details {
                let _ = writeln!(s, "{line}");
            }
        }
        s
    }
}

/// Gold documents per kind, for summaries.
pub fn kind_totals(docs: &[GoldDoc]) -> BTreeMap<GoldKind, usize> {
    let mut m = BTreeMap::new();
    for q in docs.iter().flat_map(|d| &d.quotes) {
        *m.entry(q.kind).or_insert(0) += 1;
    }
    m
}
