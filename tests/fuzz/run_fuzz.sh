#!/usr/bin/env bash
# Builds the load generator's libFuzzer target with clang (ASan + UBSan) in its
# own build folder and fuzzes the HTTP/1.1 response parser for a bounded time.
#
#   tests/fuzz/run_fuzz.sh [seconds]      default 30 s
#   FUZZ_BUILD_DIR=...                    default <repo>/build-fuzz
#
# Exit 0: no crash, no sanitizer report, no broken invariant in the time given.
# New inputs go to a temporary corpus, so the repository stays clean; a crash
# leaves its reproducer in the build folder and the script prints its path.
set -euo pipefail

source_dir="${STACKADVISOR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
build_dir="${FUZZ_BUILD_DIR:-$source_dir/build-fuzz}"
seconds="${1:-${FUZZ_SECONDS:-30}}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "run_fuzz.sh: '$seconds' is not a number of seconds" >&2
    exit 2
fi
if ! command -v clang++ >/dev/null 2>&1; then
    echo "run_fuzz.sh: clang++ not found: install clang (apt-get install clang) to build the libFuzzer target" >&2
    exit 1
fi

mkdir -p "$build_dir"
cmake -S "$source_dir" -B "$build_dir" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTACKADVISOR_FUZZ=ON -DSTACKADVISOR_SANITIZE=ON -DSTACKADVISOR_BUILD_GUI=OFF >"$build_dir/configure.log" 2>&1 \
    || { cat "$build_dir/configure.log" >&2; exit 1; }
cmake --build "$build_dir" --target fuzz_responseparser --parallel 2

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cd "$build_dir"
echo "fuzzing the response parser for ${seconds}s"
"$build_dir/bin/fuzz_responseparser" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build_dir/" \
    "$corpus" "$source_dir/tests/fuzz/corpus/responseparser"
