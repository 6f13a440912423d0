#!/bin/sh
# Every ```c block in lessons/ compiles and links with the project's flags
# (```c fragment blocks are parts of a program and are skipped, and counted).
set -eu
cd "$(dirname "$0")/../.."
exec python3 mk/lessons.py --build "$FORKLAB_BUILD" --compile-blocks
