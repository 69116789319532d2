//! What is recorded each tick: one [`TickRow`] for the whole map and one [`DistrictRow`] per
//! district, appended to the [`Recorder`] by the last system of the tick.
//!
//! Sums of floating-point values go through [`FixedSum`] (fixed-point integers), which add up to
//! the same bits in any order: metrics never depend on query iteration order or thread count.

pub use crate::world::FixedSum;
use crate::world::citizens::fold_chunks;
use crate::world::{
    Citizens, Clock, Conduct, Config, DistrictState, Grid, HostConsent, Intel, Mission, Operating,
    Partner, PartnerTrust, Politics, Roster, Standing, Supply, Tally, Totals, Unit,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use serde::Serialize;
use std::sync::Arc;

/// The components of stability, each in [0, 1] with 1 the stable end.
#[derive(Debug, Clone, Copy)]
pub struct Components {
    pub calm: f64,
    pub liberty: f64,
    pub consent: f64,
    pub security: f64,
    pub safety: f64,
    pub settled: f64,
}

/// The stability composite: the weighted mean of the components (docs/MODEL.md §3.12).
pub fn stability(w: &crate::scenario::StabilityFile, c: Components) -> f64 {
    let total = w.calm + w.liberty + w.consent + w.security + w.safety + w.settled;
    if total <= 0.0 {
        return c.calm;
    }
    (w.calm * c.calm
        + w.liberty * c.liberty
        + w.consent * c.consent
        + w.security * c.security
        + w.safety * c.safety
        + w.settled * c.settled)
        / total
}

/// Whole-map metrics at the end of one tick. Shares are of the whole population.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TickRow {
    pub tick: u32,
    pub population: u32,
    pub quiescent: u32,
    pub active: u32,
    pub detained: u32,
    /// Citizens displaced from their homes (off the map; docs/MODEL.md §3.20).
    pub displaced: u32,
    /// Citizens who turned active this tick.
    pub incidents: u32,
    pub detentions: u32,
    pub harm_incidents: u32,
    /// Spoiler attacks on civilians this tick (also counted in `harm_incidents`).
    pub spoiler_attacks: u32,
    #[serde(rename = "trust")]
    pub mean_trust: f64,
    #[serde(rename = "hardship")]
    pub mean_hardship: f64,
    #[serde(rename = "grievance")]
    pub mean_grievance: f64,
    /// Share of free citizens at home (quiescent or active) with an operating patrol in vision.
    pub security_coverage: f64,
    /// Share of citizens reached by aid within the last `aid.coverage_window` ticks.
    pub aid_coverage: f64,
    /// Population-weighted mean of the districts' Athena coverage.
    pub athena_coverage: f64,
    /// The stability composite: weighted mean of calm, liberty, consent (= mean_trust),
    /// security (= security_coverage), safety (= 1 − spoiler_strength) and settled;
    /// docs/MODEL.md §3.15.
    pub stability: f64,
    /// 1 − active / population (violence; what `stability` meant before the composite).
    pub calm: f64,
    /// 1 − detained / population (the burden of detention).
    pub liberty: f64,
    /// 1 − displaced / population (refugees and IDPs).
    pub settled: f64,
    /// Population-weighted mean spoiler strength S_d.
    pub spoiler_strength: f64,
    /// Citizens who fled their homes this tick, and who came back.
    pub fled: u32,
    pub returned: u32,
    /// Total supply in stock / total capacity, over all partners.
    pub supply_level: f64,
    pub units_operating: u32,
    pub units_fielded: u32,
    pub convoys_arrived: u32,
    pub convoys_lost: u32,
    pub cost: f64,
    pub cost_cumulative: f64,
    /// Mean trust τ over pairs of engaged partners; with fewer than two, the last value (1 if
    /// there never were two).
    pub partner_trust: f64,
    /// Share of current hotspot sectors known to at least one engaged force.
    pub info_coverage: f64,
    /// Hotspot reports partners sent each other this tick.
    pub shared_reports: u32,
    pub misconduct_incidents: u32,
    pub casualties: u32,
    pub partners_engaged: u32,
    /// Mean political commitment of engaged partners.
    #[serde(rename = "partner_commitment")]
    pub mean_commitment: f64,
    /// Credibility of the forces on the ground (κ of the trust update).
    pub mission_credibility: f64,
    /// The host government's consent to the mission (docs/MODEL.md §3.19).
    pub host_consent: f64,
    /// Model II: living citizens of the first and second group (the second is
    /// `violence.group_b_share` of the population).
    #[serde(rename = "living_first_group")]
    pub group_a: u32,
    #[serde(rename = "living_second_group")]
    pub group_b: u32,
    /// Model II: citizens killed by actives of the other group this tick, and births.
    pub killings: u32,
    pub births: u32,
}

