//! The corpus-wide entity table, kept up to date per article.
//!
//! [`EntityTable::build`] reads every article's summary. Its work splits along the names:
//! a person is only ever merged with people of the same surname (the last word of the name),
//! and a non-person name only with the same name (folded) of the same kind. So the table is
//! kept as *groups*: one per surname (the people of that surname, clustered exactly as
//! `build` clusters them) and one per (name, kind). A change to k articles recomputes only
//! the groups their names touch, from the rows of those groups; [`assemble`] then runs the
//! corpus-wide steps of `build` (a surname alone as alias of the most mentioned person, a
//! lone surname merged into its person, the final order) over the groups' results, which
//! are entities, never summaries. The result is the table `build` makes from scratch: the
//! tests below check it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::core::entities::{DocPerson, Entity, EntityKind, EntityTable, same_person};
use crate::core::text::name_key;

/// Where an entity was founded in [`EntityTable::build`]'s order: people by (most words,
/// most mentions, article id, position in the article's summary), then other names by their
/// first article and position. Ties of the final order fall back on this.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Founded {
    /// (−words, −mentions, article, position) of the person who founded the entity.
    Person(i64, i64, String, u32),
    /// (first article, position in its names).
    Name(String, u32),
}

/// One entity of a group, before the corpus-wide steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pre {
    pub founded: Founded,
    pub entity: Entity,
}

fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

/// The group of a person: the folded surname.
pub fn surname_group(name: &str) -> String {
    name_key(last_word(name))
}

fn person_order(doc: &str, seq: u32, p: &DocPerson) -> (i64, i64, String, u32) {
    (-(p.name.split(' ').count() as i64), -i64::from(p.mentions), doc.to_string(), seq)
}

/// The people of one surname group as [`EntityTable::build`] clusters them: fullest names
/// first, each joining the first entity that is the same person. `rows` are (article,
/// position in its summary, person).
pub fn people_group(rows: &[(String, u32, DocPerson)]) -> Vec<Pre> {
    let mut order: Vec<(i64, i64, String, u32, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, (d, s, p))| {
            let (a, b, c, e) = person_order(d, *s, p);
            (a, b, c, e, i)
        })
        .collect();
    order.sort();
    let mut out: Vec<Pre> = Vec::new();
    let mut last_doc: HashMap<usize, &str> = HashMap::new();
    for (words, mentions, doc, seq, i) in order {
        let (doc_id, _, p) = &rows[i];
        let e = match out.iter().position(|e| same_person(&e.entity.name, &p.name)) {
            Some(e) => e,
            None => {
                out.push(Pre { founded: Founded::Person(words, mentions, doc, seq), entity: Entity::of_person(p) });
                out.len() - 1
            }
        };
        let new_doc = last_doc.insert(e, doc_id.as_str()) != Some(doc_id.as_str());
        out[e].entity.absorb(p, new_doc);
    }
    out
}

/// A non-person name's entity: written as in its first article, mentions and articles summed.
pub fn name_entity(key: &str, kind: EntityKind, first: (&str, u32, &str), mentions: u32, docs: u32) -> Pre {
    let (doc, seq, name) = first;
    Pre {
        founded: Founded::Name(doc.to_string(), seq),
        entity: Entity { name: name.to_string(), kind, aliases: vec![key.to_string()], roles: Vec::new(), mentions, docs },
    }
}

/// The corpus-wide steps of [`EntityTable::build`] over every group's entities.
pub fn assemble<'a>(groups: impl IntoIterator<Item = &'a Pre>) -> EntityTable {
    let mut v: Vec<&Pre> = groups.into_iter().collect();
    v.sort_by(|a, b| a.founded.cmp(&b.founded));
    let mut entities: Vec<Entity> = v.into_iter().map(|p| p.entity.clone()).collect();
    // Surnames alone are aliases of the most mentioned person with that surname.
    let mut best: HashMap<String, usize> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        if e.kind == EntityKind::Person && e.name.contains(' ') {
            let b = best.entry(surname_group(&e.name)).or_insert(i);
            if entities[*b].mentions < e.mentions {
                *b = i;
            }
        }
    }
    for (s, i) in best {
        if !entities[i].aliases.contains(&s) {
            entities[i].aliases.push(s);
        }
    }
    // A single-word "person" whose name is some person's surname is that person: the first
    // person of several words holding it as an alias.
    let mut first_holder: HashMap<&str, usize> = HashMap::new();
    for (j, e) in entities.iter().enumerate() {
        if e.kind == EntityKind::Person && e.name.contains(' ') {
            for a in &e.aliases {
                first_holder.entry(a.as_str()).or_insert(j);
            }
        }
    }
    let merges: Vec<(usize, usize)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person && !e.name.contains(' '))
        .filter_map(|(i, e)| first_holder.get(name_key(&e.name).as_str()).map(|&j| (i, j)))
        .collect();
    let mut merged = vec![false; entities.len()];
    for (i, j) in merges {
        let lone = entities[i].clone();
        entities[j].absorb_surname(&lone);
        merged[i] = true;
    }
    let mut idx = 0;
    entities.retain(|_| {
        idx += 1;
        !merged[idx - 1]
    });
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
    let mut table = EntityTable::default();
    table.entities = entities;
    table.reindex();
    table
}

