//! A strict checker for Telegram's HTML parse mode, and the text a reader sees.

/// Tags Telegram accepts in HTML parse mode (we allow no attributes but `href` on `<a>`).
const ALLOWED: &[&str] = &["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler"];

/// `Ok` when `html` is valid for Telegram: allowed tags only, balanced and properly nested,
/// `href` the only attribute (double-quoted), entities only `&lt; &gt; &amp; &quot;` or
/// numeric, and no raw `<` or `>` in text.
pub fn check(html: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or_else(|| format!("unclosed tag at {:?}", head(rest)))?;
                let tag = &rest[1..end];
                if tag.contains('<') {
                    return Err(format!("'<' inside tag {tag:?}"));
                }
                if let Some(name) = tag.strip_prefix('/') {
                    let open = stack.pop().ok_or_else(|| format!("stray </{name}>"))?;
                    if open != name {
                        return Err(format!("</{name}> closes <{open}>"));
                    }
                } else {
                    let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
                    if !ALLOWED.contains(&name) {
                        return Err(format!("tag <{name}> is not allowed"));
                    }
                    if name == "a" {
                        let value = attrs.strip_prefix("href=\"").and_then(|v| v.strip_suffix('"')).ok_or_else(|| format!("bad <a> attributes {attrs:?}"))?;
                        if value.contains('"') {
                            return Err("raw quote in href".into());
                        }
                        entities(value)?;
                    } else if !attrs.is_empty() {
                        return Err(format!("attributes on <{name}>"));
                    }
                    stack.push(name);
                }
                rest = &rest[end + 1..];
            }
            '>' => return Err(format!("raw '>' in text at {:?}", head(rest))),
            _ => {
                let end = rest.find(['<', '>']).unwrap_or(rest.len());
                entities(&rest[..end])?;
                rest = &rest[end..];
            }
        }
    }
    match stack.pop() {
        Some(open) => Err(format!("<{open}> never closed")),
        None => Ok(()),
    }
}

fn entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or_else(|| format!("unterminated entity at {:?}", head(&rest[i..])))?;
        let name = &after[..end];
        let ok = matches!(name, "lt" | "gt" | "amp" | "quot")
            || name.strip_prefix("#x").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_hexdigit()))
            || name.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !ok {
            return Err(format!("bad entity &{name};"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

fn head(s: &str) -> String {
    s.chars().take(40).collect()
}

/// What the reader sees: tags removed, entities decoded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        out.push_str(&decode(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

fn decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = &after[..end];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            _ => name
                .strip_prefix("#x")
                .and_then(|n| u32::from_str_radix(n, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|n| n.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[i..i + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Telegram's length: UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

#[test]
fn checker_accepts_and_rejects() {
    assert!(check("<b>a &amp; b</b> <a href=\"https://x/?a=1&amp;b=2\">t</a> &#8212; &#x2014;").is_ok());
    assert!(check("<b>a</i>").is_err());
    assert!(check("<b>a").is_err());
    assert!(check("a < b").is_err());
    assert!(check("a > b").is_err());
    assert!(check("a & b").is_err());
    assert!(check("&nbsp;").is_err());
    assert!(check("<span>x</span>").is_err());
    assert!(check("<b class=\"x\">x</b>").is_err());
    assert_eq!(visible_text("<b>a &lt;&amp;&gt; b</b>&#33;"), "a <&> b!");
}
