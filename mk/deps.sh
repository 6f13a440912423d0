#!/bin/sh
# Makes sure the Debian packages forklab builds and tests with are present.
# Installs what is missing when it can (root, or passwordless sudo); otherwise
# stops with the one command the user has to run.
set -eu

packages="make gcc pkg-config libcriterion-dev libjansson-dev libexpat1-dev valgrind python3 python3-yaml perl util-linux graphviz libxml2-utils help2man man-db zsh"
# `deps.sh --test` (make test, make pictures) adds what only the tests need:
# a real browser, its driver and a font, to check the HTML report
# (tests/scripts/html-browser.sh). Building and grading never need them.
if [ "${1:-}" = "--test" ]; then
    packages="$packages chromium chromium-driver python3-selenium fonts-dejavu-core"
fi

missing=""
for pkg in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    echo "forklab: missing packages:$missing; run: sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "forklab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends$missing >&2
