//! The floor of issue 16's million world: how fast can *one core of this machine* run the two
//! phases every simultaneous tick needs, written with none of peacesim's bookkeeping?
//!
//! A stand-alone program (no dependencies; `bash benches/floor.sh` builds and runs it). It is a
//! measurement, not a model: it keeps only what any implementation of the move and decision
//! rules must do at 10⁶ citizens on a 1196² torus (density 0.7, square vision 7):
//!   1. decisions: A (actives in vision) from a sliding window of column sums and a row prefix,
//!      C from a fixed per-cell count, Epstein's rule G − R·P > T for every citizen;
//!   2. proposals: each citizen draws a uniformly random empty cell in its vision from its own
//!      counter-based stream (SplitMix64 of (tick, id), as peacesim's `rng::Keyed`) by rejection
//!      (up to 16 tries) and bids for it with its priority (a smallest-wins claim per cell);
//!   3. the claims scanned and cleared (the moves themselves are not applied).
//! Everything sits in the friendliest layout: one 16-byte record per cell, a byte of occupancy
//! per cell for the probes, no lists, no ids to chase, no atomics. Enforcement, trust, harm,
//! terms and metrics are left out. Whatever this costs, the whole tick costs more.
//!
//! Two other ways to make the same proposals, timed beside the first on request:
//! - `SIMD=1`: the same rejection sampling eight citizens at a time with AVX-512 (x86-64 with
//!   avx512f/dq/vl/bw, detected at run time): the same draws, so the same claims (checked);
//! - `BITS=1`: an exact sampler that needs no rejection: count the empty cells of the vision from
//!   per-row bitmaps (popcount of 15-bit windows), draw one index, select its bit.

use std::time::Instant;

const W: usize = 1196;
const H: usize = 1196;
/// Vision radius (square, 15 × 15 cells).
const V: i32 = 7;
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
const EMPTY: u32 = u32::MAX;

/// One cell's citizen (`id == EMPTY`: nobody).
#[derive(Clone, Copy)]
struct Rec {
    hardship: f32,
    risk: f32,
    trust: f32,
    id: u32,
}

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `v` wrapped into `0..n` (one step either way is enough here).
#[inline]
fn wrap(v: i32, n: usize) -> usize {
    let n = n as i32;
    (if v < 0 {
        v + n
    } else if v >= n {
        v - n
    } else {
        v
    }) as usize
}

/// A citizen's stream this tick, and its priority (the stream's first draw, id below).
#[inline]
fn stream(tick: u64, id: u32) -> (u64, u64) {
    let mut st = 0x1234 ^ mix64(((tick << 32) | id as u64).wrapping_add(GAMMA));
    st = st.wrapping_add(GAMMA);
    (st, (mix64(st) & !0xFFFF_FFFF) | id as u64)
}

struct World {
    cells: Vec<Rec>,
    occupied: Vec<u8>,
    active: Vec<u8>,
    patrol_sight: Vec<u16>,
    claim: Vec<u64>,
}

fn world() -> World {
    let n = W * H;
    let none = Rec {
        hardship: 0.0,
        risk: 0.0,
        trust: 0.0,
        id: EMPTY,
    };
    let mut cells = vec![none; n];
    let mut placed = 0u32;
    let mut s = 12345u64;
    for cell in cells.iter_mut() {
        s = s.wrapping_add(GAMMA);
        let r = mix64(s);
        if placed < 1_000_000 && r % 1000 < 700 {
            *cell = Rec {
                hardship: (r >> 40) as f32 / (1u64 << 24) as f32,
                risk: ((r >> 8) & 0xFFFF) as f32 / 65536.0,
                trust: 0.82,
                id: placed,
            };
            placed += 1;
        }
    }
    World {
        occupied: cells.iter().map(|r| (r.id != EMPTY) as u8).collect(),
        cells,
        active: vec![0; n],
        patrol_sight: (0..n).map(|c| (mix64(c as u64) % 3) as u16).collect(),
        claim: vec![u64::MAX; n],
    }
}

