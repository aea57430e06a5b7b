//! Content spans: what follows a speech verb (a quotation, a reported clause, nothing)
//! and where a reported clause starts and ends.
//!
//! Invariant: a clause is a byte range inside its sentence, never crossing the
//! sentence's final stop; these functions read the text and do not change state.

use super::*;
use crate::core::lang::lexicon::{self, TITLE_ABBREVIATIONS};

impl<'a> Ctx<'a> {
    /// The clause before a sentence-final attribution: "The number has doubled, health
    /// officials said on Monday, as ...". `None` when the attribution does not follow a
    /// comma or too little precedes it.
    pub(super) fn postposed_clause(&self, si: usize, cue: &Cue) -> Option<Range<usize>> {
        let subj = cue.subject_start.min(cue.start);
        let start = self.dateline_end(si, subj);
        let before = self.body[start..subj].trim_end();
        // ("..., Algerian foreign ministry spokesman Ali Bey said": the words that describe a
        // name may stand between the comma and the subject the mention starts at.)
        let comma = before.strip_suffix(',').or_else(|| {
            let at = before.rfind(',')?;
            let dws = words(&before[at + 1..]);
            let description = !dws.is_empty()
                && dws.len() <= 6
                && !self.in_group(start + at)
                && dws.iter().all(|w| {
                    let l = lower(w);
                    w.text.chars().all(|c| c.is_alphabetic() || c == '-')
                        && !lexicon::is_function_word(l.as_str())
                        && !finite_like(w.text)
                        && !l.ends_with("ing")
                });
            description.then(|| &before[..at])
        })?;
        let mut clause = start..start + comma.trim_end().len();
        // (`“Campaigns are short of money. They have no choice” but to advertise, says Ann
        // Lee`: a quotation of several sentences that the narration carries on is part of
        // the clause from its opening mark.)
        if self.in_group(clause.start) {
            let i = self.groups.partition_point(|g| g.end() <= clause.start);
            let g = &self.groups[i];
            if g.end() < clause.end && word_iter(&self.body[g.end()..clause.end]).next().is_some() {
                clause.start = g.start();
            }
        }
        let ws = words(&self.body[clause.clone()]);
        let first = ws.first().map(lower).unwrap_or_default();
        let opener = matches!(
            first.as_str(),
            "asked"
                | "speaking"
                | "when"
                | "if"
                | "after"
                | "although"
                | "though"
                | "unless"
                | "once"
                | "until"
                | "as"
                | "while"
                | "because"
                | "since"
                | "before"
                | "in"
                | "on"
                | "at"
                | "pressed"
                | "outside"
        );
        // "In all, the justices are doing what they can, she said", "If states fail, the
        // department can step in, Ann Lee said": an opener set off by a comma, then a main
        // clause with a verb (not a relative clause: "When he arrived, where ...").
        let opener_then_clause = opener
            && self.body.get(clause.clone()).and_then(|t| t.find(',')).and_then(|c| self.body.get(clause.start + c + 1..clause.end)).is_some_and(|rest| {
                let rws = words(rest);
                rws.first().is_some_and(|w| !matches!(lower(w).as_str(), "who" | "whom" | "whose" | "which" | "where" | "when" | "and" | "or" | "but"))
                    && rws.iter().skip(1).take(8).any(|w| finite_like(w.text))
            });
        // (A clause may open with its pronoun and auxiliary: `“We’re extremely happy” about
        // the decision, said Ann Lee`.)
        let finite =
            ws.first().is_some_and(|w| pronoun_and_auxiliary(w.text)) || ws.iter().skip(1).any(|w| finite_like(w.text) || pronoun_and_auxiliary(w.text));
        if ws.len() < 4 || (opener && !opener_then_clause) || !finite {
            return None;
        }
        // A clause that is one quotation is direct speech, attributed after it.
        if let Some(g) = self.group_starting_at(clause.start)
            && self.groups[g].end() + 2 >= clause.end
        {
            return None;
        }
        Some(clause)
    }

