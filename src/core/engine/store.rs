//! The derived state beside the index, as rows of one SQLite file (`data/state.sqlite`):
//! the manifest (one row per indexed file, one per skipped file), each article's entity
//! summary (one row per person, one per other name) and the entity table's groups (see
//! [`super::table`]). A refresh changes the rows of the articles it touched and recomputes
//! the groups their names touch, in one transaction committed after the index's commit:
//! nothing reads the other articles' summaries, nothing rewrites the whole corpus's state.
//!
//! Answers read the manifest row by row through a second connection (an article's title,
//! date and link by id, the newest articles, those arrived since a time): nothing per
//! article is held in memory, so opening reads only the groups, the skipped files and the
//! running totals (articles, tokens), whatever the corpus's size. The file is in WAL mode:
//! answers read the last commit while a refresh writes.
//!
//! It is derived state: damage (not a database, a malformed page, a file shorter than its
//! pages) is healed like the index's, by moving it aside and rebuilding from the corpus; a
//! full disk fails the transaction, which leaves the last commit as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use chrono::{DateTime, NaiveDate, Utc};

use super::table::{self, Pre};
use super::{ArticleInfo, ManifestEntry, Skips, stats};
use crate::core::answer::SourceRef;
use crate::core::disk::Disk;
use crate::core::entities::{DocSummary, EntityKind, EntityTable};
use crate::core::error::CoreError;
use crate::core::text::name_key;

pub(super) const STATE_FILE: &str = "state.sqlite";
/// Bump when the rows' meaning changes: an older state is emptied and every file analysed
/// again (version 1, the manifest as JSON rows only, is migrated in place: see [`migrate`]).
const STATE_VERSION: &str = "2";

/// The manifest's row: the entry as JSON, and the columns answers look articles up by
/// (`date` is `''` for an undated article, so that newest first puts those last).
const FILES: &str = "
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL, url TEXT,
    outlet TEXT, author TEXT, arrived INTEGER, entry TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_id ON files(id);
CREATE INDEX IF NOT EXISTS files_newest ON files(date DESC, title, id);
CREATE INDEX IF NOT EXISTS files_arrived ON files(arrived);
";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skipped(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, failed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS persons(doc TEXT NOT NULL, seq INTEGER NOT NULL, grp TEXT NOT NULL, person TEXT NOT NULL, PRIMARY KEY(doc, seq));
CREATE INDEX IF NOT EXISTS persons_grp ON persons(grp);
CREATE TABLE IF NOT EXISTS names(doc TEXT NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(doc, seq));
CREATE INDEX IF NOT EXISTS names_key ON names(key, kind, doc, seq);
CREATE TABLE IF NOT EXISTS name_totals(key TEXT NOT NULL, kind TEXT NOT NULL, mentions INTEGER NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY(key, kind));
CREATE TABLE IF NOT EXISTS groups(grp TEXT PRIMARY KEY, pres TEXT NOT NULL);
";

/// A group of the entity table: the people of one surname, or one (name, kind).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Group {
    People(String),
    Name(String, String),
}

impl Group {
    fn key(&self) -> String {
        match self {
            Group::People(s) => format!("p\u{1f}{s}"),
            Group::Name(k, kind) => format!("n\u{1f}{kind}\u{1f}{k}"),
        }
    }

    fn parse(s: &str) -> Option<Group> {
        let mut parts = s.split('\u{1f}');
        match (parts.next()?, parts.next()?, parts.next()) {
            ("p", s, None) => Some(Group::People(s.to_string())),
            ("n", kind, Some(k)) => Some(Group::Name(k.to_string(), kind.to_string())),
            _ => None,
        }
    }
}

fn kind_text(kind: EntityKind) -> String {
    serde_json::to_string(&kind).expect("serialisable")
}

/// The entity table's groups in memory, and the table assembled from them.
#[derive(Default)]
pub(super) struct Groups {
    groups: HashMap<Group, Vec<Pre>>,
}

impl Groups {
    pub fn table(&self) -> EntityTable {
        table::assemble(self.groups.values().flatten())
    }

    pub fn apply(&mut self, updates: Vec<(Group, Vec<Pre>)>) {
        for (g, pres) in updates {
            if pres.is_empty() {
                self.groups.remove(&g);
            } else {
                self.groups.insert(g, pres);
            }
        }
    }
}

