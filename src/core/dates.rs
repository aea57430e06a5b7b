//! Dates in news text, resolved against the article's date for timelines: "in 1988",
//! "May 2024", "Apr. 28, 2025", "last May", "on Monday", "last year".

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::lang::lexicon;
use super::text::{Word, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date found in text. `date` is the first day of the period it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    pub precision: Precision,
}

/// How a resolved date reads: "1988", "May 2024", "2025-04-28".
pub fn label(date: NaiveDate, precision: Precision) -> String {
    match precision {
        Precision::Year => date.format("%Y").to_string(),
        Precision::Month => date.format("%B %Y").to_string(),
        Precision::Day => date.format("%Y-%m-%d").to_string(),
    }
}

pub use super::lang::lexicon::month_number;

fn weekday(word: &str) -> Option<Weekday> {
    let i = lexicon::WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(word))?;
    Weekday::try_from(u8::try_from(i).ok()?).ok()
}

fn year_of(word: &str) -> Option<i32> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = word.parse().ok()?;
        (1800..=2100).contains(&y).then_some(y)
    } else {
        None
    }
}

fn day_of(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// A date value from front matter or metadata: ISO (with or without time) or written out.
pub fn parse_date_value(value: &str) -> Option<NaiveDate> {
    let v = value.trim().trim_matches('"');
    // The first ten bytes, when they end on a character boundary ("2025-04-28T09:00").
    if let Some(head) = v.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return Some(d);
    }
    find(v, None).into_iter().find(|m| m.precision == Precision::Day).map(|m| m.date)
}

/// "date 2025-04-28 Title": some exports put the date before the title on the first line.
pub fn leading_date_marker(first_line: &str) -> (Option<NaiveDate>, &str) {
    let t = first_line.trim_start();
    if let Some(rest) = t.strip_prefix("date ") {
        let rest = rest.trim_start();
        if let Some(head) = rest.get(..10)
            && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
        {
            return (Some(d), rest[10..].trim());
        }
    }
    (None, first_line.trim())
}

/// A dateline near the top of an article: a short line that is mostly a full date
/// ("Apr. 28, 2025 • 2 min read").
pub fn dateline(body: &str) -> Option<NaiveDate> {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .filter(|l| l.chars().count() <= 60)
        .find_map(|l| find(l, None).into_iter().find(|m| m.precision == Precision::Day && m.start < 4).map(|m| m.date))
}

/// Every date in `text`, resolved against `anchor` (the article's date) where the text is
/// relative ("last May", "on Monday"). Relative dates without an anchor are left out.
pub fn find(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    let ws = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if let Some((m, used)) = match_at(text, &ws, i, anchor) {
            out.push(m);
            i += used.max(1);
        } else {
            i += 1;
        }
    }
    out
}

fn mention(ws: &[Word], from: usize, to: usize, date: NaiveDate, precision: Precision) -> (DateMention, usize) {
    (DateMention { start: ws[from].start, end: ws[to].end, date, precision }, to - from + 1)
}

