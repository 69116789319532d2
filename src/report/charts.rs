//! Charts with plotters: line charts with optional shaded bands, rendered in memory to PNG and SVG
//! so that they are written atomically like every other output.
//!
//! Text uses DejaVu Sans, compiled into the binary (plotters' `ab_glyph` feature): no system font
//! library and no font package is needed on any machine.

use super::ReportError;
use crate::sim::RunOutput;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::ops::Range;
use std::path::Path;
use std::sync::Once;

const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const SIZE: (u32, u32) = (1100, 640);

/// A distinct, colour-blind-friendly palette (Okabe & Ito 2008), then greys.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
    RGBColor(0, 0, 0),
];

/// One line, optionally with a shaded band (x, low, high) around it.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub band: Vec<(f64, f64, f64)>,
    pub color: RGBColor,
    pub width: u32,
    /// Draw the points as dots (a scatter plot) instead of joining them.
    pub markers: bool,
}

impl Series {
    pub fn line(label: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Series {
            label: label.into(),
            points,
            band: Vec::new(),
            color,
            width: 2,
            markers: false,
        }
    }
}

/// A line chart: title, axis labels with units, y range and series.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub y_range: Range<f64>,
    pub series: Vec<Series>,
}

pub(crate) fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The font is compiled in and known to parse; a failure would be a build defect.
            plotters::style::register_font("sans-serif", style, FONT)
                .unwrap_or_else(|_| panic!("bundled font does not parse"));
        }
    });
}

