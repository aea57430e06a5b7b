//! The corpus folder, watched: [`notify_changes`] turns the file system's notifications
//! (inotify) into the paths that changed, which the server's refresher hands to
//! [`Engine::refresh_paths`]; [`watch_corpus`] re-scans every few seconds (the fallback, and
//! what a folder without notifications gets). Either way files added, edited or deleted by
//! hand (or by the feed poller) show in answers without a restart.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::core::engine::Engine;

/// Refresh `engine` every `interval` (on a blocking thread) until `shutdown` turns true.
/// Changes are logged at info level, skipped files once each at warn level; a failed
/// refresh is logged and retried at the next tick.
pub async fn watch_corpus(engine: Arc<Engine>, interval: Duration, clock: impl Fn() -> DateTime<Utc> + Send, mut shutdown: watch::Receiver<bool>) {
    let interval = interval.max(Duration::from_millis(50));
    loop {
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            r = shutdown.changed() => {
                if r.is_err() || *shutdown.borrow() {
                    return;
                }
                continue;
            }
        }
        let now = clock();
        let e = Arc::clone(&engine);
        match tokio::task::spawn_blocking(move || e.refresh_at(Some(now))).await {
            Ok(Ok(report)) => {
                if report.added + report.changed + report.removed > 0 {
                    tracing::info!("corpus: {} added, {} changed, {} removed ({} files)", report.added, report.changed, report.removed, report.files);
                }
                for s in &report.skipped {
                    tracing::warn!("corpus: skipped {}: {}", s.rel_path, s.reason);
                }
            }
            Ok(Err(e)) => tracing::warn!("corpus: refresh failed: {e}"),
            Err(e) => tracing::warn!("corpus: refresh stopped: {e}"),
        }
    }
}

/// A change the file system reported, relative to the corpus folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An article file (`.md`, `.txt`) was created, written, renamed or removed.
    File(String),
    /// Something that may hide article changes (a folder moved or removed, a lost event):
    /// only a scan of the folder knows.
    Rescan,
}

/// Watch `root` recursively with the platform's notifications, sending each change on `tx`.
/// The watcher stops when the returned value is dropped; `Err` when the platform refuses
/// (too many watches, no inotify): the caller scans instead.
pub fn notify_changes(root: &std::path::Path, tx: tokio::sync::mpsc::UnboundedSender<Change>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let base = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let plain = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
        Ok(event) => {
            for p in event.paths {
                let Some(rel) = p.strip_prefix(&base).or_else(|_| p.strip_prefix(&plain)).ok() else { continue };
                let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                if parts.is_empty() || parts.iter().any(|c| c.starts_with('.')) {
                    continue;
                }
                let rel = parts.join("/");
                let article = rel.rsplit_once('.').is_some_and(|(_, x)| matches!(x.to_ascii_lowercase().as_str(), "md" | "txt"));
                let change = if article {
                    Change::File(rel)
                } else if p.is_file() {
                    continue;
                } else {
                    Change::Rescan
                };
                let _ = tx.send(change);
            }
        }
        Err(_) => {
            let _ = tx.send(Change::Rescan);
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    Ok(watcher)
}
