//! Cues: the speech verbs of a sentence, each with its subject and complement, and the
//! reading of one sentence (its cues, the quotations that end in it, its reported clauses).
//!
//! Invariant: cues are computed once per sentence, in sentence order (`cues_of`), and
//! only words outside quotation marks are read as cues.

use super::clauses::elliptical_clause;
use super::*;

impl<'a> Ctx<'a> {
    /// Read one sentence: its cues, the quotations that end in it, its reported clauses.
    pub(super) fn sentence(&mut self, si: usize) {
        self.note_role_subject(si);
        let cues = self.cues_of(si);
        // Quotations inside a reported clause belong to it (mixed speech).
        for cue in cues.iter().filter(|c| c.subject.is_some()) {
            if let Some(clause) = &cue.clause {
                let first = self.groups.partition_point(|g| g.start() < clause.start);
                for g in first..self.groups.len() {
                    let (gs, ge) = (self.groups[g].start(), self.groups[g].end());
                    if gs >= clause.end {
                        break;
                    }
                    let words_before = word_iter(&self.body[clause.start..gs]).next().is_some();
                    if ge <= clause.end + 3 && (words_before || (gs == clause.start && ge + 3 < clause.end && self.words_after_group(g, clause.end))) {
                        self.done[g] = true;
                    }
                }
            }
        }
        let mut emitted: Vec<(usize, Range<usize>, RawQuote)> = Vec::new();
        // Quotations that end in this sentence (attributing one marks no other as done).
        let mut g = self.group_end_sentence.partition_point(|&s| s < si);
        self.sentence_quote = None;
        while g < self.groups.len() && self.group_end_sentence[g] == si {
            if !self.done[g]
                && let Some(mut raw) = self.attribute_group(si, g)
            {
                self.done[g] = true;
                self.sentence_quote = raw.speaker.is_some().then(|| (self.groups[g].end(), raw.speaker.clone(), raw.mention.clone()));
                let mut start = self.groups[g].start();
                if let Some(lead) = self.phrase_lead.take() {
                    start = lead;
                    raw.kind = QuoteKind::Mixed;
                } else if raw.cue.is_some()
                    && let Some(lead) = self.unquoted_lead(g)
                {
                    start = lead;
                    raw.kind = QuoteKind::Mixed;
                }
                // `“We will go,” she said, “but not yet.”`: one quote per part, each stopping at
                // the attribution, both with its speaker.
                let segments = &self.groups[g].segments;
                if segments.len() > 1 && self.groups[g].interrupt.is_some() {
                    for (i, seg) in segments.iter().enumerate() {
                        // A title in the marks is no part of the speech (`said Ann Lee, author
                        // of “Tough Choices.”`).
                        let ws: Vec<Word> = word_iter(&self.body[seg.clone()]).take(7).collect();
                        if i > 0
                            && ws.len() <= 6
                            && ws.first().is_some_and(|w| w.is_capitalised())
                            && ws.iter().all(|w| w.is_capitalised() || crate::core::text::is_stopword(&lower(w)))
                        {
                            continue;
                        }
                        let from = if i == 0 { start } else { seg.start };
                        emitted.push((from, from..seg.end, raw.clone()));
                    }
                } else {
                    emitted.push((start, start..self.groups[g].end(), raw));
                }
            }
            g += 1;
        }
        // Reported clauses.
        for cue in cues.iter() {
            let Some(clause) = cue.clause.clone() else { continue };
            let Some(subj) = &cue.subject else { continue };
            let text = &self.body[clause.clone()];
            if word_iter(text).take(3).count() < 3 && !(elliptical_clause(&words(text)) && self.body[clause.end..].trim_start().starts_with(['.', ',', ';'])) {
                continue;
            }
            // ("Instead, she said, her boss told her ...": a clause around its own attribution
            // that stops at the next report holds nothing after the attribution, and an
            // opener is nobody's words.)
            if clause.contains(&cue.start)
                && word_iter(self.body.get(cue.end..clause.end).unwrap_or_default()).next().is_none()
                && word_iter(self.body.get(clause.start..cue.subject_start.min(cue.start)).unwrap_or_default()).take(3).count() < 3
            {
                continue;
            }
            let first = self.groups.partition_point(|g| g.start() < clause.start);
            let kind = if self.groups.get(first).is_some_and(|g| g.end() <= clause.end + 3) { QuoteKind::Mixed } else { QuoteKind::Indirect };
            let raw = RawQuote { speaker: subj.speaker.clone(), mention: Some(subj.mention.clone()), cue: Some(cue.verb.to_string()), kind };
            emitted.push((clause.start, clause, raw));
        }
        emitted.sort_by_key(|e| e.0);
        let any = !emitted.is_empty();
        let n_new = emitted.len();
        self.out.extend(emitted.into_iter().map(|(_, r, raw)| (r, raw)));
        if any {
            let at = self.tag_sentence.take().filter(|&t| t == si + 1).unwrap_or(si);
            // A quotation standing alone continues the last quotation in marks before it,
            // not a report in a clause after that (`“...,” Trump assured Jones, after Jones
            // assured him that ...`).
            let first_new = self.out.len() - n_new;
            let last = (first_new..self.out.len()).rev().find(|&i| self.out[i].1.kind == QuoteKind::Direct).unwrap_or(self.out.len() - 1);
            self.prev_quote = Some((at, last));
        }
    }

