#!/bin/sh
# make stress: the graded submissions of tests/grade/styles.c again, two
# suites at once, so that every grade is made on a loaded machine: each must
# still come out the same ten times in a row. CI runs it after make test.
# usage: stress.sh BUILD
set -u
build=$1
binary="$build/tests/test-grade"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT INT TERM

"$binary" --jobs 2 --filter 'styles/*' >"$logs/1" 2>&1 &
first=$!
"$binary" --jobs 2 --filter 'styles/*' >"$logs/2" 2>&1 &
second=$!
status=0
wait "$first" || status=1
wait "$second" || status=1
for log in "$logs/1" "$logs/2"; do
    grep -v '^\[----\]   $' "$log" | grep -A4 'Assertion Failed\|FAIL' | head -60
    grep 'Synthesis:' "$log"
done
[ "$status" -eq 0 ] && echo "stress: every submission graded the same, twice over, on a loaded machine"
exit $status
