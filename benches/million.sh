#!/usr/bin/env bash
# Issue 16's two measures of the million world (benches/scenarios/million.toml: 10⁶ citizens,
# 10⁴ patrols, 1196², simultaneous), on one core:
#   CPU per tick = (CPU of `run --ticks T` − CPU of `run --ticks 1`) / (T − 1), user + sys;
#   bytes per citizen = (peak RSS of that run − peak RSS of the same map with 10³ citizens) / 10⁶.
#
#   bash benches/million.sh [T]        (default 11; needs /usr/bin/time and taskset)
#
# The whole command is timed (spawn, every system of every tick incl. metrics, the report), so the
# subtraction leaves ticks 2..T. Single runs on a shared machine swing ±15 %: run it twice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$here/args.sh"
help_if_asked "$0" "${1:-}"
ticks=${1:-11}
need_count "$0" T "$ticks" 2 "bash benches/million.sh [T]"
(cd "$root" && cargo build --release -q)
bin="$root/target/release/peacesim"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed 's/population = 1000000/population = 1000/' "$here/scenarios/million.toml" > "$out/thousand.toml"

measure() { # scenario ticks -> "cpu_seconds peak_rss_kb"
  /usr/bin/time -f "%U %S %M" -o "$out/time" taskset -c 0 "$bin" run "$1" --ticks "$2" --out "$out/run" >/dev/null 2>&1
  rm -rf "$out/run"
  awk '{print $1 + $2, $3}' "$out/time"
}
read -r one _ < <(measure "$here/scenarios/million.toml" 1)
read -r all rss < <(measure "$here/scenarios/million.toml" "$ticks")
read -r _ small < <(measure "$out/thousand.toml" "$ticks")
python3 - "$one" "$all" "$rss" "$small" "$ticks" <<'PY'
import sys
one, all_, rss, small, t = map(float, sys.argv[1:])
per = (all_ - one) / (t - 1)
print(f"million world, one core, ticks 2..{int(t)}: {per:.3f} s CPU per tick ({1 / per:.1f} ticks/s)")
print(f"peak RSS {rss / 1024:.0f} MB; same map with 10^3 citizens {small / 1024:.0f} MB; "
      f"{(rss - small) * 1024 / 1e6:.0f} bytes per citizen beyond the map")
PY
