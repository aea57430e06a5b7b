//! Mentions as subjects: the noun phrase before or after a speech verb (a name, a
//! pronoun, a role or organisation noun, an unnamed group) read into a `Subject`.
//!
//! Invariant: a phrase that is not a name keeps its words as the mention; its speaker
//! comes only from the resolution steps in `speaker.rs` and `lang::coref`.

use super::*;

impl<'a> Ctx<'a> {
    /// The subject of a verb at `verb`, read leftwards from it within the clause; returns
    /// the subject and where its phrase starts.
    pub(super) fn subject_before(&mut self, si: usize, floor: usize, verb: usize) -> Option<(Subject, usize)> {
        let body = self.body;
        let mut end = verb;
        // The words before the verb, tokenized once: cutting at a word boundary keeps a
        // prefix of them (`prefix_words`).
        let all = words(&body[floor..verb]);
        // Adverbs and auxiliaries between subject and verb.
        loop {
            let ws = prefix_words(&all, body, floor, end);
            let last = *ws.last()?;
            let l = lower(&last);
            // A capitalised word is no adverb here: "Theresa May said".
            let adverb = last.text.starts_with(char::is_lowercase)
                && (ADVERBS.contains(l.as_str()) || (l.len() > 4 && l.ends_with("ly") && !matches!(l.as_str(), "family" | "ally" | "assembly" | "supply")));
            // A time adverbial: "Beck last week said", "The department less than two weeks
            // ago said", "Ann Lee a month later announced", "Wells Fargo just this month
            // announced". Its words run unbroken, and something stands before it.
            let time_tail = matches!(l.as_str(), "ago" | "later" | "earlier") || is_time_word(&l);
            if time_tail && body[floor + last.end..end].trim().is_empty() {
                let n = ws.len();
                let plain = |k: usize| ws[k..].windows(2).all(|p| body[floor + p[0].end..floor + p[1].start].trim().is_empty());
                if let Some(k) = (n.saturating_sub(5).max(1)..n).find(|&k| time_phrase_len(&ws[k..]) == Some(n - k) && plain(k)) {
                    end = floor + ws[k].start;
                    continue;
                }
            }
            if !body[floor + last.end..end].trim().is_empty() || !adverb {
                break;
            }
            end = floor + last.start;
        }
        // "The F.B.I. has said", "Robert P. Casey Jr. said", "Acme Inc. said": the full stop of
        // a short form ends the subject, not a sentence.
        if let Some(t) = body[floor..end].trim_end().strip_suffix('.')
            && let Some(w) = prefix_words(&all, body, floor, end).last()
            && w.end == t.len()
            && crate::core::lang::lexicon::ends_name_with_stop(w.text)
        {
            end = floor + t.len();
        }
        // "Philippa Dane KC told": letters after a name.
        loop {
            let ws = prefix_words(&all, body, floor, end);
            let Some(last) = ws.last() else { break };
            // ("Robert P. Casey Jr said": unless the name's mention holds them.)
            if ws.len() < 2
                || !gazetteer::is_post_nominal(last.text)
                || !body[floor + last.end..end].trim().is_empty()
                || self.ents.mention_ending_at(floor + last.end).is_some()
            {
                break;
            }
            end = floor + body[floor..floor + last.start].trim_end().len();
        }
        // Phrases set off by commas between subject and verb: appositions ("Its negotiator,
        // Henrik Sjöberg, said"), relative clauses, ages ("Sandra Whitlock, 67, whose ...").
        // The chain's head is the subject when it is a person's name ("Cory James, 22, of
        // Flint, Mich., said"; "Dan Reyes, senior director at the council, said"): a name in
        // a later segment is its apposition. Otherwise the name nearest the verb in
        // apposition to a description ("The finance minister, Tomasz Wierzbicki, said").
        let mut np_floor = floor;
        let mut nearest: Option<(Subject, usize)> = None;
        // ("Ann Lee -- a lawyer -- said", "Ann Lee - a lawyer - said", "Ann Lee — a lawyer —
        // said": dashes set an apposition off too.)
        let before_comma = body.get(floor..end).and_then(|b| {
            let b = b.trim_end();
            b.strip_suffix(',').or_else(|| b.strip_suffix(" --")).or_else(|| b.strip_suffix(" -")).or_else(|| b.strip_suffix('—'))
        });
        if before_comma.is_none() {
            nearest = self.unclosed_apposition(floor, end);
        }
        if let Some(before_comma) = before_comma {
            end = floor + before_comma.len();
            // ("Mr. Slinker, whose start-up, Paradata, uses big data, said": a relative
            // clause after a person's name runs to the verb, commas and all.)
            // (`a star of "Tides," who`: the comma may sit inside a closing quotation mark.)
            let comma_before = |wh: usize| {
                let b = body[floor..wh].trim_end_matches(['"', '”', '\'']);
                b.ends_with(',').then(|| (floor + b.len() - 1, wh))
            };
            if let Some((at, _)) = body[floor..end].match_indices(" wh").filter_map(|(at, _)| comma_before(floor + at)).find(|&(at, wh)| {
                word_iter(&body[wh..end]).next().is_some_and(|w| matches!(w.text, "who" | "whose"))
                    && !self.in_group(wh)
                    && (self.person_ends_at(at) || self.relative_person(floor, at).is_some())
            }) {
                // (A title quoted in the description ends it before its opening mark.)
                let gi = self.groups.partition_point(|g| g.end() <= at);
                end = match self.groups.get(gi).filter(|g| g.start() <= at) {
                    Some(g) => floor + body[floor..g.start()].trim_end().trim_end_matches(',').len(),
                    None => at,
                };
            }
            for _ in 0..6 {
                let Some(chain) = body.get(floor..end) else { break };
                // ("A former candidate -- Ann Lee, who lost -- said": a double hyphen is a dash.
                // `the co-author of "Going Viral," about ...`: a comma inside quotation
                // marks sets nothing off.)
                let mut p = chain.rfind([',', '(', ';', ':', '—']);
                while let Some(at) = p.filter(|&at| self.in_group(floor + at)) {
                    p = chain[..at].rfind([',', '(', ';', ':', '—']);
                }
                let from = p.unwrap_or(0);
                let dash = chain[from..].rfind(" -- ").map(|d| d + 3).max(chain[from..].rfind(" - ").map(|d| d + 2));
                let seg_start = match dash {
                    Some(d) => floor + from + d,
                    None => p.map_or(floor, |p| floor + p + chain[p..].chars().next().map_or(1, char::len_utf8)),
                };
                let Some(seg) = body.get(seg_start..end) else { break };
                let seg_abs = seg_start + (seg.len() - seg.trim_start().len());
                let open = body.get(..seg_start).map_or(floor, |b| b.trim_end().trim_end_matches([',', '(', ';', ':', '—', '-']).len()).max(floor);
                // "Sen. Ada Crane (D-Mich.), said": a party-state tag is set off like an age.
                // So is the state after a town ("from Monsey, New York, said").
                let place_only = self.ents.mention_starting_at(seg_abs).is_some_and(|mi| {
                    let m = &self.ents.mentions[mi];
                    m.kind == EntityKind::Place && m.person.is_none() && m.org.is_none() && body[m.end..end].trim().is_empty()
                });
                if seg_start > floor && (names::is_party_state_segment(seg) || names::is_party_of_place_segment(seg) || place_only) {
                    end = body.get(floor..open).map_or(floor, |b| floor + b.trim_end().len());
                    continue;
                }
                if let Some(p) = self.head_person(seg_abs, end) {
                    // After a description ("the White House spokesman, Josh Earnest,") the
                    // phrase starts with the description.
                    let described = seg_start > floor
                        && body.get(floor..open).and_then(|b| word_iter(b).last()).is_some_and(|w| {
                            let l = lower(&w);
                            gazetteer::is_role_noun(&l) || gazetteer::is_title_word(&l)
                        });
                    let start = if described { self.np_start_before(floor, open).unwrap_or(seg_abs) } else { seg_abs };
                    return Some((p, start));
                }
                if nearest.is_none()
                    && let Some(s) = self.apposition_name(seg_abs, end)
                {
                    // The phrase starts with what the name stands in apposition to.
                    let start = self.np_start_before(floor, open).unwrap_or(seg_abs);
                    let person = s.person.is_some();
                    nearest = Some((s, start));
                    // A person is the apposition of a description before it; anything else
                    // (a place, "Mich.") may follow the person the chain starts with.
                    if person || seg_start == floor {
                        break;
                    }
                    end = open;
                    continue;
                }
                if seg_start == floor {
                    break;
                }
                // ("Roy Cooper (D), McCrory's opponent, said": a party tag may end the name.)
                if !parenthetical_like(seg) && !self.person_ends_at(open) && !self.person_ends_at(self.before_party_tag(floor, open)) {
                    // Not set off from a subject before it: the phrase is the subject.
                    np_floor = seg_start;
                    break;
                }
                end = open;
            }
        }
        if let Some(found) = nearest {
            return Some(found);
        }
        let floor = np_floor;
        // "The Semiconductor Industry Association (SIA) said": skip the abbreviation.
        let trimmed = body[floor..end].trim_end();
        if trimmed.ends_with(')')
            && let Some(open) = trimmed.rfind('(')
        {
            end = floor + trimmed[..open].trim_end().len();
        }
        let before = &body[floor..end];
        let last = word_iter(before).last()?;
        if !before[last.end..].trim().is_empty() {
            return None;
        }
        let l = lower(&last);
        // "Foreign Minister Kamal Rostami, who told ...": the relative pronoun's antecedent.
        if matches!(l.as_str(), "who" | "which") {
            let ante_end = floor + before[..last.start].trim_end().trim_end_matches(',').trim_end().len();
            // "The bank, which describes ...": a common noun phrase as the antecedent.
            let named = self.ents.mention_ending_at(ante_end);
            // ("Sen. Ada Crane of Ohio, who said", "Bo Hecht, director of the Harbour Trust,
            // who said": "who" wants a person, and the chain's head, not a name in a
            // prepositional phrase of its description.)
            let in_pp = |mi: usize| {
                let m = &self.ents.mentions[mi];
                word_iter(&body[floor..m.phrase_start.max(floor)]).last().is_some_and(|w| PREPOSITIONS.contains(lower(&w).as_str()))
            };
            let named = match named {
                Some(mi) if l == "who" && (self.ents.mentions[mi].person.is_none() || in_pp(mi)) => self.relative_person(floor, floor + last.start).or(named),
                other => other,
            };
            let Some(mi) = named else { return self.np_subject(si, floor, ante_end) };
            let s = self.mention_subject(mi);
            return Some((s, self.ents.mentions[mi].phrase_start));
        }
        self.np_subject(si, floor, floor + last.end)
    }

