#!/usr/bin/env bash
# Docking: Mesa 3.3.1's own Epstein civil-violence example (unmodified) against peacesim's
# scenarios/epstein-mesa.toml, over several parameter sets and many seeds.
#
#   benches/mesa/dock.sh [SEEDS] [STEPS]        (defaults 30 and 250)
#
# Installs Mesa 3.3.1, networkx and scipy into target/mesa-venv (as compare.sh does), runs both
# models for seeds 1..SEEDS and STEPS steps on each parameter set below, and prints the table of
# docs/VALIDATION.md (dock_stats.py explains the statistics; it exits 1 if a row fails to dock).
# Mesa runs at ~25 steps/s: 3 sets × 30 seeds × 250 steps take 15-25 minutes. Raw counts are kept
# in target/dock/{mesa,peacesim}.csv.
#
#   CONTRAST=1 benches/mesa/dock.sh [SEEDS] [STEPS]
#
# runs peacesim with NetLogo's order, exact placement and end-of-tick jail accounting instead
# (the three switches of docs/MODEL.md, everything else as Mesa) against the Mesa counts of the
# last full run (target/dock/mesa.csv, same SEEDS and STEPS): the table the fix started from.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/benches/args.sh"
help_if_asked "$0" "${1:-}"
seeds=${1:-30}
steps=${2:-250}
need_count "$0" SEEDS "$seeds" 1 "benches/mesa/dock.sh [SEEDS] [STEPS]"
need_count "$0" STEPS "$steps" 1 "benches/mesa/dock.sh [SEEDS] [STEPS]"
venv=${MESA_VENV:-$root/target/mesa-venv}
work=$root/target/dock

# name, citizen density, cop density, legitimacy, max jail term
sets=(
  "defaults 0.7 0.074 0.8 1000"   # Mesa's model defaults
  "gui 0.7 0.04 0.82 30"          # Mesa's app.py (GUI) settings
  "lively 0.7 0.04 0.8 15"        # GUI cops, lower legitimacy, short terms: frequent outbursts
)

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "mesa==3.3.1" networkx scipy >/dev/null
(cd "$root" && cargo build --release -q)
bin="$root/target/release/peacesim"
mkdir -p "$work"
contrast=${CONTRAST:-0}
if [ "$contrast" = 1 ]; then
  peace_csv=$work/peacesim-netlogo-rules.csv
  rules=(-e 's/^order = .*/order = "move_then_act"/' -e 's/^placement = .*/placement = "exact"/'
         -e 's/^jail_accounting = .*/jail_accounting = "end_of_tick"/')
  [ -s "$work/mesa.csv" ] || { echo "CONTRAST=1 needs $work/mesa.csv from a full run" >&2; exit 2; }
else
  peace_csv=$work/peacesim.csv
  rules=(-e 's/^$//')
  : >"$work/mesa.csv"
fi
: >"$peace_csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for set in "${sets[@]}"; do
  read -r name cd cop legit jail <<<"$set"
  # peacesim: epstein-mesa.toml with this set's parameters (patrols = round(cop density × cells)).
  patrols=$(python3 -c "print(round($cop * 1600))")
  sed -e "s/^density = .*/density = $cd/" -e "s/^initial_trust = .*/initial_trust = $legit/" \
      -e "s/^max_jail_term = .*/max_jail_term = $jail/" -e "s/^count = .*/count = $patrols/" \
      "${rules[@]}" "$root/scenarios/epstein-mesa.toml" >"$tmp/$name.toml"
  echo "peacesim, $name: $seeds seeds × $steps steps…" >&2
  for seed in $(seq 1 "$seeds"); do
    "$bin" run "$tmp/$name.toml" --seed "$seed" --ticks "$steps" --out "$tmp/out" >/dev/null 2>&1
    # timeseries.csv: tick,population,quiescent,active,detained,…
    awk -F, -v s="$name" -v seed="$seed" 'NR > 1 { print s "," seed "," $1 "," $4 "," $3 "," $5 }' \
      "$tmp/out/epstein-mesa/timeseries.csv" >>"$peace_csv"
  done
  [ "$contrast" = 1 ] && continue
  echo "Mesa 3.3.1, $name: $seeds seeds × $steps steps…" >&2
  nice "$venv/bin/python" "$here/dock_mesa.py" "$name" 1 "$seeds" "$steps" "$cd" "$cop" "$legit" "$jail" \
    >>"$work/mesa.csv"
done
"$venv/bin/python" "$here/dock_stats.py" "$work/mesa.csv" "$peace_csv" "$steps"
