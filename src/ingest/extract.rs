//! Main text and metadata from an HTML page (dom_smoothie, a port of readability.js), and
//! plain text from the HTML snippets feeds carry. The headline is reconciled in [`super::title`].

use chrono::NaiveDate;
use dom_smoothie::{Config, Readability, TextMode};

use super::title::{self, TitleSources};
use crate::core::lang::lexicon;

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
///
/// Any readable body is kept, however short: a list, a table of results, a one-paragraph
/// news item. A page is "not an article" only when it has no body: nothing but links (a home
/// or section page), a login wall, an error page, or text shorter than `min_chars` with no
/// sentence in it. The reason says which.
pub fn extract(html: &str, url: Option<&str>, min_chars: usize) -> Result<Extracted, ExtractError> {
    let cfg = Config { text_mode: TextMode::Formatted, max_elements_to_parse: 200_000, ..Default::default() };
    let html = close_title(html);
    let broken_title = matches!(html, std::borrow::Cow::Owned(_));
    let mut r = Readability::new(html.as_ref(), url, Some(cfg)).map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    let canonical = first_attr(&r, &["link[rel=canonical]", "link[rel=\"canonical\"]"], "href")
        .or_else(|| first_attr(&r, &["meta[property=\"og:url\"]", "meta[name=\"og:url\"]"], "content"))
        .and_then(|href| absolute(&href, url));
    let meta_date = first_attr(
        &r,
        &["meta[property=\"article:published_time\"]", "meta[name=\"date\"]", "meta[name=\"pubdate\"]", "meta[itemprop=\"datePublished\"]", "time[datetime]"],
        "content",
    )
    .or_else(|| first_attr(&r, &["time[datetime]"], "datetime"));
    let mut titles = title_sources(&r);
    if broken_title {
        // The rest of a `<title>` left open is markup or script ("BBC SPORTi library-->",
        // "Headline(Site)ntById(\"font\");"): cut at the first sign of code.
        titles.html = titles.html.and_then(|t| {
            let cut = ["-->", "<!--", "\"", "{", "}", "();"].iter().filter_map(|c| t.find(c)).min().unwrap_or(t.len());
            Some(one_line(t.get(..cut).unwrap_or_default())).filter(|t| !t.is_empty())
        });
    }
    let page_blocks = heading_blocks(&r);
    let page = PageSignals::read(&r);
    drop_comment_sections(&r);
    let article = match r.parse() {
        Ok(a) => a,
        Err(_) => return Err(ExtractError::NotAnArticle(page.no_body_reason("", 0.0))),
    };
    let byline = article.byline.as_deref().map(one_line).filter(|s| !s.is_empty());
    let text = drop_byline_paragraph(&blocks(&article.text_content), byline.as_deref());
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    let (links, link_texts) = links_of(&article.content);
    let sentence = has_sentence(&text);
    // Rows of a table or items of a list: a body even without a sentence.
    let rows = text.split("\n\n").filter(|l| l.split_whitespace().count() >= 2).count();
    if chars == 0 || (links > 0.6 && !sentence) || page.is_error_or_login(&text) || (chars < min_chars && !sentence && rows < 4) {
        return Err(ExtractError::NotAnArticle(page.no_body_reason(&text, links)));
    }
    let canonical = canonical.or_else(|| article.url.clone().and_then(|u| absolute(&u, url)));
    let date = article.published_time.as_deref().and_then(parse_date).or_else(|| meta_date.as_deref().and_then(parse_date));
    let site_name = article.site_name.as_deref().map(one_line).filter(|s| !s.is_empty());
    titles.site_name = site_name.clone();
    let (headings, styled, page_text) = page_blocks;
    // The body's opening line set as a heading is the headline; the body starts after it.
    let (after_lead, leads) = lead_lines(&text, &styled, &link_texts);
    titles.body_at = body_start(&page_text, text.get(after_lead..).unwrap_or_default());
    titles.leads = leads;
    titles.page_headings = styled.into_iter().filter(|(_, heading)| *heading).map(|(h, _)| h).collect();
    if let Some((h, link)) = titles.body_at.and_then(|at| heading_before(&headings, &page_text, at)) {
        titles.before_body = Some(h);
        titles.before_body_is_link = link;
    }
    titles.page_text = page_text;
    titles.host = canonical.as_deref().or(url).and_then(|u| url::Url::parse(u).ok()).and_then(|u| u.host_str().map(str::to_string));
    if titles.json_ld.is_none() && !article.title.trim().is_empty() && titles.html.is_none() {
        titles.html = Some(article.title.to_string());
    }
    let mut title = title::reconcile(&titles);
    if title.is_empty() {
        title = title::from_body(&text);
    }
    let text = trim_edges(&text, &title, &link_texts);
    Ok(Extracted { title, byline, date, site_name, canonical, text })
}

