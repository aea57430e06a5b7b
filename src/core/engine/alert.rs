//! Topic alerts: does a new article match a followed topic, and which of its sentences says
//! so best. The sentence is verbatim corpus text with its span, like every other answer item;
//! composing the alert message is [`crate::core::alert`]'s job.

use tantivy::query::PhraseQuery;

use super::*;

/// A sentence chosen for an alert reads at most this long with the sentence it leans on.
const MAX_ALERT_CHARS: usize = 400;

impl Engine {
    /// The sentence of article `doc` that best matches `topic`, as an item citing it (span
    /// included), or `None` when the article does not match the topic.
    ///
    /// An article matches when its title or one of its sentences has every term of the
    /// topic (analysed as the index analyses text), side by side when the topic has several
    /// words and the corpus has them together anywhere ("trump university" is a name, not
    /// two words that meet). One message per article asks for more than the digest's rule
    /// (every term anywhere in the article). The best sentence carries the most of the topic's weight (each matched term counts its
    /// inverse sentence frequency), then has the topic's words together as a phrase, then
    /// stands on its own (prose that opens neither as a fragment nor leaning on the sentence
    /// before), then comes first. A sentence that leans on the one before brings it along.
    /// An article that names the topic only in its headline gets its lead.
    pub fn alert_item(&self, topic: &str, doc: &str) -> Result<Option<AnswerItem>, CoreError> {
        let mut analyzer = self.analyzer();
        let topic_terms = dedup(index::analyse_terms(&mut analyzer, topic));
        if topic_terms.is_empty() {
            return Ok(None);
        }
        let Some(source) = self.doc(doc) else { return Ok(None) };
        let records = self.sentences_of(doc)?;
        let title_terms = index::analyse_terms(&mut analyzer, &source.title);
        struct Sent<'a> {
            pos: u64,
            start: u64,
            end: u64,
            text: &'a str,
            terms: Vec<String>,
            prose: bool,
        }
        let sents: Vec<Sent<'_>> = records
            .iter()
            .filter_map(|d| {
                let text = str_field(d, self.fields.text)?;
                let terms = index::analyse_terms(&mut analyzer, text);
                Some(Sent {
                    pos: u64_field(d, self.fields.pos),
                    start: u64_field(d, self.fields.start),
                    end: u64_field(d, self.fields.end),
                    text,
                    terms,
                    prose: u64_field(d, self.fields.prose) == 1 && is_prose(text),
                })
            })
            .collect();
        // A topic of several words the corpus has together ("trump university") must be
        // there as that phrase; otherwise its words must meet in one sentence (or the title).
        let phrase_needed = topic_terms.len() > 1 && self.corpus_has_phrase(&topic_terms)?;
        let in_unit = |terms: &[String]| if phrase_needed { has_phrase(terms, &topic_terms) } else { topic_terms.iter().all(|t| terms.contains(t)) };
        if sents.is_empty() || !(in_unit(&title_terms) || sents.iter().any(|s| in_unit(&s.terms))) {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let n = searcher.num_docs() as f32;
        let mut idf: HashMap<&str, f32> = HashMap::new();
        for t in &topic_terms {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.text, t))? as f32;
            idf.insert(t.as_str(), (1.0 + n / (df + 1.0)).ln());
        }
        let standalone = |s: &Sent<'_>| s.prose && !brief::leans_on_previous(s.text) && !furniture::opens_as_fragment(s.text);
        let key = |s: &Sent<'_>| {
            let weight: f32 = topic_terms.iter().filter(|t| s.terms.contains(t)).map(|t| idf[t.as_str()]).sum();
            let phrase = topic_terms.len() > 1 && has_phrase(&s.terms, &topic_terms);
            (weight, phrase, s.prose, standalone(s))
        };
        let better = |a: &Sent<'_>, b: &Sent<'_>| {
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1)).then(ka.2.cmp(&kb.2)).then(ka.3.cmp(&kb.3)).then(b.pos.cmp(&a.pos))
        };
        let best = sents.iter().max_by(|a, b| better(a, b)).expect("not empty");
        // Named only in the headline: the article is about it, and its lead says what it is.
        let best = if key(best).0 > 0.0 { best } else { sents.iter().find(|s| standalone(s)).or_else(|| sents.iter().find(|s| s.prose)).unwrap_or(best) };
        let mut text = best.text.to_string();
        let mut start = best.start;
        if prose_leaning(best.prose, best.text)
            && let Some(prev) = sents.iter().rfind(|s| s.pos < best.pos)
            && prev.text.chars().count() + text.chars().count() < MAX_ALERT_CHARS
        {
            text = format!("{} {text}", prev.text);
            start = prev.start;
        }
        let mut item = AnswerItem::new(text, ItemKind::Bullet);
        item.date = source.date;
        item.sources = vec![source.at(start, best.end)];
        Ok(Some(item))
    }
}

impl Engine {
    /// The topic as the corpus spells it, when a word of it is not in the index but one
    /// indexed word is one edit away ("lewandowksi" → "Lewandowski"); `None` otherwise. A
    /// hint only: a topic followed before the corpus knows it is not a typo.
    pub fn corpus_spelling(&self, topic: &str) -> Result<Option<String>, CoreError> {
        Ok(self.resolve_terms(topic)?.1)
    }

    /// Does any sentence of the corpus have `terms` side by side, in order (one word may
    /// come between)?
    fn corpus_has_phrase(&self, terms: &[String]) -> Result<bool, CoreError> {
        let mut phrase = PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(self.fields.text, t)).collect());
        phrase.set_slop(PHRASE_SLOP as u32);
        let q = BooleanQuery::new(vec![
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_SENTENCE), IndexRecordOption::Basic)) as Box<dyn Query>),
            (Occur::Must, Box::new(phrase)),
        ]);
        Ok(self.reader.searcher().search(&q, &Count)? > 0)
    }
}

/// Words that may come between the words of a phrase: a middle initial ("Merrick B.
/// Garland", "Khizr M. Khan").
const PHRASE_SLOP: usize = 1;

/// Do `terms` hold `phrase` in order, with at most [`PHRASE_SLOP`] other terms in between?
fn has_phrase(terms: &[String], phrase: &[String]) -> bool {
    (0..terms.len()).any(|start| {
        if terms[start] != phrase[0] {
            return false;
        }
        let (mut at, mut skipped) = (start + 1, 0);
        for want in &phrase[1..] {
            loop {
                match terms.get(at) {
                    Some(t) if t == want => break,
                    Some(_) if skipped < PHRASE_SLOP => skipped += 1,
                    _ => return false,
                }
                at += 1;
            }
            at += 1;
        }
        true
    })
}

/// Prose that leans on the sentence before it ("He said ...", "But ...").
fn prose_leaning(prose: bool, text: &str) -> bool {
    prose && brief::leans_on_previous(text)
}

#[cfg(test)]
mod tests {
    use super::has_phrase;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn phrases_allow_one_word_between() {
        assert!(has_phrase(&v("judg merrick garland said"), &v("merrick garland")));
        assert!(has_phrase(&v("judg merrick b garland said"), &v("merrick garland")));
        assert!(!has_phrase(&v("merrick and then garland"), &v("merrick garland")));
        assert!(!has_phrase(&v("garland merrick"), &v("merrick garland")));
        assert!(has_phrase(&v("x trump univers"), &v("trump univers")));
        assert!(!has_phrase(&v("trump"), &v("trump univers")));
    }
}
