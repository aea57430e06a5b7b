//! Small word lists the rule-based language work leans on. Compiled in: no downloads.

/// (country, demonym) pairs. Used to type places and to tie "the Iranian leader" to
/// a person whose role says "Iran".
pub const COUNTRIES: &[(&str, &str)] = &[
    ("Afghanistan", "Afghan"), ("Albania", "Albanian"), ("Algeria", "Algerian"), ("Argentina", "Argentine"), ("Armenia", "Armenian"),
    ("Australia", "Australian"), ("Austria", "Austrian"), ("Azerbaijan", "Azerbaijani"), ("Bahrain", "Bahraini"), ("Bangladesh", "Bangladeshi"),
    ("Belarus", "Belarusian"), ("Belgium", "Belgian"), ("Bolivia", "Bolivian"), ("Bosnia", "Bosnian"), ("Brazil", "Brazilian"), ("Britain", "British"),
    ("Bulgaria", "Bulgarian"), ("Cambodia", "Cambodian"), ("Cameroon", "Cameroonian"), ("Canada", "Canadian"), ("Chile", "Chilean"), ("China", "Chinese"),
    ("Colombia", "Colombian"), ("Congo", "Congolese"), ("Croatia", "Croatian"), ("Cuba", "Cuban"), ("Cyprus", "Cypriot"), ("Czechia", "Czech"),
    ("Denmark", "Danish"), ("Ecuador", "Ecuadorian"), ("Egypt", "Egyptian"), ("England", "English"), ("Estonia", "Estonian"), ("Ethiopia", "Ethiopian"),
    ("Finland", "Finnish"), ("France", "French"), ("Georgia", "Georgian"), ("Germany", "German"), ("Ghana", "Ghanaian"), ("Greece", "Greek"),
    ("Hungary", "Hungarian"), ("Iceland", "Icelandic"), ("India", "Indian"), ("Indonesia", "Indonesian"), ("Iran", "Iranian"), ("Iraq", "Iraqi"),
    ("Ireland", "Irish"), ("Israel", "Israeli"), ("Italy", "Italian"), ("Japan", "Japanese"), ("Jordan", "Jordanian"), ("Kazakhstan", "Kazakh"),
    ("Kenya", "Kenyan"), ("Kosovo", "Kosovar"), ("Kuwait", "Kuwaiti"), ("Kyrgyzstan", "Kyrgyz"), ("Latvia", "Latvian"), ("Lebanon", "Lebanese"),
    ("Libya", "Libyan"), ("Lithuania", "Lithuanian"), ("Malaysia", "Malaysian"), ("Mali", "Malian"), ("Mexico", "Mexican"), ("Moldova", "Moldovan"),
    ("Mongolia", "Mongolian"), ("Morocco", "Moroccan"), ("Myanmar", "Burmese"), ("Nepal", "Nepali"), ("Netherlands", "Dutch"), ("New Zealand", "New Zealander"),
    ("Nigeria", "Nigerian"), ("North Korea", "North Korean"), ("Norway", "Norwegian"), ("Oman", "Omani"), ("Pakistan", "Pakistani"), ("Palestine", "Palestinian"),
    ("Peru", "Peruvian"), ("Philippines", "Filipino"), ("Poland", "Polish"), ("Portugal", "Portuguese"), ("Qatar", "Qatari"), ("Romania", "Romanian"),
    ("Russia", "Russian"), ("Rwanda", "Rwandan"), ("Saudi Arabia", "Saudi"), ("Scotland", "Scottish"), ("Senegal", "Senegalese"), ("Serbia", "Serbian"),
    ("Singapore", "Singaporean"), ("Slovakia", "Slovak"), ("Slovenia", "Slovenian"), ("Somalia", "Somali"), ("South Africa", "South African"),
    ("South Korea", "South Korean"), ("Spain", "Spanish"), ("Sri Lanka", "Sri Lankan"), ("Sudan", "Sudanese"), ("Sweden", "Swedish"),
    ("Switzerland", "Swiss"), ("Syria", "Syrian"), ("Taiwan", "Taiwanese"), ("Tajikistan", "Tajik"), ("Tanzania", "Tanzanian"), ("Thailand", "Thai"),
    ("Tunisia", "Tunisian"), ("Turkey", "Turkish"), ("Turkmenistan", "Turkmen"), ("Uganda", "Ugandan"), ("Ukraine", "Ukrainian"),
    ("United Arab Emirates", "Emirati"), ("United Kingdom", "British"), ("United States", "American"), ("Uruguay", "Uruguayan"), ("Uzbekistan", "Uzbek"),
    ("Venezuela", "Venezuelan"), ("Vietnam", "Vietnamese"), ("Wales", "Welsh"), ("Yemen", "Yemeni"), ("Zambia", "Zambian"), ("Zimbabwe", "Zimbabwean"),
    ("Türkiye", "Turkish"), ("US", "American"), ("USA", "American"), ("UK", "British"), ("UAE", "Emirati"), ("Soviet Union", "Soviet"),
];

