#!/bin/sh
# The Gradescope autograder end to end in a fake /autograder tree: make the
# bundle, unpack it, run setup.sh (which builds forklab from it), then
# run_autograder on submissions, reading results.json back field by field.
#
# The submissions run as the user nobody, and once as root to show that a
# results.json the submission writes itself is replaced by the real one.
set -u
: "${FORKLAB_BUILD:?FORKLAB_BUILD must name the build folder}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

sh grading/make-bundle.sh "$tmp/bundles" zombies >/dev/null || { echo "FAIL: make-bundle" >&2; exit 1; }
zip="$tmp/bundles/forklab-03-zombies.zip"
python3 - "$zip" <<'PY' || fail "the bundle's layout"
import sys, zipfile
bundle = zipfile.ZipFile(sys.argv[1])
names = set(bundle.namelist())
for needed in ("setup.sh", "run_autograder", "forklab-exercise", "Makefile",
               "pitfalls/manifest.json", "lib/forklab.h", "harness/main.c"):
    assert needed in names, needed
for script in ("setup.sh", "run_autograder"):
    assert bundle.getinfo(script).external_attr >> 16 & 0o111, script + " is not executable"
assert bundle.read("forklab-exercise") == b"03-zombies\n"
assert not any(n.startswith(("build", "tests/", "solutions/")) for n in names), "extra files"
PY

# Gradescope unpacks the bundle into /autograder/source and copies
# run_autograder to /autograder.
root="$tmp/autograder"
mkdir -p "$root/source" "$root/submission" "$root/results"
chmod 755 "$tmp"
python3 -m zipfile -e "$zip" "$root/source"
cp "$root/source/run_autograder" "$root/run_autograder"
(cd "$root/source" && AUTOGRADER_ROOT="$root" FORKLAB_GRADER_USER=nobody sh setup.sh) \
    >"$tmp/setup.log" 2>&1 || { echo "FAIL: setup.sh: $(tail -n 20 "$tmp/setup.log")" >&2; exit 1; }
[ -x "$root/source/build/forklab" ] || { echo "FAIL: setup.sh built no forklab" >&2; exit 1; }

# grade USER FILE...: a fresh submission of FILEs, graded by run_autograder as USER.
grade() {
    user=$1
    shift
    rm -rf "$root/submission" "$root/results/results.json"
    mkdir -p "$root/submission"
    [ "$#" -gt 0 ] && cp "$@" "$root/submission/"
    AUTOGRADER_ROOT="$root" FORKLAB_GRADER_USER="$user" sh "$root/run_autograder" \
        >"$tmp/run.log" 2>&1 || fail "run_autograder exited $?: $(cat "$tmp/run.log")"
    [ -s "$root/results/results.json" ] || fail "no results.json: $(cat "$tmp/run.log")"
}

# results SCORE CHECKS OUTPUT: results.json scores SCORE in all, each test's
# score is the next of CHECKS (no-zombie no-findings stdout exit), and the
# top-level output contains OUTPUT.
results() {
    python3 - "$root/results/results.json" "$@" <<'PY' || fail "results.json: $(cat "$root/results/results.json")"
import json, sys
results = json.load(open(sys.argv[1]))
score, checks, output = int(sys.argv[2]), [int(n) for n in sys.argv[3].split()], sys.argv[4]
assert results["score"] == score, results["score"]
assert isinstance(results["execution_time"], (int, float))
assert output in results["output"], results["output"]
tests = results["tests"]
assert [t["name"].split(":")[0] for t in tests] == ["no-zombie", "no-findings", "stdout", "exit"]
assert [t["max_score"] for t in tests] == [4, 1, 2, 1]
assert [t["score"] for t in tests] == checks, [t["score"] for t in tests]
for t in tests:
    assert t["status"] == ("passed" if t["score"] == t["max_score"] else "failed"), t
    assert t["visibility"] == "visible" and t["output"], t
assert sum(t["score"] for t in tests) == results["score"]
PY
}

grade nobody solutions/03-zombies.c          # with forklab.h: the bundle's wrapper
results 8 "4 1 2 1" "compile: ok"
grade nobody pitfalls/03-zombies.c
results 3 "0 0 2 1" "sum of 1..300 = 45150"
grade nobody tests/fixtures/submissions/compile-error.c
results 0 "0 0 0 0" "error"
grade nobody                                 # an empty submission
results 0 "0 0 0 0" "holds no .c file"
grade nobody tests/fixtures/submissions/fake-results.c
results 6 "4 1 0 1" '"score": 1000'
grade nobody tests/fixtures/submissions/whoami.c
results 6 "4 1 0 1" "uid $(id -u nobody)"
# As root, the submission can write results.json itself: it is replaced.
grade "" tests/fixtures/submissions/fake-results.c
results 6 "4 1 0 1" '"score": 1000'

# The shell lab from the same bundle (only forklab-exercise differs): its
# sessions run as the unprivileged user too, probe included.
echo 14-shell >"$root/source/forklab-exercise"
for case in "solutions/raw/14-shell.c 26" "pitfalls/14-shell.c 16"; do
    set -- $case
    grade nobody "$1"
    python3 -c '
import json, sys
results = json.load(open(sys.argv[1]))
assert results["score"] == int(sys.argv[2]), results["score"]
assert sum(t["score"] for t in results["tests"]) == results["score"]
assert "session pipes" in results["output"], results["output"]
' "$root/results/results.json" "$2" || fail "14-shell $1: $(cat "$root/results/results.json")"
done

# When forklab cannot grade at all, results.json still says why.
mv "$root/source/forklab-exercise" "$tmp/exercise"
echo "no-such-exercise" >"$root/source/forklab-exercise"
grade nobody pitfalls/03-zombies.c
python3 -c '
import json, sys
results = json.load(open(sys.argv[1]))
assert results["score"] == 0 and results["tests"] == [], results
assert "no exercise" in results["output"], results["output"]
' "$root/results/results.json" || fail "no fallback results.json: $(cat "$root/results/results.json")"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-gradescope: all good"
