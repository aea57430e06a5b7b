//! Configuration: `config/default.toml` (every key documented there), then an optional local
//! file, then `BRIEFBOT__SECTION__KEY` environment variables. Tokens come from the
//! environment or a file named here, never from the repository.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

/// The defaults, compiled in so that the binary runs from any directory.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub corpus: CorpusConfig,
    pub data: DataConfig,
    pub telegram: TelegramConfig,
    pub discord: DiscordConfig,
    pub http: HttpConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusConfig {
    pub dir: PathBuf,
    pub max_file_bytes: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    pub api_url: String,
    pub token_file: Option<PathBuf>,
    /// Public HTTPS URL for webhook mode; empty means long polling.
    pub webhook_url: String,
    /// Address the webhook listener binds to.
    pub webhook_bind: String,
    /// File holding the webhook secret token (or env `TELEGRAM_WEBHOOK_SECRET`).
    pub webhook_secret_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    pub api_url: String,
    pub token_file: Option<PathBuf>,
    /// Guild ids to register commands in (instant updates); empty means global commands.
    pub guild_ids: Vec<u64>,
    /// Answer `!brief ...` in messages (needs the MESSAGE_CONTENT intent).
    pub prefix_commands: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    pub bind: String,
}

impl Config {
    /// Load defaults, then `local` (if given and present), then the environment `env`.
    pub fn load(local: Option<&Path>, env: &[(String, String)]) -> Result<Config> {
        let mut value: toml::Table = DEFAULT_TOML.parse().context("built-in config/default.toml")?;
        if let Some(path) = local {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading config file {}", path.display()))?;
            let local: toml::Table = text.parse().map_err(|e| anyhow!("config file {}: {e}", path.display()))?;
            merge(&mut value, local, "")?;
        }
        for (key, raw) in env {
            let Some(path) = key.strip_prefix("BRIEFBOT__") else { continue };
            let parts: Vec<String> = path.split("__").map(|p| p.to_lowercase()).collect();
            set_from_env(&mut value, &parts, raw).map_err(|e| anyhow!("environment {key}: {e}"))?;
        }
        Config::deserialize(toml::Value::Table(value)).map_err(|e| anyhow!("configuration: {}", e.message()))
    }
}

fn merge(base: &mut toml::Table, over: toml::Table, prefix: &str) -> Result<()> {
    for (k, v) in over {
        let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o, &name)?,
            (Some(_), v) => {
                base.insert(k, v);
            }
            (None, _) => bail!("unknown configuration key `{name}`"),
        }
    }
    Ok(())
}

/// Environment values are strings; convert them to the type the default has.
fn set_from_env(table: &mut toml::Table, parts: &[String], raw: &str) -> Result<()> {
    let (last, sections) = parts.split_last().ok_or_else(|| anyhow!("empty key"))?;
    let mut t = table;
    for s in sections {
        t = match t.get_mut(s) {
            Some(toml::Value::Table(inner)) => inner,
            _ => bail!("unknown configuration section `{s}`"),
        };
    }
    let Some(existing) = t.get(last) else { bail!("unknown configuration key `{}`", parts.join(".")) };
    let value = match existing {
        toml::Value::Integer(_) => toml::Value::Integer(raw.trim().parse().map_err(|_| anyhow!("`{raw}` is not an integer"))?),
        toml::Value::Boolean(_) => toml::Value::Boolean(match raw.trim() {
            "1" | "true" | "yes" => true,
            "0" | "false" | "no" => false,
            _ => bail!("`{raw}` is not true or false"),
        }),
        toml::Value::Array(_) => toml::Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<i64>().map(toml::Value::Integer).unwrap_or_else(|_| toml::Value::String(s.to_string())))
                .collect(),
        ),
        _ => toml::Value::String(raw.to_string()),
    };
    t.insert(last.clone(), value);
    Ok(())
}

/// Read a secret from an environment variable or, failing that, a file. Trailing
/// whitespace is dropped. `None` when neither is set.
pub fn read_secret(env_value: Option<String>, file: Option<&Path>) -> Result<Option<String>> {
    if let Some(v) = env_value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
        return Ok(Some(v));
    }
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading secret file {}", path.display()))?;
            Ok(Some(text.trim().to_string()).filter(|s| !s.is_empty()))
        }
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_load() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c.corpus.max_file_bytes, 5_000_000);
        assert_eq!(c.http.bind, "127.0.0.1:8080");
    }

    #[test]
    fn environment_overrides_with_types() {
        let c = Config::load(
            None,
            &env(&[("BRIEFBOT__TELEGRAM__API_URL", "http://127.0.0.1:9"), ("BRIEFBOT__CORPUS__MAX_FILE_BYTES", "10"), ("BRIEFBOT__DISCORD__GUILD_IDS", "1,2")]),
        )
        .unwrap();
        assert_eq!(c.telegram.api_url, "http://127.0.0.1:9");
        assert_eq!(c.corpus.max_file_bytes, 10);
        assert_eq!(c.discord.guild_ids, vec![1, 2]);
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = Config::load(None, &env(&[("BRIEFBOT__CORPUS__MAX_FILE_BYTES", "lots")])).unwrap_err().to_string();
        assert!(err.contains("BRIEFBOT__CORPUS__MAX_FILE_BYTES"), "{err}");
        let err = Config::load(None, &env(&[("BRIEFBOT__NOPE__X", "1")])).unwrap_err().to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