/// One district's metrics at the end of one tick. Shares are of the district's residents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DistrictRow {
    pub tick: u32,
    /// The district's name, shared by every row of the run (a clone is a count, not a copy:
    /// recording a tick allocates nothing).
    pub district: Arc<str>,
    pub residents: u32,
    pub active: u32,
    pub detained: u32,
    /// Citizens displaced from the district (counted in `residents`, which is everyone who
    /// lives there, at home or not).
    pub displaced: u32,
    // Means and shares over the residents: `None` (an empty cell in districts.csv, null in
    // JSON) for a district nobody lives in; there is nothing to average.
    #[serde(rename = "trust")]
    pub mean_trust: Option<f64>,
    #[serde(rename = "hardship")]
    pub mean_hardship: Option<f64>,
    pub security_coverage: Option<f64>,
    pub aid_coverage: Option<f64>,
    pub athena_coverage: f64,
    /// Security level σ_d used for aid access.
    pub security_level: f64,
    /// The stability composite of the district (weights as for the whole map).
    pub stability: Option<f64>,
    pub calm: Option<f64>,
    pub liberty: Option<f64>,
    pub settled: Option<f64>,
    /// Spoiler strength S_d.
    pub spoiler_strength: f64,
}

/// One partner's standing in one district at the end of one tick (docs/MODEL.md §3.17).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PartnerRow {
    pub tick: u32,
    /// Names shared by every row of the run, as [`DistrictRow::district`].
    pub partner: Arc<str>,
    pub district: Arc<str>,
    /// Trust of the district's residents in this partner, A_pd.
    pub community_trust: f64,
    /// Residents its aid or liaison teams served this tick.
    pub served: u32,
}

/// Every row recorded so far in this run.
#[derive(Resource, Debug, Clone, Default)]
pub struct Recorder {
    pub ticks: Vec<TickRow>,
    pub districts: Vec<DistrictRow>,
    pub partners: Vec<PartnerRow>,
    /// The districts' and the partners' names as the rows share them, made on the first tick.
    names: RowNames,
}

/// District and partner names, each allocated once per run and shared by its rows.
#[derive(Debug, Clone, Default)]
struct RowNames {
    districts: Vec<Arc<str>>,
    /// By roster index.
    partners: Vec<Arc<str>>,
}

impl Recorder {
    /// Room for `ticks` more ticks of tick and district rows (`districts` districts), so that
    /// recording them moves nothing; the memory budget (`scenario::limits`) counts these rows.
    /// Partner rows are left to grow: only engaged partners have them, so their number is not
    /// known ahead, and reserving for every partner could claim far more than a run uses.
    pub fn reserve(&mut self, ticks: usize, districts: usize) {
        self.ticks.reserve(ticks);
        self.districts.reserve(ticks * districts);
    }
}

impl RowNames {
    /// Make the districts' names, on first use.
    fn districts_of(&mut self, s: &crate::scenario::Scenario) {
        if self.districts.len() != s.districts.len() {
            self.districts = s
                .districts
                .iter()
                .map(|d| Arc::from(d.name.as_str()))
                .collect();
        }
    }
}

