//! When digests fire: a local time of day in an IANA zone, once per local date.
//!
//! - A local time that exists once is that instant.
//! - A local time skipped by a spring-forward change (01:30 in London on the last Sunday
//!   of March) fires at the first instant after the gap (02:00 BST, i.e. 01:00 UTC).
//! - A local time that occurs twice in an autumn change fires at the earlier instant, once:
//!   the delivery log is keyed by local date, so the second occurrence finds the day done.
//!
//! The [`Clock`] is the only way the digest layer learns the time: [`SystemClock`] in
//! production, [`TestClock`] in tests (virtual time, no real sleeping).

use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};

/// The instant a digest for local date `date` fires.
pub fn fire_instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => {
            if let Some(end) = GapInfo::new(&local, &zone).and_then(|g| g.end) {
                return end.with_timezone(&Utc);
            }
            // Fallback: walk forward minute by minute to the first valid local time.
            let mut probe = local;
            for _ in 0..(48 * 60) {
                probe += Duration::minutes(1);
                match zone.from_local_datetime(&probe) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
                    LocalResult::None => {}
                }
            }
            // No zone has a gap of two days; read the time as UTC rather than fail.
            local.and_utc()
        }
    }
}

/// The local date of `t` in `zone`.
pub fn local_date(t: DateTime<Utc>, zone: Tz) -> NaiveDate {
    t.with_timezone(&zone).date_naive()
}

/// The most recent slot at or before `now`: its local date and instant.
pub fn latest_slot(now: DateTime<Utc>, time: NaiveTime, zone: Tz) -> (NaiveDate, DateTime<Utc>) {
    let today = local_date(now, zone);
    for back in 0..4 {
        let d = today - Duration::days(back);
        let t = fire_instant(d, time, zone);
        if t <= now {
            return (d, t);
        }
    }
    let d = today - Duration::days(4);
    (d, fire_instant(d, time, zone))
}

/// The first slot strictly after `now`: its local date and instant.
pub fn next_slot(now: DateTime<Utc>, time: NaiveTime, zone: Tz) -> (NaiveDate, DateTime<Utc>) {
    let today = local_date(now, zone);
    for ahead in -1..4 {
        let d = today + Duration::days(ahead);
        let t = fire_instant(d, time, zone);
        if t > now {
            return (d, t);
        }
    }
    let d = today + Duration::days(4);
    (d, fire_instant(d, time, zone))
}

/// The time source of the digest layer.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
    /// Return at `t` (at once when `t` has passed).
    fn sleep_until(&self, t: DateTime<Utc>) -> impl Future<Output = ()> + Send;
}

/// The system clock. Sleeps in steps of at most a minute and re-reads the wall clock, so
/// that a suspended machine or a clock step does not delay a digest by the length of the jump.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, t: DateTime<Utc>) {
        loop {
            let left = t - Utc::now();
            if left <= Duration::zero() {
                return;
            }
            let step = left.min(Duration::seconds(60)).to_std().unwrap_or_default();
            tokio::time::sleep(step).await;
        }
    }
}

/// A clock for tests: time moves only when told to, or when someone sleeps (the sleeper's
/// wake-up time becomes now, at once). Clones share the same time.
#[derive(Debug, Clone)]
pub struct TestClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl TestClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        TestClock { now: Arc::new(Mutex::new(now)) }
    }

    /// Set the time (it may go backwards: tests decide).
    pub fn set(&self, t: DateTime<Utc>) {
        *self.now.lock().expect("clock lock") = t;
    }

    pub fn advance(&self, d: Duration) {
        *self.now.lock().expect("clock lock") += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().expect("clock lock")
    }

    async fn sleep_until(&self, t: DateTime<Utc>) {
        {
            let mut now = self.now.lock().expect("clock lock");
            if t > *now {
                *now = t;
            }
        }
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Europe::London};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn gaps_and_folds() {
        assert_eq!(fire_instant(d("2025-03-30"), hm(1, 30), London), utc("2025-03-30T01:00:00Z"));
        assert_eq!(fire_instant(d("2025-10-26"), hm(1, 30), London), utc("2025-10-26T00:30:00Z"));
        assert_eq!(fire_instant(d("2025-03-09"), hm(2, 30), New_York), utc("2025-03-09T07:00:00Z"));
        assert_eq!(fire_instant(d("2025-11-02"), hm(1, 30), New_York), utc("2025-11-02T05:30:00Z"));
        assert_eq!(fire_instant(d("2025-03-30"), hm(8, 0), London), utc("2025-03-30T07:00:00Z"));
    }

    #[test]
    fn latest_and_next() {
        let now = utc("2025-03-30T06:59:00Z");
        assert_eq!(latest_slot(now, hm(8, 0), London), (d("2025-03-29"), utc("2025-03-29T08:00:00Z")));
        assert_eq!(next_slot(now, hm(8, 0), London), (d("2025-03-30"), utc("2025-03-30T07:00:00Z")));
        let at = utc("2025-03-30T07:00:00Z");
        assert_eq!(latest_slot(at, hm(8, 0), London), (d("2025-03-30"), at));
        assert_eq!(next_slot(at, hm(8, 0), London), (d("2025-03-31"), utc("2025-03-31T07:00:00Z")));
    }
}
