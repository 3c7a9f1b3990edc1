//! Test helpers of the shell's modules: a one-shot HTTP server on this machine.

use std::io::{Read, Write};

/// Answers one HTTP request on a port of this machine with the bytes `reply` makes of
/// the request (its text in lower case), then closes. Returns the server's address.
fn serve(reply: impl FnOnce(&str) -> Vec<u8> + Send + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 8192];
        let n = conn.read(&mut buf).unwrap();
        let request = String::from_utf8_lossy(&buf[..n]).to_lowercase();
        // The client may hang up once it has read enough.
        let _ = conn.write_all(&reply(&request));
    });
    url
}

/// Answers one HTTP request with `status`, `content_type` and `body` when the request
/// contains every line of `expect` (compared in lower case), else with 400.
pub fn serve_once(
    status: u16,
    content_type: &'static str,
    body: impl Into<String>,
    expect: &'static [&'static str],
) -> String {
    let body = body.into();
    serve(move |request| {
        let (status, body) = if expect.iter().all(|e| request.contains(e)) {
            (status, body)
        } else {
            (400, String::new())
        };
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    })
}

/// Answers one HTTP request with the bytes of `reply` as they are (status line, headers
/// and body).
pub fn serve_raw(reply: Vec<u8>) -> String {
    serve(move |_| reply)
}
