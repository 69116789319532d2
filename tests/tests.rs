//! One integration-test binary (fewer links, faster CI), one module per concern.

// Shared helpers: small scenarios and running them over seeds.
mod common;
// The command line: validation errors, exit codes, nothing written on bad input.
mod cli;
// Same seed ⇒ same bytes; different seed ⇒ different results; golden hash; schedule order.
mod determinism;
// Directions and sizes of the mechanisms' effects over many seeds.
mod model;
// Every bundled scenario validates and runs a few ticks.
mod scenarios;
// The seed's claims as levers: effect directions with confidence intervals over 20 seeds.
mod levers;
// Each input of the trust equation reaches trust.
mod trust_inputs;
// Spoilers as actors and the stability composite.
mod spoilers;
// Displacement: flight from danger, return, the settled component.
mod displacement;
// Partial sensing, deconfliction, the civil–military gate on escorts.
mod partnerships;
// Community trust in each partner, blame by association, access by acceptance.
mod standing;
// Timeline events: located errors and the effect of each kind.
mod events;
// Experiments: compare, sweep, shards, merge, resume.
mod experiments;
// Compare with bounded memory: the streamed statistics equal the in-memory ones.
mod compare_stream;
// Hardening: strict sweep files, any value in journals and CSVs, verified merges, locked and
// staged output folders.
mod hardening;
// A real Slurm job array (skipped without Slurm unless PEACESIM_REQUIRE_SLURM=1).
mod slurm;
// Validation against Epstein (2002) Model I.
mod validation;
// Mesa's implementation choices as switches: order, Bernoulli placement, jail accounting.
mod mesa;
// Input limits: sizes and counts that would wrap, panic or exhaust memory are refused.
mod limits;
// Maps and the agent animation: deterministic bytes, the run unchanged by drawing.
mod visual;

/// Every schema problem of a file at once.
mod problems;
// The classroom view: stepping, exact replays and forks, exports that `peacesim run`
// reproduces, session limits, and the HTTP server's JSON errors.
mod serve;

/// README lists the files and columns the commands write.
mod readme;
// A steady-state tick allocates nothing (a counting allocator).
mod allocations;
