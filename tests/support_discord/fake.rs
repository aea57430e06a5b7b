//! A fake Discord on 127.0.0.1: the REST routes the adapter uses and a gateway WebSocket.
//!
//! REST (under `/api/v10`): `GET /gateway`, `GET /gateway/bot`, `GET /users/@me`,
//! `PUT /applications/{app}/commands` (and the guild variant), `POST
//! /interactions/{id}/{token}/callback`, `PATCH|DELETE /webhooks/{app}/{token}/messages/@original`,
//! `POST /webhooks/{app}/{token}`, `POST /channels/{id}/messages`. Every request is recorded.
//! Like Discord, the fake refuses a bad token (401), a second acknowledgement of an
//! interaction (400, code 40060), a first response later than 3 s (404, code 10062), a
//! webhook call before the acknowledgement, and messages over Discord's limits (400, code
//! 50035); tests can make the next matching request get a 429 with `retry_after`, and
//! channel posts fail with a 5xx for a spell (an outage).
//!
//! Gateway (`/gateway`): HELLO on connect, IDENTIFY answered with READY, RESUME with
//! RESUMED, heartbeats acknowledged. Tests inject dispatches (INTERACTION_CREATE,
//! MESSAGE_CREATE) and can drop the connection (close frame, op 7 RECONNECT, or a bare TCP
//! drop). Every payload the fake sends is first parsed with serenity's own model types, so
//! a payload the client would silently drop fails the test instead.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub const TOKEN: &str = "fake-bot-token-0123456789";
pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const BOT_ID: u64 = 900_000_000_000_000_001;
pub const USER_ID: u64 = 800_000_000_000_000_042;
pub const CHANNEL_ID: u64 = 700_000_000_000_000_007;
/// Discord's limit for the first response to an interaction.
pub const INTERACTION_DEADLINE: Duration = Duration::from_secs(3);

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path without the `/api/v10` prefix.
    pub path: String,
    pub body: Value,
    pub status: u16,
    pub at: Instant,
}

/// What a test asks the gateway connection to do.
#[derive(Debug)]
enum GatewayOp {
    Dispatch(String, Value),
    Close(u16),
    Reconnect,
    Drop,
}

#[derive(Debug, Clone)]
struct InteractionState {
    created: Instant,
    /// The type of the acknowledging callback (4, 5 or 8), once acknowledged.
    acked: Option<u64>,
}

struct RateLimit {
    method: String,
    path_contains: String,
    retry_after: f64,
}

struct Inner {
    requests: Vec<Recorded>,
    /// Payloads received from the client over the gateway, in order.
    gateway_received: Vec<Value>,
    /// The live, identified (or resumed) connection.
    live: Option<(u64, mpsc::UnboundedSender<GatewayOp>)>,
    session_id: Option<String>,
    seq: u64,
    connections: u64,
    interactions: HashMap<String, InteractionState>,
    rate_limits: Vec<RateLimit>,
    /// Channels where posting answers 403 Missing Access (the bot was removed).
    forbidden_channels: std::collections::HashSet<u64>,
    /// An outage: every `POST /channels/{id}/messages` answers this 5xx status until cleared.
    post_outage: Option<u16>,
    /// Messages posted with `POST /channels/{id}/messages`, served by `GET` on the same path.
    channel_messages: Vec<(u64, Value)>,
}

struct Shared {
    inner: Mutex<Inner>,
    base_url: String,
    heartbeat_ms: u64,
    ids: AtomicU64,
}

impl Shared {
    fn next_id(&self) -> u64 {
        1_300_000_000_000_000_000 + self.ids.fetch_add(1, Ordering::SeqCst)
    }
}

