//! Writing articles into the corpus folder, once: `corpus/<site>/<date>-<slug>.md` with front
//! matter, written atomically; duplicates (same canonical URL, same text on one site) are
//! refused; syndicated copies (near-identical text on another site) are kept and grouped.
//!
//! The duplicate index is derived from the corpus itself at start-up (front matter `url`,
//! `canonical` and the text), so hand edits and deletions are respected and there is no second
//! source of truth to drift.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::core::corpus;
use crate::core::disk::Disk;

/// Jaccard similarity of 5-word shingles at or above which two texts are one story.
pub const SYNDICATION_THRESHOLD: f64 = 0.8;
const SHINGLE: usize = 5;
/// One shingle hash in this many is used to find candidates (near-identical texts share most).
const SAMPLE: u64 = 4;

/// An article ready to be stored.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The page's URL (canonical when known).
    pub url: Option<String>,
    /// The site name for `source:` (e.g. "The New Region").
    pub source: Option<String>,
    pub byline: Option<String>,
    /// The folder: host without `www.`, or a label for local files.
    pub site: String,
    /// The feed it came from, if any.
    pub feed: Option<String>,
    /// Paragraphs separated by blank lines.
    pub text: String,
}

/// What happened to one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Written; the document id (path without extension) and the group it joined, if any.
    New { id: String, path: PathBuf, group: Option<String> },
    /// Not written: the same canonical URL or the same text (same site) is already stored as `id`.
    Duplicate { id: String, reason: &'static str },
}

struct Known {
    id: String,
    site: String,
    group: Option<String>,
    shingles: HashSet<u64>,
}

/// The corpus folder as the ingester sees it.
pub struct Store {
    root: PathBuf,
    urls: HashMap<String, usize>,
    hashes: HashMap<String, usize>,
    sampled: HashMap<u64, Vec<usize>>,
    docs: Vec<Known>,
    paths: HashSet<String>,
    disk: Disk,
}

