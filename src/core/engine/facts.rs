//! Reading articles for the comparison of a brief's candidates: each candidate's article
//! as a whole (the names it writes, whether it is a live blog, see
//! [`differ::ArticleFacts`]), kept between answers for the same state of the index.
//!
//! A brief's candidates come from up to a hundred articles; their facts take every sentence
//! of each article, read from the index's store and analysed name by name, which cost more
//! than the comparison itself. They depend on the article's sentences only, so they are
//! kept per article until the index changes (a new searcher generation: any refresh), and a
//! topic asked again, or another topic touching the same articles, reads nothing again.

use std::sync::Arc;

use super::*;
use crate::core::differ::ArticleFacts;

/// Articles whose facts are kept; past this the cache starts again (a few KB each).
const FACTS_KEPT: usize = 4096;

/// Facts of the articles read since the index last changed.
#[derive(Default)]
pub(super) struct FactsCache {
    /// The searcher generation the facts were read from.
    generation: Option<u64>,
    facts: HashMap<String, Arc<ArticleFacts>>,
}

impl Engine {
    /// The facts of each article in `docs` (by id) as of the current index.
    pub(super) fn article_facts<'a>(&self, docs: impl IntoIterator<Item = &'a str>) -> Result<HashMap<&'a str, Arc<ArticleFacts>>, CoreError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut out: HashMap<&'a str, Arc<ArticleFacts>> = HashMap::new();
        let mut missing: Vec<&'a str> = Vec::new();
        {
            let mut cache = self.facts.lock().unwrap_or_else(|p| p.into_inner());
            if cache.generation != Some(generation) {
                cache.generation = Some(generation);
                cache.facts.clear();
            }
            for doc in docs {
                if out.contains_key(doc) || missing.contains(&doc) {
                    continue;
                }
                match cache.facts.get(doc) {
                    Some(f) => {
                        out.insert(doc, f.clone());
                    }
                    None => missing.push(doc),
                }
            }
        }
        let mut read: Vec<(&'a str, Arc<ArticleFacts>)> = Vec::with_capacity(missing.len());
        for doc in missing {
            let sents = sentences_in(&searcher, &self.fields, doc)?;
            let texts: Vec<&str> = sents.iter().map(|s| str_field(s, self.fields.text).unwrap_or_default()).collect();
            read.push((doc, Arc::new(ArticleFacts::of(&texts))));
        }
        if !read.is_empty() {
            let mut cache = self.facts.lock().unwrap_or_else(|p| p.into_inner());
            if cache.generation == Some(generation) {
                if cache.facts.len() + read.len() > FACTS_KEPT {
                    cache.facts.clear();
                }
                for (doc, f) in &read {
                    cache.facts.insert((*doc).to_string(), f.clone());
                }
            }
        }
        out.extend(read);
        Ok(out)
    }
}

/// The sentence records of one article, in order, from `searcher` (matched without scoring:
/// the order is the records' position).
pub(super) fn sentences_in(searcher: &tantivy::Searcher, fields: &Fields, doc: &str) -> Result<Vec<TantivyDocument>, CoreError> {
    let q = BooleanQuery::new(vec![
        (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(fields.kind, KIND_SENTENCE), IndexRecordOption::Basic)) as Box<dyn Query>),
        (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(fields.doc, doc), IndexRecordOption::Basic))),
    ]);
    let mut addrs: Vec<tantivy::DocAddress> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
    // In the store's order: an article's records sit in one or two compressed blocks.
    addrs.sort();
    let mut docs: Vec<TantivyDocument> = addrs.into_iter().map(|a| searcher.doc(a)).collect::<Result<_, _>>()?;
    docs.sort_by_key(|d| u64_field(d, fields.pos));
    docs.truncate(MAX_SENTENCES_READ);
    Ok(docs)
}

/// Most sentence records read of one article (as before: a limit on what one article costs).
const MAX_SENTENCES_READ: usize = 2000;
