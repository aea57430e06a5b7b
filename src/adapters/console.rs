//! The console adapter: `briefbot chat`, one command per line on stdin.

use std::io::{BufRead, Write};

use chrono::Utc;

use crate::dispatch::{Answerer, respond};
use crate::render::plain;

pub fn run(answerer: &dyn Answerer, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    writeln!(output, "briefbot console: type /help, or an empty line to quit.")?;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() || line.trim() == "/quit" {
            break;
        }
        if let Some(answer) = respond(answerer, &line, None, Utc::now()) {
            writeln!(output, "{}\n", plain::render(&answer))?;
        }
    }
    Ok(())
}