impl Store {
    /// Read the corpus under `root` (creating it if needed) to learn what is already there.
    pub fn open(root: &Path, max_file_bytes: u64) -> anyhow::Result<Store> {
        std::fs::create_dir_all(root)?;
        let mut store = Store {
            root: root.to_path_buf(),
            urls: HashMap::new(),
            hashes: HashMap::new(),
            sampled: HashMap::new(),
            docs: Vec::new(),
            paths: HashSet::new(),
            disk: Disk::real(),
        };
        let (files, _) = corpus::scan(root).map_err(|e| anyhow::anyhow!("{e}"))?;
        for f in files {
            store.paths.insert(f.rel_path.clone());
            let Ok((doc, bytes)) = corpus::read(root, &f, max_file_bytes) else { continue };
            let text = String::from_utf8_lossy(&bytes);
            let extra = front_value(&text, "canonical");
            let group = front_value(&text, "group");
            let site = doc.id.split('/').next().filter(|_| doc.id.contains('/')).unwrap_or("").to_string();
            let urls: Vec<String> = doc.url.iter().chain(extra.iter()).filter_map(|u| canonical_url(u)).collect();
            store.remember(doc.id.clone(), site, group, &urls, &doc.body);
        }
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Write articles through `disk` (tests give one that fills up).
    pub fn with_disk(mut self, disk: Disk) -> Store {
        self.disk = disk;
        self
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Is this URL (any spelling that canonicalises alike) already stored?
    pub fn has_url(&self, url: &str) -> Option<&str> {
        canonical_url(url).and_then(|u| self.urls.get(&u)).map(|&i| self.docs[i].id.as_str())
    }

    fn remember(&mut self, id: String, site: String, group: Option<String>, urls: &[String], body: &str) -> usize {
        let i = self.docs.len();
        let norm = normalise(body);
        self.hashes.entry(text_hash(&norm)).or_insert(i);
        for u in urls {
            self.urls.entry(u.clone()).or_insert(i);
        }
        let shingles = shingles(&norm);
        for &h in shingles.iter().filter(|&&h| h % SAMPLE == 0) {
            self.sampled.entry(h).or_default().push(i);
        }
        self.docs.push(Known { id, site, group, shingles });
        i
    }

    /// The most similar stored document at or above the syndication threshold.
    fn near(&self, shingles: &HashSet<u64>) -> Option<usize> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        let mut sampled: usize = 0;
        for h in shingles.iter().filter(|&&h| h % SAMPLE == 0) {
            sampled += 1;
            for &i in self.sampled.get(h).into_iter().flatten() {
                *counts.entry(i).or_default() += 1;
            }
        }
        // Boilerplate ("Copyright ...", "Sign up for ...") makes every article share a few
        // shingles with every other, which would make this a comparison with the whole
        // corpus. Two texts at Jaccard >= 0.8 share at least 80% of the larger one's
        // shingles, and about as many of the sampled ones; half of them is a safe floor.
        // Sizes must be within 0.8 of each other too (exactly: |A ∩ B| <= min size).
        let floor = sampled.div_ceil(2).max(1);
        let size = shingles.len() as f64;
        let mut best: Option<(usize, f64)> = None;
        for (i, _) in counts.into_iter().filter(|&(_, c)| c >= floor) {
            let other = &self.docs[i].shingles;
            let (small, large) = if size < other.len() as f64 { (size, other.len() as f64) } else { (other.len() as f64, size) };
            if small < SYNDICATION_THRESHOLD * large {
                continue;
            }
            let inter = shingles.intersection(other).count();
            let union = shingles.len() + other.len() - inter;
            let j = if union == 0 { 0.0 } else { inter as f64 / union as f64 };
            if j >= SYNDICATION_THRESHOLD && best.is_none_or(|(bi, bj)| j > bj || (j == bj && i < bi)) {
                best = Some((i, j));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Store `a` unless it is a duplicate. `urls` are every URL it is known by (the feed's
    /// link, the fetched URL, the canonical link); all are remembered. A write that fails
    /// (a full disk) leaves no file, not even a temporary one, and nothing remembered: the
    /// same article stores once space is back.
    pub fn store(&mut self, a: &NewArticle, urls: &[&str], fetched: NaiveDate) -> std::io::Result<Stored> {
        let canon: Vec<String> = urls.iter().chain(a.url.as_deref().iter()).filter_map(|u| canonical_url(u)).collect();
        if let Some(&i) = canon.iter().find_map(|u| self.urls.get(u)) {
            return Ok(Stored::Duplicate { id: self.docs[i].id.clone(), reason: "same URL" });
        }
        let norm = normalise(&a.text);
        let hash = text_hash(&norm);
        let sh = shingles(&norm);
        let exact = self.hashes.get(&hash).copied();
        let similar = exact.or_else(|| self.near(&sh));
        let mut group = None;
        if let Some(i) = similar {
            let first = &self.docs[i];
            let group_id = first.group.clone().unwrap_or_else(|| first.id.clone());
            // Kept once per source: another copy from the same site is a duplicate.
            let same_site = self.docs.iter().any(|d| d.site == a.site && (d.id == group_id || d.group.as_deref() == Some(group_id.as_str())));
            if same_site || (exact.is_some() && first.site == a.site) {
                return Ok(Stored::Duplicate {
                    id: first.id.clone(),
                    reason: if exact.is_some() { "same text" } else { "near-identical text from the same site" },
                });
            }
            group = Some(group_id);
        }
        let date = a.date.unwrap_or(fetched);
        let site = safe_segment(&a.site);
        let base = format!("{}-{}", date.format("%Y-%m-%d"), slug(&a.title));
        let mut name = base.clone();
        let mut n = 2;
        while self.paths.contains(&format!("{site}/{name}.md"))
            || self.paths.contains(&format!("{site}/{name}.txt"))
            || self.root.join(&site).join(format!("{name}.md")).exists()
        {
            name = format!("{base}-{n}");
            n += 1;
        }
        let rel = format!("{site}/{name}.md");
        let id = format!("{site}/{name}");
        let mut front = String::from("---\n");
        front.push_str(&format!("title: {}\n", quoted(&a.title)));
        if let Some(d) = a.date {
            front.push_str(&format!("date: {}\n", d.format("%Y-%m-%d")));
        }
        if let Some(u) = &a.url {
            front.push_str(&format!("url: {}\n", one_line(u)));
        }
        if let Some(s) = &a.source {
            front.push_str(&format!("source: {}\n", quoted(s)));
        }
        if let Some(b) = &a.byline {
            front.push_str(&format!("byline: {}\n", quoted(b)));
        }
        if let Some(f) = &a.feed {
            front.push_str(&format!("feed: {}\n", one_line(f)));
        }
        front.push_str(&format!("fetched: {}\n", fetched.format("%Y-%m-%d")));
        if let Some(g) = &group {
            front.push_str(&format!("group: {g}\n"));
        }
        front.push_str("---\n");
        front.push_str(a.text.trim());
        front.push('\n');
        let path = self.root.join(&rel);
        self.disk.write_atomic(&path, front.as_bytes())?;
        self.paths.insert(rel);
        let i = self.remember(id.clone(), a.site.clone(), group.clone(), &canon, &a.text);
        debug_assert_eq!(self.docs[i].id, id);
        Ok(Stored::New { id, path, group })
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename, so that
/// a crash or a full disk leaves either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    Disk::real().write_atomic(path, bytes)
}

/// The canonical spelling of a URL for duplicate detection: scheme and host lowercased, no
/// fragment, no tracking parameters (`utm_*`, `fbclid`, `gclid`, ...), no trailing slash
/// (except the root), default ports and a leading `www.` dropped, http taken as https. `None` for anything but http(s).
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || matches!(k.as_str(), "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid" | "ref_src"))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    if let Some(bare) = u.host_str().and_then(|h| h.strip_prefix("www.")).map(str::to_string) {
        let _ = u.set_host(Some(&bare));
    }
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    // `url` already lowercases the host and drops default ports. Treat http and https alike.
    let s = u.to_string();
    Some(s.strip_prefix("http://").map(|r| format!("https://{r}")).unwrap_or(s))
}

/// The folder for a URL: its host without `www.`.
pub fn site_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// ASCII slug of a title, at most 60 characters, cut at a word boundary.
pub fn slug(title: &str) -> String {
    let ascii: String = title.nfkd().filter(|c| c.is_ascii()).collect::<String>().to_ascii_lowercase();
    let mut s = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let mut s = s.trim_end_matches('-').to_string();
    if s.len() > 60 {
        let cut = s[..61].rfind('-').filter(|&i| i >= 20).unwrap_or(60);
        s.truncate(cut);
        s = s.trim_end_matches('-').to_string();
    }
    if s.is_empty() { "article".to_string() } else { s }
}

fn safe_segment(site: &str) -> String {
    let s: String = site.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.trim_matches(['.', '-']).to_string();
    if s.is_empty() { "local".to_string() } else { s }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A front matter value in double quotes, the way `core::corpus` reads it back.
fn quoted(s: &str) -> String {
    format!("\"{}\"", one_line(s).replace('"', "\\\""))
}

/// A raw front matter value (for keys the core does not read).
fn front_value(text: &str, key: &str) -> Option<String> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    for line in rest.lines() {
        if line.trim_end() == "---" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case(key)
        {
            let v = v.trim().trim_matches('"').to_string();
            return Some(v).filter(|v| !v.is_empty());
        }
    }
    None
}

/// Lowercase words (letters and digits) separated by single spaces.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn text_hash(norm: &str) -> String {
    let d = Sha256::digest(norm.as_bytes());
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn shingles(norm: &str) -> HashSet<u64> {
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return HashSet::new();
    }
    let n = SHINGLE.min(words.len());
    words
        .windows(n)
        .map(|w| {
            let mut h = std::hash::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Jaccard similarity of two texts' 5-word shingles (for tests and diagnostics).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (shingles(&normalise(a)), shingles(&normalise(b)));
    let inter = x.intersection(&y).count();
    let union = x.len() + y.len() - inter;
    if union == 0 { 0.0 } else { inter as f64 / union as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_canonicalise() {
        assert_eq!(canonical_url("https://WWW.Example.org/a/b/?utm_source=x&id=3&fbclid=y#top").unwrap(), "https://example.org/a/b?id=3");
        assert_eq!(canonical_url("http://example.org:80/").unwrap(), "https://example.org/");
        assert_eq!(canonical_url("https://example.org/x?gclid=1").unwrap(), "https://example.org/x");
        assert_eq!(canonical_url("mailto:a@b.c"), None);
    }

    #[test]
    fn slugs_are_ascii_and_short() {
        assert_eq!(slug("Pezeshkian visits Baku: “a new chapter”"), "pezeshkian-visits-baku-a-new-chapter");
        assert_eq!(slug("Çağrı über Zürich"), "cagr-uber-zurich");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        assert_eq!(slug("!!!"), "article");
    }

    #[test]
    fn shared_boilerplate_does_not_group_different_stories() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), 5_000_000).unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 4, 28).unwrap();
        let boilerplate = "Sign up for our morning newsletter to get the day's top stories in your inbox. Copyright Example Media Group, all rights reserved.";
        let topics = ["harbour", "railway", "budget", "election", "drought", "vaccine", "tariff", "strike"];
        for (n, topic) in topics.iter().enumerate() {
            let text = format!(
                "Officials in district {n} said on Monday that the {topic} plan would change how {n} towns work. \
                 Critics of the {topic} plan said the cost for district {n} was far too high. {boilerplate}"
            );
            let a =
                NewArticle { title: format!("Story {n}"), site: "a.example".into(), url: Some(format!("https://a.example/{n}")), text, ..Default::default() };
            let Stored::New { group, .. } = store.store(&a, &[], day).unwrap() else { panic!("story {n} is new") };
            assert_eq!(group, None, "story {n} shares only boilerplate with the others");
        }
        // A syndicated copy of one of them (with the same boilerplate) still joins it.
        let copy = NewArticle {
            title: "Story 3 (wire)".into(),
            site: "b.example".into(),
            url: Some("https://b.example/3".into()),
            text: format!(
                "Officials in district 3 said on Monday that the election plan would change how 3 towns work. \
                 Critics of the election plan said the cost for district 3 was far too high. {boilerplate} Reporting by B."
            ),
            ..Default::default()
        };
        let Stored::New { group, .. } = store.store(&copy, &[], day).unwrap() else { panic!() };
        assert_eq!(group.as_deref(), Some("a.example/2025-04-28-story-3"));
    }

    #[test]
    fn a_full_disk_leaves_no_file_and_the_article_stores_when_space_returns() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Disk::with_free_space(0);
        let mut store = Store::open(dir.path(), 5_000_000).unwrap().with_disk(disk.clone());
        let day = NaiveDate::from_ymd_opt(2025, 4, 28).unwrap();
        let a = NewArticle {
            title: "Port reopens".into(),
            site: "a.example".into(),
            url: Some("https://a.example/port".into()),
            text: "The harbour master said the port would reopen on Monday after the storm. ".repeat(20),
            ..Default::default()
        };
        // The disk fills up part-way through the article.
        disk.set_free_space(300);
        let err = store.store(&a, &[], day).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
        let left: Vec<_> = walk(dir.path());
        assert!(left.is_empty(), "no corpus file and no temporary file after a failed write: {left:?}");
        assert!(store.has_url("https://a.example/port").is_none(), "a failed write is not remembered");
        // Space comes back: the same article is stored, whole, without any manual step.
        disk.set_free_space(1_000_000);
        let Stored::New { path, .. } = store.store(&a, &[], day).unwrap() else { panic!("stored once space is back") };
        assert!(std::fs::read_to_string(&path).unwrap().trim_end().ends_with("after the storm."));
        assert_eq!(walk(dir.path()), vec![path]);
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }

    #[test]
    fn stores_once_and_groups_syndicated_copies() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), 5_000_000).unwrap();
        let text = "The ministers met in Baku on Monday to discuss the corridor. ".repeat(3)
            + "They agreed to meet again in May and to open two border crossings before the summer.";
        let day = NaiveDate::from_ymd_opt(2025, 4, 28).unwrap();
        let a = NewArticle {
            title: "Ministers meet".into(),
            site: "a.example".into(),
            url: Some("https://a.example/m".into()),
            text: text.clone(),
            ..Default::default()
        };
        let Stored::New { id, .. } = store.store(&a, &[], day).unwrap() else { panic!() };
        assert_eq!(id, "a.example/2025-04-28-ministers-meet");
        let again = NewArticle { url: Some("https://A.example/m/?utm_medium=rss".into()), ..a.clone() };
        assert!(matches!(store.store(&again, &[], day).unwrap(), Stored::Duplicate { reason: "same URL", .. }));
        let same_text = NewArticle { url: Some("https://a.example/other".into()), ..a.clone() };
        assert!(matches!(store.store(&same_text, &[], day).unwrap(), Stored::Duplicate { .. }));
        let wire = NewArticle { site: "b.example".into(), url: Some("https://b.example/wire".into()), text: format!("{text} Reporting by B."), ..a.clone() };
        let Stored::New { group, .. } = store.store(&wire, &[], day).unwrap() else { panic!() };
        assert_eq!(group.as_deref(), Some(id.as_str()));
        // Re-opening derives the same index from the files.
        let mut reopened = Store::open(dir.path(), 5_000_000).unwrap();
        assert_eq!(reopened.len(), 2);
        assert!(reopened.has_url("https://b.example/wire#x").is_some());
        let third = NewArticle { site: "c.example".into(), url: Some("https://c.example/w".into()), text: format!("{text} Reporting by C."), ..a };
        let Stored::New { group, .. } = reopened.store(&third, &[], day).unwrap() else { panic!() };
        assert_eq!(group.as_deref(), Some(id.as_str()));
    }
}
