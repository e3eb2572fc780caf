//! hep: home exercise programs for physical therapists.
//!
//! Layers: `domain` (pure types and rules), `db` (storage on SQLite or
//! PostgreSQL), `services` (use cases), `web` (HTTP), `startup` (wiring),
//! `cli` (the `hep` command).

pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod handout;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod web;
