#!/usr/bin/env bash
# stackadvisor-load against wrk, side by side, on the same target.
#
# The target runs on one core (CPU 0), the generator on the other (CPU 1); wrk and
# stackadvisor-load run alternately, several rounds each, for 100 and 1000
# connections. Prints, per connection count, the medians of:
#   (a) requests/s, ratio ours/wrk       goal >= 1.0 when the generator is the
#                                         limit, within +-3% when the target is
#   (b) generator CPU-seconds per 100k requests, ratio ours/wrk (goal <= 1.0)
#   (c) p50 and p99 latency of both
# Figures on a shared machine are noisy: that is why the tools alternate and
# the medians are reported; compare the ratios, not single runs.
#
# Target (--target): `go` the Go net/http sample server (STACKADVISOR_SERVERS_DIR
# or <repo>/build/servers, see servers/build.sh), `nginx` (apt-get install
# nginx-light; a minimal config in a temporary folder), or `fixture` the C++
# test server tests/fixtures/httpfixture.cpp, so cheap per request that the
# generator is closest to being the limit. Default: go when built, else nginx.
#
#   tests/benchmarks/loadgen_vs_wrk.sh [--target go|nginx|fixture] [--duration 5] [--rounds 3] [--connections "100 1000"]
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin_dir="${STACKADVISOR_BIN_DIR:-$repo/build/bin}"
servers_dir="${STACKADVISOR_SERVERS_DIR:-$repo/build/servers}"
duration=5
rounds=3
connection_counts="100 1000"
target_cpu=0
generator_cpu=1
target=""

while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connection_counts="$2"; shift 2 ;;
        --bin-dir) bin_dir="$2"; shift 2 ;;
        --target) target="$2"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "loadgen_vs_wrk.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$duration" =~ ^[0-9]+$ && "$duration" -gt 0 ]] || { echo "loadgen_vs_wrk.sh: --duration '$duration' is not a whole number of seconds" >&2; exit 2; }
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -gt 0 ]] || { echo "loadgen_vs_wrk.sh: --rounds '$rounds' is not a positive number" >&2; exit 2; }

ours="$bin_dir/stackadvisor-load"
[ -x "$ours" ] || { echo "loadgen_vs_wrk.sh: $ours not found: build the stackadvisor-load target (or pass --bin-dir)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "loadgen_vs_wrk.sh: wrk not found: apt-get install wrk" >&2; exit 1; }
command -v taskset >/dev/null || { echo "loadgen_vs_wrk.sh: taskset not found: apt-get install util-linux" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "loadgen_vs_wrk.sh: needs 2 CPUs (target on one, generator on the other)" >&2; exit 1; }

work="$(mktemp -d)"
target_pid=""
cleanup() {
    if [ -n "$target_pid" ]; then
        kill "$target_pid" 2>/dev/null || true
        wait "$target_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port="$(free_port)"

go_server="$servers_dir/go/go-nethttp"
if [ -z "$target" ]; then
    if [ -x "$go_server" ]; then target=go; else target=nginx; fi
fi
path="/json"
case "$target" in
go)
    [ -x "$go_server" ] || { echo "loadgen_vs_wrk.sh: $go_server not built: run make servers (or --target nginx)" >&2; exit 1; }
    target_name="Go net/http sample server ($go_server), GOMAXPROCS=1"
    HOST=127.0.0.1 PORT="$port" WORKERS=1 GOMAXPROCS=1 taskset -c "$target_cpu" "$go_server" >"$work/target.log" 2>&1 &
    target_pid=$!
    ;;
fixture)
    [ -x "$bin_dir/httpfixture" ] || { echo "loadgen_vs_wrk.sh: $bin_dir/httpfixture not built: build the httpfixture target" >&2; exit 1; }
    target_name="C++ fixture server ($bin_dir/httpfixture), 1 thread"
    taskset -c "$target_cpu" "$bin_dir/httpfixture" --mode normal --port "$port" >"$work/target.log" 2>&1 &
    target_pid=$!
    ;;
nginx)
    nginx_bin="$(command -v nginx || true)"
    [ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
    [ -x "$nginx_bin" ] || { echo "loadgen_vs_wrk.sh: neither the Go sample server ($go_server) nor nginx found: run make servers, or apt-get install nginx-light" >&2; exit 1; }
    target_name="nginx ($nginx_bin), 1 worker"
    mkdir -p "$work/nginx"
    cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    server {
        listen 127.0.0.1:$port;
        location / {
            default_type application/json;
            return 200 '{"message":"Hello, World!"}';
        }
    }
}
NGINX
    taskset -c "$target_cpu" "$nginx_bin" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" >"$work/target.log" 2>&1 &
    target_pid=$!
    ;;
*)
    echo "loadgen_vs_wrk.sh: --target '$target' is not go, nginx or fixture" >&2; exit 2 ;;
