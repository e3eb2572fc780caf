//! Integration tests: the real app over HTTP, on SQLite by default and on
//! PostgreSQL when `HEP_TEST_POSTGRES_URL` is set. One binary, many modules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod admin_pages;
mod backup;
mod browser;
mod catalog;
mod clinicians;
mod crash;
mod errors;
mod figures;
mod handout;
mod isolation;
mod links;
mod metrics;
mod migrations;
mod openapi;
mod pages;
mod programs;
mod review;
mod sessions;
