//! peacesim's criterion benches (`tick_cost.rs`, `sweep_throughput.rs`, `scale.rs`) live in this
//! package of the workspace so that criterion's dependencies never change the features of the
//! crates `cargo test` builds for peacesim itself. Run them with
//! `cargo bench -p peacesim-benches [--bench NAME] [-- --quick]`.
