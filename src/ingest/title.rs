//! The headline of a page, reconciled from what the page says about itself: `og:title`,
//! JSON-LD `headline`, `<title>` and its headings. Site names ("- Los Angeles Times",
//! "| TheHill", "Site: ") are removed; a title is never cut short.

use crate::core::lang::lexicon;

/// What the page offers as its title, in the page's own words.
#[derive(Debug, Clone, Default)]
pub struct TitleSources {
    /// `og:title` or `twitter:title`.
    pub og: Option<String>,
    /// JSON-LD `headline` (or `name`).
    pub json_ld: Option<String>,
    /// The title the page's share links carry (`…?url=<page>&title=<headline>`).
    pub share: Option<String>,
    /// `<title>`.
    pub html: Option<String>,
    /// `<h1>` elements, then headings marked as the headline (`class`/`id` with "headline"),
    /// in document order.
    pub headings: Vec<String>,
    /// Headings whose `class`/`id` says they are the headline.
    pub marked: Vec<String>,
    /// The heading nearest before the article's first paragraph (filled in by the
    /// extractor once it knows the body).
    pub before_body: Option<String>,
    /// `before_body` is the text of a link (a "Back to news" or "Print" line, a list of
    /// headlines), which is weaker evidence of the headline.
    pub before_body_is_link: bool,
    /// The body's opening lines that the page sets as a heading or in bold, a paragraph
    /// following (filled in by the extractor): the headline of many pages whose `<title>`
    /// names only the site.
    pub leads: Vec<String>,
    /// Every heading of the page (`h1`–`h5`, elements whose class names a head or title).
    pub page_headings: Vec<String>,
    /// The page's visible text as lower-case words, one space apart ([`norm`]).
    pub page_text: String,
    /// Where in `page_text` the article's body starts, when found.
    pub body_at: Option<usize>,
    /// `og:site_name`, JSON-LD publisher, and similar.
    pub site_name: Option<String>,
    /// The page's host (`www.latimes.com`).
    pub host: Option<String>,
}