    /// The clause around a parenthetical attribution: "A work order raised in April, he
    /// said, had been marked ...". The attribution sits between commas after a few words,
    /// and a verb follows it.
    pub(super) fn parenthetical_clause(&self, si: usize, cue: &Cue) -> Option<Range<usize>> {
        let end = self.sents[si].end;
        let subj = cue.subject_start.min(cue.start);
        let start = self.dateline_end(si, subj);
        let before = self.body[start..subj].trim_end().strip_suffix(',')?;
        let after = self.body[cue.end..end].trim_start().strip_prefix(',')?;
        // ("..., he said, now rise in May": an adverb before the verb.)
        let mut after_ws = word_iter(after);
        let first_after = after_ws.next()?;
        let next = first_after;
        let next = if ADVERBS.contains(lower(&next).as_str()) && next.text.starts_with(char::is_lowercase) && !AUXILIARIES.contains(lower(&next).as_str()) {
            after_ws.next().unwrap_or(next)
        } else {
            next
        };
        let ws_before = words(before);
        let first = ws_before.first().map(lower).unwrap_or_default();
        // "But to prevent problems, he said, ...": a conjunction before the opener.
        let lead_in = usize::from(ws_before.len() >= 3 && matches!(first.as_str(), "but" | "and" | "yet" | "so"));
        let opener_first = ws_before.get(lead_in).map(lower).unwrap_or_default();
        // "In the end, she said, voters would ...", "Still, he said, officials have ...": an
        // adverbial opener, the attribution, then a clause with its own subject.
        let after_abs = end - after.len();
        // "Six months ago, he said, ...", "That is why, she said, ...": a time ago or later,
        // or the reason the clause gives.
        let last_before = ws_before.last().map(lower).unwrap_or_default();
        let time_or_reason = matches!(last_before.as_str(), "ago" | "later" | "earlier" | "why") && ws_before.len() <= 5;
        // ("In the three years since the shootings, he says, ...": a longer prepositional
        // phrase, with no verb in it.)
        let prepositional = PREPOSITIONS.contains(opener_first.as_str())
            && ws_before.len() >= 2 + lead_in
            && (ws_before.len() <= 6 + lead_in || (ws_before.len() <= 10 + lead_in && !ws_before.iter().skip(1).any(|w| finite_like(w.text))));
        let opener = (ws_before.len() <= 6 + lead_in || prepositional)
            && (time_or_reason || prepositional || (ws_before.len() == 1 && (first.ends_with("ly") || SENTENCE_ADVERBS.contains(first.as_str()))));
        if opener
            && !matches!(opener_first.as_str(), "after" | "before" | "like")
            && !self.quote_just_before(subj)
            && !before.contains([',', ';', ':'])
            && self.bare_clause_at(&words(after), after_abs, false)
        {
            return Some(start..self.clause_end(start, end));
        }
        // "If only a few delegates are at stake, the campaign said, it may not bother": a
        // subordinate clause, the attribution, then the main clause with its own subject.
        let subordinate =
            matches!(first.as_str(), "if" | "when" | "while" | "although" | "though" | "because" | "unless" | "after" | "before" | "once" | "until" | "since")
                && ws_before.len() >= 3
                && self.bare_clause_at(&words(after), after_abs, false);
        // "any attempt to debunk it, he said, becomes hopeless": a present tense goes on.
        let verb_next = finite_like(next.text)
            || (next.text.starts_with(char::is_lowercase) && next.text.len() >= 4 && next.text.ends_with('s') && !next.text.ends_with("ss"));
        if subordinate && !self.quote_just_before(subj) && !before.contains([';', ':']) {
            return Some(start..self.clause_end(start, end));
        }
        // "Loyalty, he noted, has long been ...", "Greensboro, Sexton said, made him ...": one
        // noun as the subject, with a finite verb right after the attribution.
        let one_noun = ws_before.len() == 1
            && finite_like(next.text)
            && !ADVERBS.contains(first.as_str())
            && !first.ends_with("ly")
            && !lexicon::is_function_word(first.as_str())
            && !SENTENCE_ADVERBS.contains(first.as_str());
        // "it is his job, he said, to talk to Congress": a whole clause before the
        // attribution goes on after it, whatever word comes next.
        let clause_before = ws_before.len() >= 3 && self.bare_clause_at(&ws_before, start, false);
        if (ws_before.len() < 2 && !one_noun)
            || !after[..first_after.start].trim().is_empty()
            || !(verb_next || clause_before)
            || !(one_noun || ws_before.iter().any(|w| w.text.starts_with(char::is_lowercase) || DETERMINERS.contains(lower(w).as_str())))
            || matches!(first.as_str(), "asked" | "speaking" | "pressed" | "when" | "if" | "after" | "as" | "while")
            || self.quote_just_before(subj)
            || before.contains([',', ';', ':'])
        {
            return None;
        }
        Some(start..self.clause_end(start, end))
    }

