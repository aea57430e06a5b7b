//! Quote rules found on real news, continued from `tests_news.rs` (session 16 on): each test is
//! a pattern that failed on the PolNeAR articles, rewritten in invented words, seen failing
//! before its rule was written.

use super::tests::{find, speaker_of};
use super::*;

#[test]
fn an_inverted_name_after_a_comma_speaks_over_a_group_before_it() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                The plan has the support of all the skippers and all Greens in the town, said Mina Robel, a harbour historian.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "support of all the skippers").as_deref(), Some("Mina Robel"), "{qs:#?}");
}

#[test]
fn a_full_stop_of_a_short_form_ends_the_subject_not_the_sentence() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                The F.B.I. has said it had no record of the boats. \
                Acme Inc. said the ferry would run. \
                Sen. Paul P. Tenby Jr. said the vote was fair.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "no record of the boats").as_deref(), Some("F.B.I"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "ferry would run").as_deref(), Some("Acme Inc"), "{qs:#?}");
    // A capital "P." is an initial (not "p." for a page), so the name holds together.
    assert_eq!(speaker_of(&qs, "vote was fair").as_deref(), Some("Paul P. Tenby"), "{qs:#?}");
}

#[test]
fn a_long_subject_with_a_participle_still_opens_a_reported_clause() {
    let body = "Harbour vote\n\nJared Tenby is a skipper.\n\n\
                Tenby says the latest counts showing him a distant second behind the harbour master Ann Lee are wrong.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "latest counts showing him").as_deref(), Some("Jared Tenby"), "{qs:#?}");
}

/// Quotes of a corpus file whose first line is its headline.
fn extract_headlined(headline: &str, body: &str) -> Vec<Quote> {
    let text = format!("{headline}\n\n{body}");
    let sents = sentences::split(&text);
    let ents = entities::analyse(&text, &sents, headline.len());
    extract_with(&text, &sents, &ents, headline.len())
}

#[test]
fn a_headline_reports_for_a_name_the_body_gives_in_full() {
    let body = "Mayor Ann Lee spoke in Elm on Monday. Jared Tenby, a skipper, listened.";
    let qs = extract_headlined("Lee Says Ferry Will Run All Winter, Calls Harbour Plan ‘A Disgrace.’", body);
    assert_eq!(speaker_of(&qs, "Ferry Will Run All Winter").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "Harbour Plan ‘A Disgrace").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert!(!qs.iter().any(|q| q.text.contains("Ferry") && q.text.contains("Calls")), "one report per verb: {qs:#?}");
    let qs = extract_headlined("Ferry Fares Must Fall, Jared Tenby Tells Board.", body);
    assert_eq!(speaker_of(&qs, "Ferry Fares Must Fall").as_deref(), Some("Jared Tenby"), "{qs:#?}");
    let qs = extract_headlined("Tenby: ‘We Will Sail In Any Weather.’", body);
    assert_eq!(speaker_of(&qs, "We Will Sail").as_deref(), Some("Jared Tenby"), "{qs:#?}");
}

#[test]
fn a_headline_gives_no_quote_without_a_named_subject_or_with_a_condition() {
    let body = "Mayor Ann Lee spoke in Elm on Monday.";
    for headline in [
        "Harbour Pilot Says Ferry Will Run All Winter.",
        "If Lee Says It, The Ferry Will Run.",
        "Campaign for Lee says ferry will run.",
        "Lee rips Jared Tenby.",
    ] {
        let qs = extract_headlined(headline, body);
        assert!(qs.iter().all(|q| q.start >= headline.chars().count()), "{headline}: {qs:#?}");
    }
}

#[test]
fn three_apostrophes_close_a_single_quotation_and_the_double_one_around_it() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board.\n\n\
                ''We are told all the time, 'the harbour is a special case,''' Ms. Lee said. \
                ''It is all talk. There is no special case.'' The board voted.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "We are told all the time").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "It is all talk").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn a_state_after_a_town_is_no_subject_and_a_past_tense_opener_is_no_name() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                At a rally in Elmton, N.H., on Tuesday, Mayor Ann Lee of Elm endorsed the plan, saying that the ferry would run. \
                Jared Tenby was speaking in an interview. Stated Tenby: “The ferry is late again.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "the ferry would run").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "ferry is late again").as_deref(), Some("Jared Tenby"), "{qs:#?}");
}

#[test]
fn a_sentence_adverb_opens_a_parenthetical_attribution() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board.\n\n\
                Overall, she said, a number of the harbour's skippers are finding the new rules hard.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "number of the harbour").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn a_whole_clause_before_a_parenthetical_attribution_goes_on_after_it() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board.\n\n\
                It is her job, she said, to talk to the skippers about the new rules.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "to talk to the skippers").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

