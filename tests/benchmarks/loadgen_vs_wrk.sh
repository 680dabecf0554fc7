#!/usr/bin/env bash
# stackadvisor-load against wrk (and h2load, oha when installed), side by side,
# on the same targets.
#
# Each target runs on one core (CPU 0), the generator on the other (CPU 1), one
# generator thread; the tools run in turn, their order rotated every round, for
# each connection count. Prints, with the medians of the rounds:
#   1. Generator-limited (nginx, one worker, `return 200` JSON): req/s and CPU
#      µs per request of every tool; ours/wrk CPU per request   goal <= 0.8
#      (ours: its working CPU, without the time it polled with nothing to do,
#      which it reports; the polling is printed beside it)
#   2. Server-limited (each target): req/s of ours and wrk, the ratio, and which
#      side was the limit, from both tools' CPU: a generator thread at >= 90 %
#      of its core is the limit; below that the server is      goal 1 +- 0.03
#      (unless ours says it waited for a CPU other processes had: then the
#      machine's load was, and the row says so)
#   2b. What the server did under each tool: how busy its core was (a generator
#      that holds the server back leaves it idle), its CPU per request, and how
#      often the generator slept (each sleep is a wake-up the server's CPU pays)
#   2c. (--shared) ours (--no-poll) and wrk at once, half the connections each,
#      against one server: the machine's drift hits both alike; ours/wrk req/s
#                                                                  goal 1 +- 0.03
#   3. (--threads) ours with -t 1 and -t 2 on the generator core against nginx
#   2d. (--server-perf) where the target's CPU goes per request under ours,
#      ours-sleep and wrk (perf record on the target's CPU, kernel call chains):
#      waking the generator (the readiness callback of its socket, and its
#      wake-up when it sleeps), delivering the responses into its sockets (the
#      loopback receive path, run on the sender's CPU), the rest of the kernel,
#      and the target's own code
#   4. (--syscalls) system calls per request of ours, ours-sleep and wrk against
#      nginx (strace -c -f), and (--perf) CPU, context switches, system calls and
#      epoll waits per request (perf stat; the calls from tracepoints, at full
#      speed); ours' counts include its zero-timeout polls, ours-sleep's do not
# Figures on a shared machine are noisy: that is why the tools alternate, the
# medians are reported and the load average is printed; compare the ratios. A
# server-limited row says "ok" or "OUTSIDE" only when the 95 % interval of the
# rounds' ratios is wholly within or wholly outside +-3 %, and "cannot tell"
# otherwise (the server's own req/s varies from round to round: its cv is printed).
#
# Targets (--targets, default: nginx and every Go sample server that is built):
#   nginx       nginx (installer/deps.sh installs nginx-light), a minimal
#               config in a temporary folder, 1 worker
#   go-nethttp, go-fiber, go-gin, go-echo
#               the Go sample servers (STACKADVISOR_SERVERS_DIR or
#               <repo>/build/servers, see servers/build.sh), GOMAXPROCS=1
#   fixture     the C++ test server tests/fixtures/httpfixture.cpp
# Tools (--tools, default: every one found): ours, ours-sleep (ours with
# --no-poll: it sleeps as soon as nothing is ready, as wrk does), wrk, h2load
# (Debian's nghttp2-client, installed by installer/deps.sh), oha (not in Debian:
# `cargo install oha --locked`; skipped with a note when absent).
#
#   tests/benchmarks/loadgen_vs_wrk.sh [--targets "nginx go-fiber"] [--tools "ours wrk"]
#       [--duration 5] [--rounds 3] [--connections "100 1000"] [--shared] [--threads] [--syscalls] [--perf]
#       [--server-perf]
#       [--shared-only]  (table 2c alone)
#       [--raw DIR]   (keeps every run's figures in DIR: results, shared, threads, syscalls, perfstat, serverperf)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin_dir="${STACKADVISOR_BIN_DIR:-$repo/build/bin}"
servers_dir="${STACKADVISOR_SERVERS_DIR:-$repo/build/servers}"
duration=5
rounds=3
connection_counts="100 1000"
target_cpu=0
generator_cpu=1
targets=""
tools=""
threads_table=0
shared_table=0
shared_only=0
raw_dir=""
syscalls_table=0
perf_table=0
server_perf=0

while [ $# -gt 0 ]; do
    case "$1" in
        --duration|--rounds|--connections|--bin-dir|--targets|--target|--tools|--raw)
            [ $# -ge 2 ] && [ -n "$2" ] && [[ "$2" != --* ]] || { echo "loadgen_vs_wrk.sh: $1 needs a value (see --help)" >&2; exit 2; } ;;
    esac
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connection_counts="$2"; shift 2 ;;
        --bin-dir) bin_dir="$2"; shift 2 ;;
        --targets|--target) targets="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        --threads) threads_table=1; shift ;;
        --shared) shared_table=1; shift ;;
        --shared-only) shared_table=1; shared_only=1; shift ;;
        --raw) raw_dir="$2"; shift 2 ;;
        --syscalls) syscalls_table=1; shift ;;
        --perf) perf_table=1; shift ;;
        --server-perf) server_perf=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
        *) echo "loadgen_vs_wrk.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$duration" =~ ^[0-9]+$ && "$duration" -gt 0 ]] || { echo "loadgen_vs_wrk.sh: --duration '$duration' is not a whole number of seconds" >&2; exit 2; }
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -gt 0 ]] || { echo "loadgen_vs_wrk.sh: --rounds '$rounds' is not a positive number" >&2; exit 2; }

