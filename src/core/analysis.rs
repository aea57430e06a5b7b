//! The analysis of one document, everything the engine runs per article: sentences, names
//! (people, organisations, places, roles, coreference), quotes and the dates of each
//! sentence, with the code-point offsets the index stores.
//!
//! [`analyse`] is the one entry point: the engine indexes what it returns, and the fuzz
//! harness (`fuzz/`) and the corpus-wide tests run exactly the same code. [`isolated`] is the
//! net under it: a document whose analysis panics or runs past a time budget is reported as
//! a [`Failure`] instead of taking the process (or a refresh) down.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Once;
use std::sync::mpsc;
use std::time::Duration;

use chrono::NaiveDate;

use super::corpus::{self, Document};
use super::dates::{self, DateMention};
use super::entities::{self, DocEntities};
use super::quotes::{self, Quote};
use super::sentences;

/// One sentence of the body (headline excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Position among all sentences of the body (the headline's included), as indexed.
    pub pos: usize,
    /// Byte range into the body.
    pub bytes: Range<usize>,
    /// Code-point offsets into the body.
    pub start: usize,
    pub end: usize,
    /// Dates the sentence names, resolved against the article's date.
    pub dates: Vec<DateMention>,
}

/// What the analysis of one document found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub sentences: Vec<Sentence>,
    pub entities: DocEntities,
    pub quotes: Vec<Quote>,
}

/// Analyse one parsed document.
pub fn analyse(doc: &Document) -> Analysis {
    let body = doc.body.as_str();
    // Sentences and names are read with `''` as a quotation mark (same offsets, see
    // `lang::marks`); every stored text is still cut from the original body.
    let marked = super::lang::marks::double_quotes(body);
    let ranges = sentences::split(&marked);
    let ents = entities::analyse(&marked, &ranges, doc.headline_bytes);
    let quotes = quotes::extract_with(body, &ranges, &ents, doc.headline_bytes);
    let mut out = Vec::with_capacity(ranges.len());
    let mut chars = 0usize;
    let mut at = 0usize;
    for (pos, r) in ranges.iter().enumerate() {
        if r.start < doc.headline_bytes {
            continue;
        }
        chars += body[at..r.start].chars().count();
        at = r.start;
        let text = &body[r.clone()];
        let len = text.chars().count();
        out.push(Sentence { pos, bytes: r.clone(), start: chars, end: chars + len, dates: dates::find(text, doc.date) });
    }
    Analysis { sentences: out, entities: ents, quotes }
}

/// Analyse a body as if it were a corpus file with this title and date (no headline in the
/// body). For the fuzz harness and tests.
pub fn analyse_text(body: &str, title: &str, date: Option<NaiveDate>) -> Analysis {
    let doc =
        Document { id: "text".to_string(), title: title.to_string(), date, url: None, source: None, author: None, body: body.to_string(), headline_bytes: 0 };
    analyse(&doc)
}

/// Parse file bytes as the corpus reader does (front matter, headline, date line) and
/// analyse them; `None` when the reader would skip the file.
pub fn analyse_file(bytes: &[u8]) -> Option<(Document, Analysis)> {
    let doc = corpus::parse("fuzz/input", bytes).ok()?;
    let analysis = analyse(&doc);
    Some((doc, analysis))
}

impl Analysis {
    /// The promises the index relies on: sentences are ordered, on character boundaries
    /// and inside the body; every offset counts code points; a quote's text is exactly
    /// the body between its offsets. `Err` names the first broken one.
    pub fn check(&self, body: &str) -> Result<(), String> {
        let total = body.chars().count();
        let mut last = 0usize;
        for s in &self.sentences {
            if s.bytes.start < last || s.bytes.end < s.bytes.start || s.bytes.end > body.len() {
                return Err(format!("sentence {} has bytes {:?} after {last} in a body of {}", s.pos, s.bytes, body.len()));
            }
            if !body.is_char_boundary(s.bytes.start) || !body.is_char_boundary(s.bytes.end) {
                return Err(format!("sentence {} is not on character boundaries: {:?}", s.pos, s.bytes));
            }
            if s.start != body[..s.bytes.start].chars().count() || s.end - s.start != body[s.bytes.clone()].chars().count() {
                return Err(format!("sentence {} has code-point offsets {}..{} for bytes {:?}", s.pos, s.start, s.end, s.bytes));
            }
            last = s.bytes.start;
        }
        for q in &self.quotes {
            if q.start > q.end || q.end > total {
                return Err(format!("quote at {}..{} outside a body of {total} code points", q.start, q.end));
            }
            let text: String = body.chars().skip(q.start).take(q.end - q.start).collect();
            if text != q.text {
                return Err(format!("quote at {}..{} is not the body's text there", q.start, q.end));
            }
        }
        Ok(())
    }
}

