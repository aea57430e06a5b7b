//! A log capture for a test binary: everything logged through `tracing` (and `log`, through
//! tracing-log) is kept in memory so tests can check what reached the log. Set the
//! `echo_env` variable given to [`init`] to also see it on stderr.

#![allow(dead_code)]

use std::io::Write;
use std::sync::{Mutex, OnceLock};

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static ECHO: OnceLock<bool> = OnceLock::new();

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        if ECHO.get().copied().unwrap_or(false) {
            std::io::stderr().write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Install the capture once per test binary, with this `EnvFilter` directive.
pub fn init(filter: &str, echo_env: &str) {
    if ECHO.set(std::env::var_os(echo_env).is_some()).is_ok() {
        let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).with_ansi(false).with_writer(|| Capture).try_init();
    }
}

/// Everything captured so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Bytes captured so far (to read only what a test added).
pub fn logs_len() -> usize {
    LOGS.lock().unwrap_or_else(|e| e.into_inner()).len()
}
