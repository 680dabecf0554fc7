#!/usr/bin/env bash
# A quick wrk figure for each built sample server, side by side: the server
# pinned to one set of CPUs, wrk to another, one target at a time.
#
#   tests/benchmarks/servers_wrk.sh [--targets id,id] [--path /json] [--duration 5]
#       [--connections 100] [--threads 1] [--workers 1] [--server-cpus 0] [--load-cpus 1]
#       [--rounds 1] [--servers-dir DIR]
#
# Prints one row per server: framework version, deployable footprint (from the
# build manifest), requests/sec, average and p99 latency, and the resident
# memory of the server's whole process group after the run. With --rounds N,
# wrk runs N times against the same server and the row is the median round by
# requests/sec, the notes giving the range. Servers are
# started from resources/servers.json exactly as the app starts them. Figures
# are only as quiet as the machine: other work on these CPUs shows up in them.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
servers_dir=${STACKADVISOR_SERVERS_DIR:-$repo/build/servers}
targets="go-gin,go-fiber,go-echo,go-nethttp,python-fastapi,python-django,python-flask,node-express"
path=/json duration=5 connections=100 threads=1 workers=1 server_cpus=0 load_cpus=1 rounds=1

usage() { sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --targets) targets=${2:?}; shift 2 ;;
        --path) path=${2:?}; shift 2 ;;
        --duration) duration=${2:?}; shift 2 ;;
        --connections) connections=${2:?}; shift 2 ;;
        --threads) threads=${2:?}; shift 2 ;;
        --workers) workers=${2:?}; shift 2 ;;
        --server-cpus) server_cpus=${2:?}; shift 2 ;;
        --load-cpus) load_cpus=${2:?}; shift 2 ;;
        --rounds) rounds=${2:?}; shift 2 ;;
        --servers-dir) servers_dir=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "servers_wrk: unknown option '$1'" >&2; usage ;;
    esac
