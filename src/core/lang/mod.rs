//! The language core, in stages. Each stage is one module with one job and a written
//! invariant; a later stage reads what an earlier one produced and never re-derives it.
//!
//! 1. [`marks`]: quotation marks as the text writes them, read as marks (ASCII `''` and
//!    ` `` ` are double quotation marks). Invariant: byte offsets never change.
//! 2. [`lexicon`]: the closed-class words (pronouns and their agreement features) the
//!    later stages share. Invariant: one list per word class, nowhere else.
//! 3. Mentions and names: `entities.rs` (names, roles, organisations per article).
//! 4. [`coref`]: which person a mention that is not a full name stands for (a bare
//!    surname, a pronoun, a role noun), and how it was reached. Invariant: a mention that
//!    cannot be resolved with agreement stays unresolved; nothing is guessed.
//! 5. Cues, content spans and attribution: `quotes/` (one module per stage).

pub mod coref;
pub mod lexicon;
pub mod marks;
pub mod names;
