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

/// The largest event `SseParser::new` takes, in bytes of its lines (1 MiB; a
/// notification is a few hundred bytes).
pub const MAX_EVENT_BYTES: usize = 1 << 20;

/// Incremental parser: keeps an incomplete line and the event being built.
#[derive(Debug)]
pub struct SseParser {
    line: Vec<u8>,
    /// The most bytes one event's lines may hold.
    limit: usize,
    /// The bytes of the event being built, its incomplete line included.
    size: usize,
    /// The event being built went over the limit: its lines are dropped up to its end.
    skipping: bool,
    /// While skipping: the current line has bytes (so its end is not the event's end).
    skipping_line: bool,
    /// How many events were skipped for their size.
    skipped: u64,
    /// The previous chunk ended in `\r`: a `\n` starting the next one ends no new line.
    after_cr: bool,
    id: Option<String>,
    event: String,
    data: Vec<String>,
    has_data: bool,
}

impl Default for SseParser {
    fn default() -> SseParser {
        SseParser::with_limit(MAX_EVENT_BYTES)
    }
}

impl SseParser {
    /// A parser taking events of up to `MAX_EVENT_BYTES`.
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// A parser taking events of up to `limit` bytes (their lines, field names included).
    pub fn with_limit(limit: usize) -> SseParser {
        SseParser {
            line: Vec::new(),
            limit,
            size: 0,
            skipping: false,
            skipping_line: false,
            skipped: 0,
            after_cr: false,
            id: None,
            event: String::new(),
            data: Vec::new(),
            has_data: false,
        }
    }

    /// How many events were skipped so far for being larger than the limit.
    pub fn skipped(&self) -> u64 {
        self.skipped
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
                    if self.skipping {
                        // The oversized event ends at its blank line; nothing of it
                        // is dispatched (an id it gave before going over stays the
                        // stream's last id, as the format wants, so a resumption
                        // skips it too).
                        if !std::mem::take(&mut self.skipping_line) {
                            self.skip_done();
                        }
                        continue;
                    }
                    if line.first() == Some(&b':') {
                        // A comment (a keep-alive) belongs to no event.
                        self.size -= line.len();
                        continue;
                    }
                    let line = String::from_utf8_lossy(&line);
                    if let Some(e) = self.line_done(&line) {
                        out.push(e);
                    }
                }
                _ if self.skipping => self.skipping_line = true,
                _ => {
                    self.size += 1;
                    if self.size > self.limit {
                        self.skip_start();
                    } else {
                        self.line.push(b);
                    }
                }
            }
        }
        out
    }

    /// The event being built is too large: it is dropped, and so is the rest of it.
    fn skip_start(&mut self) {
        self.skipping = true;
        self.skipping_line = true;
        self.line = Vec::new();
        self.data = Vec::new();
        self.event.clear();
        self.has_data = false;
    }

    /// The end of a skipped event: the next one starts afresh.
    fn skip_done(&mut self) {
        self.skipping = false;
        self.size = 0;
        self.skipped += 1;
    }

    fn line_done(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            self.size = 0;
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

    #[test]
    fn an_event_over_the_limit_is_skipped_whole_and_the_next_one_comes_out() {
        let mut p = SseParser::with_limit(64);
        let small = "id: 1\ndata: small\n\n";
        let huge = format!("id: 2\ndata: {}\ndata: tail\n\n", "x".repeat(200));
        let next = "id: 3\ndata: next\n\n";
        // In pieces, so that the limit is crossed in the middle of a chunk and of a line.
        let text = format!("{small}{huge}{next}");
        let mut got = Vec::new();
        for piece in text.as_bytes().chunks(7) {
            got.extend(p.push(piece));
        }
        let ids: Vec<_> = got.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, vec![Some("1"), Some("3")]);
        assert_eq!(got[1].data, "next");
        assert_eq!(p.skipped(), 1);
        // The memory held stays within the limit, however long a line without end runs.
        let mut endless = SseParser::with_limit(64);
        for _ in 0..1000 {
            assert!(endless.push(&[b'y'; 1024]).is_empty());
        }
        assert!(
            endless.line.capacity() <= 128,
            "{}",
            endless.line.capacity()
        );
        assert_eq!(endless.skipped(), 0, "not over until its blank line");
        // Keep-alive comments count toward no event.
        let mut quiet = SseParser::with_limit(64);
        let comments = ": keep-alive\n".repeat(100);
        assert_eq!(
            quiet
                .push(format!("{comments}data: x\n\n").as_bytes())
                .len(),
            1
        );
        // Many small events, each within the limit, all come out.
        let mut many = SseParser::with_limit(64);
        let burst = "data: 0123456789\n\n".repeat(100);
        assert_eq!(many.push(burst.as_bytes()).len(), 100);
    }
}
