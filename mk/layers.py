#!/usr/bin/env python3
"""Checks that harness/'s #includes point one way, as harness/README.md draws:
cli -> study -> grade -> check -> rules/valgrind -> trace -> core, and
render -> core only. Each file may include its own layer and the layers
listed for it below; anything else is a backward (or sideways) include.

usage: layers.py [HARNESS_DIR]   exit 0 clean, 1 with one line per violation
"""
import os
import re
import sys

# Layer -> the layers its files may include besides their own. A layer is a
# folder under harness/; the longest folder that matches a path wins, so
# trace/proc is its own layer inside trace.
ALLOWED = {
    "core": set(),
    "trace/proc": {"core"},
    "trace/sandbox": {"core", "trace/proc"},
    "trace": {"core", "trace/proc", "trace/sandbox"},
    "rules": {"core", "trace", "trace/proc", "trace/sandbox"},
    "valgrind": {"core", "trace", "trace/proc", "trace/sandbox"},
    "check": {"core", "trace", "trace/proc", "trace/sandbox", "rules", "valgrind"},
    "render": {"core"},
    "kit": {"core"},
    "grade": {"core", "trace", "trace/proc", "trace/sandbox", "rules", "valgrind", "check",
              "kit", "render", "grade/render"},
    "grade/render": {"core", "render", "kit", "grade"},
    "study": {"core", "trace", "trace/proc", "trace/sandbox", "rules", "valgrind", "check",
              "kit", "render", "grade", "grade/render"},
    "cli": {"core", "trace", "trace/proc", "trace/sandbox", "rules", "valgrind", "check",
            "kit", "render", "grade", "grade/render", "study"},
    ".": {"cli"},  # main.c
}

# Finer than layers: the facts of a run do not depend on the report they
# end up in (core/process.h holds what both need).
FORBIDDEN = {
    "trace": {"core/report.h"},
    "trace/proc": {"core/report.h"},
    "trace/sandbox": {"core/report.h"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(relative_path):
    folder = os.path.dirname(relative_path) or "."
    while folder not in ALLOWED and folder != ".":
        folder = os.path.dirname(folder) or "."
    return folder


def check(harness):
    violations = []
    for root, _, files in os.walk(harness):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, harness)
            layer = layer_of(relative)
            with open(path, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    included = match.group(1)
                    if not os.path.exists(os.path.join(harness, included)):
                        continue  # not a harness header (lib/forklab.h)
                    target = layer_of(included)
                    if included in FORBIDDEN.get(layer, set()):
                        violations.append(f"{relative}:{number}: {layer}/ must not include "
                                          f"{included}")
                    elif target != layer and target not in ALLOWED[layer]:
                        violations.append(f"{relative}:{number}: {layer}/ includes {included} "
                                          f"from {target}/, which it may not (harness/README.md)")
    return violations


def main():
    harness = sys.argv[1] if len(sys.argv) > 1 else "harness"
    if not os.path.isdir(harness):
        print(f"layers.py: no folder {harness}", file=sys.stderr)
        return 2
    violations = check(harness)
    for violation in violations:
        print(violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
