//! Article extraction on pages written for these tests (tests/fixtures/extract): every page
//! with a readable body is kept (lists, tables, text in spans, one-paragraph news), titles
//! are reconciled without site names, metadata comes from the page, and pages without a body
//! are refused with a reason that says which kind they are.

use briefbot::ingest::extract::{ExtractError, Extracted, extract};
use chrono::NaiveDate;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/extract");
/// The default `ingest.min_article_chars`.
const MIN_CHARS: usize = 250;

fn page(name: &str) -> Result<Extracted, ExtractError> {
    let html = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
    extract(&html, None, MIN_CHARS)
}

fn ok(name: &str) -> Extracted {
    page(name).unwrap_or_else(|e| panic!("{name} refused: {e}"))
}

fn refused(name: &str) -> String {
    match page(name) {
        Ok(x) => panic!("{name} was stored: {x:?}"),
        Err(ExtractError::NotAnArticle(why)) => why,
    }
}

#[test]
fn a_numbered_list_is_an_article() {
    let x = ok("list_page.html");
    assert_eq!(x.title, "Ten things to know before the ferry strike");
    for item in ["The strike starts at midnight on Thursday", "A second 48-hour strike has been announced"] {
        assert!(x.text.contains(item), "{item} missing: {}", x.text);
    }
    assert!(!x.text.contains("Contact"), "{}", x.text);
}

#[test]
fn a_table_of_results_is_an_article() {
    let x = ok("table_page.html");
    assert_eq!(x.title, "Coastal league standings after round 12");
    assert!(x.text.contains("Northpier Rovers") && x.text.contains("Estuary Albion"), "{}", x.text);
    assert!(x.text.contains("29"), "{}", x.text);
}

#[test]
fn text_written_in_spans_is_an_article() {
    let x = ok("span_page.html");
    assert!(x.text.contains("closed for the first time on Saturday night"), "{}", x.text);
    assert!(x.text.contains("two thousand tonnes each"), "{}", x.text);
    assert_eq!(x.title, "Tidal barrier passes its first winter test");
}

#[test]
fn one_paragraph_of_breaking_news_is_an_article() {
    let x = ok("breaking_news.html");
    assert!(x.text.chars().count() < MIN_CHARS, "the page is shorter than the old threshold: {}", x.text);
    assert!(x.text.starts_with("Firefighters are tackling a blaze"), "{}", x.text);
    assert_eq!(x.title, "BREAKING: Fire closes the old grain pier");
    assert_eq!(x.date, NaiveDate::from_ymd_opt(2025, 6, 3));
    assert_eq!(x.site_name.as_deref(), Some("Estuary Daily"));
}

#[test]
fn titles_lose_the_site_name_and_are_never_cut() {
    let x = ok("titles_page.html");
    assert_eq!(x.title, "Pilots' union rejects the new roster, calls a vote on industrial action across all three regional airports");
    assert_eq!(x.canonical.as_deref(), Some("https://www.coastalcourier.example/2025/06/04/pilots-vote"));
}

#[test]
fn a_heading_that_opens_the_body_beats_a_title_naming_only_the_site() {
    let x = ok("old_sports_page.html");
    assert_eq!(x.title, "Northpier crew take the estuary cup by a length");
    // The headline and the lines above it are not body text.
    assert!(x.text.starts_with("Saltmouth (Sports Wire) - The Northpier eight"), "{}", x.text);
    assert!(x.text.contains("first win in the race"), "{}", x.text);
}

#[test]
fn share_links_name_the_headline_when_the_title_is_broken() {
    let x = ok("share_links_page.html");
    assert_eq!(x.title, "Ferry timetable cut for the winter");
    assert!(x.text.contains("four crossings a day"), "{}", x.text);
}

#[test]
fn two_titles_joined_and_site_names_glued_to_the_headline_go() {
    let page = |title: &str, heading: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/c\">City</a></div>\
             <div class=\"story\"><div class=\"storyheader\">{heading}</div>\
             <p>The old swing bridge will close for six weeks from Monday while its deck is replaced, the council said, and buses will be diverted over the ring road.</p>\
             <p>Cyclists and walkers can still cross on a temporary footbridge beside it, which opens on Saturday.</p></div></body></html>"
        )
    };
    let x = extract(
        &page("Swing bridge to close for repairs    , Council Diverts Buses Over The Ring Road - City Buzz", "Swing bridge to close for repairs"),
        None,
        MIN_CHARS,
    )
    .unwrap();
    assert_eq!(x.title, "Swing bridge to close for repairs");
    let x = extract(&page("Swing bridge to close for six weeks-City-News-The Quay Times", "Swing bridge to close for six weeks"), None, MIN_CHARS).unwrap();
    assert_eq!(x.title, "Swing bridge to close for six weeks");
    // A hyphen inside the headline stays.
    let x = extract(
        &page("Wrong-way cyclist stopped on the bridge", "<h2>Wrong-way cyclist stopped on the bridge</h2><h4>Ann Ray, City Desk</h4>"),
        None,
        MIN_CHARS,
    )
    .unwrap();
    assert_eq!(x.title, "Wrong-way cyclist stopped on the bridge");
}