ours="$bin_dir/stackadvisor-load"
[ -x "$ours" ] || { echo "loadgen_vs_wrk.sh: $ours not found: build the stackadvisor-load target (or pass --bin-dir)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "loadgen_vs_wrk.sh: wrk not found: run installer/deps.sh" >&2; exit 1; }
command -v taskset >/dev/null || { echo "loadgen_vs_wrk.sh: taskset not found: apt-get install util-linux" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "loadgen_vs_wrk.sh: needs 2 CPUs (target on one, generator on the other)" >&2; exit 1; }
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
oha_bin="$(command -v oha || true)"
[ -n "$oha_bin" ] || [ ! -x "$HOME/.cargo/bin/oha" ] || oha_bin="$HOME/.cargo/bin/oha"

if [ -z "$targets" ]; then
    [ -x "$nginx_bin" ] && targets="nginx"
    for server in go-nethttp go-fiber go-gin go-echo; do
        [ -x "$servers_dir/go/$server" ] && targets="$targets $server"
    done
    [ -n "$targets" ] || { echo "loadgen_vs_wrk.sh: neither nginx nor a Go sample server found: run installer/deps.sh and make servers" >&2; exit 1; }
fi
for tool in $tools; do
    case "$tool" in
    ours|ours-sleep|wrk|h2load|oha) ;;
    *) echo "loadgen_vs_wrk.sh: unknown tool '$tool' in --tools (ours, ours-sleep, wrk, h2load, oha)" >&2; exit 2 ;;
    esac
done
if [ "$server_perf" -eq 1 ] && [ -n "$tools" ] && ! [[ " $tools " =~ \ (ours|ours-sleep|wrk)\  ]]; then
    echo "loadgen_vs_wrk.sh: --server-perf profiles ours, ours-sleep and wrk: name at least one of them in --tools" >&2; exit 2
fi
if [ -z "$tools" ]; then
    tools="ours ours-sleep wrk"
    if command -v h2load >/dev/null; then tools="$tools h2load"; else echo "note: h2load not found (installer/deps.sh installs nghttp2-client): skipped"; fi
    if [ -n "$oha_bin" ]; then tools="$tools oha"; else echo "note: oha not found (not in Debian; cargo install oha --locked): skipped"; fi
fi

work="$(mktemp -d)"
target_pid=""
stop_target() {
    if [ -n "$target_pid" ]; then
        kill "$target_pid" 2>/dev/null || true
        wait "$target_pid" 2>/dev/null || true
        target_pid=""
    fi
}
cleanup() {
    stop_target
    if [ -n "$raw_dir" ]; then
        mkdir -p "$raw_dir" && cp "$work"/results "$work"/shared "$work"/threads "$work"/syscalls "$work"/perfstat "$work"/serverperf "$raw_dir"/ 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts one target on the target CPU; sets url, target_name, target_pid.
start_target() {
    local name="$1" port
    port="$(free_port)"
    url="http://127.0.0.1:$port/json"
    case "$name" in
    nginx)
        [ -x "$nginx_bin" ] || { echo "loadgen_vs_wrk.sh: nginx not found: run installer/deps.sh" >&2; exit 1; }
        target_name="nginx ($nginx_bin), 1 worker, return 200 JSON"
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
    fixture)
        [ -x "$bin_dir/httpfixture" ] || { echo "loadgen_vs_wrk.sh: $bin_dir/httpfixture not built: build the httpfixture target" >&2; exit 1; }
        target_name="C++ fixture server ($bin_dir/httpfixture), 1 thread"
        taskset -c "$target_cpu" "$bin_dir/httpfixture" --mode normal --port "$port" >"$work/target.log" 2>&1 &
        target_pid=$!
        ;;
    go-*)
        local binary="$servers_dir/go/$name"
        [ -x "$binary" ] || { echo "loadgen_vs_wrk.sh: $binary not built: run make servers" >&2; exit 1; }
        target_name="$name sample server ($binary), GOMAXPROCS=1"
        HOST=127.0.0.1 PORT="$port" WORKERS=1 GOMAXPROCS=1 taskset -c "$target_cpu" "$binary" >"$work/target.log" 2>&1 &
        target_pid=$!
        ;;
    *)
        echo "loadgen_vs_wrk.sh: unknown target '$name' (nginx, go-nethttp, go-fiber, go-gin, go-echo, fixture)" >&2; exit 2 ;;
    esac
    for _ in $(seq 1 100); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    kill -0 "$target_pid" 2>/dev/null || { echo "loadgen_vs_wrk.sh: $name did not start:" >&2; cat "$work/target.log" >&2; exit 1; }
}

