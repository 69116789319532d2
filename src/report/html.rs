//! `report.html`: one self-contained page per run — what was run (partners, units, levers,
//! events, seed, the command to reproduce it), the charts as inline SVG, the maps and agent
//! views as embedded PNG (data URIs), the summary table and a plain-language reading. No
//! script, no font or style sheet from the network: the file opens anywhere, offline.
//!
//! Over 500 lines: the run page and the compare/sweep folder page share the escaping, table and
//! embedding helpers at the top; the folder page (from `read_csv` on) is the seam to split next.

use super::animation::Window;
use super::{RunIdentity, summarize};
use crate::scenario::Scenario;
use crate::sim::RunOutput;
use std::fmt::Write;

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Standard base64 (RFC 4648), for data URIs.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An SVG document as an inline element (without its XML declaration).
pub fn inline_svg(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let start = text.find("<svg").unwrap_or(0);
    text[start..].to_string()
}

/// A PNG or GIF as an `<img>` with a data URI.
pub fn img(name: &str, bytes: &[u8], alt: &str) -> String {
    let mime = if name.ends_with(".gif") {
        "image/gif"
    } else {
        "image/png"
    };
    format!(
        "<img src=\"data:{mime};base64,{}\" alt=\"{}\">",
        base64(bytes),
        esc(alt)
    )
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1150px;\
margin:1em auto;padding:0 1em;color:#222;line-height:1.45}h1{font-size:1.6em}\
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;\
text-align:left;overflow-wrap:break-word}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
code,pre{background:#f4f4f4;padding:.1em .3em}pre{padding:.6em;overflow-x:auto}\
figure{margin:1em 0}svg,img{max-width:100%;height:auto;display:block}\
.reading li{margin:.3em 0}.small{color:#666;font-size:.9em}";

/// Open a page: doctype, title, style.
pub fn page_start(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(title)
    )
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
}

fn direction(from: f64, to: f64) -> &'static str {
    if to > from + 0.02 {
        "rose"
    } else if to < from - 0.02 {
        "fell"
    } else {
        "stayed about level"
    }
}

/// The command that writes this run's files again, as a user can paste it into a shell: a
/// bundled scenario by its name (`<bundled>/baseline.toml` is how manifests record it, not a
/// path), a file's path quoted where a shell would split or expand it, and `--animate` (or
/// `--animate-days FROM..TO`) where the run drew its animation.
pub fn rerun_command(identity: &RunIdentity, files: &[(String, Vec<u8>)]) -> String {
    let file = &identity.scenario_file;
    let scenario = match crate::scenario::library::recorded_name(file) {
        Some(name) => name.to_string(),
        None => shell_word(file),
    };
    let animate = animated_days(identity, files)
        .map(|w| format!(" {}", w.options(identity.ticks)))
        .unwrap_or_default();
    format!(
        "peacesim run {scenario} --seed {} --ticks {}{animate}",
        identity.seed, identity.ticks,
    )
}

/// The days the run animated, if it drew an animation.
fn animated_days(identity: &RunIdentity, files: &[(String, Vec<u8>)]) -> Option<Window> {
    Window::of_run(files.iter().map(|(n, _)| n.as_str()), identity.ticks)
}