/// A title for a page that offers none (no `<title>`, no heading, no metadata): the first
/// of the body's opening lines that reads as a headline, else its first sentence (whole up
/// to 200 characters, else cut at a word with "…"). Empty only for an empty body.
pub fn from_body(body: &str) -> String {
    let blocks: Vec<&str> = body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()).collect();
    if let Some(b) = blocks.iter().take(3).find(|b| {
        let t = b.trim_end();
        headline_shaped(t) && word_count(&norm(t)) <= 20 && !t.ends_with(['.', ',', ';']) && !t.starts_with('©')
    }) {
        return one_line(b);
    }
    // The first block of prose: a sentence, or six words or more (not a byline).
    let Some(first) = blocks.iter().find(|b| b.contains(". ") || b.ends_with('.') || word_count(&norm(b)) >= 6).or(blocks.first()) else {
        return String::new();
    };
    let first = one_line(first);
    let sentence_end = first.char_indices().find(|(i, c)| matches!(c, '.' | '!' | '?') && first[i + 1..].starts_with(' ')).map(|(i, _)| i + 1);
    let sentence = &first[..sentence_end.unwrap_or(first.len())];
    if sentence.chars().count() <= 200 {
        return sentence.to_string();
    }
    let mut out = String::new();
    for w in sentence.split_whitespace() {
        if out.chars().count() + w.chars().count() > 120 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

/// Separators between a headline and a site name, longest first. A bare `|` is one too:
/// headlines do not use it.
const SEPARATORS: &[&str] = &[" :: ", " | ", " || ", " - ", " -- ", " – ", " — ", " » ", " « ", " · ", " • ", " / ", " ~ ", " : ", " @ ", "|"];

/// How far (characters of normalised page text) above the body a headline may stand.
const NEAR_BODY: usize = 600;

/// A line that can be a headline: two to thirty words, not a byline, a date line or a label.
pub fn headline_shaped(h: &str) -> bool {
    let n = norm(h);
    let words = word_count(&n);
    let letters = h.chars().filter(|c| c.is_alphabetic()).count();
    let digits = h.chars().filter(|c| c.is_ascii_digit()).count();
    (2..=30).contains(&words) && !n.starts_with("by ") && !h.trim_end().ends_with(':') && digits * 2 < letters
}

/// The headline. Empty only when the page offers no title at all.
pub fn reconcile(s: &TitleSources) -> String {
    let refs: Vec<&str> =
        [s.og.as_deref(), s.json_ld.as_deref(), s.share.as_deref(), s.html.as_deref()].into_iter().flatten().filter(|t| !t.trim().is_empty()).collect();
    let sites = site_names(s);
    let titles: Vec<(String, String)> =
        refs.iter().map(|r| strip_site(r, &sites)).filter(|t| !is_site(t, &sites)).map(|t| (norm(&t), t)).filter(|(n, _)| word_count(n) >= 2).collect();
    // The opening line that is the headline: one that a reference title contains (most of
    // it), else the first.
    let lead = s
        .leads
        .iter()
        .filter(|l| !is_site(l, &sites))
        .find(|l| {
            let n = norm(l);
            titles.iter().any(|(t, _)| contains_words(t, &n) && word_count(&n) * 2 >= word_count(t))
        })
        .or_else(|| s.leads.iter().find(|l| !is_site(l, &sites)));
    // An opening line that holds a whole reference title and more (a date, a label): the title.
    if let Some(l) = lead {
        let n = norm(l);
        if let Some((_, t)) = titles.iter().find(|(t, _)| *t != n && word_count(t) >= 3 && contains_words(&n, t)) {
            return one_line(t);
        }
    }
    // A reference title (its site name gone) that the page shows as a heading of its own;
    // a short one (a section's name) only when no opening line is a headline.
    for (n, _) in &titles {
        if (word_count(n) >= 4 || lead.is_none_or(|l| norm(l) == *n))
            && let Some(h) = s.page_headings.iter().chain(lead).find(|h| norm(h) == *n)
        {
            return one_line(h);
        }
    }
    // A heading that a reference title contains, and that is most of it once the site name
    // is gone, is the headline as the page shows it.
    let stripped: Vec<(String, usize)> = refs.iter().map(|r| (norm(r), word_count(&norm(&strip_site(r, &sites))))).collect();
    let mut best: Option<(&str, usize)> = None;
    for h in s.headings.iter().chain(&s.marked).chain(&s.page_headings) {
        let nh = norm(h);
        let words = word_count(&nh);
        // A short heading (a section's name) loses to an opening line that is a headline.
        if !(2..=60).contains(&words) || is_site(h, &sites) || (words < 4 && lead.is_some_and(|l| norm(l) != nh)) {
            continue;
        }
        let inside = stripped.iter().any(|(r, rw)| contains_words(r, &nh) && words * 2 >= *rw);
        if inside && best.is_none_or(|(_, n)| nh.len() > n) {
            best = Some((h.as_str(), nh.len()));
        }
    }
    if let Some((h, _)) = best {
        return one_line(h);
    }
    // The body opens with a line the page sets as a heading, and no reference title is a
    // heading of the page: that line is the headline (a title shown only as text elsewhere
    // is the site's or the section's name in a masthead or a breadcrumb), unless a title of
    // five words or more stands whole just above the body (the opening line is then a deck).
    let above = s.body_at.and_then(|at| s.page_text.get(..at)).unwrap_or_default();
    let title_above = titles.iter().find(|(t, _)| {
        word_count(t) >= 5 && format!(" {above} ").rfind(&format!(" {t} ")).is_some_and(|p| above.len().saturating_sub(p + t.len()) <= NEAR_BODY)
    });
    if let Some(lead) = lead {
        return title_above.map_or_else(|| one_line(lead), |(_, t)| one_line(t));
    }
    // A headline is shown above the article: the longest part of a reference title that
    // the page shows just before the body, else the heading just before it.
    if let Some(at) = s.body_at.filter(|at| *at <= s.page_text.len()) {
        // A heading of four words or more that is not a link outweighs a title the page does
        // not show above its body (titles that name only the site or its section). A title
        // of five words or more that the page shows elsewhere is kept (the heading above the
        // body is then a deck or a sub-heading).
        let shown_title = refs.iter().any(|r| {
            let t = norm(&strip_site(r, &sites));
            word_count(&t) >= 5 && contains_words(&s.page_text, &t)
        });
        let heading = s
            .before_body
            .as_deref()
            .filter(|h| !shown_title && !s.before_body_is_link && word_count(&norm(h)) >= 4 && !is_site(h, &sites) && headline_shaped(h));
        let above = &s.page_text[..at];
        for r in &refs {
            // Not a section label of the title that happens to be shown above the body, nor
            // a short title (a site's name) when a headline-shaped heading stands nearer.
            let whole = word_count(&norm(&strip_site(r, &sites)));
            let longest = norm(&longest_segment(r));
            let part = shown_part(&strip_site(r, &sites), above, &sites, NEAR_BODY)
                .filter(|p| word_count(&norm(p)) >= whole || contains_words(&norm(p), &longest))
                .filter(|p| heading.is_none_or(|h| word_count(&norm(p)) > 4 || contains_words(&norm(p), &norm(h))));
            if let Some(part) = part {
                return part;
            }
        }
        if let Some(h) = heading {
            return one_line(h);
        }
    }
    // The longest part of a reference title that the page shows as text (the site name and
    // section labels around it dropped).
    for r in &refs {
        // Labels at the ends that `strip_site` removes stay removed even when the page shows
        // them next to the headline (a breadcrumb "Site - Headline").
        if let Some(part) = shown_part(&strip_site(r, &sites), &s.page_text, &sites, usize::MAX) {
            return part;
        }
    }
    // Old pages name only the site in `<title>`; the heading above the body is the headline.
    if s.og.is_none()
        && s.json_ld.is_none()
        && let Some(h) = s.before_body.as_deref().filter(|h| !is_site(h, &sites))
    {
        return one_line(h);
    }
    for r in &refs {
        let stripped = strip_site(r, &sites);
        if !stripped.is_empty() && !is_site(&stripped, &sites) {
            return stripped;
        }
    }
    // The references name only the site: the heading marked as the headline, else the first h1.
    if let Some(h) = s.marked.iter().chain(&s.headings).find(|h| word_count(&norm(h)) >= 2 && !is_site(h, &sites)) {
        return one_line(h);
    }
    refs.first().map(|r| one_line(r)).unwrap_or_default()
}

/// Names the site goes by: its declared name and its host's distinctive label.
fn site_names(s: &TitleSources) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = &s.site_name {
        out.push(compact(n));
    }
    if let Some(h) = &s.host {
        let labels: Vec<&str> = h.trim_start_matches("www.").split('.').collect();
        // "latimes.com" -> "latimes"; "news.bbc.co.uk" -> "bbc" and "news".
        for l in labels.iter().filter(|l| l.len() >= 3 && !matches!(**l, "com" | "org" | "net" | "gov" | "edu" | "www")) {
            out.push(compact(l));
        }
        out.push(compact(h.trim_start_matches("www.")));
    }
    out.retain(|n| n.len() >= 2);
    out
}

