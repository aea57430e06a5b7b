//! The answerer behind the Discord end-to-end tests: the real engine over a copy of the
//! shipped ./corpus (plus, for the mention test, one article written to try to ping people).
#![allow(dead_code)]

use std::sync::Arc;

use briefbot::command::Command;
use briefbot::core::answer::Answer;
use briefbot::dispatch::Answerer;
use chrono::{DateTime, Utc};

/// An article whose sentence tries to ping everybody; found by `/search council`.
pub const MENTION_ARTICLE: (&str, &str) = (
    "999-council-notice.md",
    "---\ntitle: \"Council notice on the Zangezur corridor vote\"\ndate: 2025-04-30\n---\nThe council chair wrote \"@everyone must attend the vote on the Zangezur corridor\" and copied <@&123456789012345678> and @here in the same council message.\n",
);
pub const MENTION_SENTENCE: &str = "The council chair wrote \"@everyone must attend the vote on the Zangezur corridor\" and copied <@&123456789012345678> and @here in the same council message.";

/// The seed corpus.
pub fn seed_answerer() -> Arc<dyn Answerer> {
    engine_answerer(&[])
}

/// The seed corpus plus [`MENTION_ARTICLE`].
pub fn mention_answerer() -> Arc<dyn Answerer> {
    engine_answerer(&[MENTION_ARTICLE])
}

/// The real engine over a copy of ./corpus plus `extra` articles, in a temporary folder
/// that lives as long as the answerer.
pub fn engine_answerer(extra: &[(&str, &str)]) -> Arc<dyn Answerer> {
    use briefbot::core::engine::{Engine, EngineOptions};
    struct WithDir(Engine, tempfile::TempDir);
    impl Answerer for WithDir {
        fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
            self.0.answer(command, now)
        }
        fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
            self.0.suggest(prefix, limit)
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let (engine, _) = Engine::open(&EngineOptions::new(corpus, dir.path().join("data"))).unwrap();
    Arc::new(WithDir(engine, dir))
}
