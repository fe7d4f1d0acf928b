#!/bin/bash
# A private single-node Slurm for tests: munged (started only if none runs), slurmctld and
# slurmd with a generated slurm.conf in a temporary directory. Nothing system-wide is changed.
#   source tests/cluster/private-slurm.sh; slurm_start; …; slurm_stop
# slurm_start exports SLURM_CONF so that sbatch, squeue and sacct use this cluster.

slurm_start() {
  SLURM_DIR=$(mktemp -d /tmp/shardsim-slurm-XXXXXX)
  export SLURM_DIR
  local host cpus user
  host=$(hostname -s)
  cpus=$(nproc)
  user=$(id -un)
  mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool" "$SLURM_DIR/log"
  if ! pgrep -x munged > /dev/null; then
    mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
    if [ ! -s /etc/munge/munge.key ]; then
      echo "private-slurm: /etc/munge/munge.key is missing (install the munge package)" >&2
      return 1
    fi
    su -s /bin/sh munge -c /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force || return 1
    SLURM_STARTED_MUNGE=1
  fi
  cat > "$SLURM_DIR/slurm.conf" <<CONF
ClusterName=shardsim-test
SlurmctldHost=$host
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=$((17000 + RANDOM % 2000))
SlurmdPort=$((19000 + RANDOM % 2000))
AuthType=auth/munge
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$SLURM_DIR/slurm.conf"
  /usr/sbin/slurmctld -f "$SLURM_CONF" -i || return 1
  /usr/sbin/slurmd -f "$SLURM_CONF" || return 1
  # Ready when the node is idle.
  for _ in $(seq 1 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then return 0; fi
    sleep 0.5
  done
  echo "private-slurm: the node did not come up; see $SLURM_DIR/log" >&2
  return 1
}

slurm_stop() {
  [ -n "${SLURM_DIR:-}" ] || return 0
  for daemon in slurmd slurmctld; do
    local pidfile="$SLURM_DIR/$daemon.pid"
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2> /dev/null
  done
  sleep 1
  if [ -n "${SLURM_STARTED_MUNGE:-}" ]; then pkill -x munged || true; fi
  rm -rf "$SLURM_DIR"
}