/// Running totals over the manifest's rows, kept in `meta` with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Totals {
    pub articles: usize,
    pub tokens: stats::Tokens,
}

/// What a refresh compares a file with: its row's size, mtime and id.
pub(super) struct Stamp {
    pub size: u64,
    pub mtime_ns: u128,
    pub id: String,
}

pub(super) struct Loaded {
    pub skips: Skips,
    pub totals: Totals,
    pub groups: Groups,
    /// No state, or one of an older version: every file is analysed again.
    pub fresh: bool,
}

struct Inner {
    conn: Connection,
    /// Groups whose rows changed in the open transaction.
    touched: BTreeSet<Group>,
    open: bool,
}

pub(super) struct Store {
    inner: Mutex<Inner>,
    /// Answers' lookups: a second connection, which sees the last commit (WAL).
    reader: Mutex<Connection>,
    path: PathBuf,
    /// A limited disk (tests) caps the file's growth at its free space.
    disk: Disk,
    /// Summary rows (a person, a name) read back from the store: what a refresh costs in
    /// other articles' summaries. Counted for tests.
    reads: AtomicU64,
}

fn err(path: &Path, e: rusqlite::Error) -> CoreError {
    CoreError::State { path: path.to_path_buf(), source: e }
}

/// A row that does not parse is damage, like a malformed page.
fn malformed(what: &str, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), Some(format!("{what}: {e}")))
}

impl Store {
    /// Open (or create) the state file and read what answering needs: the groups, the
    /// skipped files and the totals (not the manifest's rows).
    pub fn open(path: &Path, disk: &Disk) -> Result<(Store, Loaded), CoreError> {
        let existed = path.exists();
        let conn = Connection::open(path).map_err(|e| err(path, e))?;
        let loaded = Store::load(&conn, path, existed).map_err(|e| err(path, e))?;
        let reader = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .and_then(|r| r.busy_timeout(std::time::Duration::from_secs(10)).map(|()| r))
            .map_err(|e| err(path, e))?;
        let store = Store {
            inner: Mutex::new(Inner { conn, touched: BTreeSet::new(), open: false }),
            reader: Mutex::new(reader),
            path: path.to_path_buf(),
            disk: disk.clone(),
            reads: AtomicU64::new(0),
        };
        Ok((store, loaded))
    }

