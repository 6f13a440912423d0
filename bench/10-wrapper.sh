#!/bin/sh
# The wrapper's benchmark (method and targets in bench/spawn.c): spawn cost
# beside posix_spawn, fork+exec and Rust's Command::status(), the signal
# reset's cost, and output() of 1 GiB beside Rust's Command::output() and
# Python's subprocess.run(capture_output=True).
# The Rust peer is built here with plain rustc (no cargo, no crates, no
# network). Without rustc (CI's fresh Debian has none; `apt-get install
# rustc` or rustup gives one) or python3, that peer's lines and targets are
# skipped with a message: nothing fails for a missing peer.
# The machine's load average is printed before and after: on a shared machine
# the figures mean little without it. Exit status 1: a target was missed.
# usage: 10-wrapper.sh BUILD
set -eu
build=${1:-build}
here=$(dirname "$0")
echo "== bench: the safe wrapper (lib/)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

peers=""
rust_peer="$build/bench/rust_command"
if ! command -v rustc >/dev/null 2>&1; then
    echo "10-wrapper: rustc not found: Rust's Command is left out (install rustc to compare)"
elif [ ! -x "$rust_peer" ] || [ -n "$(find "$here/peers/rust_command.rs" -newer "$rust_peer")" ]; then
    if rustc -O --edition 2021 -o "$rust_peer" "$here/peers/rust_command.rs"; then
        peers="--rust $rust_peer"
    else
        echo "10-wrapper: rustc could not build the Rust peer: Rust's Command is left out"
    fi
else
    peers="--rust $rust_peer"
fi
if command -v python3 >/dev/null 2>&1; then
    peers="$peers --python $here/peers/python_subprocess.py"
else
    echo "10-wrapper: python3 not found: Python's subprocess is left out"
fi

status=0
# shellcheck disable=SC2086 # $peers is a list of options
"$build/bench/spawn" $peers || status=$?
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
