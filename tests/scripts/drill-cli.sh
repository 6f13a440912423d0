#!/bin/sh
# forklab drill as a student, or a script, meets it: the answer given on the
# command line or on stdin (no prompt when stdin is not a terminal), right or
# wrong (exit 0 or 1) with the real run beside it; a lesson's drills in
# turn; the same seed, the same drill; a bad answer refused with exit 2.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# drill STATUS INPUT ARG...: `forklab drill ARG...` with INPUT on stdin exits
# with STATUS; its output in $tmp/out and $tmp/err.
drill() {
    expected=$1 input=$2
    shift 2
    printf '%s' "$input" | "$FORKLAB" drill "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    [ "$status" -eq "$expected" ] ||
        fail "drill $*: exit $status, expected $expected; stderr: $(cat "$tmp/err")"
    return 0
}

says() {
    grep -qF -- "$1" "$tmp/out" || fail "$2: stdout lacks '$1': $(cat "$tmp/out")"
}

drill 0 "" 05-lowest-free --answer "4 5"
says "Right." "a right answer"
says "your answer: 4 5" "a given answer is echoed"
says "fd 4: /dev/null" "the descriptors as the checker read them"
drill 1 "" 05-lowest-free --answer 3
says "Not quite: the answer is 4 5." "a wrong answer"
says "\`true\` started with 4 5" "the run beside the answer"

# From stdin: one line per drill, no prompt.
drill 0 "B
" 00-two-forks
grep -q "your answer" "$tmp/out" && fail "a prompt was shown with stdin not a terminal"
says "this run made" "the real tree"
drill 0 "A C
A C
" 03
[ "$(grep -c '^Right\.$' "$tmp/out")" -eq 2 ] || fail "lesson 03: not two drills: $(cat "$tmp/out")"
says "which one a run prints is up to the scheduler" "orders say where the scheduler decides"
says "<- this run" "orders say which output this run gave"
drill 1 "A
A C
" zombies
drill 2 "" 07-buffer-before-fork
grep -q "no answer" "$tmp/err" || fail "empty stdin: $(cat "$tmp/err")"

# The same seed, the same drill: the same program and the same answer.
for run in first second; do
    "$FORKLAB" drill --seed 42 --kind lines --answer 0 >"$tmp/$run" 2>&1
    [ $? -le 1 ] || fail "seed 42: $(cat "$tmp/$run")"
    sed '/^The run under the checker:/,$d' "$tmp/$run" >"$tmp/$run.asked"
done
cmp -s "$tmp/first.asked" "$tmp/second.asked" || fail "seed 42 made two different drills"
grep -q "forklab drill --seed 42 --kind lines" "$tmp/first" || fail "no seed to replay it"

# Refused answers: one line on stderr, exit 2.
drill 2 "" 03-wait-one --answer "A Z"
grep -q "answer 'A Z': give the letters (A to D)" "$tmp/err" || fail "bad letters: $(cat "$tmp/err")"
drill 2 "" 00-two-forks --answer "A B"
grep -q "give one letter" "$tmp/err" || fail "two letters for a tree: $(cat "$tmp/err")"
drill 2 "" 04-pipe-ends --answer "1"
grep -q "descriptor numbers (3 to 31)" "$tmp/err" || fail "fd 1: $(cat "$tmp/err")"

drill 0 "" --list
says "14-middle-stage" "--list"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "drill-cli: all good"
