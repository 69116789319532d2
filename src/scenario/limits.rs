//! Input limits and the memory estimate (docs/NOTES.md, "Input limits").
//!
//! Every count and size a scenario file gives is checked against one of these limits before any
//! arithmetic uses it, so that no input can wrap an integer, index out of bounds or ask for more
//! memory than the machine has. A scenario whose estimated peak memory for one run exceeds the
//! memory budget is refused at validation, with the estimate in the message, instead of aborting
//! on allocation in the middle of a run.

use std::sync::atomic::{AtomicU64, Ordering};

/// Largest grid (cells): a 14,142 × 14,142 map. The memory budget usually binds first.
pub const MAX_CELLS: u64 = 200_000_000;
/// Longest run, and the latest tick an event may name or a duration may last.
pub const MAX_TICKS: u32 = 1_000_000;
/// Longest scenario name, in characters: it names an output folder (file systems allow 255
/// bytes, and `compare` joins several names into one folder name).
pub const MAX_NAME_CHARS: usize = 64;
/// Most districts: cells store their district as a 16-bit index.
pub const MAX_DISTRICTS: usize = u16::MAX as usize;
/// Most partners: trust and mandate divergence are kept for every pair.
pub const MAX_PARTNERS: usize = 1_000;
/// Timeline events in one scenario file.
pub const MAX_EVENTS: usize = 1_000;
/// Most units, in one `[[units]]` entry and over all entries together.
pub const MAX_UNITS: i64 = 10_000_000;
/// Largest radius or distance in cells (vision, aid reach, harm radius, drone range).
pub const MAX_RADIUS: u32 = 100;
/// Memory budget for one run when none is given: 2 GiB, which fits a laptop.
pub const DEFAULT_MEMORY_BUDGET: u64 = 2 << 30;

// Peak bytes per item of one `peacesim run`, measured with `/usr/bin/time -v` (2 cores,
// --release) and rounded up: an empty 4,000 × 4,000 map takes 22 B a cell, 10⁶ citizens
// 105 B each beyond their map (since citizens are dense arrays, not ECS entities), 1 M aid teams 200 B each, 10⁶ ticks of one district 1.6 KB a tick, 10⁴ ticks of
// 1,000 districts 300 B a district-tick.
const BASE: u128 = 16 << 20;
const PER_CELL: u128 = 32;
const PER_CITIZEN: u128 = 128;
const PER_UNIT: u128 = 256;
const PER_TICK: u128 = 1_536;
const PER_DISTRICT_TICK: u128 = 384;
/// Pairwise partner trust and mandate divergence (f64 each).
const PER_PARTNER_PAIR: u128 = 16;
/// Last-seen tick per partner and intel sector (u32).
const PER_PARTNER_SECTOR: u128 = 4;
/// A supply route's cells and districts, per partner and cell of the map's longer side.
const PER_ROUTE_CELL: u128 = 8;

static BUDGET: AtomicU64 = AtomicU64::new(DEFAULT_MEMORY_BUDGET);

/// Set the memory budget that [`super::load`] and [`super::parse_str`] check scenarios against
/// (the CLI's `--memory-budget`).
pub fn set_memory_budget(bytes: u64) {
    BUDGET.store(bytes, Ordering::Relaxed);
}

/// The memory budget in force (bytes).
pub fn memory_budget() -> u64 {
    BUDGET.load(Ordering::Relaxed)
}

/// Parse a size such as `2G`, `512M`, `1.5G` or `3000000000` (bytes); K, M, G and T are powers
/// of 1,024 and may be followed by `B` or `iB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let number = lower
        .trim_end_matches("ib")
        .trim_end_matches('b')
        .to_string();
    let (digits, scale) = match number.chars().last() {
        Some('k') => (&number[..number.len() - 1], 1u64 << 10),
        Some('m') => (&number[..number.len() - 1], 1 << 20),
        Some('g') => (&number[..number.len() - 1], 1 << 30),
        Some('t') => (&number[..number.len() - 1], 1 << 40),
        _ => (number.as_str(), 1),
    };
    let value: f64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("\"{s}\" is not a size; write e.g. 4G, 512M or 3000000000"))?;
    let bytes = value * scale as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!(
            "\"{s}\" is out of range; give a size from 1 byte to 16E (e.g. 4G)"
        ));
    }
    Ok(bytes as u64)
}

