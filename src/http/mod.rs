//! The HTTP face of `briefbot serve`: a small JSON API, health and metrics for operators,
//! and a chat page for people without a chat platform.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | The chat page ([`PAGE`]): plain HTML and JS, no external resources. |
//! | `GET /healthz` | 200 `{"status":"ok","articles":N,"sentences":N,"quotes":N,"entities":N}` once the index is open; 503 `{"status":"starting"}` before, and while a damaged index is rebuilt. |
//! | `GET /metrics` | Prometheus text ([`metrics::Metrics`]). |
//! | `GET /doc/<id>[?hl=START-END][#hl or #s<n>]` | One article as stored, the cited range (code points) or sentence highlighted ([`doc`]); 404 for ids the index does not list. |
//! | `GET /v1/ask?q=...`, `POST /v1/ask` `{"q": "..."}` | Exactly the JSON of `briefbot ask --json`; usage problems are 400 with that shape; 503 (same shape) while the index opens. |
//!
//! `/v1/*` and `/doc/*` need `Authorization: Bearer <token>` whenever a token is configured
//! (`/doc/*` also takes the token from the `briefbot_token` cookie the chat page sets, so
//! that its citation links open in the browser); serving
//! anywhere but loopback without one is refused at start-up ([`bearer_token_policy`]).
//!
//! The index opens after the listener is up, so that health can say "starting": build the
//! [`AppState`], serve it, then call [`AppState::set_engine`] when the engine is open.

pub mod doc;
pub mod health;
pub use crate::metrics;
pub mod supervisor;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::{Result, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, watch};

use crate::command::{self, Parsed};
use crate::core::answer::Answer;
use crate::core::engine::Stats;
use crate::dispatch::{self, Answerer};
use crate::render;

use self::metrics::{MeteredAnswerer, Metrics};

/// The chat page served at `/`.
pub const PAGE: &str = include_str!("page.html");

/// Environment variable holding the bearer token for `/v1/*` (else `http.bearer_token_file`).
pub const TOKEN_ENV: &str = "BRIEFBOT_HTTP_TOKEN";

/// Questions longer than this (in characters) are refused without parsing. The command
/// parser refuses long arguments anyway; this bounds the work a request can cause.
pub const MAX_QUESTION_CHARS: usize = 4096;

/// Request bodies larger than this are refused (413) before they are read whole.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    answerer: OnceLock<Arc<dyn Answerer>>,
    metrics: Arc<Metrics>,
    token: Option<String>,
    /// Answers computed at once; the rest wait (the blocking pool is not for queueing).
    permits: Semaphore,
    page_csp: HeaderValue,
}

impl AppState {
    /// `token`: the bearer token `/v1/*` requires, `None` for none (loopback only; see
    /// [`bearer_token_policy`]).
    pub fn new(metrics: Arc<Metrics>, token: Option<String>) -> AppState {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            inner: Arc::new(Inner {
                answerer: OnceLock::new(),
                metrics,
                token: token.filter(|t| !t.is_empty()),
                permits: Semaphore::new(parallel * 4),
                page_csp: HeaderValue::from_str(&page_csp(PAGE)).expect("CSP header is ASCII"),
            }),
        }
    }

    /// The index is open: answer from `answerer` from now on. Records the corpus size and
    /// returns the answerer wrapped in [`MeteredAnswerer`], which is what the chat adapters
    /// should use so that `/metrics` counts their answers too. Only the first call counts.
    pub fn set_engine(&self, answerer: Arc<dyn Answerer>, stats: Stats) -> Arc<dyn Answerer> {
        let metered: Arc<dyn Answerer> = Arc::new(MeteredAnswerer::new(answerer, self.inner.metrics.clone()));
        self.inner.metrics.set_corpus(&stats);
        let _ = self.inner.answerer.set(metered);
        self.inner.answerer.get().expect("just set").clone()
    }

    /// The (metered) answerer once the index is open.
    pub fn answerer(&self) -> Option<Arc<dyn Answerer>> {
        self.inner.answerer.get().cloned()
    }

    pub fn is_ready(&self) -> bool {
        self.inner.answerer.get().is_some()
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.inner.metrics
    }
}

/// The bearer token `/v1/*` will require, given where the server binds and the token
/// configured (env [`TOKEN_ENV`] or `http.bearer_token_file`). Serving beyond loopback
/// without a token is an error: the API would answer anybody on the network.
pub fn bearer_token_policy(bind: SocketAddr, token: Option<String>) -> Result<Option<String>> {
    let token = token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if token.is_none() && !bind.ip().is_loopback() {
        bail!("http.bind {bind} is not a loopback address: set {TOKEN_ENV} (or http.bearer_token_file) to require a bearer token on /v1/*");
    }
    Ok(token)
}

