//! Order-independent sums of floating-point values (fixed-point integers): metrics and district
//! pictures add up to the same bits in any order, so they never depend on query iteration order
//! or thread count.

/// Order-independent sum, exact to 2⁻³² per term, of values whose total stays within ±2³¹
/// (i64 fixed point: integer addition is associative, float addition is not).
#[derive(Debug, Clone, Copy, Default)]
pub struct FixedSum(i64);

impl FixedSum {
    const SCALE: f64 = 4_294_967_296.0;
    pub fn add(&mut self, x: f64) {
        // Round half away from zero without a libm call: for |v| < 2⁵², v ± 0.5 is exact, so
        // truncation gives the same integer as `round`.
        let v = x * Self::SCALE;
        self.0 += (v + 0.5f64.copysign(v)) as i64;
    }
    /// Add another sum (exact: integer addition).
    pub fn merge(&mut self, other: FixedSum) {
        self.0 += other.0;
    }
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
    pub fn total(self) -> f64 {
        self.0 as f64 / Self::SCALE
    }
    pub fn mean(self, n: u64) -> f64 {
        if n == 0 { 0.0 } else { self.total() / n as f64 }
    }
}
