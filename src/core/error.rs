//! Errors of the core. Adapters and the command line wrap them with `anyhow`.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("corpus folder {0} does not exist or is not a folder")]
    CorpusMissing(PathBuf),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("the index in {0} is in use by another briefbot process")]
    IndexLocked(PathBuf),
    #[error("analysis cache {path}: {message}")]
    Cache { path: PathBuf, message: String },
}

impl CoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CoreError::Io { context: context.into(), source }
    }

    /// Damaged index files (which a rebuild from the corpus cures), as opposed to the
    /// machine's trouble (a full disk, a permission, a lock).
    pub fn is_damage(&self) -> bool {
        matches!(self, CoreError::Index(e) if super::heal::is_damage(e))
    }
}
