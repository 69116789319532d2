//! District maps: the map's districts coloured by a district metric (stability, trust, security
//! coverage, …) at a few chosen ticks, side by side on one colour scale, each district labelled
//! with its name and value.
//!
//! The layers are looked up by column name in the serialized [`DistrictRow`], so a column added
//! to `districts.csv` becomes a map by adding one line to [`LAYERS`].

use super::raster::{Anchor, Canvas, Lettering, ink_on};
use super::{ReportError, charts::viridis};
use crate::metrics::DistrictRow;
use crate::scenario::Scenario;
use plotters::prelude::*;
use std::path::Path;

/// One district metric drawn as a map.
#[derive(Debug, Clone, Copy)]
pub struct MapLayer {
    /// Column of `districts.csv`.
    pub column: &'static str,
    /// File stem: `map-<stem>.png`.
    pub stem: &'static str,
    /// What the colour means, in plain words.
    pub title: &'static str,
}

/// The maps every run writes.
pub const LAYERS: &[MapLayer] = &[
    MapLayer {
        column: "stability",
        stem: "stability",
        title: "stability (composite: calm, liberty, consent, security, safety, settled)",
    },
    MapLayer {
        column: "trust",
        stem: "trust",
        title: "mean trust in the mission",
    },
    MapLayer {
        column: "security_coverage",
        stem: "security",
        title: "security coverage (share of the free with a patrol in sight)",
    },
];

/// The ticks the maps show: the first, the middle and the last recorded tick.
pub fn map_ticks(last: u32) -> Vec<u32> {
    let mut t = vec![1.min(last), last.div_ceil(2), last];
    t.dedup();
    t
}

/// Value of `column` in a district row, if it is a number.
pub fn column_value(row: &DistrictRow, column: &str) -> Option<f64> {
    serde_json::to_value(row).ok()?.get(column)?.as_f64()
}

/// Pixels per cell so that a map panel is about `target` pixels wide (1 to `max` pixels).
pub fn cell_scale(width: u32, target: u32, max: u32) -> u32 {
    (target / width.max(1)).clamp(1, max)
}

/// For each district, a cell of it near its centroid (where its label goes), or `None` for a
/// district with no cells.
pub fn label_cells(scenario: &Scenario) -> Vec<Option<(u32, u32)>> {
    let m = &scenario.map;
    let n = scenario.districts.len();
    let mut sum = vec![(0u64, 0u64, 0u64); n];
    for (i, &d) in m.district_of_cell.iter().enumerate() {
        let (x, y) = (i as u32 % m.width, i as u32 / m.width);
        let s = &mut sum[d as usize];
        *s = (s.0 + x as u64, s.1 + y as u64, s.2 + 1);
    }
    let mut best: Vec<Option<(u64, u32, u32)>> = vec![None; n];
    for (i, &d) in m.district_of_cell.iter().enumerate() {
        let (x, y) = (i as u32 % m.width, i as u32 / m.width);
        let s = sum[d as usize];
        let (cx, cy) = (s.0 as f64 / s.2 as f64, s.1 as f64 / s.2 as f64);
        let dist = ((x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)) * 1000.0;
        let dist = dist as u64;
        let b = &mut best[d as usize];
        if b.is_none_or(|(bd, _, _)| dist < bd) {
            *b = Some((dist, x, y));
        }
    }
    best.into_iter()
        .map(|b| b.map(|(_, x, y)| (x, y)))
        .collect()
}

/// Paint the district borders of a map panel drawn at (ox, oy) with `s` pixels per cell.
pub fn draw_borders(c: &mut Canvas, scenario: &Scenario, ox: i64, oy: i64, s: u32, ink: RGBColor) {
    let m = &scenario.map;
    let s = s as i64;
    for y in 0..m.height {
        for x in 0..m.width {
            let d = m.district_of_cell[(y * m.width + x) as usize];
            let (px, py) = (ox + x as i64 * s, oy + y as i64 * s);
            if x + 1 < m.width && m.district_of_cell[(y * m.width + x + 1) as usize] != d {
                c.rect(px + s - 1, py, 1, s, ink);
            }
            if y + 1 < m.height && m.district_of_cell[((y + 1) * m.width + x) as usize] != d {
                c.rect(px, py + s - 1, s, 1, ink);
            }
        }
    }
    c.frame(
        ox - 1,
        oy - 1,
        m.width as i64 * s + 2,
        m.height as i64 * s + 2,
        ink,
    );
}

/// The colour scale of one map: the range of the shown values, widened to at least 0.1 and kept
/// inside [0, 1] for shares, so that small differences are visible but not exaggerated.
fn scale(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let share = lo >= 0.0 && hi <= 1.0;
    let (mut lo, mut hi) = ((lo * 20.0).floor() / 20.0, (hi * 20.0).ceil() / 20.0);
    if hi - lo < 0.1 {
        let mid = (lo + hi) / 2.0;
        (lo, hi) = (mid - 0.05, mid + 0.05);
    }
    if share {
        if lo < 0.0 {
            (lo, hi) = (0.0, hi - lo);
        }
        if hi > 1.0 {
            (lo, hi) = (lo - (hi - 1.0), 1.0);
        }
    }
    (lo, hi)
}

