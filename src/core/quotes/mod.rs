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
//!
//! The stages, one module each, in the order the text goes through them:
//! 1. [`spans`]: quotation marks paired into segments; segments split by a short
//!    attribution joined into a group.
//! 2. [`cues`]: per sentence, the speech verbs outside quotation marks, each with its
//!    subject and complement (`find_cues`), and the reading of the sentence (`sentence`).
//! 3. [`clauses`]: what follows a verb (a quotation, a reported clause) and its extent.
//! 4. [`subject`]: the noun phrase a verb's subject is, read into a `Subject` (its mention);
//!    [`apposition`]: of a name and a description set off by commas, which one speaks;
//!    [`inverted`]: a subject after its verb (`said Ann Lee`).
//! 5. [`speaker`]: mentions that are not full names resolved to an entity (organisation
//!    nouns, spokespeople, role nouns, pronouns), in precision order.
//! 6. [`attribute`]: which cue a quotation belongs to; floating quotes.
//! 7. [`headline`]: reports in the headline, whose subject the body names.
//!
//! `vocab` holds the word lists only these stages use (closed classes are in
//! `lang::lexicon`). A new rule goes in the stage whose job it extends.

use std::ops::Range;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::entities::{self, DocEntities, EntityKind, Gender};
use super::gazetteer::{self, WordSet};
use super::lang::lexicon::{AUXILIARIES, DETERMINERS, FINITE, PREPOSITIONS, PRONOUNS, SUBJECT_PRONOUNS};
use super::lang::{coref, names};
use super::sentences;
use super::text::{Lower, Word, word_iter, words};

mod apposition;
mod attribute;
mod clauses;
mod cues;
mod headline;
mod inverted;
mod spans;
mod speaker;
mod subject;
mod vocab;

use spans::*;
use vocab::*;

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
    /// The speaker's name (the fullest form in the document), or the group that speaks for
    /// a named person ("Ann Lee’s campaign"); `None` when unresolved.
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
    if skip_before > 0 {
        out.extend(headline::quotes(body, skip_before, ents));
    }
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

#[derive(Clone)]
struct RawQuote {
    speaker: Option<String>,
    mention: Option<String>,
    cue: Option<String>,
    kind: QuoteKind,
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
type Ref = coref::Antecedent;

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
    /// The quotation attributed just before in the same sentence: (where it ends, its
    /// speaker and mention), for a second one the narration joins to it.
    sentence_quote: Option<(usize, Option<String>, Option<String>)>,
    /// The sentence that is a dialogue tag of the latest quotation (`“...?” Ossig pressed.`):
    /// a quotation standing alone after it continues that one.
    tag_sentence: Option<usize>,
    /// The latest attribution to an unnamed person ("one resident said"): (byte, sentence).
    last_unnamed: Option<(usize, usize)>,
    /// The latest "a spokesman for X": (who it stood for, sentence).
    last_spokes: Option<(Option<String>, usize)>,
    /// Role nouns resolved from context ("the striker" → the player the story is about).
    role_links: Vec<(String, usize)>,
    out: Vec<(Range<usize>, RawQuote)>,
    /// Where the mixed quote of the phrase just attributed starts, when it starts before
    /// the quotation (set by `attribute_group`, taken by `sentence`).
    phrase_lead: Option<usize>,
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
            sentence_quote: None,
            tag_sentence: None,
            last_spokes: None,
            phrase_lead: None,
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
    pub(super) fn in_group(&self, pos: usize) -> bool {
        let i = self.groups.partition_point(|g| g.end() <= pos);
        self.groups.get(i).is_some_and(|g| g.segments.iter().any(|s| s.start <= pos && pos < s.end))
    }

    pub(super) fn group_starting_at(&self, pos: usize) -> Option<usize> {
        let i = self.groups.partition_point(|g| g.start() < pos);
        (i < self.groups.len() && self.groups[i].start() == pos).then_some(i)
    }

    pub(super) fn sentence_of(&self, pos: usize) -> usize {
        self.sents.partition_point(|r| r.end <= pos).min(self.sents.len().saturating_sub(1))
    }

    /// A name that reads as a clause's subject: at the sentence start, after an opening
    /// phrase and a comma, or after "and"/"but"/"when", and followed by a verb or apposition.
    pub(super) fn subject_like(&self, m: &entities::NameMention) -> bool {
        let Some(range) = self.sents.get(m.sentence) else { return false };
        let before = &self.body[range.start..m.phrase_start.max(range.start)];
        let last = word_iter(before).last();
        let after = &self.body[m.end..range.end];
        let next_ok = {
            let a = after.trim_start_matches(['’', '\'']).trim_start_matches('s');
            let a = a.trim_start();
            a.starts_with(',') || a.chars().next().is_some_and(char::is_lowercase)
        };
        // "Obama and Biden have survived", "both Obama and Biden": names joined by "and" or
        // "or" are one plural subject, no antecedent for "he" or "she".
        let joined_after = after
            .strip_prefix(" and ")
            .or_else(|| after.strip_prefix(" or "))
            .is_some_and(|a| self.ents.mention_starting_at(m.end + (after.len() - a.len())).is_some_and(|mi| self.ents.mentions[mi].person.is_some()));
        if joined_after {
            return false;
        }
        // "Former Pennsylvania governor Ed Rendell, one of ..., was": a description with no
        // verb opens the sentence before the name.
        // (Checked first on the cheap: a short stretch with no punctuation, then its words.)
        let cheap = next_ok && before.len() <= 80 && !before.trim().is_empty() && !before.contains([',', ';', ':', '(', '"', '“', '”']);
        let bws = if cheap { words(before) } else { Vec::new() };
        let described = cheap
            && bws.len() <= 6
            && bws.iter().enumerate().all(|(i, w)| {
                let l = lower(w);
                (l == "of" && i > 0 && i + 1 < bws.len())
                    || (i == 0 && matches!(l.as_str(), "the" | "but" | "and"))
                    || (!gazetteer::is_speech_verb(&l) && !finite_like(w.text) && !super::lang::lexicon::is_function_word(l.as_str()) && !l.ends_with("ing"))
            });
        if described {
            return true;
        }
        match last {
            None => true,
            Some(w) => {
                let l = lower(&w);
                let gap = &before[w.end..];
                if matches!(l.as_str(), "and" | "or")
                    && gap.trim().is_empty()
                    && word_iter(&before[..w.start]).last().is_some_and(|p| {
                        before[p.end..w.start].trim().is_empty()
                            && self.ents.mention_ending_at(range.start + p.end).is_some_and(|mi| self.ents.mentions[mi].person.is_some())
                    })
                {
                    return false;
                }
                (gap.trim().ends_with(',')
                    || matches!(l.as_str(), "and" | "but" | "while" | "when" | "as" | "because" | "after" | "before" | "although" | "until")
                    || (word_iter(before).count() == 1 && matches!(l.as_str(), "meanwhile" | "later" | "then" | "now" | "still" | "instead" | "yet" | "so")))
                    && next_ok
                    && !PREPOSITIONS.contains(l.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_news;
#[cfg(test)]
mod tests_news2;

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
