use super::*;

pub(super) fn find<'a>(qs: &'a [Quote], needle: &str) -> &'a Quote {
    qs.iter().find(|q| q.text.contains(needle)).unwrap_or_else(|| panic!("no quote containing {needle:?} in {qs:#?}"))
}

pub(super) fn speaker_of(qs: &[Quote], needle: &str) -> Option<String> {
    find(qs, needle).speaker.clone()
}

#[test]
fn a_name_running_past_its_apposition_segment() {
    // Found by the fuzzer: the mention's end was checked only after slicing up to it.
    for body in ["\n'D Ks' Union,said", "\n'D Ks' Union,said the offer was late.", "The talks went on.\n'D Ks' Union, said the pay offer was late."] {
        for q in extract(body) {
            let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
            assert_eq!(text, q.text, "{body}");
        }
    }
}

#[test]
fn a_passive_report_whose_auxiliary_stands_before_the_clause() {
    // Found by the fuzzer (1.4 million executions in): "was told" at the end of a
    // sentence looks for its subject before the auxiliary, which here stood before the
    // colon that starts the clause; the noun phrase was sliced backwards.
    for body in ["\nbe:told", "The offer would be:told", "Dock workers were:told.", "The crews had been: told, the union said."] {
        for q in extract(body) {
            let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
            assert_eq!(text, q.text, "{body}");
        }
    }
}

#[test]
fn a_list_between_dashes_after_an_acronym_is_no_dateline() {
    // Issue 13: an all-caps first word before a dash was read as a dateline ending after
    // the speech cue, and the clause before the cue was sliced backwards.
    for dash in ["—", "-", "–"] {
        let body = format!("ESA said the firms {dash} Arianespace, Avio {dash} had been picked, officials said, and the launch would follow.");
        for q in extract(&body) {
            let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
            assert_eq!(text, q.text, "{body}");
        }
    }
    let body = "NORTHVALE, Oregon (Wirelink) — The mayor said on Monday that the dam would be inspected.";
    let qs = extract(body);
    let q = find(&qs, "dam would be inspected");
    assert!(!q.text.contains("NORTHVALE"), "a real dateline is still left out: {q:?}");
}

#[test]
fn apostrophe_pairs_titles_with_periods_and_party_tags() {
    let text = "Harbour talks stall\n\nMarta Quill chairs the port board. ''We will not sign a deal that costs jobs,'' Ms. Quill said on Friday.\n\n\
                ''The board has been patient,'' said Sen. Odell Brant (D-Mich.), who sits on the panel.";
    let qs = extract(text);
    let q = find(&qs, "costs jobs");
    // The quote keeps both apostrophes of each mark, verbatim.
    assert!(q.text.starts_with("''We") && q.text.ends_with(",''"), "{q:?}");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.speaker.as_deref(), Some("Marta Quill"));
    assert_eq!(speaker_of(&qs, "patient"), Some("Odell Brant".into()));
    assert!(qs.iter().all(|q| q.speaker.as_deref().is_none_or(|s| !s.contains("D-Mich"))), "{qs:#?}");
}

#[test]
fn parenthetical_attribution_after_an_opener_and_thinking_is_not_speech() {
    let text = "Port vote\n\nIn the end, Ms. Quill said, the board would vote again in May. \
                Marta Quill believes the crane will arrive late. Still, she said, the workers were ready.";
    let qs = extract(text);
    assert_eq!(speaker_of(&qs, "vote again"), Some("Marta Quill".into()));
    assert_eq!(speaker_of(&qs, "workers were ready"), Some("Marta Quill".into()));
    assert!(!qs.iter().any(|q| q.text.contains("crane will arrive")), "{qs:#?}");
}

#[test]
fn apposition_relative_clause_and_age_between_subject_and_verb() {
    let body = "Tamsin Greer, an economist at Northfield Capital, said inflation would fall next year. \
                Omar Sayed, 52, whose bakery on Quarry Road closed in May, said he had lost everything. \
                \"We are not finished,\" said Lena Brandt, a director at the Harbour Trust.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "inflation would fall").as_deref(), Some("Tamsin Greer"));
    assert_eq!(speaker_of(&qs, "he had lost everything").as_deref(), Some("Omar Sayed"));
    assert_eq!(speaker_of(&qs, "We are not finished").as_deref(), Some("Lena Brandt"));
}

