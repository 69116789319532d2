//! The map: size within the cell and memory limits, legend or tiled districts.

use super::*;

/// Check the map and build its cells. `over_budget(issues, width, height)` is asked before
/// anything of the map's size is allocated; it records a problem and returns `true` to stop.
pub(super) fn validate_map(
    m: &MapFile,
    district_index: &BTreeMap<&str, usize>,
    n_districts: usize,
    issues: &mut Issues,
    over_budget: &mut dyn FnMut(&mut Issues, u64, u64) -> bool,
) -> Option<MapSpec> {
    let path = root().key("map");
    let before = issues.len();
    if m.block == 0 {
        issues.push((path.key("block"), "block 0; use a whole number ≥ 1".into()));
        return None;
    }
    if n_districts > MAX_DISTRICTS {
        // Cells hold 16-bit district indices; the count was reported with the districts.
        return None;
    }
    let (width, height, cells) = if m.rows.is_empty() {
        if !m.legend.is_empty() {
            issues.push((
                path.key("legend"),
                "a legend needs `rows` to draw the map".into(),
            ));
        }
        let (Some(w), Some(h)) = (m.width, m.height) else {
            issues.push((
                path.clone(),
                "the map needs either `rows` (drawn with a legend) or `width` and `height` (districts tiled in order)"
                    .into(),
            ));
            return None;
        };
        if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_CELLS {
            issues.push((
                path.key("width"),
                format!(
                    "a {w}×{h} map; both sides must be ≥ 1 and the area at most {MAX_CELLS} cells"
                ),
            ));
            return None;
        }
        if n_districts == 0 || over_budget(issues, w as u64, h as u64) {
            return None;
        }
        (w, h, tile_districts(w, h, n_districts))
    } else {
        if m.width.is_some() || m.height.is_some() {
            issues.push((
                path.key("width"),
                "width/height come from `rows` × `block`; remove width and height".into(),
            ));
        }
        let mut legend: BTreeMap<char, usize> = BTreeMap::new();
        for (key, name) in &m.legend {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                issues.push((
                    path.key("legend").key(key),
                    format!("legend key \"{key}\" must be a single character"),
                ));
                continue;
            };
            let at = path.key("legend").key(key);
            if let Some(d) = named(district_index, "district", name, at, issues) {
                legend.insert(c, d);
            }
        }
        // First characters of every legend key: a row character that starts a (too long) key
        // is reported with that key, not again with the row.
        let key_starts: BTreeSet<char> = m.legend.keys().filter_map(|k| k.chars().next()).collect();
        let cols = m.rows[0].chars().count();
        for (r, row) in m.rows.iter().enumerate() {
            let chars = row.chars().count();
            if chars != cols {
                issues.push((
                    path.key("rows").index(r),
                    format!(
                        "row {r} has {chars} characters but row 0 has {cols}; every row must be as wide",
                    ),
                ));
            }
            for ch in row.chars() {
                if !legend.contains_key(&ch) && !key_starts.contains(&ch) {
                    issues.push((
                        path.key("rows").index(r),
                        format!(
                            "character '{ch}' is not in [map.legend]; add `\"{ch}\" = \"<district>\"`"
                        ),
                    ));
                    break;
                }
            }
        }
        // Checked products: `block` × columns × rows can exceed even 64 bits.
        let w = (cols as u64).checked_mul(m.block as u64);
        let h = (m.rows.len() as u64).checked_mul(m.block as u64);
        let area = w.zip(h).and_then(|(w, h)| w.checked_mul(h));
        let (w, h) = match (w, h, area) {
            (Some(w), Some(h), Some(area)) if w > 0 && area <= MAX_CELLS => (w, h),
            _ => {
                issues.push((
                    path.key("rows"),
                    format!(
                        "{} rows of {cols} characters with block = {} make a map of more than \
                         {MAX_CELLS} cells (or an empty one); draw fewer or shorter rows, or use a \
                         smaller block",
                        m.rows.len(),
                        m.block
                    ),
                ));
                return None;
            }
        };
        if issues.len() != before || over_budget(issues, w, h) {
            return None;
        }
        // Both sides are at most MAX_CELLS here, so every index below fits in u32.
        let (w, h) = (w as u32, h as u32);
        let mut cells = vec![0u16; w as usize * h as usize];
        for (r, row) in m.rows.iter().enumerate() {
            for (c, ch) in row.chars().enumerate() {
                let d = legend[&ch] as u16;
                for dy in 0..m.block {
                    for dx in 0..m.block {
                        let x = c as u32 * m.block + dx;
                        let y = r as u32 * m.block + dy;
                        cells[(y * w + x) as usize] = d;
                    }
                }
            }
        }
        (w, h, cells)
    };
    (issues.len() == before).then_some(MapSpec {
        width,
        height,
        torus: m.torus,
        district_of_cell: cells,
    })
}

/// Tile `n` districts over a `w`×`h` grid as near-equal rectangles, row by row.
/// (`w`·`h` ≤ [`MAX_CELLS`], 1 ≤ `n` ≤ [`MAX_DISTRICTS`]; products are taken in u64, as
/// `y · rows` can pass 2³² on a tall map.)
pub(super) fn tile_districts(w: u32, h: u32, n: usize) -> Vec<u16> {
    let cols = (n as f64).sqrt().ceil() as u64;
    let rows = (n as u64).div_ceil(cols);
    let (w64, h64) = (w as u64, h as u64);
    let mut cells = vec![0u16; w as usize * h as usize];
    for y in 0..h64 {
        let r = (y * rows / h64).min(rows - 1);
        for x in 0..w64 {
            let c = (x * cols / w64).min(cols - 1);
            // Districts past the last one fold into the last (when n is not a full rectangle).
            let d = (r * cols + c).min(n as u64 - 1);
            cells[(y * w64 + x) as usize] = d as u16;
        }
    }
    cells
}
