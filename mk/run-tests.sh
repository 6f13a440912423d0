#!/bin/sh
# Runs criterion test binaries and tests/scripts/*.sh, and adds their counts to
# BUILD/test-counts so `make test` can close with one "N passed, N failed" line.
# usage: run-tests.sh BUILD TEST_BINARY...
set -u
build=$1
shift
counts="${FORKLAB_COUNTS:-$build/test-counts}"
mkdir -p "$(dirname "$counts")"
status=0

for binary in "$@"; do
    echo "== $binary"
    log=$(mktemp)
    # The binary's own status, not tee's: sh has no PIPESTATUS, so it goes
    # through a file beside the log.
    { "$binary" --jobs 2 2>&1; echo $? >"$log.rc"; } | tee "$log"
    rc=$(cat "$log.rc")
    # criterion closes with: [====] Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N
    line=$(grep 'Synthesis:' "$log" | tail -n 1)
    passed=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    failed=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    crashed=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    rm -f "$log" "$log.rc"
    if [ -z "$passed" ]; then
        echo "forklab: $binary printed no synthesis (exit $rc)" >&2
        passed=0 failed=1 crashed=0
    fi
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && [ "$crashed" -eq 0 ]; then
        failed=1
    fi
    echo "$passed $((failed + crashed))" >>"$counts"
    [ "$rc" -eq 0 ] || status=1
done

# Scripts run only with the plain build: they drive the CLI like a user.
case "$build" in */asan) run_scripts=no ;; *) run_scripts=yes ;; esac
run_scripts=${FORKLAB_RUN_SCRIPTS:-$run_scripts}
if [ "$run_scripts" = yes ]; then
    for script in tests/scripts/*.sh; do
        [ -f "$script" ] || continue
        echo "== $script"
        if FORKLAB="$PWD/$build/forklab" FORKLAB_BUILD="$PWD/$build" sh "$script"; then
            echo "ok: $script"
            echo "1 0" >>"$counts"
        else
            echo "FAILED: $script" >&2
            echo "0 1" >>"$counts"
            status=1
        fi
    done
fi
exit $status
