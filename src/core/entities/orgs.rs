//! The organisations of one article, grouped under their fullest name: an acronym joins the
//! name whose initials it spells, a first word the name it starts; the nouns that may refer
//! back to each ("the company", "the agency").
//!
//! Invariant: every organisation mention points to exactly one `DocOrg`.

use super::*;

/// Organisations of a document: every organisation mention, and other names that the text
/// calls a company, group or agency, grouped under their fullest form. An acronym joins
/// the name whose initials it spells ("CAA" → "Civil Aviation Authority"), and a first
/// word joins the full name ("Skylark" → "Skylark Air").
pub(super) fn build_orgs(mentions: &mut [NameMention], descriptors: &[(Option<String>, bool)]) -> Vec<DocOrg> {
    // Other names count when the text treats them as a body: a descriptor ("the consumer
    // group Fair Deal"), an acronym, or a name that speaks ("Aerovia, which ..., said").
    // "Norveld" in a story about "Norveld Foods": the first word of an organisation's name.
    let org_names: Vec<&str> = mentions.iter().filter(|m| m.kind == EntityKind::Organization && m.name.contains(' ')).map(|m| m.name.as_str()).collect();
    let first_word_of_org = |name: &str| org_names.iter().any(|n| n.len() > name.len() && n.starts_with(name) && n[name.len()..].starts_with(' '));
    let is_org = |m: &NameMention, d: &(Option<String>, bool)| match m.kind {
        EntityKind::Organization => true,
        EntityKind::Other => d.0.is_some() || d.1 || acronym_like(&m.name) || first_word_of_org(&m.name),
        // "Shares in Norveld": a preposition made it look like a place.
        EntityKind::Place => !gazetteer::is_known_place(&m.name) && first_word_of_org(&m.name),
        _ => false,
    };
    let names: Vec<(usize, String)> =
        mentions.iter().zip(descriptors).enumerate().filter(|(_, (m, d))| is_org(m, d)).map(|(i, (m, _))| (i, m.name.clone())).collect();
    let mut orgs: Vec<DocOrg> = Vec::new();
    let mut org_of_key: FastMap<String, usize> = FastMap::default();
    // Each distinct name is looked up once against the distinct names.
    let mut unique: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut full_of: FastMap<&str, String> = FastMap::default();
    for (i, name) in &names {
        let full = full_of.entry(name.as_str()).or_insert_with(|| canonical_org_name(name, unique.iter().copied())).clone();
        let key = name_key(&full);
        let o = *org_of_key.entry(key).or_insert_with(|| {
            orgs.push(DocOrg { name: full.clone(), nouns: Vec::new(), company_like: false, mentions: 0 });
            orgs.len() - 1
        });
        let org = &mut orgs[o];
        org.mentions += 1;
        // The head word says what it is: "Bank of England" is a bank, "Skylark Air" an airline.
        let head_part = full.split(" of ").next().unwrap_or(&full).split(" for ").next().unwrap_or(&full);
        let head = head_part.rsplit([' ', '-']).map(|w| Lower::new(strip_possessive(w))).find_map(|w| ORG_WORD_NOUNS.iter().find(|(k, _)| *k == w.as_str()));
        if let Some((_, nouns)) = head {
            for n in *nouns {
                if !org.nouns.iter().any(|x| x == n) {
                    org.nouns.push((*n).to_string());
                }
            }
        }
        if let Some(d) = &descriptors[*i].0
            && !org.nouns.contains(d)
        {
            org.nouns.push(d.clone());
        }
        mentions[*i].org = Some(o);
    }
    for org in &mut orgs {
        let civic = org.name.split([' ', '-']).any(|w| CIVIC_WORDS.contains(&Lower::new(strip_possessive(w)).as_str()));
        // "group" names associations as often as companies: it decides nothing.
        let company_noun = org.nouns.iter().any(|n| n != "group" && COMPANY_NOUNS.contains(n.as_str()));
        let other_noun = org.nouns.iter().any(|n| !COMPANY_NOUNS.contains(n.as_str()));
        org.company_like = company_noun || (!civic && !other_noun && !acronym_like(&org.name));
    }
    orgs
}

pub(super) fn acronym_like(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && !name.contains(' ') && name.chars().all(|c| c.is_ascii_uppercase() || c == '&' || c == '.')
}

/// The fullest form of an organisation's name among `all`: the name an acronym abbreviates,
/// or a longer name that starts with this one.
pub(super) fn canonical_org_name<'a>(name: &str, all: impl Iterator<Item = &'a str> + Clone) -> String {
    if acronym_like(name) {
        let letters: String = name.chars().filter(char::is_ascii_uppercase).collect();
        if let Some(full) = all.clone().find(|n| n.contains(' ') && initials(n) == letters) {
            return full.to_string();
        }
        return name.to_string();
    }
    let prefix = format!("{name} ");
    all.filter(|n| n.starts_with(&prefix) && !n[prefix.len()..].starts_with(|c: char| c.is_lowercase()))
        .max_by_key(|n| n.len())
        .map_or_else(|| name.to_string(), str::to_string)
}

/// "Civil Aviation Authority" → "CAA"; small words are skipped ("Ministry of Transport" → "MT").
pub(super) fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| !matches!(*w, "of" | "for" | "and" | "the" | "on" | "in" | "&" | "de"))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_uppercase)
        .collect()
}
