//! Subjects after their verb (inverted attributions): `said Ann Lee`, `said Republican
//! consultant Ann Lee`, `said Brenner analyst Paul Haugen`, `said the group's director`.
//!
//! Invariant: a subject is read only from the first words after the verb, and a noun
//! phrase that a verb or an auxiliary follows is the reported clause's subject, never the
//! speaker.

use super::*;

impl<'a> Ctx<'a> {
    /// A subject after an inverted verb or "according to": `said Ortega`, `said the
    /// minister`, `said one aviation consultant who ...`. Returns it and where it ends.
    pub(super) fn subject_after(&mut self, si: usize, from: usize) -> Option<(Subject, usize)> {
        let sent_end = self.sents[si].end;
        let text = &self.body[from..sent_end];
        let lead = text.len() - text.trim_start().len();
        let abs = from + lead;
        // Only the first eight words are ever looked at.
        let ws: Vec<Word> = word_iter(&text[lead..]).take(8).collect();
        let first = ws.first()?;
        if !text[lead..lead + first.start].is_empty() {
            return None;
        }
        let l = lower(first);
        // "said United Auto Workers ...", "said undecided voter Ann Lee": a capitalised word
        // is a name and an -ed word before a noun is an adjective, not a past tense.
        let adjective_ed = !FINITE.contains(l.as_str())
            && ws.get(1).is_some_and(|n| {
                !PREPOSITIONS.contains(lower(n).as_str())
                    && !DETERMINERS.contains(lower(n).as_str())
                    && !finite_like(n.text)
                    && text[lead + first.end..lead + n.start].trim().is_empty()
            });
        let verb_like = finite_like(first.text) && !first.is_capitalised() && !adjective_ed;
        // ("said Will Doyle": a capitalised word is no adverb.)
        let adverb = ADVERBS.contains(l.as_str()) && !first.is_capitalised();
        if PREPOSITIONS.contains(l.as_str()) || l == "that" || verb_like || gazetteer::is_speech_verb(&l) || adverb {
            return None;
        }
        // "said this week that ...", "said two weeks ago": a time, not a subject.
        if time_phrase_len(&ws).is_some() {
            return None;
        }
        // A name, possibly after "the" or a title.
        let skip_the = if l == "the" { ws.get(1).map(|w| abs + w.start) } else { None };
        // "according to the nonpartisan Congressional Budget Office": an organisation after
        // the article and a lowercase adjective or two.
        let adjectives = |n: usize| {
            (l == "the" && ws.len() > n + 1 && ws[1..=n].iter().all(|w| w.text.starts_with(char::is_lowercase) && !gazetteer::is_role_noun(&lower(w))))
                .then(|| abs + ws[n + 1].start)
                .filter(|&at| self.ents.mention_starting_at(at).is_some_and(|mi| self.ents.mentions[mi].org.is_some()))
        };
        for at in [Some(abs), skip_the, adjectives(1), adjectives(2)].into_iter().flatten() {
            if let Some(mi) = self.ents.mention_starting_at(at) {
                // "said Brenner analyst Paul Haugen": the employer, a title, then the person.
                let mi = self.person_after_title(mi, sent_end).unwrap_or(mi);
                // "said Harbour campaign spokesman Lena Ortiz": a person's name before a
                // role modifies it; the person holding the role speaks, or nobody named.
                if self.ents.mentions[mi].person.is_some() && self.modifies_noun(mi) {
                    return self.person_in_description(&ws, &text[lead..], abs);
                }
                let m = &self.ents.mentions[mi];
                // "Iran's state media": the possessor is not the speaker.
                if self.body[m.end..].starts_with(['’', '\'']) {
                    break;
                }
                // "said Republican political consultant Ann Lee", "said Nevada party
                // chairwoman Ann Lee": a party, a place or an employer, a description, then
                // the person, who speaks.
                if m.person.is_none()
                    && let Some(found) = self.person_in_description(&ws, &text[lead..], abs)
                {
                    return Some(found);
                }
                if m.kind == EntityKind::Place {
                    return None;
                }
                return Some((self.mention_subject(mi), m.end));
            }
        }
        if PRONOUNS.contains(l.as_str()) && matches!(l.as_str(), "he" | "she") {
            return Some((self.pronoun_subject(si, first.text, abs), abs + first.text.len()));
        }
        // "said undecided Republican voter Stephanie Hooton", "said former Arkansas Gov. Mike
        // Huckabee": a description run into a person's name; the person speaks.
        if (!DETERMINERS.contains(l.as_str()) || matches!(l.as_str(), "the" | "his" | "her" | "their" | "its"))
            && let Some(found) = self.person_in_description(&ws, &text[lead..], abs)
        {
            return Some(found);
        }
        // A capitalised word that is no name starts no subject, except a possessor
        // ("Iran's state media").
        if first.is_capitalised() && !DETERMINERS.contains(l.as_str()) && strip_possessive(first.text) == first.text {
            return None;
        }
        // A noun phrase up to a comma, a relative pronoun or a preposition.
        let rel = &text[lead..];
        let mut n = 1;
        while n < ws.len() && n < 7 {
            let wl = lower(&ws[n]);
            let plain = rel[ws[n - 1].end..ws[n].start].trim().is_empty();
            if !plain || matches!(wl.as_str(), "who" | "which" | "that") || PREPOSITIONS.contains(wl.as_str()) || gazetteer::is_speech_verb(&wl) {
                break;
            }
            // ("X, citing ''...,'' said the candidate could be ...": a noun phrase before an
            // auxiliary is the subject of the reported clause, not of "said".)
            if AUXILIARIES.contains(wl.as_str()) {
                return None;
            }
            n += 1;
        }
        if n == 0 {
            return None;
        }
        let np_end = abs + ws[n - 1].end;
        // "said the mayor’s deputy campaign manager, Ann Lee, who ...": a person's name in
        // apposition to the description is the subject.
        if let Some(after) = self.body.get(np_end..sent_end)
            && let Some(rest) = after.strip_prefix(", ")
            && let Some(mi) = self.ents.mention_starting_at(np_end + 2)
            && self.ents.mentions[mi].person.is_some()
        {
            let m = &self.ents.mentions[mi];
            let tail = self.body.get(m.end..sent_end).unwrap_or_default();
            // (Or an affiliation after the name: "..., Andrew J. Pincus of the law firm X.")
            let closed = tail.is_empty() || tail.starts_with([',', '.', ';']) || tail.starts_with(" of ");
            let head = lower(&ws[n - 1]);
            // (Any common noun heads such a description: "another leading Supreme Court
            // advocate, Andrew J. Pincus", "a top aide, Ann Lee".)
            let role = gazetteer::is_role_noun(&head)
                || gazetteer::is_title_word(&head)
                || SPOKES_NOUNS.contains(head.as_str())
                || (ws[n - 1].text.starts_with(char::is_lowercase)
                    && head.chars().all(char::is_alphabetic)
                    && !crate::core::lang::lexicon::is_function_word(&head));
            if closed && role && !rest.is_empty() {
                return Some((self.mention_subject(mi), m.end));
            }
        }
        // "a spokesman for the agency": the prepositional object.
        let pp = ws.get(n).filter(|w| matches!(lower(w).as_str(), "for" | "of" | "at")).map(|p| {
            let after = &rel[p.end..];
            let stop = after.find([',', '.', ';', '“', '"']).unwrap_or(after.len());
            let pp_start = abs + p.end + (after.len() - after.trim_start().len());
            let pp_end = abs + p.end + after[..stop].trim_end().len();
            (self.ents.mention_ending_at(pp_end), pp_start..pp_end)
        });
        let s = self.noun_phrase_subject(si, abs, np_end, pp.as_ref())?;
        Some((s, pp.map_or(np_end, |p| p.1.end.max(np_end))))
    }