#[test]
fn date_author_and_outlet_come_from_the_page_metadata() {
    let x = ok("metadata_page.html");
    assert_eq!(x.title, "Shipyard wins order for two research vessels");
    assert_eq!(x.date, NaiveDate::from_ymd_opt(2025, 3, 14));
    assert_eq!(x.byline.as_deref(), Some("Ines Kowalczyk"));
    assert_eq!(x.site_name.as_deref(), Some("Marine Ledger"));
    assert!(x.text.starts_with("The northern shipyard"), "the byline is not body text: {}", x.text);
    // Only a <time> element dates this one.
    let y = ok("time_only_page.html");
    assert_eq!(y.date, NaiveDate::from_ymd_opt(2024, 11, 2));
    assert_eq!(y.title, "Lock gates reopen after repairs");
}

#[test]
fn pages_without_a_body_say_what_they_are() {
    assert!(refused("login_wall.html").contains("login"), "{}", refused("login_wall.html"));
    assert!(refused("error_page.html").contains("error page"), "{}", refused("error_page.html"));
    let index = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/index_page.html")).unwrap();
    match extract(&index, None, MIN_CHARS) {
        Err(ExtractError::NotAnArticle(why)) => assert!(why.contains("home or section page") || why.contains("no main text"), "{why}"),
        Ok(x) => panic!("an index of links was stored: {x:?}"),
    }
}

#[test]
fn an_unclosed_title_does_not_swallow_the_page() {
    let html = "<html><head><title>Quay wall repaired\n<script>var a = 1;</script></head><body><div>\
                <p>The quay wall that collapsed in the spring storm has been rebuilt, and the berths beside it reopened to fishing boats on Monday morning.</p>\
                <p>The repair cost less than the port had feared because most of the old stone could be used again.</p></div></body></html>";
    let x = extract(html, None, MIN_CHARS).expect("stored");
    assert!(x.text.contains("The quay wall that collapsed"), "{}", x.text);
    assert_eq!(x.title, "Quay wall repaired");
}

#[test]
fn comment_sections_are_not_article_text() {
    let html = "<html><head><title>Harbour fees rise</title></head><body><article><h1>Harbour fees rise</h1>\
                <p>Harbour fees for visiting yachts will rise by a tenth from April, the port board decided on Tuesday, the first increase in five years.</p>\
                <p>The board said the money would pay for new pontoons and a second fuel berth before the summer season.</p>\
                <p>Local sailing clubs had asked for the rise to be phased in over two years, but the board turned the request down.</p>\
                <div id=\"comments\"><h3>3 comments</h3><div class=\"comment\"><p>Posted by sailor99 at 10:02 PM: Outrageous, this is far too much for a small boat like mine.</p></div>\
                <div class=\"comment\"><p>Posted by quaygirl at 11:15 PM: About time, the pontoons have been falling apart for years now.</p></div></div>\
                </article></body></html>";
    let x = extract(html, None, MIN_CHARS).expect("stored");
    assert!(x.text.contains("new pontoons"), "{}", x.text);
    assert!(!x.text.contains("sailor99") && !x.text.contains("quaygirl"), "{}", x.text);
}

#[test]
fn an_xml_declaration_before_a_page_is_not_a_broken_feed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut config = briefbot::config::Config::load(None, &[]).unwrap();
    config.corpus.dir = tmp.path().join("corpus");
    config.data.dir = tmp.path().join("data");
    std::fs::create_dir_all(&config.corpus.dir).unwrap();
    let page = tmp.path().join("page.html");
    std::fs::write(
        &page,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\">\n<html><head><title>Night buses return to the old town</title></head>\
         <body><div><p>Night buses will run through the old town again from June, the transport office said on Monday, after a year in which the streets were closed for repairs.</p>\
         <p>The first bus leaves the station at midnight and the last one at four in the morning.</p></div></body></html>",
    )
    .unwrap();
    let ingestor = briefbot::ingest::Ingestor::new(&config).unwrap();
    let outcomes = ingestor.ingest_file(&page, chrono::Utc::now());
    assert!(matches!(outcomes.as_slice(), [briefbot::ingest::Outcome::Stored(_)]), "{outcomes:?}");
}