/// `word` as one shell word: as it is if it holds only characters no shell treats specially,
/// else in single quotes (a quote inside written `'\''`).
pub(crate) fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./+,:@%=".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The page of one run, from the files about to be written (`files`: charts, maps, frames).
pub fn run_page(
    s: &Scenario,
    identity: &RunIdentity,
    output: &RunOutput,
    files: &[(String, Vec<u8>)],
) -> Vec<u8> {
    let mut h = page_start(&format!("peacesim: {}", s.name));
    let _ = write!(
        h,
        "<h1>peacesim run: {}</h1>\n<p>{}</p>\n",
        esc(&s.name),
        esc(&s.description)
    );
    // What was run.
    let _ = write!(
        h,
        "<h2>What was run</h2>\n<p>Scenario file <code>{}</code> (SHA-256 <code>{}</code>), \
seed {}, run {}, {} ticks (days), peacesim {}. The same command gives the same files, byte for \
byte:</p>\n<pre>{}</pre>\n",
        esc(&identity.scenario_file),
        &identity.scenario_sha256[..identity.scenario_sha256.len().min(16)],
        identity.seed,
        identity.run,
        identity.ticks,
        env!("CARGO_PKG_VERSION"),
        esc(&rerun_command(identity, files))
    );
    let citizens: u32 = s.districts.iter().map(|d| d.population).sum();
    let _ = write!(
        h,
        "<p>A {}×{} map, {}, {}. Coordination mechanism: {}.</p>\n\
<table><tr><th>district</th><th>population</th><th>hardship</th><th>initial trust</th>\
<th>access threshold</th><th>spoilers</th></tr>\n",
        s.map.width,
        s.map.height,
        super::counted(s.districts.len() as u64, "district"),
        super::counted(citizens, "citizen"),
        esc(s.coordination.mechanism.describe())
    );
    for d in &s.districts {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{:.2}</td><td class=n>{:.2}</td>\
<td class=n>{:.2}</td><td class=n>{:.2}</td></tr>",
            esc(&d.name),
            d.population,
            d.hardship,
            d.initial_trust,
            d.access,
            d.spoilers
        );
    }
    h.push_str(
        "</table>\n<table><tr><th>partner</th><th>kind</th><th>posture</th><th>units</th></tr>\n",
    );
    for (i, p) in s.partners.iter().enumerate() {
        let units: Vec<String> = s
            .units
            .iter()
            .filter(|u| u.partner == i)
            .map(|u| {
                let place = u
                    .district
                    .and_then(|d| s.districts.get(d))
                    .map_or(String::new(), |d| format!(" in {}", d.name));
                format!("{} {}{place}", u.count, u.kind.as_str())
            })
            .collect();
        // A posture steers patrols: meaningless for a partner that fields none.
        let patrols = s
            .units
            .iter()
            .any(|u| u.partner == i && u.kind == crate::scenario::UnitKind::Patrol);
        let posture = if patrols {
            crate::scenario::kinds::spelled(&p.posture)
        } else {
            "— (no patrols)".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.name),
            p.kind.as_str(),
            posture,
            esc(&units.join(", "))
        );
    }
    h.push_str("</table>\n");
    let u = &s.unrest;
    let _ = writeln!(
        h,
        "<p>Unrest levers: activation threshold {}, arrest constant k {}, vision {}, \
maximum jail term {}.</p>",
        u.threshold, u.k, u.vision, u.max_jail_term
    );
    if s.events.is_empty() {
        h.push_str("<p>No timeline events.</p>\n");
    } else {
        h.push_str("<p>Timeline events (dashed lines on the charts):</p><ul>\n");
        for (t, label) in super::run_charts::event_markers(s) {
            let late = if t > f64::from(s.ticks) {
                " — after this run's last day: it did not happen"
            } else {
                ""
            };
            let _ = writeln!(h, "<li>day {t}: {}{late}</li>", esc(&label));
        }
        h.push_str("</ul>\n");
    }

    // Reading.
    h.push_str("<h2>What the run shows</h2>\n<ul class=reading>\n");
    h.push_str(&reading(s, output));
    h.push_str(
        "</ul>\n<p class=small>One run is one draw of chance: to tell an effect from \
noise, compare configurations over many replications (<code>peacesim compare</code>), which \
reports 95&nbsp;% confidence intervals.</p>\n",
    );

    // Charts.
    h.push_str(
        "<h2>Charts</h2>\n<p class=small>Each y axis is fitted to the data; the same \
charts on the full 0–1 range are beside this file as <code>*-full.png</code>.</p>\n",
    );
    for stem in ["trust", "partners", "coverage", "stability"] {
        if let Some(svg) = file(files, &format!("{stem}.svg")) {
            let _ = writeln!(h, "<figure class=chart>{}</figure>", inline_svg(svg));
        }
    }
    // Maps.
    h.push_str("<h2>District maps</h2>\n");
    for layer in super::maps::LAYERS {
        let name = format!("map-{}.png", layer.stem);
        if let Some(png) = file(files, &name) {
            let _ = writeln!(h, "<figure>{}</figure>", img(&name, png, layer.title));
        }
    }
    h.push_str(
        "<h2>The agents</h2>\n<p>Citizens by state (green quiescent, red active, black \
detained), patrols (blue), aid teams (orange), convoys (purple), liaison (teal) and telecom \
(grey) teams; hatched ground marks districts with spoilers.</p>\n",
    );
    if let Some(gif) = file(files, "animation.gif") {
        // A window of the run says which days it shows, and how often.
        let window = animated_days(identity, files).filter(|&w| w != Window::whole(identity.ticks));
        let caption = window.map(|w| {
            let every = match w.every() {
                1 => "every day".to_string(),
                k => format!("every {k} days"),
            };
            format!("days {}–{}, animated ({every})", w.from, w.to)
        });
        let alt = caption.as_deref().unwrap_or("the run, animated");
        let _ = writeln!(
            h,
            "<figure>{}{}</figure>",
            img("animation.gif", gif, alt),
            caption.map_or(String::new(), |c| format!(
                "<figcaption>{}</figcaption>",
                esc(&c)
            ))
        );
    }
    for (name, png) in files
        .iter()
        .filter(|(n, _)| n.starts_with("agents-day-") && n.ends_with(".png"))
    {
        let _ = writeln!(h, "<figure>{}</figure>", img(name, png, name));
    }

    // Summary table.
    h.push_str(
        "<h2>Summary</h2>\n<table><tr><th>metric</th><th>final</th><th>mean</th>\
<th>min</th><th>max</th></tr>\n",
    );
    for (name, st) in summarize(&output.ticks) {
        // A count (whole final, min and max: people, incidents) reads as whole numbers, its
        // mean to two decimals; shares and levels to four.
        let whole = [st.r#final, st.min, st.max]
            .iter()
            .all(|v| v.fract() == 0.0);
        let (fin, mean, min, max) = if whole {
            (
                format!("{:.0}", st.r#final),
                format!("{:.2}", st.mean),
                format!("{:.0}", st.min),
                format!("{:.0}", st.max),
            )
        } else {
            (
                format!("{:.4}", st.r#final),
                format!("{:.4}", st.mean),
                format!("{:.4}", st.min),
                format!("{:.4}", st.max),
            )
        };
        let _ = writeln!(
            h,
            "<tr><td>{name}</td><td class=n>{fin}</td><td class=n>{mean}</td>\
<td class=n>{min}</td><td class=n>{max}</td></tr>"
        );
    }
    h.push_str(
        "</table>\n<p class=small>Numbers per tick: timeseries.csv and districts.csv \
beside this page.</p>\n</body></html>\n",
    );
    h.into_bytes()
}

/// Plain-language sentences about the run's main movements.
fn reading(s: &Scenario, output: &RunOutput) -> String {
    let mut r = String::new();
    let (Some(first), Some(last)) = (output.ticks.first(), output.ticks.last()) else {
        return "<li>No tick was recorded.</li>\n".into();
    };
    let _ = writeln!(
        r,
        "<li>Trust in the mission {} over the run, from {:.2} to {:.2}.</li>",
        direction(first.mean_trust, last.mean_trust),
        first.mean_trust,
        last.mean_trust
    );
    if s.districts.len() > 1 {
        let mut moves = Vec::new();
        for d in &s.districts {
            let rows: Vec<_> = output
                .districts
                .iter()
                .filter(|r| *r.district == *d.name)
                .collect();
            // A district with no residents at either end has no trust to move.
            if let (Some(a), Some(b)) = (
                rows.first().and_then(|r| r.mean_trust),
                rows.last().and_then(|r| r.mean_trust),
            ) {
                moves.push((b - a, d.name.clone(), a, b));
            }
        }
        moves.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let (Some(lo), Some(hi)) = (moves.first(), moves.last()) {
            // Said as it went: a fall is not called a rise.
            let moved =
                |m: &(f64, String, f64, f64)| format!("{} ({:.2} → {:.2})", esc(&m.1), m.2, m.3);
            let text = if lo.0 >= 0.0 {
                format!("rose most in {} and least in {}", moved(hi), moved(lo))
            } else if hi.0 <= 0.0 {
                format!("fell most in {} and least in {}", moved(lo), moved(hi))
            } else {
                format!("rose most in {} and fell most in {}", moved(hi), moved(lo))
            };
            let _ = writeln!(
                r,
                "<li>By district, trust {text}, from the first day to the last.</li>"
            );
        }
    }
    let worst = output
        .ticks
        .iter()
        .min_by(|a, b| a.stability.total_cmp(&b.stability))
        .unwrap_or(last);
    let outbursts = crate::analysis::summarize(
        &output
            .ticks
            .iter()
            .map(|t| (t.tick, t.active))
            .collect::<Vec<_>>(),
        first.population,
    );
    let _ = writeln!(
        r,
        "<li>Stability ended at {:.3}; its lowest point was {:.3} on day {}. {} of \
rebellion (runs of days with at least {} citizens active).</li>",
        last.stability,
        worst.stability,
        worst.tick,
        match outbursts.count {
            1 => "There was 1 outburst".to_string(),
            n => format!("There were {n} outbursts"),
        },
        outbursts.threshold
    );
    if let Some(peak) = output
        .ticks
        .iter()
        .filter(|t| t.displaced > 0)
        .max_by_key(|t| (t.displaced, std::cmp::Reverse(t.tick)))
    {
        let _ = writeln!(
            r,
            "<li>Citizens fled danger: at most {} ({:.1}&nbsp;% of the population) were displaced, \
on day {}; {} were still away at the end.</li>",
            peak.displaced,
            100.0 * peak.displaced as f64 / peak.population.max(1) as f64,
            peak.tick,
            last.displaced
        );
    }
    let n = output.ticks.len() as f64;
    let mean = |f: fn(&crate::metrics::TickRow) -> f64| output.ticks.iter().map(f).sum::<f64>() / n;
    let _ = write!(
        r,
        "<li>On average {:.0}&nbsp;% of free citizens (not detained or displaced) had a patrol \
in sight",
        100.0 * mean(|t| t.security_coverage)
    );
    if s.fields(crate::scenario::UnitKind::AidTeam) {
        let _ = write!(
            r,
            " and {:.0}&nbsp;% had been reached by aid recently",
            100.0 * mean(|t| t.aid_coverage)
        );
    }
    r.push_str(".</li>\n");
    r
}

/// Read a CSV file as header + rows of text, or `None` when it is absent or unreadable.
fn read_csv(bytes: &[u8]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().ok()?.iter().map(String::from).collect();
    let rows = r
        .records()
        .filter_map(|rec| rec.ok())
        .map(|rec| rec.iter().map(String::from).collect())
        .collect();
    Some((header, rows))
}

/// A number as text with 4 significant decimals; other text unchanged.
fn cell(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if text.contains('.') || text.contains('e') => {
            if v == 0.0 || v.abs() >= 1000.0 {
                format!("{v:.1}")
            } else {
                let d = (3 - v.abs().log10().floor() as i32).clamp(0, 8) as usize;
                format!("{v:.d$}")
            }
        }
        _ => esc(text),
    }
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<div style=\"overflow-x:auto\"><table><tr>");
    for c in header {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr>\n");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            let class = if c.parse::<f64>().is_ok() {
                " class=n"
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{}</td>", cell(c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
    h
}

/// Sentences on a comparison: each configuration against the first, for the headline metrics
/// at the end of the run, with the 95 % interval of the difference.
/// The metrics the compare page's reading states for every configuration; the others are named
/// only where they clearly differ.
const HEADLINE: [&str; 4] = ["trust", "stability", "security_coverage", "aid_coverage"];

/// Column `i` of a table row as a number (NaN where it is not one).
fn num(row: &[String], i: usize) -> f64 {
    row[i].parse().unwrap_or(f64::NAN)
}

fn compare_reading(header: &[String], rows: &[Vec<String>]) -> String {
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(c), Some(m), Some(st), Some(n), Some(d), Some(lo), Some(hi)) = (
        col("config"),
        col("metric"),
        col("statistic"),
        col("n"),
        col("diff_vs_first"),
        col("diff_ci_low"),
        col("diff_ci_high"),
    ) else {
        return String::new();
    };
    let first = rows.first().map(|r| r[c].clone()).unwrap_or_default();
    let mut out = String::new();
    // Each headline metric over the whole run (the verdict), then at the end: one day's value
    // is noisier than a run's mean, and a lever may act early and fade.
    let interval = |r: &Vec<String>| (num(r, d), num(r, lo), num(r, hi));
    for r in rows {
        let statistic = r[st].as_str();
        if r[c] == first || !HEADLINE.contains(&r[m].as_str()) {
            continue;
        }
        let at_end = rows
            .iter()
            .find(|e| e[c] == r[c] && e[m] == r[m] && e[st] == "final");
        let lead = match statistic {
            "run_mean" => "over the run",
            // A metric without a run mean is said at the end only.
            "final"
                if !rows
                    .iter()
                    .any(|e| e[c] == r[c] && e[m] == r[m] && e[st] == "run_mean") =>
            {
                "at the end"
            }
            _ => continue,
        };
        let (dv, l, h) = interval(r);
        let verdict = if dv == 0.0 && l == 0.0 && h == 0.0 {
            "identical in every replication"
        } else if l > 0.0 || h < 0.0 {
            "a difference larger than chance explains at this number of runs"
        } else {
            "not distinguishable from chance at this number of runs"
        };
        let end = match at_end.filter(|_| lead == "over the run") {
            Some(e) => {
                let (ev, el, eh) = interval(e);
                format!("; at the end {ev:+.3} ({el:+.3} to {eh:+.3})")
            }
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<li>{} vs {}: {} {lead} differs by {:+.3} (95&nbsp;% CI {:+.3} to {:+.3}, {} runs \
each) — {verdict}{end}.</li>",
            esc(&r[c]),
            esc(&first),
            esc(&r[m]),
            dv,
            l,
            h,
            esc(&r[n])
        );
    }
    // Beyond the four headline metrics, what else each configuration clearly changes, the
    // largest effects first (a lever may act where the headline does not look: the NGO's
    // neutrality moves the communities' trust in the NGO, not the mission's stability).
    let (Some(cd), Some(var)) = (col("cohens_d"), col("variation")) else {
        return out;
    };
    let mut configs: Vec<&str> = Vec::new();
    for r in rows {
        if r[c] != first && !configs.contains(&r[c].as_str()) {
            configs.push(&r[c]);
        }
    }
    // Many rows are tested at 95 % each: some would exclude zero by chance alone. A row is
    // named here only if its interval, widened for every row of its configuration
    // (Bonferroni), still excludes zero.
    let mut tested = 0;
    for config in configs {
        let m_rows = rows.iter().filter(|r| r[c] == config).count();
        tested = tested.max(m_rows);
        let widen = crate::stats::bonferroni_widening(m_rows);
        let clear_of_zero = |r: &&Vec<String>| {
            let (dv, l, h) = (num(r, d), num(r, lo), num(r, hi));
            let half = (dv - l).max(h - dv);
            dv != 0.0 && dv.abs() > widen * half
        };
        let mut clear = rows
            .iter()
            .filter(|r| r[c] == config && r[st] == "final" && !HEADLINE.contains(&r[m].as_str()))
            .filter(clear_of_zero)
            .map(|r| {
                // An exact (deterministic) difference ranks first; then by effect size.
                let size = if r[var] == "deterministic" {
                    f64::INFINITY
                } else {
                    num(r, cd).abs()
                };
                // Counts and costs in whole numbers, shares to three decimals.
                let big = num(r, d).abs() >= 100.0;
                let f = |x: f64| {
                    if big {
                        format!("{x:+.0}")
                    } else {
                        format!("{x:+.3}")
                    }
                };
                let numbers = format!("{} ({} to {})", f(num(r, d)), f(num(r, lo)), f(num(r, hi)));
                (size, esc(&r[m]), numbers)
            })
            .fold(
                Vec::new(),
                |mut kept: Vec<(f64, String)>, (size, metric, numbers)| {
                    // Partners that share the mission's standing have the very same rows: one
                    // entry names them together instead of filling the list with copies.
                    let standing = metric.starts_with("community_trust:");
                    let twin = kept.iter_mut().find(|(_, t)| {
                        standing && t.starts_with("community_trust:") && t.ends_with(&numbers)
                    });
                    match twin {
                        Some((_, t)) => {
                            let name = metric.trim_start_matches("community_trust:");
                            let head = t.len() - numbers.len() - 1;
                            *t = format!("{} = {name} {numbers}", &t[..head]);
                        }
                        None => kept.push((size, format!("{metric} {numbers}"))),
                    }
                    kept
                },
            );
        if clear.is_empty() {
            continue;
        }
        clear.sort_by(|a, b| b.0.total_cmp(&a.0));
        let shown: Vec<String> = clear.iter().take(5).map(|(_, t)| t.clone()).collect();
        let more = clear.len().saturating_sub(5);
        let _ = writeln!(
            out,
            "<li>{} vs {}: also clearly different at the end, allowing for the {m_rows} rows \
compared (largest effects first, 95&nbsp;% CI; each kept only if it excludes zero when {widen:.2}× \
wider, Bonferroni): {}{}.</li>",
            esc(config),
            esc(&first),
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more in the table")
            } else {
                String::new()
            }
        );
    }
    if tested > 1 {
        let _ = writeln!(
            out,
            "<li>The table compares {tested} rows (metrics and statistics) for each \
configuration, each at 95&nbsp;%: even if nothing differed, about {:.0} of them would exclude \
zero by chance alone. The list above allows for that; one row of the table marked different, \
alone, is not evidence of an effect.</li>",
            (tested as f64 * 0.05).max(1.0)
        );
    }
    // Partners whose communities' trust repeats another's in every row: say why, once.
    let (Some(mean), Some(lo_col)) = (col("mean"), col("ci_low")) else {
        return out;
    };
    let mut standings: Vec<(String, Vec<&str>)> = Vec::new();
    for r in rows.iter().filter(|r| r[m].starts_with("community_trust:")) {
        let name = r[m].trim_start_matches("community_trust:").to_string();
        match standings.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.extend([r[mean].as_str(), r[lo_col].as_str()]),
            None => standings.push((name, vec![r[mean].as_str(), r[lo_col].as_str()])),
        }
    }
    for (i, (_, values)) in standings.iter().enumerate() {
        // Each group once, from its first member.
        if standings[..i].iter().any(|(_, v)| v == values) {
            continue;
        }
        let names: Vec<&str> = standings[i..]
            .iter()
            .filter(|(_, v)| v == values)
            .map(|(n, _)| n.as_str())
            .collect();
        if names.len() < 2 {
            continue;
        }
        let _ = writeln!(
            out,
            "<li>Communities' trust in {} is the same in every row: partners seen as part of \
the mission that serve no residents themselves carry the mission's standing and its blame \
(docs/MODEL.md §3.17), so their rows repeat each other.</li>",
            esc(&names.join(", "))
        );
    }
    out
}