fn decisions(w: &mut World) -> u32 {
    let (mut colsum, mut prefix) = (vec![0u32; W], vec![0u32; W + 1]);
    for dy in -V..=V {
        let y = wrap(dy, H);
        for (x, c) in colsum.iter_mut().enumerate() {
            *c += w.active[y * W + x] as u32;
        }
    }
    let mut flips = 0;
    for y in 0..H {
        for x in 0..W {
            prefix[x + 1] = prefix[x] + colsum[x];
        }
        let total = prefix[W];
        for x in 0..W {
            let c = y * W + x;
            let r = w.cells[c];
            if r.id == EMPTY {
                continue;
            }
            let (lo, hi) = (x as i32 - V, x as i32 + V);
            let seen = if lo >= 0 && hi < W as i32 {
                prefix[hi as usize + 1] - prefix[lo as usize]
            } else if lo < 0 {
                prefix[hi as usize + 1] + total - prefix[(lo + W as i32) as usize]
            } else {
                total - prefix[lo as usize] + prefix[(hi - W as i32) as usize + 1]
            };
            let ratio = (w.patrol_sight[c] as f32 / (1.0 + seen as f32)).floor();
            let p = 1.0 - (-2.3 * ratio).exp();
            let act = (r.hardship * (1.0 - r.trust) - r.risk * p > 0.1) as u8;
            flips += (act != w.active[c]) as u32;
            w.active[c] = act;
        }
        let (out, into) = (wrap(y as i32 - V, H), wrap(y as i32 + V + 1, H));
        for (x, c) in colsum.iter_mut().enumerate() {
            *c = *c + w.active[into * W + x] as u32 - w.active[out * W + x] as u32;
        }
    }
    flips
}

/// Rejection sampling, as peacesim's proposals (`simultaneous.rs`).
fn proposals(w: &mut World, tick: u64) {
    for y in 0..H {
        for x in 0..W {
            let id = w.cells[y * W + x].id;
            if id == EMPTY {
                continue;
            }
            let (mut st, prio) = stream(tick, id);
            for _ in 0..16 {
                st = st.wrapping_add(GAMMA);
                let k = (((mix64(st) >> 32) * 225) >> 32) as i32;
                let (dx, dy) = (k % 15 - V, k / 15 - V);
                let t = wrap(y as i32 + dy, H) * W + wrap(x as i32 + dx, W);
                if w.occupied[t] == 0 {
                    if w.claim[t] > prio {
                        w.claim[t] = prio;
                    }
                    break;
                }
            }
        }
    }
}