    /// `As the Gazette reported, the mayor ...`: a report fronted with "as", a comma, then
    /// the clause it reports, with its own subject.
    pub(super) fn as_report(&self, si: usize, cue: &Cue) -> Option<Range<usize>> {
        let range = self.sents[si].clone();
        let lead = self.body.get(range.start..cue.subject_start.min(cue.start))?.trim();
        // ("But as X noted, ...": a conjunction may come first.)
        let lead = match lead.split_once(' ') {
            Some((c, rest)) if is_leading_connective(&Lower::new(c.trim_end_matches(','))) => rest.trim_start(),
            _ => lead,
        };
        if !lead.eq_ignore_ascii_case("as") {
            return None;
        }
        let rest = self.body.get(cue.end..range.end)?;
        let comma = rest.find(',')?;
        if word_iter(&rest[..comma]).take(5).count() > 4 || rest[..comma].contains(['.', ';', ':', '"', '“', '”']) {
            return None;
        }
        let after_abs = cue.end + comma + 1;
        let after = &self.body[after_abs..range.end];
        if !self.bare_clause_at(&words(after), after_abs, false) {
            return None;
        }
        let cs = after_abs + (after.len() - after.trim_start().len());
        Some(cs..self.clause_end(cs, range.end))
    }

    /// `Years after Ann Lee claimed that the era was over, Obama won`: a report inside a
    /// subordinate clause that opens its sentence ends at the comma before the main clause.
    pub(super) fn fronted_clause_end(&self, si: usize, subject_start: usize, cs: usize) -> Option<usize> {
        let range = self.sents[si].clone();
        let opens = |w: &Word| {
            matches!(lower(w).as_str(), "when" | "after" | "before" | "since" | "while" | "although" | "though" | "if" | "because" | "once" | "until" | "as")
        };
        // (Cheap test first: most reports have no such opener before their subject.)
        if !word_iter(self.body.get(range.start..subject_start)?).take(14).any(|w| opens(&w)) {
            return None;
        }
        let lead = self.body.get(self.dateline_end(si, subject_start)..subject_start)?;
        let ws = words(lead);
        let fronted = match ws.as_slice() {
            [w] => opens(w),
            [t, w] => {
                opens(w)
                    && matches!(lower(t).as_str(), "shortly" | "soon" | "long" | "just" | "even" | "years" | "months" | "weeks" | "days" | "hours" | "minutes")
            }
            _ => false,
        };
        if !fronted || lead.contains(',') {
            return None;
        }
        let text = self.body.get(cs..range.end)?;
        let mut at = 0;
        while let Some(p) = text[at..].find(',') {
            let comma = cs + at + p;
            at += p + 1;
            if self.in_group(comma) {
                continue;
            }
            let after = &self.body[comma + 1..range.end];
            return self.bare_clause_at(&words(after), comma + 1, false).then(|| cs + self.body[cs..comma].trim_end().len());
        }
        None
    }

    /// Where a reported clause starting at `from` ends: before the sentence's final stop.
    pub(super) fn clause_end(&self, from: usize, sent_end: usize) -> usize {
        let s = &self.body[from..sent_end];
        from + s.trim_end().trim_end_matches(['.', '!', '?']).len()
    }

