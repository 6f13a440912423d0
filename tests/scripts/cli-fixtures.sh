#!/bin/sh
# Every harness fixture (FORKLAB_BUILD/fixtures/h-*) through every machine
# format, each read by a real consumer: whatever evidence the rules attach,
# the JSON, XML, TAP and dot must stay valid, and each must agree with the
# exit status (findings exactly when forklab exits 1).
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

count=0
for fixture in "$FORKLAB_BUILD"/fixtures/h-*; do
    [ -x "$fixture" ] || continue
    # h-flood writes as fast as it can until stopped: it only costs time here.
    case $fixture in */h-flood) continue ;; esac
    name=$(basename "$fixture")
    count=$((count + 1))
    # The formats are the point: one run each, but the racy reapers under
    # every schedule, so that a schedule's evidence goes through them too.
    case $name in h-reap-*) schedules=all ;; *) schedules=natural ;; esac
    # The five formats at once: a fixture that hangs costs its timeout once.
    for format in json gradescope junit tap dot; do
        out="$tmp/$name.$format"
        {
            "$FORKLAB" check --timeout 1 --schedules "$schedules" --format "$format" -- \
                "$fixture" >"$out" 2>"$out.err" </dev/null
            echo "$?" >"$out.status"
        } &
    done
    wait
    for format in json gradescope junit tap dot; do
        out="$tmp/$name.$format"
        status=$(cat "$out.status")
        case $status in
        0 | 1) ;;
        *) fail "$name --format $format: exit $status: $(cat "$out.err")" ;;
        esac
        [ -s "$out.err" ] && fail "$name --format $format: stderr: $(cat "$out.err")"
    done

    # TAP: prove must parse it, and fail exactly when forklab found something.
    prove -e cat "$tmp/$name.tap" >"$tmp/$name.prove" 2>&1
    proved=$?
    grep -q 'Parse errors' "$tmp/$name.prove" && fail "$name: TAP: $(cat "$tmp/$name.prove")"
    if [ "$(cat "$tmp/$name.tap.status")" -eq 0 ]; then
        [ "$proved" -eq 0 ] || fail "$name: prove failed a run without findings"
    else
        [ "$proved" -ne 0 ] || fail "$name: prove passed a run with findings"
    fi

    if command -v dot >/dev/null 2>&1; then
        dot -Tsvg -o /dev/null "$tmp/$name.dot" 2>"$tmp/$name.dot-err" ||
            fail "$name: dot refused: $(cat "$tmp/$name.dot-err")"
    fi
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$tmp/$name.junit" 2>"$tmp/$name.xmllint" ||
            fail "$name: xmllint: $(cat "$tmp/$name.xmllint")"
    fi
done
[ "$count" -gt 0 ] || fail "no fixtures in $FORKLAB_BUILD/fixtures (build them with make)"

# One python3 reads every JSON, results.json and JUnit file (python starts slowly).
python3 - "$tmp" >"$tmp/python.log" 2>&1 <<'PYTHON' || fail "$(cat "$tmp/python.log")"
import glob, json, os, sys
import xml.etree.ElementTree as ET

problems = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    name = os.path.basename(path)
    found = int(open(path + ".status").read()) == 1
    report = json.load(open(path))
    if (report["finding_count"] > 0) != found or len(report["findings"]) != report["finding_count"]:
        problems.append(f"{name}: {report['finding_count']} findings, exit status says {found}")
    for finding in report["findings"]:
        if not {"kind", "pid", "message", "lesson", "evidence"} <= set(finding):
            problems.append(f"{name}: finding without its fields: {finding}")
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.gradescope"))):
    found = int(open(path + ".status").read()) == 1
    results = json.load(open(path))
    failed = [t["name"] for t in results["tests"] if t.get("status") == "failed"]
    if bool(failed) != found or len(results["tests"]) != 9:
        problems.append(f"{os.path.basename(path)}: failed tests {failed}, exit status says {found}")
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.junit"))):
    found = int(open(path + ".status").read()) == 1
    suite = ET.parse(path).getroot()
    failures = len(suite.findall("testcase/failure"))
    if (failures > 0) != found or int(suite.get("failures")) != failures:
        problems.append(f"{os.path.basename(path)}: {failures} failures, exit status says {found}")
if problems:
    sys.exit("\n".join(problems))
PYTHON

if [ "$failures" -ne 0 ]; then
    echo "cli-fixtures: $failures failures" >&2
    exit 1
fi
echo "cli-fixtures: $count fixtures, every format valid and consistent"
