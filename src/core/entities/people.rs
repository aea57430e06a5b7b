//! Who a phrase of an article refers to: a role ("the Iranian president"), a name or
//! surname, an organisation noun ("the company"); and when two names are one person.
//!
//! Invariant: a reference that fits nobody resolves to nothing; nothing is guessed.

use super::*;

/// The country a role phrase names ("Iranian President" → Iran; "President of Iran" → Iran).
pub fn role_country(role: &str) -> Option<&'static str> {
    for w in words(role) {
        let w = strip_possessive(w.text);
        if let Some(c) = gazetteer::country_of_demonym(w) {
            return Some(c);
        }
        if let Some((c, _)) = gazetteer::COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(w)) {
            return Some(c);
        }
    }
    None
}

/// The head noun of a role phrase ("Iranian Oil Minister" → "minister").
pub fn role_head(role: &str) -> Option<String> {
    words(role)
        .iter()
        .rev()
        .map(|w| strip_possessive(w.text).to_lowercase())
        .find_map(|w| lexicon::title_noun(&w).map(str::to_string).or_else(|| gazetteer::is_role_noun(&w).then_some(w)))
}

/// Are these two role heads compatible ("leader" fits a president)?
pub fn heads_compatible(asked: &str, held: &str) -> bool {
    // A member of the House ("Rep. Ann Lee") is "the congressman".
    let house = |h: &str| matches!(h, "representative" | "congressman" | "congresswoman");
    asked == held || (asked == "leader" && LEADER_WORDS.contains(&held)) || (held == "leader" && LEADER_WORDS.contains(&asked)) || (house(asked) && house(held))
}

/// Are two full names the same person: one surname, first names equal, a spelling
/// variant ("Masoud"/"Massoud"), an initial, or one name contained in the other.
pub fn same_person(a: &str, b: &str) -> bool {
    same_person_keys(&name_key(a), &name_key(b))
}

/// [`same_person`] on name keys.
pub(super) fn same_person_keys(ka: &str, kb: &str) -> bool {
    if ka == kb {
        return true;
    }
    if ka.rsplit(' ').next() != kb.rsplit(' ').next() {
        return false;
    }
    if !ka.contains(' ') || !kb.contains(' ') {
        return true;
    }
    let (fa, fb) = (ka.split(' ').next().unwrap_or(ka), kb.split(' ').next().unwrap_or(kb));
    if fa == fb || (fa.len() == 1 && fb.starts_with(fa)) || (fb.len() == 1 && fa.starts_with(fb)) {
        return true;
    }
    edit_distance(fa, fb, 1) <= typo_budget(fa.len().min(fb.len())).min(1)
}

impl DocEntities {
    pub fn summary(&self) -> DocSummary {
        let mut names: HashMap<String, (String, EntityKind, u32)> = HashMap::new();
        for m in self.mentions.iter().filter(|m| m.person.is_none()) {
            let e = names.entry(name_key(&m.name)).or_insert_with(|| (m.name.clone(), m.kind, 0));
            e.2 += 1;
        }
        let mut names: Vec<_> = names.into_values().collect();
        names.sort();
        DocSummary { persons: self.persons.clone(), names }
    }

    /// The person a role phrase refers to at byte `position`: "the Iranian leader", "the
    /// minister", "Iran's president". Among the people who hold a compatible role, one named
    /// in the last two sentences wins; otherwise the most mentioned one (the story's chief
    /// executive rather than a rival's), then the latest.
    pub fn resolve_role(&self, country: Option<&str>, head: &str, position: usize) -> Option<usize> {
        // Who fits, decided once per person rather than per mention.
        let fitting: Vec<bool> = self
            .persons
            .iter()
            .map(|person| {
                person.roles.iter().any(|r| role_head(r).is_some_and(|h| heads_compatible(head, &h)) && (country.is_none() || role_country(r) == country))
            })
            .collect();
        self.resolve_among(&fitting, position)
    }

    /// Do a role phrase's modifiers (`modifiers`: "Senate", "minority" in "the Senate
    /// minority leader") allow person `p`? A modifier that some role of this article holds
    /// tells roles apart, so the person must hold it too (the sieve's compatible-modifiers
    /// test); a modifier no role holds ("veteran", "embattled") says nothing.
    pub fn role_modifiers_fit(&self, p: usize, modifiers: &[String]) -> bool {
        let holds = |person: &DocPerson, m: &str| person.roles.iter().any(|r| words(r).iter().any(|w| strip_possessive(w.text).eq_ignore_ascii_case(m)));
        modifiers.iter().all(|m| holds(&self.persons[p], m) || !self.persons.iter().any(|other| holds(other, m)))
    }