fn match_at(text: &str, ws: &[Word], i: usize, anchor: Option<NaiveDate>) -> Option<(DateMention, usize)> {
    let w = ws[i].text;
    let next = |k: usize| ws.get(i + k).map(|x| x.text);
    // ISO 2025-04-28 (the word splitter keeps hyphenated digits together).
    if w.len() == 10
        && w.as_bytes()[4] == b'-'
        && let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d")
    {
        return Some(mention(ws, i, i, d, Precision::Day));
    }
    // Month D, YYYY | Month D | Month YYYY
    if let Some(m) = month_number(w).filter(|_| w != "may" && (w.len() > 3 || text[ws[i].end..].starts_with('.') || ws[i].is_capitalised())) {
        if w == "May" || w == "March" {
            // "May" and "March" are also common words; require a number next or a cue before.
            let cue = i > 0
                && matches!(
                    ws[i - 1].text.to_ascii_lowercase().as_str(),
                    "in" | "last" | "since" | "until" | "early" | "late" | "mid" | "of" | "next" | "this" | "by" | "from" | "during"
                );
            if !cue && !next(1).is_some_and(|n| day_of(n).is_some() || year_of(n).is_some()) {
                return None;
            }
        }
        if let Some(d) = next(1).and_then(day_of) {
            if let Some(y) = next(2).and_then(year_of) {
                return NaiveDate::from_ymd_opt(y, m, d).map(|date| mention(ws, i, i + 2, date, Precision::Day));
            }
            let a = anchor?;
            return NaiveDate::from_ymd_opt(a.year(), m, d).map(|date| mention(ws, i, i + 1, date, Precision::Day));
        }
        if let Some(y) = next(1).and_then(year_of) {
            return NaiveDate::from_ymd_opt(y, m, 1).map(|date| mention(ws, i, i + 1, date, Precision::Month));
        }
        // "last May", "this March", "next June": relative to the article's date.
        if i > 0 {
            let a = anchor?;
            let prev = ws[i - 1].text.to_ascii_lowercase();
            let year = match prev.as_str() {
                "last" => {
                    if m < a.month() {
                        a.year()
                    } else {
                        a.year() - 1
                    }
                }
                "this" => a.year(),
                "next" => {
                    if m > a.month() {
                        a.year()
                    } else {
                        a.year() + 1
                    }
                }
                _ => return None,
            };
            return NaiveDate::from_ymd_opt(year, m, 1).map(|date| mention(ws, i - 1, i, date, Precision::Month));
        }
        return None;
    }
    // D Month YYYY | D Month
    if let Some(d) = day_of(w)
        && let Some(m) = next(1).and_then(month_number).filter(|_| ws.get(i + 1).is_some_and(|x| x.is_capitalised()))
    {
        if let Some(y) = next(2).and_then(year_of) {
            return NaiveDate::from_ymd_opt(y, m, d).map(|date| mention(ws, i, i + 2, date, Precision::Day));
        }
        let a = anchor?;
        return NaiveDate::from_ymd_opt(a.year(), m, d).map(|date| mention(ws, i, i + 1, date, Precision::Day));
    }

    // A bare year: not inside a larger number ("2,025") or an amount ("$2024").
    if let Some(y) = year_of(w) {
        let before = text[..ws[i].start].chars().next_back();
        let after = text[ws[i].end..].chars().next();
        let amount = matches!(before, Some('$' | '€' | '£' | ',' | '.'))
            || matches!(after, Some(',' | '%')) && text[ws[i].end + 1..].starts_with(|c: char| c.is_ascii_digit());
        if !amount && after != Some('%') {
            return NaiveDate::from_ymd_opt(y, 1, 1).map(|date| mention(ws, i, i, date, Precision::Year));
        }
        return None;
    }
    let a = anchor?;
    let lower = w.to_ascii_lowercase();
    match lower.as_str() {
        "today" => Some(mention(ws, i, i, a, Precision::Day)),
        "yesterday" => Some(mention(ws, i, i, a - Duration::days(1), Precision::Day)),
        "last" | "next" | "this" => {
            let unit = next(1)?.to_ascii_lowercase();
            let sign = match lower.as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            match unit.as_str() {
                "year" => NaiveDate::from_ymd_opt(a.year() + sign, 1, 1).map(|d| mention(ws, i, i + 1, d, Precision::Year)),
                "month" => {
                    let months = a.year() * 12 + a.month0() as i32 + sign;
                    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1).map(|d| mention(ws, i, i + 1, d, Precision::Month))
                }
                _ => None,
            }
        }
        _ => {
            // "on Monday": the most recent such day on or before the article's date.
            let wd = weekday(w)?;
            if i == 0 || !ws[i - 1].text.eq_ignore_ascii_case("on") {
                return None;
            }
            // Future tense ("would meet again on Tuesday") looks forward from the article's date.
            let future = ws[..i].iter().any(|w| {
                matches!(w.text.to_ascii_lowercase().as_str(), "will" | "would" | "shall" | "expected" | "scheduled" | "due" | "plans" | "planned" | "next")
            });
            if future {
                let ahead = (7 + wd.num_days_from_monday() as i64 - a.weekday().num_days_from_monday() as i64) % 7;
                return Some(mention(ws, i - 1, i, a + Duration::days(if ahead == 0 { 7 } else { ahead }), Precision::Day));
            }
            let back = (7 + a.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
            Some(mention(ws, i - 1, i, a - Duration::days(back), Precision::Day))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_values_whose_tenth_byte_is_inside_a_letter() {
        // Found by the fuzzer: the first ten bytes were sliced without checking the boundary.
        assert_eq!(parse_date_value("2025-04-2Ж and more"), None);
        assert_eq!(parse_date_value("20Ок 2025-04-28"), Some(ymd(2025, 4, 28)), "found further on");
        assert_eq!(parse_date_value("2025-04-28T09:00:00Z"), Some(ymd(2025, 4, 28)));
        assert_eq!(leading_date_marker("date 2025-04-2Ж Title"), (None, "date 2025-04-2Ж Title"));
        assert_eq!(leading_date_marker("date 2025-04-28 Ферма"), (Some(ymd(2025, 4, 28)), "Ферма"));
    }

    fn found(text: &str, anchor: Option<NaiveDate>) -> Vec<(String, &str)> {
        find(text, anchor).into_iter().map(|m| (label(m.date, m.precision), &text[m.start..m.end])).collect()
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(found("severed during the conflict in 1988.", None), vec![("1988".into(), "1988")]);
        assert_eq!(found("a helicopter crash in May 2024 after", None), vec![("May 2024".into(), "May 2024")]);
        assert_eq!(found("talks in Baku on April 28, 2025.", None), vec![("2025-04-28".into(), "April 28, 2025")]);
        assert_eq!(found("Apr. 28, 2025 • 2 min read", None), vec![("2025-04-28".into(), "Apr. 28, 2025")]);
        assert_eq!(found("on 28 April 2025 and November 2024", None), vec![("2025-04-28".into(), "28 April 2025"), ("November 2024".into(), "November 2024")]);
    }

    #[test]
    fn relative_dates_need_the_article_date() {
        let a = Some(ymd(2025, 4, 28));
        assert_eq!(found("met the president last May.", a), vec![("May 2024".into(), "last May")]);
        assert!(found("met the president last May.", None).is_empty());
        assert_eq!(found("arrived in Baku on Monday for", a), vec![("2025-04-28".into(), "on Monday")]);
        assert_eq!(found("arrived on Saturday", a), vec![("2025-04-26".into(), "on Saturday")]);
        assert_eq!(found("the sides would meet again on Tuesday", a), vec![("2025-04-29".into(), "on Tuesday")]);
        assert_eq!(found("Today, on 28 April, the visit", a), vec![("2025-04-28".into(), "Today"), ("2025-04-28".into(), "28 April")]);
        assert_eq!(found("prices rose last year", a), vec![("2024".into(), "last year")]);
    }

    #[test]
    fn common_words_and_amounts_are_not_dates() {
        assert!(found("They may march on.", None).is_empty());
        assert!(found("It cost $2024 and 55 billion.", None).is_empty());
    }

    #[test]
    fn datelines() {
        assert_eq!(dateline("The New Region\n\nApr. 28, 2025 • 2 min read\n\nText"), Some(ymd(2025, 4, 28)));
        assert_eq!(dateline("A long first line that mentions 2025 but is no dateline at all, really."), None);
    }
}
