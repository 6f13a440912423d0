#!/bin/sh
# `make install PREFIX=...` gives a working forklab: man pages that `man`
# finds and renders without a warning (one per command forklab lists), bash
# and zsh completion that offer commands, options and exercise names, the
# library found by pkg-config; `make uninstall` takes it all away again.
set -u
: "${FORKLAB_BUILD:?FORKLAB_BUILD must name the build folder}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix="$tmp/prefix"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

make --no-print-directory install PREFIX="$prefix" BUILD="$FORKLAB_BUILD" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; echo "FAIL: make install" >&2; exit 1; }
forklab="$prefix/bin/forklab"

# ---- man pages ---------------------------------------------------------------
commands=$("$forklab" --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
[ -n "$commands" ] || fail "forklab --help lists no commands"
export MANPATH="$prefix/share/man" MANWIDTH=80
for page in forklab $(for c in $commands; do echo "forklab-$c"; done); do
    [ -f "$prefix/share/man/man1/$page.1" ] || { fail "no man page $page.1"; continue; }
    warnings=$(man --warnings -P cat -l "$prefix/share/man/man1/$page.1" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "$page.1: $warnings"
done
man -P cat forklab-check >"$tmp/page" 2>&1 || fail "man forklab-check: $(cat "$tmp/page")"
grep -q "forklab check \[OPTION\]" "$tmp/page" || fail "man forklab-check has no synopsis"
grep -q -- "--max-procs" "$tmp/page" || fail "man forklab-check lacks --max-procs"
man -P cat forklab | grep -q "forklab-grade-all(1)" || fail "man forklab does not point to the others"

# ---- completion ----------------------------------------------------------------
first=$("$forklab" list --names | head -n 1)
[ -n "$first" ] || fail "the installed forklab lists no exercise"
bash_offers=$(bash -c '
    source "$1/share/bash-completion/completions/forklab"
    COMP_WORDS=("$2" "$3" "$4"); COMP_CWORD=2; _forklab; echo "${COMPREPLY[*]}"' \
    sh "$prefix" "$forklab" start "")
case " $bash_offers " in *" $first "*) ;; *) fail "bash: start <TAB> offers '$bash_offers'" ;; esac
bash_options=$(bash -c '
    source "$1/share/bash-completion/completions/forklab"
    COMP_WORDS=("$2" check --max); COMP_CWORD=2; _forklab; echo "${COMPREPLY[*]}"' sh "$prefix" "$forklab")
[ "$bash_options" = "--max-memory --max-procs" ] || fail "bash: check --max<TAB> offers '$bash_options'"

# zsh: the installed function, with compadd answered by a function that
# prints what it was offered.
zsh_offers=$(zsh -f -c '
    fpath=("$1/share/zsh/site-functions" $fpath); autoload -Uz _forklab
    compadd() { if [[ $1 == -a ]]; then print -rl -- ${(P)2}; else print -rl -- "$@"; fi }
    words=("$2" grade --exercise ""); CURRENT=4; PREFIX=""; _forklab' sh "$prefix" "$forklab")
echo "$zsh_offers" | grep -qx "$first" || fail "zsh: grade --exercise <TAB> offers '$zsh_offers'"
zsh_commands=$(zsh -f -c '
    fpath=("$1/share/zsh/site-functions" $fpath); autoload -Uz _forklab
    compadd() { if [[ $1 == -a ]]; then print -rl -- ${(P)2}; else print -rl -- "$@"; fi }
    words=("$2" ""); CURRENT=2; PREFIX=""; _forklab' sh "$prefix" "$forklab")
echo "$zsh_commands" | grep -qx "grade-all" || fail "zsh: <TAB> offers '$zsh_commands'"

# ---- the library ------------------------------------------------------------
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs forklab) ||
    fail "pkg-config does not find forklab"
printf '#include <forklab.h>\nint main(void) { struct fl_command *c = fl_command_new("true"); int s = fl_command_status(c, NULL); fl_command_free(&c); return s; }\n' >"$tmp/use.c"
# shellcheck disable=SC2086
if cc -o "$tmp/use" "$tmp/use.c" $flags 2>"$tmp/cc.log"; then
    LD_LIBRARY_PATH="$prefix/lib" "$tmp/use" || fail "a program built against it does not run"
else
    fail "cannot build against it: $(cat "$tmp/cc.log")"
fi

# ---- uninstall ----------------------------------------------------------------
make --no-print-directory uninstall PREFIX="$prefix" BUILD="$FORKLAB_BUILD" >/dev/null 2>&1 ||
    fail "make uninstall"
left=$(find "$prefix" -type f | head -5)
[ -z "$left" ] || fail "make uninstall left $left"

[ "$failures" -eq 0 ] && echo "install: ok"
exit $((failures > 0))