/// Append each engaged partner's standing in each district (after [`record`]).
pub fn record_standing(
    config: Res<Config>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    standing: Res<Standing>,
    mut recorder: ResMut<Recorder>,
    partners: Query<(&Partner, &Politics)>,
) {
    let s = &config.0;
    let recorder = &mut *recorder;
    if recorder.names.partners.len() != roster.partners.len() {
        recorder.names.partners = (roster.partners.iter())
            .map(|&e| {
                Arc::from(
                    partners
                        .get(e)
                        .expect("roster lists partners")
                        .0
                        .name
                        .as_str(),
                )
            })
            .collect();
    }
    recorder.names.districts_of(s);
    let (names, rows) = (&recorder.names, &mut recorder.partners);
    for (k, &e) in roster.partners.iter().enumerate() {
        let (_, politics) = partners.get(e).expect("roster lists partners");
        if !politics.engaged {
            continue;
        }
        for (d, district) in names.districts.iter().enumerate() {
            rows.push(PartnerRow {
                tick: clock.tick,
                partner: names.partners[k].clone(),
                district: district.clone(),
                community_trust: standing.get(k, d),
                served: standing.served(k, d),
            });
        }
    }
}

/// What the recorder reads of the mission as a whole.
#[derive(SystemParam)]
pub struct MissionView<'w> {
    roster: Res<'w, Roster>,
    intel: Res<'w, Intel>,
    partner_trust: Res<'w, PartnerTrust>,
    mission: Res<'w, Mission>,
    consent: Res<'w, HostConsent>,
}

/// What the recorder reads of this tick: the scenario, the day, the map, the counters and
/// running totals, and the district picture.
#[derive(SystemParam)]
pub struct TickView<'w> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    grid: Res<'w, Grid>,
    tally: Res<'w, Tally>,
    totals: Res<'w, Totals>,
    districts: Res<'w, DistrictState>,
}

/// What the recorder reads of partners and their units: which units operate, each partner's
/// supply, kind and politics.
#[derive(SystemParam)]
pub struct PartnersView<'w, 's> {
    units: Query<'w, 's, &'static Operating, With<Unit>>,
    supplies: Query<'w, 's, &'static Supply>,
    partners: Query<'w, 's, (&'static Partner, &'static Politics)>,
}

/// Citizen counts and sums of one district (or, merged, of the whole map).
#[derive(Clone, Copy, Default)]
struct Acc {
    n: u32,
    quiescent: u32,
    active: u32,
    detained: u32,
    displaced: u32,
    secure: u32,
    aided: u32,
    trust: FixedSum,
    hardship: FixedSum,
    grievance: FixedSum,
}

impl Acc {
    /// Security coverage: the share of free citizens at home (quiescent or active) with an
    /// operating patrol in sight. The detained and the displaced are not in it: liberty and
    /// settled count them, and counting them here too made mass detention read as insecurity
    /// twice over (0 where no one is free).
    fn security(&self) -> f64 {
        share(self.secure, self.quiescent + self.active)
    }

    fn merge(&mut self, a: &Acc) {
        self.n += a.n;
        self.quiescent += a.quiescent;
        self.active += a.active;
        self.detained += a.detained;
        self.displaced += a.displaced;
        self.secure += a.secure;
        self.aided += a.aided;
        self.trust.merge(a.trust);
        self.hardship.merge(a.hardship);
        self.grievance.merge(a.grievance);
    }
}

/// What the recorder needs of one partner, in roster order.
#[derive(Clone, Copy)]
struct PartnerState {
    engaged: bool,
    is_force: bool,
    commitment: f64,
}

/// Buffers reused from tick to tick.
#[derive(Default)]
pub struct RecordScratch {
    /// Accumulators by district.
    per_d: Vec<Acc>,
    partners: Vec<PartnerState>,
    /// Engaged partners, and the forces among them (ids, ascending).
    engaged: Vec<usize>,
    forces: Vec<usize>,
    /// Hotspot sectors: those holding an active citizen.
    hot: Vec<bool>,
    /// What each chunk of citizens adds up (`world::citizens::fold_chunks`).
    parts: Vec<CitizenPart>,
}

/// One chunk of citizens, accumulated: by district, the living, and the sectors of its actives.
#[derive(Default)]
struct CitizenPart {
    per_d: Vec<Acc>,
    living: Living,
    hot: Vec<u32>,
}

