//! Reading the corpus folder: `.md` and `.txt` files, recursively, with optional front matter.
//! Bad files never stop the bot: they are skipped with a reason the caller reports once.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates;
use super::error::CoreError;

/// The default cap on a corpus file's size.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 5_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the corpus root, without extension, with `/` separators.
    pub id: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The outlet or site, when the front matter names one.
    pub source: Option<String>,
    /// The byline, when the front matter names one (`author`, `byline`).
    #[serde(default)]
    pub author: Option<String>,
    /// The text after the front matter; all offsets count code points into it.
    pub body: String,
    /// Byte length of a leading headline inside `body` (files without front matter use their
    /// first line as the title): language work skips it.
    pub headline_bytes: usize,
}

/// A corpus file found by [`scan`], before reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub id: String,
    /// Relative path with extension.
    pub rel_path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: u128,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    TooLarge {
        size: u64,
        max: u64,
    },
    Empty,
    Binary,
    NotUtf8,
    Unreadable(String),
    /// Two files map to one id (`a.md` and `a.txt`): the second is skipped.
    DuplicateId(String),
    /// The analysis panicked or ran past its budget; the file is retried when it changes.
    Analysis(super::analysis::Failure),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::TooLarge { size, max } => write!(f, "too large ({size} bytes, the limit is {max})"),
            SkipReason::Empty => write!(f, "empty"),
            SkipReason::Binary => write!(f, "binary, not text"),
            SkipReason::NotUtf8 => write!(f, "not UTF-8 text"),
            SkipReason::Unreadable(e) => write!(f, "unreadable: {e}"),
            SkipReason::DuplicateId(id) => write!(f, "another file already has the id {id}"),
            SkipReason::Analysis(failure) => write!(f, "{failure}; retried when the file changes"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel_path: String,
    pub reason: SkipReason,
}

/// List the corpus files under `root` (sorted by relative path). Hidden files and folders
/// are ignored; symlinked folders are not followed (no cycles).
pub fn scan(root: &Path) -> Result<(Vec<FileEntry>, Vec<Skipped>), CoreError> {
    if !root.is_dir() {
        return Err(CoreError::CorpusMissing(root.to_path_buf()));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir == root => return Err(CoreError::io(format!("reading {}", root.display()), e)),
            Err(e) => {
                skipped.push(Skipped { rel_path: rel(root, &dir), reason: SkipReason::Unreadable(e.to_string()) });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else { continue };
            if file_type.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if !matches!(ext.as_deref(), Some("md" | "txt")) {
                continue;
            }
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    skipped.push(Skipped { rel_path: rel(root, &path), reason: SkipReason::Unreadable(e.to_string()) });
                    continue;
                }
            };
            let mtime_ns = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            let rel_path = rel(root, &path);
            let id = rel_path.rsplit_once('.').map_or(rel_path.as_str(), |(stem, _)| stem).to_string();
            files.push(FileEntry { id, rel_path, size: meta.len(), mtime_ns });
        }
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| {
        if seen.insert(f.id.clone()) {
            true
        } else {
            skipped.push(Skipped { rel_path: f.rel_path.clone(), reason: SkipReason::DuplicateId(f.id.clone()) });
            false
        }
    });
    Ok((files, skipped))
}

/// One file of the corpus by its relative path, as [`scan`] would list it: `Ok(None)` when it
/// is not there or is not an article (hidden, another extension, a folder), a skip when it
/// cannot be used. For refreshes told which files changed (a watcher, the ingester).
pub fn scan_one(root: &Path, rel_path: &str) -> Result<Option<FileEntry>, Skipped> {
    let parts: Vec<&str> = rel_path.split('/').collect();
    if parts.iter().any(|c| c.is_empty() || c.starts_with('.') || *c == "..") {
        return Ok(None);
    }
    let path = root.join(rel_path);
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("md" | "txt")) {
        return Ok(None);
    }
    let meta = match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Skipped { rel_path: rel_path.to_string(), reason: SkipReason::Unreadable(e.to_string()) }),
    };
    let id = rel_path.rsplit_once('.').map_or(rel_path, |(stem, _)| stem).to_string();
    // Two files with one id: the first in path order is the article, as in `scan`.
    let dir = path.parent().unwrap_or(root);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // (Spellings of the two extensions looked up directly: no listing of a large folder.)
    for x in ["md", "txt", "MD", "TXT", "Md", "Txt"] {
        let other = format!("{stem}.{x}");
        if other < name && dir.join(&other).is_file() {
            return Err(Skipped { rel_path: rel_path.to_string(), reason: SkipReason::DuplicateId(id) });
        }
    }
    let mtime_ns = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok(Some(FileEntry { id, rel_path: rel_path.to_string(), size: meta.len(), mtime_ns }))
}

