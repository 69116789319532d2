#!/usr/bin/env python3
"""The seed document's claims on the full baseline: one pair of scenarios per claim, derived from
scenarios/baseline.toml by changing one lever, R seeds each (default 30), a year each.

For every claim it prints the effect B − A on its headline metrics (whole-run means unless said
otherwise) with a Welch 95 % interval, the A/A noise (the interval half-width of the difference)
and whether the effect is *visible*: CI excludes zero, |effect| ≥ 3 × half-width and ≥ 0.02 on a
0–1 headline metric.

    cargo build --release && python3 benches/levers.py [--runs 30] [--jobs 2] [--only NAME]

Needs only Python 3 (standard library) and the release binary. Writes into a temporary folder.
"""

import argparse
import csv
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "peacesim")
# The scenario every pair is derived from (PEACESIM_LEVERS_BASE: another file with the baseline's
# [[partners]]/[[units]] layout, e.g. a baseline with one setting changed).
BASE = open(os.environ.get("PEACESIM_LEVERS_BASE", os.path.join(ROOT, "scenarios", "baseline.toml"))).read()


def partner_set(text, name, lines):
    """Add `lines` to the [[partners]] entry called `name` (after its kind line)."""
    pat = re.compile(r'(\[\[partners\]\]\nname = "%s"\nkind = "[^"]+"\n)' % re.escape(name))
    assert pat.search(text), name
    return pat.sub(lambda m: m.group(1) + lines + "\n", text, count=1)


def all_partners(text, lines):
    for name in re.findall(r'\[\[partners\]\]\nname = "([^"]+)"', text):
        text = partner_set(text, name, lines)
    return text


def units_set(text, partner, kind, field, value):
    pat = re.compile(r'(\[\[units\]\]\npartner = "%s"\nkind = "%s"\n)count = \d+' % (partner, kind))
    assert pat.search(text), (partner, kind)
    if field == "count":
        return pat.sub(lambda m: m.group(1) + "count = %d" % value, text, count=1)
    raise ValueError(field)


def table(text, toml):
    return text + "\n" + toml + "\n"


THIN = units_set(units_set(BASE, "un_mission", "patrol", "count", 30), "regional_force", "patrol", "count", 15)
THIN_TECH = partner_set(partner_set(THIN, "un_mission", 'technology = ["drones", "analytics", "telecom"]\npatrol_policy = "hotspot"'),
                        "regional_force", 'technology = ["drones", "analytics", "telecom"]\npatrol_policy = "hotspot"')
RESTRAINED = BASE.replace('posture = "robust"', 'posture = "restrained"')
SHARE_OPEN = 'sharing = "open"\nsharing_threshold = 0.0'
NEED = partner_set(partner_set(BASE, "relief_ngo", 'aid_policy = "need"'), "elders_council", 'aid_policy = "need"')
ALIGNED = "mandate = { protection = 0.6, stabilisation = 0.7, humanitarian = 0.6, commercial = 0.1 }"

