#!/bin/sh
# `forklab grade` from the command line: bad input is refused with exit 2 and
# one line; the exit status says full marks or not; every format is read back
# by a real consumer; --output replaces the file whole, even a planted symlink.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
submissions=tests/fixtures/submissions

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# refused TEXT ARG...: exit 2, nothing on stdout, one line on stderr with TEXT.
refused() {
    expected=$1
    shift
    "$FORKLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    [ "$status" -eq 2 ] || fail "forklab $*: exit $status, expected 2"
    [ -s "$tmp/out" ] && fail "forklab $*: printed on stdout: $(cat "$tmp/out")"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "forklab $*: not one line on stderr: $(cat "$tmp/err")"
    case $(cat "$tmp/err") in
    "forklab: "*"$expected"*) ;;
    *) fail "forklab $*: stderr does not say '$expected': $(cat "$tmp/err")" ;;
    esac
    return 0
}

# grades STATUS ARG...: `forklab grade ARG...` exits with STATUS, output in $tmp/out.
grades() {
    expected=$1
    shift
    "$FORKLAB" grade "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    [ "$status" -eq "$expected" ] ||
        fail "forklab grade $*: exit $status, expected $expected; stderr: $(cat "$tmp/err")"
    return 0
}

# ---- bad input
refused "which exercise" grade pitfalls/03-zombies.c
refused "no exercise 'nope'" grade --exercise nope pitfalls/03-zombies.c
refused "no submission given" grade --exercise 03
refused "No such file" grade --exercise 03 "$tmp/missing.c"
refused "one submission at a time" grade --exercise 03 pitfalls/03-zombies.c solutions/03-zombies.c
refused "not a format" grade --exercise 03 --format yaml pitfalls/03-zombies.c
refused "no such check" grade --exercise 03 --only no-such-check pitfalls/03-zombies.c
refused "--timeout" grade --exercise 03 --timeout 0 pitfalls/03-zombies.c
refused "unknown option" grade --exercise 03 --frobnicate pitfalls/03-zombies.c
refused "needs a value" grade pitfalls/03-zombies.c --exercise
refused "which exercise" grade-all "$tmp"
refused "not a folder" grade-all --exercise 03 pitfalls/03-zombies.c
refused "--jobs" grade-all --exercise 03 --jobs 0 "$tmp"
refused "no such user" grade --exercise 03 --run-as no-such-user-here pitfalls/03-zombies.c
refused "no such user" grade-all --exercise 03 --run-as no-such-user-here "$tmp"
mkdir "$tmp/class"
cp solutions/03-zombies.c "$tmp/class/alice.c"
refused "inside it" grade-all --exercise 03 --out "$tmp/class/grades" "$tmp/class"
refused "inside it" grade-all --exercise 03 --out "$tmp/class" "$tmp/class"
# A gradebook that could not be written is refused before any grading
# (refused: nothing on stdout, so not even the "grading ..." line).
refused "its parent folder does not exist" grade-all --exercise 03 --out "$tmp/missing/grades" \
    "$tmp/class"
[ -e "$tmp/missing" ] && fail "grade-all created the missing parent of --out"
touch "$tmp/a-file"
refused "it exists and is not a folder" grade-all --exercise 03 --out "$tmp/a-file" "$tmp/class"

# ---- who runs the program: as root, an unprivileged user unless told otherwise
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    nobody=$(id -u nobody)
    grades 1 --exercise 03 "$submissions/whoami.c"
    grep -q "^  | uid $nobody\$" "$tmp/out" || fail "as root, the program did not run as nobody"
    [ -s "$tmp/err" ] && fail "the default run-as warned: $(cat "$tmp/err")"
    grades 1 --exercise 03 --run-as root "$submissions/whoami.c"
    grep -q "^  | uid 0\$" "$tmp/out" || fail "--run-as root: the program did not run as root"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "warning: --run-as root" "$tmp/err" ||
        fail "--run-as root: no one-line warning: $(cat "$tmp/err")"
    # The valgrind pass runs it as that user too.
    grades 0 --exercise 03 --valgrind "$submissions/leaks-as-root.c"
    grades 1 --exercise 03 --valgrind --run-as root "$submissions/leaks-as-root.c"
    grep -q "memory_leak" "$tmp/out" || fail "--run-as root --valgrind: no leak as root"
fi

# ---- exit status and text
grades 0 --exercise 03 solutions/03-zombies.c
grep -q '^score: 8/8' "$tmp/out" || fail "solution: no 'score: 8/8' in: $(cat "$tmp/out")"
grades 1 --exercise zombies pitfalls/03-zombies.c
grep -q '^score: 3/8' "$tmp/out" || fail "broken: no 'score: 3/8' in: $(cat "$tmp/out")"
grep -q 'FAIL.*no-zombie' "$tmp/out" || fail "broken: no-zombie did not fail"
grades 1 --exercise 3 "$submissions/compile-error.c"
grep -q "compile-error.c:7" "$tmp/out" || fail "compile error: the compiler's message is missing"
grades 0 --exercise 03 --only stdout pitfalls/03-zombies.c
grades 1 --exercise 03 --only no-zombie pitfalls/03-zombies.c

