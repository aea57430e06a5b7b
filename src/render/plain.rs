//! Plain text: the console, `briefbot ask`, logs of answers, and the `text` field of JSON.

use crate::core::answer::{Answer, AnswerItem, ItemKind, SourceRef};

/// "Title (Reuters, Jane Doe, 2025-04-28)" for one source: outlet, byline and date each only
/// where the article has one ([`SourceRef::credit`]).
pub fn source_label(source: &SourceRef) -> String {
    match source.credit() {
        Some(credit) => format!("{} ({credit})", source.title),
        None => source.title.clone(),
    }
}

/// The heading line for an answer, shared by the renderers so they say the same thing.
pub fn heading(answer: &Answer) -> Option<String> {
    let q = &answer.query;
    Some(match answer.command.as_str() {
        "brief" => format!("Brief: {q}"),
        "quote" => format!("Quotes: {q}"),
        "background" => format!("Background: {q}"),
        "differ" => format!("Where the sources differ: {q}"),
        "search" => format!("Search: {q}"),
        "sources" => format!("Sources ({} articles)", answer.items.len()),
        "help" => "briefbot answers from its news corpus, every sentence cited:".to_string(),
        "status" => "Bot status".to_string(),
        "alert" => format!("New on {q}"),
        _ => return None,
    })
}

/// Section titles for `/background`, in the order items come.
pub fn section_title(kind: ItemKind) -> Option<&'static str> {
    match kind {
        ItemKind::About => Some("What the corpus says it is"),
        ItemKind::Event => Some("Timeline"),
        ItemKind::Related => Some("Related names"),
        _ => None,
    }
}

/// "Version 1", "Version 2"… for the claims of a disagreement; "Earlier", "Later" for an
/// update.
pub fn claim_label(item: &AnswerItem, index: usize) -> String {
    match (item.kind, index) {
        (Some(ItemKind::Update), 0) => "Earlier".into(),
        (Some(ItemKind::Update), _) => "Later".into(),
        _ => format!("Version {}", index + 1),
    }
}

/// "3 sources: " before the citations of an agreeing group.
pub fn count_prefix(item: &AnswerItem) -> String {
    match item.source_count {
        Some(n) if n >= 2 => format!("{n} sources: "),
        _ => String::new(),
    }
}

/// The visible text of an item, with the quote marks and labels a reader needs.
pub fn item_text(item: &AnswerItem) -> String {
    match item.kind {
        Some(ItemKind::Direct) => format!("“{}”{}", item.text.trim_matches(|c| c == '"' || c == '“' || c == '”'), speaker_suffix(item)),
        Some(ItemKind::Indirect) => format!("Paraphrase: {}{}", item.text, speaker_suffix(item)),
        Some(ItemKind::Mixed) => format!("{}{}", item.text, speaker_suffix(item)),
        Some(ItemKind::Disagreement) => format!("{}:", item.text),
        Some(ItemKind::Event) => match (&item.when, item.date) {
            (Some(w), _) => format!("{w}: {}", item.text),
            (None, Some(d)) => format!("{}: {}", d.format("%Y-%m-%d"), item.text),
            _ => item.text.clone(),
        },
        _ => item.text.clone(),
    }
}

fn speaker_suffix(item: &AnswerItem) -> String {
    match &item.speaker {
        Some(s) => format!(" — {s}{}", via_suffix(item)),
        None => String::new(),
    }
}

/// ` (as "he")` when the speaker was reached through coreference.
pub fn via_suffix(item: &AnswerItem) -> String {
    match (&item.speaker, &item.speaker_via) {
        (Some(_), Some(via)) => format!(" (as \"{via}\")"),
        _ => String::new(),
    }
}

