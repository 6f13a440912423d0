#!/bin/sh
# The program text and harness output quoted in lessons/ match the files and a
# fresh run: a stale lesson fails here (fix: make lessons, review the diff).
set -eu
cd "$(dirname "$0")/../.."
exec python3 mk/lessons.py --build "$FORKLAB_BUILD" --check