/// Title candidates, read before readability rewrites the document.
fn title_sources(r: &Readability) -> TitleSources {
    let texts = |sel: &str, max: usize| -> Vec<String> {
        r.doc.select(sel).iter().take(max).map(|n| one_line(&n.text())).filter(|t| !t.is_empty() && t.chars().count() <= 400).collect()
    };
    TitleSources {
        og: first_attr(
            r,
            &["meta[property=\"og:title\"]", "meta[name=\"og:title\"]", "meta[name=\"twitter:title\"]", "meta[property=\"twitter:title\"]"],
            "content",
        ),
        json_ld: r.parse_json_ld().map(|m| one_line(&m.title)).filter(|t| !t.is_empty()),
        share: share_title(r),
        html: texts("head title", 1).into_iter().next().or_else(|| texts("title", 1).into_iter().next()),
        headings: texts("h1", 12),
        marked: texts("[itemprop=headline], h1[class*=title], h2[class*=title], [class*=headline], [class*=Headline], [id*=headline]", 12)
            .into_iter()
            .filter(|t| t.split_whitespace().count() <= 40)
            .collect(),
        ..Default::default()
    }
}

/// The title a page gives its own share links (`…/submit?url=<page>&title=<headline>`): what
/// the site tells other sites its headline is. The most frequent one.
fn share_title(r: &Readability) -> Option<String> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for a in r.doc.select("a[href*=\"title=\"]").iter().take(50) {
        let Some(href) = a.attr("href") else { continue };
        let Ok(u) = url::Url::parse(href.trim()) else { continue };
        let (mut title, mut page) = (None, false);
        for (k, v) in u.query_pairs() {
            match k.as_ref() {
                "title" => title = Some(one_line(&v)),
                "url" | "u" => page = true,
                _ => {}
            }
        }
        // Not a script's template ("document.title", "encodeURIComponent(...)").
        let code = |t: &str| ["<", "document.", "encodeURI", "escape(", "window."].iter().any(|c| t.contains(c));
        if let Some(t) = title.filter(|t| page && t.split_whitespace().count() >= 2 && !code(t)) {
            match seen.iter_mut().find(|(s, _)| *s == t) {
                Some((_, n)) => *n += 1,
                None => seen.push((t, 1)),
            }
        }
    }
    seen.into_iter().rev().max_by_key(|(_, n)| *n).map(|(t, _)| t)
}

