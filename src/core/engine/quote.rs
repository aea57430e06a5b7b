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
        // Group the same words reported by several articles, from the fast columns: only
        // the first record of each group shown is read (its words and speaker details).
        struct Group {
            first: tantivy::DocAddress,
            rank: u64,
            docs: Vec<(String, u64, u64)>,
            day: i64,
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut by_key: HashMap<u64, usize> = HashMap::new();
        // In a stable order (newest, then article and position), not the index's: the same
        // corpus gives the same answer however its index grew.
        let mut records = quote_rows(&searcher, &self.fields, &addrs)?;
        records.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.doc.cmp(&b.doc)).then(a.start.cmp(&b.start)));
        for r in records {
            match by_key.get(&r.key) {
                Some(&g) => {
                    if !groups[g].docs.iter().any(|x| x.0 == r.doc) {
                        groups[g].docs.push((r.doc, r.start, r.end));
                    }
                    groups[g].day = groups[g].day.max(r.day);
                }
                None => {
                    by_key.insert(r.key, groups.len());
                    groups.push(Group { first: r.addr, rank: r.rank, docs: vec![(r.doc, r.start, r.end)], day: r.day });
                }
            }
        }
        groups.sort_by(|a, b| a.rank.cmp(&b.rank).then(b.day.cmp(&a.day)).then(a.docs[0].cmp(&b.docs[0])));
        let total = groups.len();
        let state = self.state.read().expect("state lock");
        let mut answer = Answer::new("quote", query);
        for g in groups.into_iter().take(QUOTE_MAX_ITEMS) {
            let d: TantivyDocument = searcher.doc(g.first)?;
            let text = str_field(&d, self.fields.text).unwrap_or_default().to_string();
            let data: QuoteData = str_field(&d, self.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            let kind = match data.kind.unwrap_or(QuoteKind::Direct) {
                QuoteKind::Direct => ItemKind::Direct,
                QuoteKind::Indirect => ItemKind::Indirect,
                QuoteKind::Mixed => ItemKind::Mixed,
            };
            let mut item = AnswerItem::new(text, kind);
            item.speaker = Some(entity.name.clone());
            item.speaker_via = coref::via(data.name.as_deref(), data.mention.as_deref());
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
        let mut analyzer = self.analyzer();
        let terms = index::analyse_terms(&mut analyzer, if topic.is_empty() { who } else { topic });
        let mut speakers: Vec<String> = Vec::new();
        if !terms.is_empty() {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, KIND_QUOTE), IndexRecordOption::Basic)))];
            for t in &terms {
                clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(self.fields.text, t), IndexRecordOption::Basic))));
            }
            // Ties broken by article and position (`top_stable`): the same corpus names the
            // same speakers whatever the index's layout.
            let best = self.top_stable(&*scope.restrict(&self.fields, Box::new(BooleanQuery::new(clauses))), 50)?;
            let state = self.state.read().expect("state lock");
            for (_, d) in best {
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

/// A quote record's place in `/quote`'s grouping and order, from the fast columns.
struct QuoteRow {
    addr: tantivy::DocAddress,
    day: i64,
    doc: String,
    start: u64,
    end: u64,
    /// [`words_key`] of its words: the same words are one group.
    key: u64,
    rank: u64,
}

/// The rows of quote records, in the order given.
fn quote_rows(searcher: &tantivy::Searcher, fields: &Fields, addrs: &[tantivy::DocAddress]) -> Result<Vec<QuoteRow>, CoreError> {
    let ids = ties::tie_keys(searcher, fields, addrs)?;
    let schema = searcher.schema();
    let name = |f: tantivy::schema::Field| schema.get_field_name(f).to_string();
    let (day, start, end, key, rank) = (name(fields.day), name(fields.start), name(fields.end), name(fields.quote_key), name(fields.quote_kind));
    let mut rows = Vec::with_capacity(addrs.len());
    let mut columns: Option<(u32, [tantivy::columnar::Column<u64>; 4], tantivy::columnar::Column<i64>)> = None;
    for (a, (doc, _)) in addrs.iter().zip(ids) {
        if columns.as_ref().is_none_or(|c| c.0 != a.segment_ord) {
            let fast = searcher.segment_reader(a.segment_ord).fast_fields();
            columns = Some((a.segment_ord, [fast.u64(&start)?, fast.u64(&end)?, fast.u64(&key)?, fast.u64(&rank)?], fast.i64(&day)?));
        }
        let (_, [start, end, key, rank], day) = columns.as_ref().expect("set above");
        let d = a.doc_id;
        rows.push(QuoteRow {
            addr: *a,
            day: day.first(d).unwrap_or(-1),
            doc: doc.unwrap_or_default(),
            start: start.first(d).unwrap_or(0),
            end: end.first(d).unwrap_or(0),
            key: key.first(d).unwrap_or(0),
            rank: rank.first(d).unwrap_or(0),
        });
    }
    Ok(rows)
}

/// The key under which the same words reported by several articles are one `/quote` item:
/// the first eight bytes of the SHA-256 of their [`name_key`] (stable across builds).
pub(super) fn words_key(text: &str) -> u64 {
    let digest = Sha256::digest(name_key(text).as_bytes());
    u64::from_le_bytes(digest[..8].try_into().expect("eight bytes"))
}

/// Direct quotes first, then mixed, then reported ones.
pub(super) fn kind_rank(kind: QuoteKind) -> u64 {
    match kind {
        QuoteKind::Direct => 0,
        QuoteKind::Mixed => 1,
        QuoteKind::Indirect => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/quote` as it was before the fast columns: every candidate read from the document
    /// store, grouped by its words' key. The reference for the answers.
    fn quote_from_stored(engine: &Engine, query: &str) -> Answer {
        let state = engine.state.read().expect("state lock");
        let (entity, topic) = state.table.split_name_and_topic(query).expect("a speaker");
        let (entity, topic) = (entity.clone(), topic.to_string());
        drop(state);
        let searcher = engine.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(engine.fields.kind, KIND_QUOTE), IndexRecordOption::Basic))),
            (Occur::Must, Box::new(speaker_query(&engine.fields, &entity))),
        ];
        for t in index::analyse_terms(&mut engine.analyzer(), &topic) {
            clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(engine.fields.text, &t), IndexRecordOption::Basic))));
        }
        let newest = TopDocs::with_limit(QUOTE_CANDIDATES).order_by_fast_field::<i64>("day", tantivy::Order::Desc);
        let addrs: Vec<tantivy::DocAddress> = searcher.search(&BooleanQuery::new(clauses), &newest).unwrap().into_iter().map(|(_, a)| a).collect();
        let mut records: Vec<(i64, String, u64, TantivyDocument)> = addrs
            .into_iter()
            .map(|a| {
                let d: TantivyDocument = searcher.doc(a).unwrap();
                let day = d.get_first(engine.fields.day).and_then(|v| v.as_i64()).unwrap_or(-1);
                (day, str_field(&d, engine.fields.doc).unwrap_or_default().to_string(), u64_field(&d, engine.fields.start), d)
            })
            .collect();
        records.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        // Words, kind, (article, start, end), newest day, the mention reached through.
        type Group = (String, QuoteKind, Vec<(String, u64, u64)>, i64, Option<String>);
        let mut groups: Vec<Group> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (day, doc, _, d) in records {
            let text = str_field(&d, engine.fields.text).unwrap_or_default().to_string();
            let data: QuoteData = str_field(&d, engine.fields.data).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            let (start, end) = (u64_field(&d, engine.fields.start), u64_field(&d, engine.fields.end));
            match by_key.get(&name_key(&text)) {
                Some(&g) => {
                    if !groups[g].2.iter().any(|x| x.0 == doc) {
                        groups[g].2.push((doc, start, end));
                    }
                    groups[g].3 = groups[g].3.max(day);
                }
                None => {
                    by_key.insert(name_key(&text), groups.len());
                    let via = coref::via(data.name.as_deref(), data.mention.as_deref());
                    groups.push((text, data.kind.unwrap_or(QuoteKind::Direct), vec![(doc, start, end)], day, via));
                }
            }
        }
        groups.sort_by(|a, b| kind_rank(a.1).cmp(&kind_rank(b.1)).then(b.3.cmp(&a.3)).then(a.2[0].cmp(&b.2[0])));
        let total = groups.len();
        let state = engine.state.read().expect("state lock");
        let mut answer = Answer::new("quote", query);
        for (text, kind, docs, day, via) in groups.into_iter().take(QUOTE_MAX_ITEMS) {
            let kind = match kind {
                QuoteKind::Direct => ItemKind::Direct,
                QuoteKind::Indirect => ItemKind::Indirect,
                QuoteKind::Mixed => ItemKind::Mixed,
            };
            let mut item = AnswerItem::new(text, kind);
            item.speaker = Some(entity.name.clone());
            item.speaker_via = via;
            item.sources = docs.iter().map(|(d, start, end)| engine.source(&state, d).at(*start, *end)).collect();
            item.date = from_day_number(day);
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
        answer
    }

    /// Articles quoting a few people, the same words in several articles (some on the same
    /// day), direct and reported quotes, names in an order unrelated to the writing order.
    fn write_articles(dir: &std::path::Path, from: usize, to: usize) {
        let people = ["Anna Kovacs", "Tomas Brenner", "Lena Osei"];
        let said = [
            "\"We will rebuild the bridge before winter,\" said {p}.",
            "\"The harbour must stay open to every ferry,\" said {p}.",
            "{p} said that the council would vote on the budget next week.",
            "\"Nobody expected the storm to last so long,\" {p} told reporters.",
        ];
        for a in from..to {
            let mut text = format!("---\ntitle: Council notes {a}\ndate: 2031-{:02}-{:02}\n---\n", 1 + a % 3, 1 + (a * 7) % 5);
            for k in 0..3 {
                let p = people[(a + k) % people.len()];
                let s = said[(a * 3 + k * 5) % said.len()].replace("{p}", p);
                text.push_str(&format!("The meeting in the town hall ran late on the {k}th evening of talks. {s}\n"));
                if (a + k) % 4 == 0 {
                    text.push_str(&format!("\"Talk number {a} was about the mill road and its repairs,\" said {p}.\n"));
                }
            }
            let name = format!("{:x}-{a}.md", (a as u64).wrapping_mul(2654435761) % 4096);
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    #[test]
    fn quotes_grouped_from_fast_columns_are_the_stored_fields_answer() {
        let dir = tempfile::tempdir().unwrap();
        let corpus_dir = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus_dir).unwrap();
        write_articles(&corpus_dir, 0, 60);
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus_dir, dir.path().join("data"))).unwrap();
        write_articles(&corpus_dir, 60, 100);
        engine.refresh().unwrap();
        write_articles(&corpus_dir, 100, 130);
        std::fs::write(
            corpus_dir.join(format!("{:x}-{}.md", 5u64.wrapping_mul(2654435761) % 4096, 5)),
            "---\ntitle: Edited\ndate: 2031-02-02\n---\n\"A new word on the bridge,\" said Anna Kovacs.\n",
        )
        .unwrap();
        engine.refresh().unwrap();
        assert!(engine.reader.searcher().segment_readers().len() >= 3);
        let mut grouped = 0;
        for q in ["anna kovacs", "tomas brenner", "lena osei", "kovacs bridge", "brenner harbour", "osei budget", "kovacs mill"] {
            let got = engine.quote(q, &Scope::everything()).unwrap();
            let want = quote_from_stored(&engine, q);
            assert!(!want.items.is_empty(), "{q}: {want:?}");
            assert_eq!(serde_json::to_string(&got).unwrap(), serde_json::to_string(&want).unwrap(), "{q}");
            grouped += got.items.iter().filter(|i| i.sources.len() > 1).count();
        }
        // The same words from several articles are one item (the grouping is exercised).
        assert!(grouped >= 5, "{grouped}");
    }
}
