//! Small word lists the rule-based language work leans on. Compiled in: no downloads.
//! Lookups go through hash sets built once, since they run for every word of every text.

use super::text::Lower;
use std::collections::HashSet as StdHashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

mod bodies;
mod people;
mod places;
mod speech;

pub use bodies::*;
pub use people::*;
pub use places::*;
pub use speech::*;

/// FNV-1a: short keys, no adversary, so a cheaper hash than the default SipHash.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type HashSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;

/// Hash maps and sets keyed by short strings inside one document's analysis.
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;

pub type FastSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;

/// A fixed word list looked up through a hash set built on first use: for lists searched
/// once per word of a text, where a linear scan costs a comparison per entry.
pub struct WordSet {
    list: &'static [&'static str],
    more: &'static [&'static str],
    set: OnceLock<HashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(list: &'static [&'static str]) -> WordSet {
        WordSet { list, more: &[], set: OnceLock::new() }
    }

    /// The words of two lists, for a class that contains another ("organisation nouns" and
    /// the "company nouns" among them), so that no word is listed twice.
    pub const fn union(list: &'static [&'static str], more: &'static [&'static str]) -> WordSet {
        WordSet { list, more, set: OnceLock::new() }
    }

    /// Exact membership, like `list.contains(&word)`.
    pub fn contains(&self, word: &str) -> bool {
        self.set.get_or_init(|| self.list.iter().chain(self.more).copied().collect()).contains(word)
    }
}

/// A set of `list`'s entries, lowercased, built on first use.
fn lower_set(cell: &'static OnceLock<HashSet<String>>, list: &[&str]) -> &'static HashSet<String> {
    cell.get_or_init(|| list.iter().map(|w| w.to_lowercase()).collect())
}

/// Is `word` in the set, ignoring case? Avoids allocating when it is already lowercase.
fn contains_folded(set: &HashSet<String>, word: &str) -> bool {
    set.contains(Lower::new(word).as_str())
}