// Session 17.

#[test]
fn a_split_quotation_spanning_sentences_takes_the_attribution_between_them() {
    let body = "Harbour vote\n\nPatricia Robel rejected the claim.\n\n\
                “We met at the dock on Monday. She lied to me,” Robel said, “She told me the ferry was late. \
                I asked ‘are you sure?’ She said ‘yes.’”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "She lied to me").as_deref(), Some("Patricia Robel"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "the ferry was late").as_deref(), Some("Patricia Robel"), "{qs:#?}");
}

#[test]
fn a_present_tense_tags_a_quotation_as_a_past_one_does() {
    let body = "Harbour vote\n\nJon Tenby writes about the harbour every week.\n\n\
                “The harbour has not failed the skippers,” he mocks. “The skippers have failed the harbour.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "has not failed the skippers").as_deref(), Some("Jon Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "skippers have failed the harbour").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

#[test]
fn a_second_quotation_joined_by_narration_is_the_same_speakers() {
    let body = "Harbour vote\n\nThe deal was closed quietly.\n\n\
                “There were no campaigns, no calls to the council,” said Jon Tenby, a skipper. \
                “This was an example of the harbour master” and his staff “just quietly deciding, hey, we can close the dock and nobody will notice.”\n\n\
                In a clip that Judge Ann Lee called “distasteful,” Mia Robel expressed a desire to “sink every boat in the harbour tonight.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "quietly deciding").as_deref(), Some("Jon Tenby"), "{qs:#?}");
    // Someone else named between the two: not joined.
    assert!(qs.iter().all(|q| !q.text.contains("sink every boat") || q.speaker.as_deref() != Some("Ann Lee")), "{qs:#?}");
}

#[test]
fn a_role_noun_goes_to_a_holder_named_before_it_not_after() {
    let body = "Harbour vote\n\nThe harbour candidate spoke at the dock.\n\n\
                “We will win the vote,” the candidate said.\n\n\
                Former harbour candidate Jon Tenby disagreed with the plan.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "We will win the vote"), None, "{qs:#?}");
}

#[test]
fn a_pronoun_with_no_subject_near_it_takes_the_only_person_it_agrees_with() {
    let body = "Harbour vote\n\nMr. Dorn said the boats were late.\n\n\
                Smaller bonuses are the last thing state Representative Karla Mace, a Democrat, wants to hear about.\n\n\
                “My family were all factory workers,” she said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "factory workers").as_deref(), Some("Karla Mace"), "{qs:#?}");
}

#[test]
fn a_pronoun_with_a_contracted_auxiliary_is_the_pronoun() {
    let body = "Harbour vote\n\nSkipper Jon Tenby is digging in for a long fight.\n\n\
                He's suggesting that the boats from the towns he won should join his fleet.";
    let qs = extract(body);
    let q = find(&qs, "boats from the towns");
    assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (Some("Jon Tenby"), Some("He")), "{qs:#?}");
}

#[test]
fn a_quantity_before_an_auxiliary_and_an_irregular_past_open_a_reported_clause() {
    let body = "Harbour vote\n\nThe council did not respond.\n\n\
                Mira Tenby says too much is made of the harbour master's letters. \
                Bo Hecht said smugglers dug tunnels into the harbour drains.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "is made of the harbour").as_deref(), Some("Mira Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "smugglers dug tunnels").as_deref(), Some("Bo Hecht"), "{qs:#?}");
}

#[test]
fn an_opener_and_its_attribution_alone_are_no_quote_and_a_relative_is_someone_else() {
    let body = "Harbour vote\n\nSandra Ripert was hopeful about the promotion.\n\n\
                Instead, she said, her boss told her he had booked a room for them. She left the firm soon after.\n\n\
                Jon Tenby began tweeting about the vote on Monday, and his son said the harbour master was just getting started.";
    let qs = extract(body);
    assert!(qs.iter().all(|q| q.text.trim() != "Instead, she said"), "{qs:#?}");
    assert_ne!(speaker_of(&qs, "booked a room").as_deref(), Some("Sandra Ripert"), "{qs:#?}");
    assert_ne!(speaker_of(&qs, "just getting started").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

// Session 18.

#[test]
fn a_quotation_of_several_sentences_carried_on_by_the_narration_is_one_mixed_quote() {
    let body = "Harbour vote\n\nThe skippers are short of money.\n\n\
                \"Skippers are having trouble paying. The harbour has the money. They have no choice\" but to sell the boats, says Ann Lee, a harbour historian.";
    let qs = extract(body);
    let q = find(&qs, "have no choice");
    assert_eq!((q.speaker.as_deref(), q.kind), (Some("Ann Lee"), QuoteKind::Mixed), "{qs:#?}");
    assert!(q.text.starts_with("\"Skippers are having trouble"), "{qs:#?}");
}

#[test]
fn a_relative_clause_with_commas_after_a_name_runs_to_the_verb() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                Mr. Tenby, whose latest boat, Seabird, carries big nets to catch cod, said the harbour master was a skipper at heart.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "skipper at heart").as_deref(), Some("Tenby"), "{qs:#?}");
}

