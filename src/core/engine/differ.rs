//! `/differ`: where the sources disagree on a topic, and the answers' shared pieces: the
//! comparison of a brief's candidates ([`crate::core::differ`]) and the items that show a
//! disagreement or a later report.

use super::briefing::Gathered;
use super::*;
use crate::core::answer::Claim;
use crate::core::differ::{self, Comparison, Disagreement, Statement};

/// A dated sentence of `/background`'s timeline: date, precision, text, article, span.
pub(super) type TimelineEvent = (NaiveDate, Precision, String, String, (u64, u64));

/// Most disagreements and updates listed by `/differ`.
const DIFFER_MAX_ITEMS: usize = 8;

/// A sentence of a comparison over the whole corpus (for the evaluation).
#[derive(Debug, Clone)]
pub struct ComparedSentence {
    pub doc: String,
    pub text: String,
}

/// [`Engine::compare_corpus`]: every prose sentence of the corpus and how they relate.
#[derive(Debug, Clone)]
pub struct CorpusComparison {
    pub sentences: Vec<ComparedSentence>,
    pub comparison: Comparison,
}

impl Engine {
    pub(super) fn differ(&self, topic: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let Some(Gathered { cands, notice, .. }) = self.gather(topic, scope)? else {
            return Ok(self.nothing_about("differ", topic));
        };
        let comparison = self.compare_candidates(&cands)?;
        let state = self.state.read().expect("state lock");
        let mut answer = Answer::new("differ", topic);
        for d in comparison.disagreements.iter().take(DIFFER_MAX_ITEMS) {
            answer.items.push(self.disagreement_item(&state, &cands, d));
        }
        for u in comparison.updates.iter().take(DIFFER_MAX_ITEMS.saturating_sub(answer.items.len())) {
            let (e, l) = (&cands[u.earlier], &cands[u.later]);
            let mut item = AnswerItem::new(format!("Later reports: {}", l.text), ItemKind::Update);
            let claim = |c: &Candidate| Claim { text: c.text.clone(), sources: vec![self.source(&state, &c.doc).at(c.span.0, c.span.1)] };
            item.claims = Some(vec![claim(e), claim(l)]);
            item.sources = vec![self.source(&state, &e.doc).at(e.span.0, e.span.1), self.source(&state, &l.doc).at(l.span.0, l.span.1)];
            item.date = item.sources.iter().filter_map(|s| s.date).max();
            answer.items.push(item);
        }
        let docs: HashSet<&str> = cands.iter().map(|c| c.doc.as_str()).collect();
        let found = if comparison.disagreements.is_empty() {
            Some(format!(
                "The sources do not differ on {topic}: {} article{} compared, no fact reported two ways.",
                docs.len(),
                if docs.len() == 1 { "" } else { "s" }
            ))
        } else {
            None
        };
        answer.notice = match (notice, found) {
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.or(b),
        };
        Ok(answer)
    }

    /// Compare candidate sentences, with the names of their articles.
    pub(super) fn compare_candidates(&self, cands: &[Candidate]) -> Result<Comparison, CoreError> {
        let stmts: Vec<Statement> = cands
            .iter()
            .map(|c| Statement {
                doc: c.doc.clone(),
                pos: c.pos,
                text: if c.standalone || is_prose(&c.text) { c.text.clone() } else { String::new() },
                day: c.day,
            })
            .collect();
        // Each article's facts (its names, whether it is a live blog), kept between answers.
        let facts = self.article_facts(cands.iter().map(|c| c.doc.as_str()))?;
        let facts: HashMap<&str, &differ::ArticleFacts> = facts.iter().map(|(d, f)| (*d, &**f)).collect();
        Ok(differ::compare_with(&stmts, &facts))
    }