# The target's processes: its own and its children's (nginx's worker), every
# thread. "cpu": their CPU time so far, in ns, from schedstat; "comms": their
# process names, comma-separated.
target_tree() {
    python3 - "$1" "$target_pid" <<'PY'
import os, sys
def tree(pid):
    yield pid
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            for child in open(f'/proc/{pid}/task/{tid}/children').read().split():
                yield from tree(child)
        except OSError:
            pass
if sys.argv[1] == 'comms':
    print(','.join(sorted({open(f'/proc/{p}/comm').read().strip() for p in tree(sys.argv[2])})))
    sys.exit(0)
total = 0
for pid in tree(sys.argv[2]):
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            total += int(open(f'/proc/{pid}/task/{tid}/schedstat').read().split()[0])
    except OSError:
        pass
print(total)
PY
}

TIMEFORMAT='%U %S'
# Runs a command with its output in $work/out; writes its user and system CPU and
# its voluntary context switches (the times it slept) to $work/time.
timed() {
    python3 -c 'import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[3:], stdout=out, stderr=subprocess.STDOUT)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[2], "w").write(f"{u.ru_utime} {u.ru_stime} {u.ru_nvcsw}\n")' "$work/out" "$work/time" "$@"
}
# Runs one tool once; appends "target tool connections rps cpu_s requests p50_us p99_us starved
# server_busy server_cpu_s polling_s sleeps" to results (p50/p99 -1 where the tool does not report
# them; starved: ours only, else -1; server_busy: the target's CPU time over the tool's wall time,
# server_cpu_s: that CPU time; polling_s: ours only, the CPU it polled with nothing to do, else 0;
# sleeps: the tool's voluntary context switches).
run_tool() {
    local target="$1" tool="$2" c="$3" cpu_before wall_before
    cpu_before=$(target_tree cpu)
    wall_before=$(date +%s%N)
    case "$tool" in
    ours)
        timed taskset -c "$generator_cpu" "$ours" -t 1 -c "$c" -d "${duration}s" --json "$url" ;;
    ours-sleep)
        timed taskset -c "$generator_cpu" "$ours" --no-poll -t 1 -c "$c" -d "${duration}s" --json "$url" ;;
    wrk)
        timed taskset -c "$generator_cpu" wrk -t1 -c"$c" -d"${duration}s" --latency "$url" ;;
    h2load)
        timed taskset -c "$generator_cpu" h2load --h1 -t 1 -c "$c" -D "$duration" "$url" ;;
    oha)
        timed taskset -c "$generator_cpu" "$oha_bin" --no-tui --output-format json -c "$c" -z "${duration}s" "$url" ;;
    esac
    local wall_ns=$(($(date +%s%N) - wall_before)) server_ns=$(($(target_tree cpu) - cpu_before))
    python3 - "$target" "$tool" "$c" "$work/out" "$work/time" "$server_ns" "$wall_ns" >>"$work/results" <<'PY'
import json, re, sys
target, tool, c, out, tm = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4]).read(), open(sys.argv[5]).read().split()
server_s, wall_s = int(sys.argv[6]) / 1e9, int(sys.argv[7]) / 1e9
cpu = float(tm[0]) + float(tm[1])
sleeps = int(tm[2])
polling = 0.0
def us(text):
    m = re.match(r'([\d.]+)(us|ms|s)$', text)
    return float(m.group(1)) * {'us': 1, 'ms': 1e3, 's': 1e6}[m.group(2)]
p50 = p99 = -1.0
starved = -1
try:
    if tool in ('ours', 'ours-sleep'):
        s = json.loads(out.strip().splitlines()[-1])
        rps, requests = s['rps'], s['requests']
        polling = s['generator_cpu_s']['polling']
        p50, p99 = s['latency_us']['p50'], s['latency_us']['p99']
        # The generator says when it waited for a CPU other processes had: then
        # the machine's load, not the target, set the figures of every tool.
        starved = int('other processes' in s['saturation']['reason'])
        if sum(s['errors'].values()):
            print(f"# ours {target} c={c}: errors {s['errors']}", file=sys.stderr)
    elif tool == 'wrk':
        rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
        requests = int(re.search(r'(\d+) requests in', out).group(1))
        p50 = us(re.search(r'^\s+50%\s+(\S+)', out, re.M).group(1))
        p99 = us(re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1))
        errors = re.search(r'Socket errors: (.*)', out)
        if errors:
            print(f"# wrk {target} c={c}: socket errors {errors.group(1)}", file=sys.stderr)
    elif tool == 'h2load':
        rps = float(re.search(r'finished in [\d.]+\w*, ([\d.]+) req/s', out).group(1))
        requests = int(re.search(r'requests: \d+ total, \d+ started, (\d+) done', out).group(1))
    elif tool == 'oha':
        s = json.loads(out[out.index('{'):])
        rps = s['summary']['requestsPerSec']
        requests = round(rps * s['summary']['total'])
        p50 = s['latencyPercentiles']['p50'] * 1e6
        p99 = s['latencyPercentiles']['p99'] * 1e6
except Exception as e:
    print(f"# {tool} {target} c={c}: could not read its output ({e}): {out[-300:]!r}", file=sys.stderr)
    sys.exit(0)
print(target, tool, c, rps, cpu, requests, p50, p99, starved, server_s / wall_s, server_s, polling, sleeps)
PY
}

