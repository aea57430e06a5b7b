//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.
//!
//! Routes `POST /bot{TOKEN}/{method}` (method names matched case-insensitively: teloxide
//! sends `GetMe`, `SendMessage`, ...). Implements getMe, getWebhookInfo, deleteWebhook,
//! setWebhook, setMyCommands, getUpdates (Telegram's offset semantics: updates below the
//! offset are confirmed and forgotten, the rest are served again; an empty list after a short
//! wait), getChatMember (statuses set by the test; `member` by default) and sendMessage
//! (recorded; can be scripted to answer 429 or 500, or to fail with a 5xx for a spell (an
//! outage), and refuses forbidden chats with 403). Every call is
//! recorded with its parsed body (JSON or multipart).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// The token the fake accepts. The secret half is distinctive so that tests can look for it
/// in logs and errors.
pub const TOKEN: &str = "123456789:SECRETtok3n_do-not-leak_XYZ";
/// The secret half of [`TOKEN`].
pub const TOKEN_SECRET: &str = "SECRETtok3n_do-not-leak_XYZ";
pub const BOT_USERNAME: &str = "BriefTestBot";
pub const BOT_ID: i64 = 123456789;

/// How long getUpdates waits for news before answering with an empty list.
const LONG_POLL_WAIT: Duration = Duration::from_millis(150);

/// How the next sendMessage is answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reply {
    /// 429 Too Many Requests with `parameters.retry_after`.
    TooManyRequests(u64),
    /// 500 Internal Server Error.
    ServerError,
}

#[derive(Debug, Clone)]
pub struct Call {
    /// The method as Telegram documents it, lowercased (e.g. `sendmessage`).
    pub method: String,
    pub body: Value,
    /// The HTTP status the fake answered.
    pub status: u16,
    pub at: Instant,
}

#[derive(Default)]
struct Inner {
    /// Unconfirmed updates, in id order.
    updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    calls: Vec<Call>,
    send_script: VecDeque<Reply>,
    conflict: bool,
    webhook_url: String,
    /// getChatMember answers: `(chat_id, user_id)` → status (`creator`, `administrator`,
    /// `member`, ...); anyone else is a `member`.
    member_status: std::collections::HashMap<(i64, i64), String>,
    /// Chats whose sendMessage is refused with 403 (the bot was blocked or kicked).
    forbidden_chats: std::collections::HashSet<i64>,
    /// An outage: every sendMessage answers this 5xx status until it is cleared.
    send_outage: Option<u16>,
}

type Shared = Arc<Mutex<Inner>>;

