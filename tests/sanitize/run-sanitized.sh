#!/bin/bash
# The default test suite, the model validation and the examples under AddressSanitizer and
# UndefinedBehaviorSanitizer: a separate build (build-sanitize/, -DSHARDSIM_SANITIZE=ON) whose
# simulations use SimGrid's thread contexts (ASan cannot follow its default stack switching).
# Usage: run-sanitized.sh SOURCE_DIR
set -euo pipefail
source_dir=$(realpath "$1")
build="$source_dir/build-sanitize"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$source_dir" -B "$build" -DSHARDSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j"$(nproc)" -- --no-print-directory | grep -vE '^\[ *[0-9]+%\]' || true
export SHARDSIM_SIMGRID_ARGS="--cfg=contexts/factory:thread"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"  # SimGrid keeps its engine to the end on purpose
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 1800 -LE 'bench|cluster|browser|sanitize|fuzz'
