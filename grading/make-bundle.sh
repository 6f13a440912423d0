#!/bin/sh
# Builds a Gradescope autograder zip per exercise: setup.sh and
# run_autograder at the top (where Gradescope wants them), the kit's sources
# to build the grader from, and forklab-exercise naming the exercise.
#
# usage: grading/make-bundle.sh OUT_DIR [EXERCISE]...   (from the kit's root)
# Without EXERCISE, one zip for every exercise of the manifest. `make
# gradescope` runs it with OUT_DIR=BUILD/gradescope.
set -eu
out=${1:?usage: grading/make-bundle.sh OUT_DIR [EXERCISE]...}
shift
[ -f pitfalls/manifest.json ] || { echo "make-bundle: run it from forklab's root" >&2; exit 2; }

# The exercise names as the manifest spells them, in its order.
names=$(python3 - "$@" <<'PY'
import json, sys
pitfalls = [p["name"] for p in json.load(open("pitfalls/manifest.json"))["pitfalls"]]
def full(wanted):
    for name in pitfalls:
        number, _, topic = name.partition("-")
        if wanted in (name, number, topic) or (wanted.isdigit() and int(wanted) == int(number)):
            return name
    sys.exit("make-bundle: no exercise '%s'; the exercises are: %s" % (wanted, " ".join(pitfalls)))
print(" ".join(full(w) for w in sys.argv[1:]) if len(sys.argv) > 1 else " ".join(pitfalls))
PY
)

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT INT TERM
# What building the grader needs: no tests, no solutions, no build output.
mkdir -p "$stage/kit"
cp Makefile README.md "$stage/kit/"
for dir in lib harness mk pitfalls lessons; do
    cp -R "$dir" "$stage/kit/$dir"
done
cp grading/setup.sh grading/run_autograder "$stage/kit/"

for name in $names; do
    echo "$name" >"$stage/kit/forklab-exercise"
    zip="$(cd "$out" && pwd)/forklab-$name.zip"
    rm -f "$zip"
    # python3's zipfile keeps each file's mode (run_autograder stays executable).
    (cd "$stage/kit" && python3 -m zipfile -c "$zip" ./*)
    echo "make-bundle: $zip"
done
