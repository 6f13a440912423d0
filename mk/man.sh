#!/bin/sh
# Generates forklab's man pages from its own --help texts with help2man, so
# the pages never drift from the CLI: forklab.1, and forklab-COMMAND.1 for
# each command `forklab --help` lists.
# usage: man.sh BUILD    (pages go to BUILD/man/)
set -eu
build=$(cd "$1" && pwd)
out="$build/man"
shims="$out/shims"
mkdir -p "$shims"
version=$("$build/forklab" --version | awk '{ print $2 }')
# The pages say `forklab`, as an installed forklab names itself: run it by
# that name, found on PATH.
export PATH="$build:$PATH"

# help2man wants GNU's "Usage:" and "  or:" lines for the synopsis, and
# reads indented lines as one paragraph: a blank line keeps each example
# on its own. The filter changes only the layout, never the words.
cat >"$shims/filter.awk" <<'AWK'
/^usage:/ { sub(/^usage:/, "Usage:"); usage = 1; print; next }
usage && /^       [^ ]/ { sub(/^       /, "  or:  "); print; next }
{ usage = 0 }
/^Examples?:$/ { examples = 1; print; next }
examples && NF == 0 { examples = 0 }
examples { print; print ""; next }
{ print }
AWK

commands=$(forklab --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
# Every page points to the others.
{
    echo "[SEE ALSO]"
    echo ".BR forklab (1),"
    for command in $commands; do echo ".BR forklab-$command (1),"; done
    echo "and the lessons in the kit's lessons/ folder."
} >"$shims/see-also.h2m"

page() { # page NAME SUMMARY EXECUTABLE
    help2man --no-info --no-discard-stderr --version-string="$version" --section=1 \
        --name="$2" --source="forklab $version" --manual="forklab manual" \
        --include="$shims/see-also.h2m" --output="$out/$1.1" "$3"
}

printf '#!/bin/sh\nforklab "$@" | awk -f "%s"\n' "$shims/filter.awk" >"$shims/forklab"
chmod +x "$shims/forklab"
page forklab "show and grade the process pitfalls of C on Unix" "$shims/forklab"
forklab --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print }' |
    while read -r command summary; do
        # help2man runs EXECUTABLE --help: a shim named forklab-COMMAND runs
        # `forklab help COMMAND` instead.
        printf '#!/bin/sh\nforklab help %s | awk -f "%s"\n' "$command" "$shims/filter.awk" \
            >"$shims/forklab-$command"
        chmod +x "$shims/forklab-$command"
        page "forklab-$command" "$summary" "$shims/forklab-$command"
    done
rm -rf "$shims"
