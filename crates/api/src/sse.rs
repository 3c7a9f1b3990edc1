//! A parser for Server-Sent Events (the WHATWG `text/event-stream` format), for clients of
//! the live notification stream: the app's background task and the tests. Bytes go in as
//! they arrive, in chunks of any size; whole events come out.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `id` field, if the event had one: the id to resume after (`Last-Event-ID`).
    pub id: Option<String>,
    /// The `event` field; `message` when absent.
    pub event: String,
    /// The `data` lines, joined with `\n`.
    pub data: String,
}

/// Incremental parser: keeps an incomplete line and the event being built.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// The previous chunk ended in `\r`: a `\n` starting the next one ends no new line.
    after_cr: bool,
    id: Option<String>,
    event: String,
    data: Vec<String>,
    has_data: bool,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds bytes; returns the events completed by them.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for &b in chunk {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\r' | b'\n' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    let line = String::from_utf8_lossy(&line);
                    if let Some(e) = self.line_done(&line) {
                        out.push(e);
                    }
                }
                _ => self.line.push(b),
            }
        }
        out
    }

    fn line_done(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let data = std::mem::take(&mut self.data);
            if !std::mem::take(&mut self.has_data) {
                return None;
            }
            return Some(SseEvent {
                id: self.id.clone(),
                event: if event.is_empty() {
                    "message".into()
                } else {
                    event
                },
                data: data.join("\n"),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push(value.to_owned());
                self.has_data = true;
            }
            "event" => self.event = value.to_owned(),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let text = ": keep-alive\n\nid: 7\nevent: notification\ndata: {\"a\":\ndata: 1}\n\nid: 8\r\ndata: é\r\n\r\n";
        // Feed the stream one byte at a time (splitting the two-byte é too).
        let mut p = SseParser::new();
        let mut got = Vec::new();
        for b in text.as_bytes() {
            got.extend(p.push(std::slice::from_ref(b)));
        }
        assert_eq!(
            got,
            vec![
                SseEvent {
                    id: Some("7".into()),
                    event: "notification".into(),
                    data: "{\"a\":\n1}".into(),
                },
                SseEvent {
                    id: Some("8".into()),
                    event: "message".into(),
                    data: "é".into(),
                },
            ]
        );
        // The same in one chunk.
        assert_eq!(SseParser::new().push(text.as_bytes()), got);
    }

    #[test]
    fn comments_and_fields_without_data_dispatch_nothing() {
        let mut p = SseParser::new();
        assert!(p.push(b": hello\n\nevent: x\n\nid: 3\n\n").is_empty());
        // The last id is kept for the next event.
        assert_eq!(p.push(b"data\n\n")[0].id.as_deref(), Some("3"));
    }
}
