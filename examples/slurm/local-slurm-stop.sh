#!/usr/bin/env bash
# Stop the single-node Slurm started by local-slurm-start.sh, and munge; remove stale pid files.
set -uo pipefail
scontrol shutdown >/dev/null 2>&1 || true
stop() { # pidfile name
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || break
    grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && break   # a zombie is as good as gone
    kill "$pid" 2>/dev/null || true
    sleep 0.5
  done
  rm -f "$1"
}
stop /run/slurmd.pid
stop /run/slurmctld.pid
stop /run/munge/munged.pid
echo "slurm stopped" >&2