done
for n in "$duration" "$connections" "$threads" "$workers" "$rounds"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "servers_wrk: '$n' must be a positive integer" >&2; exit 2; }
done
[[ $path == /* ]] || { echo "servers_wrk: --path must start with '/' (got '$path')" >&2; exit 2; }
for tool in wrk taskset python3; do
    command -v "$tool" >/dev/null || { echo "servers_wrk: $tool not found: run installer/deps.sh" >&2; exit 2; }
done
[[ -f $servers_dir/manifest.json ]] ||
    { echo "servers_wrk: no $servers_dir/manifest.json: run make servers first" >&2; exit 2; }

pgid=""
cleanup() {
    if [[ -n $pgid ]]; then
        kill -KILL -- "-$pgid" 2>/dev/null || true
        pgid=""
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Reads the catalog entry and the manifest of one server: prints shell
# assignments (program, args, cwd, env, version, footprint, ready, reason).
describe() {  # describe ID PORT
    python3 - "$repo" "$servers_dir" "$1" "$2" "$workers" <<'EOF'
import json, os, shlex, sys
repo, servers_dir, sid, port, workers = sys.argv[1:]
catalog = {e["id"]: e for e in json.load(open(os.path.join(repo, "resources", "servers.json")))["servers"]}
manifest = json.load(open(os.path.join(servers_dir, "manifest.json")))["servers"]
entry, built = catalog.get(sid), manifest.get(sid, {})
if entry is None:
    print("ready=no; reason=" + shlex.quote("not in resources/servers.json")); sys.exit()
def expand(s):
    for k, v in (("{serversDir}", servers_dir), ("{sourceDir}", os.path.join(repo, "servers")),
                 ("{host}", "127.0.0.1"), ("{port}", port), ("{workers}", workers)):
        s = s.replace(k, v)
    return s
argv = [expand(entry["program"])] + [expand(a) for a in entry.get("arguments", [])]
env = [f"{k}={expand(v)}" for k, v in entry.get("environment", {}).items()]
print("ready=" + ("yes" if built.get("ready") else "no"))
print("reason=" + shlex.quote(built.get("reason") or "not built"))
print("argv=(" + " ".join(shlex.quote(a) for a in argv) + ")")
print("extra_env=(" + " ".join(shlex.quote(e) for e in env) + ")")
print("cwd=" + shlex.quote(expand(entry.get("workingDirectory", "")) or servers_dir))
print("version=" + shlex.quote(built.get("frameworkVersion", "?")))
print("footprint_mb=" + "%.1f" % (built.get("footprintBytes", 0) / 1e6))
EOF
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

healthy() {  # healthy PORT: GET /healthz answers 200
    local line
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r -t 2 line <&3 || line=""
    exec 3<&-
    [[ $line == *" 200 "* ]]
}

group_rss_mb() {  # resident memory of a process group, MB
    ps -o rss= -g "$1" 2>/dev/null | awk '{s += $1} END {printf "%.1f", s / 1024}'
}

ms() {  # wrk latency ("850.00us", "1.20ms", "2.01s") -> ms
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000
        printf "%.2f", n }'
}

echo "wrk -t$threads -c$connections -d${duration}s http://127.0.0.1:PORT$path; server WORKERS=$workers on CPU $server_cpus, wrk on CPU $load_cpus"
echo "($rounds round(s) each after a 1 s warm-up, median shown; noisy when other work shares these CPUs)"
printf '%-15s %-9s %9s %10s %8s %8s %7s  %s\n' server version size_MB req/s avg_ms p99_ms rss_MB notes
for id in ${targets//,/ }; do
    port=$(free_port)
    eval "$(describe "$id" "$port")"
    if [[ $ready != yes ]]; then
        printf '%-15s %-9s %9s %10s %8s %8s %7s  %s\n' "$id" - - - - - - "not ready: $reason"
        continue
    fi
    log=$(mktemp)
    (cd "$cwd" && exec setsid taskset -c "$server_cpus" env HOST=127.0.0.1 PORT="$port" WORKERS="$workers" \
        "${extra_env[@]}" "${argv[@]}") >/dev/null 2>"$log" &
    pid=$!
    sleep 0.1
    pgid=$(ps -o pgid= "$pid" | tr -d ' ')
    for _ in $(seq 300); do healthy "$port" && break; sleep 0.1; done
    if ! healthy "$port"; then
        printf '%-15s %-9s %9s %10s %8s %8s %7s  %s\n' "$id" "$version" "$footprint_mb" - - - - \
            "did not start: $(tail -c 200 "$log" | tr '\n' ' ')"
        cleanup; rm -f "$log"; continue
    fi
    url="http://127.0.0.1:$port$path"
    taskset -c "$load_cpus" wrk -t"$threads" -c"$connections" -d1s "$url" >/dev/null 2>&1 || true
    rows=()
    for _ in $(seq "$rounds"); do
        out=$(taskset -c "$load_cpus" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$url" 2>&1) || true
        rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
        avg=$(awk '$1 == "Latency" && NF >= 4 {print $2; exit}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        errors=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
        rows+=("${rps:-0}|$( [[ -n $avg ]] && ms "$avg" || echo ?)|$( [[ -n $p99 ]] && ms "$p99" || echo ?)|${errors%; }")
    done
    rss=$(group_rss_mb "$pgid")
    mapfile -t rows < <(printf '%s\n' "${rows[@]}" | sort -t'|' -k1,1n)
    IFS='|' read -r rps avg p99 errors <<<"${rows[$(( (rounds - 1) / 2 ))]}"
    if [[ $rounds -gt 1 ]]; then
        range="req/s ${rows[0]%%|*}-${rows[-1]%%|*}"
        errors=${errors:+$errors; }$range
    fi
    printf '%-15s %-9s %9s %10s %8s %8s %7s  %s\n' "$id" "$version" "$footprint_mb" "$rps" "$avg" "$p99" "$rss" "$errors"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
    cleanup
    wait "$pid" 2>/dev/null || true
    rm -f "$log"
done
