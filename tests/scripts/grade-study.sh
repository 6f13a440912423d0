#!/bin/sh
# Self-study as a student meets it, in a throw-away work folder: list, start
# (never overwriting work without --force), hint (remembered between runs),
# show, verify (failing, then passing once fixed), and list again.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
work="$tmp/exercises"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run STATUS ARG...: `forklab ARG...` exits with STATUS; output in $tmp/out, $tmp/err.
run() {
    expected=$1
    shift
    "$FORKLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    [ "$status" -eq "$expected" ] ||
        fail "forklab $*: exit $status, expected $expected; stderr: $(cat "$tmp/err")"
    return 0
}

says() {
    grep -qF -- "$1" "$tmp/out" || fail "$2: stdout lacks '$1': $(cat "$tmp/out")"
}

# progress FIELD: the field of 03-zombies in the saved progress.
progress() {
    python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["exercises"]["03-zombies"].get(sys.argv[2], "-"))' \
        "$work/.forklab-progress.json" "$1"
}

count=$(python3 -c 'import json; print(len(json.load(open("pitfalls/manifest.json"))["pitfalls"]))')
first=$(python3 -c 'import json; print(json.load(open("pitfalls/manifest.json"))["pitfalls"][0]["name"])')
run 0 list --dir "$work"
says "0 of $count passing. Next: $FORKLAB start --dir $work $first" "list"
[ "$(grep -c 'not started' "$tmp/out")" -eq "$count" ] || fail "list: not every exercise is new"

run 0 start --dir "$work" zombies
cmp -s pitfalls/03-zombies.c "$work/03-zombies.c" || fail "start: the copy is not the broken program"
says "$FORKLAB verify --dir $work 03-zombies" "start"
# The task, every graded check with its points, the exit status included.
says "Reap every worker, not only the last one started." "start"
says "Graded, 8 points" "start"
says " 4  no-zombie: no zombie finding" "start"
says " 1  exit: exits with code 0" "start"
echo "/* my work */" >>"$work/03-zombies.c"
run 2 start --dir "$work" 03
grep -q "already exists" "$tmp/err" || fail "start: refused without saying why: $(cat "$tmp/err")"
grep -q "my work" "$work/03-zombies.c" || fail "start: overwrote the student's work"
run 0 start --dir "$work" --force 03
cmp -s pitfalls/03-zombies.c "$work/03-zombies.c" || fail "start --force: not a fresh copy"

run 0 list --dir "$work"
grep -q '^  03-zombies  *failing' "$tmp/out" || fail "list: a started exercise is not failing: $(cat "$tmp/out")"

# Hints one at a time, remembered; after the last, the last again.
hint_count=$(python3 -c 'import json; print([len(p["hints"]) for p in json.load(open("pitfalls/manifest.json"))["pitfalls"] if p["name"] == "03-zombies"][0])')
i=1
while [ "$i" -le "$hint_count" ]; do
    run 0 hint --dir "$work" 03
    says "Hint $i of $hint_count for 03-zombies:" "hint $i"
    i=$((i + 1))
done
[ "$(progress hints_shown)" = "$hint_count" ] || fail "hint: $(progress hints_shown) hints saved"
run 0 hint --dir "$work" 03
says "Hint $hint_count of $hint_count" "hint after the last"
says "That was the last hint" "hint after the last"

# Earlier hints again: by number, or all seen so far; neither moves on.
run 0 hint --dir "$work" 03 1
says "Hint 1 of $hint_count for 03-zombies:" "hint 03 1"
run 0 hint --dir "$work" --all 03
[ "$(grep -c '^Hint [0-9]* of' "$tmp/out")" = "$hint_count" ] || fail "hint --all: $(cat "$tmp/out")"
[ "$(progress hints_shown)" = "$hint_count" ] || fail "hint N/--all changed the hints seen"
run 2 hint --dir "$work" 03 $((hint_count + 1))
grep -q "give a number from 1 to $hint_count" "$tmp/err" || fail "hint beyond the last: $(cat "$tmp/err")"
run 2 hint --dir "$work" --all 03 1
run 2 hint --dir "$tmp/fresh" --all 03
grep -q "no hint of 03-zombies seen yet" "$tmp/err" || fail "hint --all before any: $(cat "$tmp/err")"

run 0 show zombies
head -n 1 lessons/03-zombies.md >"$tmp/first"
grep -qxF -- "$(cat "$tmp/first")" "$tmp/out" || fail "show: not the lesson"

run 1 verify --dir "$work" 03
says "score: 3/8" "verify broken"
[ "$(progress status)" = failing ] || fail "verify: status $(progress status)"
[ "$(progress score)" = 3 ] || fail "verify: score $(progress score)"

cp tests/fixtures/submissions/zombies-fixed.c "$work/03-zombies.c"
run 0 verify --dir "$work"   # every started exercise: just this one
says "score: 8/8" "verify fixed"
[ "$(progress status)" = passing ] || fail "verify fixed: status $(progress status)"
[ "$(progress hints_shown)" = "$hint_count" ] || fail "verify forgot the hints"
run 0 list --dir "$work"
grep -q '^  03-zombies  *passing  *8/8' "$tmp/out" || fail "list: not passing: $(cat "$tmp/out")"
says "1 of $count passing." "list after the fix"

run 2 verify --dir "$work" 01
grep -qF "$FORKLAB start --dir $work 01-nested-forks" "$tmp/err" || fail "verify without a copy: $(cat "$tmp/err")"
run 2 verify --dir "$tmp/empty"
grep -q "nothing to verify" "$tmp/err" || fail "verify with nothing started: $(cat "$tmp/err")"
run 2 hint --dir "$work" no-such-exercise
grep -q "no exercise 'no-such-exercise'" "$tmp/err" || fail "hint: $(cat "$tmp/err")"
run 2 watch --dir "$work" 01
grep -qF "$FORKLAB start --dir $work 01-nested-forks" "$tmp/err" || fail "watch without a copy: $(cat "$tmp/err")"

# The shell lab: its skeleton is the copy; verify runs the graded sessions.
run 0 start --dir "$work" 14
cmp -s pitfalls/14-shell.c "$work/14-shell.c" || fail "start 14: the copy is not the skeleton"
run 1 verify --dir "$work" 14
says "score: 16/26" "verify the skeleton"
says "session pipes" "verify the skeleton"
cp solutions/raw/14-shell.c "$work/14-shell.c"
run 0 verify --dir "$work" 14
says "score: 26/26" "verify the shell by hand"

echo '{"forklab_progress": 7}' >"$work/.forklab-progress.json"
run 2 list --dir "$work"
grep -q "not forklab progress" "$tmp/err" || fail "list with a bad progress file: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-study: all good"