/// Living citizens beyond the district accumulators: all of them, and the second group's.
#[derive(Clone, Copy, Default)]
struct Living {
    all: u32,
    group_b: u32,
}

/// The districts merged into the whole map, with the population-weighted sums of Athena
/// coverage and spoiler strength.
#[derive(Clone, Copy, Default)]
struct MapSums {
    all: Acc,
    athena: FixedSum,
    spoiled: FixedSum,
}

/// Mission-wide figures of the tick row: units, supply, partners and information.
#[derive(Clone, Copy)]
struct MissionFigures {
    units_operating: u32,
    units_fielded: u32,
    supply_level: f64,
    partner_trust: f64,
    partners_engaged: u32,
    mean_commitment: f64,
    info_coverage: f64,
}

fn share(x: u32, n: u32) -> f64 {
    if n == 0 { 0.0 } else { x as f64 / n as f64 }
}

/// The recording system (last of the tick): citizens accumulated by district, the district rows,
/// the mission-wide figures, then the tick row.
pub fn record(
    tick: TickView,
    mut recorder: ResMut<Recorder>,
    whole: MissionView,
    citizens: Res<Citizens>,
    agents: PartnersView,
    mut scratch: Local<RecordScratch>,
) {
    let scratch = &mut *scratch;
    let living = accumulate_citizens(&tick, &whole, &citizens, scratch);
    let map = district_rows(&tick, &scratch.per_d, &mut recorder);
    let figures = mission_figures(&tick, &whole, &agents, &recorder, scratch);
    let row = tick_row(&tick, &whole, living, &map, figures);
    recorder.ticks.push(row);
}

/// One pass over the citizens: the living counted by district (into `per_d`) and by group, and
/// the hotspot sectors marked (into `hot`).
fn accumulate_citizens(
    tick: &TickView,
    whole: &MissionView,
    citizens: &Citizens,
    scratch: &mut RecordScratch,
) -> Living {
    let s = &tick.config.0;
    let (grid, intel) = (&tick.grid, &whole.intel);
    let window = s.aid.coverage_window;
    let now = tick.clock.tick;
    let RecordScratch {
        per_d, hot, parts, ..
    } = scratch;
    let n_d = s.districts.len();
    let c = citizens;
    // Per chunk of citizens (in parallel for large worlds), then merged in chunk order: counts
    // and fixed-point sums, so the same bits however the chunks ran.
    fold_chunks(c.len(), parts, |ids, part| {
        part.per_d.clear();
        part.per_d.resize(n_d, Acc::default());
        part.living = Living::default();
        part.hot.clear();
        for i in ids {
            let conduct = c.conduct[i];
            if conduct == Conduct::Dead {
                continue;
            }
            let cell = c.cell[i];
            if conduct == Conduct::Active {
                let sector = intel.sector_of(cell);
                if part.hot.last() != Some(&sector) {
                    part.hot.push(sector);
                }
            }
            part.living.all += 1;
            part.living.group_b += (c.group_of(i) == 1) as u32;
            let a = &mut part.per_d[grid.district_of(cell) as usize];
            a.n += 1;
            match conduct {
                Conduct::Quiescent => a.quiescent += 1,
                Conduct::Active => a.active += 1,
                Conduct::Detained(_) => a.detained += 1,
                Conduct::Displaced => a.displaced += 1,
                Conduct::Dead => {}
            }
            // Secure: free and at home, with a patrol in sight.
            let at_home = conduct.free_active().is_some();
            a.secure += (at_home && grid.patrol_sight(cell) > 0) as u32;
            let last = c.last_aid[i];
            a.aided += (last.tick > 0 && now - last.tick < window) as u32;
            a.trust.add(c.trust[i] as f64);
            a.hardship.add(c.hardship[i].current as f64);
            a.grievance.add(c.grievance(i) as f64);
        }
    });
    per_d.clear();
    per_d.resize(n_d, Acc::default());
    hot.clear();
    hot.resize(intel.sectors(), false);
    let mut living = Living::default();
    for part in parts.iter() {
        for (all, a) in per_d.iter_mut().zip(&part.per_d) {
            all.merge(a);
        }
        living.all += part.living.all;
        living.group_b += part.living.group_b;
        for &sector in &part.hot {
            hot[sector as usize] = true;
        }
    }
    living
}

