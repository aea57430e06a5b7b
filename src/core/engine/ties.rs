//! The order of a query's best records, equal scores included, without reading them.
//!
//! [`Engine::top_stable`] keeps every record as good as the `limit`-th, up to four times
//! `limit` of them, and orders equal scores by (article id, position) so that the same
//! corpus gives the same records whatever the index's layout. Both keys are fast columns
//! (`doc` since index version 14, `pos` before it): the article id is the record's term
//! ordinal in its segment's column, turned back into the id through the segment's
//! dictionary (ordinals of one segment are sorted, so each segment's candidates are read in
//! one pass over the dictionary blocks they fall in; ids of different segments compare as
//! strings). Only the `limit` records kept are read from the document store, where before
//! every candidate was (an LZ4 block decompressed and a record decoded per candidate: a
//! generated corpus's template sentences tie by the thousand, so 401 or 801 of them).

use tantivy::DocAddress;

use super::*;

/// A record's place among records of equal score: its article id (`None` when it has none,
/// first, as the stored field compared) and its position in the article.
pub(super) type TieKey = (Option<String>, u64);

impl Engine {
    /// [`Engine::top_stable`]'s second half: the records as good as the `limit`-th (scores to
    /// 15 bits), equal scores ordered by article and position (see the module doc); only
    /// those returned are read from the document store.
    pub(super) fn stable_records(
        &self,
        searcher: &tantivy::Searcher,
        best: Vec<(f32, DocAddress)>,
        limit: usize,
    ) -> Result<Vec<(f32, TantivyDocument)>, CoreError> {
        let best: Vec<(f32, DocAddress)> = best.into_iter().map(|(s, a)| (coarse(s), a)).collect();
        let floor = best.get(limit - 1).map_or(f32::MIN, |a| a.0);
        let best: Vec<(f32, DocAddress)> = best.into_iter().filter(|a| a.0 >= floor).collect();
        let keys = tie_keys(searcher, &self.fields, &best.iter().map(|a| a.1).collect::<Vec<_>>())?;
        // A stable sort of the candidates as they came: the order the stored fields gave.
        let mut order: Vec<usize> = (0..best.len()).collect();
        order.sort_by(|&i, &j| {
            best[j].0.total_cmp(&best[i].0).then_with(|| keys[i].0.as_deref().cmp(&keys[j].0.as_deref())).then_with(|| keys[i].1.cmp(&keys[j].1))
        });
        order.truncate(limit);
        order.into_iter().map(|i| Ok((best[i].0, searcher.doc(best[i].1)?))).collect()
    }
}

/// A score to 15 bits of mantissa, as [`Engine::top_stable`] compares them: the same sentence
/// scores the same in any segment (tantivy sums a query's parts in an order that depends on
/// the segment).
pub(super) fn coarse(s: f32) -> f32 {
    f32::from_bits(s.to_bits() & !0xFF)
}

