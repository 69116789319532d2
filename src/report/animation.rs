//! The agent-level view, as NetLogo shows Epstein's model: every cell of the map, citizens
//! coloured by state (quiescent, active, detained), patrols, aid teams, convoys, liaison and
//! telecom teams on top, districts tinted and hatched where spoilers operate.
//!
//! [`FrameRecorder`] is the observer handed to [`crate::sim::run_observed`]: it reads the world
//! after chosen ticks (never writes it, so no recorded output changes). Its PNG snapshots are
//! encoded straight into temporaries of the run's folder (renamed with the other files, see
//! [`super::stream`]), so a run never holds them in memory; when asked, it also keeps the
//! animation's frames and GIF. GIF frames use one fixed palette (no colour quantization,
//! so the bytes are the same on every machine) and carry only the pixels that changed since the
//! previous frame, which keeps a year of the baseline to a few megabytes.

use super::maps::{cell_scale, draw_borders};
use super::raster::{Anchor, Canvas, Lettering, fitted, text_width};
use super::{ReportError, Streamed, StreamedFile};
use crate::scenario::{Scenario, UnitKind};
use crate::sim::{AgentSnapshot, Shown, for_each_citizen_in_layers};
use bevy_ecs::prelude::*;
use plotters::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// At most this many frames in the GIF (give or take the window's first and last day): every
/// k-th tick is shown, k chosen to stay below it.
pub const MAX_FRAMES: u32 = 150;

/// The days an animation shows: from day `from` to day `to` (both included), every k-th day
/// ([`Window::every`]) and the window's first and last day. The whole run is `1..=ticks`.
///
/// The frames themselves say the window (its first and last are always drawn), so a run folder
/// needs no other record of it: `report` and the page's rerun command read it back from the
/// frame names ([`Window::of_frames`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: u32,
    pub to: u32,
}

impl Window {
    /// The whole run of `ticks` days.
    pub fn whole(ticks: u32) -> Self {
        Window {
            from: 1,
            to: ticks.max(1),
        }
    }

    /// `FROM..TO` (days, both included; `FROM..` runs to the end, `..TO` from day 1) for a run
    /// of `ticks` days, or what is wrong with it, in words for the user.
    pub fn parse(text: &str, ticks: u32) -> Result<Self, String> {
        let form = || {
            format!(
                "`{text}` is not a window of days: write FROM..TO, e.g. 100..160 (FROM.. runs to \
                 the last day, ..TO starts at day 1)"
            )
        };
        let (a, b) = text.trim().split_once("..").ok_or_else(form)?;
        let day = |s: &str, default: u32| -> Result<u32, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(default);
            }
            s.parse::<u32>().map_err(|_| form())
        };
        let (from, to) = (day(a, 1)?, day(b, ticks)?);
        if from == 0 {
            return Err(format!("`{text}`: days start at 1; write 1..{to}"));
        }
        if from.max(to) > ticks {
            return Err(format!(
                "`{text}`: the run has {} (days 1..{ticks}); keep the window within them, or \
                 run longer with --ticks",
                super::counted(ticks, "day")
            ));
        }
        if from > to {
            return Err(format!(
                "`{text}`: the window ends before it starts; write {to}..{from}"
            ));
        }
        Ok(Window { from, to })
    }

    /// Days between frames: the smallest that keeps the window within [`MAX_FRAMES`].
    pub fn every(self) -> u32 {
        (self.to - self.from + 1).div_ceil(MAX_FRAMES).max(1)
    }

    /// Whether day `tick` is a frame.
    pub fn shows(self, tick: u32) -> bool {
        (self.from..=self.to).contains(&tick)
            && (tick.is_multiple_of(self.every()) || tick == self.from || tick == self.to)
    }

    /// The window a run's animation frames (`frames/agents-day-NNNN.png`, among other file
    /// names) show: their first and last day. `None` when there are no frames.
    pub fn of_frames<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let days = names.into_iter().filter_map(|n| {
            n.strip_prefix("frames/agents-day-")?
                .strip_suffix(".png")?
                .parse::<u32>()
                .ok()
        });
        days.fold(None, |w: Option<Window>, d| {
            Some(w.map_or(Window { from: d, to: d }, |w| Window {
                from: w.from.min(d),
                to: w.to.max(d),
            }))
        })
    }

    /// The days a run animated, from its files' names (`names`, e.g. a manifest's list): the
    /// frames' window where it lies within the run's `ticks` days, the whole run otherwise;
    /// `None` when the run drew no `animation.gif`. What `report` rebuilds and the run page's
    /// command says.
    pub fn of_run<'a>(
        names: impl IntoIterator<Item = &'a str> + Clone,
        ticks: u32,
    ) -> Option<Self> {
        names
            .clone()
            .into_iter()
            .any(|n| n == "animation.gif")
            .then(|| {
                Window::of_frames(names)
                    .filter(|w| w.from >= 1 && w.to <= ticks)
                    .unwrap_or(Window::whole(ticks))
            })
    }

    /// The options of `peacesim run` that draw this window of a run of `ticks` days.
    pub fn options(self, ticks: u32) -> String {
        if self == Window::whole(ticks) {
            "--animate".into()
        } else {
            format!("--animate-days {}..{}", self.from, self.to)
        }
    }
}

