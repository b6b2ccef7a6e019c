//! kafkaops: DLQ triage, safe replay, and lag/event-age checks for Kafka pipelines.
//!
//! `main` only parses and reports; everything else lives here so the integration
//! tests and the hidden generator see the same command tree.

pub mod app;
pub mod cli;
pub mod config;
pub mod config_check;
pub mod config_show;
pub mod demo;
pub mod dlq;
pub mod drill;
pub mod error;
pub mod exit;
pub mod files;
pub mod generate;
pub mod kafka;
pub mod lag;
pub mod output;
pub mod replay;
pub mod sandbox;
pub mod serve;
pub mod signal;
pub mod timespec;
pub mod topic;
