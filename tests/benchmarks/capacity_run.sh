#!/usr/bin/env bash
# The whole capacity run (`stackadvisor bench --capacity`) over every available
# server with the default settings, timed, and what it found per target:
# closed-loop req/s, sustainable req/s within the p99 target (with p99 there and
# the knee), CPU-µs per request at the common rate and at the sustainable rate,
# the generator's send lag at the sustainable step, and the steps it took.
# Target: the whole run in ≤ 10 minutes on 2 cores (8 targets).
#
#   tests/benchmarks/capacity_run.sh [--build DIR] [--targets a,b,...] [--out DIR] [-- EXTRA BENCH OPTIONS]
#
# The run's JSON (with capacityAnalysis), steps CSV and the printed table stay in
# --out (default: a temporary folder, removed). Figures are only as quiet as the
# machine: the load average before and after is printed with them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$repo/build
targets= out=
usage() { sed -n '9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
extra=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=${2:?}; shift 2 ;;
        --targets) targets=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) usage ;;
        *) echo "capacity_run: unknown option '$1'" >&2; usage ;;
    esac
done
app=$build/bin/stackadvisor
[[ -x $app ]] || { echo "capacity_run: $app not found: build the stackadvisor target in $build" >&2; exit 2; }
keep=1
if [[ -z $out ]]; then
    out=$(mktemp -d) keep=0
fi
mkdir -p "$out"
cleanup() { [[ $keep == 1 ]] || rm -rf "$out"; }
trap cleanup EXIT

args=(bench --capacity --json "$out/run.json" --steps-csv "$out/steps.csv" --db "$out/history.sqlite")
[[ -n $targets ]] && args+=(--targets "$targets")
args+=("${extra[@]}")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
set +e
"$app" "${args[@]}" >"$out/bench.txt" 2>"$out/bench.err"
code=$?
set -e
end=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ $code != 0 ]]; then
    echo "capacity_run: stackadvisor bench --capacity exited with $code:" >&2
    tail -20 "$out/bench.err" >&2
    exit 1
fi

python3 - "$out/run.json" "$start" "$end" "$load_before" "$load_after" "$(nproc)" <<'PY'
import json, sys
path, start, end, before, after, cores = sys.argv[1:]
run = json.load(open(path))
cap = run["capacityAnalysis"]
def num(v, d=0):
    return "—" if v is None else f"{v:,.{d}f}"
print(f"capacity run: {len(cap['cells'])} targets in {float(end) - float(start):.0f} s "
      f"(target ≤ 600 s on 2 cores; this machine: {cores} logical cores)")
print(f"load average before {before}, after {after}")
print(f"p99 target {cap['latencyTargetMs']:g} ms, common rate {cap['commonRate']:,.0f} req/s, "
      f"peak {cap['peakRequestsPerSecond']:,.0f} req/s, headroom {cap['headroom'] * 100:.0f} %")
header = ["target", "closed-loop", "sustainable", "p99 there", "knee", "CPU µs/req @common",
          "CPU µs/req @sust.", "send lag p50/p99 µs", "steps", "cores @peak"]
rows = [header]
by_cell = {t["cell"]: t for t in cap["targets"]}
for c in cap["cells"]:
    result = run["targets"][c["cell"]]
    steps = (result.get("capacity") or {}).get("steps", [])
    lag = "—"
    if c["sustainableStep"] is not None and 0 <= c["sustainableStep"] < len(steps):
        s = steps[c["sustainableStep"]].get("sendLagUs")
        if s:
            lag = f"{s['p50']:.0f}/{s['p99']:.0f}"
    p99 = c.get("sustainableP99Us")
    peak = by_cell.get(c["cell"])
    rows.append([c["name"], num(c["closedLoopRate"]),
                 num(c["sustainableRate"]) + ("+" if c["sustainableIsLowerBound"] else ""),
                 "—" if p99 is None else f"{p99 / 1000:.1f} ms", num(c["kneeRate"]),
                 num(c["cpuUsPerRequestCommon"], 1), num(c["cpuUsPerRequestSustainable"], 1), lag,
                 str(len(steps)), num(peak["coresAtPeak"], 1) if peak else "—"])
widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
for r in rows:
    print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))))
print("(+ = every step was sustained: a lower bound)")
print(cap["scalingNote"])
PY
[[ $keep == 1 ]] && echo "run JSON, steps CSV and the CLI's text in $out"
exit 0
