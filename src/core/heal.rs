//! Derived state heals itself.
//!
//! The index, the manifest and the entity table are derived from the corpus: whatever
//! happened to them (a truncated segment file, a bad `meta.json`, a half-written manifest),
//! the corpus can rebuild them. So damage is never an error a user sees: the engine moves the
//! damaged files to `<data>/damaged/` (only the last damage is kept, for a bug report) and
//! rebuilds, reporting one [`Healed`] line. Damage is told apart from trouble of the machine
//! (a full disk, a permission, a lock held by another process), which rebuilding would not
//! cure and after which the files are kept as they are.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, IndexReader, TantivyDocument, TantivyError, Term};

/// The folder under the data folder where the last damaged state is kept.
pub const DAMAGED_DIR: &str = "damaged";

/// The longest library error text quoted in a message.
const MAX_REASON_CHARS: usize = 240;

/// Derived state that was found damaged and rebuilt from the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Healed {
    /// What was damaged, e.g. "the search index".
    pub what: String,
    /// Why it counts as damaged, in one line.
    pub why: String,
    /// Where the damaged files were kept (`None`: they could not be kept and were removed).
    pub kept: Option<PathBuf>,
}

impl fmt::Display for Healed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was damaged ({}); rebuilt from the corpus", self.what, self.why)?;
        match &self.kept {
            Some(p) => write!(f, ", the damaged files are kept in {}", p.display()),
            None => write!(f, ", the damaged files could not be kept"),
        }
    }
}

/// Is this I/O error a sign of damaged files (rather than of the machine: a full disk, a
/// permission, an interrupted call)?
pub fn io_is_damage(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData | io::ErrorKind::NotFound)
}

/// Is this index error a sign of damaged index files?
pub fn is_damage(e: &TantivyError) -> bool {
    match e {
        TantivyError::DataCorruption(_) | TantivyError::SchemaError(_) => true,
        TantivyError::OpenReadError(r) => match r {
            OpenReadError::FileDoesNotExist(_) | OpenReadError::IncompatibleIndex(_) => true,
            OpenReadError::IoError { io_error, .. } => io_is_damage(io_error),
        },
        TantivyError::OpenDirectoryError(OpenDirectoryError::NotADirectory(_)) => true,
        TantivyError::IoError(io_error) => io_is_damage(io_error),
        _ => false,
    }
}

/// What damage an index error shows, in one line: the file first (tantivy's own texts put it
/// last, in debug notation), then the library's words.
pub fn describe(e: &TantivyError) -> String {
    let text = match e {
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => format!("{}: {io_error}", filepath.display()),
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => format!("{} is missing", p.display()),
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(i)) => format!("{i:?}"),
        TantivyError::DataCorruption(d) => format!("{d:?}"),
        TantivyError::IoError(io) => io.to_string(),
        other => other.to_string(),
    };
    shorten(&flatten(&text))
}

/// An error and its sources in one line, each text once (libraries often repeat their
/// source's text in their own); the sources (a library's words) shortened to a readable
/// length, the error itself (ours) whole.
pub fn one_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = flatten(&e.to_string());
    let mut next = e.source();
    while let Some(err) = next {
        let text = flatten(&err.to_string());
        if !text.is_empty() && !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&shorten(&text));
        }
        next = err.source();
    }
    out
}

/// One line, runs of white space as one space.
fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_REASON_CHARS { s.to_string() } else { s.chars().take(MAX_REASON_CHARS).chain("…".chars()).collect() }
}

/// Read a little of every segment (a term look-up and its last stored record) and count the
/// records of `kind` = `value`: what an index with a truncated or missing file fails at.
pub(crate) fn probe(reader: &IndexReader, kind: Field, value: &str) -> tantivy::Result<usize> {
    let searcher = reader.searcher();
    let n = searcher.search(&TermQuery::new(Term::from_field_text(kind, value), IndexRecordOption::Basic), &Count)?;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if segment.max_doc() > 0 {
            let _: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, segment.max_doc() - 1))?;
        }
    }
    Ok(n)
}