echo "generator: CPU $generator_cpu, 1 thread; ${duration}s per run, $rounds rounds, tools rotating: $tools"
echo "machine:   $(nproc) CPUs; load average at the start $(cut -d' ' -f1-3 /proc/loadavg) (shared: expect noise)"
: >"$work/results"
read -r -a tool_list <<<"$tools"
for target in $targets; do
    start_target "$target"
    echo "target:    $target_name on CPU $target_cpu, $url"
    for c in $connection_counts; do
        [ "$shared_only" -eq 0 ] || break
        for round in $(seq 1 "$rounds"); do
            # Rotate which tool goes first, so drift on the machine hits all of them.
            n=${#tool_list[@]}
            for k in $(seq 0 $((n - 1))); do
                run_tool "$target" "${tool_list[$(((k + round) % n))]}" "$c"
            done
            echo "  $target c=$c round $round: load $(cut -d' ' -f1 /proc/loadavg)"
        done
    done
    if [ "$target" != nginx ] && [ "$shared_table" -eq 1 ]; then
        # Ours and wrk at once, half the connections each, on the generator core:
        # the same server, the same moment, so the machine's drift hits both.
        # Ours with --no-poll: the question is think time, and on a core it
        # shares, ours would sleep as wrk does anyway (polling is for a core of
        # its own).
        for c in $connection_counts; do
            half=$((c / 2))
            for round in $(seq 1 "$rounds"); do
                # The one started first has the server to itself for a moment: alternate.
                if [ $((round % 2)) -eq 1 ]; then
                    taskset -c "$generator_cpu" "$ours" --no-poll -t 1 -c "$half" -d "${duration}s" --json "$url" >"$work/shared-ours" 2>&1 &
                    ours_pid=$!
                    taskset -c "$generator_cpu" wrk -t1 -c"$half" -d"${duration}s" "$url" >"$work/shared-wrk" 2>&1 &
                    wrk_pid=$!
                else
                    taskset -c "$generator_cpu" wrk -t1 -c"$half" -d"${duration}s" "$url" >"$work/shared-wrk" 2>&1 &
                    wrk_pid=$!
                    taskset -c "$generator_cpu" "$ours" --no-poll -t 1 -c "$half" -d "${duration}s" --json "$url" >"$work/shared-ours" 2>&1 &
                    ours_pid=$!
                fi
                wait "$ours_pid" "$wrk_pid" || true
                python3 - "$target" "$c" "$work/shared-ours" "$work/shared-wrk" >>"$work/shared" <<'PY'
import json, re, sys
target, c = sys.argv[1], sys.argv[2]
try:
    s = json.loads(open(sys.argv[3]).read().strip().splitlines()[-1])
    wrk = float(re.search(r'Requests/sec:\s+([\d.]+)', open(sys.argv[4]).read()).group(1))
    print(target, c, s['rps'], wrk, int(bool(s['saturation']['saturated'])))
except Exception as e:
    print(f"# shared {target} c={c}: could not read the outputs ({e})", file=sys.stderr)
PY
            done
        done
    fi
    if [ "$target" = nginx ] && [ "$threads_table" -eq 1 ]; then
        for c in $connection_counts; do
            for round in $(seq 1 "$rounds"); do
                for t in 1 2; do
                    { time taskset -c "$generator_cpu" "$ours" -t "$t" -c "$c" -d "${duration}s" --json "$url" >"$work/out" 2>&1; } 2>"$work/time"
                    python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); t=open(sys.argv[2]).read().split(); print("threads", sys.argv[3], sys.argv[4], s["rps"], float(t[0])+float(t[1])-s["generator_cpu_s"]["polling"], s["requests"])' "$work/out" "$work/time" "$t" "$c" >>"$work/threads"
                done
            done
        done
    fi
    if [ "$target" = nginx ] && [ "$syscalls_table" -eq 1 ]; then
        command -v strace >/dev/null || { echo "loadgen_vs_wrk.sh: --syscalls needs strace (apt-get install strace)" >&2; exit 1; }
        for c in $connection_counts; do
            # ours-sleep too: ours' own counts include its zero-timeout polls.
            for tool in ours ours-sleep wrk; do
                if [ "$tool" != wrk ]; then
                    idle=()
                    [ "$tool" = ours ] || idle=(--no-poll)
                    taskset -c "$generator_cpu" strace -c -f -o "$work/strace" "$ours" "${idle[@]}" -t 1 -c "$c" -d 3s --json "$url" >"$work/out" 2>&1
                    requests=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["requests"])' "$work/out")
                else
                    taskset -c "$generator_cpu" strace -c -f -o "$work/strace" wrk -t1 -c"$c" -d3s "$url" >"$work/out" 2>&1
                    requests=$(grep -oE '[0-9]+ requests in' "$work/out" | cut -d' ' -f1)
                fi
                python3 - "$tool" "$c" "$requests" "$work/strace" >>"$work/syscalls" <<'PY'
import sys
tool, c, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = {}
for line in open(sys.argv[4]):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != 'total':
        calls[f[-1]] = int(f[3])
