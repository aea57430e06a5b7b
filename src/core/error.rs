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
    /// The derived state file (manifest and entity table rows).
    #[error("{}: {source}", path.display())]
    State {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
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
        match self {
            CoreError::Index(e) => super::heal::is_damage(e),
            CoreError::State { source, .. } => {
                matches!(source.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
            }
            _ => false,
        }
    }
}
