//! Choosing what a brief says, from what the corpus says *about* the topic:
//!
//! 1. relevance: the sentence names the topic (all of its words, early in the sentence as
//!    its subject) or sits next to a sentence that does and shares its vocabulary
//!    (pseudo-relevance feedback);
//! 2. aboutness: sentences of articles about the topic (headline, lead, many mentions) weigh
//!    more than passing mentions, and an article's lead carries its key facts;
//! 3. centrality: a fact that other articles repeat is central (similarity to the matching
//!    sentences of the other articles, idf-weighted);
//! 4. recency, lightly, when the topic is a running story;
//! 5. maximal marginal relevance against redundancy; reports of the same fact in several
//!    articles fold into one bullet that cites them all;
//! 6. the characters left over go to the chosen bullets' next sentences, so a bullet says
//!    what its article says right after the sentence that named the topic.
//!
//! Only standalone sentences open a bullet: a sentence that leans on the one before it
//! ("But …", "He …", "Later that month, …") brings that one along or stays out. Ties are
//! broken by article and position, so the same candidates give the same brief.
//!
//! Pure functions over candidate sentences, so the selection is tested without an index.

use std::collections::HashMap;

/// A sentence that may go into a brief.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub doc: String,
    pub pos: u64,
    /// Where the sentence sits in its document body, in code points.
    pub span: (u64, u64),
    pub text: String,
    /// Analysed (folded, stemmed) terms of the sentence.
    pub terms: Vec<String>,
    /// Whether the sentence itself matches the query.
    pub is_hit: bool,
    /// Search score of a hit (0 for context sentences).
    pub score: f32,
    /// Whether the sentence may open a bullet: prose, not on a furniture line, not inside a
    /// quotation (leaning openings are judged here, see [`leans_on_previous`]).
    pub standalone: bool,
    /// How much the sentence's article is about the topic, 0 to 1.
    pub about: f32,
    /// One of the first sentences of its article's body.
    pub lead: bool,
    /// The article's date in days since 1970 (-1 unknown).
    pub day: i64,
    /// For a running story, how recent the article is among those about the topic, 0
    /// (oldest) to 1 (newest); 0 otherwise.
    pub fresh: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    /// Indices into the candidates: consecutive sentences of one article, in text order
    /// (one or two, and the continuations the budget leaves room for).
    pub sentences: Vec<usize>,
    /// Candidates elsewhere that report the same thing (other articles).
    pub also: Vec<usize>,
}

pub struct Limits {
    pub max_bullets: usize,
    pub max_chars: usize,
}

/// Single words that make a sentence lean on the one before it.
const LEANING_WORDS: &[&str] = &[
    "however",
    "but",
    "and",
    "or",
    "so",
    "nor",
    "yet",
    "that",
    "this",
    "these",
    "those",
    "such",
    "it",
    "its",
    "they",
    "them",
    "their",
    "he",
    "she",
    "his",
    "her",
    "him",
    "since",
    "there",
    "then",
    "still",
    "also",
    "meanwhile",
    "instead",
    "thus",
    "hence",
    "therefore",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "consequently",
    "accordingly",
    "likewise",
    "similarly",
    "additionally",
    "besides",
    "otherwise",
    "indeed",
    "again",
    "later",
    "another",
    "other",
    "both",
    "regardless",
    "conversely",
    "specifically",
];

/// Openings of two or more words that need what came before.
const LEANING_PHRASES: &[&str] = &[
    "the former",
    "the latter",
    "earlier that",
    "in addition",
    "as a result",
    "for example",
    "for instance",
    "in fact",
    "in turn",
    "after all",
    "at the same time",
    "even so",
    "on the other hand",
    "by contrast",
    "in contrast",
    "that said",
    "as such",
];

/// Time words after which "this"/"that" point at the calendar, not at a previous sentence.
const TIME_WORDS: &[&str] =
    &["week", "month", "year", "morning", "afternoon", "evening", "night", "weekend", "summer", "fall", "autumn", "spring", "winter", "season", "time"];

/// Prepositions that, followed by a pronoun ("After this, …"), point back.
const POINTING_PREPOSITIONS: &[&str] = &["after", "before", "since", "despite", "following", "unlike", "like", "besides"];

