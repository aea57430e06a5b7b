//! Choosing what a brief says: relevance to the topic and to its context, against
//! redundancy (maximal marginal relevance), with reports of the same fact in several
//! articles folded into one bullet that cites them all.
//!
//! Pure functions over candidate sentences, so the selection is tested without an index.

use std::collections::{HashMap, HashSet};

/// A sentence that may go into a brief.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub doc: String,
    pub pos: u64,
    pub text: String,
    /// Analysed (folded, stemmed) terms of the sentence.
    pub terms: Vec<String>,
    /// Whether the sentence itself matches the query.
    pub is_hit: bool,
    /// Search score of a hit (0 for context sentences).
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    /// Indices into the candidates: one or two sentences of one article, in text order.
    pub sentences: Vec<usize>,
    /// Candidates elsewhere that report the same thing (other articles).
    pub also: Vec<usize>,
}

pub struct Limits {
    pub max_bullets: usize,
    pub max_chars: usize,
}

/// Words that make a sentence lean on the one before it.
const LEANING_STARTS: &[&str] = &[
    "however",
    "but",
    "that",
    "this",
    "these",
    "those",
    "it",
    "its",
    "they",
    "their",
    "he",
    "she",
    "his",
    "her",
    "since",
    "such",
    "there",
    "then",
    "yet",
    "still",
    "also",
    "meanwhile",
    "instead",
    "thus",
];

pub fn leans_on_previous(text: &str) -> bool {
    let first: String = text.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    LEANING_STARTS.contains(&first.as_str())
}

fn jaccard(a: &HashSet<&str>, b: &HashSet<&str>) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f32;
    inter / (a.len() + b.len()) as f32 * 2.0 // Dice: kinder to short sentences than Jaccard
}

