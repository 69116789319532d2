//! Statistics for replications: means, 95 % confidence intervals, Welch's difference of means.
//!
//! Model tests and experiment reports use these, so an effect is claimed only when its interval
//! excludes zero. Student's t quantiles are exact (tabulated) for df ≤ 30 and use the
//! Cornish–Fisher expansion beyond (error < 1e-3).

/// Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: f64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if !df.is_finite() || df <= 0.0 {
        return f64::NAN;
    }
    if df <= 30.0 {
        // Between tabulated whole degrees of freedom, take the more conservative (lower) one.
        return TABLE[(df.floor() as usize).clamp(1, 30) - 1];
    }
    let z: f64 = 1.959_963_985;
    z + (z.powi(3) + z) / (4.0 * df)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * df * df)
}

/// Standard normal upper tail P(Z > z) for z ≥ 0: ½ − ∫₀ᶻ φ, by Simpson's rule (400 panels; far
/// below 1e-9 off for z ≤ 8, plenty for widening intervals on a page).
fn normal_upper_tail(z: f64) -> f64 {
    let n = 400;
    let h = z / n as f64;
    let phi = |t: f64| (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut sum = phi(0.0) + phi(z);
    for i in 1..n {
        sum += phi(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    0.5 - sum * h / 3.0
}

/// How much wider than a 95 % interval each of `m` intervals must be for all `m` to hold
/// together at 95 % (Bonferroni: each at 1 − 0.05/m), in the normal approximation:
/// z(1 − 0.025/m) / z(0.975). 1 for m ≤ 1; 1.50 for 15 intervals, 1.63 for 36.
pub fn bonferroni_widening(m: usize) -> f64 {
    if m <= 1 {
        return 1.0;
    }
    let tail = 0.025 / m as f64;
    // Bisection on the tail, which falls as z grows.
    let (mut lo, mut hi) = (0.0f64, 10.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if normal_upper_tail(mid) > tail {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi) / 1.959_963_985
}

/// Mean of `xs` (0 for none).
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Sample variance (n − 1 denominator; 0 for fewer than two values).
pub fn variance(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
}

/// A mean with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// True if the whole interval lies above zero.
    pub fn above_zero(&self) -> bool {
        self.low > 0.0
    }
    /// True if the whole interval lies below zero.
    pub fn below_zero(&self) -> bool {
        self.high < 0.0
    }
}

/// Mean of `xs` with a t-based 95 % interval.
pub fn mean_ci(xs: &[f64]) -> Estimate {
    let m = mean(xs);
    if xs.len() < 2 {
        return Estimate {
            mean: m,
            low: m,
            high: m,
        };
    }
    interval(m, variance(xs), xs.len())
}

/// The t-based 95 % interval of a mean `m` of `n ≥ 2` values whose sample variance is `var`
/// (what [`mean_ci`] computes from the values; online aggregates call it with their sums).
pub fn interval(m: f64, var: f64, n: usize) -> Estimate {
    let half = t975((n - 1) as f64) * (var / n as f64).sqrt();
    Estimate {
        mean: m,
        low: m - half,
        high: m + half,
    }
}

/// Difference of means `mean(b) − mean(a)` with Welch's 95 % interval.
pub fn welch_diff(a: &[f64], b: &[f64]) -> Estimate {
    let d = mean(b) - mean(a);
    let (va, vb) = (variance(a) / a.len() as f64, variance(b) / b.len() as f64);
    let se2 = va + vb;
    if se2 == 0.0 || a.len() < 2 || b.len() < 2 {
        return Estimate {
            mean: d,
            low: d,
            high: d,
        };
    }
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    let half = t975(df) * se2.sqrt();
    Estimate {
        mean: d,
        low: d - half,
        high: d + half,
    }
}

/// Paired difference `mean(b_i − a_i)` with a t-based 95 % interval: the right interval under
/// common random numbers, where replication i of both configurations shares its random streams
/// (the pairing removes the noise the two share). `a` and `b` must have the same length.
pub fn paired_diff(a: &[f64], b: &[f64]) -> Estimate {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    mean_ci(&d)
}

impl Estimate {
    /// The same estimate with its interval clipped to `[lo, hi]`, the range the metric can take
    /// (a share's interval never reaches past 1).
    pub fn within(self, lo: f64, hi: f64) -> Estimate {
        Estimate {
            mean: self.mean,
            low: self.low.clamp(lo, hi),
            high: self.high.clamp(lo, hi),
        }
    }
}

/// True when every sample is constant (each its own value): the metric does not depend on the
/// random draws, and a spread-based statistic (Cohen's d, a t interval) is meaningless. Two
/// configurations may each be constant at different values: their difference is then exact
/// (it was reported "random" with d = ±∞).
pub fn deterministic(samples: &[&[f64]]) -> bool {
    samples.iter().all(|s| s.windows(2).all(|w| w[0] == w[1]))
}

/// Cohen's d: difference of means over the pooled standard deviation. When both samples are
/// constant (deterministic metrics), d is 0 for equal means and ±∞ otherwise; spreads below
/// 1e-12 of the values' scale count as constant (floating-point noise, not variation).
pub fn cohens_d(a: &[f64], b: &[f64]) -> f64 {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if na + nb <= 2.0 {
        return 0.0;
    }
    let pooled = (((na - 1.0) * variance(a) + (nb - 1.0) * variance(b)) / (na + nb - 2.0)).sqrt();
    let diff = mean(b) - mean(a);
    let scale = mean(a).abs().max(mean(b).abs()).max(1.0);
    if pooled > 1e-12 * scale {
        diff / pooled
    } else if diff.abs() <= 1e-12 * scale {
        0.0
    } else {
        diff.signum() * f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bonferroni_widening_matches_normal_quantiles() {
        assert_eq!(bonferroni_widening(1), 1.0);
        // z(1 − 0.025/m) (Python's statistics.NormalDist): m = 2 → 2.2414, 10 → 2.8070, 36 → 3.1970.
        for (m, z) in [(2, 2.2414), (10, 2.8070), (36, 3.1970)] {
            let w = bonferroni_widening(m) * 1.959_963_985;
            assert!((w - z).abs() < 1e-3, "m = {m}: {w}");
        }
    }

    #[test]
    fn t_quantiles() {
        assert_eq!(t975(1.0), 12.706);
        assert_eq!(t975(10.0), 2.228);
        assert!((t975(60.0) - 2.000).abs() < 2e-3);
        assert!((t975(1e9) - 1.96).abs() < 1e-3);
    }

    #[test]
    fn paired_difference_removes_shared_noise() {
        let a = [1.0, 5.0, 9.0, 13.0];
        let b = [1.5, 5.4, 9.6, 13.5];
        let p = paired_diff(&a, &b);
        assert!((p.mean - 0.5).abs() < 1e-12);
        assert!(p.above_zero(), "{p:?}");
        assert!(!welch_diff(&a, &b).above_zero());
        assert!(deterministic(&[&[0.5, 0.5], &[0.5]]));
        assert!(deterministic(&[&[0.5, 0.5], &[0.6, 0.6]]));
        assert!(!deterministic(&[&[0.5, 0.5], &[0.6, 0.7]]));
        let e = Estimate {
            mean: 0.99,
            low: 0.97,
            high: 1.01,
        }
        .within(0.0, 1.0);
        assert_eq!(e.high, 1.0);
    }

    #[test]
    fn welch_matches_hand_computation() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [3.0, 4.0, 5.0, 6.0];
        let e = welch_diff(&a, &b);
        assert_eq!(e.mean, 2.0);
        // se = sqrt(2·(1.6667/4)) = 0.9129, df = 6, t = 2.447
        assert!((e.high - e.mean - 2.447 * 0.912_870_929).abs() < 1e-6);
        // Four samples each are too few: the interval (−0.23, 4.23) still holds zero.
        assert!(!e.above_zero() && !e.below_zero());
        assert!((cohens_d(&a, &b) - 2.0 / 1.290_994_449).abs() < 1e-6);
        let (c1, c2) = ([0.5 + 1e-17, 0.5], [0.6, 0.6]);
        assert_eq!(cohens_d(&c1, &c2), f64::INFINITY);
        assert_eq!(cohens_d(&c1, &c1), 0.0);
    }
}
