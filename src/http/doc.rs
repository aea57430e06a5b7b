//! `GET /doc/<id>`: one article as stored, its cited text highlighted.
//!
//! The id is looked up in the index ([`Answerer::document`]); it is never joined onto a
//! path, so `/doc/../../etc/passwd` and unknown ids are 404. `?hl=START-END` (code points
//! into the body, invariant 5) marks the cited range, whose first piece has the anchor
//! `#hl`; every indexed sentence has the anchor `#s<n>` (its position) and is highlighted
//! when it is the target. Plain HTML and CSS: no script, nothing external.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::command::Command;
use crate::core::answer::Answer;
use crate::core::engine::StoredDocument;
use crate::dispatch::Answerer;
use crate::render;

const STYLE: &str = ":root{color-scheme:light dark;--muted:#6b7280;--line:#d1d5db;--accent:#1d4ed8;--mark:#fde68a;--target:#e0e7ff}\
@media (prefers-color-scheme: dark){:root{--muted:#9ca3af;--line:#374151;--accent:#93c5fd;--mark:#854d0e;--target:#1e3a8a}}\
*{box-sizing:border-box}body{margin:0;font:17px/1.6 Georgia,\"Times New Roman\",serif}\
main{max-width:40rem;margin:0 auto;padding:1rem 1rem 4rem;overflow-wrap:break-word}\
h1{font:700 1.5rem/1.25 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:.5rem 0}\
.meta{font:.9rem/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--muted);margin:0 0 1.5rem}\
.meta a,.note a{color:var(--accent)}.note{font:.9rem system-ui,sans-serif;border-left:3px solid var(--line);padding-left:.75rem}\
mark{background:var(--mark);color:inherit;padding:.05em 0}span:target{background:var(--target)}\
mark:first-of-type,span[id]{scroll-margin-top:30vh}";

/// The page's Content-Security-Policy: its one inline style, nothing else.
fn csp() -> String {
    use sha2::{Digest, Sha256};
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        super::base64(&Sha256::digest(STYLE.as_bytes()))
    )
}

pub(super) async fn doc_page(State(state): State<AppState>, Path(id): Path<String>, Query(params): Query<HashMap<String, String>>) -> Response {
    let Some(answerer) = state.answerer() else {
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], "The corpus index is still opening; try again in a few seconds.")
            .into_response();
    };
    let looked_up = id.clone();
    let doc = tokio::task::spawn_blocking(move || answerer.document(&looked_up)).await.ok().flatten();
    let Some(doc) = doc else {
        return super::not_found().await;
    };
    let hl = params.get("hl").and_then(|v| parse_range(v));
    let csp = HeaderValue::from_str(&csp()).expect("CSP header is ASCII");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        render(&doc, hl),
    )
        .into_response()
}

/// The answerer the chat adapters use when `http.public_url` is set: every citation links
/// to its source page there ([`render::link_source_pages`]).
pub struct SourcePages {
    inner: Arc<dyn Answerer>,
    base: String,
}

/// `answerer` with source-page links under `public_url`, or as it is when that is empty.
pub fn with_source_pages(answerer: Arc<dyn Answerer>, public_url: &str) -> Arc<dyn Answerer> {
    let base = public_url.trim();
    if base.is_empty() {
        return answerer;
    }
    Arc::new(SourcePages { inner: answerer, base: base.to_string() })
}

impl Answerer for SourcePages {
    fn answer(&self, command: &Command, now: DateTime<Utc>) -> Answer {
        let mut answer = self.inner.answer(command, now);
        render::link_source_pages(&mut answer, &self.base);
        answer
    }
    fn suggest(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.inner.suggest(prefix, limit)
    }
    fn ready(&self) -> bool {
        self.inner.ready()
    }
    fn document(&self, id: &str) -> Option<StoredDocument> {
        self.inner.document(id)
    }
}

/// `START-END` with `START < END`.
fn parse_range(v: &str) -> Option<(u64, u64)> {
    let (a, b) = v.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < b).then_some((a, b))
}