/// A segment that is the site's name: equal to it, or its words' letters spell the host
/// ("Los Angeles Times" for latimes, "TheHill" for thehill).
fn is_site(seg: &str, sites: &[String]) -> bool {
    let c = compact(seg);
    if c.is_empty() {
        return true;
    }
    if sites.iter().any(|s| *s == c || (s.len() >= 4 && (c.starts_with(s.as_str()) || c.ends_with(s.as_str())) && c.len() <= s.len() + 12)) {
        return true;
    }
    // Initials plus the last word: "Los Angeles Times" -> "latimes".
    let words: Vec<String> = seg.split_whitespace().map(compact).filter(|w| !w.is_empty()).collect();
    if words.len() >= 2 {
        let (last, rest) = words.split_last().expect("two words");
        let initials: String = rest.iter().filter_map(|w| w.chars().next()).collect();
        let abbrev = format!("{initials}{last}");
        if sites.iter().any(|s| *s == abbrev || *s == initials || s.starts_with(&abbrev)) {
            return true;
        }
    }
    c.contains("www") || seg.contains(".com") || seg.contains(".co.")
}

/// Remove site-name segments at either end of `title`. Without a recognised site name, a
/// trailing segment much shorter than the rest (at most four words) is taken to be one.
pub fn strip_site(title: &str, sites: &[String]) -> String {
    let t = one_line(title);
    // Two titles joined by " , " (a comma after a space is never inside a headline): the
    // first is the headline.
    let t = match t.split_once(" , ") {
        Some((first, _)) if word_count(first) >= 2 => first.trim().to_string(),
        _ => t,
    };
    let t = strip_trailing_date(&t);
    let mut segs: Vec<String> = vec![t.clone()];
    for sep in SEPARATORS {
        segs = segs.iter().flat_map(|s| s.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    segs.retain(|s| !s.trim().is_empty());
    if segs.len() <= 1 {
        return strip_colon_prefix(&t, sites);
    }
    let known: Vec<bool> = segs.iter().map(|s| is_site(s, sites)).collect();
    let (mut first, mut last) = (0, segs.len() - 1);
    if known.iter().any(|k| *k) && !known.iter().all(|k| *k) {
        // Keep the span between the site segments at the ends.
        first = known.iter().position(|k| !k).expect("one kept");
        last = known.iter().rposition(|k| !k).expect("one kept");
    }
    let site_gone = (first, last) != (0, segs.len() - 1);
    // Then short labels at the ends (site, section, "Breaking News") go one at a time while
    // what stays is clearly the longer part.
    let words = |s: &str| s.split_whitespace().count();
    while first < last {
        let rest: usize = segs[first..last].iter().map(|s| words(s)).sum();
        let tail = words(&segs[last]);
        if tail <= 4 && rest >= 2 * tail.max(1) && rest >= 2 && (rest >= 3 || tail == 1) {
            last -= 1;
            continue;
        }
        let rest: usize = segs[first + 1..=last].iter().map(|s| words(s)).sum();
        let head = words(&segs[first]);
        if head <= 3 && rest >= 2 * head.max(1) && rest >= 4 {
            first += 1;
            continue;
        }
        break;
    }
    if site_gone {
        return strip_colon_prefix(&span(&t, &segs, first, last), sites);
    }
    if (first, last) != (0, segs.len() - 1) {
        return span(&t, &segs, first, last);
    }
    t
}

/// A date glued to the end of a title ("… test driver Thursday, 10, January, 2008, 09:14")
/// goes: three words or more of numbers, weekdays and months, a headline of three words or
/// more left.
fn strip_trailing_date(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    let datey = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        !w.is_empty() && (w.chars().all(|c| c.is_ascii_digit() || c == ':') || lexicon::is_calendar_word(w))
    };
    let tail = words.iter().rev().take_while(|w| datey(w)).count();
    let digits = words.iter().rev().take(tail).filter(|w| w.chars().any(|c| c.is_ascii_digit())).count();
    if tail >= 3 && digits >= 1 && digits < tail && words.len() - tail >= 3 {
        return words[..words.len() - tail].join(" ").trim_end_matches([',', '-', '|', ':', ' ']).to_string();
    }
    t.to_string()
}

/// The segment of `title` between separators with the most words (the first of equals).
fn longest_segment(title: &str) -> String {
    let mut segs: Vec<String> = vec![one_line(title)];
    for sep in SEPARATORS {
        segs = segs.iter().flat_map(|s| s.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    let mut best = String::new();
    for s in segs {
        if word_count(&s) > word_count(&best) {
            best = s;
        }
    }
    best
}

/// Byte ranges of `t`'s parts between separators (`|`, ` - `, `: `, `_`...).
fn parts(t: &str) -> Vec<(usize, usize)> {
    // Also a dash or a bracket glued to a word ("Headline-Section-Site", "Headline(Site)"):
    // only a run of parts that the page shows is ever kept.
    let seps: Vec<&str> = SEPARATORS.iter().copied().chain([" : ", ": ", "_", "-", " (", "(", ")"]).collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < t.len() {
        if let Some(sep) = seps.iter().filter(|sep| t[i..].starts_with(**sep)).max_by_key(|sep| sep.len()) {
            out.push((start, i));
            i += sep.len();
            start = i;
        } else {
            i += t[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push((start, t.len()));
    out.retain(|(a, b)| !t[*a..*b].trim().is_empty());
    out
}

/// The longest run of `title`'s parts (at least two words, not the site's name) whose words
/// end at most `within` characters before the end of `text`.
fn shown_part(title: &str, text: &str, sites: &[String], within: usize) -> Option<String> {
    let t = one_line(title);
    let ps = parts(&t);
    let mut best: Option<(usize, String)> = None;
    for i in 0..ps.len() {
        for j in i..ps.len() {
            let span = t[ps[i].0..ps[j].1].trim();
            let n = norm(span);
            let words = word_count(&n);
            if words < 2 || best.as_ref().is_some_and(|(w, _)| *w >= words) || is_site(span, sites) {
                continue;
            }
            let near = format!(" {text} ").rfind(&format!(" {n} ")).is_some_and(|p| text.len().saturating_sub(p + n.len()) <= within);
            if near {
                best = Some((words, span.to_string()));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// "Site: Headline" when the prefix is the site's name.
fn strip_colon_prefix(t: &str, sites: &[String]) -> String {
    if let Some((pre, rest)) = t.split_once(": ")
        && is_site(pre, sites)
        && rest.split_whitespace().count() >= 2
    {
        return rest.trim().to_string();
    }
    t.to_string()
}

/// The text of `segs[first..=last]` as it stands in `t` (separators kept).
fn span(t: &str, segs: &[String], first: usize, last: usize) -> String {
    let start = t.find(segs[first].as_str()).unwrap_or(0);
    let from_start = &t[start..];
    let mut end = start + segs[first].len();
    let mut cursor = 0usize;
    for seg in &segs[first..=last] {
        if let Some(p) = from_start[cursor..].find(seg.as_str()) {
            cursor += p + seg.len();
            end = start + cursor;
        }
    }
    t[start..end].trim().to_string()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-case words of letters and digits, one space apart.
pub fn norm(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// `needle`'s words appear in `hay` as a run of whole words.
fn contains_words(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(og: Option<&str>, html: Option<&str>, h1: &[&str], site: Option<&str>, host: Option<&str>) -> TitleSources {
        TitleSources {
            og: og.map(Into::into),
            html: html.map(Into::into),
            headings: h1.iter().map(|s| s.to_string()).collect(),
            site_name: site.map(Into::into),
            host: host.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn heading_inside_the_title_wins() {
        let s = src(None, Some("Harbour dues rise again - The Quayside Courier"), &["Menu", "Harbour dues rise again"], None, Some("quaysidecourier.example"));
        assert_eq!(reconcile(&s), "Harbour dues rise again");
    }

    #[test]
    fn site_suffixes_and_prefixes_go() {
        let sites = vec!["latimes".to_string(), "thehill".to_string()];
        assert_eq!(strip_site("Tram line opens after delays - Los Angeles Times", &sites), "Tram line opens after delays");
        assert_eq!(strip_site("Senate passes the budget | TheHill", &sites), "Senate passes the budget");
        assert_eq!(strip_site("TheHill: Senate passes the budget", &sites), "Senate passes the budget");
        // An unknown site name: a short trailing segment after a long headline.
        assert_eq!(strip_site("Ferry fares frozen for the winter season | Harbour Post", &[]), "Ferry fares frozen for the winter season");
        // A dash inside a headline stays.
        assert_eq!(
            strip_site("Ferry operator cuts the winter timetable - unions say jobs are at risk", &[]),
            "Ferry operator cuts the winter timetable - unions say jobs are at risk"
        );
        // A short leading segment before a long one is a site name.
        assert_eq!(strip_site("Harbour Post - Ferry operator cuts the winter timetable", &[]), "Ferry operator cuts the winter timetable");
    }

    #[test]
    fn never_truncated_and_site_only_titles_fall_back_to_the_headline() {
        let long = "Inspectors find that the new grain terminal was built without the permits the port authority said it had issued in March";
        let s = src(Some(long), Some(&format!("{long} | Port News")), &[], Some("Port News"), None);
        assert_eq!(reconcile(&s), long);
        let s = TitleSources {
            html: Some("The Evening Lamp".into()),
            marked: vec!["Lighthouse keeper retires after forty years".into()],
            site_name: Some("The Evening Lamp".into()),
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Lighthouse keeper retires after forty years");
    }

    #[test]
    fn a_page_without_any_title_takes_its_opening_headline_line_or_first_sentence() {
        assert_eq!(from_body("Tide gauge fails at the north pier\n\nThe gauge stopped reporting on Monday."), "Tide gauge fails at the north pier");
        assert_eq!(from_body("By Ann Ray\n\nThe gauge stopped reporting on Monday. Engineers were sent."), "The gauge stopped reporting on Monday.");
        let long = format!("{} end.", "word ".repeat(60));
        let t = from_body(&long);
        assert!(t.ends_with('…') && t.chars().count() <= 121, "{t}");
        assert_eq!(from_body(""), "");
    }

    #[test]
    fn short_labels_at_both_ends_of_a_title_go() {
        assert_eq!(strip_site("Ferry fares frozen for winter - Breaking News - Harbour Sports", &[]), "Ferry fares frozen for winter");
        assert_eq!(strip_site("The Harbour Post : Local : Pier repairs start next month", &[]), "Pier repairs start next month");
        assert_eq!(strip_site("Pier repairs start again after the storm|Harbour 7 News", &[]), "Pier repairs start again after the storm");
        // A colon inside a headline is not a separator.
        assert_eq!(strip_site("Crash report: engines failed on approach", &[]), "Crash report: engines failed on approach");
    }

    #[test]
    fn the_heading_above_the_body_beats_a_title_naming_only_the_site() {
        let page =
            norm("The Evening Lamp Home Sport Lighthouse keeper retires after forty years The keeper of the north light retired on Friday after forty years");
        let body_at = page.find("the keeper of the north").unwrap();
        let s = TitleSources {
            html: Some("The Evening Lamp".into()),
            before_body: Some("Lighthouse keeper retires after forty years".into()),
            page_text: page.clone(),
            body_at: Some(body_at),
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Lighthouse keeper retires after forty years");
        // A link just above the body ("Back to today's news") is not a headline.
        let s = TitleSources {
            html: Some("Lighthouse keeper retires after forty years - The Evening Lamp".into()),
            before_body: Some("Back to all the news".into()),
            before_body_is_link: true,
            page_text: page,
            body_at: Some(body_at),
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Lighthouse keeper retires after forty years");
    }

    #[test]
    fn the_line_that_opens_the_body_as_a_heading_is_the_headline() {
        let page = norm("Quay Sports Wire Home Results Rowing crew wins the cup Saltmouth The eight won the cup on Saturday by a length");
        let body_at = page.find("saltmouth the eight").unwrap();
        let s = TitleSources {
            html: Some("Quay Sports Wire - National Rowing".into()),
            leads: vec!["Rowing crew wins the cup".into()],
            page_text: page.clone(),
            body_at: Some(body_at),
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Rowing crew wins the cup");
        // A title the page shows as a heading outweighs it (the opening line is a deck).
        let page = norm("Quay Sports Wire Rowing crew wins the estuary cup A late surge settled it Saltmouth The eight won the cup on Saturday");
        let s = TitleSources {
            html: Some("Rowing crew wins the estuary cup | Quay Sports Wire".into()),
            page_headings: vec!["Rowing crew wins the estuary cup".into()],
            leads: vec!["A late surge settled it".into()],
            body_at: page.find("saltmouth the eight"),
            page_text: page,
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Rowing crew wins the estuary cup");
    }

    #[test]
    fn a_title_shown_as_a_heading_beats_a_byline_above_the_body() {
        let page = norm("Home City Tram stop moved Ann Ray City Desk Published Friday The stop outside the station moved fifty metres on Friday");
        let s = TitleSources {
            html: Some("Tram stop moved".into()),
            page_headings: vec!["Tram stop moved".into(), "Ann Ray, City Desk".into()],
            before_body: Some("Ann Ray, City Desk".into()),
            body_at: page.find("the stop outside"),
            page_text: page,
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Tram stop moved");
    }

    #[test]
    fn a_share_link_title_counts_as_the_pages_own_title() {
        let page = norm("Front page Local Ferry timetable cut for the winter The morning ferry leaves at seven The ferry company will run four crossings");
        let s = TitleSources {
            html: Some("ESTUARY NEWS".into()),
            share: Some("Ferry timetable cut for the winter".into()),
            body_at: page.find("the ferry company"),
            page_text: page,
            ..Default::default()
        };
        assert_eq!(reconcile(&s), "Ferry timetable cut for the winter");
    }

    #[test]
    fn two_titles_joined_by_a_spaced_comma_keep_the_first() {
        assert_eq!(strip_site("Bridge closes for repairs , Council Diverts Buses - City Buzz", &[]), "Bridge closes for repairs");
        // A comma inside a headline is not a join.
        assert_eq!(strip_site("Bridge closes, buses diverted", &[]), "Bridge closes, buses diverted");
    }

    #[test]
    fn og_title_is_used_when_no_heading_matches() {
        let s =
            src(Some("Council approves the new bridge"), Some("Council approves the new bridge | City Herald"), &["City Herald"], Some("City Herald"), None);
        assert_eq!(reconcile(&s), "Council approves the new bridge");
        assert_eq!(reconcile(&TitleSources::default()), "");
    }
}
