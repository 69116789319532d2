#!/usr/bin/env bash
# peacesim against Mesa on the same model, in one invocation, on this machine, on one core.
#
#   benches/mesa/compare.sh [STEPS]        (default 200)
#
# Installs Mesa 3.3.1 (and networkx, which `mesa.examples` imports) from PyPI into a local
# virtual environment (target/mesa-venv) and runs Mesa's own Epstein civil-violence example,
# then peacesim on the same settings and rules (scenarios/epstein-mesa.toml, which docks with
# Mesa's code: docs/VALIDATION.md), on two sets of settings:
#   gui       the starting values of the example's GUI sliders (app.py: 40×40, citizens 0.7,
#             cops 0.04, legitimacy 0.82, max jail term 30) — the measure of issue 16;
#             peacesim runs epstein-mesa.toml with 64 patrols (0.04 × 1,600), initial_trust
#             0.82 and max_jail_term 30;
#   defaults  the model's constructor defaults (cops 0.074, legitimacy 0.8, max jail term 1000):
#             epstein-mesa.toml as bundled.
# Both sides skip one warm-up step and report the best of 3 runs (seeds 1-3), pinned to one core
# (taskset -c 0). peacesim is timed over max(STEPS, 2000) steps, two ways:
#   whole command  wall time of `peacesim run --ticks N+1` less that of `--ticks 1` (spawn, the
#                  CSV files, charts and report.html included: they grow with the ticks);
#   simulation     the time `peacesim run` prints for the ticks alone, N+1 less 1.
# Mesa is timed inside Python (run_mesa.py): STEPS calls of model.step() after the warm-up step,
# so neither the interpreter's start nor the imports are counted. The first run downloads Mesa
# 3.3.1 and networkx from PyPI (a few MB, once). Takes about a minute at STEPS = 200.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/benches/args.sh"
help_if_asked "$0" "${1:-}"
steps=${1:-200}
need_count "$0" STEPS "$steps" 1 "benches/mesa/compare.sh [STEPS]"
venv=${MESA_VENV:-$root/target/mesa-venv}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "mesa==3.3.1" networkx >/dev/null

(cd "$root" && cargo build --release -q)
bin="$root/target/release/peacesim"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The GUI settings as a scenario: the bundled file with three values changed, each checked.
gui="$out/epstein-mesa-gui.toml"
sed -e 's/^count = 118$/count = 64/' -e 's/^initial_trust = 0\.8$/initial_trust = 0.82/' \
  -e 's/^max_jail_term = 1000$/max_jail_term = 30/' "$root/scenarios/epstein-mesa.toml" > "$gui"
for line in '^count = 64$' '^initial_trust = 0.82$' '^max_jail_term = 30$'; do
  grep -q "$line" "$gui" || { echo "compare.sh: could not set $line in a copy of scenarios/epstein-mesa.toml" >&2; exit 1; }
done

psteps=$(( steps > 2000 ? steps : 2000 ))
# One run: prints "WALL SIM" (seconds) for SCENARIO TICKS SEED.
one_run() {
  local t0 t1 printed
  t0=$(date +%s.%N)
  printed=$(taskset -c 0 "$bin" run "$1" --ticks "$2" --seed "$3" --out "$out/run-$2" 2>&1)
  t1=$(date +%s.%N)
  rm -rf "$out/run-$2"
  echo "$(python3 -c "print($t1 - $t0)") $(sed -n 's/.* ticks in \([0-9.]*\) s.*/\1/p' <<<"$printed")"
}
# Best steps/s over seeds 1-3, as "WHOLE SIM".
peacesim_rate() {
  local best_w=0 best_s=0 seed w1 s1 wn sn
  for seed in 1 2 3; do
    read -r w1 s1 < <(one_run "$1" 1 "$seed")
    read -r wn sn < <(one_run "$1" $((psteps + 1)) "$seed")
    best_w=$(python3 -c "d=$wn-$w1; print(max($best_w, $psteps/d if d>0 else 0))")
    best_s=$(python3 -c "d=$sn-$s1; print(max($best_s, $psteps/d if d>0 else 0))")
  done
  echo "$best_w $best_s"
}

echo "Epstein civil violence, Mesa 3.3.1's example vs peacesim, one core; Mesa $steps steps, peacesim $psteps steps, best of 3"
for settings in gui defaults; do
  if [ "$settings" = gui ]; then scenario=$gui; what="GUI sliders (40x40, cops 0.04, L 0.82, J 30)"
  else scenario=$root/scenarios/epstein-mesa.toml; what="model defaults (40x40, cops 0.074, L 0.8, J 1000)"; fi
  mesa=$(taskset -c 0 "$venv/bin/python" "$here/run_mesa.py" "$steps" 3 "$settings")
  read -r whole sim < <(peacesim_rate "$scenario")
  python3 - "$what" "$mesa" "$whole" "$sim" <<'PY'
import sys
what, mesa, whole, sim = sys.argv[1], *map(float, sys.argv[2:])
print(f"{what}:")
print(f"  Mesa 3.3.1:                 {mesa:10.1f} steps/s")
print(f"  peacesim, whole command:    {whole:10.1f} steps/s   {whole / mesa:6.0f}x")
print(f"  peacesim, simulation only:  {sim:10.1f} steps/s   {sim / mesa:6.0f}x")
PY
done