#[test]
fn participles_of_reporting_verbs_report_and_a_participle_can_carry_the_report_on() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                But Mayor Jon Tenby refused to discuss the plan, responding that he is not going to talk about the fleet. \
                \"It is a disgrace,\" Mira Holt said, going on to say that the harbour has waited for years. \
                Continuing to explain her view, Ada Crane rejected the plan, saying that the boats could wait.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "not going to talk").as_deref(), Some("Jon Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "harbour has waited").as_deref(), Some("Mira Holt"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "boats could wait").as_deref(), Some("Ada Crane"), "{qs:#?}");
}

#[test]
fn a_name_and_a_quotation_opening_with_a_present_tense_are_a_reported_clause() {
    let body = "Harbour vote\n\nIt was a blow by the two best known skippers in the Harbour Party, as Ms. Ada Crane echoed the charge, \
                saying Mr. Tenby \"reminds us every day that he is not in it for the town.\"";
    let qs = extract(body);
    let q = find(&qs, "reminds us every day");
    assert_eq!((q.speaker.as_deref(), q.kind), (Some("Ada Crane"), QuoteKind::Mixed), "{qs:#?}");
    assert!(q.text.starts_with("Mr. Tenby"), "{qs:#?}");
}

#[test]
fn a_quoted_term_inside_a_straight_quotation_does_not_close_it() {
    let body = "Harbour vote\n\nSkipper Ada Crane called for a new vote.\n\nMs. Crane stated:\n\n\
                \"The council is not about “Fair Harbours For All” any more. It is about the mayor.\n\n\
                \"The latest example is the fee on small boats.\"\n\nThe fee took effect in March.";
    let qs = extract(body);
    let q = find(&qs, "not about");
    assert!(q.text.contains("the fee on small boats"), "{qs:#?}");
    assert_eq!(q.speaker.as_deref(), Some("Ada Crane"), "{qs:#?}");
}

#[test]
fn a_short_form_before_a_quoted_word_and_a_pronoun_with_its_auxiliary_open_clauses() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                Ann Lee said the U.K. “clearly” needed a bigger harbour fleet. \
                “We’re extremely happy” about the vote, said Mira Holt, a skipper. \
                The skippers are split. Jon Tenby said he would. Bo Hecht said the only way to stop the harbour master from closing the quay and selling the old boats to the town may be a strike.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "needed a bigger harbour").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "extremely happy").as_deref(), Some("Mira Holt"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "he would").as_deref(), Some("Jon Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "may be a strike").as_deref(), Some("Bo Hecht"), "{qs:#?}");
}

#[test]
fn a_dateline_with_an_agency_and_a_state_after_a_town_are_no_speakers() {
    let body = "Harbour vote\n\nOslo (NTB) – Skipper Ada Crane has taken a swipe at the harbour master, saying that “loud words” do more harm than good. \
                The day before, at a rally in Beaumont, Tex., Jon Tenby was just as blunt, claiming that the mayor wanted to sell the quay. \
                In Lynchburg, VA, Mira Holt addressed the skippers, saying that she would protect the boats.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "loud words").as_deref(), Some("Ada Crane"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "sell the quay").as_deref(), Some("Jon Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "protect the boats").as_deref(), Some("Mira Holt"), "{qs:#?}");
}

#[test]
fn a_noun_phrase_before_an_auxiliary_after_said_is_no_inverted_subject() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                Mr. Tenby, citing ''the unique pull of the harbour,'' said the fleet could be in a strong position in towns like Brampton.";
    let qs = extract(body);
    assert!(qs.iter().all(|q| q.speaker_mention.as_deref() != Some("the fleet could be")), "{qs:#?}");
}