#[test]
fn titles_never_stay_in_speaker_names() {
    let body = "Co-founder Sam Ortiz said the app had two million users. Economist Jane Roe said rates would rise. \
                The barrister, Martin Hale QC, told the court that the evidence was thin. Sir Alan Webb said he would retire.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "two million users").as_deref(), Some("Sam Ortiz"));
    assert_eq!(speaker_of(&qs, "rates would rise").as_deref(), Some("Jane Roe"));
    assert_eq!(speaker_of(&qs, "the evidence was thin").as_deref(), Some("Martin Hale"));
    assert_eq!(speaker_of(&qs, "he would retire").as_deref(), Some("Alan Webb"));
}

#[test]
fn person_of_organisation_is_the_person() {
    let body = "Another trader, Nils Ekberg of Sundvik Partners, called the sell-off \"an overreaction to one bad number\".";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "an overreaction").as_deref(), Some("Nils Ekberg"));
}

#[test]
fn first_names_in_a_family_with_one_surname() {
    let body = "Paolo Russo founded the vineyard in 1970. His daughter, Elena Russo, now runs it. \
                \"The soil decides everything,\" Paolo said. Elena said the harvest had been early. \
                \"Dad still walks the rows every morning,\" she said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "The soil decides").as_deref(), Some("Paolo Russo"));
    assert_eq!(speaker_of(&qs, "the harvest had been early").as_deref(), Some("Elena Russo"));
    assert_eq!(speaker_of(&qs, "Dad still walks").as_deref(), Some("Elena Russo"));
}

#[test]
fn organisations_by_their_fullest_name() {
    let body = "The National Farmers' Union said the subsidy cut would hurt small farms. \
                The Office of Rail Regulation fined the operator. According to the ORR, trains were late on a third of days. \
                Brightwave Energy raised its prices on Monday. \"We had no choice,\" a Brightwave spokeswoman said. \
                The company said in a statement that bills would rise by 8 percent. \
                A spokesperson for the union said farmers would protest in March.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "subsidy cut").as_deref(), Some("National Farmers' Union"));
    assert_eq!(speaker_of(&qs, "trains were late").as_deref(), Some("Office of Rail Regulation"));
    assert_eq!(speaker_of(&qs, "We had no choice").as_deref(), Some("Brightwave Energy"));
    assert_eq!(speaker_of(&qs, "bills would rise").as_deref(), Some("Brightwave Energy"));
    assert_eq!(speaker_of(&qs, "farmers would protest").as_deref(), Some("National Farmers' Union"));
}

#[test]
fn the_company_is_the_one_the_story_is_about() {
    let body = "Corvane Motors cut 2,000 jobs on Tuesday. \"The market has changed,\" said Ida Holm, an analyst at Fenwick Securities. \
                The firm said it would close two plants in Ohio.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "close two plants").as_deref(), Some("Corvane Motors"));
}

#[test]
fn places_and_unnamed_groups_are_not_speakers() {
    let body = "Parents of pupils at Hillside School in East Lothian say they were never consulted. \
                The headteacher said in Edinburgh that the decision was final. \
                \"Nobody asked us,\" one mother said. \"Not once.\"";
    let qs = extract(body);
    let q = find(&qs, "never consulted");
    assert_eq!(q.speaker, None);
    assert_eq!(find(&qs, "Nobody asked us").speaker, None);
    assert_eq!(find(&qs, "Not once").speaker, None);
}

#[test]
fn pronouns_follow_the_narration() {
    let body = "The coach, Marta Klein, said she was proud of the team. \"They never gave up,\" Klein said. \
                The goalkeeper laughed at the praise. Nadia Okafor, 19, has kept six clean sheets. \
                The teenager said the coach was too kind. \"She says that to everyone,\" she said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "She says that to everyone").as_deref(), Some("Nadia Okafor"));
}

#[test]
fn a_named_subject_since_the_last_quote_takes_the_pronoun() {
    let body = "Ruth Amari said the bridge would open in June. Her sister, Dina Amari, disagrees, and Ruth knows it. \
                Dina said the council had missed every deadline. \"I will believe it when I drive across it,\" she said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "I will believe it").as_deref(), Some("Dina Amari"));
}

#[test]
fn passive_told_has_no_speaker() {
    let body = "WITNESS: I phoned the office twice. I was told, \"Someone will call you back.\" Nobody did.";
    let qs = extract(body);
    let q = find(&qs, "Someone will call");
    assert_eq!(q.speaker, None);
    assert_eq!(q.kind, QuoteKind::Direct);
}

