//! A person's gender, read from how the text refers to them: honorifics and family words in
//! a role, and pronouns after a sentence that names them alone, outside quotation marks.
//!
//! Invariant: no vote, no gender; a tie leaves it unknown.

use super::*;

/// Byte ranges inside double quotation marks (straight or curly), within a paragraph.
/// Pronouns there belong to the quoted speaker's world, not to the narration.
pub(super) fn quoted_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev = ' ';
    for (i, c) in body.char_indices() {
        match (open, c) {
            (None, '“') => open = Some(i),
            (None, '"') if !prev.is_alphanumeric() => open = Some(i),
            (Some(s), '”' | '"') => {
                out.push(s..i + c.len_utf8());
                open = None;
            }
            (Some(s), '\n') => {
                out.push(s..i);
                open = None;
            }
            _ => {}
        }
        prev = c;
    }
    if let Some(s) = open {
        out.push(s..body.len());
    }
    out
}

/// "her office" (possessive) rather than "told her that" (object, often someone else).
pub(super) fn possessive_her(after: &str) -> bool {
    let Some(next) = after.strip_prefix(' ').and_then(|a| word_iter(a).next()) else { return false };
    after[1..1 + next.start].is_empty() && next.text.starts_with(char::is_lowercase) && !lexicon::is_function_word(next.text)
}

pub(super) fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= pos);
    ranges.get(i).is_some_and(|r| r.start <= pos)
}

/// Gender from how the text refers back: a sentence naming exactly one person followed
/// (in it or the next sentence) by he/his/him or she/her, outside quotation marks (a
/// quote's pronouns point into the speaker's own story). Honorifics and family words in a
/// role ("Mrs", "her son, ...", "a mother of three") decide outright.
pub(super) fn infer_genders(body: &str, sentences: &[Range<usize>], mentions: &[NameMention], persons: &mut [DocPerson], quoted: &[Range<usize>]) {
    let mut votes = vec![(0i32, 0i32); persons.len()];
    for (p, person) in persons.iter().enumerate() {
        for role in &person.roles {
            let r = role.to_lowercase();
            // The role's head describes the person; "Her son" is male whatever "her" says.
            let head_at = r.split(' ').position(|w| matches!(w, "of" | "to" | "for" | "at")).unwrap_or(usize::MAX);
            for (k, w) in r.split(' ').enumerate() {
                let w = strip_possessive(w.trim_end_matches(['.', ',']));
                let weight = if k < head_at { 5 } else { 2 };
                if gazetteer::MALE_WORDS.contains(&w) {
                    votes[p].0 += weight;
                }
                if gazetteer::FEMALE_WORDS.contains(&w) {
                    votes[p].1 += weight;
                }
            }
        }
    }
    // A common given name ("Jessica Ruiz", "Bernard Sand") votes like an honorific, a little
    // less: the text's own pronouns can still outvote it.
    for (p, person) in persons.iter().enumerate() {
        if !person.name.contains(' ') {
            continue;
        }
        match given_name_gender(first_word(&person.name)) {
            Some(Gender::Male) => votes[p].0 += 3,
            Some(Gender::Female) => votes[p].1 += 3,
            None => {}
        }
    }
    for m in mentions {
        let Some(p) = m.person else { continue };
        if let Some(role) = &m.role {
            let r = role.to_lowercase();
            if r.split(' ').any(|w| matches!(w.trim_end_matches('.'), "mr" | "sir" | "lord" | "king" | "prince")) {
                votes[p].0 += 5;
            }
            if r.split(' ').any(|w| matches!(w.trim_end_matches('.'), "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess")) {
                votes[p].1 += 5;
            }
        }
    }
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for m in mentions {
        if let Some(p) = m.person
            && !in_ranges(quoted, m.start)
            && m.sentence < by_sentence.len()
            && !by_sentence[m.sentence].contains(&p)
        {
            by_sentence[m.sentence].push(p);
        }
    }
    for (si, range) in sentences.iter().enumerate() {
        if by_sentence[si].len() != 1 {
            continue;
        }
        let person = by_sentence[si][0];
        // Pronouns refer back: only those after the person's first mention count.
        let lo = mentions.partition_point(|m| m.sentence < si);
        let first_at = mentions[lo..].iter().find(|m| m.person == Some(person)).map_or(range.start, |m| m.end);
        let mut male = 0;
        let mut female = 0;
        let mut count = |r: &Range<usize>| {
            for w in word_iter(&body[r.clone()]) {
                if in_ranges(quoted, r.start + w.start) || r.start + w.start >= r.end {
                    continue;
                }
                // Subject and possessive forms: an object ("questioned him") is usually
                // someone else.
                match w.text {
                    "he" | "He" | "his" | "His" | "himself" => male += 1,
                    "she" | "She" | "Her" | "hers" | "herself" => female += 1,
                    "her" if possessive_her(&body[r.start + w.end..]) => female += 1,
                    _ => {}
                }
            }
        };
        count(&(first_at..range.end));
        // The next sentence counts up to where it names someone else.
        if let Some(next) = sentences.get(si + 1) {
            let lo = mentions.partition_point(|m| m.sentence <= si);
            let other =
                mentions[lo..].iter().take_while(|m| m.sentence == si + 1).find(|m| m.person.is_some_and(|q| q != person) && !in_ranges(quoted, m.start));
            count(&(next.start..other.map_or(next.end, |m| m.start)));
        }
        if male > 0 && female == 0 {
            votes[person].0 += 1;
        } else if female > 0 && male == 0 {
            votes[person].1 += 1;
        }
    }
    for (p, (m, f)) in persons.iter_mut().zip(votes) {
        p.gender = if m > f {
            Some(Gender::Male)
        } else if f > m {
            Some(Gender::Female)
        } else {
            None
        };
    }
}