/// Text for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs of the body as code-point ranges: blank lines separate them when the body
/// has any (Markdown's rule, a line break inside is a space); otherwise every line is one.
fn paragraphs(chars: &[char], from: usize) -> Vec<(usize, usize)> {
    let blank_lines = chars.windows(2).skip(from).any(|w| w == ['\n', '\n']);
    let mut out = Vec::new();
    let mut start = from;
    let mut i = from;
    while i <= chars.len() {
        let end_here = i == chars.len() || (chars[i] == '\n' && (!blank_lines || chars.get(i + 1) == Some(&'\n')));
        if end_here {
            // Without the blank space around it.
            let (mut a, mut b) = (start, i);
            while a < b && chars[a].is_whitespace() {
                a += 1;
            }
            while b > a && chars[b - 1].is_whitespace() {
                b -= 1;
            }
            if a < b {
                out.push((a, b));
            }
            start = i + 1;
        }
        i += 1;
    }
    out
}

/// The whole page for `doc`, with `hl` (code points into the body) marked.
pub fn render(doc: &StoredDocument, hl: Option<(u64, u64)>) -> String {
    let chars: Vec<char> = doc.body.chars().collect();
    let n = chars.len();
    let hl = hl.map(|(a, b)| (a as usize, (b as usize).min(n))).filter(|(a, b)| a < b);
    let sentences: Vec<(u64, usize, usize)> =
        doc.sentences.iter().map(|&(pos, s, e)| (pos, s as usize, (e as usize).min(n))).filter(|(_, s, e)| s < e).collect();
    let mut out = String::with_capacity(doc.body.len() * 2 + 2048);
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<article>\n", escape(&doc.title)));
    out.push_str(&format!("<h1>{}</h1>\n<p class=\"meta\">", escape(&doc.title)));
    let mut meta: Vec<String> = Vec::new();
    if let Some(o) = &doc.outlet {
        meta.push(escape(o));
    }
    if let Some(d) = doc.date {
        meta.push(format!("<time datetime=\"{d}\">{d}</time>"));
    }
    if let Some(a) = &doc.author {
        meta.push(format!("by {}", escape(a)));
    }
    if let Some(u) = doc.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        meta.push(format!("<a href=\"{}\" rel=\"noopener noreferrer nofollow\">original article</a>", escape(u)));
    }
    if meta.is_empty() {
        meta.push("date and outlet unknown".into());
    }
    out.push_str(&meta.join(" · "));
    out.push_str("</p>\n");
    if doc.sentences.is_empty() && !chars.is_empty() {
        out.push_str("<p class=\"note\">This file changed after it was indexed; the highlight waits for the next refresh.</p>\n");
    }
    let hl = if doc.sentences.is_empty() { None } else { hl };
    let mut hl_anchor = false;
    for (p_start, p_end) in paragraphs(&chars, doc.headline_chars as usize) {
        out.push_str("<p>");
        // Pieces between every boundary: sentence starts and ends, the highlight's ends.
        let mut cuts: Vec<usize> = vec![p_start, p_end];
        for &(_, s, e) in &sentences {
            cuts.extend([s, e]);
        }
        if let Some((a, b)) = hl {
            cuts.extend([a, b]);
        }
        cuts.retain(|&c| c >= p_start && c <= p_end);
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let text: String = chars[a..b].iter().map(|&c| if c == '\n' { ' ' } else { c }).collect();
            let sentence = sentences.iter().find(|(_, s, e)| *s <= a && a < *e);
            let marked = hl.is_some_and(|(s, e)| s <= a && a < e);
            let mut close = "";
            if let Some(&(pos, s, _)) = sentence {
                if s == a {
                    out.push_str(&format!("<span id=\"s{pos}\">"));
                } else {
                    out.push_str("<span>");
                }
                close = "</span>";
            }
            if marked {
                if hl_anchor {
                    out.push_str("<mark>");
                } else {
                    out.push_str("<mark id=\"hl\">");
                    hl_anchor = true;
                }
            }
            out.push_str(&escape(&text));
            if marked {
                out.push_str("</mark>");
            }
            out.push_str(close);
        }
        out.push_str("</p>\n");
    }
    out.push_str("</article>\n</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str, sentences: Vec<(u64, u64, u64)>) -> StoredDocument {
        StoredDocument {
            id: "x".into(),
            title: "A <b>title</b>".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
            url: Some("https://example.org/a?b=1&c=\"2\"".into()),
            outlet: Some("The Harbour Post".into()),
            author: None,
            body: body.into(),
            headline_chars: 0,
            sentences,
        }
    }

    #[test]
    fn marks_the_range_and_anchors_sentences() {
        // "Ferries stop. Ports <close>." on one line, then "Tolls rise." on the next.
        let body = "Ferries stop. Ports <close>.\nTolls rise.";
        let d = doc(body, vec![(0, 0, 13), (1, 14, 28), (2, 29, 40)]);
        let html = render(&d, Some((14, 28)));
        assert!(html.contains("<span id=\"s1\"><mark id=\"hl\">Ports &lt;close&gt;.</mark></span>"), "{html}");
        assert!(html.contains("<p><span id=\"s0\">Ferries stop.</span>"), "{html}");
        assert!(html.contains("<p><span id=\"s2\">Tolls rise.</span></p>"), "{html}");
        assert!(html.contains("<h1>A &lt;b&gt;title&lt;/b&gt;</h1>") && !html.contains("<b>"), "{html}");
        assert!(html.contains("href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""), "{html}");
        assert_eq!(html.matches("<mark").count(), 1);
    }

    #[test]
    fn a_range_inside_a_sentence_splits_it() {
        let body = "He said “we stay” and left.";
        let d = doc(body, vec![(0, 0, 27)]);
        let html = render(&d, Some((8, 17)));
        assert!(html.contains("<span id=\"s0\">He said </span><span><mark id=\"hl\">“we stay”</mark></span><span> and left.</span>"), "{html}");
    }

    #[test]
    fn blank_lines_make_paragraphs_when_there_are_any() {
        let chars: Vec<char> = "a\nb\n\nc".chars().collect();
        assert_eq!(paragraphs(&chars, 0), vec![(0, 3), (5, 6)]);
        let chars: Vec<char> = "a\nb\n\n".chars().collect();
        assert_eq!(paragraphs(&chars, 0), vec![(0, 3)]);
        let chars: Vec<char> = "a\n\nb".chars().collect();
        assert_eq!(paragraphs(&chars, 2), vec![(3, 4)]);
        let chars: Vec<char> = " a \n\n\n  b\n".chars().collect();
        assert_eq!(paragraphs(&chars, 0), vec![(1, 2), (8, 9)]);
        let chars: Vec<char> = "Title\nOne.\nTwo.".chars().collect();
        assert_eq!(paragraphs(&chars, 6), vec![(6, 10), (11, 15)]);
    }

    #[test]
    fn chat_answers_get_source_pages_only_with_a_public_url() {
        struct One;
        impl Answerer for One {
            fn answer(&self, command: &Command, _now: DateTime<Utc>) -> Answer {
                let mut a = Answer::new(command.name(), command.argument());
                let mut item = crate::core::answer::AnswerItem::new("Ferries stop.", crate::core::answer::ItemKind::Hit);
                item.sources = vec![crate::core::answer::SourceRef::article("a/b", "T", None, None).at(2, 15)];
                a.items.push(item);
                a
            }
            fn suggest(&self, _prefix: &str, _limit: usize) -> Vec<String> {
                Vec::new()
            }
        }
        let command = Command::search("ferries");
        let plain = with_source_pages(Arc::new(One), "  ");
        assert_eq!(plain.answer(&command, Utc::now()).items[0].sources[0].page, None);
        let linked = with_source_pages(Arc::new(One), "https://bot.example/");
        assert_eq!(linked.answer(&command, Utc::now()).items[0].sources[0].page.as_deref(), Some("https://bot.example/doc/a/b?hl=2-15#hl"));
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("3-9"), Some((3, 9)));
        assert_eq!(parse_range("9-3"), None);
        assert_eq!(parse_range("x-3"), None);
        assert_eq!(parse_range("5"), None);
    }
}
