#!/usr/bin/env python3
"""Keeps the program text and the real output quoted in lessons/ true.

A lesson marks a generated block with an HTML comment on the line before a
fenced block; this script computes the block's content from the real files and
real runs:

    <!-- forklab: include PATH -->            the file PATH (repository-relative)
    <!-- forklab: include PATH --from TEXT [--to TEXT] -->
                                              the part of it from the first line
                                              holding TEXT to the end, or to just
                                              before the next line holding the
                                              --to TEXT (in a ```c fragment block)
    <!-- forklab: diff FROM TO -->            a unified diff from the file FROM to the
                                              file TO: a fix shown as the lines it
                                              changes (the files' opening comments,
                                              which say what each file is, left out)
    <!-- forklab: run PROGRAM [| FILTER] -->  output of BUILD/PROGRAM with stdout and
                                              stderr on one pipe: `2>&1 | cat`, or
                                              `2>&1 | FILTER` (a shell command)
    <!-- forklab: check PROGRAM [--no-output] [OPTION...] -->
                                              `forklab check` on BUILD/PROGRAM in text
                                              form; --no-output drops the captured
                                              stdout/stderr (for output whose order
                                              or timing varies between runs)
    <!-- forklab: waits PROGRAM -->           where each process waited when `forklab
                                              check` stopped BUILD/PROGRAM at its
                                              timeout: the evidence of the timeout
                                              finding in full, one line a process
    <!-- forklab: grade FILE [OPTION...] -->  `forklab grade` of the source FILE for the
                                              exercise its name is (FILE is e.g.
                                              pitfalls/10-fork-cost.c), in text form;
                                              OPTIONs are passed on (--only ID); the
                                              program's own output is left out (its
                                              timings vary)
    <!-- forklab: block-output -->            output of the nearest C block above,
                                              compiled like the lesson test compiles it

A link to reports/NAME.html (from a lesson) or lessons/reports/NAME.html (from
the README) names the HTML report of `forklab check` on the pitfall NAME:
lessons/reports/NAME.html is written from a real run too. Its pids, pipe
numbers and times change with every run, so it counts as stale only when a
fresh run differs in what it shows: the processes, their events and
descriptor tables, the findings, or the page's markup around the picture.

PROGRAM is e.g. pitfalls/03-zombies; when its name is a pitfall's, the run uses
the manifest's arguments, stdin and timeout, with a fixed PATH. Pids, pipe
numbers and times are normalised and long evidence values cut at a fixed
length, so that a fresh run differs from the lesson only when something
really changed.

    --write            rewrite the blocks in place (make lessons)
    --check            exit 1 and show a diff when a block is stale (make test)
    --compile-blocks   compile and link every ```c block; ```c fragment blocks
                       are parts of a program and are skipped, by name
"""

import argparse
import ctypes
import difflib
import json
import multiprocessing
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(r"^<!-- forklab: (\S+)(.*?)-->\s*$")
FENCE = re.compile(r"^```(.*)$")
# The Makefile's flags, fortified as Ubuntu's gcc does by default (see its fortify target).
CFLAGS = ["-std=c17", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread",
          "-U_FORTIFY_SOURCE", "-D_FORTIFY_SOURCE=3", "-Wformat-security"]
RUN_TIMEOUT = 60  # seconds; far above any program here: a hang is a bug to report
# execvp's search shows up in the checker's evidence (the last path it tried),
# so every run gets the same PATH, whatever the user's is.
RUN_ENV = dict(os.environ, PATH="/usr/local/bin:/usr/bin:/bin", NO_COLOR="1", LC_ALL="C")


def default_signals():
    """Runs in each child before exec: every signal back to its default action
    and none blocked. Whatever started `make` may ignore signals (a CI runner
    ignores even glibc's reserved 32 and 33, which sigaction() refuses to
    touch, hence the raw system call), and a lesson that prints a signal mask
    must show the same mask everywhere. x86_64: rt_sigaction is syscall 13 and
    a zeroed struct kernel_sigaction (32 bytes) means SIG_DFL."""
    libc = ctypes.CDLL(None, use_errno=True)
    default_action = ctypes.create_string_buffer(32)
    for number in range(1, 65):
        if number not in (signal.SIGKILL, signal.SIGSTOP):
            libc.syscall(13, number, default_action, None, 8)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