    /// Where the noun phrase ending just before byte `end` starts (for appositions).
    pub(super) fn np_start_before(&self, floor: usize, end: usize) -> Option<usize> {
        // `end` can lie before the clause's floor ("be:told": the auxiliary before a colon
        // that starts the clause): then there is no noun phrase in between.
        let ws = words(self.body.get(floor..end)?);
        let mut k = ws.len().checked_sub(1)?;
        while k > 0 && ws.len() - k < 6 {
            let l = lower(&ws[k - 1]);
            if !self.body[floor + ws[k - 1].end..floor + ws[k].start].trim().is_empty()
                || PREPOSITIONS.contains(l.as_str())
                || matches!(l.as_str(), "and" | "or" | "but" | "who" | "which" | "that" | "when" | "as")
                || FINITE.contains(l.as_str())
                || gazetteer::is_speech_verb(&l)
            {
                break;
            }
            k -= 1;
            if DETERMINERS.contains(l.as_str()) || matches!(l.as_str(), "his" | "her" | "its" | "their") {
                break;
            }
        }
        Some(floor + ws[k].start)
    }

    /// The subject that a name mention stands for.
    pub(super) fn mention_subject(&self, mi: usize) -> Subject {
        let m = &self.ents.mentions[mi];
        // "Police said", "Campaigners said": a common noun opening a sentence is no name.
        if m.person.is_none() && !m.name.contains(' ') && gazetteer::is_group_noun(&m.name.to_lowercase()) {
            return Subject::unnamed(&m.name);
        }
        // A party's members ("Republicans said") speak as the party's members, whatever body
        // or person has the word in its name ("Log Cabin Republicans").
        if !m.name.contains(' ') && names::is_party_plural(&m.name) {
            return Subject { mention: m.name.clone(), speaker: Some(m.name.clone()), person: None, org: None };
        }
        match (m.kind, m.person, m.org) {
            (_, Some(p), _) => Subject { mention: m.name.clone(), speaker: Some(self.ents.persons[p].name.clone()), person: Some(p), org: None },
            (_, None, Some(o)) => Subject { mention: m.name.clone(), speaker: Some(self.ents.orgs[o].name.clone()), person: None, org: Some(o) },
            // A place as a verb's subject stands for its institution: "Downing Street said".
            _ => Subject { mention: m.name.clone(), speaker: Some(m.name.clone()), person: None, org: None },
        }
    }