    fn load(conn: &Connection, path: &Path, existed: bool) -> rusqlite::Result<Loaded> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: Option<String> = if existed {
            let has_meta: bool = conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", [], |r| r.get::<_, i64>(0))? > 0;
            if has_meta { conn.query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| r.get(0)).optional()? } else { None }
        } else {
            None
        };
        // A file cut short (its last pages gone) reads fine until a query reaches the missing
        // pages: the manifest is no longer read whole here, so its length is checked instead.
        let wal = path.with_file_name(format!("{}-wal", path.file_name().and_then(|n| n.to_str()).unwrap_or_default()));
        if version.is_some() && !wal.exists() {
            let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            let len = std::fs::metadata(path).map_or(0, |m| m.len());
            if len < (pages * size) as u64 {
                return Err(malformed("the state file", format!("{len} bytes, {pages} pages of {size}")));
            }
        }
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        if version.as_deref() == Some("1") {
            migrate(conn)?;
        } else if version.as_deref() != Some(STATE_VERSION) {
            conn.execute_batch(
                "BEGIN; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS skipped; DROP TABLE IF EXISTS persons;
                 DROP TABLE IF EXISTS names; DROP TABLE IF EXISTS name_totals; DROP TABLE IF EXISTS groups;",
            )?;
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(FILES)?;
            conn.execute("INSERT INTO meta(key, value) VALUES ('version', ?1)", [STATE_VERSION])?;
            conn.execute_batch("COMMIT")?;
            return Ok(Loaded { skips: Skips::default(), totals: Totals::default(), groups: Groups::default(), fresh: true });
        }
        let totals: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'totals'", [], |r| r.get(0)).optional()?;
        let totals: Totals = match totals {
            Some(t) => serde_json::from_str(&t).map_err(|e| malformed("the manifest's totals", e))?,
            None => Totals::default(),
        };
        let mut skips = Skips::default();
        let mut stmt = conn.prepare("SELECT path, size, mtime, failed FROM skipped")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let path: String = r.get(0)?;
            let mtime: String = r.get(2)?;
            let mtime: u128 = mtime.parse().map_err(|e| malformed("a skipped row", e))?;
            if r.get::<_, i64>(3)? != 0 {
                skips.failed.insert(path.clone());
            }
            skips.skipped.insert(path, (r.get::<_, i64>(1)? as u64, mtime));
        }
        let mut groups = Groups::default();
        let mut stmt = conn.prepare("SELECT grp, pres FROM groups")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let g: String = r.get(0)?;
            let pres: String = r.get(1)?;
            let g = Group::parse(&g).ok_or_else(|| malformed("a group row", &g))?;
            let pres: Vec<Pre> = serde_json::from_str(&pres).map_err(|e| malformed("a group row", e))?;
            groups.groups.insert(g, pres);
        }
        Ok(Loaded { skips, totals, groups, fresh: false })
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, CoreError> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(|e| err(&self.path, e))
    }

    /// The article with this id as answers name it (the last commit).
    pub fn source(&self, id: &str) -> Result<Option<SourceRef>, CoreError> {
        self.read(|c| c.prepare_cached("SELECT id, title, date, url, outlet, author FROM files WHERE id = ?1 LIMIT 1")?.query_row([id], source_row).optional())
    }

    /// The `limit` newest articles (by date, undated last; then title, id).
    pub fn newest(&self, limit: usize) -> Result<Vec<SourceRef>, CoreError> {
        self.read(|c| {
            c.prepare_cached("SELECT id, title, date, url, outlet, author FROM files ORDER BY date DESC, title, id LIMIT ?1")?
                .query_map([limit as i64], source_row)?
                .collect()
        })
    }

    /// How many listed articles have no date.
    pub fn undated(&self) -> Result<usize, CoreError> {
        self.read(|c| c.prepare_cached("SELECT count(*) FROM files WHERE date = ''")?.query_row([], |r| r.get::<_, i64>(0)).map(|n| n as usize))
    }

    /// Every listed article's id, in order.
    pub fn ids(&self) -> Result<Vec<String>, CoreError> {
        self.read(|c| c.prepare_cached("SELECT id FROM files ORDER BY id")?.query_map([], |r| r.get(0))?.collect())
    }

    /// Articles that arrived after `since`, oldest first (then by id).
    pub fn arrived_since(&self, since: DateTime<Utc>) -> Result<Vec<ArticleInfo>, CoreError> {
        let after = since.timestamp_nanos_opt().unwrap_or(i64::MIN);
        self.read(|c| {
            let mut out = Vec::new();
            let mut stmt = c.prepare_cached("SELECT entry FROM files WHERE arrived > ?1 ORDER BY arrived, id")?;
            let mut rows = stmt.query([after])?;
            while let Some(r) = rows.next()? {
                let e = parse_entry(&r.get::<_, String>(0)?)?;
                if e.arrived.is_some_and(|a| a > since) {
                    out.push(ArticleInfo { source: e.source(), arrived: e.arrived });
                }
            }
            Ok(out)
        })
    }

    /// The file of the article with this id, and its entry.
    pub fn by_id(&self, id: &str) -> Result<Option<(String, ManifestEntry)>, CoreError> {
        self.read(|c| {
            c.prepare_cached("SELECT path, entry FROM files WHERE id = ?1 ORDER BY path LIMIT 1")?
                .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .optional()?
                .map(|(p, e)| parse_entry(&e).map(|e| (p, e)))
                .transpose()
        })
    }

    /// Read through the writing connection, without opening a transaction (inside one that
    /// is open, what it wrote is seen).
    fn look<T>(&self, f: impl FnOnce(&Inner) -> rusqlite::Result<T>) -> Result<T, CoreError> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&inner).map_err(|e| err(&self.path, e))
    }

    /// A file's entry, as the writing connection sees it (a refresh's own view).
    pub fn entry(&self, path: &str) -> Result<Option<ManifestEntry>, CoreError> {
        self.look(|i| {
            i.conn
                .prepare_cached("SELECT entry FROM files WHERE path = ?1")?
                .query_row([path], |r| r.get::<_, String>(0))
                .optional()?
                .map(|e| parse_entry(&e))
                .transpose()
        })
    }

    /// Every listed file's size, mtime and id: what a scan of the folder compares with.
    /// Reads the whole manifest (a scan stats the whole folder anyway).
    pub fn stamps(&self) -> Result<HashMap<String, Stamp>, CoreError> {
        #[derive(serde::Deserialize)]
        struct Row {
            id: String,
            size: u64,
            mtime_ns: u128,
        }
        self.look(|i| {
            let mut out = HashMap::new();
            let mut stmt = i.conn.prepare("SELECT path, entry FROM files")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let row: Row = serde_json::from_str(&r.get::<_, String>(1)?).map_err(|e| malformed("a manifest row", e))?;
                out.insert(r.get(0)?, Stamp { size: row.size, mtime_ns: row.mtime_ns, id: row.id });
            }
            Ok(out)
        })
    }

    /// Every listed file's hash and arrival (kept through a rebuild).
    pub fn arrivals(&self) -> Result<super::Arrivals, CoreError> {
        self.look(|i| {
            let mut out = HashMap::new();
            let mut stmt = i.conn.prepare("SELECT path, entry FROM files")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let e = parse_entry(&r.get::<_, String>(1)?)?;
                out.insert(r.get(0)?, (e.hash, e.arrived));
            }
            Ok(out)
        })
    }

    /// The running totals, written in the open transaction.
    pub fn set_totals(&self, totals: &Totals) -> Result<(), CoreError> {
        self.with(|i| put_totals(&i.conn, totals))
    }

    /// How many summary rows have been read back since the store was opened.
    pub fn summary_reads(&self) -> u64 {
        self.reads.load(Ordering::SeqCst)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> rusqlite::Result<T>) -> Result<T, CoreError> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !inner.open {
            if let Some(free) = self.disk.free_space() {
                // As on a full file system: SQLite fails the write with SQLITE_FULL.
                let limit = |c: &Connection| -> rusqlite::Result<()> {
                    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
                    let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
                    c.query_row(&format!("PRAGMA max_page_count = {}", pages + free as i64 / size.max(1)), [], |_| Ok(()))
                };
                limit(&inner.conn).map_err(|e| err(&self.path, e))?;
            }
            inner.conn.execute_batch("BEGIN").map_err(|e| err(&self.path, e))?;
            inner.open = true;
        }
        f(&mut inner).map_err(|e| err(&self.path, e))
    }

    /// Empty every table (a rebuild from the corpus), in the open transaction.
    pub fn clear(&self) -> Result<(), CoreError> {
        self.with(|i| {
            i.conn.execute_batch(
                "DELETE FROM files; DELETE FROM skipped; DELETE FROM persons; DELETE FROM names; DELETE FROM name_totals; DELETE FROM groups;
                 DELETE FROM meta WHERE key = 'totals';",
            )?;
            i.touched.clear();
            Ok(())
        })
    }

    /// An article leaves: its manifest row (when `path` is given) and its summary rows.
    pub fn remove(&self, path: Option<&str>, id: &str) -> Result<(), CoreError> {
        self.with(|i| {
            if let Some(p) = path {
                i.conn.prepare_cached("DELETE FROM files WHERE path = ?1")?.execute([p])?;
            }
            remove_summary(i, id, &self.reads)
        })
    }

    /// An article (re-)analysed: its manifest row and its summary rows.
    pub fn write(&self, path: &str, entry: &ManifestEntry, summary: &DocSummary) -> Result<(), CoreError> {
        self.with(|i| {
            remove_summary(i, &entry.id, &self.reads)?;
            put_entry(&i.conn, path, entry)?;
            for (seq, p) in summary.persons.iter().enumerate() {
                let g = table::surname_group(&p.name);
                i.conn.prepare_cached("INSERT INTO persons(doc, seq, grp, person) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
                    entry.id,
                    seq as i64,
                    g,
                    serde_json::to_string(p).expect("serialisable")
                ])?;
                i.touched.insert(Group::People(g));
            }
            for (seq, (name, kind, count)) in summary.names.iter().enumerate() {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                let kind = kind_text(*kind);
                i.conn.prepare_cached("INSERT INTO names(doc, seq, key, kind, name, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![
                    entry.id,
                    seq as i64,
                    key,
                    kind,
                    name,
                    *count as i64
                ])?;
                i.conn
                    .prepare_cached(
                        "INSERT INTO name_totals(key, kind, mentions, docs) VALUES (?1, ?2, ?3, 1)
                         ON CONFLICT(key, kind) DO UPDATE SET mentions = mentions + ?3, docs = docs + 1",
                    )?
                    .execute(params![key, kind, *count as i64])?;
                i.touched.insert(Group::Name(key, kind));
            }
            Ok(())
        })
    }

    /// A manifest row changed without a new analysis (the same content, a new mtime).
    pub fn touch(&self, path: &str, entry: &ManifestEntry) -> Result<(), CoreError> {
        self.with(|i| put_entry(&i.conn, path, entry))
    }

    /// The skipped files, replaced whole (they are few).
    pub fn set_skips(&self, skipped: &BTreeMap<String, (u64, u128)>, failed: &BTreeSet<String>) -> Result<(), CoreError> {
        self.with(|i| {
            i.conn.execute("DELETE FROM skipped", [])?;
            for (p, (size, mtime)) in skipped {
                i.conn.prepare_cached("INSERT INTO skipped(path, size, mtime, failed) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
                    p,
                    *size as i64,
                    mtime.to_string(),
                    failed.contains(p) as i64
                ])?;
            }
            Ok(())
        })
    }

    /// Recompute the groups the changes touched and commit. Returns the new groups (an
    /// empty one is gone) for memory to follow.
    pub fn commit(&self) -> Result<Vec<(Group, Vec<Pre>)>, CoreError> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !inner.open {
            return Ok(Vec::new());
        }
        let result = (|| {
            let touched = std::mem::take(&mut inner.touched);
            let mut out = Vec::with_capacity(touched.len());
            for g in touched {
                let pres = regroup(&inner.conn, &g, &self.reads)?;
                if pres.is_empty() {
                    inner.conn.prepare_cached("DELETE FROM groups WHERE grp = ?1")?.execute([g.key()])?;
                } else {
                    inner
                        .conn
                        .prepare_cached("INSERT OR REPLACE INTO groups(grp, pres) VALUES (?1, ?2)")?
                        .execute(params![g.key(), serde_json::to_string(&pres).expect("serialisable")])?;
                }
                out.push((g, pres));
            }
            inner.conn.execute_batch("COMMIT")?;
            Ok(out)
        })();
        inner.open = false;
        if result.is_err() {
            let _ = inner.conn.execute_batch("ROLLBACK");
            inner.touched.clear();
        }
        result.map_err(|e| err(&self.path, e))
    }

    /// Drop the open transaction: the state stays at its last commit.
    pub fn rollback(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.open {
            let _ = inner.conn.execute_batch("ROLLBACK");
            inner.open = false;
        }
        inner.touched.clear();
    }
}

