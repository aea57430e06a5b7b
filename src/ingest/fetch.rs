//! HTTP for ingestion: one client with timeouts, a redirect limit and a user agent; bodies
//! streamed and abandoned past `max_bytes`; conditional requests; one request at a time per
//! host with a jittered pause between two; charset decoding.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use crate::config::IngestConfig;

/// Why a fetch gave nothing: one line for the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("timed out")]
    Timeout,
    #[error("too many redirects")]
    Redirects,
    #[error("body larger than {max} bytes (stopped after {read})")]
    TooLarge { read: u64, max: u64 },
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    fn from_reqwest(e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout
        } else if e.is_redirect() {
            FetchError::Redirects
        } else {
            // The innermost cause is the useful part ("connection refused", ...).
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg = format!("{msg}: {s}");
                src = s.source();
            }
            FetchError::Other(msg)
        }
    }
}

/// A successful fetch (or `NotModified`).
#[derive(Debug, Clone)]
pub enum Fetched {
    NotModified,
    Body(Body),
}

#[derive(Debug, Clone)]
pub struct Body {
    /// The URL after redirects.
    pub final_url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub bytes: Vec<u8>,
}

impl Body {
    /// The body as text: the charset from Content-Type, else a BOM or `<meta charset>`, else
    /// UTF-8 when valid, else windows-1252. Never fails (undecodable bytes become U+FFFD).
    pub fn text(&self) -> String {
        decode(&self.bytes, self.content_type.as_deref())
    }
}

/// Validators from an earlier response, sent as If-None-Match / If-Modified-Since.
#[derive(Debug, Clone, Default)]
pub struct Conditional {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// One per host: held during a request; the time the last one ended.
type HostGate = Arc<tokio::sync::Mutex<Option<Instant>>>;

/// The shared fetcher. Cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_bytes: u64,
    host_interval: Duration,
    hosts: Arc<Mutex<HashMap<String, HostGate>>>,
}

impl Fetcher {
    pub fn new(cfg: &IngestConfig) -> anyhow::Result<Fetcher> {
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .timeout(Duration::from_secs(cfg.timeout_seconds.max(1)))
            .connect_timeout(Duration::from_secs(cfg.timeout_seconds.clamp(1, 10)))
            .redirect(reqwest::redirect::Policy::limited(cfg.max_redirects))
            .build()?;
        Ok(Fetcher { client, max_bytes: cfg.max_bytes, host_interval: Duration::from_millis(cfg.host_interval_ms), hosts: Arc::default() })
    }

    fn gate(&self, url: &str) -> HostGate {
        let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))).unwrap_or_default();
        self.hosts.lock().expect("hosts lock").entry(host).or_default().clone()
    }

    /// GET `url`, politely: waits for any other request to the same host and for the pause
    /// after the last one.
    pub async fn get(&self, url: &str, cond: Option<&Conditional>) -> Result<Fetched, FetchError> {
        let gate = self.gate(url);
        let mut last = gate.lock().await;
        if let Some(at) = *last {
            let pause = jittered(self.host_interval, 0.5);
            let since = at.elapsed();
            if since < pause {
                tokio::time::sleep(pause - since).await;
            }
        }
        let result = self.get_now(url, cond).await;
        *last = Some(Instant::now());
        result
    }

    async fn get_now(&self, url: &str, cond: Option<&Conditional>) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url);
        if let Some(c) = cond {
            if let Some(e) = &c.etag {
                req = req.header(IF_NONE_MATCH, e);
            }
            if let Some(m) = &c.last_modified {
                req = req.header(IF_MODIFIED_SINCE, m);
            }
        }
        let mut resp = req.send().await.map_err(|e| FetchError::from_reqwest(&e))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        if resp.content_length().is_some_and(|l| l > self.max_bytes) {
            return Err(FetchError::TooLarge { read: 0, max: self.max_bytes });
        }
        let headers: HeaderMap = resp.headers().clone();
        let final_url = resp.url().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| FetchError::from_reqwest(&e))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > self.max_bytes {
                return Err(FetchError::TooLarge { read: bytes.len() as u64, max: self.max_bytes });
            }
        }
        let header = |name| headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(str::to_string);
        Ok(Fetched::Body(Body { final_url, content_type: header(CONTENT_TYPE), etag: header(ETAG), last_modified: header(LAST_MODIFIED), bytes }))
    }
}

/// `base` plus up to `spread` of it, from a cheap clock-seeded generator (no need for
/// a real random source: this only spreads requests out).
pub fn jittered(base: Duration, spread: f64) -> Duration {
    if base.is_zero() {
        return base;
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let mut x = u64::from(nanos) ^ 0x9e37_79b9_7f4a_7c15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    let frac = (x % 10_000) as f64 / 10_000.0;
    base.mul_f64(1.0 + spread * frac)
}

/// Decode a page or feed: declared charset (header, BOM, `<meta>`), else UTF-8, else
/// windows-1252.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let declared = content_type.and_then(charset_param).or_else(|| sniff_meta_charset(bytes));
    if let Some(enc) = declared.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `<meta charset="x">`, `<meta http-equiv=... content="...; charset=x">` or an XML
/// declaration's `encoding="x"` in the first 2 KB.
fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(i) = head[from..].find(key) {
            let start = from + i + key.len();
            let rest = head[start..].trim_start_matches(['"', '\'', ' ']);
            let label: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')).collect();
            if !label.is_empty() {
                return Some(label);
            }
            from = start;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_declared_and_fallback_charsets() {
        let bytes = b"caf\xe9 \x93quoted\x94";
        assert_eq!(decode(bytes, Some("text/html; charset=windows-1252")), "caf\u{e9} \u{201c}quoted\u{201d}");
        assert_eq!(decode(bytes, None), "caf\u{e9} \u{201c}quoted\u{201d}");
        let meta = b"<html><head><meta charset=\"iso-8859-1\"></head>caf\xe9";
        assert!(decode(meta, Some("text/html")).ends_with("caf\u{e9}"));
        assert_eq!(decode("naïve".as_bytes(), None), "naïve");
    }

    #[test]
    fn jitter_stays_in_range() {
        let d = jittered(Duration::from_millis(1000), 0.5);
        assert!(d >= Duration::from_millis(1000) && d <= Duration::from_millis(1500));
    }
}