pub struct FakeTelegram {
    /// Base URL to give the bot as `telegram.api_url`.
    pub url: String,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let shared: Shared = Arc::new(Mutex::new(Inner { next_update_id: 1000, next_message_id: 5000, ..Inner::default() }));
        let app = Router::new().route("/{bot}/{method}", post(handle)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Bot API");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake Bot API server");
        });
        FakeTelegram { url, shared, server }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queue an update (the fake assigns `update_id`); returns the id.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let mut inner = self.lock();
        let id = inner.next_update_id;
        inner.next_update_id += 1;
        update["update_id"] = json!(id);
        inner.updates.push_back(update);
        id
    }

    /// Queue an update exactly as given (for malformed ones, e.g. without `update_id`).
    pub fn push_raw_update(&self, update: Value) {
        self.lock().updates.push_back(update);
    }

    /// Queue a text message from user `user_id` in `chat`; returns its message id.
    pub fn push_message(&self, chat: Value, user_id: i64, text: &str) -> i64 {
        let message_id = {
            let mut inner = self.lock();
            inner.next_message_id += 1;
            inner.next_message_id
        };
        self.push_update(json!({ "message": message_json(message_id, chat, user_id, text) }));
        message_id
    }

    /// Queue an inline query (`@Bot query` typed in some chat) from user `user_id`; returns
    /// the query id the answer must carry.
    pub fn push_inline_query(&self, user_id: i64, query: &str) -> String {
        let id = format!("iq{}", self.lock().next_update_id);
        self.push_update(json!({ "inline_query": {
            "id": id,
            "from": { "id": user_id, "is_bot": false, "first_name": "Ana", "language_code": "en" },
            "query": query,
            "offset": "",
            "chat_type": "sender",
        }}));
        id
    }

    /// The successful answerInlineQuery bodies for the inline query `id`.
    pub fn inline_answers(&self, id: &str) -> Vec<Value> {
        self.calls("answerInlineQuery").into_iter().filter(|c| c.status == 200 && c.body["inline_query_id"] == id).map(|c| c.body).collect()
    }

    /// Answer the next sendMessage calls as scripted (then normally again).
    pub fn script_send(&self, reply: Reply) {
        self.lock().send_script.push_back(reply);
    }

    /// getChatMember will say `user_id` has `status` (`administrator`, `creator`, `member`) in `chat_id`.
    pub fn set_member_status(&self, chat_id: i64, user_id: i64, status: &str) {
        self.lock().member_status.insert((chat_id, user_id), status.to_string());
    }

    /// Every sendMessage answers `status` (502, 503, 504...) until called with `None`.
    pub fn set_send_outage(&self, status: Option<u16>) {
        self.lock().send_outage = status;
    }

    /// sendMessage to `chat_id` answers 403 "bot was kicked" from now on.
    pub fn forbid_chat(&self, chat_id: i64) {
        self.lock().forbidden_chats.insert(chat_id);
    }

    /// Answer getUpdates with 409 Conflict, as Telegram does when another instance polls.
    pub fn set_conflict(&self, on: bool) {
        self.lock().conflict = on;
    }

    pub fn webhook_url(&self) -> String {
        self.lock().webhook_url.clone()
    }

    /// Every call of `method` (case-insensitive), in order.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        let method = method.to_lowercase();
        self.lock().calls.iter().filter(|c| c.method == method).cloned().collect()
    }

    pub fn all_calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// sendMessage bodies that were accepted (200), in order.
    pub fn delivered(&self) -> Vec<Value> {
        self.calls("sendMessage").into_iter().filter(|c| c.status == 200).map(|c| c.body).collect()
    }

    /// Accepted sendMessage bodies that reply to `message_id`.
    pub fn replies_to(&self, message_id: i64) -> Vec<Value> {
        self.delivered().into_iter().filter(|b| reply_target(b) == Some(message_id)).collect()
    }

    /// Poll `condition` until it holds or `timeout` passes.
    pub async fn wait_until(&self, timeout: Duration, condition: impl Fn(&FakeTelegram) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if condition(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The message id a sendMessage body replies to (`reply_parameters` or the legacy field).
pub fn reply_target(body: &Value) -> Option<i64> {
    body.pointer("/reply_parameters/message_id").and_then(Value::as_i64).or_else(|| body.get("reply_to_message_id").and_then(Value::as_i64))
}

pub fn private_chat(id: i64) -> Value {
    json!({ "id": id, "type": "private", "first_name": "Ana", "username": "ana" })
}

pub fn group_chat(id: i64) -> Value {
    json!({ "id": id, "type": "group", "title": "Newsroom" })
}

pub fn message_json(message_id: i64, chat: Value, user_id: i64, text: &str) -> Value {
    let mut message = json!({
        "message_id": message_id,
        "date": 1_745_830_000,
        "chat": chat,
        "from": { "id": user_id, "is_bot": false, "first_name": "Ana", "language_code": "en" },
        "text": text,
    });
    if let Some(len) = text.strip_prefix('/').map(|rest| 1 + rest.find(char::is_whitespace).unwrap_or(rest.len())) {
        let len: usize = text[..len].encode_utf16().count();
        message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": len }]);
    }
    message
}

fn api_error(status: StatusCode, description: &str, parameters: Option<Value>) -> (StatusCode, Value) {
    let mut body = json!({ "ok": false, "error_code": status.as_u16(), "description": description });
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (status, body)
}

fn ok(result: Value) -> (StatusCode, Value) {
    (StatusCode::OK, json!({ "ok": true, "result": result }))
}

async fn handle(State(shared): State<Shared>, Path((bot, method)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> Response {
    let method = method.to_lowercase();
    let body = parse_body(&headers, &body);
    let (status, answer) = if bot != format!("bot{TOKEN}") {
        api_error(StatusCode::UNAUTHORIZED, "Unauthorized", None)
    } else if method == "getupdates" {
        get_updates(&shared, &body).await
    } else {
        let mut inner = shared.lock().unwrap_or_else(|e| e.into_inner());
        respond(&mut inner, &method, &body)
    };
    shared.lock().unwrap_or_else(|e| e.into_inner()).calls.push(Call { method, body, status: status.as_u16(), at: Instant::now() });
    (status, axum::Json(answer)).into_response()
}

fn respond(inner: &mut Inner, method: &str, body: &Value) -> (StatusCode, Value) {
    match method {
        "getme" => ok(json!({
            "id": BOT_ID,
            "is_bot": true,
            "first_name": "Brief Test Bot",
            "username": BOT_USERNAME,
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        })),
        "getwebhookinfo" => ok(json!({ "url": inner.webhook_url, "has_custom_certificate": false, "pending_update_count": inner.updates.len() })),
        "deletewebhook" => {
            inner.webhook_url.clear();
            ok(json!(true))
        }
        "setwebhook" => {
            inner.webhook_url = body.get("url").and_then(Value::as_str).unwrap_or_default().to_string();
            ok(json!(true))
        }
        "setmycommands" => ok(json!(true)),
        "answerinlinequery" => answer_inline_query(body),
        "getchatmember" => get_chat_member(inner, body),
        "sendmessage" => send_message(inner, body),
        _ => api_error(StatusCode::NOT_FOUND, "Not Found: method not found", None),
    }
}

/// Telegram's checks on an inline answer: an id, at most 50 results with unique ids of at
/// most 64 bytes, a title and a message of 1 to 4096 characters each, `results` possibly
/// sent as a JSON string (multipart).
fn answer_inline_query(body: &Value) -> (StatusCode, Value) {
    if body.get("inline_query_id").and_then(Value::as_str).is_none_or(str::is_empty) {
        return api_error(StatusCode::BAD_REQUEST, "Bad Request: inline_query_id is empty", None);
    }
    let results = match body.get("results") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let Some(results) = results.as_array() else { return api_error(StatusCode::BAD_REQUEST, "Bad Request: results must be an array", None) };
    if results.len() > 50 {
        return api_error(StatusCode::BAD_REQUEST, "Bad Request: too many results", None);
    }
    let mut ids = std::collections::HashSet::new();
    for r in results {
        let id = r["id"].as_str().unwrap_or_default();
        let text = r["input_message_content"]["message_text"].as_str().unwrap_or_default();
        if id.is_empty() || id.len() > 64 || !ids.insert(id.to_string()) {
            return api_error(StatusCode::BAD_REQUEST, "Bad Request: RESULT_ID_INVALID", None);
        }
        if r["title"].as_str().is_none_or(str::is_empty) || text.trim().is_empty() || text.encode_utf16().count() > 4096 {
            return api_error(StatusCode::BAD_REQUEST, "Bad Request: MESSAGE_EMPTY or MESSAGE_TOO_LONG", None);
        }
    }
    ok(json!(true))
}

fn get_chat_member(inner: &Inner, body: &Value) -> (StatusCode, Value) {
    let id = |v: Option<&Value>| v.and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
    let (Some(chat), Some(user)) = (id(body.get("chat_id")), id(body.get("user_id"))) else {
        return api_error(StatusCode::BAD_REQUEST, "Bad Request: chat_id and user_id are required", None);
    };
    let status = inner.member_status.get(&(chat, user)).map_or("member", String::as_str);
    let user_json = json!({ "id": user, "is_bot": false, "first_name": "Ana" });
    let member = match status {
        "administrator" => json!({
            "status": "administrator", "user": user_json, "can_be_edited": false, "is_anonymous": false,
            "can_manage_chat": true, "can_change_info": true, "can_delete_messages": true, "can_manage_video_chats": true,
            "can_invite_users": true, "can_restrict_members": true, "can_promote_members": false, "can_pin_messages": true,
            "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false, "can_manage_topics": false
        }),
        "creator" => json!({ "status": "creator", "user": user_json, "is_anonymous": false }),
        other => json!({ "status": other, "user": user_json }),
    };
    ok(member)
}

fn send_message(inner: &mut Inner, body: &Value) -> (StatusCode, Value) {
    if let Some(status) = inner.send_outage {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
        return api_error(status, status.canonical_reason().unwrap_or("Server Error"), None);
    }
    match inner.send_script.pop_front() {
        Some(Reply::TooManyRequests(secs)) => {
            return api_error(StatusCode::TOO_MANY_REQUESTS, &format!("Too Many Requests: retry after {secs}"), Some(json!({ "retry_after": secs })));
        }
        Some(Reply::ServerError) => return api_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", None),
        None => {}
    }
    if body.get("chat_id").and_then(Value::as_i64).is_some_and(|c| inner.forbidden_chats.contains(&c)) {
        return api_error(StatusCode::FORBIDDEN, "Forbidden: bot was kicked from the group chat", None);
    }
    let text = body.get("text").and_then(Value::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return api_error(StatusCode::BAD_REQUEST, "Bad Request: message text is empty", None);
    }
    if text.encode_utf16().count() > 4096 {
        return api_error(StatusCode::BAD_REQUEST, "Bad Request: message is too long", None);
    }
    let chat_id = body.get("chat_id").cloned().unwrap_or(Value::Null);
    inner.next_message_id += 1;
    ok(json!({
        "message_id": inner.next_message_id,
        "date": 1_745_830_001,
        "chat": { "id": chat_id, "type": "private", "first_name": "Ana" },
        "from": { "id": BOT_ID, "is_bot": true, "first_name": "Brief Test Bot", "username": BOT_USERNAME },
        "text": text,
    }))
}

async fn get_updates(shared: &Shared, body: &Value) -> (StatusCode, Value) {
    let offset = body.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let timeout = body.get("timeout").and_then(Value::as_u64).unwrap_or(0);
    let deadline = Instant::now() + if timeout == 0 { Duration::ZERO } else { LONG_POLL_WAIT };
    loop {
        {
            let mut inner = shared.lock().unwrap_or_else(|e| e.into_inner());
            if inner.conflict {
                return api_error(
                    StatusCode::CONFLICT,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    None,
                );
            }
            if offset > 0 {
                // Updates below the offset are confirmed: Telegram forgets them.
                inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            }
            let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(100) as usize;
            let pending: Vec<Value> = inner.updates.iter().take(limit).cloned().collect();
            if !pending.is_empty() || Instant::now() >= deadline {
                return ok(Value::Array(pending));
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// JSON bodies as they are; multipart forms as an object of their fields (values that are
/// JSON are parsed); anything else as a string.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> Value {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let text = String::from_utf8_lossy(body);
    if let Some(boundary) = content_type.split("boundary=").nth(1).filter(|_| content_type.starts_with("multipart/form-data")) {
        let boundary = format!("--{}", boundary.trim_matches('"'));
        let mut fields = serde_json::Map::new();
        for part in text.split(boundary.as_str()) {
            let Some((head, value)) = part.split_once("\r\n\r\n") else { continue };
            let Some(name) = head.split("name=\"").nth(1).and_then(|s| s.split('"').next()) else { continue };
            let value = value.strip_suffix("\r\n").unwrap_or(value);
            fields.insert(name.to_string(), serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string())));
        }
        return Value::Object(fields);
    }
    if text.trim().is_empty() {
        return json!({});
    }
    serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
}
