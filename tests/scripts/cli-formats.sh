#!/bin/sh
# `forklab check` end to end, each format read by a real consumer: JSON and
# Gradescope results.json by python3's json, TAP by prove, JUnit by python3's
# xml.etree (and xmllint when installed), dot by Graphviz when installed.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# check NAME STATUS ARG...: runs `forklab check ARG...` into $tmp/NAME.out and
# $tmp/NAME.err and expects exit status STATUS.
check() {
    name=$1 expected=$2
    shift 2
    "$FORKLAB" check "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    status=$?
    [ "$status" -eq "$expected" ] ||
        fail "$name: forklab check $*: exit $status, expected $expected; stderr: $(cat "$tmp/$name.err")"
    return 0
}

# python NAME SCRIPT: runs SCRIPT with the report file as sys.argv[1]; the
# script raises (an assert) to fail.
python() {
    python3 -c "$2" "$tmp/$1.out" 2>"$tmp/$1.py" || fail "$1: $(tail -n 3 "$tmp/$1.py")"
}

# ---- text: a clean program, and an exit code that is not a finding
check clean-text 0 -- /bin/true
grep -q '^forklab: no findings in 1 process; main program: exit 0 after' \
    "$tmp/clean-text.out" || fail "clean-text: no summary line: $(cat "$tmp/clean-text.out")"
[ -s "$tmp/clean-text.err" ] && fail "clean-text: stderr: $(cat "$tmp/clean-text.err")"
grep -q "$(printf '\033')" "$tmp/clean-text.out" && fail "clean-text: colour codes on a pipe"
# The descriptor view: only when asked (--fds) on a clean run; its table
# after the exec names fd 0 to 2, all within 80 columns.
grep -q '^Descriptors (' "$tmp/clean-text.out" && fail "clean-text: a descriptor view unasked"
check fds-text 0 --fds -- /bin/true
grep -q '^Descriptors (' "$tmp/fds-text.out" || fail "fds-text: no descriptor view with --fds"
grep -q '^       2  pipe b, write end (forklab reads it: stderr)' "$tmp/fds-text.out" ||
    fail "fds-text: fd 2 is not the stderr capture: $(cat "$tmp/fds-text.out")"
awk 'length($0) > 80 { exit 1 }' "$tmp/fds-text.out" || fail "fds-text: a line over 80 columns"

check exit3-text 0 -- sh -c 'exit 3'
grep -q 'main program: exit 3 after' "$tmp/exit3-text.out" || fail "exit3-text: no 'exit 3'"

# ---- json
check exit3 0 --format json -- sh -c 'echo out; echo err >&2; exit 3'
python exit3 '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["forklab_report"] == 1, report
assert report["argv"] == ["sh", "-c", "echo out; echo err >&2; exit 3"], report["argv"]
assert report["exit"]["how"] == "exit" and report["exit"]["code"] == 3, report["exit"]
assert report["findings"] == [] and report["finding_count"] == 0, report["findings"]
stdout = dict(report["stdout"])
pipe = stdout.pop("pipe")
assert stdout == {"text": "out\n", "bytes": 4, "kept": 4, "truncated": False}, report["stdout"]
assert report["stderr"]["text"] == "err\n", report["stderr"]
# The capture pipes, as the descriptor table of the main program names them.
assert pipe.startswith("pipe:[") and pipe != report["stderr"]["pipe"], (pipe, report["stderr"])
main_exec = [e for p in report["processes"] if p["pid"] == report["pid"]
             for e in p["events"] if e["event"] == "exec"][0]
assert [(f["fd"], f["target"]) for f in main_exec["fds"][1:3]] == \
    [(1, pipe), (2, report["stderr"]["pipe"])], main_exec["fds"]
main = [p for p in report["processes"] if p["pid"] == report["pid"]]
assert len(main) == 1 and main[0]["end"]["code"] == 3, report["processes"]
assert "trace" in report["checks"], report["checks"]
assert sorted(report["kinds"]) == sorted(["zombie", "fd_leak", "bad_close", "nested_fork",
    "runaway_child", "process_limit", "timeout", "crash", "memory_leak"]), report["kinds"]
assert report["kinds"]["memory_leak"]["checked"] is False
assert isinstance(report["duration_ms"], int)
'

check timeout 1 --timeout 0.3 --format json -- sleep 5
python timeout '
import json, sys
report = json.load(open(sys.argv[1]))
kinds = [f["kind"] for f in report["findings"]]
assert "timeout" in kinds, kinds
for finding in report["findings"]:
    assert set(finding) >= {"kind", "pid", "message", "lesson", "evidence"}, finding
    assert finding["lesson"].startswith("lessons/"), finding
assert report["kinds"]["timeout"]["findings"] == kinds.count("timeout")
'

check stdin 0 --stdin "$0" --format json -- cat
cp "$0" "$tmp/script"
python stdin '
import json, sys, os
report = json.load(open(sys.argv[1]))
expected = open(os.path.join(os.path.dirname(sys.argv[1]), "script")).read()
assert report["stdout"]["text"] == expected, report["stdout"]
'

