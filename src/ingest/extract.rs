//! Main text and metadata from an HTML page (dom_smoothie, a port of readability.js), and
//! plain text from the HTML snippets feeds carry.

use chrono::NaiveDate;
use dom_smoothie::{Config, Readability, TextMode};

/// What a page yielded. `text` is paragraphs separated by one blank line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: String,
    pub byline: Option<String>,
    pub date: Option<NaiveDate>,
    pub site_name: Option<String>,
    /// `<link rel="canonical">`, else `og:url`, else the JSON-LD `url`; absolute.
    pub canonical: Option<String>,
    pub text: String,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("not an article ({0})")]
    NotAnArticle(String),
}

/// Extract the article from `html` fetched from `url` (used to resolve relative links).
/// Pages whose main text is shorter than `min_chars` are not articles.
pub fn extract(html: &str, url: Option<&str>, min_chars: usize) -> Result<Extracted, ExtractError> {
    let cfg = Config { text_mode: TextMode::Formatted, max_elements_to_parse: 200_000, ..Default::default() };
    let mut r = Readability::new(html, url, Some(cfg)).map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    let canonical = first_attr(&r, &["link[rel=canonical]", "link[rel=\"canonical\"]"], "href")
        .or_else(|| first_attr(&r, &["meta[property=\"og:url\"]", "meta[name=\"og:url\"]"], "content"))
        .and_then(|href| absolute(&href, url));
    let meta_date = first_attr(
        &r,
        &["meta[property=\"article:published_time\"]", "meta[name=\"date\"]", "meta[name=\"pubdate\"]", "meta[itemprop=\"datePublished\"]", "time[datetime]"],
        "content",
    )
    .or_else(|| first_attr(&r, &["time[datetime]"], "datetime"));
    if !r.is_probably_readable() {
        return Err(ExtractError::NotAnArticle("no main text".into()));
    }
    let article = r.parse().map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    let byline = article.byline.as_deref().map(one_line).filter(|s| !s.is_empty());
    let text = drop_byline_paragraph(&paragraphs(&article.text_content), byline.as_deref());
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    if chars < min_chars {
        return Err(ExtractError::NotAnArticle(format!("{chars} characters of main text")));
    }
    let canonical = canonical.or_else(|| article.url.clone().and_then(|u| absolute(&u, url)));
    let date = article.published_time.as_deref().and_then(parse_date).or_else(|| meta_date.as_deref().and_then(parse_date));
    Ok(Extracted {
        title: one_line(&article.title),
        byline,
        date,
        site_name: article.site_name.as_deref().map(one_line).filter(|s| !s.is_empty()),
        canonical,
        text,
    })
}

fn first_attr(r: &Readability, selectors: &[&str], attr: &str) -> Option<String> {
    selectors.iter().find_map(|sel| r.doc.select(sel).iter().find_map(|s| s.attr(attr).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())))
}

fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    match url::Url::parse(href) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Some(u.to_string()),
        Ok(_) => None,
        Err(_) => base.and_then(|b| url::Url::parse(b).ok()).and_then(|b| b.join(href).ok()).map(|u| u.to_string()),
    }
}

/// `2025-04-28`, `2025-04-28T10:00:00Z` or an RFC 2822 date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.date_naive());
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.date_naive());
    }
    s.get(..10).and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalise extracted text: whitespace inside a paragraph collapsed, paragraphs separated
/// by exactly one blank line.
pub fn paragraphs(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(one_line(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(one_line(&current.join(" ")));
    }
    out.retain(|p| !p.is_empty());
    out.join("\n\n")
}

/// Readability keeps a byline element when it found the byline in `<meta>`: a short first
/// paragraph "By <name>" (or just the name) is not article text.
fn drop_byline_paragraph(text: &str, byline: Option<&str>) -> String {
    let Some((first, rest)) = text.split_once("\n\n") else { return text.to_string() };
    let f = first.trim();
    let is_byline = f.chars().count() <= 80
        && (f.to_lowercase().starts_with("by ") || byline.is_some_and(|b| f.eq_ignore_ascii_case(b)))
        && !f.ends_with('.')
        && byline.is_none_or(|b| f.to_lowercase().contains(&b.to_lowercase()) || f.to_lowercase().starts_with("by "));
    if is_byline { rest.to_string() } else { text.to_string() }
}

/// Plain paragraphs from a feed's HTML (or plain text) content or summary.
pub fn snippet_text(html_or_text: &str) -> String {
    if !html_or_text.contains('<') {
        return paragraphs(html_or_text);
    }
    let cfg = Config { text_mode: TextMode::Formatted, ..Default::default() };
    let wrapped = format!("<html><body>{html_or_text}</body></html>");
    let Ok(r) = Readability::new(wrapped.as_str(), None, Some(cfg)) else {
        return String::new();
    };
    let paras: Vec<String> = r.doc.select("p").iter().map(|p| one_line(&p.text())).filter(|p| !p.is_empty()).collect();
    if paras.is_empty() { one_line(&r.doc.select("body").text()) } else { paras.join("\n\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_shapes() {
        assert_eq!(parse_date("2025-04-28T09:00:00+04:00"), NaiveDate::from_ymd_opt(2025, 4, 28));
        assert_eq!(parse_date("Mon, 28 Apr 2025 09:00:00 GMT"), NaiveDate::from_ymd_opt(2025, 4, 28));
        assert_eq!(parse_date("2025-04-28"), NaiveDate::from_ymd_opt(2025, 4, 28));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn snippets_keep_paragraphs() {
        assert_eq!(snippet_text("<p>One &amp; two.</p><p>Three\n four.</p>"), "One & two.\n\nThree four.");
        assert_eq!(snippet_text("Plain text."), "Plain text.");
    }
}