    /// A person's name within the first words `ws` of `rel` (which starts at byte `abs`),
    /// reached through a description with no punctuation, preposition, relative pronoun,
    /// conjunction or speech verb in between: "undecided Republican voter Ann Lee".
    pub(super) fn person_in_description(&self, ws: &[Word], rel: &str, abs: usize) -> Option<(Subject, usize)> {
        for n in 1..ws.len().min(7) {
            let (p, w) = (&ws[n - 1], &ws[n]);
            let pl = lower(p);
            if rel.get(p.end..w.start).is_none_or(|gap| gap.contains([',', ';', ':', '“', '"', '(', '—']))
                || PREPOSITIONS.contains(pl.as_str())
                || matches!(pl.as_str(), "who" | "which" | "that" | "and" | "or")
                || gazetteer::is_speech_verb(&pl)
            {
                break;
            }
            if let Some(mi) = self.ents.mention_starting_at(abs + w.start)
                && self.ents.mentions[mi].person.is_some()
                && !self.body.get(self.ents.mentions[mi].end..).is_some_and(|b| b.starts_with(['’', '\'']))
            {
                // "former Obama adviser David Axelrod": a name before a noun modifies it;
                // the phrase's head is further on (or unnamed).
                if self.modifies_noun(mi) {
                    continue;
                }
                return Some((self.mention_subject(mi), self.ents.mentions[mi].end));
            }
        }
        None
    }

    /// `Brenner analyst Paul Haugen`: a name that is not a person, lowercase title words,
    /// then a person's name; returns the person's mention.
    pub(super) fn person_after_title(&self, mi: usize, sent_end: usize) -> Option<usize> {
        let m = &self.ents.mentions[mi];
        if m.person.is_some() {
            return None;
        }
        let after = &self.body[m.end..sent_end];
        for w in word_iter(after).take(4) {
            let abs = m.end + w.start;
            let gap_ok = self.body[m.end..abs].chars().all(|c| c == ' ' || c == '’' || c == '\'' || c.is_alphanumeric());
            if !gap_ok {
                return None;
            }
            // The person's mention starts at its title ("analyst Paul Haugen") or its name.
            if let Some(pi) = self.ents.mention_starting_at(abs) {
                return self.ents.mentions[pi].person.is_some().then_some(pi);
            }
            if w.is_capitalised() || !gazetteer::is_title_word(&lower(&w)) {
                return None;
            }
        }
        None
    }
}