/// Rejection sampling as `proposals`, eight citizens at a time with AVX-512 (the same draws, so
/// the same claims).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
unsafe fn proposals_simd(w: &mut World, tick: u64, occ_padded: &[u8]) {
    use std::arch::x86_64::*;
    let g = _mm512_set1_epi64(GAMMA as i64);
    let m1 = _mm512_set1_epi64(0xBF58_476D_1CE4_E5B9u64 as i64);
    let m2 = _mm512_set1_epi64(0x94D0_49BB_1331_11EBu64 as i64);
    let mix = |z: __m512i| -> __m512i {
        let z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64::<30>(z)), m1);
        let z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64::<27>(z)), m2);
        _mm512_xor_si512(z, _mm512_srli_epi64::<31>(z))
    };
    let n225 = _mm512_set1_epi64(225);
    let n15 = _mm512_set1_epi64(15);
    let v = _mm512_set1_epi64(V as i64);
    let (wv, hv) = (_mm512_set1_epi64(W as i64), _mm512_set1_epi64(H as i64));
    let zero = _mm512_setzero_si512();
    let byte = _mm512_set1_epi64(0xFF);
    let mut xs = [0i64; 8];
    let mut ids = [0i64; 8];
    let mut out = [0i64; 8];
    for y in 0..H {
        let yv = _mm512_set1_epi64(y as i64);
        let mut x = 0;
        while x < W {
            let mut lanes = 0;
            while lanes < 8 && x < W {
                let id = w.cells[y * W + x].id;
                if id != EMPTY {
                    xs[lanes] = x as i64;
                    ids[lanes] = id as i64;
                    lanes += 1;
                }
                x += 1;
            }
            if lanes == 0 {
                break;
            }
            // SAFETY: eight i64 in each array.
            let (idv, xv) = unsafe {
                (
                    _mm512_loadu_si512(ids.as_ptr() as *const _),
                    _mm512_loadu_si512(xs.as_ptr() as *const _),
                )
            };
            let seed = _mm512_add_epi64(
                _mm512_or_si512(_mm512_set1_epi64((tick << 32) as i64), idv),
                g,
            );
            let mut st = _mm512_xor_si512(_mm512_set1_epi64(0x1234), mix(seed));
            st = _mm512_add_epi64(st, g);
            let mut active: __mmask8 = ((1u32 << lanes) - 1) as u8;
            let mut found: __mmask8 = 0;
            let mut target = zero;
            for _ in 0..16 {
                if active == 0 {
                    break;
                }
                st = _mm512_add_epi64(st, g);
                let r = mix(st);
                let k = _mm512_srli_epi64::<32>(_mm512_mul_epu32(_mm512_srli_epi64::<32>(r), n225));
                // k / 15 for k < 225: (k · 0x8889) >> 19
                let dy = _mm512_srli_epi64::<19>(_mm512_mullo_epi64(k, _mm512_set1_epi64(0x8889)));
                let dx = _mm512_sub_epi64(k, _mm512_mullo_epi64(dy, n15));
                let mut tx = _mm512_sub_epi64(_mm512_add_epi64(xv, dx), v);
                let mut ty = _mm512_sub_epi64(_mm512_add_epi64(yv, dy), v);
                tx = _mm512_mask_add_epi64(tx, _mm512_cmplt_epi64_mask(tx, zero), tx, wv);
                tx = _mm512_mask_sub_epi64(tx, _mm512_cmpge_epi64_mask(tx, wv), tx, wv);
                ty = _mm512_mask_add_epi64(ty, _mm512_cmplt_epi64_mask(ty, zero), ty, hv);
                ty = _mm512_mask_sub_epi64(ty, _mm512_cmpge_epi64_mask(ty, hv), ty, hv);
                let t = _mm512_add_epi64(_mm512_mullo_epi64(ty, wv), tx);
                // SAFETY: each active lane's target is a cell (< W·H), and the occupancy has
                // 8 bytes of padding, so the 8 bytes read from it stay inside.
                let occ = unsafe {
                    _mm512_mask_i64gather_epi64::<1>(
                        zero,
                        active,
                        t,
                        occ_padded.as_ptr() as *const _,
                    )
                };
                let empty = _mm512_mask_cmpeq_epi64_mask(active, _mm512_and_si512(occ, byte), zero);
                target = _mm512_mask_mov_epi64(target, empty, t);
                found |= empty;
                active &= !empty;
            }
            let prio_draw = {
                // The priority: the stream's first draw (as `stream`), id below.
                let s0 =
                    _mm512_add_epi64(_mm512_xor_si512(_mm512_set1_epi64(0x1234), mix(seed)), g);
                _mm512_or_si512(
                    _mm512_and_si512(mix(s0), _mm512_set1_epi64(!0xFFFF_FFFFu64 as i64)),
                    idv,
                )
            };
            let mut prios = [0i64; 8];
            // SAFETY: eight i64 in each array.
            unsafe {
                _mm512_storeu_si512(prios.as_mut_ptr() as *mut _, prio_draw);
                _mm512_storeu_si512(out.as_mut_ptr() as *mut _, target);
            }
            for l in 0..lanes {
                if found & (1 << l) != 0 {
                    let t = out[l] as usize;
                    let p = prios[l] as u64;
                    if w.claim[t] > p {
                        w.claim[t] = p;
                    }
                }
            }
        }
    }
}