total = sum(calls.values())
top = sorted(calls.items(), key=lambda kv: -kv[1])[:5]
print(f"{tool:>10} {c:>6} {total / requests:>8.2f}   " + ", ".join(f"{name} {n / requests:.2f}" for name, n in top))
PY
            done
        done
    fi
    if [ "$target" = nginx ] && [ "$perf_table" -eq 1 ]; then
        command -v perf >/dev/null || { echo "loadgen_vs_wrk.sh: --perf needs perf (apt-get install linux-perf)" >&2; exit 1; }
        # System calls counted by tracepoints where the kernel lets perf read them:
        # unlike strace they do not slow the tool, so the epoll waits per request
        # (how many events each wait returns) stay what they are at full speed.
        perf_events=task-clock,context-switches
        if perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1; then
            perf_events+=,raw_syscalls:sys_enter
            for call in epoll_wait epoll_pwait epoll_pwait2; do
                perf stat -e "syscalls:sys_enter_$call" true >/dev/null 2>&1 && perf_events+=",syscalls:sys_enter_$call"
            done
        fi
        for c in $connection_counts; do
            # ours-sleep too: ours' own counts include its zero-timeout polls.
            for tool in ours ours-sleep wrk; do
                if [ "$tool" != wrk ]; then
                    idle=()
                    [ "$tool" = ours ] || idle=(--no-poll)
                    taskset -c "$generator_cpu" perf stat -x, -e "$perf_events" -o "$work/perf" "$ours" "${idle[@]}" -t 1 -c "$c" -d 3s --json "$url" >"$work/out" 2>&1
                    requests=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["requests"])' "$work/out")
                else
                    taskset -c "$generator_cpu" perf stat -x, -e "$perf_events" -o "$work/perf" wrk -t1 -c"$c" -d3s "$url" >"$work/out" 2>&1
                    requests=$(grep -oE '[0-9]+ requests in' "$work/out" | cut -d' ' -f1)
                fi
                python3 - "$tool" "$c" "$requests" "$work/perf" >>"$work/perfstat" <<'PY'
import sys
tool, c, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
values = {}
for line in open(sys.argv[4]):
    f = line.strip().split(',')
    if len(f) >= 3 and f[0].replace('.', '', 1).isdigit():
        values[f[2]] = float(f[0])
calls = values.get('raw_syscalls:sys_enter', -requests)
waits = sum(v for k, v in values.items() if k.startswith('syscalls:sys_enter_epoll')) if calls >= 0 else -requests
print(f"{tool:>10} {c:>6} {values.get('task-clock', 0) * 1e3 / requests:>13.2f} {values.get('context-switches', 0) / requests:>16.4f}"
      f" {calls / requests:>13.2f} {waits / requests:>11.3f}")
PY
            done
        done
    fi
    if [ "$server_perf" -eq 1 ]; then
        command -v perf >/dev/null || { echo "loadgen_vs_wrk.sh: --server-perf needs perf (apt-get install linux-perf)" >&2; exit 1; }
        # The samples of its CPU that are the target's, not another process's.
        target_comms="$(target_tree comms)"
        for c in $connection_counts; do
            perf_tools=()
            for tool in ours ours-sleep wrk; do
                [[ " $tools " != *" $tool "* ]] || perf_tools+=("$tool")
            done
            for round in $(seq 1 "$rounds"); do
                # Rotated like the other tables, so the machine's drift hits every tool.
                for k in $(seq 0 $((${#perf_tools[@]} - 1))); do
                    tool="${perf_tools[$(((k + round) % ${#perf_tools[@]}))]}"
                    case "$tool" in
                    ours) cmd=("$ours" -t 1 -c "$c" -d "${duration}s" --json "$url") ;;
                    ours-sleep) cmd=("$ours" --no-poll -t 1 -c "$c" -d "${duration}s" --json "$url") ;;
                    wrk) cmd=(wrk -t1 -c"$c" -d"${duration}s" "$url") ;;
                    esac
                    perf record -q -C "$target_cpu" -e cpu-clock -g -o "$work/server.data" -- \
                        taskset -c "$generator_cpu" "${cmd[@]}" >"$work/out" 2>"$work/perf.log" \
                        || { echo "loadgen_vs_wrk.sh: --server-perf: perf record of $tool failed (perf or the tool): $(tail -1 "$work/perf.log")" >&2; exit 1; }
                    perf script -i "$work/server.data" -F comm,period,ip,sym 2>"$work/perf.log" >"$work/server.txt" \
                        || { echo "loadgen_vs_wrk.sh: --server-perf: perf script could not read the samples: $(tail -1 "$work/perf.log")" >&2; exit 1; }
                    python3 - "$target" "$tool" "$c" "$work/out" "$work/server.txt" "$target_comms" >>"$work/serverperf" <<'PY'
import json, re, sys
target, tool, c, out, comms = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4]).read(), set(sys.argv[6].split(','))
try:
    if tool == 'wrk':
        requests = int(re.search(r'(\d+) requests in', out).group(1))
    else:
        requests = json.loads(out.strip().splitlines()[-1])['requests']
except Exception as e:
    print(f"# server-perf {tool} {target} c={c}: could not read its output ({e}): {out[-300:]!r}", file=sys.stderr)
    sys.exit(0)
# Each sample: a header line (comm, period in ns) and its call chain, innermost
# first, one frame a line; a blank line ends it. A frame's symbol tells the
# kernel's part: perf script prints kernel symbols, and the target's own code
# (stripped Go binaries) as [unknown] or its own names, at user addresses.
parts = {'wake': 0, 'deliver': 0, 'kernel': 0, 'user': 0}
def account(comm, period, frames):
    if comm not in comms or not frames:
        return
    syms = [s for _, s in frames]
    if 'sock_def_readable' in syms:
        parts['wake'] += period
    elif 'tcp_v4_rcv' in syms:
        parts['deliver'] += period
    elif frames[0][0] >= 0xffff800000000000:
        parts['kernel'] += period
    else:
        parts['user'] += period
