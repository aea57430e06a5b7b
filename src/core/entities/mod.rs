//! Named entities, rule-based: capitalised phrases typed as people, organisations, places or
//! other named things, with roles ("Iranian President"), spelling variants and surnames.
//!
//! Two levels: [`DocEntities`] for one article (positions, used by quote attribution) and
//! [`EntityTable`] for the corpus (canonical names and aliases, used to answer queries).
//! The fullest name is the canonical one; "Massoud" and "Masoud" with one surname are one
//! person.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::furniture;
use super::gazetteer::{self, FastMap, FastSet, LEADER_WORDS, ORG_WORDS, PLACE_WORDS, THING_WORDS, WordSet};
use super::lang::lexicon;
use super::text::{Lower, Word, edit_distance, fold_word, is_stopword, name_key, typo_budget, word_iter, words};

mod context;
mod gender;
mod given_names;
mod mentions;
mod orgs;
mod people;
mod spans;
mod table;
mod words;

pub use mentions::analyse;
pub use people::{heads_compatible, role_country, role_head, same_person};
pub use table::{Entity, EntityTable};
pub use words::ORG_NOUNS;

// The stages share their helpers through this module.
use context::*;
use gender::*;
use orgs::*;
use people::same_person_keys;
use spans::*;
use words::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

/// One occurrence of a name in a document (byte offsets into the body).
#[derive(Debug, Clone, PartialEq)]
pub struct NameMention {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// The name as written, without title or possessive.
    pub name: String,
    pub kind: EntityKind,
    /// For people: index into [`DocEntities::persons`].
    pub person: Option<usize>,
    /// A title written before the name ("Iranian Oil Minister").
    pub role: Option<String>,
    /// Byte offset where the whole phrase, title included, starts.
    pub phrase_start: usize,
    /// For organisations (and names the text treats as one): index into [`DocEntities::orgs`].
    pub org: Option<usize>,
}

/// An organisation of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOrg {
    /// The fullest form in this document ("Civil Aviation Authority" for "the CAA").
    pub name: String,
    /// Common nouns that can refer back to it: "company", "agency", "union".
    pub nouns: Vec<String>,
    /// Whether "the company" can mean it: a business rather than a public body.
    pub company_like: bool,
    pub mentions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocPerson {
    /// The fullest form in this document.
    pub name: String,
    pub variants: Vec<String>,
    pub roles: Vec<String>,
    pub gender: Option<Gender>,
    pub mentions: u32,
}

/// What one document contributes to the corpus-wide table (persisted with the index).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub persons: Vec<DocPerson>,
    /// Non-person names: (name as written most often, kind, mentions).
    pub names: Vec<(String, EntityKind, u32)>,
}

#[derive(Debug, Clone, Default)]
pub struct DocEntities {
    pub mentions: Vec<NameMention>,
    pub persons: Vec<DocPerson>,
    pub orgs: Vec<DocOrg>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sentences;

    fn doc(text: &str) -> DocEntities {
        analyse(text, &sentences::split(text), 0)
    }