    /// The subject noun phrase ending at byte `end`: a name, a pronoun, a role, an
    /// organisation noun, or an unnamed group. A phrase inside a prepositional phrase
    /// ("Residents of Kelbrook in Yorkshire") gives way to its head ("Residents").
    pub(super) fn np_subject(&mut self, si: usize, floor: usize, end: usize) -> Option<(Subject, usize)> {
        let body = self.body;
        let mut end = end;
        // The prepositional object closest to the head: (mention index, or noun phrase).
        let mut pp: Option<(Option<usize>, Range<usize>)> = None;
        let all = words(&body[floor..end]);
        for _ in 0..4 {
            let before = &body[floor..end];
            let ws = prefix_words(&all, body, floor, end);
            let last = *ws.last()?;
            let l = lower(&last);
            if !before[last.end..].trim().is_empty() {
                return None;
            }
            // (`He's suggesting that ...`: a pronoun with a contracted auxiliary is the pronoun.)
            let bare = uncontracted(l.as_str());
            if PRONOUNS.contains(bare) {
                let pos = floor + last.start;
                return Some((self.pronoun_subject(si, &last.text[..bare.len()], pos), pos));
            }
            let (np_start, mention) = match self.ents.mention_ending_at(floor + last.end) {
                Some(mi) => (self.ents.mentions[mi].phrase_start.max(floor), Some(mi)),
                None => {
                    let sentence_first = !body[self.sents[si].start..floor + last.start].chars().any(char::is_alphanumeric);
                    if last.is_capitalised()
                        && !sentence_first
                        && !gazetteer::is_role_noun(&l)
                        && !DETERMINERS.contains(l.as_str())
                        && !gazetteer::is_demonym(last.text)
                    {
                        return None;
                    }
                    (self.np_start_before(floor, floor + last.end)?, None)
                }
            };
            // What stands before this phrase: a preposition makes it a complement of a head.
            let lead = &body[floor..np_start];
            let mut lead_ws = prefix_words(&all, body, floor, np_start);
            let mut np_start = np_start;
            // "Ann Lee of the Harbour Institute said": the article before a name the mention
            // leaves out stands between the preposition and the name. (Not after a capitalised
            // word that ends no person's name: "Speaker of the House Rep. Paul Ryan", "The
            // Committee for a Responsible Federal Budget" are one name or title.)
            if let [.., h, p, d] = &lead_ws[..]
                && (!h.is_capitalised() || self.person_ends_at(floor + h.end))
                && matches!(d.text, "the" | "a" | "an")
                && PREPOSITIONS.contains(lower(p).as_str())
                && lead[d.end..].trim().is_empty()
                && lead[p.end..d.start].trim().is_empty()
            {
                np_start = floor + d.start;
                let n = lead_ws.len() - 1;
                lead_ws = std::borrow::Cow::Owned(lead_ws[..n].to_vec());
            }
            let lead = &body[floor..np_start];
            let prev = lead_ws.last().filter(|w| lead[w.end..].trim().is_empty());
            match prev.map(lower) {
                // "shortly after Ann Lee said", "years before X claimed": a subordinator
                // opens a clause whose subject is the phrase, no complement of a head.
                Some(p)
                    if PREPOSITIONS.contains(p.as_str())
                        && lead_ws.len() >= 2
                        && !matches!(
                            p.as_str(),
                            "after"
                                | "before"
                                | "since"
                                | "until"
                                | "till"
                                | "as"
                                | "because"
                                | "although"
                                | "though"
                                | "while"
                                | "when"
                                | "once"
                                | "unless"
                                | "if"
                        ) =>
                {
                    pp = Some((mention, np_start..floor + last.end));
                    end = floor + prev.expect("checked").start;
                    continue;
                }
                Some(p) if p == "and" && mention.is_some() && lead_ws.len() >= 2 => {
                    // "Avon and Somerset Police": a second name joined to a first.
                    let before_and = floor + prev.expect("checked").start;
                    let before_and = floor + body[floor..before_and].trim_end().len();
                    if self.ents.mention_ending_at(before_and).is_some() {
                        end = before_and;
                        continue;
                    }
                }
                _ => {}
            }
            // "Ann Lee and former harbour master Mia Lund said": of two people joined as one
            // subject, the first named speaks for both (as "Ann Lee and Mia Lund said" does).
            // So does the first of a list: "Sens. Ann Lee (D-Ore.), Mia Lund (D-Ohio) and Tomas
            // Reyd (D-N.J.) all suggested".
            if let Some(mi) = mention
                && self.ents.mentions[mi].person.is_some()
                && let Some(k) = lead_ws.iter().rposition(|w| w.text == "and")
                && k >= 1
                && lead_ws.len() - k <= 5
                && lead_ws[k + 1..]
                    .iter()
                    .all(|w| w.text.starts_with(char::is_lowercase) && !DETERMINERS.contains(lower(w).as_str()) && !PREPOSITIONS.contains(lower(w).as_str()))
                && !lead[lead_ws[k].start..].contains([',', ';', ':', '(', ')'])
            {
                let before_and = self.before_party_tag(floor, floor + lead[..lead_ws[k].start].trim_end().len());
                // (The first name opens the subject: no verb before it makes it an object.)
                let opens = |f: usize| {
                    let m = &self.ents.mentions[f];
                    m.person.is_some()
                        && m.phrase_start >= floor
                        && !word_iter(&body[floor..m.phrase_start]).any(|w| w.text.starts_with(char::is_lowercase) && finite_like(w.text))
                };
                if let Some(mut first) = self.ents.mention_ending_at(before_and).filter(|&f| opens(f)) {
                    for _ in 0..6 {
                        let before = body[floor..self.ents.mentions[first].phrase_start].trim_end();
                        let Some(before) = before.strip_suffix(',') else { break };
                        let e = self.before_party_tag(floor, floor + before.trim_end().len());
                        match self.ents.mention_ending_at(e).filter(|&f| opens(f)) {
                            Some(f) => first = f,
                            None => break,
                        }
                    }
                    let start = self.ents.mentions[first].phrase_start.max(floor);
                    return Some((self.mention_subject(first), start));
                }
            }
            let subject = match mention {
                Some(mi) => self.mention_subject(mi),
                None => self.noun_phrase_subject(si, np_start, floor + last.end, pp.as_ref())?,
            };
            // "the IMF said": the article the name leaves out opens the phrase.
            if mention.is_some()
                && let Some(d) = prefix_words(&all, body, floor, np_start).last()
                && matches!(d.text, "the" | "The")
                && body[floor + d.end..np_start].trim().is_empty()
            {
                np_start = floor + d.start;
            }
            return Some((subject, np_start));
        }
        None
    }

