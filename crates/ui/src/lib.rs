//! OneWindow's interface model, pure and wasm-clean: its texts in zh-CN and en (`text`),
//! its navigation (`nav`) and the geometry of a guide's flow chart (`chart`). The web
//! front-end renders them with Leptos; the server's pre-rendered public pages render the
//! same words, links and picture as plain HTML.

pub mod chart;
pub mod nav;
pub mod text;
