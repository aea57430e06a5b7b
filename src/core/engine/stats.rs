//! Scoring statistics of the live corpus, not of the index's history.
//!
//! tantivy's BM25 reads its statistics (documents, tokens per field, documents per term)
//! from the segments, deleted records included until a merge drops them. An index kept up to
//! date article by article holds deleted records a fresh build does not, so its scores (and
//! answers) would drift from a rebuild's. [`LiveStats`] gives BM25 the numbers of the live
//! records only: the record count from the segments' live documents, the documents of a term
//! by reading its postings where a segment has deletions, and the tokens per field from the
//! counts each article recorded in the manifest when it was analysed.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::index::SegmentId;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Opstamp, Searcher, TERMINATED, Term};

use crate::core::index::Fields;

/// What one article put in the index: its records and the tokens of each indexed field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub records: u64,
    pub sentences: u64,
    pub quotes: u64,
    pub speakers: u64,
    pub text: u64,
}

impl Tokens {
    pub fn add(&mut self, o: &Tokens) {
        self.records += o.records;
        self.sentences += o.sentences;
        self.quotes += o.quotes;
        self.speakers += o.speakers;
        self.text += o.text;
    }

    pub fn sub(&mut self, o: &Tokens) {
        self.records -= o.records;
        self.sentences -= o.sentences;
        self.quotes -= o.quotes;
        self.speakers -= o.speakers;
        self.text -= o.text;
    }

    /// Tokens of `field` over these records, as tantivy counts them (one per value of an
    /// untokenised or numeric field); `None` for a field not tracked.
    fn of(&self, fields: &Fields, field: Field) -> Option<u64> {
        Some(match field {
            f if f == fields.kind || f == fields.doc => self.records,
            // One token per sentence, as when `prose` (0 or 1 in every sentence) was the
            // indexed field: `prose_key` scores as `prose = 1` did (see `Fields::prose_query`).
            f if f == fields.prose || f == fields.prose_key => self.sentences,
            f if f == fields.pos => self.sentences + self.quotes,
            f if f == fields.speaker => self.speakers,
            f if f == fields.text => self.text,
            _ => return None,
        })
    }
}

/// BM25 statistics over the live records (see the module's note).
pub struct LiveStats<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub tokens: Tokens,
}

impl Bm25StatisticsProvider for LiveStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.tokens.of(self.fields, field) {
            Some(n) => Ok(n),
            None => <Searcher as Bm25StatisticsProvider>::total_num_tokens(self.searcher, field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        live_doc_freq(self.searcher, term)
    }
}

/// A segment with deletions, as of its deletions (a new delete gives a new opstamp).
type SegmentState = (SegmentId, Option<Opstamp>);

/// Live counts of a term in segments with deletions, read once per state of the segment:
/// the postings of a common term (every sentence record holds `kind:sentence`) run to
/// millions at a million articles, and every query asks for them. Segment ids are unique
/// across indexes, so one cache serves every engine of the process.
static LIVE_COUNTS: LazyLock<Mutex<HashMap<(SegmentState, Term), u32>>> = LazyLock::new(Default::default);
/// Beyond this many counts the cache starts again (its keys die with their segments).
const LIVE_COUNTS_MAX: usize = 200_000;

/// Live records holding `term`: a segment's count as it is where nothing was deleted, its
/// postings read where something was (once per state of the segment, see [`LIVE_COUNTS`]).
pub fn live_doc_freq(searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
    let mut n = 0u64;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        match segment.alive_bitset() {
            None => n += u64::from(inverted.doc_freq(term)?),
            Some(alive) => {
                let key = ((segment.segment_id(), segment.delete_opstamp()), term.clone());
                if let Some(&c) = LIVE_COUNTS.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
                    n += u64::from(c);
                    continue;
                }
                let mut c = 0u32;
                if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                    let mut d = postings.doc();
                    while d != TERMINATED {
                        if alive.is_alive(d) {
                            c += 1;
                        }
                        d = postings.advance();
                    }
                }
                let mut cache = LIVE_COUNTS.lock().unwrap_or_else(|p| p.into_inner());
                if cache.len() >= LIVE_COUNTS_MAX {
                    cache.clear();
                }
                cache.insert(key, c);
                n += u64::from(c);
            }
        }
    }
    Ok(n)
}
