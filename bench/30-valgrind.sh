#!/bin/sh
# Benchmark of `forklab check --valgrind` on the fork-heavy program (pipe,
# fork, exec echo, read to EOF, wait; 30 spawns) against naive valgrind that
# instruments every exec'd echo too. The pass must take at most a tenth of it.
# usage: bench/30-valgrind.sh BUILD   (run by `make bench`)
set -u
bench=30-valgrind
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/30-valgrind.sh BUILD}
spawns=30
runs=${FORKLAB_BENCH_RUNS:-3}
forklab="$build/forklab"
program="$build/bench/fork_heavy"

for needed in "$forklab" "$program"; do
    if [ ! -x "$needed" ]; then
        echo "30-valgrind: $needed is not built" >&2
        exit 1
    fi
done
if ! command -v valgrind >/dev/null 2>&1; then
    echo "30-valgrind: valgrind is not installed; install it with: apt-get install valgrind" >&2
    exit 1
fi

# The two alternate, so that both see the same load on a shared machine.
forklab_times=""
naive_times=""
i=0
while [ "$i" -lt "$runs" ]; do
    t=$(time_run 1 "$forklab" check --schedules natural --valgrind --timeout 300 -- "$program" "$spawns") || exit 1
    forklab_times="$forklab_times $t"
    t=$(time_run 1 valgrind --trace-children=yes --track-fds=yes --leak-check=full \
        "$program" "$spawns") || exit 1
    naive_times="$naive_times $t"
    i=$((i + 1))
done
forklab_times=$(echo $forklab_times | tr ' ' '\n')
naive_times=$(echo $naive_times | tr ' ' '\n')
forklab_ms=$(echo "$forklab_times" | median)
naive_ms=$(echo "$naive_times" | median)

echo "30-valgrind: fork_heavy $spawns spawns, median of $runs runs"
echo "  forklab check --valgrind: ${forklab_ms} ms  (runs: $(echo $forklab_times))"
echo "  naive valgrind --trace-children=yes --track-fds=yes --leak-check=full: ${naive_ms} ms  (runs: $(echo $naive_times))"
if [ $((forklab_ms * 10)) -le "$naive_ms" ]; then
    echo "  ratio $(awk "BEGIN { printf \"%.3f\", $forklab_ms / $naive_ms }"): within the limit of 0.100"
else
    echo "30-valgrind: ratio $(awk "BEGIN { printf \"%.3f\", $forklab_ms / $naive_ms }") is above the limit of 0.100" >&2
    exit 1
fi
