#!/bin/sh
# `forklab grade-all` on a small class of mixed submissions, two at a time:
# the gradebook CSV and each student's JSON hold the right scores, a fork
# bomb and a flood change no one else's, and nothing is left running.
#
# The script runs inside a pids cgroup when it can (the fork bomb only then).
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
cgroup=/sys/fs/cgroup/pids/forklab-grade-all-$$
failures=0

cleanup() {
    if [ -d "$cgroup" ]; then
        echo $$ >/sys/fs/cgroup/pids/cgroup.procs
        rmdir "$cgroup"
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

bomb=no
if [ -w /sys/fs/cgroup/pids ] && mkdir "$cgroup" 2>/dev/null; then
    # A guard for the machine, above what the bomb may have at once (the
    # tracer ends it past 100 processes, with at most one more held per
    # process: 201, and its box allows 266 tasks) plus the other grading
    # process, which meanwhile runs its submission under every schedule.
    echo 600 >"$cgroup/pids.max"
    echo $$ >"$cgroup/cgroup.procs" && bomb=yes
fi

class="$tmp/class"
mkdir "$class" "$class/dave" "$class/erin"
cp solutions/03-zombies.c "$class/alice.c"
cp pitfalls/03-zombies.c "$class/bob.c"
cp tests/fixtures/submissions/compile-error.c "$class/carol.c"
cp tests/fixtures/submissions/multi-file/* "$class/dave/"
cp tests/fixtures/submissions/flood.c "$class/oscar.c"
cp tests/fixtures/submissions/fake-results.c "$class/trudy.c"
[ "$bomb" = yes ] && cp tests/fixtures/h-fork-bomb.c "$class/mallory.c"
echo "a note" >"$class/notes.txt"

"$FORKLAB" grade-all --exercise 03 --jobs 2 --timeout 2 --out "$tmp/grades" "$class" \
    >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
[ "$status" -eq 0 ] || fail "grade-all: exit $status; stderr: $(cat "$tmp/err")"
grep -q "skipped $class/notes.txt" "$tmp/err" || fail "no note on notes.txt: $(cat "$tmp/err")"
students=0
for entry in "$class"/*; do
    [ "$entry" = "$class/notes.txt" ] || students=$((students + 1))
done
grep -q "^graded $students of $students in" "$tmp/out" || fail "no summary line: $(cat "$tmp/out")"

python3 - "$tmp/grades" "$bomb" <<'PY' || fail "the gradebook is wrong"
import csv, json, os, sys
grades, bomb = sys.argv[1], sys.argv[2] == "yes"
# student: (status, score, points per check: no-zombie, no-findings, stdout, exit)
expected = {
    "alice": ("graded", 8, [4, 1, 2, 1]),
    "bob": ("graded", 3, [0, 0, 2, 1]),
    "carol": ("compile_failed", 0, [0, 0, 0, 0]),
    "dave": ("graded", 8, [4, 1, 2, 1]),
    "erin": ("no_source", 0, [0, 0, 0, 0]),
    "oscar": ("graded", 4, [4, 0, 0, 0]),
    "trudy": ("graded", 6, [4, 1, 0, 1]),
}
rows = list(csv.DictReader(open(os.path.join(grades, "gradebook.csv"), newline="")))
students = [row["student"] for row in rows]
names = sorted(list(expected) + (["mallory"] if bomb else []))
assert students == names, students
for row in rows:
    name = row["student"]
    grade = json.load(open(os.path.join(grades, name + ".json")))
    assert grade["student"] == name and grade["exercise"] == "03-zombies", grade
    if name == "mallory":
        # A fork bomb: stopped at the process limit, which the checks explain.
        assert row["status"] == "graded" and int(row["no-findings"]) == 0, row
        assert int(row["stdout"]) == 0 and int(row["exit"]) == 0, row
        assert "process_limit" in grade["checks"][1]["detail"], grade["checks"][1]
        continue
    status, score, checks = expected[name]
    got = [int(row[c]) for c in ("no-zombie", "no-findings", "stdout", "exit")]
    assert (row["status"], int(row["score"]), got) == (status, score, checks), (name, row)
    assert int(row["max_score"]) == 8 and grade["score"] == score, (name, grade["score"])
    assert row["explanation"] == grade["explanation"], row
print("gradebook ok")
PY

# Nothing any submission started is still running: once this shell has left
# the cgroup, it must be empty.
if [ "$bomb" = yes ]; then
    echo $$ >/sys/fs/cgroup/pids/cgroup.procs
    left=$(wc -l <"$cgroup/cgroup.procs")
    [ "$left" -eq 0 ] || fail "$left processes left in the cgroup: $(cat "$cgroup/cgroup.procs")"
    rmdir "$cgroup"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-all: all good (fork bomb included: $bomb)"