    /// A disagreement as an item: what differs, and each version with its sources.
    pub(super) fn disagreement_item(&self, state: &State, cands: &[Candidate], d: &Disagreement) -> AnswerItem {
        let points = d.points.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
        let mut item = AnswerItem::new(format!("Sources differ on {points}"), ItemKind::Disagreement);
        let mut claims = Vec::new();
        for claim in &d.claims {
            // The version in the words of its first report (oldest article, then position),
            // a sentence under a label ("Energy: ...") only when there is no other.
            let mut members = claim.clone();
            let labelled = |i: usize| cands[i].text.split_whitespace().take(3).any(|w| w.ends_with(':'));
            members.sort_by(|&a, &b| (labelled(a), cands[a].day, &cands[a].doc, cands[a].pos).cmp(&(labelled(b), cands[b].day, &cands[b].doc, cands[b].pos)));
            let mut sources: Vec<SourceRef> = Vec::new();
            for &m in &members {
                if !sources.iter().any(|s| s.doc == cands[m].doc) {
                    sources.push(self.source(state, &cands[m].doc).at(cands[m].span.0, cands[m].span.1));
                }
            }
            claims.push(Claim { text: cands[members[0]].text.clone(), sources });
        }
        item.sources = claims.iter().flat_map(|c| c.sources.iter().cloned()).collect();
        item.date = item.sources.iter().filter_map(|s| s.date).max();
        item.claims = Some(claims);
        item
    }

    /// Every prose sentence of the corpus compared with every other: the evaluation's view of
    /// [`crate::core::differ`] on the real index (small corpora only: the comparison is
    /// quadratic).
    pub fn compare_corpus(&self) -> Result<CorpusComparison, CoreError> {
        let docs: Vec<String> = self.store.ids()?;
        let mut stmts = Vec::new();
        let mut articles: HashMap<String, Vec<String>> = HashMap::new();
        for doc in &docs {
            let day = day_number(self.doc(doc).and_then(|s| s.date));
            let sents = self.sentences_of(doc)?;
            let texts: Vec<String> = sents.iter().map(|s| str_field(s, self.fields.text).unwrap_or_default().to_string()).collect();
            for s in &sents {
                let text = str_field(s, self.fields.text).unwrap_or_default();
                if is_prose(text) {
                    stmts.push(Statement { doc: doc.clone(), pos: u64_field(s, self.fields.pos), text: text.to_string(), day });
                }
            }
            articles.insert(doc.clone(), texts);
        }
        let comparison = differ::compare(&stmts, &articles);
        Ok(CorpusComparison { sentences: stmts.into_iter().map(|s| ComparedSentence { doc: s.doc, text: s.text }).collect(), comparison })
    }
}

impl Engine {
    /// `/background`: the timeline's dated sentences that report one event on different
    /// dates (or with other differing details), as disagreement items noted after the timeline.
    pub(super) fn timeline_disagreements(&self, state: &State, events: &[TimelineEvent]) -> Result<Vec<AnswerItem>, CoreError> {
        let cands: Vec<Candidate> = events
            .iter()
            .enumerate()
            .map(|(i, (_, _, text, doc, span))| Candidate {
                doc: doc.clone(),
                pos: i as u64,
                span: *span,
                text: text.clone(),
                terms: Vec::new(),
                is_hit: true,
                score: 0.0,
                standalone: true,
                about: 0.0,
                lead: false,
                day: day_number(self.doc(doc).and_then(|s| s.date)),
                fresh: 0.0,
            })
            .collect();
        let stmts: Vec<Statement> = cands.iter().map(|c| Statement { doc: c.doc.clone(), pos: c.pos, text: c.text.clone(), day: c.day }).collect();
        // The events' articles as a whole (their facts, kept between answers).
        let facts = self.article_facts(events.iter().map(|e| e.3.as_str()))?;
        let facts: HashMap<&str, &differ::ArticleFacts> = facts.iter().map(|(d, f)| (*d, &**f)).collect();
        let comparison = differ::compare_with(&stmts, &facts);
        Ok(comparison
            .disagreements
            .iter()
            .filter(|d| d.points.contains(&differ::Point::Date))
            .take(3)
            .map(|d| self.disagreement_item(state, &cands, d))
            .collect())
    }
}