/// Every group of a set of summaries, from scratch: what the store keeps, for tests.
#[cfg(test)]
pub fn groups_of(summaries: &[(String, crate::core::entities::DocSummary)]) -> Vec<Pre> {
    use std::collections::BTreeMap;
    let mut people: BTreeMap<String, Vec<(String, u32, DocPerson)>> = BTreeMap::new();
    type First = Option<(String, u32, String)>;
    let mut names: BTreeMap<(String, String), (First, u32, u32, EntityKind)> = BTreeMap::new();
    for (doc, s) in summaries {
        for (seq, p) in s.persons.iter().enumerate() {
            people.entry(surname_group(&p.name)).or_default().push((doc.clone(), seq as u32, p.clone()));
        }
        for (seq, (name, kind, count)) in s.names.iter().enumerate() {
            let key = name_key(name);
            if key.is_empty() {
                continue;
            }
            let e = names.entry((key, format!("{kind:?}"))).or_insert((None, 0, 0, *kind));
            if e.0.as_ref().is_none_or(|(d, _, _)| doc < d) {
                e.0 = Some((doc.clone(), seq as u32, name.clone()));
            }
            e.1 += count;
            e.2 += 1;
        }
    }
    let mut out: Vec<Pre> = people.values().flat_map(|rows| people_group(rows)).collect();
    for ((key, _), (first, m, d, kind)) in names {
        let (doc, seq, name) = first.expect("one article at least");
        out.push(name_entity(&key, kind, (&doc, seq, &name), m, d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::entities::DocSummary;

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const FIRST: &[&str] = &["Ana", "Bo", "Cy", "D.", "Ana Maria"];
    const LAST: &[&str] = &["Quell", "Rask", "Sorn", "Van Tass", "Quell-Rask"];
    const ROLES: &[&str] = &["minister", "mayor", "envoy", "judge"];

    fn summary(r: &mut Rng) -> DocSummary {
        let mut s = DocSummary::default();
        for _ in 0..r.below(4) {
            let last = LAST[r.below(LAST.len())];
            let name = match r.below(3) {
                0 => last.to_string(),
                _ => format!("{} {last}", FIRST[r.below(FIRST.len())]),
            };
            let variants = if r.below(2) == 0 { vec![last.to_string()] } else { Vec::new() };
            // A lone surname carries no roles: `build` merges those in an unspecified order.
            let roles = if name.contains(' ') { (0..r.below(3)).map(|_| ROLES[r.below(ROLES.len())].to_string()).collect() } else { Vec::new() };
            s.persons.push(DocPerson { name, variants, roles, gender: None, mentions: 1 + r.below(4) as u32 });
        }
        let kinds = [EntityKind::Organization, EntityKind::Place, EntityKind::Person, EntityKind::Other];
        let mut names: Vec<(String, EntityKind, u32)> = Vec::new();
        for _ in 0..r.below(4) {
            let name = ["Rask", "Harbour Board", "harbour board", "Lumen", "Quell"][r.below(5)].to_string();
            if names.iter().all(|(n, _, _)| name_key(n) != name_key(&name)) {
                names.push((name, kinds[r.below(4)], 1 + r.below(3) as u32));
            }
        }
        names.sort();
        s.names = names;
        s
    }

    #[test]
    fn groups_assembled_give_the_table_built_from_scratch() {
        for seed in 1..200u64 {
            let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let n = 1 + r.below(12);
            let summaries: Vec<(String, DocSummary)> = (0..n).map(|i| (format!("doc-{i:02}"), summary(&mut r))).collect();
            let built = EntityTable::build(summaries.iter().map(|(_, s)| s));
            let assembled = assemble(&groups_of(&summaries));
            assert_eq!(serde_json::to_string(&assembled).unwrap(), serde_json::to_string(&built).unwrap(), "seed {seed}: {summaries:?}");
        }
    }

    #[test]
    fn a_group_depends_only_on_its_rows_in_any_order() {
        let p = |name: &str, m: u32| DocPerson { name: name.into(), variants: vec![], roles: vec![], gender: None, mentions: m };
        let rows = vec![("b".to_string(), 0, p("Quell", 5)), ("a".to_string(), 1, p("Ana Quell", 1)), ("a".to_string(), 0, p("Bo Quell", 1))];
        let mut reversed = rows.clone();
        reversed.reverse();
        assert_eq!(people_group(&rows), people_group(&reversed));
        let g = people_group(&rows);
        assert_eq!(g.len(), 2, "Ana and Bo Quell are two people; Quell joins the first: {g:?}");
        assert_eq!(g[0].entity.name, "Bo Quell", "founded first: article a, position 0");
        assert_eq!(g[0].entity.mentions, 6);
    }
}
