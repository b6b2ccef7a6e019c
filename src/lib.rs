//! kafkaops: DLQ triage, safe replay, and lag/event-age checks for Kafka pipelines.
//!
//! `main` only parses and reports; everything else lives here so the integration
//! tests and the hidden generator see the same command tree.

pub mod exit;
pub mod error;
pub mod timespec;
pub mod app;
pub mod cli;
pub mod config;
pub mod kafka;
pub mod output;
pub mod report;
pub mod config_show;
pub mod generate;
pub mod topic;
pub mod sandbox;
pub mod dlq;
pub mod lag;
pub mod replay;