#[test]
fn reported_speech_patterns() {
    let body = "Karl Weiss told the BBC that the plant would stay open. \
                The regional health board said on Friday that waiting lists had grown. \
                Ticket sales have fallen by a third, organisers said on Sunday, as the festival prepared to open. \
                Mayor Ana Silva left the meeting early and told waiting journalists that the budget would pass. \
                Inspector Luke Grey said officers would review the footage. \
                The union welcomed the offer but said members would vote on it next week.";
    let qs = extract(body);
    assert_eq!(find(&qs, "plant would stay open").speaker.as_deref(), Some("Karl Weiss"));
    assert_eq!(find(&qs, "waiting lists had grown").kind, QuoteKind::Indirect);
    let q = find(&qs, "Ticket sales have fallen");
    assert_eq!((q.speaker.as_deref(), q.text.as_str()), (None, "Ticket sales have fallen by a third"));
    assert_eq!(speaker_of(&qs, "the budget would pass").as_deref(), Some("Ana Silva"));
    assert_eq!(speaker_of(&qs, "officers would review").as_deref(), Some("Luke Grey"));
    assert!(qs.iter().any(|q| q.text == "members would vote on it next week"), "{qs:#?}");
}

#[test]
fn mixed_quote_in_a_reported_clause() {
    let body = "Priti Anand said the ruling was \"a victory for common sense\" and that she would not appeal.";
    let qs = extract(body);
    assert_eq!(qs.len(), 1, "{qs:#?}");
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert_eq!(qs[0].speaker.as_deref(), Some("Priti Anand"));
    assert!(qs[0].text.starts_with("the ruling was") && qs[0].text.ends_with("would not appeal"), "{:?}", qs[0].text);
}

#[test]
fn short_sentence_continues_the_quote_before() {
    let body = "Leo Marsh runs the ferry. \"The sea is calm today,\" he said. \"It rarely is.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "It rarely is").as_deref(), Some("Leo Marsh"));
}

#[test]
fn quoted_names_and_infinitives_are_not_quotes() {
    let body = "The ship, renamed \"Northern Dawn\" last year, docked in Hull. A spokesman declined to say whether the crew had been paid. \
                Shares rose after the group announced their \"reset\" in March, the word was everywhere.";
    let qs = extract(body);
    assert!(qs.is_empty(), "{qs:#?}");
}

#[test]
fn direct_quote_with_name_after() {
    let body = "Pezeshkian believes cooperation has potential. “There are good opportunities for cooperation with Azerbaijan,” Pezeshkian said.";
    let qs = extract(body);
    let q = find(&qs, "good opportunities");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.cue.as_deref(), Some("said"));
    assert_eq!(&body.chars().skip(q.start).take(q.end - q.start).collect::<String>(), &q.text);
}

#[test]
fn a_split_quote_is_two_quotes_by_one_speaker_stopping_at_the_attribution() {
    let body = "Maria Lindqvist spoke to reporters. “We will go,” she said, “but not yet.” Later she left.";
    let qs = extract(body);
    let first = find(&qs, "We will go");
    assert_eq!(first.text, "“We will go,”", "{qs:?}");
    assert_eq!(first.speaker.as_deref(), Some("Maria Lindqvist"));
    let second = find(&qs, "but not yet");
    assert_eq!(second.text, "“but not yet.”", "{qs:?}");
    assert_eq!((second.speaker.as_deref(), second.cue.as_deref()), (Some("Maria Lindqvist"), Some("said")));
    assert_eq!(qs.iter().filter(|q| q.kind == QuoteKind::Direct).count(), 2);
    // A title after the attribution is no second part.
    let qs = extract("Harbour vote\n\n“The unions have a stranglehold on the port,” said Ann Lee, author of “Bitter Pill,” a history of the strike.");
    assert!(qs.iter().all(|q| !q.text.contains("Bitter Pill")), "{qs:?}");
}

#[test]
fn role_noun_and_pronoun_speakers() {
    let body = "Iranian President Masoud Pezeshkian met Azerbaijani President Ilham Aliyev in Baku. The Iranian leader said, before leaving, that “I hope these visits will lead to growth.” “Together, we can build peace,” he stated.";
    let qs = extract(body);
    assert_eq!(find(&qs, "I hope").speaker.as_deref(), Some("Masoud Pezeshkian"));
    assert_eq!(find(&qs, "Together").speaker.as_deref(), Some("Masoud Pezeshkian"));
    assert_eq!(find(&qs, "Together").speaker_mention.as_deref(), Some("he"));
}

#[test]
fn scare_quotes_and_names_are_not_quotes() {
    let body = "The Iranian \"North-South\" transport project matters. Officials worry about \"Pan-Turkism,\" the paper wrote.";
    let qs = extract(body);
    assert!(qs.iter().all(|q| !q.text.trim_matches(|c: char| !c.is_alphanumeric()).eq("North-South")), "{qs:#?}");
}