    /// "The striker laughed ...": a role noun as the sentence's subject is a reference to
    /// its person for the pronouns that follow.
    pub(super) fn note_role_subject(&mut self, si: usize) {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        let ws: Vec<Word> = word_iter(text).take(5).collect();
        let Some(w0) = ws.first() else { return };
        if !text[..w0.start].trim().is_empty() || !matches!(lower(w0).as_str(), "the" | "his" | "her" | "their" | "its") {
            return;
        }
        for k in 1..ws.len().min(4) {
            let next = ws.get(k + 1).map(lower).unwrap_or_default();
            let plain = text[ws[k - 1].end..ws[k].start].trim().is_empty() && ws.get(k + 1).is_some_and(|n| text[ws[k].end..n.start].trim().is_empty());
            if !plain {
                return;
            }
            if gazetteer::is_role_noun(&lower(&ws[k])) && next.starts_with(char::is_lowercase) && !PREPOSITIONS.contains(next.as_str()) && next != "and" {
                // Resolving records the reference; the subject itself is not needed here.
                let _ = self.noun_phrase_subject(si, range.start + w0.start, range.start + ws[k].end, None);
                return;
            }
        }
    }

    /// The cues of a sentence (computed once, in sentence order).
    pub(super) fn cues_of(&mut self, si: usize) -> Rc<Vec<Cue<'a>>> {
        if let Some(c) = &self.cues[si] {
            return Rc::clone(c);
        }
        let cues = Rc::new(self.find_cues(si));
        self.cues[si] = Some(Rc::clone(&cues));
        cues
    }

    pub(super) fn find_cues(&mut self, si: usize) -> Vec<Cue<'a>> {
        let body = self.body;
        let range = self.sents[si].clone();
        let text = &body[range.clone()];
        let ws = words(text);
        let mut cues: Vec<Cue> = Vec::new();
        // What the attributions of this sentence may overwrite, and which cues were noted.
        let person_before = self.last_person;
        let refs_before = self.extra_refs.len();
        let mut noted: Vec<bool> = Vec::new();
        // "According to X, ..." / "..., according to X."
        if let Some(c) = self.according_to(si, &ws) {
            cues.push(c);
            noted.push(true);
        }
        // Quotation segments in this sentence, for a cheap "inside a quote" test per word.
        let first_group = self.groups.partition_point(|g| g.end() <= range.start);
        let segments: Vec<Range<usize>> =
            self.groups[first_group..].iter().take_while(|g| g.start() < range.end).flat_map(|g| g.segments.iter().cloned()).collect();
        for (k, w) in ws.iter().enumerate() {
            let abs = range.start + w.start;
            if segments.iter().any(|s| s.contains(&abs)) {
                continue;
            }
            // Cheap filter before lowercasing: speech verbs are lowercase words (or "According").
            if w.text.starts_with(char::is_uppercase) && k > 0 {
                continue;
            }
            let l = lower(w);
            let put_it = matches!(l.as_str(), "put" | "puts") && ws.get(k + 1).is_some_and(|n| n.text == "it");
            // "Bennett shot back", "the campaign fired back": a retort.
            let fired_back = matches!(l.as_str(), "shot" | "fired") && ws.get(k + 1).is_some_and(|n| n.text == "back" && text[w.end..n.start] == *" ");
            let object_kind = object_report_kind(&l);
            if !gazetteer::is_speech_verb(&l) && !put_it && !fired_back && object_kind.is_none() {
                continue;
            }
            // "agreed to pay", "agreed that": agreement attributes only a quotation it follows
            // (`“...,” agrees Ann Lee`).
            if matches!(l.as_str(), "agreed" | "agrees") && !text[..w.start].trim_end().ends_with(['”', '"', '’', '\'']) {
                continue;
            }
            // "Trump's repeated calls to ban", "his promises to": after a determiner, a
            // possessive or a participle, the -s form of a speech act is a plural noun.
            if l.ends_with('s')
                && (object_kind.is_some() || NOUN_LIKE_VERBS.contains(l.as_str()))
                && let Some(p) = k.checked_sub(1).map(|j| &ws[j]).filter(|p| text[p.end..w.start] == *" ")
            {
                let lp = lower(p);
                if (DETERMINERS.contains(lp.as_str()) && lp != "that")
                    || lp.ends_with("'s")
                    || lp.ends_with("’s")
                    || (p.text.starts_with(char::is_lowercase) && lp.ends_with("ed"))
                {
                    continue;
                }
            }
            // "states unnecessarily would become", "the comments": a plural noun that
            // reads like a verb reports only before "that", a quotation or a colon, or at
            // the end of its sentence ("..., the report states.").
            if NOUN_LIKE_VERBS.contains(l.as_str()) && !self.reports_next(range.start + w.end, range.end) {
                // After a name, a pronoun or an adverb it is a verb: "Trump claims he ...".
                let subject_before = k.checked_sub(1).is_some_and(|j| {
                    let p = &ws[j];
                    let lp = lower(p);
                    text[p.end..w.start].trim().is_empty()
                        && ((p.is_capitalised() && !DETERMINERS.contains(lp.as_str()))
                            || PRONOUNS.contains(lp.as_str())
                            || ADVERBS.contains(lp.as_str())
                            || matches!(lp.as_str(), "who" | "which"))
                });
                if !subject_before {
                    continue;
                }
            }
            // The word right before the verb, with only spaces between: in `even though he
            // is,” said Ann Lee` the "is" ends a quotation and makes no passive.
            let prev = k.checked_sub(1).filter(|&j| text[ws[j].end..w.start].trim().is_empty()).map(|j| lower(&ws[j]));
            // "declined to say": no speech is reported. "Asked about ..., X said": a verb
            // opening the sentence is a participle, not the attribution.
            // "went on to say", "continued to argue": a verb that carries the report on, whose
            // subject is the speaker's; its first word is where the subject is looked for.
            let catenative_at = (prev.as_deref() == Some("to"))
                .then(|| {
                    let j = k.checked_sub(2)?;
                    let lj = lower(&ws[j]);
                    let j = if lj == "on" && j > 0 && matches!(lower(&ws[j - 1]).as_str(), "went" | "goes" | "go" | "going") { j - 1 } else { j };
                    let lj = lower(&ws[j]);
                    (matches!(
                        lj.as_str(),
                        "continued" | "continues" | "continuing" | "began" | "begins" | "went" | "goes" | "going" | "proceeded" | "proceeds"
                    ) && text[ws[j].end..w.start].chars().all(|c| c == ' ' || c.is_alphabetic()))
                    .then_some(j)
                })
                .flatten()
                // ("Continuing to explain his view, Carson said": a participle opening the
                // sentence carries no report of its own.)
                .filter(|&j| j > 0 || !lower(&ws[j]).ends_with("ing"));
            // "Said Comey, “...”": an inverted attribution may open the sentence.
            // ("Stated Stone: “...”": another past tense too, when a name of one or two words
            // and a colon or comma follow.)
            let name_then_stop = || (1..3).any(|j| j < ws.len() && ws[1..=j].iter().all(|n| n.is_capitalised()) && text[ws[j].end..].starts_with([':', ',']));
            let inverted_opener = k == 0
                && (matches!(l.as_str(), "said" | "says" | "added" | "adds" | "wrote" | "writes")
                    || (l.ends_with("ed") && gazetteer::is_speech_verb(&l) && name_then_stop()))
                && ws.get(1).is_some_and(|n| (n.is_capitalised() || DETERMINERS.contains(lower(n).as_str())) && text[w.end..n.start] == *" ");
            if (prev.as_deref() == Some("to") && catenative_at.is_none()) || (k == 0 && w.is_capitalised() && !inverted_opener) {
                continue;
            }
            // "media reports say", "earlier reports had": a plural noun, not the verb.
            let next_finite =
                ws.get(k + 1).is_some_and(|n| text[w.end..n.start].trim().is_empty() && (finite_like(n.text) || gazetteer::is_speech_verb(&lower(n))));
            if l.ends_with('s') && next_finite {
                continue;
            }
            // Passive: "it was announced", "I was told, “...”". Only a told listener is
            // left, and the speaker is unknown.
            let be_before = prev.as_deref().is_some_and(|p| matches!(p, "was" | "were" | "is" | "are" | "been" | "being" | "be"));
            // "is telling reporters that", "has been saying": a progressive, not a passive; its
            // subject stands before the auxiliaries.
            let progressive = be_before && l.ends_with("ing") && prev.as_deref() != Some("being");
            let passive = be_before && !progressive;
            if passive && !TELL_VERBS.contains(l.as_str()) && l != "asked" {
                continue;
            }
            let verb_end = if put_it || fired_back { range.start + ws[k + 1].end } else { range.start + w.end };
            let floor = self.clause_floor(si, abs);
            // Who speaks.
            let coordinated = {
                let before = ws[..k].iter().rev().find(|x| !ADVERBS.contains(lower(x).as_str()));
                before.is_some_and(|x| matches!(lower(x).as_str(), "and" | "but") && !text[x.end..w.start].contains(','))
            };
            // ("..., going on to say that": the carrying verb is the participle.)
            let participle = (l.ends_with("ing") || catenative_at.is_some_and(|j| lower(&ws[j]).ends_with("ing"))) && !progressive;
            // Where the verb group starts: before the auxiliaries of a progressive, or at the
            // carrying verb of "went on to say".
            let group_at = if let Some(j) = catenative_at {
                range.start + ws[j].start
            } else if progressive {
                let mut j = k - 1;
                while j > 0
                    && text[ws[j - 1].end..ws[j].start].trim().is_empty()
                    && matches!(lower(&ws[j - 1]).as_str(), "has" | "have" | "had" | "will" | "would" | "may" | "might" | "could" | "should" | "been" | "be")
                {
                    j -= 1;
                }
                range.start + ws[j].start
            } else {
                abs
            };
            let mut subject_start = abs;
            let mut after_subject = verb_end;
            let subject = if passive {
                Some(Subject::unnamed(&text[ws[k - 1].start..w.end]))
            } else if participle
                && let Some(mi) = {
                    // ("with Trump reportedly yelling": an adverb may stand between.)
                    let adverb = k.checked_sub(1).filter(|&j| {
                        let lj = lower(&ws[j]);
                        ws[j].text.starts_with(char::is_lowercase)
                            && text[ws[j].end..w.start] == *" "
                            && (ADVERBS.contains(lj.as_str()) || (lj.len() > 4 && lj.ends_with("ly")))
                    });
                    let name_end = adverb.map_or(abs, |j| range.start + ws[j].start);
                    self.ents.mention_ending_at(name_end - 1)
                }
                .filter(|&mi| {
                    let m = &self.ents.mentions[mi];
                    let gap = &body[m.end..abs];
                    (gap == " " || word_iter(gap).count() == 1 && gap.starts_with(' ') && gap.ends_with(' '))
                        && m.person.is_some()
                        && matches!(body[range.start..m.phrase_start].trim_end().rsplit(' ').next(), Some("with" | "of"))
                })
            {
                // "with Trump calling for", "footage of Trump saying": the name right after
                // "with" or "of" and before the participle is its subject.
                subject_start = self.ents.mentions[mi].phrase_start;
                Some(self.mention_subject(mi))
            } else if coordinated || participle {
                // Without a name or pronoun, the sentence's own subject is an unnamed one
                // ("Supporters' groups welcomed the move but said ...").
                cues.iter().rev().find_map(|c: &Cue| c.subject.clone()).or_else(|| self.clause_subject(si, abs)).or_else(|| Some(Subject::unnamed(ws[0].text)))
            } else {
                let group_floor = if group_at == abs { floor } else { self.clause_floor(si, group_at) };
                let before = self.subject_before(si, group_floor.min(group_at), group_at);
                // "Federal mandates are a burden, said Todd Wilcox, an Orlando Republican.": after
                // a comma, a name right after the verb is its subject (an inverted
                // attribution), not the unnamed noun phrase or the group ("... from all
                // Democrats, said Mindy Romero") before the comma.
                let inverted = if before.as_ref().is_some_and(|(s, _)| s.speaker.is_none() || (s.person.is_none() && s.org.is_none()))
                    && !TELL_VERBS.contains(l.as_str())
                    && self.name_after_comma_verb(si, abs, verb_end)
                {
                    self.subject_after(si, verb_end).filter(|(s, end)| s.speaker.is_some() && self.inverted_subject_ends(*end, range.end))
                } else {
                    None
                };
                match (inverted, before) {
                    (Some((s, end)), _) => {
                        after_subject = end;
                        Some(s)
                    }
                    (None, Some((s, start))) => {
                        subject_start = start;
                        Some(s)
                    }
                    (None, None) if !TELL_VERBS.contains(l.as_str()) => match self.subject_after(si, verb_end) {
                        Some((s, end)) => {
                            after_subject = end;
                            Some(s)
                        }
                        None => None,
                    },
                    _ => None,
                }
            };
            let object_clause = object_kind.and_then(|kind| self.object_report(kind, after_subject, range.end));
            let complement = if let Some(cs) = object_clause {
                Complement::Clause(cs)
            } else if PHRASE_VERBS.contains(l.as_str()) {
                self.phrase_complement(after_subject, range.end)
            } else if !gazetteer::is_speech_verb(&l) && !fired_back && !put_it {
                // "vowing", "accusing": a report only with its object and particle.
                continue;
            } else {
                self.complement(&l, after_subject, range.end)
            };
            // `said that “I hope ...”`: the clause is a quotation, direct speech; `said that
            // “we need more information” about how ...`: words after the quotation make the
            // clause mixed speech.
            let complement = match complement {
                Complement::Clause(cs) => match self.group_starting_at(cs) {
                    Some(g) if !self.words_after_group(g, range.end) => Complement::Quote(g),
                    _ => complement,
                },
                c => c,
            };
            // "..., said Ann Cole, a historian who ...": after a subject that follows its
            // verb, a comma opens an apposition or a relative clause, never the complement.
            let inverted_then_comma = after_subject > verb_end && body[after_subject..range.end].trim_start().starts_with(',');
            let complement = if inverted_then_comma && matches!(complement, Complement::None | Complement::Clause(_)) { Complement::End } else { complement };
            // "WHITLOCK: I'd say I understand ...": outside quotation marks, a first person
            // reports nothing (a transcript turn, a column).
            let first_person = subject.as_ref().is_some_and(|s| {
                matches!(
                    Lower::new(&s.mention).as_str(),
                    "i" | "we"
                        | "i'd"
                        | "we'd"
                        | "i'll"
                        | "we'll"
                        | "i'm"
                        | "we're"
                        | "i've"
                        | "we've"
                        | "i’d"
                        | "we’d"
                        | "i’ll"
                        | "we’ll"
                        | "i’m"
                        | "we’re"
                        | "i’ve"
                        | "we’ve"
                )
            });
            if first_person && !passive && !matches!(complement, Complement::Quote(_)) {
                continue;
            }
            // "had been briefed": a passive report counts only before a quotation, or after
            // the statement it reports ("..., a jury was told on Monday.").
            let passive_postposed = passive && complement == Complement::End && l == "told";
            if passive && !matches!(complement, Complement::Quote(_)) && !passive_postposed {
                continue;
            }
            if passive_postposed && k >= 1 {
                subject_start = self.np_start_before(floor, range.start + ws[k - 1].start).unwrap_or(subject_start);
            }
            let verb = if fired_back || put_it { &text[w.start..ws[k + 1].end] } else { w.text };
            let mut cue = Cue { start: abs, end: verb_end, verb, subject, subject_start, complement, clause: None };
            // "A work order, he said, had been marked ...": the attribution inside the clause.
            // ("..., he said, replacing her would ...": the words after it may look like an
            // adverbial to the complement stage.)
            if cue.subject.is_some() && matches!(complement, Complement::None | Complement::End) && POSTPOSED_VERBS.contains(l.as_str()) {
                cue.clause = self.parenthetical_clause(si, &cue);
            }
            if cue.clause.is_some() {
            } else if cue.subject.is_some() {
                if let Complement::Clause(cs) = complement {
                    cue.clause = Some(cs..self.fronted_clause_end(si, subject_start, cs).unwrap_or_else(|| self.clause_end(cs, range.end)));
                } else if complement == Complement::End && POSTPOSED_VERBS.contains(l.as_str()) {
                    cue.clause = self.postposed_clause(si, &cue);
                }
                if cue.clause.is_none() && matches!(complement, Complement::End | Complement::None) {
                    cue.clause = self.as_report(si, &cue);
                }
            }
            let note = cue.clause.is_some() || matches!(complement, Complement::Quote(_)) || self.quote_just_before(subject_start);
            if note {
                self.note_attribution(si, &cue);
            }
            cues.push(cue);
            noted.push(note);
        }
        // A clause ends where a coordinated report begins: "X said A, and Y told B". A
        // report inside the clause ("X said officials had warned that ...") is part of it.
        // Every later cue is checked, not just the next: in "said she hoped A, but stressed
        // that B" the report inside the clause ("hoped") must not hide the coordinated one.
        for i in 0..cues.len() {
            for j in i + 1..cues.len() {
                let Some(c) = cues[i].clause.clone() else { break };
                let next_start = cues[j].subject_start.min(cues[j].start);
                if next_start > c.start && next_start < c.end {
                    let before = body[c.start..next_start].trim_end();
                    let trimmed = before.strip_suffix(" and").or_else(|| before.strip_suffix(" but")).unwrap_or(before).trim_end();
                    // `that there is “only one ... race,” adding that ...`: a comma inside the
                    // closing mark ends the clause as well.
                    let comma_in_mark = trimmed.trim_end_matches(['”', '"', '’', '\'', '»']).ends_with(',') && trimmed.ends_with(['”', '"', '’', '\'', '»']);
                    if trimmed.ends_with([',', ';']) || trimmed.len() < before.len() || comma_in_mark {
                        let cut = if comma_in_mark { trimmed } else { trimmed.trim_end_matches([',', ';']).trim_end() };
                        cues[i].clause = Some(c.start..c.start + cut.len());
                    } else if let Some(cut) = self.contrast_before(c.start, cues[j].start) {
                        // "claimed responsibility for the attack but U.S. officials have
                        // said ...": a contrast opens a new clause with its own subject.
                        cues[i].clause = Some(c.start..cut);
                    } else {
                        cues[j].clause = None;
                    }
                } else if next_start <= c.start
                    && cues[j].start > c.start
                    && cues[j].start < c.end
                    && let Some(cut) = self.contrast_before(c.start, cues[j].start)
                {
                    // A subject read back past the clause's start: the contrast still ends it.
                    cues[i].clause = Some(c.start..cut);
                }
            }
        }
        self.unnote_nested(si, &cues, &noted, person_before, refs_before);
        cues
    }

    /// `X said Monday that Obama has long called for ...`: a report inside another's clause
    /// is part of what that speaker said, so its subject is neither the latest attribution
    /// nor a subject the pronouns after it look for.
    fn unnote_nested(&mut self, si: usize, cues: &[Cue], noted: &[bool], person_before: Option<(usize, usize, usize)>, refs_before: usize) {
        // A cue of its own quotation (`to which X interjected: “...”`) is no nested report.
        let nested = |j: usize| {
            let subject = cues[j].subject_start.min(cues[j].start);
            !matches!(cues[j].complement, Complement::Quote(_))
                && cues[..j].iter().any(|c| c.clause.as_ref().is_some_and(|cl| cl.start <= subject && cues[j].start < cl.end))
        };
        let person = |j: usize| cues[j].subject.as_ref().and_then(|s| s.person).filter(|_| noted[j]);
        if !(0..cues.len()).any(|j| person(j).is_some() && nested(j)) {
            return;
        }
        self.last_person = person_before;
        for (j, cue) in cues.iter().enumerate() {
            let Some(p) = person(j) else { continue };
            if nested(j) {
                let pos = cue.subject_start.min(cue.start);
                if let Some(k) = self.extra_refs[refs_before..].iter().position(|r| r.pos == pos && r.person == p && r.sentence == si) {
                    self.extra_refs.remove(refs_before + k);
                }
            } else {
                self.last_person = Some((p, cue.start, si));
            }
        }
    }

    /// `Trump's misinformation may be “strategic,” said X`: the words that open the
    /// sentence before a quotation attributed after it are part of what was said (mixed
    /// speech). Returns where they start: not after a colon, a cue or another quotation,
    /// and at least three words.
    pub(super) fn unquoted_lead(&mut self, g: usize) -> Option<usize> {
        let gs = self.groups[g].start();
        if self.groups[g].interrupt.is_some() {
            return None;
        }
        let si = self.sentence_of(gs);
        let sent_start = self.sents.get(si)?.start;
        if g > 0 && self.groups[g - 1].end() > sent_start {
            return None;
        }
        let start = self.dateline_end(si, gs);
        let lead = self.body.get(start..gs)?;
        let trimmed = lead.trim_end();
        if trimmed.ends_with([':', '—', '-', '(']) || lead.contains(['\n', ';']) || word_iter(lead).take(3).count() < 3 {
            return None;
        }
        // A cue in the lead introduces the quotation ("He said, “...”"); the quotation's
        // own cue follows it (not "cries of ‘Shame!’").
        let cues = self.cues_of(si);
        if cues.iter().any(|c| c.start < gs) {
            return None;
        }
        let ge = self.groups[g].end();
        let end_si = self.sentence_of(ge.saturating_sub(1));
        if !self.cues_of(end_si).iter().any(|c| c.start >= ge && c.subject.is_some()) {
            return None;
        }
        let ws = words(lead);
        let first = ws.first().map(lower).unwrap_or_default();
        // "Asked about the vote, “...,” she said": an opener, not speech.
        if matches!(first.as_str(), "asked" | "pressed" | "speaking" | "when" | "after") {
            return None;
        }
        Some(start + (lead.len() - lead.trim_start().len()))
    }

    /// Where a clause starting at `from` ends before a contrast that opens a new subject
    /// right before the verb at `verb`: `... but U.S. officials have said`, `..., while
    /// the mayor said`. `None` without such a contrast (`said officials had warned ...` is
    /// one clause with a report inside it).
    pub(super) fn contrast_before(&self, from: usize, verb: usize) -> Option<usize> {
        let region = self.body.get(from..verb.max(from))?;
        let (at, len) =
            [" but ", " while ", " though ", " although ", " whereas ", "; ", ", and "].iter().filter_map(|c| region.rfind(c).map(|p| (p, c.len()))).max()?;
        let tail = region.get(at + len..)?;
        let ws = words(tail);
        let first = ws.first()?;
        let l = lower(first);
        let subject_start = first.is_capitalised() || DETERMINERS.contains(l.as_str()) || PRONOUNS.contains(l.as_str());
        let head = region.get(..at)?.trim_end().trim_end_matches([',', ';']).trim_end();
        (subject_start && ws.len() <= 5 && word_iter(head).take(3).count() == 3).then_some(from + head.len())
    }

    /// Does a report follow a verb ending at `from`: "that", a quotation or a colon, or
    /// nothing but the sentence's end?
    pub(super) fn reports_next(&self, from: usize, end: usize) -> bool {
        let Some(rest) = self.body.get(from..end.max(from)) else { return false };
        let rest = rest.trim_start();
        if rest.starts_with([':', '“', '"', '‘', '«']) || rest.trim_end_matches(['.', '!', '?', '”', '"', ' ']).is_empty() {
            return true;
        }
        let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
        rest.starts_with(['“', '"']) || word_iter(rest).next().is_some_and(|w| w.start == 0 && w.text.eq_ignore_ascii_case("that"))
    }

    /// Do words outside quotation marks follow group `g` before the end of its sentence
    /// (`end`)? `said that “we need more information” about how ...`.
    pub(super) fn words_after_group(&self, g: usize, end: usize) -> bool {
        let ge = self.groups[g].end();
        let Some(rest) = self.body.get(ge..end.max(ge)) else { return false };
        let rest = rest.trim_end().trim_end_matches(['.', '!', '?']);
        // A mark read from a pair (`''`) leaves its second character behind.
        let rest = rest.trim_start_matches(['\'', '`']);
        word_iter(rest).take(2).count() >= 2 && !rest.trim_start().starts_with([',', ';', ':', '(', '—'])
    }

    /// `..., said Todd Wilcox`: the verb at `verb` follows a comma and a capitalised word
    /// that is no determiner or pronoun follows it.
    pub(super) fn name_after_comma_verb(&self, si: usize, verb: usize, verb_end: usize) -> bool {
        let range = self.sents[si].clone();
        if !self.body[range.start..verb].trim_end().ends_with(',') {
            return false;
        }
        let rest = &self.body[verb_end..range.end];
        word_iter(rest).next().is_some_and(|w| {
            let l = lower(&w);
            rest[..w.start].trim().is_empty() && w.is_capitalised() && !DETERMINERS.contains(l.as_str()) && !PRONOUNS.contains(l.as_str())
        })
    }

    /// After an inverted subject ending at `end`, the sentence ends, or an apposition, a
    /// time or a place follows: `said Wilcox.`, `said Wilcox, an Orlando Republican`,
    /// `said Wilcox on Monday`, `said Wilcox in a statement` (never a verb: `said Jones lied`).
    pub(super) fn inverted_subject_ends(&self, end: usize, sent_end: usize) -> bool {
        let rest = self.body.get(end..sent_end).unwrap_or_default().trim_start();
        match rest.chars().next() {
            None | Some(',' | '.' | ';' | '”' | '"' | ')') => true,
            _ => word_iter(rest).next().is_some_and(|w| {
                let l = lower(&w);
                w.start == 0 && (PREPOSITIONS.contains(l.as_str()) || is_time_word(l.as_str()))
            }),
        }
    }

    /// Record a cue's subject as the latest attribution and a reference for pronouns.
    pub(super) fn note_attribution(&mut self, si: usize, cue: &Cue) {
        let Some(s) = &cue.subject else { return };
        if let Some(p) = s.person {
            self.last_person = Some((p, cue.start, si));
            self.extra_refs.push(Ref { pos: cue.subject_start.min(cue.start), sentence: si, person: p, subject_like: true });
        } else if let Some(name) = &s.speaker {
            self.last_org = Some((name.clone(), si));
            if let Some(o) = s.org {
                let pos = cue.subject_start.min(cue.start);
                let at = self.org_refs.partition_point(|r| r.0 <= pos);
                if self.org_refs.get(at.wrapping_sub(1)).is_none_or(|r| r.0 != pos) {
                    self.org_refs.insert(at, (pos, o));
                }
            }
        }
    }

    /// Is there a quotation right before `pos` (", he said" after a quote)?
    pub(super) fn quote_just_before(&self, pos: usize) -> bool {
        let i = self.groups.partition_point(|g| g.end() <= pos);
        i > 0 && self.body[self.groups[i - 1].end()..pos].trim_matches(|c: char| c.is_whitespace() || c == ',').is_empty()
    }

    /// Where the clause holding a verb at `pos` starts: after the last quotation, semicolon
    /// or colon before it in the sentence.
    pub(super) fn clause_floor(&self, si: usize, pos: usize) -> usize {
        let start = self.sents[si].start;
        let mut floor = start;
        // After a quoted statement (`“...,” he said`), not after a quoted name inside the
        // clause (`whose motto “In salutem omnium” is carved ..., said`).
        let i = self.groups.partition_point(|g| g.end() <= pos);
        if i > 0 && self.groups[i - 1].end() > start {
            let g = &self.groups[i - 1];
            let lead = self.body[start.min(g.start())..g.start()].trim_end();
            let inner = self.body[g.start()..g.end()].trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ',' | '.' | '?' | '!' | '…'));
            // (`the co-author of "Going Viral," about ...`: a title after a preposition.)
            let title = word_iter(lead).last().is_some_and(|w| lead[w.end..].trim().is_empty() && PREPOSITIONS.contains(lower(&w).as_str()));
            // (`his show, "The Apprentice," who`: a title in apposition, not a statement.)
            let apposed_title = lead.ends_with(',') && lead.len() > 1 && title_case(inner);
            if !apposed_title && (lead.is_empty() || lead.ends_with([':', ',', '—']) || (inner.ends_with([',', '.', '?', '!', '…']) && !title)) {
                floor = g.end();
            }
        }
        if let Some(p) = self.body[floor..pos].rfind([';', ':', '—']) {
            floor = floor + p + self.body[floor + p..].chars().next().map_or(1, char::len_utf8);
        }
        floor
    }

    /// "According to X, clause." / "Clause, according to X."
    pub(super) fn according_to(&mut self, si: usize, ws: &[Word<'a>]) -> Option<Cue<'a>> {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        let k = ws.iter().position(|w| w.text.eq_ignore_ascii_case("according") && ws.get(1).is_some())?;
        if ws.get(k + 1).is_none_or(|w| w.text != "to") || self.in_group(range.start + ws[k].start) {
            return None;
        }
        // "according to a consensus compiled by the company", "according to the largest
        // trial of its kind": figures and findings are no speech.
        let source = ws[k + 2..].iter().take(4).take_while(|w| !text[ws[k + 1].end..w.start].contains(','));
        if source.map(lower).any(|l| DATA_NOUNS.contains(l.as_str())) {
            return None;
        }
        let subj_from = range.start + ws[k + 1].end;
        let (subject, subj_end) = self.subject_after(si, subj_from).or_else(|| self.proper_source_after(si, subj_from))?;
        // "But according to X, ...": a conjunction may come before the fronted report.
        let fronted = k == 0 || (k == 1 && is_leading_connective(&lower(&ws[0])));
        let clause = if fronted {
            // Skip the subject and an apposition: up to the comma that ends them.
            let rest = &self.body[subj_end..range.end];
            let mut pos = subj_end + rest.find(',')? + 1;
            let after = &self.body[pos..range.end];
            if let Some(next) = after.find(',')
                && parenthetical_like(&after[..next])
                && word_iter(&after[..next]).take(9).count() <= 8
            {
                pos += next + 1;
            }
            let cs = pos + (self.body[pos..range.end].len() - self.body[pos..range.end].trim_start().len());
            cs..self.clause_end(cs, range.end)
        } else {
            let comma = text[..ws[k].start].rfind(',')?;
            let start = self.dateline_end(si, range.start + comma);
            // "His criticism, according to an interview at the time, was ...": the report
            // set off by commas inside its clause; the clause is the whole sentence.
            let rest = self.body.get(subj_end..range.end).unwrap_or("");
            let goes_on = rest.find(',').filter(|&c| word_iter(&rest[..c]).take(10).count() < 10).is_some_and(|c| {
                let after = &rest[c + 1..];
                word_iter(after).take(6).any(|w| finite_like(w.text)) && word_iter(after).take(3).count() == 3
            });
            if goes_on { start..self.clause_end(start, range.end) } else { start..range.start + comma }
        };
        let cue = Cue {
            start: range.start + ws[k].start,
            end: range.start + ws[k + 1].end,
            verb: "according to",
            subject: Some(subject),
            subject_start: range.start + ws[k].start,
            complement: Complement::Clause(clause.start),
            clause: Some(clause),
        };
        self.note_attribution(si, &cue);
        Some(cue)
    }

    /// `according to Harbourwatch`, `according to Port Elm officials`: capitalised words the
    /// entity stage made no mention of, ending the phrase (a source named as written), or
    /// before a group noun (an unnamed group). Never a date or a known place.
    pub(super) fn proper_source_after(&self, si: usize, from: usize) -> Option<(Subject, usize)> {
        let sent_end = self.sents[si].end;
        let text = self.body.get(from..sent_end)?;
        let ws: Vec<Word> = word_iter(text).take(8).collect();
        let skip = usize::from(ws.first().is_some_and(|w| w.text == "the"));
        let run: Vec<&Word> = ws[skip.min(ws.len())..]
            .iter()
            .enumerate()
            .take_while(|(i, w)| w.is_capitalised() && (*i == 0 || text[ws[skip + i - 1].end..w.start] == *" "))
            .map(|(_, w)| w)
            .collect();
        let (first, last) = (run.first()?, run.last()?);
        if strip_possessive(last.text) != last.text
            || crate::core::lang::lexicon::TITLE_ABBREVIATIONS.contains(&lower(last).as_str())
            || run.iter().any(|w| crate::core::lang::lexicon::is_weekday(w.text) || crate::core::lang::lexicon::is_month(w.text))
            || !text[..ws[0].start].trim().is_empty()
        {
            return None;
        }
        let name = &text[first.start..last.end];
        let next = ws.get(skip + run.len());
        let gap_after = &text[last.end..next.map_or(text.len(), |n| n.start)];
        if let Some(n) = next.filter(|n| gap_after == " " && gazetteer::is_group_noun(&lower(n))) {
            return Some((Subject::unnamed(&text[ws[0].start..n.end]), from + n.end));
        }
        let ends_phrase = next.is_none() || gap_after.trim_start().starts_with([',', '.', ';']);
        if !ends_phrase || gazetteer::is_known_place(name) || gazetteer::is_demonym(name) {
            return None;
        }
        Some((Subject { mention: name.to_string(), speaker: Some(name.to_string()), person: None, org: None }, from + last.end))
    }

    /// "GOTHENBURG, Sweden (Nordwire) — ": a dateline opening the sentence is not speech.
    /// A dateline is a few capitalised words before a dash, and it ends before `limit` (the
    /// words the caller looks at): "NASA said the companies — Blue Origin, SpaceX — had
    /// been selected" opens with no dateline.
    pub(super) fn dateline_end(&self, si: usize, limit: usize) -> usize {
        let range = self.sents[si].clone();
        let text = &self.body[range.clone()];
        if let Some(dash) = text.find(" — ").or_else(|| text.find(" - ")).or_else(|| text.find(" – ")) {
            let head = &text[..dash];
            let capitalised = word_iter(head).all(|w| !w.text.starts_with(char::is_lowercase));
            // ("WASHINGTON (AP) —", "Washington (AFP) –": a place in capitals, or any place
            // with the agency in brackets.)
            let agency = head.trim_end().ends_with(')') && head.contains('(');
            if capitalised && (agency || word_iter(head).next().is_some_and(|w| w.is_all_caps())) && word_iter(head).take(9).count() <= 8 {
                let end = range.start + dash + text[dash..].find(|c: char| c.is_alphanumeric()).unwrap_or(0);
                if end <= limit {
                    return end;
                }
            }
        }
        range.start
    }
}

/// A quotation that reads as a title ("The Apprentice", "Meet the Press"): two to six words,
/// the first capitalised and the rest capitalised or short function words.
fn title_case(inner: &str) -> bool {
    let ws = words(inner);
    (2..=6).contains(&ws.len())
        && ws[0].is_capitalised()
        && ws.iter().all(|w| w.is_capitalised() || matches!(w.text, "the" | "of" | "a" | "an" | "and" | "in" | "on" | "for" | "to" | "with" | "at"))
}
