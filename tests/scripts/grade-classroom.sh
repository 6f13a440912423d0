#!/bin/sh
# The GitHub Classroom workflow is what grading/classroom.py makes of the
# manifest, and its steps, run as Classroom runs them, give a fixed
# program full marks and a broken one the manifest's partial marks.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

python3 grading/classroom.py --check || fail "the workflow is stale"

# The steps' commands and points, as the reporter adds them up.
python3 - .github/workflows/classroom.yml >"$tmp/steps" <<'PY' || fail "workflow layout"
import re, sys
text = open(sys.argv[1]).read()
assert text.count("name: Autograding Tests") == 1 and "run-autograding-tests:" in text
commands = re.findall(r"^        command: (.*)$", text, re.M)
points = re.findall(r"^        max-score: (\d+)$", text, re.M)
ids = re.findall(r"^      id: (\S+)$", text, re.M)
runners = re.search(r"^        runners: (\S+)$", text, re.M).group(1).split(",")
assert len(commands) == len(points) == len(ids) and ids == runners, (ids, runners)
for step in ids:
    assert '%s_RESULTS: "${{steps.%s.outputs.result}}"' % (step.upper(), step) in text, step
for command, score in zip(commands, points):
    print(score, command)
PY

# Runs every step of EXERCISE in a checkout-like folder where
# exercises/EXERCISE.c is SOURCE; prints the points earned.
score_of() {
    exercise=$1 source=$2
    rm -rf "$tmp/repo"
    mkdir -p "$tmp/repo/exercises" "$tmp/repo/build"
    ln -s "$FORKLAB" "$tmp/repo/build/forklab"
    cp "$source" "$tmp/repo/exercises/$exercise.c"
    total=0
    while read -r points command; do
        case $command in *" --exercise $exercise "*) ;; *) continue ;; esac
        # shellcheck disable=SC2086 # the command is split as the runner's shell splits it
        (cd "$tmp/repo" && $command >/dev/null 2>&1) && total=$((total + points))
    done <"$tmp/steps"
    echo "$total"
}

# Every step comes from the same generator, so a few exercises show that the
# steps add up (each step compiles and runs the program once: all of them
# would take minutes).
for exercise in 01-nested-forks 03-zombies 05-bad-close 14-shell; do
    full=$(python3 -c 'import json, sys
p = [p for p in json.load(open("pitfalls/manifest.json"))["pitfalls"] if p["name"] == sys.argv[1]][0]
print(sum(c["points"] for c in p["checks"]))' "$exercise")
    got=$(score_of "$exercise" "solutions/$exercise.c")
    [ "$got" = "$full" ] || fail "$exercise: the solution earns $got of $full in Classroom"
done
for exercise in 03-zombies 05-bad-close 14-shell; do
    partial=$(python3 -c 'import json, sys
print([p for p in json.load(open("pitfalls/manifest.json"))["pitfalls"] if p["name"] == sys.argv[1]][0]["broken"]["score"])' "$exercise")
    got=$(score_of "$exercise" "pitfalls/$exercise.c")
    [ "$got" = "$partial" ] || fail "$exercise: the broken program earns $got, not $partial, in Classroom"
done

# The pictures step, as Classroom runs it after the checks: a page per
# exercise copied, and the job's summary with the descriptor view of the
# failed leak check of pitfall 04.
rm -rf "$tmp/repo"
mkdir -p "$tmp/repo/exercises" "$tmp/repo/build" "$tmp/repo/grading"
ln -s "$FORKLAB" "$tmp/repo/build/forklab"
cp grading/classroom-pictures.py "$tmp/repo/grading/"
cp pitfalls/04-leaked-fds.c "$tmp/repo/exercises/04-leaked-fds.c"
(cd "$tmp/repo" && GITHUB_STEP_SUMMARY="$tmp/summary.md" python3 grading/classroom-pictures.py) ||
    fail "the pictures step failed"
head -c 15 "$tmp/repo/forklab-reports/04-leaked-fds.html" 2>/dev/null | grep -q '<!DOCTYPE html>' ||
    fail "no HTML report of exercise 04"
grep -q 'id="forklab-report"' "$tmp/repo/forklab-reports/04-leaked-fds.html" 2>/dev/null ||
    fail "the HTML report of exercise 04 holds no run"
grep -q '^#### FAIL no-fd_leak' "$tmp/summary.md" 2>/dev/null || fail "the summary has no failed no-fd_leak check"
grep -q 'keeps itself waiting' "$tmp/summary.md" 2>/dev/null ||
    fail "the summary has no descriptor view of the run"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-classroom: all good"