/// Cities and regions that news mentions without a cue that they are places.
pub const PLACES: &[&str] = &[
    "Baku", "Tehran", "Moscow", "Washington", "London", "Paris", "Berlin", "Beijing", "Tokyo", "Kyiv", "Kiev", "Ankara", "Istanbul", "Yerevan",
    "Tbilisi", "Brussels", "Geneva", "Vienna", "Rome", "Madrid", "Cairo", "Riyadh", "Doha", "Dubai", "Abu Dhabi", "Baghdad", "Damascus", "Beirut",
    "Jerusalem", "Gaza", "Kabul", "Islamabad", "New Delhi", "Delhi", "Mumbai", "Astana", "Tashkent", "Minsk", "Warsaw", "Prague", "Budapest",
    "Athens", "Lisbon", "Dublin", "Edinburgh", "Oslo", "Stockholm", "Copenhagen", "Helsinki", "Amsterdam", "New York", "Los Angeles", "Chicago",
    "Toronto", "Ottawa", "Sydney", "Canberra", "Brasilia", "Mexico City", "Buenos Aires", "Nairobi", "Lagos", "Johannesburg", "Singapore",
    "Hong Kong", "Seoul", "Pyongyang", "Manila", "Jakarta", "Bangkok", "Hanoi", "Europe", "Asia", "Africa", "America", "Latin America",
    "Middle East", "Central Asia", "South Caucasus", "Caucasus", "Eurasia", "Karabakh", "Nagorno-Karabakh", "Nakhchivan", "Crimea", "Donbas",
    "Kashmir", "Balkans", "Scandinavia", "Siberia", "West Bank", "Sinai", "Golan Heights", "Kurdistan", "Tabriz", "Astara", "Mashhad", "Isfahan",
    "Shiraz", "St Petersburg", "Ganja", "Sumgait", "Lachin", "Shusha", "Stepanakert",
];

/// Head words that make a capitalised phrase an organisation.
pub const ORG_WORDS: &[&str] = &[
    "Ministry", "Agency", "Council", "Union", "Organization", "Organisation", "Party", "Bank", "Company", "Corporation", "Corp", "Inc", "Ltd",
    "Group", "Committee", "Department", "Court", "Parliament", "Assembly", "University", "Institute", "Army", "Forces", "Guard", "Guards",
    "Commission", "Association", "Federation", "Fund", "Office", "Administration", "Government", "Police", "Service", "Times", "Post", "News",
    "Television", "TV", "Radio", "Network", "Press", "Journal", "Authority", "Board", "Bureau", "Club", "Foundation", "Society", "Alliance",
    "Coalition", "Congress", "Senate", "Cabinet", "Presidency", "Secretariat", "Directorate", "Nations", "Reuters", "Airlines", "Airways",
    "Industries", "Holdings", "Partners", "Labs", "Systems", "Technologies", "Motors", "Energy", "Oil", "Gas", "Petroleum", "Telegraph", "Herald",
    "Tribune", "Gazette", "Hospital", "School", "College", "Academy", "Center", "Centre", "Team", "FC", "Corps", "Navy", "Coast Guard", "Majlis",
];

/// Head words that make a capitalised phrase a place.
pub const PLACE_WORDS: &[&str] = &[
    "River", "Sea", "Ocean", "Gulf", "Strait", "Bay", "Lake", "Mountains", "Mountain", "Mount", "Valley", "Province", "Region", "Island", "Islands",
    "Peninsula", "Basin", "Desert", "Coast", "City", "County", "State", "District", "Square", "Street", "Road", "Avenue", "Bridge", "Port",
    "Airport", "Palace", "Border", "Plain", "Plateau", "Canal", "Park", "Village", "Town",
];

/// Head words of events, projects and agreements: named things that are neither people,
/// organisations nor places.
pub const THING_WORDS: &[&str] = &[
    "War", "Conference", "Summit", "Forum", "Corridor", "Route", "Project", "Initiative", "Deal", "Agreement", "Treaty", "Accord", "Act", "Plan",
    "Program", "Programme", "Award", "Prize", "Cup", "Championship", "Games", "League", "Day", "Week", "Crisis", "Revolution", "Conflict",
    "Election", "Elections", "Festival", "Olympics", "Pipeline", "Railway", "Highway", "Protocol", "Declaration", "Convention", "Strategy",
    "Doctrine", "Bill", "Law", "Index", "Report", "Expo", "Show", "Exercise", "Operation", "Mission", "Explosion", "Attack", "Crash",
];

