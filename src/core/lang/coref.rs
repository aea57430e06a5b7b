//! Coreference: how a quote's speaker was reached from the words that point at it.
//!
//! Resolution runs in the sieve order of Lee et al. (2013), most precise first: a full name
//! (the mention stage, `entities.rs`), a bare surname to the fullest name of the article
//! (`entities.rs`), a description run into a name and role nouns to the person holding the
//! role (`quotes::subject`, `quotes::speaker`), and pronouns last, here
//! ([`pronoun_antecedent`]), with gender agreement and salience. This module also says, for
//! a resolved speaker, whether a step of coreference was taken, so the answer can show it
//! ("Masoud Pezeshkian (as “he”)").
//!
//! Invariant: `via` is only reported for a resolved speaker, and only when the mention in
//! the text is not itself the speaker's full name.

use super::lexicon::pronoun_agreement;
use crate::core::text::name_key;

/// A person the narration refers to at `pos` (a name, a role noun, a resolved pronoun): a
/// candidate antecedent for a pronoun.
#[derive(Debug, Clone, Copy)]
pub struct Antecedent {
    /// Byte offset of the reference.
    pub pos: usize,
    /// Its sentence.
    pub sentence: usize,
    /// The person (an index into the article's persons).
    pub person: usize,
    /// Does it read as a clause's subject (salience: subjects first)?
    pub subject_like: bool,
}

/// What the attribution stage did last, for salience.
#[derive(Debug, Clone, Copy)]
pub struct Discourse {
    /// The latest attribution to a person: (person, byte, sentence).
    pub last_person: Option<(usize, usize, usize)>,
    /// The latest attribution to an unnamed person ("one resident said"): (byte, sentence).
    pub last_unnamed: Option<(usize, usize)>,
}

/// The pronoun sieve, the last and loosest pass: the person a third-person pronoun in
/// sentence `si` refers to, among `window` (the references before it within a few sentences
/// that agree with it; `agrees` tells whether a person agrees in gender). Someone the
/// narration made a subject since the last attribution takes over ("The striker laughed.
/// “...,” she said"); otherwise the person last quoted, if the pronoun agrees; otherwise the
/// latest agreeing subject, unless another agreeing person was a subject within a sentence
/// of it (two persons at similar salience: unsure, so nobody; a person named only as an
/// object is no antecedent there); with no subject in reach at all, the one agreeing person
/// named, if only one is. After an unnamed speaker ("one resident said"), a pronoun
/// with nobody named since stays unresolved.
pub fn pronoun_antecedent(window: &[&Antecedent], discourse: &Discourse, si: usize, agrees: impl Fn(usize) -> bool) -> Option<usize> {
    let latest_by_pos = |subject_only: bool, after: usize| {
        window.iter().filter(|r| r.pos >= after && (!subject_only || r.subject_like)).max_by_key(|r| r.pos).map(|r| r.person)
    };
    if let Some((at, s)) = discourse.last_unnamed
        && s + 2 >= si
        && discourse.last_person.is_none_or(|(_, p_at, _)| p_at < at)
        && latest_by_pos(true, at + 1).is_none()
    {
        return None;
    }
    if let Some((p, at, s)) = discourse.last_person
        && s + 5 >= si
    {
        if let Some(other) = latest_by_pos(true, at + 1) {
            return Some(other);
        }
        if agrees(p) {
            return Some(p);
        }
    }
    // Nothing said since the last attribution decides: the latest agreeing subject, unless
    // another agreeing person was a subject within a sentence of it (two persons at similar
    // salience: unsure, so nobody).
    let Some(best) = window.iter().filter(|r| r.subject_like).max_by_key(|r| r.pos) else {
        // No subject at all: the one agreeing person named, if only one is.
        let first = window.first()?.person;
        return window.iter().all(|r| r.person == first).then_some(first);
    };
    let rival = window.iter().any(|r| r.subject_like && r.person != best.person && r.sentence + 1 >= best.sentence);
    (!rival).then_some(best.person)
}

/// The mention a resolved speaker was reached through, when that took coreference: a
/// pronoun, a role or group noun, a bare surname, or another quote's mention.
pub fn via(speaker: Option<&str>, mention: Option<&str>) -> Option<String> {
    let speaker = speaker?;
    let mention = mention.map(str::trim).filter(|m| !m.is_empty())?;
    if name_key(mention) == name_key(speaker) {
        return None;
    }
    // "Ms. Amy Pope", "Amy Pope's": the full name with a title or a possessive is no step.
    let key = name_key(mention);
    let full = name_key(speaker);
    if key.ends_with(&full) && !full.is_empty() {
        return None;
    }
    Some(mention.to_string())
}

/// The kind of step a `via` mention took, for the JSON export: `"pronoun"` ("he"),
/// `"description"` (a role or group noun: "the senator", "the company") or `"name"` (a
/// surname or another shorter form of the name: "Pezeshkian", "Mr. Trump").
pub fn step(via: &str) -> &'static str {
    let v = via.trim();
    if is_pronoun(v) {
        "pronoun"
    } else if v.starts_with(char::is_lowercase) || v.split(' ').next().is_some_and(|w| matches!(w, "The" | "A" | "An" | "Its" | "His" | "Her" | "Their")) {
        "description"
    } else {
        "name"
    }
}

/// Is this mention a personal pronoun (he, she, they, it)?
pub fn is_pronoun(mention: &str) -> bool {
    pronoun_agreement(&mention.trim().to_lowercase()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_of_coreference_are_reported_and_full_names_are_not() {
        assert_eq!(via(Some("Masoud Pezeshkian"), Some("he")).as_deref(), Some("he"));
        assert_eq!(via(Some("Masoud Pezeshkian"), Some("Pezeshkian")).as_deref(), Some("Pezeshkian"));
        assert_eq!(via(Some("Masoud Pezeshkian"), Some("the Iranian president")).as_deref(), Some("the Iranian president"));
        assert_eq!(via(Some("Masoud Pezeshkian"), Some("Masoud Pezeshkian")), None);
        assert_eq!(via(Some("Masoud Pezeshkian"), Some("President Masoud Pezeshkian")), None);
        assert_eq!(via(None, Some("he")), None);
        assert!(is_pronoun("She") && !is_pronoun("Shell"));
        assert_eq!(step("he"), "pronoun");
        assert_eq!(step("the Iranian president"), "description");
        assert_eq!(step("The senator"), "description");
        assert_eq!(step("Pezeshkian"), "name");
        assert_eq!(step("Mr. Trump"), "name");
    }
}