esac
url="http://127.0.0.1:$port$path"
for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$url" 2>/dev/null || python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
kill -0 "$target_pid" 2>/dev/null || { echo "loadgen_vs_wrk.sh: the target did not start:" >&2; cat "$work/target.log" >&2; exit 1; }

echo "target:    $target_name on CPU $target_cpu, $url"
echo "generator: CPU $generator_cpu, 1 thread; ${duration}s per run, $rounds rounds, tools alternating"
echo "machine:   $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: expect noise)"

# Runs one tool once; appends "tool connections rps cpu_s requests p50_us p99_us" to results.
TIMEFORMAT='%U %S'
run_wrk() {
    local c="$1"
    { time taskset -c "$generator_cpu" wrk -t1 -c"$c" -d"${duration}s" --latency "$url" >"$work/wrk.out" 2>&1; } 2>"$work/time"
    python3 - "$c" "$work/wrk.out" "$work/time" >>"$work/results" <<'PY'
import re, sys
c, out, tm = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read().split()
def us(text):
    m = re.match(r'([\d.]+)(us|ms|s)$', text)
    return float(m.group(1)) * {'us': 1, 'ms': 1e3, 's': 1e6}[m.group(2)]
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
requests = int(re.search(r'(\d+) requests in', out).group(1))
p50 = us(re.search(r'^\s+50%\s+(\S+)', out, re.M).group(1))
p99 = us(re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1))
errors = re.search(r'Socket errors: (.*)', out)
if errors:
    print(f"# wrk c={c}: socket errors {errors.group(1)}", file=sys.stderr)
print("wrk", c, rps, float(tm[0]) + float(tm[1]), requests, p50, p99)
PY
}
run_ours() {
    local c="$1"
    { time taskset -c "$generator_cpu" "$ours" -t 1 -c "$c" -d "${duration}s" --json "$url" >"$work/ours.out" 2>&1; } 2>"$work/time"
    python3 - "$c" "$work/ours.out" "$work/time" >>"$work/results" <<'PY'
import json, sys
c, tm = sys.argv[1], open(sys.argv[3]).read().split()
summary = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
errors = sum(summary["errors"].values())
if errors:
    print(f"# ours c={c}: errors {summary['errors']}", file=sys.stderr)
if summary["saturation"]["saturated"]:
    print(f"# ours c={c}: saturation reported: {summary['saturation']['reason']}", file=sys.stderr)
print("ours", c, summary["rps"], float(tm[0]) + float(tm[1]), summary["requests"],
      summary["latency_us"]["p50"], summary["latency_us"]["p99"])
PY
}

: >"$work/results"
for c in $connection_counts; do
    for round in $(seq 1 "$rounds"); do
        # Alternate which tool goes first, so drift on the machine hits both.
        if [ $((round % 2)) -eq 1 ]; then run_wrk "$c"; run_ours "$c"; else run_ours "$c"; run_wrk "$c"; fi
        tail -n 2 "$work/results" | sed 's/^/  run: /'
    done
done

python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
by = {}
for tool, c, rps, cpu, req, p50, p99 in rows:
    by.setdefault((tool, int(c)), []).append((float(rps), float(cpu), int(req), float(p50), float(p99)))
print()
print(f"{'conns':>6} {'wrk req/s':>11} {'ours req/s':>11} {'(a) ratio':>9} | {'wrk cpu/100k':>12} {'ours cpu/100k':>13} {'(b) ratio':>9} | {'wrk p50/p99 us':>17} {'ours p50/p99 us':>17}")
for c in sorted({k[1] for k in by}):
    w, o = by[("wrk", c)], by[("ours", c)]
    med = lambda runs, f: statistics.median(f(r) for r in runs)
    w_rps, o_rps = med(w, lambda r: r[0]), med(o, lambda r: r[0])
    w_cpu, o_cpu = med(w, lambda r: r[1] / r[2] * 1e5), med(o, lambda r: r[1] / r[2] * 1e5)
    w50, w99 = med(w, lambda r: r[3]), med(w, lambda r: r[4])
    o50, o99 = med(o, lambda r: r[3]), med(o, lambda r: r[4])
    print(f"{c:>6} {w_rps:>11.0f} {o_rps:>11.0f} {o_rps / w_rps:>9.3f} | {w_cpu:>11.3f}s {o_cpu:>12.3f}s {o_cpu / w_cpu:>9.3f} | {w50:>8.0f}/{w99:<8.0f} {o50:>8.0f}/{o99:<8.0f}")
print()
print("(a) goal: >= 1.0 when the generator is the limit, 1.0 +- 0.03 when the target is; (b) goal: <= 1.0")
print("medians of the rounds; CPU is user+system of the whole generator process (bash time), same for both tools")
PY