/// Does another process hold the writer lock of the index in `dir`? Its state may be
/// between two writes (an index commit and its manifest), and it is not ours to move.
pub(crate) fn in_use(dir: &Path) -> bool {
    let Ok(file) = std::fs::OpenOptions::new().write(true).open(dir.join(".tantivy-writer.lock")) else { return false };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// Move `names` (files or folders of `data_dir`) into `<data_dir>/damaged/`, replacing what
/// an earlier heal kept there, with a note saying why. A name that cannot be moved is
/// removed, so that the rebuild starts clean; only if that fails too is it an error.
pub(crate) fn move_aside(data_dir: &Path, names: &[&str], why: &str) -> io::Result<Option<PathBuf>> {
    let kept = prepare(data_dir, why);
    let mut all_kept = kept.is_some();
    for name in names {
        let from = data_dir.join(name);
        if std::fs::symlink_metadata(&from).is_err() {
            continue;
        }
        let moved = kept.as_ref().is_some_and(|k| std::fs::rename(&from, k.join(name)).is_ok());
        if !moved {
            all_kept = false;
            if from.is_dir() { std::fs::remove_dir_all(&from)? } else { std::fs::remove_file(&from)? }
        }
    }
    Ok(kept.filter(|_| all_kept))
}

/// Keep a copy of `names` in `<data_dir>/damaged/` while they stay in use (the index of a
/// running engine): files are hard-linked, which costs no space on a full disk; a file that
/// cannot be linked is not kept.
pub(crate) fn link_aside(data_dir: &Path, names: &[&str], why: &str) -> Option<PathBuf> {
    let kept = prepare(data_dir, why)?;
    for name in names {
        let from = data_dir.join(name);
        if from.is_dir() {
            let to = kept.join(name);
            let _ = std::fs::create_dir_all(&to);
            for entry in std::fs::read_dir(&from).into_iter().flatten().flatten() {
                if entry.file_type().is_ok_and(|t| t.is_file()) && !entry.file_name().to_string_lossy().ends_with(".lock") {
                    let _ = std::fs::hard_link(entry.path(), to.join(entry.file_name()));
                }
            }
        } else if from.is_file() {
            let _ = std::fs::hard_link(&from, kept.join(name));
        }
    }
    Some(kept)
}

/// An empty `<data_dir>/damaged/` with a note; `None` when it cannot be made.
fn prepare(data_dir: &Path, why: &str) -> Option<PathBuf> {
    let kept = data_dir.join(DAMAGED_DIR);
    if kept.exists() {
        std::fs::remove_dir_all(&kept).ok()?;
    }
    std::fs::create_dir_all(&kept).ok()?;
    let _ = std::fs::write(
        kept.join("WHY.txt"),
        format!("{why}\nThese files were damaged; briefbot rebuilt them from the corpus. Attach them to a bug report, or delete this folder.\n"),
    );
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "search index: {}", self.0)
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[derive(Debug)]
    struct Context(io::Error);
    impl fmt::Display for Context {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("opening the corpus")
        }
    }
    impl std::error::Error for Context {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_library_text_is_shown_once_in_one_line() {
        let e = Outer(io::Error::new(io::ErrorKind::InvalidData, "footer\nmismatch"));
        assert_eq!(one_line(&e), "search index: footer mismatch");
        let long = Outer(io::Error::other("x".repeat(1000)));
        assert_eq!(one_line(&long).chars().count(), "search index: ".len() + 1000, "ours, whole");
        let ours = Context(io::Error::other("y".repeat(1000)));
        let line = one_line(&ours);
        assert!(line.starts_with("opening the corpus: yyy") && line.ends_with("y…"), "a library's text, shortened: {line}");
        assert_eq!(line.chars().count(), "opening the corpus: ".len() + MAX_REASON_CHARS + 1);
    }

    #[test]
    fn damage_is_told_from_the_machine_s_trouble() {
        assert!(io_is_damage(&io::Error::from(io::ErrorKind::UnexpectedEof)));
        assert!(!io_is_damage(&io::Error::from(io::ErrorKind::StorageFull)));
        assert!(!io_is_damage(&io::Error::from(io::ErrorKind::PermissionDenied)));
        assert!(is_damage(&TantivyError::OpenReadError(OpenReadError::FileDoesNotExist("x".into()))));
        assert!(!is_damage(&TantivyError::IoError(std::sync::Arc::new(io::Error::from(io::ErrorKind::StorageFull)))));
    }

    #[test]
    fn only_the_last_damage_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        std::fs::create_dir_all(data.join("index")).unwrap();
        std::fs::write(data.join("index/meta.json"), "garbage").unwrap();
        std::fs::write(data.join("manifest.json"), "{").unwrap();
        let kept = move_aside(data, &["index", "manifest.json", "entities.json"], "first").unwrap().unwrap();
        assert!(kept.join("index/meta.json").is_file() && kept.join("manifest.json").is_file());
        assert!(!data.join("index").exists() && !data.join("manifest.json").exists());
        std::fs::write(data.join("entities.json"), "[").unwrap();
        move_aside(data, &["entities.json"], "second").unwrap().unwrap();
        assert!(kept.join("entities.json").is_file());
        assert!(!kept.join("index").exists(), "the earlier damage is gone");
        assert!(std::fs::read_to_string(kept.join("WHY.txt")).unwrap().starts_with("second"));
    }
}