class LessonError(Exception):
    pass


def load_manifest():
    with open(os.path.join(ROOT, "pitfalls", "manifest.json"), encoding="utf-8") as f:
        return {p["name"]: p for p in json.load(f)["pitfalls"]}


def run_settings(manifest, program):
    """Arguments, stdin file and timeout of a program named after a pitfall."""
    pitfall = manifest.get(os.path.basename(program))
    if pitfall is None:
        return [], None, 10
    run = pitfall["run"]
    return run["args"], run["stdin"], run["timeout"]


def display_path(program):
    return "./build/" + program


def normalise(text, build):
    """Replaces what changes between identical runs: pids, times, the build dir."""
    for path in (os.path.join(ROOT, build), build):
        text = text.replace(path.rstrip("/") + "/", "build/")
    text = text.replace(ROOT + "/", "")
    # Pids: every number that starts a line of the process tree, then every
    # mention of it, named in the tree's order.
    tree_pid = re.compile(r"^  [ |`+\-]*(\d+) ")
    names, in_tree = {}, False
    for line in text.splitlines():
        if line.startswith("Processes ("):
            in_tree = True
        elif not line.strip():
            in_tree = False
        elif in_tree and tree_pid.match(line):
            names.setdefault(tree_pid.match(line).group(1), "PID%d" % (len(names) + 1))
    pids = None
    if names:
        pids = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")

    def variable(line):
        if pids is not None:
            line = pids.sub(lambda m: names[m.group(1)], line)
        line = re.sub(r"\bafter \d+ ms\b", "after N ms", line)
        # The descriptor view's times: "t=0.3 ms", "t=2.000 s".
        line = re.sub(r"\bt=[0-9.]+ m?s\b", "t=T", line)
        # Kernel object numbers: pipe:[123456], socket:[...], anon_inode:[...].
        return re.sub(r"\b(pipe|socket|anon_inode):\[\d+\]", r"\1:[N]", line)

    # What the box was depends on the machine (root or not, cgroups), not on
    # the lesson: its lines are left out (README.md's "The box" shows them).
    text = re.sub(r"(?m)^(isolation|kernel limits|not isolated): .*\n", "", text)
    text = "".join(line if in_output else normalise_view_line(line, rails, variable)
                   for line, in_output, rails in view_lines(report_lines(text)))
    return "".join(recut_evidence(line) for line in text.splitlines(keepends=True))


def view_lines(lines):
    """Adds to each (line, in_output) the column where the descriptor view's
    pipe rails start on it (None outside the view, or in a view without
    rails): the header line above the rows puts its letters there."""
    rails, in_view = None, False
    for line, in_output in lines:
        if line.startswith("Descriptors ("):
            in_view, rails = True, None
        elif in_view and not line.strip():
            in_view = False
        elif in_view and rails is None and re.match(r"^ {20,}a( [b-z])*$", line.rstrip("\n")):
            rails = len(line) - len(line.lstrip(" "))
        yield line, in_output, rails if in_view else None


def normalise_view_line(line, rails, variable):
    """Normalises a line; on a line of the descriptor view with rails, only
    the text left of them, padded back, so that a pid renamed to a shorter
    name does not shift the rails out of their columns."""
    if rails is None or len(line.rstrip("\n")) <= rails:
        return variable(line)
    text = variable(line[:rails]).rstrip(" ")
    return text + " " * max(1, rails - len(text)) + line[rails:]


