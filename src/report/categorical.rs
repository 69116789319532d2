//! Charts over categorical axes, where each category is a column (and a row) rather than a
//! number: the heatmap of a two-parameter sweep, and dots with 95 % intervals for a sweep of
//! words (a coordination mechanism, a sharing policy, a partner engaged or not). Same font,
//! size and in-memory PNG/SVG rendering as the line charts ([`super::charts`]).

use super::ReportError;
use super::charts::{
    PALETTE, SIZE, decimals_for, named_pair, png_of, svg_of, titled_with_note, viridis,
};
use crate::stats::Estimate;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// The label of a categorical axis at `v`: the name of the category whose column `v` centres,
/// none between them (the axis asks for labels at every half step), cut with "…" to what
/// `room` pixels hold, so that neighbouring names never run into each other.
fn centre_label(names: &[String], room: u32) -> impl Fn(&f64) -> String + '_ {
    // About 8 pixels a character at the labels' 15 px.
    let most = (room / 8).max(3) as usize;
    move |v: &f64| {
        if (v.fract() - 0.5).abs() < 1e-6 {
            let name = names.get(v.floor() as usize).cloned().unwrap_or_default();
            if name.chars().count() > most {
                name.chars().take(most - 1).chain(['…']).collect()
            } else {
                name
            }
        } else {
            String::new()
        }
    }
}

/// Draw the axes of a chart whose x axis has `columns` categories (labelled at their centres
/// by `xl`) after `mesh` was given its own grid and y labels: the descriptions and the label
/// styles every categorical chart shares.
fn draw_axes<'b, DB: DrawingBackend>(
    mut mesh: MeshStyle<'_, 'b, RangedCoordf64, RangedCoordf64, DB>,
    (x_desc, y_desc): (&str, &str),
    columns: usize,
    xl: &'b dyn Fn(&f64) -> String,
    yl: &'b dyn Fn(&f64) -> String,
) -> Result<(), String> {
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(columns * 2 + 1)
        .x_label_formatter(xl)
        .y_label_formatter(yl)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| e.to_string())
}

/// A heatmap over categorical axes: (x index, y index, value) cells.
pub struct Heatmap<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub xs: &'a [String],
    pub ys: &'a [String],
    pub values: &'a [(usize, usize, f64)],
    /// Per cell (in `values` order): the 95 % CI half-width printed under the value as "± w";
    /// empty for none.
    pub half_widths: &'a [f64],
    /// A line under the chart saying what a cell shows (e.g. replications per point).
    pub note: &'a str,
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
    let root = titled_with_note(root, hm.title, 24, hm.note)?;
    let (width, _) = root.dim_in_pixel();
    let (plot, bar) = root.split_horizontally(width - 170);
    let (nx, ny) = (hm.xs.len(), hm.ys.len());
    let mut ctx = ChartBuilder::on(&plot)
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)
        .map_err(|e| e.to_string())?;
    let (plot_w, _) = plot.dim_in_pixel();
    let column = plot_w.saturating_sub(90 + 32) / nx.max(1) as u32;
    let (xl, yl) = (centre_label(hm.xs, column), centre_label(hm.ys, 88));
    let mut mesh = ctx.configure_mesh();
    mesh.disable_mesh().y_labels(ny * 2 + 1);
    draw_axes(mesh, (hm.x_label, hm.y_label), nx, &xl, &yl)?;
    let centred = Pos::new(HPos::Center, VPos::Center);
    for (k, &(i, j, v)) in hm.values.iter().enumerate() {
        let t = (v - lo) / span;
        let (x0, y0) = (i as f64, j as f64);
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(x0, y0), (x0 + 1.0, y0 + 1.0)],
            viridis(t).filled(),
        )))
        .map_err(|e| e.to_string())?;
        let ink = if t > 0.6 { BLACK } else { WHITE };
        let spread = hm.half_widths.get(k).filter(|w| w.is_finite());
        let value_y = if spread.is_some() { 0.58 } else { 0.5 };
        ctx.draw_series(std::iter::once(Text::new(
            format!("{v:.3}"),
            (x0 + 0.5, y0 + value_y),
            ("sans-serif", 15).into_font().color(&ink).pos(centred),
        )))
        .map_err(|e| e.to_string())?;
        if let Some(w) = spread {
            ctx.draw_series(std::iter::once(Text::new(
                format!("± {w:.3}"),
                (x0 + 0.5, y0 + 0.38),
                ("sans-serif", 13).into_font().color(&ink).pos(centred),
            )))
            .map_err(|e| e.to_string())?;
        }
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
        png_of(SIZE, |root| draw_heatmap(root, hm)),
        svg_of(SIZE, |root| draw_heatmap(root, hm)),
    )
}

/// Each point's mean as a dot with its 95 % interval as a bar, over a categorical x axis.
pub struct Dots<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub categories: &'a [String],
    /// (category index, estimate); an interval of no width draws no bar.
    pub points: &'a [(usize, Estimate)],
    /// Print each dot's mean and interval beside it (for one point per category).
    pub labelled: bool,
    /// What the values can take (0..1 for a share; 0..∞ for a count): the axis stays within.
    pub bounds: std::ops::Range<f64>,
    /// A line under the chart saying what a dot shows.
    pub note: &'a str,
}