    /// [`resolve_role`](Self::resolve_role) for "the Portuguese coach" when no role names a
    /// country: a holder of the role whose roles name no country at all.
    pub fn resolve_role_countryless(&self, head: &str, position: usize) -> Option<usize> {
        let fitting: Vec<bool> = self
            .persons
            .iter()
            .map(|person| {
                person.roles.iter().all(|r| role_country(r).is_none()) && person.roles.iter().any(|r| role_head(r).is_some_and(|h| heads_compatible(head, &h)))
            })
            .collect();
        self.resolve_among(&fitting, position)
    }

    /// The person among `fitting` a role noun at `position` refers to: one named in the
    /// last sentences, else the most mentioned before it, else the most mentioned.
    fn resolve_among(&self, fitting: &[bool], position: usize) -> Option<usize> {
        if !fitting.contains(&true) {
            return None;
        }
        let fits = |p: usize| fitting[p];
        let here = self.mentions.partition_point(|m| m.start < position);
        let sentence_now = self.mentions[..here].last().map_or(0, |m| m.sentence);
        let recent = self.mentions[..here].iter().rev().take_while(|m| m.sentence + 2 >= sentence_now).filter_map(|m| m.person).find(|&p| fits(p));
        if recent.is_some() {
            return recent;
        }
        let mut best: Option<(u32, usize, usize)> = None;
        for (i, m) in self.mentions[..here].iter().enumerate() {
            if let Some(p) = m.person.filter(|&p| fits(p)) {
                let key = (self.persons[p].mentions, i, p);
                if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                    best = Some(key);
                }
            }
        }
        best.map(|b| b.2)
    }

    /// The person a name refers to in this document (full name, variant or surname).
    pub fn person_named(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.persons.iter().position(|p| p.variants.iter().any(|v| name_key(v) == key) || name_key(&p.name) == key).or_else(|| {
            let sur: Vec<usize> = (0..self.persons.len()).filter(|&p| name_key(last_word(&self.persons[p].name)) == key).collect();
            (sur.len() == 1).then(|| sur[0])
        })
    }

    /// The organisation a common noun refers to at byte `position` ("the company", "the
    /// agency", "the association"): the latest one mentioned before that the noun fits.
    pub fn resolve_org_noun(&self, noun: &str, position: usize) -> Option<usize> {
        let noun = noun.to_lowercase();
        let noun = match noun.as_str() {
            "organization" => "organisation".to_string(),
            "firms" | "companies" => "company".to_string(),
            _ => noun,
        };
        let here = self.mentions.partition_point(|m| m.start < position);
        self.mentions[..here].iter().rev().filter_map(|m| m.org).find(|&o| self.org_fits(o, &noun))
    }

    /// Can this common noun ("company", "agency", "group") refer to organisation `o`?
    pub fn org_fits(&self, o: usize, noun: &str) -> bool {
        let org = &self.orgs[o];
        org.nouns.iter().any(|n| n == noun)
            || (COMPANY_NOUNS.contains(noun) && noun != "group" && org.company_like)
            || (noun == "group" && (org.company_like || org.nouns.iter().any(|n| n == "association" || n == "charity" || n == "union")))
            || matches!(noun, "organisation" | "body")
    }

    /// Football writing names clubs after towns ("Riverside City"): for "the club", the
    /// latest such name typed as a place, when no organisation fits.
    pub fn club_place_before(&self, position: usize) -> Option<&str> {
        let here = self.mentions.partition_point(|m| m.start < position);
        self.mentions[..here]
            .iter()
            .rev()
            .find(|m| {
                m.kind == EntityKind::Place
                    && m.name.contains(' ')
                    && !gazetteer::is_known_place(&m.name)
                    && matches!(last_word(&m.name), "City" | "Town" | "County" | "United" | "Rovers" | "Athletic" | "Wanderers")
            })
            .map(|m| m.name.as_str())
    }

    /// The organisation whose name starts with `prefix` ("Skylark" → "Skylark Air").
    pub fn org_with_prefix(&self, prefix: &str) -> Option<usize> {
        let key = name_key(prefix);
        if key.is_empty() {
            return None;
        }
        let spaced = format!("{key} ");
        self.orgs.iter().position(|o| name_key(&o.name) == key).or_else(|| self.orgs.iter().position(|o| name_key(&o.name).starts_with(&spaced)))
    }

    /// Mentions (indices) whose name ends exactly at byte `end`.
    pub fn mention_ending_at(&self, end: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.start < end);
        self.mentions[..i].iter().rev().take(4).position(|m| m.end == end).map(|k| i - 1 - k)
    }

    /// The mention (index) that starts at byte `start`, title included or not.
    pub fn mention_starting_at(&self, start: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.phrase_start < start.saturating_sub(80));
        self.mentions[i..].iter().take_while(|m| m.phrase_start <= start + 1).position(|m| m.phrase_start == start || m.start == start).map(|k| k + i)
    }
}
