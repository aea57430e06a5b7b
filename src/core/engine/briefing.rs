//! `/brief`: gathering the candidate sentences for a topic from the index — the articles
//! about it (headline, lead, mentions) with their leads and the sentences around the
//! mentions, plus reports elsewhere — and handing them to [`brief::select`].

use std::collections::{BTreeMap, HashMap, HashSet};

use super::*;

/// Matching sentences read for a brief: enough to tell the articles about the topic from
/// those that mention it in passing, and to see which facts several articles repeat.
const BRIEF_HITS: usize = 100;
/// Articles read in full (their leads and the sentences around the mentions).
const BRIEF_DOCS: usize = 10;
/// The lead: the first sentences of an article's body.
const LEAD_SENTENCES: usize = 3;
/// Articles whose headline names the topic, newest first, that compete to be read in full.
const BRIEF_HEADLINES: usize = 20;

struct DocStat {
    mentions: usize,
    best: f32,
    title: f32,
}

/// The candidate sentences for a topic, with the query terms as used and the notice that
/// says how the topic was understood.
pub(super) struct Gathered {
    pub cands: Vec<Candidate>,
    pub terms: Vec<String>,
    pub notice: Option<String>,
}

impl Engine {
    pub(super) fn brief(&self, topic: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let Some(Gathered { mut cands, terms, notice }) = self.gather(topic, scope)? else {
            return Ok(self.nothing_about("brief", topic));
        };
        let state = self.state.read().expect("state lock");
        let searcher = self.reader.searcher();
        let num_docs = searcher.num_docs().max(1) as f32;
        let idf_cache: std::cell::RefCell<HashMap<String, f32>> = Default::default();
        let idf = |t: &str| -> f32 {
            if let Some(v) = idf_cache.borrow().get(t) {
                return *v;
            }
            let df = stats::live_doc_freq(&searcher, &Term::from_field_text(self.fields.text, t)).unwrap_or(0) as f32;
            let v = ((num_docs + 1.0) / (df + 1.0)).ln().max(0.0);
            idf_cache.borrow_mut().insert(t.to_string(), v);
            v
        };
        // Same facts and disagreements among the candidates: a disagreement opens the brief
        // (its sentences then open no bullet of their own); agreeing reports fold into one.
        let comparison = self.compare_candidates(&cands)?;
        let mut answer = Answer::new("brief", topic);
        answer.notice = notice;
        // Only a plain contrast (two versions) opens a brief; /differ lists the rest.
        let mut limits = Limits { max_bullets: BRIEF_MAX_BULLETS, max_chars: BRIEF_MAX_CHARS };
        if let Some(d) = comparison.disagreements.iter().find(|d| d.claims.len() == 2) {
            let item = self.disagreement_item(&state, &cands, d);
            // It takes a bullet's place and its characters in the brief's budget.
            let chars: usize = item.claims.iter().flatten().map(|c| c.text.chars().count() + 1).sum();
            limits = Limits { max_bullets: BRIEF_MAX_BULLETS - 1, max_chars: BRIEF_MAX_CHARS.saturating_sub(chars) };
            answer.items.push(item);
            for &i in d.claims.iter().flatten() {
                cands[i].standalone = false;
            }
        }
        let same_fact = |a: usize, b: usize| comparison.group_of(a).is_some_and(|g| g.contains(&b));
        let bullets = brief::select_with(&cands, &terms, &idf, &limits, &same_fact);
        for b in bullets {
            let text = b.sentences.iter().map(|&i| cands[i].text.as_str()).collect::<Vec<_>>().join(" ");
            // The bullet's sentences come from one article, in order: cite them as one range.
            let first = &cands[b.sentences[0]];
            let last_end = b.sentences.iter().map(|&i| &cands[i]).filter(|c| c.doc == first.doc).map(|c| c.span.1).max().unwrap_or(first.span.1);
            let mut sources = vec![self.source(&state, &first.doc).at(first.span.0, last_end)];
            for &a in &b.also {
                sources.push(self.source(&state, &cands[a].doc).at(cands[a].span.0, cands[a].span.1));
            }
            let mut item = AnswerItem::new(text, ItemKind::Bullet);
            item.date = sources.iter().filter_map(|s| s.date).max();
            let docs: HashSet<&str> = sources.iter().map(|s| s.doc.as_str()).collect();
            item.source_count = (docs.len() >= 2).then_some(docs.len());
            item.sources = sources;
            answer.items.push(item);
        }
        Ok(answer)
    }

