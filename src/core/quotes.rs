//! Quotes and who said them, rule-based.
//!
//! Direct quotes are found from quotation marks (straight, curly, and single quotes used as
//! quote marks), joined across an attribution that splits them and across paragraphs that
//! reopen them. Each sentence is then read for speech verbs ("said", "told", "warned")
//! outside the quotation marks: each verb gets its subject (before it, past appositions and
//! relative clauses, or after it: "said Ortega") and its complement (a "that" clause, a
//! bare clause, a quotation). A complement clause is indirect speech, or mixed when it holds
//! a quoted fragment; a quotation next to a verb is direct speech by that verb's subject.
//!
//! A subject resolves through the document's entities: a name (a person by their fullest
//! name, an organisation by its fullest name), a pronoun (the person the narration is
//! about), a role noun ("the chief executive"), an organisation noun ("the company", "a
//! spokesman for the agency"). Unnamed people and groups ("one senior official",
//! "residents") resolve to `None` with their mention kept: never a guess.

use std::ops::Range;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::entities::{self, DocEntities, EntityKind, Gender};
use super::gazetteer::{self, WordSet};
use super::lang::lexicon::{AUXILIARIES, DETERMINERS, FINITE, PREPOSITIONS, PRONOUNS, SUBJECT_PRONOUNS};
use super::lang::names;
use super::sentences;
use super::text::{Lower, Word, word_iter, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Mixed,
}

/// A quote with public offsets (code points into the document body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    /// The quoted text, exactly the body between `start` and `end`.
    pub text: String,
    /// The speaker's name (the fullest form in the document), `None` when unresolved.
    pub speaker: Option<String>,
    /// The words that point at the speaker: "he", "the Iranian leader", "Pezeshkian".
    pub speaker_mention: Option<String>,
    pub cue: Option<String>,
    pub kind: QuoteKind,
}

/// Extract the quotes of a document body on its own (names resolved within the document).
pub fn extract(body: &str) -> Vec<Quote> {
    let marked = super::lang::marks::double_quotes(body);
    let sents = sentences::split(&marked);
    let ents = entities::analyse(&marked, &sents, 0);
    extract_with(body, &sents, &ents, 0)
}

/// Extract with sentences and entities already computed (on
/// [`super::lang::marks::double_quotes`] of `body`); text before `skip_before` (a headline)
/// is ignored. Quoted text is cut from `body` itself.
pub fn extract_with(body: &str, sents: &[Range<usize>], ents: &DocEntities, skip_before: usize) -> Vec<Quote> {
    let original = body;
    // `''Yes,'' she said`: marks read as marks; offsets are the original's.
    let marked = super::lang::marks::double_quotes(body);
    let body: &str = &marked;
    let spans = quote_mark_spans(body, skip_before);
    let groups = group_split_quotes(body, &spans);
    let mut ctx = Ctx::new(body, sents, ents, groups);
    for (si, range) in sents.iter().enumerate() {
        if range.start >= skip_before {
            ctx.sentence(si);
        }
    }
    let mut out = ctx.out;
    out.sort_by_key(|q| q.0.start);
    out.dedup_by(|b, a| b.0.start < a.0.end);
    to_public(original, out)
}

fn to_public(body: &str, raw: Vec<(Range<usize>, RawQuote)>) -> Vec<Quote> {
    let mut chars_before = 0;
    let mut at = 0;
    raw.into_iter()
        .map(|(mut range, q)| {
            // A closing mark read from a pair (`''`) ends after both of its characters.
            let b = body.as_bytes();
            if range.end < b.len() && range.end > range.start && matches!(b[range.end], b'\'' | b'`') && b[range.end - 1] == b[range.end] {
                range.end += 1;
            }
            chars_before += body[at..range.start].chars().count();
            at = range.start;
            let start = chars_before;
            let end = start + body[range.clone()].chars().count();
            Quote { start, end, text: body[range].to_string(), speaker: q.speaker, speaker_mention: q.mention, cue: q.cue, kind: q.kind }
        })
        .collect()
}

struct RawQuote {
    speaker: Option<String>,
    mention: Option<String>,
    cue: Option<String>,
    kind: QuoteKind,
}

/// Quoted text: one or more segments, each including its quotation marks.
#[derive(Debug, Clone)]
struct QuoteGroup {
    segments: Vec<Range<usize>>,
    /// Text between split parts (the attribution), if the quote was split around it.
    interrupt: Option<Range<usize>>,
}

impl QuoteGroup {
    fn start(&self) -> usize {
        self.segments[0].start
    }
    fn end(&self) -> usize {
        self.segments.last().expect("non-empty").end
    }
}

fn is_open_double(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}
fn is_close_double(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Find quotation-mark spans. A paragraph that ends inside a quote continues it when the
/// next paragraph reopens with a quote mark; otherwise the quote ends with the paragraph.
fn quote_mark_spans(body: &str, skip_before: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    // Walk the characters by byte offset, keeping the previous one.
    let mut i = skip_before;
    let mut prev: Option<char> = None;
    while let Some(c) = body[i..].chars().next() {
        let next = body[i + c.len_utf8()..].chars().next();
        let word_before = prev.is_some_and(|p| p.is_alphanumeric());
        let word_after = next.is_some_and(|n| n.is_alphanumeric());
        match open {
            None => {
                let opens = is_open_double(c)
                    || (c == '"' && !word_before)
                    || (c == '‘' && !word_before)
                    || (c == '\'' && !word_before && word_after && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '—' | '-')));
                if opens {
                    open = Some((i, c));
                }
            }
            Some((start, mark)) => {
                let closes = match mark {
                    '“' | '„' | '«' => is_close_double(c) || c == '"',
                    '"' => c == '"' || is_close_double(c),
                    '‘' | '\'' => (c == '’' || c == '\'') && !word_after,
                    _ => false,
                };
                if c == '\n' {
                    // Paragraph end inside a quote: continue only if the next paragraph reopens.
                    let after = i + 1;
                    let reopen = body[after..].char_indices().find(|(_, d)| !d.is_whitespace()).map(|(j, d)| (after + j, d));
                    if let Some((j, d)) = reopen
                        && (d == mark || (mark == '“' && d == '"') || (mark == '"' && d == '“'))
                    {
                        i = j + d.len_utf8();
                        prev = Some(d);
                        continue;
                    }
                    // Single quotes never span paragraphs (apostrophes would run away).
                    if !matches!(mark, '‘' | '\'') && i > start + 1 {
                        out.push(start..i);
                    }
                    open = None;
                } else if closes {
                    let end = i + c.len_utf8();
                    out.push(start..end);
                    open = None;
                }
            }
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    if let Some((start, mark)) = open
        && !matches!(mark, '‘' | '\'')
    {
        out.push(start..body.len());
    }
    // Straight single quotes must hold more than a word, or they are apostrophes; a curly
    // opening ‘ is unambiguous (`described it as ‘shambolic’`).
    out.retain(|r| {
        let s = &body[r.clone()];
        !(s.starts_with('\'') && word_iter(s).take(2).count() < 2)
    });
    out
}

/// `“We will go,” she said, “but not yet.”`: join the parts when the text between them is
/// a short attribution.
fn group_split_quotes(body: &str, spans: &[Range<usize>]) -> Vec<QuoteGroup> {
    let mut groups: Vec<QuoteGroup> = Vec::new();
    for s in spans {
        if let Some(last) = groups.last_mut() {
            let between = &body[last.end()..s.start];
            let first_inner = body[last.segments.last().expect("non-empty").clone()].trim_end_matches(['”', '"', '’', '\'', '»']);
            let ends_open = first_inner.ends_with([',', '—', '-', '…']) || first_inner.ends_with("...");
            // A short attribution: one to nine words, one of them a speech verb.
            let short_with_cue = || {
                let (mut n, mut cue) = (0, false);
                for w in word_iter(between).take(10) {
                    n += 1;
                    cue = cue || gazetteer::is_speech_verb(&lower(&w));
                }
                (1..=9).contains(&n) && cue && !between.contains('\n') && !between.contains(['.', '?', '!'])
            };
            if ends_open && last.interrupt.is_none() && short_with_cue() {
                last.interrupt = Some(last.end()..s.start);
                last.segments.push(s.clone());
                continue;
            }
        }
        groups.push(QuoteGroup { segments: vec![s.clone()], interrupt: None });
    }
    groups
}

/// Who a subject phrase refers to.
#[derive(Debug, Clone)]
struct Subject {
    mention: String,
    speaker: Option<String>,
    /// The person it resolved to, for pronouns later on.
    person: Option<usize>,
    /// The organisation it resolved to, for "the company" later on.
    org: Option<usize>,
}

impl Subject {
    fn unnamed(mention: &str) -> Subject {
        Subject { mention: mention.to_string(), speaker: None, person: None, org: None }
    }
}

/// What follows a speech verb.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Complement {
    /// A reported clause starting at this byte.
    Clause(usize),
    /// A quotation (group index): `said: “...”`, `described it as “...”`.
    Quote(usize),
    /// Nothing but adverbials: "..., officials said on Monday."
    End,
    None,
}

/// A speech verb in a sentence, with its subject and complement.
#[derive(Debug, Clone)]
struct Cue<'a> {
    /// The verb (byte range in the body).
    start: usize,
    end: usize,
    verb: &'a str,
    subject: Option<Subject>,
    /// Where the subject phrase starts (the verb itself when the subject follows it).
    subject_start: usize,
    complement: Complement,
    /// The reported clause, once its end is known.
    clause: Option<Range<usize>>,
}

/// A person reference the narration makes (a name, a role noun, a resolved pronoun).
#[derive(Debug, Clone, Copy)]
struct Ref {
    pos: usize,
    sentence: usize,
    person: usize,
    subject_like: bool,
}

struct Ctx<'a> {
    body: &'a str,
    sents: &'a [Range<usize>],
    ents: &'a DocEntities,
    groups: Vec<QuoteGroup>,
    /// Cues per sentence, computed once.
    cues: Vec<Option<Rc<Vec<Cue<'a>>>>>,
    /// Groups already turned into quotes (or consumed by a mixed clause).
    done: Vec<bool>,
    /// The sentence each group ends in.
    group_end_sentence: Vec<usize>,
    /// Person references: names outside quotes (in text order), then, appended as they
    /// are found, resolved roles and pronouns.
    refs: Vec<Ref>,
    extra_refs: Vec<Ref>,
    /// Organisations as subjects or speakers: (byte, org), in text order.
    org_refs: Vec<(usize, usize)>,
    /// The latest attribution to a person: (person, byte, sentence).
    last_person: Option<(usize, usize, usize)>,
    /// The latest attribution to an organisation: (name, sentence).
    last_org: Option<(String, usize)>,
    /// The latest direct or reported quote: (sentence it ended in, speaker, mention).
    prev_quote: Option<(usize, usize)>,
    /// The latest attribution to an unnamed person ("one resident said"): (byte, sentence).
    last_unnamed: Option<(usize, usize)>,
    /// The latest "a spokesman for X": (who it stood for, sentence).
    last_spokes: Option<(Option<String>, usize)>,
    /// Role nouns resolved from context ("the striker" → the player the story is about).
    role_links: Vec<(String, usize)>,
    out: Vec<(Range<usize>, RawQuote)>,
}

