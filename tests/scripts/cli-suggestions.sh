#!/bin/sh
# Every command forklab's messages suggest runs exactly as printed, whether
# forklab was run as build/forklab, found on PATH, or given a work folder
# that needs quoting (tests/scripts/cli_suggestions.py does the driving).
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"
exec python3 tests/scripts/cli_suggestions.py "$FORKLAB"
