//! Ids as logs may hold them. A module of its own so that the gate and the digest scheduler
//! (which the gate routes to) both use it without importing each other.

use sha2::{Digest, Sha256};

/// A short, stable, one-way id for logs: the same user hashes the same, and the log
/// never holds the platform id.
pub fn hashed_id(platform: &str, id: &str) -> String {
    let digest = Sha256::digest(format!("briefbot:{platform}:{id}").as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}
