#!/bin/sh
# Benchmarks of the grader: (1) the time to grade one submission (median;
# printed beside the 2 s it should stay under, not judged), and (2) how much
# faster grade-all of 100 submissions runs with --jobs 2 than with --jobs 1,
# beside the same speedup for the same work without forklab (the control: cc
# then the program, one and two at a time through xargs -P).
# Target (exit status 1 when missed): grade-all's speedup is at least 0.95x
# the control's, measured in the same run. The control's speedup is what the
# machine allows at that moment: two vCPUs of a virtual machine do not give
# twice the throughput (here about 1.45x), and a busy neighbour takes more.
#
# usage: bench/40-grade.sh BUILD   (run by `make bench`)
# The typical exercise is 03-zombies: its fixed program for (1), a class half
# fixed, half broken for (2), without --valgrind.
#
# Each run also prints its CPU time (CPU/wall: how many CPUs it kept busy).
# With the scheduler's autogroups (sched_autogroup_enabled) each session gets
# an equal share of the CPUs, so one busy session elsewhere leaves this one
# about one CPU whatever --jobs says; the control then shows it too.
set -u
bench=40-grade
# shellcheck source=SCRIPTDIR/lib/timing.sh
. "$(dirname "$0")/lib/timing.sh"
build=${1:?usage: bench/40-grade.sh BUILD}
forklab="$build/forklab"
single_runs=${FORKLAB_BENCH_RUNS:-7}
batch_runs=${FORKLAB_BENCH_BATCH_RUNS:-4} # one cycle of way_at's order for 4 runs
students=${FORKLAB_BENCH_STUDENTS:-100}
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
echo "  grade one submission (03-zombies): median ${single_ms} ms of $single_runs runs ($times) (budget 2000 ms, not judged)"

# ---- (2) a class of 100: half fixed, half broken, as a class hands them in.
# No two files are the same (a student's name in a comment), as in a real
# class: nothing may be learnt from one submission for the next.
mkdir "$tmp/class"
i=1
while [ "$i" -le "$students" ]; do
    if [ $((i % 2)) -eq 0 ]; then source=solutions/03-zombies.c; else source=pitfalls/03-zombies.c; fi
    { echo "/* student$i */"; cat "$source"; } >"$tmp/class/student$i.c"
    i=$((i + 1))
done
# The control: what grade-all does minus forklab, N at a time (run through
# time_cpu_run; the inner script's variables are its own).
# shellcheck disable=SC2016,SC2317
control() {
    find "$tmp/class" -name '*.c' | sort | xargs -P "$1" -I{} sh -c '
        out=$(mktemp -d) || exit 1
        cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -I lib -o "$out/p" "$1" \
            "$2/libforklab.a" -pthread && "$out/p" >/dev/null
        rm -rf "$out"' sh {} "$build"
}
# "WALL_MS CPU_MS" -> "WALL ms (CPU ms CPU, N.NN CPUs)"
describe() {
    echo "$1" | awk '{ printf "%d ms (%d ms CPU, %.2f CPUs)", $1, $2, $2 / $1 }'
}
run1() { time_cpu_run 1 "$forklab" grade-all --exercise 03 --jobs 1 --out "$tmp/grades1" "$tmp/class"; }
run2() { time_cpu_run 1 "$forklab" grade-all --exercise 03 --jobs 2 --out "$tmp/grades2" "$tmp/class"; }
# Each round runs the four (forklab --jobs 1 and 2, control 1 and 2) back to
# back, in way_at's order, so that all see about the same load and none
# always runs right after the same other one. Per round: forklab's speedup, the control's, and forklab's relative
# to the control's; the median of those relatives is judged.
one="" two="" ratios="" control_ratios="" relatives=""
i=0
while [ "$i" -lt "$batch_runs" ]; do
    echo "  round $((i + 1)): load $(load)"
    turn=0
    while [ "$turn" -lt 4 ]; do
        case $(way_at 4 "$i" "$turn") in
        0) r1=$(run1) || exit 1 ;;
        1) r2=$(run2) || exit 1 ;;
        2) c1=$(time_cpu_run 0 control 1) || exit 1 ;;
        3) c2=$(time_cpu_run 0 control 2) || exit 1 ;;
        esac
        turn=$((turn + 1))
    done
    t1=${r1%% *} t2=${r2%% *}
    one="$one $t1" two="$two $t2"
    ratio=$(awk "BEGIN { printf \"%.2f\", $t1 / $t2 }")
    control_ratio=$(awk "BEGIN { printf \"%.2f\", ${c1%% *} / ${c2%% *} }")
    relative=$(awk "BEGIN { printf \"%.2f\", $ratio / $control_ratio }")
    ratios="$ratios $ratio" control_ratios="$control_ratios $control_ratio"
    relatives="$relatives $relative"
    echo "    forklab --jobs 1: $(describe "$r1"); --jobs 2: $(describe "$r2"); ${ratio}x"
    echo "    control (cc and run, no forklab) 1 at a time: $(describe "$c1"); 2: $(describe "$c2"); ${control_ratio}x"
    echo "    forklab's speedup / the control's: $relative"
    i=$((i + 1))
done
median_of() {
    echo "$1" | tr ' ' '\n' | grep . | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
speedup=$(median_of "$ratios")
control_speedup=$(median_of "$control_ratios")
relative=$(median_of "$relatives")
echo "  grade-all $students submissions: --jobs 1 runs:$one ms; --jobs 2 runs:$two ms"
echo "  forklab's speedup per round:$ratios; median ${speedup}x"
echo "  the control's speedup (same compiles and runs, no forklab):$control_ratios; median ${control_speedup}x"
echo "  forklab's / the control's, per round:$relatives; median ${relative} (target: at least 0.95)"
echo "  scheduler autogroups: $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo unknown)"
cmp -s "$tmp/grades1/gradebook.csv" "$tmp/grades2/gradebook.csv" ||
    { echo "40-grade: --jobs 1 and --jobs 2 gave different gradebooks" >&2; status=1; }
if [ "$(nproc)" -lt 2 ]; then
    echo "  (one CPU: the speedup is not judged)"
elif awk "BEGIN { exit !($relative < 0.95) }"; then
    echo "40-grade: grade-all's speedup with --jobs 2 is ${relative} of the control's, below 0.95" >&2
    status=1
fi
echo "40-grade: load average after: $(load)"
exit $status
