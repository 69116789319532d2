//! One definition per parameter: the [`params!`] macro declares a scenario table's fields with
//! their meaning, default and valid range in one place, and derives from it the serde schema
//! (missing fields take the default), `Default`, the range check used by validation, and the
//! table of parameters that docs/MODEL.md lists (`tests/scenarios.rs` checks the docs name each).
//!
//! Every scenario table of model parameters uses it (`[citizens]` … `[consent]`); the lists of
//! things (districts, partners, units, events) and `[scenario]`/`[map]` do not.

use super::FieldPath;
use super::limits::MAX_RADIUS;

/// One parameter as documented: name, default, valid range and meaning.
#[derive(Debug, Clone, Copy)]
pub struct ParamDoc {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// A count (ticks, cells, ...) rather than a quantity: range messages ask for a whole number.
    pub whole: bool,
    /// What a whole number counts (`ticks`, `cells`), or empty.
    pub unit: &'static str,
    pub meaning: &'static str,
}

/// The types a ranged parameter may have.
pub trait ParamValue: Copy {
    /// Whether values are whole numbers.
    const WHOLE: bool;
}

impl ParamValue for f64 {
    const WHOLE: bool = false;
}

impl ParamValue for u32 {
    const WHOLE: bool = true;
}

/// `x` as a message shows it: in full where that is short (`0.25`, `4294967295`), else in
/// scientific notation (`1e308`, not 309 digits; `1e-300`).
pub fn shown(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && a.is_finite() && !(1e-6..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Record a problem for each field outside its range.
pub fn check_range(
    issues: &mut Vec<(FieldPath, String)>,
    table: &FieldPath,
    docs: &[ParamDoc],
    values: &[f64],
) {
    for (d, &v) in docs.iter().zip(values) {
        if !(v.is_finite() && v >= d.min && v <= d.max) {
            let kind = match (d.whole, d.unit) {
                (false, _) => "a number".to_string(),
                (true, "") => "a whole number".to_string(),
                (true, unit) => format!("a whole number of {unit}"),
            };
            issues.push((
                table.key(d.name),
                format!(
                    "{} is out of range; use {kind} from {} to {} ({})",
                    shown(v),
                    shown(d.min),
                    shown(d.max),
                    d.meaning
                ),
            ));
        }
    }
}

/// Declare a scenario table, one line per field, in either of two forms:
///
/// - a number: `name: type = default, min..=max, "meaning";`, where a whole number may name
///   its unit after the range (`0..=MAX_RADIUS cells`) and `max` is a literal, a constant in
///   scope (e.g. `MAX_RADIUS` from `limits`) or a parenthesised expression (`(u32::MAX)`);
/// - anything else (a switch, a choice, a list, an option): `name: type = default, "meaning";`.
///
/// Both forms get the serde default and the doc comment; numbers also get the range check and
/// a row in `DOCS`. The struct derives `Debug, Clone, PartialEq` and serde; add
/// `#[derive(Copy)]` above it if every field allows.
macro_rules! params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        params!(@fields [$(#[$meta])*] $name [] [] $($body)*);
    };
    // Every field read.
    (@fields [$(#[$meta:meta])*] $name:ident
        [$( { $field:ident, $ty:ty, $default:expr, $min:literal, $max:tt, [$($unit:ident)?], $meaning:literal } )*]
        [$( { $ofield:ident, $oty:ty, $odefault:expr, $omeaning:literal } )*]
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $( #[doc = $meaning] pub $field: $ty, )*
            $( #[doc = $omeaning] pub $ofield: $oty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* $( $ofield: $odefault, )* }
            }
        }

        impl $name {
            /// Every number: name, default, range and meaning.
            pub const DOCS: &'static [$crate::scenario::params::ParamDoc] = &[
                $( $crate::scenario::params::ParamDoc {
                    name: stringify!($field),
                    default: $default as f64,
                    min: $min as f64,
                    max: $max as f64,
                    whole: <$ty as $crate::scenario::params::ParamValue>::WHOLE,
                    unit: concat!("" $(, stringify!($unit))?),
                    meaning: $meaning,
                }, )*
            ];

            /// Record every number outside its range under `table`.
            pub fn check(
                &self,
                issues: &mut Vec<($crate::scenario::FieldPath, String)>,
                table: &$crate::scenario::FieldPath,
            ) {
                $crate::scenario::params::check_range(
                    issues,
                    table,
                    Self::DOCS,
                    &[ $( self.$field as f64, )* ],
                );
            }
        }
    };
    // A number with its range.
    (@fields $metas:tt $name:ident [$($numbers:tt)*] [$($others:tt)*]
        $field:ident : $ty:ty = $default:expr, $min:literal ..= $max:tt $($unit:ident)?, $meaning:literal;
        $($rest:tt)*
    ) => {
        params!(@fields $metas $name
            [$($numbers)* { $field, $ty, $default, $min, $max, [$($unit)?], $meaning }]
            [$($others)*]
            $($rest)*);
    };
    // Anything else.
    (@fields $metas:tt $name:ident [$($numbers:tt)*] [$($others:tt)*]
        $field:ident : $ty:ty = $default:expr, $meaning:literal;
        $($rest:tt)*
    ) => {
        params!(@fields $metas $name
            [$($numbers)*]
            [$($others)* { $field, $ty, $default, $meaning }]
            $($rest)*);
    };
}

params! {
    /// `[stability]`: weights of the stability composite's components (docs/MODEL.md §3.12).
    /// Each component is in [0, 1] with 1 the stable end; stability is their weighted mean.
    #[derive(Copy)]
    pub struct StabilityFile {
        calm: f64 = 1.0, 0.0..=10.0, "weight of calm: 1 − the share of citizens in open rebellion (violence)";
        liberty: f64 = 1.0, 0.0..=10.0, "weight of liberty: 1 − the share detained (mass detention is not stability)";
        consent: f64 = 1.0, 0.0..=10.0, "weight of consent: mean community trust in the mission (PSOM)";
        security: f64 = 1.0, 0.0..=10.0, "weight of security: share of free citizens with a patrol in sight";
        safety: f64 = 1.0, 0.0..=10.0, "weight of safety from spoilers: 1 − population-weighted spoiler strength";
        settled: f64 = 1.0, 0.0..=10.0, "weight of settlement: 1 − the share of citizens displaced from their homes (FSI refugees and IDPs)";
    }
}

params! {
    /// `[displacement]`: citizens who flee danger and come back when their district is safe
    /// again (docs/MODEL.md §3.20). `flight_rate = 0` switches displacement off.
    pub struct DisplacementFile {
        flight_rate: f64 = 0.1, 0.0..=1.0, "probability per tick that a quiescent citizen with risk aversion 1 flees danger 1 (it scales with risk aversion and danger)";
        harm_weight: f64 = 1.0, 0.0..=10.0, "danger added by a trust-damaging incident (attack, harmful detention, misconduct) within the harm radius of the citizen this tick";
        return_rate: f64 = 0.02, 0.0..=1.0, "probability per tick that a displaced citizen returns to a district free of spoilers";
        return_threshold: f64 = 0.3, 0.0..=1.0, "spoiler strength of the home district at and above which nobody returns (returns fall linearly to 0 at it)";
    }
}

params! {
    /// `[spoilers]`: armed spoiler groups as a strength per district that grows by recruiting
    /// from grievance and shrinks under security operations informed by what forces know
    /// (docs/MODEL.md §3.13). `recruitment = 0` and `containment = 0` hold each district's
    /// strength at its initial `spoilers` (a fixed ceiling, as before).
    #[derive(Copy)]
    pub struct SpoilersFile {
        recruitment: f64 = 0.1, 0.0..=1.0, "logistic growth rate per tick per unit of district mean grievance";
        containment: f64 = 0.04, 0.0..=1.0, "largest share of strength removed per tick by full security coverage with full knowledge";
        blind_effectiveness: f64 = 0.3, 0.0..=1.0, "share of containment achieved when no engaged force knows where the spoilers are";
        attack_rate: f64 = 0.2, 0.0..=1.0, "probability per tick and unit of strength that spoilers attack civilians in the district";
        detect_patrol: f64 = 0.002, 0.0..=1.0, "probability per tick that an operating patrol detects the spoilers of its district (times strength)";
        detect_civilian: f64 = 0.05, 0.0..=1.0, "the same for aid and liaison teams: communities tell civilians what they hide from troops";
    }
}

params! {
    /// `[standing]`: community trust in each partner, per district (docs/MODEL.md §3.17), and
    /// humanitarian access by acceptance as well as by protection.
    #[derive(Copy)]
    pub struct StandingFile {
        service_gain: f64 = 0.3, 0.0..=10.0, "gain toward full trust in a partner per tick, times the share of the district's residents its aid or liaison teams served that tick";
        blame: f64 = 0.005, 0.0..=10.0, "loss, as a fraction of trust, in every partner associated with the mission per incident of harm by the mission per 1,000 residents of the district";
        association_pull: f64 = 0.02, 0.0..=1.0, "daily pull of trust in an associated partner toward the district's trust in the mission (it is seen as part of the mission)";
        acceptance: f64 = 1.0, 0.0..=1.0, "weight of acceptance in access: an aid team may work where acceptance × its partner's standing reaches the district's access (0: only security and escorts open access)";
        access_ramp: f64 = 0.2, 0.0..=1.0, "width of the ramp over which a district opens: a team gets in on a day with probability clamp(½ + margin / ramp, 0, 1), margin = how far security (+ escort) or acceptance × standing exceeds access (0: a sharp threshold)";
    }
}

params! {
    /// `[consent]`: the host government's consent to the mission (docs/MODEL.md §3.19), a state
    /// that the people's trust, the mission's conduct and its partners' disunity move, and below
    /// whose floor every partner's commitment erodes.
    #[derive(Copy)]
    pub struct ConsentFile {
        initial: f64 = 0.8, 0.0..=1.0, "the host government's consent at the start";
        responsiveness: f64 = 0.01, 0.0..=1.0, "daily pull of consent toward the population's mean trust in the mission";
        harm_loss: f64 = 0.002, 0.0..=10.0, "consent lost per incident of harm by the mission per 1,000 residents";
        divergence_loss: f64 = 0.001, 0.0..=1.0, "consent lost per tick per unit of mean mandate divergence between engaged partners (disunity reads as interference)";
        floor: f64 = 0.4, 0.0..=1.0, "below this consent the host presses the mission to leave";
        commitment_loss: f64 = 0.01, 0.0..=1.0, "commitment every engaged partner loses per tick per unit of consent below the floor";
    }
}

params! {
    /// `[mechanisms]`: the numbers behind the coordination mechanisms, technologies and
    /// information uptake (docs/MODEL.md §3.9–3.11), which earlier versions fixed in code.
    #[derive(Copy)]
    pub struct MechanismsFile {
        liaison_officers_growth: f64 = 2.0, 0.0..=100.0, "liaison officers: multiplier on the growth of trust between partners";
        liaison_officers_delay_cut: u32 = 0, 0..=365 ticks, "liaison officers: ticks cut from the delay of shared information";
        liaison_officers_cost: f64 = 2.0, 0.0..=1000000.0, "liaison officers: cost per engaged partner and tick";
        cimic_cell_growth: f64 = 3.0, 0.0..=100.0, "CIMIC cell: multiplier on the growth of trust between partners";
        cimic_cell_delay_cut: u32 = 1, 0..=365 ticks, "CIMIC cell: ticks cut from the delay of shared information";
        cimic_cell_cost: f64 = 5.0, 0.0..=1000000.0, "CIMIC cell: cost per engaged partner and tick";
        integrated_hq_growth: f64 = 4.0, 0.0..=100.0, "integrated headquarters: multiplier on the growth of trust between partners";
        integrated_hq_delay_cut: u32 = 2, 0..=365 ticks, "integrated headquarters: ticks cut from the delay of shared information";
        integrated_hq_cost: f64 = 10.0, 0.0..=1000000.0, "integrated headquarters: cost per engaged partner and tick";
        telecom_delay_cut: u32 = 1, 0..=365 ticks, "ticks cut from a report's delay when either partner has telecom, and again when contractor telecom teams operate";
        uptake_divergence: f64 = 1.0, 0.0..=1.0, "weight of mandate divergence d in losing a shared report: it is taken up with probability 1 − w·d";
        drones_cost: f64 = 1.0, 0.0..=1000000.0, "cost per tick of a partner's drones while it is engaged";
        analytics_cost: f64 = 0.5, 0.0..=1000000.0, "cost per tick of a partner's predictive analytics while it is engaged";
        telecom_cost: f64 = 0.5, 0.0..=1000000.0, "cost per tick of a partner's telecom while it is engaged";
        real_time_data_cost: f64 = 1.0, 0.0..=1000000.0, "cost per tick of a partner's real-time data while it is engaged";
        misconduct_radius: u32 = 3, 0..=MAX_RADIUS cells, "cells around a contractor's misconduct within which communities are harmed (a square; enforcement harm uses security.harm_radius)";
        contractor_roam: u32 = 5, 0..=MAX_RADIUS cells, "cells a contractor unit without a convoy (guards, telecom teams) may move per tick, each way";
        liaison_need: f64 = 0.0, 0.0..=1.0, "share of a district's access threshold that local liaison teams must meet (0: they live there and access never binds them; 1: as an aid team)";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_stay_short() {
        for (x, text) in [
            (1e308, "1e308"),
            (-1e300, "-1e300"),
            (1e-300, "1e-300"),
            (0.25, "0.25"),
            (0.0, "0"),
            (4294967295.0, "4294967295"),
            (1e6, "1000000"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(shown(x), text);
        }
    }

    #[test]
    fn defaults_lie_in_their_ranges() {
        let all = [
            StabilityFile::DOCS,
            SpoilersFile::DOCS,
            super::super::raw::AidFile::DOCS,
            super::super::raw::IntelFile::DOCS,
            super::super::raw::PoliticsFile::DOCS,
            super::super::raw::CitizensFile::DOCS,
            super::super::raw::UnrestFile::DOCS,
            super::super::raw::ViolenceFile::DOCS,
            super::super::raw::SecurityFile::DOCS,
            super::super::raw::PostureFile::DOCS,
            super::super::raw::CoordinationFile::DOCS,
            super::super::raw::LogisticsFile::DOCS,
            super::super::raw::TrustFile::DOCS,
            StandingFile::DOCS,
            MechanismsFile::DOCS,
            ConsentFile::DOCS,
            DisplacementFile::DOCS,
        ];
        for d in all.into_iter().flatten() {
            assert!(d.min <= d.default && d.default <= d.max, "{}", d.name);
        }
        let mut issues = Vec::new();
        StabilityFile::default().check(&mut issues, &FieldPath::default().key("stability"));
        SpoilersFile::default().check(&mut issues, &FieldPath::default().key("spoilers"));
        StandingFile::default().check(&mut issues, &FieldPath::default().key("standing"));
        MechanismsFile::default().check(&mut issues, &FieldPath::default().key("mechanisms"));
        ConsentFile::default().check(&mut issues, &FieldPath::default().key("consent"));
        DisplacementFile::default().check(&mut issues, &FieldPath::default().key("displacement"));
        super::super::raw::AidFile::default().check(&mut issues, &FieldPath::default().key("aid"));
        super::super::raw::IntelFile::default()
            .check(&mut issues, &FieldPath::default().key("intel"));
        super::super::raw::PoliticsFile::default()
            .check(&mut issues, &FieldPath::default().key("politics"));
        use super::super::raw::{
            CitizensFile, CoordinationFile, LogisticsFile, PostureFile, SecurityFile, TrustFile,
            UnrestFile, ViolenceFile,
        };
        let root = FieldPath::default();
        CitizensFile::default().check(&mut issues, &root.key("citizens"));
        UnrestFile::default().check(&mut issues, &root.key("unrest"));
        ViolenceFile::default().check(&mut issues, &root.key("violence"));
        SecurityFile::default().check(&mut issues, &root.key("security"));
        PostureFile::RESTRAINED.check(&mut issues, &root.key("restrained"));
        PostureFile::ROBUST.check(&mut issues, &root.key("robust"));
        CoordinationFile::default().check(&mut issues, &root.key("coordination"));
        LogisticsFile::default().check(&mut issues, &root.key("logistics"));
        TrustFile::default().check(&mut issues, &root.key("trust"));
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn range_messages_say_what_kind_of_number_and_what_it_means() {
        use super::super::raw::{LogisticsFile, UnrestFile};
        let mut issues = Vec::new();
        let table = FieldPath::default().key("unrest");
        let unrest = UnrestFile {
            max_jail_term: 0,
            k: -1.0,
            ..UnrestFile::default()
        };
        unrest.check(&mut issues, &table);
        let logistics = LogisticsFile {
            friction_delay: u32::MAX,
            ..LogisticsFile::default()
        };
        logistics.check(&mut issues, &FieldPath::default().key("logistics"));
        let messages: Vec<String> = issues.iter().map(|(p, m)| format!("{p}: {m}")).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with(
                "unrest.k: -1 is out of range; use a number from 0 to 100 (Epstein's k"
            ),
            "{}",
            messages[0]
        );
        assert!(messages[1].starts_with("unrest.max_jail_term: 0 is out of range; use a whole number of ticks from 1 to 65535 (detention terms"), "{}", messages[1]);
        assert!(messages[2].starts_with("logistics.friction_delay: 4294967295 is out of range; use a whole number of ticks from 0 to 1000000 ("), "{}", messages[2]);
    }
}
