#!/usr/bin/env bash
# The tour as a web page, in a real browser: `shardsim tour --html` writes the page, headless
# Chromium loads it, and the rendered DOM must hold a section per catalog question, each with
# its timeline and its latency bar laid out (the page's own script counts the SVG timelines with
# a nonzero box and records in them, and the bars with causes of nonzero width) and every
# expectation met. A screenshot must come out. Needs chromium
# (Debian package; .ci/run installs it). Usage: test-tour-html.sh SHARDSIM SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed (apt-get install chromium); .ci/run installs it for this test" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
questions=$(find "$src/scenarios/questions" -maxdepth 1 -name '*.json' | wc -l)
"$bin" tour --source-dir "$src" --html "$tmp/tour.html" > /dev/null
run_browser() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" "$@" \
    "file://$tmp/tour.html" 2> "$tmp/browser.log"
}
run_browser --dump-dom > "$tmp/dom.html"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
count() { grep -o "$1" "$tmp/dom.html" | wc -l; }
grep -q "data-stops=\"$questions\"" "$tmp/dom.html" || fail "the page does not have $questions stops"
[ "$(count '<section class="stop"')" -eq "$questions" ] || fail "not one section per question"
[ "$(count '<svg class="timeline"')" -eq "$questions" ] || fail "not one timeline per question"
grep -q "data-rendered-timelines=\"$questions\"" "$tmp/dom.html" ||
  fail "the browser laid out $(grep -o 'data-rendered-timelines="[0-9]*"' "$tmp/dom.html") of $questions timelines"
[ "$(count '<figure class="causes"')" -eq "$questions" ] || fail "not one latency bar per question"
grep -q "data-rendered-latency-bars=\"$questions\"" "$tmp/dom.html" ||
  fail "the browser laid out $(grep -o 'data-rendered-latency-bars="[0-9]*"' "$tmp/dom.html") of $questions latency bars"
[ "$(count '<li class="unmet"')" -eq 0 ] || fail "an expectation is not met on the page"
[ "$(count '<p class="answer"')" -eq "$questions" ] || fail "not one answer per question"
for f in "$src"/scenarios/questions/*.json; do
  grep -q "data-file=\"$(basename "$f")\"" "$tmp/dom.html" || fail "$(basename "$f") is not on the page"
done
run_browser --screenshot="$tmp/tour.png" --window-size=1100,3000 > /dev/null
[ "$(stat -c %s "$tmp/tour.png")" -gt 20000 ] || fail "the screenshot is empty"
echo "the tour page holds $questions questions, each with its timeline and latency bar laid out by $(basename "$browser")"