#[test]
fn a_topic_opening_the_sentence_is_the_pronoun_after_it() {
    let body = "Harbour vote\n\nJon Tenby leads the count. Bo Hecht spoke first.\n\n\
                “That would be a disaster,” the skipper said.\n\nAs for Tenby, he said he is not worried.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "not worried").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

#[test]
fn a_prepositional_phrase_opening_the_sentence_holds_no_subject_for_a_participle() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                In line with most of his fellow Brampton Skippers, harbour hopeful Jon Tenby was critical of the plan, telling the Gazette that it was a disgrace.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "it was a disgrace").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

#[test]
fn a_leader_of_a_country_is_not_someone_whose_role_names_none() {
    let body = "Harbour vote\n\nLeague president Sepp Halter met the delegates on Monday.\n\n\
                The Russian leader said the games would go ahead.";
    let qs = extract(body);
    let q = find(&qs, "games would go ahead");
    assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (None, Some("The Russian leader")), "{qs:#?}");
}

// Session 19.

#[test]
fn a_name_inside_reported_speech_does_not_take_a_later_pronoun_over() {
    let body = "Harbour vote\n\nJon Tenby is touring the coast.\n\n\
                Tenby, in Brampton, said Tuesday that Ada Crane was “a lightweight” while Bo Hecht is “a liar.” \
                However, he held his fire on the mayor.\n\nHe said his plan would keep the boats in the harbour.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "keep the boats").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

#[test]
fn who_wants_the_person_a_description_or_a_place_follows() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                The plan gave fodder to rivals such as Sen. Ada Crane of Ohio, who mused in the debate that the plan was doomed.\n\n\
                “It is late,” said Bo Hecht, the executive director of the Harbour Trust for Fair Fishing, who also said that the mayor must do more.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "plan was doomed").as_deref(), Some("Ada Crane"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "mayor must do more").as_deref(), Some("Bo Hecht"), "{qs:#?}");
}

#[test]
fn a_quoted_title_in_an_apposition_does_not_end_the_subject() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                Sam Tolver, a presenter on Hecht's radio show, \"Harbour Nights,\" who went on to work alongside Hecht, said his boss was \"always kind.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "boss was").as_deref(), Some("Sam Tolver"), "{qs:#?}");
}

#[test]
fn names_after_the_verb_of_an_opening_noun_phrase_are_not_a_participles_subject() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                A harbour judge has rejected a request to open the file on Jon Tenby's divorce from his wife Ada, saying the courts have no business deciding it.";
    let qs = extract(body);
    let q = find(&qs, "no business deciding");
    assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (None, Some("A harbour judge")), "{qs:#?}");
}

#[test]
fn a_role_its_own_phrase_pins_down_is_not_guessed_to_be_the_person_just_named() {
    let body = "Harbour vote\n\nJon Tenby runs the harbour school. Tenby faces three suits.\n\n\
                The attorney general of the state of Ohio is suing Tenby for $40 million, claiming the school is a fraud.";
    let qs = extract(body);
    let q = find(&qs, "school is a fraud");
    assert_eq!(q.speaker, None, "{qs:#?}");
}

#[test]
fn a_title_word_alone_is_the_family_name_of_a_person_named_in_full() {
    let body = "Harbour vote\n\nAn emotional Bo Hecht hugged members of King Solomon Missionary Baptist Church in the west end.\n\n\
                Sailing great Ada Jean King remembered Hecht as fun to be around.\n\n\
                King won 12 regattas during her career. King says Hecht “talked the talk and walked the walk.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "talked the talk").as_deref(), Some("Ada Jean King"), "{qs:#?}");
}

#[test]
fn a_raised_voice_attributes_a_quotation_after_a_colon() {
    let body = "Harbour vote\n\nJon Tenby spoke at a rally.\n\n\
                “Apparently there's a young man who's having some problems,” Tenby said as the heckler yelled: “You suck!”";
    let qs = extract(body);
    let q = find(&qs, "You suck");
    assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (None, Some("the heckler")), "{qs:#?}");
}

#[test]
fn with_a_name_an_adverb_and_a_participle_the_name_speaks() {
    let body = "Harbour vote\n\nThe rally was loud.\n\n\
                Some of his supporters pushed a protester, with Jon Tenby reportedly yelling: “Get him out of here!”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "Get him out").as_deref(), Some("Jon Tenby"), "{qs:#?}");
}

#[test]
fn a_capitalised_group_opening_a_sentence_is_no_name() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\nOpponents argued that the plan would ruin the harbour. Others say the vote came too late.";
    let qs = extract(body);
    for (words, mention) in [("ruin the harbour", "Opponents"), ("came too late", "Others")] {
        let q = find(&qs, words);
        assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (None, Some(mention)), "{qs:#?}");
    }
}
