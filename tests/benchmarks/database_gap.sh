#!/usr/bin/env bash
# How much of the Go/Python gap of the in-process JSON API remains with the
# database in the loop: `stackadvisor bench` of every built server in the json,
# db, queries and fortunes scenarios, in one run, on the app's private
# PostgreSQL (created and seeded on first use, stopped after the run).
#
# Prints the machine's load before and after (the machine may be shared: the
# figures are only as quiet as it was), then what `bench` prints: the table of
# every cell (req/s, p99, the server's and PostgreSQL's CPU and memory), the
# JSON vs database table (each target's database req/s and its share of its
# JSON req/s) with the Go/Python ratio per scenario beside the JSON one, the
# workers, PostgreSQL's placement, version and pools, and the claim check
# ("the bottleneck is usually the database"). Every figure is core's
# (RunAnalysis, DatabaseGap); this script computes none.
#
#   tests/benchmarks/database_gap.sh [--targets a,b] [--connections 256]
#       [--duration 5s] [--warmup 2s] [--queries-n 20] [--json FILE] [-- more bench options]
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin_dir="${STACKADVISOR_BIN_DIR:-$repo/build/bin}"
targets=""
connections=256
duration=5s
warmup=2s
queries_n=20
json=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --targets) targets="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --queries-n) queries_n="$2"; shift 2 ;;
    --json) json="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "database_gap.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

app="$bin_dir/stackadvisor"
if [ ! -x "$app" ]; then
    echo "database_gap.sh: $app is not built: run make build && make servers" >&2
    exit 1
fi
if [ -z "$json" ]; then
    json="$(mktemp --suffix=.json)"
    trap 'rm -f "$json"' EXIT
fi

args=(bench --scenario json,db,queries,fortunes --connections "$connections" --duration "$duration"
    --warmup "$warmup" --queries-n "$queries_n" --json "$json" --no-save)
[ -n "$targets" ] && args+=(--targets "$targets")

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "command: stackadvisor ${args[*]} ${extra[*]:-}"
echo
status=0
"$app" "${args[@]}" "${extra[@]}" || status=$?
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run JSON: $json"
exit "$status"
