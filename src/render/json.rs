//! JSON: `briefbot ask --json` and the HTTP API. The shape is checked from outside:
//! `{"command", "query", "notice", "items": [...], "text"}`.

use serde::Serialize;

use crate::core::answer::{Answer, AnswerItem, TimeWindow};

#[derive(Serialize)]
struct JsonAnswer<'a> {
    command: &'a str,
    query: &'a str,
    notice: Option<&'a str>,
    items: &'a [AnswerItem],
    /// The `since:`/`until:` window, with `label` as the renderers say it.
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<JsonWindow<'a>>,
    text: String,
}

#[derive(Serialize)]
struct JsonWindow<'a> {
    #[serde(flatten)]
    window: &'a TimeWindow,
    label: String,
}

pub fn to_value(answer: &Answer) -> serde_json::Value {
    serde_json::to_value(JsonAnswer {
        command: &answer.command,
        query: &answer.query,
        notice: answer.notice.as_deref(),
        items: &answer.items,
        window: answer.window.as_ref().map(|window| JsonWindow { window, label: window.describe() }),
        text: super::plain::render(answer),
    })
    .expect("answers always serialise")
}

pub fn render(answer: &Answer) -> String {
    to_value(answer).to_string()
}
