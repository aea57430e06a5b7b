//! Quote rules found on real news (sessions 10 and 11): each test is a pattern that failed on
//! the PolNeAR articles, rewritten in invented words; each pattern was seen failing (through
//! `briefbot quotes --json` or the scorer's saved predictions) before its rule was written.

use super::tests::{find, speaker_of};
use super::*;

#[test]
fn a_title_word_after_a_given_name_or_initial_is_a_family_name() {
    let body = "Harbour vote\n\n\"We wanted a louder voice for the harbour,\" Representative Peter T. King, Republican of Elm County, said of the vote.\n\n\
                \"The ferry is late again,\" Mr. King said.\n\n\"The night boat is worse,\" said Ada King.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "louder voice").as_deref(), Some("Peter T. King"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "late again").as_deref(), Some("Peter T. King"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "night boat").as_deref(), Some("Ada King"), "{qs:#?}");
    // A title before a name is still a title.
    let qs = extract("Harbour vote\n\nKing Harald said the ferry would run on Sunday.");
    assert_eq!(find(&qs, "ferry would run").speaker.as_deref(), Some("Harald"), "{qs:#?}");
}

#[test]
fn a_quotation_after_a_state_abbreviation_floats_to_the_speaker() {
    let body = "Harbour vote\n\n\"The fares are a disgrace,\" Tomas Reyd told reporters after a forum in Port Elm, N.C. \"It seems the board has a lot of nervous energy.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "nervous energy").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_judgement_with_is_seen_as_keeps_its_paragraph() {
    let body = "Harbour vote\n\n“In some ways it feels like we won the lottery,” Vale said. “There is a base for someone who is seen as a failed leader.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "won the lottery").as_deref(), Some("Vale"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "failed leader").as_deref(), Some("Vale"), "{qs:#?}");
}

#[test]
fn reported_clauses_that_open_with_a_quantity_a_condition_or_a_plural_noun() {
    let body = "Harbour vote\n\nTomas Reyd runs the port.\n\nReyd said much of his talk with the mayor was about fares. \
                He said states like Ohio and Utah will decide the matter first. \
                Reyd said if he were mayor, the ferry would run all night.";
    let qs = extract(body);
    assert_eq!(find(&qs, "much of his talk").speaker.as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert!(find(&qs, "states like Ohio").text.starts_with("states like Ohio"), "{qs:#?}");
    assert!(find(&qs, "the ferry would run").text.starts_with("if he were mayor"), "{qs:#?}");
}

#[test]
fn a_parenthetical_attribution_after_a_subordinate_or_a_conjunction() {
    let body = "Harbour vote\n\nTomas Reyd runs the port.\n\nThough the last vote was quiet, he said, replacing the board would be much harder. \
                But to prevent delays, he said, the crews should start early.";
    let qs = extract(body);
    assert!(find(&qs, "replacing the board").text.starts_with("Though the last vote"), "{qs:#?}");
    assert!(find(&qs, "crews should start").text.starts_with("But to prevent delays"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "crews should start").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn an_employer_in_the_possessive_or_a_place_before_the_role_after_a_quotation() {
    let body = "Harbour vote\n\n\"The fares are a disgrace,\" the Elm Valley Gazette’s Nora Lind said. \
                \"Our friends no longer think we have their back,\" former Elm County mayor Jon Vale said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "fares are a disgrace").as_deref(), Some("Nora Lind"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "have their back").as_deref(), Some("Jon Vale"), "{qs:#?}");
}

#[test]
fn a_quotation_inside_a_report_goes_to_the_subject_that_opens_it() {
    let body = "Harbour vote\n\nOn Friday, Ada Crane credited the ferry's recovery to \"a crew that never once gave up on the night boat.\" \
                Tomas Reyd mocked Crane's claim that \"the night boat is saved for good this time.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "never once gave up").as_deref(), Some("Ada Crane"), "{qs:#?}");
    // Words owned by another: no speaker from the sentence's subject.
    assert_ne!(speaker_of(&qs, "saved for good").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn according_to_a_source_the_entity_stage_did_not_name() {
    let body = "Harbour vote\n\nThe ferry will stop running in May, according to Harbourwatch. \
                According to Seaview, the night boat carried 400 people that week. \
                The board will meet again on Friday, according to Port Elm officials. \
                Of 45 names sent by Mr. Reyd, she kept just three, according to Mr. Reyd's campaign.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "stop running in May").as_deref(), Some("Harbourwatch"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "carried 400 people").as_deref(), Some("Seaview"), "{qs:#?}");
    let q = find(&qs, "meet again on Friday");
    assert_eq!((q.speaker.as_deref(), q.speaker_mention.as_deref()), (None, Some("Port Elm officials")), "{qs:#?}");
    // A title abbreviation is no source on its own.
    assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("Mr")), "{qs:#?}");
}

#[test]
fn the_article_before_an_organisation_after_a_quotation() {
    let body = "Harbour vote\n\n\"The count was 699 boats this year,\" the Gazette said. \"The ferry will run again in May,\" the Harbour Board said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "699 boats").as_deref(), Some("Gazette"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "run again in May").as_deref(), Some("Harbour Board"), "{qs:#?}");
}

#[test]
fn progressive_and_carried_on_reports() {
    let body = "Harbour vote\n\nAna Moor is telling reporters that the ferry fees are too high. \
                Tomas Reyd has been arguing for months that the night boat is unsafe. \
                Moor went on to say that the board had lied. The plan is being discussed by the board.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "fees are too high").as_deref(), Some("Ana Moor"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "night boat is unsafe").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "board had lied").as_deref(), Some("Ana Moor"), "{qs:#?}");
    assert!(qs.iter().all(|q| !q.text.contains("discussed")), "{qs:#?}");
}

#[test]
fn what_someone_calls_a_thing_is_the_thing_and_the_name() {
    let body = "Harbour vote\n\nTomas Reyd called the new ferry timetable \"a disaster\" on Monday. \
                Ana Moor described the trip as \"a waste of time and money.\" Reyd called for \"an end to the nonsense.\"";
    let qs = extract(body);
    let q = find(&qs, "a disaster");
    assert_eq!(
        (q.text.as_str(), q.kind, q.speaker.as_deref()),
        ("the new ferry timetable \"a disaster\" on Monday", QuoteKind::Mixed, Some("Tomas Reyd")),
        "{qs:#?}"
    );
    assert!(find(&qs, "waste of time").text.starts_with("the trip as"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "end to the nonsense").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn reports_without_that_after_more_verbs_and_typographic_apostrophes() {
    let body = "Harbour vote\n\nTomas Reyd announced the ferry will not sail this week. \
                Ana Moor tweeted the board had lied again. Reyd proposed that the board close the east pier. \
                Moor suggested the captains don’t fully understand the harbour.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "will not sail").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "board had lied").as_deref(), Some("Ana Moor"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "close the east pier").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert!(find(&qs, "fully understand").text.starts_with("the captains don’t"), "{qs:#?}");
}

#[test]
fn a_colon_after_any_report_of_a_named_subject_introduces_the_quotation() {
    let body = "Harbour vote\n\nTomas Reyd issued the following statement: \"Our thoughts are with all those hurt on the night boat.\" \
                Ana Moor has since apologized for what happened: \"I should have used two accounts for the ferry.\"";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "Our thoughts").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    let q = find(&qs, "two accounts");
    assert_eq!((q.speaker.as_deref(), q.cue.as_deref()), (Some("Ana Moor"), Some("apologized")), "{qs:#?}");
}

#[test]
fn a_parenthetical_attribution_after_a_time_ago_or_a_reason() {
    let body = "Harbour vote\n\nSix months ago, Tomas Reyd said, the press considered him a fringe captain. That is why, Reyd said, the board should be ready.";
    let qs = extract(body);
    assert!(find(&qs, "fringe captain").text.starts_with("Six months ago"), "{qs:#?}");
    assert!(find(&qs, "board should be ready").text.starts_with("That is why"), "{qs:#?}");
}

#[test]
fn indirect_questions_directives_and_put_it() {
    let body = "Harbour vote\n\nTomas Reyd asked the harbour master if he had prepared for the storm. \
                Ana Moor explained why she backs the new pier. Reyd told his deputies to find a way to cut fees. \
                As Ana Moor put it: \"This ferry will not be fixed this year.\"";
    let qs = extract(body);
    assert!(find(&qs, "prepared for the storm").text.starts_with("if he had"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "prepared for the storm").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "backs the new pier").as_deref(), Some("Ana Moor"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "find a way").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    let q = find(&qs, "not be fixed");
    assert_eq!((q.speaker.as_deref(), q.cue.as_deref()), (Some("Ana Moor"), Some("put it")), "{qs:#?}");
}

#[test]
fn a_sentence_adverb_opening_a_quotation_is_no_part_of_a_name() {
    let body = "Harbour vote\n\n“Certainly Tomas Reyd has gone in the opposite direction from what we asked,” said Ana Moor.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "opposite direction").as_deref(), Some("Ana Moor"), "{qs:#?}");
    let e = crate::core::entities::analyse(body, &crate::core::sentences::split(body), 0);
    assert!(e.mentions.iter().all(|m| !m.name.starts_with("Certainly")), "{:?}", e.mentions.iter().map(|m| &m.name).collect::<Vec<_>>());
}

#[test]
fn a_demonym_that_is_a_family_name_in_the_article() {
    let body = "Harbour vote\n\nMark Cuban says he would run the port.\n\n\"It is too early to tell about the ferry,\" said Cuban, who owns a team. \
                Cuban said the fares were too high. Cuban cigars were sold on the quay.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "too early to tell").as_deref(), Some("Mark Cuban"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares were too high").as_deref(), Some("Mark Cuban"), "{qs:#?}");
    // Without a given name before it anywhere, the word stays a demonym.
    let qs = extract("Harbour vote\n\nCuban officials said the fares were too high.");
    assert!(qs.iter().all(|q| q.speaker.is_none()), "{qs:#?}");
}

#[test]
fn a_report_fronted_with_as_reports_the_clause_after_it() {
    let body = "Harbour vote\n\nTomas Reyd runs the port.\n\nAs Reyd first reported last week, the mayor was also accused of breaking the rules.";
    let qs = extract(body);
    let q = find(&qs, "accused of breaking");
    assert_eq!((q.text.as_str(), q.speaker.as_deref()), ("the mayor was also accused of breaking the rules", Some("Tomas Reyd")), "{qs:#?}");
}

#[test]
fn a_dialogue_tag_with_any_past_verb_names_the_speaker() {
    // The tag shares the quotation's sentence, or is the whole next one after a question.
    let body = "Harbour vote\n\nTomas Reyd said the port would close. “Would it be open in the spring?” Ossig pressed. \
                “Maybe for some ships if they register in time?” “I would say this much about it,” Reyd answered. Lena Ossig hosts the show.\n\n\
                “It is about time that we had a ferry in this town,” exhorted actress Mia Lund. “It is about time we all agreed on it,” she gushed.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "open in the spring").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    // The quotation after the tag continues the tagged one, not the one before.
    assert_eq!(speaker_of(&qs, "register in time").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "ferry in this town").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "all agreed on it").as_deref(), Some("Mia Lund"), "{qs:#?}");
    // A title in marks inside a sentence is no line of dialogue.
    let qs = extract("Harbour vote\n\nTomas Reyd spoke first. Ossig, star of the show “Harbour,” thanked Reyd for his work on the ferry.");
    assert!(qs.iter().all(|q| !q.text.contains("Harbour")), "{qs:#?}");
}

#[test]
fn a_name_label_or_adverbials_before_a_colon_introduce_the_quotation() {
    let body = "Harbour vote\n\nLena Ossig and Tomas Reyd, among others, reject the plan.\n\nOssig: “Our goal is not to delay the ferry, but to end it for good.”\n\n\
                Former harbour master Mia Lund said back in the summer of 2015: “I think it is a big mistake for us to close the port.”\n\n\
                As Tomas Reyd puts it, “Port workers are unmoved, and the owners are uninspired.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "delay the ferry").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "big mistake").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "workers are unmoved").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // A place before a colon labels nothing.
    let qs = extract("Harbour vote\n\nPort Elm: “Our goal is not to delay the ferry, but to end it for good.”");
    assert!(qs.iter().all(|q| q.speaker.is_none()), "{qs:#?}");
}

#[test]
fn a_report_inside_a_fronted_subordinate_clause() {
    let body = "Harbour vote\n\nThe council met on Friday, shortly after Lena Ossig said she finally believes the port was built in the right place.\n\n\
                Years after Tomas Reyd disingenuously claimed that the era of big ports was over, the council won the vote.\n\n\
                When Mia Lund a month later announced six hundred layoffs, some workers felt betrayed.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "built in the right place").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    // The report ends at the comma before the main clause.
    let q = find(&qs, "era of big ports");
    assert_eq!((q.text.as_str(), q.speaker.as_deref()), ("the era of big ports was over", Some("Tomas Reyd")), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "six hundred layoffs").as_deref(), Some("Mia Lund"), "{qs:#?}");
}

#[test]
fn a_quotation_standing_alone_continues_the_last_quotation_in_marks() {
    let body = "Harbour vote\n\n“Your work on the ferry is amazing,” Tomas Reyd assured Lena Ossig, after Ossig assured Reyd that most of her listeners supported him. \
                “I will not let you down on the ferry.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "let you down").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn openers_a_conjunction_or_an_inverted_said() {
    let body = "Harbour vote\n\nLena Ossig runs the ferry.\n\nBut according to Tomas Reyd, the mayor could not convince his own staff.\n\n\
                But as Mia Lund noted, the council could not find the money.\n\nSaid Ossig, “We were all so proud of him and his ferry.”\n\n\
                “I am not being paid for the ferry!” Tomas Reyd declared, smiling.\n\nMia Lund said the pier stocks aren’t cheap at all.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "convince his own staff").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "could not find the money").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "so proud of him").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "not being paid").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "pier stocks").as_deref(), Some("Mia Lund"), "{qs:#?}");
    // "Said" is no part of the name after it.
    let e = crate::core::entities::analyse(body, &crate::core::sentences::split(body), 0);
    assert!(e.mentions.iter().all(|m| !m.name.starts_with("Said")), "{:?}", e.mentions.iter().map(|m| &m.name).collect::<Vec<_>>());
}

#[test]
fn subjects_set_off_by_brackets_double_hyphens_or_participles() {
    let body = "Harbour vote\n\nFormer Elm County governor Lena Ossig (D), a Reyd supporter, praised Tomas Reyd for what he has done, calling it “an incredible feat” in a speech.\n\n\
                The fight began at once, as Mia Lund, contradicting Reyd, said she had told Reyd at the start that the port would not pay.\n\n\
                A former harbour master -- Ana Moor, who lost the 2008 vote to Reyd -- said the mayor “offered no changes to his slow and timid plan.”\n\n\
                Several captains, including Ossig, said the ferry should run all night.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "incredible feat").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "would not pay").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "slow and timid").as_deref(), Some("Ana Moor"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "run all night").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn participles_and_present_forms_of_reporting_verbs() {
    let body = "Harbour vote\n\nLena Ossig wrote to the council, suggesting that the ferry should stop at night. \
                Tomas Reyd contends that the tolls are too high. Mia Lund sued the council, alleging that it hid the accounts.\n\n\
                “The fares are a disgrace and everyone here knows it,” Ossig said. Instead, “the board just acts like a beaten crew.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "stop at night").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "tolls are too high").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "hid the accounts").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "beaten crew").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn the_subject_of_a_participle() {
    let body = "Harbour vote\n\nThe main gap is on the port, with Lena Ossig calling for a ban on night ferries from entering the bay.\n\n\
                Tomas Reyd is the mayor. The veteran mayor began by talking about the ferry crisis, saying that the fares are now higher than ever before.\n\n\
                Mia Lund wrote a letter to Ana Moor asking that all the fees from the ferry go to the school.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ban on night ferries").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "higher than ever").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // The person written to asks nothing.
    assert_ne!(speaker_of(&qs, "fees from the ferry").as_deref(), Some("Ana Moor"), "{qs:#?}");
}

#[test]
fn of_two_people_joined_as_one_subject_the_first_speaks() {
    let qs =
        extract("Harbour vote\n\nHowever, former mayor Lena Ossig and former harbour master Mia Lund suggested that the ferry would be too slow for the bay.");
    assert_eq!(speaker_of(&qs, "too slow").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    let qs = extract("Harbour vote\n\nLena Ossig and Mia Lund suggested that the ferry would be too slow for the bay.");
    assert_eq!(speaker_of(&qs, "too slow").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    // "The mayor met Ann Lee and ...": a name joined to an object is no subject.
    let qs = extract("Harbour vote\n\nTomas Reyd met Lena Ossig and harbour master Mia Lund said that the ferry would be too slow for the bay.");
    assert_ne!(speaker_of(&qs, "too slow").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn a_time_between_subject_and_verb_is_no_subject() {
    let body = "Harbour vote\n\nLena Ossig, the harbour chair, this past week announced that the ferry would stop at night. \
                The Port Authority less than two weeks ago said for the first time that the fares would rise. \
                Tomas Reyd said this week that the bay would close and suggested that it would reopen in spring. \
                Mia Lund last month joked that the night boat was a myth.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "stop at night").as_deref(), Some("Lena Ossig"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares would rise").as_deref(), Some("Port Authority"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "bay would close").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "reopen in spring").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "was a myth").as_deref(), Some("Mia Lund"), "{qs:#?}");
}

#[test]
fn may_after_a_given_name_is_a_family_name() {
    let qs = extract("Harbour vote\n\nOn Monday, Anna May said the ferry would run on Sunday.");
    assert_eq!(speaker_of(&qs, "ferry would run").as_deref(), Some("Anna May"), "{qs:#?}");
    // The modal still reads as one between subject and verb.
    let qs = extract("Harbour vote\n\nTomas Reyd may say that the ferry would run on Sunday.");
    assert_ne!(speaker_of(&qs, "ferry would run").as_deref(), Some("May"), "{qs:#?}");
}

#[test]
fn a_relative_clause_with_two_verbs_keeps_its_antecedent() {
    let body = "Harbour vote\n\nLena Ossig chairs the board. Ossig, who backed Tomas Reyd, the mayor, and loudly opposed Mia Lund during the race, said Lund was \
                seeking to close the port.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "close the port").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn an_inverted_subject_after_a_possessive_role() {
    let qs = extract("Harbour vote\n\n\"We have a path to the port,\" added his campaign manager Tomas Reyd, speaking to a radio station.");
    assert_eq!(speaker_of(&qs, "path to the port").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_title_word_after_a_given_name_of_either_gender_is_a_family_name() {
    let body = "Harbour vote\n\nLarry King hosted the debate. Charlie King, a former director of the board, said the ferry would run on Sunday.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ferry would run").as_deref(), Some("Charlie King"), "{qs:#?}");
}

#[test]
fn a_lowercase_description_between_quotation_and_name() {
    let qs = extract("Harbour vote\n\n“That was the first time in a long time,” co-anchor Tomas Reyd said. “She does not do it often.”");
    assert_eq!(speaker_of(&qs, "first time in a long time").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "does not do it often").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // Not after a quotation inside the sentence: a show's name is no speech.
    let qs = extract("Harbour vote\n\nIn an interview on “Harbour Nights,” co-host Tomas Reyd said the ferry was late.");
    assert!(qs.iter().all(|q| !q.text.contains("Harbour Nights")), "{qs:#?}");
}

#[test]
fn a_title_word_before_of_after_a_given_name_is_a_family_name() {
    let qs = extract("Harbour vote\n\n''It is not going to be easy for the ferry,'' said Representative Peter T. King of Elm County.");
    assert_eq!(speaker_of(&qs, "easy for the ferry").as_deref(), Some("Peter T. King"), "{qs:#?}");
}

#[test]
fn will_before_a_name_is_a_given_name() {
    let body = "Harbour vote\n\nTomas Reyd, a professor, said the fares were high. \"It is a pretty expensive business model,\" said Will Doyle, an economist at the port.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "expensive business model").as_deref(), Some("Will Doyle"), "{qs:#?}");
}

#[test]
fn a_relative_clause_names_no_apposition() {
    let body = "Harbour vote\n\nGeorge Lund sold the ferry. Lund, who backs Tomas Reyd, told the Harbour Gazette that the site was not prepared.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "site was not prepared").as_deref(), Some("George Lund"), "{qs:#?}");
}

#[test]
fn the_first_of_a_list_of_people_speaks() {
    let body = "Harbour vote\n\nSens. Ann Lee (D-Ore.), Mia Lund (D-Ohio) and Tomas Reyd (D-N.J.) all suggested that the fares could be cut. \
                However, Sen. Lena Ossig (Vt.) and former Elm County mayor Jon Vale suggested that the ferry would be too slow.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "fares could be cut").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "too slow").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn a_name_right_after_a_quotation_may_carry_a_long_apposition() {
    let body = "Harbour vote\n\n''Their plan is very clear: to look like a real ferry line,'' Tomas Reyd, a senior fellow at the Harbour Institute and a former \
                ambassador of the Elm County board to the port, said of the company.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "plan is very clear").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_name_label_after_a_heading_and_a_dash() {
    let body = "Harbour vote\n\nFERRY TRAFFIC DOUBLES FOR THE FIRST TIME - Tomas Reyd: “The port’s analysis of traffic shows a major shift this year.”\n\n\
                Fares are a problem - Harbour Research Institute: “All the fares evaluated were higher than in any year before.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "major shift").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares evaluated").as_deref(), Some("Harbour Research Institute"), "{qs:#?}");
}

#[test]
fn stops_between_a_quotation_and_its_name() {
    let body = "Harbour vote\n\n\"The response was clear,\" Ms. Lund's spokesman, Tomas Reyd, wrote on a forum.\n\n\
                \"These are dark days for the harbour,\" former Elm County pilot Jon Vale wrote in a column.\n\n\
                \"It is a stretch for the ferry,\" Lena Ossig of the Harbour Institute for Transport Studies wrote in December.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "response was clear").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "dark days").as_deref(), Some("Jon Vale"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "stretch for the ferry").as_deref(), Some("Lena Ossig"), "{qs:#?}");
}

#[test]
fn a_full_stop_inside_the_marks_then_a_sentence_of_name_and_speech_verb() {
    let qs = extract("Harbour vote\n\nThe crowd cheered. “Voters, if you are listening, I hope you find the ferry.” Tomas Reyd said.");
    assert_eq!(speaker_of(&qs, "find the ferry").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // Any other verb tags nothing after a full stop.
    let qs = extract("Harbour vote\n\nThe crowd cheered. “Voters, if you are listening, I hope you find the ferry.” Tomas Reyd laughed.");
    assert_eq!(speaker_of(&qs, "find the ferry"), None, "{qs:#?}");
}

#[test]
fn a_short_report_introduces_the_quotation_after_it() {
    let body = "Harbour vote\n\nAnn Lee teaches at the college. Elm County College professor Ann Lee agreed. “The ferry is running out of time to find a pilot.”\n\n\
                Tomas Reyd spoke next. Reyd continued his scathing remarks.\n\n“Eight years ago the port was the busiest in the state, and it lost.”\n\n\
                Mia Lund spoke last. Lund arrived late. “The bay is closed to anyone without a permit.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "running out of time").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "Eight years ago").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // A sentence without a speech verb introduces nothing.
    assert_eq!(speaker_of(&qs, "bay is closed"), None, "{qs:#?}");
}

// Session 13.

#[test]
fn a_report_inside_another_speakers_clause_is_no_antecedent() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                Port spokesman Jon Vale said Monday that Mayor Tomas Reyd has long called for lower fares and for a night ferry. \
                He said Reyd hopes that his successor will keep the fares low.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "successor will keep").as_deref(), Some("Jon Vale"), "{qs:#?}");
}

#[test]
fn a_speech_act_after_a_possessive_or_participle_is_a_noun() {
    let body = "Harbour vote\n\nMayor Lund attacked Tomas Reyd after he spoke at the forum. \
                Reyd, who runs the port, also decried Lund’s repeated calls to close the bay, noting he has “never once” taken the ferry.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "never once").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn appositions_past_a_party_tag_a_title_in_marks_or_a_state() {
    let body = "Harbour vote\n\nMayor Tomas Reyd (R) said it would be “improper” to speak. \
                Councillor Ann Lee (D), Reyd's rival in the coming election, called Friday for releasing the records, saying that openness \"brings trust.\"\n\n\
                Jon Vale is a professor. Vale, the author of \"Harbour Lights,\" about the history of the port, said the days of the night ferry are gone.\n\n\
                Mia Lund, a teacher from Port Elm, New Jersey, said the vote has led her to back the mayor.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "brings trust").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "night ferry are gone").as_deref(), Some("Jon Vale"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "back the mayor").as_deref(), Some("Mia Lund"), "{qs:#?}");
}

#[test]
fn an_apposition_without_its_closing_comma() {
    let body = "Harbour vote\n\nTomas Reyd, president and CEO of the Harbour Restaurant Association stated, “It is not a political problem; it is a math problem.”\n\n\
                “The ferry needs a strategy,” Ann Lee, the polling expert who founded Elm Data tweeted on Wednesday.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "math problem").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "needs a strategy").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn the_role_a_short_title_stands_for() {
    let body = "Harbour vote\n\nSen. Ann Lee spoke on Monday. The senator told supporters: “The struggle continues.”\n\n\
                Rep. Tomas Reyd flew home. The congressman told reporters: “The ferry must run.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "struggle continues").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "ferry must run").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_party_leader_in_apposition_is_the_subject_of_a_participle() {
    let body = "Harbour vote\n\nPORT ELM, Aug 31 (Reuters) - Norway’s far-right Harbour Party leader, Ann Lee, voiced support for the mayor on Wednesday, \
                saying his rival would close the port to the world.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "close the port").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn transcript_labels_with_a_party_tag_or_a_role() {
    let body = "Harbour hearing\n\nThe exchange was tense.\n\nRep. Ann Lee (D-Ore.): “I have not heard anyone cite that figure.”\n\n\
                Former secretary of state Tomas Reyd: “We learned that from the department.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "cite that figure").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "learned that").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn agreement_attributes_the_quotation_before_it_only() {
    let body = "Harbour vote\n\n\"The fares are high,\" says Tomas Reyd, 21, a student.\n\n\
                \"Our ideas of success are different,\" agrees Ann Lee, 30, of Port Elm.\n\n\
                Mia Lund agreed to pay the fares for the whole class.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ideas of success").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert!(qs.iter().all(|q| !q.text.contains("pay the fares")), "{qs:#?}");
}

#[test]
fn an_opening_mark_typed_for_a_closing_one() {
    let body = "Harbour vote\n\nThe board met.\n\n“It is unusual,“ said Ann Lee, a lawyer at the port. “It is a hard thing to pull off.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "unusual").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "hard thing").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn according_to_an_organisation_after_an_adjective() {
    let body = "Harbour vote\n\nThe top ferry paid most of the fees in 2013, according to the nonpartisan Harbour Budget Office, and the rest paid little.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "top ferry paid").as_deref(), Some("Harbour Budget Office"), "{qs:#?}");
}

#[test]
fn the_author_of_words_that_open_the_sentence_is_the_participles_subject() {
    let body = "Harbour vote\n\nJon Vale wrote an essay. Last week, Mayor Tomas Reyd announced that he would back the ferry plan.\n\n\
                Vale’s article also attacked Reyd by accusing him of backing the plan to gain a seat. He calls the plan “the most transparent deal in years.”\n\n\
                Reyd’s office shrugged off Vale’s comments, telling reporters the seat was never offered.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "backing the plan").as_deref(), Some("Jon Vale"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "most transparent deal").as_deref(), Some("Jon Vale"), "{qs:#?}");
    // Only the words of the sentence's first name: "Vale’s comments" here are the object.
    assert_ne!(speaker_of(&qs, "never offered").as_deref(), Some("Jon Vale"), "{qs:#?}");
}

#[test]
fn reports_with_a_bare_day_an_article_before_an_acronym_or_an_opener() {
    let body = "Harbour vote\n\nThe Harbour Ferry Authority (HFA) met on Monday.\n\n\
                The fares would cost too much for the town, Ann Lee said Thursday.\n\n\
                Slower traffic is being offset by faster boats, the HFA said.\n\n\
                If the council fails to act, the ferry can step in, Tomas Reyd said.\n\n\
                In the three years since the storm, Reyd says, far too many boats have been lost.\n\n\
                The port is usually too busy for the new boats, Mia Lund said, and with the council chastened, it is safe to wait.\n\n\
                Two ferries were also among the boats lost, Elm harbour authority spokesman Jon Vale said Friday.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "cost too much").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "offset by faster boats").as_deref(), Some("Harbour Ferry Authority"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "can step in").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "boats have been lost").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "usually too busy").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "Two ferries were").as_deref(), Some("Jon Vale"), "{qs:#?}");
    // The opener alone is no report: the clause is the whole sentence before the attribution.
    assert!(qs.iter().any(|q| q.text.starts_with("If the council fails")), "{qs:#?}");
}

#[test]
fn bare_clauses_that_open_with_a_gerund_or_a_quoted_verb() {
    let body = "Harbour vote\n\nAt the meeting, Ann Lee said her staff “did the wrong thing” by opening the files.\n\n\
                Tomas Reyd, the chair of the board, said having the ferry at the top of the list puts the budget at risk.";
    let qs = extract(body);
    let staff = qs.iter().find(|q| q.text.contains("did the wrong thing")).expect("the mixed report");
    assert_eq!(staff.speaker.as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert!(staff.text.starts_with("her staff"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "puts the budget at risk").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_quotation_resuming_after_an_inverted_attribution_and_its_apposition() {
    let body = "Harbour vote\n\n\"This used to be a quiet port,\" said Ann Lee, director of harbour studies at the Port Institute in Elm, \"but it is increasingly busy.\" The board met.\n\n\
                “For small boats, he’s saying the right things” about the fares, said Tomas Reyd, a skipper.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "quiet port").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "increasingly busy").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "the right things").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
}

#[test]
fn a_phrase_after_a_verb_of_speech_is_mixed_speech_from_the_verb_on() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board on Monday.\n\n\
                Lee blamed the delay on “reckless and cruel officials.” The board left.\n\n\
                Lee landed in Elm for what was meant to be a “policy address.”";
    let qs = extract(body);
    let slam = qs.iter().find(|q| q.text.contains("reckless")).expect("the phrase");
    assert_eq!(slam.speaker.as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(slam.kind, QuoteKind::Mixed, "{qs:#?}");
    assert!(slam.text.starts_with("the delay on"), "{qs:#?}");
    // A writer's phrase after a verb that is no speech is nobody's quote.
    assert!(qs.iter().all(|q| !q.text.contains("policy address")), "{qs:#?}");
}

#[test]
fn a_partys_members_are_no_body_named_after_them() {
    let body = "Harbour vote\n\nAnn Lee spoke for the Log Cabin Republicans at the port on Monday.\n\n\
                Republicans said the ferry plan would cost the town too much money.";
    let qs = extract(body);
    let q = qs.iter().find(|q| q.text.contains("ferry plan would cost")).expect("the report");
    assert_eq!(q.speaker.as_deref(), Some("Republicans"), "{qs:#?}");
}

#[test]
fn the_people_who_speak_for_a_named_person_are_named_by_that_person() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board on Monday.\n\n\
                Lee’s office said the ferry would run again in May. The Lee campaign said the fares would stay low. \
                Her aides said the vote would be close.\n\n\
                One Lee aide said the board was split.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ferry would run").as_deref(), Some("Ann Lee’s office"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares would stay").as_deref(), Some("Ann Lee’s campaign"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "vote would be close").as_deref(), Some("Ann Lee’s aides"), "{qs:#?}");
    // An unnamed aide stays unnamed.
    assert_eq!(speaker_of(&qs, "board was split"), None, "{qs:#?}");
}

#[test]
fn a_given_name_that_is_also_a_thing_word_opens_a_persons_name() {
    let body = "Harbour vote\n\nBill Tenby spoke to the board at length on Monday.\n\n\
                “The ferry must run every day of the year,” he said. The Harbour Bill passed.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ferry must run").as_deref(), Some("Bill Tenby"), "{qs:#?}");
}

#[test]
fn a_short_condition_or_one_noun_around_the_attribution() {
    let body = "Harbour vote\n\nJared Tenby spoke to the board at length on Monday. (See Tenby’s full timeline below.)\n\n\
                Tenby said if elected he could work with the harbour board. \
                Loyalty, he noted, has long been the town’s first rule. Yes, he said, it was.";
    let qs = extract(body);
    let cond = qs.iter().find(|q| q.text.contains("work with the harbour")).expect("the report after a condition");
    assert!(cond.text.starts_with("if elected"), "{qs:#?}");
    assert_eq!(cond.speaker.as_deref(), Some("Jared Tenby"), "{qs:#?}");
    let loyal = qs.iter().find(|q| q.text.contains("first rule")).expect("the report around a parenthetical attribution");
    assert!(loyal.text.starts_with("Loyalty, he noted, has"), "{qs:#?}");
    assert_eq!(loyal.speaker.as_deref(), Some("Jared Tenby"), "{qs:#?}");
    // An interjection is no subject, and "See" opens no name.
    assert!(qs.iter().all(|q| !q.text.contains("it was")), "{qs:#?}");
    assert!(qs.iter().all(|q| q.speaker.as_deref() != Some("See Tenby")), "{qs:#?}");
}

#[test]
fn a_name_after_a_description_opening_the_sentence_is_its_subject() {
    let body = "Harbour vote\n\nMia Lund met the board on Monday. The vote was close.\n\n\
                Former harbour master Tomas Reyd, one of the plan’s loudest critics, was even more resolute. \
                “Absolutely not,” he said of a second vote.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "Absolutely not").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    // "Former" opens no name.
    assert!(qs.iter().all(|q| q.speaker.as_deref().is_none_or(|s| !s.starts_with("Former"))), "{qs:#?}");
}

#[test]
fn a_title_after_a_preposition_or_a_possessive_is_no_ones_words() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board on Monday.\n\n\
                Speaking Sunday on Radio Elm’s “Meet the Harbour,” Lee admitted that the fares were too high. \
                “No,” Lee said when asked about a second vote. Lee told Radio Elm’s “Morning Tide” that the vote would wait.";
    let qs = extract(body);
    assert!(qs.iter().all(|q| !q.text.contains("Meet the Harbour") && !q.text.contains("Morning Tide")), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "vote would wait").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "No,").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares were too high").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn an_honorific_chooses_between_family_members_who_share_a_surname() {
    let body = "Harbour vote\n\nMaria Tenby and her husband, former mayor Peter Tenby, spoke at the port on Monday.\n\n\
                Mrs. Tenby said the ferry plan was strong. Mr. Tenby said the vote would be close. \
                Mrs. Tenby said the board would agree.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "ferry plan was strong").as_deref(), Some("Maria Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "vote would be close").as_deref(), Some("Peter Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "board would agree").as_deref(), Some("Maria Tenby"), "{qs:#?}");
}

#[test]
fn descriptions_written_before_a_name_are_no_part_of_it() {
    let body = "Harbour vote\n\nComedian Sarah Tenby said the ferry plan was a joke. \
                Republican Peter Reyd said the vote was rigged. Elm-based Mia Lund said the fares were fair. \
                County Recorder Ann Lee said the lines were long. Reyd said the count would be checked.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "was a joke").as_deref(), Some("Sarah Tenby"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "vote was rigged").as_deref(), Some("Peter Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "fares were fair").as_deref(), Some("Mia Lund"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "lines were long").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "would be checked").as_deref(), Some("Peter Reyd"), "{qs:#?}");
}

#[test]
fn a_sentence_of_a_name_and_a_verb_of_speech_tags_the_question_before_it() {
    let body = "Harbour vote\n\nAnn Lee met Mia Lund on Monday.\n\n\
                “Didn’t we first ask for the ferry?” Lee writes to Lund. “We won!” Lund told reporters during the call. \
                “Why?” Lee said the plan had failed.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "first ask for the ferry").as_deref(), Some("Ann Lee"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "We won").as_deref(), Some("Mia Lund"), "{qs:#?}");
    // A sentence that reports a clause of its own is no tag.
    assert_eq!(speaker_of(&qs, "the plan had failed").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn a_surname_that_is_also_a_modal_or_a_month_is_a_name_once_named_in_full() {
    let body = "Harbour vote\n\nTheresa May met the harbour board in Elm on Monday.\n\n\
                “We will keep the ferry running,” May said. Will Tenby, a skipper, agreed. \
                In May, the board will vote again, Tenby said.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "keep the ferry running").as_deref(), Some("Theresa May"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "board will vote again").as_deref(), Some("Will Tenby"), "{qs:#?}");
}

#[test]
fn a_name_in_apposition_to_any_description_after_an_inverted_verb_speaks() {
    let body = "Harbour vote\n\nThe board met on Monday.\n\n\
                “The odds are against us,” said another leading harbour advocate, Tomas Reyd of the firm Reyd & Lund. \
                “We are ready,” said a top aide, Ann Lee.";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "odds are against").as_deref(), Some("Tomas Reyd"), "{qs:#?}");
    assert_eq!(speaker_of(&qs, "We are ready").as_deref(), Some("Ann Lee"), "{qs:#?}");
}

#[test]
fn a_colon_introduces_a_short_sentence_too() {
    let body = "Harbour vote\n\nJared Tenby is a skipper.\n\nJared Tenby echoed: “He speaks his mind.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "speaks his mind").as_deref(), Some("Jared Tenby"), "{qs:#?}");
}

#[test]
fn a_person_verb_and_short_object_before_a_colon_introduce_the_quotation() {
    let body = "Harbour vote\n\nMayor Ann Lee met the board on Monday.\n\n\
                She then addressed the skippers again: “Here is what I regret. I regret they do not listen.” \
                The report listed the items: “one ferry, two boats and three more of them.”";
    let qs = extract(body);
    assert_eq!(speaker_of(&qs, "what I regret").as_deref(), Some("Ann Lee"), "{qs:#?}");
    // A report is no person: its list stays unattributed.
    assert!(qs.iter().filter(|q| q.text.contains("one ferry")).all(|q| q.speaker.is_none()), "{qs:#?}");
}