/// One [`DistrictRow`] per district, appended to the recorder; returns the districts merged.
fn district_rows(tick: &TickView, per_d: &[Acc], recorder: &mut Recorder) -> MapSums {
    let s = &tick.config.0;
    let districts = &tick.districts;
    let mut map = MapSums::default();
    recorder.names.districts_of(s);
    let (names, rows) = (&recorder.names.districts, &mut recorder.districts);
    for (d, a) in per_d.iter().enumerate() {
        map.all.merge(a);
        map.athena.add(districts.coverage[d] * a.n as f64);
        map.spoiled.add(districts.spoilers[d] * a.n as f64);
        let per = |x: f64| (a.n > 0).then_some(x);
        rows.push(DistrictRow {
            tick: tick.clock.tick,
            district: names[d].clone(),
            residents: a.n,
            active: a.active,
            detained: a.detained,
            displaced: a.displaced,
            mean_trust: per(a.trust.mean(a.n as u64)),
            mean_hardship: per(a.hardship.mean(a.n as u64)),
            security_coverage: per(a.security()),
            aid_coverage: per(share(a.aided, a.n)),
            athena_coverage: districts.coverage[d],
            security_level: districts.security[d],
            stability: per(stability(
                &s.stability,
                Components {
                    calm: 1.0 - share(a.active, a.n),
                    liberty: 1.0 - share(a.detained, a.n),
                    consent: a.trust.mean(a.n as u64),
                    security: a.security(),
                    safety: 1.0 - districts.spoilers[d],
                    settled: 1.0 - share(a.displaced, a.n),
                },
            )),
            calm: per(1.0 - share(a.active, a.n)),
            liberty: per(1.0 - share(a.detained, a.n)),
            settled: per(1.0 - share(a.displaced, a.n)),
            spoiler_strength: districts.spoilers[d],
        });
    }
    map
}

/// Units operating and fielded, the supply level, partners' engagement, commitment and mutual
/// trust, and how many hotspot sectors (marked in `scratch.hot`) an engaged force knows of.
fn mission_figures(
    tick: &TickView,
    whole: &MissionView,
    agents: &PartnersView,
    recorder: &Recorder,
    scratch: &mut RecordScratch,
) -> MissionFigures {
    let s = &tick.config.0;
    let (mut operating, mut fielded) = (0u32, 0u32);
    for op in &agents.units {
        fielded += 1;
        operating += op.0 as u32;
    }
    let (mut stock, mut capacity) = (FixedSum::default(), FixedSum::default());
    for sup in &agents.supplies {
        stock.add(sup.stock / 1e6);
        capacity.add(sup.capacity / 1e6);
    }
    // Partners: engagement, commitment, mutual trust.
    let RecordScratch {
        partners,
        engaged,
        forces,
        hot,
        ..
    } = scratch;
    partners.clear();
    partners.extend(whole.roster.partners.iter().map(|&e| {
        let (p, pol) = agents.partners.get(e).expect("roster lists partners");
        PartnerState {
            engaged: pol.engaged,
            is_force: p.is_force,
            commitment: pol.commitment,
        }
    }));
    engaged.clear();
    engaged.extend((0..partners.len()).filter(|&p| partners[p].engaged));
    let mut tau = FixedSum::default();
    let mut pairs = 0u64;
    for (k, &i) in engaged.iter().enumerate() {
        for &j in &engaged[k + 1..] {
            tau.add(whole.partner_trust.get(i, j));
            pairs += 1;
        }
    }
    let mut commitment = FixedSum::default();
    engaged
        .iter()
        .for_each(|&p| commitment.add(partners[p].commitment));
    // Information: hotspot sectors now, and whether an engaged force knows each.
    forces.clear();
    forces.extend(engaged.iter().copied().filter(|&p| partners[p].is_force));
    let (mut hot_n, mut known_n) = (0u32, 0u32);
    for (sector, _) in hot.iter().enumerate().filter(|(_, h)| **h) {
        hot_n += 1;
        known_n += forces.iter().any(|&p| {
            whole
                .intel
                .knows(p, sector, tick.clock.tick, s.intel.memory)
        }) as u32;
    }
    MissionFigures {
        units_operating: operating,
        units_fielded: fielded,
        supply_level: if capacity.is_zero() {
            0.0
        } else {
            stock.total() / capacity.total()
        },
        // With fewer than two engaged partners there is no pair to trust: the value is held
        // where it was (1 for a mission that never had two), so partners leaving never reads as
        // trust rising.
        partner_trust: if pairs == 0 {
            recorder.ticks.last().map_or(1.0, |r| r.partner_trust)
        } else {
            tau.mean(pairs)
        },
        partners_engaged: engaged.len() as u32,
        mean_commitment: commitment.mean(engaged.len() as u64),
        info_coverage: if hot_n == 0 {
            1.0
        } else {
            known_n as f64 / hot_n as f64
        },
    }
}

