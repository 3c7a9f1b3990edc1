//! One module per route.

mod catalogue;
mod guide;
mod home;
mod not_found;
mod search;

pub use catalogue::Catalogue;
pub use guide::Guide;
pub use home::Home;
pub use not_found::NotFound;
pub use search::SearchResults;
