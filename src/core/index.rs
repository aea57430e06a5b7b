//! The tantivy index on disk: one record per sentence, per quote and per article, so that
//! answers read only what they need and reopening is instant.

use std::path::Path;

use tantivy::query::{Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer};
use tantivy::{Index, Term};

use super::disk::Disk;
use super::error::CoreError;

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
/// 8: manifest entries carry the byline (cited with the outlet), so old ones are redone.
/// 9: quotes by stage (descriptions run into names, reports before a quotation).
/// 10: list headings glued into a line are marked (not brief openers).
/// 11: names without furniture lines, dates, handles, shouted or headline-style runs.
/// 12: `kind` and `prose` indexed with term frequencies (see [`Fields::kind_query`]); apposition
///     chains headed by a person, party words no names, given names vote for gender.
/// 13: article records carry their headline's words (`title`), for the articles about a topic;
///     quotes: the person last quoted, unsure pronouns unresolved, names modifying a role;
///     quote spans (mixed clauses opened by a quotation, the words before a quotation
///     attributed after it, speech acts with an object: "urged X to", "called for").
/// 14: `doc` is a fast column too, so that records of equal score are ordered by article
///     without reading them from the document store (see `engine::ties`); quotes carry their
///     words' key (hashed) and kind, and `start` and `end` are fast, so that `/quote` groups and
///     orders a speaker's quotes from columns and reads only those it shows.
/// 15: the quote and name rules of the real-news sessions (9 to 13): speakers, appositions,
///     time adverbials, transcript labels; places and bodies no longer read as people ("New
///     Jersey", "Justice Department", "Department of Housing and Urban Development").
/// 16: session 14's reports (bare dates after the verb, openers and descriptions around a
///     postposed clause, phrases after a verb of speech) and party members as no surname.
/// 17: session 15's groups that speak for a named person ("Ann Lee’s campaign"), honorifics
///     choosing among family members, descriptions before names, programme titles.
/// 18: reports in the headline (`quotes::headline`); subjects ending in a short form's full
///     stop ("The F.B.I. has said"), and "P." an initial.
pub const INDEX_VERSION: u32 = 19;

pub const KIND_SENTENCE: &str = "sent";
pub const KIND_QUOTE: &str = "quote";
pub const KIND_DOC: &str = "doc";

#[derive(Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub doc: Field,
    pub pos: Field,
    pub text: Field,
    pub start: Field,
    pub end: Field,
    /// Days since 1970-01-01 of the article's date; -1 when it has none.
    pub day: Field,
    /// Sentences: 1 for prose fit for a brief (not a heading or caption), 0 otherwise
    /// (stored, for reading; [`Fields::prose_query`] searches by `prose_key`).
    pub prose: Field,
    /// Sentences fit for a brief hold [`PROSE`] here (indexed with frequencies).
    pub prose_key: Field,
    /// Sentences: dates found in them (JSON). Quotes: speaker details (JSON). Docs: summary (JSON).
    pub data: Field,
    /// Quotes: the folded key of the speaker's name, for exact look-up.
    pub speaker: Field,
    /// Quotes: a hash of the words' key (`text::name_key`), fast only: the same words
    /// reported by several articles are one item of `/quote` (see `engine::quote`).
    pub quote_key: Field,
    /// Quotes: the kind's rank (0 direct, 1 mixed, 2 reported), fast only.
    pub quote_kind: Field,
    /// Articles: the headline's words (analysed as `text`, not stored, never scored: see
    /// `Engine::headline_articles`).
    pub title: Field,
}

/// The value of [`Fields::prose_key`] in a sentence fit for a brief.
pub const PROSE: &str = "1";

impl Fields {
    /// Records of one kind. The field is indexed with frequencies (always 1) and the clause
    /// reads them, so that a conjunction of it with the query's words is made of term scorers
    /// that all read frequencies: tantivy then keeps only the best `k` records with its
    /// block-max intersection, skipping blocks that cannot beat the `k`-th score, instead of
    /// scoring every match (at a million articles a common word matches hundreds of
    /// thousands of sentences). The score is the one a clause without frequencies gives
    /// (term frequency 1, one token per record).
    pub fn kind_query(&self, kind: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.kind, kind), IndexRecordOption::WithFreqs))
    }

    /// Sentences fit for a brief, as a clause that lets tantivy prune (see
    /// [`Fields::kind_query`]); it scores as the clause `prose = 1` did before version 12
    /// (the same documents per term, and the statistics count one token per sentence, see
    /// `engine::stats`).
    pub fn prose_query(&self) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.prose_key, PROSE), IndexRecordOption::WithFreqs))
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Untokenised, with frequencies: see `Fields::kind_query`.
    let key_options =
        TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::WithFreqs));
    let text_options = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer("news").set_index_option(IndexRecordOption::WithFreqsAndPositions))
        .set_stored();
    let fields = Fields {
        kind: b.add_text_field("kind", key_options.clone()),
        // Fast: equal scores are ordered by article id from the column (`engine::ties`).
        doc: b.add_text_field("doc", STRING | STORED | FAST),
        pos: b.add_u64_field("pos", INDEXED | STORED | FAST),
        text: b.add_text_field("text", text_options),
        // Fast: `/quote` cites its grouped records from the columns (`engine::quote`).
        start: b.add_u64_field("start", STORED | FAST),
        end: b.add_u64_field("end", STORED | FAST),
        day: b.add_i64_field("day", STORED | FAST),
        prose: b.add_u64_field("prose", FAST | STORED),
        prose_key: b.add_text_field("prose_key", key_options),
        data: b.add_text_field("data", STORED),
        speaker: b.add_text_field("speaker", STRING | STORED),
        quote_key: b.add_u64_field("quote_key", FAST),
        quote_kind: b.add_u64_field("quote_kind", FAST),
        title: b.add_text_field(
            "title",
            TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer("news").set_index_option(IndexRecordOption::Basic)),
        ),
    };
    (b.build(), fields)
}

/// English analysis: lowercase, accents folded, stop words dropped, stemmed.
pub fn news_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::English).expect("English stop words are built in"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analysed terms of a text, in order.
pub fn analyse_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The analysed terms of a text with the byte range of the word each came from.
pub fn analyse_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from..t.offset_to));
    }
    out
}

/// Open the index in `dir` (written through `disk`), creating it (or recreating it, if its
/// version is old).
pub fn open(dir: &Path, disk: &Disk) -> Result<(Index, Fields, bool), CoreError> {
    let version_file = dir.join("VERSION");
    let current = std::fs::read_to_string(&version_file).ok().and_then(|v| v.trim().parse::<u32>().ok());
    let mut fresh = false;
    if current != Some(INDEX_VERSION) {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| CoreError::io(format!("removing old index {}", dir.display()), e))?;
        }
        fresh = true;
    }
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    let (schema, fields) = schema();
    let directory = disk.index_directory(dir).map_err(|e| CoreError::Index(e.into()))?;
    let index = Index::open_or_create(directory, schema)?;
    index.tokenizers().register("news", news_analyzer());
    if fresh {
        disk.write_atomic(&version_file, INDEX_VERSION.to_string().as_bytes()).map_err(|e| CoreError::io(format!("writing {}", version_file.display()), e))?;
    }
    Ok((index, fields, fresh))
}
