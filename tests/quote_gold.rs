//! Checks the quote-extraction gold set (tests/quote_eval/) and the scorer, without the
//! extractor. The evaluation itself is `tests/quote_eval.rs`.

#[path = "quote_eval/gold.rs"]
mod gold;

use gold::{GoldDoc, GoldKind, Pred, RawQuote};

#[test]
fn gold_is_consistent() {
    let docs = gold::load_or_panic();
    assert!(!docs.is_empty(), "gold.json lists no documents");
    let kinds = gold::kind_totals(&docs);
    let total: usize = kinds.values().sum();
    let not_quotes: usize = docs.iter().map(|d| d.not_quotes.len()).sum();
    println!(
        "gold: {} documents, {total} quotes ({}), {not_quotes} listed non-quotes",
        docs.len(),
        GoldKind::ALL.iter().map(|k| format!("{} {}", k.name(), kinds.get(k).copied().unwrap_or(0))).collect::<Vec<_>>().join(", ")
    );
    for d in &docs {
        println!("  {:40} {:4} words {:3} quotes {:2} non-quotes", d.file, d.body.split_whitespace().count(), d.quotes.len(), d.not_quotes.len());
    }
}

fn raw(text: &str, speaker: Option<&str>, kind: &str) -> RawQuote {
    RawQuote { text: text.to_string(), occurrence: 1, speaker: speaker.map(str::to_string), kind: kind.to_string() }
}

const TOY_SPLIT: &str = r#""We will go," she said, "but not yet.""#;

/// Headline, then a body with an indirect quote, a split direct quote and a scare quote.
fn toy() -> GoldDoc {
    let content = format!("Lobo: 'not yet'\nAna Lobo said the plan was dead. {TOY_SPLIT} The so-called \"North-South\" project stalls.");
    let mut errors = Vec::new();
    let doc = GoldDoc::build(
        "toy.txt",
        &content,
        &[raw("the plan was dead", Some("Ana Lobo"), "indirect"), raw(TOY_SPLIT, Some("Ana Lobo"), "direct")],
        &["North-South".to_string()],
        &mut errors,
    );
    errors.extend(gold::check(std::slice::from_ref(&doc)));
    assert!(errors.is_empty(), "{errors:?}");
    doc
}

/// A prediction over the first occurrence of `text`.
fn pred(doc: &GoldDoc, text: &str, speaker: Option<&str>) -> Pred {
    let (start, end) = gold::locate(&doc.body, text, 1).expect("text in toy body");
    Pred { start, end, text: text.to_string(), speaker: speaker.map(str::to_string), ..Pred::default() }
}

#[test]
fn offsets_are_code_points_into_the_body() {
    let doc = toy();
    assert!(doc.body.starts_with("Ana Lobo"));
    assert_eq!(doc.headline, "Lobo: 'not yet'");
    let q = &doc.quotes[1];
    assert_eq!(q.start, "Ana Lobo said the plan was dead. ".chars().count());
    assert_eq!(gold::slice(&doc.body, q.start, q.end), TOY_SPLIT);
    // Multi-byte characters before a span shift bytes, not code points.
    assert_eq!(gold::locate("Þórsson: “ja”", "“ja”", 1), Some((9, 13)));
    assert_eq!(gold::locate("a b a b", "a", 2), Some((4, 5)));
    assert_eq!(gold::locate("a b", "a", 2), None);
}

#[test]
fn gold_errors_are_reported() {
    let mut errors = Vec::new();
    let doc = GoldDoc::build(
        "bad.txt",
        "Headline\nShe said \"yes\" and \"no\".",
        &[raw("\"maybe\"", None, "direct"), raw("\"yes\"", None, "quoted"), raw("She said \"yes\"", None, "direct"), raw("\"yes\" and", None, "indirect")],
        &["absent".to_string()],
        &mut errors,
    );
    errors.extend(gold::check(std::slice::from_ref(&doc)));
    let all = errors.join("\n");
    assert!(all.contains("not found"), "{all}");
    assert!(all.contains("kind \"quoted\""), "{all}");
    assert!(all.contains("direct span runs from an opening"), "{all}");
    assert!(all.contains("indirect span has no quotation marks"), "{all}");
    assert!(all.contains("gold spans overlap"), "{all}");
    assert!(all.contains("does not occur outside"), "{all}");
}

