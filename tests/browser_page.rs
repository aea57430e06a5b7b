//! The chat page in a real browser: Debian's chromium, headless, driven through chromedriver
//! (WebDriver over HTTP on 127.0.0.1). Types `/brief zangezur`, clicks Send and reads the
//! answer; then checks that corpus text never becomes markup, and that a citation opens its
//! source page with the cited sentence highlighted and in view.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (`apt-get install chromium chromium-driver`;
//! `.ci/run` installs them). Without them this test fails: it never skips silently.

#![cfg(feature = "serve")]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use briefbot::core::engine::{Engine, EngineOptions};
use briefbot::http::AppState;
use briefbot::http::metrics::Metrics;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn chromedriver() -> PathBuf {
    let candidates = [PathBuf::from("/usr/bin/chromedriver"), PathBuf::from("/usr/lib/chromium/chromedriver")];
    let found = candidates.into_iter().find(|p| p.exists());
    match (Path::new(CHROMIUM).exists(), found) {
        (true, Some(driver)) => driver,
        (has_chromium, driver) => panic!(
            "the browser test needs Debian's chromium and chromedriver (chromium: {}, chromedriver: {}): \
             run `apt-get update && apt-get install -y chromium chromium-driver` (.ci/run does)",
            if has_chromium { "found" } else { "missing /usr/bin/chromium" },
            if driver.is_some() { "found" } else { "missing /usr/bin/chromedriver" },
        ),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// chromedriver on a free loopback port; killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(http: &reqwest::Client) -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await {
                let v: Value = r.json().await.unwrap_or(Value::Null);
                if v["value"]["ready"] == true {
                    return driver;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready within 20 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// One WebDriver session.
struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    async fn new(http: &reqwest::Client, driver: &Driver, profile: &Path) -> Session {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            // No name resolves except loopback: the page must need nothing from outside.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--window-size=1000,900",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        } } });
        let r: Value = http.post(format!("{}/session", driver.url)).json(&caps).send().await.expect("new session").json().await.unwrap();
        let id = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {r}")).to_string();
        Session { http: http.clone(), base: format!("{}/session/{id}", driver.url) }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            request = request.json(&b);
        }
        let r = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = r.status();
        let v: Value = r.json().await.map_err(|e| format!("{path}: {e}"))?;
        if status.is_success() { Ok(v["value"].clone()) } else { Err(format!("{path}: {status} {}", v["value"])) }
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn find(&self, css: &str) -> Result<String, String> {
        let v = self.post("/element", json!({ "using": "css selector", "value": css })).await?;
        v[ELEMENT].as_str().map(str::to_string).ok_or_else(|| format!("no element id for {css}: {v}"))
    }

    async fn text(&self, element: &str) -> Result<String, String> {
        Ok(self.call(reqwest::Method::GET, &format!("/element/{element}/text"), None).await?.as_str().unwrap_or_default().to_string())
    }

    async fn script(&self, script: &str) -> Result<Value, String> {
        self.post("/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// Type `text` into the input, click Send, and wait (30 s at most) for the newest
    /// answer to finish; returns its text.
    async fn ask(&self, text: &str) -> Result<String, String> {
        let before = self.script("return document.querySelectorAll('#log .answer').length;").await?.as_u64().unwrap_or(0);
        let input = self.find("#q").await?;
        self.post(&format!("/element/{input}/clear"), json!({})).await?;
        self.post(&format!("/element/{input}/value"), json!({ "text": text })).await?;
        let send = self.find("#send").await?;
        self.post(&format!("/element/{send}/click"), json!({})).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done = self
                .script(&format!(
                    "var a = document.querySelectorAll('#log .answer'); return a.length > {before} && !a[a.length - 1].classList.contains('pending');"
                ))
                .await?;
            if done == true {
                let answer = self.find("#log .exchange:last-child .answer").await?;
                return self.text(&answer).await;
            }
            if Instant::now() > deadline {
                return Err(format!("no answer to {text} within 30 s"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn close(&self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
    }
}

async fn check_page(session: &Session, page: &str, expected_title: &str, expected_bullet: &str) -> Result<(), String> {
    session.post("/url", json!({ "url": page })).await?;
    let title = session.call(reqwest::Method::GET, "/title", None).await?;
    if title != "briefbot" {
        return Err(format!("page title {title}"));
    }

    let answer = session.ask("/brief zangezur").await?;
    if !answer.contains("Nakhchivan") {
        return Err(format!("the /brief zangezur answer has no Nakhchivan:\n{answer}"));
    }
    if !answer.contains(expected_title) {
        return Err(format!("the answer does not name its source `{expected_title}`:\n{answer}"));
    }
    let question = session.find("#log .exchange:last-child .question").await?;
    if session.text(&question).await? != "/brief zangezur" {
        return Err("the question is not shown".into());
    }
    let sources = session.script("return document.querySelectorAll('#log .answer .sources .source-title').length;").await?;
    if sources.as_u64().unwrap_or(0) == 0 {
        return Err("no source titles rendered".into());
    }
    // BRIEFBOT_PAGE_SCREENSHOT=FILE.png keeps pictures of the page for a person to look at.
    if let Ok(path) = std::env::var("BRIEFBOT_PAGE_SCREENSHOT") {
        let png = session.call(reqwest::Method::GET, "/screenshot", None).await?;
        std::fs::write(path, decode_base64(png.as_str().unwrap_or_default())).map_err(|e| e.to_string())?;
    }

    // A notice is shown (nothing in the corpus), and usage for plain text.
    let nothing = session.ask("/brief qwxzqwxz").await?;
    if !nothing.to_lowercase().contains("nothing in the corpus") {
        return Err(format!("no notice for an unknown topic:\n{nothing}"));
    }
    let usage = session.ask("hello there").await?;
    if !usage.contains("/brief") {
        return Err(format!("no usage answer for plain text:\n{usage}"));
    }

    // Corpus text is text: markup in titles and sentences is shown, never run; only
    // http(s) links become links.
    let trap = session.ask("/search trapdoor").await?;
    if !trap.contains("<script>window.pwned=2</script>") || !trap.contains("<img src=x") {
        return Err(format!("corpus markup was not shown as text:\n{trap}"));
    }
    let checks = session
        .script(
            "return { pwned: typeof window.pwned, scripts: document.querySelectorAll('#log script, #log img').length, \
             links: Array.from(document.querySelectorAll('#log a')).map(function (a) { return a.getAttribute('href'); }) };",
        )
        .await?;
    if checks["pwned"] != "undefined" || checks["scripts"] != 0 {
        return Err(format!("corpus text became markup: {checks}"));
    }
    // Each citation links to its source page on this server; the original only when http(s).
    let links: Vec<String> = checks["links"].as_array().into_iter().flatten().filter_map(|l| l.as_str().map(String::from)).collect();
    let originals: Vec<&String> = links.iter().filter(|l| !l.starts_with("doc/")).collect();
    if originals != ["https://example.org/trapdoor"]
        || !links.iter().any(|l| l.starts_with("doc/trap-1?hl="))
        || !links.iter().any(|l| l.starts_with("doc/trap-2?hl="))
    {
        return Err(format!("unexpected links: {checks}"));
    }
    if let Ok(path) = std::env::var("BRIEFBOT_PAGE_SCREENSHOT") {
        let png = session.call(reqwest::Method::GET, "/screenshot", None).await?;
        std::fs::write(format!("{path}.end.png"), decode_base64(png.as_str().unwrap_or_default())).map_err(|e| e.to_string())?;
    }

    // A citation opens its source page: the cited words highlighted and scrolled into view.
    session.post("/url", json!({ "url": page })).await?;
    session.ask("/brief zangezur").await?;
    let first = session.find("#log .exchange:last-child .answer .sources a.source-title").await?;
    session.post(&format!("/element/{first}/click"), json!({})).await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let seen = loop {
        let v = session
            .script(
                "var m = document.querySelectorAll('mark'); if (!m.length) { return null; } var r = m[0].getBoundingClientRect(); \
                 return { url: location.href, id: m[0].id, text: Array.from(m).map(function (x) { return x.textContent; }).join(' '), \
                 top: r.top, bottom: r.bottom, height: window.innerHeight, h1: document.querySelector('h1').textContent, \
                 scripts: document.querySelectorAll('script').length, mark: getComputedStyle(m[0]).backgroundColor };",
            )
            .await?;
        if !v.is_null() {
            break v;
        }
        if Instant::now() > deadline {
            return Err("the citation link did not open a page with a highlight within 20 s".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let marked = squash(seen["text"].as_str().unwrap_or_default());
    if seen["id"] != "hl" || marked.is_empty() || !squash(expected_bullet).contains(&marked) {
        return Err(format!("the highlight is not the cited text `{expected_bullet}`: {seen}"));
    }
    let (top, bottom, height) = (seen["top"].as_f64().unwrap_or(-1.0), seen["bottom"].as_f64().unwrap_or(-1.0), seen["height"].as_f64().unwrap_or(0.0));
    if !(top >= 0.0 && top < height && bottom > 0.0) || seen["h1"] != expected_title || seen["scripts"] != 0 {
        return Err(format!("the highlight is not in view on the source page of `{expected_title}`: {seen}"));
    }
    if let Ok(path) = std::env::var("BRIEFBOT_PAGE_SCREENSHOT") {
        let png = session.call(reqwest::Method::GET, "/screenshot", None).await?;
        std::fs::write(format!("{path}.doc.png"), decode_base64(png.as_str().unwrap_or_default())).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = s.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().enumerate().fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(c.len().saturating_sub(1))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_page_answers_in_a_real_browser() {
    let driver_path = chromedriver();
    assert!(driver_path.exists());

    // The shipped corpus plus two articles whose text and titles look like markup.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"), &corpus);
    std::fs::write(
        corpus.join("trap-1.md"),
        "---\ntitle: \"<img src=x onerror=\\\"window.pwned=1\\\"> Trapdoor report\"\ndate: 2025-05-01\nurl: https://example.org/trapdoor\n---\n\
         The <script>window.pwned=2</script> trapdoor clause was discussed by the delegations in Baku on Thursday.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("trap-2.md"),
        "---\ntitle: \"Trapdoor follow-up\"\ndate: 2025-05-02\nurl: \"javascript:window.pwned=3\"\n---\nA second trapdoor clause was mentioned by officials in Tehran.\n",
    )
    .unwrap();

    // The app, served in-process on 127.0.0.1.
    let state = AppState::new(Arc::new(Metrics::new()), None);
    let opts = EngineOptions::new(&corpus, dir.path().join("data"));
    let (engine, stats) = tokio::task::spawn_blocking(move || {
        let (engine, _) = Engine::open(&opts).expect("open the corpus");
        let stats = engine.stats();
        (engine, stats)
    })
    .await
    .unwrap();
    state.set_engine(Arc::new(engine), stats);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let page = format!("http://{}/", listener.local_addr().unwrap());
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(briefbot::http::serve(listener, state, stop_rx));

    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).no_proxy().build().unwrap();
    let expected: Value = http.get(format!("{page}v1/ask?q=/brief%20zangezur")).send().await.unwrap().json().await.unwrap();
    let expected_title = expected["items"][0]["sources"][0]["title"].as_str().expect("a source title").to_string();
    let expected_bullet = expected["items"][0]["text"].as_str().expect("a bullet").to_string();

    let driver = Driver::start(&http).await;
    let profile = tempfile::tempdir().unwrap();
    let session = Session::new(&http, &driver, profile.path()).await;
    let result = tokio::time::timeout(Duration::from_secs(120), check_page(&session, &page, &expected_title, &expected_bullet)).await;
    session.close().await;
    drop(driver);
    let _ = stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{e}"),
        Err(_) => panic!("the browser test took more than 120 s"),
    }
}
