#!/bin/bash
# Runs every bad-input case of tests/corpus/cases.tsv (made by make-corpus.py): each must exit
# with code 2 and print the expected text (the field, file:line or option at fault), within
# 20 seconds. Usage: run-corpus.sh SHARDSIM_BINARY
set -uo pipefail
binary=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/shardsim-corpus-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$here/files/." "$work/"
cd "$work"
total=0
failed=0
while IFS=$'\t' read -r expect line; do
  [[ -z "$expect" || "$expect" == \#* ]] && continue
  total=$((total + 1))
  output=$(eval "timeout 20 '$binary' $line" 2>&1)
  code=$?
  if [ "$code" -ne 2 ] || ! grep -qF -- "$expect" <<< "$output"; then
    failed=$((failed + 1))
    echo "FAIL (exit $code, expected 2 and \"$expect\"): shardsim $line"
    head -c 600 <<< "$output" | sed 's/^/    /'
  fi
done < "$here/cases.tsv"
echo "$((total - failed)) of $total bad-input cases rejected with exit 2 and the expected message"
[ "$failed" -eq 0 ]
