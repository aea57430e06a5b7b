//! Structured answers: what the core returns for every command. Adapters render these;
//! the core never produces markup.

use chrono::NaiveDate;
use serde::Serialize;

/// Where a piece of an answer comes from. Every bullet names at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Document id: the path relative to the corpus root, without extension.
    pub doc: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet or site that published the article (front matter `source`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The article's byline (front matter `byline`/`author`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where the cited text sits in the document body: `[start, end)` in code points
    /// (invariant 5), when the item quotes a known place (a sentence, a quote).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(u64, u64)>,
    /// A public page showing the cited text, when the bot serves one (`http.public_url`); set
    /// outside the core, after answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

impl SourceRef {
    /// An article's reference without a cited place or source page.
    pub fn article(doc: impl Into<String>, title: impl Into<String>, date: Option<NaiveDate>, url: Option<String>) -> SourceRef {
        SourceRef { doc: doc.into(), title: title.into(), date, url, outlet: None, author: None, span: None, page: None }
    }

    /// The same source, with its outlet and byline (blank ones are dropped; a byline loses
    /// its "By").
    pub fn by(mut self, outlet: Option<&str>, author: Option<&str>) -> SourceRef {
        let keep = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        self.outlet = keep(outlet);
        self.author = keep(author.map(byline_name));
        self
    }

    /// What a citation shows after the title, compactly: "Reuters, Jane Doe, 2025-04-28"
    /// (each part only when known; a byline that only names the outlet, or says "By ...", is
    /// shown once and without the "By"; a long byline is cut at a word with "…"). `None` when
    /// nothing is known.
    pub fn credit(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        let outlet = self.outlet.as_deref().map(|o| clip(o, MAX_OUTLET_CHARS));
        if let Some(o) = &outlet {
            parts.push(o.clone());
        }
        // A byline that only names the outlet is shown once.
        let author =
            self.author.as_deref().map(byline_name).filter(|a| !a.is_empty() && !self.outlet.as_deref().is_some_and(|o| o.trim().eq_ignore_ascii_case(a)));
        if let Some(a) = author {
            parts.push(clip(a, MAX_AUTHOR_CHARS));
        }
        if let Some(d) = self.date {
            parts.push(d.format("%Y-%m-%d").to_string());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
    /// The same source, citing the text at `start..end` (code points into the body).
    pub fn at(mut self, start: u64, end: u64) -> SourceRef {
        self.span = (start < end).then_some((start, end));
        self
    }
}

/// Outlets and bylines longer than this (in characters) are cut in citations.
const MAX_OUTLET_CHARS: usize = 40;
const MAX_AUTHOR_CHARS: usize = 48;

/// A byline as a name: without a leading "By" and surrounding punctuation.
fn byline_name(byline: &str) -> &str {
    let t = byline.trim().trim_matches(|c: char| c == ',' || c == ';' || c == '|' || c == '-' || c.is_whitespace());
    let rest = ["By ", "by ", "BY "].iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t);
    rest.trim()
}

/// `text` cut at a word boundary to at most `max` characters, "…" marking the cut.
fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut),
        _ => &cut,
    };
    format!("{}…", at_word.trim_end_matches([' ', ',', ';']))
}

/// What role an item plays in its answer; renderers group and label by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A brief bullet: verbatim corpus sentences.
    Bullet,
    /// A direct quote: the speaker's own words, verbatim.
    Direct,
    /// A paraphrase (reported speech), labelled as such.
    Indirect,
    /// A quote mixing reported speech and quoted words.
    Mixed,
    /// `/background`: what or who the topic is.
    About,
    /// `/background`: a dated event on the timeline.
    Event,
    /// `/background`: a related name (text is the name).
    Related,
    /// `/search`: a matching sentence.
    Hit,
    /// `/sources`: one article of the corpus.
    Source,
    /// `/help` and usage answers: a line of help text.
    Help,
    /// `/differ`, `/brief`: the sources differ on a fact; `text` says on what, `claims` holds
    /// each version verbatim with its own sources.
    Disagreement,
    /// `/differ`: a later report that changes an earlier one ("later reports: ..."); `claims`
    /// holds the earlier version, then the later.
    Update,
}

/// One version of a fact in a disagreement: verbatim corpus text and the articles that say it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub text: String,
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerItem {
    /// Verbatim corpus text (or, for `Related`/`Help`, a name or help line).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// For a quote whose speaker was reached through coreference: the words in the text
    /// that point at them ("he", "the minister", "Pezeshkian"), so the step can be checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_via: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ItemKind>,
    /// The date the item is about (timeline events) or of its newest source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// How precise `date` is, as a reader would say it ("1988", "May 2024", "2025-04-28"),
    /// for timeline events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub sources: Vec<SourceRef>,
    /// How many articles carry the item's fact, when more than one (an agreeing group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_count: Option<usize>,
    /// For a disagreement or an update: the versions, each verbatim with its sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<Claim>>,
}