# claim: (lever, A text, B text, [(metric, source, window, expected sign)])
# source "t" = timeseries.csv, "d:<district>" = districts.csv rows of that district.
CLAIMS = {
    "pooling": (
        "resource optimisation: pooled vs separate logistics",
        BASE,
        BASE.replace("pooled = []", 'pooled = ["un_mission", "regional_force", "logistics_co"]', 1),
        [("security_coverage", "t", "all", +1), ("cost_cumulative", "t", "final", -1),
         ("stability", "t", "all", +1)],
    ),
    "sharing": (
        "enhanced coordination: information sharing open vs none",
        BASE,
        all_partners(BASE, SHARE_OPEN),
        [("stability", "t", "all", +1), ("info_coverage", "t", "all", +1),
         ("spoiler_strength", "d:east", "all", -1), ("settled", "t", "all", +1)],
    ),
    "sharing-hotspot": (
        "enhanced coordination where forces act on information (thin forces with analytics + hotspot patrols): sharing open vs none",
        THIN_TECH,
        all_partners(THIN_TECH, SHARE_OPEN),
        [("stability", "t", "all", +1), ("info_coverage", "t", "all", +1),
         ("security_coverage", "t", "all", +1), ("spoiler_strength", "d:east", "all", -1),
         ("settled", "t", "all", +1)],
    ),
    "sharing-need": (
        "enhanced coordination where aid follows information (civilian partners' aid_policy = need): sharing open vs none",
        NEED,
        all_partners(NEED, SHARE_OPEN),
        [("stability", "t", "all", +1), ("info_coverage", "t", "all", +1),
         ("aid_coverage", "t", "all", +1)],
    ),
    "local": (
        "cultural competence: the local organisation's teams vs none",
        units_set(BASE, "elders_council", "aid_team", "count", 0),
        BASE,
        [("trust", "d:east", "all", +1), ("stability", "d:east", "all", +1)],
    ),
    "credibility": (
        "increased credibility: multinational + coordinated NGO vs one nation",
        # One nation: the regional force's patrols, supply and convoys become the UN mission's
        # (same resources, one flag); the regional force stays declared but fields nothing.
        # Both arms restrained, so that posture does not differ with the flag.
        RESTRAINED.replace('partner = "regional_force"\nkind = "patrol"', 'partner = "un_mission"\nkind = "patrol"')
            .replace('client = "regional_force"', 'client = "un_mission"')
            .replace('supply = 400\nsupply_capacity = 800', 'supply = 700\nsupply_capacity = 1400', 1)
            .replace('resupply = 120', 'resupply = 150', 1),
        partner_set(RESTRAINED, "relief_ngo", 'neutrality = "coordinated"'),
        [("trust", "t", "all", +1), ("stability", "t", "all", +1)],
    ),
    "mandates": (
        "disparate objectives: divergent vs aligned mandates",
        all_partners(BASE, ALIGNED + "\n" + SHARE_OPEN),
        all_partners(BASE, SHARE_OPEN),
        [("partner_trust", "t", "all", -1), ("stability", "t", "all", -1)],
    ),
    "friction": (
        "logistics / regulatory friction: separate frameworks vs one",
        all_partners(BASE, 'framework = "un"'),
        partner_set(partner_set(BASE, "regional_force", 'framework = "au"'), "logistics_co", 'framework = "private"'),
        [("units_operating", "t", "all", -1), ("security_coverage", "t", "all", -1)],
    ),
    "civmil": (
        "civil-military mistrust: low vs high initial trust forces-NGOs",
        partner_set(BASE, "relief_ngo", 'neutrality = "coordinated"').replace("civil_military_trust = 0.3", "civil_military_trust = 0.9"),
        partner_set(BASE, "relief_ngo", 'neutrality = "coordinated"').replace("civil_military_trust = 0.3", "civil_military_trust = 0.1"),
        [("aid_coverage", "d:east", "all", -1), ("aid_coverage", "t", "all", -1)],
    ),
    "withdrawal": (
        "political shifts: the lead contingent withdraws at day 180",
        BASE,
        table(BASE, '[[events]]\ntick = 180\nkind = "withdraw"\npartner = "un_mission"'),
        [("security_coverage", "t", "after:180", -1), ("stability", "t", "after:180", -1),
         ("settled", "t", "after:180", -1)],
    ),
    "technology": (
        "technology: drones + analytics + telecom, hotspot patrols",
        BASE,
        partner_set(partner_set(BASE, "un_mission", 'technology = ["drones", "analytics", "telecom"]\npatrol_policy = "hotspot"'),
                    "regional_force", 'technology = ["drones", "analytics", "telecom"]\npatrol_policy = "hotspot"'),
        [("stability", "t", "all", +1), ("security_coverage", "t", "all", +1)],
    ),
    "technology-thin": (
        "technology with thin forces (45 patrols): drones + analytics + telecom, hotspot patrols",
        THIN,
        THIN_TECH,
        [("stability", "t", "all", +1), ("security_coverage", "t", "all", +1),
         ("settled", "t", "all", +1)],
    ),
    "posture": (
        "consent dilemma: robust vs restrained posture",
        BASE.replace('posture = "robust"', 'posture = "restrained"'),
        BASE.replace('posture = "restrained"', 'posture = "robust"'),
        [("trust", "t", "after:270", -1), ("stability", "t", "all", -1)],
    ),
    "neutrality": (
        "neutrality trade-off: coordinated vs independent NGO",
        BASE,
        partner_set(BASE, "relief_ngo", 'neutrality = "coordinated"'),
        [("aid_coverage", "t", "all", +1), ("community_trust", "p:relief_ngo", "all", -1),
         ("trust", "t", "all", -1)],
    ),
}

