//! A deterministic generator of realistic news corpora for benchmarks: dated articles
//! with people (titled, then by surname and pronoun), organisations, places, direct and
//! reported quotes, dates and topic vocabulary. The same seed gives the same corpus.

use std::fmt::Write as _;
use std::path::Path;

/// A small, fast, seedable generator (xorshift64*): benchmarks need repeatability, not
/// cryptographic quality.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Amina", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Ingrid", "Jonas", "Keiko", "Luis", "Mariam", "Nikolai", "Olga", "Pedro",
    "Qasim", "Rosa", "Samir", "Tamara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zara", "Anton", "Beatriz", "Chen", "Daria",
];
const SURNAME_PARTS: &[&str] =
    &["Al", "Ber", "Cas", "Dov", "Er", "Fal", "Gor", "Hal", "Ivan", "Jur", "Kar", "Lom", "Mor", "Nov", "Or", "Pet", "Ros", "Sal", "Tor", "Vol"];
const SURNAME_ENDS: &[&str] = &["ov", "ova", "ian", "ez", "son", "berg", "ini", "ski", "enko", "oglu", "ani", "er", "elli", "aki"];
const ROLES: &[(&str, &str)] = &[
    ("Foreign Minister", "the minister"),
    ("President", "the president"),
    ("Prime Minister", "the prime minister"),
    ("Energy Minister", "the minister"),
    ("central bank governor", "the governor"),
    ("opposition leader", "the opposition leader"),
    ("spokesperson", "the spokesperson"),
];
const COUNTRIES: &[(&str, &str)] = &[
    ("Iran", "Iranian"),
    ("Azerbaijan", "Azerbaijani"),
    ("Armenia", "Armenian"),
    ("Turkey", "Turkish"),
    ("Georgia", "Georgian"),
    ("Russia", "Russian"),
    ("Kazakhstan", "Kazakh"),
    ("France", "French"),
    ("Germany", "German"),
    ("Egypt", "Egyptian"),
    ("Brazil", "Brazilian"),
    ("India", "Indian"),
];
const ORGS: &[&str] = &[
    "Ministry of Energy",
    "National Oil Company",
    "Caspian Development Bank",
    "Regional Transport Agency",
    "Council of Ministers",
    "State News Agency",
    "Chamber of Commerce",
    "Port Authority",
    "Electoral Commission",
    "Supreme Court",
];
const TOPICS: &[&str] = &[
    "pipeline",
    "railway",
    "corridor",
    "tariffs",
    "elections",
    "drought",
    "inflation",
    "border",
    "sanctions",
    "ceasefire",
    "refinery",
    "harbour",
    "vaccines",
    "wheat",
    "bridge",
    "tunnel",
    "satellite",
    "fisheries",
    "pensions",
    "currency",
    "hydropower",
    "highway",
    "airport",
    "uranium",
    "grain",
    "bonds",
    "strike",
    "summit",
    "treaty",
    "protests",
    "customs",
    "tourism",
    "copper",
    "lithium",
    "wildfires",
    "floods",
    "census",
];
const VERBS: &[&str] = &["expand", "delay", "finance", "review", "suspend", "approve", "modernise", "connect", "reform", "monitor", "protect", "reopen"];
const ADJ: &[&str] = &["new", "long-delayed", "disputed", "ambitious", "regional", "costly", "cross-border", "strategic", "controversial", "modest"];
const MONTHS: &[&str] = &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

struct Person {
    first: &'static str,
    surname: String,
    role: (&'static str, &'static str),
    country: (&'static str, &'static str),
}

fn people(rng: &mut Rng, n: usize) -> Vec<Person> {
    (0..n)
        .map(|_| Person {
            first: FIRST[rng.below(FIRST.len())],
            surname: format!("{}{}", rng.pick(SURNAME_PARTS), rng.pick(SURNAME_ENDS)),
            role: *rng.pick(ROLES),
            country: *rng.pick(COUNTRIES),
        })
        .collect()
}