/// The whole-map [`TickRow`] from the merged districts, the mission-wide figures and the tick's
/// counters.
fn tick_row(
    tick: &TickView,
    whole: &MissionView,
    living: Living,
    map: &MapSums,
    figures: MissionFigures,
) -> TickRow {
    let s = &tick.config.0;
    let tally = &tick.tally;
    let MapSums {
        all,
        athena,
        spoiled,
    } = map;
    let n = all.n as u64;
    TickRow {
        tick: tick.clock.tick,
        population: all.n,
        quiescent: all.quiescent,
        active: all.active,
        detained: all.detained,
        displaced: all.displaced,
        incidents: tally.incidents,
        detentions: tally.detentions,
        harm_incidents: tally.harm_incidents,
        spoiler_attacks: tally.spoiler_attacks,
        mean_trust: all.trust.mean(n),
        mean_hardship: all.hardship.mean(n),
        mean_grievance: all.grievance.mean(n),
        security_coverage: all.security(),
        aid_coverage: share(all.aided, all.n),
        athena_coverage: athena.mean(n),
        stability: stability(
            &s.stability,
            Components {
                calm: 1.0 - share(all.active, all.n),
                liberty: 1.0 - share(all.detained, all.n),
                consent: all.trust.mean(n),
                security: all.security(),
                safety: 1.0 - spoiled.mean(n),
                settled: 1.0 - share(all.displaced, all.n),
            },
        ),
        calm: 1.0 - share(all.active, all.n),
        liberty: 1.0 - share(all.detained, all.n),
        settled: 1.0 - share(all.displaced, all.n),
        spoiler_strength: spoiled.mean(n),
        fled: tally.fled,
        returned: tally.returned,
        supply_level: figures.supply_level,
        units_operating: figures.units_operating,
        units_fielded: figures.units_fielded,
        convoys_arrived: tally.convoys_arrived,
        convoys_lost: tally.convoys_lost,
        cost: tally.cost,
        cost_cumulative: tick.totals.cost,
        partner_trust: figures.partner_trust,
        info_coverage: figures.info_coverage,
        shared_reports: tally.shared_reports,
        misconduct_incidents: tally.misconduct,
        casualties: tally.casualties,
        partners_engaged: figures.partners_engaged,
        mean_commitment: figures.mean_commitment,
        mission_credibility: whole.mission.credibility,
        host_consent: whole.consent.0,
        group_a: living.all - living.group_b,
        group_b: living.group_b,
        killings: tally.killings,
        births: tally.births,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_sum_is_order_independent() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 / 997.0)
            .collect();
        let mut a = FixedSum::default();
        let mut b = FixedSum::default();
        xs.iter().for_each(|&x| a.add(x));
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a.total().to_bits(), b.total().to_bits());
        assert!((a.total() - xs.iter().sum::<f64>()).abs() < 1e-6);
    }
}
