//! Quotes and who said them, rule-based.
//!
//! Direct quotes are found from quotation marks (straight, curly, and single quotes used as
//! quote marks), joined across an attribution that splits them and across paragraphs that
//! reopen them. Indirect quotes are reported clauses after a speech verb ("X said that ..."),
//! around "according to X", or before ", X said". The speaker is the nearest subject of the
//! speech verb, resolved through the document's entities: a name, a pronoun (the latest
//! fitting person), a role noun ("the Iranian leader"), or an organisation. A speaker that
//! cannot be resolved stays `None` with its mention kept: never a guess.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::entities::{self, DocEntities, EntityKind, Gender};
use super::gazetteer;
use super::sentences;
use super::text::{Word, words};

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
    let sents = sentences::split(body);
    let ents = entities::analyse(body, &sents, 0);
    extract_with(body, &sents, &ents, 0)
}

/// Extract with sentences and entities already computed; text before `skip_before` (a
/// headline) is ignored.
pub fn extract_with(body: &str, sents: &[Range<usize>], ents: &DocEntities, skip_before: usize) -> Vec<Quote> {
    let mut ctx = Ctx { body, sents, ents, last_speaker: None, out: Vec::new() };
    let spans = quote_mark_spans(body, skip_before);
    let groups = group_split_quotes(body, &spans);
    // Walk sentences in order so pronouns see the speakers before them.
    let mut gi = 0;
    for (si, range) in sents.iter().enumerate() {
        if range.start < skip_before {
            continue;
        }
        let mut in_sentence = Vec::new();
        while gi < groups.len() && groups[gi].start() < range.end {
            if groups[gi].start() >= range.start {
                in_sentence.push(gi);
            }
            gi += 1;
        }
        if in_sentence.is_empty() {
            ctx.indirect(si);
        } else {
            for g in in_sentence {
                ctx.direct(si, &groups[g]);
            }
        }
    }
    let mut out = ctx.out;
    out.sort_by_key(|q| q.0.start);
    out.dedup_by(|b, a| b.0.start < a.0.end);
    to_public(body, out)
}

fn to_public(body: &str, raw: Vec<(Range<usize>, RawQuote)>) -> Vec<Quote> {
    let mut chars_before = 0;
    let mut at = 0;
    raw.into_iter()
        .map(|(range, q)| {
            chars_before += body[at..range.start].chars().count();
            at = range.start;
            let start = chars_before;
            let end = start + body[range.clone()].chars().count();
            Quote { start, end, text: q.text, speaker: q.speaker, speaker_mention: q.mention, cue: q.cue, kind: q.kind }
        })
        .collect()
}

