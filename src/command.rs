//! The one command parser every adapter uses. It turns message text into a [`Command`] or
//! says why it could not; it never touches the corpus.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// Longest argument we accept. Longer text is not a question anybody types: it gets usage.
pub const MAX_ARGUMENT_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "lowercase")]
pub enum Command {
    Brief {
        topic: String,
        #[serde(skip_serializing_if = "TimeFilter::is_open")]
        window: TimeFilter,
    },
    /// `/quote <person> [topic]`: the engine splits person from topic with the entity table.
    Quote {
        query: String,
        #[serde(skip_serializing_if = "TimeFilter::is_open")]
        window: TimeFilter,
    },
    Background {
        topic: String,
        #[serde(skip_serializing_if = "TimeFilter::is_open")]
        window: TimeFilter,
    },
    /// `/differ <topic>`: where the sources disagree on the topic.
    Differ {
        topic: String,
        #[serde(skip_serializing_if = "TimeFilter::is_open")]
        window: TimeFilter,
    },
    Search {
        words: String,
        #[serde(skip_serializing_if = "TimeFilter::is_open")]
        window: TimeFilter,
    },
    Sources,
    Help,
    /// `/subscribe [HH:MM] [Area/City] [topics...]`: arguments are parsed by the digest layer.
    Subscribe {
        args: String,
    },
    Unsubscribe,
    Subscription,
    Digest,
    /// `/follow <topic>`: an alert in this chat for every new article on the topic.
    Follow {
        topic: String,
    },
    /// `/unfollow [topic]`: stop one topic's alerts, or (without a topic) all of them.
    Unfollow {
        topic: String,
    },
    Following,
    /// `/status`: bot-wide counters, answered only for `access.admins` (see [`crate::gate`]).
    Status,
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Brief { .. } => "brief",
            Command::Quote { .. } => "quote",
            Command::Background { .. } => "background",
            Command::Differ { .. } => "differ",
            Command::Search { .. } => "search",
            Command::Sources => "sources",
            Command::Help => "help",
            Command::Subscribe { .. } => "subscribe",
            Command::Unsubscribe => "unsubscribe",
            Command::Subscription => "subscription",
            Command::Digest => "digest",
            Command::Follow { .. } => "follow",
            Command::Unfollow { .. } => "unfollow",
            Command::Following => "following",
            Command::Status => "status",
        }
    }

    /// The argument text, empty for commands without one.
    pub fn argument(&self) -> &str {
        match self {
            Command::Brief { topic, .. } | Command::Background { topic, .. } | Command::Differ { topic, .. } => topic,
            Command::Quote { query, .. } => query,
            Command::Search { words, .. } => words,
            Command::Subscribe { args } => args,
            Command::Follow { topic } | Command::Unfollow { topic } => topic,
            _ => "",
        }
    }

    /// The `since:`/`until:` filter of a topic command; open for every other command.
    pub fn window(&self) -> TimeFilter {
        match self {
            Command::Brief { window, .. }
            | Command::Quote { window, .. }
            | Command::Background { window, .. }
            | Command::Differ { window, .. }
            | Command::Search { window, .. } => *window,
            _ => TimeFilter::default(),
        }
    }

    /// `/brief <topic>` with no time filter.
    pub fn brief(topic: impl Into<String>) -> Command {
        Command::Brief { topic: topic.into(), window: TimeFilter::default() }
    }

    /// `/differ <topic>` with no time filter.
    pub fn differ(topic: impl Into<String>) -> Command {
        Command::Differ { topic: topic.into(), window: TimeFilter::default() }
    }

    /// `/quote <query>` with no time filter.
    pub fn quote(query: impl Into<String>) -> Command {
        Command::Quote { query: query.into(), window: TimeFilter::default() }
    }

    /// `/background <topic>` with no time filter.
    pub fn background(topic: impl Into<String>) -> Command {
        Command::Background { topic: topic.into(), window: TimeFilter::default() }
    }

    /// `/search <words>` with no time filter.
    pub fn search(words: impl Into<String>) -> Command {
        Command::Search { words: words.into(), window: TimeFilter::default() }
    }
}

/// One end of a time filter as typed: a calendar date, or an age counted back from `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBound {
    /// `since:2025-04-01`
    Date(NaiveDate),
    /// `since:7d`, `since:2w`, `since:today` (0), `since:yesterday` (1): days before today.
    DaysAgo(u32),
    /// `since:24h`: the day it was that many hours before `now`.
    HoursAgo(u32),
}

