#!/bin/sh
# Closes `make test` with one line adding up every test run: "N passed, N failed".
counts="${1:-build}/test-counts"
[ -f "$counts" ] || { echo "0 passed, 1 failed"; exit 1; }
awk '{ p += $1; f += $2 } END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$counts"