    /// The complement of a speech verb whose complement starts at `from`.
    pub(super) fn complement(&self, verb: &str, from: usize, sent_end: usize) -> Complement {
        let body = self.body;
        let text = &body[from..sent_end];
        let ws = words(text);
        let abs = |w: &Word| from + w.start;
        // A quotation right after the verb: `said: “...”`, `said, “...”`, `said “...”`.
        let lead = text.len() - text.trim_start_matches([' ', ',', ':', '\u{a0}']).len();
        if let Some(g) = self.group_starting_at(from + lead) {
            return Complement::Quote(g);
        }
        // `said back in the summer of 2015: “...”`: a colon after a short stretch of
        // adverbials (any words, no other report, no quotation) introduces the quotation.
        if let Some(colon) = text.find(':')
            && let Some(g) = self.group_starting_at(from + colon + 1 + (text[colon + 1..].len() - text[colon + 1..].trim_start().len()))
        {
            let stretch = &text[..colon];
            let sws = words(stretch);
            if sws.len() <= 12
                && !stretch.contains(['"', '“', '”', ';', '?', '!', '(', ')'])
                && !sws.iter().any(|w| gazetteer::is_speech_verb(&lower(w)) || lower(w) == "that")
            {
                return Complement::Quote(g);
            }
        }
        let bare_ok = BARE_CLAUSE_VERBS.contains(verb);
        // "said he later learned that ...": a pronoun subject right after the verb.
        if let Some(w0) = ws.first() {
            let l0 = lower(w0);
            // "it" also opens objects ("put it", "said it again"): a verb must follow soon.
            let it_ok = l0 != "it" || ws.iter().skip(1).take(3).any(|w| finite_like(w.text));
            if text[..w0.start].trim().is_empty() && SUBJECT_PRONOUNS.contains(l0.as_str()) && bare_ok && ws.len() >= 3 && it_ok {
                return Complement::Clause(abs(w0));
            }
        }
        // "asked the captain if ...", "explained why ...": an indirect question after the
        // listener.
        if matches!(verb, "asked" | "asks" | "asking" | "wondered" | "wonders" | "explained" | "explains" | "explaining") {
            let i = if verb.starts_with("ask") { self.skip_listener(from, &ws) } else { 0 };
            if let Some(w) = ws.get(i)
                && matches!(lower(w).as_str(), "if" | "whether" | "why" | "how" | "what" | "when" | "where" | "who")
                && body[from..abs(w)].trim().trim_matches(',').trim().chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '\'' || c == '’' || c == '.')
                && ws.len() > i + 2
            {
                return Complement::Clause(abs(w));
            }
        }
        // "that" within the next words: "told reporters outside the gates that ...".
        for (i, w) in ws.iter().enumerate().take(12) {
            // (`said on NBC's ''Meet the Press'' that ...`: a programme's title is no quotation.)
            let title = self.in_group(abs(w)) && self.title_group(self.groups.partition_point(|g| g.end() <= abs(w)));
            if (self.in_group(abs(w)) && !title) || text[..w.start].contains([';', '.', '?', '!']) {
                break;
            }
            let l = lower(w);
            // "that" after a preposition is a determiner: "told about that permission".
            let after_preposition = i > 0 && PREPOSITIONS.contains(lower(&ws[i - 1]).as_str());
            if l == "that" && !after_preposition {
                let rest = &text[w.end..];
                return match rest.trim_start() {
                    "" => Complement::None,
                    r => Complement::Clause(from + w.end + (rest.len() - r.len())),
                };
            }
            if gazetteer::is_speech_verb(&l) || matches!(l.as_str(), "and" | "but" | "because" | "if" | "whether") {
                break;
            }
        }
        // Skip the listener of "told", then adverbials ("on Tuesday", "in a statement").
        let mut i = 0;
        if TELL_VERBS.contains(verb) {
            i = self.skip_listener(from, &ws);
        }
        i = self.skip_adverbials(from, &ws, i);
        let prev_end = if i > 0 { from + ws[i - 1].end } else { from };
        let rest_from = ws.get(i).map_or(sent_end, abs);
        let gap = &body[prev_end..rest_from];
        let gap_trim = gap.trim();
        // A quotation after the adverbials: `said in a statement: “...”`.
        let mark_at = gap.find(['“', '"', '‘', '\'']).map(|p| prev_end + p);
        if let Some(g) = mark_at.and_then(|m| self.group_starting_at(m))
            && body[prev_end..self.groups[g].start()].trim().trim_matches([',', ':']).is_empty()
        {
            return Complement::Quote(g);
        }
        if word_iter(&body[prev_end..sent_end]).next().is_none() {
            return Complement::End;
        }
        if gap_trim == "," {
            // "..., officials said, leaving ..." / "..., as the government ...".
            let l = ws.get(i).map(lower).unwrap_or_default();
            // "..., he declared, a point he likes to make": a noun phrase about the words.
            if matches!(
                l.as_str(),
                "as" | "while" | "when" | "after" | "before" | "because" | "although" | "though" | "amid" | "despite" | "with" | "but" | "and" | "a" | "an"
            ) || l.ends_with("ing")
            {
                return Complement::End;
            }
        }
        let weak = WEAK_CLAUSE_VERBS.contains(verb);
        if bare_ok && gap_trim.is_empty() && self.bare_clause_at(&ws[i..], from, weak) {
            return Complement::Clause(rest_from);
        }
        // "said if he were president, the fund would ...": a condition or a time set off by a
        // comma, then the reported clause with its own subject.
        if bare_ok
            && gap_trim.is_empty()
            && ws.get(i).is_some_and(|w| matches!(lower(w).as_str(), "if" | "unless" | "once" | "when" | "because" | "although" | "though"))
            && let Some(c) = ws.iter().enumerate().skip(i + 2).take(14).find(|(k, w)| body[from + ws[k - 1].end..from + w.start].trim() == ",").map(|(k, _)| k)
            && !body[rest_from..from + ws[c].start].contains([';', ':', '.', '?', '!', '"', '“', '”'])
            && self.bare_clause_at(&ws[c..], from, weak)
        {
            return Complement::Clause(rest_from);
        }
        // "said if elected he could work with them", "said when asked they would go": a short
        // condition or prepositional phrase with no subject of its own, then the reported
        // clause with a pronoun subject and its verb.
        if bare_ok
            && gap_trim.is_empty()
            && let Some(w) = ws.get(i)
            && let l = lower(w)
            && (PREPOSITIONS.contains(l.as_str()) || matches!(l.as_str(), "if" | "unless" | "once" | "when" | "although" | "though"))
            && let Some(k) = (i + 2..ws.len().min(i + 7)).find(|&k| SUBJECT_PRONOUNS.contains(lower(&ws[k]).as_str()))
            && ws.len() >= k + 4
            && ws[i + 1..k].iter().all(|w| {
                let l = lower(w);
                !matches!(l.as_str(), "that" | "who" | "whom" | "whose" | "which" | "where" | "when" | "what") && !gazetteer::is_speech_verb(&l)
            })
            && !body[rest_from..from + ws[k].start].contains([',', ';', ':', '.', '?', '!', '"', '“', '”', '(', '—'])
            && !self.in_group(from + ws[k].start)
            && (finite_like(ws[k + 1].text) || AUXILIARIES.contains(lower(&ws[k + 1]).as_str()))
        {
            return Complement::Clause(rest_from);
        }
        Complement::None
    }

    /// Where the content of a speech act with an object starts (`urged voters to ...`,
    /// `called for ...`, `called on Congress to ...`, `accused the board of ...`,
    /// `criticized X for ...`, `vowed to ...`), given the verb's end `from`; `None` when the
    /// particle it needs does not follow within a short object.
    pub(super) fn object_report(&self, kind: ObjectReport, from: usize, sent_end: usize) -> Option<usize> {
        let text = self.body.get(from..sent_end.max(from))?;
        let ws: Vec<Word> = word_iter(text).take(7).collect();
        let w0 = ws.first()?;
        if !text[..w0.start].trim().is_empty() {
            return None;
        }
        let l0 = lower(w0);
        let at = |i: usize| ws.get(i).map(|w| from + w.start);
        // The first index among `ws[1..=max]` that is `particle`, with nothing but spaces
        // (or an abbreviation's full stop) between the words before it.
        let particle = |word: &str, max: usize| {
            for i in 1..ws.len().min(max + 1) {
                let gap = &text[ws[i - 1].end..ws[i].start];
                if !(gap.trim().is_empty() || (gap.trim() == "." && TITLE_ABBREVIATIONS.contains(&lower(&ws[i - 1]).as_str())))
                    || self.in_group(from + ws[i].start)
                {
                    return None;
                }
                if lower(&ws[i]) == word {
                    return Some(i);
                }
                let li = lower(&ws[i]);
                if PREPOSITIONS.contains(li.as_str()) || li == "that" || li == "and" {
                    return None;
                }
            }
            None
        };
        let object_ok = !PREPOSITIONS.contains(l0.as_str()) && l0 != "that" && !gazetteer::is_speech_verb(&l0) && !finite_like(w0.text);
        match kind {
            ObjectReport::Call if l0 == "for" => at(1),
            ObjectReport::Call if l0 == "on" || l0 == "upon" => particle("to", 5).and_then(|_| at(1)),
            ObjectReport::Urge if object_ok => {
                particle("to", 4).and_then(|i| ws.get(i + 1)).filter(|w| w.text.starts_with(char::is_lowercase)).and_then(|_| at(0))
            }
            ObjectReport::Accuse if object_ok => particle("of", 4).and_then(|_| at(0)),
            ObjectReport::Criticize if object_ok => particle("for", 4).and_then(|_| at(0)),
            ObjectReport::Promise if l0 == "to" => {
                ws.get(1).filter(|w| w.text.starts_with(char::is_lowercase) && !DETERMINERS.contains(lower(w).as_str())).and_then(|_| at(0))
            }
            _ => None,
        }
    }

    /// `called the fund “...”`, `described the trip as “...”`: a quotation within a few words.
    /// With an object before the quotation, the content is the object and what it is called
    /// (mixed speech: `called the new timetable “a disaster”`); without one, the quotation.
    pub(super) fn phrase_complement(&self, from: usize, sent_end: usize) -> Complement {
        let g = self.groups.partition_point(|g| g.start() < from);
        match self.groups.get(g) {
            Some(q) if q.start() < sent_end => {
                let gap = &self.body[from..q.start()];
                if word_iter(gap).take(9).count() > 8 || gap.contains(['.', ';', '!', '?', ',', ':']) {
                    return Complement::None;
                }
                match word_iter(gap).next() {
                    Some(w) if !PREPOSITIONS.contains(lower(&w).as_str()) || lower(&w) == "on" => Complement::Clause(from + w.start),
                    _ => Complement::Quote(g),
                }
            }
            _ => Complement::None,
        }
    }

    /// Skip the listener after "told": a name, a pronoun, or a short noun phrase
    /// ("reporters", "the court", "a parliamentary committee"). Returns the next word index.
    pub(super) fn skip_listener(&self, from: usize, ws: &[Word]) -> usize {
        let Some(w0) = ws.first() else { return 0 };
        let abs0 = from + w0.start;
        if let Some(mi) = self.ents.mention_starting_at(abs0) {
            let end = self.ents.mentions[mi].end;
            return ws.iter().position(|w| from + w.start >= end).unwrap_or(ws.len());
        }
        let l0 = lower(w0);
        if matches!(l0.as_str(), "him" | "her" | "them" | "me" | "us" | "you" | "reporters" | "journalists" | "parliament" | "lawmakers" | "mps" | "it") {
            return 1;
        }
        // "told colleagues the bill was ...": a bare plural noun before a clause; "told
        // analysts on a conference call": before an adverbial or the end.
        let next = ws.get(1).map(lower).unwrap_or_default();
        let plural_before_adverbial = l0.ends_with('s') && (ws.len() == 1 || PREPOSITIONS.contains(next.as_str()));
        if w0.text.starts_with(char::is_lowercase)
            && (DETERMINERS.contains(next.as_str()) || SUBJECT_PRONOUNS.contains(next.as_str()) || plural_before_adverbial)
            && !finite_like(w0.text)
        {
            return 1;
        }
        if DETERMINERS.contains(l0.as_str()) {
            // Up to the noun: stop before a word that starts a clause or a preposition.
            let mut i = 1;
            while i < ws.len() && i < 5 {
                let l = lower(&ws[i]);
                if PREPOSITIONS.contains(l.as_str())
                    || SUBJECT_PRONOUNS.contains(l.as_str())
                    || DETERMINERS.contains(l.as_str())
                    || matches!(l.as_str(), "that" | "if" | "whether" | "why" | "how" | "what" | "when" | "where" | "who")
                {
                    break;
                }
                i += 1;
            }
            return i;
        }
        0
    }

    /// Skip adverbials after a verb: "on Tuesday evening", "in a statement", "last month".
    pub(super) fn skip_adverbials(&self, from: usize, ws: &[Word], mut i: usize) -> usize {
        let text = &self.body[from..];
        loop {
            let Some(w) = ws.get(i) else { return i };
            let l = lower(w);
            if matches!(
                l.as_str(),
                "yesterday"
                    | "today"
                    | "tonight"
                    | "earlier"
                    | "later"
                    | "again"
                    | "also"
                    | "afterwards"
                    | "recently"
                    | "separately"
                    | "privately"
                    | "publicly"
                    | "previously"
                    | "repeatedly"
                    | "once"
                    | "too"
            ) {
                i += 1;
                continue;
            }
            if matches!(l.as_str(), "last" | "this" | "next") && ws.get(i + 1).is_some_and(|n| is_time_word(&lower(n))) {
                i += 2;
                continue;
            }
            // "said Thursday", "told reporters Monday night", "announced Sept. 12": a bare
            // day or date, as news writes it.
            if w.is_capitalised() && lexicon::is_weekday(w.text) {
                let part = ws.get(i + 1).is_some_and(|n| matches!(n.text, "morning" | "afternoon" | "evening" | "night") && text[w.end..n.start] == *" ");
                i += 1 + usize::from(part);
                continue;
            }
            if w.is_capitalised()
                && lexicon::month_number(w.text).is_some()
                && let Some(n) = ws.get(i + 1)
                && n.text.len() <= 2
                && n.text.chars().all(|c| c.is_ascii_digit())
                && text[w.end..n.start].trim_start_matches('.').trim().is_empty()
            {
                i += 2;
                continue;
            }
            if PREPOSITIONS.contains(l.as_str()) && !matches!(l.as_str(), "about" | "like") {
                // A prepositional phrase up to a comma, colon, quotation, "that" or a clause.
                let mut j = i + 1;
                while j < ws.len() && j < i + 9 {
                    let lj = lower(&ws[j]);
                    if !text[ws[j - 1].end..ws[j].start].trim().is_empty() || lj == "that" || self.in_group(from + ws[j].start) {
                        break;
                    }
                    if SUBJECT_PRONOUNS.contains(lj.as_str()) && lj != "it" {
                        break;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            return i;
        }
    }

    /// Do these words start a reported clause ("the deal would ...", "officers would ...")?
    pub(super) fn bare_clause_at(&self, ws: &[Word], from: usize, weak: bool) -> bool {
        let Some(w0) = ws.first() else { return false };
        let l0 = lower(w0);
        // "said much of the talk was about Israel", "says too much is made of it": a quantity
        // with "of" or right before an auxiliary is a noun phrase.
        let quantity_of = matches!(l0.as_str(), "much" | "little") && ws.get(1).is_some_and(|n| n.text == "of" || AUXILIARIES.contains(lower(n).as_str()));
        // "said states like Ohio will decide": a plural noun that is also a speech verb.
        let plural_noun = l0.len() > 4 && l0.ends_with('s') && !l0.ends_with("ss") && w0.text.starts_with(char::is_lowercase);
        if (NOT_CLAUSE_STARTS.contains(l0.as_str()) && !quantity_of)
            || (PREPOSITIONS.contains(l0.as_str()) && l0 != "about")
            || (finite_like(w0.text) && !(plural_noun && gazetteer::is_speech_verb(&l0)))
            || (gazetteer::is_speech_verb(&l0) && !plural_noun)
        {
            return false;
        }
        if SUBJECT_PRONOUNS.contains(l0.as_str()) {
            return ws.len() >= 3 || elliptical_clause(ws);
        }
        // "said he's “looking forward to it”", "said they'd win": a pronoun and its auxiliary.
        if let Some((pronoun, _)) = l0.split_once(['\'', '’'])
            && SUBJECT_PRONOUNS.contains(pronoun)
        {
            return ws.len() >= 2;
        }
        let text = &self.body[from..];
        // "said allies wanted to know": a bare plural noun and a past tense right after it.
        if !determined_start(w0, &l0)
            && w0.text.starts_with(char::is_lowercase)
            && l0.ends_with('s')
            && !l0.ends_with("ss")
            && ws.get(1).is_some_and(|n| text[w0.end..n.start].trim().is_empty() && n.text.starts_with(char::is_lowercase) && finite_like(n.text))
        {
            return true;
        }
        // The finite verb must come before a comma for a plain noun; a determiner or a name
        // may carry an apposition ("the practice, known as drip pricing, was").
        // A plain noun needs an auxiliary soon ("officers would", "visitor numbers had").
        // "said having Trump at the top puts ...": a gerund phrase is a subject too.
        let gerund = l0.len() > 5
            && l0.ends_with("ing")
            && w0.text.starts_with(char::is_lowercase)
            && !matches!(l0.as_str(), "nothing" | "something" | "anything" | "everything");
        let determined = determined_start(w0, &l0) || gerund;
        let reach = if determined { 22 } else { 7 };
        // Commas must pair up around an apposition: "the practice, known as X, was"; a
        // single comma ends the phrase ("their plan in March, the word did").
        let mut commas = 0;
        for (i, w) in ws.iter().enumerate().skip(1).take(reach) {
            let gap = &text[ws[i - 1].end..w.start];
            // "Mr. Cameron had", "the U.S. needed": the full stop of an abbreviation.
            // (`the U.S. “clearly” needed`: a quotation mark may follow it.)
            let abbreviation = gap.trim_end().trim_end_matches(['“', '"', '‘']).trim_end() == "." && is_abbreviation(ws[i - 1].text);
            if (gap.contains([';', ':', '.', '?', '!']) && !abbreviation) || (!determined && gap.contains(',')) {
                return false;
            }
            // "£85,000" is one number, not a comma in the sentence.
            let digits = gap == "," && ws[i - 1].text.ends_with(|c: char| c.is_ascii_digit()) && w.text.starts_with(|c: char| c.is_ascii_digit());
            if !digits {
                commas += gap.matches(',').count();
            }
            // A verb inside a quotation does not make the words before it a clause; a quoted
            // label inside a determined noun phrase ("the “Level 3” order remained") is skipped.
            if self.in_group(from + w.start) {
                // `said his staff “did the wrong thing”`: the quotation opens with the verb.
                let opens_group = self.group_starting_at(from + ws[i - 1].end + gap.find(['“', '"', '\'', '‘']).unwrap_or(gap.len())).is_some();
                // (`saying Mr. Trump “reminds us every day ...”`: a present tense too.)
                if determined
                    && opens_group
                    && w.text.starts_with(char::is_lowercase)
                    && (finite_like(w.text) || AUXILIARIES.contains(lower(w).as_str()) || present_singular(&ws[i - 1], w, ws.get(i + 1)))
                {
                    return commas % 2 == 0;
                }
                if determined && l0 != "about" {
                    continue;
                }
                return false;
            }
            let aux = AUXILIARIES.contains(lower(w).as_str());
            if aux || (determined && !weak && (finite_like(w.text) || present_singular(&ws[i - 1], w, ws.get(i + 1)))) {
                return commas % 2 == 0;
            }
        }
        false
    }
}

/// "said he would", "said they did not": a personal pronoun and an auxiliary are a whole
/// clause whose verb the sentence before gave ("Yes, he said, it was" holds no report).
/// Callers check that a stop follows.
pub(super) fn elliptical_clause(ws: &[Word]) -> bool {
    matches!(ws.len(), 2 | 3)
        && matches!(lower(&ws[0]).as_str(), "he" | "she" | "they" | "we" | "i")
        && AUXILIARIES.contains(lower(&ws[1]).as_str())
        && ws.get(2).is_none_or(|w| matches!(lower(w).as_str(), "not" | "too"))
}

/// Does a noun phrase start at this word: a determiner, a name, a number?
fn determined_start(w0: &Word, l0: &str) -> bool {
    DETERMINERS.contains(l0) || w0.is_capitalised() || w0.text.starts_with(|c: char| c.is_ascii_digit()) || l0 == "about"
}

/// A word written with a full stop that does not end a sentence: a short title ("Mr"),
/// an initial ("D"), a dotted abbreviation ("U.S").
fn is_abbreviation(word: &str) -> bool {
    let l = Lower::new(word);
    TITLE_ABBREVIATIONS.contains(&l.as_str())
        || (word.chars().count() == 1 && word.starts_with(char::is_uppercase))
        || (word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase))
}

/// "Republican Donald Trump favors a ...", "the candidate sees the convention as ...": a
/// present tense after a singular noun, before an object or a clause.
fn present_singular(prev: &Word, w: &Word, next: Option<&Word>) -> bool {
    let l = Lower::new(w.text);
    let s = l.as_str();
    let Some(next) = next else { return false };
    let ln = Lower::new(next.text);
    w.text.starts_with(char::is_lowercase)
        && s.len() >= 4
        && s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
        && !s.contains(['\'', '’'])
        && !prev.text.ends_with(['s', 'S'])
        && !PREPOSITIONS.contains(Lower::new(prev.text).as_str())
        && (DETERMINERS.contains(ln.as_str())
            || SUBJECT_PRONOUNS.contains(ln.as_str())
            || matches!(ln.as_str(), "that" | "to" | "him" | "her" | "them" | "us" | "his" | "their"))
}