const QUIESCENT: RGBColor = RGBColor(96, 170, 96);
const ACTIVE: RGBColor = RGBColor(215, 25, 28);
const DETAINED: RGBColor = RGBColor(40, 40, 40);
const BORDER: RGBColor = RGBColor(90, 90, 90);
const TRANSPARENT: RGBColor = RGBColor(255, 0, 255);

/// Light tints for the districts' ground (no greens or reds: those are citizens).
const GROUND: [RGBColor; 6] = [
    RGBColor(236, 240, 248),
    RGBColor(250, 244, 228),
    RGBColor(243, 234, 246),
    RGBColor(232, 232, 232),
    RGBColor(250, 236, 226),
    RGBColor(228, 243, 246),
];

/// How a unit kind is drawn: colour and legend label, in drawing order (later on top).
fn unit_style(kind: UnitKind) -> (u8, RGBColor, &'static str) {
    match kind {
        UnitKind::Telecom => (0, RGBColor(150, 150, 150), "telecom"),
        UnitKind::Liaison => (1, RGBColor(0, 170, 170), "liaison"),
        UnitKind::Convoy => (2, RGBColor(140, 60, 170), "convoy"),
        UnitKind::AidTeam => (3, RGBColor(240, 160, 0), "aid team"),
        UnitKind::Patrol => (4, RGBColor(0, 80, 200), "patrol"),
    }
}