# ---- every format, read back
grades 1 --exercise 03 --format json pitfalls/03-zombies.c
python3 -c '
import json, sys
grade = json.load(open(sys.argv[1]))
assert grade["forklab_grade"] == 1 and grade["exercise"] == "03-zombies", grade
assert (grade["score"], grade["max_score"], grade["passed"]) == (3, 8, False), grade
assert [c["id"] for c in grade["checks"]] == ["no-zombie", "no-findings", "stdout", "exit"]
assert [c["score"] for c in grade["checks"]] == [0, 0, 2, 1]
assert grade["report"]["findings"][0]["kind"] == "zombie"
' "$tmp/out" || fail "json: $(cat "$tmp/out")"

grades 1 --exercise 03 --format gradescope pitfalls/03-zombies.c
python3 -c '
import json, sys
results = json.load(open(sys.argv[1]))
assert results["score"] == 3, results["score"]
tests = results["tests"]
assert [t["max_score"] for t in tests] == [4, 1, 2, 1], tests
assert [t["status"] for t in tests] == ["failed", "failed", "passed", "passed"], tests
assert sum(t["score"] for t in tests) == results["score"]
for t in tests:
    assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}, t
' "$tmp/out" || fail "gradescope: $(cat "$tmp/out")"

grades 1 --exercise 03 --format tap pitfalls/03-zombies.c
if command -v prove >/dev/null 2>&1; then
    # prove fails the run (as it should: two checks fail), but it must parse
    # it: 4 tests, 2 failed, no parse errors.
    prove -v -e cat "$tmp/out" >"$tmp/prove" 2>&1
    grep -q 'Failed 2/4 subtests' "$tmp/prove" || fail "tap: prove says: $(cat "$tmp/prove")"
    grep -qi 'parse error' "$tmp/prove" && fail "tap: parse errors: $(cat "$tmp/prove")"
fi

grades 1 --exercise 03 --format junit pitfalls/03-zombies.c
python3 -c '
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
assert suite.tag == "testsuite" and suite.get("tests") == "4" and suite.get("failures") == "2"
assert len(suite.findall("testcase")) == 4
assert suite.find("system-out").text == "sum of 1..300 = 45150\n"
' "$tmp/out" || fail "junit: $(cat "$tmp/out")"

# ---- a shell exercise: --only runs just the session its check grades
grades 1 --exercise 14 --only pipes-children --format json pitfalls/14-shell.c
python3 -c '
import json, sys
grade = json.load(open(sys.argv[1]))
assert (grade["score"], grade["max_score"]) == (0, 2), grade
assert [(c["id"], c["session"], c["test"]) for c in grade["checks"]] == [
    ("pipes-children", "pipes", "children")], grade["checks"]
assert grade["report"] is None
assert [s["name"] for s in grade["sessions"]] == ["pipes"], grade["sessions"]
assert {f["kind"] for f in grade["sessions"][0]["report"]["findings"]} == {"zombie", "fd_leak"}
assert "(echo, a zombie)" in grade["checks"][0]["detail"], grade["checks"][0]["detail"]
' "$tmp/out" || fail "json of a shell: $(cat "$tmp/out")"
grades 1 --exercise 14 --only errors-stdout --format gradescope pitfalls/14-shell.c
python3 -c '
import json, sys
results = json.load(open(sys.argv[1]))
assert results["score"] == 0 and len(results["tests"]) == 1, results
output = results["output"]
assert "--- what the shell read in session errors ---\nno-such-program with arguments\n" in output, output
assert output.count("\nstill here\n") == 2, output
' "$tmp/out" || fail "gradescope of a shell: $(cat "$tmp/out")"

# ---- --output: written whole once grading is over, replacing what was there
ln -s "$tmp/elsewhere" "$tmp/results.json"
grades 1 --exercise 03 --format gradescope --output "$tmp/results.json" pitfalls/03-zombies.c
[ -s "$tmp/out" ] && fail "--output: printed on stdout too"
[ -L "$tmp/results.json" ] && fail "--output: the planted symlink is still there"
[ -e "$tmp/elsewhere" ] && fail "--output: wrote through the planted symlink"
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["score"] == 3' \
    "$tmp/results.json" || fail "--output: bad results.json"
for leftover in "$tmp"/results.json.*; do
    [ -e "$leftover" ] && fail "--output: a temporary file was left: $leftover"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-cli: all good"
