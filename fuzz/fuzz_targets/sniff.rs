//! Fuzz target: upload type sniffing. It never panics, decides from the first
//! `SNIFF_LEN` bytes only (the server reads no more before deciding), and names a
//! format only when the bytes carry that format's signature.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_api::catalogue::FileFormat;
use onewindow_api::sniff::{sniff, SNIFF_LEN};

fuzz_target!(|data: &[u8]| {
    let got = sniff(data);
    let head = &data[..data.len().min(SNIFF_LEN)];
    assert_eq!(
        got,
        sniff(head),
        "the decision must not depend on bytes past SNIFF_LEN"
    );
    match got {
        Some(FileFormat::Pdf) => assert!(data.starts_with(b"%PDF-")),
        Some(FileFormat::Jpeg) => assert!(data.starts_with(&[0xFF, 0xD8, 0xFF])),
        Some(FileFormat::Png) => assert!(data.starts_with(b"\x89PNG\r\n\x1a\n")),
        Some(FileFormat::Ofd) => {
            assert!(data.starts_with(b"PK\x03\x04"));
            let name_len = usize::from(u16::from_le_bytes([data[26], data[27]]));
            assert!(data[30..30 + name_len].eq_ignore_ascii_case(b"OFD.xml"));
        }
        None => {}
    }
});
