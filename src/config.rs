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
    pub log: LogConfig,
    /// Feeds polled in serve mode (`[[feeds]]`); empty by default.
    pub feeds: Vec<FeedConfig>,
    pub ingest: IngestConfig,
    pub digest: DigestConfig,
    /// Topic alerts (`/follow`); defaults when the section is missing.
    #[serde(default)]
    pub alerts: AlertsConfig,
    pub limits: LimitsConfig,
    pub access: AccessConfig,
    /// Where user state lives (`[state]`); the SQLite file in the data folder by default.
    #[serde(default)]
    pub state: StateConfig,
}

/// `[state]`: the engine of user state (subscriptions, the delivery log). Empty `url`: the
/// embedded SQLite file; `postgres://...`: a PostgreSQL database shared by replicas. The
/// environment variable `BRIEFBOT_STATE_URL` overrides it (it may hold a password, so it
/// need not be written in a file).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateConfig {
    #[serde(default)]
    pub url: String,
}

/// Abuse and load controls shared by every adapter (see `crate::gate`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub per_user_per_minute: u32,
    pub per_chat_per_minute: u32,
    pub answer_deadline_ms: u64,
    /// Concurrent heavy answers; 0 means the number of cores.
    pub heavy_concurrency: usize,
    /// The longest wait between two retries against a failing chat platform, in seconds.
    pub backoff_ceiling_seconds: u64,
}

impl LimitsConfig {
    /// [`LimitsConfig::backoff_ceiling_seconds`] as a duration.
    pub fn backoff_ceiling(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.backoff_ceiling_seconds)
    }
}

/// Platform ids as strings, whether written as numbers (`[-100123]`, or from the
/// environment) or as strings.
fn ids<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    let v: Vec<Id> = Vec::deserialize(d)?;
    Ok(v.into_iter()
        .map(|i| match i {
            Id::Number(n) => n.to_string(),
            Id::Text(t) => t,
        })
        .collect())
}

/// Where the bot answers; empty lists mean everywhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessConfig {
    /// Telegram chat ids or Discord channel ids (numbers or strings).
    #[serde(deserialize_with = "ids")]
    pub allowed_chats: Vec<String>,
    /// Discord guild (server) ids (numbers or strings).
    #[serde(deserialize_with = "ids")]
    pub allowed_guilds: Vec<String>,
    /// `platform:user_id` entries allowed to run bot-wide commands.
    pub admins: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusConfig {
    pub dir: PathBuf,
    pub max_file_bytes: u64,
    /// How often `briefbot serve` refreshes the index from the folder, in seconds; 0: never.
    /// With file-system notifications this is how long changes are gathered before a
    /// refresh of the files named; without them (not available), the period of a full scan.
    pub refresh_seconds: u64,
    /// With notifications, a full scan of the folder still runs this often (seconds), as a
    /// safety net for changes the notifications missed; 0: only at start-up.
    pub scan_seconds: u64,
    /// A document whose analysis takes longer is skipped (until its file changes).
    pub analysis_budget_seconds: u64,
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
    /// File holding the bearer token for `/v1/*` (else env `BRIEFBOT_HTTP_TOKEN`).
    pub bearer_token_file: Option<PathBuf>,
    /// Where people reach this server (`https://bot.example`), for source-page links in
    /// Telegram and Discord answers; empty: no such links.
    #[serde(default)]
    pub public_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// JSON log lines instead of text.
    pub json: bool,
}

/// The daily digest (`/subscribe`): defaults for new subscriptions and the fan-out pace.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// Local time of day (HH:MM, 24-hour) when `/subscribe` names none.
    pub default_time: String,
    /// IANA time zone (e.g. `Europe/London`) when `/subscribe` names none.
    pub default_timezone: String,
    /// Post "nothing new" when a digest would be empty (otherwise stay silent that day).
    pub post_when_empty: bool,
    /// Digest messages per second per platform, at most.
    pub max_per_second: u32,
    /// Days the delivery log and switched-off subscriptions are kept.
    #[serde(default = "default_keep_days")]
    pub keep_days: u32,
}

fn default_keep_days() -> u32 {
    90
}