/// Why a document's analysis was given up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The analysis panicked at this source location (a bug: please report it).
    Panicked { at: String },
    /// The analysis was still running after the budget.
    TimedOut { budget: Duration },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panicked { at } => write!(f, "analysis failed (internal error at {at}, please report it)"),
            Failure::TimedOut { budget } => write!(f, "analysis took longer than {}", budget_text(*budget)),
        }
    }
}

fn budget_text(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) { format!("{} s", d.as_secs()) } else { format!("{} ms", d.as_millis()) }
}

/// The name of the threads [`isolated`] runs work on; the panic hook recognises them.
const THREAD_NAME: &str = "briefbot-analysis";

thread_local! {
    /// Where the last panic on this analysis thread happened (set by the panic hook).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Install (once) a panic hook in front of the current one: a panic on an analysis thread
/// is recorded for [`isolated`] to report and printed nowhere (its document gets one
/// warning from the caller); every other panic goes to the hook that was there before.
fn quiet_isolated_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(THREAD_NAME) {
                let at = info.location().map_or_else(|| "an unknown place".to_string(), |l| format!("{}:{}", l.file(), l.line()));
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(at));
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `work` on its own thread and wait at most `budget` for it. A panic becomes
/// [`Failure::Panicked`] (with where it happened); work still running after the budget is
/// left to finish on its own (a thread cannot be stopped from outside) and its result is
/// dropped: [`Failure::TimedOut`].
pub fn isolated<T: Send + 'static>(budget: Duration, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Failure> {
    quiet_isolated_panics();
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new().name(THREAD_NAME.to_string()).stack_size(16 << 20).spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .map_err(|_| Failure::Panicked { at: LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "an unknown place".to_string()) });
        let _ = tx.send(result);
    });
    if spawned.is_err() {
        // No thread to be had (resource limits): this document waits for the next refresh.
        return Err(Failure::TimedOut { budget });
    }
    match rx.recv_timeout(budget) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure::TimedOut { budget }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::Panicked { at: "an unknown place".to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_code_points_and_quotes_are_verbatim() {
        let body = "Ärzte in Zürich warnten am Montag. \"The bridge will not open before the spring,\" said Tom Reed, the county engineer.";
        let a = analyse_text(body, "Ärzte", NaiveDate::from_ymd_opt(2025, 3, 3));
        assert!(a.sentences.len() >= 2);
        a.check(body).unwrap();
        assert_eq!(a.sentences[0].start, 0);
        assert!(a.quotes.iter().any(|q| q.text.contains("not open before the spring") && q.speaker.as_deref() == Some("Tom Reed")), "{:?}", a.quotes);
    }

    #[test]
    fn isolated_reports_a_panic_with_its_place_and_a_timeout() {
        let r: Result<(), Failure> = isolated(Duration::from_secs(5), || panic!("by construction"));
        let Err(Failure::Panicked { at }) = r else { panic!("{r:?}") };
        assert!(at.starts_with("src/core/analysis.rs:"), "{at}");
        let slow = isolated(Duration::from_millis(50), || std::thread::sleep(Duration::from_secs(2)));
        assert_eq!(slow, Err(Failure::TimedOut { budget: Duration::from_millis(50) }));
        assert_eq!(isolated(Duration::from_secs(5), || 7), Ok(7));
        assert_eq!(Failure::TimedOut { budget: Duration::from_millis(50) }.to_string(), "analysis took longer than 50 ms");
    }
}
