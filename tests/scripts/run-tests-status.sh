#!/bin/sh
# mk/run-tests.sh counts a test binary that fails as failed, whatever its
# output says: a binary that prints a clean criterion synthesis and then
# exits 1 (a crash after the summary, a leak report) must not pass.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

fake() { # fake NAME EXIT: a "test binary" with a clean synthesis line
    printf '#!/bin/sh\necho "[====] Synthesis: Tested: 3 | Passing: 3 | Failing: 0 | Crashing: 0 "\nexit %s\n' "$2" >"$tmp/$1"
    chmod +x "$tmp/$1"
}
fake good 0
fake bad 1

FORKLAB_RUN_SCRIPTS=no FORKLAB_COUNTS="$tmp/counts-good" sh mk/run-tests.sh "$tmp" "$tmp/good" >/dev/null 2>&1
[ $? -eq 0 ] || fail "a passing binary made run-tests.sh fail"
[ "$(cat "$tmp/counts-good")" = "3 0" ] || fail "a passing binary counted '$(cat "$tmp/counts-good")', not '3 0'"

FORKLAB_RUN_SCRIPTS=no FORKLAB_COUNTS="$tmp/counts-bad" sh mk/run-tests.sh "$tmp" "$tmp/bad" >/dev/null 2>&1
[ $? -ne 0 ] || fail "a binary that exits 1 after a clean synthesis passed"
[ "$(cat "$tmp/counts-bad")" = "3 1" ] || fail "a failing binary counted '$(cat "$tmp/counts-bad")', not '3 1'"

[ "$failures" -eq 0 ] && echo "run-tests-status: ok"
exit $((failures > 0))