/// A number of ticks set outside the scenario file (`run --ticks`, a sweep's `ticks`, a run
/// folder's manifest), checked as the file's own would be: within 1..=[`MAX_TICKS`], and the
/// rows it records (they grow with the ticks) within half the memory budget. The message says
/// what to change.
pub fn check_ticks(s: &super::Scenario, t: u64) -> Result<(), String> {
    if !(1..=MAX_TICKS as u64).contains(&t) {
        return Err(format!(
            "a run has 1 to {MAX_TICKS} ticks; use a number in that range"
        ));
    }
    let f = Footprint {
        ticks: t.saturating_sub(s.ticks as u64),
        districts: s.districts.len() as u64,
        ..Default::default()
    };
    let budget = memory_budget();
    if t > s.ticks as u64 && f.bytes() > budget as u128 / 2 {
        return Err(format!(
            "recording {t} ticks needs about {} of memory, more than half the memory budget of \
             {}; run fewer ticks or raise --memory-budget",
            human(f.bytes()),
            human(budget as u128)
        ));
    }
    Ok(())
}

/// What one run of a scenario holds in memory, counted from the validated input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Footprint {
    pub width: u64,
    pub height: u64,
    /// Citizens at the start, or the map's cells when Model II births can fill it.
    pub citizens: u64,
    pub units: u64,
    pub partners: u64,
    pub districts: u64,
    pub ticks: u64,
    /// Side of an intel sector, in cells (≥ 1).
    pub sector: u64,
}

/// What a term of the estimate stands for, where it is set in the file and how to lower it.
pub struct Term {
    pub bytes: u128,
    pub what: &'static str,
    pub field: &'static [&'static str],
    pub fix: &'static str,
}

impl Footprint {
    fn terms(&self) -> [Term; 6] {
        let cells = self.width as u128 * self.height as u128;
        let sector = self.sector.max(1) as u128;
        let sectors =
            (self.width as u128).div_ceil(sector) * (self.height as u128).div_ceil(sector);
        let p = self.partners as u128;
        [
            Term {
                bytes: cells * PER_CELL,
                what: "the map",
                field: &["map"],
                fix: "use a smaller map (fewer rows, a smaller block, or a smaller width × height)",
            },
            Term {
                bytes: self.citizens as u128 * PER_CITIZEN,
                what: "the citizens",
                field: &["districts"],
                fix: "lower the districts' population or density",
            },
            Term {
                bytes: self.units as u128 * PER_UNIT,
                what: "the units",
                field: &["units"],
                fix: "field fewer units",
            },
            Term {
                bytes: self.ticks as u128 * (PER_TICK + self.districts as u128 * PER_DISTRICT_TICK),
                what: "the recorded ticks × districts",
                field: &["scenario", "ticks"],
                fix: "run fewer ticks or draw fewer districts",
            },
            Term {
                bytes: p * p * PER_PARTNER_PAIR
                    + p * sectors * PER_PARTNER_SECTOR
                    + p * (self.width.max(self.height) as u128 + 1) * PER_ROUTE_CELL,
                what: "the partners' trust, intel and routes",
                field: &["partners"],
                fix: "declare fewer partners or set a larger intel.sector",
            },
            Term {
                bytes: self.picture_bytes(),
                what: "the pictures of the map",
                field: &["map"],
                fix: "use a smaller map, or one closer to square (pictures are drawn at least \
                      1 pixel per cell, and at least 480 pixels wide)",
            },
        ]
    }

    /// The largest canvases a run draws, 3 bytes a pixel:
    /// the three district-map layers side by side (`report::maps::district_maps`: three panels
    /// of 360 px wide maps at 1–10 px a cell) and the agent picture (`report::animation`: a
    /// 600 px wide map at 1–10 px a cell, at least 480 px wide). Tall, narrow maps are the
    /// costly ones: their pictures keep the scale that suits their width.
    fn picture_bytes(&self) -> u128 {
        let (w, h) = (self.width as u128, self.height as u128);
        let scale = |target: u128| (target / w.max(1)).clamp(1, 10);
        let (s, a) = (scale(360), scale(600));
        let maps = 3 * (((w * s + 24) * 3 + 24 + 110) * (h * s + 114));
        let agents = (w * a + 16).max(480) * (h * a + 100);
        3 * (maps + agents)
    }

