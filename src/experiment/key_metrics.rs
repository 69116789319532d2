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

/// The range a whole-map metric can take, for clipping intervals (a normal-approximation
/// interval of a count near 0 reaches below it; of a share near 1, above it). Shares, trust and
/// indices lie in [0, 1]; every other metric (counts, costs, supply, credibility) is at least 0.
/// A sweep's summary columns (`final_trust`, `mean_detained`) take their metric's range.
pub fn range(metric: &str) -> (f64, f64) {
    let metric = metric
        .strip_prefix("final_")
        .or_else(|| metric.strip_prefix("mean_"))
        .unwrap_or(metric);
    match metric {
        "trust" | "hardship" | "grievance" | "security_coverage" | "aid_coverage"
        | "athena_coverage" | "info_coverage" | "stability" | "calm" | "liberty" | "settled"
        | "spoiler_strength" | "supply_level" | "partner_trust" | "partner_commitment"
        | "host_consent" => (0.0, 1.0),
        // The communities' trust in each partner (compare's `community_trust:<partner>` rows).
        m if m.starts_with("community_trust") => (0.0, 1.0),
        _ => (0.0, f64::INFINITY),
    }
}

/// A whole-run mean means nothing for a running total (`cost_cumulative`): its final value is
/// the statistic.
pub fn has_run_mean(metric: &str) -> bool {
    !metric.ends_with("_cumulative")
}
