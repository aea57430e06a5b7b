//! The engine: keeps the index in step with the corpus folder and answers commands.
//!
//! Refresh compares the corpus with a manifest (path, size, mtime, hash): unchanged files are
//! not re-read, changed ones are re-analysed, removed ones leave the index. The manifest,
//! the per-article entity summaries and the entity table's groups are rows of one SQLite
//! file beside the index ([`store`]), changed per article: a refresh costs what changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::analysis;
use super::answer::{Answer, AnswerItem, ItemKind, SourceRef};
use super::brief::{self, Candidate, Limits};
use super::corpus::{self, Document, FileEntry, SkipReason, Skipped};
use super::dates::{self, Precision};
use super::disk::Disk;
use super::entities::{self, DocSummary, Entity, EntityKind, EntityTable};
use super::error::CoreError;
use super::furniture;
use super::heal::{self, Healed};
use super::index::{self, Fields, KIND_DOC, KIND_QUOTE, KIND_SENTENCE};
use super::lang::coref;
use super::quotes::{Quote, QuoteKind};
use super::sentences;
use super::text::{char_offset, name_key};
use crate::command::Command;
use window::Scope;

mod alert;
mod background;
mod briefing;
mod differ;
mod document;
mod facts;
mod phrase;
mod quote;
mod refresh;
mod stats;
mod store;
mod table;
mod ties;
mod window;

pub use differ::{ComparedSentence, CorpusComparison};
pub use document::StoredDocument;

/// Files analysed in parallel before their records go to the index writer: enough to keep
/// both cores busy, few enough that memory stays flat on a corpus of any size.
const REFRESH_BATCH: usize = 512;
pub const BRIEF_MAX_BULLETS: usize = 5;
pub const BRIEF_MAX_CHARS: usize = 1500;
const SEARCH_MAX_ITEMS: usize = 8;
const SOURCES_MAX_ITEMS: usize = 50;
/// The notice while a damaged index is rebuilt.
const REBUILDING: &str = "The search index is being rebuilt from the corpus; please try again in a minute.";

/// How long the analysis of one document may take before it is given up (see
/// [`analysis::isolated`]); the longest polnear article takes well under a second.
pub const DEFAULT_ANALYSIS_BUDGET: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub corpus_dir: PathBuf,
    pub data_dir: PathBuf,
    pub max_file_bytes: u64,
    /// A document still being analysed after this long is skipped (until its file changes).
    pub analysis_budget: Duration,
    /// Called with each document before its analysis, inside the isolation: a test hook
    /// (panic or stall on a chosen document by construction). `None` in production.
    pub analysis_hook: Option<AnalysisHook>,
}

impl EngineOptions {
    pub fn new(corpus_dir: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        EngineOptions {
            corpus_dir: corpus_dir.into(),
            data_dir: data_dir.into(),
            max_file_bytes: corpus::DEFAULT_MAX_FILE_BYTES,
            analysis_budget: DEFAULT_ANALYSIS_BUDGET,
            analysis_hook: None,
        }
    }
}

/// See [`EngineOptions::analysis_hook`].
#[derive(Clone)]
pub struct AnalysisHook(pub Arc<dyn Fn(&Document) + Send + Sync>);

impl std::fmt::Debug for AnalysisHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnalysisHook")
    }
}

/// What a refresh did. `skipped` lists files that could not be used (each reported once
/// per change of the file).
#[derive(Debug, Clone, Default)]
pub struct RefreshReport {
    pub files: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
    /// True when another process holds the index writer: answers use the index as it is.
    pub read_only: bool,
    /// Derived state found damaged and rebuilt from the corpus (one warning line).
    pub healed: Option<Healed>,
}

