//! Slash commands: what we register (from [`crate::command::COMMANDS`], so `/help` and the
//! command menu never disagree), and how an invocation turns back into command text for
//! the shared parser.

use serenity::builder::{AutocompleteChoice, CreateCommand, CreateCommandOption};
use serenity::model::application::{CommandData, CommandDataOptionValue, CommandOptionType};

use serenity::model::permissions::Permissions;

use crate::command::{self, ADMIN_COMMANDS, COMMANDS, CommandSpec, DIGEST_COMMANDS, MAX_ARGUMENT_CHARS};

/// Who sees the admin commands (`/status`) in a server's command list: members with Manage
/// Server (and administrators). The answer itself is still given only to `access.admins`.
pub const ADMIN_COMMAND_PERMISSIONS: Permissions = Permissions::MANAGE_GUILD;

/// Options whose values come from [`crate::dispatch::Answerer::suggest`].
pub const AUTOCOMPLETE_OPTIONS: &[&str] = &["topic", "person"];
/// Discord: at most 25 choices, names and values of 1 to 100 characters.
pub const MAX_CHOICES: usize = 25;
pub const MAX_CHOICE_LEN: usize = 100;

/// One option of a command, read from the spec's argument placeholder
/// (`<person> [topic]`: `person` required, `topic` optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSpec {
    pub name: String,
    pub required: bool,
}

/// Commands that take time filters get two more optional options, `since` and `until`.
pub fn option_specs(spec: &CommandSpec) -> Vec<OptionSpec> {
    let mut options: Vec<OptionSpec> = spec
        .args
        .split_whitespace()
        .filter_map(|a| {
            if let Some(n) = a.strip_prefix('<').and_then(|a| a.strip_suffix('>')) {
                Some(OptionSpec { name: option_name(n), required: true })
            } else {
                a.strip_prefix('[').and_then(|a| a.strip_suffix(']')).map(|n| OptionSpec { name: option_name(n.trim_end_matches("...")), required: false })
            }
        })
        .collect();
    if command::takes_time_filter(spec.name) {
        options.extend(KEYWORD_OPTIONS.iter().map(|k| OptionSpec { name: (*k).to_string(), required: false }));
    }
    options
}

/// Discord option names are lowercase words: the placeholders `HH:MM` and `Area/City`
/// become `time` and `zone`.
fn option_name(placeholder: &str) -> String {
    match placeholder {
        "HH:MM" => "time".to_string(),
        "Area/City" => "zone".to_string(),
        other => other.to_lowercase(),
    }
}

/// Options that stand for `since:` / `until:` keywords in the typed command: their values are
/// typed back with the keyword in [`command_text`].
const KEYWORD_OPTIONS: &[&str] = &["since", "until"];

fn option_description(command: &str, option: &OptionSpec) -> String {
    match (command, option.name.as_str()) {
        ("subscribe", "time") => "Local time of the digest, HH:MM (default from the bot's settings)".to_string(),
        ("subscribe", "zone") => "Time zone, Area/City, for example Europe/London".to_string(),
        ("subscribe", "topics") => "Only articles on these topics (default: everything new)".to_string(),
        ("quote", "topic") => "Only what was said about this topic".to_string(),
        (_, "since") => "Only articles from this day on: 2025-04-01, 7d, 24h, yesterday".to_string(),
        (_, "until") => "Only articles up to this day: 2025-04-30, 2d, yesterday".to_string(),
        (_, "topic") => "A topic, person or place, for example zangezur".to_string(),
        (_, "person") => "Who said it, for example pezeshkian".to_string(),
        (_, "words") => "Words to look for".to_string(),
        (_, name) => format!("The {name}"),
    }
}

/// The slash commands registered at start-up; the digest commands too when this bot runs
/// digests; the admin commands last, visible only to members with
/// [`ADMIN_COMMAND_PERMISSIONS`] (`default_member_permissions`).
pub fn slash_commands(digests: bool) -> Vec<CreateCommand> {
    let digest_commands = if digests { DIGEST_COMMANDS } else { &[] };
    COMMANDS
        .iter()
        .chain(digest_commands)
        .chain(ADMIN_COMMANDS)
        .map(|spec| {
            let options = option_specs(spec)
                .into_iter()
                .map(|o| {
                    let max = u16::try_from(MAX_ARGUMENT_CHARS).unwrap_or(u16::MAX);
                    CreateCommandOption::new(CommandOptionType::String, o.name.clone(), option_description(spec.name, &o))
                        .required(o.required)
                        .set_autocomplete(AUTOCOMPLETE_OPTIONS.contains(&o.name.as_str()))
                        .max_length(max)
                })
                .collect();
            let command = CreateCommand::new(spec.name).description(spec.description).set_options(options);
            if ADMIN_COMMANDS.iter().any(|a| a.name == spec.name) { command.default_member_permissions(ADMIN_COMMAND_PERMISSIONS) } else { command }
        })
        .collect()
}