comm, period, frames = None, 0, []
for line in open(sys.argv[5], errors='replace'):
    if not line.strip():
        account(comm, period, frames)
        comm, frames = None, []
    elif line[0] in ' \t' and comm is not None:
        f = line.split()
        try:
            ip = int(f[0], 16)
        except ValueError:
            continue
        sym = f[1].split('+')[0] if len(f) > 1 else ''
        frames.append((ip, sym))
    else:
        m = re.match(r'\s*(.+?)\s+(\d+)\s*$', line.rstrip().rstrip(':').rsplit(' cpu-clock', 1)[0])
        if m:
            comm, period = m.group(1), int(m.group(2))
account(comm, period, frames)
us = lambda ns: ns / 1e3 / requests if requests else 0.0
print(target, tool, c, requests, ' '.join(f"{us(parts[k]):.3f}" for k in ('wake', 'deliver', 'kernel', 'user')))
PY
                done
            done
        done
        rm -f "$work/server.data" "$work/server.txt"
    fi
    stop_target
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -s "$work/results" ]; then
python3 - "$work/results" "$duration" "$tools" <<'PY'
import math, statistics, sys
duration, tools = float(sys.argv[2]), sys.argv[3].split()
runs = {}
for line in open(sys.argv[1]):
    target, tool, c, rps, cpu, req, p50, p99, starved, busy, server_cpu, polling, sleeps = line.split()
    # CPU: the working CPU, without ours' polling (time it had nothing to do).
    runs.setdefault((target, tool, int(c)), []).append((float(rps), float(cpu) - float(polling), int(req), float(p50),
                                                        float(p99), int(starved), float(busy), float(server_cpu),
                                                        float(polling), int(sleeps)))
med = lambda rs, f: statistics.median(f(r) for r in rs)
rps = lambda k: med(runs[k], lambda r: r[0])
cpu_us = lambda k: med(runs[k], lambda r: r[1] / r[2] * 1e6)   # working CPU µs per request
cpu_pct = lambda k: med(runs[k], lambda r: r[1] / duration * 100) # % of the generator core
conns = sorted({k[2] for k in runs})
targets = list(dict.fromkeys(k[0] for k in runs))
variants = [t for t in ('ours', 'ours-sleep') if t in tools]
cases = [(t, n, v) for t in targets for n in conns for v in variants]  # target, connections, ours variant

# Every (target, connections, variant of ours) run with wrk too, with both keys.
def compared():
    for target, c, v in cases:
        o, w = (target, v, c), (target, 'wrk', c)
        if o in runs and w in runs:
            yield target, c, v, o, w

# Student's t, two-sided 95 %, by degrees of freedom (beyond 30: 2.0).
T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23,
       12: 2.18, 15: 2.13, 20: 2.09, 25: 2.06, 30: 2.04}
def t95(df):
    return T95.get(df) or T95[max(k for k in T95 if k <= df)] if df <= 30 else 2.0

# Mean of values (geometric with log=True, for ratios) and its 95 % interval. The
# ratios are paired by round: each round runs both tools one after the other, so
# a round's ratio sees one moment of the machine.
def interval(values, log=False):
    xs = [math.log(v) for v in values] if log else list(values)
    m = statistics.mean(xs)
    half = t95(len(xs) - 1) * statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) >= 2 else float('nan')
    f = math.exp if log else (lambda v: v)
    return f(m), f(m - half), f(m + half)

if 'nginx' in targets:
    print()
    print("1. Generator-limited: nginx, one worker (req/s, CPU µs per request; medians)")
    print("   ours/wrk CPU per request: geometric mean of the rounds' paired ratios (95 %); goal <= 0.8")
    print("   ours' CPU is its working CPU: without the time it polled with nothing to do (printed below)")
    print(f"{'conns':>6} | " + " | ".join(f"{t:>18}" for t in tools) + " | ours/wrk CPU per req")
    for c in conns:
        cells = []
        for t in tools:
            k = ('nginx', t, c)
            cells.append(f"{rps(k) / 1000:>7.1f}k, {cpu_us(k):>5.2f} µs" if k in runs else f"{'-':>18}")
        # One line per variant of ours against wrk; the tools' cells on the first.
        for v in variants or ['ours']:
            o, w = ('nginx', v, c), ('nginx', 'wrk', c)
            if o in runs and w in runs:
                ratio, low, high = interval([a[1] / a[2] / (b[1] / b[2]) for a, b in zip(runs[o], runs[w])
                                             if a[1] > 0 and a[2] > 0 and b[1] > 0 and b[2] > 0], log=True)
                verdict = ("met" if high <= 0.8 else "not met" if low > 0.8 else "cannot tell") if not math.isnan(high) else "one round"
                # nginx's core nearly full under ours: nginx, not ours, set the pace, so
                # ours also paid for waiting on it (small batches per epoll wait).
                busy = med(runs[o], lambda r: r[6]) * 100
                if busy >= 95:
                    verdict += f"; nginx was {busy:.0f} % busy under {v}: nginx was the limit, not {v}"
                tail = f" | {v}/wrk {ratio:.2f} ({low:.2f}-{high:.2f}) {verdict}"
            else:
                tail = " | -"
            print(f"{c:>6} | " + " | ".join(cells) + tail)
            cells = [f"{'':>18}" for _ in tools]
    for c in conns:
        k = ('nginx', 'ours', c)
        if k in runs:
            polled = med(runs[k], lambda r: r[8] / r[2] * 1e6)
            print(f"   ours c={c}: polled {polled:.2f} µs per request with nothing to do; with it, "
                  f"{med(runs[k], lambda r: (r[1] + r[8]) / r[2] * 1e6):.2f} µs of CPU per request")

