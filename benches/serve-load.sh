#!/usr/bin/env bash
# Load test of `peacesim serve`: start the server on a free port, play N baseline simulations
# at once (benches/serve-load.mjs), then print the server's peak resident memory (VmHWM).
#   bash benches/serve-load.sh [BIN=target/release/peacesim] [SESSIONS=20] [DAYS_PER_REQUEST=8]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/peacesim}
sessions=${2:-20}
k=${3:-8}
log=$(mktemp)
"$bin" serve baseline --port 0 --max-sessions "$sessions" >"$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log")
echo "server idle: $(grep VmRSS /proc/$pid/status | tr -s ' ')"
node benches/serve-load.mjs "$url" "$sessions" "$k" baseline
echo "server peak: $(grep VmHWM /proc/$pid/status | tr -s ' ')"