BOUNDED = {"stability", "trust", "community_trust", "security_coverage", "aid_coverage", "info_coverage",
           "partner_trust", "spoiler_strength", "calm", "liberty", "settled"}


def run_one(path, seed, out):
    subprocess.run([BIN, "run", path, "--seed", str(seed), "--out", out],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = re.search(r'(?m)^name = "([^"]+)"', open(path).read()).group(1)
    d = os.path.join(out, name)
    return (list(csv.DictReader(open(os.path.join(d, "timeseries.csv")))),
            list(csv.DictReader(open(os.path.join(d, "districts.csv")))),
            list(csv.DictReader(open(os.path.join(d, "partners.csv")))))


def measure(rows, metric, source, window):
    ts, ds, ps = rows
    if source == "t":
        series = [(int(r["tick"]), float(r[metric])) for r in ts]
    elif source.startswith("p:"):
        # A partner's standing: mean over districts, or in one district ("p:NAME:DISTRICT").
        parts = source.split(":")
        by_tick = {}
        for r in ps:
            if r["partner"] == parts[1] and (len(parts) < 3 or r["district"] == parts[2]):
                by_tick.setdefault(int(r["tick"]), []).append(float(r[metric]))
        series = sorted((t, statistics.fmean(v)) for t, v in by_tick.items())
    else:
        district = source.split(":")[1]
        series = [(int(r["tick"]), float(r[metric])) for r in ds if r["district"] == district]
    if window == "final":
        return series[-1][1]
    if window.startswith("after:"):
        t0 = int(window.split(":")[1])
        series = [s for s in series if s[0] > t0]
    return statistics.fmean(v for _, v in series)


def welch(a, b):
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    va, vb = statistics.variance(a), statistics.variance(b)
    na, nb = len(a), len(b)
    se = math.sqrt(va / na + vb / nb)
    if se == 0:
        return mb - ma, 0.0
    df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    # t quantile (0.975) by a good approximation (Hill 1970 style, accurate for df ≥ 3).
    z = 1.959963984540054
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    t = z + g1 / df + g2 / df ** 2 + g3 / df ** 3
    return mb - ma, t * se


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    for key, (_, a_text, b_text, _) in CLAIMS.items():
        # A variant that does not change its base (a lever whose text moved) measures nothing.
        assert a_text != b_text, key
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="peacesim-levers-")
    print("| claim | metric | A | B | B − A | 95 % CI | ±A/A | visible |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for key, (claim, a_text, b_text, metrics) in CLAIMS.items():
        if args.only and key != args.only:
            continue
        paths = []
        for arm, text in (("a", a_text), ("b", b_text)):
            text = re.sub(r'(?m)^name = "baseline"$', 'name = "%s-%s"' % (key, arm), text, count=1)
            p = os.path.join(tmp, "%s-%s.toml" % (key, arm))
            open(p, "w").write(text)
            paths.append(p)
        with ThreadPoolExecutor(args.jobs) as pool:
            futs = {(arm, s): pool.submit(run_one, paths[arm], s + 1, os.path.join(tmp, "o%d-%d-%s" % (arm, s, key)))
                    for arm in (0, 1) for s in range(args.runs)}
            rows = {k: f.result() for k, f in futs.items()}
        for metric, source, window, sign in metrics:
            a = [measure(rows[(0, s)], metric, source, window) for s in range(args.runs)]
            b = [measure(rows[(1, s)], metric, source, window) for s in range(args.runs)]
            d, h = welch(a, b)
            visible = (abs(d) > h and d * sign > 0 and abs(d) >= 3 * h
                       and (metric not in BOUNDED or abs(d) >= 0.02))
            where = "" if source == "t" else " (%s)" % source[2:].replace(":", " in ")
            when = "" if window == "all" else " [%s]" % window
            print("| %s | %s%s%s | %.4g | %.4g | %+.4f | [%+.4f, %+.4f] | %.4f | %s |" % (
                claim, metric, where, when, statistics.fmean(a), statistics.fmean(b), d, d - h, d + h, h,
                "yes" if visible else ("direction only" if d * sign > 0 and abs(d) > h else "no")))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
