#!/bin/sh
# Benchmark of what the box (harness/trace/sandbox/box.h) adds to one
# `forklab check` of a small program (/bin/true): the namespaces, their init
# and /proc, and the cgroups made and removed for the run, against the same
# check with --no-isolation; and with --max-memory 0 (no memory cgroup), to
# show that cgroup's share. Each measure is a batch of checks, in ms per
# check; the three alternate so that all see the same load. Most of what
# the box adds is the kernel's: moving the init into a cgroup (v1) takes a
# lock that, after a pause, waits for an RCU grace period (some ms when the
# machine is idle, more under load; the next moves are quick). A fork-heavy
# program pays nothing more per process: compare bench/20-harness.sh run
# with and without --no-isolation. Target: the box adds at most 30 ms.
# usage: bench/50-isolation.sh BUILD   (run by `make bench`)
set -u
bench=50-isolation
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/50-isolation.sh BUILD}
runs=${FORKLAB_BENCH_RUNS:-7}
batch=20
forklab="$build/forklab"
program=/bin/true
target_ms=30

if [ ! -x "$forklab" ]; then
    echo "50-isolation: $forklab is not built" >&2
    exit 1
fi
# What a check here gets: the box needs root or user namespaces, the limits
# a writable cgroup. Without them the comparison says nothing.
isolation=$("$forklab" check -- "$program" |
    sed -n 's/^\(isolation\|kernel limits\|not isolated\): \(.*\)/\1: \2/p' | paste -sd ';' | sed 's/;/; /g')
case "$isolation" in
"isolation: none"*)
    echo "50-isolation: no box on this machine ($isolation): skipped"
    exit 0
    ;;
esac

# usage: per_check OPTION... : ms per check of a batch, the mean of $batch.
per_check() {
    start=$(now_ms)
    i=0
    while [ "$i" -lt "$batch" ]; do
        "$forklab" check "$@" -- "$program" >/dev/null 2>&1 </dev/null || {
            echo "50-isolation: forklab check $* -- $program failed" >&2
            return 1
        }
        i=$((i + 1))
    done
    end=$(now_ms)
    echo $(((end - start) * 1000 / batch))
}

plain_times="" box_times="" no_memory_times=""
i=0
while [ "$i" -lt "$runs" ]; do
    t=$(per_check --no-isolation) || exit 1
    plain_times="$plain_times $t"
    t=$(per_check) || exit 1
    box_times="$box_times $t"
    t=$(per_check --max-memory 0) || exit 1
    no_memory_times="$no_memory_times $t"
    i=$((i + 1))
done
plain_us=$(echo $plain_times | tr ' ' '\n' | median)
box_us=$(echo $box_times | tr ' ' '\n' | median)
no_memory_us=$(echo $no_memory_times | tr ' ' '\n' | median)

ms() {
    awk "BEGIN { printf \"%.1f\", $1 / 1000 }"
}

echo "50-isolation: forklab check -- $program, median of $runs batches of $batch (us per check)"
echo "  what the box got here: $isolation"
echo "  --no-isolation:            $(ms "$plain_us") ms  (runs:$plain_times)"
echo "  the box:                   $(ms "$box_us") ms  (runs:$box_times)  +$(ms $((box_us - plain_us))) ms"
echo "  the box, no memory cgroup: $(ms "$no_memory_us") ms  (runs:$no_memory_times)  +$(ms $((no_memory_us - plain_us))) ms"
if [ $((box_us - plain_us)) -gt $((target_ms * 1000)) ]; then
    echo "50-isolation: the box adds $(ms $((box_us - plain_us))) ms to a check, above the target of $target_ms ms" >&2
    exit 1
fi
exit 0
