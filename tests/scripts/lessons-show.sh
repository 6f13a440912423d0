#!/bin/sh
# Attempt first: `forklab show NN` prints every lesson without its fix (the
# "After you solve it" part, where every line of the fixed programs is), prints
# it with --solution after a one-line warning, and freely once verify passed.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# fix_lines NAME: the lines of the exercise's fixes (solutions/NAME.c and, if
# there is one, solutions/raw/NAME.c) that the broken program does not have,
# trimmed, long enough to mean something, #include lines aside (other
# programs in a lesson have them too), one a line.
fix_lines() {
    python3 - "$1" <<'EOF'
import os, sys
name = sys.argv[1]
broken = {line.strip() for line in open("pitfalls/%s.c" % name)}
for fix in ("solutions/%s.c" % name, "solutions/raw/%s.c" % name):
    if os.path.exists(fix):
        for line in open(fix):
            line = line.strip()
            if len(line) >= 16 and line not in broken and not line.startswith("#include"):
                print(line)
EOF
}

# shown_in FILE LINES: the lines of the file LINES that are a line of FILE,
# trimmed (and without the + or - of a diff line).
shown_in() {
    python3 - "$1" "$2" <<'EOF'
import sys
text = {line.strip().lstrip("+-").strip() for line in open(sys.argv[1])}
for line in open(sys.argv[2]):
    if line.strip() in text:
        print(line.strip())
EOF
}

work="$tmp/exercises"
names=$(python3 -c 'import json
for p in json.load(open("pitfalls/manifest.json"))["pitfalls"]: print(p["name"])')
for name in $names; do
    lesson="lessons/$name.md"
    fix_lines "$name" >"$tmp/fix"
    [ -s "$tmp/fix" ] || fail "$name: the fixes have no line of their own?"
    [ "$(grep -c '^## After you solve it$' "$lesson")" -eq 1 ] ||
        fail "$name: the lesson needs exactly one '## After you solve it' part"
    exercise_line=$(grep -n '^## Exercise$' "$lesson" | cut -d: -f1)
    after_line=$(grep -n '^## After you solve it$' "$lesson" | cut -d: -f1)
    [ -n "$exercise_line" ] && [ -n "$after_line" ] && [ "$exercise_line" -lt "$after_line" ] ||
        fail "$name: the exercise must come before 'After you solve it'"
    [ -n "$(shown_in "$lesson" "$tmp/fix")" ] ||
        fail "$name: the lesson shows no line of its fixes at all"

    # By default: the lesson, and not one line of a fix.
    if "$FORKLAB" show --dir "$work" "$name" >"$tmp/out" 2>"$tmp/err"; then
        head -n 1 "$lesson" | grep -qxF -f - "$tmp/out" || fail "$name: show is not the lesson"
        grep -q -- "--solution $name" "$tmp/out" ||
            fail "$name: show does not say how to see the fix"
        leaked=$(shown_in "$tmp/out" "$tmp/fix")
        [ -z "$leaked" ] || fail "$name: show prints lines of the fix: $leaked"
        grep -q '^## Man pages' "$tmp/out" || fail "$name: show drops what follows the fix"
        [ ! -s "$tmp/err" ] || fail "$name: show warns without --solution: $(cat "$tmp/err")"
    else
        fail "$name: forklab show failed: $(cat "$tmp/err")"
    fi

    # With --solution: the whole lesson, after one line of warning.
    if "$FORKLAB" show --dir "$work" --solution "$name" >"$tmp/out" 2>"$tmp/err"; then
        cmp -s "$lesson" "$tmp/out" || fail "$name: show --solution is not the whole lesson"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$name: show --solution warns in $(wc -l <"$tmp/err") lines"
    else
        fail "$name: forklab show --solution failed: $(cat "$tmp/err")"
    fi
done

# Once verify has passed, the fix is shown without asking and without warning.
"$FORKLAB" start --dir "$work" 03 >/dev/null 2>&1 || fail "start 03"
cp solutions/03-zombies.c "$work/03-zombies.c"
"$FORKLAB" verify --dir "$work" 03 >/dev/null 2>&1 || fail "verify of the fixed 03 did not pass"
"$FORKLAB" show --dir "$work" 03 >"$tmp/out" 2>"$tmp/err" || fail "show after verify failed"
cmp -s lessons/03-zombies.md "$tmp/out" || fail "show after a passing verify is not the whole lesson"
[ ! -s "$tmp/err" ] || fail "show after a passing verify warns: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "lessons-show: every lesson keeps its fix for after the attempt"
