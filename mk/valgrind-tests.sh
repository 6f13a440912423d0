#!/bin/sh
# Runs the wrapper's tests under valgrind memcheck: the library must not leak
# or touch memory it does not own. Spawned system programs are not instrumented.
set -u
build=$1
binary="$build/tests/test-lib"
[ -x "$binary" ] || exit 0
echo "== valgrind $binary"
if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --trace-children=yes \
        --trace-children-skip='/bin/*,/usr/*,/sbin/*' \
        "$binary" --jobs 1 >"$build/valgrind-tests.log" 2>&1; then
    echo "ok: valgrind $binary"
    echo "1 0" >>"$build/test-counts"
else
    tail -n 60 "$build/valgrind-tests.log" >&2
    echo "FAILED: valgrind $binary (log: "$build/valgrind-tests.log")" >&2
    echo "0 1" >>"$build/test-counts"
    exit 1
fi
