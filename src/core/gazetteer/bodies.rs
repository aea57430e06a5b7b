//! The words that make a name an organisation ("Ministry", "Bank") or a named thing ("Summit",
//! "Treaty").
//!
//! Invariant: lookups ignore case; a list is read into a hash set once.

use super::*;

/// Head words that make a capitalised phrase an organisation.
pub const ORG_WORDS: &[&str] = &[
    "Ministry",
    "Agency",
    "Council",
    "Union",
    "Organization",
    "Organisation",
    "Party",
    "Bank",
    "Company",
    "Corporation",
    "Corp",
    "Inc",
    "Ltd",
    "Co",
    "plc",
    "PLC",
    "LLC",
    "GmbH",
    "Group",
    "Committee",
    "Department",
    "Court",
    "Parliament",
    "Assembly",
    "University",
    "Institute",
    "Army",
    "Forces",
    "Guard",
    "Guards",
    "Commission",
    "Association",
    "Federation",
    "Fund",
    "Office",
    "Administration",
    "Government",
    "Police",
    "Service",
    "Times",
    "Post",
    "News",
    "Television",
    "TV",
    "Radio",
    "Network",
    "Press",
    "Journal",
    "Authority",
    "Board",
    "Bureau",
    "Club",
    "Foundation",
    "Society",
    "Alliance",
    "Partnership",
    "Coalition",
    "Congress",
    "Senate",
    "Cabinet",
    "Presidency",
    "Secretariat",
    "Directorate",
    "Nations",
    "Reuters",
    "Airlines",
    "Airways",
    "Industries",
    "Holdings",
    "Partners",
    "Labs",
    "Systems",
    "Technologies",
    "Motors",
    "Energy",
    "Oil",
    "Gas",
    "Petroleum",
    "Telegraph",
    "Herald",
    "Tribune",
    "Gazette",
    "Hospital",
    "School",
    "College",
    "Academy",
    "Center",
    "Centers",
    "Centre",
    "Centres",
    "Academies",
    "Team",
    "FC",
    "Corps",
    "Navy",
    "Coast Guard",
    "Majlis",
    // Company and body names that end in these words ("Skylark Air", "Brabant Capital").
    "Air",
    "Aviation",
    "Chamber",
    "Capital",
    "Markets",
    "Securities",
    "Investments",
    "Research",
    "Economics",
    "Analytics",
    "Ratings",
    "Consulting",
    "Associates",
    "Foods",
    "Groep",
    "Gruppe",
    "Groupe",
    "Plc",
    "PLC",
    "LLC",
    "GmbH",
    "AG",
    "Trust",
    "Watch",
    "Inquiry",
    "Tribunal",
    "Cooperative",
    "Co-operative",
    "Co-op",
    "Church",
    "Museum",
    "Library",
    "Observatory",
    "United",
    "Rovers",
    "Athletic",
    "Wanderers",
    "Albion",
    // Industries that end company names ("Veltron Semiconductor", "Hartwell Homes").
    "Semiconductor",
    "Semiconductors",
    "Pharmaceuticals",
    "Pharma",
    "Electronics",
    "Software",
    "Telecom",
    "Telecoms",
    "Communications",
    "Logistics",
    "Steel",
    "Mining",
    "Resources",
    "Services",
    // Fields of government that end the names of departments and agencies ("Housing and
    // Urban Development", "Immigration and Customs Enforcement").
    "Development",
    "Affairs",
    "Enforcement",
    "Prevention",
    "Brewery",
    "Brewing",
    "Retail",
    "Stores",
    "Insurance",
    "Financial",
    "Properties",
    "Homes",
    "Construction",
    "Engineering",
    "Chemicals",
    "Shipping",
    "Rail",
    "Railways",
    "Automotive",
    "Robotics",
    "Solutions",
    "Ventures",
    "Studios",
    "Entertainment",
    "Hotels",
    "Resorts",
    "Brands",
    "Beverages",
    "Biotech",
    "Therapeutics",
    "Laboratories",
    "Networks",
    "Mobility",
    "Aerospace",
    "Electric",
    "Dynamics",
    "Defence",
    "Defense",
];

/// Head words of events, projects and agreements: named things that are neither people,
/// organisations nor places.
pub const THING_WORDS: &[&str] = &[
    "War",
    "Conference",
    "Summit",
    "Forum",
    "Corridor",
    "Route",
    "Project",
    "Initiative",
    "Deal",
    "Agreement",
    "Treaty",
    "Accord",
    "Act",
    "Plan",
    "Program",
    "Programme",
    "Award",
    "Prize",
    "Cup",
    "Championship",
    "Games",
    "League",
    "Day",
    "Week",
    "Crisis",
    "Revolution",
    "Conflict",
    "Election",
    "Elections",
    "Festival",
    "Olympics",
    "Pipeline",
    "Railway",
    "Highway",
    "Protocol",
    "Declaration",
    "Convention",
    "Strategy",
    "Doctrine",
    "Bill",
    "Law",
    "Index",
    "Report",
    "Expo",
    "Show",
    "Exercise",
    "Operation",
    "Mission",
    "Explosion",
    "Attack",
    "Crash",
];

/// Head nouns of institutions that are nobody's family name: a name ending in one is a
/// body even after a title word ("King Solomon Missionary Baptist Church").
pub fn is_institution_head(word: &str) -> bool {
    matches!(
        word,
        "Church"
            | "Ministry"
            | "Agency"
            | "Council"
            | "Committee"
            | "Department"
            | "University"
            | "Institute"
            | "Commission"
            | "Association"
            | "Foundation"
            | "Hospital"
            | "School"
            | "College"
            | "Academy"
            | "Museum"
            | "Library"
            | "Party"
            | "Corporation"
            | "Company"
            | "Organization"
            | "Organisation"
            | "Federation"
            | "Society"
            | "Coalition"
            | "Administration"
            | "Bureau"
            | "Authority"
    )
}

/// Words that make a name an organisation, a place or a thing (any case).
pub fn is_org_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    contains_folded(lower_set(&SET, ORG_WORDS), word)
}

pub fn is_thing_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    contains_folded(lower_set(&SET, THING_WORDS), word)
}
