//! The names of one article: candidates from the capitalised runs, a kind voted from all
//! their occurrences, people grouped by surname and first name, then the mentions in order.
//!
//! Invariant: every mention lies inside one sentence of the body at or after the headline,
//! on a line that is not page furniture; its byte offsets are on character boundaries.

use super::*;

/// Find the names in one document. `sentences` are byte ranges of `body`; sentences that
/// start before `skip_before` (a headline) are ignored.
pub fn analyse(body: &str, sentences: &[Range<usize>], skip_before: usize) -> DocEntities {
    struct Candidate<'t> {
        start: usize,
        end: usize,
        phrase_start: usize,
        sentence: usize,
        name: &'t str,
        role: Option<String>,
        initial: bool,
        speech_after: bool,
        locative_before: bool,
        appositive_role: Option<String>,
        /// Looks like a name even at a sentence start: "QuickPlate", "FNV", "Aerovia, which ...".
        name_like: bool,
        /// A common noun the text uses for it: "the consumer group FlyRight", "ACM, the regulator".
        descriptor: Option<String>,
        /// An age in apposition: "Allen, 21, said".
        aged: bool,
        /// `name_key(name)`, computed once.
        key: String,
        /// Opened by a capitalised "The" inside the sentence ("said The Globe and Mail").
        titled: bool,
    }
    let quoted = quoted_ranges(body);
    // Demonyms that are a family name in this article: "Mark Cuban", then "Cuban said"
    // (filled as full names go by: news names a person in full first).
    let mut surname_demonyms: Vec<&str> = Vec::new();
    // "Theresa May ... May said", "George Will ... Will wrote": a family name that is also a
    // modal or a month is a name alone where the article names someone in full with it.
    let word_surnames: Vec<&str> = ["May", "Will"]
        .into_iter()
        .filter(|s| {
            body.match_indices(s).any(|(i, _)| {
                let before = body[..i].strip_suffix(' ').unwrap_or("");
                let given = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                !before.is_empty() && given_names::is_given_name(given) && !body[i + s.len()..].starts_with(char::is_alphanumeric)
            })
        })
        .collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut midsentence_keys: FastSet<String> = FastSet::default();
    let mut line_verdict: Option<(Range<usize>, bool)> = None;
    for (si, range) in sentences.iter().enumerate() {
        if range.start < skip_before || on_furniture_line(body, range.start, &mut line_verdict) {
            continue;
        }
        let sentence = &body[range.clone()];
        let ws = words(sentence);
        for span in spans(sentence, &ws) {
            let mut first = span.start_word;
            let mut initial = span.sentence_initial;
            // "said Will Doyle": "Will" before a name is a given name, unless it opens a
            // question ("Will Congress act?").
            let given_will = |i: usize| {
                ws[i].text == "Will" && i + 1 < span.end_word && !(i == span.start_word && span.sentence_initial && sentence.trim_end().ends_with('?'))
            };
            // "New York", "New Hampshire": a place that opens with such a word.
            let place_opens = |i: usize| i + 1 < span.end_word && ws[i].text == "New" && gazetteer::is_known_place(&sentence[ws[i].start..ws[i + 1].end]);
            // "Texas-based Matt Mackowiak", "Entrusting Donald Trump with ...": a describing
            // compound, or a gerund opening the sentence, before a given name.
            // (Suffixes are tested on the word as written: most name words have none, and
            // cost no lookup.)
            let describing = |i: usize| {
                let t = ws[i].text;
                (["-based", "-area", "-born"].iter().any(|s| t.ends_with(s)) && i + 1 < span.end_word)
                    || (t.len() > 5
                        && t.ends_with("ing")
                        && ws.get(i + 1).is_some_and(|n| given_names::is_given_name(n.text))
                        && !given_names::is_given_name(t))
            };
            // (Not a date or a month after a preposition: "on May 5", "in May".)
            let word_surname = |i: usize| {
                word_surnames.contains(&ws[i].text)
                    && !ws.get(i + 1).is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()))
                    && !(i > 0 && lexicon::PREPOSITIONS.contains(Lower::new(ws[i - 1].text).as_str()))
            };
            while first < span.end_word
                && (is_not_name(ws[first].text) || describing(first))
                && !given_will(first)
                && !place_opens(first)
                && !word_surname(first)
            {
                first += 1;
                initial = false;
            }
            // "Said Comey, ...": an inverted attribution opening the sentence.
            if initial && first + 1 < span.end_word && matches!(ws[first].text, "Said" | "Says" | "Added" | "Adds" | "Wrote" | "Writes") {
                first += 1;
                initial = false;
            }
            // "Republicans Jolly", "Senators Rubio and Cruz": the plural label before the
            // names is no part of them.
            if first + 1 < span.end_word && is_plural_label(ws[first].text) && ws[first + 1].is_capitalised() && !has_word(ws[first + 1].text, ORG_WORDS) {
                first += 1;
                initial = false;
            }
            // Trailing connectors never end a name, nor does a date after it ("in Baku
            // April 5", "Vale Tuesday").
            let mut last = span.end_word;
            // Nor does a party adjective before the noun it qualifies ("the Nevada Democratic
            // chairwoman": the name is "Nevada").
            let party_adjective = |i: usize| {
                crate::core::lang::names::is_party_word(ws[i].text)
                    && ws.get(i + 1).is_some_and(|n| n.text.starts_with(char::is_lowercase) && gap_is_space(sentence, ws[i].end, n.start))
            };
            while last > first && (CONNECTORS.contains(ws[last - 1].text) || date_after_name(sentence, &ws, last - 1) || party_adjective(last - 1)) {
                last -= 1;
            }
            // Letters after a name ("Fiona Adebayo KC") are not part of it; "a Green MP" is
            // a title, left to the title split below.
            let full_last = last;
            while last > first + 2 && gazetteer::is_post_nominal(ws[last - 1].text) {
                last -= 1;
            }
            let post_nominal = last < full_last;
            if first >= last {
                continue;
            }
            let span_words = &ws[first..last];
            // Split a leading title ("Iranian Oil Minister") from the name.
            let is_title = |w: &Word| gazetteer::is_title_word(&Lower::new(strip_possessive(w.text).trim_end_matches('.')));
            // A title word that ends the name after a given name, an initial or "Mr." is a
            // family name ("Peter T. King", "Steve King", "Mr. King"), not a title.
            // So is one before "of" ("Peter King of New York").
            let surname_title_at = |t: usize| {
                is_title(&span_words[t]) && span_words.get(t + 1).is_none_or(|n| n.text == "of") && {
                    let before = if t >= 1 { Some(&span_words[t - 1]) } else { first.checked_sub(1).map(|i| &ws[i]) };
                    before.is_some_and(|b| {
                        let bare = b.text.trim_end_matches('.');
                        let initial = bare.chars().count() == 1 && bare.starts_with(char::is_uppercase);
                        initial || matches!(Lower::new(bare).as_str(), "mr" | "mrs" | "ms" | "miss") || given_names::is_given_name(bare)
                    })
                }
            };
            let surname_title = (0..span_words.len()).rev().find(|&t| surname_title_at(t));
            let searched = match surname_title {
                Some(t) => &span_words[..t],
                None => span_words,
            };
            // "Justice Department", "Department of Justice": a title word in an
            // organisation's name is a field, not a title.
            // ("King Solomon Missionary Baptist Church": so is a title before a name that
            // ends in an institution's head.)
            let in_org_name = |t: usize| {
                span_words.get(t + 1).is_some_and(|n| has_word(n.text, ORG_WORDS))
                    || (span_words.last().is_some_and(|l| gazetteer::is_institution_head(l.text)) && !span_words[t..].iter().any(|w| w.text == "of"))
                    || (t >= 2 && span_words[t - 1].text == "of" && has_word(span_words[t - 2].text, ORG_WORDS))
            };
            // ("Republican Donald Trump", "House Republican Thomas Massie": a party word before
            // a given name describes the person, like a title.)
            let party_before_given = |t: usize| {
                crate::core::lang::names::is_party_word(searched[t].text)
                    && searched.get(t + 1).is_some_and(|n| {
                        given_names::is_given_name(n.text)
                            || (t + 2 == span_words.len()
                                && matches!(searched[t].text, "Republican" | "Democrat")
                                && !has_word(n.text, ORG_WORDS)
                                && !has_word(n.text, PLACE_WORDS))
                    })
            };
            let title_end = (0..searched.len()).rposition(|t| (is_title(&searched[t]) && !in_org_name(t)) || party_before_given(t));
            let (role, name_words): (Option<String>, &[Word]) = match title_end {
                Some(t) if t + 1 < span_words.len() => {
                    let rest = &span_words[t + 1..];
                    // "President of Iran": the rest continues the role; a name may follow it.
                    let rest = if rest.first().is_some_and(|w| CONNECTORS.contains(w.text)) {
                        if rest.len() >= 4 { &rest[rest.len() - 2..] } else { continue }
                    } else {
                        rest
                    };
                    let role_start = span_words[0].start;
                    let role_end = span_words[span_words.len() - rest.len() - 1].end;
                    (Some(sentence[role_start..role_end].to_string()), rest)
                }
                Some(_) => {
                    // Title alone ("the President"): no name here.
                    continue;
                }
                None => (None, span_words),
            };
            // Lowercase role nouns right before the name: "spokesperson Esmail Baghaei".
            let title_split = role.is_some();
            let mut role = role;
            let mut phrase_start = span_words[0].start;
            let mut descriptor = None;
            let mut lowercase_role = false;
            if role.is_none() && first > 0 {
                let prev = &ws[first - 1];
                let prev_lower = Lower::new(prev.text);
                if !prev.is_capitalised() && gazetteer::is_title_word(&prev_lower) && gap_is_space(sentence, prev.end, ws[first].start) {
                    // Include the capitalised words before it: "Foreign Ministry spokesperson".
                    let mut k = first - 1;
                    while k > 0 && ws[k - 1].is_capitalised() && gap_is_space(sentence, ws[k - 1].end, ws[k].start) && !is_not_name(ws[k - 1].text) {
                        k -= 1;
                    }
                    role = Some(sentence[ws[k].start..prev.end].to_string());
                    phrase_start = ws[k].start;
                    lowercase_role = true;
                } else if ORG_NOUNS.contains(prev_lower.as_str()) {
                    // "the consumer group FlyRight", "the state news agency, Kavir".
                    descriptor = Some(prev_lower.to_string());
                }
            }
            // "The finance minister, Tomasz Wierzbicki, ...": a role in apposition before. A
            // possessor is never in apposition ("X, an analyst at Y, Norveld's brands").
            // With a title ("a forensic engineer, Dr Kamal Iqbal") the apposition is a second role.
            let mut role_in_apposition = None;
            if strip_possessive(ws[last - 1].text) == ws[last - 1].text {
                if role.is_none() {
                    role = role_before(sentence, ws[first].start);
                } else if title_split {
                    role_in_apposition = role_before(sentence, span_words[0].start);
                }
            }
            if descriptor.is_none() {
                descriptor = org_noun_before(sentence, ws[first].start);
            }
            // "Iran Javanshir Akhundov" (after "Ambassador ... to"): a place before a name.
            let name_words = if name_words.len() >= 3
                && (gazetteer::is_known_place(name_words[0].text) || gazetteer::is_demonym(name_words[0].text))
                && !name_words.iter().any(|w| has_word(strip_possessive(w.text), ORG_WORDS))
            {
                &name_words[1..]
            } else {
                name_words
            };
            // "Democrat Elijah Vance", "Republican Ann Lee Cole": a party word before a
            // personal name describes the person, like a title.
            let name_words = if name_words.len() >= 3
                && crate::core::lang::names::is_party_word(strip_possessive(name_words[0].text))
                && name_words[1].is_capitalised()
                && !CONNECTORS.contains(name_words[1].text)
                && !name_words.iter().any(|w| has_word(strip_possessive(w.text), ORG_WORDS))
            {
                &name_words[1..]
            } else if name_words.len() >= 3 && name_words[1].text == "of" && crate::core::lang::names::is_party_word(name_words[0].text) {
                // "a Republican of New York": a party word and the place its member is from.
                &name_words[2..]
            } else {
                name_words
            };
            // "Residents of Kelbrook Mill say": a plural noun opening the sentence is not part
            // of the name after "of".
            let name_words = if initial
                && first == span.start_word
                && name_words.len() >= 3
                && name_words[1].text == "of"
                && name_words[0].text.ends_with('s')
                && !has_word(name_words[0].text, ORG_WORDS)
                && !has_word(name_words[0].text, PLACE_WORDS)
                && !gazetteer::is_known_place(name_words[0].text)
            {
                &name_words[2..]
            } else {
                name_words
            };
            // "Sofie Claes of Brabant Capital": a person, then where they work.
            let (name_words, tail) = split_name_of_org(name_words);
            for (part, is_tail) in [(Some(name_words), false), (tail, true)] {
                let Some(name_words) = part else { continue };
                let Some(first_name_word) = name_words.first() else { continue };
                let last_name_word = name_words.last().expect("non-empty");
                let start = first_name_word.start;
                let end = last_name_word.end;
                let raw = &sentence[start..end];
                let name = strip_possessive(raw);
                if name.chars().count() < 2
                    || (gazetteer::is_demonym(name) && !surname_demonyms.contains(&name))
                    || gazetteer::is_region_adjective(name)
                    || name.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                if let Some((given, family)) = name.split_once(' ')
                    && !family.contains(' ')
                    && given_names::given_name_gender(given).is_some()
                    && gazetteer::is_demonym(family)
                {
                    surname_demonyms.push(family);
                }
                // Hyphenated pairs of countries ("Iran-Azerbaijan") are adjectives, not names.
                if name.contains('-') && name.split('-').all(|p| gazetteer::is_known_place(p) || gazetteer::is_demonym(p)) {
                    continue;
                }
                let after = &sentence[end..];
                let name_index = ws.iter().position(|w| w.start == start).unwrap_or(first);
                let prev_word = ws[..name_index].last().map(|w| Lower::new(w.text));
                // "in Baku" (not "Outside, Rebecca Long": the comma ends the adverb).
                let prev_gap_plain = name_index > 0 && gap_is_space(sentence, ws[name_index - 1].end, start);
                let locative_before = prev_gap_plain
                    && prev_word.as_deref().is_some_and(|p: &str| {
                        matches!(
                            p,
                            "in" | "at"
                                | "to"
                                | "from"
                                | "near"
                                | "across"
                                | "via"
                                | "into"
                                | "through"
                                | "towards"
                                | "toward"
                                | "around"
                                | "outside"
                                | "inside"
                        )
                    });
                // "Residents of X in North Yorkshire say": a name after a preposition is not
                // the verb's subject.
                let after_preposition =
                    locative_before || (prev_gap_plain && prev_word.as_deref().is_some_and(|p| matches!(p, "of" | "for" | "with" | "by" | "on")));
                let speech_after = !after_preposition && speech_verb_follows(after);
                let appositive_role = if is_tail { None } else { appositive(after).or_else(|| role_in_apposition.clone()) };
                let initial = initial && first == span.start_word && !is_tail;
                let key = name_key(name);
                if !initial && !midsentence_keys.contains(&key) {
                    midsentence_keys.insert(key.clone());
                }
                let camel = name.chars().skip(1).any(char::is_uppercase) && name.chars().any(char::is_lowercase) && !name.contains(' ');
                let acronym = name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && name.chars().all(|c| c.is_ascii_uppercase() || c == '&');
                let relative_after = ["who", "which", "whose"].iter().any(|r| after.strip_prefix(", ").is_some_and(|a| a.starts_with(r)));
                let descriptor = if is_tail { None } else { descriptor.clone().or_else(|| appositive_org_noun(after)).or_else(|| org_noun_after(after)) };
                candidates.push(Candidate {
                    start: range.start + start,
                    end: range.start + start + name.len(),
                    // The phrase includes a title written before the name, nothing else.
                    phrase_start: range.start + if !is_tail && (title_split || lowercase_role) { phrase_start.min(start) } else { start },
                    sentence: si,
                    name,
                    role: if is_tail { None } else { role.clone() },
                    initial,
                    speech_after,
                    locative_before,
                    appositive_role,
                    name_like: camel || acronym || relative_after,
                    descriptor,
                    // "Nadia Shah KC": letters after a name belong to people.
                    aged: age_follows(after) || (post_nominal && !is_tail),
                    key,
                    titled: !is_tail && first == span.start_word + 1 && titled_run(sentence, &ws, span.start_word),
                });
            }
        }
    }

    // Decide each name's kind from all its occurrences in the document.
    #[derive(Default)]
    struct Votes {
        person: i32,
        org: i32,
        place: i32,
        thing: i32,
    }
    let mut votes: FastMap<String, Votes> = FastMap::default();
    for c in &candidates {
        if !votes.contains_key(&c.key) {
            votes.insert(c.key.clone(), Votes::default());
        }
        let v = votes.get_mut(&c.key).expect("inserted");
        let words_n = c.name.split(' ').count();
        // "Brenner & Co", "Marks & Spencer": an ampersand joins the names of a firm.
        if has_word(c.name, ORG_WORDS) || c.name.contains(" & ") {
            v.org += 4;
        }
        // ("Bill Clinton": a given name that is also a thing word opens a person's name; the
        // thing words name a thing after other words: "the Finance Bill".)
        let thing_words = match c.name.split_once(' ') {
            Some((first, rest)) if given_names::is_given_name(first) => rest,
            _ => c.name,
        };
        if has_word(thing_words, THING_WORDS) {
            v.thing += 4;
        }
        let last = last_word(c.name);
        // "Log Cabin Republicans", "Young Democrats": a party's members name a group.
        if words_n >= 2 && crate::core::lang::names::is_party_plural(last) {
            v.org += 4;
        }
        if PLACE_WORDS.iter().any(|p| last.eq_ignore_ascii_case(p)) || (words_n >= 2 && PLACE_PREFIXES.contains(&first_word(c.name))) {
            v.place += 4;
        }
        if gazetteer::is_known_place(c.name) {
            // A place of two words or more ("New Jersey") is no one's name, even after a
            // description ("a teacher from Port Elm, New Jersey, said").
            v.place += if words_n >= 2 { 12 } else { 6 };
        }
        let acronym = c.name.len() <= 6 && c.name.chars().all(|ch| ch.is_ascii_uppercase());
        if acronym && !gazetteer::is_known_place(c.name) {
            v.org += 3;
        }
        if c.descriptor.is_some() {
            v.org += 3;
        }
        if c.titled {
            v.org += 2;
        }
        if c.role.is_some() && !acronym {
            v.person += 4;
        }
        if c.appositive_role.is_some() || c.aged {
            v.person += 3;
        }
        if c.speech_after && !acronym {
            v.person += 2;
        }
        if c.locative_before {
            v.place += 1;
        }
        // "Patriarchate of Jerusalem", "Archdiocese of Boston": one word before "of" that is
        // no given name names an institution, not a person.
        if words_n >= 3 && c.name.split(' ').nth(1) == Some("of") && !given_names::is_given_name(first_word(c.name)) {
            v.org += 3;
        }
        if (2..=4).contains(&words_n) && c.name.split(' ').all(|w| w.chars().next().is_some_and(char::is_uppercase) && !w.chars().all(|ch| ch.is_uppercase())) {
            v.person += 1;
        }
    }
    // A surname that behaves like a person ("Allen, 21, said") makes the full name one
    // ("a late header from Marcus Allen").
    let person_surnames: FastSet<String> = candidates
        .iter()
        .filter(|c| !c.name.contains(' ') && (c.speech_after || c.aged || c.role.is_some() || c.appositive_role.is_some()))
        .map(|c| c.key.clone())
        .collect();
    if !person_surnames.is_empty() {
        for c in candidates.iter().filter(|c| c.name.contains(' ')) {
            if person_surnames.contains(&name_key(last_word(c.name))) {
                votes.entry(c.key.clone()).or_default().person += 3;
            }
        }
    }
    let kind_of = |key: &str| -> EntityKind {
        let Some(v) = votes.get(key) else { return EntityKind::Other };
        let best = v.person.max(v.org).max(v.place).max(v.thing);
        if best <= 0 {
            EntityKind::Other
        } else if v.org == best {
            EntityKind::Organization
        } else if v.place == best {
            EntityKind::Place
        } else if v.thing == best {
            EntityKind::Other
        } else {
            EntityKind::Person
        }
    };

    // Group people: multi-word names by surname, then first names that are variants.
    let mut persons: Vec<DocPerson> = Vec::new();
    let mut person_of_key: FastMap<String, usize> = FastMap::default();
    // Name keys of `persons`, kept alongside.
    let mut person_name_keys: Vec<String> = Vec::new();
    let mut full_names: Vec<&Candidate> = candidates.iter().filter(|c| c.name.contains(' ') && kind_of(&c.key) == EntityKind::Person).collect();
    full_names.sort_by_key(|c| std::cmp::Reverse(c.name.split(' ').count()));
    for c in full_names {
        let key = c.key.as_str();
        if person_of_key.contains_key(key) {
            continue;
        }
        let found = person_name_keys.iter().position(|k| same_person_keys(k, &c.key));
        let idx = match found {
            Some(i) => i,
            None => {
                persons.push(DocPerson { name: c.name.to_string(), variants: Vec::new(), roles: Vec::new(), gender: None, mentions: 0 });
                person_name_keys.push(c.key.clone());
                persons.len() - 1
            }
        };
        // A transcript's "DANIEL KERR" is not the canonical spelling of "Daniel Kerr".
        if is_all_caps(&persons[idx].name) && !is_all_caps(c.name) && persons[idx].name.split(' ').count() <= c.name.split(' ').count() {
            persons[idx].name = c.name.to_string();
            person_name_keys[idx] = c.key.clone();
        }
        if !persons[idx].variants.iter().any(|v| v == c.name) {
            persons[idx].variants.push(c.name.to_string());
        }
        person_of_key.insert(key.to_string(), idx);
    }
    // Surnames alone, first names alone, and single names that behave like people. A
    // surname several people share ("Ferrante" for a family) is decided per mention.
    let mut shared_surnames: FastSet<String> = FastSet::default();
    // (surname key, first-name key) per person, computed once.
    let mut person_keys: Vec<(String, String)> = persons.iter().map(|p| (name_key(last_word(&p.name)), name_key(first_word(&p.name)))).collect();
    for c in &candidates {
        let key = c.key.as_str();
        if person_of_key.contains_key(key) || shared_surnames.contains(key) || c.name.contains(' ') {
            continue;
        }
        let (by_surname, several) = first_and_more((0..persons.len()).filter(|&p| person_keys[p].0 == key));
        if several {
            shared_surnames.insert(key.to_string());
            continue;
        }
        if let Some(p) = by_surname {
            person_of_key.insert(key.to_string(), p);
            continue;
        }
        // "Rosa" where the article has one Rosa Ferrante: the first name stands for her.
        let (by_first, several) = first_and_more((0..persons.len()).filter(|&p| persons[p].name.contains(' ') && person_keys[p].1 == key));
        if let Some(p) = by_first.filter(|_| !several && !gazetteer::is_known_place(c.name) && !gazetteer::is_demonym(c.name)) {
            person_of_key.insert(key.to_string(), p);
        } else if kind_of(key) == EntityKind::Person
            && (midsentence_keys.contains(key) || c.role.is_some() || c.speech_after)
            && !gazetteer::is_group_noun(&Lower::new(c.name))
        {
            persons.push(DocPerson { name: c.name.to_string(), variants: vec![c.name.to_string()], roles: Vec::new(), gender: None, mentions: 0 });
            person_keys.push((key.to_string(), key.to_string()));
            person_of_key.insert(key.to_string(), persons.len() - 1);
        }
    }
    let mut mentions = Vec::with_capacity(candidates.len());
    // Per surname, the person it last named and in which sentence.
    let mut latest_by_surname: FastMap<String, (usize, usize)> = FastMap::default();
    let mut recent_subject_by_surname: FastMap<String, (usize, usize)> = FastMap::default();
    let mut descriptors: Vec<(Option<String>, bool)> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let key = c.key.as_str();
        // A single capitalised word at a sentence start is only a name if it is one elsewhere.
        if c.initial
            && !c.name.contains(' ')
            && !midsentence_keys.contains(key)
            && !gazetteer::is_known_place(c.name)
            && !person_of_key.contains_key(key)
            && !shared_surnames.contains(key)
            && !c.speech_after
            && !c.name_like
        {
            continue;
        }
        let person = person_of_key.get(key).copied().or_else(|| {
            // A shared surname: the family member an honorific fits ("Mrs. Clinton" is not
            // Bill Clinton); the one named as a subject in the last two sentences ("Bill
            // Clinton spoke to voters. ... Clinton said"); else the one the story has named
            // most so far, not a relative named once in passing; else the one named last.
            shared_surnames.contains(key).then(|| {
                let honorific = match body[c.phrase_start.min(c.start)..c.start].trim().trim_end_matches('.') {
                    "Mr" => Some(Gender::Male),
                    "Mrs" | "Ms" | "Miss" => Some(Gender::Female),
                    _ => None,
                };
                let fits = |p: usize| honorific.is_none_or(|g| family_gender(&persons[p]).is_none_or(|h| h == g));
                let family = || (0..persons.len()).filter(|&p| person_keys[p].0 == key);
                let latest = latest_by_surname.get(key).copied();
                recent_subject_by_surname
                    .get(key)
                    .copied()
                    .filter(|&(p, at)| fits(p) && c.sentence <= at + 2)
                    .map(|(p, _)| p)
                    .or_else(|| family().filter(|&p| fits(p)).max_by_key(|&p| (persons[p].mentions, std::cmp::Reverse(p))))
                    .or_else(|| latest.map(|(p, _)| p))
                    .unwrap_or_else(|| family().next().expect("shared surname has people"))
            })
        });
        let kind = if person.is_some() { EntityKind::Person } else { kind_of(key) };
        if let Some(p) = person {
            let note = |map: &mut FastMap<String, (usize, usize)>| match map.get_mut(&person_keys[p].0) {
                Some(latest) => *latest = (p, c.sentence),
                None => {
                    map.insert(person_keys[p].0.clone(), (p, c.sentence));
                }
            };
            note(&mut latest_by_surname);
            // (Named as the subject: opening its sentence or before a speech verb, not "a
            // photo of Heidi Cruz".)
            if c.initial || c.speech_after {
                note(&mut recent_subject_by_surname);
            }
            let dp = &mut persons[p];
            dp.mentions += 1;
            for role in c.role.iter().chain(c.appositive_role.iter()) {
                if !dp.roles.contains(role) {
                    dp.roles.push(role.clone());
                }
            }
        }
        descriptors.push((c.descriptor, c.name_like || c.speech_after));
        mentions.push(NameMention {
            start: c.start,
            end: c.end,
            sentence: c.sentence,
            name: c.name.to_string(),
            kind,
            person,
            role: c.role,
            phrase_start: c.phrase_start,
            org: None,
        });
    }
    infer_genders(body, sentences, &mentions, &mut persons, &quoted);
    let orgs = build_orgs(&mut mentions, &descriptors);
    DocEntities { mentions, persons, orgs }
}

/// A family member's gender as far as the name stage knows it: a common given name, or a
/// role that says ("his wife, Ghazala Khan").
fn family_gender(p: &DocPerson) -> Option<Gender> {
    given_names::given_name_gender(first_word(&p.name)).or_else(|| {
        p.roles.iter().flat_map(|r| r.split(' ')).find_map(|w| {
            let w = w.to_lowercase();
            if gazetteer::MALE_WORDS.contains(&w.as_str()) {
                Some(Gender::Male)
            } else if gazetteer::FEMALE_WORDS.contains(&w.as_str()) {
                Some(Gender::Female)
            } else {
                None
            }
        })
    })
}

/// The first item and whether there are more, without collecting.
pub(super) fn first_and_more(mut items: impl Iterator<Item = usize>) -> (Option<usize>, bool) {
    let first = items.next();
    let more = first.is_some() && items.next().is_some();
    (first, more)
}