/// The body's opening lines that can be its headline: among its first four lines that are
/// not link text (menus), before any long paragraph, each headline-shaped line that does not
/// end a sentence, that the page sets as a heading or in bold ([`heading_blocks`]' second
/// list, or that a byline follows) and that a paragraph follows within four lines. Returns the byte offset in `text`
/// after the last of them, and the lines.
fn lead_lines(text: &str, styled: &[(String, bool)], links: &[String]) -> (usize, Vec<String>) {
    let blocks: Vec<&str> = text.split("\n\n").take(12).collect();
    let paragraph = |b: &str| b.split_whitespace().count() >= 12;
    let (mut at, mut after, mut out, mut seen) = (0, 0, Vec::new(), 0);
    for (i, block) in blocks.iter().enumerate() {
        let next = (at + block.len() + 2).min(text.len());
        if paragraph(block) || seen >= 4 {
            break;
        }
        let n = title::norm(block);
        // Set apart by itself, or as the start of an element that holds more (a date).
        let words = n.split(' ').count();
        let heading = styled.iter().find(|(s, _)| {
            let s = title::norm(s);
            s == n || (words >= 4 && s.starts_with(&n) && s.as_bytes().get(n.len()) == Some(&b' '))
        });
        // A line followed by a byline is a headline however it is styled.
        let bylined = blocks.get(i + 1).is_some_and(|b| b.trim_start().to_lowercase().starts_with("by ") && b.split_whitespace().count() <= 12);
        let link = only_links(block, links);
        if !link || heading.is_some_and(|(_, proper)| *proper) {
            seen += 1;
        }
        let t = block.trim_end();
        let ends_sentence = t.ends_with(['.', ',', ';', ':']) && !t.ends_with("...");
        if !ends_sentence
            && title::headline_shaped(t)
            && (heading.is_some_and(|(_, proper)| *proper || !link) || (bylined && !link))
            && blocks.iter().skip(i + 1).take(4).any(|b| paragraph(b))
        {
            out.push(one_line(block));
            after = next;
        }
        at = next;
    }
    (after, out)
}

/// The page's headings (`h1`–`h4` and elements marked as the headline or styled as a heading
/// by their class) with whether they are link text, and the page's whole text
/// ([`title::norm`]), in document order.
/// Also the texts the page sets apart as a heading or in bold (headings, `b`, `strong`,
/// `font` with a size or class, elements whose class names a head or title), each with
/// whether it is a heading proper rather than only bold.
#[allow(clippy::type_complexity)]
fn heading_blocks(r: &Readability) -> (Vec<(String, bool)>, Vec<(String, bool)>, String) {
    let headings = r
        .doc
        .select(
            "h1, h2, h3, h4, [class*=headline], [class*=Headline], [id*=headline], [itemprop=headline], [class*=heading], [class*=Heading], \
             [class*=title], [class*=Title], [class*=topstory], [class*=headerText]",
        )
        .iter()
        .take(400)
        .map(|n| {
            let text = one_line(&n.text());
            let in_link = n.nodes().first().is_some_and(|node| node.ancestors_it(Some(3)).any(|a| a.is("a")));
            let all_link = title::norm(&n.select("a").text()) == title::norm(&text);
            (text, in_link || all_link)
        })
        .filter(|(t, _)| (2..=40).contains(&t.split_whitespace().count()))
        .collect();
    let styled = r
        .doc
        .select(
            "h1, h2, h3, h4, h5, [class*=head], [class*=Head], [class*=HEAD], [class*=title], [class*=Title], [class*=topstory], \
             [itemprop=headline], b, strong, font[size], font[class]",
        )
        .iter()
        .take(600)
        .filter_map(|n| {
            let text = one_line(&n.text());
            let words = text.split_whitespace().count();
            (2..=30).contains(&words).then(|| (text, !(n.is("b") || n.is("strong") || n.is("font"))))
        })
        .collect();
    (headings, styled, title::norm(&r.doc.select("body").text()))
}

/// Where the body's first paragraph starts in the page's text.
fn body_start(page_text: &str, body: &str) -> Option<usize> {
    let first = title::norm(body.split("\n\n").find(|p| p.split_whitespace().count() >= 6)?).split(' ').take(6).collect::<Vec<_>>().join(" ");
    page_text.find(&first)
}

/// The heading that ends nearest before the body (at most 400 characters before it), and
/// whether it is link text.
fn heading_before(headings: &[(String, bool)], page_text: &str, body_at: usize) -> Option<(String, bool)> {
    let prefix = &page_text[..body_at];
    headings
        .iter()
        .filter_map(|(h, link)| {
            let nh = title::norm(h);
            let at = prefix.rfind(&nh)?;
            (body_at - (at + nh.len()) <= 400).then_some((at, (h, *link)))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, (h, link))| (h.clone(), link))
}