#[test]
fn scorer_gives_full_marks_to_the_gold_itself() {
    let docs = gold::load_or_panic();
    let preds: Vec<Vec<Pred>> = docs
        .iter()
        .map(|d| {
            d.quotes
                .iter()
                .map(|q| Pred { start: q.start, end: q.end, text: q.text.clone(), speaker: q.speaker.clone(), kind: Some(q.kind), cue: None })
                .collect()
        })
        .collect();
    let report = gold::score(&docs, &preds);
    let t = &report.total;
    assert_eq!(t.matched, t.gold);
    assert_eq!(t.f1(), 1.0);
    assert_eq!(t.speaker_accuracy(), 1.0);
    assert_eq!(t.kind_correct, t.gold);
    assert_eq!(t.not_quote_hits + t.bad_offsets + t.text_mismatches, 0);
    for k in GoldKind::ALL {
        assert_eq!(t.kind_recall(k), Some(1.0), "{k:?}");
    }
    assert!(report.details().is_empty(), "{}", report.details());
}

#[test]
fn scorer_needs_thirty_percent_of_the_gold_span() {
    let doc = toy();
    // "the plan was dead" has 17 code points: 5 is 29%, 6 is 35%.
    let short = gold::score(std::slice::from_ref(&doc), &[vec![pred(&doc, "the p", Some("Ana Lobo"))]]);
    assert_eq!(short.total.matched, 0);
    let enough = gold::score(std::slice::from_ref(&doc), &[vec![pred(&doc, "the pl", Some("Ana Lobo"))]]);
    assert_eq!(enough.total.matched, 1);
    assert_eq!(enough.total.precision(), 1.0);
    assert_eq!(enough.total.recall(), 0.5);
    assert!((enough.total.f1() - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn scorer_matches_one_to_one_largest_overlap_first() {
    let doc = toy();
    let both = format!("the plan was dead. {TOY_SPLIT}");
    // One prediction over both gold quotes matches only the one it overlaps most.
    let wide = pred(&doc, &both, Some("Ana Lobo"));
    let r = gold::score(std::slice::from_ref(&doc), &[vec![wide.clone()]]);
    assert_eq!(r.total.matched, 1);
    assert_eq!(r.total.matched_by_kind, [1, 0, 0]);
    // A second, exact prediction picks up the other one.
    let r = gold::score(std::slice::from_ref(&doc), &[vec![wide, pred(&doc, "the plan was dead", Some("Ana Lobo"))]]);
    assert_eq!(r.total.matched, 2);
    assert_eq!(r.total.f1(), 1.0);
    // The two halves of a split quote: one matches, the other is a false positive.
    let r = gold::score(std::slice::from_ref(&doc), &[vec![pred(&doc, "\"We will go,\"", Some("Ana Lobo")), pred(&doc, "\"but not yet.\"", Some("Ana Lobo"))]]);
    assert_eq!((r.total.matched, r.total.predicted), (1, 2));
}

#[test]
fn scorer_compares_speakers_loosely_but_not_too_loosely() {
    assert!(gold::same_speaker(Some("Zoltán Kelemen"), Some("zoltan  KELEMEN")));
    assert!(gold::same_speaker(Some("Environment Agency"), Some("the Environment Agency")));
    assert!(gold::same_speaker(Some("Pilots' Association"), Some("Pilots’ Association")));
    assert!(gold::same_speaker(Some("Henrik Sjöberg"), Some("Henrik Sjoberg")));
    assert!(gold::same_speaker(None, None));
    assert!(gold::same_speaker(None, Some(" ")));
    assert!(!gold::same_speaker(Some("Maria Lindqvist"), None));
    assert!(!gold::same_speaker(None, Some("Maria Lindqvist")));
    assert!(!gold::same_speaker(Some("Maria Lindqvist"), Some("Lindqvist")));

    let doc = toy();
    let r = gold::score(std::slice::from_ref(&doc), &[vec![pred(&doc, "the plan was dead", Some("ana lobo")), pred(&doc, TOY_SPLIT, None)]]);
    assert_eq!(r.total.matched, 2);
    assert_eq!(r.total.speaker_correct, 1);
    assert_eq!(r.total.speaker_accuracy(), 0.5);
    assert!(r.details().contains("SPEAKER gold \"Ana Lobo\" predicted null"));
}

#[test]
fn scorer_reports_false_positives_on_listed_non_quotes() {
    let doc = toy();
    let r = gold::score(std::slice::from_ref(&doc), &[vec![pred(&doc, "\"North-South\" project", None)]]);
    assert_eq!((r.total.matched, r.total.not_quote_hits), (0, 1));
    assert!(r.summary().contains("hits not_quote \"North-South\""));
    // Broken offsets are counted, not a panic.
    let r = gold::score(std::slice::from_ref(&doc), &[vec![Pred { start: 5, end: 10_000, ..Pred::default() }]]);
    assert_eq!(r.total.bad_offsets, 1);
}
