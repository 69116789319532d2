#!/usr/bin/env bash
# peacesim against Mesa on the same model, in one invocation, on this machine.
#
#   benches/mesa/compare.sh [STEPS]        (default 200)
#
# Installs Mesa 3.3.1 (and networkx, which `mesa.examples` imports) from PyPI into a local
# virtual environment (target/mesa-venv), runs Mesa's own Epstein civil-violence example at the
# parameters of scenarios/epstein-mesa.toml, then peacesim on that scenario for the same number
# of steps, and prints both steady-state steps/s and the ratio. Both sides skip one warm-up step
# and report the best of 3 runs. peacesim's time is that of the simulation alone (spawn
# excluded: the difference between STEPS+1 ticks and 1 tick), as printed by `peacesim run`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
steps=${1:-200}
venv=${MESA_VENV:-$root/target/mesa-venv}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "mesa==3.3.1" networkx >/dev/null

(cd "$root" && cargo build --release -q)
bin="$root/target/release/peacesim"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "Mesa 3.3.1 example, $steps steps (best of 3)…" >&2
mesa_sps=$("$venv/bin/python" "$here/run_mesa.py" "$steps" 3)

sim_seconds() { # ticks seed -> seconds of simulation printed by peacesim run
  "$bin" run "$root/scenarios/epstein-mesa.toml" --ticks "$1" --seed "$2" --out "$out" 2>&1 \
    | sed -n 's/.* ticks in \([0-9.]*\) s.*/\1/p'
}
# peacesim is timed over more steps (at least 2,000) so that its time is well above the clock's
# resolution; both figures are steady-state rates.
psteps=$(( steps > 2000 ? steps : 2000 ))
echo "peacesim, $psteps steps (best of 3)…" >&2
best=0
for seed in 1 2 3; do
  one=$(sim_seconds 1 "$seed")
  all=$(sim_seconds $((psteps + 1)) "$seed")
  sps=$(python3 -c "d=$all-$one; print(f'{$psteps/d:.3f}' if d>0 else 'inf')")
  best=$(python3 -c "print(max($best, float('$sps')))")
done
python3 - "$mesa_sps" "$best" "$steps" <<'PY'
import sys
mesa, peacesim, steps = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
print(f"Epstein civil violence, Mesa example defaults (40x40, 0.7/0.074, vision 7, J=1000), {steps} steps")
print(f"  Mesa 3.3.1:  {mesa:10.1f} steps/s")
print(f"  peacesim:    {peacesim:10.1f} steps/s  (scenarios/epstein-mesa.toml: the same settings and rules)")
print(f"  ratio:       {peacesim / mesa:10.1f}x")
PY