/// A URL a person on this machine can open for a server bound to `bind` (the unspecified
/// address becomes loopback).
pub fn local_url(bind: SocketAddr) -> String {
    match bind {
        SocketAddr::V4(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}/", a.port()),
        SocketAddr::V6(a) if a.ip().is_unspecified() => format!("http://[::1]:{}/", a.port()),
        a => format!("http://{a}/"),
    }
}

/// The whole application: page, health, metrics and the API.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/ask", get(ask_get).post(ask_post))
        .fallback(api_not_found)
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let docs = Router::new().route("/doc/{*id}", get(doc::doc_page)).route_layer(middleware::from_fn_with_state(state.clone(), require_token_or_cookie));
    Router::new()
        .merge(docs)
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .nest("/v1", api)
        .fallback(not_found)
        .with_state(state)
}

/// Serve `state` on `listener` until `shutdown` becomes true (or its sender is dropped);
/// then stop accepting and let requests in flight finish.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, mut shutdown: watch::Receiver<bool>) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await
}

async fn page(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, state.inner.page_csp.clone()),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        PAGE,
    )
        .into_response()
}

async fn healthz(State(state): State<AppState>) -> Response {
    // Not ready: the index is opening, or a damaged one is being rebuilt from the corpus.
    if !state.answerer().is_some_and(|a| a.ready()) {
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], axum::Json(json!({ "status": "starting" }))).into_response();
    }
    /// Fields in the documented order (a `json!` map would sort them).
    #[derive(serde::Serialize)]
    struct Health {
        status: &'static str,
        articles: usize,
        sentences: u64,
        quotes: u64,
        entities: usize,
    }
    let s = state.inner.metrics.corpus();
    axum::Json(Health { status: "ok", articles: s.articles, sentences: s.sentences, quotes: s.quotes, entities: s.entities }).into_response()
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.inner.metrics.render()).into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, axum::Json(json!({ "error": "not found" }))).into_response()
}

async fn api_not_found() -> Response {
    (StatusCode::NOT_FOUND, axum::Json(json!({ "error": "not found: the API is GET or POST /v1/ask" }))).into_response()
}

async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    check_token(state, request, next, false).await
}

async fn require_token_or_cookie(State(state): State<AppState>, request: Request, next: Next) -> Response {
    check_token(state, request, next, true).await
}

/// The cookie the chat page sets (path `/doc`) when it has the token: links cannot send headers.
const TOKEN_COOKIE: &str = "briefbot_token";

async fn check_token(state: AppState, request: Request, next: Next, cookie: bool) -> Response {
    if let Some(token) = &state.inner.token {
        let given = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim().to_string())
        });
        let from_cookie = || {
            request.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == TOKEN_COOKIE).then(|| percent_decode(value))
            })
        };
        let given = given.or_else(|| if cookie { from_cookie() } else { None });
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer realm=\"briefbot\"")],
                axum::Json(json!({ "error": "unauthorized: send Authorization: Bearer <token>" })),
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// `%XX` escapes decoded (what `encodeURIComponent` wrote); anything malformed stays as is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Equal without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0));
    }
    diff == 0
}

async fn ask_get(State(state): State<AppState>, query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Response {
    let q = match query {
        Ok(Query(mut params)) => params.remove("q"),
        Err(_) => None,
    };
    ask(state, q).await
}

#[derive(serde::Deserialize)]
struct AskBody {
    q: Option<String>,
}

async fn ask_post(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<AskBody>(&body) {
        Ok(b) => ask(state, b.q).await,
        Err(_) => usage(&state, "The body must be JSON such as {\"q\": \"/brief zangezur\"}."),
    }
}

/// A 400 answer in the `briefbot ask --json` shape.
fn usage(state: &AppState, message: &str) -> Response {
    let answer = dispatch::usage_answer("usage", message, Utc::now());
    state.inner.metrics.record_answer("usage", std::time::Duration::ZERO);
    answer_response(StatusCode::BAD_REQUEST, &answer)
}

fn answer_response(status: StatusCode, answer: &Answer) -> Response {
    (status, axum::Json(render::json::to_value(answer))).into_response()
}

async fn ask(state: AppState, q: Option<String>) -> Response {
    let Some(q) = q.filter(|q| !q.trim().is_empty()) else {
        return usage(&state, "Ask with a command in q, for example /v1/ask?q=/brief%20zangezur or POST {\"q\": \"/brief zangezur\"}.");
    };
    if q.chars().count() > MAX_QUESTION_CHARS {
        return usage(&state, &format!("That is too long: a question has at most {} characters after the command.", command::MAX_ARGUMENT_CHARS));
    }
    let Some(answerer) = state.answerer() else {
        // Usage problems need no index; real commands wait for it.
        return match command::parse(&q, None) {
            Parsed::Command(cmd) => {
                let answer = Answer::new(cmd.name(), cmd.argument()).with_notice("The corpus index is still opening; try again in a few seconds.");
                let mut response = answer_response(StatusCode::SERVICE_UNAVAILABLE, &answer);
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
            _ => respond_usage(&state, &q),
        };
    };
    let Ok(_permit) = state.inner.permits.acquire().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({ "error": "shutting down" }))).into_response();
    };
    let started = Instant::now();
    let answer = tokio::task::spawn_blocking(move || dispatch::respond(&*answerer, &q, None, Utc::now())).await;
    match answer {
        Ok(Some(answer)) if answer.command == "usage" => {
            state.inner.metrics.record_answer("usage", started.elapsed());
            answer_response(StatusCode::BAD_REQUEST, &answer)
        }
        Ok(Some(answer)) => answer_response(StatusCode::OK, &answer),
        // Addressed to another bot: nothing to say.
        Ok(None) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!("http: answering failed: {e}");
            let answer = Answer::new("usage", "").with_notice("Sorry, something went wrong answering that. Please try again later.");
            answer_response(StatusCode::INTERNAL_SERVER_ERROR, &answer)
        }
    }
}

