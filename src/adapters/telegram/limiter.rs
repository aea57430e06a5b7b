//! Outgoing message throttling within Telegram's limits, the equivalent of teloxide's
//! `Throttle` adaptor with `Limits::default()`: about one message per second per chat, 20 per
//! minute per group, 30 per second overall, and a pause for everybody after a 429.
//!
//! We throttle our own `sendMessage` calls (see `send.rs` for why they do not go through
//! teloxide), so the limiter is ours too. Slots are taken in sliding windows.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::rate::Rate;

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

/// What Telegram delivers to one chat, for the gate's per-chat budget: 20 messages a minute
/// in a group; about one a second in a private chat (60 a minute).
pub(crate) fn delivery_rate(private: bool) -> Rate {
    let limits = Limits::default();
    if private { Rate::per_minute((limits.per_chat_per_sec * 60) as u32) } else { Rate::per_minute(limits.per_group_per_min as u32) }
}

/// Whose message a waiting send is: answers carry the asking user, digests nobody (0).
pub(crate) type Requester = u64;

#[derive(Debug, Default)]
struct State {
    overall: VecDeque<Instant>,
    /// Sends of the last minute per chat, with whose they were.
    chats: HashMap<i64, VecDeque<(Instant, Requester)>>,
    /// Sends waiting for a slot, per chat: `(ticket, requester)` in arrival order.
    waiting: HashMap<i64, Vec<(u64, Requester)>>,
    next_ticket: u64,
    frozen_until: Option<Instant>,
}

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    limits: Limits,
    state: Mutex<State>,
    /// Woken whenever a slot is taken or a waiting send gives up: the next in line looks again.
    turn: Notify,
}

/// A place in a chat's line; leaving it (taking a slot, or the send being dropped) lets the
/// next one look again.
struct Ticket<'a> {
    limiter: &'a Limiter,
    chat: i64,
    id: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        {
            let mut state = self.limiter.lock();
            if let Some(line) = state.waiting.get_mut(&self.chat) {
                line.retain(|(id, _)| *id != self.id);
                if line.is_empty() {
                    state.waiting.remove(&self.chat);
                }
            }
        }
        self.limiter.turn.notify_waiters();
    }
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Limiter { limits, ..Limiter::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait until a message for `requester` may be sent to `chat`, and take the slot.
    ///
    /// Sends waiting for one chat go fairly: the next slot goes to the requester with the
    /// fewest messages sent to that chat in the last minute (then the one waiting longest),
    /// so that one user's backlog of answers never holds back another user's answer.
    pub(crate) async fn acquire(&self, chat: i64, requester: Requester) {
        let ticket = {
            let mut state = self.lock();
            state.next_ticket += 1;
            let id = state.next_ticket;
            state.waiting.entry(chat).or_default().push((id, requester));
            Ticket { limiter: self, chat, id }
        };
        loop {
            let notified = self.turn.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let wait_until = {
                let mut state = self.lock();
                let now = Instant::now();
                state.prune(now);
                if state.next_in_line(chat) != Some(ticket.id) {
                    None
                } else {
                    match state.next_slot(chat, now, &self.limits) {
                        None => {
                            state.overall.push_back(now);
                            state.chats.entry(chat).or_default().push_back((now, requester));
                            break;
                        }
                        Some(t) => Some(t),
                    }
                }
            };
            match wait_until {
                Some(t) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(t) => {}
                        _ = &mut notified => {}
                    }
                }
                // Not our turn: wait for the one ahead to go (or give up), and look again
                // now and then in any case.
                None => {
                    tokio::select! {
                        _ = &mut notified => {}
                        _ = tokio::time::sleep(SECOND) => {}
                    }
                }
            }
        }
        drop(ticket);
    }

    /// Telegram said 429: nobody sends until `after` has passed.
    pub(crate) fn freeze(&self, after: Duration) {
        let mut state = self.lock();
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
            while q.front().is_some_and(|(t, _)| now.duration_since(*t) >= MINUTE) {
                q.pop_front();
            }
            !q.is_empty()
        });
        if self.frozen_until.is_some_and(|f| f <= now) {
            self.frozen_until = None;
        }
    }

    /// The ticket whose turn it is in `chat`: fewest sends in the last minute, then oldest.
    fn next_in_line(&self, chat: i64) -> Option<u64> {
        let line = self.waiting.get(&chat)?;
        let sent = self.chats.get(&chat);
        let count = |who: Requester| sent.map_or(0, |q| q.iter().filter(|(_, r)| *r == who).count());
        line.iter().min_by_key(|(id, who)| (count(*who), *id)).map(|(id, _)| *id)
    }

    /// `None` when a message may go now, else the earliest instant worth trying again.
    fn next_slot(&self, chat: i64, now: Instant, limits: &Limits) -> Option<Instant> {
        let mut t = now;
        if let Some(f) = self.frozen_until {
            t = t.max(f);
        }
        if let Some(x) = nth_last(&self.overall, limits.overall_per_sec) {
            t = t.max(*x + SECOND);
        }
        if let Some(q) = self.chats.get(&chat) {
            if let Some((x, _)) = nth_last(q, limits.per_chat_per_sec) {
                t = t.max(*x + SECOND);
            }
            if chat < 0
                && let Some((x, _)) = nth_last(q, limits.per_group_per_min)
            {
                t = t.max(*x + MINUTE);
            }
        }
        (t > now).then_some(t)
    }
}

