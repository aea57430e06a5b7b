//! One article as stored, for its source page: looked up by id in the manifest (never by a
//! path built from the id), read from the corpus, with the index's sentence offsets.

use super::*;

/// An article as stored, with where its indexed sentences sit. Data only: pages are made
/// by the HTTP layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    pub id: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The outlet, when the front matter names one.
    pub outlet: Option<String>,
    pub author: Option<String>,
    /// The text after the front matter; every offset counts code points into it.
    pub body: String,
    /// Code points of a leading headline inside `body` (files without front matter).
    pub headline_chars: u64,
    /// The indexed sentences in order: `(position, start, end)` in code points. Empty when
    /// the file changed since it was indexed (its offsets would point at other text).
    pub sentences: Vec<(u64, u64, u64)>,
}

impl Engine {
    /// The article with id `id` as stored, or `None` when the index does not list it (an
    /// unknown id, or any text that is not one: ids are compared, never joined onto a path).
    /// A listed file that cannot be read any more is `None` too.
    pub fn document(&self, id: &str) -> Option<StoredDocument> {
        let (rel_path, entry) = self.store.by_id(id).ok()??;
        // `rel_path` comes from the manifest, which only lists files found by the corpus scan.
        let bytes = std::fs::read(self.opts.corpus_dir.join(&rel_path)).ok()?;
        if bytes.len() as u64 > self.opts.max_file_bytes {
            return None;
        }
        let doc = corpus::parse(&entry.id, &bytes).ok()?;
        let current = format!("{:x}", Sha256::digest(&bytes)) == entry.hash;
        let sentences = if current {
            self.sentences_of(&entry.id)
                .ok()?
                .iter()
                .map(|s| (u64_field(s, self.fields.pos), u64_field(s, self.fields.start), u64_field(s, self.fields.end)))
                .collect()
        } else {
            Vec::new()
        };
        let headline_chars = doc.body.get(..doc.headline_bytes).map_or(0, |h| h.chars().count() as u64);
        Some(StoredDocument {
            id: entry.id,
            title: doc.title,
            date: doc.date,
            url: doc.url,
            outlet: doc.source,
            author: doc.author,
            body: doc.body,
            headline_chars,
            sentences,
        })
    }
}