fn rel(root: &Path, path: &Path) -> String {
    let r = path.strip_prefix(root).unwrap_or(path);
    r.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Read and parse one file, checking it before anything else is done with it.
pub fn read(root: &Path, entry: &FileEntry, max_bytes: u64) -> Result<(Document, Vec<u8>), SkipReason> {
    if entry.size > max_bytes {
        return Err(SkipReason::TooLarge { size: entry.size, max: max_bytes });
    }
    let path: PathBuf = root.join(&entry.rel_path);
    let bytes = std::fs::read(&path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(SkipReason::TooLarge { size: bytes.len() as u64, max: max_bytes });
    }
    let doc = parse(&entry.id, &bytes)?;
    Ok((doc, bytes))
}

/// A date written in the file's name ("2016-02-04_polls-miss.txt", "nyt_2016-02-04_x"), as
/// exports and static sites name articles: the article's date when nothing inside says one.
fn date_in_name(id: &str) -> Option<NaiveDate> {
    let name = id.rsplit('/').next().unwrap_or(id).as_bytes();
    (0..name.len().saturating_sub(9)).find_map(|i| {
        let w = name.get(i..i + 10)?;
        let digits = |r: std::ops::Range<usize>| w.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        let bounded = (i == 0 || !name[i - 1].is_ascii_digit()) && name.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        if !(bounded && digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10)) {
            return None;
        }
        NaiveDate::parse_from_str(std::str::from_utf8(w).ok()?, "%Y-%m-%d").ok()
    })
}

/// Parse file bytes into a document.
pub fn parse(id: &str, bytes: &[u8]) -> Result<Document, SkipReason> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SkipReason::Empty);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(SkipReason::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let controls = text.chars().take(4096).filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if controls * 10 > text.chars().take(4096).count() {
        return Err(SkipReason::Binary);
    }
    let (front, body) = split_front_matter(text);
    let body = body.replace("\r\n", "\n");
    let mut doc = Document { id: id.to_string(), title: String::new(), date: None, url: None, source: None, author: None, body, headline_bytes: 0 };
    for (key, value) in front.iter().flat_map(|f| front_matter_pairs(f)) {
        match key.as_str() {
            "title" => doc.title = value,
            "date" | "published" | "published_at" => doc.date = dates::parse_date_value(&value),
            "url" | "link" | "canonical_url" => doc.url = Some(value).filter(|v| v.starts_with("http")),
            "source" | "site" | "site_name" | "outlet" => doc.source = Some(value).filter(|v| !v.is_empty()),
            "author" | "byline" | "authors" => doc.author = Some(value).filter(|v| !v.is_empty()),
            _ => {}
        }
    }
    if front.is_none() {
        // Without front matter the first line is the title. Some exports start it with
        // "date YYYY-MM-DD"; that is the article's date, not part of the title.
        let first_end = doc.body.find('\n').unwrap_or(doc.body.len());
        let first = doc.body[..first_end].trim();
        let (date, title) = dates::leading_date_marker(first);
        doc.date = date;
        if is_paragraph(title) {
            // A lead paragraph, not a headline: the title is taken from it, and the
            // paragraph stays in the body as the article's lead (the densest summary there is).
            let title_at = title.as_ptr() as usize - doc.body.as_ptr() as usize;
            doc.title = title_from_paragraph(title);
            doc.headline_bytes = title_at;
        } else {
            doc.title = title.to_string();
            doc.headline_bytes = first_end;
        }
    }
    if doc.date.is_none() {
        doc.date = date_in_name(id).or_else(|| dates::dateline(&doc.body));
    }
    if doc.title.trim().is_empty() {
        doc.title = id.rsplit('/').next().unwrap_or(id).replace(['-', '_'], " ");
    }
    if doc.body.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(doc)
}

/// Longest headline: a first line longer than this is a paragraph.
const HEADLINE_MAX_CHARS: usize = 200;
/// Two short sentences can still be a headline ("The real thing showed up. Now live with it.").
const HEADLINE_SHORT_CHARS: usize = 100;
/// Words of a long headline; a sentence-case line with more is a lead sentence.
const HEADLINE_MAX_WORDS: usize = 25;

/// Whether a first line is a paragraph rather than a headline: longer than any headline, or
/// written in sentence case with several sentences (past a short headline) or a lead
/// sentence's word count. Headlines are short and usually capitalise most words; some end
/// with a full stop.
fn is_paragraph(line: &str) -> bool {
    let chars = line.chars().count();
    if chars > HEADLINE_MAX_CHARS {
        return true;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let long_words: Vec<&&str> = words.iter().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4).collect();
    let capitalised = long_words.iter().filter(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase)).count();
    let title_case = !long_words.is_empty() && capitalised * 10 >= long_words.len() * 6;
    if title_case {
        return false;
    }
    let sentences = super::sentences::split(line).into_iter().filter(|r| line[r.clone()].split_whitespace().count() >= 3).count();
    (sentences >= 2 && chars > HEADLINE_SHORT_CHARS) || words.len() > HEADLINE_MAX_WORDS
}