/// A `<title>` that is never closed, or closed by a malformed tag (`</titlevalue="x">`),
/// swallows the rest of the page as title text. When the title's text holds markup, close
/// it at the end of its first line (or before the first tag).
fn close_title(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let find_from =
        |from: usize, pat: &str| bytes.get(from..).and_then(|b| b.windows(pat.len()).position(|w| w.eq_ignore_ascii_case(pat.as_bytes()))).map(|p| p + from);
    let Some(open) = find_from(0, "<title") else { return html.into() };
    let Some(start) = find_from(open, ">").map(|p| p + 1) else { return html.into() };
    let end = find_from(start, "</title").filter(|&p| bytes.get(p + 7).is_some_and(|b| *b == b'>' || b.is_ascii_whitespace()));
    let text = &bytes[start..end.unwrap_or(bytes.len())];
    let has_markup = text.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if !has_markup {
        return html.into();
    }
    let cut = start + text.iter().position(|b| *b == b'\n' || *b == b'<').unwrap_or(0);
    format!("{}</title>{}", &html[..cut], &html[cut..]).into()
}

/// Readers' comments are not the article: remove elements whose `id` or `class` names them
/// a comment section (`comments`, `commentlist`, `respond`, Disqus), unless one holds most of
/// the page's text.
fn drop_comment_sections(r: &Readability) {
    let total = r.doc.select("body").text().len().max(1);
    let nodes = r.doc.select("[id*=omment], [class*=omment], [id*=respond], [id*=disqus], [class*=disqus]");
    for n in nodes.nodes() {
        let names = format!("{} {}", n.attr("id").unwrap_or_default(), n.attr("class").unwrap_or_default()).to_ascii_lowercase();
        let is_comments = names
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "comments" | "comment" | "commentlist" | "commentlisting" | "respond" | "disqus" | "dsq" | "usercomments" | "readercomments"));
        if is_comments && n.text().len() * 2 < total {
            n.remove_from_parent();
        }
    }
}

/// What the page as a whole says about itself, for naming a page without a body.
struct PageSignals {
    title: String,
    password_field: bool,
}

impl PageSignals {
    fn read(r: &Readability) -> PageSignals {
        let title = r.doc.select("title").iter().next().map(|t| one_line(&t.text()).to_lowercase()).unwrap_or_default();
        PageSignals { title, password_field: r.doc.select("input[type=password]").exists() }
    }

    fn is_error(&self) -> bool {
        const ERROR: &[&str] = &["404", "not found", "page not found", "no longer available", "does not exist", "doesn't exist", "server error"];
        let t = norm_words(&self.title);
        t == "error" || t.starts_with("error ") || ERROR.iter().any(|w| format!(" {t} ").contains(&format!(" {w} ")))
    }

    /// A login or subscription wall: a short text that asks the reader to sign in.
    fn is_login(&self, text: &str) -> bool {
        const ASKS: &[&str] = &["log in", "sign in", "login", "subscribe", "subscriber", "password", "register"];
        let t = format!(" {} ", norm_words(&text.to_lowercase()));
        text.chars().filter(|c| !c.is_whitespace()).count() < 600
            && (self.password_field || ASKS.iter().filter(|w| t.contains(&format!(" {w} "))).count() >= 2)
            && ASKS.iter().any(|w| t.contains(&format!(" {w} ")))
    }

    /// An error or login page: says so, and has no more text than such a page carries.
    fn is_error_or_login(&self, text: &str) -> bool {
        (self.is_error() && text.chars().count() < 1500) || self.is_login(text)
    }

    fn no_body_reason(&self, text: &str, links: f64) -> String {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.is_error() && chars < 1500 {
            "error page".into()
        } else if self.is_login(text) {
            "login wall".into()
        } else if links > 0.6 {
            "only links, no sentence: a home or section page".into()
        } else if chars == 0 {
            "no main text".into()
        } else {
            format!("{chars} characters of main text and no sentence")
        }
    }
}

