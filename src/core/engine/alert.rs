//! Topic alerts: does a new article match a followed topic, and which of its sentences says
//! so best. The sentence is verbatim corpus text with its span, like every other answer item;
//! composing the alert message is [`crate::core::alert`]'s job.

use super::*;

/// A sentence chosen for an alert reads at most this long with the sentence it leans on.
const MAX_ALERT_CHARS: usize = 400;

impl Engine {
    /// The sentence of article `doc` that best matches `topic`, as an item citing it (span
    /// included), or `None` when the article does not match the topic.
    ///
    /// An article matches when every term of the topic (analysed as the index analyses
    /// text) occurs in its title or its sentences: the rule digests filter topics by. The
    /// best sentence carries the most of the topic's weight (each matched term counts its
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
        let source = {
            let state = self.state.read().expect("state lock");
            match state.docs.get(doc) {
                Some(s) => s.clone(),
                None => return Ok(None),
            }
        };
        let records = self.sentences_of(doc)?;
        let mut found: HashSet<String> = index::analyse_terms(&mut analyzer, &source.title).into_iter().collect();
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
                found.extend(terms.iter().cloned());
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
        if !topic_terms.iter().all(|t| found.contains(t)) || sents.is_empty() {
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
            let phrase = topic_terms.len() > 1 && s.terms.windows(topic_terms.len()).any(|w| w == topic_terms.as_slice());
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

/// Prose that leans on the sentence before it ("He said ...", "But ...").
fn prose_leaning(prose: bool, text: &str) -> bool {
    prose && brief::leans_on_previous(text)
}
