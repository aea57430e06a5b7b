//! `/brief` through the engine on small corpora written for these tests: the same brief
//! whatever the indexing order, page furniture kept out, names as people type them, and
//! plain-text files whose first line is a lead paragraph.

use std::path::Path;

use briefbot::command::Command;
use briefbot::core::answer::Answer;
use briefbot::core::engine::{Engine, EngineOptions};
use chrono::{TimeZone, Utc};

fn brief(engine: &Engine, topic: &str) -> Answer {
    engine.answer(&Command::brief(topic), Utc.with_ymd_and_hms(2031, 6, 1, 12, 0, 0).unwrap())
}

fn texts(a: &Answer) -> Vec<String> {
    a.items.iter().map(|i| i.text.clone()).collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Articles about a ferry strike in an invented port town, with facts repeated across
/// articles, equal-scoring sentences and passing mentions.
fn harbour_articles() -> Vec<(String, String)> {
    let mut out = Vec::new();
    out.push((
        "a01.md".to_string(),
        "---\ntitle: Ferry strike shuts Port Elm harbour\ndate: 2031-05-02\n---\nFerry workers in Port Elm began a strike on Monday over pay and pensions.\nThe Harbour Workers Union said 400 members walked out at dawn.\nMayor Ada Brook urged both sides to return to talks.\nThe strike halted crossings to the Tarn islands.\n".to_string(),
    ));
    out.push((
        "a02.md".to_string(),
        "---\ntitle: Strike enters second week\ndate: 2031-05-09\n---\nThe ferry strike in Port Elm entered its second week on Monday.\nThe Harbour Workers Union said 400 members remain on strike.\nIsland shops reported shortages of milk and bread.\nMayor Ada Brook met union leaders on Sunday evening.\n".to_string(),
    ));
    out.push((
        "a03.md".to_string(),
        "---\ntitle: Ferry strike ends with pay deal\ndate: 2031-05-16\n---\nThe ferry strike in Port Elm ended on Friday after workers accepted a pay rise of six percent.\nMayor Ada Brook said the harbour would reopen on Saturday.\nThe union called the deal a fair settlement.\n".to_string(),
    ));
    for i in 4..12 {
        out.push((
            format!("a{i:02}.md"),
            format!(
                "---\ntitle: Harbour notes {i}\ndate: 2031-05-{:02}\n---\nThe council of Port Elm met to discuss the budget for item {i}.\nA resident asked about the strike at the end of the meeting.\nThe library will open late on Thursdays.\n",
                i + 10
            ),
        ));
    }
    out
}

#[test]
fn same_corpus_same_brief_whatever_the_indexing_order() {
    let articles = harbour_articles();
    let mut answers: Vec<Vec<Vec<String>>> = Vec::new();
    for order in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        // Different orders, one article per refresh: every article lands in its own
        // segment, in another place each time.
        let mut list: Vec<&(String, String)> = articles.iter().collect();
        if order == 1 {
            list.reverse();
            list.rotate_left(3);
        }
        for (name, text) in list {
            write(&corpus, name, text);
            engine.refresh().unwrap();
        }
        let per_topic: Vec<Vec<String>> = ["strike", "port elm", "ada brook", "union"]
            .iter()
            .map(|t| {
                let a = brief(&engine, t);
                let mut v = texts(&a);
                v.extend(a.items.iter().map(|i| i.sources.iter().map(|s| s.doc.clone()).collect::<Vec<_>>().join(",")));
                v
            })
            .collect();
        assert!(per_topic.iter().all(|v| !v.is_empty()), "every topic has bullets: {per_topic:?}");
        answers.push(per_topic);
    }
    assert_eq!(answers[0], answers[1], "the same corpus indexed in two orders gives the same briefs");
}

#[test]
fn captions_credits_and_furniture_lines_stay_out_of_briefs() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write(
        &corpus,
        "g1.md",
        "---\ntitle: Granary fire in Wexcombe\ndate: 2031-04-02\n---\nOpen this photo in gallery Firefighters at the Wexcombe granary fire on Tuesday.\nA fire destroyed the old Wexcombe granary on Tuesday night, the fire service said.\nFirefighters stand beside the burnt Wexcombe granary. Lena Ortiz/The Associated Press\nWATCH: Wexcombe granary fire seen from the river\nWEXCOMBE GRANARY FIRE: WHAT WE KNOW.\nThe Wexcombe granary had stood empty since 2019, the council said.\nEditor’s note: This article about the Wexcombe granary was updated with the council's figures.\n",
    );
    write(
        &corpus,
        "g2.md",
        "---\ntitle: Council to rebuild granary\ndate: 2031-04-05\n---\nWexcombe council will rebuild the granary as a market hall, the mayor announced.\n“The Wexcombe granary is part of who we are. We will rebuild the granary stone by stone,” the mayor said.\nBut the granary insurance covers only half of the cost.\n",
    );
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "granary");
    let body = texts(&a).join("\n");
    assert!(body.contains("A fire destroyed the old Wexcombe granary"), "{body}");
    for furniture in ["Open this photo", "Lena Ortiz", "WATCH", "WHAT WE KNOW", "Editor’s note", "We will rebuild the granary stone", "But the granary"] {
        assert!(!body.contains(furniture), "furniture or a leaning sentence in the brief ({furniture}): {body}");
    }
    assert!(a.items.iter().all(|i| !i.sources.is_empty()), "every bullet is cited");
}