#[test]
fn phrase_after_described_as() {
    let body = "Mehdi Sanaei is an advisor. Sanaei described the trip as “a new beginning” in bilateral relations.";
    let qs = extract(body);
    let q = find(&qs, "a new beginning");
    assert_eq!(q.speaker.as_deref(), Some("Mehdi Sanaei"));
}

#[test]
fn indirect_speech() {
    let body = "Former ambassador Javanshir Akhundov gave an interview. Akhundov noted that Iran is experiencing a deep economic crisis. He also emphasized that the visit has the potential to lay groundwork.";
    let qs = extract(body);
    let q = find(&qs, "Iran is experiencing");
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(q.speaker.as_deref(), Some("Javanshir Akhundov"));
    assert_eq!(q.text, "Iran is experiencing a deep economic crisis");
    assert_eq!(find(&qs, "the visit has").speaker.as_deref(), Some("Javanshir Akhundov"));
}

#[test]
fn organisations_speak_and_unknown_speakers_stay_unknown() {
    let body = "Iranian state media IRNA noted that “upon his arrival at the airport, the president was greeted by officials.” The president was welcomed at the palace, Iranian media said.";
    let qs = extract(body);
    assert_eq!(find(&qs, "upon his arrival").speaker.as_deref(), Some("IRNA"));
    let q = find(&qs, "welcomed at the palace");
    assert_eq!(q.speaker, None);
    assert_eq!(q.speaker_mention.as_deref(), Some("Iranian media"));
}

#[test]
fn title_and_name_after_the_quote() {
    let body = "Norveld Foods, the Nordic maker of crispbread, beat forecasts. \
                \"We will grow,\" chief executive Mari Holm said. \
                \"The easing cycle will be shallow,\" Nordhavn chief strategist Lars Eiden said. \
                \"Strip out the property sale,\" wrote Brenner analyst Paul Haugen. \
                Analysts at Brenner & Co disagreed.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "We will grow").as_deref(), Some("Mari Holm"));
    assert_eq!(speaker_of(&qs, "easing cycle").as_deref(), Some("Lars Eiden"));
    assert_eq!(speaker_of(&qs, "Strip out").as_deref(), Some("Paul Haugen"));
    let qs = extract(
        "Dock workers walked out on Saturday. \"We asked for a fair night rate,\" union leader Hanna Korhonen said. \"No,\" and then Tove Berg said nothing more.",
    );
    assert_eq!(speaker_of(&qs, "fair night rate").as_deref(), Some("Hanna Korhonen"));
    assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("Tove Berg")), "'and then' is no title: {qs:?}");
    let sents = sentences::split(body);
    let ents = entities::analyse(body, &sents, 0);
    assert!(ents.orgs.iter().all(|o| o.name != "Nordic"), "{:?}", ents.orgs);
    assert!(ents.orgs.iter().any(|o| o.name == "Brenner & Co"), "{:?}", ents.orgs);
}

#[test]
fn sources_that_do_not_speak_and_postposed_reports() {
    let body = "Analysts had expected 388 million euros, according to a consensus compiled by the company. \
                Sales volumes stabilised in March, Mari Holm told analysts on a conference call. \
                Crews have contained half of the fire, the state's fire commissioner said on Friday, but residents must wait. \
                The operator had ignored three radio warnings before the accident, a jury was told on Monday.";
    let qs = extract(body);
    assert!(qs.iter().all(|q| !q.text.contains("388 million")), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "Sales volumes stabilised").as_deref(), Some("Mari Holm"));
    assert_eq!(find(&qs, "Crews have contained").text, "Crews have contained half of the fire");
    let q = find(&qs, "ignored three radio warnings");
    assert_eq!((q.speaker.as_deref(), q.kind), (None, QuoteKind::Indirect));
}

#[test]
fn coordinated_report_after_a_report_inside_the_clause() {
    let body = "Sunniva Ramberg said she hoped the results would encourage councils, but stressed that later starts were \"not a magic cure\" for poor sleep.";
    let qs = extract(body);
    assert_eq!(find(&qs, "not a magic cure").text, "later starts were \"not a magic cure\" for poor sleep");
    assert_eq!(find(&qs, "she hoped").text, "she hoped the results would encourage councils");
}

