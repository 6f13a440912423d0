#!/bin/sh
# `forklab grade-all` as root is safe by default: each program runs as an
# unprivileged user and each submission is graded from a private copy made
# before anything runs. A class is graded twice, without and then with four
# attackers: one rewrites every other submission it can find through
# /proc/*/cmdline, one reads them, one floods its output and one fork-bombs.
# The honest students' rows are the same in both gradebooks, although the
# tamperer did rewrite the one original left world-writable.
#
# Needs root (else it says so and passes); the fork bomb only inside a pids
# cgroup, which also proves that nothing is left running.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"

if [ "$(id -u)" -ne 0 ] || ! id nobody >/dev/null 2>&1; then
    echo "grade-attacks: skipped: needs root and a user nobody"
    exit 0
fi

tmp=$(mktemp -d)
chmod 755 "$tmp" # where teachers keep things: others may pass through
cgroup=/sys/fs/cgroup/pids/forklab-grade-attacks-$$
failures=0

cleanup() {
    if [ -d "$cgroup" ]; then
        echo $$ >/sys/fs/cgroup/pids/cgroup.procs
        rmdir "$cgroup"
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
[ -n "${KEEP:-}" ] && trap - EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Far above what grading needs (the bomb stops at --max-procs), far below
# what would hurt the machine.
bomb=no
if [ -w /sys/fs/cgroup/pids ] && mkdir "$cgroup" 2>/dev/null; then
    echo 400 >"$cgroup/pids.max"
    echo $$ >"$cgroup/cgroup.procs" && bomb=yes
fi

# The honest class. Zoe's file is world-writable, as a careless unzip leaves
# it: only the copy made before grading keeps her grade hers.
class="$tmp/class"
mkdir "$class" "$class/honest-dave"
cp solutions/03-zombies.c "$class/honest-alice.c"
cp pitfalls/03-zombies.c "$class/honest-bob.c"
cp tests/fixtures/submissions/multi-file/* "$class/honest-dave/"
cp solutions/03-zombies.c "$class/honest-zoe.c"
chmod 666 "$class/honest-zoe.c"
zoe_before=$(cksum <"$class/honest-zoe.c")

grade_class() {
    "$FORKLAB" grade-all --exercise 03 --jobs 2 --timeout 3 --max-procs 30 --out "$1" "$class" \
        >"$1.out" 2>"$1.err" </dev/null
    status=$?
    [ "$status" -eq 0 ] || fail "grade-all --out $1: exit $status; stderr: $(cat "$1.err")"
}

grade_class "$tmp/honest"

# The attackers join, named to be graded first.
mkdir "$class/attack-tamper" "$class/attack-read"
cp tests/fixtures/attacks/tamper.c tests/fixtures/attacks/neighbours.h "$class/attack-tamper/"
cp tests/fixtures/attacks/read.c tests/fixtures/attacks/neighbours.h "$class/attack-read/"
cp tests/fixtures/submissions/flood.c "$class/attack-flood.c"
[ "$bomb" = yes ] && cp tests/fixtures/h-fork-bomb.c "$class/attack-bomb.c"
grade_class "$tmp/attacked"

grep -q "warning: user nobody can read $class" "$tmp/attacked.err" ||
    fail "no warning that nobody can read the class folder: $(cat "$tmp/attacked.err")"

python3 - "$tmp" "$class" "$bomb" <<'PY' || fail "the gradebooks"
import csv, json, os, sys
tmp, klass, bomb = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
def rows(name):
    with open(os.path.join(tmp, name, "gradebook.csv"), newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}
honest, attacked = rows("honest"), rows("attacked")
assert sorted(honest) == ["honest-alice", "honest-bob", "honest-dave", "honest-zoe"], honest
for name, row in honest.items():
    assert attacked[name] == row, (name, row, attacked[name])
assert [honest[n]["score"] for n in sorted(honest)] == ["8", "3", "8", "8"], honest

def stdout_of(name):
    grade = json.load(open(os.path.join(tmp, "attacked", name + ".json")))
    return grade["report"]["stdout"]["text"] if grade["report"] else ""
tampered = stdout_of("attack-tamper")
# The attack was real: it found the class and rewrote the one file it could.
assert "rewrote %s/honest-zoe.c" % klass in tampered, tampered
assert "cannot rewrite %s/honest-alice.c: Permission denied" % klass in tampered, tampered
for line in tampered.splitlines():
    assert line.startswith("cannot") or line == "rewrote %s/honest-zoe.c" % klass, line
read = stdout_of("attack-read")
# The originals are readable where the teacher left them readable (the
# warning above says so); the grader's private copies never are.
assert "read %s/honest-alice.c" % klass in read, read
assert not any(line.startswith("listed ") for line in read.splitlines()), read
flood = json.load(open(os.path.join(tmp, "attacked", "attack-flood.json")))["report"]["stdout"]
assert flood["bytes"] > flood["kept"], flood
if bomb:
    assert attacked["attack-bomb"]["status"] == "graded", attacked["attack-bomb"]
print("gradebooks ok")
PY

# Zoe's original was rewritten (her grade came from the copy); the others'
# are intact, and no file was planted among the grades.
[ "$(cksum <"$class/honest-zoe.c")" != "$zoe_before" ] ||
    fail "the tamperer could not rewrite the world-writable file: the attack proved nothing"
cmp -s solutions/03-zombies.c "$class/honest-alice.c" || fail "alice's file was changed"
[ "$(ls "$tmp/attacked" | grep -v '\.json$' | grep -v '^gradebook\.csv$')" = "" ] ||
    fail "files planted among the grades: $(ls "$tmp/attacked")"

if [ "$bomb" = yes ]; then
    echo $$ >/sys/fs/cgroup/pids/cgroup.procs
    left=$(wc -l <"$cgroup/cgroup.procs")
    [ "$left" -eq 0 ] || fail "$left processes left in the cgroup: $(cat "$cgroup/cgroup.procs")"
    rmdir "$cgroup"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "grade-attacks: all good (fork bomb included: $bomb)"