print()
print("2. Server-limited: req/s of ours (and ours-sleep) and wrk, and which side was the limit (generator CPU,")
print("   % of its core); ratio: median of the rounds' ours/wrk (each round runs both, one after the other); 95 %:")
print("   the interval of their geometric mean; server cv: how much wrk's own req/s varied from round to round")
print(f"{'target':>12} {'conns':>6} {'tool':>10} | {'ours':>9} {'wrk':>9} {'ratio':>6} {'95 %':>13} {'server cv':>9} | {'ours cpu':>8} {'wrk cpu':>8} | limit, verdict")
for target, c, v, o, w in compared():
    pairs = [a[0] / b[0] for a, b in zip(runs[o], runs[w]) if b[0] > 0]
    ratio = statistics.median(pairs)
    _, low, high = interval(pairs, log=True)
    wrk_rates = [r[0] for r in runs[w]]
    server_cv = statistics.stdev(wrk_rates) / statistics.mean(wrk_rates) if len(wrk_rates) >= 2 else float('nan')
    po, pw = cpu_pct(o), cpu_pct(w)
    starved = sum(r[5] == 1 for r in runs[o])
    if starved:
        verdict = f"machine: {v} waited for a CPU in {starved} of {len(runs[o])} rounds (load): not a fidelity figure"
    elif po < 90 and pw < 90:
        # Within +-3 % only when the whole interval is; outside only when the
        # whole interval is; else the server's own variation hides the answer.
        if 0.97 <= low and high <= 1.03:
            verdict = "server: ok (within 3 %)"
        elif high < 0.97 or low > 1.03:
            verdict = "server: OUTSIDE +-3 %"
        else:
            verdict = "server: cannot tell at +-3 % (the interval is wider: more or longer rounds)"
    elif po >= 90 and pw >= 90:
        verdict = "generator (both): not a fidelity figure"
    else:
        verdict = f"{v if po >= 90 else 'wrk'} at its limit: not a fidelity figure"
    span = f"{low:.3f}-{high:.3f}" if not math.isnan(low) else "-"
    print(f"{target:>12} {c:>6} {v:>10} | {rps(o):>9.0f} {rps(w):>9.0f} {ratio:>6.3f} {span:>13} {server_cv * 100:>8.1f}% | {po:>7.0f}% {pw:>7.0f}% | {verdict}")
print()
print("2b. What the server did under each tool (its threads' CPU time from schedstat, over the tool's wall time):")
print("   busy: % of its core, medians, and ours minus wrk, paired by round (95 %); a generator that holds the")
print("   server back leaves it idle. CPU per request: the server's µs per request completed, ours/wrk paired (95 %):")
print("   above 1, the server works harder for each of ours (e.g. fewer requests per wake-up). sleeps: the")
print("   generators' sleeps per request (voluntary context switches); the server's CPU wakes a sleeping one.")
print(f"{'target':>12} {'conns':>6} {'tool':>10} | {'busy ours':>9} {'wrk':>6} {'ours-wrk':>16} | {'server µs/req ours':>18} {'wrk':>6} {'ours/wrk':>8} {'95 %':>13} | {'sleeps ours':>11} {'wrk':>5}")
for target, c, v, o, w in compared():
    pairs = list(zip(runs[o], runs[w]))
    d, dl, dh = interval([(a[6] - b[6]) * 100 for a, b in pairs])
    per = lambda r: r[7] / r[2] * 1e6
    q, ql, qh = interval([per(a) / per(b) for a, b in pairs if per(b) > 0], log=True)
    sleeps = lambda r: r[9] / r[2]
    print(f"{target:>12} {c:>6} {v:>10} | {med(runs[o], lambda r: r[6]) * 100:>8.1f}% {med(runs[w], lambda r: r[6]) * 100:>5.1f}% "
          f"{d:>+6.1f} ({dl:+.1f}..{dh:+.1f}) | {med(runs[o], per):>18.2f} {med(runs[w], per):>6.2f} {q:>8.3f} {ql:.3f}-{qh:.3f}"
          f" | {med(runs[o], sleeps):>11.3f} {med(runs[w], sleeps):>5.3f}")
print()
print("medians of the rounds; CPU is user+system of the whole tool process (getrusage), the same for every tool")
print("(ours: without its polling, as above);")
print("latency p50/p99 (µs, medians) where the tool reports them:")
for target in targets:
    for c in conns:
        parts = []
        for t in tools:
            k = (target, t, c)
            if k in runs and med(runs[k], lambda r: r[3]) >= 0:
                parts.append(f"{t} {med(runs[k], lambda r: r[3]):.0f}/{med(runs[k], lambda r: r[4]):.0f}")
        print(f"  {target} c={c}: " + ", ".join(parts))
