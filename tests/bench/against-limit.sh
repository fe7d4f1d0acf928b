#!/usr/bin/env bash
# shardsim against the hand-written event loop of ../shared/peers/limit.cpp, on its pipeline
# (scenarios/bench/limit.json) and on the 10x one: CPU seconds and peak memory of each, run
# alternately three times; the ratio is the median of the pairs' ratios. Prints a table and
# writes the rows as JSON. Skips (exit 0) when limit.cpp is not there.
#   tests/bench/against-limit.sh [build/shardsim]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/shardsim}
out=${LIMIT_OUT:-limit-results.json}
peer=${LIMIT_SOURCE:-../shared/peers/limit.cpp}
if [ ! -f "$peer" ]; then
  echo "against-limit: $peer not found; skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g++ -O2 -std=c++17 -o "$tmp/limit" "$peer" -lcrypto

# name | shardsim overrides | limit's arguments
cases=(
  "64-shards||64 32000 120 100 2 0.02 0.001 100000 9"
  "640-shards|--set stream.shards=640 --set producers.0.rate_per_s=320000 --set duration_s=30|640 320000 30 100 2 0.02 0.001 100000 9"
)
# CPU seconds (user + system) and peak RSS in KiB of a command, from /usr/bin/time.
measure() {
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$@" > "$tmp/stdout" 2> /dev/null
  awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$tmp/time"
}
join() { local IFS=,; echo "$*"; }
printf '%-11s %10s %10s %8s %12s %12s %8s\n' case shardsim_s limit_s ratio shardsim_MiB limit_MiB ratio
echo "[" > "$out"
first=1
for c in "${cases[@]}"; do
  IFS='|' read -r name args limit_args <<< "$c"
  ratios=() ; sim_s=() ; lim_s=() ; sim_kib=0 ; lim_kib=0
  for _ in 1 2 3; do
    # shellcheck disable=SC2086
    read -r s sk < <(measure "$bin" run scenarios/bench/limit.json --quiet $args)
    # shellcheck disable=SC2086
    read -r l lk < <(measure "$tmp/limit" $limit_args)
    ratios+=("$(python3 -c "print($s / $l)")")
    sim_s+=("$s"); lim_s+=("$l")
    sim_kib=$((sk > sim_kib ? sk : sim_kib)); lim_kib=$((lk > lim_kib ? lk : lim_kib))
  done
  row=$(python3 -c "
import json, statistics
r = [$(join "${ratios[@]}")]; s = [$(join "${sim_s[@]}")]; l = [$(join "${lim_s[@]}")]
print(json.dumps({'case': '$name', 'shardsim_cpu_s': statistics.median(s), 'limit_cpu_s': statistics.median(l),
                  'cpu_ratio': statistics.median(r), 'shardsim_peak_kib': $sim_kib, 'limit_peak_kib': $lim_kib,
                  'memory_ratio': $sim_kib / $lim_kib}))")
  python3 -c "
import json; r = json.loads('''$row''')
print('%-11s %10.2f %10.2f %7.1fx %12.0f %12.0f %7.1fx' % (r['case'], r['shardsim_cpu_s'], r['limit_cpu_s'], r['cpu_ratio'],
      r['shardsim_peak_kib'] / 1024, r['limit_peak_kib'] / 1024, r['memory_ratio']))"
  [ $first = 1 ] || echo "," >> "$out"
  first=0
  echo "$row" >> "$out"
done
echo "]" >> "$out"
echo "written: $out"
