//! Live blogs and the moments a sentence tells.
//!
//! A live blog ("The Latest", a running file of entries) opens each entry with its clock time
//! ("11:20 p.m.", "10:05"): that time stamps the entry, it is not part of what the entry says.
//! Two live blogs of different days (or days not known to be the same) report different
//! moments of a running story: the primaries of one evening against those of another, not two
//! versions of one fact.

/// Sentences of an article that open with a clock time (or are one) for it to be a live blog.
const LIVE_BLOG_ENTRIES: usize = 3;

/// Byte length of a clock time opening `text` ("10:05", "11:20 p.m.", "9:50 am EST",
/// "14:30 local time"), with the space or dash after it; `None` when `text` does not open
/// with one. A time needs a colon, or a dot with "a.m."/"p.m." after it ("9.30 p.m."): "10.50
/// euros" is a number.
pub fn entry_time_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let hours = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&hours) {
        return None;
    }
    let sep = *b.get(hours)?;
    let minutes = b.get(hours + 1..hours + 3)?;
    if !matches!(sep, b':' | b'.') || !minutes.iter().all(u8::is_ascii_digit) || b.get(hours + 3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let h: u32 = text.get(..hours)?.parse().ok()?;
    let m: u32 = text.get(hours + 1..hours + 3)?.parse().ok()?;
    if h > 24 || m > 59 {
        return None;
    }
    let mut end = hours + 3;
    let rest = text.get(end..)?;
    let after_space = rest.trim_start();
    let lower = after_space.to_ascii_lowercase();
    let meridiem = ["a.m.", "p.m.", "a.m", "p.m", "am", "pm"]
        .iter()
        .find(|m| lower.starts_with(*m) && lower.get(m.len()..).is_none_or(|r| r.is_empty() || r.starts_with(|c: char| !c.is_alphanumeric())));
    if sep == b'.' && meridiem.is_none() {
        return None;
    }
    if let Some(m) = meridiem {
        end += rest.len() - after_space.len() + m.len();
        // A time zone: a capitalised abbreviation ("EST", "ET", "GMT"), or "local time".
        let rest = text.get(end..)?;
        let after = rest.trim_start();
        let zone = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if (2..=4).contains(&zone.len()) && zone.chars().all(|c| c.is_ascii_uppercase()) {
            end += rest.len() - after.len() + zone.len();
        }
    }
    let rest = text.get(end..)?;
    if let Some(local) = rest.trim_start().strip_prefix("local time") {
        end = text.len() - local.len();
    }
    let rest = text.get(end..)?;
    // The time alone, or followed by a separator and the entry.
    let tail = rest.trim_start_matches([' ', '\t', ':', '-', '–', '—', ',', ')', '(']);
    if !(tail.is_empty() || tail.len() < rest.len() || rest.trim().is_empty()) {
        return None;
    }
    Some(text.len() - tail.len())
}

/// The sentence without the clock time that opens a live-blog entry.
pub fn without_entry_time(text: &str) -> &str {
    entry_time_len(text).and_then(|n| text.get(n..)).unwrap_or(text)
}

/// An article written as a live blog: several sentences open with a clock time (or are one).
pub fn is_live_blog<S: AsRef<str>>(sentences: &[S]) -> bool {
    sentences.iter().filter(|s| entry_time_len(s.as_ref().trim_start()).is_some()).take(LIVE_BLOG_ENTRIES).count() >= LIVE_BLOG_ENTRIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_open_entries() {
        assert_eq!(without_entry_time("10:05 Voting has opened."), "Voting has opened.");
        assert_eq!(without_entry_time("11:20 p.m."), "");
        assert_eq!(without_entry_time("9:50 am EST - Polls close."), "Polls close.");
        assert_eq!(without_entry_time("9.30 p.m.: Results."), "Results.");
        assert_eq!(without_entry_time("14:30 local time: the river rose."), "the river rose.");
        assert_eq!(without_entry_time("11:20 p.m. ET"), "");
    }

    #[test]
    fn numbers_and_scores_are_not_times() {
        for t in [
            "10.50 euros were paid.",
            "2,300 people fled.",
            "3:2 was the score",
            "123:45 is no time",
            "25:10 is no time",
            "10:05am? fine",
            "7:45pmX",
            "1999 was a year.",
        ] {
            let stripped = without_entry_time(t);
            assert!(stripped == t || t.starts_with("10:05am"), "{t} -> {stripped}");
        }
        // Slicing never panics on any prefix of a multi-byte text.
        let s = "9:5é 10:0€ 11:20 p.m. — né";
        for i in 0..=s.len() {
            if let Some(p) = s.get(i..) {
                let _ = without_entry_time(p);
            }
        }
    }

    #[test]
    fn a_live_blog_has_several_timed_entries() {
        assert!(is_live_blog(&["The Latest on the vote.", "11:20 p.m.", "Sanders wins.", "11:15 p.m.", "Rubio wins.", "10:40 p.m.", "Polls close."]));
        assert!(!is_live_blog(&["At 10:05 the polls opened.", "11:20 p.m.", "Results came late."]));
    }
}
