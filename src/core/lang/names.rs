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
    // "Ann Lee (D), a ...": the party alone in brackets.
    if matches!(t, "D" | "R" | "I") && seg.contains(')') {
        return true;
    }
    let Some((party, state)) = t.split_once('-') else { return false };
    matches!(party, "D" | "R" | "I")
        && (2..=8).contains(&state.len())
        && state.starts_with(|c: char| c.is_ascii_uppercase())
        && state.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == ' ')
}

/// A word for a member of a political party or the party's adjective ("Republican",
/// "Democrat", "Labour"): before a name it describes the person, like a title ("Democrat
/// Ann Lee"); it is not a word of the name.
pub fn is_party_word(word: &str) -> bool {
    matches!(
        word,
        "Republican"
            | "Democrat"
            | "Democratic"
            | "Libertarian"
            | "Labour"
            | "Conservative"
            | "Tory"
            | "Liberal"
            | "Socialist"
            | "Communist"
            | "Centrist"
            | "Nationalist"
    )
}

/// A party's members in the plural ("Republicans", "Democrats", "Tories" is not one):
/// a group of people, never a person's name.
pub fn is_party_plural(word: &str) -> bool {
    word.strip_suffix('s').is_some_and(is_party_word)
}

/// A segment set off by commas that gives a legislator's party and place, as some papers
/// write the tag in words: "Republican of New York", "Democrat of Ohio".
pub fn is_party_of_place_segment(seg: &str) -> bool {
    let t = seg.trim().trim_end_matches([')', ',']).trim();
    let mut ws = t.split(' ');
    let (Some(party), Some(of)) = (ws.next(), ws.next()) else { return false };
    let rest: Vec<&str> = ws.collect();
    is_party_word(party)
        && of == "of"
        && (1..=4).contains(&rest.len())
        && rest.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-'))
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
        assert!(is_party_of_place_segment(" Republican of New York"));
        assert!(is_party_of_place_segment("Democrat of Ohio,"));
        assert!(!is_party_of_place_segment(" Republican of the Year"));
        assert!(!is_party_of_place_segment(" president of Harbour Bank"));
        assert!(is_party_word("Democrat") && !is_party_word("Green"));
    }
}
