//! `briefbot health`: one `GET {url}/healthz` over a plain TCP connection (std only, no
//! runtime), for the Docker healthcheck and for people. Only `http://` URLs.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// What `briefbot health` found: `healthy` is true for a 200; `line` is the one line it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReport {
    pub healthy: bool,
    pub line: String,
}

/// The URL `briefbot health` checks by default for a server bound to `bind`.
pub fn default_url(bind: SocketAddr) -> String {
    super::local_url(bind).trim_end_matches('/').to_string()
}

/// GET `{base}/healthz` (`base` like `http://127.0.0.1:8080`, with or without the scheme or
/// a trailing slash), waiting at most `timeout` for each of connect, send and receive.
pub fn check(base: &str, timeout: Duration) -> HealthReport {
    let url = format!("{}/healthz", base.trim().trim_end_matches('/'));
    match get(&url, timeout) {
        Ok((200, body)) => HealthReport { healthy: true, line: format!("healthy: {}", one_line(&body)) },
        Ok((status, body)) => HealthReport { healthy: false, line: format!("unhealthy: HTTP {status} from {url}: {}", one_line(&body)) },
        Err(e) => HealthReport { healthy: false, line: format!("unhealthy: {url}: {e}") },
    }
}

fn one_line(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 { flat.chars().take(200).chain("…".chars()).collect() } else { flat }
}

/// A minimal HTTP/1.1 GET: status code and body (`Connection: close`; the body is what
/// follows the headers, de-chunked when the server chunks it).
fn get(url: &str, timeout: Duration) -> Result<(u16, String), String> {
    let rest = match url.split_once("://") {
        Some(("http", rest)) => rest,
        Some((scheme, _)) => return Err(format!("only http:// URLs are supported, not {scheme}://")),
        None => url,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err("no host in the URL".to_string());
    }
    let with_port = if authority.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) { authority.to_string() } else { format!("{authority}:80") };
    let addrs: Vec<SocketAddr> = with_port.to_socket_addrs().map_err(|e| format!("cannot resolve {authority}: {e}"))?.collect();
    let mut last = String::from("no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = format!("cannot connect to {addr}: {e}"),
        }
    }
    let mut stream = stream.ok_or(last)?;
    stream.set_read_timeout(Some(timeout)).and_then(|_| stream.set_write_timeout(Some(timeout))).map_err(|e| e.to_string())?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: briefbot-health\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| format!("sending the request: {e}"))?;
    let mut raw = Vec::new();
    stream.take(1 << 20).read_to_end(&mut raw).map_err(|e| format!("reading the response: {e}"))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status_line = head.lines().next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|_| status_line.starts_with("HTTP/"))
        .ok_or_else(|| format!("not an HTTP response: {}", one_line(status_line)))?;
    let chunked = head.lines().any(|l| l.to_ascii_lowercase().replace(' ', "") == "transfer-encoding:chunked");
    Ok((status, if chunked { dechunk(body) } else { body.to_string() }))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn serve_once(response: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("GET /healthz HTTP/1.1\r\n"));
            s.write_all(response.as_bytes()).unwrap();
        });
        format!("http://{addr}/")
    }

    #[test]
    fn healthy_on_200() {
        let url = serve_once("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}");
        let r = check(&url, Duration::from_secs(5));
        assert_eq!(r, HealthReport { healthy: true, line: "healthy: {\"status\":\"ok\"}".into() });
    }

    #[test]
    fn unhealthy_on_503_and_chunked_bodies_read() {
        let url = serve_once(
            "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n8\r\n{\"status\r\n13\r\n\":\"starting\"}\n\n\n\n\n\n\r\n0\r\n\r\n",
        );
        let r = check(&url, Duration::from_secs(5));
        assert!(!r.healthy);
        assert!(r.line.starts_with("unhealthy: HTTP 503 from http://127.0.0.1:"), "{}", r.line);
        assert!(r.line.ends_with("{\"status\":\"starting\"}"), "{}", r.line);
        assert!(!r.line.contains('\n'));
    }

    #[test]
    fn unhealthy_when_nothing_listens() {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let r = check(&format!("127.0.0.1:{port}"), Duration::from_secs(2));
        assert!(!r.healthy);
        assert!(r.line.starts_with(&format!("unhealthy: 127.0.0.1:{port}/healthz: cannot connect")), "{}", r.line);
        assert!(!check("https://example.invalid", Duration::from_secs(1)).healthy);
    }

    #[test]
    fn default_url_uses_loopback_for_any_address() {
        assert_eq!(default_url("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080");
    }
}
