#![doc = include_str!("../README.md")]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod experiment;
pub mod metrics;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod serve;
pub mod sim;
pub mod stats;
pub mod systems;
pub mod world;
