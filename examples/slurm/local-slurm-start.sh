#!/usr/bin/env bash
# Install (if needed), configure and start a single-node Slurm on this machine, without systemd,
# then wait until the node is idle. For CI and for trying the job-array examples on a laptop.
# Needs root. Debian's Slurm 22.05 and munge 0.5.
#
#   sudo examples/slurm/local-slurm-start.sh        # then: sinfo
#   sudo examples/slurm/local-slurm-stop.sh
set -euo pipefail

NODE=peacesim-node
CPUS=$(nproc)
TIMEOUT=${SLURM_START_TIMEOUT:-60}

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "installing slurmctld slurmd slurm-client munge" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

# munge: its own user, its own runtime dir, a key only it can read.
mkdir -p /run/munge /etc/munge /var/lib/munge /var/log/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /run/munge /etc/munge /var/lib/munge /var/log/munge
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
if ! pgrep -u munge -x munged >/dev/null; then
  rm -f /run/munge/munged.pid
  runuser -u munge -- munged
fi

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# Written by peacesim's examples/slurm/local-slurm-start.sh: one node on localhost.
ClusterName=peacesim
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# cgroup plugins fail here ("freezer not mounted") and drain the node.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
# Cores only (no memory tracking), so array tasks run side by side.
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=${CPUS} State=UNKNOWN
PartitionName=debug Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP
CONF

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat "$1")/status" 2>/dev/null; }
if ! alive /run/slurmctld.pid; then
  rm -f /run/slurmctld.pid
  slurmctld
fi
if ! alive /run/slurmd.pid; then
  rm -f /run/slurmd.pid
  slurmd -N "$NODE"
fi

# Wait for the node; a drained state survives restarts, so resume it once.
resumed=no
for _ in $(seq 1 "$TIMEOUT"); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n1 || true)
  case "$state" in
    idle|mixed|allocated) echo "slurm is up: node $NODE is $state ($CPUS CPUs)" >&2; exit 0 ;;
    drain*|down*|fail*)
      if [ "$resumed" = no ]; then
        scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
        resumed=yes
      fi ;;
  esac
  sleep 1
done
echo "slurm did not come up within ${TIMEOUT}s; node state: ${state:-unknown}" >&2
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