fn put_entry(conn: &Connection, path: &str, entry: &ManifestEntry) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO files(path, id, title, date, url, outlet, author, arrived, entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        path,
        entry.id,
        entry.title,
        entry.date.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
        entry.url,
        entry.source,
        entry.author,
        entry.arrived.map(|a| a.timestamp_nanos_opt().unwrap_or(i64::MAX)),
        serde_json::to_string(entry).expect("serialisable")
    ])?;
    Ok(())
}

fn put_totals(conn: &Connection, totals: &Totals) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES ('totals', ?1)")?.execute([serde_json::to_string(totals).expect("serialisable")])?;
    Ok(())
}

fn parse_entry(e: &str) -> rusqlite::Result<ManifestEntry> {
    serde_json::from_str(e).map_err(|e| malformed("a manifest row", e))
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRef> {
    let date: String = r.get(2)?;
    let date = if date.is_empty() { None } else { Some(NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|e| malformed("a manifest row's date", e))?) };
    let (outlet, author): (Option<String>, Option<String>) = (r.get(4)?, r.get(5)?);
    Ok(SourceRef::article(r.get::<_, String>(0)?, r.get::<_, String>(1)?, date, r.get(3)?).by(outlet.as_deref(), author.as_deref()))
}

/// Version 1 kept the manifest as JSON rows only: the rows get their columns and the
/// totals are counted, once, in one transaction (the index and the summaries stay).
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN; ALTER TABLE files RENAME TO files_v1;")?;
    conn.execute_batch(FILES)?;
    let mut totals = Totals::default();
    {
        let mut stmt = conn.prepare("SELECT path, entry FROM files_v1")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let path: String = r.get(0)?;
            let e = parse_entry(&r.get::<_, String>(1)?)?;
            totals.articles += 1;
            totals.tokens.add(&e.tokens);
            put_entry(conn, &path, &e)?;
        }
    }
    put_totals(conn, &totals)?;
    conn.execute_batch("DROP TABLE files_v1;")?;
    conn.execute("UPDATE meta SET value = ?1 WHERE key = 'version'", [STATE_VERSION])?;
    conn.execute_batch("COMMIT")
}