/// The (article id, position) of each record, from the fast columns, in the order given.
/// A segment without the `doc` column (no record of it has an id) reads the stored fields.
pub(super) fn tie_keys(searcher: &tantivy::Searcher, fields: &Fields, addrs: &[DocAddress]) -> Result<Vec<TieKey>, CoreError> {
    let mut keys: Vec<TieKey> = vec![(None, 0); addrs.len()];
    let mut by_segment: Vec<usize> = (0..addrs.len()).collect();
    by_segment.sort_by_key(|&i| addrs[i]);
    let schema = searcher.schema();
    let (doc_name, pos_name) = (schema.get_field_name(fields.doc), schema.get_field_name(fields.pos));
    for group in by_segment.chunk_by(|&i, &j| addrs[i].segment_ord == addrs[j].segment_ord) {
        let reader = searcher.segment_reader(addrs[group[0]].segment_ord);
        let fast = reader.fast_fields();
        let Some(ids) = fast.str(doc_name)? else {
            for &i in group {
                let d: TantivyDocument = searcher.doc(addrs[i])?;
                keys[i] = (str_field(&d, fields.doc).map(str::to_string), u64_field(&d, fields.pos));
            }
            continue;
        };
        let pos = fast.u64(pos_name)?;
        // (term ordinal, candidate), by ordinal: the dictionary is read forward once.
        let mut ords: Vec<(u64, usize)> = Vec::with_capacity(group.len());
        for &i in group {
            let doc = addrs[i].doc_id;
            keys[i].1 = pos.first(doc).unwrap_or(0);
            if let Some(ord) = ids.term_ords(doc).next() {
                ords.push((ord, i));
            }
        }
        ords.sort_unstable();
        let sorted: Vec<u64> = ords.iter().map(|o| o.0).collect();
        let mut next = ords.iter();
        let found = ids
            .dictionary()
            .sorted_ords_to_term_cb(&sorted, |bytes| {
                if let Some(&(_, i)) = next.next() {
                    keys[i].0 = Some(String::from_utf8_lossy(bytes).into_owned());
                }
            })
            .map_err(|e| CoreError::Index(e.into()))?;
        if !found {
            return Err(CoreError::Index(tantivy::TantivyError::InternalError("an article id's ordinal is not in its segment's dictionary".into())));
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The old order, from the stored fields of every candidate: the reference.
    fn stored_order(engine: &Engine, searcher: &tantivy::Searcher, best: Vec<(f32, DocAddress)>, limit: usize) -> Vec<(u32, String, u64)> {
        let best: Vec<(f32, DocAddress)> = best.into_iter().map(|(s, a)| (coarse(s), a)).collect();
        let floor = best.get(limit - 1).map_or(f32::MIN, |a| a.0);
        let mut hits: Vec<(f32, TantivyDocument)> = best.into_iter().filter(|a| a.0 >= floor).map(|(s, a)| (s, searcher.doc(a).unwrap())).collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| str_field(&a.1, engine.fields.doc).cmp(&str_field(&b.1, engine.fields.doc)))
                .then_with(|| u64_field(&a.1, engine.fields.pos).cmp(&u64_field(&b.1, engine.fields.pos)))
        });
        hits.truncate(limit);
        key(&engine.fields, &hits)
    }

    fn key(fields: &Fields, hits: &[(f32, TantivyDocument)]) -> Vec<(u32, String, u64)> {
        hits.iter().map(|(s, d)| (s.to_bits(), str_field(d, fields.doc).unwrap_or_default().to_string(), u64_field(d, fields.pos))).collect()
    }

    /// Articles made of a few sentences repeated verbatim (they tie by the dozen) among
    /// varied ones, at varied positions, some twice in one article; file names in an
    /// order unrelated to the order they are written in.
    fn write_articles(dir: &std::path::Path, from: usize, to: usize, seed: &mut u64) {
        let templates = [
            "The council closed the old bridge over the river for repairs.",
            "Ferry crossings resumed after the storm passed the harbour.",
            "The council said the river bridge would reopen in spring.",
        ];
        let words = ["harbour", "storm", "market", "road", "school", "council", "river", "mill", "tower", "garden", "station", "square"];
        let mut next = |n: usize| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((*seed >> 33) % n as u64) as usize
        };
        for a in from..to {
            let mut text = format!("---\ntitle: Harbour notes {a}\ndate: 2031-{:02}-{:02}\n---\n", 1 + a % 12, 1 + a % 28);
            for _ in 0..(3 + next(5)) {
                if next(3) == 0 {
                    text.push_str(templates[next(templates.len())]);
                } else {
                    let len = 5 + next(12);
                    let mut s: Vec<&str> = (0..len).map(|_| words[next(words.len())]).collect();
                    s.push("today");
                    let mut sentence = s.join(" ");
                    sentence[..1].make_ascii_uppercase();
                    text.push_str(&sentence);
                    text.push('.');
                }
                text.push('\n');
            }
            // Names sort neither by batch nor by number.
            let name = format!("{:x}-{a}.md", (a as u64).wrapping_mul(2654435761) % 4096);
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    #[test]
    fn tie_order_from_fast_columns_is_the_stored_fields_order() {
        let dir = tempfile::tempdir().unwrap();
        let corpus_dir = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus_dir).unwrap();
        let mut seed = 11u64;
        write_articles(&corpus_dir, 0, 90, &mut seed);
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus_dir, dir.path().join("data"))).unwrap();
        // More segments: two more batches, and an edit (a deletion in the first segment).
        write_articles(&corpus_dir, 90, 150, &mut seed);
        engine.refresh().unwrap();
        write_articles(&corpus_dir, 150, 200, &mut seed);
        write_articles(&corpus_dir, 3, 4, &mut seed);
        engine.refresh().unwrap();
        let searcher = engine.reader.searcher();
        assert!(searcher.segment_readers().len() >= 3, "{} segments", searcher.segment_readers().len());

        let mut analyzer = index::news_analyzer();
        let mut wide_ties = 0;
        let mut compared = 0;
        for words in ["council bridge", "river", "ferry harbour", "storm", "today", "council river bridge repairs"] {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, engine.fields.kind_query(KIND_SENTENCE))];
            for t in index::analyse_terms(&mut analyzer, words) {
                clauses.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(engine.fields.text, &t), IndexRecordOption::WithFreqs))));
            }
            let q = BooleanQuery::new(clauses);
            // Every match: the fast columns' keys are the stored fields'.
            let all = engine.scored(&searcher, &q, &TopDocs::with_limit(100_000).order_by_score()).unwrap();
            assert!(all.len() > 20, "{words}: {} matches", all.len());
            let addrs: Vec<DocAddress> = all.iter().map(|a| a.1).collect();
            let fast = tie_keys(&searcher, &engine.fields, &addrs).unwrap();
            let stored: Vec<TieKey> = addrs
                .iter()
                .map(|&a| {
                    let d: TantivyDocument = searcher.doc(a).unwrap();
                    (str_field(&d, engine.fields.doc).map(str::to_string), u64_field(&d, engine.fields.pos))
                })
                .collect();
            assert_eq!(fast, stored, "{words}");
            // The records kept, in order, for limits below, at and above the ties' width.
            for limit in [1, 2, 5, 12, 40] {
                let best = engine.scored(&searcher, &q, &TopDocs::with_limit(limit * 4 + 1).order_by_score()).unwrap();
                let floor = coarse(best.get(limit - 1).map_or(f32::MIN, |a| a.0));
                let tied: Vec<&(f32, DocAddress)> = best.iter().filter(|a| coarse(a.0) == floor).collect();
                let segments: std::collections::BTreeSet<u32> = tied.iter().map(|a| a.1.segment_ord).collect();
                if tied.len() > limit && segments.len() > 1 {
                    wide_ties += 1;
                }
                let want = stored_order(&engine, &searcher, best.clone(), limit);
                let got = engine.stable_records(&searcher, best, limit).unwrap();
                assert_eq!(key(&engine.fields, &got), want, "{words}, limit {limit}");
                compared += 1;
            }
        }
        eprintln!("{} segments; {wide_ties} of {compared} cuts inside a tie across segments", searcher.segment_readers().len());
        // The order is not decided by scores alone: records tied across segments are cut.
        assert!(wide_ties >= 5, "{wide_ties} of {compared}");
    }
}
