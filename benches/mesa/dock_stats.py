"""Docking statistics: Mesa 3.3.1's example against peacesim, per parameter set and statistic.

    python dock_stats.py MESA.csv PEACESIM.csv STEPS

Both CSVs have rows `set,seed,step,active,quiet,arrested` (peacesim's "detained" is Mesa's
"arrested"); shares are of the run's citizens. Per run:
  mean active   mean active share over steps 50..STEPS
  max active    largest active share over steps 1..STEPS
  mean jailed   mean arrested share over steps 50..STEPS
  outbursts     upward crossings of 5 % active (share > 0.05 after a step at ≤ 0.05; step 0 is 0)
  first > 5 %   first step with active share > 0.05 (STEPS + 1 if none)
For each set and statistic: means ± sd, peacesim − Mesa with a Welch 95 % CI, the Mann–Whitney U
and two-sample Kolmogorov–Smirnov p-values Holm-corrected across the whole table (every set,
statistic and both tests form one family), and the ratio of the seed-to-seed sds. A statistic
docks if neither corrected p is below 0.05 and the sd ratio is within [1/1.5, 1.5].
"""
import csv
import math
import sys
from collections import defaultdict

import numpy as np
from scipy import stats

mesa_csv, peacesim_csv, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
STATS = ["mean active", "max active", "mean jailed", "outbursts", "first > 5 %"]


def load(path):
    runs = defaultdict(dict)  # (set, seed) -> step -> (active, quiet, arrested)
    with open(path) as f:
        for row in csv.reader(f):
            s, seed, step, a, q, j = row
            runs[(s, int(seed))][int(step)] = (int(a), int(q), int(j))
    out = defaultdict(lambda: defaultdict(list))  # set -> stat -> values
    for (s, _), series in sorted(runs.items()):
        n = sum(series[1])
        act = np.array([series[t][0] / n for t in range(1, steps + 1)])
        jail = np.array([series[t][2] / n for t in range(1, steps + 1)])
        above = act > 0.05
        prev = np.concatenate([[False], above[:-1]])
        out[s]["mean active"].append(act[49:].mean())
        out[s]["max active"].append(act.max())
        out[s]["mean jailed"].append(jail[49:].mean())
        out[s]["outbursts"].append(int((above & ~prev).sum()))
        out[s]["first > 5 %"].append(int(np.argmax(above)) + 1 if above.any() else steps + 1)
        out[s]["citizens"].append(n)
    return out


def p_values(a, b):
    if np.all(a == a[0]) and np.all(b == a[0]):
        return 1.0, 1.0  # identical constants: no test can tell them apart
    mwu = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
    ks = stats.ks_2samp(a, b).pvalue
    return float(mwu), float(ks)


def welch_ci(a, b):
    d = a.mean() - b.mean()
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return d, d, d
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    h = stats.t.ppf(0.975, df) * se
    return d, d - h, d + h


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adj, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adj[i] = running
    return adj


mesa, peace = load(mesa_csv), load(peacesim_csv)
sets = [s for s in mesa if s in peace]
rows, raw = [], []
for s in sets:
    for st in STATS:
        a, b = np.array(peace[s][st], float), np.array(mesa[s][st], float)
        mwu, ks = p_values(a, b)
        rows.append((s, st, a, b))
        raw += [mwu, ks]
adj = holm(raw)

fmt = "{:.4f}"
print(f"Mesa 3.3.1 example vs peacesim (scenarios/epstein-mesa.toml), {steps} steps per run; "
      f"Holm over {len(raw)} tests (MWU and KS for every row)")
print("| set | statistic | Mesa mean ± sd | peacesim mean ± sd | peacesim − Mesa [Welch 95 % CI] "
      "| MWU p raw / Holm | KS p raw / Holm | sd ratio | docks |")
print("|---|---|---|---|---|---|---|---|---|")
failures = 0
for k, (s, st, a, b) in enumerate(rows):
    d, lo, hi = welch_ci(a, b)
    sa, sb = a.std(ddof=1), b.std(ddof=1)
    ratio = 1.0 if sa == sb == 0 else (sa / sb if sb > 0 else float("inf"))
    pm, pk = adj[2 * k], adj[2 * k + 1]
    rm, rk = raw[2 * k], raw[2 * k + 1]
    ok = pm >= 0.05 and pk >= 0.05 and 1 / 1.5 <= ratio <= 1.5
    failures += not ok
    f = fmt if st in ("mean active", "max active", "mean jailed") else "{:.2f}"
    print(f"| {s} (n = {len(b)}/{len(a)}) | {st} | {f.format(b.mean())} ± {f.format(sb)} "
          f"| {f.format(a.mean())} ± {f.format(sa)} | {f.format(d)} [{f.format(lo)}, {f.format(hi)}] "
          f"| {rm:.3g} / {pm:.3g} | {rk:.3g} / {pk:.3g} | {ratio:.2f} | {'yes' if ok else 'NO'} |")
print()
for s in sets:
    cm, cp = np.array(mesa[s]["citizens"]), np.array(peace[s]["citizens"])
    print(f"citizens per run, {s}: Mesa {cm.mean():.1f} ± {cm.std(ddof=1):.1f}, "
          f"peacesim {cp.mean():.1f} ± {cp.std(ddof=1):.1f}")
print(f"\n{len(rows) - failures} of {len(rows)} rows dock")
sys.exit(1 if failures else 0)