struct RawQuote {
    text: String,
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
    let chars: Vec<(usize, char)> = body[skip_before..].char_indices().map(|(i, c)| (i + skip_before, c)).collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|x| x.1);
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
                    let mut j = k + 1;
                    while j < chars.len() && chars[j].1.is_whitespace() {
                        j += 1;
                    }
                    let reopens = chars.get(j).is_some_and(|&(_, d)| d == mark || (mark == '“' && d == '"') || (mark == '"' && d == '“'));
                    if reopens {
                        k = j + 1;
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
        k += 1;
    }
    if let Some((start, mark)) = open {
        if !matches!(mark, '‘' | '\'') {
            out.push(start..body.len());
        }
    }
    // Single-quoted spans must look like speech, not like a word with apostrophes.
    out.retain(|r| {
        let s = &body[r.clone()];
        !(s.starts_with(['\'', '‘']) && words(s).len() < 2)
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
            let ws = words(between);
            let first_inner = body[last.segments.last().expect("non-empty").clone()].trim_end_matches(['”', '"', '’', '\'', '»']);
            let ends_open = first_inner.ends_with([',', '—', '-', '…']) || first_inner.ends_with("...");
            let short = !ws.is_empty() && ws.len() <= 9 && !between.contains('\n') && !between.contains(['.', '?', '!']) || (between.trim() == "." && false);
            let has_cue = ws.iter().any(|w| gazetteer::is_speech_verb(&w.text.to_lowercase()));
            if ends_open && short && has_cue && last.interrupt.is_none() {
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
}

struct Ctx<'a> {
    body: &'a str,
    sents: &'a [Range<usize>],
    ents: &'a DocEntities,
    /// (speaker, sentence index) of the latest attributed quote.
    last_speaker: Option<(String, usize)>,
    out: Vec<(Range<usize>, RawQuote)>,
}

const ADVERBS: &[&str] = &[
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
    "would",
    "will",
    "reportedly",
    "recently",
    "once",
    "has",
    "had",
    "publicly",
    "openly",
    "firmly",
    "quickly",
    "simply",
    "flatly",
    "bluntly",
    "angrily",
    "calmly",
    "told",
    "himself",
    "herself",
    "themselves",
    "itself",
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
    "who",
    "which",
    "has",
    "been",
    "had",
    "did",
    "does",
    "do",
    "may",
    "might",
    "could",
    "should",
    "can",
    "shall",
];

/// Nouns for groups and outlets that speak without a name ("officials said").
const GROUP_NOUNS: &[&str] = &[
    "officials",
    "official",
    "sources",
    "source",
    "analysts",
    "experts",
    "media",
    "observers",
    "critics",
    "residents",
    "witnesses",
    "police",
    "reports",
    "report",
    "government",
    "ministry",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "statement",
    "agency",
    "television",
    "outlets",
    "newspaper",
    "daily",
    "website",
    "broadcaster",
    "campaigners",
    "activists",
    "protesters",
    "lawmakers",
    "diplomats",
    "investigators",
    "prosecutors",
    "researchers",
    "scientists",
    "economists",
    "authorities",
    "company",
    "firm",
    "club",
    "team",
    "council",
    "union",
    "group",
    "organisers",
    "organizers",
    "doctors",
    "parents",
    "teachers",
    "students",
    "workers",
    "farmers",
    "fans",
    "locals",
    "insiders",
    "aides",
];

const PRONOUNS_MALE: &[&str] = &["he", "He"];
const PRONOUNS_FEMALE: &[&str] = &["she", "She"];

/// Verbs that take a quoted phrase as a complement: "described X as “...”".
const PHRASE_VERBS: &[&str] = &[
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
];

/// Verbs that end a sentence of reported speech: "..., officials said."
const POSTPOSED_VERBS: &[&str] = &[
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
];

/// Clause-taking verbs for indirect speech without "that" ("She said the talks ...").
const BARE_CLAUSE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "warned",
    "warns",
    "argued",
    "argues",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "believes",
    "believed",
    "thinks",
    "noted",
    "notes",
    "stressed",
    "explained",
    "told",
    "tells",
    "stated",
    "states",
    "predicted",
    "conceded",
];