def report_lines(text):
    """Each line of a text report, and whether it is the program's own output
    (the "  | " lines under stdout and stderr): a number there that happens
    to equal a pid is the program's, not a pid."""
    in_output = False
    for line in text.splitlines(keepends=True):
        if re.match(r"^(stdout|stderr) \(", line):
            in_output = True
            yield line, False
            continue
        in_output = in_output and (line.startswith("  | ") or line.startswith("  ... "))
        yield line, in_output


CUT = re.compile(r" \.\.\. \(\d+ more bytes\)$")
EVIDENCE_KEY = re.compile(r"(?:^     evidence: |, )[a-z_]+=")
RECUT_CHARS = 80


def recut_evidence(line):
    """The report cuts a long evidence value after a fixed number of bytes, so
    whether and where a value is cut depends on how many digits its pids had.
    After the pids are renamed, every value longer than RECUT_CHARS is cut
    there instead, whether the report had cut it or not."""
    if not line.startswith("     evidence: "):
        return line
    keys = list(EVIDENCE_KEY.finditer(line.rstrip("\n")))
    pieces = [line[:keys[0].end()]] if keys else [line]
    for index, key in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(line.rstrip("\n"))
        value = line[key.end():end]
        was_cut = CUT.search(value)
        if was_cut:
            value = value[:was_cut.start()]
        if was_cut or len(value) > RECUT_CHARS:
            value = value[:RECUT_CHARS] + " ... (cut)"
        pieces.append(value)
        if index + 1 < len(keys):
            pieces.append(line[keys[index + 1].start():keys[index + 1].end()])
    return "".join(pieces) + ("\n" if line.endswith("\n") else "")


def include_file(spec):
    """The file, or the part of it the --from and --to options name."""
    words = shlex.split(spec)
    if not words:
        raise LessonError("include needs a path")
    options = dict(zip(words[1::2], words[2::2]))
    if len(words) % 2 == 0 or set(options) - {"--from", "--to"}:
        raise LessonError("include PATH [--from TEXT] [--to TEXT]: %r" % spec)
    with open(os.path.join(ROOT, words[0]), encoding="utf-8") as f:
        lines = f.readlines()
    start, end = 0, len(lines)
    if "--from" in options:
        found = [i for i, line in enumerate(lines) if options["--from"] in line]
        if not found:
            raise LessonError("%s has no line holding %r" % (words[0], options["--from"]))
        start = found[0]
    if "--to" in options:
        found = [i for i, line in enumerate(lines) if i > start and options["--to"] in line]
        if not found:
            raise LessonError("%s has no line holding %r after line %d"
                              % (words[0], options["--to"], start + 1))
        end = found[0]
    return "".join(lines[start:end])


def opening_comment_length(lines):
    """How many lines the file's opening comment takes (what the file is for)."""
    if not lines or not lines[0].startswith("/*"):
        return 0
    for number, line in enumerate(lines):
        if "*/" in line:
            return number + 1
    return 0


def file_diff(spec):
    """A unified diff between two files of the repository, as `diff -u` shows
    it, of their code: the opening comments, which say what each file is,
    differ between a broken program and its fix and are left out. Hunk line
    numbers are those of the real files."""
    words = shlex.split(spec)
    if len(words) != 2:
        raise LessonError("diff needs two files")
    bodies, offsets = [], []
    for name in words:
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        offsets.append(opening_comment_length(lines))
        bodies.append(lines[offsets[-1]:])
    hunk = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")

    def renumber(match):
        return "@@ -%d%s +%d%s @@" % (int(match.group(1)) + offsets[0], match.group(2) or "",
                                      int(match.group(3)) + offsets[1], match.group(4) or "")

    lines = [hunk.sub(renumber, line) if line.startswith("@@") else line
             for line in difflib.unified_diff(bodies[0], bodies[1], words[0], words[1])]
    if not lines:
        raise LessonError("diff: the code of %s and %s is the same" % tuple(words))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def run_program(build, manifest, spec):
    program, _, filt = spec.partition("|")
    program, filt = program.strip(), filt.strip()
    args, stdin, _ = run_settings(manifest, program)
    command = [os.path.join(build, program)] + args
    shown = " ".join([display_path(program)] + [shlex.quote(a) for a in args])
    if stdin:
        shown += " < " + shlex.quote(stdin)
    # Through a pipe, as under the checker or in a test: stdio buffers fully.
    pipe = " 2>&1 | " + (filt or "cat")
    shell = " ".join(shlex.quote(c) for c in command) + pipe
    shown += pipe
    with open(os.path.join(ROOT, stdin) if stdin else os.devnull, "rb") as given:
        result = subprocess.run(["sh", "-c", shell], cwd=ROOT, stdin=given, env=RUN_ENV,
                                preexec_fn=default_signals,
                                stdout=subprocess.PIPE, timeout=RUN_TIMEOUT)
    return "$ " + shown + "\n" + result.stdout.decode("utf-8", "replace")