/// Words skipped between a subject and its verb ("has also said").
const ADVERBS_LIST: &[&str] = &[
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
static ADVERBS: WordSet = WordSet::new(ADVERBS_LIST);

/// Unnamed staff who speak for their organisation: "analysts at Brenner & Co said".
const STAFF_NOUNS_LIST: &[&str] = &["analysts", "economists", "strategists", "officials", "executives"];
static STAFF_NOUNS: WordSet = WordSet::new(STAFF_NOUNS_LIST);

/// Heads of "a spokesman for X": the speaker is the organisation X.
const SPOKES_NOUNS_LIST: &[&str] =
    &["spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen", "representative", "representatives"];
static SPOKES_NOUNS: WordSet = WordSet::new(SPOKES_NOUNS_LIST);

/// Verbs that take a quoted phrase as a complement: "described X as “...”".
const PHRASE_VERBS_LIST: &[&str] = &[
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
static PHRASE_VERBS: WordSet = WordSet::new(PHRASE_VERBS_LIST);

/// Verbs that take a clause without "that" ("She said the talks ...").
const BARE_CLAUSE_VERBS_LIST: &[&str] = &[
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
];
static BARE_CLAUSE_VERBS: WordSet = WordSet::new(BARE_CLAUSE_VERBS_LIST);

/// Verbs that usually take a noun object ("noted the increase", "stressed the importance
/// of"): without "that" they report a clause only when an auxiliary shows one.
const WEAK_CLAUSE_VERBS_LIST: &[&str] = &[
    "noted",
    "notes",
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
static WEAK_CLAUSE_VERBS: WordSet = WordSet::new(WEAK_CLAUSE_VERBS_LIST);

/// Verbs whose first complement is the listener: "told reporters that ...".
const TELL_VERBS_LIST: &[&str] = &["told", "tells", "telling", "tell", "informed", "assured", "reassured", "reminded", "briefed", "warned", "warns", "urged"];
static TELL_VERBS: WordSet = WordSet::new(TELL_VERBS_LIST);

/// Verbs that report a finished statement when they end a sentence: "..., officials said."
const POSTPOSED_VERBS_LIST: &[&str] = &[
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
static POSTPOSED_VERBS: WordSet = WordSet::new(POSTPOSED_VERBS_LIST);

/// Words after a speech verb that do not start a reported clause.
const NOT_CLAUSE_STARTS_LIST: &[&str] = &[
    "goodbye", "sorry", "hello", "thanks", "thank", "yes", "so", "little", "much", "enough", "whether", "if", "how", "what", "why", "when", "where", "who",
    "whom", "which", "to", "not", "nothing",
];
static NOT_CLAUSE_STARTS: WordSet = WordSet::new(NOT_CLAUSE_STARTS_LIST);

fn lower<'a>(w: &Word<'a>) -> Lower<'a> {
    Lower::new(w.text)
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).or_else(|| s.strip_suffix('’')).unwrap_or(s)
}

/// The words of `body[from..end]`, given `all`, the words of `body[from..x]` for some
/// `x >= end`: the prefix of `all` that ends by `end`. Tokenizing a slice cut at a word
/// boundary gives exactly that prefix (a word's end never depends on text past a character
/// that stops it); when a word straddles `end`, the slice is tokenized afresh.
fn prefix_words<'w, 'a>(all: &'w [Word<'a>], body: &'a str, from: usize, end: usize) -> std::borrow::Cow<'w, [Word<'a>]> {
    let n = all.partition_point(|w| from + w.end <= end);
    if all.get(n).is_some_and(|w| from + w.start < end) {
        return std::borrow::Cow::Owned(words(&body[from..end]));
    }
    std::borrow::Cow::Borrowed(&all[..n])
}

/// Does a word look like a finite verb (an auxiliary, a past tense)?
fn finite_like(w: &str) -> bool {
    let l = Lower::new(w);
    FINITE.contains(l.as_str()) || (l.len() > 4 && l.ends_with("ed") && !l.ends_with("eed"))
}

/// ", who chairs the union," / ", 67," / ", an analyst at X," / ", speaking on Monday,":
/// a phrase set off by commas between a subject and its verb.
fn parenthetical_like(seg: &str) -> bool {
    let Some(first) = word_iter(seg).next() else { return false };
    let l = lower(&first);
    if first.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    if first.is_capitalised() {
        return false;
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

impl<'a> Ctx<'a> {
    fn new(body: &'a str, sents: &'a [Range<usize>], ents: &'a DocEntities, groups: Vec<QuoteGroup>) -> Self {
        let n = groups.len();
        let mut ctx = Ctx {
            body,
            sents,
            ents,
            groups,
            cues: vec![None; sents.len()],
            done: vec![false; n],
            group_end_sentence: Vec::new(),
            refs: Vec::new(),
            extra_refs: Vec::new(),
            org_refs: Vec::new(),
            last_person: None,
            last_org: None,
            prev_quote: None,
            last_spokes: None,
            last_unnamed: None,
            role_links: Vec::new(),
            out: Vec::new(),
        };
        // Names the narration uses (not names inside quotations) are references for pronouns.
        for m in &ents.mentions {
            if let Some(o) = m.org
                && !ctx.in_group(m.start)
                && ctx.subject_like(m)
            {
                ctx.org_refs.push((m.start, o));
            }
            if let Some(p) = m.person
                && !ctx.in_group(m.start)
            {
                let subject_like = ctx.subject_like(m);
                ctx.refs.push(Ref { pos: m.start, sentence: m.sentence, person: p, subject_like });
            }
        }
        ctx.group_end_sentence = ctx.groups.iter().map(|g| ctx.sentence_of(g.end().saturating_sub(1))).collect();
        ctx
    }

    /// Is byte `pos` inside a quotation (group segments or the text between split parts)?
    fn in_group(&self, pos: usize) -> bool {
        let i = self.groups.partition_point(|g| g.end() <= pos);
        self.groups.get(i).is_some_and(|g| g.segments.iter().any(|s| s.start <= pos && pos < s.end))
    }

    fn group_starting_at(&self, pos: usize) -> Option<usize> {
        let i = self.groups.partition_point(|g| g.start() < pos);
        (i < self.groups.len() && self.groups[i].start() == pos).then_some(i)
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.sents.partition_point(|r| r.end <= pos).min(self.sents.len().saturating_sub(1))
    }

    /// A name that reads as a clause's subject: at the sentence start, after an opening
    /// phrase and a comma, or after "and"/"but"/"when", and followed by a verb or apposition.
    fn subject_like(&self, m: &entities::NameMention) -> bool {
        let Some(range) = self.sents.get(m.sentence) else { return false };
        let before = &self.body[range.start..m.phrase_start.max(range.start)];
        let last = word_iter(before).last();
        let after = &self.body[m.end..range.end];
        let next_ok = {
            let a = after.trim_start_matches(['’', '\'']).trim_start_matches('s');
            let a = a.trim_start();
            a.starts_with(',') || a.chars().next().is_some_and(char::is_lowercase)
        };
        match last {
            None => true,
            Some(w) => {
                let l = lower(&w);
                let gap = &before[w.end..];
                (gap.trim() == "," || matches!(l.as_str(), "and" | "but" | "while" | "when" | "as" | "because" | "after" | "before" | "although" | "until"))
                    && next_ok
                    && !PREPOSITIONS.contains(l.as_str())
            }
        }
    }

    /// Read one sentence: its cues, the quotations that end in it, its reported clauses.
    fn sentence(&mut self, si: usize) {
        self.note_role_subject(si);
        let cues = self.cues_of(si);
        // Quotations inside a reported clause belong to it (mixed speech).
        for cue in cues.iter().filter(|c| c.subject.is_some()) {
            if let Some(clause) = &cue.clause {
                let first = self.groups.partition_point(|g| g.start() <= clause.start);
                for g in first..self.groups.len() {
                    let (gs, ge) = (self.groups[g].start(), self.groups[g].end());
                    if gs >= clause.end {
                        break;
                    }
                    if ge <= clause.end + 3 && word_iter(&self.body[clause.start..gs]).next().is_some() {
                        self.done[g] = true;
                    }
                }
            }
        }
        let mut emitted: Vec<(usize, Range<usize>, RawQuote)> = Vec::new();
        // Quotations that end in this sentence (attributing one marks no other as done).
        let mut g = self.group_end_sentence.partition_point(|&s| s < si);
        while g < self.groups.len() && self.group_end_sentence[g] == si {
            if !self.done[g]
                && let Some(raw) = self.attribute_group(si, g)
            {
                self.done[g] = true;
                emitted.push((self.groups[g].start(), self.groups[g].start()..self.groups[g].end(), raw));
            }
            g += 1;
        }
        // Reported clauses.
        for cue in cues.iter() {
            let Some(clause) = cue.clause.clone() else { continue };
            let Some(subj) = &cue.subject else { continue };
            let text = &self.body[clause.clone()];
            if word_iter(text).take(3).count() < 3 {
                continue;
            }
            let first = self.groups.partition_point(|g| g.start() < clause.start);
            let kind = if self.groups.get(first).is_some_and(|g| g.end() <= clause.end + 3) { QuoteKind::Mixed } else { QuoteKind::Indirect };
            let raw = RawQuote { speaker: subj.speaker.clone(), mention: Some(subj.mention.clone()), cue: Some(cue.verb.to_string()), kind };
            emitted.push((clause.start, clause, raw));
        }
        emitted.sort_by_key(|e| e.0);
        let any = !emitted.is_empty();
        self.out.extend(emitted.into_iter().map(|(_, r, raw)| (r, raw)));
        if any {
            self.prev_quote = Some((si, self.out.len() - 1));
        }
    }

    /// "The striker laughed ...": a role noun as the sentence's subject is a reference to
    /// its person for the pronouns that follow.
    fn note_role_subject(&mut self, si: usize) {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        let ws: Vec<Word> = word_iter(text).take(5).collect();
        let Some(w0) = ws.first() else { return };
        if !text[..w0.start].trim().is_empty() || !matches!(lower(w0).as_str(), "the" | "his" | "her" | "their" | "its") {
            return;
        }
        for k in 1..ws.len().min(4) {
            let next = ws.get(k + 1).map(lower).unwrap_or_default();
            let plain = text[ws[k - 1].end..ws[k].start].trim().is_empty() && ws.get(k + 1).is_some_and(|n| text[ws[k].end..n.start].trim().is_empty());
            if !plain {
                return;
            }
            if gazetteer::is_role_noun(&lower(&ws[k])) && next.starts_with(char::is_lowercase) && !PREPOSITIONS.contains(next.as_str()) && next != "and" {
                // Resolving records the reference; the subject itself is not needed here.
                let _ = self.noun_phrase_subject(si, range.start + w0.start, range.start + ws[k].end, None);
                return;
            }
        }
    }

    /// The cues of a sentence (computed once, in sentence order).
    fn cues_of(&mut self, si: usize) -> Rc<Vec<Cue<'a>>> {
        if let Some(c) = &self.cues[si] {
            return Rc::clone(c);
        }
        let cues = Rc::new(self.find_cues(si));
        self.cues[si] = Some(Rc::clone(&cues));
        cues
    }

    fn find_cues(&mut self, si: usize) -> Vec<Cue<'a>> {
        let body = self.body;
        let range = self.sents[si].clone();
        let text = &body[range.clone()];
        let ws = words(text);
        let mut cues: Vec<Cue> = Vec::new();
        // "According to X, ..." / "..., according to X."
        if let Some(c) = self.according_to(si, &ws) {
            cues.push(c);
        }
        // Quotation segments in this sentence, for a cheap "inside a quote" test per word.
        let first_group = self.groups.partition_point(|g| g.end() <= range.start);
        let segments: Vec<Range<usize>> =
            self.groups[first_group..].iter().take_while(|g| g.start() < range.end).flat_map(|g| g.segments.iter().cloned()).collect();
        for (k, w) in ws.iter().enumerate() {
            let abs = range.start + w.start;
            if segments.iter().any(|s| s.contains(&abs)) {
                continue;
            }
            // Cheap filter before lowercasing: speech verbs are lowercase words (or "According").
            if w.text.starts_with(char::is_uppercase) && k > 0 {
                continue;
            }
            let l = lower(w);
            let put_it = l == "put" && ws.get(k + 1).is_some_and(|n| n.text == "it");
            if !gazetteer::is_speech_verb(&l) && !put_it {
                continue;
            }
            let prev = k.checked_sub(1).map(|j| lower(&ws[j]));
            // "declined to say": no speech is reported. "Asked about ..., X said": a verb
            // opening the sentence is a participle, not the attribution.
            if prev.as_deref() == Some("to") || (k == 0 && w.is_capitalised()) {
                continue;
            }
            // "media reports say", "earlier reports had": a plural noun, not the verb.
            let next_finite =
                ws.get(k + 1).is_some_and(|n| text[w.end..n.start].trim().is_empty() && (finite_like(n.text) || gazetteer::is_speech_verb(&lower(n))));
            if l.ends_with('s') && next_finite {
                continue;
            }
            // Passive: "it was announced", "I was told, “...”". Only a told listener is
            // left, and the speaker is unknown.
            let passive = prev.as_deref().is_some_and(|p| matches!(p, "was" | "were" | "is" | "are" | "been" | "being" | "be"));
            if passive && !TELL_VERBS.contains(l.as_str()) && l != "asked" {
                continue;
            }
            let verb_end = if put_it { range.start + ws[k + 1].end } else { range.start + w.end };
            let floor = self.clause_floor(si, abs);
            // Who speaks.
            let coordinated = {
                let before = ws[..k].iter().rev().find(|x| !ADVERBS.contains(lower(x).as_str()));
                before.is_some_and(|x| matches!(lower(x).as_str(), "and" | "but") && !text[x.end..w.start].contains(','))
            };
            let participle = l.ends_with("ing");
            let mut subject_start = abs;
            let mut after_subject = verb_end;
            let subject = if passive {
                Some(Subject::unnamed(&text[ws[k - 1].start..w.end]))
            } else if coordinated || participle {
                // Without a name or pronoun, the sentence's own subject is an unnamed one
                // ("Supporters' groups welcomed the move but said ...").
                cues.iter().rev().find_map(|c: &Cue| c.subject.clone()).or_else(|| self.clause_subject(si, abs)).or_else(|| Some(Subject::unnamed(ws[0].text)))
            } else {
                match self.subject_before(si, floor, abs) {
                    Some((s, start)) => {
                        subject_start = start;
                        Some(s)
                    }
                    None if !TELL_VERBS.contains(l.as_str()) => match self.subject_after(si, verb_end) {
                        Some((s, end)) => {
                            after_subject = end;
                            Some(s)
                        }
                        None => None,
                    },
                    None => None,
                }
            };
            let complement = if PHRASE_VERBS.contains(l.as_str()) {
                self.phrase_complement(after_subject, range.end)
            } else {
                self.complement(&l, after_subject, range.end)
            };
            // `said that “I hope ...”`: the clause is a quotation, direct speech.
            let complement = match complement {
                Complement::Clause(cs) => self.group_starting_at(cs).map_or(complement, Complement::Quote),
                c => c,
            };
            // "..., said Ann Cole, a historian who ...": after a subject that follows its
            // verb, a comma opens an apposition or a relative clause, never the complement.
            let complement = if after_subject > verb_end && complement == Complement::None && body[after_subject..range.end].trim_start().starts_with(',') {
                Complement::End
            } else {
                complement
            };
            // "WHITLOCK: I'd say I understand ...": outside quotation marks, a first person
            // reports nothing (a transcript turn, a column).
            let first_person = subject.as_ref().is_some_and(|s| {
                matches!(
                    Lower::new(&s.mention).as_str(),
                    "i" | "we"
                        | "i'd"
                        | "we'd"
                        | "i'll"
                        | "we'll"
                        | "i'm"
                        | "we're"
                        | "i've"
                        | "we've"
                        | "i’d"
                        | "we’d"
                        | "i’ll"
                        | "we’ll"
                        | "i’m"
                        | "we’re"
                        | "i’ve"
                        | "we’ve"
                )
            });
            if first_person && !passive && !matches!(complement, Complement::Quote(_)) {
                continue;
            }
            // "had been briefed": a passive report counts only before a quotation, or after
            // the statement it reports ("..., a jury was told on Monday.").
            let passive_postposed = passive && complement == Complement::End && l == "told";
            if passive && !matches!(complement, Complement::Quote(_)) && !passive_postposed {
                continue;
            }
            if passive_postposed && k >= 1 {
                subject_start = self.np_start_before(floor, range.start + ws[k - 1].start).unwrap_or(subject_start);
            }
            let mut cue = Cue { start: abs, end: verb_end, verb: w.text, subject, subject_start, complement, clause: None };
            // "A work order, he said, had been marked ...": the attribution inside the clause.
            if cue.subject.is_some() && complement == Complement::None && POSTPOSED_VERBS.contains(l.as_str()) {
                cue.clause = self.parenthetical_clause(si, &cue);
            }
            if cue.clause.is_some() {
            } else if cue.subject.is_some() {
                if let Complement::Clause(cs) = complement {
                    cue.clause = Some(cs..self.clause_end(cs, range.end));
                } else if complement == Complement::End && POSTPOSED_VERBS.contains(l.as_str()) {
                    cue.clause = self.postposed_clause(si, &cue);
                }
            }
            if cue.clause.is_some() || matches!(complement, Complement::Quote(_)) || self.quote_just_before(subject_start) {
                self.note_attribution(si, &cue);
            }
            cues.push(cue);
        }
        // A clause ends where a coordinated report begins: "X said A, and Y told B". A
        // report inside the clause ("X said officials had warned that ...") is part of it.
        // Every later cue is checked, not just the next: in "said she hoped A, but stressed
        // that B" the report inside the clause ("hoped") must not hide the coordinated one.
        for i in 0..cues.len() {
            for j in i + 1..cues.len() {
                let Some(c) = cues[i].clause.clone() else { break };
                let next_start = cues[j].subject_start.min(cues[j].start);
                if next_start > c.start && next_start < c.end {
                    let before = body[c.start..next_start].trim_end();
                    let trimmed = before.strip_suffix(" and").or_else(|| before.strip_suffix(" but")).unwrap_or(before).trim_end();
                    if trimmed.ends_with([',', ';']) || trimmed.len() < before.len() {
                        let cut = trimmed.trim_end_matches([',', ';']).trim_end();
                        cues[i].clause = Some(c.start..c.start + cut.len());
                    } else {
                        cues[j].clause = None;
                    }
                }
            }
        }
        cues
    }

    /// Record a cue's subject as the latest attribution and a reference for pronouns.
    fn note_attribution(&mut self, si: usize, cue: &Cue) {
        let Some(s) = &cue.subject else { return };
        if let Some(p) = s.person {
            self.last_person = Some((p, cue.start, si));
            self.extra_refs.push(Ref { pos: cue.subject_start.min(cue.start), sentence: si, person: p, subject_like: true });
        } else if let Some(name) = &s.speaker {
            self.last_org = Some((name.clone(), si));
            if let Some(o) = s.org {
                let pos = cue.subject_start.min(cue.start);
                let at = self.org_refs.partition_point(|r| r.0 <= pos);
                if self.org_refs.get(at.wrapping_sub(1)).is_none_or(|r| r.0 != pos) {
                    self.org_refs.insert(at, (pos, o));
                }
            }
        }
    }

    /// Is there a quotation right before `pos` (", he said" after a quote)?
    fn quote_just_before(&self, pos: usize) -> bool {
        let i = self.groups.partition_point(|g| g.end() <= pos);
        i > 0 && self.body[self.groups[i - 1].end()..pos].trim_matches(|c: char| c.is_whitespace() || c == ',').is_empty()
    }

    /// Where the clause holding a verb at `pos` starts: after the last quotation, semicolon
    /// or colon before it in the sentence.
    fn clause_floor(&self, si: usize, pos: usize) -> usize {
        let start = self.sents[si].start;
        let mut floor = start;
        // After a quoted statement (`“...,” he said`), not after a quoted name inside the
        // clause (`whose motto “In salutem omnium” is carved ..., said`).
        let i = self.groups.partition_point(|g| g.end() <= pos);
        if i > 0 && self.groups[i - 1].end() > start {
            let g = &self.groups[i - 1];
            let lead = self.body[start.min(g.start())..g.start()].trim_end();
            let inner = self.body[g.start()..g.end()].trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ',' | '.' | '?' | '!' | '…'));
            if lead.is_empty() || lead.ends_with([':', ',', '—']) || inner.ends_with([',', '.', '?', '!', '…']) {
                floor = g.end();
            }
        }
        if let Some(p) = self.body[floor..pos].rfind([';', ':', '—']) {
            floor = floor + p + self.body[floor + p..].chars().next().map_or(1, char::len_utf8);
        }
        floor
    }

    /// "According to X, clause." / "Clause, according to X."
    fn according_to(&mut self, si: usize, ws: &[Word<'a>]) -> Option<Cue<'a>> {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        let k = ws.iter().position(|w| w.text.eq_ignore_ascii_case("according") && ws.get(1).is_some())?;
        if ws.get(k + 1).is_none_or(|w| w.text != "to") || self.in_group(range.start + ws[k].start) {
            return None;
        }
        // "according to a consensus compiled by the company", "according to the largest
        // trial of its kind": figures and findings are no speech.
        let source = ws[k + 2..].iter().take(4).take_while(|w| !text[ws[k + 1].end..w.start].contains(','));
        if source.map(lower).any(|l| DATA_NOUNS.contains(l.as_str())) {
            return None;
        }
        let subj_from = range.start + ws[k + 1].end;
        let (subject, subj_end) = self.subject_after(si, subj_from)?;
        let clause = if k == 0 {
            // Skip the subject and an apposition: up to the comma that ends them.
            let rest = &self.body[subj_end..range.end];
            let mut pos = subj_end + rest.find(',')? + 1;
            let after = &self.body[pos..range.end];
            if let Some(next) = after.find(',')
                && parenthetical_like(&after[..next])
                && word_iter(&after[..next]).take(9).count() <= 8
            {
                pos += next + 1;
            }
            let cs = pos + (self.body[pos..range.end].len() - self.body[pos..range.end].trim_start().len());
            cs..self.clause_end(cs, range.end)
        } else {
            let comma = text[..ws[k].start].rfind(',')?;
            let start = self.dateline_end(si, range.start + comma);
            start..range.start + comma
        };
        let cue = Cue {
            start: range.start + ws[k].start,
            end: range.start + ws[k + 1].end,
            verb: "according to",
            subject: Some(subject),
            subject_start: range.start + ws[k].start,
            complement: Complement::Clause(clause.start),
            clause: Some(clause),
        };
        self.note_attribution(si, &cue);
        Some(cue)
    }

    /// "GOTHENBURG, Sweden (Nordwire) — ": a dateline opening the sentence is not speech.
    /// A dateline is a few capitalised words before a dash, and it ends before `limit` (the
    /// words the caller looks at): "NASA said the companies — Blue Origin, SpaceX — had
    /// been selected" opens with no dateline.
    fn dateline_end(&self, si: usize, limit: usize) -> usize {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        if let Some(dash) = text.find(" — ").or_else(|| text.find(" - ")) {
            let head = &text[..dash];
            let capitalised = word_iter(head).all(|w| !w.text.starts_with(char::is_lowercase));
            if capitalised && word_iter(head).next().is_some_and(|w| w.is_all_caps()) && word_iter(head).take(9).count() <= 8 {
                let end = range.start + dash + text[dash..].find(|c: char| c.is_alphanumeric()).unwrap_or(0);
                if end <= limit {
                    return end;
                }
            }
        }
        range.start
    }

    /// The clause before a sentence-final attribution: "The number has doubled, health
    /// officials said on Monday, as ...". `None` when the attribution does not follow a
    /// comma or too little precedes it.
    fn postposed_clause(&self, si: usize, cue: &Cue) -> Option<Range<usize>> {
        let subj = cue.subject_start.min(cue.start);
        let start = self.dateline_end(si, subj);
        let before = self.body[start..subj].trim_end();
        let comma = before.strip_suffix(',')?;
        let clause = start..start + comma.trim_end().len();
        let ws = words(&self.body[clause.clone()]);
        let first = ws.first().map(lower).unwrap_or_default();
        let opener = matches!(
            first.as_str(),
            "asked"
                | "speaking"
                | "when"
                | "if"
                | "after"
                | "although"
                | "as"
                | "while"
                | "because"
                | "since"
                | "before"
                | "in"
                | "on"
                | "at"
                | "pressed"
                | "outside"
        );
        if ws.len() < 5 || opener || !ws.iter().skip(1).any(|w| finite_like(w.text)) {
            return None;
        }
        // A clause that is one quotation is direct speech, attributed after it.
        if let Some(g) = self.group_starting_at(clause.start)
            && self.groups[g].end() + 2 >= clause.end
        {
            return None;
        }
        Some(clause)
    }

    /// The clause around a parenthetical attribution: "A work order raised in April, he
    /// said, had been marked ...". The attribution sits between commas after a few words,
    /// and a verb follows it.
    fn parenthetical_clause(&self, si: usize, cue: &Cue) -> Option<Range<usize>> {
        let end = self.sents[si].end;
        let subj = cue.subject_start.min(cue.start);
        let start = self.dateline_end(si, subj);
        let before = self.body[start..subj].trim_end().strip_suffix(',')?;
        let after = self.body[cue.end..end].trim_start().strip_prefix(',')?;
        let next = word_iter(after).next()?;
        let ws_before = words(before);
        let first = ws_before.first().map(lower).unwrap_or_default();
        // "In the end, she said, voters would ...", "Still, he said, officials have ...": an
        // adverbial opener, the attribution, then a clause with its own subject.
        let after_abs = end - after.len();
        let opener = ws_before.len() <= 6
            && ((PREPOSITIONS.contains(first.as_str()) && ws_before.len() >= 2)
                || (ws_before.len() == 1
                    && (first.ends_with("ly")
                        || matches!(
                            first.as_str(),
                            "still" | "instead" | "now" | "yet" | "so" | "but" | "and" | "however" | "otherwise" | "meanwhile" | "today"
                        ))));
        if opener
            && !matches!(first.as_str(), "after" | "before" | "like")
            && !self.quote_just_before(subj)
            && !before.contains([',', ';', ':'])
            && self.bare_clause_at(&words(after), after_abs, false)
        {
            return Some(start..self.clause_end(start, end));
        }
        if ws_before.len() < 2
            || !after[..next.start].trim().is_empty()
            || !finite_like(next.text)
            || !ws_before.iter().any(|w| w.text.starts_with(char::is_lowercase) || DETERMINERS.contains(lower(w).as_str()))
            || matches!(first.as_str(), "asked" | "speaking" | "pressed" | "when" | "if" | "after" | "as" | "while")
            || self.quote_just_before(subj)
            || before.contains([',', ';', ':'])
        {
            return None;
        }
        Some(start..self.clause_end(start, end))
    }

    /// Where a reported clause starting at `from` ends: before the sentence's final stop.
    fn clause_end(&self, from: usize, sent_end: usize) -> usize {
        let s = &self.body[from..sent_end];
        from + s.trim_end().trim_end_matches(['.', '!', '?']).len()
    }

    /// The complement of a speech verb whose complement starts at `from`.
    fn complement(&self, verb: &str, from: usize, sent_end: usize) -> Complement {
        let body = self.body;
        let text = &body[from..sent_end];
        let ws = words(text);
        let abs = |w: &Word| from + w.start;
        // A quotation right after the verb: `said: “...”`, `said, “...”`, `said “...”`.
        let lead = text.len() - text.trim_start_matches([' ', ',', ':', '\u{a0}']).len();
        if let Some(g) = self.group_starting_at(from + lead) {
            return Complement::Quote(g);
        }
        let bare_ok = BARE_CLAUSE_VERBS.contains(verb);
        // "said he later learned that ...": a pronoun subject right after the verb.
        if let Some(w0) = ws.first() {
            let l0 = lower(w0);
            // "it" also opens objects ("put it", "said it again"): a verb must follow soon.
            let it_ok = l0 != "it" || ws.iter().skip(1).take(3).any(|w| finite_like(w.text));
            if text[..w0.start].trim().is_empty() && SUBJECT_PRONOUNS.contains(l0.as_str()) && bare_ok && ws.len() >= 3 && it_ok {
                return Complement::Clause(abs(w0));
            }
        }
        // "that" within the next words: "told reporters outside the gates that ...".
        for (i, w) in ws.iter().enumerate().take(12) {
            if self.in_group(abs(w)) || text[..w.start].contains([';', '.', '?', '!']) {
                break;
            }
            let l = lower(w);
            // "that" after a preposition is a determiner: "told about that permission".
            let after_preposition = i > 0 && PREPOSITIONS.contains(lower(&ws[i - 1]).as_str());
            if l == "that" && !after_preposition {
                let rest = &text[w.end..];
                return match rest.trim_start() {
                    "" => Complement::None,
                    r => Complement::Clause(from + w.end + (rest.len() - r.len())),
                };
            }
            if gazetteer::is_speech_verb(&l) || matches!(l.as_str(), "and" | "but" | "because" | "if" | "whether") {
                break;
            }
        }
        // Skip the listener of "told", then adverbials ("on Tuesday", "in a statement").
        let mut i = 0;
        if TELL_VERBS.contains(verb) {
            i = self.skip_listener(from, &ws);
        }
        i = self.skip_adverbials(from, &ws, i);
        let prev_end = if i > 0 { from + ws[i - 1].end } else { from };
        let rest_from = ws.get(i).map_or(sent_end, abs);
        let gap = &body[prev_end..rest_from];
        let gap_trim = gap.trim();
        // A quotation after the adverbials: `said in a statement: “...”`.
        let mark_at = gap.find(['“', '"', '‘', '\'']).map(|p| prev_end + p);
        if let Some(g) = mark_at.and_then(|m| self.group_starting_at(m))
            && body[prev_end..self.groups[g].start()].trim().trim_matches([',', ':']).is_empty()
        {
            return Complement::Quote(g);
        }
        if word_iter(&body[prev_end..sent_end]).next().is_none() {
            return Complement::End;
        }
        if gap_trim == "," {
            // "..., officials said, leaving ..." / "..., as the government ...".
            let l = ws.get(i).map(lower).unwrap_or_default();
            if matches!(l.as_str(), "as" | "while" | "when" | "after" | "before" | "because" | "although" | "though" | "amid" | "despite" | "with" | "but")
                || l.ends_with("ing")
            {
                return Complement::End;
            }
        }
        let weak = WEAK_CLAUSE_VERBS.contains(verb);
        if bare_ok && gap_trim.is_empty() && self.bare_clause_at(&ws[i..], from, weak) {
            return Complement::Clause(rest_from);
        }
        Complement::None
    }

    /// `called the fund “...”`, `described the trip as “...”`: a quotation within a few words.
    fn phrase_complement(&self, from: usize, sent_end: usize) -> Complement {
        let g = self.groups.partition_point(|g| g.start() < from);
        match self.groups.get(g) {
            Some(q) if q.start() < sent_end => {
                let gap = &self.body[from..q.start()];
                if word_iter(gap).take(9).count() <= 8 && !gap.contains(['.', ';', '!', '?']) { Complement::Quote(g) } else { Complement::None }
            }
            _ => Complement::None,
        }
    }

    /// Skip the listener after "told": a name, a pronoun, or a short noun phrase
    /// ("reporters", "the court", "a parliamentary committee"). Returns the next word index.
    fn skip_listener(&self, from: usize, ws: &[Word]) -> usize {
        let Some(w0) = ws.first() else { return 0 };
        let abs0 = from + w0.start;
        if let Some(mi) = self.ents.mention_starting_at(abs0) {
            let end = self.ents.mentions[mi].end;
            return ws.iter().position(|w| from + w.start >= end).unwrap_or(ws.len());
        }
        let l0 = lower(w0);
        if matches!(l0.as_str(), "him" | "her" | "them" | "me" | "us" | "you" | "reporters" | "journalists" | "parliament" | "lawmakers" | "mps" | "it") {
            return 1;
        }
        // "told colleagues the bill was ...": a bare plural noun before a clause; "told
        // analysts on a conference call": before an adverbial or the end.
        let next = ws.get(1).map(lower).unwrap_or_default();
        let plural_before_adverbial = l0.ends_with('s') && (ws.len() == 1 || PREPOSITIONS.contains(next.as_str()));
        if w0.text.starts_with(char::is_lowercase)
            && (DETERMINERS.contains(next.as_str()) || SUBJECT_PRONOUNS.contains(next.as_str()) || plural_before_adverbial)
            && !finite_like(w0.text)
        {
            return 1;
        }
        if DETERMINERS.contains(l0.as_str()) {
            // Up to the noun: stop before a word that starts a clause or a preposition.
            let mut i = 1;
            while i < ws.len() && i < 5 {
                let l = lower(&ws[i]);
                if PREPOSITIONS.contains(l.as_str()) || SUBJECT_PRONOUNS.contains(l.as_str()) || l == "that" || DETERMINERS.contains(l.as_str()) {
                    break;
                }
                i += 1;
            }
            return i;
        }
        0
    }

    /// Skip adverbials after a verb: "on Tuesday evening", "in a statement", "last month".
    fn skip_adverbials(&self, from: usize, ws: &[Word], mut i: usize) -> usize {
        let text = &self.body[from..];
        loop {
            let Some(w) = ws.get(i) else { return i };
            let l = lower(w);
            if matches!(
                l.as_str(),
                "yesterday"
                    | "today"
                    | "tonight"
                    | "earlier"
                    | "later"
                    | "again"
                    | "also"
                    | "afterwards"
                    | "recently"
                    | "separately"
                    | "privately"
                    | "publicly"
                    | "previously"
                    | "repeatedly"
                    | "once"
                    | "too"
            ) {
                i += 1;
                continue;
            }
            if matches!(l.as_str(), "last" | "this" | "next") && ws.get(i + 1).is_some_and(|n| is_time_word(&lower(n))) {
                i += 2;
                continue;
            }
            if PREPOSITIONS.contains(l.as_str()) && !matches!(l.as_str(), "about" | "like") {
                // A prepositional phrase up to a comma, colon, quotation, "that" or a clause.
                let mut j = i + 1;
                while j < ws.len() && j < i + 9 {
                    let lj = lower(&ws[j]);
                    if !text[ws[j - 1].end..ws[j].start].trim().is_empty() || lj == "that" || self.in_group(from + ws[j].start) {
                        break;
                    }
                    if SUBJECT_PRONOUNS.contains(lj.as_str()) && lj != "it" {
                        break;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            return i;
        }
    }

    /// Do these words start a reported clause ("the deal would ...", "officers would ...")?
    fn bare_clause_at(&self, ws: &[Word], from: usize, weak: bool) -> bool {
        let Some(w0) = ws.first() else { return false };
        let l0 = lower(w0);
        if NOT_CLAUSE_STARTS.contains(l0.as_str())
            || (PREPOSITIONS.contains(l0.as_str()) && l0 != "about")
            || finite_like(w0.text)
            || gazetteer::is_speech_verb(&l0)
        {
            return false;
        }
        if SUBJECT_PRONOUNS.contains(l0.as_str()) {
            return ws.len() >= 3;
        }
        let text = &self.body[from..];
        // The finite verb must come before a comma for a plain noun; a determiner or a name
        // may carry an apposition ("the practice, known as drip pricing, was").
        // A plain noun needs an auxiliary soon ("officers would", "visitor numbers had").
        let determined = DETERMINERS.contains(l0.as_str()) || w0.is_capitalised() || w0.text.starts_with(|c: char| c.is_ascii_digit()) || l0 == "about";
        let reach = if determined { 12 } else { 7 };
        // Commas must pair up around an apposition: "the practice, known as X, was"; a
        // single comma ends the phrase ("their plan in March, the word did").
        let mut commas = 0;
        for (i, w) in ws.iter().enumerate().skip(1).take(reach) {
            let gap = &text[ws[i - 1].end..w.start];
            if gap.contains([';', ':', '.', '?', '!']) || (!determined && gap.contains(',')) {
                return false;
            }
            // "£85,000" is one number, not a comma in the sentence.
            let digits = gap == "," && ws[i - 1].text.ends_with(|c: char| c.is_ascii_digit()) && w.text.starts_with(|c: char| c.is_ascii_digit());
            if !digits {
                commas += gap.matches(',').count();
            }
            // A verb inside a quotation does not make the words before it a clause; a quoted
            // label inside a determined noun phrase ("the “Level 3” order remained") is skipped.
            if self.in_group(from + w.start) {
                if determined && l0 != "about" {
                    continue;
                }
                return false;
            }
            let aux = AUXILIARIES.contains(lower(w).as_str());
            if aux || (determined && !weak && finite_like(w.text)) {
                return commas % 2 == 0;
            }
        }
        false
    }

    /// The subject of a verb at `verb`, read leftwards from it within the clause; returns
    /// the subject and where its phrase starts.
    fn subject_before(&mut self, si: usize, floor: usize, verb: usize) -> Option<(Subject, usize)> {
        let body = self.body;
        let mut end = verb;
        // The words before the verb, tokenized once: cutting at a word boundary keeps a
        // prefix of them (`prefix_words`).
        let all = words(&body[floor..verb]);
        // Adverbs and auxiliaries between subject and verb.
        loop {
            let ws = prefix_words(&all, body, floor, end);
            let last = *ws.last()?;
            let l = lower(&last);
            let adverb = ADVERBS.contains(l.as_str())
                || (last.text.starts_with(char::is_lowercase)
                    && l.len() > 4
                    && l.ends_with("ly")
                    && !matches!(l.as_str(), "family" | "ally" | "assembly" | "supply"));
            if !body[floor + last.end..end].trim().is_empty() || !adverb {
                break;
            }
            end = floor + last.start;
        }
        // "Philippa Dane KC told": letters after a name.
        loop {
            let ws = prefix_words(&all, body, floor, end);
            let Some(last) = ws.last() else { break };
            if ws.len() < 2 || !gazetteer::is_post_nominal(last.text) || !body[floor + last.end..end].trim().is_empty() {
                break;
            }
            end = floor + body[floor..floor + last.start].trim_end().len();
        }
        // Phrases set off by commas between subject and verb: appositions ("Its negotiator,
        // Henrik Sjöberg, said"), relative clauses, ages ("Sandra Whitlock, 67, whose ...").
        let mut np_floor = floor;
        if let Some(before_comma) = body[floor..end].trim_end().strip_suffix(',') {
            end = floor + before_comma.len();
            for _ in 0..4 {
                let seg_start =
                    body[floor..end].rfind([',', '(', ';', ':', '—']).map_or(floor, |p| floor + p + body[floor + p..].chars().next().map_or(1, char::len_utf8));
                let seg = &body[seg_start..end];
                let seg_abs = seg_start + (seg.len() - seg.trim_start().len());
                let open = body[..seg_start].trim_end_matches([',', '(', ';', ':', '—']).len().max(floor);
                // "Sen. Ada Crane (D-Mich.), said": a party-state tag is set off like an age.
                if seg_start > floor && names::is_party_state_segment(seg) {
                    end = body[floor..open].trim_end().len() + floor;
                    continue;
                }
                if let Some(s) = self.apposition_name(seg_abs, end) {
                    // The phrase starts with what the name stands in apposition to.
                    let open = body[..seg_start].trim_end_matches([',', '(', ';', ':', '—']).len().max(floor);
                    let start = self.np_start_before(floor, open).unwrap_or(seg_abs);
                    return Some((s, start));
                }
                if seg_start == floor {
                    break;
                }
                if !parenthetical_like(seg) {
                    // Not set off from a subject before it: the phrase is the subject.
                    np_floor = seg_start;
                    break;
                }
                end = body[..seg_start].trim_end_matches([',', '(', ';', ':', '—']).len().max(floor);
            }
        }
        let floor = np_floor;
        // "The Semiconductor Industry Association (SIA) said": skip the abbreviation.
        let trimmed = body[floor..end].trim_end();
        if trimmed.ends_with(')')
            && let Some(open) = trimmed.rfind('(')
        {
            end = floor + trimmed[..open].trim_end().len();
        }
        let before = &body[floor..end];
        let last = word_iter(before).last()?;
        if !before[last.end..].trim().is_empty() {
            return None;
        }
        let l = lower(&last);
        // "Foreign Minister Kamal Rostami, who told ...": the relative pronoun's antecedent.
        if matches!(l.as_str(), "who" | "which") {
            let ante_end = floor + before[..last.start].trim_end().trim_end_matches(',').trim_end().len();
            // "The bank, which describes ...": a common noun phrase as the antecedent.
            let Some(mi) = self.ents.mention_ending_at(ante_end) else { return self.np_subject(si, floor, ante_end) };
            let s = self.mention_subject(mi);
            return Some((s, self.ents.mentions[mi].phrase_start));
        }
        self.np_subject(si, floor, floor + last.end)
    }

    /// Where the noun phrase ending just before byte `end` starts (for appositions).
    fn np_start_before(&self, floor: usize, end: usize) -> Option<usize> {
        // `end` can lie before the clause's floor ("be:told": the auxiliary before a colon
        // that starts the clause): then there is no noun phrase in between.
        let ws = words(self.body.get(floor..end)?);
        let mut k = ws.len().checked_sub(1)?;
        while k > 0 && ws.len() - k < 6 {
            let l = lower(&ws[k - 1]);
            if !self.body[floor + ws[k - 1].end..floor + ws[k].start].trim().is_empty()
                || PREPOSITIONS.contains(l.as_str())
                || matches!(l.as_str(), "and" | "or" | "but" | "who" | "which" | "that" | "when" | "as")
                || FINITE.contains(l.as_str())
                || gazetteer::is_speech_verb(&l)
            {
                break;
            }
            k -= 1;
            if DETERMINERS.contains(l.as_str()) || matches!(l.as_str(), "his" | "her" | "its" | "their") {
                break;
            }
        }
        Some(floor + ws[k].start)
    }

    /// ", Henrik Sjöberg," / ", Dr Mathilde Rochat of the Institute," / ", nine-year-old
    /// Ruby,": a name in apposition is the subject.
    fn apposition_name(&mut self, seg_start: usize, seg_end: usize) -> Option<Subject> {
        let seg = &self.body[seg_start..seg_end];
        let n = word_iter(seg).take(15).count();
        if n == 0 || n > 14 {
            return None;
        }
        // A mention can run past the segment ("'D Ks' Union,said": the name swallows the
        // quote mark the segment stops at): only one inside it is an apposition.
        if let Some(mi) = self.ents.mention_starting_at(seg_start)
            && self.ents.mentions[mi].end <= seg_end
        {
            let m = &self.ents.mentions[mi];
            let rest = self.body[m.end..seg_end].trim_start_matches(['’', '\'']).trim();
            let rest_first = word_iter(rest).next().map(|w| lower(&w));
            let post_nominals = !rest.is_empty() && word_iter(rest).all(|w| gazetteer::is_post_nominal(w.text));
            if rest.is_empty() || post_nominals || rest_first.as_deref().is_some_and(|f| matches!(f, "of" | "at" | "from" | "in" | "with")) {
                return (m.kind != EntityKind::Place).then(|| self.mention_subject(mi));
            }
        }
        if let Some(mi) = self.ents.mention_ending_at(seg_end)
            && self.ents.mentions[mi].phrase_start >= seg_start
        {
            let m = &self.ents.mentions[mi];
            let lead = &self.body[seg_start..m.phrase_start];
            let lead_ws = words(lead);
            let first = lead_ws.first().map(lower).unwrap_or_default();
            let prep_before = lead_ws.last().is_some_and(|w| PREPOSITIONS.contains(lower(w).as_str()) || DETERMINERS.contains(lower(w).as_str()));
            if m.kind != EntityKind::Place && lead_ws.len() <= 3 && !prep_before && !DETERMINERS.contains(first.as_str()) && !lead.contains(['“', '"']) {
                return Some(self.mention_subject(mi));
            }
        }
        None
    }

    /// The subject that a name mention stands for.
    fn mention_subject(&self, mi: usize) -> Subject {
        let m = &self.ents.mentions[mi];
        // "Police said", "Campaigners said": a common noun opening a sentence is no name.
        if m.person.is_none() && !m.name.contains(' ') && gazetteer::is_group_noun(&m.name.to_lowercase()) {
            return Subject::unnamed(&m.name);
        }
        match (m.kind, m.person, m.org) {
            (_, Some(p), _) => Subject { mention: m.name.clone(), speaker: Some(self.ents.persons[p].name.clone()), person: Some(p), org: None },
            (_, None, Some(o)) => Subject { mention: m.name.clone(), speaker: Some(self.ents.orgs[o].name.clone()), person: None, org: Some(o) },
            // A place as a verb's subject stands for its institution: "Downing Street said".
            _ => Subject { mention: m.name.clone(), speaker: Some(m.name.clone()), person: None, org: None },
        }
    }

    /// The subject noun phrase ending at byte `end`: a name, a pronoun, a role, an
    /// organisation noun, or an unnamed group. A phrase inside a prepositional phrase
    /// ("Residents of Kelbrook in Yorkshire") gives way to its head ("Residents").
    fn np_subject(&mut self, si: usize, floor: usize, end: usize) -> Option<(Subject, usize)> {
        let body = self.body;
        let mut end = end;
        // The prepositional object closest to the head: (mention index, or noun phrase).
        let mut pp: Option<(Option<usize>, Range<usize>)> = None;
        let all = words(&body[floor..end]);
        for _ in 0..4 {
            let before = &body[floor..end];
            let ws = prefix_words(&all, body, floor, end);
            let last = *ws.last()?;
            let l = lower(&last);
            if !before[last.end..].trim().is_empty() {
                return None;
            }
            if PRONOUNS.contains(l.as_str()) {
                let pos = floor + last.start;
                return Some((self.pronoun_subject(si, last.text, pos), pos));
            }
            let (np_start, mention) = match self.ents.mention_ending_at(floor + last.end) {
                Some(mi) => (self.ents.mentions[mi].phrase_start.max(floor), Some(mi)),
                None => {
                    let sentence_first = !body[self.sents[si].start..floor + last.start].chars().any(char::is_alphanumeric);
                    if last.is_capitalised()
                        && !sentence_first
                        && !gazetteer::is_role_noun(&l)
                        && !DETERMINERS.contains(l.as_str())
                        && !gazetteer::is_demonym(last.text)
                    {
                        return None;
                    }
                    (self.np_start_before(floor, floor + last.end)?, None)
                }
            };
            // What stands before this phrase: a preposition makes it a complement of a head.
            let lead = &body[floor..np_start];
            let lead_ws = prefix_words(&all, body, floor, np_start);
            let prev = lead_ws.last().filter(|w| lead[w.end..].trim().is_empty());
            match prev.map(lower) {
                Some(p) if PREPOSITIONS.contains(p.as_str()) && lead_ws.len() >= 2 => {
                    pp = Some((mention, np_start..floor + last.end));
                    end = floor + prev.expect("checked").start;
                    continue;
                }
                Some(p) if p == "and" && mention.is_some() && lead_ws.len() >= 2 => {
                    // "Avon and Somerset Police": a second name joined to a first.
                    let before_and = floor + prev.expect("checked").start;
                    let before_and = floor + body[floor..before_and].trim_end().len();
                    if self.ents.mention_ending_at(before_and).is_some() {
                        end = before_and;
                        continue;
                    }
                }
                _ => {}
            }
            let subject = match mention {
                Some(mi) => self.mention_subject(mi),
                None => self.noun_phrase_subject(si, np_start, floor + last.end, pp.as_ref())?,
            };
            return Some((subject, np_start));
        }
        None
    }

    /// A common noun phrase as a subject: a spokesperson, a role, an organisation noun, or
    /// an unnamed group (`None` speaker).
    fn noun_phrase_subject(&mut self, si: usize, start: usize, end: usize, pp: Option<&(Option<usize>, Range<usize>)>) -> Option<Subject> {
        let phrase = &self.body[start..end];
        let ws = words(phrase);
        let last = ws.last()?;
        let head = strip_possessive(&lower(last)).to_string();
        let first = lower(&ws[0]);
        let mention = phrase.to_string();
        let indefinite = matches!(first.as_str(), "a" | "an" | "one" | "another" | "some" | "several" | "two" | "three" | "many" | "other");
        if STOP_HEADS.contains(head.as_str()) || !head.chars().all(char::is_alphabetic) {
            return None;
        }
        // "One, a retired teacher, said": an unnamed person.
        if ws.len() == 1 && matches!(head.as_str(), "one" | "another") {
            self.last_unnamed = Some((start, si));
            return Some(Subject::unnamed(&mention));
        }
        // "the Norwegian told Sky Sports", "the 24-year-old said": the person just named.
        let age = head.ends_with("-old") || head.ends_with("-year-old");
        if !indefinite && (gazetteer::is_demonym(last.text) || age) && first == "the" {
            let person = self.salient_person(si, start);
            return Some(Subject { mention, speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None });
        }
        if SPOKES_NOUNS.contains(head.as_str()) {
            let speaker = self.spokes_org(start, &ws, pp);
            let speaker = match speaker {
                Some(s) => Some(s),
                None if !indefinite && ws.len() == 2 && pp.is_none() => self.last_spokes.clone().filter(|(_, at)| si <= at + 4).and_then(|(s, _)| s),
                None => None,
            };
            if indefinite || pp.is_some() || ws.len() > 2 {
                self.last_spokes = Some((speaker.clone(), si));
            }
            return Some(Subject { mention, speaker, person: None, org: None });
        }
        if gazetteer::is_role_noun(&head) {
            if indefinite {
                self.last_unnamed = Some((start, si));
                return Some(Subject::unnamed(&mention));
            }
            let country = ws.iter().find_map(|w| {
                let t = strip_possessive(w.text);
                gazetteer::country_of_demonym(t).or_else(|| gazetteer::COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(t)).map(|(c, _)| *c))
            });
            let person = self
                .ents
                .resolve_role(country, &head, start)
                .or_else(|| country.and_then(|_| self.ents.resolve_role_countryless(&head, start)))
                .or_else(|| self.role_link(&head))
                .or_else(|| self.salient_unroled(si, start, &head));
            if let Some(p) = person {
                self.extra_refs.push(Ref { pos: start, sentence: si, person: p, subject_like: true });
            }
            return Some(Subject { mention, speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None });
        }
        // "Economists at Sandvik Markets said": unnamed staff of a named organisation speak
        // for it, like its spokespeople.
        if ws.len() == 1
            && STAFF_NOUNS.contains(head.as_str())
            && let Some((Some(mi), _)) = pp
            && let Some(o) = self.ents.mentions[*mi].org
        {
            return Some(Subject { mention, speaker: Some(self.ents.orgs[o].name.clone()), person: None, org: Some(o) });
        }
        if entities::ORG_NOUNS.contains(head.as_str()) && !indefinite {
            let org = self.resolve_org_noun(&head, start);
            let name = org.map(|o| self.ents.orgs[o].name.clone());
            let name =
                name.or_else(|| matches!(head.as_str(), "club" | "team" | "side").then(|| self.ents.club_place_before(start).map(str::to_string)).flatten());
            return Some(Subject { mention, speaker: name, person: None, org });
        }
        Some(Subject::unnamed(&mention))
    }

    /// "the company", "the agency": the latest fitting organisation the narration made a
    /// subject or quoted (the story's company, not an analyst's employer), else the latest
    /// fitting one mentioned.
    fn resolve_org_noun(&self, noun: &str, pos: usize) -> Option<usize> {
        let hi = self.org_refs.partition_point(|r| r.0 < pos);
        // "the bank": the Bank of Velmark, whose name says so, before a broker that is a
        // company like any other.
        let named_by = |o: usize| self.ents.orgs[o].nouns.iter().any(|n| n == noun);
        let named = self.org_refs[..hi].iter().rev().map(|r| r.1).find(|&o| named_by(o)).or_else(|| {
            let here = self.ents.mentions.partition_point(|m| m.start < pos);
            self.ents.mentions[..here].iter().rev().filter_map(|m| m.org).find(|&o| named_by(o))
        });
        let salient = named.or_else(|| self.org_refs[..hi].iter().rev().map(|r| r.1).find(|&o| self.ents.org_fits(o, noun)));
        salient.or_else(|| self.ents.resolve_org_noun(noun, pos))
    }

    /// The organisation a spokesperson speaks for: "a spokesman for the agency", "a Skylark
    /// spokeswoman", "the company's spokesman", "a company spokesman".
    fn spokes_org(&self, start: usize, ws: &[Word], pp: Option<&(Option<usize>, Range<usize>)>) -> Option<String> {
        if let Some((mention, range)) = pp {
            if let Some(mi) = mention {
                return self.ents.mentions[*mi].org.map(|o| self.ents.orgs[o].name.clone());
            }
            let pw = words(&self.body[range.clone()]);
            let first = pw.first().map(lower).unwrap_or_default();
            let head = pw.last().map(|w| lower(w)).unwrap_or_default();
            if matches!(first.as_str(), "the" | "its" | "their") && pw.len() <= 3 {
                return self.resolve_org_noun(&head, range.start).map(|o| self.ents.orgs[o].name.clone());
            }
            return None;
        }
        // Modifiers before the head.
        for w in &ws[..ws.len() - 1] {
            let abs = start + w.start;
            if let Some(mi) = self.ents.mention_starting_at(abs)
                && let Some(o) = self.ents.mentions[mi].org
            {
                return Some(self.ents.orgs[o].name.clone());
            }
            if w.is_capitalised()
                && let Some(o) = self.ents.org_with_prefix(strip_possessive(w.text))
            {
                return Some(self.ents.orgs[o].name.clone());
            }
            let l = strip_possessive(&lower(w)).to_string();
            if entities::ORG_NOUNS.contains(l.as_str()) {
                return self.resolve_org_noun(&l, start).map(|o| self.ents.orgs[o].name.clone());
            }
        }
        None
    }

    /// The person the last two sentences are about: the latest subject-like reference.
    fn salient_person(&self, si: usize, pos: usize) -> Option<usize> {
        let hi = self.refs.partition_point(|r| r.pos < pos);
        let from_names = self.refs[..hi].iter().rev().take_while(|r| r.sentence + 2 >= si).find(|r| r.subject_like);
        let from_extra = self.extra_refs.iter().rev().filter(|r| r.pos < pos && r.sentence + 2 >= si).find(|r| r.subject_like);
        match (from_names, from_extra) {
            (Some(a), Some(b)) => Some(if a.pos > b.pos { a.person } else { b.person }),
            (a, b) => a.or(b).map(|r| r.person),
        }
    }

    /// A role noun linked earlier to a person from context.
    fn role_link(&self, head: &str) -> Option<usize> {
        self.role_links.iter().rev().find(|(h, _)| h == head).map(|(_, p)| *p)
    }

    /// "the 24-year-old striker" with nobody holding that role: the person the last two
    /// sentences are about, if they have no role that says otherwise.
    fn salient_unroled(&mut self, si: usize, pos: usize, head: &str) -> Option<usize> {
        let p = self.salient_person(si, pos)?;
        if !self.ents.persons[p].roles.is_empty() {
            return None;
        }
        self.role_links.push((head.to_string(), p));
        Some(p)
    }

    /// The subject of the sentence's main clause, for coordinated verbs ("walked out ...
    /// and told the aides that") and participles ("..., adding that").
    fn clause_subject(&mut self, si: usize, limit: usize) -> Option<Subject> {
        let range = self.sents[si].clone();
        let text = &self.body[range.start..limit];
        let dateline = self.dateline_end(si, limit);
        let mut prev: Option<Lower> = None;
        for w in word_iter(text) {
            let abs = range.start + w.start;
            if abs < dateline {
                continue;
            }
            let prev_word = prev.replace(lower(&w));
            if self.in_group(abs) {
                continue;
            }
            if matches!(lower(&w).as_str(), "he" | "she" | "they" | "we") {
                return Some(self.pronoun_subject(si, w.text, abs));
            }
            if let Some(mi) = self.ents.mention_starting_at(abs) {
                let m = &self.ents.mentions[mi];
                let prev = prev_word;
                let possessive = self.body[m.end..].starts_with(['’', '\'']);
                if m.kind != EntityKind::Place && !possessive && !prev.as_ref().is_some_and(|p| PREPOSITIONS.contains(p.as_str())) {
                    return Some(self.mention_subject(mi));
                }
            }
        }
        None
    }

    /// A subject after an inverted verb or "according to": `said Ortega`, `said the
    /// minister`, `said one aviation consultant who ...`. Returns it and where it ends.
    fn subject_after(&mut self, si: usize, from: usize) -> Option<(Subject, usize)> {
        let sent_end = self.sents[si].end;
        let text = &self.body[from..sent_end];
        let lead = text.len() - text.trim_start().len();
        let abs = from + lead;
        // Only the first eight words are ever looked at.
        let ws: Vec<Word> = word_iter(&text[lead..]).take(8).collect();
        let first = ws.first()?;
        if !text[lead..lead + first.start].is_empty() {
            return None;
        }
        let l = lower(first);
        if PREPOSITIONS.contains(l.as_str()) || l == "that" || finite_like(first.text) || gazetteer::is_speech_verb(&l) || ADVERBS.contains(l.as_str()) {
            return None;
        }
        // A name, possibly after "the" or a title.
        let skip_the = if l == "the" { ws.get(1).map(|w| abs + w.start) } else { None };
        for at in [Some(abs), skip_the].into_iter().flatten() {
            if let Some(mi) = self.ents.mention_starting_at(at) {
                // "said Brenner analyst Paul Haugen": the employer, a title, then the person.
                let mi = self.person_after_title(mi, sent_end).unwrap_or(mi);
                let m = &self.ents.mentions[mi];
                // "Iran's state media": the possessor is not the speaker.
                if self.body[m.end..].starts_with(['’', '\'']) {
                    break;
                }
                if m.kind == EntityKind::Place {
                    return None;
                }
                return Some((self.mention_subject(mi), m.end));
            }
        }
        if PRONOUNS.contains(l.as_str()) && matches!(l.as_str(), "he" | "she") {
            return Some((self.pronoun_subject(si, first.text, abs), abs + first.text.len()));
        }
        // A capitalised word that is no name starts no subject, except a possessor
        // ("Iran's state media").
        if first.is_capitalised() && !DETERMINERS.contains(l.as_str()) && strip_possessive(first.text) == first.text {
            return None;
        }
        // A noun phrase up to a comma, a relative pronoun or a preposition.
        let rel = &text[lead..];
        let mut n = 1;
        while n < ws.len() && n < 7 {
            let wl = lower(&ws[n]);
            let plain = rel[ws[n - 1].end..ws[n].start].trim().is_empty();
            if !plain || matches!(wl.as_str(), "who" | "which" | "that") || PREPOSITIONS.contains(wl.as_str()) || gazetteer::is_speech_verb(&wl) {
                break;
            }
            n += 1;
        }
        if n == 0 {
            return None;
        }
        let np_end = abs + ws[n - 1].end;
        // "a spokesman for the agency": the prepositional object.
        let pp = ws.get(n).filter(|w| matches!(lower(w).as_str(), "for" | "of" | "at")).map(|p| {
            let after = &rel[p.end..];
            let stop = after.find([',', '.', ';', '“', '"']).unwrap_or(after.len());
            let pp_start = abs + p.end + (after.len() - after.trim_start().len());
            let pp_end = abs + p.end + after[..stop].trim_end().len();
            (self.ents.mention_ending_at(pp_end), pp_start..pp_end)
        });
        let s = self.noun_phrase_subject(si, abs, np_end, pp.as_ref())?;
        Some((s, pp.map_or(np_end, |p| p.1.end.max(np_end))))
    }

    /// `Brenner analyst Paul Haugen`: a name that is not a person, lowercase title words,
    /// then a person's name; returns the person's mention.
    fn person_after_title(&self, mi: usize, sent_end: usize) -> Option<usize> {
        let m = &self.ents.mentions[mi];
        if m.person.is_some() {
            return None;
        }
        let after = &self.body[m.end..sent_end];
        for w in word_iter(after).take(4) {
            let abs = m.end + w.start;
            let gap_ok = self.body[m.end..abs].chars().all(|c| c == ' ' || c == '’' || c == '\'' || c.is_alphanumeric());
            if !gap_ok {
                return None;
            }
            // The person's mention starts at its title ("analyst Paul Haugen") or its name.
            if let Some(pi) = self.ents.mention_starting_at(abs) {
                return self.ents.mentions[pi].person.is_some().then_some(pi);
            }
            if w.is_capitalised() || !gazetteer::is_title_word(&lower(&w)) {
                return None;
            }
        }
        None
    }

    /// A pronoun subject: he/she resolve to a person; they/we/I stay unnamed; "it" is
    /// the organisation just quoted, if any.
    fn pronoun_subject(&mut self, si: usize, word: &str, pos: usize) -> Subject {
        let l = word.to_lowercase();
        match l.as_str() {
            "he" | "she" => {
                let person = self.pronoun_referent(pos, l == "she");
                if let Some(p) = person {
                    self.extra_refs.push(Ref { pos, sentence: si, person: p, subject_like: true });
                }
                Subject { mention: word.to_string(), speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None }
            }
            "it" => {
                let org = self.last_org.clone().filter(|(_, at)| si <= at + 2).map(|(n, _)| n);
                Subject { mention: word.to_string(), speaker: org, person: None, org: None }
            }
            _ => Subject::unnamed(word),
        }
    }

    /// The person "he"/"she" at `pos` refers to. Someone the narration made a subject
    /// since the last attribution takes over ("The striker laughed. “...,” she said");
    /// otherwise the person last quoted, if the pronoun fits; otherwise the latest fitting
    /// person, subjects first.
    fn pronoun_referent(&self, pos: usize, female: bool) -> Option<usize> {
        let want = if female { Gender::Female } else { Gender::Male };
        let fits = |p: usize| self.ents.persons[p].gender.is_none_or(|g| g == want);
        let si = self.sentence_of(pos);
        let lo = self.refs.partition_point(|r| r.sentence + 5 < si);
        let hi = self.refs.partition_point(|r| r.pos < pos);
        let recent_extra = self.extra_refs.iter().rev().take_while(|r| r.sentence + 6 >= si);
        let window: Vec<&Ref> =
            self.refs[lo..hi.max(lo)].iter().chain(recent_extra).filter(|r| r.pos < pos && r.sentence + 5 >= si && fits(r.person)).collect();
        let latest_by_pos = |subject_only: bool, after: usize| {
            window.iter().filter(|r| r.pos >= after && (!subject_only || r.subject_like)).max_by_key(|r| r.pos).map(|r| r.person)
        };
        // "One, a retired teacher, said she ...; “...,” she said": the unnamed speaker goes on,
        // unless someone is named in between.
        if let Some((at, s)) = self.last_unnamed
            && s + 2 >= si
            && self.last_person.is_none_or(|(_, p_at, _)| p_at < at)
            && latest_by_pos(true, at + 1).is_none()
        {
            return None;
        }
        if let Some((p, at, s)) = self.last_person
            && s + 5 >= si
        {
            if let Some(other) = latest_by_pos(true, at + 1) {
                return Some(other);
            }
            if fits(p) {
                return Some(p);
            }
        }
        latest_by_pos(true, 0).or_else(|| latest_by_pos(false, 0))
    }

    /// Attribute a quotation group that ends in sentence `si`. Returns the quote and the
    /// person it is attributed to.
    fn attribute_group(&mut self, si: usize, g: usize) -> Option<RawQuote> {
        let body = self.body;
        let (q_start, q_end) = (self.groups[g].start(), self.groups[g].end());
        let start_si = self.sentence_of(q_start);
        let inner_words: usize = self.groups[g].segments.iter().map(|s| word_iter(&body[s.clone()]).count()).sum();
        let cues_here = self.cues_of(si);
        let cues_start = if start_si == si { cues_here.clone() } else { self.cues_of(start_si) };
        let mut found: Option<(Subject, &'a str)> = None;
        let mut phrase_ok = false;
        // Found in or right after the quotation: `“No,” Whitlock said.`
        let mut attributed_after = false;
        // 1. Inside a split quote: `“We will go,” she said, “but not yet.”`
        if let Some(r) = self.groups[g].interrupt.clone()
            && let Some(c) = cues_start.iter().chain(cues_here.iter()).find(|c| c.start >= r.start && c.end <= r.end && c.subject.is_some())
        {
            found = Some((c.subject.clone().expect("checked"), c.verb));
            phrase_ok = true;
            attributed_after = true;
        }
        // 2. Right after: `“...,” he said.` / `“...,” said Ortega.` / `“...,” the group's director, Elin Strand, said.`
        if found.is_none()
            && let Some(c) = cues_here.iter().find(|c| c.start >= q_end && c.subject_start >= q_end && c.subject.is_some())
        {
            let between = &body[q_end..c.subject_start.min(c.start)];
            let between_ok = between.trim_matches(|ch: char| ch.is_whitespace() || ch == ',').is_empty()
                || self.title_before_subject(between, &body[c.subject_start.min(c.start)..c.start]);
            // Stops may not separate quote and subject; inside the subject a period is an
            // abbreviation or an initial ("Mr. Ackman", "Peter T. King").
            let subject_text = &body[c.subject_start.min(c.start)..c.start];
            if between_ok
                && !between.contains(['.', ';', '!', '?'])
                && !subject_text.contains([';', '!', '?'])
                && word_iter(&body[q_end..c.start]).take(15).count() <= 14
            {
                found = Some((c.subject.clone().expect("checked"), c.verb));
                phrase_ok = true;
                attributed_after = true;
            }
        }
        // 3. Before: `X said: “...”`, `X described it as “...”`, `X said that “...”`.
        if found.is_none()
            && let Some(c) = cues_start.iter().rev().find(|c| c.end <= q_start && c.subject.is_some() && self.reaches(c, g))
        {
            found = Some((c.subject.clone().expect("checked"), c.verb));
            phrase_ok = true;
        }
        let at_sentence_start = body[self.sents[start_si].start..q_start].trim().is_empty();
        // 4. After a sentence that ends with a colon: `She described her first winter:`
        if found.is_none() && at_sentence_start && start_si > 0 {
            let prev = start_si - 1;
            if body[self.sents[prev].clone()].trim_end().ends_with(':')
                && let Some(c) = self.cues_of(prev).iter().rev().find(|c| c.subject.is_some())
            {
                found = Some((c.subject.clone().expect("checked"), c.verb));
            }
        }
        // 4b. `The Speaker, Dame Harriet Ross, intervened: “Order.”`: any verb before a colon.
        if found.is_none() {
            found = self.colon_intro(start_si, q_start);
        }
        // `to cries of ‘Shame!’`: a shout from nobody named.
        if found.is_none() {
            let lead: Vec<Word> = words(&body[self.sents[start_si].start..q_start]).into_iter().rev().take(2).collect();
            if lead.len() == 2
                && lead[0].text == "of"
                && matches!(lower(&lead[1]).as_str(), "cries" | "cry" | "shouts" | "shout" | "chants" | "chant" | "calls" | "shouting" | "chanting")
                && body[self.sents[start_si].start + lead[0].end..q_start].trim().is_empty()
            {
                let mention = format!("{} of", lead[1].text);
                return Some(RawQuote { speaker: None, mention: Some(mention), cue: Some(lead[1].text.to_string()), kind: QuoteKind::Direct });
            }
        }
        // A short quotation that is a whole sentence ("He is right.") is speech; other short
        // ones are phrases.
        let inner = body[q_start..q_end].trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '!' | '?'));
        let sentence_like = inner.starts_with(char::is_uppercase) && inner.ends_with(['.', '!', '?']) && inner_words >= 2;
        let is_phrase = inner_words <= 5 && self.groups[g].segments.len() == 1 && !(sentence_like && found.is_none());
        if is_phrase {
            // Short phrases need a verb that quotes them, and must not be names or titles.
            let inner = body[q_start..q_end].trim_matches(|c: char| !c.is_alphanumeric());
            let ws = words(inner);
            // A reply punctuated inside its marks and attributed right after (`“No,” she
            // said`) is speech even when it is one capitalised word.
            let punctuated = body[q_start..q_end].trim_end_matches(['”', '"', '’', '\'', '»']).ends_with([',', '.', '!', '?']);
            if !phrase_ok || found.is_none() || (ws.iter().all(|w| w.is_capitalised()) && !(attributed_after && punctuated)) {
                return None;
            }
        }
        // 5. A quotation standing alone right after another one continues it.
        let (subject, cue) = match found {
            Some((s, c)) => (Some(s), Some(c)),
            None => match self.prev_quote {
                Some((at, i)) if at + 1 == start_si && at_sentence_start && (inner_words > 5 || sentence_like) => {
                    let prev = &self.out[i].1;
                    (Some(Subject { mention: prev.mention.clone().unwrap_or_default(), speaker: prev.speaker.clone(), person: None, org: None }), None)
                }
                _ if inner_words >= 8 => (None, None),
                _ => return None,
            },
        };
        let speaker = subject.as_ref().and_then(|s| s.speaker.clone());
        Some(RawQuote { speaker, mention: subject.map(|s| s.mention), cue: cue.map(str::to_string), kind: QuoteKind::Direct })
    }

    /// `X intervened: “...”`: a quotation after a subject, one verb and a colon that open its
    /// sentence (speech verbs are read as cues already).
    fn colon_intro(&mut self, si: usize, q_start: usize) -> Option<(Subject, &'a str)> {
        let body = self.body;
        let sent_start = self.sents[si].start;
        let lead = body[sent_start..q_start].trim_end().strip_suffix(':')?;
        let verb = word_iter(lead).last()?;
        if !lead[verb.end..].trim().is_empty()
            || verb.is_capitalised()
            || !(verb.text.ends_with("ed") || verb.text.ends_with('s'))
            || AUXILIARIES.contains(verb.text)
        {
            return None;
        }
        let verb_at = sent_start + verb.start;
        let floor = self.clause_floor(si, verb_at);
        let (subject, _) = self.subject_before(si, floor, verb_at)?;
        (subject.speaker.is_some()).then_some((subject, verb.text))
    }

    /// `“...,” chief executive Mari Holm said`, `“...,” Nordhavn chief strategist Lars
    /// Eiden said`: between a quotation and the name that says it, a title (lowercase role
    /// words, the employer's name before them), and nothing that could start a clause.
    /// `subject` is the subject's own text, which may begin with the role ("leader Hanna
    /// Korhonen" after "union").
    fn title_before_subject(&self, between: &str, subject: &str) -> bool {
        let rest = between.trim_start().strip_prefix(',').unwrap_or(between).trim();
        let ws = words(rest);
        let subject_starts_with_role = words(subject).first().is_some_and(|w| gazetteer::is_role_noun(&lower(w)));
        if ws.is_empty() || ws.len() > 6 || rest.contains(|c: char| !c.is_alphanumeric() && !matches!(c, ' ' | '-' | '’' | '\'' | '&' | '.')) {
            return false;
        }
        let mut role = false;
        for (i, w) in ws.iter().enumerate() {
            let l = lower(w);
            // A lowercase noun that qualifies the role right after it: "union leader",
            // "opposition leader", "party spokeswoman" (never a function word: "and then").
            let next_is_role = ws.get(i + 1).map_or(subject_starts_with_role, |n| gazetteer::is_role_noun(&lower(n)));
            let qualifies_next_role = || !crate::core::text::is_stopword(&l) && l.chars().all(char::is_alphabetic) && next_is_role;
            if gazetteer::is_role_noun(&l) {
                role = true;
            } else if !(w.is_capitalised()
                || matches!(l.as_str(), "the" | "its" | "their" | "his" | "her" | "senior" | "former" | "new" | "then")
                || gazetteer::is_title_word(strip_possessive(&l))
                || qualifies_next_role())
            {
                return false;
            }
        }
        (role || subject_starts_with_role) && ws.last().is_some_and(|w| !w.is_capitalised() || gazetteer::is_title_word(&lower(w)))
    }

    /// Does a cue before a quotation introduce it?
    fn reaches(&self, c: &Cue, g: usize) -> bool {
        match c.complement {
            Complement::Quote(q) => q == g,
            Complement::Clause(cs) => {
                // `said that “I hope ...”`: the clause is the quotation itself.
                let gs = self.groups[g].start();
                cs <= gs && word_iter(&self.body[cs..gs]).next().is_none()
            }
            _ => false,
        }
    }
}

/// Sources that are figures or findings, not speakers: "according to a survey".
const DATA_NOUNS_LIST: &[&str] = &[
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
static DATA_NOUNS: WordSet = WordSet::new(DATA_NOUNS_LIST);

/// Heads that never make a subject.
const STOP_HEADS_LIST: &[&str] = &[
    "that", "this", "which", "who", "what", "there", "here", "to", "and", "or", "but", "so", "as", "if", "than", "then", "when", "where", "while", "not",
    "also", "it", "its", "ones", "all", "both", "each", "some", "none",
];
static STOP_HEADS: WordSet = WordSet::new(STOP_HEADS_LIST);

fn is_time_word(l: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(qs: &'a [Quote], needle: &str) -> &'a Quote {
        qs.iter().find(|q| q.text.contains(needle)).unwrap_or_else(|| panic!("no quote containing {needle:?} in {qs:#?}"))
    }

    fn speaker_of(qs: &[Quote], needle: &str) -> Option<String> {
        find(qs, needle).speaker.clone()
    }

    #[test]
    fn a_name_running_past_its_apposition_segment() {
        // Found by the fuzzer: the mention's end was checked only after slicing up to it.
        for body in ["\n'D Ks' Union,said", "\n'D Ks' Union,said the offer was late.", "The talks went on.\n'D Ks' Union, said the pay offer was late."] {
            for q in extract(body) {
                let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
                assert_eq!(text, q.text, "{body}");
            }
        }
    }

    #[test]
    fn a_passive_report_whose_auxiliary_stands_before_the_clause() {
        // Found by the fuzzer (1.4 million executions in): "was told" at the end of a
        // sentence looks for its subject before the auxiliary, which here stood before the
        // colon that starts the clause; the noun phrase was sliced backwards.
        for body in ["\nbe:told", "The offer would be:told", "Dock workers were:told.", "The crews had been: told, the union said."] {
            for q in extract(body) {
                let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
                assert_eq!(text, q.text, "{body}");
            }
        }
    }

    #[test]
    fn a_list_between_dashes_after_an_acronym_is_no_dateline() {
        // Issue 13: an all-caps first word before a dash was read as a dateline ending after
        // the speech cue, and the clause before the cue was sliced backwards.
        for dash in ["—", "-", "–"] {
            let body = format!("ESA said the firms {dash} Arianespace, Avio {dash} had been picked, officials said, and the launch would follow.");
            for q in extract(&body) {
                let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
                assert_eq!(text, q.text, "{body}");
            }
        }
        let body = "NORTHVALE, Oregon (Wirelink) — The mayor said on Monday that the dam would be inspected.";
        let qs = extract(body);
        let q = find(&qs, "dam would be inspected");
        assert!(!q.text.contains("NORTHVALE"), "a real dateline is still left out: {q:?}");
    }

    #[test]
    fn apostrophe_pairs_titles_with_periods_and_party_tags() {
        let text = "Harbour talks stall\n\nMarta Quill chairs the port board. ''We will not sign a deal that costs jobs,'' Ms. Quill said on Friday.\n\n\
                    ''The board has been patient,'' said Sen. Odell Brant (D-Mich.), who sits on the panel.";
        let qs = extract(text);
        let q = find(&qs, "costs jobs");
        // The quote keeps both apostrophes of each mark, verbatim.
        assert!(q.text.starts_with("''We") && q.text.ends_with(",''"), "{q:?}");
        assert_eq!(q.kind, QuoteKind::Direct);
        assert_eq!(q.speaker.as_deref(), Some("Marta Quill"));
        assert_eq!(speaker_of(&qs, "patient"), Some("Odell Brant".into()));
        assert!(qs.iter().all(|q| q.speaker.as_deref().is_none_or(|s| !s.contains("D-Mich"))), "{qs:#?}");
    }

    #[test]
    fn parenthetical_attribution_after_an_opener_and_thinking_is_not_speech() {
        let text = "Port vote\n\nIn the end, Ms. Quill said, the board would vote again in May. \
                    Marta Quill believes the crane will arrive late. Still, she said, the workers were ready.";
        let qs = extract(text);
        assert_eq!(speaker_of(&qs, "vote again"), Some("Marta Quill".into()));
        assert_eq!(speaker_of(&qs, "workers were ready"), Some("Marta Quill".into()));
        assert!(!qs.iter().any(|q| q.text.contains("crane will arrive")), "{qs:#?}");
    }

    #[test]
    fn apposition_relative_clause_and_age_between_subject_and_verb() {
        let body = "Tamsin Greer, an economist at Northfield Capital, said inflation would fall next year. \
                    Omar Sayed, 52, whose bakery on Quarry Road closed in May, said he had lost everything. \
                    \"We are not finished,\" said Lena Brandt, a director at the Harbour Trust.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "inflation would fall").as_deref(), Some("Tamsin Greer"));
        assert_eq!(speaker_of(&qs, "he had lost everything").as_deref(), Some("Omar Sayed"));
        assert_eq!(speaker_of(&qs, "We are not finished").as_deref(), Some("Lena Brandt"));
    }

    #[test]
    fn titles_never_stay_in_speaker_names() {
        let body = "Co-founder Sam Ortiz said the app had two million users. Economist Jane Roe said rates would rise. \
                    The barrister, Martin Hale QC, told the court that the evidence was thin. Sir Alan Webb said he would retire.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "two million users").as_deref(), Some("Sam Ortiz"));
        assert_eq!(speaker_of(&qs, "rates would rise").as_deref(), Some("Jane Roe"));
        assert_eq!(speaker_of(&qs, "the evidence was thin").as_deref(), Some("Martin Hale"));
        assert_eq!(speaker_of(&qs, "he would retire").as_deref(), Some("Alan Webb"));
    }

    #[test]
    fn person_of_organisation_is_the_person() {
        let body = "Another trader, Nils Ekberg of Sundvik Partners, called the sell-off \"an overreaction to one bad number\".";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "an overreaction").as_deref(), Some("Nils Ekberg"));
    }

    #[test]
    fn first_names_in_a_family_with_one_surname() {
        let body = "Paolo Russo founded the vineyard in 1970. His daughter, Elena Russo, now runs it. \
                    \"The soil decides everything,\" Paolo said. Elena said the harvest had been early. \
                    \"Dad still walks the rows every morning,\" she said.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "The soil decides").as_deref(), Some("Paolo Russo"));
        assert_eq!(speaker_of(&qs, "the harvest had been early").as_deref(), Some("Elena Russo"));
        assert_eq!(speaker_of(&qs, "Dad still walks").as_deref(), Some("Elena Russo"));
    }

    #[test]
    fn organisations_by_their_fullest_name() {
        let body = "The National Farmers' Union said the subsidy cut would hurt small farms. \
                    The Office of Rail Regulation fined the operator. According to the ORR, trains were late on a third of days. \
                    Brightwave Energy raised its prices on Monday. \"We had no choice,\" a Brightwave spokeswoman said. \
                    The company said in a statement that bills would rise by 8 percent. \
                    A spokesperson for the union said farmers would protest in March.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "subsidy cut").as_deref(), Some("National Farmers' Union"));
        assert_eq!(speaker_of(&qs, "trains were late").as_deref(), Some("Office of Rail Regulation"));
        assert_eq!(speaker_of(&qs, "We had no choice").as_deref(), Some("Brightwave Energy"));
        assert_eq!(speaker_of(&qs, "bills would rise").as_deref(), Some("Brightwave Energy"));
        assert_eq!(speaker_of(&qs, "farmers would protest").as_deref(), Some("National Farmers' Union"));
    }

    #[test]
    fn the_company_is_the_one_the_story_is_about() {
        let body = "Corvane Motors cut 2,000 jobs on Tuesday. \"The market has changed,\" said Ida Holm, an analyst at Fenwick Securities. \
                    The firm said it would close two plants in Ohio.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "close two plants").as_deref(), Some("Corvane Motors"));
    }

    #[test]
    fn places_and_unnamed_groups_are_not_speakers() {
        let body = "Parents of pupils at Hillside School in East Lothian say they were never consulted. \
                    The headteacher said in Edinburgh that the decision was final. \
                    \"Nobody asked us,\" one mother said. \"Not once.\"";
        let qs = extract(body);
        let q = find(&qs, "never consulted");
        assert_eq!(q.speaker, None);
        assert_eq!(find(&qs, "Nobody asked us").speaker, None);
        assert_eq!(find(&qs, "Not once").speaker, None);
    }

    #[test]
    fn pronouns_follow_the_narration() {
        let body = "The coach, Marta Klein, said she was proud of the team. \"They never gave up,\" Klein said. \
                    The goalkeeper laughed at the praise. Nadia Okafor, 19, has kept six clean sheets. \
                    The teenager said the coach was too kind. \"She says that to everyone,\" she said.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "She says that to everyone").as_deref(), Some("Nadia Okafor"));
    }

    #[test]
    fn a_named_subject_since_the_last_quote_takes_the_pronoun() {
        let body = "Ruth Amari said the bridge would open in June. Her sister, Dina Amari, disagrees, and Ruth knows it. \
                    Dina said the council had missed every deadline. \"I will believe it when I drive across it,\" she said.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "I will believe it").as_deref(), Some("Dina Amari"));
    }

    #[test]
    fn passive_told_has_no_speaker() {
        let body = "WITNESS: I phoned the office twice. I was told, \"Someone will call you back.\" Nobody did.";
        let qs = extract(body);
        let q = find(&qs, "Someone will call");
        assert_eq!(q.speaker, None);
        assert_eq!(q.kind, QuoteKind::Direct);
    }

    #[test]
    fn reported_speech_patterns() {
        let body = "Karl Weiss told the BBC that the plant would stay open. \
                    The regional health board said on Friday that waiting lists had grown. \
                    Ticket sales have fallen by a third, organisers said on Sunday, as the festival prepared to open. \
                    Mayor Ana Silva left the meeting early and told waiting journalists that the budget would pass. \
                    Inspector Luke Grey said officers would review the footage. \
                    The union welcomed the offer but said members would vote on it next week.";
        let qs = extract(body);
        assert_eq!(find(&qs, "plant would stay open").speaker.as_deref(), Some("Karl Weiss"));
        assert_eq!(find(&qs, "waiting lists had grown").kind, QuoteKind::Indirect);
        let q = find(&qs, "Ticket sales have fallen");
        assert_eq!((q.speaker.as_deref(), q.text.as_str()), (None, "Ticket sales have fallen by a third"));
        assert_eq!(speaker_of(&qs, "the budget would pass").as_deref(), Some("Ana Silva"));
        assert_eq!(speaker_of(&qs, "officers would review").as_deref(), Some("Luke Grey"));
        assert!(qs.iter().any(|q| q.text == "members would vote on it next week"), "{qs:#?}");
    }

    #[test]
    fn mixed_quote_in_a_reported_clause() {
        let body = "Priti Anand said the ruling was \"a victory for common sense\" and that she would not appeal.";
        let qs = extract(body);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        assert_eq!(qs[0].kind, QuoteKind::Mixed);
        assert_eq!(qs[0].speaker.as_deref(), Some("Priti Anand"));
        assert!(qs[0].text.starts_with("the ruling was") && qs[0].text.ends_with("would not appeal"), "{:?}", qs[0].text);
    }

    #[test]
    fn short_sentence_continues_the_quote_before() {
        let body = "Leo Marsh runs the ferry. \"The sea is calm today,\" he said. \"It rarely is.\"";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "It rarely is").as_deref(), Some("Leo Marsh"));
    }

    #[test]
    fn quoted_names_and_infinitives_are_not_quotes() {
        let body = "The ship, renamed \"Northern Dawn\" last year, docked in Hull. A spokesman declined to say whether the crew had been paid. \
                    Shares rose after the group announced their \"reset\" in March, the word was everywhere.";
        let qs = extract(body);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn direct_quote_with_name_after() {
        let body = "Pezeshkian believes cooperation has potential. “There are good opportunities for cooperation with Azerbaijan,” Pezeshkian said.";
        let qs = extract(body);
        let q = find(&qs, "good opportunities");
        assert_eq!(q.kind, QuoteKind::Direct);
        assert_eq!(q.cue.as_deref(), Some("said"));
        assert_eq!(&body.chars().skip(q.start).take(q.end - q.start).collect::<String>(), &q.text);
    }

    #[test]
    fn split_quote_is_one_quote() {
        let body = "Maria Lindqvist spoke to reporters. “We will go,” she said, “but not yet.” Later she left.";
        let qs = extract(body);
        let q = find(&qs, "We will go");
        assert!(q.text.contains("but not yet"), "{q:?}");
        assert_eq!(q.speaker.as_deref(), Some("Maria Lindqvist"));
        assert_eq!(qs.iter().filter(|q| q.kind == QuoteKind::Direct).count(), 1);
    }

    #[test]
    fn role_noun_and_pronoun_speakers() {
        let body = "Iranian President Masoud Pezeshkian met Azerbaijani President Ilham Aliyev in Baku. The Iranian leader said, before leaving, that “I hope these visits will lead to growth.” “Together, we can build peace,” he stated.";
        let qs = extract(body);
        assert_eq!(find(&qs, "I hope").speaker.as_deref(), Some("Masoud Pezeshkian"));
        assert_eq!(find(&qs, "Together").speaker.as_deref(), Some("Masoud Pezeshkian"));
        assert_eq!(find(&qs, "Together").speaker_mention.as_deref(), Some("he"));
    }

    #[test]
    fn scare_quotes_and_names_are_not_quotes() {
        let body = "The Iranian \"North-South\" transport project matters. Officials worry about \"Pan-Turkism,\" the paper wrote.";
        let qs = extract(body);
        assert!(qs.iter().all(|q| !q.text.trim_matches(|c: char| !c.is_alphanumeric()).eq("North-South")), "{qs:#?}");
    }

    #[test]
    fn phrase_after_described_as() {
        let body = "Mehdi Sanaei is an advisor. Sanaei described the trip as “a new beginning” in bilateral relations.";
        let qs = extract(body);
        let q = find(&qs, "a new beginning");
        assert_eq!(q.speaker.as_deref(), Some("Mehdi Sanaei"));
    }

    #[test]
    fn indirect_speech() {
        let body = "Former ambassador Javanshir Akhundov gave an interview. Akhundov noted that Iran is experiencing a deep economic crisis. He also emphasized that the visit has the potential to lay groundwork.";
        let qs = extract(body);
        let q = find(&qs, "Iran is experiencing");
        assert_eq!(q.kind, QuoteKind::Indirect);
        assert_eq!(q.speaker.as_deref(), Some("Javanshir Akhundov"));
        assert_eq!(q.text, "Iran is experiencing a deep economic crisis");
        assert_eq!(find(&qs, "the visit has").speaker.as_deref(), Some("Javanshir Akhundov"));
    }

    #[test]
    fn organisations_speak_and_unknown_speakers_stay_unknown() {
        let body = "Iranian state media IRNA noted that “upon his arrival at the airport, the president was greeted by officials.” The president was welcomed at the palace, Iranian media said.";
        let qs = extract(body);
        assert_eq!(find(&qs, "upon his arrival").speaker.as_deref(), Some("IRNA"));
        let q = find(&qs, "welcomed at the palace");
        assert_eq!(q.speaker, None);
        assert_eq!(q.speaker_mention.as_deref(), Some("Iranian media"));
    }

    #[test]
    fn title_and_name_after_the_quote() {
        let body = "Norveld Foods, the Nordic maker of crispbread, beat forecasts. \
                    \"We will grow,\" chief executive Mari Holm said. \
                    \"The easing cycle will be shallow,\" Nordhavn chief strategist Lars Eiden said. \
                    \"Strip out the property sale,\" wrote Brenner analyst Paul Haugen. \
                    Analysts at Brenner & Co disagreed.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "We will grow").as_deref(), Some("Mari Holm"));
        assert_eq!(speaker_of(&qs, "easing cycle").as_deref(), Some("Lars Eiden"));
        assert_eq!(speaker_of(&qs, "Strip out").as_deref(), Some("Paul Haugen"));
        let qs = extract(
            "Dock workers walked out on Saturday. \"We asked for a fair night rate,\" union leader Hanna Korhonen said. \"No,\" and then Tove Berg said nothing more.",
        );
        assert_eq!(speaker_of(&qs, "fair night rate").as_deref(), Some("Hanna Korhonen"));
        assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("Tove Berg")), "'and then' is no title: {qs:?}");
        let sents = sentences::split(body);
        let ents = entities::analyse(body, &sents, 0);
        assert!(ents.orgs.iter().all(|o| o.name != "Nordic"), "{:?}", ents.orgs);
        assert!(ents.orgs.iter().any(|o| o.name == "Brenner & Co"), "{:?}", ents.orgs);
    }

    #[test]
    fn sources_that_do_not_speak_and_postposed_reports() {
        let body = "Analysts had expected 388 million euros, according to a consensus compiled by the company. \
                    Sales volumes stabilised in March, Mari Holm told analysts on a conference call. \
                    Crews have contained half of the fire, the state's fire commissioner said on Friday, but residents must wait. \
                    The operator had ignored three radio warnings before the accident, a jury was told on Monday.";
        let qs = extract(body);
        assert!(qs.iter().all(|q| !q.text.contains("388 million")), "{qs:#?}");
        assert_eq!(speaker_of(&qs, "Sales volumes stabilised").as_deref(), Some("Mari Holm"));
        assert_eq!(find(&qs, "Crews have contained").text, "Crews have contained half of the fire");
        let q = find(&qs, "ignored three radio warnings");
        assert_eq!((q.speaker.as_deref(), q.kind), (None, QuoteKind::Indirect));
    }

    #[test]
    fn coordinated_report_after_a_report_inside_the_clause() {
        let body =
            "Sunniva Ramberg said she hoped the results would encourage councils, but stressed that later starts were \"not a magic cure\" for poor sleep.";
        let qs = extract(body);
        assert_eq!(find(&qs, "not a magic cure").text, "later starts were \"not a magic cure\" for poor sleep");
        assert_eq!(find(&qs, "she hoped").text, "she hoped the results would encourage councils");
    }

    #[test]
    fn post_nominals_demonym_roles_and_roles_beside_titles() {
        let body = "Opening the case, Philippa Dane KC told the jury that Oakes had been in a hurry. \
                    Castlebrook coach Rui Tavares was furious. The Portuguese coach complained that the ball had gone out. \
                    The court heard from a forensic engineer, Dr Kamal Iqbal, who examined the crane. \
                    Under cross-examination, the engineer accepted that the sensor had recorded faults.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "Oakes had been in a hurry").as_deref(), Some("Philippa Dane"));
        assert_eq!(speaker_of(&qs, "the ball had gone out").as_deref(), Some("Rui Tavares"));
        assert_eq!(speaker_of(&qs, "the sensor had recorded faults").as_deref(), Some("Kamal Iqbal"));
    }

    #[test]
    fn attributions_without_a_speech_verb_cue_or_with_one_word() {
        let body = "The Speaker, Dame Harriet Ross, intervened: ‘Order. The minister is not giving way.’ \
                    Ms Thorne refused, prompting cries of ‘Shame!’ from the opposition side. \
                    \"Will people be home by the weekend?\" one reporter asked. \
                    \"No,\" Dana Whitlock said. \"Not this weekend, and I am sorry for that.\"";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "Order.").as_deref(), Some("Harriet Ross"));
        let shame = find(&qs, "Shame!");
        assert_eq!((shame.speaker.as_deref(), shame.kind), (None, QuoteKind::Direct));
        assert_eq!(find(&qs, "\"No,\"").speaker.as_deref(), Some("Dana Whitlock"));
        assert_eq!(speaker_of(&qs, "Not this weekend").as_deref(), Some("Dana Whitlock"));
    }

    #[test]
    fn parenthetical_attribution_and_first_person_turns() {
        let body = "Rhys Penhale spoke for the defence. A work order raised in April, he said, had been marked \"non-urgent\" and never completed.\n\n\
                    WHITLOCK: I'd say I understand the frustration, and there will be a review.";
        let qs = extract(body);
        let q = find(&qs, "A work order");
        assert_eq!((q.speaker.as_deref(), q.kind), (Some("Rhys Penhale"), QuoteKind::Mixed));
        assert!(q.text.ends_with("never completed"), "{q:?}");
        assert!(qs.iter().all(|q| !q.text.contains("understand the frustration")), "{qs:#?}");
    }

    #[test]
    fn organisations_speak_through_staff_and_relative_clauses() {
        let body = "The Bank of Velmark held rates. Economists at Sandvik Markets said in a note that the bank was too slow. \
                    The bank, which describes its approach as \"data-dependent, not date-dependent\", will meet again in April. \
                    Norveld Foods beat forecasts. Koopmart declined to comment. Shares in Norveld rose. \
                    The range had exceeded its target, the company said.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "the bank was too slow").as_deref(), Some("Sandvik Markets"));
        assert_eq!(speaker_of(&qs, "data-dependent").as_deref(), Some("Bank of Velmark"));
        assert_eq!(speaker_of(&qs, "exceeded its target").as_deref(), Some("Norveld Foods"));
    }

    #[test]
    fn multi_paragraph_quote() {
        let body = "Dr. Ana Ruiz said: “The first part ends here.\n\n“The second part closes it.” Then nothing.";
        let qs = extract(body);
        let q = find(&qs, "first part");
        assert!(q.text.contains("second part"), "{q:?}");
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
    }
}

#[cfg(test)]
mod speed {
    /// `cargo test --release --lib quotes::speed -- --ignored --nocapture`: extraction speed
    /// over the evaluation articles, each extracted on its own.
    #[test]
    #[ignore]
    fn throughput() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/quote_eval/texts");
        let texts: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
        let total: usize = texts.iter().map(String::len).sum::<usize>() * 40;
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..40 {
            for text in &texts {
                n += super::extract(text).len();
            }
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!("{:.1} MB/s ({n} quotes)", total as f64 / 1e6 / secs);
        // One long document: nothing may grow quadratically with its length.
        let long: String = texts.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("\n\n").repeat(20);
        let t = std::time::Instant::now();
        let n = super::extract(&long).len();
        eprintln!("long document: {:.1} MB/s ({n} quotes)", long.len() as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
}
