//! Coreference: how a quote's speaker was reached from the words that point at it.
//!
//! The resolution itself runs in the attribution stage (`quotes.rs`), in the sieve order
//! of Lee et al. (2013): a full name first, then a bare surname to the fullest name of the
//! article, role nouns to the person holding the role, pronouns last with gender agreement
//! and salience. This module says, for a resolved speaker, whether a step of coreference
//! was taken, so the answer can show it ("Masoud Pezeshkian (as “he”)").
//!
//! Invariant: `via` is only reported for a resolved speaker, and only when the mention in
//! the text is not itself the speaker's full name.

use super::lexicon::pronoun_agreement;
use crate::core::text::name_key;

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
    }
}