def run_forklab(build, command, given, operands, what):
    """The output of `forklab COMMAND GIVEN... OPERANDS...`, run as a student
    would from the repository root, with default signals; it must say 0 or 1."""
    cli = os.path.join(build, "forklab")
    if not os.access(cli, os.X_OK):
        raise LessonError("%s is not built" % cli)
    result = subprocess.run([cli, command] + given + operands, cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=RUN_ENV,
                            preexec_fn=default_signals, timeout=RUN_TIMEOUT)
    if result.returncode not in (0, 1):
        raise LessonError("forklab %s exited %d on %s:\n%s" % (
            command, result.returncode, what, result.stdout.decode("utf-8", "replace")))
    return result.stdout.decode("utf-8", "replace")


def run_check(build, manifest, spec):
    words = shlex.split(spec)
    if not words:
        raise LessonError("check needs a program")
    program, options = words[0], words[1:]
    drop_output = "--no-output" in options
    options = [o for o in options if o != "--no-output"]
    args, stdin, timeout = run_settings(manifest, program)
    given = ["--timeout", "%g" % timeout]
    if stdin:
        given += ["--stdin", stdin]
    given += options
    text = run_forklab(build, "check", given, ["--", os.path.join(build, program)] + args,
                       program)
    if drop_output:
        text = drop_captured_output(text)
    shown = " ".join(["./build/forklab", "check"] + [shlex.quote(o) for o in given] + ["--"] +
                     [display_path(program)] + [shlex.quote(a) for a in args])
    return "$ " + shown + "\n" + normalise(text, build)


def run_grade(build, manifest, spec):
    """`forklab grade` of a source file, for the exercise named like it."""
    words = shlex.split(spec)
    if not words:
        raise LessonError("grade needs a source file")
    source, options = words[0], words[1:]
    exercise = os.path.splitext(os.path.basename(source))[0]
    if exercise not in manifest:
        raise LessonError("grade: %s is not named after an exercise" % source)
    given = ["--exercise", exercise] + options
    text = run_forklab(build, "grade", given, [source], source)
    # The program's output sections end at the blank line before the score.
    text = re.sub(r"(?m)^--- the program's .*\n(?:(?!\n).*\n)*?(?=\n|--- )", "", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # The private build folder, and pids named in the order they appear.
    text = re.sub(r"\S*/forklab-grade-\w+/", "/tmp/forklab-grade-XXXXXX/", text)
    names = {}
    for pid in re.findall(r"\bpid (\d+)\b", text):
        names.setdefault(pid, "PID%d" % (len(names) + 1))
    text = re.sub(r"\bpid (\d+)\b", lambda m: "pid " + names[m.group(1)], text)
    shown = " ".join(["./build/forklab", "grade"] + [shlex.quote(g) for g in given] + [source])
    return "$ " + shown + "\n" + normalise(text, build)


def run_waits(build, manifest, spec):
    """The processes of a timeout finding and what each waited on, from the
    JSON report: the text report cuts that evidence short."""
    words = shlex.split(spec)
    if len(words) != 1:
        raise LessonError("waits needs exactly one program")
    program = words[0]
    args, stdin, timeout = run_settings(manifest, program)
    given = ["--timeout", "%g" % timeout] + (["--stdin", stdin] if stdin else [])
    command = ([os.path.join(build, "forklab"), "check"] + given + ["--format", "json", "--"] +
               [os.path.join(build, program)] + args)
    result = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=RUN_ENV,
                            preexec_fn=default_signals, timeout=RUN_TIMEOUT)
    try:
        report = json.loads(result.stdout.decode("utf-8", "replace"))
    except ValueError:
        raise LessonError("forklab check --format json on %s: no JSON report" % program)
    timeouts = [f for f in report["findings"] if f["kind"] == "timeout"]
    if not timeouts:
        raise LessonError("%s: no timeout finding" % program)
    names = {}
    for process in report["processes"]:
        names.setdefault(str(process["pid"]), "PID%d" % (len(names) + 1))
    pids = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")
    lines = []
    for process in timeouts[0]["evidence"]["processes"]:
        # Not the wchan: kernel function names change between kernel builds.
        line = "%s %s: state %s, %s" % (process["pid"], process["program"], process["state"],
                                       process["blocked_on"])
        lines.append(pids.sub(lambda m: names[m.group(1)], line) + "\n")
    shown = " ".join(["./build/forklab", "check"] + given + ["--format", "json", "--"] +
                     [display_path(program)] + [shlex.quote(a) for a in args])
    header = "$ %s\n(the timeout finding's evidence: where each process waited)\n" % shown
    return header + normalise("".join(lines), build)