fn darker(c: RGBColor, f: f64) -> RGBColor {
    let m = |v: u8| (v as f64 * f).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// The fixed GIF palette: index 0 is transparent (unchanged pixels), then every colour drawn,
/// then a grey ramp for anti-aliased text.
fn palette() -> Vec<RGBColor> {
    let mut p = vec![
        TRANSPARENT,
        BLACK,
        WHITE,
        QUIESCENT,
        ACTIVE,
        DETAINED,
        BORDER,
    ];
    for g in GROUND {
        p.push(g);
        p.push(darker(g, 0.86));
    }
    for k in [
        UnitKind::Telecom,
        UnitKind::Liaison,
        UnitKind::Convoy,
        UnitKind::AidTeam,
        UnitKind::Patrol,
    ] {
        let c = unit_style(k).1;
        p.push(c);
        p.push(darker(c, 0.6));
    }
    for i in 0..48u32 {
        let v = (i * 255 / 47) as u8;
        p.push(RGBColor(v, v, v));
    }
    // Blends of the agent colours with white and black, for text on swatches.
    for c in [
        QUIESCENT,
        ACTIVE,
        RGBColor(0, 80, 200),
        RGBColor(240, 160, 0),
    ] {
        for f in [0.25, 0.5, 0.75] {
            let mix = |a: u8, b: u8| (a as f64 * f + b as f64 * (1.0 - f)).round() as u8;
            p.push(RGBColor(mix(c.0, 255), mix(c.1, 255), mix(c.2, 255)));
        }
    }
    p
}

/// What the frames show and where.
struct Layout {
    scale: u32,
    margin: u32,
    width: u32,
    height: u32,
    map_h: u32,
}

/// Counts shown under a frame.
#[derive(Default)]
struct Counts {
    quiescent: u32,
    active: u32,
    detained: u32,
    /// Operating units by kind (drawn filled).
    units: [u32; 5],
    /// Units on the map not operating (out of supply, their partner withdrawn; drawn hollow).
    idle: u32,
}

/// How a legend key is marked: a citizen's dot, a unit's square, or a hollow square.
#[derive(Clone, Copy)]
enum Mark {
    Dot,
    Unit,
    Hollow,
}

/// Observes a run and draws the agent view after chosen ticks.
pub struct FrameRecorder {
    scenario: Arc<Scenario>,
    ticks: u32,
    layout: Layout,
    /// Ticks kept as `agents-day-NNNN.png` beside the maps.
    png_ticks: Vec<u32>,
    /// The days animated (`None`: no animation).
    window: Option<Window>,
    /// Folder prefix of the animation's PNG frames (e.g. `frames/`).
    frames_dir: String,
    ground: Canvas,
    /// The run's folder, held by the caller: the snapshots' temporaries go there.
    dir: PathBuf,
    /// Snapshots written so far (`agents-day-NNNN.png`).
    pictures: Vec<(String, Streamed)>,
    /// Animation frames (`frames/…`), kept in memory.
    pngs: Vec<(String, Vec<u8>)>,
    gif: Option<GifState>,
    /// The first snapshot that could not be written (returned by [`FrameRecorder::finish`]).
    failed: Option<ReportError>,
}

/// What a [`FrameRecorder`] leaves: the snapshots, already in temporaries of the run's folder,
/// and the animation's frames and GIF in memory.
pub struct Recorded {
    pub pictures: Vec<(String, Streamed)>,
    pub files: Vec<(String, Vec<u8>)>,
}

struct GifState {
    encoder: gif::Encoder<Vec<u8>>,
    palette: Vec<RGBColor>,
    lookup: HashMap<[u8; 3], u8>,
    /// The last colour looked up and its index.
    last: ([u8; 3], u8),
    previous: Option<Vec<u8>>,
    delay: u16,
    frames: u32,
}

impl FrameRecorder {
    /// Write PNG snapshots at `png_ticks` into temporaries of `dir` (which the caller holds);
    /// with an `animate` window, also keep its frames ([`Window::shows`]) as PNG frames under
    /// `frames/` and as `animation.gif`.
    pub fn new(
        scenario: Arc<Scenario>,
        ticks: u32,
        png_ticks: Vec<u32>,
        animate: Option<Window>,
        dir: &Path,
    ) -> Self {
        let m = &scenario.map;
        let scale = cell_scale(m.width, 600, 10);
        let margin = 8;
        let map_h = m.height * scale;
        let width = (m.width * scale + 2 * margin).max(480);
        // Room for the legend at its widest: every count at its largest (every citizen in one
        // state, every unit idle), at least two rows as always.
        let citizens: u32 = scenario.districts.iter().map(|d| d.population).sum();
        let units: u32 = scenario.units.iter().map(|u| u.count).sum();
        let widest = Counts {
            quiescent: citizens,
            active: citizens,
            detained: citizens,
            units: [units; 5],
            idle: units,
        };
        let (_, rows) = place_keys(&legend_keys(&scenario, &widest), width, margin);
        let height = map_h + 2 * margin + (LEGEND_TOP + LEGEND_ROW * rows.max(2) + 14) as u32;
        let layout = Layout {
            scale,
            margin,
            width,
            height,
            map_h,
        };
        let ground = draw_ground(&scenario, &layout);
        let gif = animate.map(|window| {
            let palette = palette();
            let flat: Vec<u8> = palette.iter().flat_map(|c| [c.0, c.1, c.2]).collect();
            let mut encoder = gif::Encoder::new(Vec::new(), width as u16, height as u16, &flat)
                .expect("writing a GIF header to memory cannot fail");
            encoder
                .set_repeat(gif::Repeat::Infinite)
                .expect("writing to memory cannot fail");
            let frames = (window.to - window.from + 1).div_ceil(window.every());
            // About 12 s for the whole window, 4 to 25 hundredths of a second per frame.
            let delay = (1200 / frames.max(1)).clamp(4, 25) as u16;
            let lookup: HashMap<[u8; 3], u8> = palette
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| ([c.0, c.1, c.2], i as u8))
                .collect();
            let white = lookup.get(&[255, 255, 255]).copied().unwrap_or(2);
            GifState {
                encoder,
                palette,
                lookup,
                last: ([255, 255, 255], white),
                previous: None,
                delay,
                frames: 0,
            }
        });
        FrameRecorder {
            scenario,
            ticks,
            layout,
            png_ticks,
            window: animate,
            frames_dir: "frames/".into(),
            ground,
            dir: dir.to_path_buf(),
            pictures: Vec::new(),
            pngs: Vec::new(),
            gif,
            failed: None,
        }
    }

    /// Call after every tick (the observer of [`crate::sim::run_observed`]).
    pub fn observe(&mut self, world: &World, tick: u32) {
        let snapshot = self.png_ticks.contains(&tick);
        let in_gif = self.window.is_some_and(|w| w.shows(tick));
        if !snapshot && !in_gif {
            return;
        }
        let canvas = self.draw(world, tick);
        if snapshot && self.failed.is_none() {
            let name = format!("agents-day-{tick:04}.png");
            match stream_png(&canvas, &self.dir, &name) {
                Ok(file) => self.pictures.push((name, file)),
                Err(e) => self.failed = Some(e),
            }
        }
        if in_gif {
            if let Ok(png) = canvas.png() {
                self.pngs
                    .push((format!("{}agents-day-{tick:04}.png", self.frames_dir), png));
            }
            let last = self.window.is_some_and(|w| tick == w.to);
            if let Some(g) = &mut self.gif {
                g.push(&canvas, last);
            }
        }
    }

    /// The files drawn: snapshots, PNG frames and `animation.gif` (when animating).
    pub fn finish(self) -> Result<Recorded, ReportError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let mut files = self.pngs;
        if let Some(g) = self.gif
            && let Ok(bytes) = g.encoder.into_inner()
        {
            files.push(("animation.gif".into(), bytes));
        }
        Ok(Recorded {
            pictures: self.pictures,
            files,
        })
    }

    fn draw(&self, world: &World, tick: u32) -> Canvas {
        let mut c = self.ground.clone();
        let Layout {
            scale: s, margin, ..
        } = self.layout;
        let w = self.scenario.map.width;
        let at = |cell: u32| {
            (
                (margin + (cell % w) * s) as i64,
                (margin + (cell / w) * s) as i64,
            )
        };
        let dot = s.saturating_sub(1).max(1) as i64;
        let mut counts = Counts::default();
        // Detained under the free, actives on top; no list of every citizen is made (at 10⁶
        // citizens it was 8 MB and a sort per picture).
        for_each_citizen_in_layers(world, |shown, cell| {
            let colour = match shown {
                Shown::Detained => {
                    counts.detained += 1;
                    DETAINED
                }
                Shown::Quiescent => {
                    counts.quiescent += 1;
                    QUIESCENT
                }
                Shown::Active => {
                    counts.active += 1;
                    ACTIVE
                }
            };
            let (x, y) = at(cell);
            c.rect(x, y, dot, dot, colour);
        });
        let mut units: Vec<(u8, bool, u32)> = Vec::new();
        for u in &AgentSnapshot::units_of(world) {
            let (rank, _, _) = unit_style(u.kind);
            if u.operating {
                counts.units[rank as usize] += 1;
            } else {
                counts.idle += 1;
            }
            units.push((rank, u.operating, u.cell));
        }
        units.sort_unstable();
        let size = (s as i64 + 2).max(3);
        for (rank, operating, cell) in units {
            let (_, colour, _) = unit_style(KINDS[rank as usize]);
            let (x, y) = at(cell);
            let (x, y) = (x - 1, y - 1);
            if operating {
                c.rect(x, y, size, size, colour);
                c.frame(x, y, size, size, darker(colour, 0.6));
            } else {
                c.frame(x, y, size, size, darker(colour, 0.6));
            }
        }
        self.draw_legend(&mut c, tick, &counts);
        c
    }

    fn draw_legend(&self, c: &mut Canvas, tick: u32, counts: &Counts) {
        let Layout {
            margin,
            map_h,
            width,
            ..
        } = self.layout;
        let y0 = (margin * 2 + map_h) as i32;
        let x0 = margin as i32;
        // The day is always said in full; a long scenario name is cut to leave it room.
        let day = format!(" — day {tick} of {}", self.ticks);
        let room = (width - 2 * margin).saturating_sub(text_width(&day, 16));
        c.text(
            &format!("{}{day}", fitted(&self.scenario.name, 16, room)),
            x0,
            y0 + 2,
            Lettering::bold(16, BLACK),
            Anchor::TopLeft,
        );
        let keys = legend_keys(&self.scenario, counts);
        let (places, _) = place_keys(&keys, self.layout.width, margin);
        for ((colour, label, mark), (dx, row)) in keys.iter().zip(places) {
            let (x, y) = (x0 + dx, y0 + LEGEND_TOP + LEGEND_ROW * row);
            match mark {
                Mark::Unit => {
                    c.rect(x as i64, y as i64 + 3, 11, 11, *colour);
                    c.frame(x as i64, y as i64 + 3, 11, 11, darker(*colour, 0.6));
                }
                Mark::Hollow => c.frame(x as i64, y as i64 + 3, 11, 11, darker(*colour, 0.6)),
                Mark::Dot => c.rect(x as i64 + 1, y as i64 + 4, 9, 9, *colour),
            }
            c.text(
                label,
                x + 15,
                y,
                Lettering::plain(14, BLACK),
                Anchor::TopLeft,
            );
        }
    }
}