/// Share of the extracted content's text that sits inside links.
/// Also the texts of its links ([`title::norm`]).
fn links_of(content_html: &str) -> (f64, Vec<String>) {
    let doc = dom_query::Document::from(content_html);
    let count = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    let all = count(&doc.select("body").text());
    let texts: Vec<String> = doc.select("a").iter().map(|a| title::norm(&a.text())).filter(|t| !t.is_empty()).collect();
    let linked: usize = texts.iter().map(|t| count(t)).sum();
    (if all == 0 { 0.0 } else { linked as f64 / all as f64 }, texts)
}

/// A paragraph made only of link texts (a menu line): nothing is left once they are removed.
fn only_links(paragraph: &str, links: &[String]) -> bool {
    let mut rest = format!(" {} ", title::norm(paragraph));
    for l in links {
        rest = rest.replacen(&format!(" {l} "), " ", 1);
    }
    rest.trim().is_empty()
}

/// Menu lines before and after the article, the headline repeated as its first line, and
/// short date lines ("Posted 2 November", "Updated 10:42") at its start are not body text.
fn trim_edges(text: &str, headline: &str, links: &[String]) -> String {
    let mut paras: Vec<&str> = text.split("\n\n").collect();
    while paras.len() > 1 && only_links(paras[0], links) {
        paras.remove(0);
    }
    while paras.len() > 1 && only_links(paras[paras.len() - 1], links) {
        paras.pop();
    }
    // The headline among the first lines: it and the short lines above it (menus, a section
    // name, "E-mail | Print") are not body text.
    let h = title::norm(headline);
    if let Some(i) = paras.iter().take(4).position(|p| title::norm(p) == h)
        && !h.is_empty()
        && paras.len() > i + 1
        && paras[..i].iter().all(|p| p.split_whitespace().count() < 20)
    {
        paras.drain(..=i);
    }
    let mut i = 0;
    while i < paras.len().min(3) && paras.len() > 1 {
        if is_date_line(paras[i]) {
            paras.remove(i);
        } else {
            i += 1;
        }
    }
    paras.join("\n\n")
}

/// A short line that only dates the article: month and day names, numbers, times and words
/// like "posted", "updated", "published".
fn is_date_line(p: &str) -> bool {
    // Besides weekdays and months (`lexicon`), written out or short.
    const DATE_WORDS: &[&str] = &[
        "posted",
        "updated",
        "published",
        "last",
        "on",
        "at",
        "am",
        "pm",
        "gmt",
        "utc",
        "bst",
        "cet",
        "est",
        "edt",
        "pst",
        "pdt",
        "et",
        "today",
        "yesterday",
        "ago",
        "min",
        "mins",
        "hour",
        "hours",
        "minutes",
    ];
    let n = title::norm(p);
    let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.len() <= 10
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || DATE_WORDS.contains(w)
                || lexicon::is_calendar_word(w)
                || (w.len() <= 4 && w.ends_with(|c: char| c.is_ascii_alphabetic()) && w.starts_with(|c: char| c.is_ascii_digit()))
        })
}

/// A sentence: six words or more of one paragraph ending with a full stop, question or
/// exclamation mark or a colon (closing quotes allowed).
fn has_sentence(text: &str) -> bool {
    const ENDS: [char; 5] = ['.', '!', '?', ':', '…'];
    text.split("\n\n")
        .flat_map(|p| p.split_inclusive(ENDS))
        .any(|s| s.trim_end().trim_end_matches(['"', '\'', '”', '’', ')']).ends_with(ENDS) && s.split_whitespace().count() >= 6)
}

fn norm_words(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() || c == '\'' { c } else { ' ' }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Formatted page text (one block per line: paragraph, list item, table row, heading) as
/// paragraphs separated by one blank line, whitespace collapsed.
pub fn blocks(text: &str) -> String {
    text.lines().map(one_line).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// Normalise plain text: whitespace inside a paragraph collapsed, paragraphs separated
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