def drop_captured_output(text):
    """Removes the stdout and stderr sections of a text report."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"^(stdout|stderr) \(\d+ bytes", line):
            skipping = True
            kept.append(line.split(" (")[0] + ": (not shown here: it varies from run to run)\n")
            continue
        if skipping and (line.startswith("  | ") or line.startswith("  ... ")):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept)


def compile_c(source, build, workdir, name):
    """Compiles and links one C program; returns (ok, compiler output, binary)."""
    path = os.path.join(workdir, name + ".c")
    binary = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    command = (["cc"] + CFLAGS + ["-I", os.path.join(ROOT, "lib"), "-o", binary, path,
                                  os.path.join(build, "libforklab.a")])
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return result.returncode == 0, result.stdout.decode("utf-8", "replace"), binary


def run_block(build, source, workdir):
    ok, output, binary = compile_c(source, build, workdir, "block")
    if not ok:
        raise LessonError("the C block above a block-output marker does not compile:\n" + output)
    result = subprocess.run([binary], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=RUN_ENV,
                            preexec_fn=default_signals, timeout=RUN_TIMEOUT)
    return result.stdout.decode("utf-8", "replace")


def parse(lines):
    """The fenced blocks of a lesson: (line of the opening fence, line of the
    closing fence, info string), 0-based."""
    blocks, i = [], 0
    while i < len(lines):
        fence = FENCE.match(lines[i].rstrip("\n"))
        if fence:
            end = i + 1
            while end < len(lines) and lines[end].rstrip("\n") != "```":
                end += 1
            if end == len(lines):
                raise LessonError("line %d: a fenced block is never closed" % (i + 1))
            blocks.append((i, end, fence.group(1).strip()))
            i = end + 1
        else:
            i += 1
    return blocks


def generate(path, build, manifest, workdir):
    """Returns the lesson's text with every marked block recomputed."""
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    blocks = parse(lines)
    out, position, last_c = [], 0, None
    for start, end, info in blocks:
        body = "".join(lines[start + 1:end])
        marker = MARKER.match(lines[start - 1].rstrip("\n")) if start > 0 else None
        out.extend(lines[position:start + 1])
        if marker:
            kind, spec = marker.group(1), marker.group(2).strip()
            where = "%s:%d" % (os.path.relpath(path, ROOT), start)
            try:
                if kind == "include":
                    body = include_file(spec)
                elif kind == "diff":
                    body = file_diff(spec)
                elif kind == "run":
                    body = run_program(build, manifest, spec)
                elif kind == "check":
                    body = run_check(build, manifest, spec)
                elif kind == "waits":
                    body = run_waits(build, manifest, spec)
                elif kind == "grade":
                    body = run_grade(build, manifest, spec)
                elif kind == "block-output":
                    if last_c is None:
                        raise LessonError("no C block above it")
                    body = run_block(build, last_c, workdir)
                else:
                    raise LessonError("unknown marker kind %r" % kind)
            except (LessonError, OSError, subprocess.SubprocessError) as error:
                raise LessonError("%s: %s" % (where, error))
            if body and not body.endswith("\n"):
                body += "\n"
        if info == "c":
            last_c = body
        out.append(body)
        out.append(lines[end])
        position = end + 1
    out.extend(lines[position:])
    return "".join(out)


