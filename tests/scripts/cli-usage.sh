#!/bin/sh
# The forklab command line as a user meets it: every bad invocation is refused
# with exit status 2 and one line on stderr that says why, and starts nothing;
# --help, help COMMAND and --version answer on stdout with exit status 0.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mark="$tmp/started"        # the target below creates it: if it exists, something ran
target="touch $mark"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# refused TEXT ARG...: `forklab ARG...` must exit 2, print nothing on stdout,
# one line on stderr that starts with "forklab: " and contains TEXT, and run
# nothing.
refused() {
    expected=$1
    shift
    rm -f "$mark"
    "$FORKLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    what="forklab $*"
    [ "$status" -eq 2 ] || fail "$what: exit $status, expected 2"
    [ -s "$tmp/out" ] && fail "$what: printed on stdout: $(cat "$tmp/out")"
    lines=$(wc -l <"$tmp/err")
    [ "$lines" -eq 1 ] || fail "$what: $lines lines on stderr, expected 1: $(cat "$tmp/err")"
    case $(cat "$tmp/err") in
    "forklab: "*"$expected"*) ;;
    *) fail "$what: stderr does not say '$expected': $(cat "$tmp/err")" ;;
    esac
    [ -e "$mark" ] && fail "$what: the target was started"
    return 0
}

# answers TEXT ARG...: `forklab ARG...` must exit 0 with TEXT on stdout and
# nothing on stderr.
answers() {
    expected=$1
    shift
    "$FORKLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    [ "$status" -eq 0 ] || fail "forklab $*: exit $status, expected 0"
    grep -qF -- "$expected" "$tmp/out" || fail "forklab $*: stdout lacks '$expected'"
    [ -s "$tmp/err" ] && fail "forklab $*: printed on stderr: $(cat "$tmp/err")"
    return 0
}

mkdir "$tmp/dir"
printf 'echo hi\n' >"$tmp/not-executable"
chmod 644 "$tmp/not-executable"
printf 'some input\n' >"$tmp/input"

# ---- the program
refused "no program given" check
refused "no program given" check --
refused "no program given" check --timeout 3 --
refused "no such program in PATH" check -- forklab-no-such-program-here
refused "$tmp/missing: no such program" check -- "$tmp/missing"
refused "is a directory" check -- "$tmp/dir"
refused "not executable" check -- "$tmp/not-executable"
refused "program name is empty" check -- ""

# ---- options and their values
refused "unknown option '--frobnicate'" check --frobnicate -- sh -c "$target"
refused "unknown option '-x'" check -x -- sh -c "$target"
refused "'--timeout' needs a value" check --timeout
for bad in 0 -1 -0.5 abc "" 5s nan inf 1e9; do
    refused "--timeout '$bad'" check --timeout "$bad" -- sh -c "$target"
done
for bad in 0 -3 abc 1.5 "" 2x 99999999999999999999; do
    refused "--max-procs '$bad'" check --max-procs "$bad" -- sh -c "$target"
done
for bad in -1 x 3.0 ""; do
    refused "--allow-fd '$bad'" check --allow-fd "$bad" -- sh -c "$target"
done
refused "--output-cap '0'" check --output-cap 0 -- sh -c "$target"
refused "--stdin $tmp/missing: No such file or directory" \
    check --stdin "$tmp/missing" -- sh -c "$target"
refused "--stdin $tmp/dir: is a directory" check --stdin "$tmp/dir" -- sh -c "$target"
refused "--format 'xml': not a format; use one of text|json|tap|junit|gradescope|dot" \
    check --format xml -- sh -c "$target"
# Every other value is refused too even when the bad one comes last.
refused "--format 'TEXT'" check --timeout 2 --allow-fd 3 --format TEXT -- sh -c "$target"

# ---- forklab children
refused "children: unexpected argument 'now'" children now
refused "children: option '--log' needs a value" children --log
refused "children: unknown option '--frob'" children --frob
refused "children: $tmp/dir: Is a directory" children --log "$tmp/dir"

# ---- forklab drill
refused "drill: no drill or lesson 'nope'" drill nope
refused "drill: --kind 'trees'" drill --seed 3 --kind trees
refused "drill: --seed '-3'" drill --seed -3
refused "drill: --seed 'x'" drill --seed x
refused "drill: '03' is 2 drills" drill 03 --answer A
refused "drill: --list takes nothing else" drill --list 03
refused "drill: give a drill or --seed, not both" drill 03 --seed 4
refused "drill: --kind goes with --seed" drill 03 --kind tree
refused "drill: one drill at a time" drill 03 04
refused "drill: option '--answer' needs a value" drill 03 --answer

# ---- the top level
refused "no command given" 
refused "unknown command 'chekc'" chekc -- /bin/true
refused "unknown option '--frob'" --frob
refused "help: no command 'nope'" help nope

# ---- help and version
answers "usage: $FORKLAB COMMAND" --help
answers "usage: $FORKLAB COMMAND" -h
answers "usage: $FORKLAB COMMAND" help
answers "  check " --help
answers "forklab 0." --version
for option in --timeout --max-procs --valgrind --format --allow-fd --stdin --output-cap \
    "Exit status: 0 no findings, 1 findings, 2 usage error"; do
    answers "$option" check --help
done
answers "usage: $FORKLAB check" help check
answers "usage: $FORKLAB children" help children
answers "usage: $FORKLAB drill" help drill
answers "has no child left" children
rm -f "$mark"
answers "usage: $FORKLAB check" check --help -- sh -c "$target"
[ -e "$mark" ] && fail "check --help started the program"

if [ "$failures" -ne 0 ]; then
    echo "cli-usage: $failures failures" >&2
    exit 1
fi
echo "cli-usage: all passed"
