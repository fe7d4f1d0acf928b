#!/bin/bash
# A sweep and a plan run on a private single-node Slurm cluster. `sweep --slurm 2 --submit`
# writes and submits a 2-task array and its merge: the merged results.csv must equal the same
# sweep run locally. `plan --slurm 2 --submit` and `compare --slurm 2 --submit` submit one 2-task
# job each whose command runs each simulation as a job step: their plan.json and compare.json
# must equal the local ones.
# Usage: test-slurm.sh SHARDSIM_BINARY SOURCE_DIR
set -euo pipefail
binary=$(realpath "$1")
source_dir=$(realpath "$2")
source "$source_dir/tests/cluster/private-slurm.sh"
work=$(mktemp -d /tmp/shardsim-cluster-XXXXXX)
trap 'slurm_stop; rm -rf "$work"' EXIT

# Wait for every job to leave the queue (at most 5 minutes).
wait_for_queue() {
  for _ in $(seq 1 300); do
    [ -z "$(squeue -h -o %i)" ] && return 0
    sleep 1
  done
  echo "FAIL: jobs still queued after 5 minutes:"; squeue; exit 1
}

# The cluster's output file must equal the local one: same_output LOCAL CLUSTER WHAT.
same_output() {
  if ! cmp "$1" "$2"; then
    echo "FAIL: the cluster's $3 differs from the local one"
    diff "$1" "$2" || true
    exit 1
  fi
}

slurm_start
scenario="$source_dir/scenarios/capacity/shards-x-pf.json"
sets=(--set duration_s=20)

"$binary" sweep "$scenario" "${sets[@]}" --out "$work/local" --jobs 2 > /dev/null
"$binary" sweep "$scenario" "${sets[@]}" --out "$work/cluster" --slurm 2 --submit
wait_for_queue
for log in "$work"/cluster/slurm/*.log; do echo "== $log"; cat "$log"; done
same_output "$work/local/results.csv" "$work/cluster/results.csv" "merged table"
# Nothing to re-submit once every slice is complete.
"$binary" sweep "$scenario" "${sets[@]}" --out "$work/cluster" --slurm 2 --resume | grep -q "nothing to submit"
echo "PASS: the Slurm sweep's merged table equals the local one"

plan="$source_dir/scenarios/plan/steady.json"
"$binary" plan "$plan" "${sets[@]}" --out "$work/plan-local" --jobs 2 > /dev/null
"$binary" plan "$plan" "${sets[@]}" --out "$work/plan-cluster" --slurm 2 --submit
wait_for_queue
cat "$work/plan-cluster/slurm/plan.log"
steps=$(ls "$work/plan-cluster/points"/*.json | wc -l)
[ "$steps" -gt 0 ] || { echo "FAIL: the plan job ran no simulation"; exit 1; }
same_output "$work/plan-local/plan.json" "$work/plan-cluster/plan.json" "plan"
# Each run was a job step of the plan's job, launched by slurmd (srun names the steps shardsim-run).
launched=$(grep -c "launch task StepId=[0-9]*\.[0-9]" "$SLURM_DIR/log/slurmd.log" || true)
if [ "$launched" -lt "$steps" ]; then
  echo "FAIL: $steps runs but $launched job steps launched"; grep -i step "$SLURM_DIR/log/slurmd.log" | tail; exit 1
fi
echo "PASS: the Slurm plan ($steps runs, $launched job steps) equals the local one"

compare="$source_dir/scenarios/compare/per-key-order.json"
"$binary" compare "$compare" "${sets[@]}" --out "$work/compare-local" --jobs 2 > /dev/null
"$binary" compare "$compare" "${sets[@]}" --out "$work/compare-cluster" --slurm 2 --submit
wait_for_queue
cat "$work/compare-cluster/slurm/compare.log"
same_output "$work/compare-local/compare.json" "$work/compare-cluster/compare.json" "comparison"
echo "PASS: the Slurm comparison equals the local one"
