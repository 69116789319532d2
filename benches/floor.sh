#!/usr/bin/env bash
# The floor of issue 16's million world on this machine: benches/floor/floor.rs (see its notes)
# built with rustc alone (-C opt-level=3, as cargo's release profile; no -C target-cpu) and run
# on one core.
#
#   bash benches/floor.sh [TICKS]        (default 20; SIMD=1 also times AVX-512 proposals,
#                                         BITS=1 an exact sampler without rejection)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/args.sh"
help_if_asked "$0" "${1:-}"
ticks=${1:-20}
need_count "$0" TICKS "$ticks" 1 "bash benches/floor.sh [TICKS]"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rustc --edition 2024 -C opt-level=3 "$here/floor/floor.rs" -o "$out/floor"
taskset -c 0 "$out/floor" "$ticks"