/// Words that put a person's role before the name ("Foreign Minister X", "Dr X"). Matched
/// case-insensitively; the last one before the name ends the role.
pub const TITLE_WORDS: &[&str] = &[
    "president", "minister", "premier", "chancellor", "leader", "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "governor",
    "senator", "sen", "mayor", "ambassador", "envoy", "general", "gen", "colonel", "col", "admiral", "adm", "judge", "justice", "pope", "cardinal",
    "archbishop", "bishop", "rabbi", "imam", "ayatollah", "chief", "secretary", "speaker", "chairman", "chairwoman", "chair", "director", "ceo",
    "professor", "prof", "dr", "mr", "mrs", "ms", "miss", "sir", "dame", "lord", "lady", "commissioner", "spokesperson", "spokesman",
    "spokeswoman", "coach", "captain", "capt", "officer", "detective", "det", "sergeant", "sgt", "inspector", "superintendent", "representative",
    "rep", "congressman", "congresswoman", "councillor", "councilman", "councilwoman", "deputy", "vice", "adviser", "advisor", "founder",
    "executive", "economist", "analyst", "lawyer", "attorney", "prosecutor", "manager", "editor", "correspondent", "reporter", "head",
    "commander", "lieutenant", "lt", "major", "maj", "father", "rev", "reverend", "dean", "rector", "ombudsman", "mufti", "patriarch",
    "treasurer", "auditor", "sheriff", "marshal", "constable", "midfielder", "striker", "defender", "goalkeeper", "forward", "winger", "chef",
    "author", "novelist", "researcher", "scientist", "physicist", "biologist", "doctor", "nurse", "surgeon", "teacher", "student", "farmer",
    "owner", "official", "diplomat", "politician", "activist", "campaigner", "historian", "expert",
];

/// Role nouns that mean "the top person" for "the Iranian leader".
pub const LEADER_WORDS: &[&str] = &["leader", "president", "premier", "prime", "chancellor", "king", "queen", "emir", "sultan", "head"];

/// Verbs (and particles) that attribute speech, in their common forms.
pub const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "saying", "told", "tells", "telling", "added", "adds", "adding", "stated", "states", "stating", "noted", "notes",
    "noting", "explained", "explains", "explaining", "emphasized", "emphasised", "emphasizes", "emphasises", "emphasizing", "emphasising",
    "stressed", "stresses", "stressing", "underscored", "underscores", "underscoring", "underlined", "warned", "warns", "warning", "argued",
    "argues", "arguing", "claimed", "claims", "claiming", "insisted", "insists", "insisting", "asserted", "asserts", "declared", "declares",
    "declaring", "announced", "announces", "announcing", "confirmed", "confirms", "denied", "denies", "acknowledged", "acknowledges",
    "admitted", "admits", "believes", "believed", "thinks", "suggested", "suggests", "wrote", "writes", "writing", "reported", "reports",
    "observed", "remarked", "commented", "comments", "recalled", "recalls", "predicted", "predicts", "promised", "promises", "pledged",
    "vowed", "vows", "urged", "urges", "cautioned", "conceded", "concedes", "contended", "maintained", "maintains", "replied", "replies",
    "responded", "answered", "asked", "asks", "highlighted", "highlights", "reiterated", "reaffirmed", "described", "describes", "describing",
    "called", "calls", "calling", "referred", "hailed", "praised", "criticised", "criticized", "accused", "estimated", "concluded", "revealed",
    "disclosed", "indicated", "mentioned", "continued", "agreed", "complained", "joked", "quipped", "recounted", "testified", "alleged",
    "announced", "tweeted", "posted", "recognizing", "recognising", "recognized", "recognised", "explained", "countered", "objected",
    "protested", "pointed", "went", "feared", "fears", "hoped", "hopes", "expects", "expected", "thought", "felt", "feels", "acknowledging",
    "boasted", "conceding", "lamented", "mused", "pleaded", "proclaimed", "reasoned", "shouted", "whispered", "wondered", "signalled",
    "signaled", "emphasises", "assured", "assures", "informed", "briefed",
];

pub fn is_speech_verb(lower: &str) -> bool {
    SPEECH_VERBS.contains(&lower)
}

pub fn country_of_demonym(word: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(_, d)| d.eq_ignore_ascii_case(word)).map(|(c, _)| *c)
}

pub fn is_country(name: &str) -> bool {
    COUNTRIES.iter().any(|(c, _)| c.eq_ignore_ascii_case(name))
}

pub fn is_demonym(word: &str) -> bool {
    COUNTRIES.iter().any(|(_, d)| d.eq_ignore_ascii_case(word))
}

pub fn is_known_place(name: &str) -> bool {
    is_country(name) || PLACES.iter().any(|p| p.eq_ignore_ascii_case(name))
}

pub fn is_title_word(lower: &str) -> bool {
    TITLE_WORDS.contains(&lower)
}
