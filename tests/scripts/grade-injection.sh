#!/bin/sh
# Terminal and spreadsheet injection, end to end: a program that prints
# escape sequences and fake verdicts (h-terminal-tricks), student files named
# with escapes, line breaks and spreadsheet formulas. Every line forklab
# prints (check, grade, watch, grade-all progress, errors) is free of control
# characters, the only verdict lines are forklab's, and no gradebook cell
# begins like a formula. The tricky submission is graded once per student
# (seven times), and must score the same each time.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"
: "${FORKLAB_BUILD:?FORKLAB_BUILD must name the build directory}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
tricks=tests/fixtures/h-terminal-tricks.c

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# safe FILE WHAT: FILE holds no byte a terminal acts on (controls but tab and
# newline, DEL, C1, bidi controls, bytes that are not UTF-8).
safe() {
    python3 - "$1" <<'PY' || fail "$2: $(cat "$1")"
import re, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")  # raises on a byte that is not UTF-8
bad = re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
assert bad is None, "a hidden character at %d: %r" % (bad.start(), text[bad.start() - 20:bad.end() + 20])
PY
}

# starting FILE PREFIX: how many lines of FILE begin with PREFIX.
starting() {
    grep -c "^$2" "$1"
}

# ---- check: the program's output behind the gutter, one verdict line
"$FORKLAB" check -- "$FORKLAB_BUILD/fixtures/h-terminal-tricks" >"$tmp/check" 2>&1 </dev/null
safe "$tmp/check" "check text"
[ "$(starting "$tmp/check" 'forklab: ')" -eq 1 ] || fail "check: a fake verdict line: $(cat "$tmp/check")"
grep -q '^  | forklab: no findings in 1 process$' "$tmp/check" ||
    fail "check: the fake verdict is not behind the gutter: $(cat "$tmp/check")"

# ---- grade and watch: the same, and the score line is the grader's
"$FORKLAB" grade --exercise 03 "$tricks" >"$tmp/grade" 2>&1 </dev/null
safe "$tmp/grade" "grade text"
[ "$(starting "$tmp/grade" 'score:')" -eq 1 ] || fail "grade: a fake score line: $(cat "$tmp/grade")"
grep -q '^score: 6/8: ' "$tmp/grade" || fail "grade: not the grader's score: $(cat "$tmp/grade")"
grep -q '^  | score: 8/8: every check passed$' "$tmp/grade" ||
    fail "grade: the fake score is not behind the gutter: $(cat "$tmp/grade")"

mkdir "$tmp/work"
cp "$tricks" "$tmp/work/03-zombies.c"
"$FORKLAB" watch --dir "$tmp/work" --count 1 03 >"$tmp/watch" 2>&1 </dev/null
safe "$tmp/watch" "watch"
[ "$(starting "$tmp/watch" 'score:')" -eq 1 ] || fail "watch: a fake score line: $(cat "$tmp/watch")"

# ---- an error naming a hostile file: one visible line
"$FORKLAB" grade --exercise 03 "$tmp/$(printf 'x\033]0;t\007\ny')" >"$tmp/error" 2>&1 </dev/null
safe "$tmp/error" "error message"
[ "$(wc -l <"$tmp/error")" -eq 1 ] || fail "error: not one line: $(cat "$tmp/error")"

# ---- grade-all: hostile student names in the progress lines and the CSV
class="$tmp/class"
mkdir "$class"
for name in alice "$(printf 'esc\033]0;pwned\007')" "$(printf 'new\nline')" \
    '=HYPERLINK("x","y")' '+cmd' '-2+3' '@SUM(A1)'; do
    cp "$tricks" "$class/$name.c"
done
echo "a note" >"$class/$(printf 'notes\033[2J.txt')"
"$FORKLAB" grade-all --exercise 03 --jobs 2 --out "$tmp/grades" "$class" \
    >"$tmp/all" 2>"$tmp/all.err" </dev/null
status=$?
[ "$status" -eq 0 ] || fail "grade-all: exit $status: $(cat "$tmp/all.err")"
safe "$tmp/all" "grade-all progress"
safe "$tmp/all.err" "grade-all messages"
# One line to start, one per student, one to end: a name cannot add a line.
[ "$(wc -l <"$tmp/all")" -eq 9 ] || fail "grade-all: not 9 lines: $(cat "$tmp/all")"
grep -q '^new\\x0aline  ' "$tmp/all" || fail "grade-all: the newline is not shown: $(cat "$tmp/all")"
grep -q '^esc\\x1b\]0;pwned\\x07 ' "$tmp/all" || fail "grade-all: ESC is not shown: $(cat "$tmp/all")"
grep -q 'skipped .*/notes\\x1b\[2J.txt' "$tmp/all.err" || fail "grade-all: $(cat "$tmp/all.err")"

python3 - "$tmp/grades" <<'PY' || fail "the gradebook: $(cat "$tmp/grades/gradebook.csv")"
import csv, json, os, sys
grades = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(grades, "gradebook.csv"), newline="")))
shown = sorted(row["student"] for row in rows)
assert shown == sorted(["alice", "esc\x1b]0;pwned\x07", "new\nline", "'=HYPERLINK(\"x\",\"y\")",
                        "'+cmd", "'-2+3", "'@SUM(A1)"]), shown
for row in rows:
    for cell in row.values():
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    # The same submission, the same grade, for every student.
    assert (row["status"], row["score"], row["no-zombie"], row["no-findings"], row["stdout"],
            row["exit"]) == ("graded", "6", "4", "1", "0", "1"), row
    # The student's own file keeps the name as it is.
    name = row["student"][1:] if row["student"][0] == "'" else row["student"]
    grade = json.load(open(os.path.join(grades, name + ".json")))
    assert grade["student"] == name and grade["score"] == 6, grade
PY

if [ "$failures" -ne 0 ]; then
    echo "grade-injection: $failures failures" >&2
    exit 1
fi
echo "grade-injection: every attack shown as text"
