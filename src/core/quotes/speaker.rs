//! Resolution of a subject that is not a full name: organisation nouns, spokespeople,
//! role nouns and pronouns, to the entity they stand for in this article.
//!
//! Invariant: a mention without a compatible antecedent resolves to `None`: nothing
//! is guessed.

use super::*;

impl<'a> Ctx<'a> {
    /// "the company", "the agency": the latest fitting organisation the narration made a
    /// subject or quoted (the story's company, not an analyst's employer), else the latest
    /// fitting one mentioned.
    pub(super) fn resolve_org_noun(&self, noun: &str, pos: usize) -> Option<usize> {
        let hi = self.org_refs.partition_point(|r| r.0 < pos);
        // "the bank": the Bank of Velmark, whose name says so, before a broker that is a
        // company like any other.
        let named_by = |o: usize| self.ents.orgs[o].nouns.iter().any(|n| n == noun);
        let named = self.org_refs[..hi].iter().rev().map(|r| r.1).find(|&o| named_by(o)).or_else(|| {
            let here = self.ents.mentions.partition_point(|m| m.start < pos);
            self.ents.mentions[..here].iter().rev().filter_map(|m| m.org).find(|&o| named_by(o))
        });
        let salient = named.or_else(|| self.org_refs[..hi].iter().rev().map(|r| r.1).find(|&o| self.ents.org_fits(o, noun)));
        salient.or_else(|| self.ents.resolve_org_noun(noun, pos))
    }

    /// The organisation a spokesperson speaks for: "a spokesman for the agency", "a Skylark
    /// spokeswoman", "the company's spokesman", "a company spokesman".
    pub(super) fn spokes_org(&self, start: usize, ws: &[Word], pp: Option<&(Option<usize>, Range<usize>)>) -> Option<String> {
        if let Some((mention, range)) = pp {
            if let Some(mi) = mention {
                return self.ents.mentions[*mi].org.map(|o| self.ents.orgs[o].name.clone());
            }
            let pw = words(&self.body[range.clone()]);
            let first = pw.first().map(lower).unwrap_or_default();
            let head = pw.last().map(|w| lower(w)).unwrap_or_default();
            if matches!(first.as_str(), "the" | "its" | "their") && pw.len() <= 3 {
                return self.resolve_org_noun(&head, range.start).map(|o| self.ents.orgs[o].name.clone());
            }
            return None;
        }
        // Modifiers before the head.
        for w in &ws[..ws.len() - 1] {
            let abs = start + w.start;
            if let Some(mi) = self.ents.mention_starting_at(abs)
                && let Some(o) = self.ents.mentions[mi].org
            {
                return Some(self.ents.orgs[o].name.clone());
            }
            if w.is_capitalised()
                && let Some(o) = self.ents.org_with_prefix(strip_possessive(w.text))
            {
                return Some(self.ents.orgs[o].name.clone());
            }
            let l = strip_possessive(&lower(w)).to_string();
            if entities::ORG_NOUNS.contains(l.as_str()) {
                return self.resolve_org_noun(&l, start).map(|o| self.ents.orgs[o].name.clone());
            }
        }
        None
    }

    /// `Clinton’s campaign said`, `the Obama administration said`, `his aides said`: the
    /// people who speak for a person, named by that person. The speaker is the owner's name
    /// with the group ("Hillary Clinton’s campaign"); no person is linked, since the person
    /// did not speak. `ws` are the words of the phrase at `start`.
    pub(super) fn owned_group(&self, start: usize, ws: &[Word]) -> Option<Subject> {
        let (last, mods) = ws.split_last()?;
        let head = lower(last);
        if !(AGENT_NOUNS.contains(head.as_str()) || SPOKES_NOUNS.contains(head.as_str())) || mods.is_empty() {
            return None;
        }
        let first = lower(&ws[0]);
        let (person, rest) = if matches!(first.as_str(), "his" | "her") {
            (self.pronoun_referent(start + ws[0].start, first == "her")?, &ws[1..])
        } else {
            let (k, mi) = mods.iter().enumerate().find_map(|(k, w)| self.ents.mention_starting_at(start + w.start).map(|mi| (k, mi)))?;
            let m = &self.ents.mentions[mi];
            // Only an article or a few adjectives before the name ("the former Rubio aides");
            // "one Clinton aide" is an unnamed person.
            if !mods[..k].iter().all(|w| matches!(lower(w).as_str(), "the" | "former" | "top" | "senior")) {
                return None;
            }
            let after = ws.iter().position(|w| start + w.start >= m.end)?;
            (m.person?, &ws[after..])
        };
        // Between the name and the head, a few plain words ("Clinton’s presidential campaign").
        if rest.is_empty() || rest.len() > 3 || !rest.iter().all(|w| w.text.starts_with(char::is_lowercase)) {
            return None;
        }
        let group = &self.body[start + rest[0].start..start + last.end];
        let speaker = format!("{}’s {group}", self.ents.persons[person].name);
        Some(Subject { mention: self.body[start..start + last.end].to_string(), speaker: Some(speaker), person: None, org: None })
    }

