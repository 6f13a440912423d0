#!/bin/sh
# harness/'s includes point one way (mk/layers.py, run by make lint): the
# tree as it is passes, and a copy with one backward include fails, naming
# the file, the line and the layers.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

python3 mk/layers.py harness >"$tmp/out" 2>&1 || fail "the tree has backward includes: $(cat "$tmp/out")"

cp -R harness "$tmp/harness"
# core/ is the bottom layer: it may include nothing above it.
printf '#include "cli/cli.h"\n' >>"$tmp/harness/core/report.c"
# trace/ may include core/, but not the report it ends up in.
printf '#include "core/report.h"\n' >>"$tmp/harness/trace/trace_run.c"
# render/ may include core/ only, not grade/.
printf '#include "grade/grade.h"\n' >>"$tmp/harness/render/suite/tap.c"
if python3 mk/layers.py "$tmp/harness" >"$tmp/out" 2>&1; then
    fail "three backward includes passed"
fi
grep -q '^core/report.c:[0-9]*: core/ includes cli/cli.h' "$tmp/out" || fail "core -> cli not named: $(cat "$tmp/out")"
grep -q '^trace/trace_run.c:[0-9]*: trace/ must not include core/report.h' "$tmp/out" ||
    fail "trace -> report not named: $(cat "$tmp/out")"
grep -q '^render/suite/tap.c:[0-9]*: render/ includes grade/grade.h' "$tmp/out" ||
    fail "render -> grade not named: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "not exactly the three: $(cat "$tmp/out")"

[ "$failures" -eq 0 ] && echo "layers: ok"
exit $((failures > 0))
