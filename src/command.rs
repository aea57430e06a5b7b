//! The one command parser every adapter uses. It turns message text into a [`Command`] or
//! says why it could not; it never touches the corpus.

use serde::Serialize;

/// Longest argument we accept. Longer text is not a question anybody types: it gets usage.
pub const MAX_ARGUMENT_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "lowercase")]
pub enum Command {
    Brief {
        topic: String,
    },
    /// `/quote <person> [topic]`: the engine splits person from topic with the entity table.
    Quote {
        query: String,
    },
    Background {
        topic: String,
    },
    /// `/differ <topic>`: where the sources disagree on the topic.
    Differ {
        topic: String,
    },
    Search {
        words: String,
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
            Command::Status => "status",
        }
    }

    /// The argument text, empty for commands without one.
    pub fn argument(&self) -> &str {
        match self {
            Command::Brief { topic } | Command::Background { topic } | Command::Differ { topic } => topic,
            Command::Quote { query } => query,
            Command::Search { words } => words,
            Command::Subscribe { args } => args,
            _ => "",
        }
    }
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

/// Commands that manage the daily digest (listed in help only where an adapter supports them).
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
    let needs_argument = spec.args.starts_with('<');
    if needs_argument && argument.is_empty() {
        return Parsed::Usage { command: Some(spec.name.to_string()), message: format!("Usage: /{} {} (for example {})", spec.name, spec.args, spec.example) };
    }
    let command = match spec.name {
        "brief" => Command::Brief { topic: argument },
        "quote" => Command::Quote { query: argument },
        "background" => Command::Background { topic: argument },
        "differ" => Command::Differ { topic: argument },
        "search" => Command::Search { words: argument },
        "sources" => Command::Sources,
        "help" => Command::Help,
        "subscribe" => Command::Subscribe { args: argument },
        "unsubscribe" => Command::Unsubscribe,
        "subscription" => Command::Subscription,
        "digest" => Command::Digest,
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
        assert_eq!(parse("/brief zangezur", None), Parsed::Command(Command::Brief { topic: "zangezur".into() }));
        assert_eq!(parse("  /QUOTE   Massoud  Pezeshkian ", None), Parsed::Command(Command::Quote { query: "Massoud Pezeshkian".into() }));
        assert_eq!(parse("!search gas", None), Parsed::Command(Command::Search { words: "gas".into() }));
        assert_eq!(parse("/sources", None), Parsed::Command(Command::Sources));
        assert_eq!(parse("/differ  gas   transit", None), Parsed::Command(Command::Differ { topic: "gas transit".into() }));
        assert!(matches!(parse("/differ", None), Parsed::Usage { command: Some(c), .. } if c == "differ"));
        assert!(usage_text().contains("/differ <topic>"));
    }

    #[test]
    fn addressed_commands() {
        assert_eq!(parse("/brief@BriefBot x", Some("briefbot")), Parsed::Command(Command::Brief { topic: "x".into() }));
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

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(parse("/brief zan\u{0}gezur", None), Parsed::Command(Command::Brief { topic: "zangezur".into() }));
    }
}
