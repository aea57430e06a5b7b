//! Platform outages: when a chat platform fails for everybody (5xx, timeouts, refused
//! connections: [`super::SendError::Unavailable`]), digests are not retried chat by chat.
//!
//! Each platform has a streak of consecutive `Unavailable` answers. The first
//! [`OUTAGE_AFTER`] of them are blips: the platform's pacer pauses for the backoff and the
//! same chat is tried again. From then on the platform is *down*: the fan-out stops taking
//! chats (those not tried stay due, unclaimed), and the next attempt waits for the backoff;
//! it is a probe, one chat alone, and the rest follow only when it goes through. The backoff
//! doubles from one second up to the configured ceiling (`limits.backoff_ceiling_seconds`),
//! never beyond. Any accepted message ends the streak.
//!
//! An outage costs one request per backoff interval, not one per chat, and after the
//! platform recovers every due chat gets its digest within one ceiling, once: the claims in
//! the delivery log make a second post for a day impossible, whatever was retried.
//! `Unavailable` answers during an outage are not counted against a chat's failures for the
//! day (see [`super::fanout::MAX_FAILURES`]): an outage of any length within the day never
//! makes a chat miss its digest.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::Platform;

/// Consecutive `Unavailable` answers after which a platform counts as down.
pub const OUTAGE_AFTER: u32 = 3;
/// The first backoff; it doubles with every further failure, up to the ceiling.
pub const BACKOFF_START: Duration = Duration::seconds(1);
/// The ceiling when none is configured (`limits.backoff_ceiling_seconds` in
/// `config/default.toml`).
pub const DEFAULT_CEILING: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Copy, Default)]
struct State {
    streak: u32,
    retry_at: Option<DateTime<Utc>>,
}

/// The health of each platform, shared by the scheduler's fan-outs.
#[derive(Debug)]
pub struct Health {
    ceiling: Duration,
    platforms: Mutex<HashMap<Platform, State>>,
}

impl Default for Health {
    fn default() -> Self {
        Health::new(DEFAULT_CEILING)
    }
}

impl Health {
    /// `ceiling` is the longest backoff (at least one second).
    pub fn new(ceiling: Duration) -> Health {
        Health { ceiling: ceiling.max(BACKOFF_START), platforms: Mutex::new(HashMap::new()) }
    }

    pub fn ceiling(&self) -> Duration {
        self.ceiling
    }

    /// The wait after the `streak`-th consecutive failure: 1 s, 2 s, 4 s, ... at most the ceiling.
    pub fn backoff(&self, streak: u32) -> Duration {
        let doubled = BACKOFF_START.num_milliseconds().saturating_mul(1_i64 << streak.saturating_sub(1).min(30));
        Duration::milliseconds(doubled).min(self.ceiling)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Platform, State>> {
        self.platforms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The platform answered `Unavailable` at `now`: the new streak and when to try again.
    pub fn failed(&self, platform: Platform, now: DateTime<Utc>) -> (u32, DateTime<Utc>) {
        let mut map = self.lock();
        let state = map.entry(platform).or_default();
        state.streak = state.streak.saturating_add(1);
        let at = now + self.backoff(state.streak);
        state.retry_at = Some(state.retry_at.map_or(at, |t| t.max(at)).min(now + self.ceiling));
        (state.streak, at)
    }

    /// The platform accepted a message: the streak is over.
    pub fn succeeded(&self, platform: Platform) {
        self.lock().remove(&platform);
    }

    /// Down: [`OUTAGE_AFTER`] failures in a row and no success since.
    pub fn is_down(&self, platform: Platform) -> bool {
        self.lock().get(&platform).is_some_and(|s| s.streak >= OUTAGE_AFTER)
    }

    /// When a down platform may be tried again (`None` when it is not down).
    pub fn retry_at(&self, platform: Platform) -> Option<DateTime<Utc>> {
        self.lock().get(&platform).filter(|s| s.streak >= OUTAGE_AFTER).and_then(|s| s.retry_at)
    }

    /// A down platform whose backoff has not passed at `now`: nothing is sent to it.
    pub fn waiting(&self, platform: Platform, now: DateTime<Utc>) -> bool {
        self.retry_at(platform).is_some_and(|t| t > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_ceiling_and_a_success_ends_the_streak() {
        let health = Health::new(Duration::seconds(60));
        let t0 = DateTime::parse_from_rfc3339("2025-06-01T08:00:00Z").unwrap().with_timezone(&Utc);
        let waits: Vec<i64> = (1..=10).map(|n| health.backoff(n).num_seconds()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(health.backoff(u32::MAX), Duration::seconds(60));
        assert!(!health.is_down(Platform::Telegram));
        health.failed(Platform::Telegram, t0);
        health.failed(Platform::Telegram, t0);
        assert!(!health.is_down(Platform::Telegram), "two failures are a blip");
        let (streak, at) = health.failed(Platform::Telegram, t0);
        assert_eq!((streak, at), (3, t0 + Duration::seconds(4)));
        assert!(health.is_down(Platform::Telegram) && !health.is_down(Platform::Discord));
        assert!(health.waiting(Platform::Telegram, t0 + Duration::seconds(3)));
        assert!(!health.waiting(Platform::Telegram, t0 + Duration::seconds(4)));
        for _ in 0..20 {
            let now = t0 + Duration::minutes(5);
            let (_, at) = health.failed(Platform::Telegram, now);
            assert!(at - now <= Duration::seconds(60));
        }
        health.succeeded(Platform::Telegram);
        assert!(!health.is_down(Platform::Telegram) && health.retry_at(Platform::Telegram).is_none());
    }
}
