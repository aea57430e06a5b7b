//! Appositions: a name set off by commas next to a description, and which of the two is
//! the subject of a speech verb (`Cory James, 22, of Flint, said`; `The finance minister,
//! Tomasz Wierzbicki, said`; `Ann Lee, president of the council said`).
//!
//! Invariant: these functions read the text and the mentions and change no state; a
//! segment that is not plainly a name or a description gives `None`.

use super::*;

impl<'a> Ctx<'a> {
    /// A segment of an apposition chain that is a person's name and nothing else ("Cory
    /// James", "Senator Ada Crane"): the head the later segments describe.
    pub(super) fn head_person(&self, seg_start: usize, seg_end: usize) -> Option<Subject> {
        let mi = self.ents.mention_starting_at(seg_start)?;
        let m = &self.ents.mentions[mi];
        m.person?;
        let rest = self.body.get(m.end..seg_end)?.trim();
        (rest.is_empty() || word_iter(rest).all(|w| gazetteer::is_post_nominal(w.text))).then(|| self.mention_subject(mi))
    }

    /// The person a human relative pronoun at byte `at` ("who", "whose") refers to when the
    /// words before it end in something else: "Sen. Ada Crane of Ohio, who", "Dan Reyes,
    /// director of the Harbour Trust, who", "Bo Hecht, a star of “Tides,” who". The
    /// latest person named since `floor` with nothing but a description (no verb, no
    /// quotation of its own) between the name and the pronoun. "who" wants a person; a
    /// place or an organisation in the description is not its antecedent.
    pub(super) fn relative_person(&self, floor: usize, at: usize) -> Option<usize> {
        let lo = self.ents.mentions.partition_point(|m| m.start < floor);
        let hi = self.ents.mentions.partition_point(|m| m.start < at);
        // The chain's head: the first person whose description runs to the pronoun.
        (lo..hi).filter(|&i| self.ents.mentions[i].person.is_some()).find(|&i| {
            let Some(between) = self.body.get(self.ents.mentions[i].end..at) else { return false };
            let plain = between.len() <= 160 && (between.starts_with(',') || between.starts_with(" of ") || between.starts_with(" from "));
            plain
                && words(between).iter().all(|w| {
                    let l = lower(w);
                    // (A speech verb's base form is a noun as often: "a TV show".)
                    let finite_speech = gazetteer::is_speech_verb(&l) && (l.ends_with('s') || l.ends_with('d'));
                    !(w.text.starts_with(char::is_lowercase) && (FINITE.contains(l.as_str()) || finite_like(w.text) || finite_speech))
                        && !matches!(l.as_str(), "who" | "whom" | "whose" | "which" | "that" | "and" | "or")
                })
        })
    }

    /// Does a person's name end at byte `end` ("Dan Reyes" before ", senior director ...")?
    pub(super) fn person_ends_at(&self, end: usize) -> bool {
        self.ents.mention_ending_at(end).is_some_and(|mi| self.ents.mentions[mi].person.is_some())
    }

    /// ", Henrik Sjöberg," / ", Dr Mathilde Rochat of the Institute," / ", nine-year-old
    /// Ruby,": a name in apposition is the subject.
    pub(super) fn apposition_name(&mut self, seg_start: usize, seg_end: usize) -> Option<Subject> {
        let seg = &self.body[seg_start..seg_end];
        let n = word_iter(seg).take(15).count();
        if n == 0 || n > 14 {
            return None;
        }
        // A mention can run past the segment ("'D Ks' Union,said": the name swallows the
        // quote mark the segment stops at): only one inside it is an apposition.
        if let Some(mi) = self.ents.mention_starting_at(seg_start)
            && self.ents.mentions[mi].end <= seg_end
        {
            let m = &self.ents.mentions[mi];
            let rest = self.body[m.end..seg_end].trim_start_matches(['’', '\'']).trim();
            let rest_first = word_iter(rest).next().map(|w| lower(&w));
            let post_nominals = !rest.is_empty() && word_iter(rest).all(|w| gazetteer::is_post_nominal(w.text));
            if rest.is_empty() || post_nominals || rest_first.as_deref().is_some_and(|f| matches!(f, "of" | "at" | "from" | "in" | "with")) {
                return (m.kind != EntityKind::Place).then(|| self.mention_subject(mi));
            }
        }
        if let Some(mi) = self.ents.mention_ending_at(seg_end)
            && self.ents.mentions[mi].phrase_start >= seg_start
        {
            let m = &self.ents.mentions[mi];
            let lead = &self.body[seg_start..m.phrase_start];
            let lead_ws = words(lead);
            let first = lead_ws.first().map(lower).unwrap_or_default();
            let prep_before = lead_ws.last().is_some_and(|w| PREPOSITIONS.contains(lower(w).as_str()) || DETERMINERS.contains(lower(w).as_str()));
            // ", contradicting Trump,": a participle's object, no apposition.
            let participle =
                lead_ws.iter().any(|w| w.text.starts_with(char::is_lowercase) && w.text != "including" && (w.text.ends_with("ing") || finite_like(w.text)));
            if m.kind != EntityKind::Place
                && lead_ws.len() <= 3
                && !prep_before
                && !participle
                && !DETERMINERS.contains(first.as_str())
                // ("who identifies as Hispanic": a relative clause, no apposition.)
                && !matches!(first.as_str(), "who" | "whose" | "whom" | "which" | "where")
                && !lead.contains(['“', '"'])
            {
                return Some(self.mention_subject(mi));
            }
        }
        None
    }

    /// `Anthony Anton, president and CEO of the Restaurant Association stated`: an apposition
    /// whose closing comma is missing. When the text before the verb (from `floor` to `end`)
    /// is a person's name, one comma and a description opening with a role, a title or an
    /// article, the person speaks; returns them and where their name starts.
    pub(super) fn unclosed_apposition(&self, floor: usize, end: usize) -> Option<(Subject, usize)> {
        let text = self.body.get(floor..end)?;
        let comma = text.find(',')?;
        let seg = &text[comma + 1..];
        if seg.contains([',', ';', ':', '(', '"', '“', '”']) {
            return None;
        }
        let ws = words(seg);
        let first = ws.first()?;
        let l = lower(first);
        let described = first.text.starts_with(char::is_lowercase)
            && (gazetteer::is_role_noun(&l) || gazetteer::is_title_word(&l) || matches!(l.as_str(), "the" | "a" | "an" | "former"));
        // The description is a noun phrase, or one with a relative clause ("the guru who
        // founded X"): no verb of its own outside it.
        let relative = ws.iter().position(|w| matches!(w.text, "who" | "whose")).unwrap_or(ws.len());
        if !described
            || ws.len() > 14
            || ws[..relative].iter().skip(1).any(|w| w.text.starts_with(char::is_lowercase) && (FINITE.contains(lower(w).as_str()) || finite_like(w.text)))
        {
            return None;
        }
        let name_at = floor + (text.len() - text.trim_start().len());
        let s = self.head_person(name_at, floor + comma)?;
        Some((s, name_at))
    }
}
