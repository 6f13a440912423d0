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
