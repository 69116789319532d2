//! The metrics `compare` reports in its table and charts, which way is better for each, and the
//! range each can take. Shared by the comparison and its per-run summaries.

/// Metrics the comparison table and charts report.
pub const KEY_METRICS: [&str; 13] = [
    "trust",
    "security_coverage",
    "aid_coverage",
    "info_coverage",
    "stability",
    "calm",
    "liberty",
    "settled",
    "spoiler_strength",
    "partner_trust",
    "detained",
    "displaced",
    "cost_cumulative",
];

/// Which direction is better for a key metric.
pub fn better(metric: &str) -> &'static str {
    match metric {
        "detained" | "displaced" | "cost_cumulative" | "spoiler_strength" => "lower",
        _ => "higher",
    }
}

/// The range a metric can take, for clipping intervals (shares and trust lie in [0, 1]).
pub fn range(metric: &str) -> (f64, f64) {
    match metric {
        "detained" | "displaced" | "cost_cumulative" => (0.0, f64::INFINITY),
        _ => (0.0, 1.0),
    }
}
