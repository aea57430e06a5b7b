//! Renderers: one structured answer, several faces. Each stays within its platform's limits.

pub mod discord;
pub mod json;
pub mod plain;
pub mod telegram;

use crate::core::answer::{Answer, SourceRef};

/// The source page of `source` on a server reachable at `base` (`http.public_url`): the
/// document id percent-encoded segment by segment, the cited span highlighted.
pub fn source_page_url(base: &str, source: &SourceRef) -> String {
    let mut url = base.trim_end_matches('/').to_string();
    url.push_str("/doc");
    for segment in source.doc.split('/') {
        url.push('/');
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                url.push(b as char);
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if let Some((start, end)) = source.span {
        url.push_str(&format!("?hl={start}-{end}#hl"));
    }
    url
}

/// Every citation of `answer` linked to its source page under `base`.
pub fn link_source_pages(answer: &mut Answer, base: &str) {
    for item in &mut answer.items {
        for source in &mut item.sources {
            source.page = Some(source_page_url(base, source));
        }
        for claim in item.claims.iter_mut().flatten() {
            for source in &mut claim.sources {
                source.page = Some(source_page_url(base, source));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_encode_the_id_and_carry_the_span() {
        let mut s = SourceRef::article("feeds/a b/ç?#x", "t", None, None);
        assert_eq!(source_page_url("https://bot.example/news/", &s), "https://bot.example/news/doc/feeds/a%20b/%C3%A7%3F%23x");
        s = s.at(3, 9);
        assert_eq!(source_page_url("https://bot.example", &s), "https://bot.example/doc/feeds/a%20b/%C3%A7%3F%23x?hl=3-9#hl");
    }
}
