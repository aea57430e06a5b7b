//! `/quote`: what a person said (on a topic), from the index's quote records: the newest of
//! the speaker's quotes, the same words reported by several articles grouped as one item
//! with each article as a source, direct quotes before mixed and reported ones; and, when
//! there are none, who is quoted on the topic instead.

use super::*;

const QUOTE_MAX_ITEMS: usize = 8;
/// How many of a speaker's newest quotes are read to choose the items shown.
const QUOTE_CANDIDATES: usize = 300;

impl Engine {
    pub(super) fn quote(&self, query: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let state = self.state.read().expect("state lock");
        let Some((entity, topic)) = state.table.split_name_and_topic(query) else {
            drop(state);
            return self.no_quotes(query, query, scope);
        };
        let entity = entity.clone();
        let topic = topic.to_string();
        drop(state);
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_QUOTE), IndexRecordOption::Basic))),
            (Occur::Must, Box::new(speaker_query(&self.fields, &entity))),
        ];
        let mut analyzer = self.analyzer();
        for t in index::analyse_terms(&mut analyzer, &topic) {
            clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.text, &t), IndexRecordOption::Basic))));
        }
        // The newest quotes are the ones shown: a prolific speaker's thousands are not all read.
        let newest = TopDocs::with_limit(QUOTE_CANDIDATES).order_by_fast_field::<i64>("day", tantivy::Order::Desc);
        let addrs: Vec<tantivy::DocAddress> =
            searcher.search(&*scope.restrict(&self.fields, Box::new(BooleanQuery::new(clauses))), &newest)?.into_iter().map(|(_, a)| a).collect();
        if addrs.is_empty() {
            return self.no_quotes(&entity.name, &topic, scope);
        }
        // Group the same words reported by several articles.
        struct Group {
            text: String,
            kind: QuoteKind,
            docs: Vec<(String, u64, u64)>,
            day: i64,
            via: Option<String>,
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // In a stable order (newest, then article and position), not the index's: the same
        // corpus gives the same answer however its index grew.
        let mut records: Vec<(i64, String, u64, TantivyDocument)> = Vec::with_capacity(addrs.len());
        for a in addrs {
            let d: TantivyDocument = searcher.doc(a)?;
            let day = d.get_first(self.fields.day).and_then(|v| v.as_i64()).unwrap_or(-1);
            records.push((day, str_field(&d, self.fields.doc).unwrap_or_default().to_string(), u64_field(&d, self.fields.start), d));
        }
        records.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (day, doc, _, d) in records {
            let text = str_field(&d, self.fields.text).unwrap_or_default().to_string();
            let data: QuoteData = str_field(&d, self.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            let key = name_key(&text);
            match by_key.get(&key) {
                Some(&g) => {
                    if !groups[g].docs.iter().any(|x| x.0 == doc) {
                        groups[g].docs.push((doc, u64_field(&d, self.fields.start), u64_field(&d, self.fields.end)));
                    }
                    groups[g].day = groups[g].day.max(day);
                }
                None => {
                    by_key.insert(key, groups.len());
                    let via = coref::via(data.name.as_deref(), data.mention.as_deref());
                    groups.push(Group {
                        text,
                        kind: data.kind.unwrap_or(QuoteKind::Direct),
                        docs: vec![(doc, u64_field(&d, self.fields.start), u64_field(&d, self.fields.end))],
                        day,
                        via,
                    });
                }
            }
        }
        let rank = |k: QuoteKind| match k {
            QuoteKind::Direct => 0,
            QuoteKind::Mixed => 1,
            QuoteKind::Indirect => 2,
        };
        groups.sort_by(|a, b| rank(a.kind).cmp(&rank(b.kind)).then(b.day.cmp(&a.day)).then(a.docs[0].cmp(&b.docs[0])));
        let total = groups.len();
        let state = self.state.read().expect("state lock");
        let mut answer = Answer::new("quote", query);
        for g in groups.into_iter().take(QUOTE_MAX_ITEMS) {
            let kind = match g.kind {
                QuoteKind::Direct => ItemKind::Direct,
                QuoteKind::Indirect => ItemKind::Indirect,
                QuoteKind::Mixed => ItemKind::Mixed,
            };
            let mut item = AnswerItem::new(g.text, kind);
            item.speaker = Some(entity.name.clone());
            item.speaker_via = g.via;
            item.sources = g.docs.iter().map(|(d, start, end)| self.source(&state, d).at(*start, *end)).collect();
            item.date = from_day_number(g.day);
            answer.items.push(item);
        }
        if total > QUOTE_MAX_ITEMS {
            answer.notice = Some(format!(
                "{} of {total} quotes from {}; add a topic to narrow them: /quote {} <topic>",
                QUOTE_MAX_ITEMS,
                entity.name,
                entity.name.to_lowercase()
            ));
        }
        Ok(answer)
    }

    /// No quotes from this person (on this topic): say so, and who is quoted on it.
    fn no_quotes(&self, who: &str, topic: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let searcher = self.reader.searcher();
        let mut analyzer = self.analyzer();
        let terms = index::analyse_terms(&mut analyzer, if topic.is_empty() { who } else { topic });
        let mut speakers: Vec<String> = Vec::new();
        if !terms.is_empty() {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_QUOTE), IndexRecordOption::Basic)))];
            for t in &terms {
                clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.text, t), IndexRecordOption::Basic))));
            }
            let state = self.state.read().expect("state lock");
            for (_, a) in
                self.scored(&searcher, &*scope.restrict(&self.fields, Box::new(BooleanQuery::new(clauses))), &TopDocs::with_limit(50).order_by_score())?
            {
                let d: TantivyDocument = searcher.doc(a)?;
                let data: QuoteData = str_field(&d, self.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
                if let Some(n) = data.name {
                    let n = state.table.canonical(&n).unwrap_or(&n).to_string();
                    if !speakers.contains(&n) {
                        speakers.push(n);
                    }
                }
            }
        }
        let about = if topic.is_empty() { String::new() } else { format!(" on {topic}") };
        let mut notice = format!("No quotes from {who}{about} in the corpus.");
        if !speakers.is_empty() {
            speakers.truncate(6);
            notice.push_str(&format!(" Quoted on {}: {}.", if topic.is_empty() { who } else { topic }, speakers.join(", ")));
        }
        Ok(Answer::new("quote", format!("{who} {topic}").trim()).with_notice(notice))
    }
}