impl TimeBound {
    /// The calendar day (UTC) this bound names at `now`. Articles are dated by the day, so a
    /// window is whole days, both ends included.
    pub fn resolve(self, now: DateTime<Utc>) -> NaiveDate {
        match self {
            TimeBound::Date(d) => d,
            TimeBound::DaysAgo(n) => now.date_naive() - Duration::days(i64::from(n)),
            TimeBound::HoursAgo(n) => (now - Duration::hours(i64::from(n))).date_naive(),
        }
    }
}

/// `since:` and `until:` on a topic command (`/brief`, `/quote`, `/search`, `/background`):
/// parsed here, resolved against `now` by the engine (the parser has no clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TimeFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<TimeBound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<TimeBound>,
}

impl TimeFilter {
    /// No bound: every article, dated or not.
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// The first and last day of the window at `now`, or why it is empty ("until before since").
    pub fn resolve(&self, now: DateTime<Utc>) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        let since = self.since.map(|b| b.resolve(now));
        let until = self.until.map(|b| b.resolve(now));
        if let (Some(s), Some(u)) = (since, until)
            && u < s
        {
            return Err(format!("until: ({u}) is before since: ({s}), so no article could match. {TIME_FILTER_HELP}"));
        }
        Ok((since, until))
    }
}

/// How the time filters are written, for usage messages and `/help`.
pub const TIME_FILTER_HELP: &str =
    "Time filters: since: and until: take a date (2025-04-01), a number of days, weeks or hours back (7d, 2w, 24h), today or yesterday.";

/// Commands whose argument may carry `since:` and `until:` (every topic command).
pub fn takes_time_filter(command: &str) -> bool {
    matches!(command, "brief" | "quote" | "background" | "search" | "differ")
}

/// One bound as typed after `since:` / `until:`.
fn parse_bound(value: &str) -> Option<TimeBound> {
    let v = value.trim().to_lowercase();
    match v.as_str() {
        "today" => return Some(TimeBound::DaysAgo(0)),
        "yesterday" => return Some(TimeBound::DaysAgo(1)),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
        return Some(TimeBound::Date(d));
    }
    let unit = v.chars().last()?;
    let number: u32 = v[..v.len() - unit.len_utf8()].parse().ok()?;
    // Ten years back is far enough for a news corpus, and keeps the date arithmetic in range.
    match unit {
        'd' if number <= 3660 => Some(TimeBound::DaysAgo(number)),
        'w' if number <= 520 => Some(TimeBound::DaysAgo(number * 7)),
        'h' if number <= 87_840 => Some(TimeBound::HoursAgo(number)),
        _ => None,
    }
}

/// Split `since:`/`until:` out of a topic argument: the rest (words in order) and the filter,
/// or a usage message for a filter that cannot be read. `since: 7d` (a space after the colon)
/// is read as `since:7d`.
pub fn split_time_filter(argument: &str) -> Result<(String, TimeFilter), String> {
    let mut rest: Vec<&str> = Vec::new();
    let mut filter = TimeFilter::default();
    let mut words = argument.split_whitespace();
    while let Some(word) = words.next() {
        let lower = word.to_lowercase();
        let key = if lower.starts_with("since:") {
            "since"
        } else if lower.starts_with("until:") {
            "until"
        } else {
            rest.push(word);
            continue;
        };
        let mut value = word.get(key.len() + 1..).unwrap_or_default().to_string();
        if value.is_empty() {
            value = words.next().unwrap_or_default().to_string();
        }
        let Some(bound) = parse_bound(&value) else {
            let shown: String = value.chars().take(40).collect();
            let what = if shown.is_empty() { format!("{key}: needs a value.") } else { format!("{key}:{shown} is not a date I can read.") };
            return Err(format!("{what} {TIME_FILTER_HELP}"));
        };
        let slot = if key == "since" { &mut filter.since } else { &mut filter.until };
        if slot.is_some() {
            return Err(format!("{key}: is given twice. {TIME_FILTER_HELP}"));
        }
        *slot = Some(bound);
    }
    // Both ends of one kind compare without a clock: catch "until before since" here already.
    let backwards = match (filter.since, filter.until) {
        (Some(TimeBound::Date(s)), Some(TimeBound::Date(u))) => u < s,
        (Some(TimeBound::DaysAgo(s)), Some(TimeBound::DaysAgo(u))) => u > s,
        (Some(TimeBound::HoursAgo(s)), Some(TimeBound::HoursAgo(u))) => u > s,
        _ => false,
    };
    if backwards {
        return Err(format!("until: is before since:, so no article could match. {TIME_FILTER_HELP}"));
    }
    Ok((rest.join(" "), filter))
}

