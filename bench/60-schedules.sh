#!/bin/sh
# Benchmark of the steered schedules: what they add to a grade. For the fixed
# program of each exercise below (submissions that finish), the median of
# `forklab check` with the natural schedule only and with all of them, so the
# cost per extra schedule; and the median of a whole `forklab grade` (compile
# and check, all schedules, as grade always runs it). Target: the median of
# those grades under 1 s.
# usage: bench/60-schedules.sh BUILD   (run by `make bench`)
set -u
bench=60-schedules
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/60-schedules.sh BUILD}
forklab="$build/forklab"
runs=${FORKLAB_BENCH_RUNS:-7}
# The exercises whose fixed program takes no arguments and ends by itself
# quickly (12's waits a second for a child on purpose: not a typical run).
exercises="01-nested-forks 02-runaway-children 03-zombies 04-leaked-fds 06-fork-with-threads
07-stdio-buffers 08-pipe-deadlock 09-stale-pids"
# The steered schedules a check under all adds to the natural run.
steered=5
[ -x "$forklab" ] || { echo "60-schedules: $forklab is not built" >&2; exit 1; }

median_of() {
    echo "$1" | tr ' ' '\n' | grep . | median
}

echo "60-schedules: median of $runs runs each, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-22s %10s %10s %14s %10s\n' exercise natural all "per schedule" grade
grades="" naturals="" alls=""
for exercise in $exercises; do
    program="$build/solutions/$exercise"
    natural="" all="" grade=""
    i=0
    # The three alternate, so that all see the same load on a shared machine.
    while [ "$i" -lt "$runs" ]; do
        t=$(time_run 1 "$forklab" check --schedules natural -- "$program") || exit 1
        natural="$natural $t"
        t=$(time_run 1 "$forklab" check --schedules all -- "$program") || exit 1
        all="$all $t"
        t=$(time_run 1 "$forklab" grade --exercise "$exercise" "solutions/$exercise.c") || exit 1
        grade="$grade $t"
        i=$((i + 1))
    done
    natural_ms=$(median_of "$natural")
    all_ms=$(median_of "$all")
    grade_ms=$(median_of "$grade")
    per_schedule=$(awk "BEGIN { printf \"%.1f ms\", ($all_ms - $natural_ms) / $steered }")
    printf '  %-22s %7d ms %7d ms %14s %7d ms\n' "$exercise" "$natural_ms" "$all_ms" \
        "$per_schedule" "$grade_ms"
    naturals="$naturals $natural_ms"
    alls="$alls $all_ms"
    grades="$grades $grade_ms"
done
natural_ms=$(median_of "$naturals")
all_ms=$(median_of "$alls")
grade_ms=$(median_of "$grades")
echo "  median over the exercises: check natural $natural_ms ms, all $all_ms ms" \
    "($(awk "BEGIN { printf \"%.1f\", ($all_ms - $natural_ms) / $steered }") ms per extra" \
    "schedule); grade $grade_ms ms (target: under 1000 ms)"
if [ "$grade_ms" -ge 1000 ]; then
    echo "60-schedules: the median grade of a finishing submission takes $grade_ms ms," \
        "above the target of 1000 ms" >&2
    exit 1
fi
exit 0
