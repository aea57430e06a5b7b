//! Topic alerts on a real corpus: for each topic, every article that would alert a chat
//! following it, with the sentence the alert shows and, for comparison, the article's lead:
//! `cargo run --release --example alert_eval -- CORPUS DATA TOPIC...` prints one JSON object
//! per (topic, article). `examples/alert_eval.py` scores them against the nuggets of
//! `../shared/data/briefs` (does the alert's sentence carry the fact that matters?).

use chrono::{DateTime, Utc};
use serde_json::json;

use briefbot::core::engine::{Engine, EngineOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, data, topics @ ..] = args.as_slice() else {
        eprintln!("usage: alert_eval CORPUS DATA TOPIC...");
        std::process::exit(2);
    };
    let (engine, report) = Engine::open(&EngineOptions::new(corpus, data)).expect("open the corpus");
    eprintln!("{} articles ({} skipped)", report.files, report.skipped.len());
    let docs: Vec<String> = engine.articles_since(DateTime::<Utc>::MIN_UTC).into_iter().map(|a| a.source.doc).collect();
    for topic in topics {
        let mut matched = 0;
        for doc in &docs {
            let Some(item) = engine.alert_item(topic, doc).expect("read an article") else { continue };
            matched += 1;
            let lead = engine.article_sentences(doc).expect("read an article").into_iter().next().unwrap_or_default();
            println!("{}", json!({ "topic": topic, "doc": doc, "alert": item.text, "lead": lead, "span": item.sources[0].span }));
        }
        eprintln!("{topic}: {matched} articles alert");
    }
}
