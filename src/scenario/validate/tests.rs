use super::*;

#[test]
fn tiling_uses_every_district() {
    for n in 1..10 {
        let cells = tile_districts(30, 20, n);
        for d in 0..n {
            assert!(cells.contains(&(d as u16)), "district {d} of {n} missing");
        }
    }
}