/// Sentences on a sweep: the best and worst point of the sweep's metric, with their intervals.
fn sweep_reading(
    metric: &str,
    labels: &[String],
    header: &[String],
    rows: &[Vec<String>],
) -> String {
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(v), Some(lo), Some(hi)) = (
        col(metric),
        col(&format!("{metric}_ci_low")),
        col(&format!("{metric}_ci_high")),
    ) else {
        return String::new();
    };
    let params: Vec<usize> = (1..header.len())
        .take_while(|&i| header[i] != "replications" && header[i] != "n")
        .collect();
    let settings = |r: &Vec<String>| {
        params
            .iter()
            .map(|&i| {
                let name = labels.get(i - 1).unwrap_or(&header[i]);
                format!("{} = {}", esc(name), esc(&r[i]))
            })
            .collect::<Vec<String>>()
            .join(", ")
    };
    let one = col("replications").is_some_and(|k| rows.iter().all(|r| num(r, k) < 2.0));
    let describe = |r: &Vec<String>| {
        if one {
            return format!("{} ({:.3}, one run)", settings(r), num(r, v));
        }
        format!(
            "{} ({:.3}, 95&nbsp;% CI {:.3} to {:.3})",
            settings(r),
            num(r, v),
            num(r, lo),
            num(r, hi)
        )
    };
    let best = rows.iter().max_by(|a, b| num(a, v).total_cmp(&num(b, v)));
    let worst = rows.iter().min_by(|a, b| num(a, v).total_cmp(&num(b, v)));
    // Whether any two points are told apart: the highest interval floor above the lowest
    // ceiling. (Comparing only the extremes misses a narrow pair when a wide one overlaps.)
    let floor = rows.iter().max_by(|a, b| num(a, lo).total_cmp(&num(b, lo)));
    let ceiling = rows.iter().min_by(|a, b| num(a, hi).total_cmp(&num(b, hi)));
    let metric_label = esc(&super::columns::summary_label(metric));
    match (best, worst, floor, ceiling) {
        // One point, or every point the same value: nothing to rank.
        (Some(b), ..) if rows.len() == 1 => {
            format!(
                "<li>{metric_label} at the one point: {}.</li>\n",
                describe(b)
            )
        }
        (Some(b), Some(w), ..) if num(b, v) == num(w, v) => format!(
            "<li>Every point gives the same {metric_label}, {:.3}: over this range the \
             parameters do not change it.</li>\n",
            num(b, v)
        ),
        (Some(b), Some(w), Some(f), Some(c)) => {
            let gap = num(b, v) - num(w, v);
            let relative = if num(w, v).abs() > 1e-12 {
                format!(
                    " ({:.1}&nbsp;% of the lowest)",
                    100.0 * gap / num(w, v).abs()
                )
            } else {
                String::new()
            };
            let apart = if one {
                "with one replication per point there is no interval, so this sweep cannot tell \
                 an effect from chance: run it with more replications."
                    .to_string()
            } else if num(f, lo) > num(c, hi) {
                format!(
                    "at least two points are told apart: the interval of {} lies wholly above \
                     that of {}.",
                    settings(f),
                    settings(c)
                )
            } else {
                "every point's interval overlaps every other's, so these replications separate no \
                 two points: over this range the parameters make no clear difference to it \
                 (overlap is a cautious test; `peacesim compare` of two settings with --crn \
                 measures their difference directly)."
                    .to_string()
            };
            format!(
                "<li>Highest {}: {}.</li>\n<li>Lowest: {}.</li>\n<li>The highest and lowest \
                 means differ by {gap:.3}{relative}; {apart}</li>\n",
                metric_label,
                describe(b),
                describe(w)
            )
        }
        _ => String::new(),
    }
}

