#!/bin/sh
# The wrapper's benchmark: spawn cost against posix_spawn and fork+exec, and
# output() throughput against a shell pipeline (method in bench/spawn.c).
# The machine's load average is printed before and after: on a shared machine
# the figures mean little without it. Exit status 1: a target was missed.
# usage: 10-wrapper.sh BUILD
set -eu
build=${1:-build}
echo "== bench: the safe wrapper (lib/)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
status=0
"$build/bench/spawn" || status=$?
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