impl Ctx<'_> {
    fn sentence_text(&self, si: usize) -> &str {
        &self.body[self.sents[si].clone()]
    }

    /// Attribute a quotation-mark group found in sentence `si`.
    fn direct(&mut self, si: usize, group: &QuoteGroup) {
        let body = self.body;
        let sent = self.sents[si].clone();
        let q_start = group.start();
        let q_end = group.end();
        let inner_words = group.segments.iter().map(|s| words(&body[s.clone()]).len()).sum::<usize>();
        let quote_text: String = group.segments.iter().map(|s| &body[s.clone()]).collect::<Vec<_>>().join(" … ");
        // 1. Attribution inside a split quote.
        let mut found: Option<(Subject, String)> = group.interrupt.clone().and_then(|r| self.attribution_after(r.start, sent.end.max(r.end), true));
        // 2. Attribution right after the quote: `“...,” he said.` / `“...,” said Ortega.`
        if found.is_none() {
            found = self.attribution_after(q_end, sent.end.max(q_end), false);
        }
        // 3. Attribution before: `X said: “...”`, `X described it as “...”`, `..., stating, “...”`.
        let mut phrase_cue_near = false;
        let mut clause_start = None;
        if found.is_none() {
            if let Some((subj, cue, cue_end)) = self.attribution_before(sent.start, q_start) {
                let gap = &body[cue_end..q_start];
                let gap_words = words(gap);
                let lower_cue = cue.to_lowercase();
                phrase_cue_near = PHRASE_VERBS.contains(&lower_cue.as_str()) && gap_words.len() <= 8;
                // A "that" clause with words before the quote mark is mixed speech.
                if let Some(that) = gap_words.iter().find(|w| w.text == "that") {
                    let after_that = cue_end + that.end;
                    let after_that = after_that + (body[after_that..q_start].len() - body[after_that..q_start].trim_start().len());
                    if words(&body[after_that..q_start]).len() >= 2 {
                        clause_start = Some(after_that);
                    }
                }
                let close_enough = gap_words.len() <= 12 || gap.trim_end().ends_with([':', ',']);
                if close_enough || inner_words >= 6 {
                    found = Some((subj, cue));
                }
            }
        }
        // Short phrases with no speech verb nearby are scare quotes, names or titles.
        let is_phrase = inner_words <= 5 && group.segments.len() == 1;
        if is_phrase && found.is_none() {
            return;
        }
        if is_phrase && found.is_some() && !phrase_cue_near && clause_start.is_none() {
            // A phrase under a verb like "said" is fine only if it reads like speech: not a
            // capitalised name or a title in quotes.
            let inner = body[group.segments[0].clone()].trim_matches(|c: char| !c.is_alphanumeric());
            let capitalised_words = words(inner).iter().filter(|w| w.is_capitalised()).count();
            if capitalised_words == words(inner).len() {
                return;
            }
        }
        // 4. A quote standing alone continues the previous speaker's words.
        let (subject, cue) = match found {
            Some((s, c)) => (Some(s), Some(c)),
            None => {
                let prev = self.last_speaker.clone().filter(|(_, at)| si <= at + 2);
                match prev {
                    Some((speaker, _)) if inner_words >= 4 => (Some(Subject { mention: speaker.clone(), speaker: Some(speaker) }), None),
                    _ if inner_words >= 8 => (None, None),
                    _ => return,
                }
            }
        };
        let speaker = subject.as_ref().and_then(|s| s.speaker.clone());
        if let Some(sp) = &speaker {
            self.last_speaker = Some((sp.clone(), si));
        }
        let (range, text, kind) = match clause_start {
            Some(cs) => {
                let end = clause_end(body, q_end, sent.end);
                (cs..end, body[cs..end].to_string(), QuoteKind::Mixed)
            }
            None => (q_start..q_end, quote_text, QuoteKind::Direct),
        };
        self.out.push((range, RawQuote { text, speaker, mention: subject.map(|s| s.mention), cue, kind }));
    }

    /// `, he said` / `, said the minister` / `, Pezeshkian said,` right after a quote.
    fn attribution_after(&self, from: usize, limit: usize, inside_split: bool) -> Option<(Subject, String)> {
        let text = &self.body[from..limit.min(self.body.len())];
        let trimmed = text.trim_start_matches([',', ' ', '\u{a0}']);
        if trimmed.is_empty() {
            return None;
        }
        let offset = from + (text.len() - trimmed.len());
        let ws = words(trimmed);
        let window = ws.len().min(if inside_split { 9 } else { 7 });
        let cue_at = ws[..window].iter().position(|w| gazetteer::is_speech_verb(&w.text.to_lowercase()))?;
        // Nothing but the subject (and adverbs) may stand before the verb.
        let cue = ws[cue_at];
        if trimmed[..cue.start].contains(['.', ';', '!', '?']) {
            return None;
        }
        if cue_at == 0 {
            // Inverted: "said Ortega", "said the minister".
            let after = &trimmed[cue.end..];
            let subj = self.subject_at_start(offset + cue.end, after)?;
            return Some((subj, cue.text.to_string()));
        }
        let subj_text_end = offset + ws[..cue_at].iter().rev().find(|w| !ADVERBS.contains(&w.text.to_lowercase().as_str())).map(|w| w.end)?;
        let subj = self.subject_ending_at(offset, subj_text_end)?;
        Some((subj, cue.text.to_string()))
    }

    /// The nearest speech verb before the quote in its sentence and its subject; returns
    /// the subject, the verb and the byte where the verb ends.
    fn attribution_before(&self, sent_start: usize, q_start: usize) -> Option<(Subject, String, usize)> {
        let text = &self.body[sent_start..q_start];
        let ws = words(text);
        // "According to X, “...”"
        if let Some(k) = ws.iter().position(|w| w.text.eq_ignore_ascii_case("according")) {
            if ws.get(k + 1).is_some_and(|w| w.text == "to") {
                let after = ws[k + 1].end;
                if let Some(subj) = self.subject_at_start(sent_start + after, &text[after..]) {
                    return Some((subj, "according to".to_string(), sent_start + after));
                }
            }
        }
        for (k, w) in ws.iter().enumerate().rev() {
            let lower = w.text.to_lowercase();
            if !gazetteer::is_speech_verb(&lower) {
                continue;
            }
            let cue_end = sent_start + w.end;
            // Participles after a comma ("..., stating, “...”") take the clause's subject.
            if lower.ends_with("ing") && text[..w.start].trim_end().ends_with(',') {
                if let Some(subj) = self.clause_subject(sent_start, sent_start + w.start) {
                    return Some((subj, w.text.to_string(), cue_end));
                }
                continue;
            }
            let subj_end = ws[..k].iter().rev().find(|x| !ADVERBS.contains(&x.text.to_lowercase().as_str()));
            if let Some(end_word) = subj_end {
                // The subject must be right before the verb (adverbs aside), not in another clause.
                if let Some(subj) = self.subject_ending_at(sent_start, sent_start + end_word.end) {
                    return Some((subj, w.text.to_string(), cue_end));
                }
            }
            // "told reporters", "said in a statement": the verb may still be inverted.
            let after = &text[w.end..];
            if let Some(subj) = self.subject_at_start(sent_start + w.end, after).filter(|s| s.speaker.is_some()) {
                return Some((subj, w.text.to_string(), cue_end));
            }
        }
        None
    }

    /// The subject of the clause that starts the sentence: its first name, pronoun or role
    /// phrase before `limit`.
    fn clause_subject(&self, sent_start: usize, limit: usize) -> Option<Subject> {
        let text = &self.body[sent_start..limit];
        let ws = words(text);
        // People first (a place named on the way, "Before departing Tehran", is no speaker),
        // then other resolved speakers, then whatever phrase was found.
        let mut resolved = None;
        let mut unresolved = None;
        for w in ws.iter().take(12) {
            let abs_end = sent_start + w.end;
            if let Some(s) = self.subject_ending_at(sent_start, abs_end) {
                match &s.speaker {
                    Some(name) if self.ents.person_named(name).is_some() => return Some(s),
                    Some(_) => {
                        resolved.get_or_insert(s);
                    }
                    None => {
                        unresolved.get_or_insert(s);
                    }
                }
            }
        }
        resolved.or(unresolved)
    }

    /// Resolve a subject phrase that ends at byte `end` (e.g. "... Pezeshkian" / "... he" /
    /// "the Iranian leader").
    fn subject_ending_at(&self, floor: usize, end: usize) -> Option<Subject> {
        let ents = self.ents;
        // A name mention ending here.
        if let Some(m) = ents.mentions.iter().find(|m| {
            m.start >= floor && m.end <= end && (m.end == end || self.body[m.end..end].trim_start_matches(['’', '\'']).trim_start_matches('s').is_empty())
        }) {
            return Some(match (m.kind, m.person) {
                (EntityKind::Person, Some(p)) => Subject { mention: m.name.clone(), speaker: Some(ents.persons[p].name.clone()) },
                (EntityKind::Place, _) if !gazetteer::is_country(&m.name) && !gazetteer::is_known_place(&m.name) => {
                    Subject { mention: m.name.clone(), speaker: None }
                }
                _ => Subject { mention: m.name.clone(), speaker: Some(m.name.clone()) },
            });
        }
        let before = &self.body[floor..end];
        let ws = words(before);
        let last = *ws.last()?;
        let lower = last.text.to_lowercase();
        // Pronouns.
        if PRONOUNS_MALE.contains(&last.text) || PRONOUNS_FEMALE.contains(&last.text) {
            let female = lower == "she";
            return Some(Subject { mention: last.text.to_string(), speaker: self.pronoun_referent(floor + last.start, female) });
        }
        if matches!(lower.as_str(), "they" | "it" | "we" | "i" | "you" | "who" | "which" | "that") {
            return None.or(Some(Subject { mention: last.text.to_string(), speaker: None })).filter(|_| matches!(lower.as_str(), "they" | "we"));
        }
        // Role phrases: "the Iranian leader", "the minister", "Iran's president", "state media".
        if last.is_capitalised() && !gazetteer::is_title_word(&lower) {
            return None;
        }
        let head = lower.trim_end_matches("’s").trim_end_matches("'s").to_string();
        let mut np_start = ws.len() - 1;
        while np_start > 0 {
            let w = ws[np_start - 1];
            let wl = w.text.to_lowercase();
            let joined = gap_plain(before, w.end, ws[np_start].start);
            if !joined || matches!(wl.as_str(), "and" | "or" | "but" | "said" | "that") || gazetteer::is_speech_verb(&wl) {
                break;
            }
            np_start -= 1;
            if matches!(wl.as_str(), "the" | "a" | "an" | "his" | "her" | "their" | "its") {
                break;
            }
            if ws.len() - np_start > 5 {
                break;
            }
        }
        let phrase_words = &ws[np_start..];
        let first = phrase_words[0].text.to_lowercase();
        // Only people-like heads make a subject: "the minister", "state media", "officials".
        if !gazetteer::is_title_word(&head) && !GROUP_NOUNS.contains(&head.as_str()) {
            return None;
        }
        let mention = before[phrase_words[0].start..last.end].to_string();
        if phrase_words.len() > 6 {
            return None;
        }
        let country = phrase_words.iter().find_map(|w| {
            let t = w.text.trim_end_matches("’s").trim_end_matches("'s");
            gazetteer::country_of_demonym(t).or_else(|| gazetteer::COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(t)).map(|(c, _)| *c))
        });
        let speaker = if gazetteer::is_title_word(&head) && !matches!(first.as_str(), "a" | "an") {
            ents.resolve_role(country, &head, floor + phrase_words[0].start).map(|p| ents.persons[p].name.clone())
        } else {
            None
        };
        Some(Subject { mention, speaker })
    }

    /// A subject at the start of `text` (after an inverted verb or "according to").
    fn subject_at_start(&self, abs_start: usize, text: &str) -> Option<Subject> {
        let trimmed = text.trim_start();
        let lead = text.len() - trimmed.len();
        let abs = abs_start + lead;
        let possessive = |m: &entities::NameMention| self.body[m.end..].starts_with("’s") || self.body[m.end..].starts_with("'s");
        if let Some(m) = self.ents.mentions.iter().filter(|m| !possessive(m)).find(|m| {
            m.phrase_start == abs
                || m.start == abs
                || (m.phrase_start >= abs
                    && self.body[abs..m.phrase_start]
                        .split_whitespace()
                        .all(|w| matches!(w.to_lowercase().as_str(), "the" | "mr" | "mr." | "ms" | "ms." | "mrs" | "mrs." | "dr" | "dr.")))
        }) {
            return Some(match m.person {
                Some(p) => Subject { mention: m.name.clone(), speaker: Some(self.ents.persons[p].name.clone()) },
                None => Subject { mention: m.name.clone(), speaker: (m.kind != EntityKind::Other).then(|| m.name.clone()) },
            });
        }
        let ws = words(trimmed);
        let first = ws.first()?;
        if PRONOUNS_MALE.contains(&first.text) || PRONOUNS_FEMALE.contains(&first.text) {
            return Some(Subject { mention: first.text.to_string(), speaker: self.pronoun_referent(abs, first.text.eq_ignore_ascii_case("she")) });
        }
        // "the minister", "the Iranian president’s political advisor" up to a comma.
        let end = trimmed.find([',', '.', ';', '“', '"']).unwrap_or(trimmed.len());
        let phrase_ws = words(&trimmed[..end]);
        if phrase_ws.is_empty() || phrase_ws.len() > 6 {
            return None;
        }
        let last = phrase_ws.last()?;
        self.subject_ending_at(abs, abs + last.end)
    }

    /// The person "he"/"she" at `position` refers to: the latest speaker if recent and of
    /// the right gender, else the latest person of the right gender mentioned before.
    fn pronoun_referent(&self, position: usize, female: bool) -> Option<String> {
        let want = if female { Gender::Female } else { Gender::Male };
        let fits = |p: usize| self.ents.persons[p].gender.is_none_or(|g| g == want);
        let si = self.sents.iter().position(|r| r.contains(&position) || r.start > position).unwrap_or(self.sents.len());
        if let Some((speaker, at)) = &self.last_speaker {
            if si <= at + 3 {
                if let Some(p) = self.ents.person_named(speaker) {
                    if fits(p) {
                        // A different fitting person named since the quote takes over.
                        let since = self
                            .ents
                            .mentions
                            .iter()
                            .filter(|m| m.start < position && m.sentence > *at)
                            .filter_map(|m| m.person)
                            .filter(|&q| q != p && fits(q))
                            .last();
                        return Some(self.ents.persons[since.unwrap_or(p)].name.clone());
                    }
                }
            }
        }
        // Latest fitting person, preferring subjects (first person named in a sentence).
        let window_start = si.saturating_sub(3);
        let candidates: Vec<&entities::NameMention> =
            self.ents.mentions.iter().filter(|m| m.start < position && m.sentence >= window_start && m.person.is_some_and(fits)).collect();
        let last = candidates.last()?;
        let same_sentence_subject = candidates.iter().filter(|m| m.sentence == last.sentence).find(|m| m.person.is_some());
        let chosen = same_sentence_subject.unwrap_or(last);
        chosen.person.map(|p| self.ents.persons[p].name.clone())
    }

    /// Reported speech in a sentence without quotation marks.
    fn indirect(&mut self, si: usize) {
        let text = self.sentence_text(si);
        let base = self.sents[si].start;
        let ws = words(text);
        if ws.len() < 5 || !text.trim_end().ends_with(['.', '!', '?', '"', '”']) {
            return;
        }
        // "According to X, clause" / "clause, according to X."
        if let Some(k) = ws.iter().position(|w| w.text.eq_ignore_ascii_case("according")) {
            if ws.get(k + 1).is_some_and(|w| w.text == "to") {
                let subject_from = ws[k + 1].end;
                let rest = &text[subject_from..];
                if let Some(subj) = self.subject_at_start(base + subject_from, rest) {
                    let clause = if k == 0 {
                        // Skip the subject and an apposition: up to the comma that ends them.
                        let mut pos = subject_from;
                        let mut commas = 0;
                        let bytes: Vec<(usize, char)> = text[subject_from..].char_indices().collect();
                        for (off, c) in bytes {
                            if c == ',' {
                                commas += 1;
                                pos = subject_from + off + 1;
                                let after = text[pos..].trim_start();
                                let appos = after.split(',').next().is_some_and(|p| words(p).len() <= 8 && entities_appositive_like(p));
                                if !(commas == 1 && appos) {
                                    break;
                                }
                            }
                        }
                        (pos < text.len()).then(|| (pos, clause_end(self.body, base + pos, base + text.len()) - base))
                    } else {
                        let comma = text[..ws[k].start].rfind(',');
                        comma.map(|c| (0, c))
                    };
                    if let Some((a, b)) = clause {
                        self.push_indirect(si, base + a, base + b, subj, "according to".to_string());
                    }
                    return;
                }
            }
        }
        for (k, w) in ws.iter().enumerate() {
            let lower = w.text.to_lowercase();
            if !gazetteer::is_speech_verb(&lower) || PHRASE_VERBS.contains(&lower.as_str()) {
                continue;
            }
            // Postposed: "clause, X said." / "clause, said X."
            let tail = &text[w.end..];
            let tail_words = words(tail);
            let at_end = tail_words.len() <= 4 && tail.trim_end().ends_with('.') && !tail.contains(',');
            let comma_before = text[..w.start].rfind(',');
            if at_end && POSTPOSED_VERBS.contains(&lower.as_str()) {
                if let Some(c) = comma_before.filter(|&c| words(&text[c + 1..w.start]).len() <= 6) {
                    let between = &text[c + 1..w.start];
                    let subj = if words(between).is_empty() {
                        self.subject_at_start(base + w.end, tail)
                    } else {
                        self.subject_ending_at(base + c + 1, base + c + 1 + between.trim_end().len())
                    };
                    if let Some(subj) = subj {
                        if words(&text[..c]).len() >= 4 && k > 0 {
                            self.push_indirect(si, base, base + c, subj, w.text.to_string());
                            return;
                        }
                    }
                }
            }
            // "X said (that) clause", "X told reporters that clause".
            let subj = if lower.ends_with("ing") && text[..w.start].trim_end().ends_with(',') {
                self.clause_subject(base, base + w.start)
            } else {
                let end_word = ws[..k].iter().rev().find(|x| !ADVERBS.contains(&x.text.to_lowercase().as_str()));
                end_word.and_then(|e| self.subject_ending_at(base, base + e.end))
            };
            let Some(subj) = subj else { continue };
            if subj.mention.eq_ignore_ascii_case("it") {
                continue;
            }
            let after = &ws[k + 1..];
            let that = after.iter().take(8).position(|x| x.text == "that");
            let clause_start = match that {
                Some(t) if !text[w.end..after[t].start].contains(['.', ';']) => Some(after[t].end),
                _ => {
                    let bare_ok = BARE_CLAUSE_VERBS.contains(&lower.as_str());
                    let next = after.first();
                    let starts_clause = next.is_some_and(|n| {
                        let nl = n.text.to_lowercase();
                        matches!(
                            nl.as_str(),
                            "the"
                                | "a"
                                | "an"
                                | "this"
                                | "these"
                                | "those"
                                | "it"
                                | "he"
                                | "she"
                                | "they"
                                | "we"
                                | "i"
                                | "there"
                                | "his"
                                | "her"
                                | "their"
                                | "its"
                                | "our"
                                | "iran"
                                | "no"
                        ) || (n.is_capitalised() && !matches!(nl.as_str(), "on" | "in" | "at"))
                    });
                    let directly = next.is_some_and(|n| gap_plain(text, w.end, n.start));
                    if bare_ok && starts_clause && directly && lower != "told" { next.map(|n| n.start) } else { None }
                }
            };
            let Some(cs) = clause_start else { continue };
            let cs = cs + text[cs..].len() - text[cs..].trim_start().len();
            let end = clause_end(self.body, base + cs, base + text.len()) - base;
            if end > cs && words(&text[cs..end]).len() >= 4 {
                self.push_indirect(si, base + cs, base + end, subj, w.text.to_string());
                return;
            }
        }
    }

    fn push_indirect(&mut self, si: usize, start: usize, end: usize, subj: Subject, cue: String) {
        let text = self.body[start..end].trim();
        if text.is_empty() {
            return;
        }
        let start = start + (self.body[start..end].len() - self.body[start..end].trim_start().len());
        let end = start + text.len();
        let kind = if text.contains(['“', '"', '”']) { QuoteKind::Mixed } else { QuoteKind::Indirect };
        if let Some(s) = &subj.speaker {
            self.last_speaker = Some((s.clone(), si));
        }
        self.out.push((start..end, RawQuote { text: text.to_string(), speaker: subj.speaker, mention: Some(subj.mention), cue: Some(cue), kind }));
    }
}

