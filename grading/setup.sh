#!/bin/sh
# Gradescope runs this once, as root, to build the autograder image: the
# Debian packages forklab needs, the grader built from the bundle's kit, and
# the unprivileged user submissions run as.
#
# AUTOGRADER_ROOT (default /autograder) lets a test run it in a fake tree;
# FORKLAB_GRADER_USER names that user ("": forklab runs each program as nobody).
set -eu
root=${AUTOGRADER_ROOT:-/autograder}
source="$root/source"
user=${FORKLAB_GRADER_USER-forklab-student}
cd "$source"

sh mk/deps.sh
make -j"$(nproc)" BUILD=build build/forklab build/libforklab.a

if [ -n "$user" ] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
fi
# The grader runs as that user: it must read the kit (and reach it), but
# owns nothing of it, so a submission cannot change the grader.
chmod -R a+rX "$source"
chmod a+x "$root"
