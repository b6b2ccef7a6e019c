//! The integration tests: one crate, so `support` is compiled once and shared by
//! every area. Each module covers one area of the real binary against real brokers;
//! run one area with `cargo test --test it dlq::` (a module path filter).

mod support;

mod cli;
mod config;
mod demo;
mod dlq;
mod drill;
mod duplicates;
mod handled;
mod kafka_layer;
mod lag;
mod lag_scale;
mod loop_guard;
mod redrive;
mod replay;
mod replay_once;
mod restart;
mod retention;
mod rewind;
mod sandbox;
mod security;
mod serve;
mod terminal;
mod transactions;