/// Exact sampling from emptiness bitmaps (module notes); returns the time to build them.
fn proposals_by_bits(w: &mut World, tick: u64) -> f64 {
    let t0 = Instant::now();
    let words = (W + 2 * V as usize).div_ceil(64) + 1;
    let mut bits = vec![0u64; H * words];
    for y in 0..H {
        for j in 0..W + 2 * V as usize {
            let x = (j + W - V as usize) % W;
            if w.occupied[y * W + x] == 0 {
                bits[y * words + j / 64] |= 1 << (j % 64);
            }
        }
    }
    let built = t0.elapsed().as_secs_f64();
    let (mut per, mut masks) = ([0u32; 15], [0u32; 15]);
    for y in 0..H {
        for x in 0..W {
            let id = w.cells[y * W + x].id;
            if id == EMPTY {
                continue;
            }
            let (mut st, prio) = stream(tick, id);
            let mut m = 0;
            for k in 0..15 {
                let base = wrap(y as i32 + k as i32 - V, H) * words + x / 64;
                let both = ((bits[base + 1] as u128) << 64) | bits[base] as u128;
                masks[k] = (both >> (x % 64)) as u32 & 0x7FFF;
                per[k] = masks[k].count_ones();
                m += per[k];
            }
            if m == 0 {
                continue;
            }
            st = st.wrapping_add(GAMMA);
            let mut k = (((mix64(st) >> 32) * m as u64) >> 32) as u32;
            let mut row = 0;
            while k >= per[row] {
                k -= per[row];
                row += 1;
            }
            let mut mask = masks[row];
            for _ in 0..k {
                mask &= mask - 1;
            }
            let dx = mask.trailing_zeros() as i32 - V;
            let t = wrap(y as i32 + row as i32 - V, H) * W + wrap(x as i32 + dx, W);
            if w.claim[t] > prio {
                w.claim[t] = prio;
            }
        }
    }
    built
}

fn clear_claims(w: &mut World) -> u32 {
    let mut won = 0;
    for c in w.claim.iter_mut() {
        if *c != u64::MAX {
            *c = u64::MAX;
            won += 1;
        }
    }
    won
}

fn main() {
    let ticks: u32 = std::env::args()
        .nth(1)
        .map(|t| t.parse().expect("TICKS: a whole number"))
        .unwrap_or(20);
    let bits = std::env::var("BITS").is_ok();
    #[cfg(target_arch = "x86_64")]
    let simd = std::env::var("SIMD").is_ok()
        && std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512bw");
    #[cfg(not(target_arch = "x86_64"))]
    let simd = false;
    if std::env::var("SIMD").is_ok() && !simd {
        println!(
            "SIMD=1: this machine has no AVX-512 (avx512f/dq/vl/bw); timing the scalar code only"
        );
    }
    let mut vector = 0.0;
    let mut w = world();
    let (mut dec, mut prop, mut scan, mut by_bits, mut build) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut flips, mut won) = (0, 0);
    for tick in 0..ticks as u64 {
        let a = Instant::now();
        flips += decisions(&mut w);
        let b = Instant::now();
        proposals(&mut w, tick);
        let c = Instant::now();
        won += clear_claims(&mut w);
        let d = Instant::now();
        (dec, prop, scan) = (
            dec + (b - a).as_secs_f64(),
            prop + (c - b).as_secs_f64(),
            scan + (d - c).as_secs_f64(),
        );
        #[cfg(target_arch = "x86_64")]
        if simd {
            let mut occupied = w.occupied.clone();
            occupied.extend([0u8; 8]);
            proposals(&mut w, tick);
            let scalar = w.claim.clone();
            clear_claims(&mut w);
            let e = Instant::now();
            // SAFETY: the CPU has the features (checked above).
            unsafe { proposals_simd(&mut w, tick, &occupied) };
            vector += e.elapsed().as_secs_f64();
            assert!(
                w.claim == scalar,
                "the AVX-512 proposals claimed other cells"
            );
            clear_claims(&mut w);
        }
        if bits {
            let e = Instant::now();
            build += proposals_by_bits(&mut w, tick);
            by_bits += e.elapsed().as_secs_f64();
            clear_claims(&mut w);
        }
    }
    let ms = |s: f64| s / ticks as f64 * 1e3;
    println!(
        "floor, one thread, 10^6 citizens, {ticks} ticks: {:.1} ms a tick = decisions {:.1} + \
         proposals {:.1} + claims {:.1} ({:.1} ticks/s at most)",
        ms(dec + prop + scan),
        ms(dec),
        ms(prop),
        ms(scan),
        1e3 / ms(dec + prop + scan)
    );
    if simd {
        println!(
            "the same proposals with AVX-512, eight citizens at a time (same claims): {:.1} ms",
            ms(vector)
        );
    }
    if bits {
        println!(
            "exact sampling by bitmaps instead: proposals {:.1} ms (of which building the \
             bitmaps {:.1})",
            ms(by_bits),
            ms(build)
        );
    }
    println!("(checks: {flips} flips, {won} claimed cells)");
}
