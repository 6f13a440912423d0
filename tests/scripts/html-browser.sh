#!/bin/sh
# The HTML report of three pitfall runs, checked in headless Chromium
# (tests/browser/check_html.py): a zombie, a leaked pipe end with a timeout
# (and the grader's page of it), and a fork bomb stopped at the process
# limit. The screenshots stay in
# BUILD/pictures/ for a person to look at.
set -u
: "${FORKLAB:?FORKLAB must name the forklab binary}"
: "${FORKLAB_BUILD:?FORKLAB_BUILD must name the build folder}"

pages="$FORKLAB_BUILD/pictures"
mkdir -p "$pages"
rm -f "$pages"/*.html "$pages"/*.png
failures=0

# Renders one run as HTML; forklab must say 1 (findings).
render() {
    name=$1
    shift
    "$@" >"$pages/$name.html"
    status=$?
    if [ "$status" -ne 1 ]; then
        echo "FAIL: $name: forklab exited $status, not 1 (findings, or a partial score)" >&2
        failures=$((failures + 1))
    fi
}

render 03-zombies "$FORKLAB" check --format html -- "$FORKLAB_BUILD/pitfalls/03-zombies"
render 04-leaked-fds "$FORKLAB" check --timeout 2 --format html -- \
    "$FORKLAB_BUILD/pitfalls/04-leaked-fds"
# The grader's page of the same pitfall: its checks, then the run.
render grade-04-leaked-fds "$FORKLAB" grade --exercise 04 --format html pitfalls/04-leaked-fds.c

# The fork bomb runs in a pids cgroup of its own, so a harness bug cannot
# take the machine down: the kernel stops the tree at 200 tasks whatever.
cgroup=/sys/fs/cgroup/pids/forklab-html-$$
if mkdir "$cgroup" 2>/dev/null && echo 200 >"$cgroup/pids.max"; then
    render fork-bomb sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cgroup" \
        "$FORKLAB" check --max-procs 20 --format html -- "$FORKLAB_BUILD/fixtures/h-fork-bomb"
    left=$(wc -l <"$cgroup/cgroup.procs")
    rmdir "$cgroup"
    if [ "$left" -ne 0 ]; then
        echo "FAIL: the fork bomb left $left processes in its cgroup" >&2
        failures=$((failures + 1))
    fi
else
    echo "FAIL: no writable pids cgroup at /sys/fs/cgroup/pids: the fork bomb cannot run safely" >&2
    failures=$((failures + 1))
fi

# Debian's python3, which has Debian's selenium (another python3 may come
# first in PATH).
/usr/bin/python3 tests/browser/check_html.py --shots "$pages" "$pages"/*.html || failures=$((failures + 1))
[ "$failures" -eq 0 ]
