#!/bin/sh
# Benchmarks of the grader: one submission graded in at most 2 s (median),
# and grade-all of 100 submissions at least 1.8 times faster with --jobs 2
# than with --jobs 1; the load average is printed, as other work skews both.
#
# usage: bench/40-grade.sh BUILD   (run by `make bench`)
# The typical exercise is 03-zombies: its fixed program for (1), a class half
# fixed, half broken for (2), without --valgrind.
set -u
bench=40-grade
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/40-grade.sh BUILD}
forklab="$build/forklab"
single_runs=${FORKLAB_BENCH_RUNS:-7}
batch_runs=${FORKLAB_BENCH_BATCH_RUNS:-3}
students=100
[ -x "$forklab" ] || { echo "40-grade: $forklab is not built" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

load() {
    cut -d' ' -f1-3 /proc/loadavg
}

echo "40-grade: load average before: $(load) on $(nproc) CPUs"
status=0

# ---- (1) one submission
times=""
i=0
while [ "$i" -lt "$single_runs" ]; do
    t=$(time_run 1 "$forklab" grade --exercise 03-zombies solutions/03-zombies.c) || exit 1
    times="$times $t"
    i=$((i + 1))
done
single_ms=$(echo "$times" | tr ' ' '\n' | grep . | median)
echo "  grade one submission (03-zombies): median ${single_ms} ms of $single_runs runs ($times)"
if [ "$single_ms" -gt 2000 ]; then
    echo "40-grade: grading one submission takes ${single_ms} ms, above the limit of 2000 ms" >&2
    status=1
fi

# ---- (2) a class of 100: half fixed, half broken, as a class hands them in
mkdir "$tmp/class"
i=1
while [ "$i" -le "$students" ]; do
    if [ $((i % 2)) -eq 0 ]; then
        cp solutions/03-zombies.c "$tmp/class/student$i.c"
    else
        cp pitfalls/03-zombies.c "$tmp/class/student$i.c"
    fi
    i=$((i + 1))
done
# Each pair runs --jobs 1 then --jobs 2 back to back, so both see about the
# same load; the speedup judged is the median of the pairs' ratios.
one="" two="" ratios=""
i=0
while [ "$i" -lt "$batch_runs" ]; do
    t1=$(time_run 1 "$forklab" grade-all --exercise 03 --jobs 1 --out "$tmp/grades1" "$tmp/class") || exit 1
    t2=$(time_run 1 "$forklab" grade-all --exercise 03 --jobs 2 --out "$tmp/grades2" "$tmp/class") || exit 1
    one="$one $t1" two="$two $t2"
    ratios="$ratios $(awk "BEGIN { printf \"%.2f\", $t1 / $t2 }")"
    i=$((i + 1))
done
speedup=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "  grade-all $students submissions: --jobs 1 runs:$one ms; --jobs 2 runs:$two ms"
echo "  speedup per pair:$ratios; median ${speedup}x (limit: at least 1.80x)"
cmp -s "$tmp/grades1/gradebook.csv" "$tmp/grades2/gradebook.csv" ||
    { echo "40-grade: --jobs 1 and --jobs 2 gave different gradebooks" >&2; status=1; }
if [ "$(nproc)" -lt 2 ]; then
    echo "  (one CPU: the speedup is not judged)"
elif awk "BEGIN { exit !($speedup < 1.8) }"; then
    echo "40-grade: --jobs 2 is only ${speedup}x faster than --jobs 1, below 1.80x" >&2
    status=1
fi
echo "40-grade: load average after: $(load)"
exit $status