pub struct FakeDiscord {
    pub base_url: String,
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

/// An interaction the test sent in.
#[derive(Debug, Clone)]
pub struct SentInteraction {
    pub id: u64,
    pub token: String,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let base_url = format!("http://{addr}");
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                requests: Vec::new(),
                gateway_received: Vec::new(),
                live: None,
                session_id: None,
                seq: 0,
                connections: 0,
                interactions: HashMap::new(),
                rate_limits: Vec::new(),
                forbidden_channels: Default::default(),
                post_outage: None,
                channel_messages: Vec::new(),
            }),
            base_url: base_url.clone(),
            heartbeat_ms: 1000,
            ids: AtomicU64::new(1),
        });
        let app = Router::new().route("/gateway", get(gateway)).fallback(rest).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake discord server");
        });
        FakeDiscord { base_url, addr, shared, server }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    pub fn gateway_received(&self) -> Vec<Value> {
        self.lock().gateway_received.clone()
    }

    pub fn connections(&self) -> u64 {
        self.lock().connections
    }

    /// Gateway payloads with this opcode received so far.
    pub fn received_ops(&self, op: u64) -> Vec<Value> {
        self.gateway_received().into_iter().filter(|v| v["op"] == op).collect()
    }

    /// Wait until `pred` holds over the recorded requests; panics after `timeout`.
    pub async fn wait_for<T>(&self, what: &str, timeout: Duration, pred: impl Fn(&[Recorded]) -> Option<T>) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(t) = pred(&self.lock().requests) {
                return t;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = self.requests().iter().map(|r| format!("{} {} -> {}", r.method, r.path, r.status)).collect();
                panic!("timed out waiting for {what}; requests so far: {seen:#?}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Wait until the gateway has a live session (READY or RESUMED sent).
    pub async fn wait_live(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.lock().live.is_none() {
            assert!(Instant::now() < deadline, "no live gateway session; received: {:#?}", self.gateway_received());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Wait until the client has sent a gateway payload with `op` at least `count` times.
    pub async fn wait_for_op(&self, op: u64, count: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.received_ops(op).len() < count {
            assert!(Instant::now() < deadline, "timed out waiting for op {op} x{count}; received: {:#?}", self.gateway_received());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Make the next request with this method whose path contains `path_contains` get a 429.
    pub fn rate_limit_next(&self, method: &str, path_contains: &str, retry_after: f64) {
        self.lock().rate_limits.push(RateLimit { method: method.to_string(), path_contains: path_contains.to_string(), retry_after });
    }

    async fn send_op(&self, op: GatewayOp) {
        self.wait_live(Duration::from_secs(5)).await;
        let tx = self.lock().live.as_ref().map(|(_, tx)| tx.clone()).expect("live");
        tx.send(op).expect("gateway connection gone");
    }

    /// Send a dispatch (op 0) on the live connection. The payload must parse as a serenity
    /// gateway event.
    pub async fn dispatch(&self, t: &str, d: Value) {
        let probe = json!({"op": 0, "s": 1, "t": t, "d": d.clone()});
        if let Err(e) = serde_json::from_value::<serenity::model::event::GatewayEvent>(probe) {
            panic!("the fake built a {t} that serenity cannot parse: {e}\n{d:#}");
        }
        self.send_op(GatewayOp::Dispatch(t.to_string(), d)).await;
    }

    /// Close the live connection with a close frame (4000: unknown error, resumable).
    pub async fn close_gateway(&self, code: u16) {
        self.send_op(GatewayOp::Close(code)).await;
    }

    /// Ask the client to reconnect (op 7).
    pub async fn request_reconnect(&self) {
        self.send_op(GatewayOp::Reconnect).await;
    }

    /// Drop the TCP connection without a close frame.
    pub async fn drop_gateway(&self) {
        self.send_op(GatewayOp::Drop).await;
    }

    /// A new interaction token, its 3 s clock starting now (call once the session is live).
    fn new_interaction(&self) -> SentInteraction {
        let id = self.shared.next_id();
        let token = format!("aW50ZXJhY3Rpb24-{id}-secret");
        self.lock().interactions.insert(token.clone(), InteractionState { created: Instant::now(), acked: None });
        SentInteraction { id, token }
    }

    fn interaction_payload(&self, sent: &SentInteraction, kind: u64, name: &str, options: Value) -> Value {
        json!({
            "id": sent.id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": kind,
            "data": {"id": "1200000000000000001", "name": name, "type": 1, "options": options},
            "channel_id": CHANNEL_ID.to_string(),
            "channel": {"id": CHANNEL_ID.to_string(), "type": 1},
            "user": user_json(USER_ID, "alice", false),
            "token": sent.token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {"1": USER_ID.to_string()},
            "context": 1,
            "attachment_size_limit": 10_485_760
        })
    }

    /// Every channel post answers `status` (500, 502, 503...) until called with `None`.
    pub fn set_post_outage(&self, status: Option<u16>) {
        self.lock().post_outage = status;
    }

    /// Posting in `channel` answers 403 Missing Access from now on.
    pub fn forbid_channel(&self, channel: u64) {
        self.lock().forbidden_channels.insert(channel);
    }

    /// A slash command in a server channel, from a member whose permissions in the channel
    /// are `permissions` (Discord's bit set as a decimal string, e.g. "16" = Manage Channels).
    pub async fn guild_command(&self, name: &str, options: Value, guild_id: u64, permissions: &str) -> SentInteraction {
        self.wait_live(Duration::from_secs(5)).await;
        let sent = self.new_interaction();
        let mut payload = self.interaction_payload(&sent, 2, name, options);
        let user = payload["user"].take();
        payload.as_object_mut().unwrap().remove("user");
        payload["guild_id"] = json!(guild_id.to_string());
        payload["channel"] = json!({"id": CHANNEL_ID.to_string(), "type": 0, "guild_id": guild_id.to_string(), "name": "news"});
        payload["member"] = json!({
            "user": user, "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
            "flags": 0, "pending": false, "permissions": permissions
        });
        payload["context"] = json!(0);
        payload["authorizing_integration_owners"] = json!({"0": guild_id.to_string()});
        self.dispatch("INTERACTION_CREATE", payload).await;
        sent
    }

    /// A slash command (interaction type 2). `options` as Discord sends them:
    /// `[{"name": "person", "type": 3, "value": "pezeshkian"}]`.
    pub async fn command(&self, name: &str, options: Value) -> SentInteraction {
        self.wait_live(Duration::from_secs(5)).await;
        let sent = self.new_interaction();
        let payload = self.interaction_payload(&sent, 2, name, options);
        self.dispatch("INTERACTION_CREATE", payload).await;
        sent
    }

    /// An autocomplete request (interaction type 4) with `option` focused and holding `value`.
    pub async fn autocomplete(&self, name: &str, option: &str, value: &str) -> SentInteraction {
        self.wait_live(Duration::from_secs(5)).await;
        let sent = self.new_interaction();
        let options = json!([{"name": option, "type": 3, "value": value, "focused": true}]);
        let payload = self.interaction_payload(&sent, 4, name, options);
        self.dispatch("INTERACTION_CREATE", payload).await;
        sent
    }

    /// A message in a DM channel (MESSAGE_CREATE).
    pub async fn message(&self, content: &str, author_id: u64, bot: bool) -> u64 {
        let id = self.shared.next_id();
        let mut m = message_json(id, CHANNEL_ID, user_json(author_id, if bot { "otherbot" } else { "alice" }, bot), &json!({"content": content}));
        m["type"] = json!(0);
        self.dispatch("MESSAGE_CREATE", m).await;
        id
    }

    /// Every message payload sent for an interaction, in order: the type 4 callback's data,
    /// edits of the original response, follow-ups.
    pub fn messages_for(&self, sent: &SentInteraction) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r.status < 300 && r.path.contains(&sent.token))
            .filter_map(|r| match (r.method.as_str(), r.path.ends_with("/callback")) {
                ("POST", true) if r.body["type"] == 4 => Some(r.body["data"].clone()),
                ("POST", true) => None,
                ("PATCH" | "POST", false) => Some(r.body.clone()),
                _ => None,
            })
            .collect()
    }

    /// The (successful) callbacks for an interaction.
    pub fn callbacks_for(&self, sent: &SentInteraction) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.method == "POST" && r.path == format!("/interactions/{}/{}/callback", sent.id, sent.token)).collect()
    }
}

pub fn user_json(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": null, "avatar": null, "bot": bot, "public_flags": 0})
}

/// A full Message object, as Discord returns from message-creating routes.
pub fn message_json(id: u64, channel_id: u64, author: Value, body: &Value) -> Value {
    let embeds: Vec<Value> = body["embeds"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut e| {
            e["type"] = json!("rich");
            e
        })
        .collect();
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": "2025-05-01T12:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds,
        "pinned": false,
        "type": 20,
        "flags": body["flags"].as_u64().unwrap_or(0),
        "components": []
    })
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Discord's message limits, as Discord checks them (400, code 50035, when broken).
pub fn check_message_limits(m: &Value) -> Result<(), String> {
    if chars(&m["content"]) > 2000 {
        return Err(format!("content has {} characters", chars(&m["content"])));
    }
    let embeds = m["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        return Err(format!("{} embeds", embeds.len()));
    }
    let mut total = 0;
    for e in &embeds {
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        let checks = [
            ("title", chars(&e["title"]), 256),
            ("description", chars(&e["description"]), 4096),
            ("footer", chars(&e["footer"]["text"]), 2048),
            ("author", chars(&e["author"]["name"]), 256),
            ("fields", fields.len(), 25),
        ];
        for (what, n, max) in checks {
            if n > max {
                return Err(format!("embed {what}: {n} > {max}"));
            }
        }
        for f in &fields {
            if chars(&f["name"]) > 256 || chars(&f["value"]) > 1024 {
                return Err("embed field too long".into());
            }
        }
        total += chars(&e["title"]) + chars(&e["description"]) + chars(&e["footer"]["text"]) + chars(&e["author"]["name"]);
        total += fields.iter().map(|f| chars(&f["name"]) + chars(&f["value"])).sum::<usize>();
    }
    if total > 6000 {
        return Err(format!("embeds total {total} > 6000"));
    }
    let has_content = chars(&m["content"]) > 0;
    if !has_content && embeds.is_empty() {
        return Err("empty message".into());
    }
    Ok(())
}