#[test]
fn transposed_letters_and_partial_names_find_the_topic() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write(
        &corpus,
        "t1.md",
        "---\ntitle: Telecom deal\ndate: 2031-03-01\n---\nHuawei signed a network contract with the port authority of Elmstead on Monday.\nThe contract covers 5G masts along the quay.\n",
    );
    write(
        &corpus,
        "t2.md",
        "---\ntitle: Chair steps down\ndate: 2031-03-02\n---\nMarta Quillon Vesper resigned as chair of the Elmstead harbour board on Tuesday.\nQuillon Vesper had led the board since 2027.\nMarta Quillon Vesper will stay on as a board member.\n",
    );
    write(
        &corpus,
        "t3.md",
        "---\ntitle: Board vote\ndate: 2031-03-03\n---\nThe board thanked Marta Quillon Vesper for her years as chair.\nAnalyst Tom Quillon said the vote was expected.\n",
    );
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "huwaei");
    assert!(texts(&a).join(" ").contains("Huawei signed a network contract"), "{a:?}");
    assert!(a.notice.as_deref().is_some_and(|n| n.contains("Huawei")), "the answer says which spelling it used: {:?}", a.notice);
    let a = brief(&engine, "quillon");
    let body = texts(&a).join("\n");
    assert!(body.contains("Marta Quillon Vesper resigned"), "{body}");
    assert!(!body.contains("Analyst Tom Quillon"), "the partial name follows the person the corpus names most: {body}");
    assert!(a.notice.as_deref().is_some_and(|n| n.contains("Marta Quillon Vesper")), "{:?}", a.notice);
    assert!(brief(&engine, "fentanyl").items.is_empty(), "an absent topic gives no bullets");
}

#[test]
fn a_full_name_typed_without_its_middle_initial_is_searched_as_typed() {
    // One outlet writes the middle initial, the others do not: the initial alone is no
    // fuller name to narrow the search to.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (i, line) in [
        "Judge Oren K. Tallis was named to lead the inquiry into the harbour fire on Monday.",
        "The council said Judge Oren K. Tallis would report by the end of the year.",
        "Oren K. Tallis served twelve years on the appeals court.",
    ]
    .iter()
    .enumerate()
    {
        write(&corpus, &format!("k{i}.md"), &format!("---\ntitle: Inquiry {i}\ndate: 2031-04-0{}\n---\n{line}\n", i + 1));
    }
    write(&corpus, "p1.md", "---\ntitle: Hearings open\ndate: 2031-04-08\n---\nOren Tallis opened the first public hearing of the inquiry on Tuesday.\n");
    write(&corpus, "p2.md", "---\ntitle: Witnesses\ndate: 2031-04-09\n---\nOren Tallis heard eleven witnesses from the harbour crews.\n");
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "oren tallis");
    let body = texts(&a).join("\n");
    assert!(body.contains("opened the first public hearing") && body.contains("heard eleven witnesses"), "{body}");
    assert!(!a.notice.as_deref().is_some_and(|n| n.contains("K. Tallis")), "{:?}", a.notice);
}

#[test]
fn a_lead_paragraph_on_the_first_line_is_used_in_briefs() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write(
        &corpus,
        "lead.txt",
        "The Ostrava tram line will close for six months from July while engineers replace the bridge over the river, the city transport office said on Monday. Buses will replace the trams.\nWork on the bridge was delayed twice by flooding.\n",
    );
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "tram");
    assert!(texts(&a).join(" ").contains("The Ostrava tram line will close for six months"), "{a:?}");
    let title = &a.items[0].sources[0].title;
    assert!(title.starts_with("The Ostrava tram line") && title.chars().count() <= 100, "{title}");
}

