//! Sliding-window rate limits for the gate: per user, and per chat following what the chat
//! platform delivers to one chat (Telegram: 20 messages a minute in a group; Discord: 5
//! every 5 seconds in a channel).
//!
//! A chat's budget counts messages the chat will receive, not only commands: a refusal
//! notice is a message too, so it takes a slot, and the last slot of every window is kept
//! for the one "too many requests" notice a full chat gets. The bot then never queues more
//! messages for a chat than the platform delivers in that window, and no answer waits a
//! minute behind others for Telegram's group limit to slide.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `count` messages per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl Rate {
    pub const fn per_minute(count: u32) -> Rate {
        Rate { count, per: Duration::from_secs(60) }
    }

    pub const fn new(count: u32, per: Duration) -> Rate {
        Rate { count, per }
    }
}

/// One key to check: a user (`shared: false`) or a chat (`shared: true`: its budget counts
/// the refusal notices sent there and keeps its last slot for the chat's own notice).
#[derive(Debug, Clone, Copy)]
pub struct Budget<'a> {
    pub key: &'a str,
    pub rates: &'a [Rate],
    pub shared: bool,
}

impl<'a> Budget<'a> {
    pub fn user(key: &'a str, rates: &'a [Rate]) -> Budget<'a> {
        Budget { key, rates, shared: false }
    }

    pub fn chat(key: &'a str, rates: &'a [Rate]) -> Budget<'a> {
        Budget { key, rates, shared: true }
    }

    /// Commands admitted per window of `rate`: a chat keeps one slot for its refusal notice.
    fn command_cap(&self, rate: &Rate) -> u32 {
        if self.shared && rate.count >= 2 { rate.count - 1 } else { rate.count }
    }
}

/// Hits of one key over its longest window; the first refusal in a window is reported,
/// later ones are silent so that a flood never becomes a reply flood.
#[derive(Default)]
struct Window {
    hits: VecDeque<Instant>,
    /// The longest period of the key's rates: hits older than this are forgotten.
    keep: Duration,
    refused_notice_sent: bool,
}

impl Window {
    fn prune(&mut self, now: Instant) {
        while self.hits.front().is_some_and(|t| now.duration_since(*t) >= self.keep) {
            self.hits.pop_front();
        }
    }

    /// Hits within `per` of `now`, and the oldest of them.
    fn within(&self, per: Duration, now: Instant) -> (u32, Option<Instant>) {
        let mut n = 0;
        let mut oldest = None;
        for t in self.hits.iter().rev() {
            if now.duration_since(*t) >= per {
                break;
            }
            n += 1;
            oldest = Some(*t);
        }
        (n, oldest)
    }

    fn has_room(&self, rates: &[Rate], now: Instant) -> bool {
        rates.iter().all(|r| self.within(r.per, now).0 < r.count)
    }
}

/// Keys beyond this are evicted (those idle past their window first): memory stays flat
/// under floods from many identities.
const MAX_TRACKED_KEYS: usize = 50_000;

pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    Allow,
    Refuse { retry_after: Duration, notify: bool },
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter { windows: Mutex::new(HashMap::new()) }
    }
}

fn longest(rates: &[Rate]) -> Duration {
    rates.iter().map(|r| r.per).max().unwrap_or_default()
}

impl RateLimiter {
    /// Count a hit against every budget; refuse if any is over (nothing is counted then, so
    /// a refused flood does not extend its own ban). A refusal that is reported
    /// (`notify`) takes a slot in every chat budget, and is silent instead when a chat has
    /// no slot left for it.
    pub fn check(&self, budgets: &[Budget<'_>], now: Instant) -> RateDecision {
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > MAX_TRACKED_KEYS {
            map.retain(|_, w| w.hits.back().is_some_and(|t| now.duration_since(*t) < w.keep));
        }
        let mut worst: Option<(Duration, bool)> = None;
        for b in budgets {
            if b.rates.is_empty() {
                continue;
            }
            // A key seen for the first time is under any limit but 0: it gets an entry only
            // when a hit is counted, so a refused flood from new identities leaves nothing.
            let w = match map.get_mut(b.key) {
                Some(w) => w,
                None if b.rates.iter().any(|r| b.command_cap(r) == 0) => map.entry(b.key.to_string()).or_default(),
                None => continue,
            };
            w.keep = longest(b.rates);
            w.prune(now);
            if w.hits.is_empty() {
                w.refused_notice_sent = false;
            }
            let mut retry: Option<Duration> = None;
            for rate in b.rates {
                let (n, oldest) = w.within(rate.per, now);
                if n >= b.command_cap(rate) {
                    let wait = oldest.map_or(rate.per, |first| rate.per.saturating_sub(now.duration_since(first)));
                    retry = Some(retry.map_or(wait, |r| r.max(wait)));
                }
            }
            if let Some(retry) = retry {
                let notify = !w.refused_notice_sent;
                w.refused_notice_sent = true;
                worst = Some(match worst {
                    Some((r, n)) => (r.max(retry), n && notify),
                    None => (retry, notify),
                });
            }
        }
        if let Some((retry_after, mut notify)) = worst {
            if notify {
                let shared: Vec<&Budget<'_>> = budgets.iter().filter(|b| b.shared && !b.rates.is_empty()).collect();
                notify = shared.iter().all(|b| map.get(b.key).is_none_or(|w| w.has_room(b.rates, now)));
                if notify {
                    for b in shared {
                        let w = map.entry(b.key.to_string()).or_default();
                        w.keep = longest(b.rates);
                        w.hits.push_back(now);
                    }
                }
            }
            return RateDecision::Refuse { retry_after, notify };
        }
        for b in budgets.iter().filter(|b| !b.rates.is_empty()) {
            let w = map.entry(b.key.to_string()).or_default();
            w.keep = longest(b.rates);
            w.hits.push_back(now);
        }
        RateDecision::Allow
    }

    /// How many keys (users and chats) are tracked now.
    pub fn tracked_keys(&self) -> usize {
        self.windows.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: [Rate; 1] = [Rate::per_minute(3)];

    #[test]
    fn first_refusal_speaks_then_silence() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(rl.check(&[Budget::user("u", &MINUTE)], t0), RateDecision::Allow);
        }
        assert!(matches!(rl.check(&[Budget::user("u", &MINUTE)], t0), RateDecision::Refuse { notify: true, .. }));
        assert!(matches!(rl.check(&[Budget::user("u", &MINUTE)], t0), RateDecision::Refuse { notify: false, .. }));
        assert_eq!(rl.check(&[Budget::user("u", &MINUTE)], t0 + Duration::from_secs(61)), RateDecision::Allow, "the window slides");
    }