pub fn leans_on_previous(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<String> = t.split_whitespace().take(4).map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase().replace('’', "'")).collect();
    let Some(first) = words.first() else { return false };
    let second = words.get(1).map_or("", String::as_str);
    if matches!(first.as_str(), "this" | "that" | "these" | "those") && TIME_WORDS.contains(&second) {
        return false;
    }
    if first == "it's" || first == "it'd" {
        return true;
    }
    if LEANING_WORDS.contains(&first.as_str()) {
        return true;
    }
    let opening = words.join(" ");
    if LEANING_PHRASES.iter().any(|p| opening == *p || opening.starts_with(&format!("{p} "))) {
        return true;
    }
    POINTING_PREPOSITIONS.contains(&first.as_str()) && matches!(second, "this" | "that" | "these" | "those" | "it" | "him" | "her" | "them")
}

/// A sentence as weighted terms (ids sorted), for similarity.
struct Vector {
    terms: Vec<(u32, f32)>,
    norm: f32,
}

fn cosine(a: &Vector, b: &Vector) -> f32 {
    if a.norm == 0.0 || b.norm == 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].0.cmp(&b.terms[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a.terms[i].1 * b.terms[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot / (a.norm * b.norm)
}

/// Dice overlap of two sorted term lists: how much two sentences say the same words.
fn dice(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * inter as f32 / (a.len() + b.len()) as f32
}

/// Choose bullets. `idf` weighs terms (rarer terms say more); `query` holds the analysed
/// query terms. Candidates' `terms` must be sorted and deduplicated.
pub fn select(cands: &[Candidate], query: &[String], idf: &dyn Fn(&str) -> f32, limits: &Limits) -> Vec<Bullet> {
    select_with(cands, query, idf, limits, &|_, _| false)
}

/// [`select`], with `same_fact(a, b)` telling which candidates report the same fact (the
/// agreeing groups of [`crate::core::differ`]): they fold into one bullet as near-duplicates
/// do, across articles as more sources, inside one article as one (a heading line that
/// restates its sentence).
pub fn select_with(cands: &[Candidate], query: &[String], idf: &dyn Fn(&str) -> f32, limits: &Limits, same_fact: &dyn Fn(usize, usize) -> bool) -> Vec<Bullet> {
    if cands.is_empty() {
        return Vec::new();
    }
    let in_query = |t: &str| query.iter().any(|q| q == t);

    // Term ids, in sorted order of the terms, so that nothing depends on hashing.
    let mut vocab: Vec<&str> = cands.iter().flat_map(|c| c.terms.iter().map(String::as_str)).collect();
    vocab.sort_unstable();
    vocab.dedup();
    let id: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
    let weights: Vec<f32> = vocab.iter().map(|t| if in_query(t) || t.len() <= 2 { 0.0 } else { idf(t) }).collect();
    let vectors: Vec<Vector> = cands
        .iter()
        .map(|c| {
            let terms: Vec<(u32, f32)> = c.terms.iter().map(|t| id[t.as_str()]).map(|i| (i, weights[i as usize])).filter(|x| x.1 > 0.0).collect();
            let norm = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            Vector { terms, norm }
        })
        .collect();

    // Pseudo-relevance feedback: the terms that characterise the hits say what the topic is
    // about, so that sentences around it ("a land corridor to its exclave") count too.
    let hits: Vec<usize> = (0..cands.len()).filter(|&i| cands[i].is_hit).collect();
    let mut feedback = vec![0.0f32; vocab.len()];
    for &h in &hits {
        for &(t, w) in &vectors[h].terms {
            feedback[t as usize] += w;
        }
    }
    let mut top: Vec<(usize, f32)> = feedback.iter().copied().enumerate().filter(|x| x.1 > 0.0).collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(12);
    let fb_total: f32 = top.iter().map(|f| f.1).sum::<f32>().max(1e-6);
    let mut fb = vec![0.0f32; vocab.len()];
    for (t, w) in top {
        fb[t] = w;
    }

    // Centrality: how strongly the other articles' matching sentences say the same thing
    // (for each other article, its closest matching sentence).
    let mut hits_by_doc: Vec<(&str, Vec<usize>)> = Vec::new();
    for &h in &hits {
        match hits_by_doc.iter_mut().find(|(d, _)| *d == cands[h].doc) {
            Some((_, v)) => v.push(h),
            None => hits_by_doc.push((cands[h].doc.as_str(), vec![h])),
        }
    }
    let raw_centrality: Vec<f32> = (0..cands.len())
        .map(|i| {
            hits_by_doc
                .iter()
                .filter(|(d, _)| *d != cands[i].doc)
                .map(|(_, hs)| hs.iter().map(|&h| cosine(&vectors[i], &vectors[h])).fold(0.0f32, f32::max))
                .filter(|s| *s >= 0.25)
                .sum()
        })
        .collect();
    let max_centrality = raw_centrality.iter().copied().fold(0.0f32, f32::max).max(1e-6);

    let index_of: HashMap<(&str, u64), usize> = cands.iter().enumerate().map(|(i, c)| ((c.doc.as_str(), c.pos), i)).collect();
    let hit_positions: HashMap<&str, Vec<u64>> = hits.iter().fold(HashMap::new(), |mut m, &h| {
        m.entry(cands[h].doc.as_str()).or_default().push(cands[h].pos);
        m
    });
    let max_score = cands.iter().map(|c| c.score).fold(0.0f32, f32::max).max(1e-6);
    let relevance: Vec<f32> = (0..cands.len())
        .map(|i| {
            let c = &cands[i];
            let coverage = if query.is_empty() { 0.0 } else { query.iter().filter(|q| c.terms.binary_search(q).is_ok()).count() as f32 / query.len() as f32 };
            let context: f32 = vectors[i].terms.iter().map(|&(t, _)| fb[t as usize]).sum::<f32>() / fb_total;
            let distance = hit_positions.get(c.doc.as_str()).and_then(|ps| ps.iter().map(|p| p.abs_diff(c.pos)).min());
            let proximity = distance.filter(|d| *d <= 4).map_or(0.0, |d| 1.0 / (1.0 + d as f32));
            let centrality = raw_centrality[i] / max_centrality;
            let recency = c.fresh;
            let lead = f32::from(u8::from(c.lead));
            let base = if c.is_hit {
                1.0 + 0.4 * coverage + 0.2 * (c.score / max_score) + 0.2 * context.min(1.0) + 0.2 * subject(c, query)
            } else if context >= 0.12 && proximity > 0.0 || context >= 0.3 || c.lead && c.about >= 0.4 {
                0.45 * context.min(1.0) + 0.35 * proximity
            } else {
                return 0.0;
            };
            let length = c.text.chars().count() as f32;
            let long = ((length - 250.0) / 450.0).clamp(0.0, 1.0);
            // Content: a sentence with few words of substance ("Pence said Trump will follow a
            // different schedule.") carries less than one naming who did what, where, how many.
            let content = (vectors[i].terms.len() as f32 / 12.0).min(1.0);
            // Aboutness scales the whole score: a passing mention in an article on something
            // else weighs half of the same words in an article about the topic.
            (base + 0.6 * c.about + 0.3 * lead * c.about + 0.5 * centrality + 0.05 * recency)
                * (1.0 - 0.25 * long)
                * reporting(&c.text)
                * (0.5 + 0.5 * c.about)
                * (0.6 + 0.4 * content)
        })
        .collect();

    let mut used = vec![false; cands.len()];
    let mut bullets: Vec<Bullet> = Vec::new();
    let mut chars = 0usize;
    let mut tried = vec![false; cands.len()];
    while bullets.len() < limits.max_bullets {
        let mut best: Option<(usize, f32)> = None;
        for i in 0..cands.len() {
            if used[i] || tried[i] || relevance[i] <= 0.0 || !cands[i].standalone {
                continue;
            }
            // Redundancy: the same words (Dice; a near-duplicate is left out) or the same rare
            // words in other wording (idf-weighted cosine, a penalty only).
            let (redundancy, similar) = bullets
                .iter()
                .flat_map(|b| b.sentences.iter().chain(&b.also))
                .map(|&s| if same_fact(i, s) { (1.0, 1.0) } else { (dice(&cands[i].terms, &cands[s].terms), cosine(&vectors[i], &vectors[s])) })
                .fold((0.0f32, 0.0f32), |a, b| (a.0.max(b.0), a.1.max(b.1)));
            if redundancy >= 0.6 {
                continue;
            }
            // Another bullet from an article already quoted says less that is new.
            let same_article = bullets.iter().filter(|b| cands[b.sentences[0]].doc == cands[i].doc).count() as f32;
            let mmr = 0.7 * relevance[i] - 0.6 * redundancy.max(similar) - 0.5 * same_article;
            let better = match best {
                None => true,
                Some((b, m)) => mmr > m || mmr == m && (cands[i].doc.as_str(), cands[i].pos) < (cands[b].doc.as_str(), cands[b].pos),
            };
            if better {
                best = Some((i, mmr));
            }
        }
        let Some((i, _)) = best else { break };
        tried[i] = true;
        // A sentence that leans on the one before opens its bullet with that one, when that
        // one stands alone; otherwise it cannot be a bullet. A following sentence that leans
        // on this one comes along.
        let prev = index_of.get(&(cands[i].doc.as_str(), cands[i].pos.wrapping_sub(1))).copied();
        let next = index_of.get(&(cands[i].doc.as_str(), cands[i].pos + 1)).copied();
        let mut sentences = vec![i];
        if leans_on_previous(&cands[i].text) {
            match prev.filter(|&p| !used[p] && cands[p].standalone && !leans_on_previous(&cands[p].text)) {
                Some(p) => sentences.insert(0, p),
                None => continue,
            }
        } else if let Some(n) = next
            .filter(|&n| !used[n] && leans_on_previous(&cands[n].text) && cands[n].standalone && (relevance[n] > 0.0 || cands[n].text.chars().count() <= 150))
        {
            sentences.push(n);
        }
        let len = |ss: &[usize]| ss.iter().map(|&s| cands[s].text.chars().count() + 1).sum::<usize>();
        if chars + len(&sentences) > limits.max_chars {
            if sentences.len() == 2 && sentences[0] == i && chars + len(&[i]) <= limits.max_chars {
                sentences.truncate(1);
            } else {
                continue;
            }
        }
        for &s in &sentences {
            used[s] = true;
        }
        chars += len(&sentences);
        // The same report in other articles: cite them instead of repeating it.
        let mut also: Vec<usize> = Vec::new();
        for j in 0..cands.len() {
            if used[j] {
                continue;
            }
            // A repeat inside the article (a heading restating its sentence) is the same bullet.
            if cands[j].doc == cands[i].doc {
                if sentences.iter().any(|&s| same_fact(s, j)) {
                    used[j] = true;
                }
                continue;
            }
            if also.iter().any(|&a| cands[a].doc == cands[j].doc) {
                continue;
            }
            if sentences.iter().any(|&s| dice(&cands[s].terms, &cands[j].terms) >= 0.6 || same_fact(s, j)) {
                used[j] = true;
                also.push(j);
            }
        }
        bullets.push(Bullet { sentences, also });
    }
    continue_bullets(cands, &relevance, &index_of, &mut used, &mut bullets, chars, limits, same_fact);
    bullets
}

/// Following sentences a bullet may take on when the brief has characters to spare.
const CONTINUATION_SENTENCES: usize = 2;

/// The characters the chosen bullets leave unused go to what their articles say next: a
/// bullet continues with the sentence after its last one (up to
/// [`CONTINUATION_SENTENCES`] of them), so a lead that names the topic brings the result,
/// the number or the cause that its article gives in the following sentence, which need
/// not name the topic. A continuation must be relevant (it names the topic, or shares the
/// matches' vocabulary next to a mention: not the crossword line after the story), stand as
/// prose (no furniture line, not inside a quotation) and say nothing the brief already says;
/// the most relevant continuations go first while the budget lasts. Only candidates are
/// read: nothing more from the index.
#[allow(clippy::too_many_arguments)]
fn continue_bullets(
    cands: &[Candidate],
    relevance: &[f32],
    index_of: &HashMap<(&str, u64), usize>,
    used: &mut [bool],
    bullets: &mut [Bullet],
    mut chars: usize,
    limits: &Limits,
    same_fact: &dyn Fn(usize, usize) -> bool,
) {
    for _ in 0..CONTINUATION_SENTENCES {
        let mut next: Vec<(usize, usize)> = bullets
            .iter()
            .enumerate()
            .filter_map(|(b, bullet)| {
                let last = &cands[*bullet.sentences.last()?];
                let n = *index_of.get(&(last.doc.as_str(), last.pos + 1))?;
                (!used[n] && cands[n].standalone && relevance[n] > 0.0).then_some((b, n))
            })
            .collect();
        next.sort_by(|a, b| relevance[b.1].total_cmp(&relevance[a.1]).then(a.0.cmp(&b.0)));
        let mut grew = false;
        for (b, n) in next {
            let len = cands[n].text.chars().count() + 1;
            if chars + len > limits.max_chars {
                continue;
            }
            let repeats =
                bullets.iter().flat_map(|x| x.sentences.iter().chain(&x.also)).any(|&s| same_fact(n, s) || dice(&cands[n].terms, &cands[s].terms) >= 0.6);
            if repeats {
                continue;
            }
            used[n] = true;
            chars += len;
            bullets[b].sentences.push(n);
            grew = true;
        }
        if !grew {
            break;
        }
    }
}

/// Reported fact over voiced opinion: a sentence that is mostly a direct quotation, or a
/// question, informs less in a brief than the reporting around it.
fn reporting(text: &str) -> f32 {
    if text.trim_end_matches(['"', '”', '’', '\'', ')']).ends_with('?') {
        return 0.7;
    }
    let mut quoted = 0usize;
    let mut inside = false;
    let mut total = 0usize;
    for c in text.chars() {
        match c {
            '“' => inside = true,
            '”' => inside = false,
            '"' => inside = !inside,
            _ if inside => quoted += 1,
            _ => {}
        }
        total += 1;
    }
    if quoted * 2 > total { 0.8 } else { 1.0 }
}

/// The topic as the sentence's subject: a query term among its first words.
fn subject(c: &Candidate, query: &[String]) -> f32 {
    let head: Vec<String> = c.text.split_whitespace().take(6).map(|w| w.trim_matches(|ch: char| !ch.is_alphanumeric()).to_lowercase()).collect();
    let early = query.iter().any(|q| head.iter().any(|w| w.starts_with(q.as_str())));
    f32::from(u8::from(early))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(doc: &str, pos: u64, text: &str, hit: bool) -> Candidate {
        let mut terms: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).map(|w| w.to_lowercase()).collect();
        terms.sort();
        terms.dedup();
        Candidate {
            doc: doc.into(),
            pos,
            span: (0, 0),
            text: text.into(),
            terms,
            is_hit: hit,
            score: if hit { 1.0 } else { 0.0 },
            standalone: true,
            about: 0.0,
            lead: false,
            day: -1,
            fresh: 0.0,
        }
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
    fn characters_left_over_continue_a_bullet_with_its_next_sentences() {
        // The sentences after a mention tell what happened without naming the topic: no
        // bullet of their own, but the brief has room to let the bullet go on.
        let mut cands = vec![
            cand("a", 0, "The Tarn dam burst on Monday after a week of heavy rain.", true),
            cand("a", 1, "The dam flood reached three hundred homes in the valley.", false),
            cand("a", 2, "Rescue crews at the dam evacuated nine villages by boat.", false),
            cand("a", 3, "Engineers had warned of cracks in the dam wall since spring.", false),
            cand("b", 0, "Officials said the Tarn dam would be rebuilt within two years.", true),
            cand("b", 1, "Photo: the dam seen from the valley road", false),
            cand("c", 0, "Tourists photographed the Tarn dam at dusk on Sunday.", true),
            cand("c", 1, "A crossword appears on page nine.", false),
        ];
        cands[5].standalone = false;
        let q = vec!["tarn".to_string()];
        let three = Limits { max_bullets: 3, max_chars: 1500 };
        let all: Vec<Vec<usize>> = select(&cands, &q, &|_| 1.0, &three).iter().map(|b| b.sentences.clone()).collect();
        assert!(all.contains(&vec![0, 1, 2]), "the bullet goes on with two following sentences, no more: {all:?}");
        assert!(all.contains(&vec![4]), "a following line that does not stand as prose is not taken: {all:?}");
        assert!(all.contains(&vec![6]), "an unrelated following sentence is not taken: {all:?}");
        // No room: the bullets stay as chosen.
        let tight = Limits { max_bullets: 3, max_chars: 175 };
        let all: Vec<Vec<usize>> = select(&cands, &q, &|_| 1.0, &tight).iter().map(|b| b.sentences.clone()).collect();
        assert_eq!(all.iter().map(Vec::len).sum::<usize>(), 3, "{all:?}");
        // A following sentence that repeats another bullet is left out.
        cands[1] = cand("a", 1, "Officials said the Tarn dam would be rebuilt within two years.", false);
        let all: Vec<Vec<usize>> = select(&cands, &q, &|_| 1.0, &three).iter().map(|b| b.sentences.clone()).collect();
        assert!(all.iter().all(|s| !(s.contains(&0) && s.contains(&1))), "{all:?}");
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
