//! `/background`: who or what a topic is (the entity's kind and roles, sentences that
//! describe it), its timeline (dated sentences about it, oldest first, with the dates the
//! sources disagree on) and the names that come up with it.

use super::differ::TimelineEvent;
use super::*;

impl Engine {
    pub(super) fn background(&self, topic: &str, scope: &Scope) -> Result<Answer, CoreError> {
        let entity = self.entity(topic);
        let search_text = entity.as_ref().map_or(topic.to_string(), |e| e.name.clone());
        let (mut terms, _) = self.resolve_terms(&search_text)?;
        let mut hits = if terms.is_empty() { Vec::new() } else { self.search_sentences(&terms, 200, false, scope)? };
        // People are often named by surname alone.
        if let Some(e) = entity.as_ref().filter(|e| e.kind == EntityKind::Person && e.name.contains(' ')) {
            let surname = e.name.rsplit(' ').next().unwrap_or(&e.name);
            let (sterms, _) = self.resolve_terms(surname)?;
            let more = self.search_sentences(&sterms, 200, false, scope)?;
            let have: HashSet<(String, u64)> =
                hits.iter().map(|(_, d)| (str_field(d, self.fields.doc).unwrap_or_default().to_string(), u64_field(d, self.fields.pos))).collect();
            hits.extend(
                more.into_iter()
                    .filter(|(_, d)| !have.contains(&(str_field(d, self.fields.doc).unwrap_or_default().to_string(), u64_field(d, self.fields.pos)))),
            );
            terms = sterms;
        }
        if hits.is_empty() {
            return Ok(self.nothing_about("background", topic));
        }
        let state = self.state.read().expect("state lock");
        let name = entity.as_ref().map_or(topic.to_string(), |e| e.name.clone());
        let mut answer = Answer::new("background", &name);
        // Who or what: the entity's type and roles, then sentences that describe it.
        if let Some(e) = &entity {
            let kind = match e.kind {
                EntityKind::Person => "person",
                EntityKind::Organization => "organisation",
                EntityKind::Place => "place",
                EntityKind::Other => "named topic",
            };
            let mut line = format!("{} ({kind}, in {} article{})", e.name, e.docs, if e.docs == 1 { "" } else { "s" });
            if !e.roles.is_empty() {
                line.push_str(&format!(": {}", e.roles.iter().take(4).cloned().collect::<Vec<_>>().join("; ")));
            }
            answer.items.push(AnswerItem::new(line, ItemKind::About));
        }
        let lower_names: Vec<String> = entity.as_ref().map_or(vec![topic.to_lowercase()], |e| {
            let mut v = vec![e.name.to_lowercase()];
            if e.kind == EntityKind::Person {
                v.push(e.name.rsplit(' ').next().unwrap_or(&e.name).to_lowercase());
            }
            v
        });
        let mut described = 0;
        let mut used_texts: HashSet<String> = HashSet::new();
        for (_, d) in &hits {
            if described >= 2 {
                break;
            }
            let text = str_field(d, self.fields.text).unwrap_or_default();
            if describes(text, &lower_names) && is_prose(text) && used_texts.insert(text.to_string()) {
                let mut item = AnswerItem::new(text, ItemKind::About);
                let src =
                    self.source(&state, str_field(d, self.fields.doc).unwrap_or_default()).at(u64_field(d, self.fields.start), u64_field(d, self.fields.end));
                item.date = src.date;
                item.sources = vec![src];
                answer.items.push(item);
                described += 1;
            }
        }
        // Timeline: dated sentences about it, oldest first; a dated sentence that leans on a
        // matching one ("However, that route was severed in 1988") belongs to it too.
        // Date, precision, sentence, document, the sentence's code-point span.
        let mut events: Vec<TimelineEvent> = Vec::new();
        let mut docs_done: HashSet<String> = HashSet::new();
        let hit_keys: HashSet<(String, u64)> =
            hits.iter().map(|(_, d)| (str_field(d, self.fields.doc).unwrap_or_default().to_string(), u64_field(d, self.fields.pos))).collect();
        for (_, d) in hits.iter().take(60) {
            let doc = str_field(d, self.fields.doc).unwrap_or_default().to_string();
            if !docs_done.insert(doc.clone()) {
                continue;
            }
            let sents = self.sentences_of(&doc)?;
            for (i, s) in sents.iter().enumerate() {
                let pos = u64_field(s, self.fields.pos);
                let text = str_field(s, self.fields.text).unwrap_or_default();
                let is_hit = hit_keys.contains(&(doc.clone(), pos));
                let leans = i > 0 && brief::leans_on_previous(text) && hit_keys.contains(&(doc.clone(), u64_field(&sents[i - 1], self.fields.pos)));
                if !(is_hit || leans) || !is_prose(text) {
                    continue;
                }
                let Some(found) = str_field(s, self.fields.data).and_then(|j| serde_json::from_str::<Vec<(NaiveDate, Precision)>>(j).ok()) else { continue };
                if let Some((date, precision)) = found.first() {
                    events.push((*date, *precision, text.to_string(), doc.clone(), (u64_field(s, self.fields.start), u64_field(s, self.fields.end))));
                }
            }
        }
        events.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        let timeline_notes = self.timeline_disagreements(&state, &events)?;
        let mut seen_event: HashSet<String> = HashSet::new();
        for (date, precision, text, doc, (start, end)) in events {
            if !seen_event.insert(name_key(&text)) {
                continue;
            }
            if answer.items.iter().filter(|i| i.kind == Some(ItemKind::Event)).count() >= 8 {
                break;
            }
            let mut item = AnswerItem::new(text, ItemKind::Event);
            item.date = Some(date);
            item.when = Some(dates::label(date, precision));
            item.sources = vec![self.source(&state, &doc).at(start, end)];
            answer.items.push(item);
        }
        answer.items.extend(timeline_notes);
        // Related names: entities named in the same sentences, most frequent first.
        let mut counts: HashMap<String, (usize, EntityKind)> = HashMap::new();
        let skip: HashSet<String> = entity.as_ref().map(|e| e.aliases.iter().cloned().collect()).unwrap_or_default();
        for (_, d) in hits.iter().take(100) {
            let text = str_field(d, self.fields.text).unwrap_or_default();
            let sents = sentences::split(text);
            let ents = entities::analyse(text, &sents, 0);
            let mut in_sentence: HashSet<String> = HashSet::new();
            for m in &ents.mentions {
                let canonical = state.table.lookup(&m.name).map(|e| (e.name.clone(), e.kind)).unwrap_or((m.name.clone(), m.kind));
                if skip.contains(&name_key(&canonical.0)) || skip.contains(&name_key(&m.name)) || terms.iter().any(|t| name_key(&canonical.0) == *t) {
                    continue;
                }
                if in_sentence.insert(canonical.0.clone()) {
                    counts.entry(canonical.0).or_insert((0, canonical.1)).0 += 1;
                }
            }
        }
        let mut related: Vec<(String, usize, EntityKind)> = counts.into_iter().map(|(n, (c, k))| (n, c, k)).collect();
        related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (n, _, _) in related.into_iter().take(8) {
            answer.items.push(AnswerItem::new(n, ItemKind::Related));
        }
        Ok(answer)
    }
}

/// What follows a name in a sentence that describes it: an apposition or a copula.
const DESCRIPTION_OPENINGS: &[&str] = &[
    ", the ",
    ", a ",
    ", an ",
    ", which ",
    ", who ",
    " is a",
    " is the",
    " was a",
    " was the",
    " was elected",
    ", head of",
    ", president of",
    ", leader of",
    ", minister of",
];

/// Does this sentence describe the name: an apposition, a copula or a title before it?
fn describes(text: &str, names: &[String]) -> bool {
    let lower = text.to_lowercase();
    names.iter().any(|n| {
        let Some(i) = lower.find(n.as_str()) else { return false };
        let after = &lower[i + n.len()..];
        let after = after.strip_prefix("’s").or_else(|| after.strip_prefix("'s")).map_or(after, |_| "");
        DESCRIPTION_OPENINGS.iter().any(|o| after.starts_with(o)) || {
            let before = lower[..i].trim_end();
            let last = before.rsplit(' ').next().unwrap_or("");
            crate::core::gazetteer::is_title_word(last)
        }
    })
}