/// A title taken from a lead paragraph: its first sentence, cut at a word near 90 characters.
fn title_from_paragraph(paragraph: &str) -> String {
    let first = super::sentences::split(paragraph).into_iter().next().map_or(paragraph, |r| &paragraph[r]);
    if first.chars().count() <= 100 {
        return first.to_string();
    }
    let mut out = String::new();
    for w in first.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > 90 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_end_matches([',', ';', ':', '-', '—']).to_string() + "…"
}

fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (None, text);
    };
    for (i, _) in rest.match_indices("\n---") {
        let after = &rest[i + 4..];
        if after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n") {
            let body = after.trim_start_matches('\r').strip_prefix('\n').unwrap_or(after);
            return (Some(&rest[..i]), body);
        }
    }
    (None, text)
}

/// `key: value` lines of simple YAML front matter; quotes around values are removed.
fn front_matter_pairs(front: &str) -> Vec<(String, String)> {
    front
        .lines()
        .filter_map(|line| {
            let (k, v) = line.split_once(':')?;
            let k = k.trim().to_ascii_lowercase();
            if k.is_empty() || k.starts_with('#') || k.contains(' ') {
                return None;
            }
            let v = v.trim();
            let v = if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
                v[1..v.len() - 1].replace("\\\"", "\"")
            } else {
                v.to_string()
            };
            Some((k, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_read() {
        let doc = parse("a/b", b"---\ntitle: \"A \\\"quoted\\\" title\"\ndate: 2025-04-28\nurl: https://example.org/x\n---\nBody here.").unwrap();
        assert_eq!(doc.title, "A \"quoted\" title");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2025, 4, 28));
        assert_eq!(doc.url.as_deref(), Some("https://example.org/x"));
        assert_eq!(doc.body, "Body here.");
        assert_eq!(doc.headline_bytes, 0);
    }

    #[test]
    fn first_line_is_the_title_without_front_matter() {
        let doc = parse("x", b" date 2025-04-28 Official visit\n\nToday it happened.").unwrap();
        assert_eq!(doc.title, "Official visit");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2025, 4, 28));
        assert!(doc.body.starts_with(" date"), "offsets count from the file's text");
        let plain = parse("y", b"Headline here\nText.").unwrap();
        assert_eq!(plain.title, "Headline here");
        assert_eq!(plain.headline_bytes, "Headline here".len());
    }

    #[test]
    fn a_lead_paragraph_is_not_a_title() {
        let text = "The harbour authority of Port Elm voted on Tuesday to close the old ferry terminal by March. The vote ends a decade of dispute over the pier.\nThe mayor welcomed the decision.";
        let doc = parse("p", text.as_bytes()).unwrap();
        assert_eq!(doc.headline_bytes, 0, "the paragraph stays in the body as the lead");
        assert!(doc.title.starts_with("The harbour authority of Port Elm voted"), "{}", doc.title);
        assert!(doc.title.chars().count() <= 100, "{}", doc.title);
        // One long lead sentence is a paragraph too; the date marker is still read.
        let one = "date 2031-05-04 Harbour workers in Port Elm walked out on Monday after talks over pay and pensions broke down late on Sunday night and the first ferries stopped, the union said.\nMore text.";
        let doc = parse("q", one.as_bytes()).unwrap();
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2031, 5, 4));
        assert!(doc.body[doc.headline_bytes..].starts_with("Harbour workers"), "{:?}", &doc.body[doc.headline_bytes..]);
        // Headlines stay titles, including capitalised ones that end with a full stop or
        // hold two short sentences.
        for headline in
            ["Harbour Authority Votes to Close Ferry Terminal.", "Ferry Strike Ends. Talks Resume On Monday.", "Port Elm closes its old ferry terminal"]
        {
            let doc = parse("h", format!("{headline}\nBody text here.").as_bytes()).unwrap();
            assert_eq!(doc.title, headline);
            assert_eq!(doc.headline_bytes, headline.len());
        }
    }

    #[test]
    fn bad_files_are_refused_with_reasons() {
        assert_eq!(parse("e", b"  \n "), Err(SkipReason::Empty));
        assert_eq!(parse("b", b"abc\0def"), Err(SkipReason::Binary));
        assert_eq!(parse("u", &[0x66, 0xff, 0xfe, 0x41]), Err(SkipReason::NotUtf8));
    }

    #[test]
    fn a_date_in_the_file_name_dates_an_article_that_says_none() {
        let d = |id: &str, text: &str| parse(id, text.as_bytes()).unwrap().date;
        assert_eq!(d("news/wire_2031-02-04_ferry-deal", "Ferry deal.\nThe deal was signed."), NaiveDate::from_ymd_opt(2031, 2, 4));
        assert_eq!(d("2031-02-04-ferry", "---\ndate: 2031-03-01\n---\nText."), NaiveDate::from_ymd_opt(2031, 3, 1), "front matter wins");
        assert_eq!(d("x12031-02-04", "Ferry deal.\nText."), None, "digits run on: not a date");
        assert_eq!(d("wire_2031-02-31_x", "Ferry deal.\nText."), None, "no such day");
    }
}
