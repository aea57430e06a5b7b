//! Outgoing message throttling within Telegram's limits, the equivalent of teloxide's
//! `Throttle` adaptor with `Limits::default()`: about one message per second per chat, 20 per
//! minute per group, 30 per second overall, and a pause for everybody after a 429.
//!
//! We throttle our own `sendMessage` calls (see `send.rs` for why they do not go through
//! teloxide), so the limiter is ours too. Slots are taken in sliding windows.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub per_chat_per_sec: usize,
    /// Applies to groups, supergroups and channels (negative chat ids).
    pub per_group_per_min: usize,
    pub overall_per_sec: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { per_chat_per_sec: 1, per_group_per_min: 20, overall_per_sec: 30 }
    }
}

#[derive(Debug, Default)]
struct State {
    overall: VecDeque<Instant>,
    chats: HashMap<i64, VecDeque<Instant>>,
    frozen_until: Option<Instant>,
}

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    limits: Limits,
    state: Mutex<State>,
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Limiter { limits, state: Mutex::new(State::default()) }
    }

    /// Wait until a message may be sent to `chat`, and take the slot.
    pub(crate) async fn acquire(&self, chat: i64) {
        loop {
            let wait_until = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                state.prune(now);
                match state.next_slot(chat, now, &self.limits) {
                    None => {
                        state.overall.push_back(now);
                        state.chats.entry(chat).or_default().push_back(now);
                        return;
                    }
                    Some(t) => t,
                }
            };
            tokio::time::sleep_until(wait_until).await;
        }
    }

    /// Telegram said 429: nobody sends until `after` has passed.
    pub(crate) fn freeze(&self, after: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let until = Instant::now() + after;
        state.frozen_until = Some(state.frozen_until.map_or(until, |f| f.max(until)));
    }
}

impl State {
    fn prune(&mut self, now: Instant) {
        while self.overall.front().is_some_and(|t| now.duration_since(*t) >= SECOND) {
            self.overall.pop_front();
        }
        self.chats.retain(|_, q| {
            while q.front().is_some_and(|t| now.duration_since(*t) >= MINUTE) {
                q.pop_front();
            }
            !q.is_empty()
        });
        if self.frozen_until.is_some_and(|f| f <= now) {
            self.frozen_until = None;
        }
    }

    /// `None` when a message may go now, else the earliest instant worth trying again.
    fn next_slot(&self, chat: i64, now: Instant, limits: &Limits) -> Option<Instant> {
        let mut t = now;
        if let Some(f) = self.frozen_until {
            t = t.max(f);
        }
        let nth_last = |q: &VecDeque<Instant>, n: usize| if n > 0 && q.len() >= n { Some(q[q.len() - n]) } else { None };
        if let Some(x) = nth_last(&self.overall, limits.overall_per_sec) {
            t = t.max(x + SECOND);
        }
        if let Some(q) = self.chats.get(&chat) {
            if let Some(x) = nth_last(q, limits.per_chat_per_sec) {
                t = t.max(x + SECOND);
            }
            if chat < 0
                && let Some(x) = nth_last(q, limits.per_group_per_min)
            {
                t = t.max(x + MINUTE);
            }
        }
        (t > now).then_some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(state: &mut State, chat: i64, now: Instant, limits: &Limits) -> Option<Instant> {
        state.prune(now);
        let slot = state.next_slot(chat, now, limits);
        if slot.is_none() {
            state.overall.push_back(now);
            state.chats.entry(chat).or_default().push_back(now);
        }
        slot
    }

    #[test]
    fn one_message_per_second_per_chat_others_unaffected() {
        let limits = Limits::default();
        let mut state = State::default();
        let t0 = Instant::now();
        assert_eq!(take(&mut state, 1, t0, &limits), None);
        assert_eq!(take(&mut state, 2, t0, &limits), None);
        assert_eq!(take(&mut state, 1, t0, &limits), Some(t0 + SECOND));
        assert_eq!(take(&mut state, 1, t0 + SECOND, &limits), None);
    }

    #[test]
    fn groups_get_twenty_a_minute_and_thirty_a_second_overall() {
        let limits = Limits::default();
        let mut state = State::default();
        let t0 = Instant::now();
        for i in 0..20 {
            assert_eq!(take(&mut state, -5, t0 + SECOND * i, &limits), None);
        }
        assert_eq!(take(&mut state, -5, t0 + SECOND * 20, &limits), Some(t0 + MINUTE));
        let mut state = State::default();
        for chat in 0..30 {
            assert_eq!(take(&mut state, chat, t0, &limits), None);
        }
        assert_eq!(take(&mut state, 99, t0, &limits), Some(t0 + SECOND));
    }

    #[tokio::test]
    async fn freeze_stops_everybody() {
        let limiter = Limiter::new(Limits::default());
        let start = Instant::now();
        limiter.freeze(Duration::from_millis(200));
        limiter.acquire(7).await;
        assert!(start.elapsed() >= Duration::from_millis(200));
    }
}
