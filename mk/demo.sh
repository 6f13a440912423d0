#!/bin/sh
# make demo: the tour. For each pitfall in pitfalls/manifest.json, its broken
# program under `forklab check` (process tree and findings), then its fix; for
# a pitfall that only costs time, also the grader's check that scores it.
# usage: sh mk/demo.sh BUILD [PITFALL]    PITFALL: 03, zombies or 03-zombies
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: sh mk/demo.sh BUILD [PITFALL]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || { echo "forklab demo: no build directory $1 (run make first)" >&2; exit 2; }
wanted=${2:-}
cli="$build/forklab"
[ -x "$cli" ] || { echo "forklab demo: $cli is not built (run make first)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "forklab demo: python3 is needed to read the manifest" >&2; exit 2; }

# One line of shell assignments per pitfall chosen, read from the manifest.
plan=$(python3 - "$root/pitfalls/manifest.json" "$wanted" <<'PY'
import json, shlex, sys
pitfalls = json.load(open(sys.argv[1]))["pitfalls"]
wanted = sys.argv[2]
def matches(name):
    number, _, topic = name.partition("-")
    return wanted in ("", name, topic) or (wanted.isdigit() and int(wanted) == int(number))
chosen = [p for p in pitfalls if matches(p["name"])]
if not chosen:
    sys.exit("forklab demo: no pitfall %r; the pitfalls are: %s"
             % (wanted, ", ".join(p["name"] for p in pitfalls)))
for p in chosen:
    run = p["run"]
    spawn_checks = [c["id"] for c in p["checks"] if c["test"] == "no_copying_spawn"]
    options = ["--timeout", "%g" % run["timeout"]]
    if run["stdin"]:
        options += ["--stdin", run["stdin"]]
    print(" ".join("%s=%s" % (k, shlex.quote(v)) for k, v in [
        ("name", p["name"]), ("title", p["title"]), ("lesson", p["files"]["lesson"]),
        ("options", " ".join(shlex.quote(o) for o in options)),
        ("args", " ".join(shlex.quote(a) for a in run["args"])),
        ("behaviour", p["broken"].get("behaviour", "")),
        ("spawn_check", spawn_checks[0] if spawn_checks else "")]))
PY
) || exit 2

# The text report without the captured output and the "not checked" lines:
# the tour shows the tree and the findings. With "stdout" as $1 it keeps the
# stdout: for a pitfall no finding shows, the output is what shows it.
tree_and_findings() {
    awk -v keep="${1:-}" '/^(stdout|stderr)( \(|: nothing)/ && !(keep == "stdout" && /^stdout/) { skip = 1; next }
         skip && /^  (\| |\.\.\. )/ { next }
         { skip = 0 }
         /^not checked:/ { next }
         /^$/ && blank { next }
         { blank = /^$/; print }'
}

# The checks of a `forklab grade` text report and the score, without the
# compile step and the program's output (its timings vary).
grade_checks() {
    awk '/^  (PASS|FAIL) / { on = 1 }
         /^--- the program/ { skip = 1; next }
         skip && /^$/ { skip = 0; next }
         on && !skip && !/^$/ { print }'
}

# Grades a program's source on the copying-spawn check alone.
grade_spawn_check() {
    echo "\$ $build/forklab grade --exercise $name --only $spawn_check $1"
    "$cli" grade --exercise "$name" --only "$spawn_check" "$1" 2>&1 | grade_checks
}

cd "$root" || exit 2
# Programs are shown and run by a path relative to the repository when the
# build directory is inside it: shorter lines.
case $build in
    "$root"/*) build=${build#"$root"/} ;;
esac
echo "$plan" | while read -r line; do
    eval "$line"
    echo "================================================================================"
    echo "$name: $title"
    echo "================================================================================"
    keep=
    if [ "$behaviour" = stdout_differs ]; then
        keep=stdout
        echo "No finding shows this pitfall, only the output: compare the two stdouts."
    elif [ "$behaviour" = copying_spawn ]; then
        keep=tree
        echo "No finding shows this pitfall, and the output is the same: how each child was"
        echo "started shows it. The tree marks a fork from a big parent, and the grader's"
        echo "$spawn_check check fails each one that only ran exec."
    fi
    echo "The broken program ($lesson explains it):"
    echo "\$ $build/forklab check $options -- $build/pitfalls/$name${args:+ $args}"
    eval "\"\$cli\" check $options -- \"\$build/pitfalls/\$name\" $args" 2>&1 | tree_and_findings $keep
    [ "$keep" = tree ] && grade_spawn_check "pitfalls/$name.c"
    echo
    echo "The fixed program:"
    echo "\$ $build/forklab check $options -- $build/solutions/$name${args:+ $args}"
    report=$(eval "\"\$cli\" check $options -- \"\$build/solutions/\$name\" $args" 2>&1)
    case $?,$keep in
        0,stdout) echo "$report" | tree_and_findings stdout ;;
        0,tree) echo "$report" | tree_and_findings && grade_spawn_check "solutions/$name.c" ;;
        0,) echo "$report" | tail -n 1 ;;
        *) echo "$report" ;;
    esac
    echo
done
