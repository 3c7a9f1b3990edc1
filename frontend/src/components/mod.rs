//! Reusable pieces of the interface, shared by several pages.

pub mod badges;
pub mod filter_bar;
pub mod header;
pub mod pagination;
pub mod search_box;
pub mod service_card;
pub mod states;