#[test]
fn post_nominals_demonym_roles_and_roles_beside_titles() {
    let body = "Opening the case, Philippa Dane KC told the jury that Oakes had been in a hurry. \
                Castlebrook coach Rui Tavares was furious. The Portuguese coach complained that the ball had gone out. \
                The court heard from a forensic engineer, Dr Kamal Iqbal, who examined the crane. \
                Under cross-examination, the engineer accepted that the sensor had recorded faults.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "Oakes had been in a hurry").as_deref(), Some("Philippa Dane"));
    assert_eq!(speaker_of(&qs, "the ball had gone out").as_deref(), Some("Rui Tavares"));
    assert_eq!(speaker_of(&qs, "the sensor had recorded faults").as_deref(), Some("Kamal Iqbal"));
}

#[test]
fn attributions_without_a_speech_verb_cue_or_with_one_word() {
    let body = "The Speaker, Dame Harriet Ross, intervened: ‘Order. The minister is not giving way.’ \
                Ms Thorne refused, prompting cries of ‘Shame!’ from the opposition side. \
                \"Will people be home by the weekend?\" one reporter asked. \
                \"No,\" Dana Whitlock said. \"Not this weekend, and I am sorry for that.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "Order.").as_deref(), Some("Harriet Ross"));
    let shame = find(&qs, "Shame!");
    assert_eq!((shame.speaker.as_deref(), shame.kind), (None, QuoteKind::Direct));
    assert_eq!(find(&qs, "\"No,\"").speaker.as_deref(), Some("Dana Whitlock"));
    assert_eq!(speaker_of(&qs, "Not this weekend").as_deref(), Some("Dana Whitlock"));
}

#[test]
fn parenthetical_attribution_and_first_person_turns() {
    let body = "Rhys Penhale spoke for the defence. A work order raised in April, he said, had been marked \"non-urgent\" and never completed.\n\n\
                WHITLOCK: I'd say I understand the frustration, and there will be a review.";
    let qs = extract(body);
    let q = find(&qs, "A work order");
    assert_eq!((q.speaker.as_deref(), q.kind), (Some("Rhys Penhale"), QuoteKind::Mixed));
    assert!(q.text.ends_with("never completed"), "{q:?}");
    assert!(qs.iter().all(|q| !q.text.contains("understand the frustration")), "{qs:#?}");
}

#[test]
fn organisations_speak_through_staff_and_relative_clauses() {
    let body = "The Bank of Velmark held rates. Economists at Sandvik Markets said in a note that the bank was too slow. \
                The bank, which describes its approach as \"data-dependent, not date-dependent\", will meet again in April. \
                Norveld Foods beat forecasts. Koopmart declined to comment. Shares in Norveld rose. \
                The range had exceeded its target, the company said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "the bank was too slow").as_deref(), Some("Sandvik Markets"));
    assert_eq!(speaker_of(&qs, "data-dependent").as_deref(), Some("Bank of Velmark"));
    assert_eq!(speaker_of(&qs, "exceeded its target").as_deref(), Some("Norveld Foods"));
}