check cap 0 --output-cap 4 --format json -- sh -c 'echo hello world'
python cap '
import json, sys
out = json.load(open(sys.argv[1]))["stdout"]
out.pop("pipe")
assert out == {"text": "hell", "bytes": 12, "kept": 4, "truncated": True}, out
'

# Bytes a target may print that JSON and XML cannot hold as they are.
hostile="printf '<&>\\001\\033[31m\\377\\376]]>\\n'"
check hostile-json 0 --format json -- sh -c "$hostile"
python hostile-json '
import json, sys
text = json.load(open(sys.argv[1]))["stdout"]["text"]
assert text == "<&>\x01\x1b[31m\ufffd\ufffd]]>\n", repr(text)
'

# ---- options that must be accepted
check decimal 0 --timeout 0.5 -- /bin/true
check allow-fd 0 --allow-fd 3 --allow-fd 4 --max-procs 5 -- /bin/true

# ---- tap, read by prove
check clean-tap 0 --format tap -- /bin/true
if prove -e cat "$tmp/clean-tap.out" >"$tmp/prove-clean" 2>&1; then :; else
    fail "clean-tap: prove failed: $(cat "$tmp/prove-clean")"
fi
grep -q '^ok 9 - memory_leak # SKIP not run (use --valgrind)$' "$tmp/clean-tap.out" ||
    fail "clean-tap: memory_leak is not a SKIP"

check timeout-tap 1 --timeout 0.3 --format tap -- sleep 5
if prove -e cat "$tmp/timeout-tap.out" >"$tmp/prove-timeout" 2>&1; then
    fail "timeout-tap: prove passed a run with a timeout"
fi
grep -q '^not ok 7 - timeout$' "$tmp/timeout-tap.out" || fail "timeout-tap: no 'not ok 7 - timeout'"
grep -q 'Parse errors' "$tmp/prove-timeout" && fail "timeout-tap: $(cat "$tmp/prove-timeout")"
grep -Eq 'Failed tests?: +7$' "$tmp/prove-timeout" || fail "timeout-tap: prove: $(cat "$tmp/prove-timeout")"

# ---- junit, read by an XML parser
junit_script='
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
assert suite.tag == "testsuite", suite.tag
cases = suite.findall("testcase")
assert [c.get("name") for c in cases] == ["zombie", "fd_leak", "bad_close", "nested_fork",
    "runaway_child", "process_limit", "timeout", "crash", "memory_leak"]
failed = [c.get("name") for c in cases if c.find("failure") is not None]
assert int(suite.get("failures")) == len(failed), (suite.get("failures"), failed)
assert cases[-1].find("skipped") is not None
'
check clean-junit 0 --format junit -- /bin/true
python clean-junit "$junit_script
assert failed == [], failed
"
check timeout-junit 1 --timeout 0.3 --format junit -- sleep 5
python timeout-junit "$junit_script
assert \"timeout\" in failed, failed
"
check hostile-junit 0 --format junit -- sh -c "$hostile"
python hostile-junit "$junit_script
text = suite.find(\"system-out\").text
assert text == \"<&>\ufffd\ufffd[31m\ufffd\ufffd]]>\n\", repr(text)
"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$tmp/hostile-junit.out" 2>"$tmp/xmllint" ||
        fail "hostile-junit: xmllint: $(cat "$tmp/xmllint")"
fi

# ---- gradescope results.json
check timeout-gradescope 1 --timeout 0.3 --format gradescope -- sleep 5
python timeout-gradescope '
import json, sys
results = json.load(open(sys.argv[1]))
tests = results["tests"]
assert len(tests) == 9, tests
for test in tests:
    assert set(test) >= {"name", "score", "max_score", "output", "visibility"}, test
assert [t["status"] for t in tests if t["name"] == "timeout"] == ["failed"], tests
assert results["score"] == sum(t["score"] for t in tests), results["score"]
assert isinstance(results["execution_time"], (int, float))
'

# ---- dot, read by Graphviz when it is installed
check timeout-dot 1 --timeout 0.3 --format dot -- sh -c 'sleep 5 & sleep 5'
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg -o /dev/null "$tmp/timeout-dot.out" 2>"$tmp/dot.err" ||
        fail "timeout-dot: dot refused: $(cat "$tmp/dot.err")"
else
    echo "cli-formats: graphviz is not installed; the dot output was not parsed" >&2
fi
grep -q ' -> ' "$tmp/timeout-dot.out" || fail "timeout-dot: no edge: $(cat "$tmp/timeout-dot.out")"

# ---- a report that cannot be written is an error, not a silent success
"$FORKLAB" check -- /bin/true >/dev/full 2>"$tmp/full.err"
status=$?
[ "$status" -eq 2 ] || fail "full: exit $status when stdout is /dev/full, expected 2"
grep -q '^forklab: could not write the report' "$tmp/full.err" ||
    fail "full: stderr: $(cat "$tmp/full.err")"

if [ "$failures" -ne 0 ]; then
    echo "cli-formats: $failures failures" >&2
    exit 1
fi
echo "cli-formats: all passed"
