//! A real PostgreSQL for tests: the server named by `BRIEFBOT_TEST_POSTGRES_URL` when set,
//! else a throwaway cluster started from the installed binaries (`initdb`, `postgres`) in a
//! temporary folder, listening on a unix socket only, and stopped (its folder removed) when
//! the test process ends. Each caller gets a database of its own.
//!
//! Without PostgreSQL binaries this FAILS with an install hint: a test that needs the engine
//! never skips itself.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use briefbot::state::pg::Pg;

/// Where to reach the server: a base URL to which `/<database>` (and the query) is added.
struct Server {
    /// `postgresql://user@host:port` or `postgresql://postgres@` (socket: see `query`).
    prefix: String,
    /// `?host=/socket/dir&port=N` for the throwaway cluster; empty for a given URL.
    query: String,
    /// The throwaway cluster's watchdog (it stops the server when this process ends).
    _watchdog: Option<std::sync::Mutex<std::process::Child>>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

const INSTALL_HINT: &str = "PostgreSQL binaries (initdb, postgres) were not found. Install them (Debian/Ubuntu: `apt-get install -y postgresql`; \
they land in /usr/lib/postgresql/<version>/bin), set BRIEFBOT_PG_BIN to their folder, or point BRIEFBOT_TEST_POSTGRES_URL at a server \
(postgres://user:password@127.0.0.1:5432/postgres) where that user may CREATE DATABASE.";

/// The folder holding `initdb` and `postgres`.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BRIEFBOT_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("postgres").exists())
        .collect();
    // The highest version (folder names are version numbers).
    found.sort_by_key(|b| b.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0));
    if let Some(b) = found.pop() {
        return b;
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let b = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if b.join("initdb").exists() {
            return b;
        }
    }
    panic!("{INSTALL_HINT}");
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// `sh -c script`, as the `postgres` user when we are root (the server refuses root).
fn shell(script: &str) -> Command {
    let mut c = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", script]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    };
    c.stdin(Stdio::null());
    c
}

fn start_cluster() -> Server {
    let bin = bin_dir();
    let bin = bin.display();
    let made = shell(&format!(
        "set -e; d=$(mktemp -d /tmp/briefbot-pg.XXXXXX); chmod 755 \"$d\"; \"{bin}/initdb\" -D \"$d/data\" -U postgres -A trust -E UTF8 --no-sync >\"$d/initdb.log\" 2>&1 || {{ cat \"$d/initdb.log\" >&2; exit 1; }}; echo \"$d\""
    ))
    .output()
    .unwrap_or_else(|e| panic!("running initdb: {e}. {INSTALL_HINT}"));
    assert!(made.status.success(), "initdb failed: {}", String::from_utf8_lossy(&made.stderr));
    let dir = String::from_utf8_lossy(&made.stdout).trim().to_string();
    let port = 5432;
    // The server lives while this test process does; then it stops and its folder goes.
    let watchdog = format!(
        "\"{bin}/postgres\" -D \"{dir}/data\" -k \"{dir}\" -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300 >\"{dir}/server.log\" 2>&1 & p=$!; \
         while [ -d /proc/{me} ] && kill -0 $p 2>/dev/null; do sleep 0.5; done; kill -INT $p 2>/dev/null; wait $p; rm -rf \"{dir}\"",
        me = std::process::id()
    );
    let watchdog = shell(&watchdog).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("starting postgres");
    let server =
        Server { prefix: "postgresql://postgres@".into(), query: format!("?host={dir}&port={port}"), _watchdog: Some(std::sync::Mutex::new(watchdog)) };
    let admin = format!("{}/postgres{}", server.prefix, server.query);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match Pg::connect(&admin) {
            Ok(_) => break,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!(
                "the test PostgreSQL in {dir} did not start: {e:#}; its log: {}",
                std::fs::read_to_string(format!("{dir}/server.log")).unwrap_or_default()
            ),
        }
    }
    server
}

fn server() -> &'static Server {
    SERVER.get_or_init(|| match std::env::var("BRIEFBOT_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty()) {
        Some(url) => {
            // Keep everything before the path; the database part is replaced per test.
            let (scheme, rest) = url.split_once("://").expect("BRIEFBOT_TEST_POSTGRES_URL is a postgres:// URL");
            let (auth_host, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
            let query = tail.find('?').map(|i| tail[i..].to_string()).unwrap_or_default();
            Server { prefix: format!("{scheme}://{auth_host}"), query, _watchdog: None }
        }
        None => start_cluster(),
    })
}

/// The URL of a new, empty database (named after `label`) on the test server.
pub fn fresh_database(label: &str) -> String {
    let s = server();
    let clean: String = label.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).take(30).collect();
    let name = format!("t_{}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst), clean);
    let admin = Pg::connect(&format!("{}/postgres{}", s.prefix, s.query)).expect("the test PostgreSQL answers");
    let sql = format!("CREATE DATABASE \"{name}\"");
    admin
        .run(move |c| async move {
            c.batch_execute(&sql).await?;
            Ok(())
        })
        .expect("CREATE DATABASE on the test PostgreSQL");
    format!("{}/{name}{}", s.prefix, s.query)
}
