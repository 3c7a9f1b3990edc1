//! Reusable pieces of the interface, shared by several pages.

pub mod application_row;
pub mod badges;
pub mod bell;
pub mod case_badges;
pub mod channels;
pub mod filter_bar;
pub mod forms;
pub mod header;
pub mod live_toast;
pub mod nav;
pub mod notice;
pub mod offline_banner;
pub mod pagination;
pub mod qr;
pub mod rating;
pub mod require_account;
pub mod route;
pub mod search_box;
pub mod service_card;
pub mod shell_links;
pub mod slot_picker;
pub mod states;
pub mod thread_form;
pub mod thread_parts;
pub mod timeline;
