//! Charts with plotters: line charts with optional shaded bands, rendered in memory to PNG and SVG
//! so that they are written atomically like every other output.
//!
//! Text uses DejaVu Sans, compiled into the binary (plotters' `ab_glyph` feature): no system font
//! library and no font package is needed on any machine.
//!
//! Every chart kind shares the font, the palette and the in-memory PNG/SVG rendering here; charts
//! over categorical axes (heatmaps, dots with intervals) are drawn in [`super::categorical`].

use super::ReportError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::ops::Range;
use std::path::Path;
use std::sync::Once;

const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
pub(super) const SIZE: (u32, u32) = (1100, 640);

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

/// Several panels over one time axis, under one title: each panel one quantity (its own y
/// axis), with the scenario's events marked across all of them and an optional note below.
#[derive(Debug, Clone)]
pub struct Stack {
    pub title: String,
    pub panels: Vec<LineChart>,
    /// Events as (x, label): a dashed line through every panel, labelled in the first.
    pub events: Vec<(f64, String)>,
    /// A line of text under the chart (e.g. which series were left out and why).
    pub note: Option<String>,
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &LineChart) -> Result<(), String> {
    let stack = Stack {
        title: chart.title.clone(),
        panels: vec![chart.clone()],
        events: Vec::new(),
        note: None,
    };
    draw_stack(root, &stack)
}

/// A white chart with `title` (at `size` px) on top and `note` (if not empty) in grey along
/// its foot: the area left to draw in. Every chart kind frames itself with it.
pub(super) fn titled_with_note<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    size: u32,
    note: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let root = root
        .margin(10, 0, 0, 0)
        .titled(title, ("sans-serif", size).into_font())
        .map_err(|e| e.to_string())?;
    if note.is_empty() {
        return Ok(root);
    }
    let (_, height) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(height.saturating_sub(26));
    bottom
        .draw(&Text::new(
            note.to_string(),
            (16, 2),
            ("sans-serif", 14).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(|e| e.to_string())?;
    Ok(top)
}

fn draw_stack<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    stack: &Stack,
) -> Result<(), String> {
    let root = titled_with_note(root, &stack.title, 26, stack.note.as_deref().unwrap_or(""))?;
    let (width, _) = root.dim_in_pixel();
    let font = TextStyle::from(("sans-serif", LEGEND_FONT).into_font());
    let mut label_width = 0;
    for s in stack.panels.iter().flat_map(|p| &p.series) {
        let (w, _) = root
            .estimate_text_size(&s.label, &font)
            .map_err(|e| e.to_string())?;
        label_width = label_width.max(w);
    }
    let legend_width = (label_width + 60).min(width / 2);
    let n = stack.panels.len().max(1);
    // The first panel (the headline quantity) gets more room than the ones under it.
    let (_, h) = root.dim_in_pixel();
    let first = if n == 1 {
        h
    } else {
        h * 11 / (11 + 7 * (n as u32 - 1))
    };
    let mut rest = root.clone();
    for (i, chart) in stack.panels.iter().enumerate() {
        let area = if i + 1 == n {
            rest.clone()
        } else {
            let cut = if i == 0 {
                first
            } else {
                (h - first) / (n as u32 - 1)
            };
            let (a, b) = rest.split_vertically(cut);
            rest = b;
            a
        };
        let (plot, legend) = area.split_horizontally(width - legend_width);
        draw_panel(&plot, chart, &stack.events, i == 0, i + 1 == n)?;
        draw_legend(&legend, &chart.series)?;
    }
    root.present().map_err(|e| e.to_string())
}

/// Decimals that tell apart tick labels `span` apart divided in about 10 steps.
pub(super) fn decimals_for(span: f64) -> usize {
    if span.is_nan() || span <= 0.0 {
        return 1;
    }
    (-(span / 5.0).log10().floor()).clamp(0.0, 6.0) as usize
}