fn nth_last<T>(q: &VecDeque<T>, n: usize) -> Option<&T> {
    if n > 0 && q.len() >= n { q.get(q.len() - n) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(state: &mut State, chat: i64, now: Instant, limits: &Limits) -> Option<Instant> {
        state.prune(now);
        let slot = state.next_slot(chat, now, limits);
        if slot.is_none() {
            state.overall.push_back(now);
            state.chats.entry(chat).or_default().push_back((now, 0));
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
        limiter.acquire(7, 0).await;
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    /// One user's ten answers are waiting for a group when another user's answer arrives:
    /// it goes out at the next slot, not after the backlog. (Paused time: no real waiting.)
    #[tokio::test(start_paused = true)]
    async fn another_users_answer_does_not_wait_behind_a_flooders_backlog() {
        let limiter = std::sync::Arc::new(Limiter::new(Limits::default()));
        let group = -1005;
        let start = Instant::now();
        let mut flood = Vec::new();
        for _ in 0..10 {
            let limiter = limiter.clone();
            flood.push(tokio::spawn(async move {
                limiter.acquire(group, 1).await;
                Instant::now()
            }));
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let asked = Instant::now();
        limiter.acquire(group, 2).await;
        let waited = asked.elapsed();
        assert!(waited <= SECOND, "the other user waited {waited:?} behind the backlog");
        let mut sent: Vec<Instant> = Vec::new();
        for f in flood {
            sent.push(f.await.unwrap());
        }
        sent.sort();
        // The backlog still goes, one a second, every one of it.
        assert_eq!(sent.len(), 10);
        assert!(sent.windows(2).all(|w| w[1] - w[0] >= SECOND));
        assert!(*sent.last().unwrap() - start <= Duration::from_secs(11));
    }

    /// A waiting send that is dropped (its task cancelled) leaves the line.
    #[tokio::test(start_paused = true)]
    async fn a_dropped_send_leaves_the_line() {
        let limiter = std::sync::Arc::new(Limiter::new(Limits::default()));
        limiter.acquire(-9, 1).await;
        // Requester 3 has sent nothing: it would be next in line, ahead of requester 1.
        let stuck = {
            let limiter = limiter.clone();
            tokio::spawn(async move { limiter.acquire(-9, 3).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(limiter.lock().waiting.get(&-9).map(Vec::len), Some(1));
        stuck.abort();
        let _ = stuck.await;
        let asked = Instant::now();
        tokio::time::timeout(Duration::from_secs(10), limiter.acquire(-9, 1)).await.expect("the line moves on");
        assert!(asked.elapsed() <= SECOND);
        assert!(limiter.lock().waiting.is_empty());
    }
}
