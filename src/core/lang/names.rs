//! Words that look like names but are page furniture or syntax debris.
//!
//! Invariant: each test here looks only at the word and the characters around it, so the
//! mention stage can drop the word before it becomes a candidate name, and the attribution
//! stage can skip the same words inside a subject phrase.

/// A party-and-state tag after a legislator's name: "(D-Mich.)", ", R-N.Y.,", "(I-Vt.)".
/// `word` is the tag's first word (tokenised as "D-Mich" or "R-N"); `before` the text
/// before it and `after` the text after it.
pub fn is_party_state_tag(word: &str, before: &str, after: &str) -> bool {
    let b = word.as_bytes();
    let shape = b.len() >= 3
        && b.len() <= 8
        && matches!(b[0], b'D' | b'R' | b'I')
        && b[1] == b'-'
        && b[2].is_ascii_uppercase()
        && b[3..].iter().all(u8::is_ascii_alphabetic);
    let opened = before.trim_end().ends_with(['(', ',', '[']);
    let closed = after.starts_with(['.', ')', ',']);
    shape && opened && closed
}

/// A comma- or bracket-delimited segment that is only a party-state tag ("D-Ill.)").
pub fn is_party_state_segment(seg: &str) -> bool {
    let t = seg.trim().trim_start_matches('(').trim_end_matches([')', ',', '.']).trim();
    let Some((party, state)) = t.split_once('-') else { return false };
    matches!(party, "D" | "R" | "I")
        && (2..=8).contains(&state.len())
        && state.starts_with(|c: char| c.is_ascii_uppercase())
        && state.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_state_tags_are_not_names() {
        assert!(is_party_state_tag("D-Mich", "Sen. Ada Crane (", ".) said"));
        assert!(is_party_state_tag("R-N", "Rep. Tom Vale, ", ".Y., said"));
        assert!(!is_party_state_tag("T-Mobile", "from ", " said"));
        assert!(!is_party_state_tag("D-Day", "the ", " landings"));
        assert!(is_party_state_segment("D-Ill.)"));
        assert!(is_party_state_segment(" R-N.Y."));
        assert!(!is_party_state_segment("Democrat of Ohio"));
        assert!(!is_party_state_segment("Coca-Cola"));
    }
}