/// The legend's first row of keys starts this far under the map, each row this far below.
const LEGEND_TOP: i32 = 26;
const LEGEND_ROW: i32 = 22;

/// The unit kinds in drawing order (their rank in [`unit_style`]).
const KINDS: [UnitKind; 5] = [
    UnitKind::Telecom,
    UnitKind::Liaison,
    UnitKind::Convoy,
    UnitKind::AidTeam,
    UnitKind::Patrol,
];

/// The legend's keys for a picture with `counts`: colour, label and mark. Units the scenario
/// fields, top of the drawing order first; hollow squares and spoilers' hatching where shown.
fn legend_keys(scenario: &Scenario, counts: &Counts) -> Vec<(RGBColor, String, Mark)> {
    let mut keys = vec![
        (
            QUIESCENT,
            format!("quiescent {}", counts.quiescent),
            Mark::Dot,
        ),
        (ACTIVE, format!("active {}", counts.active), Mark::Dot),
        (DETAINED, format!("detained {}", counts.detained), Mark::Dot),
    ];
    let fielded: Vec<UnitKind> = scenario.units.iter().map(|u| u.kind).collect();
    for k in KINDS.iter().rev().filter(|k| fielded.contains(k)) {
        let (rank, colour, label) = unit_style(*k);
        let n = counts.units[rank as usize];
        keys.push((colour, format!("{label} {n}"), Mark::Unit));
    }
    if counts.idle > 0 {
        let n = counts.idle;
        keys.push((BORDER, format!("hollow: not operating {n}"), Mark::Hollow));
    }
    if scenario.districts.iter().any(|d| d.spoilers > 0.0) {
        let label = "hatched: spoilers".to_string();
        keys.push((darker(GROUND[3], 0.86), label, Mark::Dot));
    }
    keys
}