/// Draw a vertical colour bar at (x, y), `h` pixels high, labelled `lo`…`hi`.
pub fn colour_bar(c: &mut Canvas, x: i32, y: i32, h: i32, lo: f64, hi: f64) {
    for i in 0..h {
        let t = 1.0 - i as f64 / (h - 1).max(1) as f64;
        c.rect(x as i64, (y + i) as i64, 22, 1, viridis(t));
    }
    c.frame(x as i64 - 1, y as i64 - 1, 24, h as i64 + 2, BLACK);
    for k in 0..=4 {
        let t = k as f64 / 4.0;
        let yy = y + ((1.0 - t) * (h - 1) as f64) as i32;
        c.rect(x as i64 + 23, yy as i64, 5, 1, BLACK);
        let v = lo + t * (hi - lo);
        c.text(
            &format!("{v:.2}"),
            x + 31,
            yy - 8,
            Lettering::plain(14, BLACK),
            Anchor::TopLeft,
        );
    }
}

/// One PNG per layer, `map-<stem>.png`, each with one panel per tick in `ticks`.
pub fn district_maps(
    scenario: &Scenario,
    rows: &[DistrictRow],
    ticks: &[u32],
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let m = &scenario.map;
    let names: Vec<&str> = scenario.districts.iter().map(|d| d.name.as_str()).collect();
    let s = cell_scale(m.width, 360, 10);
    let (pw, ph) = (m.width * s, m.height * s);
    let gap = 24;
    let (top, bar_w) = (84, 110);
    let width = (pw + gap) * ticks.len() as u32 + gap + bar_w;
    let height = top + ph + 30;
    let labels = label_cells(scenario);
    // Each layer is its own canvas and file: drawn and encoded side by side (at 10⁶ cells a
    // layer is a few megapixels); `collect` keeps the files in the order of [`LAYERS`].
    use rayon::prelude::*;
    LAYERS
        .par_iter()
        .map(|layer| {
            // values[panel][district]
            let values: Vec<Vec<Option<f64>>> = ticks
                .iter()
                .map(|&t| {
                    names
                        .iter()
                        .map(|n| {
                            // Every layer is a share or mean over residents: null (none) for a
                            // district without them (it read as trust 0, stability 0.67).
                            rows.iter()
                                .find(|r| r.tick == t && &*r.district == *n)
                                .and_then(|r| column_value(r, layer.column))
                        })
                        .collect()
                })
                .collect();
            let (lo, hi) = scale(values.iter().flatten().flatten().copied());
            let colour = |v: Option<f64>| match v {
                Some(v) => viridis((v - lo) / (hi - lo)),
                None => RGBColor(220, 220, 220),
            };
            let mut c = Canvas::new(width, height);
            c.text(
                &format!("{}: {}", scenario.name, layer.title),
                gap as i32,
                12,
                Lettering::plain(22, BLACK),
                Anchor::TopLeft,
            );
            for (p, &t) in ticks.iter().enumerate() {
                let ox = (gap + p as u32 * (pw + gap)) as i64;
                let oy = top as i64;
                c.text(
                    &format!("day {t}"),
                    ox as i32,
                    top as i32 - 28,
                    Lettering::bold(17, BLACK),
                    Anchor::TopLeft,
                );
                // One colour per district, not per cell (10⁶ cells call for it).
                let fill: Vec<RGBColor> = values[p].iter().map(|&v| colour(v)).collect();
                for (i, &d) in m.district_of_cell.iter().enumerate() {
                    let (x, y) = (i as u32 % m.width, i as u32 / m.width);
                    let col = fill[d as usize];
                    c.rect(
                        ox + (x * s) as i64,
                        oy + (y * s) as i64,
                        s as i64,
                        s as i64,
                        col,
                    );
                }
                draw_borders(&mut c, scenario, ox, oy, s, RGBColor(40, 40, 40));
                for (d, at) in labels.iter().enumerate() {
                    let Some((x, y)) = at else { continue };
                    let v = values[p][d];
                    let ink = ink_on(colour(v));
                    let (cx, cy) = (
                        ox as i32 + (*x * s + s / 2) as i32,
                        oy as i32 + (*y * s + s / 2) as i32,
                    );
                    let value = v.map_or("–".to_string(), |v| format!("{v:.2}"));
                    if names.len() > 1 {
                        c.text(
                            names[d],
                            cx,
                            cy - 9,
                            Lettering::plain(13, ink),
                            Anchor::Centre,
                        );
                        c.text(&value, cx, cy + 8, Lettering::bold(15, ink), Anchor::Centre);
                    } else {
                        c.text(&value, cx, cy, Lettering::bold(15, ink), Anchor::Centre);
                    }
                }
            }
            let bar_x = (gap + ticks.len() as u32 * (pw + gap)) as i32;
            colour_bar(&mut c, bar_x, top as i32, (ph as i32).max(120), lo, hi);
            if values.iter().flatten().any(Option::is_none) {
                c.text(
                    "grey: no residents in the district (nothing to average)",
                    gap as i32,
                    (top + ph) as i32 + 8,
                    Lettering::plain(13, BLACK),
                    Anchor::TopLeft,
                );
            }
            let name = format!("map-{}.png", layer.stem);
            let png = c.png().map_err(|message| ReportError::Chart {
                path: dir.join(&name),
                message,
            })?;
            Ok((name, png))
        })
        // Gathered in order first, so that of several failures the first layer's is reported.
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_first_middle_last() {
        assert_eq!(map_ticks(365), vec![1, 183, 365]);
        assert_eq!(map_ticks(1), vec![1]);
        assert_eq!(map_ticks(2), vec![1, 2]);
    }

    #[test]
    fn scale_keeps_shares_in_range() {
        assert_eq!(scale([0.99, 1.0].into_iter()), (0.9, 1.0));
        let (lo, hi) = scale([0.2, 0.7].into_iter());
        assert!((lo - 0.2).abs() < 1e-9 && (hi - 0.7).abs() < 1e-9);
    }
}