    /// The candidates for a topic (see the module doc); `None` when nothing matches.
    pub(super) fn gather(&self, topic: &str, scope: &Scope) -> Result<Option<Gathered>, CoreError> {
        let (mut terms, mut understood) = self.resolve_terms(topic)?;
        if terms.is_empty() {
            return Ok(None);
        }
        let mut fuller = None;
        if let Some((name, fuller_terms)) = self.fuller_name(understood.as_deref().unwrap_or(topic), &terms) {
            let hits = self.search_sentences(&fuller_terms, 5, true, scope)?;
            if hits.len() >= 3 {
                terms = fuller_terms;
                fuller = Some(name);
                understood = None;
            }
        }
        // A name of several words is meant as a phrase ("trump university", not "Trump ...
        // Hofstra University"), when the corpus has it as one.
        let mut hits = if terms.len() >= 2 { self.search_phrase(&terms, BRIEF_HITS, scope)? } else { Vec::new() };
        if hits.len() < 3 {
            hits = self.search_sentences(&terms, BRIEF_HITS, true, scope)?;
        }
        if hits.is_empty() {
            return Ok(None);
        }
        let mut analyzer = self.analyzer();
        let query: HashSet<&str> = terms.iter().map(String::as_str).collect();
        // The newest articles whose headline names the topic, though their sentences may
        // not rank among the best matches (a long report of the outcome loses to short
        // sentences that name the topic).
        let headlines = self.headline_articles(&terms, scope)?;

        // What each article says: how often it mentions the topic, how well, and whether
        // its headline names it.
        let mut stats: BTreeMap<String, DocStat> = BTreeMap::new();
        let mut hit_at: HashMap<(String, u64), f32> = HashMap::new();
        for (score, d) in &hits {
            let doc = str_field(d, self.fields.doc).unwrap_or_default().to_string();
            hit_at.insert((doc.clone(), u64_field(d, self.fields.pos)), *score);
            let st = stats.entry(doc).or_insert(DocStat { mentions: 0, best: 0.0, title: 0.0 });
            st.mentions += 1;
            st.best = st.best.max(*score);
        }
        for (doc, _) in &headlines {
            stats.entry(doc.clone()).or_insert(DocStat { mentions: 0, best: 0.0, title: 0.0 });
        }
        // Each article's row is read once per answer (title and day): the candidates and the
        // freshness ranks below ask for the day of the same articles hundreds of times.
        let mut days: HashMap<String, i64> = HashMap::new();
        for (doc, st) in stats.iter_mut() {
            let row = self.doc(doc);
            days.insert(doc.clone(), day_number(row.as_ref().and_then(|s| s.date)));
            let title = row.map(|s| s.title).unwrap_or_default();
            let title_terms: HashSet<String> = index::analyse_terms(&mut analyzer, &title).into_iter().collect();
            st.title = query.iter().filter(|q| title_terms.contains(**q)).count() as f32 / query.len().max(1) as f32;
        }
        let max_mentions = stats.values().map(|s| s.mentions).max().unwrap_or(1).max(1);
        let max_best = stats.values().map(|s| s.best).fold(0.0f32, f32::max).max(1e-6);
        let mention_norm = |m: usize| ((1 + m) as f32).ln() / ((1 + max_mentions.max(4)) as f32).ln();
        let day_of = |doc: &str| days.get(doc).copied().unwrap_or_else(|| day_number(self.doc(doc).and_then(|s| s.date)));
        // A running story: the articles about it (their headlines name it; else the
        // matches) span more than a month. Its newest articles carry its latest turn (who
        // won, how it ended), so they are read first and weigh a little more.
        let spread: Vec<i64> = if headlines.len() >= 3 {
            headlines.iter().map(|h| h.1).filter(|d| *d >= 0).collect()
        } else {
            stats.keys().map(|d| day_of(d)).filter(|d| *d >= 0).collect()
        };
        let (first_day, last_day) = (spread.iter().copied().min().unwrap_or(0), spread.iter().copied().max().unwrap_or(0));
        let running = last_day - first_day > 30;
        // How recent an article is: by rank among the articles about the topic (the share
        // of them that are newer), so that the last days of a story months long stand out.
        let fresh = |doc: &str| -> f32 {
            let day = day_of(doc);
            if !running || day < 0 { 0.0 } else { 1.0 - spread.iter().filter(|d| **d > day).count() as f32 / spread.len() as f32 }
        };
        let first_look = |d: &str, s: &DocStat| 0.5 * s.title + 0.3 * mention_norm(s.mentions) + 0.2 * s.best / max_best + 0.3 * s.title * fresh(d);
        let mut ranked: Vec<(&String, f32)> = stats.iter().map(|(d, s)| (d, first_look(d, s))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));

