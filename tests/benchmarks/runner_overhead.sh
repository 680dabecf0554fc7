#!/usr/bin/env bash
# Two figures of the benchmark engine, printed side by side:
#
# 1. Overhead: the req/s of one target measured through `stackadvisor bench`
#    against stackadvisor-load run bare against the same server, started the
#    same way (HOST, PORT, WORKERS, GOMAXPROCS) with the same pinning (server on
#    the server CPUs, load on the load CPUs), alternated ROUNDS times. Target:
#    ratio (bench / bare) >= 0.97.
# 2. Repeatability: the default comparison (every available server, JSON,
#    1,000 connections) run REPEATS times; per target the mean req/s and the
#    coefficient of variation.
#
#   tests/benchmarks/runner_overhead.sh [--build DIR] [--target go-nethttp] [--rounds 3]
#       [--repeats 3] [--duration 10s] [--warmup 3s] [--connections 1000] [--skip-repeatability]
#
# Figures are only as quiet as the machine: other work on these CPUs shows up in them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$repo/build
target=go-nethttp rounds=3 repeats=3 duration=10s warmup=3s connections=1000 repeatability=1
usage() { sed -n '14,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=${2:?}; shift 2 ;;
        --target) target=${2:?}; shift 2 ;;
        --rounds) rounds=${2:?}; shift 2 ;;
        --repeats) repeats=${2:?}; shift 2 ;;
        --duration) duration=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --connections) connections=${2:?}; shift 2 ;;
        --skip-repeatability) repeatability=0; shift ;;
        -h|--help) usage ;;
        *) echo "runner_overhead: unknown option '$1'" >&2; usage ;;
    esac
done
for n in "$rounds" "$repeats" "$connections"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "runner_overhead: '$n' must be a positive integer" >&2; exit 2; }
done
app=$build/bin/stackadvisor load=$build/bin/stackadvisor-load
for exe in "$app" "$load"; do
    [[ -x $exe ]] || { echo "runner_overhead: $exe not found: build the stackadvisor target in $build" >&2; exit 2; }
done
servers_dir=${STACKADVISOR_SERVERS_DIR:-$repo/build/servers}
work=$(mktemp -d)
server_pid=
cleanup() {
    [[ -n $server_pid ]] && kill -KILL -- "-$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The same CPU split the app uses: the load gets the last max(1, n/4) CPUs.
read -r server_cpus load_cpus load_count server_count < <(python3 - <<'PY'
import os
cpus = sorted(os.sched_getaffinity(0))
n = max(1, len(cpus) // 4)
load = cpus[-n:] if len(cpus) > 1 else cpus
server = [c for c in cpus if c not in load] or cpus
fmt = lambda l: ",".join(map(str, l))
print(fmt(server), fmt(load), len(load), len(server))
PY
)

rps_of() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["targets"][0]; print(t["requestsPerSecond"] if t["status"]=="completed" else 0)' "$1"; }

# Starts the target as resources/servers.json says, pinned, in its own group.
start_bare() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    eval "$(python3 - "$repo/resources/servers.json" "$target" "$servers_dir" "$repo/servers" "$port" "$server_count" <<'PY'
import json, shlex, sys
catalog, target, servers_dir, source_dir, port, workers = sys.argv[1:]
entry = next(e for e in json.load(open(catalog))["servers"] if e["id"] == target)
sub = lambda s: (s.replace("{serversDir}", servers_dir).replace("{sourceDir}", source_dir)
                  .replace("{host}", "127.0.0.1").replace("{port}", port).replace("{workers}", workers))
env = {k: sub(v) for k, v in entry.get("environment", {}).items()}
env.update(HOST="127.0.0.1", PORT=port, WORKERS=workers)
print("bare_cmd=(" + " ".join(shlex.quote(sub(a)) for a in [entry["program"]] + entry.get("arguments", [])) + ")")
print("bare_env=(" + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + ")")
print("bare_cwd=" + shlex.quote(sub(entry.get("workingDirectory", "") or ".")))
print("bare_ready=" + shlex.quote(entry.get("readinessPath", "/healthz")))
PY
)"
    (cd "$bare_cwd" && exec setsid env "${bare_env[@]}" taskset -c "$server_cpus" "${bare_cmd[@]}") >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$port$bare_ready" >/dev/null 2>&1 && { bare_port=$port; return 0; }
        sleep 0.1
    done
    echo "runner_overhead: $target did not become ready; its log:" >&2; tail -5 "$work/server.log" >&2; exit 1
}
stop_bare() { kill -TERM -- "-$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; }

echo "== Overhead: $target, $connections connections, warm-up $warmup, window $duration, server CPUs $server_cpus, load CPUs $load_cpus"
printf '%-6s %14s %14s %8s\n' round "bench req/s" "bare req/s" ratio
ratios=()
measure_bench() {
    "$app" bench --targets "$target" --rounds 1 --connections "$connections" --duration "$duration" --warmup "$warmup" \
        --no-save --json "$work/bench.json" >/dev/null 2>"$work/bench.err" || true
    bench=$(rps_of "$work/bench.json")
}
measure_bare() {
    start_bare
    "$load" --json -c "$connections" -t "$load_count" -d "$duration" --warmup "$warmup" --cpus "$load_cpus" \
        "http://127.0.0.1:$bare_port/json" >"$work/bare.jsonl" 2>/dev/null || true
    stop_bare
    bare=$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]["rps"])' "$work/bare.jsonl")
}
for round in $(seq 1 "$rounds"); do
    # Alternate which goes first, so that a drift of the machine's load does not
    # always favour the same side.
    if (( round % 2 )); then measure_bench; measure_bare; else measure_bare; measure_bench; fi
    ratio=$(python3 -c "print(f'{$bench / $bare:.3f}' if $bare > 0 else 'n/a')")
    ratios+=("$ratio")
    printf '%-6s %14.0f %14.0f %8s\n' "$round" "$bench" "$bare" "$ratio"
done
python3 -c "
import statistics, sys
r = [float(x) for x in sys.argv[1:] if x != 'n/a']
print(f'median ratio {statistics.median(r):.3f} (target >= 0.97), mean {statistics.mean(r):.3f}')" "${ratios[@]}"

[[ $repeatability == 1 ]] || exit 0
echo
echo "== Repeatability: the default comparison (window $duration, warm-up $warmup, $connections connections) x $repeats"
for i in $(seq 1 "$repeats"); do
    "$app" bench --connections "$connections" --duration "$duration" --warmup "$warmup" --no-save \
        --json "$work/run$i.json" >"$work/run$i.txt" 2>"$work/run$i.err" || true
    [[ $i == "$repeats" ]] && cat "$work/run$i.txt" | sed -n '1,/^$/p'
done
python3 - "$work" "$repeats" <<'PY'
import json, statistics, sys
work, repeats = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{work}/run{i}.json")) for i in range(1, repeats + 1)]
ids = [t["targetId"] for t in runs[0]["targets"]]
print(f"{'target':16} " + " ".join(f"{'run ' + str(i + 1):>10}" for i in range(repeats)) + f" {'mean':>10} {'CV':>7}")
for id in ids:
    rps = [next((t["requestsPerSecond"] for t in r["targets"] if t["targetId"] == id and t["status"] == "completed"), 0.0)
           for r in runs]
    mean = statistics.mean(rps)
    cv = statistics.stdev(rps) / mean * 100 if mean > 0 and len(rps) > 1 else float("nan")
    print(f"{id:16} " + " ".join(f"{x:10.0f}" for x in rps) + f" {mean:10.0f} {cv:6.1f}%")
PY
