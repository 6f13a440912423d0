#!/bin/sh
# Benchmark of `forklab check` on the fork-heavy program (300 times: pipe,
# fork, exec echo, read to EOF, wait) against the program alone and against
# strace with a seccomp filter on the same events. Targets: forklab within
# 1.5x of the bare program, and at most 0.6x of strace's time. One run, the
# natural schedule: this measures the tracer; 60-schedules what more runs add.
# usage: bench/20-harness.sh BUILD   (run by `make bench`)
set -u
bench=20-harness
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/20-harness.sh BUILD}
rounds=300
runs=${FORKLAB_BENCH_RUNS:-7}
forklab="$build/forklab"
program="$build/bench/fork_heavy"

for needed in "$forklab" "$program"; do
    if [ ! -x "$needed" ]; then
        echo "20-harness: $needed is not built" >&2
        exit 1
    fi
done
have_strace=yes
command -v strace >/dev/null 2>&1 || have_strace=no

# The three alternate, so that all see the same load on a shared machine.
bare_times="" forklab_times="" strace_times=""
i=0
while [ "$i" -lt "$runs" ]; do
    t=$(time_run 0 "$program" "$rounds") || exit 1
    bare_times="$bare_times $t"
    t=$(time_run 0 "$forklab" check --schedules natural --timeout 600 -- "$program" "$rounds") || exit 1
    forklab_times="$forklab_times $t"
    if [ "$have_strace" = yes ]; then
        t=$(time_run 0 strace -f --seccomp-bpf -e trace=process,close -o /dev/null \
            "$program" "$rounds") || exit 1
        strace_times="$strace_times $t"
    fi
    i=$((i + 1))
done
bare_ms=$(echo $bare_times | tr ' ' '\n' | median)
forklab_ms=$(echo $forklab_times | tr ' ' '\n' | median)

ratio() {
    awk "BEGIN { printf \"%.2f\", $1 / $2 }"
}

echo "20-harness: fork_heavy $rounds rounds, median of $runs runs"
echo "  bare:                $bare_ms ms  (runs:$bare_times)"
echo "  forklab check:       $forklab_ms ms  (runs:$forklab_times)  $(ratio "$forklab_ms" "$bare_ms")x bare"
status=0
if [ $((forklab_ms * 10)) -gt $((bare_ms * 15)) ]; then
    echo "20-harness: forklab check takes $(ratio "$forklab_ms" "$bare_ms")x the bare program, above the target of 1.5x" >&2
    status=1
fi
if [ "$have_strace" = yes ]; then
    strace_ms=$(echo $strace_times | tr ' ' '\n' | median)
    echo "  strace --seccomp-bpf: $strace_ms ms  (runs:$strace_times)  $(ratio "$strace_ms" "$bare_ms")x bare"
    echo "  forklab / strace:    $(ratio "$forklab_ms" "$strace_ms") (target: at most 0.60)"
    if [ $((forklab_ms * 10)) -gt $((strace_ms * 6)) ]; then
        echo "20-harness: forklab check takes $(ratio "$forklab_ms" "$strace_ms") of strace's time, above the target of 0.60" >&2
        status=1
    fi
else
    echo "  strace: not installed, comparison skipped"
fi
exit $status