impl DigestConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<()> {
        if chrono::NaiveTime::parse_from_str(self.default_time.trim(), "%H:%M").is_err() {
            bail!("configuration: digest.default_time `{}` is not a time of day as HH:MM", self.default_time);
        }
        if self.default_timezone.parse::<chrono_tz::Tz>().is_err() {
            bail!("configuration: digest.default_timezone `{}` is not an IANA time zone such as Europe/London", self.default_timezone);
        }
        if self.max_per_second == 0 {
            bail!("configuration: digest.max_per_second must be at least 1");
        }
        if self.keep_days == 0 {
            bail!("configuration: digest.keep_days must be at least 1");
        }
        Ok(())
    }
}

/// One `[[feeds]]` entry: an RSS, Atom or JSON Feed URL.
/// Topic alerts (`/follow <topic>`): one message per new matching article, per chat.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// Alert messages a chat gets at most per hour (a rolling hour); more matches than that
    /// are folded into one "and N more" message, which counts as one of them.
    pub max_per_hour: u32,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig { max_per_hour: 6 }
    }
}

impl AlertsConfig {
    pub fn validate(&self) -> Result<()> {
        if self.max_per_hour == 0 {
            bail!("configuration: alerts.max_per_hour must be at least 1");
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    /// A label for logs; the feed's own title when absent.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "default_poll_minutes")]
    pub poll_minutes: u64,
}

fn default_poll_minutes() -> u64 {
    15
}

/// `[ingest]`: fetching feeds and article pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    pub timeout_seconds: u64,
    pub max_bytes: u64,
    pub max_redirects: usize,
    pub user_agent: String,
    /// Minimum pause between two requests to one host, in milliseconds (jittered up to +50%).
    pub host_interval_ms: u64,
    /// A failing feed waits poll_minutes * 2^failures, at most this long.
    pub max_backoff_minutes: u64,
    /// Pages with less extracted text than this, no sentence and no list or table are not
    /// articles (the feed's own text is used).
    pub min_article_chars: usize,
}

impl Config {
    /// The engine's options: corpus and data folders, file size cap, analysis budget.
    pub fn engine_options(&self) -> crate::core::engine::EngineOptions {
        crate::core::engine::EngineOptions {
            max_file_bytes: self.corpus.max_file_bytes,
            analysis_budget: std::time::Duration::from_secs(self.corpus.analysis_budget_seconds.max(1)),
            ..crate::core::engine::EngineOptions::new(&self.corpus.dir, &self.data.dir)
        }
    }

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
        let config = Config::deserialize(toml::Value::Table(value)).map_err(|e| anyhow!("configuration: {}", e.message()))?;
        config.digest.validate()?;
        config.alerts.validate()?;
        if config.limits.backoff_ceiling_seconds == 0 {
            bail!("configuration: limits.backoff_ceiling_seconds must be at least 1");
        }
        let public = config.http.public_url.trim();
        if !public.is_empty() && !((public.starts_with("https://") || public.starts_with("http://")) && !public.contains(char::is_whitespace)) {
            bail!("configuration: http.public_url `{public}` must be an http(s) URL such as https://briefbot.example.org");
        }
        Ok(config)
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
            (None, v) if OPTIONAL_KEYS.contains(&name.as_str()) => {
                base.insert(k, v);
            }
            (None, _) => bail!("unknown configuration key `{name}`"),
        }
    }
    Ok(())
}

