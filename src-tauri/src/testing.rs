//! Test helpers of the shell's modules: a one-shot HTTP server on this machine.

use std::io::{Read, Write};

/// Answers one HTTP request on a port of this machine, then closes: with `status`,
/// `content_type` and `body` when the request contains every line of `expect`
/// (compared in lower case), else with 400. Returns the server's address.
pub fn serve_once(
    status: u16,
    content_type: &'static str,
    body: impl Into<String>,
    expect: &'static [&'static str],
) -> String {
    let body = body.into();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 8192];
        let n = conn.read(&mut buf).unwrap();
        let request = String::from_utf8_lossy(&buf[..n]).to_lowercase();
        let (status, body) = if expect.iter().all(|e| request.contains(e)) {
            (status, body)
        } else {
            (400, String::new())
        };
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(reply.as_bytes()).unwrap();
    });
    url
}

/// Answers one HTTP request on a port of this machine with the bytes of `reply` as they
/// are (status line, headers and body), then closes. Returns the server's address.
pub fn serve_raw(reply: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = conn.read(&mut buf).unwrap();
        // The client may hang up once it has read enough.
        let _ = conn.write_all(&reply);
    });
    url
}
