//! Digest settings from the configuration, and the arguments of `/subscribe`.

use anyhow::{Result, anyhow};
use chrono::NaiveTime;
use chrono_tz::Tz;

use crate::config::DigestConfig;
use crate::core::text::edit_distance;

/// The `[digest]` configuration, parsed.
#[derive(Debug, Clone)]
pub struct DigestSettings {
    pub default_time: NaiveTime,
    pub default_zone: Tz,
    pub post_when_empty: bool,
    pub max_per_second: u32,
    /// Days the delivery log and switched-off subscriptions are kept.
    pub keep_days: u32,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            default_time: NaiveTime::from_hms_opt(8, 0, 0).expect("valid"),
            default_zone: Tz::UTC,
            post_when_empty: false,
            max_per_second: 25,
            keep_days: 90,
        }
    }
}

impl DigestSettings {
    pub fn from_config(c: &DigestConfig) -> Result<Self> {
        c.validate()?;
        Ok(DigestSettings {
            default_time: parse_time(&c.default_time).map_err(|e| anyhow!("configuration: digest.default_time: {e}"))?,
            default_zone: parse_zone(&c.default_timezone).map_err(|e| anyhow!("configuration: digest.default_timezone: {e}"))?,
            post_when_empty: c.post_when_empty,
            max_per_second: c.max_per_second.max(1),
            keep_days: c.keep_days.max(1),
        })
    }
}

/// Most topics one subscription may name.
pub const MAX_TOPICS: usize = 10;
/// Longest topic, in characters.
pub const MAX_TOPIC_CHARS: usize = 60;

/// `/subscribe [HH:MM] [Area/City] [topics...]`, understood.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscribeArgs {
    pub time: Option<NaiveTime>,
    pub zone: Option<Tz>,
    /// Topics as typed (trimmed, duplicates dropped). Commas separate topics when there
    /// are any ("port strike, glaciers" is two); otherwise each word is a topic.
    pub topics: Vec<String>,
}

/// `HH:MM` or `H:MM`, 24-hour.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a time of day: use HH:MM, 24-hour (for example 08:00 or 18:30)");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// An IANA zone name, any letter case ("europe/london" is Europe/London); `UTC` too.
pub fn parse_zone(s: &str) -> Result<Tz, String> {
    let s = s.trim();
    if let Ok(tz) = s.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(tz) = chrono_tz::TZ_VARIANTS.iter().find(|z| z.name().eq_ignore_ascii_case(s)) {
        return Ok(*tz);
    }
    let mut msg = format!("`{s}` is not a time zone I know: use an IANA name such as Europe/London or America/New_York");
    if let Some(near) = closest_zone(s) {
        msg.push_str(&format!(" (did you mean {}?)", near.name()));
    }
    Err(msg)
}

/// A zone with the same city, or within two edits of the whole name.
fn closest_zone(s: &str) -> Option<Tz> {
    let lower = s.to_lowercase().replace(' ', "_");
    let city = lower.rsplit('/').next().unwrap_or(&lower).to_string();
    if let Some(z) =
        chrono_tz::TZ_VARIANTS.iter().find(|z| z.name().rsplit('/').next().is_some_and(|c| c.eq_ignore_ascii_case(&city)) && z.name().contains('/'))
    {
        return Some(*z);
    }
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| (edit_distance(&z.name().to_lowercase(), &lower, 3), z))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, z)| (*d, z.name()))
        .map(|(_, z)| *z)
}

fn looks_like_time(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_digit()) && token.contains(':')
}

fn looks_like_zone(token: &str) -> bool {
    token.contains('/') || ["utc", "gmt", "z"].contains(&token.to_lowercase().as_str())
}

/// Understand the arguments of `/subscribe`. The error is a message for the user.
pub fn parse_subscribe(args: &str) -> Result<SubscribeArgs, String> {
    let mut out = SubscribeArgs::default();
    let mut rest: Vec<&str> = Vec::new();
    for token in args.split_whitespace() {
        if looks_like_time(token) {
            let t = parse_time(token)?;
            if out.time.replace(t).is_some() {
                return Err("Give one time of day, for example /subscribe 08:00 Europe/London".to_string());
            }
        } else if looks_like_zone(token) {
            let z = if token.eq_ignore_ascii_case("z") { Tz::UTC } else { parse_zone(token)? };
            if out.zone.replace(z).is_some() {
                return Err("Give one time zone, for example /subscribe 08:00 Europe/London".to_string());
            }
        } else {
            rest.push(token);
        }
    }
    let joined = rest.join(" ");
    let raw: Vec<String> =
        if joined.contains(',') { joined.split(',').map(|t| t.trim().to_string()).collect() } else { rest.iter().map(|t| t.to_string()).collect() };
    for topic in raw {
        let topic = topic.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if topic.is_empty() || out.topics.iter().any(|t| t.eq_ignore_ascii_case(&topic)) {
            continue;
        }
        if topic.chars().count() > MAX_TOPIC_CHARS {
            return Err(format!("A topic can be at most {MAX_TOPIC_CHARS} characters."));
        }
        out.topics.push(topic);
    }
    if out.topics.len() > MAX_TOPICS {
        return Err(format!("At most {MAX_TOPICS} topics, please."));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_in_any_order() {
        let a = parse_subscribe("07:30 Europe/London port strike").unwrap();
        assert_eq!(a.time, NaiveTime::from_hms_opt(7, 30, 0));
        assert_eq!(a.zone, Some(chrono_tz::Europe::London));
        assert_eq!(a.topics, vec!["port", "strike"]);
        let b = parse_subscribe("america/new_york 9:05 port strike, glaciers").unwrap();
        assert_eq!(b.time, NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(b.zone, Some(chrono_tz::America::New_York));
        assert_eq!(b.topics, vec!["port strike", "glaciers"]);
        assert_eq!(parse_subscribe("").unwrap(), SubscribeArgs::default());
        assert_eq!(parse_subscribe("UTC").unwrap().zone, Some(Tz::UTC));
    }

    #[test]
    fn clear_errors() {
        let e = parse_subscribe("25:00").unwrap_err();
        assert!(e.contains("`25:00` is not a time of day"), "{e}");
        assert!(parse_subscribe("8:5").is_err());
        assert!(parse_subscribe("08:00 09:00").is_err());
        let e = parse_subscribe("08:00 Europe/Londn").unwrap_err();
        assert!(e.contains("not a time zone") && e.contains("Europe/London"), "{e}");
        let e = parse_subscribe("Mars/Olympus").unwrap_err();
        assert!(e.contains("`Mars/Olympus` is not a time zone"), "{e}");
    }
}
