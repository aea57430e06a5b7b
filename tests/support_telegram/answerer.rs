// The answers come from the real engine over the shipped ./corpus, opened once per test
// binary with its own data folder.
//
// `long_answerer` and `slow_answerer` wrap whatever answers, because no answer over a
// five-article corpus is reliably longer than Telegram's 4096 characters.

#![allow(dead_code)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use briefbot::command::Command;
use briefbot::core::answer::{Answer, AnswerItem, ItemKind, SourceRef};
use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::dispatch::Answerer;
use chrono::{DateTime, Utc};

pub fn seed_answerer() -> Arc<dyn Answerer> {
    seed_engine()
}

/// The engine itself (for tests that also need its index, not just its answers).
pub fn seed_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<(tempfile::TempDir, Arc<Engine>)> = OnceLock::new();
    let (_, engine) = ENGINE.get_or_init(|| {
        let data = tempfile::tempdir().expect("temp dir");
        let opts = EngineOptions::new(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"), data.path());
        let (engine, _) = Engine::open(&opts).expect("the seed corpus opens");
        (data, Arc::new(engine))
    });
    engine.clone()
}

/// Wraps an answerer so that every answer is far longer than one Telegram message: the
/// inner items numbered `[n] ` and repeated, then one bullet that alone exceeds 4096
/// characters (numbered last). The numbers let a test check the reading order.
pub fn long_answerer(inner: Arc<dyn Answerer>) -> Arc<dyn Answerer> {
    Arc::new(LongAnswerer(inner))
}

struct LongAnswerer(Arc<dyn Answerer>);

impl Answerer for LongAnswerer {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        let mut answer = self.0.answer(command, now);
        let mut base = answer.items.clone();
        if base.is_empty() {
            let mut it = AnswerItem::new("The corpus & its <sources> say nothing here.", ItemKind::Bullet);
            it.sources = vec![SourceRef::article("x", "A <title> & more", None, None)];
            base.push(it);
        }
        let mut items = Vec::new();
        let mut chars = 0;
        let mut n = 0;
        while chars < 5_000 {
            let mut it = base[n % base.len()].clone();
            it.text = format!("[{n}] {}", it.text);
            chars += it.text.chars().count() + 120;
            items.push(it);
            n += 1;
        }
        let mut giant = String::new();
        while giant.chars().count() < 4_500 {
            for it in &base {
                let t = it.text.trim().trim_end_matches('.');
                giant.push_str(t);
                giant.push_str(". ");
            }
        }
        items.push(AnswerItem { text: format!("[{n}] {}", giant.trim_end()), ..base[0].clone() });
        answer.items = items;
        answer
    }

    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.0.suggest(prefix, limit)
    }
}

/// Wraps an answerer to take `delay` for every answer (to test shutdown with answers in
/// flight).
pub fn slow_answerer(inner: Arc<dyn Answerer>, delay: Duration) -> Arc<dyn Answerer> {
    Arc::new(SlowAnswerer(inner, delay))
}

struct SlowAnswerer(Arc<dyn Answerer>, Duration);

impl Answerer for SlowAnswerer {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        std::thread::sleep(self.1);
        self.0.answer(command, now)
    }

    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.0.suggest(prefix, limit)
    }
}

/// An answerer that panics: the user must get the friendly failure message.
pub fn panicking_answerer() -> Arc<dyn Answerer> {
    Arc::new(Panicking)
}

struct Panicking;

impl Answerer for Panicking {
    fn answer(&self, _: &Command, _: DateTime<Utc>) -> Answer {
        // A panic that skips the panic hook: printing a backtrace of a debug build under a
        // loaded CI can outlast the answer deadline and turn the reply into the busy notice.
        std::panic::resume_unwind(Box::new("the index is on fire"));
    }

    fn suggest(&self, _: &str, _: usize) -> Vec<String> {
        Vec::new()
    }
}