/// Draw `ch` with its y axis fitted to the data (`full`: from 0 to at least 1, as the line
/// charts' `-full` pictures, so that a small difference is seen at its true size too).
fn draw_dots<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    ch: &Dots,
    full: bool,
) -> Result<(), String> {
    let root = titled_with_note(root, ch.title, 24, ch.note)?;
    let values = ch.points.iter().flat_map(|(_, e)| [e.low, e.high, e.mean]);
    let y = if full {
        let top = values.filter(|v| v.is_finite()).fold(1.0, f64::max);
        0.0..top * 1.02
    } else {
        super::run_charts::fit_range(values, ch.bounds.clone(), 0.02)
    };
    // No finite value to fit (or unbounded bounds left): the unit range, never an infinite
    // axis (plotters would not finish choosing its ticks).
    let y = if y.start.is_finite() && y.end.is_finite() && y.end > y.start {
        y
    } else {
        0.0..1.0
    };
    let n = ch.categories.len().max(1);
    let mut ctx = ChartBuilder::on(&root)
        .margin(16)
        .margin_right(40)
        .x_label_area_size(52)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..n as f64, y.clone())
        .map_err(|e| e.to_string())?;
    let (root_w, _) = root.dim_in_pixel();
    let column = root_w.saturating_sub(80 + 32 + 40) / n as u32;
    let xl = centre_label(ch.categories, column);
    let decimals = decimals_for(y.end - y.start);
    let yl = |v: &f64| format!("{v:.decimals$}");
    let mut mesh = ctx.configure_mesh();
    mesh.disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .y_labels(6);
    draw_axes(mesh, (ch.x_label, ch.y_label), n, &xl, &yl)?;
    let ink = PALETTE[0];
    let dot = if ch.labelled {
        ink.filled()
    } else {
        ink.mix(0.55).filled()
    };
    // Values printed one decimal finer than the axis; large counts whole.
    let shown = if y.end - y.start >= 50.0 {
        0
    } else {
        decimals.max(2) + 1
    };
    let right = ctx.plotting_area().get_pixel_range().0.end;
    // Several points in a column are spread across its middle third in their order, so that
    // equal values do not hide each other.
    let mut per_column = vec![0usize; n];
    for &(c, _) in ch.points {
        per_column[c.min(n - 1)] += 1;
    }
    let mut seen = vec![0usize; n];
    for &(c, e) in ch.points {
        let c = c.min(n - 1);
        let (k, m) = (seen[c] as f64, per_column[c] as f64);
        seen[c] += 1;
        let x = c as f64
            + 0.5
            + if m > 1.0 {
                (k / (m - 1.0) - 0.5) / 3.0
            } else {
                0.0
            };
        if e.high > e.low {
            let bar = ink.stroke_width(2);
            let cap = 0.04;
            for seg in [
                [(x, e.low), (x, e.high)],
                [(x - cap, e.low), (x + cap, e.low)],
                [(x - cap, e.high), (x + cap, e.high)],
            ] {
                ctx.draw_series(std::iter::once(PathElement::new(seg.to_vec(), bar)))
                    .map_err(|e| e.to_string())?;
            }
        }
        ctx.draw_series(std::iter::once(Circle::new((x, e.mean), 6, dot)))
            .map_err(|e| e.to_string())?;
        if ch.labelled {
            // Mean, and under it the interval (if its ends differ at this precision), right of
            // the dot within half a column; with many columns the bars alone show the interval.
            let (low, high) = (format!("{:.shown$}", e.low), format!("{:.shown$}", e.high));
            let mut lines = vec![format!("{:.shown$}", e.mean)];
            if low != high && n <= 5 {
                lines.push(format!("[{low}, {high}]"));
            }
            let font = ("sans-serif", 15).into_font();
            // Right of the dot, or left of it where the text would pass the plot's edge.
            let wide = lines
                .iter()
                .map(|l| font.box_size(l).map_or(0, |b| b.0 as i32))
                .max()
                .unwrap_or(0);
            let dx = if ctx.backend_coord(&(x, e.mean)).0 + 12 + wide > right {
                -12 - wide
            } else {
                12
            };
            let style = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            let first = -9 * (lines.len() as i32 - 1);
            for (k, line) in lines.into_iter().enumerate() {
                let at = EmptyElement::at((x, e.mean))
                    + Text::new(line, (dx, first + 18 * k as i32), style.clone());
                ctx.draw_series(std::iter::once(at))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    root.present().map_err(|e| e.to_string())
}

/// Render dots with intervals as `<stem>.png` and `<stem>.svg` fitted to the data, and
/// `<stem>-full.png` from 0.
pub fn dots_both(stem: &str, ch: &Dots, dir: &Path) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let mut files = named_pair(
        stem,
        dir,
        png_of(SIZE, |root| draw_dots(root, ch, false)),
        svg_of(SIZE, |root| draw_dots(root, ch, false)),
    )?;
    let name = format!("{stem}-full.png");
    let png =
        png_of(SIZE, |root| draw_dots(root, ch, true)).map_err(|message| ReportError::Chart {
            path: dir.join(&name),
            message,
        })?;
    files.push((name, png));
    Ok(files)
}
