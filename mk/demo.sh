#!/bin/sh
# make demo: the tour. For each pitfall in pitfalls/manifest.json, its broken
# program under `forklab check` (process tree and findings), then its fix.
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
    options = ["--timeout", "%g" % run["timeout"]]
    if run["stdin"]:
        options += ["--stdin", run["stdin"]]
    print(" ".join("%s=%s" % (k, shlex.quote(v)) for k, v in [
        ("name", p["name"]), ("title", p["title"]), ("lesson", p["files"]["lesson"]),
        ("options", " ".join(shlex.quote(o) for o in options)),
        ("args", " ".join(shlex.quote(a) for a in run["args"])),
        ("behaviour", p["broken"].get("behaviour", ""))]))
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
    fi
    echo "The broken program ($lesson explains it):"
    echo "\$ $build/forklab check $options -- $build/pitfalls/$name${args:+ $args}"
    eval "\"\$cli\" check $options -- \"\$build/pitfalls/\$name\" $args" 2>&1 | tree_and_findings $keep
    echo
    echo "The fixed program:"
    echo "\$ $build/forklab check $options -- $build/solutions/$name${args:+ $args}"
    report=$(eval "\"\$cli\" check $options -- \"\$build/solutions/\$name\" $args" 2>&1)
    case $?,$keep in
        0,stdout) echo "$report" | tree_and_findings stdout ;;
        0,) echo "$report" | tail -n 1 ;;
        *) echo "$report" ;;
    esac
    echo
done