/// Legend font size; the legend panel right of the plot is sized to its longest label, so the
/// legend never hides data and no label is clipped.
const LEGEND_FONT: u32 = 15;

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &LineChart) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let root = root
        .margin(10, 0, 0, 0)
        .titled(&chart.title, ("sans-serif", 26).into_font())
        .map_err(|e| e.to_string())?;
    let (width, _) = root.dim_in_pixel();
    let font = TextStyle::from(("sans-serif", LEGEND_FONT).into_font());
    let mut label_width = 0;
    for s in &chart.series {
        let (w, _) = root
            .estimate_text_size(&s.label, &font)
            .map_err(|e| e.to_string())?;
        label_width = label_width.max(w);
    }
    let legend_width = (label_width + 60).min(width / 2);
    let (plot, legend) = root.split_horizontally(width - legend_width);
    let xs = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
    };
    let (mut x_min, mut x_max) = (
        xs().fold(f64::INFINITY, f64::min),
        xs().fold(f64::NEG_INFINITY, f64::max),
    );
    if !x_min.is_finite() || !x_max.is_finite() {
        (x_min, x_max) = (0.0, 1.0);
    }
    if x_max - x_min < 1e-12 {
        // A single x value: give it some room on both sides.
        let pad = x_min.abs().max(1.0) * 0.05;
        (x_min, x_max) = (x_min - pad, x_max + pad);
    }
    // Enough decimals to tell tick labels apart: none for days, more for small ranges.
    let decimals = (2.0 - (x_max - x_min).log10().floor()).clamp(0.0, 6.0) as usize;
    let decimals = if xs().all(|x| x.fract() == 0.0) && x_max - x_min >= 5.0 {
        0
    } else {
        decimals
    };
    let mut ctx = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d(x_min..x_max, chart.y_range.clone())
        .map_err(|e| e.to_string())?;
    ctx.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .x_label_formatter(&|x| format!("{x:.decimals$}"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    for s in &chart.series {
        if !s.band.is_empty() {
            let mut poly: Vec<(f64, f64)> = s.band.iter().map(|&(x, lo, _)| (x, lo)).collect();
            poly.extend(s.band.iter().rev().map(|&(x, _, hi)| (x, hi)));
            ctx.draw_series(std::iter::once(Polygon::new(
                poly,
                s.color.mix(0.18).filled(),
            )))
            .map_err(|e| e.to_string())?;
        }
    }
    for s in chart.series.iter().filter(|s| s.markers) {
        let color = s.color;
        ctx.draw_series(s.points.iter().map(|&p| Circle::new(p, 4, color.filled())))
            .map_err(|e| e.to_string())?;
    }
    for s in chart.series.iter().filter(|s| !s.markers) {
        let color = s.color;
        let width = s.width;
        // Wide polylines get miter-join spikes at sharp turns in plotters; independent
        // two-point segments have no joins.
        ctx.draw_series(
            s.points
                .windows(2)
                .map(|w| PathElement::new(vec![w[0], w[1]], color.stroke_width(width))),
        )
        .map_err(|e| e.to_string())?;
    }
    draw_legend(&legend, &chart.series)?;
    root.present().map_err(|e| e.to_string())
}

/// The legend, one row per series, in the panel right of the plot.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> Result<(), String> {
    let style = ("sans-serif", LEGEND_FONT).into_font().color(&BLACK);
    for (i, s) in series.iter().enumerate() {
        let y = 40 + 26 * i as i32;
        area.draw(&PathElement::new(
            vec![(4, y), (30, y)],
            s.color.stroke_width(s.width + 1),
        ))
        .map_err(|e| e.to_string())?;
        area.draw(&Text::new(s.label.clone(), (38, y - 8), style.clone()))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Draw into an in-memory bitmap and encode it as PNG bytes.
fn png_of(
    draw: impl for<'a> FnOnce(DrawingArea<BitMapBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let (w, h) = SIZE;
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area())?;
    let mut png = Vec::new();
    use image::ImageEncoder;
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(png)
}

/// Draw into an SVG document and return its bytes.
fn svg_of(
    draw: impl for<'a> FnOnce(DrawingArea<SVGBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let mut svg = String::new();
    draw(SVGBackend::with_string(&mut svg, SIZE).into_drawing_area())?;
    Ok(svg.into_bytes())
}

/// Render a chart to PNG bytes.
pub fn render_png(chart: &LineChart) -> Result<Vec<u8>, String> {
    png_of(|root| draw(root, chart))
}

/// Render a chart to SVG bytes.
pub fn render_svg(chart: &LineChart) -> Result<Vec<u8>, String> {
    svg_of(|root| draw(root, chart))
}

/// Name the PNG and SVG renderings `<stem>.png` and `<stem>.svg`, or report which failed.
fn named_pair(
    stem: &str,
    dir: &Path,
    png: Result<Vec<u8>, String>,
    svg: Result<Vec<u8>, String>,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let err = |ext: &str, message: String| ReportError::Chart {
        path: dir.join(format!("{stem}.{ext}")),
        message,
    };
    Ok(vec![
        (format!("{stem}.png"), png.map_err(|m| err("png", m))?),
        (format!("{stem}.svg"), svg.map_err(|m| err("svg", m))?),
    ])
}

/// Both renderings of `chart`, named `<stem>.png` and `<stem>.svg`.
pub fn render_both(
    stem: &str,
    chart: &LineChart,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    named_pair(stem, dir, render_png(chart), render_svg(chart))
}

/// Viridis-like colour for `t` in [0, 1] (linear between five anchors of matplotlib's viridis).
pub fn viridis(t: f64) -> RGBColor {
    const ANCHORS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * 4.0;
    let i = (x.floor() as usize).min(3);
    let f = x - i as f64;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A heatmap over categorical axes: (x index, y index, value) cells.
pub struct Heatmap<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub xs: &'a [String],
    pub ys: &'a [String],
    pub values: &'a [(usize, usize, f64)],
}

fn draw_heatmap<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    hm: &Heatmap,
) -> Result<(), String> {
    let lo = hm.values.iter().map(|v| v.2).fold(f64::INFINITY, f64::min);
    let hi = hm
        .values
        .iter()
        .map(|v| v.2)
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let root = root
        .margin(10, 0, 0, 0)
        .titled(hm.title, ("sans-serif", 24).into_font())
        .map_err(|e| e.to_string())?;
    let (width, _) = root.dim_in_pixel();
    let (plot, bar) = root.split_horizontally(width - 170);
    let (nx, ny) = (hm.xs.len(), hm.ys.len());
    let mut ctx = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)
        .map_err(|e| e.to_string())?;
    let centre = |v: &f64| (v.fract() - 0.5).abs() < 1e-6;
    let xl = |v: &f64| {
        if centre(v) {
            hm.xs.get(v.floor() as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let yl = |v: &f64| {
        if centre(v) {
            hm.ys.get(v.floor() as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    ctx.configure_mesh()
        .disable_mesh()
        .x_desc(hm.x_label)
        .y_desc(hm.y_label)
        .x_labels(nx * 2 + 1)
        .y_labels(ny * 2 + 1)
        .x_label_formatter(&xl)
        .y_label_formatter(&yl)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| e.to_string())?;
    let centred = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Center,
    );
    for &(i, j, v) in hm.values {
        let t = (v - lo) / span;
        let (x0, y0) = (i as f64, j as f64);
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(x0, y0), (x0 + 1.0, y0 + 1.0)],
            viridis(t).filled(),
        )))
        .map_err(|e| e.to_string())?;
        let ink = if t > 0.6 { BLACK } else { WHITE };
        ctx.draw_series(std::iter::once(Text::new(
            format!("{v:.3}"),
            (x0 + 0.5, y0 + 0.5),
            ("sans-serif", 15).into_font().color(&ink).pos(centred),
        )))
        .map_err(|e| e.to_string())?;
    }
    // Colour bar.
    let (_, h) = bar.dim_in_pixel();
    let (top, bottom) = (40i32, h as i32 - 80);
    for y in top..bottom {
        let t = 1.0 - (y - top) as f64 / (bottom - top) as f64;
        bar.draw(&Rectangle::new([(20, y), (50, y + 1)], viridis(t).filled()))
            .map_err(|e| e.to_string())?;
    }
    let style = ("sans-serif", 15).into_font().color(&BLACK);
    bar.draw(&Text::new(format!("{hi:.3}"), (58, top - 6), style.clone()))
        .map_err(|e| e.to_string())?;
    bar.draw(&Text::new(format!("{lo:.3}"), (58, bottom - 8), style))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Render a heatmap as `<stem>.png` and `<stem>.svg`, value printed in each cell, with a