#[test]
fn multi_paragraph_quote() {
    let body = "Dr. Ana Ruiz said: “The first part ends here.\n\n“The second part closes it.” Then nothing.";
    let qs = extract(body);
    let q = find(&qs, "first part");
    assert!(q.text.contains("second part"), "{q:?}");
    assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn a_second_report_after_the_attribution_starts_its_own_quote() {
    let body = "Mayor Ana Ruiz spoke on Monday. “The budget is balanced and the parks stay open,” she said, adding the cuts to libraries “worry me a great deal as a reader.”";
    let qs = extract(body);
    let first = find(&qs, "The budget is balanced");
    assert!(!first.text.contains("she said"), "{first:?}");
    assert_eq!(first.speaker.as_deref(), Some("Ana Ruiz"));
    let second = find(&qs, "worry me");
    assert!(!second.text.contains("she said"), "{second:?}");
    assert_eq!(second.speaker.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn names_after_descriptions_and_reports_before_a_quotation() {
    let body = "The vote was close. “We had a big issue with the trade part of the record,” said United Farm Workers treasurer Gary Castell. \
        “I don't know where he stands on that,” said undecided voter Stella Hooper of Derry. \
        “He is funny and I would go to see him,” New Town attorney Eric Levin said of the candidate. \
        Sam Lau, the party's director, said in a statement. “There are no paper ballots to recount at all.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "trade part"), Some("Gary Castell".into()));
    assert_eq!(speaker_of(&qs, "where he stands"), Some("Stella Hooper".into()));
    assert_eq!(speaker_of(&qs, "He is funny"), Some("Eric Levin".into()));
    assert_eq!(speaker_of(&qs, "paper ballots"), Some("Sam Lau".into()));
}

#[test]
fn a_relative_clause_after_an_inverted_subject_reports_nothing() {
    let body = "“We have a network that campaigns spend years building,” said Joe Brandt, who has taken on the kind of tasks that a campaign normally would.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "We have a network"), Some("Joe Brandt".into()));
    assert!(qs.iter().all(|q| !q.text.contains("a campaign normally would")), "{qs:#?}");
}

#[test]
fn an_apposition_chain_starting_with_a_person_is_that_persons() {
    let body = "Harbour vote\n\nMara Quint, 34, of Port Elm, Ore., said she would vote for the ferry plan. \
                Tomas Reyd, senior director for harbour affairs at the Port Authority, said the ferry was late. \
                Senator Ada Crane, Democrat of Vale, said the count would take a week.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "she would vote").as_deref(), Some("Mara Quint"));
    assert_eq!(speaker_of(&qs, "the ferry was late").as_deref(), Some("Tomas Reyd"));
    assert_eq!(speaker_of(&qs, "count would take").as_deref(), Some("Ada Crane"));
}

#[test]
fn a_description_after_a_party_or_employer_runs_into_the_person() {
    let body = "Harbour vote\n\n\"We will win the count,\" said Republican strategist Ada Crane. \
                \"It was never close,\" said Harbour University political scientist Lena Ortiz.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "We will win").as_deref(), Some("Ada Crane"));
    assert_eq!(speaker_of(&qs, "never close").as_deref(), Some("Lena Ortiz"));
}

/// Session 7, the speaker side: who a quotation belongs to when the text is unsure.
mod speakers {
    use super::*;

    #[test]
    fn a_pronoun_after_an_inverted_attribution_is_the_person_just_quoted() {
        let body = "Harbour vote\n\nLast year, Tomas Reyd, a former harbour master, was fined for a late ferry.\n\n\
                    \"If you run the port, you answer for every boat in it,\" said Mara Quint, a historian of the docks.\n\n\
                    \"It is not an unfair rule for a port to keep,\" she added.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "you answer for every boat").as_deref(), Some("Mara Quint"));
        assert_eq!(speaker_of(&qs, "not an unfair rule").as_deref(), Some("Mara Quint"), "{qs:#?}");
    }

    #[test]
    fn a_name_that_modifies_a_role_is_not_the_speaker() {
        let body = "Harbour vote\n\nMayor Ada Crane opened the count on Monday.\n\n\
                    \"October was good for her,\" said former Crane adviser Lena Ortiz.\n\n\
                    \"We will win the count,\" said Crane campaign spokesman Tomas Reyd.\n\n\
                    \"The ferry comes first,\" said Crane's deputy campaign manager, Mara Quint, who ran the last count.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "October was good").as_deref(), Some("Lena Ortiz"), "{qs:#?}");
        assert_eq!(speaker_of(&qs, "We will win").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
        assert_eq!(speaker_of(&qs, "ferry comes first").as_deref(), Some("Mara Quint"), "{qs:#?}");
    }

    #[test]
    fn a_quotation_that_ends_a_report_belongs_to_its_subject() {
        let body = "Harbour vote\n\nThe count went on all night. Tomas Reyd said it's \"not that the ferry should be free, not that the port should close.\"";
        let qs = extract(body);
        let q = find(&qs, "not that the ferry");
        assert_eq!(q.speaker.as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    }

    #[test]
    fn a_role_whose_modifiers_fit_another_person_is_not_guessed() {
        let body = "Harbour vote\n\nPresident Ada Crane met Council Minority Leader Tomas Reyd on Monday. Crane said the ferry would run.\n\n\
                    \"It shows a lack of care for the port,\" the council minority leader said.";
        let qs = extract(body);
        assert_ne!(speaker_of(&qs, "lack of care").as_deref(), Some("Ada Crane"), "{qs:#?}");
    }

    #[test]
    fn a_pronoun_between_two_persons_as_subjects_stays_unresolved() {
        let body = "Harbour vote\n\nTomas Reyd opened the count. Jon Vale closed the ferry office an hour later.\n\n\"We are not done with this,\" he said.";
        let qs = extract(body);
        let q = find(&qs, "not done with this");
        assert_eq!(q.speaker, None, "{qs:#?}");
        assert_eq!(q.speaker_mention.as_deref(), Some("he"));
    }
}

/// Session 7, spans helper: where a quote's span starts and stops, and which words are one.
mod spans {
    use super::*;

    fn cue_of(qs: &[Quote], needle: &str) -> Option<String> {
        find(qs, needle).cue.clone()
    }

    #[test]
    fn a_quotation_opening_a_clause_with_words_after_it_is_mixed_speech() {
        let body = "Harbour budget\n\nMayor Ana Ruiz said that “the budget holds” for the rest of the year.";
        let qs = extract(body);
        let q = find(&qs, "the budget holds");
        assert!(q.text.contains("for the rest of the year"), "{q:?}");
        assert_eq!(q.kind, QuoteKind::Mixed);
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
        // A clause that is the quotation alone stays direct speech.
        let qs = extract("Harbour budget\n\nMayor Ana Ruiz said that “the budget holds.”");
        assert_eq!(find(&qs, "the budget holds").kind, QuoteKind::Direct);
    }

    #[test]
    fn a_comma_inside_the_closing_mark_ends_a_clause_before_adding() {
        let body = "Harbour budget\n\nMayor Ana Ruiz said the plan was “the best we have,” adding that the parks would stay open all summer.";
        let qs = extract(body);
        let first = find(&qs, "the plan was");
        assert!(!first.text.contains("adding"), "{first:?}");
        let second = find(&qs, "parks would stay open");
        assert!(!second.text.contains("the plan was"), "{second:?}");
        assert_eq!(second.speaker.as_deref(), Some("Ana Ruiz"));
    }

    #[test]
    fn the_issue_example_gives_two_quotes_by_one_speaker() {
        let body = "Harbour budget\n\nMayor Ana Ruiz met the council. \"The budget is balanced and the parks stay open,\" she said, adding the cuts \"worry me\" more than anything.";
        let qs = extract(body);
        let first = find(&qs, "The budget is balanced");
        let second = find(&qs, "worry me");
        assert!(first.start != second.start, "{qs:#?}");
        for q in [first, second] {
            assert!(!q.text.contains("she said"), "{q:?}");
            assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"), "{q:?}");
        }
    }

    #[test]
    fn bare_clauses_after_an_abbreviation_a_contraction_a_plural_or_a_present_tense() {
        let body = "Harbour budget\n\nAna Ruiz said Mr. Vale had misled the council. \
                    Ana Ruiz said she'd run again next year. \
                    Ana Ruiz said residents wanted a new bridge. \
                    Ana Ruiz said the council favors a second ferry.";
        let qs = extract(body);
        for needle in ["Vale had misled", "she'd run again", "residents wanted", "council favors"] {
            let q = find(&qs, needle);
            assert_eq!(q.kind, QuoteKind::Indirect, "{q:?}");
            assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"), "{q:?}");
            assert!(!q.text.contains("said"), "{q:?}");
        }
    }

    #[test]
    fn a_plural_noun_that_reads_like_a_verb_is_no_cue() {
        let body = "Harbour schools\n\nAid flows to the states, and states would then pay the schools within a month. \
                    The agency notes that the money arrived late.";
        let qs = extract(body);
        assert!(qs.iter().all(|q| q.cue.as_deref() != Some("states")), "{qs:#?}");
        assert_eq!(cue_of(&qs, "the money arrived late").as_deref(), Some("notes"));
    }

    #[test]
    fn words_opening_the_sentence_before_a_quotation_attributed_after_it_belong_to_it() {
        let body = "Harbour budget\n\nMayor Ana Ruiz spoke on Monday. The new budget is “balanced and fair,” Ruiz said.";
        let qs = extract(body);
        let q = find(&qs, "balanced and fair");
        assert!(q.text.starts_with("The new budget"), "{q:?}");
        assert_eq!(q.kind, QuoteKind::Mixed);
        assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"));
        // A cue before the quotation introduces it: the quotation alone is the quote.
        let qs = extract("Harbour budget\n\nMayor Ana Ruiz spoke on Monday. She said, “The budget is balanced and fair.”");
        assert!(find(&qs, "balanced and fair").text.starts_with('“'), "{qs:#?}");
    }

    #[test]
    fn speech_acts_with_an_object_report_what_follows_it() {
        let body = "Harbour budget\n\nAna Ruiz urged residents to vote early in the spring. \
                    Ana Ruiz called for a new bridge over the river. \
                    Ana Ruiz called on the council to hold a second vote. \
                    Ana Ruiz accused the board of wasting the ferry money. \
                    Ana Ruiz criticized the board for its long delays. \
                    Ana Ruiz vowed to keep every library open.";
        let qs = extract(body);
        for (needle, start) in [
            ("residents to vote early", "residents"),
            ("a new bridge", "a new bridge"),
            ("council to hold", "the council"),
            ("wasting the ferry money", "the board of"),
            ("its long delays", "the board for"),
            ("keep every library open", "to keep"),
        ] {
            let q = find(&qs, needle);
            assert!(q.text.starts_with(start), "{q:?}");
            assert_eq!(q.kind, QuoteKind::Indirect, "{q:?}");
            assert_eq!(q.speaker.as_deref(), Some("Ana Ruiz"), "{q:?}");
        }
        // Without the particle there is nothing reported.
        let qs = extract("Harbour budget\n\nAna Ruiz urged caution. Ana Ruiz accused nobody. The board vowing silence met again.");
        assert!(qs.is_empty(), "{qs:#?}");
    }
}

/// Session 9: attributions found in PolNeAR's misses (the patterns, in text written here).
mod session9 {
    use super::*;

    #[test]
    fn an_inverted_attribution_after_a_reported_clause() {
        let body = "Harbour vote\n\nFerry fares are a burden that keeps families off the island, said Tomas Reyd, a harbour master who ran the port for a decade.\n\n\
                    The port should stay open at night, said Ada Crane on Monday.";
        let qs = extract(body);
        let q = find(&qs, "Ferry fares are a burden");
        assert_eq!(q.speaker.as_deref(), Some("Tomas Reyd"), "{qs:#?}");
        assert_eq!(q.kind, QuoteKind::Indirect);
        assert!(!q.text.contains("said"), "the clause stops before its attribution: {q:?}");
        assert_eq!(speaker_of(&qs, "stay open at night").as_deref(), Some("Ada Crane"), "{qs:#?}");
        // A name after the verb that opens its own clause is the reported subject, not the speaker.
        let qs = extract("Harbour vote\n\nThe harbour master, a patient man, said Crane had lied about the fares.");
        assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("Crane")), "{qs:#?}");
    }

    #[test]
    fn an_auxiliary_that_ends_a_quotation_makes_no_passive() {
        for tail in ["even though he is,", "whatever the fares were,", "as we always have to,"] {
            let body = format!("Harbour vote\n\n\"I like the ferry, {tail}\" said Tomas Reyd, a harbour master.");
            let qs = extract(&body);
            assert_eq!(speaker_of(&qs, "I like the ferry").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
        }
    }

    #[test]
    fn a_credit_after_a_quotation_names_its_speaker() {
        let body = "What readers told us\n\n“The ferry is the only way my mother gets to the clinic.” ― Ada Crane\n\n\
                    “Nobody asked the island before the fares went up.” — Tomas Reyd, Kelbrook\n\n\
                    “We will keep the night boat running all winter.”\n\n- Mara Quint.\n\nThe council meets on Friday — Mara Quint, Ada Crane and two others — to vote.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "my mother gets to the clinic").as_deref(), Some("Ada Crane"), "{qs:#?}");
        assert_eq!(speaker_of(&qs, "Nobody asked the island").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
        assert_eq!(speaker_of(&qs, "night boat running").as_deref(), Some("Mara Quint"), "{qs:#?}");
        // A dash inside a sentence is no credit.
        let qs = extract("Harbour vote\n\n“The ferry is late again,” the sign read — Ada Crane laughed at it on Friday.");
        assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("Ada Crane")), "{qs:#?}");
    }

    #[test]
    fn a_plural_label_before_names_is_no_part_of_them() {
        let body = "Harbour vote\n\nRepublicans Tomas Reyd and Ada Crane want the ferry sold. Reyd said the port was losing money.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "losing money").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    }

    #[test]
    fn a_pronoun_skips_a_person_of_the_other_gender_known_by_given_name() {
        let body = "Harbour vote\n\nBetsy Lund runs the ferry office. Gordon Vale drove the bus to the port on Monday.\n\n\
                    \"We have not had a quiet week since the fares went up,\" she said.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "quiet week").as_deref(), Some("Betsy Lund"), "{qs:#?}");
    }
}

mod session9_coreference {
    use super::*;

    #[test]
    fn a_retort_is_a_speech_verb() {
        let body = "Harbour vote\n\nAda Crane called the ferry a disgrace on Monday.\n\n“That is simply not true of the night boat,” Tomas Reyd shot back.";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "simply not true").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
        // A shot fired is no retort.
        let qs = extract("Harbour vote\n\nThe guard fired two shots at the ferry, police said.");
        assert!(qs.iter().all(|q| q.cue.as_deref() != Some("fired")), "{qs:#?}");
    }

    #[test]
    fn names_joined_by_and_are_no_antecedent_for_he() {
        let body = "Harbour vote\n\nTomas Reyd noted that both Mayor Jon Vale and Pavel Lund had survived worse votes.\n\n\
                    Of the fares, he said, \"It is a little much for a ferry that leaves late.\"";
        let qs = extract(body);
        assert_eq!(speaker_of(&qs, "a little much").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    }
}
