#!/usr/bin/env python3
"""make stress: the long repeat loops that `make test` leaves out.

Every harness fixture, every pitfall and every solution is checked RUNS times
(20) in each schedule mode, natural and all, two checks at a time so that the
machine is loaded. Each must give the same finding kinds and the same messages
and evidence on every run (pids and pipe inodes masked, as the criterion tests
mask them); a pitfall the manifest's kinds, a solution none; a racy reaper is
caught on every run under all schedules (its natural runs vary: that is the
race) and a correct one is clean.

usage: mk/stress.py --build BUILD [--runs N] [--only SUBSTRING]
"""
import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# The fixtures that hang on purpose get a short timeout: a hang is a hang.
HANGS = {"h-hang-pipe", "h-pipe-cycle", "h-ignore-term", "h-signal-mask", "h-poll-child",
         "h-spin", "h-stop-self", "h-fork-threads"}
# Fixtures with their arguments. Left out: those that signal every process
# or fork without bound (h-kill-all, h-kill-group, h-fork-bomb), which the
# criterion tests run only inside a PID namespace or a pids cgroup, and
# h-flood, which only costs time.
FIXTURES = [
    "h-bad-close double", "h-bad-close inherited", "h-bad-close minus-one", "h-bad-close-ok",
    "h-big-fork-exec fork", "h-big-fork-worker-ok fork", "h-big-spawn-ok vfork", "h-close-all",
    "h-comm x", "h-crash child", "h-crash main", "h-crash-ok", "h-daemon", "h-fd-leak",
    "h-fd-leak-ok", "h-fd-leak-exit", "h-fd-leak-exit-ok", "h-fd-result-ok", "h-fd-open-file",
    "h-fork-threads single", "h-fork-threads threads", "h-fork-tree-ok", "h-hang-pipe",
    "h-hang-pipe-ok", "h-ignore-term", "h-many-children-ok", "h-nested-fork", "h-nested-fork-ok",
    "h-orphan", "h-orphan-ok", "h-pipe-cycle one-way", "h-pipe-cycle read", "h-pipe-cycle write",
    "h-poll-child reap", "h-poll-child", "h-reap-any-ok", "h-reap-gate-ok", "h-reap-handler-ok",
    "h-reap-nocldwait-ok", "h-reap-pids-ok", "h-reap-poll-once", "h-reap-sig-ign-ok",
    "h-reap-siginfo-pid", "h-reap-spawn-ok", "h-reap-wait-once", "h-runaway-exec eacces",
    "h-runaway-exec exec", "h-runaway-exec fork", "h-runaway-exec-ok", "h-signal-mask blocked",
    "h-signal-mask ignored", "h-signal-mask not-sent", "h-signal-mask orphan",
    "h-signal-mask self", "h-small-fork-exec-ok", "h-spawn-ok", "h-spin", "h-stop-cont-ok",
    "h-stop-self", "h-threads-ok", "h-terminal-tricks", "h-zombie", "h-zombie-ok",
]
# What a racy reaper must show under all schedules on every run. Their
# natural runs are left out: a race shows there by luck, which is the point.
RACES = {
    "h-reap-wait-once": ["zombie"],
    "h-reap-siginfo-pid": ["zombie"],
    "h-reap-poll-once": ["runaway_child", "zombie"],
}


def signature(report):
    """The verdict as text that compares across runs."""
    lines = []
    for finding in report["findings"]:
        line = "%s | %s | %s" % (finding["kind"], finding["message"],
                                 json.dumps(finding["evidence"], sort_keys=True))
        lines.append(re.sub(r"\d{3,}", "#", line))
    return "\n".join(sorted(lines))


def check(forklab, target, mode):
    """One check of target (a dict: argv, timeout, stdin) in a mode."""
    command = [forklab, "check", "--format", "json", "--schedules", mode,
               "--timeout", str(target["timeout"])]
    if target.get("stdin"):
        command += ["--stdin", target["stdin"]]
    result = subprocess.run(command + ["--"] + target["argv"], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        return None, "exit %d: %s" % (result.returncode, result.stderr.strip())
    return json.loads(result.stdout), None


def stress(forklab, target, mode, runs):
    """Runs one target `runs` times; returns a list of problems (empty: fine)."""
    problems, first = [], None
    for run in range(1, runs + 1):
        report, error = check(forklab, target, mode)
        if error:
            return ["run %d: %s" % (run, error)]
        kinds = sorted({finding["kind"] for finding in report["findings"]})
        wanted = target.get("kinds", {}).get(mode)
        if wanted is not None and kinds != wanted:
            problems.append("run %d: kinds %s, wanted %s" % (run, kinds, wanted))
        text = signature(report)
        if first is None:
            first = text
        elif text != first:
            problems.append("run %d: the evidence changed:\n      %s\n    where run 1 had:\n"
                            "      %s" % (run, text.replace("\n", "\n      "),
                                          first.replace("\n", "\n      ")))
        if len(problems) >= 3:
            break
    return problems


def targets(build, root):
    found = []
    for spec in FIXTURES:
        name, *args = spec.split()
        target = {"name": spec, "argv": [os.path.join(build, "fixtures", name)] + args,
                  "timeout": 0.5 if name in HANGS else 10}
        if name in RACES:
            target["kinds"] = {"all": RACES[name]}
        elif name.startswith("h-reap-"):
            target["kinds"] = {"natural": [], "all": []}
        found.append(target)
    with open(os.path.join(root, "pitfalls", "manifest.json")) as manifest_file:
        manifest = json.load(manifest_file)
    for pitfall in manifest["pitfalls"]:
        for folder, kinds in (("pitfalls", sorted(pitfall["broken"]["findings"])),
                              ("solutions", [])):
            found.append({
                "name": "%s/%s" % (folder, pitfall["name"]),
                "argv": [os.path.join(build, folder, pitfall["name"])] + pitfall["run"]["args"],
                "timeout": pitfall["run"]["timeout"],
                "stdin": pitfall["run"]["stdin"],
                "kinds": {"natural": kinds, "all": kinds},
            })
    return found


def main():
    parser = argparse.ArgumentParser(description="repeat every check under load")
    parser.add_argument("--build", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="")
    options = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)  # the manifest's paths are relative to the repository
    build = os.path.abspath(options.build)
    forklab = os.path.join(build, "forklab")
    jobs = [(target, mode) for target in targets(build, root) for mode in ("natural", "all")
            if options.only in target["name"]
            and not (mode == "natural" and target["name"].split()[0] in RACES)]
    failed = 0
    # Two checks at a time: each run sees the machine loaded by the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: (job, stress(forklab, job[0], job[1], options.runs)), jobs)
        for (target, mode), problems in results:
            status = "ok" if not problems else "FAILED"
            print("%-6s %s (%s, %d runs)" % (status, target["name"], mode, options.runs),
                  flush=True)
            for problem in problems:
                print("    " + problem)
            failed += bool(problems)
    print("stress: %d of %d checks failed" % (failed, len(jobs)) if failed else
          "stress: all %d checks gave the same verdict %d times" % (len(jobs), options.runs))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