/// Where each key goes on a picture `width` wide: (x from the left margin, row), wrapping to a
/// new row where a key would pass the right margin; and the number of rows.
fn place_keys(
    keys: &[(RGBColor, String, Mark)],
    width: u32,
    margin: u32,
) -> (Vec<(i32, i32)>, i32) {
    let right = width as i32 - 2 * margin as i32;
    let (mut x, mut row) = (0, 0);
    let mut places = Vec::with_capacity(keys.len());
    for (_, label, _) in keys {
        let w = 15 + text_width(label, 14) as i32;
        if x + w > right && x > 0 {
            (x, row) = (0, row + 1);
        }
        places.push((x, row));
        x += w + 14;
    }
    (places, row + 1)
}

/// The districts' ground, borders and spoiler hatching: the same under every frame.
fn draw_ground(scenario: &Scenario, layout: &Layout) -> Canvas {
    let m = &scenario.map;
    let s = layout.scale;
    let mut c = Canvas::new(layout.width, layout.height);
    let (ox, oy) = (layout.margin as i64, layout.margin as i64);
    for (i, &d) in m.district_of_cell.iter().enumerate() {
        let (x, y) = (i as u32 % m.width, i as u32 / m.width);
        let g = GROUND[d as usize % GROUND.len()];
        c.rect(
            ox + (x * s) as i64,
            oy + (y * s) as i64,
            s as i64,
            s as i64,
            g,
        );
        let spoilers = scenario.districts[d as usize].spoilers;
        if spoilers > 0.0 {
            // Diagonal hatching, denser where spoilers are stronger.
            let period = (12.0 - 8.0 * spoilers.clamp(0.0, 1.0)).round() as u32;
            for py in 0..s {
                for px in 0..s {
                    let (gx, gy) = (x * s + px, y * s + py);
                    if (gx + gy) % period == 0 {
                        c.rect(ox + gx as i64, oy + gy as i64, 1, 1, darker(g, 0.86));
                    }
                }
            }
        }
    }
    if scenario.districts.len() > 1 {
        draw_borders(&mut c, scenario, ox, oy, s, BORDER);
    }
    c
}