/// One entry of the command menu: shared by `/help`, Telegram's `setMyCommands` and
/// Discord's slash-command registration so that they never disagree.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    /// The argument placeholder, e.g. `<topic>`; empty when the command takes none.
    pub args: &'static str,
    pub description: &'static str,
    pub example: &'static str,
}

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec { name: "brief", args: "<topic>", description: "Short cited summary of what the corpus says on a topic", example: "/brief zangezur" },
    CommandSpec { name: "quote", args: "<person> [topic]", description: "What a person said: direct quotes, then paraphrases", example: "/quote pezeshkian" },
    CommandSpec { name: "background", args: "<topic>", description: "Who or what it is, a dated timeline, related names", example: "/background nakhchivan" },
    CommandSpec {
        name: "differ",
        args: "<topic>",
        description: "Where the sources disagree on a topic: each version with its articles",
        example: "/differ gas",
    },
    CommandSpec { name: "search", args: "<words>", description: "Sentences in the corpus that match the words", example: "/search gas transit" },
    CommandSpec { name: "sources", args: "", description: "The articles the bot answers from", example: "/sources" },
    CommandSpec { name: "help", args: "", description: "How to use the bot", example: "/help" },
];

/// Commands that manage the daily digest and topic alerts (listed in help only where an
/// adapter supports them: both need a chat and the chat store).
pub const DIGEST_COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "subscribe",
        args: "[HH:MM] [Area/City] [topics...]",
        description: "Daily digest in this chat",
        example: "/subscribe 08:00 Europe/London",
    },
    CommandSpec { name: "unsubscribe", args: "", description: "Stop the daily digest here", example: "/unsubscribe" },
    CommandSpec { name: "subscription", args: "", description: "Show this chat's digest settings", example: "/subscription" },
    CommandSpec { name: "digest", args: "", description: "Preview the digest now", example: "/digest" },
    CommandSpec { name: "follow", args: "<topic>", description: "Alert here when a new article mentions the topic", example: "/follow zangezur" },
    CommandSpec { name: "unfollow", args: "[topic]", description: "Stop a topic's alerts here (all without a topic)", example: "/unfollow zangezur" },
    CommandSpec { name: "following", args: "", description: "The topics this chat follows", example: "/following" },
];

/// Bot-wide commands for the bot's admins (`access.admins`). Not in `/help` or any command
/// menu: everybody else is told the command is for admins.
pub const ADMIN_COMMANDS: &[CommandSpec] =
    &[CommandSpec { name: "status", args: "", description: "Corpus size, subscriptions, answers, send counters, uptime (admins only)", example: "/status" }];

pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().chain(DIGEST_COMMANDS).chain(ADMIN_COMMANDS).find(|s| s.name == name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Command(Command),
    /// Malformed input: the message explains; `command` names the command when known.
    Usage {
        command: Option<String>,
        message: String,
    },
    /// `/brief@OtherBot ...`: addressed to another bot; stay silent.
    ForAnotherBot,
    /// Plain text without a command prefix.
    NotACommand,
}

