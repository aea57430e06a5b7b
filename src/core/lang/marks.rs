//! Quotation marks as plain-text news writes them.
//!
//! Text that went through ASCII-only systems writes a double quotation mark as two
//! apostrophes (`''It's hard,'' she said`) or opens with two backticks (` ``Yes,'' `).
//! [`double_quotes`] returns the text with each such pair read as one straight double
//! mark followed by a space, so every later stage sees one kind of mark.
//!
//! Invariant: the result has exactly the byte (and code point) offsets of the input, so
//! spans found on it are spans of the original; quoted text is always taken from the
//! original.

use std::borrow::Cow;

/// The text with `''` and ` `` ` pairs read as a double quotation mark (`"` then a space).
/// Borrowed when there is nothing to change.
pub fn double_quotes(text: &str) -> Cow<'_, str> {
    if !text.contains("''") && !text.contains("``") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if (c == '\'' || c == '`') && chars.peek() == Some(&c) {
            chars.next();
            if chars.peek() == Some(&c) {
                chars.next();
                // Three marks close a single quotation inside a double one ("case,'''" is
                // "'" then "''") after a word, or open both before one ("'''Kosovo" is "''"
                // then "'"); a longer run, or three between spaces, is no pair: kept as it is.
                let next = chars.peek().copied();
                if next != Some(c) && !prev.is_whitespace() {
                    out.push(c);
                    out.push_str("\" ");
                } else if next != Some(c) && next.is_some_and(char::is_alphanumeric) {
                    out.push_str("\" ");
                    out.push(c);
                } else {
                    out.extend([c, c, c]);
                }
                prev = c;
                continue;
            }
            out.push('"');
            out.push(' ');
        } else {
            out.push(c);
        }
        prev = c;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_apostrophes_become_one_double_mark_at_the_same_offsets() {
        let t = "''We will not wait,'' the mayor said. ``Never.''";
        let n = double_quotes(t);
        assert_eq!(n.len(), t.len());
        assert_eq!(n, "\" We will not wait,\"  the mayor said. \" Never.\" ");
        assert!(matches!(double_quotes("It's Ann's “book”."), Cow::Borrowed(_)));
        assert_eq!(double_quotes("a ''''b"), "a ''''b");
        assert_eq!(double_quotes("a ''' b"), "a ''' b");
        // A single quotation closing inside a double one, and one opening with it.
        assert_eq!(double_quotes("''It is 'a case,''' he said."), "\" It is 'a case,'\"  he said.");
        assert_eq!(double_quotes("He said: '''Go' now.''"), "He said: \" 'Go' now.\" ");
    }
}
