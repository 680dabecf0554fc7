#!/usr/bin/env bash
# Prepares Locust, pinned, in a venv of its own, for `stackadvisor bench
# --export-locust` plans and the tests that run them:
#
#   servers/locust-setup.sh [OUT]   OUT defaults to <repo>/build/servers;
#                                   Locust goes to OUT/locust/venv
#
# Called by `make test` and by `stackadvisor servers setup --locust` (OUT is then
# the user's servers folder). Redone only when resources/locust/requirements.txt
# or the Python interpreter changed, so a rerun takes a moment. Needs python3
# with venv and pip, and PyPI. Exit 0 ready, 1 the install failed (the reason is
# printed), 2 bad arguments. Environment: PYTHON overrides python3.
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$src")
if [[ $# -gt 1 || "${1:-}" == -* ]]; then
    echo "usage: servers/locust-setup.sh [OUT]   (OUT defaults to $repo/build/servers)" >&2
    exit 2
fi
out=${1:-$repo/build/servers}
# In a clone and in the installed app alike (share/stackadvisor/{servers,resources}).
requirements=$repo/resources/locust/requirements.txt
if [[ ! -f $requirements ]]; then
    echo "locust: $requirements is missing: the installation is incomplete" >&2
    exit 1
fi
py=${PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
    echo "locust: $py not found: install python3, python3-venv and python3-pip" >&2
    exit 1
fi
if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "locust: $py cannot create venvs: install python3-venv" >&2
    exit 1
fi
mkdir -p "$out" || { echo "locust: cannot create $out" >&2; exit 1; }
dir=$out/locust
stamp="$(sha256sum "$requirements" | cut -d' ' -f1) $("$py" -c 'import sys; print(sys.version.split()[0])')"
if [[ -x $dir/venv/bin/locust && -f $dir/.stamp && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
    echo "locust: $dir/venv is up to date"
    exit 0
fi
echo "locust: installing $(grep -m1 '^locust==' "$requirements") and its pinned requirements into $dir/venv"
# A venv holds its own path, so it is made where it stays; a failed install
# leaves no half venv behind (the stamp is written last).
rm -rf "$dir"
if ! "$py" -m venv "$dir/venv" >&2 ||
    ! "$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-deps -r "$requirements" >&2; then
    rm -rf "$dir"
    echo "locust: pip install -r $requirements failed (is PyPI reachable?)" >&2
    exit 1
fi
if ! check=$("$dir/venv/bin/python" -m pip check --disable-pip-version-check 2>&1); then
    rm -rf "$dir"
    echo "locust: the pinned requirements do not fit together: $check" >&2
    exit 1
fi
echo "$stamp" >"$dir/.stamp"
echo "locust: ready: $dir/venv/bin/locust ($("$dir/venv/bin/locust" --version 2>/dev/null | cut -d' ' -f1-2))"