impl RefreshReport {
    pub fn changed_anything(&self) -> bool {
        self.added + self.changed + self.removed > 0
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub sentences: u64,
    pub quotes: u64,
    pub entities: usize,
    /// Files left out because their analysis panicked or ran past the budget (each is
    /// retried when it changes).
    pub failed: usize,
}

/// A quote as exported by `briefbot quotes --json`.
#[derive(Debug, Clone, Serialize)]
pub struct ExportQuote {
    pub doc: String,
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub speaker: Option<String>,
    pub speaker_mention: Option<String>,
    /// The mention the speaker was reached through by coreference ("he", "the senator",
    /// "Pezeshkian"); `None` when the text names the speaker in full or it is unresolved.
    pub speaker_via: Option<String>,
    /// The kind of that step: "pronoun", "description" or "name" (`coref::step`).
    pub speaker_step: Option<&'static str>,
    pub cue: Option<String>,
    pub kind: QuoteKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct ManifestEntry {
    id: String,
    size: u64,
    mtime_ns: u128,
    hash: String,
    title: String,
    date: Option<NaiveDate>,
    url: Option<String>,
    source: Option<String>,
    /// The byline (front matter `byline`/`author`).
    #[serde(default)]
    author: Option<String>,
    /// When the article arrived in the corpus: the `now` of the refresh that first indexed
    /// this version, or the file's modification time when no `now` was given.
    #[serde(default)]
    arrived: Option<DateTime<Utc>>,
    /// What the article put in the index, for scoring statistics of the live records.
    #[serde(default)]
    tokens: stats::Tokens,
}

/// An article as listed by [`Engine::articles_since`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleInfo {
    pub source: SourceRef,
    pub arrived: Option<DateTime<Utc>>,
}

impl ManifestEntry {
    fn source(&self) -> SourceRef {
        SourceRef::article(self.id.clone(), self.title.clone(), self.date, self.url.clone()).by(self.source.as_deref(), self.author.as_deref())
    }
}

/// The files skipped last time, with the size and mtime they had, so that each is reported
/// once rather than on every refresh (few: held in memory).
#[derive(Debug, Clone, Default)]
struct Skips {
    skipped: BTreeMap<String, (u64, u128)>,
    /// Those of `skipped` whose analysis failed: not read again until size or mtime change.
    failed: BTreeSet<String>,
}

/// What answers need in memory. The manifest itself stays in the state file (rows looked
/// up by id or path, see [`store`]): opening costs the entity table, not the corpus.
struct State {
    skips: Skips,
    /// The entity table's groups (see [`table`]), and the table assembled from them.
    groups: store::Groups,
    table: EntityTable,
    /// How many articles the manifest lists, and the sum of their `tokens`.
    totals: store::Totals,
}

impl State {
    fn new(skips: Skips, totals: store::Totals, groups: store::Groups) -> State {
        let table = groups.table();
        State { skips, groups, table, totals }
    }
}

/// What a refresh changed in the manifest, applied to memory once the state is committed.
enum FileChange {
    Removed(Box<ManifestEntry>),
    /// The new entry, and the one it replaces.
    Listed(Box<ManifestEntry>, Option<Box<ManifestEntry>>),
}

impl store::Totals {
    fn apply(&mut self, c: &FileChange) {
        match c {
            FileChange::Removed(old) => {
                self.articles -= 1;
                self.tokens.sub(&old.tokens);
            }
            FileChange::Listed(new, old) => {
                match old {
                    Some(old) => self.tokens.sub(&old.tokens),
                    None => self.articles += 1,
                }
                self.tokens.add(&new.tokens);
            }
        }
    }
}

/// Arrival times kept through a rebuild: path → (hash, arrived).
type Arrivals = HashMap<String, (String, Option<DateTime<Utc>>)>;

pub struct Engine {
    opts: EngineOptions,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    state: RwLock<State>,
    /// The manifest and the entity table's groups on disk, as rows.
    store: store::Store,
    /// The live records' scoring statistics (the sum of the manifest's `tokens`; apart from
    /// `state` so that scoring never takes the state's lock a second time).
    live: Mutex<stats::Tokens>,
    writer: Mutex<Option<IndexWriter>>,
    /// The index was found damaged after opening: the next refresh rebuilds it.
    damaged: AtomicBool,
    /// A rebuild is running: answers say so, health says "starting".
    rebuilding: AtomicBool,
    /// Articles' facts for comparisons, kept until the index changes (see `facts`).
    facts: Mutex<facts::FactsCache>,
}

/// What is derived from the corpus and rebuilt together (with the files of the earlier
/// layout, a manifest and an entity table in JSON, moved aside with them).
const DERIVED: &[&str] = &["index", store::STATE_FILE, "state.sqlite-journal", "state.sqlite-wal", "state.sqlite-shm", "manifest.json", "entities.json"];

/// Why an engine could not be loaded: damage (rebuild) or the machine's trouble (stop).
enum Load {
    Damaged { what: &'static str, why: String },
    Failed(CoreError),
}

impl Load {
    fn of(e: CoreError, what: &'static str) -> Load {
        match e {
            CoreError::Index(t) if heal::is_damage(&t) => Load::Damaged { what, why: heal::describe(&t) },
            e if e.is_damage() => Load::Damaged { what, why: heal::one_line(&e) },
            e => Load::Failed(e),
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct QuoteData {
    name: Option<String>,
    mention: Option<String>,
    cue: Option<String>,
    kind: Option<QuoteKind>,
}

fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> CoreError {
    let c = context.into();
    move |e| CoreError::io(c, e)
}

fn day_number(d: Option<NaiveDate>) -> i64 {
    d.map_or(-1, |d| (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days())
}

fn from_day_number(n: i64) -> Option<NaiveDate> {
    (n >= 0).then(|| NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") + chrono::Duration::days(n))
}

/// A sentence fit for a brief: ends like a sentence and has some words.
fn is_prose(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '\'', ')']);
    t.ends_with(['.', '!', '?']) && text.split_whitespace().count() >= 6 && text.chars().count() <= 700
}

struct Analysed {
    rel_path: String,
    entry: ManifestEntry,
    summary: DocSummary,
    records: Vec<TantivyDocument>,
}

impl Engine {
    pub fn stats(&self) -> Stats {
        let searcher = self.reader.searcher();
        let count =
            |kind: &str| searcher.search(&TermQuery::new(Term::from_field_text(self.fields.kind, kind), IndexRecordOption::Basic), &Count).unwrap_or(0) as u64;
        let state = self.state.read().expect("state lock");
        Stats {
            articles: state.totals.articles,
            sentences: count(KIND_SENTENCE),
            quotes: count(KIND_QUOTE),
            entities: state.table.len(),
            failed: state.skips.failed.len(),
        }
    }

    /// Every extracted quote, optionally only those of one speaker (any alias or spelling).
    pub fn export_quotes(&self, speaker: Option<&str>) -> Result<Vec<ExportQuote>, CoreError> {
        let state = self.state.read().expect("state lock");
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_QUOTE), IndexRecordOption::Basic)))];
        if let Some(name) = speaker {
            let Some(entity) = state.table.resolve(name) else { return Ok(Vec::new()) };
            clauses.push((Occur::Must, Box::new(speaker_query(&self.fields, entity))));
        }
        let addrs = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
        let mut out = Vec::with_capacity(addrs.len());
        for a in addrs {
            let d: TantivyDocument = searcher.doc(a)?;
            let data: QuoteData = str_field(&d, self.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            let speaker = data.name.as_deref().map(|n| state.table.canonical(n).unwrap_or(n).to_string());
            out.push(ExportQuote {
                doc: str_field(&d, self.fields.doc).unwrap_or_default().to_string(),
                start: u64_field(&d, self.fields.start),
                end: u64_field(&d, self.fields.end),
                text: str_field(&d, self.fields.text).unwrap_or_default().to_string(),
                speaker_via: coref::via(data.name.as_deref(), data.mention.as_deref()),
                speaker_step: coref::via(data.name.as_deref(), data.mention.as_deref()).as_deref().map(coref::step),
                speaker,
                speaker_mention: data.mention,
                cue: data.cue,
                kind: data.kind.unwrap_or(QuoteKind::Direct),
            });
        }
        out.sort_by(|a, b| a.doc.cmp(&b.doc).then(a.start.cmp(&b.start)));
        Ok(out)
    }

