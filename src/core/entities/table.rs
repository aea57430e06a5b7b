//! The corpus-wide entity table: canonical names, aliases, roles, mentions and articles,
//! built from every article's summary. `Entity::absorb` is the one rule that merges an
//! article's person into an entity, shared with the groups kept per surname
//! (`engine/table.rs`).
//!
//! Invariant: the canonical name is the fullest spelling seen; every spelling is an alias
//! (folded); the table built here equals the one assembled from the groups.

use super::*;

/// One entity of the corpus-wide table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    /// Every form seen (folded keys), the canonical one included.
    pub aliases: Vec<String>,
    pub roles: Vec<String>,
    pub mentions: u32,
    pub docs: u32,
}

/// The most roles an entity keeps from the articles' people.
pub(super) const MAX_ROLES: usize = 12;

impl Entity {
    /// An entity founded by a person of one article, before [`absorb`](Self::absorb)s it.
    pub fn of_person(p: &DocPerson) -> Entity {
        Entity { name: p.name.clone(), kind: EntityKind::Person, aliases: Vec::new(), roles: Vec::new(), mentions: 0, docs: 0 }
    }

    /// Merge one article's person into this entity: the one merge rule of the table, used by
    /// [`EntityTable::build`] and by the groups kept per surname (`engine/table.rs`), so both
    /// make the same table. Mentions add up; `new_doc` counts another article; the name with
    /// more words becomes the canonical one; every spelling becomes an alias (folded); roles
    /// join in order, up to [`MAX_ROLES`].
    pub fn absorb(&mut self, p: &DocPerson, new_doc: bool) {
        self.mentions += p.mentions;
        if new_doc {
            self.docs += 1;
        }
        if p.name.split(' ').count() > self.name.split(' ').count() {
            self.name = p.name.clone();
        }
        for v in p.variants.iter().chain(std::iter::once(&p.name)) {
            let k = name_key(v);
            if !self.aliases.contains(&k) {
                self.aliases.push(k);
            }
        }
        for r in &p.roles {
            if !self.roles.contains(r) && self.roles.len() < MAX_ROLES {
                self.roles.push(r.clone());
            }
        }
    }

    /// Merge a single-word "person" that is this person's surname: its mentions add up, its
    /// articles count as many as the larger of the two (they are mostly the same articles),
    /// its roles join.
    pub fn absorb_surname(&mut self, lone: &Entity) {
        self.mentions += lone.mentions;
        self.docs = self.docs.max(lone.docs);
        for r in &lone.roles {
            if !self.roles.contains(r) {
                self.roles.push(r.clone());
            }
        }
    }
}

/// The corpus-wide entity table: canonical names and their aliases.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
    #[serde(skip)]
    by_alias: HashMap<String, Vec<usize>>,
    /// Entities by each word of their aliases (folded), most mentioned first.
    #[serde(skip)]
    by_word: HashMap<String, Vec<usize>>,
}

