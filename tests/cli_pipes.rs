//! Command-line manners: when the reader of briefbot's output goes away (`briefbot quotes |
//! head -1`), briefbot stops quietly with exit 0, as ripgrep does: no "internal error", no
//! "Broken pipe" message. Tested with a real pipe whose reading end is closed.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_briefbot");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the seed corpus's index in `data` once, so that the runs below only answer.
fn indexed() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let out = briefbot(&data, &["index"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    data
}

fn briefbot(data: &tempfile::TempDir, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--corpus").arg(repo().join("corpus")).arg("--data").arg(data.path()).args(args).current_dir(data.path()).env("RUST_LOG", "warn");
    c
}

/// Run with stdout a pipe whose reading end is already closed: the first write fails with
/// EPIPE. Returns the exit code and what went to stderr.
fn with_closed_pipe(data: &tempfile::TempDir, args: &[&str]) -> (Option<i32>, String) {
    let mut child = briefbot(data, args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_with_exit_0() {
    let data = indexed();
    for args in
        [&["quotes", "--json"][..], &["ask", "/help"], &["ask", "--json", "/brief gas"], &["ask", "/sources"], &["digest", "--since", "2000-01-01"], &["index"]]
    {
        let (code, stderr) = with_closed_pipe(&data, args);
        assert_eq!(code, Some(0), "briefbot {args:?} into a closed pipe: exit {code:?}, stderr: {stderr}");
        assert!(stderr.is_empty(), "briefbot {args:?} into a closed pipe says nothing: {stderr}");
    }
}

#[test]
fn a_reader_that_stops_after_one_line_ends_the_program_quietly() {
    // `briefbot quotes --json | head -1`: read one line, close the pipe, and the rest of the
    // output (more than a pipe holds) meets a closed pipe.
    let data = indexed();
    let mut child = briefbot(&data, &["quotes", "--json"]).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with('{'), "a JSON line: {first}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
