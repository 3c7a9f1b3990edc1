//! File type sniffing: the real format of an upload, read from its first bytes, never
//! from its name. The app runs it before uploading; the server runs it authoritatively.

use crate::catalogue::FileFormat;

/// How many leading bytes `sniff` needs to decide.
pub const SNIFF_LEN: usize = 4096;

/// The format of a file from its first bytes (up to `SNIFF_LEN`), or `None` when it is
/// none of the accepted formats. OFD documents are ZIP packages whose first entry is
/// `OFD.xml` (GB/T 33190); other ZIP files are not accepted.
pub fn sniff(head: &[u8]) -> Option<FileFormat> {
    if head.starts_with(b"%PDF-") {
        Some(FileFormat::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileFormat::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileFormat::Png)
    } else if head.starts_with(b"PK\x03\x04") && is_ofd(head) {
        Some(FileFormat::Ofd)
    } else {
        None
    }
}

/// Why a file is refused before it is kept: the app checks before sending, the server
/// while receiving, by the same two rules (`check_size`, `check_head`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    Empty,
    /// Larger than the limit, in MB.
    TooLarge(u64),
    /// Its content is none of the accepted formats, whatever its name says.
    Format,
}

/// The size rule: not empty, and at most `limit_mb` MB.
pub fn check_size(size: u64, limit_mb: u64) -> Result<(), UploadRefusal> {
    if size == 0 {
        Err(UploadRefusal::Empty)
    } else if size > limit_mb.saturating_mul(1024 * 1024) {
        Err(UploadRefusal::TooLarge(limit_mb))
    } else {
        Ok(())
    }
}

/// The type rule: the format sniffed from the first bytes (up to `SNIFF_LEN`), if it is
/// one of `formats`.
pub fn check_head(head: &[u8], formats: &[FileFormat]) -> Result<FileFormat, UploadRefusal> {
    if head.is_empty() {
        return Err(UploadRefusal::Empty);
    }
    sniff(head)
        .filter(|f| formats.contains(f))
        .ok_or(UploadRefusal::Format)
}

/// The first local file header of the ZIP names `OFD.xml`.
fn is_ofd(head: &[u8]) -> bool {
    if head.len() < 30 {
        return false;
    }
    let name_len = usize::from(u16::from_le_bytes([head[26], head[27]]));
    head.get(30..30 + name_len)
        .is_some_and(|name| name.eq_ignore_ascii_case(b"OFD.xml"))
}

impl FileFormat {
    /// The media type sent when the file is downloaded.
    pub fn media_type(self) -> &'static str {
        match self {
            FileFormat::Pdf => "application/pdf",
            FileFormat::Jpeg => "image/jpeg",
            FileFormat::Png => "image/png",
            FileFormat::Ofd => "application/ofd",
        }
    }

    /// The format's name on the wire and in the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Jpeg => "jpeg",
            FileFormat::Png => "png",
            FileFormat::Ofd => "ofd",
        }
    }

    pub fn parse(s: &str) -> Option<FileFormat> {
        [
            FileFormat::Pdf,
            FileFormat::Jpeg,
            FileFormat::Png,
            FileFormat::Ofd,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }

    /// The extension given to stored and downloaded files.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Jpeg => "jpg",
            FileFormat::Png => "png",
            FileFormat::Ofd => "ofd",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_rules() {
        assert_eq!(check_size(0, 5), Err(UploadRefusal::Empty));
        assert_eq!(check_size(5 * 1024 * 1024, 5), Ok(()));
        assert_eq!(
            check_size(5 * 1024 * 1024 + 1, 5),
            Err(UploadRefusal::TooLarge(5))
        );
        let pdf = [FileFormat::Pdf];
        assert_eq!(check_head(b"%PDF-1.7 ...", &pdf), Ok(FileFormat::Pdf));
        // A real PNG is still refused where only PDF is accepted.
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];
        assert_eq!(check_head(&png, &pdf), Err(UploadRefusal::Format));
        assert_eq!(check_head(b"", &pdf), Err(UploadRefusal::Empty));
    }

    fn zip_with_first_entry(name: &str) -> Vec<u8> {
        let mut v = b"PK\x03\x04".to_vec();
        v.extend([0u8; 22]);
        v.extend((name.len() as u16).to_le_bytes());
        v.extend([0u8; 2]);
        v.extend(name.as_bytes());
        v
    }

    #[test]
    fn formats_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileFormat::Pdf));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileFormat::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileFormat::Png)
        );
        assert_eq!(
            sniff(&zip_with_first_entry("OFD.xml")),
            Some(FileFormat::Ofd)
        );
    }

    #[test]
    fn disguised_and_unknown_files_are_refused() {
        // A Windows executable renamed to .pdf.
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(sniff(&zip_with_first_entry("word/document.xml")), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"<html>%PDF-"), None);
    }
}