/// Given names that are one gender's in most of the news this bot reads. Names common to
/// both (Jordan, Kelly, Lindsey, Jean, Chris) and names that are also places or words
/// (Virginia, Madison, Hope) are left out: no vote is better than a wrong one.
const MALE_GIVEN: &[&str] = &[
    "aaron",
    "abbas",
    "abdul",
    "abdullah",
    "adam",
    "adrian",
    "ahmad",
    "ahmed",
    "ahmet",
    "akbar",
    "alan",
    "albert",
    "alberto",
    "alejandro",
    "alexander",
    "alexei",
    "alexey",
    "alfred",
    "ali",
    "allen",
    "alvin",
    "andre",
    "andrei",
    "andres",
    "andrew",
    "andy",
    "angelo",
    "anthony",
    "antonio",
    "arnold",
    "arthur",
    "austin",
    "barack",
    "barry",
    "bashar",
    "ben",
    "benjamin",
    "bernard",
    "bernie",
    "bill",
    "billy",
    "bob",
    "bobby",
    "boris",
    "brad",
    "bradley",
    "brandon",
    "brent",
    "bret",
    "brett",
    "brian",
    "bruce",
    "bryan",
    "calvin",
    "carl",
    "carlos",
    "carlton",
    "cecil",
    "chad",
    "charles",
    "chester",
    "christopher",
    "chuck",
    "clarence",
    "clark",
    "claude",
    "clifford",
    "clint",
    "colin",
    "cory",
    "craig",
    "curtis",
    "dan",
    "daniel",
    "danny",
    "darrell",
    "darren",
    "dave",
    "david",
    "dennis",
    "derek",
    "dick",
    "diego",
    "dmitri",
    "dmitry",
    "don",
    "donald",
    "doug",
    "douglas",
    "duane",
    "dustin",
    "dylan",
    "earl",
    "ed",
    "eddie",
    "edgar",
    "edward",
    "edwin",
    "ehud",
    "eli",
    "elijah",
    "elliott",
    "emilio",
    "emmanuel",
    "enrique",
    "eric",
    "ernest",
    "ernesto",
    "ethan",
    "eugene",
    "evan",
    "felix",
    "fernando",
    "fidel",
    "floyd",
    "francisco",
    "francois",
    "frank",
    "fred",
    "frederick",
    "friedrich",
    "gabriel",
    "gary",
    "gavin",
    "gene",
    "george",
    "gerald",
    "gerhard",
    "gilbert",
    "giovanni",
    "giuseppe",
    "glenn",
    "gordon",
    "greg",
    "gregory",
    "hamid",
    "hamza",
    "hank",
    "hans",
    "harold",
    "harry",
    "harvey",
    "hassan",
    "hector",
    "heinrich",
    "helmut",
    "henry",
    "herbert",
    "herman",
    "hiroshi",
    "hossein",
    "howard",
    "hugh",
    "hussein",
    "ian",
    "ibrahim",
    "igor",
    "ilham",
    "isaac",
    "ivan",
    "jack",
    "jacob",
    "jacques",
    "jake",
    "jamal",
    "james",
    "jared",
    "jason",
    "javad",
    "javier",
    "jay",
    "jeb",
    "jeff",
    "jeffery",
    "jeffrey",
    "jens",
    "jeremy",
    "jerome",
    "jerry",
    "jesse",
    "jesus",
    "jim",
    "jimmy",
    "joe",
    "joel",
    "joey",
    "john",
    "johnny",
    "jon",
    "jonah",
    "jonathan",
    "jorge",
    "jose",
    "joseph",
    "joshua",
    "juan",
    "juergen",
    "julian",
    "julio",
    "justin",
    "karl",
    "keith",
    "ken",
    "kenneth",
    "kenny",
    "kevin",
    "klaus",
    "kurt",
    "kyle",
    "lance",
    "larry",
    "lars",
    "lawrence",
    "leo",
    "leon",
    "leonard",
    "leroy",
    "lewis",
    "lloyd",
    "lonnie",
    "lorenzo",
    "louis",
    "lucas",
    "luis",
    "luke",
    "lyndon",
    "mahmoud",
    "malcolm",
    "manuel",
    "marco",
    "marcus",
    "mario",
    "mark",
    "marshall",
    "martin",
    "marvin",
    "masoud",
    "matt",
    "matthew",
    "maurice",
    "max",
    "mehmet",
    "melvin",
    "micah",
    "michael",
    "mickey",
    "miguel",
    "mike",
    "mikhail",
    "miles",
    "milton",
    "mitch",
    "mitchell",
    "mitt",
    "mohamed",
    "mohammad",
    "mohammed",
    "morris",
    "moshe",
    "muhammad",
    "mustafa",
    "narendra",
    "nate",
    "nathan",
    "neil",
    "nelson",
    "newt",
    "nicholas",
    "nick",
    "nikolai",
    "noah",
    "norman",
    "olaf",
    "oliver",
    "omar",
    "oscar",
    "owen",
    "pablo",
    "patrick",
    "paul",
    "pedro",
    "perry",
    "peter",
    "phil",
    "philip",
    "pierre",
    "preston",
    "rafael",
    "rahul",
    "ralph",
    "rand",
    "randy",
    "ray",
    "raymond",
    "recep",
    "reggie",
    "reince",
    "rex",
    "ricardo",
    "richard",
    "rick",
    "ricky",
    "rob",
    "robbie",
    "robert",
    "roberto",
    "rodney",
    "rodrigo",
    "roger",
    "rolando",
    "ron",
    "ronald",
    "ronnie",
    "ross",
    "roy",
    "ruben",
    "rudy",
    "russell",
    "ryan",
    "sammy",
    "samuel",
    "sanjay",
    "saul",
    "scott",
    "sean",
    "sergei",
    "sergio",
    "seth",
    "shane",
    "shinzo",
    "sidney",
    "simon",
    "stanley",
    "stefan",
    "stephen",
    "steve",
    "steven",
    "stuart",
    "sven",
    "tariq",
    "ted",
    "theodore",
    "thomas",
    "tim",
    "timothy",
    "toby",
    "todd",
    "tom",
    "tommy",
    "tony",
    "travis",
    "trevor",
    "troy",
    "tyler",
    "vernon",
    "victor",
    "viktor",
    "vincent",
    "vladimir",
    "wade",
    "wallace",
    "walter",
    "warren",
    "wayne",
    "wesley",
    "wilbur",
    "william",
    "willie",
    "wolfgang",
    "xavier",
    "yasser",
    "yitzhak",
    "yuri",
    "yusuf",
    "zach",
    "zachary",
];
const FEMALE_GIVEN: &[&str] = &[
    "abigail",
    "ada",
    "adriana",
    "aisha",
    "alexandra",
    "alice",
    "alicia",
    "alison",
    "allison",
    "alma",
    "amanda",
    "amber",
    "amelia",
    "amy",
    "ana",
    "anastasia",
    "andrea",
    "angela",
    "anita",
    "ann",
    "anna",
    "anne",
    "annette",
    "ashley",
    "audrey",
    "ayanna",
    "barbara",
    "becky",
    "belinda",
    "benazir",
    "bernadette",
    "beth",
    "betsy",
    "betty",
    "beverly",
    "bonnie",
    "brenda",
    "brigitte",
    "brittany",
    "brooke",
    "caitlin",
    "camille",
    "candice",
    "carly",
    "carmen",
    "carol",
    "caroline",
    "carolyn",
    "carrie",
    "cassandra",
    "catherine",
    "cecilia",
    "charlene",
    "charlotte",
    "chelsea",
    "cheryl",
    "christina",
    "christine",
    "cindy",
    "claire",
    "claudia",
    "colleen",
    "condoleezza",
    "connie",
    "crystal",
    "cynthia",
    "daisy",
    "danielle",
    "darlene",
    "debbie",
    "deborah",
    "debra",
    "delores",
    "denise",
    "diana",
    "diane",
    "dianne",
    "dolores",
    "donna",
    "doris",
    "dorothy",
    "edith",
    "eileen",
    "elaine",
    "eleanor",
    "elena",
    "elise",
    "elizabeth",
    "ella",
    "ellen",
    "elsa",
    "emily",
    "emma",
    "erica",
    "erin",
    "esther",
    "ethel",
    "eva",
    "evelyn",
    "fatima",
    "felicia",
    "fiona",
    "florence",
    "frances",
    "gabriela",
    "gail",
    "gina",
    "gloria",
    "golda",
    "greta",
    "gwen",
    "hannah",
    "harriet",
    "heather",
    "heidi",
    "helen",
    "hilary",
    "hillary",
    "holly",
    "huma",
    "ida",
    "ilhan",
    "indira",
    "ingrid",
    "irene",
    "irina",
    "iris",
    "isabel",
    "isabella",
    "ivanka",
    "jacinda",
    "jacqueline",
    "jane",
    "janelle",
    "janet",
    "janice",
    "jasmine",
    "jeanne",
    "jenna",
    "jennifer",
    "jenny",
    "jessica",
    "jill",
    "joan",
    "joanna",
    "joanne",
    "jocelyn",
    "josephine",
    "joyce",
    "juanita",
    "judith",
    "judy",
    "julia",
    "julie",
    "justine",
    "kamala",
    "kara",
    "karen",
    "kate",
    "katherine",
    "kathleen",
    "kathryn",
    "katie",
    "katrina",
    "kay",
    "kayla",
    "kellyanne",
    "kimberly",
    "kirsten",
    "kirstjen",
    "kristen",
    "kristin",
    "lana",
    "laura",
    "lauren",
    "leah",
    "leila",
    "lillian",
    "lily",
    "linda",
    "lisa",
    "lois",
    "loretta",
    "lori",
    "lorraine",
    "louise",
    "lucia",
    "lucy",
    "lydia",
    "mabel",
    "madeleine",
    "mallory",
    "marcia",
    "margaret",
    "margarita",
    "maria",
    "marianne",
    "marie",
    "marilyn",
    "marina",
    "marjorie",
    "marlene",
    "marsha",
    "martha",
    "mary",
    "maryam",
    "maureen",
    "maxine",
    "megan",
    "melania",
    "melanie",
    "melissa",
    "michele",
    "michelle",
    "mildred",
    "miranda",
    "molly",
    "monica",
    "nadia",
    "nadine",
    "nancy",
    "naomi",
    "natalia",
    "natalie",
    "natasha",
    "nathalie",
    "nicole",
    "nikki",
    "nina",
    "nora",
    "norma",
    "olga",
    "olivia",
    "pamela",
    "patricia",
    "paula",
    "pauline",
    "peggy",
    "penny",
    "phyllis",
    "priscilla",
    "rachael",
    "rachel",
    "ramona",
    "rashida",
    "rebecca",
    "regina",
    "renee",
    "rita",
    "roberta",
    "rosa",
    "rosemary",
    "roxanne",
    "ruth",
    "sabrina",
    "sally",
    "samantha",
    "sandra",
    "sara",
    "sarah",
    "selena",
    "serena",
    "sharon",
    "sheila",
    "sherry",
    "shirley",
    "sofia",
    "sonia",
    "sonya",
    "sophia",
    "sophie",
    "stacey",
    "stacy",
    "stephanie",
    "sue",
    "susan",
    "susana",
    "suzanne",
    "svetlana",
    "sylvia",
    "tamara",
    "tammy",
    "tanya",
    "tara",
    "teresa",
    "theresa",
    "tiffany",
    "tina",
    "tulsi",
    "ursula",
    "valerie",
    "vanessa",
    "vera",
    "veronica",
    "vicki",
    "victoria",
    "vivian",
    "wanda",
    "wendy",
    "yolanda",
    "yulia",
    "yvonne",
    "zahra",
    "zoe",
];

/// The gender a given name says, if it is one of the unambiguous common ones.
pub(super) fn given_name_gender(name: &str) -> Option<Gender> {
    let l = Lower::new(name);
    if MALE_GIVEN.binary_search(&l.as_str()).is_ok() {
        Some(Gender::Male)
    } else if FEMALE_GIVEN.binary_search(&l.as_str()).is_ok() {
        Some(Gender::Female)
    } else {
        None
    }
}

#[cfg(test)]
mod given_name_tests {
    use super::*;

    #[test]
    fn given_name_lists_are_sorted_and_decide_only_unambiguous_names() {
        assert!(MALE_GIVEN.windows(2).all(|w| w[0] < w[1]) && FEMALE_GIVEN.windows(2).all(|w| w[0] < w[1]));
        assert!(MALE_GIVEN.iter().all(|m| FEMALE_GIVEN.binary_search(m).is_err()));
        assert_eq!(given_name_gender("Jessica"), Some(Gender::Female));
        assert_eq!(given_name_gender("BERNARD"), Some(Gender::Male));
        assert_eq!(given_name_gender("Jordan"), None);
    }
}