    /// Where the text before `end` stops once a party-state tag that ends it is left out
    /// ("Ann Lee (D-Ore.)", "Ann Lee (Vt.)"): `end` when none does.
    pub(super) fn before_party_tag(&self, floor: usize, end: usize) -> usize {
        let text = self.body[floor..end].trim_end();
        if let Some(inner) = text.strip_suffix(')')
            && let Some(open) = inner.rfind('(')
        {
            let tag = &inner[open + 1..];
            let short_tag = !tag.is_empty() && tag.len() <= 10 && !tag.contains(char::is_whitespace) && tag.starts_with(|c: char| c.is_ascii_uppercase());
            if short_tag || names::is_party_state_segment(tag) {
                return floor + inner[..open].trim_end().len();
            }
        }
        end
    }

    /// A common noun phrase as a subject: a spokesperson, a role, an organisation noun, or
    /// an unnamed group (`None` speaker).
    pub(super) fn noun_phrase_subject(&mut self, si: usize, start: usize, end: usize, pp: Option<&(Option<usize>, Range<usize>)>) -> Option<Subject> {
        let phrase = &self.body[start..end];
        let ws = words(phrase);
        let last = ws.last()?;
        let head = strip_possessive(&lower(last)).to_string();
        let first = lower(&ws[0]);
        let mention = phrase.to_string();
        let indefinite = matches!(first.as_str(), "a" | "an" | "one" | "another" | "some" | "several" | "two" | "three" | "many" | "other");
        if STOP_HEADS.contains(head.as_str()) || !head.chars().all(char::is_alphabetic) {
            return None;
        }
        // ("King says", "Marshal said" after "Billie Jean King", "Anne Marshal": a capitalised
        // title word alone is the family name of a person the article named in full.)
        if ws.len() == 1
            && ws[0].is_capitalised()
            && gazetteer::is_title_word(&head)
            && let Some(p) = self.ents.person_named(ws[0].text).filter(|&p| self.ents.persons[p].name.contains(' '))
        {
            self.extra_refs.push(Ref { pos: start, sentence: si, person: p, subject_like: true });
            return Some(Subject { mention, speaker: Some(self.ents.persons[p].name.clone()), person: Some(p), org: None });
        }
        // "One, a retired teacher, said": an unnamed person.
        if ws.len() == 1 && matches!(head.as_str(), "one" | "another") {
            self.last_unnamed = Some((start, si));
            return Some(Subject::unnamed(&mention));
        }
        // "the Norwegian told Sky Sports", "the 24-year-old said": the person just named.
        let age = head.ends_with("-old") || head.ends_with("-year-old");
        if !indefinite && (gazetteer::is_demonym(last.text) || age) && first == "the" {
            let person = self.salient_person(si, start);
            return Some(Subject { mention, speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None });
        }
        if !indefinite && let Some(s) = self.owned_group(start, &ws) {
            return Some(s);
        }
        if SPOKES_NOUNS.contains(head.as_str()) {
            let speaker = self.spokes_org(start, &ws, pp);
            let speaker = match speaker {
                Some(s) => Some(s),
                None if !indefinite && ws.len() == 2 && pp.is_none() => self.last_spokes.clone().filter(|(_, at)| si <= at + 4).and_then(|(s, _)| s),
                None => None,
            };
            if indefinite || pp.is_some() || ws.len() > 2 {
                self.last_spokes = Some((speaker.clone(), si));
            }
            return Some(Subject { mention, speaker, person: None, org: None });
        }
        if gazetteer::is_role_noun(&head) {
            if indefinite {
                self.last_unnamed = Some((start, si));
                return Some(Subject::unnamed(&mention));
            }
            // ("his son said": a relative of the person the story is about is someone else;
            // "Obama's former strategist said", after a sentence about the strategist, is not.)
            let owner = |ctx: &Self| {
                if matches!(first.as_str(), "his" | "her") {
                    ctx.pronoun_referent(start, first == "her")
                } else {
                    ws[..ws.len() - 1]
                        .iter()
                        .find(|w| w.text.ends_with("'s") || w.text.ends_with("’s"))
                        .and_then(|w| ctx.ents.mention_starting_at(start + w.start))
                        .and_then(|mi| ctx.ents.mentions[mi].person)
                }
            };
            let country = ws.iter().find_map(|w| {
                let t = strip_possessive(w.text);
                gazetteer::country_of_demonym(t).or_else(|| gazetteer::COUNTRIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(t)).map(|(c, _)| *c))
            });
            let person = self
                .ents
                .resolve_role(country, &head, start)
                // ("the Portuguese coach" may be anyone's coach; "the Russian leader" leads
                // Russia, never someone whose role names no country.)
                .or_else(|| {
                    country
                        .filter(|_| {
                            !matches!(
                                head.as_str(),
                                "leader"
                                    | "president"
                                    | "premier"
                                    | "minister"
                                    | "chancellor"
                                    | "king"
                                    | "queen"
                                    | "ruler"
                                    | "dictator"
                                    | "ambassador"
                                    | "envoy"
                            )
                        })
                        .and_then(|_| self.ents.resolve_role_countryless(&head, start))
                })
                .or_else(|| self.role_link(&head))
                // ("her boss told her": a role owned by someone is another person than the
                // one the story is about.)
                // ("the attorney general of the state of New York": a role its own phrase
                // pins down is no guess at the person just named.)
                .or_else(|| match owner(self) {
                    Some(o) if Some(o) == self.salient_person(si, start) => None,
                    _ if pp.is_some() => None,
                    _ => self.salient_unroled(si, start, &head),
                });
            // "the Senate minority leader" is not the president: the modifiers must fit.
            let modifiers: Vec<String> = ws
                .get(1..ws.len().saturating_sub(1))
                .unwrap_or_default()
                .iter()
                .map(|w| strip_possessive(w.text).to_string())
                .filter(|w| w.chars().all(char::is_alphabetic) && !matches!(w.to_lowercase().as_str(), "former" | "then" | "new" | "current"))
                .collect();
            let person = person.filter(|&p| self.ents.role_modifiers_fit(p, &modifiers));
            if let Some(p) = person {
                self.extra_refs.push(Ref { pos: start, sentence: si, person: p, subject_like: true });
            }
            return Some(Subject { mention, speaker: person.map(|p| self.ents.persons[p].name.clone()), person, org: None });
        }
        // "Economists at Sandvik Markets said": unnamed staff of a named organisation speak
        // for it, like its spokespeople.
        if ws.len() == 1
            && STAFF_NOUNS.contains(head.as_str())
            && let Some((Some(mi), _)) = pp
            && let Some(o) = self.ents.mentions[*mi].org
        {
            return Some(Subject { mention, speaker: Some(self.ents.orgs[o].name.clone()), person: None, org: Some(o) });
        }
        if entities::ORG_NOUNS.contains(head.as_str()) && !indefinite {
            let org = self.resolve_org_noun(&head, start);
            let name = org.map(|o| self.ents.orgs[o].name.clone());
            let name =
                name.or_else(|| matches!(head.as_str(), "club" | "team" | "side").then(|| self.ents.club_place_before(start).map(str::to_string)).flatten());
            return Some(Subject { mention, speaker: name, person: None, org });
        }
        Some(Subject::unnamed(&mention))
    }

    /// The subject of the sentence's main clause, for coordinated verbs ("walked out ...
    /// and told the aides that") and participles ("..., adding that").
    pub(super) fn clause_subject(&mut self, si: usize, limit: usize) -> Option<Subject> {
        let range = self.sents[si].clone();
        let text = &self.body[range.start..limit];
        let dateline = self.dateline_end(si, limit);
        let mut prev: Option<Lower> = None;
        // Is the word before `prev` a preposition ("in the Democratic Party" is a
        // prepositional phrase too)?
        let mut prev_is_prep = false;
        let mut first_mention = true;
        // ("In line with his fellow Americans, Sen. Ann Lee was critical, telling ...": a
        // prepositional phrase opening the sentence holds no subject.)
        let opener_end = word_iter(&self.body[dateline..limit])
            .next()
            .filter(|w0| w0.is_capitalised() && PREPOSITIONS.contains(lower(w0).as_str()))
            .and_then(|_| self.body[dateline..limit].find(',').map(|c| dateline + c))
            // (A verb before the comma: "On Sunday Mr. Trump made ..., writing" has no opener.)
            .filter(|&comma| {
                !word_iter(&self.body[dateline..comma])
                    .any(|w| w.text.starts_with(char::is_lowercase) && (finite_like(w.text) || AUXILIARIES.contains(lower(&w).as_str())))
            })
            .unwrap_or(dateline);
        // A verb that ends an opening noun phrase (below, and the fallback at the end).
        let clause_verb =
            |w: &Word| w.text.starts_with(char::is_lowercase) && !w.text.contains('-') && (finite_like(w.text) || AUXILIARIES.contains(lower(w).as_str()));
        // ("A New York judge has rejected a request ... from his wife Ivana, saying": once a
        // noun phrase opening the sentence with an article has met its verb, later names are
        // objects.)
        let article_opens = word_iter(&self.body[opener_end..limit]).next().is_some_and(|w0| matches!(w0.text, "A" | "An" | "The"));
        for w in word_iter(text) {
            let abs = range.start + w.start;
            if abs < opener_end {
                continue;
            }
            let prev_word = prev.replace(lower(&w));
            let prep_before_prev = std::mem::replace(&mut prev_is_prep, prev_word.as_ref().is_some_and(|p| PREPOSITIONS.contains(p.as_str())));
            if self.in_group(abs) {
                continue;
            }
            if article_opens && clause_verb(&w) && !self.body[opener_end..abs].contains([',', '(', '"', '“', '—']) {
                break;
            }
            let l = lower(&w);
            let bare = uncontracted(l.as_str());
            if matches!(bare, "he" | "she" | "they" | "we") {
                return Some(self.pronoun_subject(si, &w.text[..bare.len()], abs));
            }
            if let Some(mi) = self.ents.mention_starting_at(abs) {
                let m = &self.ents.mentions[mi];
                let prev = prev_word;
                let possessive = self.body[m.end..].starts_with(['’', '\'']);
                // ("National Front party leader, Marine Le Pen, voiced ..., saying": a name
                // that modifies a role is not the head.)
                // ("At a rally in Portsmouth, N.H., on Tuesday, Ann Lee endorsed ..., saying":
                // a dotted short form after a comma is the state of a town, a place.)
                // (So is a US state's abbreviation: "in Beaumont, Tex., Mr. Trump", "In
                // Lynchburg, VA, Trump".)
                let state_after_town = self.body[..m.phrase_start].trim_end().ends_with(',')
                    && ((m.name.contains('.') && crate::core::lang::lexicon::ends_name_with_stop(&m.name)) || gazetteer::is_us_state_abbreviation(&m.name));
                // After a preposition, or after "the" after one: a prepositional phrase.
                let in_pp = prev.as_ref().is_some_and(|p| PREPOSITIONS.contains(p.as_str()) || (prep_before_prev && p.as_str() == "the"));
                if m.kind != EntityKind::Place && !state_after_town && !possessive && !in_pp && !self.modifies_noun(mi) {
                    return Some(self.mention_subject(mi));
                }
                // "Tuttle's article also attacked Christie ..., accusing him": the author of
                // the words is the subject, not a name after them.
                let owned = self.body[m.end..].trim_start_matches(['’', '\'', 's']).trim_start();
                let noun = word_iter(owned).next().map(|w| lower(&w)).unwrap_or_default();
                if possessive
                    && first_mention
                    && !prev.as_ref().is_some_and(|p| PREPOSITIONS.contains(p.as_str()))
                    && !(prep_before_prev && prev.as_ref().is_some_and(|p| p.as_str() == "the"))
                    && m.person.is_some()
                    && (WORDS_NOUNS.contains(&noun.as_str()) || matches!(noun.as_str(), "article" | "column" | "op-ed" | "letter" | "essay" | "book" | "post"))
                {
                    return Some(self.mention_subject(mi));
                }
                first_mention = false;
            }
        }
        // "The billionaire businessman began by ..., saying": the noun phrase before the
        // first verb of the sentence.
        let verb = word_iter(text).find(|w| {
            let abs = range.start + w.start;
            abs >= dateline && !self.in_group(abs) && clause_verb(w)
        })?;
        let verb_at = range.start + verb.start;
        let (s, start) = self.subject_before(si, dateline, verb_at)?;
        (self.body[dateline..start].trim().is_empty()).then_some(s)
    }

    /// Does name mention `mi` modify a noun right after it ("Obama adviser", "Harbour
    /// campaign spokesman")? A lowercase role or title word follows it, alone or after
    /// other lowercase nouns, with nothing but spaces between.
    pub(super) fn modifies_noun(&self, mi: usize) -> bool {
        let m = &self.ents.mentions[mi];
        let Some(after) = self.body.get(m.end..) else { return false };
        if !after.starts_with(' ') {
            return false;
        }
        let mut prev_end = 0;
        for w in word_iter(after).take(3) {
            if after.get(prev_end..w.start).is_none_or(|gap| gap.chars().any(|c| c != ' ')) || !w.text.starts_with(char::is_lowercase) {
                return false;
            }
            prev_end = w.end;
            let l = lower(&w);
            if gazetteer::is_role_noun(&l) || gazetteer::is_title_word(&l) || SPOKES_NOUNS.contains(l.as_str()) {
                return true;
            }
            if FINITE.contains(l.as_str()) || gazetteer::is_speech_verb(&l) || finite_like(w.text) || crate::core::text::is_stopword(&l) {
                return false;
            }
        }
        false
    }
}

/// `he's`, `she’s`, `it's` (lowercased): the pronoun without its contracted auxiliary; any
/// other word as it is.
fn uncontracted(l: &str) -> &str {
    l.strip_suffix("'s").or_else(|| l.strip_suffix("’s")).filter(|b| matches!(*b, "he" | "she" | "it")).unwrap_or(l)
}