/// Parse a chat message. `bot_username` is this bot's username (Telegram's `@ThisBot`
/// suffix); `None` accepts any suffix. Both `/` and `!` start a command.
pub fn parse(text: &str, bot_username: Option<&str>) -> Parsed {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('/').or_else(|| text.strip_prefix('!')) else {
        return Parsed::NotACommand;
    };
    let (head, argument) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (head, None),
    };
    if let (Some(addressee), Some(me)) = (addressee, bot_username)
        && !addressee.eq_ignore_ascii_case(me.trim_start_matches('@'))
    {
        return Parsed::ForAnotherBot;
    }
    let name = name.to_lowercase();
    let Some(spec) = spec(&name) else {
        if name.is_empty() || name.chars().count() > 32 {
            return Parsed::NotACommand;
        }
        return Parsed::Usage { command: None, message: format!("Unknown command /{}. Try /help.", truncate(&name, 32)) };
    };
    if argument.chars().count() > MAX_ARGUMENT_CHARS {
        return Parsed::Usage {
            command: Some(spec.name.to_string()),
            message: format!("That is too long for /{} (at most {MAX_ARGUMENT_CHARS} characters). Usage: /{} {}", spec.name, spec.name, spec.args),
        };
    }
    // Collapse whitespace and drop control characters: what remains is what we search for.
    let argument: String =
        argument.split_whitespace().map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let (argument, window) = if takes_time_filter(spec.name) {
        match split_time_filter(&argument) {
            Ok(split) => split,
            Err(message) => return Parsed::Usage { command: Some(spec.name.to_string()), message },
        }
    } else {
        (argument, TimeFilter::default())
    };
    let needs_argument = spec.args.starts_with('<');
    if needs_argument && argument.is_empty() {
        return Parsed::Usage { command: Some(spec.name.to_string()), message: format!("Usage: /{} {} (for example {})", spec.name, spec.args, spec.example) };
    }
    let command = match spec.name {
        "brief" => Command::Brief { topic: argument, window },
        "quote" => Command::Quote { query: argument, window },
        "background" => Command::Background { topic: argument, window },
        "differ" => Command::Differ { topic: argument, window },
        "search" => Command::Search { words: argument, window },
        "sources" => Command::Sources,
        "help" => Command::Help,
        "subscribe" => Command::Subscribe { args: argument },
        "unsubscribe" => Command::Unsubscribe,
        "subscription" => Command::Subscription,
        "digest" => Command::Digest,
        "follow" => Command::Follow { topic: argument },
        "unfollow" => Command::Unfollow { topic: argument },
        "following" => Command::Following,
        "status" => Command::Status,
        _ => unreachable!("every spec has a command"),
    };
    Parsed::Command(command)
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The short usage text for plain messages and unknown commands.
pub fn usage_text() -> String {
    let mut out = String::from("I answer commands about the news corpus:");
    for s in COMMANDS {
        out.push_str(&format!("\n/{} {} - {}", s.name, s.args, s.description).replace("  -", " -"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_with_arguments() {
        assert_eq!(parse("/brief zangezur", None), Parsed::Command(Command::brief("zangezur")));
        assert_eq!(parse("  /QUOTE   Massoud  Pezeshkian ", None), Parsed::Command(Command::quote("Massoud Pezeshkian")));
        assert_eq!(parse("!search gas", None), Parsed::Command(Command::search("gas")));
        assert_eq!(parse("/sources", None), Parsed::Command(Command::Sources));
        assert_eq!(parse("/differ  gas   transit", None), Parsed::Command(Command::differ("gas transit")));
        assert!(matches!(parse("/differ", None), Parsed::Usage { command: Some(c), .. } if c == "differ"));
        assert!(usage_text().contains("/differ <topic>"));
    }

    #[test]
    fn addressed_commands() {
        assert_eq!(parse("/brief@BriefBot x", Some("briefbot")), Parsed::Command(Command::brief("x")));
        assert_eq!(parse("/brief@OtherBot x", Some("BriefBot")), Parsed::ForAnotherBot);
    }

    #[test]
    fn malformed_input_gets_usage() {
        assert!(matches!(parse("/brief", None), Parsed::Usage { command: Some(c), .. } if c == "brief"));
        assert!(matches!(parse("/brief    ", None), Parsed::Usage { .. }));
        assert!(matches!(parse("/frobnicate x", None), Parsed::Usage { command: None, .. }));
        let huge = format!("/brief {}", "a".repeat(20_000));
        assert!(matches!(parse(&huge, None), Parsed::Usage { .. }));
        assert_eq!(parse("hello there", None), Parsed::NotACommand);
        assert_eq!(parse("", None), Parsed::NotACommand);
        assert_eq!(parse("/", None), Parsed::NotACommand);
    }

    #[test]
    fn status_parses_but_is_in_no_menu() {
        assert_eq!(parse("/status", None), Parsed::Command(Command::Status));
        assert_eq!(parse("/status@BriefBot", Some("BriefBot")), Parsed::Command(Command::Status));
        assert_eq!(Command::Status.name(), "status");
        assert!(!COMMANDS.iter().chain(DIGEST_COMMANDS).any(|s| s.name == "status"), "/status is not listed for everyone");
        assert!(!usage_text().contains("/status"));
    }

    fn window_of(text: &str) -> (String, TimeFilter) {
        match parse(text, None) {
            Parsed::Command(c) => (c.argument().to_string(), c.window()),
            other => panic!("{text}: {other:?}"),
        }
    }

    fn usage_of(text: &str) -> String {
        match parse(text, None) {
            Parsed::Usage { message, .. } => message,
            other => panic!("{text} should get usage, got {other:?}"),
        }
    }

    #[test]
    fn time_filters_are_taken_out_of_topic_arguments() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            window_of("/brief zangezur since:2025-04-01 until:2025-04-30"),
            ("zangezur".into(), TimeFilter { since: Some(TimeBound::Date(d(2025, 4, 1))), until: Some(TimeBound::Date(d(2025, 4, 30))) })
        );
        assert_eq!(window_of("/search SINCE:7d gas transit").1, TimeFilter { since: Some(TimeBound::DaysAgo(7)), until: None });
        assert_eq!(window_of("/search gas transit since:7d").0, "gas transit");
        assert_eq!(window_of("/quote pezeshkian gas since:24h").1.since, Some(TimeBound::HoursAgo(24)));
        assert_eq!(window_of("/quote pezeshkian gas since:24h").0, "pezeshkian gas");
        assert_eq!(window_of("/background armenia since:yesterday").1.since, Some(TimeBound::DaysAgo(1)));
        assert_eq!(window_of("/background armenia until:today").1.until, Some(TimeBound::DaysAgo(0)));
        assert_eq!(window_of("/brief armenia since:2w").1.since, Some(TimeBound::DaysAgo(14)));
        // A space after the colon is forgiven.
        assert_eq!(window_of("/brief armenia since: 3d").1.since, Some(TimeBound::DaysAgo(3)));
        assert!(window_of("/brief armenia").1.is_open());
        // Only topic commands take a filter: elsewhere the words are left alone.
        assert_eq!(parse("/subscribe 08:00 since:7d", None), Parsed::Command(Command::Subscribe { args: "08:00 since:7d".into() }));
    }

    #[test]
    fn bad_time_filters_get_a_clear_usage_message() {
        for bad in ["/brief zangezur since:banana", "/search gas until:2025-13-01", "/brief x since:7y", "/brief x since:-3d", "/brief x since:"] {
            let m = usage_of(bad);
            assert!(m.contains("since:") || m.contains("until:"), "{bad}: {m}");
            assert!(m.contains("2025-04-01") && m.contains("7d"), "{bad}: the message shows how to write one: {m}");
        }
        assert!(usage_of("/brief x since:banana").contains("since:banana is not a date"));
        assert!(usage_of("/brief x since:2025-05-01 until:2025-04-01").contains("until: is before since:"));
        assert!(usage_of("/brief x since:2d until:5d").contains("until: is before since:"));
        assert!(usage_of("/brief x since:1d since:2d").contains("twice"));
        // A filter alone is no topic.
        assert!(usage_of("/brief since:7d").starts_with("Usage: /brief"));
        // Ten years back at most: no overflow from a huge number.
        assert!(usage_of("/brief x since:99999999999d").contains("not a date"));
    }

    #[test]
    fn relative_bounds_resolve_against_now() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2025, 5, 10, 1, 0, 0).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        assert_eq!(TimeBound::DaysAgo(7).resolve(now), d(5, 3));
        assert_eq!(TimeBound::DaysAgo(1).resolve(now), d(5, 9));
        assert_eq!(TimeBound::HoursAgo(2).resolve(now), d(5, 9), "two hours before 01:00 is the day before");
        assert_eq!(TimeBound::Date(d(4, 1)).resolve(now), d(4, 1));
        let mixed = TimeFilter { since: Some(TimeBound::Date(d(5, 9))), until: Some(TimeBound::DaysAgo(3)) };
        assert!(mixed.resolve(now).unwrap_err().contains("before since"));
        let fine = TimeFilter { since: Some(TimeBound::Date(d(5, 1))), until: Some(TimeBound::DaysAgo(3)) };
        assert_eq!(fine.resolve(now), Ok((Some(d(5, 1)), Some(d(5, 7)))));
    }

    #[test]
    fn alert_commands() {
        assert_eq!(parse("/follow  Port   Meridian", None), Parsed::Command(Command::Follow { topic: "Port Meridian".into() }));
        assert!(matches!(parse("/follow", None), Parsed::Usage { command: Some(c), .. } if c == "follow"));
        assert_eq!(parse("/unfollow", None), Parsed::Command(Command::Unfollow { topic: String::new() }));
        assert_eq!(parse("/unfollow port", None), Parsed::Command(Command::Unfollow { topic: "port".into() }));
        assert_eq!(parse("/following@BriefBot", Some("BriefBot")), Parsed::Command(Command::Following));
        assert_eq!(Command::Follow { topic: "x".into() }.argument(), "x");
        for name in ["follow", "unfollow", "following"] {
            assert!(DIGEST_COMMANDS.iter().any(|s| s.name == name), "/{name} is in the chat-store menu");
        }
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(parse("/brief zan\u{0}gezur", None), Parsed::Command(Command::brief("zangezur")));
    }
}