impl GifState {
    fn index(&mut self, px: &[u8]) -> u8 {
        let key = [px[0], px[1], px[2]];
        // Runs of one colour are the rule (ground, agents' squares): skip the hash then.
        if self.last.0 == key {
            return self.last.1;
        }
        if let Some(&i) = self.lookup.get(&key) {
            self.last = (key, i);
            return i;
        }
        let dist = |c: &RGBColor| {
            let d = |a: u8, b: u8| (a as i32 - b as i32).pow(2);
            d(c.0, key[0]) + d(c.1, key[1]) + d(c.2, key[2])
        };
        // Nearest palette colour; ties go to the lower index, so the result is deterministic.
        let i = (1..self.palette.len())
            .min_by_key(|&i| (dist(&self.palette[i]), i))
            .unwrap_or(1) as u8;
        self.lookup.insert(key, i);
        self.last = (key, i);
        i
    }

    fn push(&mut self, canvas: &Canvas, last: bool) {
        let (w, h) = (canvas.width as usize, canvas.height as usize);
        let indexed: Vec<u8> = canvas
            .pixels
            .chunks_exact(3)
            .map(|p| self.index(p))
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, w, h);
        let mut buffer = indexed.clone();
        if let Some(prev) = &self.previous {
            // Only the bounding box of what changed, unchanged pixels transparent.
            (x0, y0, x1, y1) = (w, h, 0, 0);
            for y in 0..h {
                for x in 0..w {
                    if prev[y * w + x] != indexed[y * w + x] {
                        x0 = x0.min(x);
                        y0 = y0.min(y);
                        x1 = x1.max(x + 1);
                        y1 = y1.max(y + 1);
                    }
                }
            }
            if x1 <= x0 {
                (x0, y0, x1, y1) = (0, 0, 1, 1);
            }
            buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
            for y in y0..y1 {
                for x in x0..x1 {
                    let i = y * w + x;
                    buffer.push(if prev[i] == indexed[i] { 0 } else { indexed[i] });
                }
            }
        }
        let frame = gif::Frame {
            left: x0 as u16,
            top: y0 as u16,
            width: (x1 - x0) as u16,
            height: (y1 - y0) as u16,
            buffer: std::borrow::Cow::Owned(buffer),
            transparent: Some(0),
            dispose: gif::DisposalMethod::Keep,
            delay: if last { 300 } else { self.delay },
            ..gif::Frame::default()
        };
        // Writing to memory cannot fail; a frame too large for GIF is skipped rather than abort.
        let _ = self.encoder.write_frame(&frame);
        self.previous = Some(indexed);
        self.frames += 1;
    }
}
/// `canvas` as the PNG `dir/name`, encoded straight into its temporary.
fn stream_png(canvas: &Canvas, dir: &Path, name: &str) -> Result<Streamed, ReportError> {
    let mut file = StreamedFile::create(dir, name)?;
    canvas
        .write_png(&mut file)
        .map_err(|e| super::io_err(&dir.join(name))(std::io::Error::other(e)))?;
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(idle: u32) -> Counts {
        Counts {
            quiescent: 2971,
            active: 18,
            detained: 373,
            units: [0, 0, 4, 16, 140],
            idle,
        }
    }

    /// Windows: parsed with clear refusals; the whole run shows every k-th day and its first
    /// and last (the frames `--animate` always drew); the frames say their window back.
    #[test]
    fn windows_parse_show_and_read_back() {
        assert_eq!(
            Window::parse("100..160", 365),
            Ok(Window { from: 100, to: 160 })
        );
        assert_eq!(
            Window::parse(" 300.. ", 365),
            Ok(Window { from: 300, to: 365 })
        );
        assert_eq!(Window::parse("..20", 365), Ok(Window { from: 1, to: 20 }));
        assert_eq!(Window::parse("..", 365), Ok(Window::whole(365)));
        for (bad, says) in [
            ("0..5", "days start at 1"),
            ("9..3", "write 3..9"),
            ("1..366", "365 days"),
            ("400..", "365 days"),
            ("7", "FROM..TO"),
            ("a..b", "FROM..TO"),
            ("1...3", "FROM..TO"),
        ] {
            let e = Window::parse(bad, 365).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        // The whole run: multiples of k = ⌈365 / 150⌉ = 3, day 1 and day 365.
        let whole = Window::whole(365);
        let shown: Vec<u32> = (1..=365).filter(|&t| whole.shows(t)).collect();
        let old: Vec<u32> = (1..=365)
            .filter(|&t| t % 3 == 0 || t == 1 || t == 365)
            .collect();
        assert_eq!(shown, old);
        // A window of 61 days: every day. Of 400: every 3rd, and its ends.
        let w = Window { from: 100, to: 160 };
        assert_eq!((1..=365).filter(|&t| w.shows(t)).count(), 61);
        let long = Window { from: 2, to: 401 };
        assert!(long.shows(2) && long.shows(3) && !long.shows(4) && long.shows(401));
        let names: Vec<String> = (1..=500)
            .filter(|&t| long.shows(t))
            .map(|t| format!("frames/agents-day-{t:04}.png"))
            .chain(["agents-day-0100.png".to_string(), "animation.gif".into()])
            .collect();
        assert!(names.len() <= MAX_FRAMES as usize + 4);
        assert_eq!(
            Window::of_frames(names.iter().map(|n| n.as_str())),
            Some(long)
        );
        assert_eq!(Window::of_frames(["animation.gif"]), None);
        // A run's window: none without a GIF; frames outside the run (an edited manifest)
        // mean the whole run.
        let run = |names: &[&str], ticks| Window::of_run(names.iter().copied(), ticks);
        assert_eq!(run(&["frames/agents-day-0004.png"], 12), None);
        let listed = [
            "animation.gif",
            "frames/agents-day-0004.png",
            "frames/agents-day-0009.png",
        ];
        assert_eq!(run(&listed, 12), Some(Window { from: 4, to: 9 }));
        assert_eq!(run(&listed, 8), Some(Window::whole(8)));
        assert_eq!(long.options(500), "--animate-days 2..401");
        assert_eq!(Window::whole(500).options(500), "--animate");
    }

    /// Hollow squares are said in the legend when the picture has any, with their number.
    #[test]
    fn the_legend_explains_hollow_squares() {
        let s = crate::scenario::library::find("baseline").unwrap();
        let s = crate::scenario::parse_str(s.text, Path::new("baseline.toml")).unwrap();
        let labels = |idle| -> Vec<String> {
            legend_keys(&s, &counts(idle))
                .into_iter()
                .map(|k| k.1)
                .collect()
        };
        assert!(labels(30).contains(&"hollow: not operating 30".to_string()));
        assert!(!labels(0).iter().any(|l| l.starts_with("hollow")));
        // Keys wrap within the picture: a narrow one needs more rows.
        let keys = legend_keys(&s, &counts(30));
        let (wide, narrow) = (place_keys(&keys, 1200, 8).1, place_keys(&keys, 480, 8).1);
        assert!(wide == 1 && narrow >= 3, "{wide} / {narrow} rows");
    }
}
