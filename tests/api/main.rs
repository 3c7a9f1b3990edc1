//! Integration tests of the API: the real server on port 0, the real client, on SQLite
//! and on PostgreSQL.

mod applications;
mod auth;
mod authz;
mod backoffice;
mod bad_input;
mod bookings;
mod catalogue;
mod corrections;
mod faults;
mod gateways;
mod generated;
mod import;
mod lifecycle;
mod live;
mod ops;
mod pages;
mod push;
mod ratings;
mod reminders;
mod scale;
mod search;
mod stats;
mod threads;
mod tidy;