/// The usage answer for text that is not a command, without an index.
fn respond_usage(state: &AppState, q: &str) -> Response {
    struct NoIndex;
    impl Answerer for NoIndex {
        fn answer(&self, command: &command::Command, _now: chrono::DateTime<Utc>) -> Answer {
            Answer::new(command.name(), command.argument())
        }
        fn suggest(&self, _prefix: &str, _limit: usize) -> Vec<String> {
            Vec::new()
        }
    }
    match dispatch::respond(&NoIndex, q, None, Utc::now()) {
        Some(answer) => {
            state.inner.metrics.record_answer("usage", std::time::Duration::ZERO);
            answer_response(StatusCode::BAD_REQUEST, &answer)
        }
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// The page's Content-Security-Policy: nothing but its own inline script and style (by
/// hash) and requests back to this server.
fn page_csp(page: &str) -> String {
    let hashes = |tag: &str| -> String {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let mut out = String::new();
        let mut rest = page;
        while let Some(start) = rest.find(&open) {
            let body = &rest[start + open.len()..];
            let Some(end) = body.find(&close) else { break };
            out.push_str(&format!(" 'sha256-{}'", base64(&Sha256::digest(&body.as_bytes()[..end]))));
            rest = &body[end + close.len()..];
        }
        out
    };
    format!(
        "default-src 'none'; script-src{}; style-src{}; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hashes("script"),
        hashes("style")
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `/healthz` body for logs and `briefbot health`: `{"status": ...}` as JSON.
pub fn health_status(body: &str) -> Option<String> {
    serde_json::from_str::<Value>(body).ok()?.get("status")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn csp_pins_the_inline_script_and_style() {
        let csp = page_csp("<style>a{}</style><script>x()</script>");
        assert!(csp.contains(&format!("script-src 'sha256-{}'", base64(&Sha256::digest(b"x()")))), "{csp}");
        assert!(csp.contains(&format!("style-src 'sha256-{}'", base64(&Sha256::digest(b"a{}")))), "{csp}");
        let real = page_csp(PAGE);
        assert!(real.contains("script-src 'sha256-") && real.contains("style-src 'sha256-"), "{real}");
    }

    #[test]
    fn token_policy() {
        let lo: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(bearer_token_policy(lo, None).unwrap(), None);
        assert_eq!(bearer_token_policy("[::1]:8080".parse().unwrap(), Some("  ".into())).unwrap(), None);
        assert_eq!(bearer_token_policy(lo, Some("t".into())).unwrap().as_deref(), Some("t"));
        let err = bearer_token_policy(any, None).unwrap_err().to_string();
        assert!(err.contains("BRIEFBOT_HTTP_TOKEN") && !err.contains('\n'), "{err}");
        assert_eq!(bearer_token_policy(any, Some("s3cret\n".into())).unwrap().as_deref(), Some("s3cret"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%3Bb%20c"), "a;b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
        assert!(!constant_time_eq(b"abc", b""));
    }

    #[test]
    fn local_urls() {
        assert_eq!(local_url("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080/");
        assert_eq!(local_url("[::]:80".parse().unwrap()), "http://[::1]:80/");
        assert_eq!(local_url("127.0.0.1:9".parse().unwrap()), "http://127.0.0.1:9/");
    }
}
