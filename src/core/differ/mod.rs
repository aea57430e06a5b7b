//! Same facts and disagreements across articles (issue 15).
//!
//! Sentences of different articles that frame the same fact (the same content words and
//! names, idf-weighted) are compared slot by slot:
//!
//! - **agree**: nothing differs; they become one group ("3 sources");
//! - **differ**: the same unit counted with another number, another date at the same
//!   granularity, another name in the same role (the same title or word before it), or a
//!   place of the route in another role ("through Iran to Azerbaijan" against "via
//!   Azerbaijan" to Iran);
//! - **update**: a number or date differs, the articles have different dates, and the earlier
//!   report looks ahead ("expected to sign four") or the later one says it changed ("rose to
//!   17"): later reports, not a disagreement;
//! - **different facts**: a name on one side that the other article never mentions, or names
//!   on both sides in no shared role, say the sentences are about different things.
//!
//! Precision first: a pair differs only when the frame is shared and nothing says the two
//! sentences are about different things. Pure functions; the engine gathers the sentences.

pub mod features;
pub mod live;

use std::collections::{BTreeSet, HashMap, HashSet};

use features::{DateKind, Features, Name, extract, known_names, same_name_given};

use crate::core::gazetteer;

/// A sentence to compare.
#[derive(Debug, Clone)]
pub struct Statement {
    pub doc: String,
    pub pos: u64,
    pub text: String,
    /// The article's date in days since 1970 (-1 unknown).
    pub day: i64,
}

/// What two versions differ on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Point {
    /// A number counting the same thing (the unit, "people", "%").
    Number(String),
    Date,
    /// A person, place or organisation in the same role.
    Name,
    Direction,
}

impl Point {
    /// A short phrase for the reader: "the number (people)", "the direction".
    pub fn label(&self) -> String {
        match self {
            Point::Number(u) if u == "%" => "the percentage".into(),
            Point::Number(u) if u.is_empty() => "a number".into(),
            Point::Number(u) => format!("the number ({u})"),
            Point::Date => "the date".into(),
            Point::Name => "who or where".into(),
            Point::Direction => "the direction".into(),
        }
    }
}

/// How two statements relate.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    Agree,
    Differ(Vec<Point>),
    /// The second is a later report that changes the first.
    Update,
    Unrelated,
}

/// Versions of one fact that disagree: each claim is a set of statements that agree.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// Statement indices per version; each version holds at least one statement, and the
    /// versions come from at least two articles.
    pub claims: Vec<Vec<usize>>,
    pub points: Vec<Point>,
}

/// An earlier report and a later one that changes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub earlier: usize,
    pub later: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Statements that agree, across articles (each group has two articles or more), and
    /// repeats inside one article.
    pub groups: Vec<Vec<usize>>,
    pub disagreements: Vec<Disagreement>,
    pub updates: Vec<Update>,
}

impl Comparison {
    /// The agreeing group holding statement `i`, if any.
    pub fn group_of(&self, i: usize) -> Option<&Vec<usize>> {
        self.groups.iter().find(|g| g.contains(&i))
    }
}

/// Thresholds of the frame similarity (idf-weighted overlap of content words and shared names).
const SAME_FRAME: f32 = 0.5;
const AGREE_DICE: f32 = 0.6;
/// The least frame similarity (Dice) for a difference or a later report, beyond a shared frame.
const MIN_DIFFER_DICE: f32 = 0.35;

/// What the comparison needs of a whole article (not only of its compared sentences): the
/// names it writes with a capital in mid-sentence, and whether it is a live blog. A function
/// of the article's sentences alone, so a caller may keep it for the next comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFacts {
    pub known: HashSet<String>,
    /// The known names that are demonyms, with their country (for [`features::same_name`]).
    pub countries: HashMap<String, &'static str>,
    pub live_blog: bool,
}

impl ArticleFacts {
    pub fn of<S: AsRef<str>>(sentences: &[S]) -> ArticleFacts {
        let known = known_names(sentences);
        let countries = known.iter().filter_map(|k| gazetteer::country_of_demonym(k).map(|c| (k.clone(), c))).collect();
        ArticleFacts { known, countries, live_blog: live::is_live_blog(sentences) }
    }