impl EntityTable {
    pub fn build<'a>(summaries: impl IntoIterator<Item = &'a DocSummary>) -> Self {
        let mut entities: Vec<Entity> = Vec::new();
        let mut person_by_surname: HashMap<String, Vec<usize>> = HashMap::new();
        let mut other_by_key: HashMap<(String, EntityKind), usize> = HashMap::new();
        let mut persons: Vec<&DocPerson> = Vec::new();
        let mut doc_of_person: Vec<usize> = Vec::new();
        let summaries: Vec<&DocSummary> = summaries.into_iter().collect();
        for (d, s) in summaries.iter().enumerate() {
            for p in &s.persons {
                persons.push(p);
                doc_of_person.push(d);
            }
        }
        // Fullest names first, so that surnames alone attach to an existing person.
        let mut order: Vec<usize> = (0..persons.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(persons[i].name.split(' ').count()), std::cmp::Reverse(persons[i].mentions)));
        let mut last_doc: HashMap<usize, usize> = HashMap::new();
        for i in order {
            let p = persons[i];
            let surname = name_key(last_word(&p.name));
            let candidates = person_by_surname.entry(surname).or_default();
            let found = candidates.iter().copied().find(|&e| same_person(&entities[e].name, &p.name));
            let e = match found {
                Some(e) => e,
                None => {
                    entities.push(Entity::of_person(p));
                    candidates.push(entities.len() - 1);
                    entities.len() - 1
                }
            };
            let new_doc = last_doc.insert(e, doc_of_person[i]) != Some(doc_of_person[i]);
            entities[e].absorb(p, new_doc);
        }
        for (d, s) in summaries.iter().enumerate() {
            for (name, kind, count) in &s.names {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                let e = *other_by_key.entry((key.clone(), *kind)).or_insert_with(|| {
                    entities.push(Entity { name: name.clone(), kind: *kind, aliases: vec![key.clone()], roles: Vec::new(), mentions: 0, docs: 0 });
                    entities.len() - 1
                });
                entities[e].mentions += count;
                if last_doc.insert(e, d) != Some(d) {
                    entities[e].docs += 1;
                }
            }
        }
        // Surnames alone are aliases of the most mentioned person with that surname.
        let mut table = EntityTable { entities, by_alias: HashMap::new(), by_word: HashMap::new() };
        let mut best_by_surname: HashMap<String, usize> = HashMap::new();
        for (i, e) in table.entities.iter().enumerate() {
            if e.kind == EntityKind::Person && e.name.contains(' ') {
                let s = name_key(last_word(&e.name));
                let b = best_by_surname.entry(s).or_insert(i);
                if table.entities[*b].mentions < e.mentions {
                    *b = i;
                }
            }
        }
        for (s, i) in best_by_surname {
            if !table.entities[i].aliases.contains(&s) {
                table.entities[i].aliases.push(s);
            }
        }
        // A single-word "person" whose name is some person's surname is that person.
        let mut merged_into: HashMap<usize, usize> = HashMap::new();
        for i in 0..table.entities.len() {
            let e = &table.entities[i];
            if e.kind == EntityKind::Person && !e.name.contains(' ') {
                let key = name_key(&e.name);
                if let Some(j) = (0..table.entities.len()).find(|&j| {
                    j != i && table.entities[j].kind == EntityKind::Person && table.entities[j].aliases.contains(&key) && table.entities[j].name.contains(' ')
                }) {
                    merged_into.insert(i, j);
                }
            }
        }
        for (&i, &j) in &merged_into {
            let lone = table.entities[i].clone();
            table.entities[j].absorb_surname(&lone);
        }
        let mut idx = 0;
        table.entities.retain(|_| {
            let keep = !merged_into.contains_key(&idx);
            idx += 1;
            keep
        });
        table.entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        table.reindex();
        table
    }

    /// Rebuild the alias lookup (after deserialising).
    pub fn reindex(&mut self) {
        self.by_alias.clear();
        self.by_word.clear();
        for (i, e) in self.entities.iter().enumerate() {
            for a in &e.aliases {
                self.by_alias.entry(a.clone()).or_default().push(i);
                for w in a.split(' ') {
                    let v = self.by_word.entry(w.to_string()).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
    }

    /// Entities one of whose spellings contains every word of `name` (folded), most
    /// mentioned first: "wasserman" finds Debbie Wasserman Schultz and David Wasserman.
    pub fn containing_words(&self, name: &str) -> Vec<&Entity> {
        let key = name_key(name);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let Some(first) = words.first().and_then(|w| self.by_word.get(*w)) else { return Vec::new() };
        first.iter().map(|&i| &self.entities[i]).filter(|e| e.aliases.iter().any(|a| words.iter().all(|w| a.split(' ').any(|x| x == *w)))).collect()
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Exact alias lookup (folded): the most mentioned entity with that alias.
    pub fn lookup(&self, name: &str) -> Option<&Entity> {
        let key = name_key(name);
        self.by_alias.get(&key).and_then(|v| v.iter().map(|&i| &self.entities[i]).max_by_key(|e| (e.kind == EntityKind::Person, e.mentions)))
    }

    /// Alias lookup that forgives accents, case and typos (one per five letters, at most two).
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        if let Some(e) = self.lookup(name) {
            return Some(e);
        }
        let key = name_key(name);
        let budget = typo_budget(key.chars().count());
        if budget == 0 {
            return None;
        }
        let mut best: Option<(usize, &Entity)> = None;
        for e in &self.entities {
            for a in &e.aliases {
                let d = edit_distance(&key, a, budget);
                if d <= budget && best.is_none_or(|(bd, be)| d < bd || (d == bd && e.mentions > be.mentions)) {
                    best = Some((d, e));
                }
            }
        }
        best.map(|(_, e)| e)
    }

    /// Split "/quote massoud pezeshkian gas" into the person and the topic: the longest
    /// leading run of words that names an entity.
    pub fn split_name_and_topic<'q>(&self, query: &'q str) -> Option<(&Entity, &'q str)> {
        let ws = words(query);
        for n in (1..=ws.len().min(5)).rev() {
            let name = &query[ws[0].start..ws[n - 1].end];
            if let Some(e) = self.resolve(name) {
                let topic = query[ws[n - 1].end..].trim();
                return Some((e, topic));
            }
        }
        None
    }

    /// The canonical name for a name as written (any alias).
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.lookup(name).map(|e| e.name.as_str())
    }

    /// Names that start with `prefix` (any word of them), most mentioned first; then close
    /// spellings. For autocomplete and "did you mean".
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<&Entity> {
        let key = name_key(prefix);
        let mut out: Vec<&Entity> = if key.is_empty() {
            self.entities.iter().take(limit).collect()
        } else {
            self.entities.iter().filter(|e| e.aliases.iter().any(|a| a.starts_with(&key) || a.split(' ').any(|w| w.starts_with(&key)))).take(limit).collect()
        };
        if out.len() < limit && key.chars().count() >= 4 {
            let budget = typo_budget(key.chars().count()).max(1);
            for e in &self.entities {
                if out.len() >= limit {
                    break;
                }
                if !out.iter().any(|o| std::ptr::eq(*o, e)) && e.aliases.iter().any(|a| a.split(' ').any(|w| edit_distance(&key, w, budget) <= budget)) {
                    out.push(e);
                }
            }
        }
        out
    }
}