/// Take an article's summary rows out, keeping the name totals and noting the groups.
fn remove_summary(i: &mut Inner, id: &str, reads: &AtomicU64) -> rusqlite::Result<()> {
    let groups: Vec<String> = i.conn.prepare_cached("SELECT grp FROM persons WHERE doc = ?1")?.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let names: Vec<(String, String, i64)> = i
        .conn
        .prepare_cached("SELECT key, kind, count FROM names WHERE doc = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if groups.is_empty() && names.is_empty() {
        return Ok(());
    }
    reads.fetch_add((groups.len() + names.len()) as u64, Ordering::SeqCst);
    for (key, kind, count) in names {
        i.conn
            .prepare_cached("UPDATE name_totals SET mentions = mentions - ?3, docs = docs - 1 WHERE key = ?1 AND kind = ?2")?
            .execute(params![key, kind, count])?;
        i.touched.insert(Group::Name(key, kind));
    }
    for g in groups {
        i.touched.insert(Group::People(g));
    }
    i.conn.prepare_cached("DELETE FROM persons WHERE doc = ?1")?.execute([id])?;
    i.conn.prepare_cached("DELETE FROM names WHERE doc = ?1")?.execute([id])?;
    Ok(())
}

/// A group from its rows: every person of the surname; for a name, its totals and its
/// first article's spelling (one row, through the index).
fn regroup(conn: &Connection, g: &Group, reads: &AtomicU64) -> rusqlite::Result<Vec<Pre>> {
    match g {
        Group::People(s) => {
            let mut rows = Vec::new();
            let mut stmt = conn.prepare_cached("SELECT doc, seq, person FROM persons WHERE grp = ?1")?;
            let mut q = stmt.query([s])?;
            while let Some(r) = q.next()? {
                let person: String = r.get(2)?;
                let person = serde_json::from_str(&person).map_err(|e| malformed("a person row", e))?;
                rows.push((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u32, person));
            }
            reads.fetch_add(rows.len() as u64, Ordering::SeqCst);
            Ok(table::people_group(&rows))
        }
        Group::Name(key, kind) => {
            let totals: Option<(i64, i64)> = conn
                .prepare_cached("SELECT mentions, docs FROM name_totals WHERE key = ?1 AND kind = ?2")?
                .query_row([key, kind], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((mentions, docs)) = totals.filter(|&(_, d)| d > 0) else {
                conn.prepare_cached("DELETE FROM name_totals WHERE key = ?1 AND kind = ?2")?.execute([key, kind])?;
                return Ok(Vec::new());
            };
            let first: Option<(String, i64, String)> = conn
                .prepare_cached("SELECT doc, seq, name FROM names WHERE key = ?1 AND kind = ?2 ORDER BY doc, seq LIMIT 1")?
                .query_row([key, kind], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((doc, seq, name)) = first else { return Err(malformed("a name's totals", "no article names it")) };
            reads.fetch_add(1, Ordering::SeqCst);
            let kind: EntityKind = serde_json::from_str(kind).map_err(|e| malformed("a name row", e))?;
            Ok(vec![table::name_entity(key, kind, (&doc, seq as u32, &name), mentions as u32, docs as u32)])
        }
    }
}