fn entities_appositive_like(p: &str) -> bool {
    let ws = words(p);
    let first = ws.first().map(|w| w.text.to_lowercase()).unwrap_or_default();
    matches!(first.as_str(), "the" | "a" | "an" | "his" | "her")
        || ws.iter().any(|w| gazetteer::is_title_word(&w.text.to_lowercase().trim_end_matches("’s").to_string()))
}

fn gap_plain(text: &str, a: usize, b: usize) -> bool {
    a <= b && text[a..b].chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// Where a reported clause ends: before the sentence's final punctuation.
fn clause_end(body: &str, from: usize, sent_end: usize) -> usize {
    let s = &body[from..sent_end];
    let trimmed = s.trim_end().trim_end_matches(['.', '!', '?']);
    // Keep a closing quote mark that belongs to the quote.
    from + trimmed.len()
}

#[allow(dead_code)]
fn word_index_at(ws: &[Word], byte: usize) -> Option<usize> {
    ws.iter().position(|w| w.start <= byte && byte < w.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(qs: &'a [Quote], needle: &str) -> &'a Quote {
        qs.iter().find(|q| q.text.contains(needle)).unwrap_or_else(|| panic!("no quote containing {needle:?} in {qs:#?}"))
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
    fn multi_paragraph_quote() {
        let body = "Dr. Ana Ruiz said: “The first part ends here.\n\n“The second part closes it.” Then nothing.";
        let qs = extract(body);
        let q = find(&qs, "first part");
        assert!(q.text.contains("second part"), "{q:?}");
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
    }
}
