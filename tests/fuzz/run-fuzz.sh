#!/bin/bash
# Fuzzes scenario loading for a bounded time: builds the libFuzzer harness with clang
# (build-fuzz/, -DSHARDSIM_FUZZ=ON), seeds it with every scenario and the bad-input corpus,
# and fails on any crash, hang or sanitizer report (the input is kept in build-fuzz/artifacts).
# Usage: run-fuzz.sh SOURCE_DIR [SECONDS, default 120]
set -euo pipefail
source_dir=$(realpath "$1")
seconds=${2:-120}
build="$source_dir/build-fuzz"
[ -f "$build/CMakeCache.txt" ] ||
  CC=clang-14 CXX=clang++-14 cmake -S "$source_dir" -B "$build" -DSHARDSIM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_scenario -- --no-print-directory | grep -vE '^\[ *[0-9]+%\]' || true
corpus="$build/corpus"
mkdir -p "$corpus" "$build/artifacts"
for f in $(find "$source_dir/scenarios" "$source_dir/tests/corpus/files" -name '*.json'); do
  cp "$f" "$corpus/$(md5sum < "$f" | cut -c1-16).json"
done
export SHARDSIM_SIMGRID_ARGS="--cfg=contexts/factory:thread"
"$build/fuzz_scenario" "$corpus" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 2>&1 | tail -12
