# shellcheck shell=sh
# Timing helpers the benchmarks share; sourced, never run (`make bench` runs
# only bench/*.sh). Before sourcing, a script sets `bench` to its name, the
# prefix of its messages (e.g. bench=20-harness).

# The wall clock in milliseconds.
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# Prints the median of the whole numbers on stdin (of two middles, the mean,
# rounded down).
median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# usage: time_run MAX_STATUS COMMAND [ARG]...
# Runs COMMAND once with output dropped and prints its wall time in ms. An
# exit status above MAX_STATUS is a failure: a message, and status 1. (For
# forklab, status 1 means findings or fewer points: a result, not a failure,
# where the program judged may have them.)
time_run() {
    max_status=$1
    shift
    start=$(now_ms)
    "$@" >/dev/null 2>&1 </dev/null
    status=$?
    end=$(now_ms)
    if [ "$status" -gt "$max_status" ]; then
        echo "${bench:?}: '$*' failed with exit status $status" >&2
        return 1
    fi
    echo $((end - start))
}

# usage: time_cpu_run MAX_STATUS COMMAND [ARG]...
# Like time_run, but prints "WALL_MS CPU_MS", CPU_MS being the user and
# system time of the whole tree of COMMAND, so that CPU_MS / WALL_MS says how
# many CPUs it kept busy. Run it in a $(...) of its own: the subshell starts
# with no CPU time, and `times` reports what its children used (written to a
# file: in a pipe or a $(...) it would report a fresh subshell's nothing).
time_cpu_run() {
    # time_run runs COMMAND in this $(...), whose children's time is ours then
    # (and that of its two `date`s: a few ms).
    wall=$(time_run "$@") || return 1
    cpu_file="${TMPDIR:-/tmp}/forklab-bench-times.$$"
    times >"$cpu_file"
    cpu=$(awk 'NR == 2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/)
        printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$cpu_file")
    rm -f "$cpu_file"
    echo "$wall $cpu"
}

# usage: way_at N ROUND TURN
# Which of N ways (0..N-1) runs at position TURN of round ROUND: the rounds
# follow a Williams design (a balanced Latin square), so that over a cycle of
# N rounds (2N for an odd N) every way runs in every position, and right after
# every other way, equally often. A plain rotation leaves each way always
# right after the same other one, which then pays for whatever that one left
# behind (bench/spawn.c, way_at, says how much that was).
way_at() {
    n=$1 row=$2 turn=$3
    if [ $((n % 2)) -eq 1 ]; then row=$((row % (2 * n))); else row=$((row % n)); fi
    if [ "$row" -ge "$n" ]; then
        row=$((row - n))
        turn=$((n - 1 - turn))
    fi
    # The first row is 0, 1, N-1, 2, N-2, ...; the others add the row to it.
    if [ "$turn" -eq 0 ]; then
        first=0
    elif [ $((turn % 2)) -eq 1 ]; then
        first=$(((turn + 1) / 2))
    else
        first=$((n - turn / 2))
    fi
    echo $(((first + row) % n))
}