/// The sweep's table for the page: point, parameters (by label), replications and a few
/// headline summary columns (the chart's metric first), each as "mean [low, high]".
fn sweep_table(
    metric: &str,
    labels: &[String],
    header: &[String],
    rows: &[Vec<String>],
) -> (Vec<String>, Vec<Vec<String>>) {
    let col = |n: &str| header.iter().position(|h| h == n);
    let Some(reps) = col("replications") else {
        return (header.to_vec(), rows.to_vec());
    };
    let mut metrics = vec![metric];
    for m in [
        "mean_stability",
        "mean_trust",
        "mean_security_coverage",
        "mean_aid_coverage",
        "final_detained",
    ] {
        if !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    let found: Vec<(&str, usize, usize, usize)> = metrics
        .iter()
        .filter_map(|m| {
            Some((
                *m,
                col(m)?,
                col(&format!("{m}_ci_low"))?,
                col(&format!("{m}_ci_high"))?,
            ))
        })
        .collect();
    let mut head = vec!["point".to_string()];
    head.extend((1..reps).map(|i| labels.get(i - 1).unwrap_or(&header[i]).clone()));
    head.push("replications".into());
    head.extend(
        found
            .iter()
            .map(|f| format!("{} [95% CI]", super::columns::summary_label(f.0))),
    );
    let body = rows
        .iter()
        .map(|r| {
            let mut out: Vec<String> = r[..=reps].to_vec();
            out.extend(found.iter().map(|&(_, v, lo, hi)| {
                let n = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
                format!("{:.3} [{:.3}, {:.3}]", n(v), n(lo), n(hi))
            }));
            out
        })
        .collect();
    (head, body)
}

/// `report.html` of a compare or sweep folder, from the files in it (see [`folder_page_of`]).
pub fn folder_page(dir: &std::path::Path) -> Result<Vec<u8>, super::ReportError> {
    let io = |source| super::ReportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let unverified = |path: std::path::PathBuf, problem: String| super::ReportError::Unverified {
        path,
        problem,
    };
    let manifest_path = dir.join("manifest.json");
    let manifest: serde_json::Value = std::fs::read(&manifest_path).map_err(io).and_then(|b| {
        serde_json::from_slice(&b)
            .map_err(|e| unverified(manifest_path.clone(), format!("not a manifest ({e})")))
    })?;
    // The page is drawn from the CSV and SVG files the manifest lists, each checked against
    // the SHA-256 recorded there: an edited or missing file is refused, not drawn.
    let listed = manifest
        .get("files")
        .and_then(|f| f.as_object())
        .ok_or_else(|| unverified(manifest_path.clone(), "lists no files".into()))?;
    let mut files = Vec::new();
    for (name, sha) in listed {
        if !(name.ends_with(".svg") || name.ends_with(".csv")) || !super::is_plain_name(name) {
            continue;
        }
        let path = dir.join(name);
        let bytes = super::read_as_listed(dir, name, sha.as_str().unwrap_or_default()).map_err(
            |e| match e {
                super::NotAsListed::Unreadable(e) => {
                    unverified(path, format!("listed in the manifest, but {e}"))
                }
                super::NotAsListed::Altered => unverified(
                    path,
                    "its SHA-256 differs from the manifest's (edited since it was written?)".into(),
                ),
            },
        )?;
        files.push((name.clone(), bytes));
    }
    Ok(folder_page_of(&folder_name(dir), &manifest, &files))
}

/// A comparison's configurations, each with its file and what it sets differently from the
/// first (the manifest's `configs`): what the comparison measures, in the files' own words.
fn config_differences(manifest: &serde_json::Value) -> String {
    let Some(configs) = manifest.get("configs").and_then(|c| c.as_array()) else {
        return String::new();
    };
    let mut h = String::from(
        "<h3>The configurations</h3>\n<table><tr><th>configuration</th><th>file</th>\
         <th>what its file sets differently from the first</th></tr>\n",
    );
    for (i, c) in configs.iter().enumerate() {
        let field = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let lines: Vec<&str> = c
            .get("differs_from_first")
            .and_then(|d| d.as_array())
            .map(|d| d.iter().filter_map(|l| l.as_str()).collect())
            .unwrap_or_default();
        let what = if i == 0 {
            "the reference".to_string()
        } else if lines.is_empty() {
            "nothing: the same settings (only its name differs)".to_string()
        } else {
            lines
                .iter()
                .map(|l| format!("<code>{}</code>", esc(l)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{what}</td></tr>",
            esc(field("name")),
            esc(field("file"))
        );
    }
    h.push_str("</table>\n");
    h
}

/// The last component of `dir`, which titles a folder's page.
pub fn folder_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `report.html` of a compare or sweep folder named `name`, from its manifest and files (name,
/// bytes): what was run, a reading, every SVG chart inline and the table with confidence
/// intervals. The same inputs give the same bytes, so `peacesim report DIR` rebuilds the page
/// the manifest lists.
pub fn folder_page_of(
    name: &str,
    manifest: &serde_json::Value,
    files: &[(String, Vec<u8>)],
) -> Vec<u8> {
    let file = |n: &str| {
        files
            .iter()
            .find(|(f, _)| f == n)
            .map(|(_, b)| b.as_slice())
    };
    let is_sweep = file("points.csv").is_some();
    let mut h = page_start(&format!("peacesim: {name}"));
    let _ = writeln!(
        h,
        "<h1>peacesim {}: {}</h1>",
        if is_sweep { "sweep" } else { "comparison" },
        esc(name)
    );
    h.push_str("<h2>What was run</h2>\n");
    if let Some(cmd) = manifest.get("command_line").and_then(|c| c.as_array()) {
        // Each word as a shell reads it back (a path with a space stays one word).
        let words: Vec<String> = cmd
            .iter()
            .filter_map(|w| w.as_str())
            .map(shell_word)
            .collect();
        let _ = writeln!(
            h,
            "<p>The command (it gives the same files, byte for byte):</p><pre>{}</pre>",
            esc(&words.join(" "))
        );
    }
    h.push_str(&config_differences(manifest));
    h.push_str("<table>\n");
    if let Some(obj) = manifest.as_object() {
        for (k, v) in obj {
            if k == "files" || k == "command_line" || k == "configs" {
                continue;
            }
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let text = if text.len() > 300 {
                format!("{}…", &text[..text.floor_char_boundary(300)])
            } else {
                text
            };
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&text));
        }
    }
    h.push_str("</table>\n");
    let (table_file, reading) = if is_sweep {
        let metric = manifest
            .get("metric")
            .and_then(|m| m.as_str())
            .unwrap_or("mean_stability")
            .to_string();
        let labels: Vec<String> = manifest
            .get("parameter_labels")
            .and_then(|l| l.as_array())
            .map(|l| {
                l.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let t = file("points.csv").and_then(read_csv);
        let r = t
            .as_ref()
            .map(|(hd, rows)| sweep_reading(&metric, &labels, hd, rows))
            .unwrap_or_default();
        let t = t.map(|(hd, rows)| sweep_table(&metric, &labels, &hd, &rows));
        (
            "points.csv: the main columns; every metric's final and mean value is in the file",
            (t, r),
        )
    } else {
        let t = file("comparison.csv").and_then(read_csv);
        let r = t
            .as_ref()
            .map(|(hd, rows)| compare_reading(hd, rows))
            .unwrap_or_default();
        ("comparison.csv", (t, r))
    };
    let (table_data, reading) = reading;
    if !reading.is_empty() {
        let _ = writeln!(
            h,
            "<h2>What the results show</h2>\n<ul class=reading>\n{reading}</ul>"
        );
    }
    let mut svgs: Vec<&(String, Vec<u8>)> =
        files.iter().filter(|(n, _)| n.ends_with(".svg")).collect();
    h.push_str(if svgs.is_empty() {
        "<h2>Charts</h2>\n<p>No chart was drawn here. The table below gives each point's mean \
and 95&nbsp;% interval.</p>\n"
    } else {
        "<h2>Charts</h2>\n<p class=small>Shaded bands and intervals are 95&nbsp;% \
confidence intervals of the mean over replications.</p>\n"
    });
    svgs.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, bytes) in svgs {
        let _ = writeln!(h, "<figure class=chart>{}</figure>", inline_svg(bytes));
    }
    if let Some((header, rows)) = table_data {
        let _ = writeln!(
            h,
            "<h2>Table ({table_file}, with 95&nbsp;% confidence intervals)</h2>"
        );
        h.push_str(&table(&header, &rows));
    }
    h.push_str("</body></html>\n");
    h.into_bytes()
}

/// Rewrite `report.html` of a compare or sweep folder from the files in it, and the page's
/// SHA-256 in `manifest.json` where it changed (the page names its folder: drawn again in a
/// renamed folder, it differs). Only that entry of the manifest changes; the rest keeps its
/// bytes.
pub fn write_folder_page(dir: &std::path::Path) -> Result<std::path::PathBuf, super::ReportError> {
    let page = folder_page(dir)?;
    let path = dir.join("report.html");
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(super::io_err(&manifest_path))?;
    super::write_atomic(&path, &page)?;
    let listed = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|m| m["files"]["report.html"].as_str().map(String::from));
    let sha = super::sha256_hex(&page);
    if let Some(old) = listed.filter(|old| *old != sha) {
        let entry = |h: &str| format!("\"report.html\": \"{h}\"");
        if text.matches(&entry(&old)).count() == 1 {
            let updated = text.replace(&entry(&old), &entry(&sha));
            super::write_atomic(&manifest_path, updated.as_bytes())?;
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    /// The comparison's reading leads each headline metric with its run mean (then the end),
    /// names other rows only if they survive a Bonferroni widening for the rows compared, says
    /// how many rows chance alone would flag, and calls a zero-width zero "identical".
    #[test]
    fn the_compare_reading_allows_for_many_rows() {
        let header: Vec<String> = "config,metric,statistic,n,mean,ci_low,ci_high,diff_vs_first,\
diff_ci_low,diff_ci_high,diff_method,cohens_d,variation,better,verdict"
            .split(',')
            .map(String::from)
            .collect();
        let row = |c: &str, m: &str, st: &str, d: f64, lo: f64, hi: f64| -> Vec<String> {
            let f = |x: f64| x.to_string();
            [
                c,
                m,
                st,
                "15",
                "0.5",
                "0.4",
                "0.6",
                &f(d),
                &f(lo),
                &f(hi),
                "welch",
                "1.0",
            ]
            .iter()
            .map(|x| x.to_string())
            .chain(["random", "higher", "x"].map(String::from))
            .collect()
        };
        let mut rows = vec![
            row("a", "stability", "run_mean", 0.0, 0.0, 0.0),
            row("a", "stability", "final", 0.0, 0.0, 0.0),
            row("b", "stability", "run_mean", 0.004, 0.001, 0.007),
            row("b", "stability", "final", 0.006, -0.001, 0.013),
            row("b", "info_coverage", "final", -0.27, -0.45, -0.09),
            row("b", "cost", "final", 500.0, 450.0, 550.0),
        ];
        for k in 0..30 {
            rows.push(row("b", &format!("m{k}"), "final", 0.0, -0.1, 0.1));
        }
        rows.push(row("c", "stability", "run_mean", 0.0, 0.0, 0.0));
        let text = compare_reading(&header, &rows);
        assert!(
            text.contains("stability over the run differs by +0.004")
                && text.contains("at the end +0.006"),
            "{text}"
        );
        // info_coverage: |−0.27| against a half-width of 0.18 widened 1.6× is not clear; the
        // cost is.
        assert!(
            text.contains("cost +500") && !text.contains("info_coverage"),
            "{text}"
        );
        assert!(
            text.contains("compares 34 rows") && text.contains("about 2 of them"),
            "{text}"
        );
        assert!(
            text.contains("c vs a: stability over the run differs by +0.000"),
            "{text}"
        );
        assert!(text.contains("identical in every replication"), "{text}");
    }

    /// The sweep's reading: the extremes, the gap between them, and whether any two points are
    /// told apart — by the highest interval floor against the lowest ceiling, not by the
    /// extremes alone; one point, equal values and one replication are said as such.
    #[test]
    fn the_sweep_reading_says_what_the_intervals_allow() {
        let header: Vec<String> = ["point", "x", "replications", "m", "m_ci_low", "m_ci_high"]
            .map(String::from)
            .to_vec();
        let row = |x: &str, n: &str, mean: f64, lo: f64, hi: f64| -> Vec<String> {
            vec![
                "0".into(),
                x.into(),
                n.into(),
                mean.to_string(),
                lo.to_string(),
                hi.to_string(),
            ]
        };
        let read = |rows: &[Vec<String>]| sweep_reading("m", &[], &header, rows);
        // A wide point overlaps both others; the two narrow ones are apart.
        let text = read(&[
            row("a", "5", 0.80, 0.70, 0.90),
            row("b", "5", 0.76, 0.755, 0.765),
            row("c", "5", 0.74, 0.735, 0.745),
        ]);
        assert!(text.contains("differ by 0.060"), "{text}");
        assert!(
            text.contains("the interval of x = b lies wholly above that of x = c"),
            "{text}"
        );
        let text = read(&[
            row("a", "5", 0.80, 0.70, 0.90),
            row("c", "5", 0.74, 0.6, 0.8),
        ]);
        assert!(text.contains("separate no two points"), "{text}");
        let text = read(&[
            row("a", "1", 0.80, 0.80, 0.80),
            row("c", "1", 0.74, 0.74, 0.74),
        ]);
        assert!(
            text.contains("one replication per point") && text.contains("one run"),
            "{text}"
        );
        assert!(!text.contains("told apart"), "{text}");
        let text = read(&[row("a", "5", 0.0, 0.0, 0.0), row("c", "5", 0.0, 0.0, 0.0)]);
        assert!(text.contains("Every point gives the same"), "{text}");
        let text = read(&[row("a", "5", 0.5, 0.4, 0.6)]);
        assert!(text.contains("at the one point"), "{text}");
    }

    /// Partners whose standing is the mission's have identical rows: the reading names them in
    /// one entry and says why once, instead of listing copies.
    #[test]
    fn identical_standings_are_read_once() {
        let header: Vec<String> = [
            "config",
            "metric",
            "statistic",
            "n",
            "mean",
            "ci_low",
            "ci_high",
            "diff_vs_first",
            "diff_ci_low",
            "diff_ci_high",
            "diff_method",
            "cohens_d",
            "variation",
            "better",
            "verdict",
        ]
        .map(String::from)
        .to_vec();
        let row = |config: &str, metric: &str, mean: &str, d: &str| -> Vec<String> {
            [
                config, metric, "final", "30", mean, "0.7", "0.9", d, "0.001", "0.007", "paired",
                "0.6", "random", "higher", "better",
            ]
            .map(String::from)
            .to_vec()
        };
        let rows = vec![
            row("a", "community_trust:force", "0.8", "0"),
            row("a", "community_trust:agency", "0.8", "0"),
            row("a", "community_trust:ngo", "0.9", "0"),
            row("b", "community_trust:force", "0.81", "0.004"),
            row("b", "community_trust:agency", "0.81", "0.004"),
            row("b", "community_trust:ngo", "0.95", "0.05"),
        ];
        let text = compare_reading(&header, &rows);
        assert!(
            text.contains("community_trust:force = agency +0.004"),
            "{text}"
        );
        assert_eq!(text.matches("community_trust:agency").count(), 0, "{text}");
        assert!(
            text.contains("Communities' trust in force, agency is the same in every row"),
            "{text}"
        );
        assert!(!text.contains("in force, agency, ngo"), "{text}");
    }

    /// The page's command runs as pasted: bundled scenarios by name, odd paths quoted, the
    /// animation asked for when the run drew one.
    #[test]
    fn the_rerun_command_pastes_into_a_shell() {
        let id = |file: &str| RunIdentity {
            scenario_name: "x".into(),
            scenario_file: file.into(),
            scenario_sha256: String::new(),
            seed: 7,
            run: 0,
            ticks: 30,
            command_line: Vec::new(),
        };
        let gif = vec![("animation.gif".to_string(), Vec::new())];
        assert_eq!(
            rerun_command(&id("<bundled>/baseline.toml"), &[]),
            "peacesim run baseline --seed 7 --ticks 30"
        );
        assert_eq!(
            rerun_command(&id("<bundled>/epstein.toml"), &gif),
            "peacesim run epstein --seed 7 --ticks 30 --animate"
        );
        assert_eq!(
            rerun_command(&id("scenarios/my-mission.toml"), &[]),
            "peacesim run scenarios/my-mission.toml --seed 7 --ticks 30"
        );
        assert_eq!(
            rerun_command(&id("my files/it's.toml"), &[]),
            "peacesim run 'my files/it'\\''s.toml' --seed 7 --ticks 30"
        );
    }
}