pub fn render(answer: &Answer) -> String {
    let mut out = String::new();
    if let Some(h) = heading(answer) {
        out.push_str(&h);
        if let Some(d) = answer.as_of {
            out.push_str(&format!(" (as of {})", d.format("%Y-%m-%d")));
        }
        out.push('\n');
    }
    if let Some(n) = &answer.notice {
        out.push_str(n);
        out.push('\n');
    }
    if let Some(w) = &answer.window {
        out.push_str(&w.describe());
        out.push('\n');
    }
    let mut section = None;
    for item in &answer.items {
        if let Some(kind) = item.kind
            && let Some(title) = section_title(kind)
            && section != Some(kind)
        {
            out.push_str(&format!("{title}:\n"));
            section = Some(kind);
        }
        if item.kind == Some(ItemKind::Help) {
            out.push_str(&format!("  {}\n", item.text));
            continue;
        }
        out.push_str(&format!("• {}\n", item_text(item)));
        if let Some(claims) = &item.claims {
            // Each version on its own line, with its own sources, one under the other.
            for (i, claim) in claims.iter().enumerate() {
                out.push_str(&format!("  {}: {}\n", claim_label(item, i), claim.text));
                let labels: Vec<String> = claim.sources.iter().map(source_label).collect();
                out.push_str(&format!("    [{}]\n", labels.join("; ")));
            }
            continue;
        }
        if !item.sources.is_empty() {
            let labels: Vec<String> = item.sources.iter().map(source_label).collect();
            out.push_str(&format!("  [{}{}]\n", count_prefix(item), labels.join("; ")));
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answer::ItemKind;

    #[test]
    fn a_disagreement_shows_each_version_with_its_sources() {
        use crate::core::answer::Claim;
        let src = |t: &str| SourceRef::article(t, t, None, None);
        let mut item = AnswerItem::new("Sources differ on the direction", ItemKind::Disagreement);
        item.claims = Some(vec![
            Claim { text: "Gas goes via Arle to Brin.".into(), sources: vec![src("A"), src("C")] },
            Claim { text: "Gas goes through Brin to Arle.".into(), sources: vec![src("B")] },
        ]);
        let mut answer = Answer::new("differ", "gas");
        answer.items.push(item);
        let out = render(&answer);
        assert!(
            out.contains(
                "• Sources differ on the direction:\n  Version 1: Gas goes via Arle to Brin.\n    [A; C]\n  Version 2: Gas goes through Brin to Arle.\n    [B]"
            ),
            "{out}"
        );
        let mut agreed = AnswerItem::new("Gas goes via Arle.", ItemKind::Bullet);
        agreed.sources = vec![src("A"), src("C")];
        agreed.source_count = Some(2);
        answer.items = vec![agreed];
        assert!(render(&answer).contains("[2 sources: A; C]"), "{}", render(&answer));
    }

    #[test]
    fn citations_name_outlet_and_byline_when_known() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 4, 28);
        let mut item = AnswerItem::new("The ferry stops.", ItemKind::Bullet);
        item.sources = vec![
            SourceRef::article("a", "Ferry halted", day, None).by(Some("Harbour Post"), Some("Ana Lima")),
            SourceRef::article("b", "Ferry back", None, None).by(Some("Quay Times"), None),
            SourceRef::article("c", "Ferry news", day, None),
        ];
        let mut answer = Answer::new("brief", "ferry");
        answer.items.push(item);
        let out = render(&answer);
        assert!(out.contains("[Ferry halted (Harbour Post, Ana Lima, 2025-04-28); Ferry back (Quay Times); Ferry news (2025-04-28)]"), "{out}");
    }

    #[test]
    fn a_speaker_reached_through_coreference_says_how() {
        let mut item = AnswerItem::new("“We will build it.”", ItemKind::Direct);
        item.speaker = Some("Masoud Pezeshkian".into());
        assert_eq!(item_text(&item), "“We will build it.” — Masoud Pezeshkian");
        item.speaker_via = Some("he".into());
        assert_eq!(item_text(&item), "“We will build it.” — Masoud Pezeshkian (as \"he\")");
        // An unresolved speaker shows no name and no step.
        item.speaker = None;
        assert_eq!(item_text(&item), "“We will build it.”");
    }
}
