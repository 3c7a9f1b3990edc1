//! A QR code drawn as inline SVG, for the booking code scanned at check-in. Encoded in
//! Rust (qrcodegen), so no image request and no script library is needed.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// Quiet zone around the code, in modules, as the QR standard asks.
const BORDER: i32 = 4;

/// The SVG path of the dark modules of `text`, and the side of the picture in modules.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + BORDER, y + BORDER));
            }
        }
    }
    Some((d, size + 2 * BORDER))
}

#[component]
pub fn QrCodeSvg(text: String, label: String) -> impl IntoView {
    qr_path(&text).map(|(d, side)| {
        view! {
            <svg class="qr" data-testid="booking-qr" xmlns="http://www.w3.org/2000/svg"
                viewBox=format!("0 0 {side} {side}") role="img" aria-label=label
                shape-rendering="crispEdges">
                <rect width=side.to_string() height=side.to_string() fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::qr_path;

    #[test]
    fn a_booking_code_makes_a_version_one_code() {
        let (d, side) = qr_path("7K3Q9PXA").unwrap();
        // Version 1 is 21 modules wide, plus the quiet zone on both sides.
        assert_eq!(side, 29);
        assert!(d.starts_with("M4,4h1v1h-1z"));
    }
}
