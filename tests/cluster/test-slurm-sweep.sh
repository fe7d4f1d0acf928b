#!/bin/bash
# A sweep run on a private single-node Slurm cluster: `sweep --slurm 2 --submit` writes and
# submits a 2-task array and its merge; the merged results.csv must equal the same sweep run
# locally. Usage: test-slurm-sweep.sh SHARDSIM_BINARY SOURCE_DIR
set -euo pipefail
binary=$(realpath "$1")
source_dir=$(realpath "$2")
source "$source_dir/tests/cluster/private-slurm.sh"
work=$(mktemp -d /tmp/shardsim-cluster-XXXXXX)
trap 'slurm_stop; rm -rf "$work"' EXIT

slurm_start
scenario="$source_dir/scenarios/capacity/shards-x-pf.json"
sets=(--set duration_s=20)

"$binary" sweep "$scenario" "${sets[@]}" --out "$work/local" --jobs 2 > /dev/null
"$binary" sweep "$scenario" "${sets[@]}" --out "$work/cluster" --slurm 2 --submit
# Wait for the array and the merge to leave the queue (at most 5 minutes).
for _ in $(seq 1 300); do
  [ -z "$(squeue -h -o %i)" ] && break
  sleep 1
done
if [ -n "$(squeue -h -o %i)" ]; then
  echo "FAIL: jobs still queued after 5 minutes:"; squeue; exit 1
fi
for log in "$work"/cluster/slurm/*.log; do echo "== $log"; cat "$log"; done
if ! cmp "$work/local/results.csv" "$work/cluster/results.csv"; then
  echo "FAIL: the cluster's merged table differs from the local one"
  diff "$work/local/results.csv" "$work/cluster/results.csv" || true
  exit 1
fi
# Nothing to re-submit once every slice is complete.
"$binary" sweep "$scenario" "${sets[@]}" --out "$work/cluster" --slurm 2 --resume | grep -q "nothing to submit"
echo "PASS: the Slurm sweep's merged table equals the local one"
