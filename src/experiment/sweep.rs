//! Parameter sweeps (see `peacesim sweep`).
