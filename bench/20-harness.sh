#!/bin/sh
# Benchmark of `forklab check` on the fork-heavy program (300 rounds of pipe,
# fork, exec echo, read to EOF, wait) beside the tracer a user would pick
# instead, in the same run with the ways taking turns:
#   bare                the program alone
#   forklab check       the checker (ptrace + seccomp, /proc read at stops)
#   strace, same events strace -f --seccomp-bpf -e trace=process,close: stops
#                       on what forklab stops on (fork, exec, exit, close)
#   strace, forks only  strace -f --seccomp-bpf -e trace=fork,vfork,clone,clone3:
#                       follows the processes and nothing else, the floor of
#                       a ptrace tracer that lets the scheduler place it
#                       (forklab keeps itself and the program on one CPU,
#                       trace/cpu_pin.c, and can go below it)
# Target (exit status 1 when missed): forklab check takes at most the time of
# strace on the same events. Without strace the comparison is skipped.
# usage: bench/20-harness.sh BUILD   (run by `make bench`)
set -u
bench=20-harness
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/20-harness.sh BUILD}
rounds=300
runs=${FORKLAB_BENCH_RUNS:-8} # two cycles of way_at's order for 4 ways
forklab="$build/forklab"
program="$build/bench/fork_heavy"

for needed in "$forklab" "$program"; do
    if [ ! -x "$needed" ]; then
        echo "20-harness: $needed is not built" >&2
        exit 1
    fi
done
ways="bare forklab"
if command -v strace >/dev/null 2>&1; then
    ways="$ways strace floor"
else
    echo "20-harness: strace not found: the comparison with strace is skipped"
fi
nways=$(echo "$ways" | wc -w)

run_way() {
    case $1 in
    bare) time_run 0 "$program" "$rounds" ;;
    # One run, the natural schedule: this measures the tracer;
    # 60-schedules measures what the steered runs add.
    forklab) time_run 0 "$forklab" check --schedules natural --timeout 600 -- "$program" "$rounds" ;;
    strace) time_run 0 strace -f --seccomp-bpf -e trace=process,close -o /dev/null \
        "$program" "$rounds" ;;
    floor) time_run 0 strace -f --seccomp-bpf -e trace=fork,vfork,clone,clone3 -o /dev/null \
        "$program" "$rounds" ;;
    esac
}

# Every round runs each way once, in way_at's order, so that all see the same
# load and none always runs right after the same other one.
times_bare="" times_forklab="" times_strace="" times_floor=""
i=0
while [ "$i" -lt "$runs" ]; do
    turn=0
    while [ "$turn" -lt "$nways" ]; do
        way=$(echo "$ways" | cut -d' ' -f$(($(way_at "$nways" "$i" "$turn") + 1)))
        t=$(run_way "$way") || exit 1
        eval "times_$way=\"\$times_$way $t\""
        turn=$((turn + 1))
    done
    i=$((i + 1))
done

ratio() {
    awk "BEGIN { printf \"%.2f\", $1 / $2 }"
}
median_of() {
    echo "$1" | tr ' ' '\n' | grep . | median
}
bare_ms=$(median_of "$times_bare")
forklab_ms=$(median_of "$times_forklab")
echo "20-harness: fork_heavy $rounds rounds, median of $runs runs, the ways in turn"
echo "  bare:                      $bare_ms ms  (runs:$times_bare)"
echo "  forklab check:             $forklab_ms ms  (runs:$times_forklab)  $(ratio "$forklab_ms" "$bare_ms")x bare"
status=0
if [ -n "$times_strace" ]; then
    strace_ms=$(median_of "$times_strace")
    floor_ms=$(median_of "$times_floor")
    echo "  strace, same events:       $strace_ms ms  (runs:$times_strace)  $(ratio "$strace_ms" "$bare_ms")x bare"
    echo "  strace, forks only:        $floor_ms ms  (runs:$times_floor)  $(ratio "$floor_ms" "$bare_ms")x bare (the floor of an unpinned ptrace tracer)"
    echo "  forklab / strace, same events: $(ratio "$forklab_ms" "$strace_ms") (target: at most 1.00)"
    if [ "$forklab_ms" -gt "$strace_ms" ]; then
        echo "20-harness: forklab check takes $(ratio "$forklab_ms" "$strace_ms")x the time of strace on the same events, above the target of 1.00" >&2
        status=1
    fi
fi
exit $status
