//! The corpus folder, watched: re-scanned every few seconds so that files added, edited or
//! deleted by hand (or by the feed poller) show in answers without a restart. A re-scan is
//! cheap: the engine compares each file's size and mtime with its manifest and reads only
//! what changed.

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
