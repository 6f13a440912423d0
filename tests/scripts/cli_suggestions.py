#!/usr/bin/env python3
"""Every command forklab's own messages suggest runs exactly as printed.

Drives the study and grading commands the way a student and a teacher meet
them, from a fresh folder, invoked three ways: as `build/forklab` (a fresh
checkout), as `forklab` found on PATH, and with a work folder whose name
needs quoting. Each suggested command is cut out of the message (stdout or
stderr) and run through `sh -c` unchanged; it must start and end the way
that command ends (0, 1 for a grade below full marks, never 2 or 127).
`watch` runs until its first grade is printed, then it is stopped.

usage: cli_suggestions.py FORKLAB_BINARY
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

COMMANDS = "start|verify|watch|show|hint|list|grade|grade-all|check|help"
failures = []


def suggestion_pattern(program):
    """A suggested command: the program, a command, then options (--dir
    takes a value, quoted or not) and an exercise name; or `--help`."""
    word = r"(?:'[^']*'|[^\s'()]+)"
    option = rf"(?: --dir {word}| --force| --all| --solution| --help)"
    name = r"(?: \d\d-[a-z-]+)"
    return re.compile(rf"{re.escape(program)}(?: (?:{COMMANDS}){option}*{name}?{option}*| --help)")


def run(shell_command, cwd, env, expect=(0,)):
    try:
        # The limit only ends a hang of a broken build; nothing waits on it.
        result = subprocess.run(["sh", "-c", shell_command], cwd=cwd, env=env,
                                capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        failures.append(f"`{shell_command}` did not end")
        return ""
    if result.returncode not in expect:
        failures.append(f"`{shell_command}` exited {result.returncode}, not {expect}: "
                        f"{result.stderr.strip()[:300]}")
    return result.stdout + result.stderr


def run_watch(shell_command, cwd, env):
    """Runs a suggested watch until its first grade, synchronized on its
    output (the line it prints after grading), then stops it."""
    with subprocess.Popen(["sh", "-c", shell_command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, start_new_session=True) as watch:
        seen = []
        for line in watch.stdout:
            seen.append(line)
            if line.startswith("watching "):
                break
        os.killpg(watch.pid, signal.SIGTERM)
        watch.wait()
        if not any(line.startswith("watching ") for line in seen):
            failures.append(f"`{shell_command}` never graded: {''.join(seen)[-300:]}")


def try_suggestions(text, program, cwd, env, tried):
    for match in suggestion_pattern(program).finditer(text):
        command = match.group(0)
        segment = re.split(r"\)|\n|  ", text[match.start():], maxsplit=1)[0]
        if re.search(r"\b[A-Z]{2,}\b|\[", segment):
            continue  # a usage template ("hint NAME"), not a command to run
        if command in tried:
            continue
        tried.add(command)
        if " watch" in command:
            run_watch(command, cwd, env)
        else:
            # A grade below full marks is 1; anything else must work.
            run(command, cwd, env, expect=(0, 1))


def scenario(program, cwd, env, dir_option, dir_quoted):
    """The commands that make forklab suggest others, in a student's order."""
    tried = set()
    steps = [
        (f"{program} list{dir_option}", (0,)),
        (f"{program} start{dir_option} 03", (0,)),
        (f"{program} start{dir_option} 03", (2,)),  # already there: suggests --force
        (f"{program} hint{dir_option} --all 05", (2,)),  # none seen: suggests the first
        (f"{program} verify{dir_option} 02", (2,)),  # not started: suggests start
        (f"{program} watch{dir_option} 04", (2,)),
        (f"{program} list{dir_option}", (0,)),
        (f"{program} bogus", (2,)),
        (f"{program} check --bogus", (2,)),
        (f"{program} grade --exercise 03", (2,)),
        (f"{program} hint", (2,)),
    ]
    for command, expect in steps:
        text = run(command, cwd, env, expect)
        try_suggestions(text, program, cwd, env, tried)
    if not any(" verify" in command for command in tried):
        failures.append(f"{program}: no verify was ever suggested")
    if dir_quoted and not any(dir_quoted in command for command in tried):
        failures.append(f"{program}: no suggestion kept the work folder {dir_quoted}")
    return tried


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh checkout: build/forklab, run from the folder above build/.
        fresh = os.path.join(tmp, "checkout")
        os.makedirs(fresh)
        os.symlink(os.path.dirname(binary), os.path.join(fresh, "build"))
        env = dict(os.environ)
        env["PATH"] = "/usr/bin:/bin"
        tried = scenario("build/forklab", fresh, env, "", None)

        # forklab on PATH: messages name it so.
        onpath = os.path.join(tmp, "onpath")
        os.makedirs(onpath)
        env_path = dict(env, PATH=os.path.dirname(binary) + ":/usr/bin:/bin")
        tried |= scenario("forklab", onpath, env_path, "", None)

        # A work folder that needs quoting.
        spaced = os.path.join(tmp, "spaced")
        os.makedirs(spaced)
        tried |= scenario("forklab", spaced, env_path, " --dir 'my work'", "--dir 'my work'")

        for label, program in (("build/forklab", "build/forklab"), ("PATH", "forklab")):
            if not any(command.startswith(program + " ") for command in tried):
                failures.append(f"{label}: no command suggested as {program}")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    for command in sorted(tried):
        print("ran:", command)
    print(f"cli-suggestions: {len(tried)} suggested commands run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
