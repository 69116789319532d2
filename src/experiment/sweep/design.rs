//! The design: which parameter values each point of a sweep gets — every combination of the
//! axes (grid) or a Latin hypercube of `samples` points.

use super::file::{Design, SweepFile, limits, located};
use crate::experiment::error::ExperimentError as Error;
use crate::rng::{self, Purpose};
use crate::scenario::FieldPath;
use rand::RngExt;
use std::path::Path;

/// The values of a `range`: `steps` evenly spaced from `from` to `to`, each kept to 12
/// significant digits so that 0 to 0.3 in 4 steps reads 0.1 and 0.2 in points.csv (not
/// 0.09999999999999999 and 0.19999999999999998).
pub fn range_values(r: &super::file::RangeFile) -> Vec<f64> {
    (0..r.steps)
        .map(|k| {
            let f = if r.steps == 1 {
                0.0
            } else {
                f64::from(k) / f64::from(r.steps - 1)
            };
            let x = r.from + f * (r.to - r.from);
            format!("{x:.11e}").parse().unwrap_or(x)
        })
        .collect()
}

/// Parameter values per point for the chosen design.
pub fn design_points(
    file: &Path,
    text: &str,
    sf: &SweepFile,
    seed: u64,
) -> Result<Vec<Vec<toml::Value>>, Error> {
    let p = FieldPath::default().key("parameters");
    if sf.parameters.is_empty() {
        return Err(located(
            file,
            text,
            p,
            "no parameters; add at least one [[parameters]]".into(),
        ));
    }
    let mut axes: Vec<Vec<toml::Value>> = Vec::new();
    for (i, par) in sf.parameters.iter().enumerate() {
        let here = p.index(i);
        let given = [
            par.values.is_some(),
            par.range.is_some(),
            par.uniform.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            return Err(located(
                file,
                text,
                here,
                "give exactly one of values, range or uniform".into(),
            ));
        }
        let axis = if let Some(v) = &par.values {
            if v.is_empty() {
                return Err(located(
                    file,
                    text,
                    here.key("values"),
                    "an empty list of values".into(),
                ));
            }
            if v.len() as u64 > limits::MAX_AXIS {
                return Err(located(
                    file,
                    text,
                    here.key("values"),
                    format!("{} values; use at most {}", v.len(), limits::MAX_AXIS),
                ));
            }
            v.clone()
        } else if let Some(r) = par.range {
            if r.steps == 0
                || r.steps as u64 > limits::MAX_AXIS
                || !r.from.is_finite()
                || !r.to.is_finite()
            {
                return Err(located(
                    file,
                    text,
                    here.key("range"),
                    format!(
                        "steps = {}, from = {}, to = {}: steps must be 1 to {} and the ends finite",
                        r.steps,
                        r.from,
                        r.to,
                        limits::MAX_AXIS
                    ),
                ));
            }
            range_values(&r)
                .into_iter()
                .map(toml::Value::Float)
                .collect()
        } else {
            if sf.sweep.design == Design::Grid {
                return Err(located(
                    file,
                    text,
                    here.key("uniform"),
                    "a distribution needs design = \"latin_hypercube\"; a grid takes values or range".into(),
                ));
            }
            Vec::new()
        };
        axes.push(axis);
    }
    if let Some([lo, hi]) = sf.parameters.iter().find_map(|p| p.uniform)
        && !(lo.is_finite() && hi.is_finite() && lo <= hi)
    {
        return Err(located(
            file,
            text,
            p,
            format!("uniform = [{lo}, {hi}]: give two finite numbers, low ≤ high"),
        ));
    }
    // The number of points, before any is built.
    let count = match sf.sweep.design {
        Design::Grid => axes
            .iter()
            .try_fold(1u64, |n, a| n.checked_mul(a.len() as u64))
            .unwrap_or(u64::MAX),
        Design::LatinHypercube => sf.sweep.samples.unwrap_or(0) as u64,
    };
    if count > limits::MAX_POINTS {
        let what = match sf.sweep.design {
            Design::Grid => FieldPath::default().key("parameters"),
            Design::LatinHypercube => FieldPath::default().key("sweep").key("samples"),
        };
        return Err(located(
            file,
            text,
            what,
            format!(
                "{} points; a sweep has at most {} (each is a scenario built and checked before \
                 the first run): use fewer values or steps, or split the sweep",
                if count == u64::MAX {
                    "more than 2^64".to_string()
                } else {
                    count.to_string()
                },
                limits::MAX_POINTS
            ),
        ));
    }
    match sf.sweep.design {
        Design::Grid => {
            let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
            for axis in &axes {
                points = points
                    .into_iter()
                    .flat_map(|prefix| {
                        axis.iter().map(move |v| {
                            let mut p = prefix.clone();
                            p.push(v.clone());
                            p
                        })
                    })
                    .collect();
            }
            Ok(points)
        }
        Design::LatinHypercube => {
            let n = sf.sweep.samples.unwrap_or(0);
            if n == 0 {
                return Err(located(
                    file,
                    text,
                    FieldPath::default().key("sweep").key("samples"),
                    "a Latin hypercube needs samples = N (N ≥ 1)".into(),
                ));
            }
            // One stratified, shuffled column per parameter (McKay, Beckman & Conover 1979).
            let mut rng = rng::stream(seed, 0, Purpose::Design);
            let mut points = vec![Vec::new(); n as usize];
            for (i, par) in sf.parameters.iter().enumerate() {
                let mut strata: Vec<u32> = (0..n).collect();
                crate::world::shuffle(&mut strata, &mut rng);
                for (k, &s) in strata.iter().enumerate() {
                    let u = (s as f64 + rng.random::<f64>()) / n as f64;
                    let v = if let Some([lo, hi]) = par.uniform {
                        toml::Value::Float(lo + u * (hi - lo))
                    } else if let Some(r) = par.range {
                        toml::Value::Float(r.from + u * (r.to - r.from))
                    } else {
                        let vals = &axes[i];
                        vals[((u * vals.len() as f64) as usize).min(vals.len() - 1)].clone()
                    };
                    points[k].push(v);
                }
            }
            Ok(points)
        }
    }
}