    #[test]
    fn refused_newcomers_leave_no_state() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        let user = [Rate::per_minute(10)];
        // Three messages a minute reach the room: two answers and the room's one refusal.
        let room = [Rate::per_minute(3)];
        for _ in 0..2 {
            assert_eq!(rl.check(&[Budget::user("u:a", &user), Budget::chat("c:room", &room)], t0), RateDecision::Allow);
        }
        assert_eq!(rl.tracked_keys(), 2);
        // The room is full: a thousand new users are refused (one notice, then silence)
        // and none of them is remembered.
        let mut notices = 0;
        for i in 0..1000 {
            match rl.check(&[Budget::user(&format!("u:{i}"), &user), Budget::chat("c:room", &room)], t0) {
                RateDecision::Allow => panic!("the room is full"),
                RateDecision::Refuse { notify, .. } => notices += usize::from(notify),
            }
        }
        assert_eq!((notices, rl.tracked_keys()), (1, 2));
    }

    #[test]
    fn a_chat_never_gets_more_messages_than_its_budget_refusals_included() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        let user = [Rate::per_minute(10)];
        let group = [Rate::per_minute(20)];
        let mut messages = 0;
        // One user floods, then nineteen others ask once each, within the same minute.
        for i in 0..30 {
            let at = t0 + Duration::from_millis(i * 10);
            match rl.check(&[Budget::user("u:flooder", &user), Budget::chat("c:g", &group)], at) {
                RateDecision::Allow | RateDecision::Refuse { notify: true, .. } => messages += 1,
                RateDecision::Refuse { notify: false, .. } => {}
            }
        }
        assert_eq!(messages, 11, "ten answers and one refusal for the flooder");
        let mut answered = 0;
        for i in 0..19 {
            let at = t0 + Duration::from_secs(1 + i);
            match rl.check(&[Budget::user(&format!("u:{i}"), &user), Budget::chat("c:g", &group)], at) {
                RateDecision::Allow => {
                    answered += 1;
                    messages += 1;
                }
                RateDecision::Refuse { notify: true, retry_after } => {
                    messages += 1;
                    assert!(retry_after <= Duration::from_secs(60));
                }
                RateDecision::Refuse { notify: false, .. } => {}
            }
        }
        assert_eq!(answered, 8, "the group's budget less the flooder's share and the last slot");
        assert_eq!(messages, 20, "Telegram's twenty messages a minute in a group, notices included");
        // A minute after the flood the group is open again.
        assert_eq!(rl.check(&[Budget::user("u:late", &user), Budget::chat("c:g", &group)], t0 + Duration::from_secs(61)), RateDecision::Allow);
    }

    #[test]
    fn short_windows_as_on_discord() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        let user = [Rate::per_minute(10)];
        let channel = [Rate::new(5, Duration::from_secs(5))];
        let keys = |u: &'static str| [Budget::user(u, &user), Budget::chat("c:ch", &channel)];
        for u in ["a", "b", "c", "d"] {
            assert_eq!(rl.check(&keys(u), t0), RateDecision::Allow);
        }
        let RateDecision::Refuse { retry_after, notify: true } = rl.check(&keys("e"), t0) else { panic!("the fifth slot is the notice's") };
        assert_eq!(retry_after, Duration::from_secs(5));
        assert_eq!(rl.check(&keys("f"), t0), RateDecision::Refuse { retry_after, notify: false });
        assert_eq!(rl.check(&keys("f"), t0 + Duration::from_secs(5)), RateDecision::Allow, "five seconds later the channel is open again");
    }
}