/// The invocation as the text a user would type (`/quote pezeshkian gas`), options in the
/// order the spec lists them. `None` for a command we do not offer.
pub fn command_text(data: &CommandData) -> Option<String> {
    let spec = COMMANDS.iter().chain(DIGEST_COMMANDS).chain(ADMIN_COMMANDS).find(|s| s.name == data.name)?;
    let mut text = format!("/{}", spec.name);
    for option in option_specs(spec) {
        let value = data.options.iter().find(|o| o.name == option.name).and_then(|o| match &o.value {
            CommandDataOptionValue::String(s) => Some(s.as_str()),
            CommandDataOptionValue::Autocomplete { value, .. } => Some(value.as_str()),
            _ => None,
        });
        if let Some(value) = value {
            text.push(' ');
            if KEYWORD_OPTIONS.contains(&option.name.as_str()) && !value.trim_start().to_lowercase().starts_with(&format!("{}:", option.name)) {
                text.push_str(&option.name);
                text.push(':');
            }
            text.push_str(value);
        }
    }
    Some(text)
}

/// Autocomplete choices from suggested names: trimmed, without duplicates or empties, at
/// most [`MAX_CHOICES`], each name and value at most [`MAX_CHOICE_LEN`] characters.
pub fn choices(names: Vec<String>) -> Vec<AutocompleteChoice> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|n| n.chars().filter(|c| !c.is_control()).take(MAX_CHOICE_LEN).collect::<String>())
        .filter(|n| !n.is_empty() && seen.insert(n.to_lowercase()))
        .take(MAX_CHOICES)
        .map(|n| AutocompleteChoice::new(n.clone(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_come_from_the_argument_placeholders() {
        let quote = COMMANDS.iter().find(|s| s.name == "quote").unwrap();
        let optional = |name: &str| OptionSpec { name: name.into(), required: false };
        assert_eq!(option_specs(quote), vec![OptionSpec { name: "person".into(), required: true }, optional("topic"), optional("since"), optional("until")]);
        let sources = COMMANDS.iter().find(|s| s.name == "sources").unwrap();
        assert!(option_specs(sources).is_empty());
    }

    #[test]
    fn registered_commands_serialise_with_names_and_descriptions() {
        let json = serde_json::to_value(slash_commands(false)).unwrap();
        let names: Vec<&str> = json.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["brief", "quote", "background", "differ", "search", "sources", "help", "status"]);
        // /status is listed only for members who may manage the server; the rest have no
        // default_member_permissions (everyone sees them).
        for c in json.as_array().unwrap() {
            let expected = if c["name"] == "status" { Some("32") } else { None };
            assert_eq!(c["default_member_permissions"].as_str(), expected, "{c}");
        }
        let with_digests = serde_json::to_value(slash_commands(true)).unwrap();
        let subscribe = with_digests.as_array().unwrap().iter().find(|c| c["name"] == "subscribe").expect("subscribe is offered");
        let options: Vec<(&str, bool)> =
            subscribe["options"].as_array().unwrap().iter().map(|o| (o["name"].as_str().unwrap(), o["required"].as_bool().unwrap_or(false))).collect();
        assert_eq!(options, [("time", false), ("zone", false), ("topics", false)]);
        for c in with_digests.as_array().unwrap() {
            for o in c["options"].as_array().into_iter().flatten() {
                let name = o["name"].as_str().unwrap();
                assert!(name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch == '-'), "Discord rejects option name {name}");
            }
        }
        for c in json.as_array().unwrap() {
            let d = c["description"].as_str().unwrap();
            assert!(!d.is_empty() && d.chars().count() <= 100);
        }
        let brief = &json[0]["options"][0];
        assert_eq!(
            (brief["name"].as_str(), brief["required"].as_bool(), brief["autocomplete"].as_bool(), brief["type"].as_u64()),
            (Some("topic"), Some(true), Some(true), Some(3))
        );
    }

    #[test]
    fn time_filter_options_become_keywords() {
        let brief = COMMANDS.iter().find(|s| s.name == "brief").unwrap();
        let names: Vec<String> = option_specs(brief).into_iter().map(|o| o.name).collect();
        assert_eq!(names, ["topic", "since", "until"]);
        let data: CommandData = serde_json::from_value(serde_json::json!({
            "id": "1", "name": "brief", "type": 1,
            "options": [
                {"name": "topic", "type": 3, "value": "zangezur"},
                {"name": "since", "type": 3, "value": "7d"},
                {"name": "until", "type": 3, "value": "until:2025-04-30"}
            ]
        }))
        .unwrap();
        assert_eq!(command_text(&data).unwrap(), "/brief zangezur since:7d until:2025-04-30");
        let status: CommandData = serde_json::from_value(serde_json::json!({"id": "2", "name": "status", "type": 1})).unwrap();
        assert_eq!(command_text(&status).unwrap(), "/status");
    }

    #[test]
    fn choices_are_capped_and_deduplicated() {
        let mut names: Vec<String> = (0..40).map(|i| format!("Name {i}")).collect();
        names.insert(1, "name 0".into());
        names.insert(2, "x".repeat(300));
        names.insert(3, "  ".into());
        let c = serde_json::to_value(choices(names)).unwrap();
        let c = c.as_array().unwrap();
        assert_eq!(c.len(), MAX_CHOICES);
        assert_eq!(c[0]["name"], "Name 0");
        assert_eq!(c[1]["name"].as_str().unwrap().chars().count(), 100);
        assert_eq!(c[1]["value"].as_str().unwrap().chars().count(), 100);
        assert_eq!(c[2]["name"], "Name 1");
    }
}