/// colour bar.
pub fn heatmap_both(
    stem: &str,
    hm: &Heatmap,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    named_pair(
        stem,
        dir,
        png_of(|root| draw_heatmap(root, hm)),
        svg_of(|root| draw_heatmap(root, hm)),
    )
}

/// Trailing mean over the last `k` points (fewer at the start), for noisy ratios.
pub fn rolling_mean(points: &[(f64, f64)], k: usize) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len());
    let mut sum = 0.0;
    for (i, &(x, y)) in points.iter().enumerate() {
        sum += y;
        if i >= k {
            sum -= points[i - k].1;
        }
        out.push((x, sum / (i + 1).min(k) as f64));
    }
    out
}

/// The three charts of one run: trust, coverage and stability over time.
pub fn run_charts(
    name: &str,
    output: &RunOutput,
    district_names: &[String],
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let over = |f: &dyn Fn(&crate::metrics::TickRow) -> f64| -> Vec<(f64, f64)> {
        output.ticks.iter().map(|r| (r.tick as f64, f(r))).collect()
    };
    let x_label = "time (days)".to_string();

    let mut trust = vec![Series {
        width: 3,
        ..Series::line("all districts", over(&|r| r.mean_trust), PALETTE[7])
    }];
    trust.push(Series {
        width: 3,
        ..Series::line(
            "between partners (τ)",
            over(&|r| r.partner_trust),
            PALETTE[4],
        )
    });
    for (i, d) in district_names.iter().enumerate() {
        let points = output
            .districts
            .iter()
            .filter(|r| &r.district == d)
            .map(|r| (r.tick as f64, r.mean_trust))
            .collect();
        let colour = [0, 1, 2, 3, 5, 6][i % 6];
        trust.push(Series::line(d.clone(), points, PALETTE[colour]));
    }
    let trust = LineChart {
        title: format!("{name}: trust in the mission and between partners"),
        x_label: x_label.clone(),
        y_label: "mean trust (0 = none, 1 = full)".into(),
        y_range: 0.0..1.0,
        series: trust,
    };

    let coverage = LineChart {
        title: format!("{name}: security and aid coverage"),
        x_label: x_label.clone(),
        y_label: "share of citizens".into(),
        y_range: 0.0..1.0,
        series: vec![
            Series::line(
                "security: a patrol in sight",
                over(&|r| r.security_coverage),
                PALETTE[0],
            ),
            Series::line(
                "aid: reached in the last window",
                over(&|r| r.aid_coverage),
                PALETTE[2],
            ),
            Series::line(
                "Athena coverage (troops per 1,000)",
                over(&|r| r.athena_coverage),
                PALETTE[6],
            ),
            Series::line(
                "information: hotspots known (7-day mean)",
                rolling_mean(&over(&|r| r.info_coverage), 7),
                PALETTE[4],
            ),
        ],
    };

    let share = |x: u32, r: &crate::metrics::TickRow| {
        if r.population == 0 {
            0.0
        } else {
            x as f64 / r.population as f64
        }
    };
    let stability = LineChart {
        title: format!("{name}: stability"),
        x_label,
        y_label: "share of citizens".into(),
        y_range: 0.0..1.0,
        series: vec![
            Series {
                width: 3,
                ..Series::line(
                    "stability = 1 − active share",
                    over(&|r| r.stability),
                    PALETTE[0],
                )
            },
            Series::line(
                "active (in open rebellion)",
                over(&|r| share(r.active, r)),
                PALETTE[1],
            ),
            Series::line("detained", over(&|r| share(r.detained, r)), PALETTE[3]),
        ],
    };

    let mut files = Vec::new();
    for (stem, chart) in [
        ("trust", &trust),
        ("coverage", &coverage),
        ("stability", &stability),
    ] {
        files.extend(render_both(stem, chart, dir)?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_mean_trails() {
        let pts: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, i as f64)).collect();
        let m = rolling_mean(&pts, 2);
        assert_eq!(
            m.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![0.0, 0.5, 1.5, 2.5, 3.5]
        );
    }
}
