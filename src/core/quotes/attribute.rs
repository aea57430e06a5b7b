//! Attribution: which cue, if any, a quotation belongs to (inside a split quote, right
//! after it, before it, after a colon), a credit after it (`“...” ― Ada Crane`), and the
//! floating quote that continues the last.
//!
//! Invariant: a quotation gets the subject of one cue, of a credit, of a dialogue tag or a
//! name label, or of the quote just before it; a quotation without any keeps no speaker.

use super::*;

impl<'a> Ctx<'a> {
    /// Attribute a quotation group that ends in sentence `si`. Returns the quote and the
    /// person it is attributed to.
    pub(super) fn attribute_group(&mut self, si: usize, g: usize) -> Option<RawQuote> {
        let body = self.body;
        let (q_start, q_end) = (self.groups[g].start(), self.groups[g].end());
        let start_si = self.sentence_of(q_start);
        let inner_words: usize = self.groups[g].segments.iter().map(|s| word_iter(&body[s.clone()]).count()).sum();
        let cues_here = self.cues_of(si);
        let cues_start = if start_si == si { cues_here.clone() } else { self.cues_of(start_si) };
        let mut found: Option<(Subject, &'a str)> = None;
        let mut phrase_ok = false;
        // Found in or right after the quotation: `“No,” Whitlock said.`
        let mut attributed_after = false;
        // 1. Inside a split quote: `“We will go,” she said, “but not yet.”`
        // (The attribution's own sentence: the quotation may open sentences before it and
        // close sentences after it, `“We met. She lied,” Lee said, “She told me. I asked.”`)
        if let Some(r) = self.groups[g].interrupt.clone()
            && let cues_mid = self.cues_of(self.sentence_of(r.start))
            && let Some(c) = cues_mid.iter().find(|c| c.start >= r.start && c.end <= r.end && c.subject.is_some())
        {
            found = Some((c.subject.clone().expect("checked"), c.verb));
            phrase_ok = true;
            attributed_after = true;
        }
        // 2. Right after: `“...,” he said.` / `“...,” said Ortega.` / `“...,” the group's director, Elin Strand, said.`
        if found.is_none()
            && let Some(c) = cues_here.iter().find(|c| c.start >= q_end && c.subject_start >= q_end && c.subject.is_some())
        {
            let between = &body[q_end..c.subject_start.min(c.start)];
            // (`“...,” the Gazette said`: the article before a name the mention leaves out.)
            let bare = between.trim_matches(|ch: char| ch.is_whitespace() || ch == ',');
            let between_ok = bare.is_empty()
                || bare == "the"
                || self.title_before_subject(between, &body[c.subject_start.min(c.start)..c.start])
                || capitalised_modifiers(between)
                || (c.subject.as_ref().is_some_and(|s| s.person.is_some())
                    && body[self.sents[start_si].start..q_start].trim().is_empty()
                    && lowercase_description(between));
            // Stops may not separate quote and subject; inside the subject a period is an
            // abbreviation or an initial ("Mr. Ackman", "Peter T. King").
            let subject_text = &body[c.subject_start.min(c.start)..c.start];
            // A name right after the quotation may carry a long apposition before its verb
            // (`“...,” Ann Lee, a senior fellow at ... and a former ambassador to ..., said`).
            let limit = if bare.is_empty() && c.subject.as_ref().is_some_and(|s| s.speaker.is_some()) { 30 } else { 14 };
            if between_ok
                && !stop_between(between)
                && !subject_text.contains([';', '!', '?'])
                && word_iter(&body[q_end..c.start]).take(limit + 1).count() <= limit
            {
                found = Some((c.subject.clone().expect("checked"), c.verb));
                phrase_ok = true;
                attributed_after = true;
            }
        }
        // 2b. A credit after it: `“...” ― Adriana Rodarte`, `“...” — Sen. Ann Lee, D-Mich.`,
        // or a line of its own under the quotation's paragraph: `- Bernie Sanders.`
        if found.is_none()
            && let Some(s) = self.credit_after(q_end)
        {
            found = Some((s, "credit"));
            phrase_ok = true;
            attributed_after = true;
        }
        // 2c. `“...,” said Ann Lee, director of ... in London, “but ...”`: a quotation that
        // resumes after the attribution of the one before it, past the speaker's apposition.
        if found.is_none()
            && let Some(c) = cues_start.iter().rev().find(|c| c.end <= q_start)
            && c.subject.as_ref().is_some_and(|s| s.speaker.is_some())
            && self.quote_just_before(c.subject_start.min(c.start))
            && let between = &body[c.end..q_start]
            && between.trim_end().ends_with(',')
            && !stop_between(between)
            && !between.contains([';', ':', '(', '"', '“', '”'])
            && word_iter(between).take(31).count() <= 30
        {
            found = Some((c.subject.clone().expect("checked"), c.verb));
            phrase_ok = true;
        }
        // 3. Before: `X said: “...”`, `X described it as “...”`, `X said that “...”`.
        if found.is_none()
            && let Some(c) = cues_start.iter().rev().find(|c| c.end <= q_start && c.subject.is_some() && self.reaches(c, g))
        {
            found = Some((c.subject.clone().expect("checked"), c.verb));
            phrase_ok = true;
        }
        // 3b. A dialogue tag with a verb the lists lack: `“...?” Hannity pressed.` (after the
        // cue before it, which is cheaper to find and rarely disagrees.)
        if found.is_none()
            && let Some(s) = self.dialogue_tag(si, q_start, q_end)
        {
            found = Some(s);
            phrase_ok = true;
            attributed_after = true;
        }
        let at_sentence_start = body[self.sents[start_si].start..q_start].trim().is_empty();
        // 4. After a sentence that ends with a colon: `She described her first winter:`
        if found.is_none() && at_sentence_start && start_si > 0 {
            let prev = start_si - 1;
            if body[self.sents[prev].clone()].trim_end().ends_with(':')
                && let Some(c) = self.cues_of(prev).iter().rev().find(|c| c.subject.is_some())
            {
                found = Some((c.subject.clone().expect("checked"), c.verb));
            }
        }
        // 4a. `Ann Lee said in a statement. “...”`: a report that ends its sentence with
        // nothing to report (no clause, no quotation in that sentence) introduces the quotation
        // that opens the next sentence.
        if found.is_none() && at_sentence_start && start_si > 0 {
            let prev = start_si - 1;
            let prev_range = self.sents[prev].clone();
            let quoted_in_prev = self.groups.get(self.groups.partition_point(|g| g.end() <= prev_range.start)).is_some_and(|g| g.start() < prev_range.end);
            if !quoted_in_prev
                && let Some(c) = self.cues_of(prev).last()
                && c.complement == Complement::End
                && c.clause.is_none()
                && c.subject.as_ref().is_some_and(|s| s.speaker.is_some())
            {
                found = Some((c.subject.clone().expect("checked"), c.verb));
            }
        }
        // 4a'. `Ann Lee agreed. “...”`, `Lee continued her remarks. “...”`: a short sentence
        // of a named person and a speech verb (with a short object) introduces it too.
        if found.is_none() && at_sentence_start && start_si > 0 {
            found = self.short_report_before(start_si - 1);
        }
        // 4b. `The Speaker, Dame Harriet Ross, intervened: “Order.”`: any verb before a colon.
        if found.is_none() {
            found = self.colon_intro(start_si, q_start);
            // (A colon introduces words, short ones too: `Jared Potts echoed: “He speaks his mind.”`)
            phrase_ok = found.is_some();
        }
        // `to cries of ‘Shame!’`: a shout from nobody named.
        if found.is_none() {
            let lead: Vec<Word> = words(&body[self.sents[start_si].start..q_start]).into_iter().rev().take(2).collect();
            if lead.len() == 2
                && lead[0].text == "of"
                && matches!(lower(&lead[1]).as_str(), "cries" | "cry" | "shouts" | "shout" | "chants" | "chant" | "calls" | "shouting" | "chanting")
                && body[self.sents[start_si].start + lead[0].end..q_start].trim().is_empty()
            {
                let mention = format!("{} of", lead[1].text);
                return Some(RawQuote { speaker: None, mention: Some(mention), cue: Some(lead[1].text.to_string()), kind: QuoteKind::Direct });
            }
        }
        // 4c. `X said the plan was “dead on arrival and buried.”`: a quotation that closes
        // a reported clause of the same sentence, where the clause stage stopped short.
        if found.is_none() {
            found = self.clause_before(start_si, g);
        }
        // 4d. `Sanders credited Clinton's victory to “a closed primary ...”`: a quotation
        // inside a sentence whose subject, a named person, opens it with a verb.
        let mut subject_verb_end = None;
        if found.is_none()
            && let Some((subject, verb, verb_end)) = self.sentence_subject(start_si, q_start)
        {
            // (Only a verb of speech or of judging words: "landed in Phoenix for a “policy
            // address”" is the writer's phrase.)
            let l = Lower::new(verb);
            if gazetteer::is_speech_verb(l.as_str()) || object_report_kind(l.as_str()).is_some() || JUDGING_VERBS.contains(l.as_str()) {
                subject_verb_end = Some(verb_end);
            }
            found = Some((subject, verb));
        }
        // A short quotation that is a whole sentence ("He is right.") is speech; other short
        // ones are phrases.
        let inner = body[q_start..q_end].trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '!' | '?'));
        let sentence_like = inner.starts_with(char::is_uppercase) && inner.ends_with(['.', '!', '?']) && inner_words >= 2;
        let is_phrase = inner_words <= 5 && self.groups[g].segments.len() == 1 && !(sentence_like && found.is_none());
        if is_phrase {
            // Short phrases need a verb that quotes them, and must not be names or titles.
            let inner = body[q_start..q_end].trim_matches(|c: char| !c.is_alphanumeric());
            let ws = words(inner);
            // A reply punctuated inside its marks and attributed right after (`“No,” she
            // said`) is speech even when it is one capitalised word.
            let punctuated = body[q_start..q_end].trim_end_matches(['”', '"', '’', '\'', '»']).ends_with([',', '.', '!', '?']);
            let named = ws.iter().all(|w| w.is_capitalised());
            // (A programme's or a work's title: `on ABC’s “This Week,” Carson said`.)
            if self.title_group(g) {
                return None;
            }
            // `Cruz blamed the law on “knuckleheaded Democratic politicians.”`: a phrase in
            // the complement of a named subject's verb is mixed speech from the verb on.
            if let Some(verb_end) = subject_verb_end
                && !named
                && let lead = &body[verb_end..q_start]
                && word_iter(lead).next().is_some()
            {
                self.phrase_lead = Some(verb_end + (lead.len() - lead.trim_start().len()));
            } else if !phrase_ok || found.is_none() || (named && !(attributed_after && punctuated)) {
                return None;
            }
        }
        // 5. A quotation standing alone right after another one continues it.
        let (subject, cue) = match found {
            Some((s, c)) => (Some(s), Some(c)),
            None => match self.prev_quote {
                // (A quotation that continues one with no speaker and no mention has neither.)
                Some((at, i)) if at + 1 == start_si && (at_sentence_start || self.connective_lead(start_si, q_start)) && (inner_words > 5 || sentence_like) => {
                    match &self.out[i].1 {
                        RawQuote { speaker: None, mention: None, .. } => (None, None),
                        prev => {
                            (Some(Subject { mention: prev.mention.clone().unwrap_or_default(), speaker: prev.speaker.clone(), person: None, org: None }), None)
                        }
                    }
                }
                _ => match self.joined_quote(si, start_si, q_start) {
                    Some(s) => (Some(s), None),
                    None if inner_words >= 8 => (None, None),
                    None => return None,
                },
            },
        };
        // The person quoted is the latest attribution, for the pronouns that follow (`“...,”
        // said Ann Lee, a historian. “...,” she added.`).
        if let Some(p) = subject.as_ref().and_then(|s| s.person) {
            self.last_person = Some((p, q_end, si));
        }
        let speaker = subject.as_ref().and_then(|s| s.speaker.clone());
        Some(RawQuote { speaker, mention: subject.map(|s| s.mention), cue: cue.map(str::to_string), kind: QuoteKind::Direct })
    }

    /// 5b. `''This was an example of President Obama'' and his team ''just quietly deciding
    /// ...''`: a second quotation (starting at `q_start` in sentence `si`) that the narration
    /// joins to a named one in the same sentence, with no cue of its own, is the same
    /// speaker's, unless someone else is named between them.
    fn joined_quote(&self, si: usize, start_si: usize, q_start: usize) -> Option<Subject> {
        let Some((end, Some(speaker), mention)) = self.sentence_quote.clone() else { return None };
        let between = self.body.get(end..q_start)?;
        (start_si == si
            && self.sentence_of(end) == si
            && !between.contains([';', ':', '(', '—', '–'])
            && !between.contains(" - ")
            && word_iter(between).all(|w| !w.is_capitalised())
            && word_iter(between).take(9).count() <= 8)
            .then(|| Subject { mention: mention.unwrap_or_default(), speaker: Some(speaker), person: None, org: None })
    }

    /// `on ABC’s “This Week,” Carson said`, `said on NBC's ''Meet the Press'' that`: a short
    /// title-cased quotation after a preposition or a possessive names a programme or a work;
    /// it is no one's words.
    pub(super) fn title_group(&self, g: usize) -> bool {
        let body = self.body;
        let (q_start, q_end) = (self.groups[g].start(), self.groups[g].end());
        let ws = words(body[q_start..q_end].trim_matches(|c: char| !c.is_alphanumeric()));
        let title_case = (1..=6).contains(&ws.len())
            && self.groups[g].segments.len() == 1
            && ws.first().is_some_and(|w| w.is_capitalised())
            && ws.last().is_some_and(|w| w.is_capitalised())
            && ws.iter().all(|w| w.is_capitalised() || crate::core::lang::lexicon::is_function_word(lower(w).as_str()));
        let lead = &body[self.sents[self.sentence_of(q_start)].start..q_start];
        title_case
            && words(lead).last().is_some_and(|w| PREPOSITIONS.contains(lower(w).as_str()) || strip_possessive(w.text) != w.text)
            && lead.trim_end().ends_with(|c: char| c.is_alphanumeric() || matches!(c, '’' | '\''))
    }

    /// `Ann Lee said the plan was “dead on arrival.”`: a quotation inside sentence `si`
    /// after the last cue before it that reports a clause with a named subject, with no
    /// other quotation, cue or sentence stop in between: the quotation ends that report.
    pub(super) fn clause_before(&mut self, si: usize, g: usize) -> Option<(Subject, &'a str)> {
        let q_start = self.groups[g].start();
        let cues = self.cues_of(si);
        let c = cues.iter().rev().find(|c| c.end <= q_start)?;
        // A clause the cue stage read, or words it could not read as one ("said it’s
        // “...”"); never a quotation of its own or a report that ended.
        let cs = match c.complement {
            Complement::Clause(cs) => cs,
            Complement::None => c.end,
            _ => return None,
        };
        let s = c.subject.as_ref().filter(|s| s.speaker.is_some())?;
        let between = self.body.get(cs..q_start)?;
        let quoted_between = g > 0 && self.groups[g - 1].end() > c.end;
        if cs > q_start || between.contains(['.', ';', '!', '?', ':']) || quoted_between || word_iter(between).take(31).count() > 30 {
            return None;
        }
        Some((s.clone(), c.verb))
    }

    /// `Mrs. Clinton agreed to keep ... a pledge to ''not participate ...''`: a quotation
    /// inside sentence `si`, after its subject and verb, where the subject is a named person
    /// or organisation opening the sentence (after an adverbial set off by a comma at most),
    /// and nothing between the verb and the quotation could own it: no cue, no other
    /// quotation, no relative clause ("who called him “...”"), no possessor of words
    /// ("mocked Clinton's claim that “...”"), no semicolon, no colon but one that introduces
    /// the quotation.
    /// Returns the subject, the main verb and where the verb ends.
    pub(super) fn sentence_subject(&mut self, si: usize, q_start: usize) -> Option<(Subject, &'a str, usize)> {
        let body = self.body;
        let sent_start = self.sents[si].start;
        let lead = body.get(sent_start..q_start)?;
        // A colon may introduce the quotation (`Ann Lee issued the following statement:
        // “...”`), but not stand before it.
        let lead_words = lead.trim_end().strip_suffix(':').unwrap_or(lead);
        if lead_words.contains(['"', '“', '”', ';', ':', '(', '—']) || lead.contains("''") || self.cues_of(si).iter().any(|c| c.start < q_start) {
            return None;
        }
        let mi = self.ents.mentions.partition_point(|m| m.phrase_start < sent_start);
        let m = self.ents.mentions.get(mi).filter(|m| m.end <= q_start)?;
        // Only an adverbial set off by a comma before the subject: "On Friday, Gingrich ...".
        let opener = body[sent_start..m.phrase_start].trim();
        let adverbial = opener.ends_with(',') && words(opener).len() <= 8 && words(opener).first().is_some_and(|w| crate::core::text::is_stopword(&lower(w)));
        if !opener.is_empty() && !adverbial {
            return None;
        }
        let after = &body[m.end..q_start];
        let ws = words(after);
        let verb = *ws.first()?;
        let l = lower(&verb);
        let verb_like = FINITE.contains(l.as_str())
            || finite_like(verb.text)
            || gazetteer::is_speech_verb(&l)
            || (l.len() > 3 && l.ends_with('s') && !l.ends_with("ss") && !l.ends_with("us") && !l.ends_with("is"))
            || OTHER_PAST.contains(&l.as_str());
        if !after.starts_with(' ') || !verb.text.starts_with(char::is_lowercase) || !verb_like || self.modifies_noun(mi) || ws.len() > 30 {
            return None;
        }
        for (i, w) in ws.iter().enumerate() {
            let l = lower(w);
            if matches!(l.as_str(), "who" | "whom" | "whose" | "which") {
                return None;
            }
            // Another's words: "Clinton's claim", "his remarks".
            let possessive = strip_possessive(w.text) != w.text || matches!(l.as_str(), "his" | "her" | "their");
            if possessive && ws.get(i + 1).is_some_and(|n| WORDS_NOUNS.contains(&lower(n).as_str())) {
                return None;
            }
        }
        // The cue shown is the main verb, past auxiliaries and adverbs ("has since apologized").
        let main = ws
            .iter()
            .find(|w| {
                let l = lower(w);
                !(AUXILIARIES.contains(l.as_str()) || ADVERBS.contains(l.as_str()) || matches!(l.as_str(), "been" | "not" | "since" | "also" | "then"))
            })
            .filter(|w| w.text.starts_with(char::is_lowercase))
            .unwrap_or(&verb);
        let subject = self.mention_subject(mi);
        subject.speaker.is_some().then_some((subject, main.text, m.end + main.end))
    }

    /// `X intervened: “...”`: a quotation after a subject, one verb and a colon that open its
    /// sentence (speech verbs are read as cues already).
    pub(super) fn colon_intro(&mut self, si: usize, q_start: usize) -> Option<(Subject, &'a str)> {
        let body = self.body;
        let sent_start = self.sents[si].start;
        let lead = body[sent_start..q_start].trim_end().strip_suffix(':')?;
        // `Rep. Trey Gowdy (R-S.C.): “...”`: the label's name before its party tag.
        let named = &lead[..self.before_party_tag(sent_start, sent_start + lead.len()) - sent_start];
        let verb = word_iter(named).last()?;
        // `Clinton: “...”`, `Former secretary of state Hillary Rodham Clinton: “...”`: a
        // person's name alone before the colon labels a turn (an exchange, a transcript).
        // After a heading and a dash (`TURNOUT IS UP - Ann Lee: “...”`, `More from Lee:`) the
        // label is what follows the dash or "from", and may be an organisation.
        let dash = [" - ", " — ", " – "].iter().filter_map(|d| lead.rfind(d).map(|i| i + d.len())).max();
        let from = lead.rfind(" from ").map(|i| i + " from ".len()).filter(|&i| lead[..i].split_whitespace().count() <= 3);
        let label_from = dash.into_iter().chain(from).max().unwrap_or(0);
        let label = &lead[label_from..];
        if verb.is_capitalised() && named[verb.end..].trim().is_empty() && word_iter(label).nth(8).is_none() {
            let colon_at = sent_start + lead.len();
            let floor = sent_start + label_from;
            let opens = floor + (label.len() - label.trim_start().len());
            let headed = label_from > 0;
            return self
                .subject_before(si, floor, colon_at)
                .filter(|(s, start)| {
                    (*start <= opens || self.role_only(opens, *start)) && (s.person.is_some() || (headed && s.org.is_some())) && s.speaker.is_some()
                })
                .map(|(s, _)| (s, &body[colon_at..colon_at + 1]));
        }
        if !lead[verb.end..].trim().is_empty()
            || verb.is_capitalised()
            || !(verb.text.ends_with("ed") || verb.text.ends_with('s'))
            || AUXILIARIES.contains(verb.text)
        {
            return self.clause_then_colon(si, lead);
        }
        let verb_at = sent_start + verb.start;
        let floor = self.clause_floor(si, verb_at);
        let (subject, _) = self.subject_before(si, floor, verb_at)?;
        (subject.speaker.is_some()).then_some((subject, verb.text))
    }

    /// `She then addressed the supporters again: “...”`, `he returned to his familiar lines:
    /// “...”`: a person opening the sentence, a verb, a short object or adverbial, then the
    /// colon that introduces the quotation. `lead` is the sentence up to the colon.
    fn clause_then_colon(&mut self, si: usize, lead: &'a str) -> Option<(Subject, &'a str)> {
        let body = self.body;
        let sent_start = self.sents[si].start;
        let ws = words(lead);
        let k = ws.iter().position(|w| w.text.starts_with(char::is_lowercase) && finite_like(w.text) && !AUXILIARIES.contains(lower(w).as_str()))?;
        let rest = &ws[k + 1..];
        if k == 0
            || k > 6
            || ws.len() > 14
            || rest.len() > 8
            || lead[ws[k].end..].contains(['“', '”', '"', ',', ';', '(', '—'])
            || rest.iter().any(|w| matches!(lower(w).as_str(), "that" | "who" | "which" | "whom" | "whose") || finite_like(w.text))
        {
            return None;
        }
        let verb_at = sent_start + ws[k].start;
        let (subject, start) = self.subject_before(si, sent_start, verb_at)?;
        let opens = body[sent_start..start].trim().is_empty();
        (opens && subject.person.is_some()).then_some((subject, ws[k].text))
    }

    /// `Former secretary of state Hillary Rodham Clinton: “...”`: the words from `from` to
    /// `to` are a role before a name (up to six words, a role or title word among them, no
    /// verb).
    fn role_only(&self, from: usize, to: usize) -> bool {
        let ws = words(&self.body[from..to]);
        ws.len() <= 6
            && ws.iter().any(|w| {
                let l = lower(w);
                gazetteer::is_role_noun(&l) || gazetteer::is_title_word(&l)
            })
            && ws.iter().all(|w| {
                let l = lower(w);
                !FINITE.contains(l.as_str()) && !finite_like(w.text) && !gazetteer::is_speech_verb(&l) && !PRONOUNS.contains(l.as_str())
            })
    }

    /// `“...,” chief executive Mari Holm said`, `“...,” Nordhavn chief strategist Lars
    /// Eiden said`: between a quotation and the name that says it, a title (lowercase role
    /// words, the employer's name before them), and nothing that could start a clause.
    /// `subject` is the subject's own text, which may begin with the role ("leader Hanna
    /// Korhonen" after "union").
    pub(super) fn title_before_subject(&self, between: &str, subject: &str) -> bool {
        let rest = between.trim_start().strip_prefix(',').unwrap_or(between).trim();
        let ws = words(rest);
        // The subject may hold its role ahead of the name, after a place or employer
        // ("Florida governor Jeb Bush" after "former").
        let subject_starts_with_role = words(subject).iter().any(|w| gazetteer::is_role_noun(&lower(w)));
        if ws.is_empty() || ws.len() > 6 || rest.contains(|c: char| !c.is_alphanumeric() && !matches!(c, ' ' | '-' | '’' | '\'' | '&' | '.')) {
            return false;
        }
        // `“...,” Fox's Chris Wallace said`, `the Zionist Union Party’s Nachman Shai told`: the
        // employer or outlet in the possessive, then the name.
        let owner = ws.last().is_some_and(|w| w.is_capitalised() && strip_possessive(w.text) != w.text);
        if owner && ws.iter().all(|w| w.is_capitalised() || matches!(lower(w).as_str(), "the" | "of" | "and")) {
            return true;
        }
        let mut role = false;
        for (i, w) in ws.iter().enumerate() {
            let l = lower(w);
            // A lowercase noun that qualifies the role right after it: "union leader",
            // "opposition leader", "party spokeswoman" (never a function word: "and then").
            let next_is_role = ws.get(i + 1).map_or(subject_starts_with_role, |n| gazetteer::is_role_noun(&lower(n)));
            let qualifies_next_role = || !crate::core::text::is_stopword(&l) && l.chars().all(char::is_alphabetic) && next_is_role;
            if gazetteer::is_role_noun(&l) {
                role = true;
            } else if !(w.is_capitalised()
                || matches!(l.as_str(), "the" | "its" | "their" | "his" | "her" | "senior" | "former" | "new" | "then")
                || gazetteer::is_title_word(strip_possessive(&l))
                || qualifies_next_role())
            {
                return false;
            }
        }
        (role || subject_starts_with_role) && ws.last().is_some_and(|w| !w.is_capitalised() || gazetteer::is_title_word(&lower(w)))
    }

    /// The person or organisation credited after a quotation that ends at `q_end`: a dash
    /// (a horizontal bar, an em or en dash, or a hyphen before a space) then a name, on the
    /// quotation's line or opening the next non-empty line, and the credit ends its line
    /// soon after the name (a comma and a short description at most). A dash inside a
    /// sentence ("— Blue Origin, SpaceX —") is no credit: the name must end the line or be
    /// followed by a comma or a full stop.
    pub(super) fn credit_after(&self, q_end: usize) -> Option<Subject> {
        let rest = self.body.get(q_end..)?;
        let mut i = rest.len() - rest.trim_start_matches([' ', '\t', '\u{a0}']).len();
        let mut newlines = 0;
        while let Some(c) = rest[i..].chars().next().filter(|c| matches!(c, '\n' | '\r' | ' ' | '\t' | '\u{a0}')) {
            newlines += usize::from(c == '\n');
            i += c.len_utf8();
        }
        if newlines > 2 {
            return None;
        }
        let line = &rest[i..];
        let dash = line.chars().next().filter(|c| matches!(c, '―' | '—' | '–' | '-'))?;
        let after_dash = &line[dash.len_utf8()..];
        let name_from = after_dash.len() - after_dash.trim_start_matches([' ', '\u{a0}']).len();
        // A hyphen is a credit only before a space ("- Sanders"), never inside a word.
        if dash == '-' && name_from == 0 {
            return None;
        }
        let at = q_end + i + dash.len_utf8() + name_from;
        let mi = self.ents.mention_starting_at(at)?;
        let m = &self.ents.mentions[mi];
        if m.person.is_none() && m.org.is_none() {
            return None;
        }
        let tail = self.body.get(m.end..)?;
        let line_end = tail.find('\n').unwrap_or(tail.len());
        let tail = tail[..line_end].trim_end();
        let ends = tail.is_empty() || tail == "." || tail.starts_with(',') && tail.len() <= 120 && !tail.contains(['“', '”', '"']);
        (ends && !self.in_group(m.start)).then(|| self.mention_subject(mi))
    }

    /// `“...?” Hannity pressed.`, `“...,” exhorted Ann Lee, an actress.`: after a quotation
    /// punctuated as speech inside its marks (a comma, a question or an exclamation mark), a
    /// subject and one past-tense verb (with a particle: "chimed in"), or the verb and then a
    /// named subject, that end the sentence tag it as speech, whatever the verb.
    pub(super) fn dialogue_tag(&mut self, si: usize, q_start: usize, q_end: usize) -> Option<(Subject, &'a str)> {
        let body = self.body;
        let inner = body.get(q_start..q_end)?.trim_end_matches(['”', '"', '’', '\'', '»']);
        // The quotation opens its sentence, as a line of dialogue does. (`“...” Ann Lee said.`:
        // with a full stop inside the marks, only a speech verb in a sentence of its own tags.)
        let period = inner.ends_with('.');
        if !(inner.ends_with([',', '?', '!']) || period) || !body[self.sents[self.sentence_of(q_start)].start..q_start].trim().is_empty() {
            return None;
        }
        // A question or exclamation may end its sentence: the tag is then the next one, whole.
        let (si, whole) = match body.get(q_end..self.sents[si].end) {
            Some(r) if !r.trim().is_empty() => (si, false),
            _ if si + 1 < self.sents.len() && body[q_end..self.sents[si + 1].start].trim().is_empty() => (si + 1, true),
            _ => return None,
        };
        if period && !whole {
            return None;
        }
        let sent_end = self.sents[si].end;
        let rest = &body[q_end..sent_end];
        self.tag_sentence = None;
        let ws: Vec<Word> = word_iter(rest).take(16).collect();
        let past = |w: &Word| {
            let l = lower(w);
            w.text.starts_with(char::is_lowercase)
                && ((l.len() >= 5 && l.ends_with("ed") && !l.ends_with("eed"))
                    || OTHER_PAST.contains(&l.as_str())
                    || (period && matches!(l.as_str(), "said" | "told" | "wrote")))
                && !AUXILIARIES.contains(l.as_str())
                && (!period || gazetteer::is_speech_verb(&l))
        };
        let particle = |w: Option<&Word>, before: usize| {
            w.filter(|n| rest[before..n.start] == *" " && matches!(n.text, "in" | "back" | "up" | "on" | "out")).map(|n| n.end)
        };
        // The verb first: `exhorted the mayor's guest, actress Ann Lee.`
        if let Some(v) = ws.first().filter(|v| past(v) && rest[..v.start].trim_matches([' ', ',']).is_empty()) {
            let verb_end = q_end + v.end;
            let (s, end) = self.subject_after(si, verb_end)?;
            let ends = if whole { body[end..sent_end].trim().trim_end_matches('.').is_empty() } else { self.inverted_subject_ends(end, sent_end) };
            let found = (s.speaker.is_some() && ends).then_some((s, v.text));
            self.tag_sentence = (whole && found.is_some()).then_some(si);
            return found;
        }
        // The subject first: a capitalised name or a pronoun, then the verb.
        let k = ws.iter().position(|w| w.text.starts_with(char::is_lowercase) && !SUBJECT_PRONOUNS.contains(lower(w).as_str()))?;
        let v = ws[k];
        // (`“...?” Ann Lee writes to Mia Lund.`, `“...!” Lee told reporters on Monday.`: after
        // a question or exclamation, a sentence of a subject and a verb of speech with a
        // short object or adverbial and nothing to report is the tag too.)
        let speech = whole && v.text.starts_with(char::is_lowercase) && (gazetteer::is_speech_verb(&lower(&v)) || TELL_VERBS.contains(lower(&v).as_str()));
        // (`“...,” he mocks.`, `“...,” Prager continues,`: a present tense tags as a past
        // one does.)
        let present = {
            let l = lower(&v);
            !period
                && v.text.starts_with(char::is_lowercase)
                && l.len() >= 5
                && l.ends_with('s')
                && !l.ends_with("ss")
                && !l.ends_with("us")
                && !AUXILIARIES.contains(l.as_str())
        };
        if k == 0 || k > 6 || !(past(&v) || speech || present) || ws[..k].iter().any(|w| !w.is_capitalised() && !SUBJECT_PRONOUNS.contains(lower(w).as_str())) {
            return None;
        }
        let after = particle(ws.get(k + 1), v.end).unwrap_or(v.end);
        let tail = rest[after..].trim_start();
        // ("“...!” Ann Lee declared, smiling.": a participle may follow the tag.)
        let tail = tail
            .strip_prefix(',')
            .filter(|t| word_iter(t).next().is_some_and(|w| w.text.ends_with("ing") && w.text.starts_with(char::is_lowercase)))
            .map_or(tail, |_| "");
        let ends = tail.is_empty()
            || tail == "."
            || tail.starts_with(',')
            || word_iter(tail).next().is_some_and(|w| w.start == 0 && PREPOSITIONS.contains(lower(&w).as_str()));
        let short_object = speech && {
            let tws: Vec<Word> = word_iter(tail).take(10).collect();
            tws.len() <= 8
                && !tail.trim_end_matches('.').contains(['“', '"', '‘', ',', ';', ':', '.', '?', '!', '('])
                && tws.iter().all(|w| !finite_like(w.text) && !matches!(lower(w).as_str(), "that" | "who" | "which" | "if" | "whether"))
        };
        if !(ends || short_object) || tail.contains(['“', '"']) || (whole && !(tail.is_empty() || tail == "." || short_object)) {
            return None;
        }
        let verb_at = q_end + v.start;
        let (s, start) = self.subject_before(si, q_end, verb_at)?;
        let found = (body[q_end..start].trim_matches([' ', ',']).is_empty()).then_some((s, &body[verb_at..q_end + after]));
        self.tag_sentence = (whole && found.is_some()).then_some(si);
        found
    }

    /// Sentence `prev`, when it is a short report that introduces the quotation opening the
    /// next one: a named person, a speech verb (or "agreed"), at most four more words with
    /// no comma, and a full stop (`Ann Lee agreed.`, `Lee continued her remarks.`).
    pub(super) fn short_report_before(&mut self, prev: usize) -> Option<(Subject, &'a str)> {
        let body = self.body;
        let range = self.sents[prev].clone();
        let text = body[range.clone()].trim_end();
        let inner = text.strip_suffix('.')?;
        if inner.contains([',', ';', ':', '“', '”', '"', '(']) {
            return None;
        }
        let ws: Vec<Word> = word_iter(inner).take(13).collect();
        if ws.len() > 12 {
            return None;
        }
        let speech = |w: &Word| {
            let l = lower(w);
            w.text.starts_with(char::is_lowercase)
                && ((gazetteer::is_speech_verb(&l) && (l.ends_with("ed") || matches!(l.as_str(), "said" | "wrote" | "told")))
                    || matches!(l.as_str(), "agreed" | "disagreed" | "concurred"))
        };
        // The verb is the first word that is one; lowercase role words may come before it
        // ("Iowa State University professor Ann Lee agreed").
        let k = ws.iter().position(speech)?;
        let subject_words_ok = ws[..k].iter().all(|w| w.is_capitalised() || (!finite_like(w.text) && !crate::core::text::is_stopword(&lower(w))));
        if k == 0 || !subject_words_ok || ws.len() - k - 1 > 4 || ws[k + 1..].iter().any(|w| lower(w) == "that") {
            return None;
        }
        let verb_at = range.start + ws[k].start;
        let (s, start) = self.subject_before(prev, range.start, verb_at)?;
        let opens = body[range.start..start].trim().is_empty();
        (opens && s.person.is_some() && s.speaker.is_some()).then_some((s, &body[verb_at..range.start + ws[k].end]))
    }

    /// `Instead, “...”`, `But “...”`: one connective word (and a comma) before a quotation
    /// that opens its sentence otherwise.
    pub(super) fn connective_lead(&self, si: usize, q_start: usize) -> bool {
        let lead = self.body[self.sents[si].start..q_start].trim().trim_end_matches(',');
        lead.starts_with(char::is_uppercase) && !lead.contains(' ') && is_leading_connective(&Lower::new(lead))
    }

    /// Does a cue before a quotation introduce it?
    pub(super) fn reaches(&self, c: &Cue, g: usize) -> bool {
        match c.complement {
            Complement::Quote(q) => q == g,
            Complement::Clause(cs) => {
                // `said that “I hope ...”`: the clause is the quotation itself.
                let gs = self.groups[g].start();
                cs <= gs && word_iter(&self.body[cs..gs]).next().is_none()
            }
            _ => false,
        }
    }
}

