#!/usr/bin/env bash
# Kill `run`, `compare` and `sweep` with SIGKILL at random moments and check what they leave.
#
#   bash benches/kill-test.sh [BINARY] [KILLS]      (defaults: target/release/peacesim, 50)
#
# For each command: reference outputs are made first (two seeds for run and compare, so a
# folder mixing two runs would show). Then KILLS times: start the command into the same folder,
# SIGKILL it after a random delay (0 to 1.3 × its normal duration), and check that
#   - every final-named file is byte-identical to the reference of one seed (never partial),
#   - a manifest.json, if present, matches every file it lists (SHA-256),
#   - every complete journal line is a line of the reference journal;
# then run the same command to completion and check that it leaves no temporaries and exactly
# the reference files. Exit status 1 if any check failed. Needs python3.
set -u
BIN=$(realpath "${1:-target/release/peacesim}")
KILLS=${2:-50}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Short inputs (60 ticks of the baseline) so that 50 kills take a minute or two.
sed -e 's/^ticks = .*/ticks = 60/' -e 's/^name = "baseline"/name = "kill-a"/' \
    "$REPO/scenarios/baseline.toml" > a.toml
sed -e 's/^ticks = .*/ticks = 60/' -e 's/^name = "baseline"/name = "kill-b"/' \
    "$REPO/scenarios/baseline.toml" > b.toml
cat > sweep.toml <<TOML
[sweep]
name = "kill"
base = "a.toml"
seed = 7
replications = 2
ticks = 40
metric = "mean_stability"

[[parameters]]
path = "units.0.count"
values = [40, 110]

[[parameters]]
path = "scenario.description"
values = ["one line", "two\nlines, \"quoted\""]
TOML

check() { # check OUT REF... : the state a kill left
  python3 - "$@" <<'PY'
import hashlib, os, sys
out, refs = sys.argv[1], sys.argv[2:]
bad = []
def read(p):
    with open(p, 'rb') as f: return f.read()
for root, dirs, files in os.walk(out):
    for n in files:
        p = os.path.join(root, n); rel = os.path.relpath(p, out)
        if n.startswith('.'): continue          # lock files and temporaries
        b = read(p)
        if n.endswith('.journal'):
            lines = set()
            for r in refs:
                if os.path.exists(os.path.join(r, rel)): lines |= set(read(os.path.join(r, rel)).split(b'\n'))
            complete = b.split(b'\n')[:-1]
            if any(l not in lines for l in complete): bad.append(f'{rel}: a complete line not in the reference journal')
            continue
        if not any(os.path.exists(os.path.join(r, rel)) and read(os.path.join(r, rel)) == b for r in refs):
            bad.append(f'{rel}: partial or mixed (matches no reference)')
m = os.path.join(out, 'manifest.json')
if os.path.exists(m):
    import json
    for name, h in json.loads(read(m))['files'].items():
        p = os.path.join(out, name)
        if not os.path.exists(p) or hashlib.sha256(read(p)).hexdigest() != h:
            bad.append(f'manifest.json: {name} does not match')
for b in bad: print('  FAIL', b)
sys.exit(1 if bad else 0)
PY
}

temporaries() { find "$1" -name '.*.tmp-*' | wc -l; }

failures=0
trial() { # trial NAME OUTDIR FRESH ARGS-A -- ARGS-B : ARGS-B may equal ARGS-A; FRESH=1 empties
  # the folder before every other attempt (a sweep resumed from a complete journal is too quick
  # to be caught running)
  local name=$1 out=$2 fresh=$3; shift 3
  local a=() b=() seen=0
  for x in "$@"; do if [ "$x" = "--" ]; then seen=1; elif [ $seen = 0 ]; then a+=("$x"); else b+=("$x"); fi; done
  rm -rf "$out" ref-a ref-b
  local t0=$(date +%s%N)
  "$BIN" "${a[@]}" >/dev/null 2>&1 || { echo "$name: reference run failed"; failures=$((failures+1)); return; }
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  mv "$out" ref-a
  "$BIN" "${b[@]}" >/dev/null 2>&1; mv "$out" ref-b
  local killed=0 early=0 bad=0 leftover=0 stale=0 i=0
  while [ "$killed" -lt "$KILLS" ] && [ "$i" -lt $((KILLS * 4)) ]; do
    i=$((i+1))
    local args=("${a[@]}"); [ $((i % 2)) = 0 ] && args=("${b[@]}")
    [ "$fresh" = 1 ] && [ $((i % 2)) = 1 ] && rm -rf "$out"
    "$BIN" "${args[@]}" >/dev/null 2>&1 &
    local pid=$!
    local delay=$(( RANDOM % (ms * 13 / 10 + 1) ))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ $? = 137 ]; then killed=$((killed+1)); else early=$((early+1)); fi
    [ -d "$out" ] && stale=$((stale + $(temporaries "$out")))
    if [ -d "$out" ] && ! check "$out" ref-a ref-b; then bad=$((bad+1)); fi
    # The next run, to completion: no temporaries left, exactly the reference files.
    "$BIN" "${args[@]}" >/dev/null 2>&1 || { echo "  FAIL rerun exited $?"; bad=$((bad+1)); }
    local ref=ref-a; [ $((i % 2)) = 0 ] && ref=ref-b
    if [ "$(temporaries "$out")" != 0 ]; then leftover=$((leftover+1)); fi
    if ! check "$out" "$ref"; then bad=$((bad+1)); fi
  done
  echo "$name: $i attempts, $killed killed while running, $early had finished (reference ${ms} ms);" \
       "temporaries left by kills: $stale; failed checks: $bad; reruns leaving temporaries: $leftover"
  failures=$((failures + bad + leftover))
}

# run: seeds 1 and 2 into one folder (OUT/kill-a).
trial run o/kill-a 0 run a.toml --seed 1 --out o -- run a.toml --seed 2 --out o
# compare: seeds 1 and 2 into one folder.
trial compare c 0 compare a.toml b.toml --runs 3 --seed 1 --out c --quiet -- \
                compare a.toml b.toml --runs 3 --seed 2 --out c --quiet
# sweep: the same sweep each time (a resumed sweep must give the same files); the journal is
# checked line by line.
trial sweep s 1 sweep sweep.toml --out s --quiet -- sweep sweep.toml --out s --quiet
[ "$failures" = 0 ] && echo "kill test: all checks passed" || echo "kill test: $failures failures"
[ "$failures" = 0 ]