REPORT_LINK = re.compile(r"\]\((?:lessons/)?reports/([0-9][0-9]-[a-z0-9-]+)\.html\)")
REPORT_DATA = re.compile(r'<script type="application/json" id="forklab-report">(.*?)</script>',
                         re.S)


def run_report(build, manifest, name):
    """The HTML report of `forklab check` on the pitfall `name`."""
    if name not in manifest:
        raise LessonError("a link to reports/%s.html, which is not a pitfall" % name)
    program = os.path.join(build, "pitfalls", name)
    args, stdin, timeout = run_settings(manifest, program)
    given = ["--timeout", "%g" % timeout] + (["--stdin", stdin] if stdin else [])
    return run_forklab(build, "check", given + ["--format", "html"], ["--", program] + args,
                       program)


def report_shape(html, build):
    """What a report shows, without what changes from run to run: pids (named
    in order), pipe numbers (in order), times; and its markup outside the
    picture (whose coordinates follow the times)."""
    data = REPORT_DATA.search(html)
    if data is None:
        return None
    report = json.loads(data.group(1))
    names, pipes = {}, {}
    for process in report["processes"]:
        names.setdefault(process["pid"], "PID%d" % (len(names) + 1))
    pid_words = re.compile(r"\b(%s)\b" % "|".join(str(p) for p in names)) if names else None

    def plain(text):
        text = normalise(text, build) if isinstance(text, str) else text
        if isinstance(text, str) and pid_words is not None:
            text = pid_words.sub(lambda m: names[int(m.group(1))], text)
        return text

    def pipe(target):
        return pipes.setdefault(target, "pipe%d" % (len(pipes) + 1)) \
            if target.startswith("pipe:[") else plain(target)

    processes = []
    for process in report["processes"]:
        events = [(e["event"], plain(e.get("program")), names.get(e.get("by"), e.get("by")),
                   [(f["fd"], pipe(f["target"]), f["end"]) for f in e.get("fds", [])])
                  for e in process["events"]]
        waiting = process.get("waiting")
        if waiting:
            waiting = (plain(waiting["description"]),
                       [(names.get(h["pid"]), h["fd"]) for h in waiting["held_by"]])
        processes.append((plain(process["programs"][-1] if process["programs"] else ""),
                          process["end"]["description"], process["reaped"], events, waiting))
    findings = [(f["kind"], plain(f["message"])) for f in report["findings"]]
    markup = re.findall(r"<(/?[a-zA-Z][a-zA-Z0-9]*)",
                        re.sub(r"<svg.*?</svg>", "", REPORT_DATA.sub("", html), flags=re.S))
    return processes, findings, markup


def report_links(paths):
    """The pitfalls whose HTML report a lesson or the README links to."""
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            names.update(REPORT_LINK.findall(f.read()))
    return sorted(names)


def refresh_reports(paths, build, manifest, write):
    """Writes (or, without `write`, checks) each linked report; returns the
    names of those that were stale."""
    stale = []
    for name in report_links(paths):
        path = os.path.join(ROOT, "lessons", "reports", name + ".html")
        fresh = run_report(build, manifest, name)
        current = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                current = f.read()
        if current is not None and report_shape(current, build) == report_shape(fresh, build):
            continue
        stale.append(name)
        if write:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(fresh)
            print("lessons: rewrote lessons/reports/%s.html" % name)
        else:
            print("lessons: lessons/reports/%s.html is stale (or missing)" % name)
    return stale