/// `“...,” co-anchor DeMarco Morgan said`, `“...,” former Bush speechwriter Ann Lee said`: up
/// to six words before a person's name, one to three of them lowercase content words, the
/// rest capitalised modifiers, ending on a lowercase one, describe the person, whether or not
/// the role lists know them.
fn lowercase_description(between: &str) -> bool {
    let rest = between.trim_start().strip_prefix(',').unwrap_or(between);
    if !rest.ends_with(' ') || rest.contains(|c: char| !c.is_alphabetic() && !matches!(c, ' ' | '-')) {
        return false;
    }
    let ws = words(rest);
    // Capitalised modifiers may stand among them: "Republican pollster", "former Bush
    // speechwriter" (a place, a party, an employer, a person worked for).
    let capital = |w: &Word| w.is_capitalised() && !DETERMINERS.contains(lower(w).as_str()) && !SUBJECT_PRONOUNS.contains(lower(w).as_str());
    let content = |w: &Word| {
        let l = lower(w);
        w.text.starts_with(char::is_lowercase)
            && !crate::core::text::is_stopword(&l)
            && !ADVERBS.contains(l.as_str())
            && !l.ends_with("ly")
            && !finite_like(w.text)
            && !gazetteer::is_speech_verb(&l)
    };
    let lowercase = ws.iter().filter(|w| !w.is_capitalised()).count();
    ws.len() <= 6 && (1..=3).contains(&lowercase) && ws.last().is_some_and(|w| !w.is_capitalised()) && ws.iter().all(|w| capital(w) || content(w))
}

