//! Where user state lives, and the parts every engine shares.
//!
//! User state (subscriptions, digest claims and the delivery log; follows and the alert log)
//! sits behind one interface per component ([`crate::digest::store::DigestState`],
//! [`crate::alerts::store::AlertState`], [`updates::UpdateLog`] for the webhook updates
//! replicas take; a new component adds its own trait and tables the same way) with two engines:
//! - SQLite, embedded, the default: one file in the data folder, one process;
//! - PostgreSQL ([`pg`], cargo feature `postgres`): one database shared by every `serve`
//!   replica, reached through a pool on a small runtime of its own, with versioned
//!   migrations per component run at start-up under an advisory lock (two replicas starting
//!   together migrate once).
//!
//! The engine is chosen by `[state] url` or the environment variable `BRIEFBOT_STATE_URL`
//! (which wins): empty means SQLite.

#[cfg(feature = "postgres")]
pub mod pg;
pub mod updates;

use anyhow::{Result, bail};

/// The environment variable that names the state engine (it overrides `[state] url`).
pub const STATE_URL_ENV: &str = "BRIEFBOT_STATE_URL";

/// Which engine holds user state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// The embedded SQLite file in the data folder.
    Sqlite,
    /// A PostgreSQL database (a `postgres://` or `postgresql://` URL).
    Postgres(String),
}

impl StateLocation {
    /// From the configured URL and the environment's (`env` wins when set and not empty).
    pub fn resolve(configured: &str, env: Option<&str>) -> Result<StateLocation> {
        let url = env.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(configured.trim());
        if url.is_empty() || url.eq_ignore_ascii_case("sqlite") {
            return Ok(StateLocation::Sqlite);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StateLocation::Postgres(url.to_string()));
        }
        bail!("configuration: state.url (or {STATE_URL_ENV}) `{}` is neither empty (the SQLite file in the data folder) nor a postgres:// URL", redact(url))
    }

    /// The engine's name for logs.
    pub fn engine(&self) -> &'static str {
        match self {
            StateLocation::Sqlite => "sqlite",
            StateLocation::Postgres(_) => "postgres",
        }
    }
}

/// A URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let cut = rest.find(['/', '?']).unwrap_or(rest.len());
    let (auth, mut tail) = rest.split_at(cut);
    let auth = match auth.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split_once(':').map_or(user.to_string(), |(name, _)| format!("{name}:***"))),
        None => auth.to_string(),
    };
    let mut out = format!("{scheme}://{auth}");
    while let Some(i) = tail.find("password=") {
        out.push_str(&tail[..i + "password=".len()]);
        out.push_str("***");
        tail = &tail[i + "password=".len()..];
        tail = &tail[tail.find('&').unwrap_or(tail.len())..];
    }
    out.push_str(tail);
    out
}

/// This process among the replicas: host name, process id and start time, for lease rows
/// and logs.
pub fn replica_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let host = std::env::var("HOSTNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "host".into());
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        format!("{host}-{}-{started}", std::process::id())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_comes_from_the_url_and_the_environment_wins() {
        assert_eq!(StateLocation::resolve("", None).unwrap(), StateLocation::Sqlite);
        assert_eq!(StateLocation::resolve("  ", Some("")).unwrap(), StateLocation::Sqlite);
        assert_eq!(StateLocation::resolve("postgres://db/x", None).unwrap(), StateLocation::Postgres("postgres://db/x".into()));
        assert_eq!(StateLocation::resolve("", Some("postgresql://u@db/y")).unwrap(), StateLocation::Postgres("postgresql://u@db/y".into()));
        assert_eq!(StateLocation::resolve("postgres://db/x", Some("sqlite")).unwrap(), StateLocation::Sqlite);
        let err = StateLocation::resolve("mysql://root:hunter2@db/x", None).unwrap_err().to_string();
        assert!(err.contains("state.url") && !err.contains("hunter2"), "{err}");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://bot:s3cret@db:5432/briefbot"), "postgres://bot:***@db:5432/briefbot");
        assert_eq!(redact("postgres://bot@db/briefbot"), "postgres://bot@db/briefbot");
        assert!(!redact("postgresql:///b?host=/run/pg&password=s3cret").contains("s3cret"));
    }
}