PY
fi

if [ -s "$work/threads" ]; then
    python3 - "$work/threads" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    _, t, c, rps, cpu, req = line.split()
    runs.setdefault((int(t), int(c)), []).append((float(rps), float(cpu) / int(req) * 1e6))
print()
print("3. Threads: ours -t 1 and -t 2, both on the generator core, against nginx (req/s, CPU µs per request)")
for c in sorted({k[1] for k in runs}):
    one, two = runs[(1, c)], runs[(2, c)]
    m = lambda rs, i: statistics.median(r[i] for r in rs)
    print(f"  c={c}: -t 1 {m(one, 0):.0f} req/s, {m(one, 1):.2f} µs; -t 2 {m(two, 0):.0f} req/s, {m(two, 1):.2f} µs; "
          f"-t 2 / -t 1: req/s {m(two, 0) / m(one, 0):.3f}, CPU per request {m(two, 1) / m(one, 1):.3f}")
PY
fi
if [ -s "$work/shared" ]; then
    python3 - "$work/shared" <<'PY'
import math, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    target, c, ours, wrk, saturated = line.split()
    runs.setdefault((target, int(c)), []).append((float(ours), float(wrk), int(saturated)))
print()
print("2c. Both at once: ours and wrk each with half the connections, together on the generator core, against")
print("    one server: the same moment for both, so the machine's drift cancels. A generator that adds think time")
print("    per request gets less than half the answers. ratio: ours/wrk req/s, geometric mean of the rounds (95 %)")
for (target, c), rs in runs.items():
    logs = [math.log(o / w) for o, w, _ in rs if o > 0 and w > 0]
    if not logs:
        continue
    m = statistics.mean(logs)
    # Student's t, two-sided 95 %, by degrees of freedom (beyond 15: about 2.1, beyond 30: 2.0).
    df = len(logs) - 1
    t = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23}.get(
        df, 2.2 if df <= 15 else 2.1 if df <= 30 else 2.0)
    half = t * statistics.stdev(logs) / math.sqrt(len(logs)) if len(logs) >= 2 else float('nan')
    low, high = math.exp(m - half), math.exp(m + half)
    verdict = ("ok (within 3 %)" if 0.97 <= low and high <= 1.03 else
               "OUTSIDE +-3 %" if high < 0.97 or low > 1.03 else "cannot tell at +-3 %")
    sat = sum(r[2] for r in rs)
    note = f"; ours saturated in {sat} of {len(rs)}" if sat else ""
    print(f"  {target:>12} c={c:<5} ({c // 2} + {c // 2}): ours {statistics.median(r[0] for r in rs):>8.0f}, "
          f"wrk {statistics.median(r[1] for r in rs):>8.0f} req/s, ratio {math.exp(m):.3f} ({low:.3f}-{high:.3f}): {verdict}{note}")
PY
fi
if [ -s "$work/serverperf" ]; then
    python3 - "$work/serverperf" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    target, tool, c, requests, *parts = line.split()
    runs.setdefault((target, int(c)), {}).setdefault(tool, []).append([float(p) for p in parts])
names = ('waking it', 'delivering', 'kernel rest', 'own code')
print()
print("2d. Where the target's CPU goes per request under each tool (perf record on its CPU, cpu-clock, call")
print("    chains; µs per request completed, medians of the rounds). waking it: its socket's readiness callback")
print("    and, when the generator sleeps, its wake-up; delivering: the loopback receive path into the")
print("    generator's sockets, which runs on the sender's CPU; kernel rest: the target's own system calls and")
print("    scheduling; own code: the target's user space. 'ours - wrk': the difference.")
print(f"{'target':>12} {'conns':>6} {'tool':>16} | {'total':>6} | " + " ".join(f"{n:>11}" for n in names))
for (target, c), tools in runs.items():
    order = [t for t in ('ours', 'ours-sleep', 'wrk') if t in tools]
    meds = {t: [statistics.median(r[i] for r in tools[t]) for i in range(len(names))] for t in order}
    for t, m in meds.items():
        print(f"{target:>12} {c:>6} {t:>16} | {sum(m):>6.2f} | " + " ".join(f"{v:>11.2f}" for v in m))
    if 'wrk' in meds:
        for t, m in meds.items():
            if t != 'wrk':
                d = [a - b for a, b in zip(m, meds['wrk'])]
                print(f"{'':>12} {'':>6} {t + ' - wrk':>16} | {sum(d):>+6.2f} | " + " ".join(f"{v:>+11.2f}" for v in d))
PY
fi
if [ -s "$work/syscalls" ]; then
    echo
    echo "4. System calls per request against nginx (strace -c -f, 3 s; strace slows the tools, the calls per request stay)"
    echo "      tool  conns  per req   the most frequent, per request"
    cat "$work/syscalls"
fi
if [ -s "$work/perfstat" ]; then
    echo
    echo "   perf stat (software events only on this machine), per request:"
    echo "   (system calls and epoll waits from tracepoints, at full speed; -1: the kernel does not let perf read them)"
    echo "      tool  conns task-clock µs context switches  system calls epoll waits"
    cat "$work/perfstat"
fi