/// Write `n` articles under `dir` in folders of 1,000. About 3 KB each.
pub fn generate(dir: &Path, n: usize, seed: u64) -> std::io::Result<u64> {
    let mut rng = Rng::new(seed);
    let cast = people(&mut rng, 3000);
    let mut bytes = 0u64;
    for i in 0..n {
        let folder = dir.join(format!("batch-{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let text = article(&mut rng, &cast, i);
        bytes += text.len() as u64;
        std::fs::write(folder.join(format!("article-{i:06}.md")), text)?;
    }
    Ok(bytes)
}

fn article(rng: &mut Rng, cast: &[Person], i: usize) -> String {
    let topic = *rng.pick(TOPICS);
    let topic2 = *rng.pick(TOPICS);
    let (country, demonym) = *rng.pick(COUNTRIES);
    let a = &cast[rng.below(cast.len())];
    let b = &cast[rng.below(cast.len())];
    let org = *rng.pick(ORGS);
    let year = 2015 + rng.below(11);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let mut s = String::with_capacity(3500);
    let _ = write!(
        s,
        "---\ntitle: \"{demonym} officials weigh {} {topic} plan\"\ndate: {year}-{month:02}-{day:02}\nurl: https://news.example/{i}\n---\n",
        rng.pick(ADJ)
    );
    let _ = writeln!(
        s,
        "{} {} {} {} said on Monday that the government would {} the {} {topic} project before the end of the year.",
        a.country.1,
        a.role.0,
        a.first,
        a.surname,
        rng.pick(VERBS),
        rng.pick(ADJ)
    );
    let _ = writeln!(
        s,
        "\n“We cannot wait any longer for the {topic}, and our partners in {country} understand that,” {} told reporters in the capital. “The {topic2} question will follow.”",
        a.surname
    );
    let _ = writeln!(
        s,
        "\nThe {org} has estimated the cost at {} million dollars, and critics argue that the {topic} will deepen the dependence on {}. The plan was first announced in {} {}.",
        10 + rng.below(900),
        rng.pick(COUNTRIES).0,
        rng.pick(MONTHS),
        year - 1 - rng.below(5)
    );
    let _ = writeln!(
        s,
        "\n{} {}, {} of {}, warned that “the {topic} cannot become a bargaining chip” in talks with {}. According to {}, the {topic2} talks have stalled since {}.",
        b.first,
        b.surname,
        b.role.0.to_lowercase(),
        b.country.0,
        rng.pick(COUNTRIES).0,
        b.surname,
        year - rng.below(8)
    );
    for _ in 0..4 {
        let c = &cast[rng.below(cast.len())];
        let t = *rng.pick(TOPICS);
        let _ = writeln!(
            s,
            "\nIn {}, the {} {t} programme has been {} by the {}, which said it would {} the {} {topic} network. {} {} said the decision was {}. Residents near the {t} site said they had not been consulted.",
            rng.pick(COUNTRIES).0,
            rng.pick(ADJ),
            if rng.below(2) == 0 { "criticised" } else { "welcomed" },
            rng.pick(ORGS),
            rng.pick(VERBS),
            rng.pick(ADJ),
            c.first,
            c.surname,
            if rng.below(2) == 0 { "premature" } else { "overdue" }
        );
    }
    let _ = writeln!(
        s,
        "\nLast May, {} met {} in {}, where the two discussed the {topic2} and the {topic}. “It is a {} step,” {} said afterwards, adding that more meetings were planned.",
        a.surname,
        b.surname,
        rng.pick(COUNTRIES).0,
        rng.pick(ADJ),
        b.role.1
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus() {
        let d1 = tempfile::tempdir().unwrap();
        let d2 = tempfile::tempdir().unwrap();
        let b1 = generate(d1.path(), 5, 7).unwrap();
        let b2 = generate(d2.path(), 5, 7).unwrap();
        assert_eq!(b1, b2);
        let f = "batch-000/article-000003.md";
        assert_eq!(std::fs::read(d1.path().join(f)).unwrap(), std::fs::read(d2.path().join(f)).unwrap());
        assert!(b1 / 5 > 1500, "articles should be news-sized, got {} bytes each", b1 / 5);
    }
}