    fn names(d: &DocEntities) -> Vec<&str> {
        d.mentions.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn places_and_bodies_that_look_like_people() {
        let d = doc("Ann Lee, a teacher from New York, spoke. Tom Vale, a Republican of New Hampshire, spoke. \
            The Justice Department said so. Later the Department of Justice said so. \
            The Department of Housing and Urban Development said it would act. \
            Archbishop Ada Crane of the Patriarchate of Jerusalem told reporters. \
            Jon Reyd spoke for the Log Cabin Republicans.");
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Ann Lee", "Tom Vale", "Ada Crane", "Jon Reyd"], "{:?}", names(&d));
        let all = names(&d);
        for name in ["New York", "New Hampshire", "Justice Department", "Department of Justice", "Department of Housing and Urban Development"] {
            assert!(all.contains(&name), "{name} missing from {all:?}");
        }
    }

    #[test]
    fn spanish_and_portuguese_place_names_are_no_people() {
        let d = doc("Ann Lee spoke in San Jose on Monday. Tom Vale flew to Santa Ana, then to Los Alamos and Puerto Vallarta.");
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Ann Lee", "Tom Vale"], "{:?}", names(&d));
    }

    #[test]
    fn furniture_lines_give_no_names() {
        let text = "Ferry strike ends at Port Elm.\n\
            Open this photo in gallery Harbour Minister Ada Brook speaks to reporters at the quay.\n\
            Ada Brook leaves the council chamber. Tom Vale/The Associated Press\n\
            By Lena Ortiz\n\
            WATCH: Minister Ada Brook on the strike\n\
            Article continued below\n\
            Harbour Minister Ada Brook said on Tuesday that the strike was over. Brook thanked the unions.\n";
        let d = doc(text);
        let first_line_end = text.find('\n').unwrap();
        let story = text.find("Harbour Minister Ada Brook said").unwrap();
        assert!(d.mentions.iter().all(|m| m.start < first_line_end || m.start >= story), "names on furniture lines: {:?}", names(&d));
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Ada Brook"], "{:?}", names(&d));
        assert_eq!(d.persons[0].mentions, 2, "the story's two mentions, none from captions");
    }

    #[test]
    fn dates_and_party_tags_never_join_a_name() {
        let d =
            doc("Sen. Ada Crane (D-Mich.) flew to Azerbaijan April 5 and met officials in Baku Tuesday. Rep. Tom Vale (R-Tex.) stayed in Port Elm Sept. 12.");
        let all = names(&d);
        for name in ["Azerbaijan", "Baku", "Port Elm", "Ada Crane", "Tom Vale"] {
            assert!(all.contains(&name), "{name} missing from {all:?}");
        }
        assert!(all.iter().all(|n| !n.contains("April") && !n.contains("Tuesday") && !n.contains("Sept") && !n.contains('-')), "{all:?}");
        // "May" is a surname as often as a month: it stays at the end of a name.
        let d = doc("The talks were led by Prime Minister Theresa May, officials said.");
        assert!(names(&d).contains(&"Theresa May"), "{:?}", names(&d));
    }

    #[test]
    fn party_words_are_not_words_of_a_name() {
        let d = doc("Republican Mary Ann Brook spoke first. The Vale Democratic chairwoman, Ada Crane, spoke next.");
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert!(people.contains(&"Mary Ann Brook") && people.contains(&"Ada Crane"), "{:?}", names(&d));
        assert!(names(&d).iter().all(|n| !n.contains("Republican") && !n.contains("Democratic")), "{:?}", names(&d));
    }

    #[test]
    fn headlines_handles_initials_and_shouting_are_not_names() {
        let d = doc("The campaign sent an email stating, “Mayor Ada Brook Wins Harbour Vote as She Thanks Ferry Workers.” Later, Ada Brook spoke.");
        assert!(names(&d).iter().all(|n| !n.contains("Wins") && !n.contains("Ferry Workers")), "{:?}", names(&d));
        assert!(names(&d).contains(&"Ada Brook"), "{:?}", names(&d));
        let d = doc("They posted #SaveTheFerry and @AdaBrookPort photos at t.co/XyZab12 on Tuesday.");
        assert!(names(&d).is_empty(), "{:?}", names(&d));
        let d = doc("HARBOUR TOWN, Vale. — Speaker Tom D. Vale said the ferry would sail. BEGIN VIDEO CLIP");
        assert!(names(&d).contains(&"Tom D. Vale"), "{:?}", names(&d));
        assert!(names(&d).iter().all(|n| !n.contains("HARBOUR") && !n.contains("CLIP")), "{:?}", names(&d));
        let d = doc("Montana Gov. Mira Holt and Actor Tomas Reyd spoke. The FBI and NATO said nothing.");
        let people: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Mira Holt", "Tomas Reyd"], "{:?}", names(&d));
        assert!(names(&d).contains(&"FBI") && names(&d).contains(&"NATO"), "{:?}", names(&d));
    }

    #[test]
    fn an_outlet_written_with_the_is_one_organisation() {
        let d = doc("The report was first published by The Globe and Mail on Friday, and the minister did not deny it.");
        let m = d.mentions.iter().find(|m| m.name.contains("Globe")).expect("the outlet is a name");
        assert_eq!(m.name, "Globe and Mail");
        assert_eq!(m.kind, EntityKind::Organization);
        assert!(!names(&d).contains(&"Mail"));
        // One word on each side only: "and" before a full name starts a new phrase.
        let d = doc("Lena Ortiz wrote to The Gazette and Tom Vale replied.");
        assert!(names(&d).contains(&"Tom Vale"), "{:?}", names(&d));
        assert!(names(&d).contains(&"Gazette"), "{:?}", names(&d));
    }

    #[test]
    fn people_with_titles_and_surnames() {
        let d = doc("Iranian President Masoud Pezeshkian arrived in Baku. He met Azerbaijani President Ilham Aliyev. Pezeshkian said the talks went well.");
        let names: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Masoud Pezeshkian", "Ilham Aliyev"]);
        assert_eq!(d.persons[0].mentions, 2, "the surname alone is the same person");
        assert!(d.persons[0].roles.iter().any(|r| r == "Iranian President"));
        let baku = d.mentions.iter().find(|m| m.name == "Baku").unwrap();
        assert_eq!(baku.kind, EntityKind::Place);
        assert_eq!(d.persons[0].gender, Some(Gender::Male));
    }

    #[test]
    fn a_title_before_a_name_ending_in_an_institution_is_part_of_the_body() {
        let d = doc("Bo Hecht hugged members of King Solomon Missionary Baptist Church on Sunday. Pastor Ada Crane of Ankeny Baptist Church spoke.");
        let kind = |n: &str| d.mentions.iter().find(|m| m.name == n).map(|m| m.kind);
        assert_eq!(kind("King Solomon Missionary Baptist Church"), Some(EntityKind::Organization));
        assert!(d.persons.iter().all(|p| !p.name.contains("Church")), "{:?}", d.persons);
        assert!(d.persons.iter().any(|p| p.name == "Ada Crane"), "{:?}", d.persons);
    }

    #[test]
    fn bodies_named_for_something_keep_their_for() {
        let d = doc(
            "Democracy for America launched a petition. The Committee for a Responsible Federal Budget reported the cost. Bo Hecht of the Latino Partnership for Conservative Principles spoke.",
        );
        let names = names(&d);
        for n in ["Democracy for America", "Committee for a Responsible Federal Budget", "Latino Partnership for Conservative Principles"] {
            assert!(names.contains(&n), "{n}: {names:?}");
        }
        assert!(d.persons.iter().all(|p| p.name != "Conservative Principles"), "{:?}", d.persons);
    }

    #[test]
    fn initials_written_together_open_a_name() {
        let d = doc("“It is a sad day,” said Rep. G.K. Crane, head of the caucus. J.M. Hecht agreed. The U.S. Senate voted.");
        let names = names(&d);
        assert!(names.contains(&"G.K. Crane") && names.contains(&"J.M. Hecht"), "{names:?}");
        assert!(!names.iter().any(|n| n.starts_with("U.S. Senate") && d.persons.iter().any(|p| p.name == *n)), "{:?}", d.persons);
    }

    #[test]
    fn bodies_on_something_and_company_names_after_a_title_word_stay_whole() {
        let d = doc(
            "The Commission on Harbour Debates said so. General Electric says it paid. The Centers for Disease Control said so too. The Security Council on Friday agreed.",
        );
        let names = names(&d);
        for n in ["Commission on Harbour Debates", "General Electric", "Centers for Disease Control", "Security Council"] {
            assert!(names.contains(&n), "{n}: {names:?}");
        }
    }

    #[test]
    fn organisations_places_and_things() {
        let d = doc(
            "Iran’s state news agency IRNA reported it. The Foreign Ministry spokesperson Esmail Baghaei spoke in Tehran about the Zangezur Corridor project.",
        );
        let kind = |n: &str| d.mentions.iter().find(|m| m.name == n).map(|m| m.kind);
        assert_eq!(kind("IRNA"), Some(EntityKind::Organization));
        assert_eq!(kind("Foreign Ministry"), Some(EntityKind::Organization));
        assert_eq!(kind("Esmail Baghaei"), Some(EntityKind::Person));
        assert_eq!(kind("Tehran"), Some(EntityKind::Place));
        assert_eq!(kind("Zangezur Corridor"), Some(EntityKind::Other));
        assert!(d.persons[0].roles.iter().any(|r| r.contains("spokesperson")));
    }

    #[test]
    fn role_nouns_resolve_to_people() {
        let text = "Iranian President Masoud Pezeshkian met Azerbaijani President Ilham Aliyev. The Iranian leader said he was pleased.";
        let d = doc(text);
        let pos = text.find("The Iranian leader").unwrap();
        let p = d.resolve_role(Some("Iran"), "leader", pos).unwrap();
        assert_eq!(d.persons[p].name, "Masoud Pezeshkian");
        let p = d.resolve_role(Some("Azerbaijan"), "president", pos).unwrap();
        assert_eq!(d.persons[p].name, "Ilham Aliyev");
    }

    #[test]
    fn titles_hyphenated_roles_and_post_nominals() {
        let d = doc("Vice-chair Rhona Platt opened the session. Co-author Idris Bell spoke next. The inquiry heard from Nadia Shah KC on Monday.");
        let names: Vec<&str> = d.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Rhona Platt", "Idris Bell", "Nadia Shah"]);
    }

    #[test]
    fn person_of_organisation_splits() {
        let d = doc("The deal was backed by Greta Lind of Oskar Capital and by the Bank of England.");
        let kind = |n: &str| d.mentions.iter().find(|m| m.name == n).map(|m| m.kind);
        assert_eq!(kind("Greta Lind"), Some(EntityKind::Person));
        assert_eq!(kind("Oskar Capital"), Some(EntityKind::Organization));
        assert_eq!(kind("Bank of England"), Some(EntityKind::Organization));
    }

    #[test]
    fn organisation_names_keep_plural_possessives_and_small_words() {
        let d = doc("The Welsh Teachers' Union and the Ministry for the Economy met the Food and Drink Federation. Iran's Foreign Ministry stayed away.");
        let orgs: Vec<&str> = d.orgs.iter().map(|o| o.name.as_str()).collect();
        assert!(orgs.contains(&"Welsh Teachers' Union"), "{orgs:?}");
        assert!(orgs.contains(&"Ministry for the Economy"), "{orgs:?}");
        assert!(orgs.contains(&"Food and Drink Federation"), "{orgs:?}");
        assert!(orgs.contains(&"Foreign Ministry"), "{orgs:?}");
    }

    #[test]
    fn acronyms_and_first_words_join_the_full_name() {
        let text = "The Financial Conduct Authority opened a review. The FCA said more would follow. Larkspur Bank cut rates; a Larkspur spokesman declined to comment.";
        let d = doc(text);
        let org_of = |n: &str| d.mentions.iter().find(|m| m.name == n).and_then(|m| m.org).map(|o| d.orgs[o].name.as_str());
        assert_eq!(org_of("FCA"), Some("Financial Conduct Authority"));
        let p = text.find("a Larkspur").unwrap();
        assert_eq!(d.org_with_prefix("Larkspur").map(|o| d.orgs[o].name.as_str()), Some("Larkspur Bank"));
        assert_eq!(d.resolve_org_noun("bank", p).map(|o| d.orgs[o].name.as_str()), Some("Larkspur Bank"));
        assert_eq!(d.resolve_org_noun("regulator", p).map(|o| d.orgs[o].name.as_str()), Some("Financial Conduct Authority"));
    }

    #[test]
    fn first_names_and_shared_surnames() {
        let d = doc("Tomas Berg and his sister Ingrid Berg run the farm. Tomas drives the tractor. Berg is the elder.");
        let person = |n: &str| d.mentions.iter().find(|m| m.name == n).and_then(|m| m.person).map(|p| d.persons[p].name.as_str());
        assert_eq!(person("Tomas"), Some("Tomas Berg"));
        // "Berg" alone: the family member just named as a subject.
        assert_eq!(person("Berg"), Some("Tomas Berg"));
    }

    #[test]
    fn a_shared_surname_is_the_one_the_story_is_about_unless_a_relative_was_just_the_subject() {
        let text = "Mayor Ada Tenby won the harbour vote on Monday. Ada Tenby thanked the skippers.                     Tenby promised a new quay.\n\nThe crowd cheered as her husband, the painter Jon Tenby, waved.                     The boats sounded their horns. Tenby said the quay would open in May.\n\n\
                    Jon Tenby spoke to voters outside the hall. At one point a woman asked for a photo and Tenby smiled.";
        let d = doc(text);
        let person_at = |needle: &str| {
            let at = text.find(needle).unwrap();
            d.mentions.iter().find(|m| m.start == at).and_then(|m| m.person).map(|p| d.persons[p].name.as_str())
        };
        // Not the husband named once in passing, as an apposition.
        assert_eq!(person_at("Tenby said"), Some("Ada Tenby"), "{:#?}", d.persons);
        // The husband when he was the subject a sentence before.
        assert_eq!(person_at("Tenby smiled"), Some("Jon Tenby"), "{:#?}", d.persons);
    }

    #[test]
    fn a_given_name_decides_a_gender_the_text_does_not_tell() {
        let d = doc("Jessica Quill and Bernard Sand met at the harbour. The ferry was late.");
        let g = |n: &str| d.persons.iter().find(|p| p.name == n).and_then(|p| p.gender);
        assert_eq!(g("Jessica Quill"), Some(Gender::Female));
        assert_eq!(g("Bernard Sand"), Some(Gender::Male));
    }

    #[test]
    fn gender_from_relations_not_from_objects() {
        let d = doc("Her son, Felix Moor, arrived late. Counsel for the defence, Ama Osei, questioned him for an hour.");
        let g = |n: &str| d.persons.iter().find(|p| p.name == n).and_then(|p| p.gender);
        assert_eq!(g("Felix Moor"), Some(Gender::Male));
        assert_ne!(g("Ama Osei"), Some(Gender::Male));
    }

    #[test]
    fn names_after_prepositions_are_not_speakers_of_the_next_verb() {
        let d = doc("Villagers near Lower Brampton say the road is unsafe.");
        let kind = d.mentions.iter().find(|m| m.name == "Lower Brampton").map(|m| m.kind);
        assert_eq!(kind, Some(EntityKind::Place));
    }

    #[test]
    fn table_merges_variants_and_resolves_typos() {
        let a = doc("Iranian President Masoud Pezeshkian spoke. Pezeshkian smiled.").summary();
        let b = doc("Iranian President Massoud Pezeshkian said hello. Mehdi Sanaei, the president’s political advisor, agreed.").summary();
        let table = EntityTable::build([&a, &b]);
        let e = table.resolve("massoud pezeshkian").unwrap();
        assert_eq!(e.name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("pezeshkan").unwrap().name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("PEZEŞKIAN").unwrap().name, "Masoud Pezeshkian");
        assert_eq!(table.resolve("sanaei").unwrap().name, "Mehdi Sanaei");
        let (p, topic) = table.split_name_and_topic("massoud pezeshkian gas deal").unwrap();
        assert_eq!((p.name.as_str(), topic), ("Masoud Pezeshkian", "gas deal"));
        assert!(table.resolve("bitcoin").is_none());
    }
}
