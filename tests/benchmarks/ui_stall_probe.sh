#!/usr/bin/env bash
# GUI-thread stall probe: runs a real comparison in the Benchmark page and prints
# the lateness of a 20 ms timer on the GUI thread (p50/p99/max), idle vs. during
# the run, and the GUI thread's CPU share. The goal is p99 < 50 ms during a run.
#
#   tests/benchmarks/ui_stall_probe.sh [BUILD_DIR] [-- probe options]
#   e.g. tests/benchmarks/ui_stall_probe.sh build -- --targets go-nethttp,python-fastapi --duration 5
#
# Uses a real X display under xvfb-run when available (closest to a person's
# desktop), the offscreen platform otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${1:-$repo/build}"
[[ $# -gt 0 ]] && shift
[[ "${1:-}" == "--" ]] && shift

probe="$build/bin/ui_stall_probe"
if [[ ! -x "$probe" ]]; then
    echo "ui_stall_probe.sh: $probe not found: build it with  cmake --build $build --target ui_stall_probe" >&2
    exit 2
fi

if command -v xvfb-run >/dev/null 2>&1 && [[ -z "${QT_QPA_PLATFORM:-}" ]]; then
    exec xvfb-run -a -s "-screen 0 1920x1080x24" "$probe" "$@"
else
    QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" exec "$probe" "$@"
fi