    /// Articles that arrived after `since` (oldest first).
    pub fn articles_since(&self, since: DateTime<Utc>) -> Vec<ArticleInfo> {
        self.store.arrived_since(since).unwrap_or_default()
    }

    /// The prose sentences of one article, in order (for digests and previews).
    pub fn article_sentences(&self, doc: &str) -> Result<Vec<String>, CoreError> {
        Ok(self.sentences_of(doc)?.iter().filter_map(|d| str_field(d, self.fields.text)).filter(|t| is_prose(t)).map(str::to_string).collect())
    }

    /// The quotes of one article, in order.
    pub fn article_quotes(&self, doc: &str) -> Result<Vec<ExportQuote>, CoreError> {
        let state = self.state.read().expect("state lock");
        let searcher = self.reader.searcher();
        let q = BooleanQuery::new(vec![
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_QUOTE), IndexRecordOption::Basic)) as Box<dyn Query>),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.doc, doc), IndexRecordOption::Basic))),
        ]);
        let mut out = Vec::new();
        for a in searcher.search(&q, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(a)?;
            let data: QuoteData = str_field(&d, self.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            out.push(ExportQuote {
                doc: doc.to_string(),
                start: u64_field(&d, self.fields.start),
                end: u64_field(&d, self.fields.end),
                text: str_field(&d, self.fields.text).unwrap_or_default().to_string(),
                speaker: data.name.as_deref().map(|n| state.table.canonical(n).unwrap_or(n).to_string()),
                speaker_via: coref::via(data.name.as_deref(), data.mention.as_deref()),
                speaker_step: coref::via(data.name.as_deref(), data.mention.as_deref()).as_deref().map(coref::step),
                speaker_mention: data.mention,
                cue: data.cue,
                kind: data.kind.unwrap_or(QuoteKind::Direct),
            });
        }
        out.sort_by_key(|q| q.start);
        Ok(out)
    }

    /// Answer a command. Never fails: index trouble becomes a short notice, and a damaged
    /// index is rebuilt by the next refresh.
    pub fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        let searches =
            matches!(command, Command::Brief { .. } | Command::Quote { .. } | Command::Background { .. } | Command::Differ { .. } | Command::Search { .. });
        if searches && self.rebuilding() {
            let mut a = Answer::new(command.name(), command.argument()).with_notice(REBUILDING);
            a.as_of = Some(now.date_naive());
            return a;
        }
        // `since:`/`until:` at `now`: a window that cannot hold anything is a usage answer.
        let scope = match Scope::of(&command.window(), now) {
            Ok(scope) => scope,
            Err(message) => return crate::dispatch::usage_answer(command.name(), &message, now),
        };
        let result = match command {
            Command::Brief { topic, .. } => self.brief(topic, &scope),
            Command::Quote { query, .. } => self.quote(query, &scope),
            Command::Background { topic, .. } => self.background(topic, &scope),
            Command::Differ { topic, .. } => self.differ(topic, &scope),
            Command::Search { words, .. } => self.search(words, &scope),
            Command::Sources => Ok(self.sources()),
            Command::Help => Ok(help()),
            // Bot-wide counters belong to a running bot and its admins: the chat gate answers
            // `/status`; front ends without a chat identity (CLI, HTTP) land here.
            Command::Status => Ok(Answer::new("status", "").with_notice(
                "/status is for the bot's admins, in Telegram or Discord. A running server shows the same counters at /metrics.",
            )),
            // Alerts belong to a chat too: only the chat adapters deliver them.
            Command::Follow { .. } | Command::Unfollow { .. } | Command::Following => Ok(Answer::new(command.name(), command.argument()).with_notice(
                "Topic alerts belong to a chat: use /follow, /unfollow and /following with the bot in Telegram or Discord.",
            )),
            // The digest commands need a chat (and its subscription store): the chat adapters
            // answer them through the digest service; front ends without a chat land here.
            other => Ok(Answer::new(other.name(), other.argument()).with_notice(
                "Daily digests belong to a chat: use /subscribe, /subscription and /digest with the bot in Telegram or Discord. On the command line, `briefbot digest` shows one.",
            )),
        };
        let mut answer = result.unwrap_or_else(|e| {
            let notice = if e.is_damage() {
                self.damaged.store(true, Ordering::SeqCst);
                REBUILDING.to_string()
            } else {
                format!("Sorry, the corpus could not be searched just now ({}).", heal::one_line(&e))
            };
            Answer::new(command.name(), command.argument()).with_notice(notice)
        });
        answer.window = self.window_of(&scope);
        answer.as_of = Some(now.date_naive());
        answer
    }

    /// Entity names for autocomplete.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        let state = self.state.read().expect("state lock");
        state.table.suggest(prefix, limit).into_iter().map(|e| e.name.clone()).collect()
    }

    pub fn entity(&self, name: &str) -> Option<Entity> {
        self.state.read().expect("state lock").table.resolve(name).cloned()
    }

    fn analyzer(&self) -> TextAnalyzer {
        index::news_analyzer()
    }

    /// An article as answers name it: its row of the manifest (`None` for an id the
    /// manifest does not list, or when the state file cannot be read).
    fn doc(&self, doc: &str) -> Option<SourceRef> {
        self.store.source(doc).ok().flatten()
    }

    fn source(&self, _state: &State, doc: &str) -> SourceRef {
        self.doc(doc).unwrap_or_else(|| SourceRef::article(doc, doc, None, None))
    }

    /// Query terms, or the closest spelling the index knows when the words are not there
    /// (one edit, a swap of neighbouring letters included). The second value is the query as
    /// it was understood, with each corrected word spelled as the corpus spells it.
    fn resolve_terms(&self, text: &str) -> Result<(Vec<String>, Option<String>), CoreError> {
        let mut analyzer = self.analyzer();
        let tokens = index::analyse_tokens(&mut analyzer, text);
        let mut terms: Vec<String> = Vec::new();
        let mut spans: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
        for (t, r) in tokens {
            match terms.iter().position(|x| *x == t) {
                Some(i) => spans.push((r, i)),
                None => {
                    spans.push((r, terms.len()));
                    terms.push(t);
                }
            }
        }
        if terms.is_empty() {
            return Ok((terms, None));
        }
        let searcher = self.reader.searcher();
        let mut corrected = Vec::new();
        let mut surface: Vec<Option<String>> = Vec::new();
        for t in &terms {
            if stats::live_doc_freq(&searcher, &Term::from_field_text(self.fields.text, t))? > 0 || t.chars().count() < 5 {
                corrected.push(t.clone());
                surface.push(None);
                continue;
            }
            // One typo: the closest indexed term, through a fuzzy query's best hits (ordered
            // by score, then by the term itself, so that the choice does not depend on the
            // order the index was built in).
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(self.fields.text, t), 1, true);
            let hits = searcher.search(&fuzzy, &TopDocs::with_limit(20).order_by_score())?;
            let mut found: Vec<(f32, String, String)> = Vec::new();
            for (score, a) in hits {
                let d: TantivyDocument = searcher.doc(a)?;
                let sentence = str_field(&d, self.fields.text).unwrap_or_default();
                for (cand, r) in index::analyse_tokens(&mut analyzer, sentence) {
                    if cand != *t && super::text::edit_distance(&cand, t, 1) <= 1 {
                        found.push((score, cand, sentence[r].to_string()));
                        break;
                    }
                }
            }
            found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| a.2.cmp(&b.2)));
            match found.into_iter().next() {
                Some((_, cand, word)) => {
                    corrected.push(cand);
                    surface.push(Some(word));
                }
                None => {
                    corrected.push(t.clone());
                    surface.push(None);
                }
            }
        }
        let note = surface.iter().any(Option::is_some).then(|| {
            // The query as typed, each corrected word replaced by the corpus's spelling.
            let mut out = String::new();
            let mut at = 0;
            for (r, i) in &spans {
                if let Some(w) = &surface[*i] {
                    out.push_str(&text[at..r.start]);
                    out.push_str(w);
                    at = r.end;
                }
            }
            out.push_str(&text[at..]);
            out.trim().to_string()
        });
        Ok((corrected, note))
    }

    /// Sentences matching all terms (or, failing that, most of them), best first.
    fn search_sentences(&self, terms: &[String], limit: usize, prose_only: bool, scope: &Scope) -> Result<Vec<(f32, TantivyDocument)>, CoreError> {
        let kind = || self.fields.kind_query(KIND_SENTENCE);
        let term_q = |t: &String| -> Box<dyn Query> { Box::new(TermQuery::new(Term::from_field_text(self.fields.text, t), IndexRecordOption::WithFreqs)) };
        let prose = || self.fields.prose_query();
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, kind())];
        if prose_only {
            all.push((Occur::Must, prose()));
        }
        all.extend(terms.iter().map(|t| (Occur::Must, term_q(t))));
        let mut hits = self.top_stable(&*scope.restrict(&self.fields, Box::new(BooleanQuery::new(all))), limit)?;
        if hits.len() < 3 && terms.len() > 2 {
            let mut some: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, kind())];
            if prose_only {
                some.push((Occur::Must, prose()));
            }
            let should: Vec<(Occur, Box<dyn Query>)> = terms.iter().map(|t| (Occur::Should, term_q(t))).collect();
            let mut inner = BooleanQuery::new(should);
            inner.set_minimum_number_should_match(terms.len().div_ceil(2).max(2));
            some.push((Occur::Must, Box::new(inner)));
            hits = self.top_stable(&*scope.restrict(&self.fields, Box::new(BooleanQuery::new(some))), limit)?;
        }
        Ok(hits)
    }

    /// Search with the live records' statistics (see [`stats`]): the scores a fresh build of
    /// the same corpus gives.
    fn scored<C: tantivy::collector::Collector>(&self, searcher: &tantivy::Searcher, q: &dyn Query, c: &C) -> Result<C::Fruit, CoreError> {
        let tokens = *self.live.lock().unwrap_or_else(|p| p.into_inner());
        Ok(searcher.search_with_statistics_provider(q, c, &stats::LiveStats { searcher, fields: &self.fields, tokens })?)
    }

    /// The best `limit` records for a query, equal scores ordered by article and position
    /// rather than by where the index happened to put them: the same corpus gives the same
    /// records whatever the indexing order or thread count.
    fn top_stable(&self, q: &dyn Query, limit: usize) -> Result<Vec<(f32, TantivyDocument)>, CoreError> {
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        // Every record scoring as well as the `limit`-th, up to four times `limit` of them,
        // in one pass (a corpus of a million articles has ties at the boundary more often
        // than not; the same records as asking for `limit + 1` and doubling while the last
        // one ties). Beyond four times `limit` tied records, which of them tantivy keeps
        // depends on the index's layout: only generated corpora of repeated template
        // sentences get there. Scores compare to 15 bits of mantissa, and ties are ordered from
        // fast columns, only the records kept being read (see [`ties`]).
        let best = self.scored(&searcher, q, &TopDocs::with_limit(limit * 4 + 1).order_by_score())?;
        self.stable_records(&searcher, best, limit)
    }

    fn sentences_of(&self, doc: &str) -> Result<Vec<TantivyDocument>, CoreError> {
        facts::sentences_in(&self.reader.searcher(), &self.fields, doc)
    }

    /// "Nothing in the corpus about X", with close names that do exist.
    fn nothing_about(&self, command: &str, query: &str) -> Answer {
        let state = self.state.read().expect("state lock");
        let close: Vec<String> =
            state.table.suggest(query, 3).into_iter().filter(|e| e.kind != EntityKind::Other || e.docs > 1).map(|e| e.name.clone()).collect();
        let mut notice = format!("Nothing in the corpus about {query}.");
        if !close.is_empty() {
            notice.push_str(&format!(" Close topics that do exist: {}.", close.join(", ")));
        }
        Answer::new(command, query).with_notice(notice)
    }

    fn search(&self, words: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let (terms, corrected) = self.resolve_terms(words)?;
        if terms.is_empty() {
            return Ok(self.nothing_about("search", words));
        }
        let hits = self.search_sentences(&terms, 40, false, scope)?;
        if hits.is_empty() {
            return Ok(self.nothing_about("search", words));
        }
        let state = self.state.read().expect("state lock");
        let mut answer = Answer::new("search", words);
        if let Some(c) = corrected {
            answer.notice = Some(format!("Nothing matched “{words}” exactly; showing results for “{c}”."));
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let total = hits.len();
        for (_, d) in hits {
            let text = str_field(&d, self.fields.text).unwrap_or_default().to_string();
            let src =
                self.source(&state, str_field(&d, self.fields.doc).unwrap_or_default()).at(u64_field(&d, self.fields.start), u64_field(&d, self.fields.end));
            let key = name_key(&text);
            if let Some(&i) = seen.get(&key) {
                let item: &mut AnswerItem = &mut answer.items[i];
                if !item.sources.iter().any(|s| s.doc == src.doc) {
                    item.sources.push(src);
                }
                continue;
            }
            if answer.items.len() >= SEARCH_MAX_ITEMS {
                continue;
            }
            seen.insert(key, answer.items.len());
            let mut item = AnswerItem::new(text, ItemKind::Hit);
            item.date = src.date;
            item.sources = vec![src];
            answer.items.push(item);
        }
        if total > SEARCH_MAX_ITEMS && answer.notice.is_none() {
            answer.notice = Some(format!("The {SEARCH_MAX_ITEMS} best of {total}{} matching sentences.", if total >= 40 { "+" } else { "" }));
        }
        Ok(answer)
    }

    fn sources(&self) -> Answer {
        let articles = self.state.read().expect("state lock").totals.articles;
        let mut answer = Answer::new("sources", "");
        if articles == 0 {
            answer.notice = Some("The corpus is empty: add .md or .txt articles to the corpus folder.".to_string());
        } else if articles > SOURCES_MAX_ITEMS {
            answer.notice = Some(format!("{articles} articles; the {SOURCES_MAX_ITEMS} newest:"));
        }
        for s in self.store.newest(SOURCES_MAX_ITEMS).unwrap_or_default() {
            let mut item = AnswerItem::new(s.title.clone(), ItemKind::Source);
            item.date = s.date;
            item.sources = vec![s];
            answer.items.push(item);
        }
        answer
    }
}