fn discord_error(status: StatusCode, code: u64, message: &str) -> Response {
    (status, axum::Json(json!({"code": code, "message": message}))).into_response()
}

async fn rest(State(shared): State<Arc<Shared>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let full = uri.path().to_string();
    let Some(path) = full.strip_prefix("/api/v10").map(str::to_string) else {
        return discord_error(StatusCode::NOT_FOUND, 0, "404: Not Found");
    };
    let body: Value = if body.is_empty() { Value::Null } else { serde_json::from_slice(&body).unwrap_or(Value::Null) };
    let method = method.as_str().to_string();
    let (status, response) = handle(&shared, &method, &path, &headers, &body);
    shared.inner.lock().unwrap().requests.push(Recorded { method, path, body, status: status.as_u16(), at: Instant::now() });
    response
}

fn handle(shared: &Shared, method: &str, path: &str, headers: &HeaderMap, body: &Value) -> (StatusCode, Response) {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    if auth != format!("Bot {TOKEN}") {
        return (StatusCode::UNAUTHORIZED, discord_error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized"));
    }
    {
        let mut inner = shared.inner.lock().unwrap();
        if let Some(i) = inner.rate_limits.iter().position(|r| r.method == method && path.contains(&r.path_contains)) {
            let rl = inner.rate_limits.remove(i);
            let body = json!({"message": "You are being rate limited.", "retry_after": rl.retry_after, "global": false});
            let response = (StatusCode::TOO_MANY_REQUESTS, [("retry-after", format!("{}", rl.retry_after.ceil() as u64))], axum::Json(body)).into_response();
            return (StatusCode::TOO_MANY_REQUESTS, response);
        }
    }
    let ok = |v: Value| (StatusCode::OK, axum::Json(v).into_response());
    let ws_url = format!("{}/gateway", shared.base_url.replacen("http://", "ws://", 1));
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": ws_url})),
        ("GET", ["gateway", "bot"]) => {
            ok(json!({"url": ws_url, "shards": 1, "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}))
        }
        ("GET", ["users", "@me"]) => ok(user_json(BOT_ID, "briefbot", true)),
        ("PUT", ["applications", _app, "commands"]) | ("PUT", ["applications", _app, "guilds", _, "commands"]) => {
            let created: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    c["id"] = json!(shared.next_id().to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    c["type"] = json!(1);
                    c
                })
                .collect();
            ok(Value::Array(created))
        }
        ("POST", ["interactions", _id, token, "callback"]) => {
            let mut inner = shared.inner.lock().unwrap();
            let Some(state) = inner.interactions.get_mut(*token) else {
                return (StatusCode::NOT_FOUND, discord_error(StatusCode::NOT_FOUND, 10062, "Unknown interaction"));
            };
            if state.acked.is_some() {
                return (StatusCode::BAD_REQUEST, discord_error(StatusCode::BAD_REQUEST, 40060, "Interaction has already been acknowledged."));
            }
            if state.created.elapsed() > INTERACTION_DEADLINE {
                return (StatusCode::NOT_FOUND, discord_error(StatusCode::NOT_FOUND, 10062, "Unknown interaction"));
            }
            let kind = body["type"].as_u64().unwrap_or(0);
            if kind == 4
                && let Err(e) = check_message_limits(&body["data"])
            {
                return (StatusCode::BAD_REQUEST, discord_error(StatusCode::BAD_REQUEST, 50035, &format!("Invalid Form Body: {e}")));
            }
            state.acked = Some(kind);
            (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT.into_response())
        }
        (_, ["webhooks", _app, token, rest @ ..]) => {
            let acked = shared.inner.lock().unwrap().interactions.get(*token).and_then(|s| s.acked);
            if acked.is_none() {
                return (StatusCode::NOT_FOUND, discord_error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook"));
            }
            match (method, rest) {
                ("DELETE", ["messages", "@original"]) => (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT.into_response()),
                ("PATCH", ["messages", "@original"]) | ("POST", []) => {
                    if let Err(e) = check_message_limits(body) {
                        return (StatusCode::BAD_REQUEST, discord_error(StatusCode::BAD_REQUEST, 50035, &format!("Invalid Form Body: {e}")));
                    }
                    ok(message_json(shared.next_id(), CHANNEL_ID, user_json(BOT_ID, "briefbot", true), body))
                }
                _ => (StatusCode::NOT_FOUND, discord_error(StatusCode::NOT_FOUND, 0, "404: Not Found")),
            }
        }
        ("GET", ["channels", channel, "messages"]) => {
            let channel: u64 = channel.parse().unwrap_or(0);
            let inner = shared.inner.lock().unwrap();
            // Newest first, as Discord lists them. `after` is ignored: the fake's ids do not
            // encode real times (the snowflake arithmetic is unit-tested in the adapter).
            let list: Vec<Value> = inner.channel_messages.iter().rev().filter(|(c, _)| *c == channel).map(|(_, m)| m.clone()).collect();
            ok(Value::Array(list))
        }
        ("POST", ["channels", channel, "messages"]) => {
            if let Some(status) = shared.inner.lock().unwrap().post_outage {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
                return (status, discord_error(status, 0, status.canonical_reason().unwrap_or("Server Error")));
            }
            if shared.inner.lock().unwrap().forbidden_channels.contains(&channel.parse().unwrap_or(0)) {
                return (StatusCode::FORBIDDEN, discord_error(StatusCode::FORBIDDEN, 50001, "Missing Access"));
            }
            if let Err(e) = check_message_limits(body) {
                return (StatusCode::BAD_REQUEST, discord_error(StatusCode::BAD_REQUEST, 50035, &format!("Invalid Form Body: {e}")));
            }
            let mut m = message_json(shared.next_id(), channel.parse().unwrap_or(CHANNEL_ID), user_json(BOT_ID, "briefbot", true), body);
            m["type"] = json!(if body.get("message_reference").is_some() { 19 } else { 0 });
            shared.inner.lock().unwrap().channel_messages.push((channel.parse().unwrap_or(0), m.clone()));
            ok(m)
        }
        _ => (StatusCode::NOT_FOUND, discord_error(StatusCode::NOT_FOUND, 0, "404: Not Found")),
    }
}

async fn gateway(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| gateway_connection(socket, shared))
}

fn text(v: &Value) -> WsMessage {
    WsMessage::Text(v.to_string().into())
}

async fn gateway_connection(mut socket: WebSocket, shared: Arc<Shared>) {
    let conn_id = {
        let mut inner = shared.inner.lock().unwrap();
        inner.connections += 1;
        inner.connections
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<GatewayOp>();
    if socket.send(text(&json!({"op": 10, "d": {"heartbeat_interval": shared.heartbeat_ms}, "s": null, "t": null}))).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let payload = match incoming {
                    Some(Ok(WsMessage::Text(t))) => serde_json::from_str::<Value>(t.as_str()).unwrap_or(Value::Null),
                    // Keep reading after a close frame: that is what sends the reply to it.
                    Some(Ok(WsMessage::Close(_))) => {
                        let mut inner = shared.inner.lock().unwrap();
                        if inner.live.as_ref().is_some_and(|(id, _)| *id == conn_id) {
                            inner.live = None;
                        }
                        continue;
                    }
                    None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                shared.inner.lock().unwrap().gateway_received.push(payload.clone());
                let reply = match payload["op"].as_u64() {
                    Some(1) => Some(json!({"op": 11, "d": null, "s": null, "t": null})),
                    Some(2) => {
                        let token = payload["d"]["token"].as_str().unwrap_or("");
                        if token != TOKEN && token != format!("Bot {TOKEN}") {
                            let _ = socket.send(WsMessage::Close(Some(CloseFrame { code: 4004, reason: "Authentication failed.".into() }))).await;
                            break;
                        }
                        let mut inner = shared.inner.lock().unwrap();
                        let session = format!("session-{conn_id}");
                        inner.session_id = Some(session.clone());
                        inner.seq = 1;
                        inner.live = Some((conn_id, tx.clone()));
                        let ws_url = format!("{}/gateway", shared.base_url.replacen("http://", "ws://", 1));
                        Some(json!({"op": 0, "s": 1, "t": "READY", "d": {
                            "v": 10,
                            "user": {"id": BOT_ID.to_string(), "username": "briefbot", "discriminator": "0", "global_name": null, "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0},
                            "guilds": [],
                            "session_id": session,
                            "resume_gateway_url": ws_url,
                            "shard": [0, 1],
                            "application": {"id": APP_ID.to_string(), "flags": 0}
                        }}))
                    }
                    Some(6) => {
                        let mut inner = shared.inner.lock().unwrap();
                        if inner.session_id.as_deref() == payload["d"]["session_id"].as_str() {
                            inner.seq += 1;
                            inner.live = Some((conn_id, tx.clone()));
                            Some(json!({"op": 0, "s": inner.seq, "t": "RESUMED", "d": {}}))
                        } else {
                            Some(json!({"op": 9, "d": false, "s": null, "t": null}))
                        }
                    }
                    _ => None,
                };
                if let Some(reply) = reply
                    && socket.send(text(&reply)).await.is_err()
                {
                    break;
                }
            }
            op = rx.recv() => {
                match op {
                    Some(GatewayOp::Dispatch(t, d)) => {
                        let seq = {
                            let mut inner = shared.inner.lock().unwrap();
                            inner.seq += 1;
                            inner.seq
                        };
                        if socket.send(text(&json!({"op": 0, "s": seq, "t": t, "d": d}))).await.is_err() {
                            break;
                        }
                    }
                    Some(GatewayOp::Close(code)) => {
                        shared.inner.lock().unwrap().live = None;
                        let _ = socket.send(WsMessage::Close(Some(CloseFrame { code, reason: "fake: closing".into() }))).await;
                        break;
                    }
                    Some(GatewayOp::Reconnect) => {
                        shared.inner.lock().unwrap().live = None;
                        let _ = socket.send(text(&json!({"op": 7, "d": null, "s": null, "t": null}))).await;
                    }
                    Some(GatewayOp::Drop) | None => {
                        shared.inner.lock().unwrap().live = None;
                        break;
                    }
                }
            }
        }
    }
    let mut inner = shared.inner.lock().unwrap();
    if inner.live.as_ref().is_some_and(|(id, _)| *id == conn_id) {
        inner.live = None;
    }
}
