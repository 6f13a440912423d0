#!/bin/sh
# The attacks on the checker (tests/fixtures/h-attack-checker.c) through the
# CLI: in the box, forklab always reports, with exit 0 or 1 and a JSON
# report that says the run was boxed. Skipped where the kernel refuses the
# box: there the attacks end forklab, as the README says.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"
: "${FORKLAB_BUILD:?FORKLAB_BUILD must name the build directory}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

if ! "$FORKLAB" check --format json -- /bin/true | grep -q '"namespaces": true'; then
    echo "cli-box: no box on this machine: skipped"
    exit 0
fi

attacker="$FORKLAB_BUILD/fixtures/h-attack-checker"
for mode in signal sigio pidfd ptrace daemon; do
    # The FIFO every process of the attacker holds: open here read-write, so
    # that the attacker's open for writing finds a reader at once.
    mkfifo "$tmp/$mode.fifo"
    exec 3<>"$tmp/$mode.fifo"
    "$FORKLAB" check --format json -- "$attacker" "$mode" "$tmp/$mode.fifo" \
        >"$tmp/$mode.json" 2>"$tmp/$mode.err" </dev/null
    status=$?
    exec 3<&-
    case $status in
    0 | 1) ;;
    *) fail "$mode: forklab exited $status: $(cat "$tmp/$mode.err")" ;;
    esac
    python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["isolation"]["namespaces"], report["isolation"]
assert report["stdout"]["text"].endswith("still running\n"), report["stdout"]["text"]
' "$tmp/$mode.json" || fail "$mode: $(head -c 400 "$tmp/$mode.json")"
done

if [ "$failures" -ne 0 ]; then
    echo "cli-box: $failures failure(s)" >&2
    exit 1
fi
echo "cli-box: ok"