    /// The article names `name` ([`features::same_name`] of a known name and its key).
    fn mentions(&self, name: &Name) -> bool {
        self.known.contains(&name.key) || self.known.iter().any(|m| same_name_given(m, &name.key, self.countries.get(m).copied(), name.country))
    }
}

/// Compare statements. `articles` gives each article's sentences (for the names it mentions).
pub fn compare(stmts: &[Statement], articles: &HashMap<String, Vec<String>>) -> Comparison {
    let facts: HashMap<String, ArticleFacts> = articles.iter().map(|(d, ss)| (d.clone(), ArticleFacts::of(ss))).collect();
    let facts: HashMap<&str, &ArticleFacts> = facts.iter().map(|(d, f)| (d.as_str(), f)).collect();
    compare_with(stmts, &facts)
}

/// [`compare`] with each article's [`ArticleFacts`] already known.
pub fn compare_with(stmts: &[Statement], articles: &HashMap<&str, &ArticleFacts>) -> Comparison {
    let empty = HashSet::new();
    // Live blogs: their entries' clock times are stamps, not what the entries say.
    let live_blogs: HashSet<&str> = articles.iter().filter(|(_, f)| f.live_blog).map(|(d, _)| *d).collect();
    let feats: Vec<Features> = stmts
        .iter()
        .map(|s| {
            let text = if live_blogs.contains(s.doc.as_str()) { live::without_entry_time(&s.text) } else { &s.text };
            extract(text, articles.get(s.doc.as_str()).map_or(&empty, |f| &f.known))
        })
        .collect();
    // Inverse document frequency over the statements themselves.
    let mut df: HashMap<String, usize> = HashMap::new();
    for f in &feats {
        let keys: BTreeSet<String> = f.words.iter().cloned().chain(f.names.iter().map(|n| name_term(&n.key))).collect();
        for k in keys {
            *df.entry(k).or_default() += 1;
        }
    }
    let n = stmts.len().max(1) as f32;
    let idf = |k: &str| (1.0 + n / *df.get(k).unwrap_or(&1) as f32).ln();
    // Each statement's weights once, not once per pair (the pairs are quadratic), and its
    // words as numbers of one sorted vocabulary, each with the words `same_word` relates it
    // to (a word and the words it begins, five letters or more): pairs compare numbers.
    let mut vocab: Vec<&str> = feats.iter().flat_map(|f| f.words.iter().map(String::as_str)).collect();
    vocab.sort_unstable();
    vocab.dedup();
    let mut related: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
    for i in 0..vocab.len() {
        if vocab[i].len() < 5 {
            continue;
        }
        // Sorted, the words that begin with `vocab[i]` follow it.
        for j in i + 1..vocab.len() {
            if !vocab[j].starts_with(vocab[i]) {
                break;
            }
            related[i].push(j as u32);
            related[j].push(i as u32);
        }
    }
    let weighed: Vec<Weighed<'_>> = feats.iter().map(|f| Weighed::new(f, &idf, &vocab)).collect();

    let mut agree: Vec<(usize, usize)> = Vec::new();
    let mut differ: Vec<(usize, usize, Vec<Point>)> = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    for i in 0..stmts.len() {
        for j in i + 1..stmts.len() {
            let same_doc = stmts[i].doc == stmts[j].doc;
            let rel = relate(&stmts[i], &weighed[i], &stmts[j], &weighed[j], articles, &related, same_doc);
            // Two live blogs not known to be of the same day tell different moments of a
            // running story (one evening's primaries, another's), not versions of one fact
            // nor later reports of it.
            let same_day = stmts[i].day >= 0 && stmts[i].day == stmts[j].day;
            let moments = live_blogs.contains(stmts[i].doc.as_str()) && live_blogs.contains(stmts[j].doc.as_str()) && !same_day;
            match rel {
                Relation::Agree => agree.push((i, j)),
                Relation::Differ(p) if !same_doc && !moments => differ.push((i, j, p)),
                Relation::Update if !same_doc && !moments => {
                    let (e, l) = if stmts[i].day <= stmts[j].day { (i, j) } else { (j, i) };
                    updates.push(Update { earlier: e, later: l });
                }
                _ => {}
            }
        }
    }

    // Agreeing groups: connected by agreement.
    let mut parent: Vec<usize> = (0..stmts.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    // Never join two groups whose members differ or update each other: agreement is not
    // carried through a third report ("3,200 people" and "5,000 people" both agreeing with a
    // report that gives no number of people).
    let apart: HashSet<(usize, usize)> =
        differ.iter().map(|d| (d.0, d.1)).chain(updates.iter().map(|u| (u.earlier.min(u.later), u.earlier.max(u.later)))).collect();
    let mut members_of: HashMap<usize, Vec<usize>> = (0..stmts.len()).map(|i| (i, vec![i])).collect();
    for &(a, b) in &agree {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        let clash = members_of[&ra].iter().any(|&x| members_of[&rb].iter().any(|&y| apart.contains(&(x.min(y), x.max(y)))));
        if clash {
            continue;
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        parent[gone] = keep;
        let moved = members_of.remove(&gone).unwrap_or_default();
        members_of.entry(keep).or_default().extend(moved);
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..stmts.len() {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_values().filter(|g| g.len() >= 2).collect();
    groups.sort();

    // Disagreements: agreeing groups (or single statements) joined by a difference. A
    // difference between two members of one agreeing group is dropped: the group decides.
    let mut joined: HashMap<(usize, usize), BTreeSet<Point>> = HashMap::new();
    for (a, b, points) in differ {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        joined.entry((ra.min(rb), ra.max(rb))).or_default().extend(points);
    }
    let members = |r: usize, parent: &mut Vec<usize>| (0..stmts.len()).filter(|&k| find(parent, k) == r).collect::<Vec<_>>();
    // Versions joined by differences form one disagreement (a fact with three versions).
    let mut dparent: HashMap<usize, usize> = HashMap::new();
    fn dfind(p: &mut HashMap<usize, usize>, x: usize) -> usize {
        let mut r = x;
        while let Some(&q) = p.get(&r) {
            if q == r {
                break;
            }
            r = q;
        }
        r
    }
    let mut pairs: Vec<(&(usize, usize), &BTreeSet<Point>)> = joined.iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    for ((a, b), _) in &pairs {
        dparent.entry(*a).or_insert(*a);
        dparent.entry(*b).or_insert(*b);
        let (ra, rb) = (dfind(&mut dparent, *a), dfind(&mut dparent, *b));
        if ra != rb {
            dparent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut found: HashMap<usize, (BTreeSet<usize>, BTreeSet<Point>)> = HashMap::new();
    for ((a, b), points) in &pairs {
        let r = dfind(&mut dparent, *a);
        let e = found.entry(r).or_default();
        e.0.insert(*a);
        e.0.insert(*b);
        e.1.extend(points.iter().cloned());
    }
    // An article on two sides of it is a running story telling its own updates, not sources
    // that differ.
    let mut disagreements: Vec<Disagreement> = found
        .into_values()
        .map(|(roots, points)| Disagreement { claims: roots.into_iter().map(|r| members(r, &mut parent)).collect(), points: points.into_iter().collect() })
        .filter(|d| {
            let docs: Vec<BTreeSet<&str>> = d.claims.iter().map(|c| c.iter().map(|&i| stmts[i].doc.as_str()).collect()).collect();
            docs.iter().enumerate().all(|(x, dx)| docs[x + 1..].iter().all(|dy| dx.is_disjoint(dy)))
        })
        .collect();
    disagreements.sort_by(|a, b| a.claims.cmp(&b.claims));
    updates.sort_by_key(|u| (u.earlier, u.later));
    Comparison { groups, disagreements, updates }
}

fn name_term(key: &str) -> String {
    // The last word of a name, cut to a stem length, so "Iran" meets "Iranian".
    let last = key.rsplit(' ').next().unwrap_or(key);
    format!("@{}", last.chars().take(4).collect::<String>())
}

/// Do two content words say the same: equal, or one the other with an ending ("mayor",
/// "mayoral"; "elect", "election")?
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || short.len() >= 5 && long.starts_with(short)
}

/// A statement's features with the idf of each word and name, the words' sum, and its words
/// as numbers of the comparison's vocabulary.
struct Weighed<'a> {
    f: &'a Features,
    word_idf: Vec<f32>,
    words_sum: f32,
    name_idf: Vec<f32>,
    /// `f.words` as numbers, in order (ascending: the words are sorted, as the vocabulary).
    word_ids: Vec<u32>,
}

impl<'a> Weighed<'a> {
    fn new(f: &'a Features, idf: &dyn Fn(&str) -> f32, vocab: &[&str]) -> Weighed<'a> {
        let word_idf: Vec<f32> = f.words.iter().map(|w| idf(w)).collect();
        // Summed in the words' order, as the pair's weights always were.
        let words_sum = word_idf.iter().sum::<f32>();
        let name_idf = f.names.iter().map(|n| idf(&name_term(&n.key))).collect();
        let word_ids = f.words.iter().map(|w| vocab.binary_search(&w.as_str()).map_or(u32::MAX, |i| i as u32)).collect();
        Weighed { f, word_idf, words_sum, name_idf, word_ids }
    }

    /// Does some word of this statement say the same as word number `id` ([`same_word`])?
    fn has_word(&self, id: u32, related: &[Vec<u32>]) -> bool {
        self.word_ids.binary_search(&id).is_ok() || related.get(id as usize).is_some_and(|r| r.iter().any(|x| self.word_ids.binary_search(x).is_ok()))
    }
}

/// How statement `b` relates to statement `a` (each with its weights, see [`Weighed`];
/// `related` gives the words each word of the vocabulary says the same as).
fn relate(
    sa: &Statement,
    pa: &Weighed<'_>,
    sb: &Statement,
    pb: &Weighed<'_>,
    known: &HashMap<&str, &ArticleFacts>,
    related: &[Vec<u32>],
    same_doc: bool,
) -> Relation {
    let (a, b) = (pa.f, pb.f);
    // The frame: content words, and the names both sentences carry. No word in common
    // relates nothing (looked at first: most pairs stop here).
    let shared_words: Vec<usize> = (0..a.words.len()).filter(|&k| pb.has_word(pa.word_ids[k], related)).collect();
    if shared_words.is_empty() {
        return Relation::Unrelated;
    }
    let shared_names_a: Vec<usize> = (0..a.names.len()).filter(|&k| b.names.iter().any(|m| a.names[k].same(m))).collect();
    let name_weight: f32 = shared_names_a.iter().map(|&k| pa.name_idf[k]).sum();
    let wa = pa.words_sum + name_weight;
    let wb = pb.words_sum + name_weight;
    let shared: f32 = shared_words.iter().map(|&k| pa.word_idf[k]).sum::<f32>() + name_weight;
    if wa <= 0.0 || wb <= 0.0 {
        return Relation::Unrelated;
    }
    let overlap = shared / wa.min(wb);
    let dice = 2.0 * shared / (wa + wb);
    // A route told two ways needs less of a frame: the same thing moving between the same
    // places ("gas via Azerbaijan" to Iran, "gas through Iran to Azerbaijan").
    let direction = direction_differs(a, b);
    // Short sentences count too when everything but the slots is the same ("Turnout was 61
    // per cent" against "Turnout was 48 per cent").
    let framed = overlap >= SAME_FRAME && (shared_words.len() + shared_names_a.len() >= 3 || dice >= 0.99);
    if !framed && !direction {
        return Relation::Unrelated;
    }
    // "A second pipeline", "the neighbouring district": another one of the kind.
    if a.another != b.another {
        return Relation::Unrelated;
    }

    // A sentence telling two moments of one kind ("declared on Saturday, lifted on
    // Wednesday") is no version of a sentence telling one of them, nor of another pair.
    for kind in [DateKind::Year, DateKind::Month, DateKind::Weekday] {
        let da: BTreeSet<&str> = a.dates.iter().filter(|d| d.0 == kind).map(|d| d.1.as_str()).collect();
        let db: BTreeSet<&str> = b.dates.iter().filter(|d| d.0 == kind).map(|d| d.1.as_str()).collect();
        if (da.len() >= 2 || db.len() >= 2) && da != db {
            return Relation::Unrelated;
        }
    }

    let mut points: Vec<Point> = Vec::new();
    // Numbers counting the same thing.
    let units: BTreeSet<&str> = a.numbers.iter().map(|x| x.unit.as_str()).filter(|u| !u.is_empty()).collect();
    for u in units {
        let va: Vec<f64> = a.numbers.iter().filter(|x| x.unit == u).map(|x| x.value).collect();
        let vb: Vec<f64> = b.numbers.iter().filter(|x| x.unit == u).map(|x| x.value).collect();
        if !vb.is_empty() && !va.iter().any(|x| vb.iter().any(|y| same_value(*x, *y))) {
            points.push(Point::Number(u.to_string()));
        }
    }
    // Figures that do not match, whatever they count: never the same fact, maybe an update.
    let loose = !a.numbers.is_empty()
        && !b.numbers.is_empty()
        && (a.numbers.iter().any(|x| !b.numbers.iter().any(|y| same_value(x.value, y.value)))
            || b.numbers.iter().any(|y| !a.numbers.iter().any(|x| same_value(x.value, y.value))));
    // Dates at the same granularity.
    for kind in [DateKind::Year, DateKind::Month, DateKind::Weekday] {
        let da: BTreeSet<&str> = a.dates.iter().filter(|d| d.0 == kind).map(|d| d.1.as_str()).collect();
        let db: BTreeSet<&str> = b.dates.iter().filter(|d| d.0 == kind).map(|d| d.1.as_str()).collect();
        if !da.is_empty() && !db.is_empty() && da.is_disjoint(&db) {
            // "December 1" against "December": the same month, said more precisely.
            let month = |s: &str| s.split(' ').next().unwrap_or("").to_string();
            if kind == DateKind::Month && da.iter().any(|x| db.iter().any(|y| month(x) == month(y) && (!x.contains(' ') || !y.contains(' ')))) {
                continue;
            }
            if !points.contains(&Point::Date) {
                points.push(Point::Date);
            }
        }
    }
    if direction {
        points.push(Point::Direction);
    }
    // A name the other sentence lacks: another name in the same role is a difference; a
    // name the other article never mentions (other than a role holder, "chief executive
    // Ruth Caldera") says the sentences are about different things.
    let only_a: Vec<&Name> = a.names.iter().filter(|n| !b.names.iter().any(|m| n.same(m))).collect();
    let only_b: Vec<&Name> = b.names.iter().filter(|n| !a.names.iter().any(|m| n.same(m))).collect();
    let mut matched_a = vec![false; only_a.len()];
    let mut matched_b = vec![false; only_b.len()];
    for (x, na) in only_a.iter().enumerate() {
        for (y, nb) in only_b.iter().enumerate() {
            let role = !na.before.is_empty() && na.before == nb.before || !na.after.is_empty() && na.after == nb.after;
            if role && na.route == nb.route {
                matched_a[x] = true;
                matched_b[y] = true;
            }
        }
    }
    let mentions = |doc: &str, n: &Name| known.get(doc).is_some_and(|f| f.mentions(n));
    let holder = |n: &Name| gazetteer::is_title_word(&n.before);
    let foreign_a = only_a.iter().enumerate().any(|(x, n)| !matched_a[x] && !holder(n) && !mentions(&sb.doc, n));
    let foreign_b = only_b.iter().enumerate().any(|(y, n)| !matched_b[y] && !holder(n) && !mentions(&sa.doc, n));
    let unmatched_both = matched_a.iter().any(|m| !m) && matched_b.iter().any(|m| !m);
    if foreign_a || foreign_b || unmatched_both {
        return Relation::Unrelated;
    }
    if matched_a.iter().any(|m| *m) {
        // Another name and another figure or date: another event ("Chelsea Clinton's 2010
        // wedding", "Trump's wedding in 2005"), not one told two ways.
        if points.iter().any(|p| matches!(p, Point::Number(_) | Point::Date)) {
            return Relation::Unrelated;
        }
        points.push(Point::Name);
    }
    // Figures of two measurements ("45 to 40 percent", "47 percent to 46 percent"): with no
    // figure in common, another poll, count or contest.
    if a.numbers.len() >= 2 && b.numbers.len() >= 2 && !a.numbers.iter().any(|x| b.numbers.iter().any(|y| same_value(x.value, y.value))) {
        return Relation::Unrelated;
    }
    let days_apart = sa.day >= 0 && sb.day >= 0 && sa.day != sb.day;
    let (earlier, later) = if sa.day <= sb.day { (a, b) } else { (b, a) };
    // A running count ("now has at least 882 delegates") moves on within a day too.
    let moved_on = days_apart && (earlier.prospective && !later.prospective || later.change) || a.change || b.change;

    // A later report needs the frame to hold beyond a shared name and title, as a difference
    // does ("Sen. Ted Cruz ... is endorsing" / "Sen. Ted Cruz, R-Texas, was at seven percent").
    let held = dice >= MIN_DIFFER_DICE;
    if points.is_empty() {
        if loose {
            return if moved_on && !same_doc && held { Relation::Update } else { Relation::Unrelated };
        }
        // A plan and what came of it are not one fact ("needs approval", "approved").
        if a.prospective != b.prospective {
            return Relation::Unrelated;
        }
        // Agreement needs more than a shared frame: most of the words in common.
        let agree = dice >= AGREE_DICE || overlap >= 0.75 && dice >= 0.45 || same_doc && overlap >= 0.9;
        return if agree { Relation::Agree } else { Relation::Unrelated };
    }
    if same_doc {
        return Relation::Unrelated;
    }
    // A plan against a fact, a denial against a statement ("were not invited" / "attended"),
    // or a quotation (an opinion voiced) contradicts nothing in a slot.
    let quoted = |s: &Statement| s.text.contains(['"', '“', '”']);
    if a.prospective != b.prospective && !moved_on || a.negated != b.negated || quoted(sa) || quoted(sb) {
        return Relation::Unrelated;
    }
    // A running story that says it moves on ("adding to her lead after victories in Alabama",
    // "widening her lead with a win in Florida") reports new events, not other versions.
    if days_apart && (a.change || b.change) && !points.iter().all(|p| matches!(p, Point::Number(_) | Point::Date)) {
        return Relation::Unrelated;
    }
    // Later reports: a number or a date moved on between articles of different days.
    if points.iter().all(|p| matches!(p, Point::Number(_) | Point::Date)) && moved_on {
        return if held { Relation::Update } else { Relation::Unrelated };
    }
    // A difference needs the frame to hold beyond the shared words.
    if !direction && !held {
        return Relation::Unrelated;
    }
    points.sort();
    Relation::Differ(points)
}

fn same_value(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9 * x.abs().max(1.0)
}

/// A route told two ways: a place both sentences give a route role ("via", "to", "from")
/// in different roles, no other place in the same role on both sides (that is another
/// route), and the same thing moving ("gas").
fn direction_differs(a: &Features, b: &Features) -> bool {
    let route_a: Vec<&Name> = a.names.iter().filter(|n| n.route.is_some()).collect();
    let route_b: Vec<&Name> = b.names.iter().filter(|n| n.route.is_some()).collect();
    if route_a.is_empty() || route_b.is_empty() {
        return false;
    }
    let named_in = |n: &Name, f: &Features| f.names.iter().any(|m| n.same(m));
    let other_route = route_a.iter().filter(|n| !named_in(n, b)).any(|na| route_b.iter().filter(|n| !named_in(n, a)).any(|nb| na.route == nb.route));
    if other_route {
        return false;
    }
    if !a.moved.iter().any(|w| b.moved.iter().any(|v| same_word(w, v))) {
        return false;
    }
    route_a.iter().any(|na| route_b.iter().any(|nb| na.same(nb) && na.route != nb.route))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(doc: &str, pos: u64, day: i64, text: &str) -> Statement {
        Statement { doc: doc.into(), pos, text: text.into(), day }
    }

    fn run(stmts: &[Statement]) -> Comparison {
        let mut articles: HashMap<String, Vec<String>> = HashMap::new();
        for s in stmts {
            articles.entry(s.doc.clone()).or_default().push(s.text.clone());
        }
        compare(stmts, &articles)
    }

    #[test]
    fn a_number_for_the_same_thing_differs() {
        let c = run(&[
            st("a", 0, 100, "The ferry from Olden capsized near the Skarv lighthouse, drowning 31 passengers."),
            st("b", 0, 100, "The ferry from Olden capsized near the Skarv lighthouse, drowning 44 passengers."),
            st("c", 0, 100, "The ferry from Olden capsized near the Skarv lighthouse, drowning 31 passengers, officials said."),
            st("a", 1, 100, "The harbour master said the weather had been calm all week."),
        ]);
        assert_eq!(c.disagreements.len(), 1, "{c:?}");
        assert_eq!(c.disagreements[0].claims, vec![vec![0, 2], vec![1]]);
        assert_eq!(c.disagreements[0].points, vec![Point::Number("passenger".into())]);
    }

    #[test]
    fn a_later_report_that_changes_a_figure_is_an_update() {
        let c = run(&[
            st("a", 0, 100, "The ferry disaster near the Skarv lighthouse has killed 31 passengers, the coastguard said."),
            st("b", 0, 104, "The number of passengers killed in the ferry disaster near the Skarv lighthouse has risen to 40, the coastguard said."),
        ]);
        assert!(c.disagreements.is_empty(), "{c:?}");
    }

    #[test]
    fn another_place_in_the_same_role_differs_but_another_story_does_not() {
        let c = run(&[
            st("a", 0, 100, "The treaty was signed in Varna by the foreign ministers of both countries."),
            st("b", 0, 100, "The treaty was signed in Sofiya by the foreign ministers of both countries."),
            st("c", 0, 100, "In Ostra, a separate treaty on fishing was signed by the foreign ministers of Kolm and Dara."),
        ]);
        assert_eq!(c.disagreements.len(), 1, "{c:?}");
        assert_eq!(c.disagreements[0].claims, vec![vec![0], vec![1]]);
    }

    #[test]
    fn a_route_reversed_differs() {
        let c = run(&[
            st("a", 0, 100, "Under the new deal, Iran began to import Russian gas via Azerbaijan."),
            st("b", 0, 100, "The deal covers the transit of Russian gas through Iran to Azerbaijan."),
        ]);
        assert_eq!(c.disagreements.len(), 1, "{c:?}");
        assert_eq!(c.disagreements[0].points, vec![Point::Direction]);
    }

    #[test]
    fn running_counts_polls_and_denials_are_not_versions() {
        let c = run(&[
            st("a", 0, 100, "The Harlow poll shows Vance beating Mora 45 to 40 percent among likely voters."),
            st("b", 0, 101, "A second survey had Vance beating Mora 47 to 46 percent among likely voters."),
            st("c", 0, 100, "The Arles family was not invited to the Oster wedding in 2010 at Kelby Hall."),
            st("d", 0, 100, "The Arles family was invited to the Oster wedding in 2005 at Kelby Hall."),
            st("e", 0, 100, "Vance now has at least 882 delegates in the Kelby count."),
            st("f", 0, 100, "Vance now has at least 866 delegates in the Kelby count."),
        ]);
        assert!(c.disagreements.is_empty(), "{c:?}");
    }

    #[test]
    fn a_sentence_of_two_moments_is_no_version_of_one() {
        let c = run(&[
            st("a", 0, 100, "Governor Ana Sol declared a state of emergency in the Vell valley on Sunday."),
            st("b", 0, 104, "The state of emergency in the Vell valley declared on Saturday was lifted on Wednesday."),
            st("c", 0, 100, "Governor Ana Sol declared a state of emergency in the Vell valley on Saturday."),
        ]);
        assert_eq!(c.disagreements.len(), 1, "{c:?}");
        assert_eq!(c.disagreements[0].claims, vec![vec![0], vec![2]]);
        assert!(c.group_of(1).is_none(), "{c:?}");
    }

    #[test]
    fn live_blogs_of_different_days_tell_different_moments() {
        let blog = |doc: &str, day: i64, place: &str| {
            vec![
                st(doc, 0, day, "9:40 p.m."),
                st(doc, 1, day, &format!("The pledge was signed in {place} by the county chairs of the Greens.")),
                st(doc, 2, day, "9:10 p.m."),
                st(doc, 3, day, "Polls have closed in Arlen and Brisk."),
                st(doc, 4, day, "8:50 p.m."),
                st(doc, 5, day, "Turnout was high."),
            ]
        };
        // Undated (days not known to be the same): different moments.
        let mut stmts = blog("a", -1, "Arlen");
        stmts.extend(blog("b", -1, "Brisk"));
        assert!(run(&stmts).disagreements.is_empty(), "{:?}", run(&stmts));
        // The same day, the same live story told two ways: sources differ.
        let mut stmts = blog("a", 100, "Arlen");
        stmts.extend(blog("b", 100, "Brisk"));
        assert_eq!(run(&stmts).disagreements.len(), 1, "{:?}", run(&stmts));
    }

    #[test]
    fn a_heading_repeating_its_sentence_folds_into_one() {
        let c = run(&[
            st("a", 3, 100, "Energy: Issues related to the transit of Russian gas through Iran to Azerbaijan."),
            st("a", 4, 100, "Issues related to the transit of Russian gas through Iran to Azerbaijan."),
        ]);
        assert_eq!(c.groups, vec![vec![0, 1]]);
    }
}