impl crate::dispatch::Answerer for Engine {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        Engine::answer(self, command, now)
    }
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        Engine::suggest(self, prefix, limit)
    }
    fn ready(&self) -> bool {
        !self.rebuilding()
    }
    fn document(&self, id: &str) -> Option<StoredDocument> {
        Engine::document(self, id)
    }
}

fn help() -> Answer {
    let mut a = Answer::new("help", "");
    a.items = crate::dispatch::help_items();
    a
}

fn speaker_query(fields: &Fields, entity: &Entity) -> TermSetQuery {
    let mut keys: Vec<Term> = entity.aliases.iter().map(|a| Term::from_field_text(fields.speaker, a)).collect();
    keys.push(Term::from_field_text(fields.speaker, &name_key(&entity.name)));
    TermSetQuery::new(keys)
}

fn str_field(d: &TantivyDocument, f: tantivy::schema::Field) -> Option<&str> {
    d.get_first(f).and_then(|v| v.as_str())
}

fn u64_field(d: &TantivyDocument, f: tantivy::schema::Field) -> u64 {
    d.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0)
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    v.retain(|t| seen.insert(t.clone()));
    v
}

#[allow(dead_code)]
fn offsets(body: &str, byte: usize) -> usize {
    char_offset(body, byte)
}

#[allow(dead_code)]
fn quote_sanity(q: &Quote) -> bool {
    q.end >= q.start
}