/// Does `between` (a quotation's end to its attribution) hold a sentence stop? A full stop
/// after a short title or an initial ("Ms. Merkel's spokesman") is none.
fn stop_between(between: &str) -> bool {
    if between.contains([';', '!', '?']) {
        return true;
    }
    between.match_indices('.').any(|(i, _)| {
        let word = between[..i].rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        let initial = word.chars().count() == 1 && word.starts_with(char::is_uppercase);
        !(initial || crate::core::lang::lexicon::TITLE_ABBREVIATIONS.contains(&word.to_lowercase().as_str()))
    })
}

/// `“...,” New York attorney Eric Levine said`: between a quotation and its subject's phrase,
/// one to four capitalised words run into the phrase (the name of a place or an employer
/// before a title), with nothing that stops or opens a clause.
fn capitalised_modifiers(between: &str) -> bool {
    let rest = between.trim_start().strip_prefix(',').unwrap_or(between);
    if !rest.ends_with(' ') || rest.contains(|c: char| !c.is_alphanumeric() && !matches!(c, ' ' | '-' | '.')) {
        return false;
    }
    let ws = words(rest);
    (1..=4).contains(&ws.len())
        && ws.iter().all(|w| w.is_capitalised() && !SUBJECT_PRONOUNS.contains(lower(w).as_str()) && !DETERMINERS.contains(lower(w).as_str()))
}
