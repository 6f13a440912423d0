# python_subprocess.py: Python's subprocess.run(capture_output=True), timed for
# bench/spawn.c. Reads one request per line on stdin, answers with one line:
#   output BYTES  run `head -c BYTES /dev/zero`, capturing: the seconds it took
import subprocess
import sys
import time

for line in sys.stdin:
    words = line.split()
    if len(words) != 2 or words[0] != "output":
        sys.exit(f"unknown request: {line.strip()}")
    start = time.monotonic()
    result = subprocess.run(["head", "-c", words[1], "/dev/zero"], capture_output=True, check=True)
    seconds = time.monotonic() - start
    if len(result.stdout) != int(words[1]):
        sys.exit(f"captured {len(result.stdout)} bytes, not {words[1]}")
    del result  # the next request starts with this memory freed, as in C and Rust
    print(f"{seconds:.9f}", flush=True)