fn draw_panel<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    events: &[(f64, String)],
    label_events: bool,
    x_axis: bool,
) -> Result<(), String> {
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
    let y_decimals = decimals_for(chart.y_range.end - chart.y_range.start).max(1);
    let mut ctx = ChartBuilder::on(plot)
        .margin(16)
        .x_label_area_size(if x_axis { 52 } else { 8 })
        .y_label_area_size(72)
        .build_cartesian_2d(x_min..x_max, chart.y_range.clone())
        .map_err(|e| e.to_string())?;
    let x_fmt = |x: &f64| {
        if x_axis {
            format!("{x:.decimals$}")
        } else {
            String::new()
        }
    };
    let y_fmt = |y: &f64| format!("{y:.y_decimals$}");
    ctx.configure_mesh()
        .x_desc(if x_axis { chart.x_label.as_str() } else { "" })
        .y_desc(&chart.y_label)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        // About one label per 45 pixels: small panels get fewer.
        .y_labels((plot.dim_in_pixel().1 / 45).clamp(3, 6) as usize)
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    let (y_lo, y_hi) = (chart.y_range.start, chart.y_range.end);
    let grey = RGBColor(110, 110, 110);
    let mut placed: Vec<(i32, i32)> = Vec::new();
    let mut labels = Vec::new();
    for (x, label) in events.iter().filter(|(x, _)| *x >= x_min && *x <= x_max) {
        ctx.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
            vec![(*x, y_lo), (*x, y_hi)],
            5,
            4,
            grey.stroke_width(1),
        )))
        .map_err(|e| e.to_string())?;
        if label_events {
            // Labels go in rows from the top; a label moves down a row while it would overlap
            // one already placed.
            let (px, top) = ctx.backend_coord(&(*x, y_hi));
            let style =
                TextStyle::from(("sans-serif", 13).into_font()).color(&RGBColor(60, 60, 60));
            let (w, _) = plot
                .estimate_text_size(label, &style)
                .map_err(|e| e.to_string())?;
            let (x0, _) = plot.get_base_pixel();
            let right = x0 + plot.dim_in_pixel().0 as i32;
            let left = (px + 3).min(right - w as i32 - 2);
            let mut row = 0;
            while placed.iter().any(|&(r, end)| r == row && end + 6 > left) {
                row += 1;
            }
            placed.push((row, left + w as i32));
            let at = (left - x0, top + 2 + 15 * row - plot.get_base_pixel().1);
            labels.push((label.clone(), at, w, style));
        }
    }
    // A series far longer than the plot is wide is drawn from its envelope per pixel column
    // (`envelope`): the same picture, and an SVG of a long run stays small.
    let columns = plot.dim_in_pixel().0 as usize;
    let coords = ctx.as_coord_spec().clone();
    let column_of = |x: f64| coords.translate(&(x, y_lo)).0;
    for s in &chart.series {
        if !s.band.is_empty() {
            let lo: Vec<(f64, f64)> = s.band.iter().map(|&(x, lo, _)| (x, lo)).collect();
            let hi: Vec<(f64, f64)> = s.band.iter().map(|&(x, _, hi)| (x, hi)).collect();
            let mut poly = envelope(&lo, columns, column_of).into_owned();
            poly.extend(envelope(&hi, columns, column_of).iter().rev());
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
            envelope(&s.points, columns, column_of)
                .windows(2)
                .map(|w| PathElement::new(vec![w[0], w[1]], color.stroke_width(width))),
        )
        .map_err(|e| e.to_string())?;
    }
    // Event labels last, on a light backing, so they stay readable over the lines.
    for (label, at, w, style) in labels {
        plot.draw(&Rectangle::new(
            [(at.0 - 2, at.1 - 1), (at.0 + w as i32 + 2, at.1 + 14)],
            WHITE.mix(0.8).filled(),
        ))
        .map_err(|e| e.to_string())?;
        plot.draw(&Text::new(label, at, style))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The points of a line worth drawing on a plot `columns` pixels wide: all of them up to two per
/// column; beyond, per run of points falling in one pixel column (`column_of`), its first,
/// lowest, highest and last point, in their order. A line through these covers the same pixels
/// in each column (its vertical extent there) and joins the columns where the full line does,
/// so the picture is the same while a 20,000-tick run draws ~4 points a column, not 20.
fn envelope(
    points: &[(f64, f64)],
    columns: usize,
    column_of: impl Fn(f64) -> i32,
) -> std::borrow::Cow<'_, [(f64, f64)]> {
    if points.len() <= 2 * columns.max(1) {
        return std::borrow::Cow::Borrowed(points);
    }
    let mut kept = Vec::with_capacity(4 * columns + 4);
    let mut start = 0;
    while start < points.len() {
        let column = column_of(points[start].0);
        let mut end = start + 1;
        while end < points.len() && column_of(points[end].0) == column {
            end += 1;
        }
        let run = &points[start..end];
        let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
        let low = run
            .iter()
            .enumerate()
            .min_by(|a, b| by_y(&a.1, &b.1))
            .map_or(0, |(i, _)| i);
        let high = run
            .iter()
            .enumerate()
            .max_by(|a, b| by_y(&a.1, &b.1))
            .map_or(0, |(i, _)| i);
        let mut picks = [0, low, high, run.len() - 1];
        picks.sort_unstable();
        let mut last = usize::MAX;
        for i in picks {
            if i != last {
                kept.push(run[i]);
                last = i;
            }
        }
        start = end;
    }
    std::borrow::Cow::Owned(kept)
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

/// A stack of up to three panels fits the usual size; each panel more adds 130 pixels.
fn stack_size(stack: &Stack) -> (u32, u32) {
    let extra = stack.panels.len().saturating_sub(3) as u32;
    (SIZE.0, SIZE.1 + 130 * extra)
}

/// Draw into an in-memory bitmap and encode it as PNG bytes.
pub(super) fn png_of(
    (w, h): (u32, u32),
    draw: impl for<'a> FnOnce(DrawingArea<BitMapBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
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
pub(super) fn svg_of(
    size: (u32, u32),
    draw: impl for<'a> FnOnce(DrawingArea<SVGBackend<'a>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let mut svg = String::new();
    draw(SVGBackend::with_string(&mut svg, size).into_drawing_area())?;
    Ok(svg.into_bytes())
}

/// Render a chart to PNG bytes.
pub fn render_png(chart: &LineChart) -> Result<Vec<u8>, String> {
    png_of(SIZE, |root| draw(root, chart))
}

/// Render a chart to SVG bytes.
pub fn render_svg(chart: &LineChart) -> Result<Vec<u8>, String> {
    svg_of(SIZE, |root| draw(root, chart))
}

/// Both renderings of a stacked chart, named `<stem>.png` and `<stem>.svg`.
pub fn render_stack(
    stem: &str,
    stack: &Stack,
    dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    named_pair(
        stem,
        dir,
        png_of(stack_size(stack), |root| draw_stack(root, stack)),
        svg_of(stack_size(stack), |root| draw_stack(root, stack)),
    )
}

/// Only the PNG of a stacked chart, as `<stem>.png`.
pub fn render_stack_png(
    stem: &str,
    stack: &Stack,
    dir: &Path,
) -> Result<(String, Vec<u8>), ReportError> {
    let name = format!("{stem}.png");
    png_of(stack_size(stack), |root| draw_stack(root, stack))
        .map(|png| (name.clone(), png))
        .map_err(|message| ReportError::Chart {
            path: dir.join(name),
            message,
        })
}

/// Name the PNG and SVG renderings `<stem>.png` and `<stem>.svg`, or report which failed.
pub(super) fn named_pair(
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

#[cfg(test)]
mod tests {
    use super::envelope;

    /// A short line is drawn whole; a long one keeps at most four points a pixel column, among
    /// them each column's lowest and highest, in their order, with the first and last point.
    #[test]
    fn long_lines_keep_their_envelope_per_column() {
        let short: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, (i % 7) as f64)).collect();
        assert_eq!(&*envelope(&short, 50, |x| x as i32), &short[..]);
        let long: Vec<(f64, f64)> = (0..20_000)
            .map(|i| (i as f64, ((i * 7919) % 1000) as f64 / 1000.0))
            .collect();
        let columns = 500;
        let column_of = |x: f64| (x / 40.0) as i32;
        let kept = envelope(&long, columns, column_of);
        assert!(kept.len() <= 4 * columns, "{} points kept", kept.len());
        assert_eq!(kept.first(), long.first());
        assert_eq!(kept.last(), long.last());
        assert!(
            kept.windows(2).all(|w| w[0].0 < w[1].0),
            "in order, no repeats"
        );
        for c in 0..columns as i32 {
            let span = |pts: &[(f64, f64)]| {
                let ys = pts.iter().filter(|p| column_of(p.0) == c).map(|p| p.1);
                ys.clone().fold(f64::INFINITY, f64::min)..ys.fold(f64::NEG_INFINITY, f64::max)
            };
            assert_eq!(span(&kept), span(&long), "column {c}");
        }
    }
}