/// Choose bullets. `idf` weighs terms (rarer terms say more); `query` holds the analysed
/// query terms.
pub fn select(cands: &[Candidate], query: &[String], idf: &dyn Fn(&str) -> f32, limits: &Limits) -> Vec<Bullet> {
    if cands.is_empty() {
        return Vec::new();
    }
    let sets: Vec<HashSet<&str>> = cands.iter().map(|c| c.terms.iter().map(String::as_str).collect()).collect();
    let query_set: HashSet<&str> = query.iter().map(String::as_str).collect();

    // Pseudo-relevance feedback: the terms that characterise the hits say what the topic is
    // about, so that sentences around it ("a land corridor to its exclave") count too.
    let mut weight: HashMap<&str, f32> = HashMap::new();
    let hits: Vec<usize> = (0..cands.len()).filter(|&i| cands[i].is_hit).collect();
    for &h in &hits {
        for t in &sets[h] {
            if !query_set.contains(t) && t.len() > 2 {
                *weight.entry(t).or_default() += idf(t);
            }
        }
    }
    let mut feedback: Vec<(&str, f32)> = weight.into_iter().filter(|(_, w)| *w > 0.0).collect();
    feedback.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    feedback.truncate(12);
    let fb_total: f32 = feedback.iter().map(|f| f.1).sum::<f32>().max(1e-6);
    let fb: HashMap<&str, f32> = feedback.into_iter().collect();

    let hit_positions: HashMap<&str, Vec<u64>> = hits.iter().fold(HashMap::new(), |mut m, &h| {
        m.entry(cands[h].doc.as_str()).or_default().push(cands[h].pos);
        m
    });
    let max_score = cands.iter().map(|c| c.score).fold(0.0f32, f32::max).max(1e-6);
    let relevance: Vec<f32> = (0..cands.len())
        .map(|i| {
            let c = &cands[i];
            let coverage = if query_set.is_empty() { 0.0 } else { query_set.iter().filter(|q| sets[i].contains(*q)).count() as f32 / query_set.len() as f32 };
            let context: f32 = sets[i].iter().filter_map(|t| fb.get(t)).sum::<f32>() / fb_total;
            let distance = hit_positions.get(c.doc.as_str()).and_then(|ps| ps.iter().map(|p| p.abs_diff(c.pos)).min());
            let proximity = distance.filter(|d| *d <= 4).map_or(0.0, |d| 1.0 / (1.0 + d as f32));
            if c.is_hit {
                1.0 + 0.5 * coverage + 0.3 * (c.score / max_score) + 0.3 * context
            } else if context >= 0.12 && proximity > 0.0 || context >= 0.3 {
                0.45 * context.min(1.0) + 0.35 * proximity
            } else {
                0.0
            }
        })
        .collect();

    let mut used = vec![false; cands.len()];
    let mut bullets: Vec<Bullet> = Vec::new();
    let mut chars = 0usize;
    let index_of: HashMap<(&str, u64), usize> = cands.iter().enumerate().map(|(i, c)| ((c.doc.as_str(), c.pos), i)).collect();
    while bullets.len() < limits.max_bullets {
        let mut best: Option<(usize, f32)> = None;
        for i in 0..cands.len() {
            if used[i] || relevance[i] <= 0.0 {
                continue;
            }
            // A sentence that leans on an already-used one cannot stand alone.
            if leans_on_previous(&cands[i].text) && index_of.get(&(cands[i].doc.as_str(), cands[i].pos.wrapping_sub(1))).is_some_and(|&p| used[p]) {
                continue;
            }
            let redundancy = bullets.iter().flat_map(|b| b.sentences.iter()).map(|&s| jaccard(&sets[i], &sets[s])).fold(0.0f32, f32::max);
            let mmr = 0.7 * relevance[i] - 0.3 * redundancy * 2.0;
            if best.is_none_or(|(_, b)| mmr > b) {
                best = Some((i, mmr));
            }
        }
        let Some((i, _)) = best else { break };
        used[i] = true;
        // Pair with a neighbour: the previous sentence if this one leans on it, else the
        // next if that one leans on this.
        let mut sentences = vec![i];
        let prev = index_of.get(&(cands[i].doc.as_str(), cands[i].pos.wrapping_sub(1))).copied();
        let next = index_of.get(&(cands[i].doc.as_str(), cands[i].pos + 1)).copied();
        if leans_on_previous(&cands[i].text) {
            if let Some(p) = prev.filter(|&p| !used[p]) {
                sentences.insert(0, p);
            }
        } else if let Some(n) = next.filter(|&n| !used[n] && leans_on_previous(&cands[n].text)) {
            sentences.push(n);
        }
        let len: usize = sentences.iter().map(|&s| cands[s].text.chars().count() + 1).sum();
        if chars + len > limits.max_chars {
            if sentences.len() == 2 {
                // Try the single sentence if the pair does not fit.
                let single = cands[i].text.chars().count() + 1;
                if chars + single <= limits.max_chars && !leans_on_previous(&cands[i].text) {
                    chars += single;
                    bullets.push(Bullet { sentences: vec![i], also: Vec::new() });
                }
            }
            continue;
        }
        for &s in &sentences {
            used[s] = true;
        }
        chars += len;
        // The same report in other articles: cite them instead of repeating it.
        let mut also: Vec<usize> = Vec::new();
        for j in 0..cands.len() {
            if used[j] || cands[j].doc == cands[i].doc || also.iter().any(|&a| cands[a].doc == cands[j].doc) {
                continue;
            }
            if sentences.iter().any(|&s| jaccard(&sets[s], &sets[j]) >= 0.6) {
                used[j] = true;
                also.push(j);
            }
        }
        bullets.push(Bullet { sentences, also });
    }
    bullets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(doc: &str, pos: u64, text: &str, hit: bool) -> Candidate {
        let terms = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).map(|w| w.to_lowercase()).collect();
        Candidate { doc: doc.into(), pos, text: text.into(), terms, is_hit: hit, score: if hit { 1.0 } else { 0.0 } }
    }

    fn limits() -> Limits {
        Limits { max_bullets: 5, max_chars: 1500 }
    }

    #[test]
    fn brings_context_and_pairs_leaning_sentences() {
        let cands = vec![
            cand("a", 0, "Azerbaijan seeks a land corridor to its exclave Nakhchivan.", false),
            cand("a", 1, "A railway ran to Nakhchivan through the Zangezur corridor.", true),
            cand("a", 2, "However, that railway was severed in 1988.", false),
            cand("a", 3, "Tehran opposes any corridor that cuts its border with Armenia.", false),
            cand("a", 9, "The weather in Baku was mild and sunny for the guests.", false),
        ];
        let q = vec!["zangezur".to_string()];
        let bullets = select(&cands, &q, &|_| 1.0, &limits());
        let texts: Vec<Vec<usize>> = bullets.iter().map(|b| b.sentences.clone()).collect();
        assert_eq!(texts[0], vec![1, 2], "the hit comes first, with the sentence that leans on it");
        assert!(texts.iter().any(|s| s.contains(&0)), "context before the hit: {texts:?}");
        assert!(texts.iter().any(|s| s.contains(&3)), "context after the hit: {texts:?}");
        assert!(!texts.iter().any(|s| s.contains(&4)), "unrelated sentences stay out: {texts:?}");
    }

    #[test]
    fn same_report_in_two_articles_is_one_bullet() {
        let cands = vec![
            cand("a", 0, "The two sides signed seven cooperation agreements on trade and energy.", true),
            cand("b", 4, "The two sides signed seven cooperation agreements covering trade and energy.", true),
            cand("c", 2, "Energy agreements are expected to be signed.", true),
        ];
        let q = vec!["agreements".to_string()];
        let bullets = select(&cands, &q, &|_| 1.0, &limits());
        assert_eq!(bullets.len(), 2, "{bullets:?}");
        assert_eq!(bullets[0].also.len(), 1);
    }

    #[test]
    fn respects_limits() {
        let long = "word ".repeat(200);
        let cands: Vec<Candidate> = (0..20).map(|i| cand(&format!("d{i}"), 0, &format!("topic {i} {long}"), true)).collect();
        let bullets = select(&cands, &["topic".into()], &|_| 1.0, &limits());
        let chars: usize = bullets.iter().flat_map(|b| &b.sentences).map(|&s| cands[s].text.chars().count() + 1).sum();
        assert!(bullets.len() <= 5 && chars <= 1500, "{} bullets, {chars} chars", bullets.len());
    }
}