#[test]
fn list_headings_glued_to_a_line_and_spaced_labels_stay_out_of_briefs() {
    // A scraped agenda repeats each item and glues the next heading after it on one line;
    // an editor's note spelled with no-break spaces is still an editor's note.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write(
        &corpus,
        "h1.md",
        "---\ntitle: Mayor visits Lindqvist port\ndate: 2031-03-02\n---\nMayor Ada Brook visited the Lindqvist container port on Monday to discuss its expansion.\n\nAgenda of the visit\n\nTrade: New cranes for the Lindqvist quay.\n\nNew cranes for the Lindqvist quay. Transport: The rail spur from Lindqvist to the inland depot.\n\nThe Lindqvist port handled four million containers last year, the port authority said.\n\nEditor\u{2019}s\u{a0}note:\u{a0}This story about the Lindqvist port was corrected on Tuesday.\n",
    );
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "lindqvist");
    let body = texts(&a).join("\n");
    assert!(body.contains("handled four million containers"), "{body}");
    for heading in ["Transport:", "Trade:", "Editor", "This story about"] {
        assert!(!body.contains(heading), "a heading or label line in the brief ({heading}): {body}");
    }
}

#[test]
fn a_bullet_goes_on_with_what_its_article_says_next_when_the_brief_has_room() {
    // The vote's result is in the sentence after the one naming the town, without the name;
    // seven sentences name the town, so the result would not win one of the five bullets.
    // The brief has characters to spare: the bullet naming the town goes on with it, cited
    // as one range.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write(
        &corpus,
        "v1.md",
        "---\ntitle: Harlock votes on the bypass\ndate: 2031-02-03\n---\nHarlock councillors voted on the bypass plan on Tuesday.\nThe bypass plan passed by thirty-one votes to twelve.\nHarlock residents had campaigned for the bypass for a decade.\n",
    );
    for (i, (title, line)) in [
        ("Market day", "The Harlock market opened under new awnings on Saturday."),
        ("School news", "Harlock school won the county chess trophy."),
        ("Weather", "Snow closed the Harlock road for a day."),
        ("Sport", "Harlock rovers drew with the city side."),
        ("Arts", "The Harlock choir sang at the cathedral."),
    ]
    .iter()
    .enumerate()
    {
        write(&corpus, &format!("w{i}.md"), &format!("---\ntitle: {title}\ndate: 2031-02-0{}\n---\n{line}\n", i + 4));
    }
    let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
    let a = brief(&engine, "harlock");
    let bullet = a.items.iter().find(|i| i.text.contains("voted on the bypass plan")).unwrap_or_else(|| panic!("{a:?}"));
    assert_eq!(bullet.text, "Harlock councillors voted on the bypass plan on Tuesday. The bypass plan passed by thirty-one votes to twelve.");
    // The article's lines are one sentence each: the cited range is the bullet's text.
    let (start, end) = bullet.sources[0].span.expect("a cited range");
    assert_eq!(end - start, bullet.text.chars().count() as u64, "one range over both sentences");
    assert!(texts(&a).iter().all(|t| !t.starts_with("The bypass plan passed")), "{:?}", texts(&a));
    assert!(a.items.len() <= 5 && texts(&a).iter().map(|t| t.chars().count()).sum::<usize>() <= 1500);
}

/// Forty weeks of campaign notes that name the town in 120 short sentences (more than a
/// brief's 100 best matches), then the result in one long sentence of the newest article,
/// whose headline is `result_title`.
fn campaign_then_result(corpus: &Path, result_title: &str) {
    let places =
        ["north", "south", "east", "west", "river", "market", "harbour", "station", "chapel", "mill", "bridge", "school", "quarry", "orchard", "forge"];
    for i in 0..40 {
        let (a, b) = (places[i % places.len()], places[(i * 7 + 3) % places.len()]);
        let text = format!(
            "---\ntitle: Town notes {i}\ndate: 2031-{:02}-{:02}\n---\nFerrowmere campaigners met at the {a} hall, meeting {i}.\nFerrowmere volunteers canvassed the {b} ward, round {i}.\nFerrowmere posters number {i} went up by the {a}.\n",
            1 + i / 10,
            1 + i % 27
        );
        write(corpus, &format!("p{i:02}.md"), &text);
    }
    write(
        corpus,
        "z1.md",
        &format!(
            "---\ntitle: {result_title}\ndate: 2031-06-20\n---\nVoters approved the Ferrowmere dam on Sunday by 5,210 votes to 3,004, the returning officer announced after a long overnight count in the old town hall.\n"
        ),
    );
}

#[test]
fn the_newest_article_with_the_topic_in_its_headline_is_read_though_its_sentences_rank_low() {
    // The result's one long sentence ranks below the 120 short mentions, so the matches
    // alone never reach it; its headline naming the town is what brings the article in.
    let result = "Voters approved the Ferrowmere dam on Sunday";
    for (title, found) in [("Ferrowmere approves the dam", true), ("Sunday count", false)] {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        campaign_then_result(&corpus, title);
        let (engine, _) = Engine::open(&EngineOptions::new(&corpus, dir.path().join("data"))).unwrap();
        let body = texts(&brief(&engine, "ferrowmere")).join("\n");
        assert_eq!(body.contains(result), found, "headline {title:?}: {body}");
    }
}