    /// The person the last two sentences are about: the latest subject-like reference.
    pub(super) fn salient_person(&self, si: usize, pos: usize) -> Option<usize> {
        let hi = self.refs.partition_point(|r| r.pos < pos);
        let from_names = self.refs[..hi].iter().rev().take_while(|r| r.sentence + 2 >= si).find(|r| r.subject_like);
        let from_extra = self.extra_refs.iter().rev().filter(|r| r.pos < pos && r.sentence + 2 >= si).find(|r| r.subject_like);
        match (from_names, from_extra) {
            (Some(a), Some(b)) => Some(if a.pos > b.pos { a.person } else { b.person }),
            (a, b) => a.or(b).map(|r| r.person),
        }
    }

    /// A role noun linked earlier to a person from context.
    pub(super) fn role_link(&self, head: &str) -> Option<usize> {
        self.role_links.iter().rev().find(|(h, _)| h == head).map(|(_, p)| *p)
    }

    /// "the 24-year-old striker" with nobody holding that role: the person the last two
    /// sentences are about, if they have no role that says otherwise.
    pub(super) fn salient_unroled(&mut self, si: usize, pos: usize, head: &str) -> Option<usize> {
        let p = self.salient_person(si, pos)?;
        if !self.ents.persons[p].roles.is_empty() {
            return None;
        }
        self.role_links.push((head.to_string(), p));
        Some(p)
    }

    /// A pronoun subject: he/she resolve to a person; they/we/I stay unnamed; "it" is
    /// the organisation just quoted, if any.
    pub(super) fn pronoun_subject(&mut self, si: usize, word: &str, pos: usize) -> Subject {
        let l = word.to_lowercase();
        match l.as_str() {
            "he" | "she" => {
                let person = self.topic_person(si, pos, l == "she").or_else(|| self.pronoun_referent(pos, l == "she"));
                if let Some(p) = person {
                    self.extra_refs.push(Ref { pos, sentence: si, person: p, subject_like: true });
                }
                Subject { mention: word.to_string(), speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None }
            }
            "it" => {
                let org = self.last_org.clone().filter(|(_, at)| si <= at + 2).map(|(n, _)| n);
                Subject { mention: word.to_string(), speaker: org, person: None, org: None }
            }
            _ => Subject::unnamed(word),
        }
    }

    /// "As for Trump, he said ...": the person a topic opening the sentence names, when the
    /// pronoun right after it agrees.
    fn topic_person(&self, si: usize, pos: usize, female: bool) -> Option<usize> {
        let start = self.sents[si].start;
        let lead = self.body.get(start..pos)?.trim_end().strip_suffix(',')?;
        let topic = lead.strip_prefix("As for ").or_else(|| lead.strip_prefix("As to "))?;
        let at = start + (lead.len() - topic.len());
        let mi = self.ents.mention_starting_at(at)?;
        let m = &self.ents.mentions[mi];
        let p = m.person.filter(|_| m.end == start + lead.len())?;
        let agrees = self.ents.persons[p].gender.is_none_or(|g| (g == Gender::Female) == female);
        agrees.then_some(p)
    }

    /// Is byte `pos` inside the content of a quote already attributed ("Trump said Rubio
    /// was weak while Cruz is a liar")? A name there is what someone said, not who the
    /// narration is about: never a subject that takes a later pronoun over. (Names inside
    /// quotation marks never become references at all.)
    fn in_reported(&self, pos: usize) -> bool {
        self.out.iter().rev().take(8).any(|(r, _)| r.start <= pos && pos < r.end)
    }

    /// The person "he"/"she" at `pos` refers to. Someone the narration made a subject
    /// since the last attribution takes over ("The striker laughed. “...,” she said");
    /// otherwise the person last quoted, if the pronoun fits; otherwise the latest fitting
    /// person, subjects first.
    pub(super) fn pronoun_referent(&self, pos: usize, female: bool) -> Option<usize> {
        let want = if female { Gender::Female } else { Gender::Male };
        let fits = |p: usize| self.ents.persons[p].gender.is_none_or(|g| g == want);
        let si = self.sentence_of(pos);
        let lo = self.refs.partition_point(|r| r.sentence + 5 < si);
        let hi = self.refs.partition_point(|r| r.pos < pos);
        let recent_extra = self.extra_refs.iter().rev().take_while(|r| r.sentence + 6 >= si);
        let window: Vec<Ref> = self.refs[lo..hi.max(lo)]
            .iter()
            .chain(recent_extra)
            .filter(|r| r.pos < pos && r.sentence + 5 >= si && fits(r.person))
            .map(|r| Ref { subject_like: r.subject_like && !self.in_reported(r.pos), ..*r })
            .collect();
        let window: Vec<&Ref> = window.iter().collect();
        let discourse = coref::Discourse { last_person: self.last_person, last_unnamed: self.last_unnamed };
        coref::pronoun_antecedent(&window, &discourse, si, fits)
    }
}