        let mut cands: Vec<Candidate> = Vec::new();
        let mut seen: HashSet<(String, u64)> = HashSet::new();
        for (doc, _) in ranked.iter().take(BRIEF_DOCS) {
            let st = &stats[*doc];
            let doc_fresh = fresh(doc);
            let sents = self.sentences_of(doc)?;
            // The lead: the first sentences of prose (past labels such as "ABSTRACT.").
            let lead_end =
                sents.iter().filter(|s| u64_field(s, self.fields.prose) == 1).nth(LEAD_SENTENCES - 1).map_or(u64::MAX, |s| u64_field(s, self.fields.pos));
            let all_terms: Vec<Vec<String>> = sents.iter().map(|s| sorted_terms(&mut analyzer, str_field(s, self.fields.text).unwrap_or_default())).collect();
            let names = |terms: &[String]| query.iter().all(|q| terms.binary_search_by(|t| t.as_str().cmp(q)).is_ok());
            let positions: Vec<u64> = hit_at.keys().filter(|k| k.0 == **doc).map(|k| k.1).collect();
            let lead_hit = positions.iter().any(|p| *p <= lead_end);
            // An article is about the topic when its headline names it, its lead mentions it
            // and it comes back to it; a passing mention has none of these.
            let about = 0.45 * st.title + 0.25 * f32::from(u8::from(lead_hit)) + 0.3 * mention_norm(st.mentions);
            for (s, terms) in sents.iter().zip(all_terms) {
                let pos = u64_field(s, self.fields.pos);
                let lead = pos <= lead_end;
                let text = str_field(s, self.fields.text).unwrap_or_default();
                // A mention the search did not rank among its best still names the topic.
                let hit = hit_at.get(&((*doc).clone(), pos)).copied().or_else(|| names(&terms).then_some(0.5 * max_best));
                let near = positions.iter().any(|p| p.abs_diff(pos) <= 4);
                if !(hit.is_some() || near || lead && about >= 0.4) || !seen.insert(((*doc).clone(), pos)) {
                    continue;
                }
                cands.push(Candidate {
                    doc: (*doc).clone(),
                    pos,
                    span: (u64_field(s, self.fields.start), u64_field(s, self.fields.end)),
                    text: text.to_string(),
                    terms,
                    is_hit: hit.is_some(),
                    score: hit.unwrap_or(0.0),
                    standalone: u64_field(s, self.fields.prose) == 1 && is_prose(text),
                    about,
                    lead,
                    day: day_of(doc),
                    fresh: doc_fresh,
                });
            }
        }
        // Matches in the other articles: reports of the same facts, and bullets of their own.
        for (score, d) in &hits {
            let doc = str_field(d, self.fields.doc).unwrap_or_default().to_string();
            let pos = u64_field(d, self.fields.pos);
            if seen.insert((doc.clone(), pos)) {
                let text = str_field(d, self.fields.text).unwrap_or_default();
                let st = &stats[&doc];
                cands.push(Candidate {
                    doc: doc.clone(),
                    pos,
                    span: (u64_field(d, self.fields.start), u64_field(d, self.fields.end)),
                    text: text.to_string(),
                    terms: sorted_terms(&mut analyzer, text),
                    is_hit: true,
                    score: *score,
                    standalone: is_prose(text),
                    about: 0.45 * st.title + 0.3 * mention_norm(st.mentions),
                    lead: false,
                    day: day_of(&doc),
                    fresh: fresh(&doc),
                });
            }
        }
        let notice = if let Some(c) = understood {
            Some(format!("Nothing matched “{topic}” exactly; showing results for “{c}”."))
        } else {
            fuller.map(|name| format!("Showing results for “{name}”, the name with “{topic}” the corpus mentions most."))
        };
        Ok(Some(Gathered { cands, terms, notice }))
    }

    /// The newest articles whose headline has every query term, with their days: newest
    /// first, equal days by article id (whatever the indexing order).
    fn headline_articles(&self, terms: &[String], scope: &Scope) -> Result<Vec<(String, i64)>, CoreError> {
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.fields.kind_query(KIND_DOC))];
        for t in terms {
            clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.title, t), IndexRecordOption::Basic))));
        }
        let n = BRIEF_HEADLINES;
        let newest = TopDocs::with_limit(n * 4 + 1).order_by_fast_field::<i64>("day", tantivy::Order::Desc);
        let found: Vec<(i64, tantivy::DocAddress)> = searcher
            .search(&*scope.restrict(&self.fields, Box::new(BooleanQuery::new(clauses))), &newest)?
            .into_iter()
            .map(|(d, a)| (d.unwrap_or(-1), a))
            .collect();
        // Every article as new as the `n`-th (see `top_stable`).
        let floor = found.get(n.max(1) - 1).map_or(i64::MIN, |f| f.0);
        let mut out = Vec::new();
        for (day, a) in found.into_iter().filter(|f| f.0 >= floor) {
            let d: TantivyDocument = searcher.doc(a)?;
            out.push((str_field(&d, self.fields.doc).unwrap_or_default().to_string(), day));
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.truncate(n);
        Ok(out)
    }

    /// Standalone sentences with the terms next to each other, in order (one word may sit
    /// between them: a stop word such as "of").
    fn search_phrase(&self, terms: &[String], limit: usize, scope: &Scope) -> Result<Vec<(f32, TantivyDocument)>, CoreError> {
        // Through the words' pruned conjunction (see `phrase`): the same records.
        self.phrase_sentences(terms, 1, limit, scope)
    }

    /// A partial name ("wasserman") of a person the corpus names in full ("Debbie Wasserman
    /// Schultz"): when the most mentioned entity whose name holds the words is a person with
    /// more to the name after them, the query becomes the name from those words on (never for
    /// initials alone).
    fn fuller_name(&self, topic: &str, terms: &[String]) -> Option<(String, Vec<String>)> {
        let state = self.state.read().expect("state lock");
        let best = state.table.containing_words(topic).into_iter().find(|e| e.docs >= 2)?;
        if best.kind != EntityKind::Person {
            return None;
        }
        let asked = name_key(topic);
        let asked: Vec<&str> = asked.split(' ').collect();
        let full = name_key(&best.name);
        let words: Vec<&str> = full.split(' ').collect();
        let from = words.iter().position(|w| asked.contains(w))?;
        let part = words[from..].join(" ");
        let mut analyzer = self.analyzer();
        let fuller = dedup(index::analyse_terms(&mut analyzer, &part));
        // Only more *name* to search by: a middle initial ("Merrick B. Garland" for "merrick
        // garland") narrows the phrase to the articles that write it, and widens nothing.
        let more = fuller.iter().any(|t| !terms.contains(t) && t.chars().count() > 1);
        (more && terms.iter().all(|t| fuller.contains(t))).then(|| (best.name.clone(), fuller))
    }
}

fn sorted_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut v = index::analyse_terms(analyzer, text);
    v.sort();
    v.dedup();
    v
}