impl AnswerItem {
    pub fn new(text: impl Into<String>, kind: ItemKind) -> Self {
        AnswerItem {
            text: text.into(),
            speaker: None,
            speaker_via: None,
            kind: Some(kind),
            date: None,
            when: None,
            sources: Vec::new(),
            source_count: None,
            claims: None,
        }
    }
}

/// The answer to one command. `notice` carries "nothing in the corpus about X" and similar
/// one-line messages; `items` may then be empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The command name without slash: "brief", "quote", "background", "search", "sources",
    /// "help", or "usage" for malformed input.
    pub command: String,
    /// The user's argument text as understood (trimmed).
    pub query: String,
    pub notice: Option<String>,
    pub items: Vec<AnswerItem>,
    /// The time window (`since:`/`until:`) the answer was limited to, when one was asked
    /// for; every renderer shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<TimeWindow>,
    /// The day the answer was made (from the `now` passed in), for "as of <date>".
    #[serde(skip)]
    pub as_of: Option<NaiveDate>,
}

impl Answer {
    pub fn new(command: &str, query: &str) -> Self {
        Answer { command: command.to_string(), query: query.to_string(), notice: None, items: Vec::new(), window: None, as_of: None }
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Self {
        self.notice = Some(notice.into());
        self
    }
}

/// The days an answer was limited to, both ends included (`since:`/`until:` resolved against
/// the `now` of the answer), and how many articles were left out for having no date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeWindow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Articles of the corpus without a date: outside any window, so left out.
    pub undated: usize,
}

impl TimeWindow {
    /// One line for every renderer: "Only articles dated 2025-04-01 to 2025-04-30; 2
    /// articles without a date left out."
    pub fn describe(&self) -> String {
        let days = match (self.since, self.until) {
            (Some(s), Some(u)) if s == u => format!("dated {s}"),
            (Some(s), Some(u)) => format!("dated {s} to {u}"),
            (Some(s), None) => format!("dated {s} or later"),
            (None, Some(u)) => format!("dated {u} or earlier"),
            (None, None) => "with a date".to_string(),
        };
        let mut line = format!("Only articles {days}");
        match self.undated {
            0 => line.push('.'),
            1 => line.push_str("; 1 article without a date left out."),
            n => line.push_str(&format!("; {n} articles without a date left out.")),
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn credit_is_outlet_byline_and_date_each_when_known() {
        let s = SourceRef::article("a", "T", day("2025-04-28"), None);
        assert_eq!(s.credit().as_deref(), Some("2025-04-28"));
        assert_eq!(s.clone().by(Some("Reuters"), Some("By Jane Doe")).credit().as_deref(), Some("Reuters, Jane Doe, 2025-04-28"));
        assert_eq!(s.clone().by(None, Some("Jane Doe")).credit().as_deref(), Some("Jane Doe, 2025-04-28"));
        // A byline naming only the outlet is shown once; blank values count as unknown.
        assert_eq!(s.clone().by(Some("Reuters"), Some("REUTERS")).credit().as_deref(), Some("Reuters, 2025-04-28"));
        assert_eq!(SourceRef::article("a", "T", None, None).by(Some("  "), Some("")).credit(), None);
        assert_eq!(SourceRef::article("a", "T", None, None).by(Some(" The Daily Echo "), None).credit().as_deref(), Some("The Daily Echo"));
    }

    #[test]
    fn a_long_byline_is_cut_at_a_word() {
        let long = "Jane Doe, John Smith, Amira Haddad, Pierre Dubois and Kenji Watanabe in Geneva";
        let credit = SourceRef::article("a", "T", None, None).by(None, Some(long)).credit().unwrap();
        assert!(credit.ends_with('…') && credit.chars().count() <= MAX_AUTHOR_CHARS, "{credit}");
        assert!(long.starts_with(credit.trim_end_matches('…')), "{credit}");
    }

    #[test]
    fn outlet_and_author_are_in_the_json_only_when_known() {
        let bare = serde_json::to_value(SourceRef::article("a", "T", None, None)).unwrap();
        assert!(bare.get("outlet").is_none() && bare.get("author").is_none(), "{bare}");
        let full = serde_json::to_value(SourceRef::article("a", "T", None, None).by(Some("Reuters"), Some("Jane Doe"))).unwrap();
        assert_eq!(full["outlet"], "Reuters");
        assert_eq!(full["author"], "Jane Doe");
        let by = serde_json::to_value(SourceRef::article("a", "T", None, None).by(None, Some(" By Jane Doe "))).unwrap();
        assert_eq!(by["author"], "Jane Doe");
    }
}
