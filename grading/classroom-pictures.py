#!/usr/bin/env python3
"""The pictures of a GitHub Classroom run, the last step of the workflow
grading/classroom.py writes: for each exercise the student has a copy of
(exercises/NAME.c), the HTML page of its grade (forklab-reports/NAME.html,
kept by the workflow as an artifact) and, in the job's summary
($GITHUB_STEP_SUMMARY, Markdown), each check with its result: a failed leak
or hang check with the descriptor view of the run, as Gradescope shows it.

usage: grading/classroom-pictures.py   (from the repository's root)
"""
import glob
import json
import os
import subprocess
import sys

FORKLAB = os.path.join("build", "forklab")
REPORTS = "forklab-reports"


def fenced(text):
    """A Markdown code block that no run of backticks in `text` can close."""
    longest, run = 0, 0
    for c in text:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return "%stext\n%s\n%s\n" % (fence, text.rstrip("\n"), fence)


def grade(name, source, form):
    return subprocess.run([FORKLAB, "grade", "--exercise", name, "--format", form, source],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout


def summary_of(name, results):
    lines = ["### %s: %d points" % (name, results["score"]), ""]
    for test in results["tests"]:
        lines.append("#### %s %s (%d/%d)" % ("PASS" if test["status"] == "passed" else "FAIL",
                                             test["name"], test["score"], test["max_score"]))
        lines.append("")
        output = test.get("output", "")
        # Markdown made by forklab fences every text it holds; the rest is text.
        lines.append(output if test.get("output_format") == "md" else fenced(output))
    return "\n".join(lines) + "\n"


def main():
    os.makedirs(REPORTS, exist_ok=True)
    summary = []
    for source in sorted(glob.glob(os.path.join("exercises", "*.c"))):
        name = os.path.splitext(os.path.basename(source))[0]
        with open(os.path.join(REPORTS, name + ".html"), "wb") as page:
            page.write(grade(name, source, "html"))
        try:
            results = json.loads(grade(name, source, "gradescope"))
        except ValueError:
            summary.append("### %s\n\nforklab could not grade it.\n" % name)
            continue
        summary.append(summary_of(name, results))
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    text = "\n".join(summary) or "No exercise copied yet (forklab start NAME makes one).\n"
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