    /// Estimated peak memory of one run, in bytes.
    pub fn bytes(&self) -> u128 {
        BASE + self.terms().iter().map(|t| t.bytes).sum::<u128>()
    }

    /// `None` when the estimate fits `budget`, else the field to blame and the message.
    pub fn check(&self, budget: u64) -> Option<(&'static [&'static str], String)> {
        let total = self.bytes();
        if total <= budget as u128 {
            return None;
        }
        let terms = self.terms();
        let worst = terms.iter().max_by_key(|t| t.bytes).expect("six terms");
        // The size to ask for, in the unit a user would type.
        let ask = if total < 1 << 30 {
            format!("{}M", total.div_ceil(1 << 20))
        } else {
            format!("{}G", total.div_ceil(1 << 30))
        };
        // Said as asked: rounded up, so the size suggested is the size said.
        let need = if total < 1 << 30 {
            format!("{} MiB", total.div_ceil(1 << 20))
        } else {
            human(total)
        };
        let raise = format!(
            "raise the budget with `--memory-budget {ask}` (for `peacesim serve`, \
             `--session-memory {ask}`)"
        );
        if budget as u128 <= BASE || worst.bytes < BASE {
            // The fixed part of any run dominates: no field of the file is to blame.
            return Some((
                worst.field,
                format!(
                    "this scenario needs about {need} of memory to run, most of it the {} every \
                     run needs whatever the scenario, more than the memory budget of {}; {raise}",
                    human(BASE),
                    human(budget as u128)
                ),
            ));
        }
        Some((
            worst.field,
            format!(
                "this scenario needs about {need} of memory to run ({} alone: {}), more than \
                 the memory budget of {}; {}, or {raise}",
                worst.what,
                human(worst.bytes),
                human(budget as u128),
                worst.fix
            ),
        ))
    }
}

/// Bytes as "1.9 GiB", "312 MiB" or "20 KiB".
pub fn human(bytes: u128) -> String {
    let b = bytes as f64;
    if bytes >= 1 << 40 {
        format!("{:.1} TiB", b / (1u64 << 40) as f64)
    } else if bytes >= 1 << 30 {
        format!("{:.1} GiB", b / (1u64 << 30) as f64)
    } else if bytes >= 1 << 20 {
        format!("{:.0} MiB", b / (1u64 << 20) as f64)
    } else {
        format!("{:.0} KiB", b / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A footprint of a `width` × `height` map with one district (the budget tests' shape).
    fn map_of(width: u64, height: u64, ticks: u64, districts: u64) -> Footprint {
        Footprint {
            width,
            height,
            ticks,
            districts,
            sector: 5,
            ..Footprint::default()
        }
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("-1G").is_err());
    }

    /// A tall, narrow map keeps the picture scale that suits its width: its pictures, not its
    /// cells, are what a run cannot afford (1 × 200,000 peaked at 5.6 GB before this term).
    #[test]
    fn a_tall_narrow_maps_pictures_count() {
        let f = map_of(1, 200_000, 2, 1);
        let (field, msg) = f.check(DEFAULT_MEMORY_BUDGET).expect("refused");
        assert_eq!(field, &["map"]);
        assert!(msg.contains("the pictures of the map alone"), "{msg}");
    }

    /// Where the fixed part of any run is most of the need, the message says so and asks for
    /// a size in the unit a user types (it blamed a 4 MiB term and advised `--memory-budget 1G`).
    #[test]
    fn a_tiny_budget_is_told_the_fixed_part() {
        let f = map_of(100, 60, 365, 4);
        let (_, msg) = f.check(10 << 20).expect("refused");
        assert!(
            msg.contains("every run needs whatever the scenario")
                && msg.contains("--memory-budget ")
                && msg.contains("M`")
                && msg.contains("--session-memory"),
            "{msg}"
        );
    }

    #[test]
    fn a_14142_square_map_is_over_the_default_budget() {
        let f = map_of(14_142, 14_142, 365, 1);
        let (field, msg) = f.check(DEFAULT_MEMORY_BUDGET).expect("refused");
        assert_eq!(field, &["map"]);
        assert!(
            // The map's arrays (6.0 GiB) and its pictures at a pixel a cell (5.6 GiB).
            msg.contains("11.6 GiB")
                && msg.contains("the map alone: 6.0 GiB")
                && msg.contains("--memory-budget 12G"),
            "{msg}"
        );
    }
}