def lesson_paths(names):
    """The lessons, and the README: its example run is kept true the same way."""
    folder = os.path.join(ROOT, "lessons")
    if names:
        return [os.path.abspath(n) for n in names]
    lessons = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".md"))
    return lessons + [os.path.join(ROOT, "README.md")]


def compile_blocks(paths, build, workdir):
    checked = skipped = failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for start, end, info in parse(lines):
            words = info.split()
            if not words or words[0] != "c":
                continue
            where = "%s:%d" % (os.path.relpath(path, ROOT), start + 1)
            if words[1:] == ["fragment"]:
                skipped += 1
                continue
            if words[1:]:
                print("%s: unknown C block kind %r (use ```c or ```c fragment)" % (where, info))
                failed += 1
                continue
            source = "".join(lines[start + 1:end])
            if not source.strip():
                print("%s: empty C block (run make lessons?)" % where)
                failed += 1
                continue
            ok, output, _ = compile_c(source, build, workdir, "block%d" % checked)
            checked += 1
            if not ok:
                failed += 1
                print("%s: this C block does not compile:\n%s" % (where, output))
    print("lessons: %d C blocks compiled, %d failed, %d fragments skipped" %
          (checked, failed, skipped))
    return failed == 0


def generate_all(paths, build, manifest, workdir):
    """Every lesson's fresh text, two lessons at a time (most of the time is
    spent waiting for the programs they run). The workers are started afresh
    (spawn), not forked from this process, and each lesson compiles in a
    folder of its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        jobs = []
        for number, path in enumerate(paths):
            folder = os.path.join(workdir, "lesson%d" % number)
            os.mkdir(folder)
            jobs.append(pool.submit(generate, path, build, manifest, folder))
        return [job.result() for job in jobs]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite stale blocks in place")
    mode.add_argument("--check", action="store_true", help="exit 1 when a block is stale")
    mode.add_argument("--compile-blocks", action="store_true", help="compile every C block")
    parser.add_argument("--build", default="build", help="the build directory (default: build)")
    parser.add_argument("lessons", nargs="*", help="lesson files (default: lessons/*.md)")
    options = parser.parse_args()

    build = os.path.relpath(os.path.abspath(options.build), ROOT)
    paths = lesson_paths(options.lessons)
    with tempfile.TemporaryDirectory(prefix="forklab-lessons-") as workdir:
        if options.compile_blocks:
            return 0 if compile_blocks(paths, build, workdir) else 1
        manifest = load_manifest()
        try:
            fresh_texts = generate_all(paths, build, manifest, workdir)
        except LessonError as error:
            print("lessons: %s" % error, file=sys.stderr)
            return 2
        stale = 0
        for path, fresh in zip(paths, fresh_texts):
            with open(path, encoding="utf-8") as f:
                current = f.read()
            name = os.path.relpath(path, ROOT)
            if fresh == current:
                continue
            if options.write:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(fresh)
                print("lessons: rewrote %s" % name)
            else:
                stale += 1
                sys.stdout.writelines(difflib.unified_diff(
                    current.splitlines(keepends=True), fresh.splitlines(keepends=True),
                    "%s (in the tree)" % name, "%s (fresh run)" % name))
        try:
            stale += len(refresh_reports(paths, build, manifest, options.write))
        except (LessonError, OSError, subprocess.SubprocessError, ValueError) as error:
            print("lessons: %s" % error, file=sys.stderr)
            return 2
        if stale and not options.write:
            print("lessons: %d lesson(s) stale; run `make lessons` and review the diff" % stale)
            return 1
        print("lessons: %d lessons %s" % (len(paths), "written" if options.write else "up to date"))
        return 0


if __name__ == "__main__":
    sys.exit(main())
