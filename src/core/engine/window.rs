//! `since:` / `until:`: the window a topic command is limited to. The filter typed in the
//! command is resolved against the `now` of the answer (the core has no clock) into whole
//! days, and applied inside the index queries, as a range on the article date (`day`, a fast
//! field on every record), so an answer in a window is as full as one without. Articles
//! without a date (`day` = -1) are outside every window.

use std::ops::Bound;

use tantivy::query::{ConstScoreQuery, RangeQuery};

use super::*;
use crate::command::TimeFilter;
use crate::core::answer::TimeWindow;

/// The days the index queries of one answer are limited to (day numbers, both ends
/// included); `None` when the command has no time filter.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Scope {
    days: Option<(i64, i64)>,
    window: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
}

impl Scope {
    /// Every article, dated or not.
    pub(super) fn everything() -> Scope {
        Scope::default()
    }

    /// The scope of a command's filter at `now`, or the message saying why it is empty.
    pub(super) fn of(filter: &TimeFilter, now: DateTime<Utc>) -> Result<Scope, String> {
        if filter.is_open() {
            return Ok(Scope::everything());
        }
        let (since, until) = filter.resolve(now)?;
        // Undated articles carry day -1: a window starts at day 0 at the earliest.
        let low = since.map_or(0, |d| day_number(Some(d)).max(0));
        let high = until.map_or(i64::MAX, |d| day_number(Some(d)));
        Ok(Scope { days: Some((low, high)), window: Some((since, until)) })
    }

    /// `query`, keeping only records of articles dated inside the window. The date clause
    /// scores nothing, so rankings inside a window are the rankings without one.
    pub(super) fn restrict(&self, fields: &Fields, query: Box<dyn Query>) -> Box<dyn Query> {
        let Some((low, high)) = self.days else { return query };
        let range = RangeQuery::new(Bound::Included(Term::from_field_i64(fields.day, low)), Bound::Included(Term::from_field_i64(fields.day, high)));
        Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(range), 0.0)) as Box<dyn Query>)]))
    }

    /// Whether an article of day number `day` (-1: no date) is inside the window.
    #[cfg(test)]
    fn holds(&self, day: i64) -> bool {
        self.days.is_none_or(|(low, high)| (low..=high).contains(&day))
    }
}

impl Engine {
    /// The window shown with an answer limited by `scope`: its days and how many articles
    /// were left out for having no date. `None` for an answer without a time filter.
    pub(super) fn window_of(&self, scope: &Scope) -> Option<TimeWindow> {
        let (since, until) = scope.window?;
        let undated = self.store.undated().unwrap_or(0);
        Some(TimeWindow { since, until, undated })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::command::TimeBound;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 10, 9, 30, 0).unwrap()
    }

    #[test]
    fn relative_bounds_resolve_to_days_before_now() {
        let f = TimeFilter { since: Some(TimeBound::DaysAgo(7)), until: Some(TimeBound::DaysAgo(1)) };
        let s = Scope::of(&f, now()).unwrap();
        let may = |d| day_number(NaiveDate::from_ymd_opt(2025, 5, d));
        assert!(s.holds(may(3)) && s.holds(may(9)));
        assert!(!s.holds(may(2)) && !s.holds(may(10)));
        assert!(!s.holds(-1), "an undated article is outside every window");
        // 24 hours before 09:30 on the 10th is the 9th.
        let h = Scope::of(&TimeFilter { since: Some(TimeBound::HoursAgo(24)), until: None }, now()).unwrap();
        assert!(h.holds(may(9)) && !h.holds(may(8)) && h.holds(may(10)));
    }

    #[test]
    fn no_filter_holds_everything_and_a_backwards_one_is_refused() {
        assert!(Scope::of(&TimeFilter::default(), now()).unwrap().holds(-1));
        let f = TimeFilter { since: Some(TimeBound::DaysAgo(2)), until: Some(TimeBound::Date(NaiveDate::from_ymd_opt(2025, 5, 1).unwrap())) };
        let err = Scope::of(&f, now()).unwrap_err();
        assert!(err.contains("before since"), "{err}");
    }
}