/// Keys without a default (commented out in `config/default.toml`): absent means unset.
const OPTIONAL_KEYS: &[&str] = &["telegram.token_file", "telegram.webhook_secret_file", "discord.token_file", "http.bearer_token_file"];

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
    let optional = toml::Value::String(String::new());
    let existing = match t.get(last) {
        Some(existing) => existing,
        None if OPTIONAL_KEYS.contains(&parts.join(".").as_str()) => &optional,
        None => bail!("unknown configuration key `{}`", parts.join(".")),
    };
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
    fn feeds_and_ingest_settings_load() {
        let c = Config::load(None, &[]).unwrap();
        assert!(c.feeds.is_empty());
        assert_eq!((c.ingest.timeout_seconds, c.ingest.max_bytes, c.ingest.max_redirects), (20, 5_000_000, 5));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("local.toml");
        std::fs::write(&path, "[[feeds]]\nurl = \"https://a.example/rss\"\n\n[[feeds]]\nurl = \"https://b.example/atom\"\nname = \"B\"\npoll_minutes = 5\n\n[ingest]\ntimeout_seconds = 3\n").unwrap();
        let c = Config::load(Some(&path), &env(&[("BRIEFBOT__INGEST__MAX_BYTES", "1000")])).unwrap();
        assert_eq!(c.feeds.len(), 2);
        assert_eq!((c.feeds[0].poll_minutes, c.feeds[0].name.as_deref()), (15, None));
        assert_eq!((c.feeds[1].poll_minutes, c.feeds[1].name.as_deref()), (5, Some("B")));
        assert_eq!((c.ingest.timeout_seconds, c.ingest.max_bytes), (3, 1000));
        std::fs::write(&path, "[[feeds]]\nurl = \"https://a.example/rss\"\npoll = 5\n").unwrap();
        assert!(Config::load(Some(&path), &[]).unwrap_err().to_string().contains("poll"));
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
    fn serve_keys_default_and_override() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c.corpus.refresh_seconds, 3);
        assert_eq!(c.engine_options().analysis_budget, std::time::Duration::from_secs(30));
        assert!(c.http.bearer_token_file.is_none());
        assert_eq!(c.http.public_url, "");
        let c = Config::load(None, &env(&[("BRIEFBOT__HTTP__PUBLIC_URL", "https://bot.example/news")])).unwrap();
        assert_eq!(c.http.public_url, "https://bot.example/news");
        let err = Config::load(None, &env(&[("BRIEFBOT__HTTP__PUBLIC_URL", "bot.example")])).unwrap_err().to_string();
        assert!(err.contains("http.public_url"), "{err}");
        assert!(!c.log.json);
        let c = Config::load(None, &env(&[("BRIEFBOT__LOG__JSON", "true"), ("BRIEFBOT__CORPUS__REFRESH_SECONDS", "0")])).unwrap();
        assert!(c.log.json);
        assert_eq!(c.corpus.refresh_seconds, 0);
        let err = Config::load(None, &env(&[("BRIEFBOT__LOG__JSON", "maybe")])).unwrap_err().to_string();
        assert!(err.contains("BRIEFBOT__LOG__JSON"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let local = dir.path().join("local.toml");
        std::fs::write(&local, "[http]\nbearer_token_file = \"/run/secrets/t\"\n").unwrap();
        let c = Config::load(Some(&local), &[]).unwrap();
        assert_eq!(c.http.bearer_token_file.as_deref(), Some(Path::new("/run/secrets/t")));
        let c =
            Config::load(None, &env(&[("BRIEFBOT__HTTP__BEARER_TOKEN_FILE", "/run/secrets/u"), ("BRIEFBOT__TELEGRAM__TOKEN_FILE", "/run/secrets/v")])).unwrap();
        assert_eq!(c.http.bearer_token_file.as_deref(), Some(Path::new("/run/secrets/u")));
        assert_eq!(c.telegram.token_file.as_deref(), Some(Path::new("/run/secrets/v")));
        std::fs::write(&local, "[http]\nbearer_token = \"x\"\n").unwrap();
        let err = Config::load(Some(&local), &[]).unwrap_err().to_string();
        assert!(err.contains("http.bearer_token"), "{err}");
    }

    #[test]
    fn access_ids_from_numbers_or_strings() {
        let c = Config::load(None, &env(&[("BRIEFBOT__ACCESS__ALLOWED_CHATS", "-100123,456"), ("BRIEFBOT__ACCESS__ALLOWED_GUILDS", "g1")])).unwrap();
        assert_eq!(c.access.allowed_chats, vec!["-100123", "456"]);
        assert_eq!(c.access.allowed_guilds, vec!["g1"]);
        assert_eq!(c.limits.per_user_per_minute, 10);
    }

    #[test]
    fn backoff_ceiling_defaults_and_must_be_positive() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!((c.limits.backoff_ceiling_seconds, c.limits.per_chat_per_minute), (60, 0));
        let c = Config::load(None, &env(&[("BRIEFBOT__LIMITS__BACKOFF_CEILING_SECONDS", "5")])).unwrap();
        assert_eq!(c.limits.backoff_ceiling(), std::time::Duration::from_secs(5));
        let err = Config::load(None, &env(&[("BRIEFBOT__LIMITS__BACKOFF_CEILING_SECONDS", "0")])).unwrap_err().to_string();
        assert!(err.contains("limits.backoff_ceiling_seconds"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = Config::load(None, &env(&[("BRIEFBOT__CORPUS__MAX_FILE_BYTES", "lots")])).unwrap_err().to_string();
        assert!(err.contains("BRIEFBOT__CORPUS__MAX_FILE_BYTES"), "{err}");
        let err = Config::load(None, &env(&[("BRIEFBOT__NOPE__X", "1")])).unwrap_err().to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
