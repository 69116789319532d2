//! Supply routes: the straight line from the depot to each partner's base and the districts it
//! crosses, computed once when the world is spawned (see `systems/logistics.rs` for convoys).

use crate::scenario::Scenario;
use crate::world::Grid;
use bevy_ecs::prelude::*;

/// A supply route: the cells from the depot to a partner's base, and the districts it crosses.
#[derive(Debug, Clone, Default)]
pub struct Route {
    pub cells: Vec<u32>,
    pub districts: Vec<u16>,
}

/// The route to each partner's base, by partner id.
#[derive(Resource, Debug, Clone, Default)]
pub struct Routes(pub Vec<Route>);

/// The cell of district `d` nearest the mean position of its cells (first in row order on ties).
pub fn district_centre(grid: &Grid, d: u16) -> u32 {
    let (mut sx, mut sy, mut n) = (0.0f64, 0.0f64, 0.0f64);
    for (c, &dc) in grid.district.iter().enumerate() {
        if dc == d {
            sx += (c as u32 % grid.width) as f64;
            sy += (c as u32 / grid.width) as f64;
            n += 1.0;
        }
    }
    let (mx, my) = (sx / n.max(1.0), sy / n.max(1.0));
    let mut best = (f64::INFINITY, 0u32);
    for (c, &dc) in grid.district.iter().enumerate() {
        if dc == d {
            let (x, y) = (
                (c as u32 % grid.width) as f64,
                (c as u32 / grid.width) as f64,
            );
            let dist = (x - mx).powi(2) + (y - my).powi(2);
            if dist < best.0 {
                best = (dist, c as u32);
            }
        }
    }
    best.1
}

/// Cells of the straight line from `a` to `b` (Bresenham), both ends included.
pub fn line(grid: &Grid, a: u32, b: u32) -> Vec<u32> {
    let w = grid.width as i64;
    let (mut x, mut y) = ((a as i64) % w, (a as i64) / w);
    let (x1, y1) = ((b as i64) % w, (b as i64) / w);
    let (dx, dy) = ((x1 - x).abs(), -(y1 - y).abs());
    let (sx, sy) = (if x < x1 { 1 } else { -1 }, if y < y1 { 1 } else { -1 });
    let mut err = dx + dy;
    let mut cells = vec![(y * w + x) as u32];
    while (x, y) != (x1, y1) {
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
        cells.push((y * w + x) as u32);
    }
    cells
}

impl Routes {
    pub fn new(s: &Scenario, grid: &Grid) -> Self {
        let depot = district_centre(grid, s.depot as u16);
        Routes(
            s.partners
                .iter()
                .map(|p| {
                    let cells = line(grid, depot, district_centre(grid, p.base as u16));
                    let mut districts: Vec<u16> =
                        cells.iter().map(|&c| grid.district[c as usize]).collect();
                    districts.dedup();
                    Route { cells, districts }
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{MapSpec, VisionShape};
    use crate::world::Grid;

    #[test]
    fn line_joins_both_ends_without_gaps() {
        let map = MapSpec {
            width: 10,
            height: 10,
            torus: false,
            district_of_cell: vec![0; 100],
        };
        let g = Grid::new(&map, VisionShape::Square, 1.0, 0, false);
        let cells = line(&g, 0, 99);
        assert_eq!((cells[0], *cells.last().unwrap(), cells.len()), (0, 99, 10));
        for w in cells.windows(2) {
            let (a, b) = (w[0] as i32, w[1] as i32);
            assert!(((a % 10) - (b % 10)).abs() <= 1 && ((a / 10) - (b / 10)).abs() <= 1);
        }
    }
}
