#!/bin/sh
# The wrapper's benchmark: spawn cost against posix_spawn and fork+exec, and
# output() throughput against a shell pipeline. usage: 10-wrapper.sh BUILD
set -eu
build=${1:-build}
echo "== bench: the safe wrapper (lib/)"
"$build/bench/spawn"
