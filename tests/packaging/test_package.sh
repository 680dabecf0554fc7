#!/usr/bin/env bash
# The Debian package as a user meets it: builds the .deb with cpack from the
# build folder, checks its control fields and file list, validates the .desktop
# file and the AppStream metainfo, installs it with dpkg into a private root
# (--root: the machine's own dpkg database is not touched), runs the installed
# stackadvisor from there with no STACKADVISOR_* variable (version, server list,
# a one-second benchmark of the Go server it ships, with the PDF report), prepares
# the Python and Node servers with `stackadvisor servers setup` and checks the
# catalog then finds them in the user's data folder, and purges the package:
# nothing may be left behind.
#
#   tests/packaging/test_package.sh BUILD_DIR
#
# Needs the servers built (make servers) and dpkg-dev, desktop-file-utils,
# appstream, help2man (installer/deps.sh installs them).
set -euo pipefail

build=${1:?usage: test_package.sh BUILD_DIR}
build=$(cd "$build" && pwd)
tmp=$(mktemp -d /tmp/stackadvisor-package.XXXXXX)
root=$tmp/root

# The pids of the processes whose command line names DIR, other than this shell
# (read with builtins: a grep would find itself).
processes_under() {
    local file pid args
    for file in /proc/[0-9]*/cmdline; do
        pid=${file#/proc/}
        pid=${pid%/cmdline}
        [[ $pid == "$$" ]] && continue
        mapfile -d '' args < "$file" 2>/dev/null || continue
        [[ "${args[*]}" == *"$1"* ]] && printf '%s\n' "$pid"
    done
    return 0
}

# The pids of the processes running PROGRAM itself (argv[0]), not a wrapper that
# merely names it.
processes_running() {
    local file pid args
    for file in /proc/[0-9]*/cmdline; do
        pid=${file#/proc/}
        pid=${pid%/cmdline}
        mapfile -d '' args < "$file" 2>/dev/null || continue
        [[ "${args[0]:-}" == "$1" ]] && printf '%s\n' "$pid"
    done
    return 0
}

# Every process this test started runs from $tmp (the installed binaries, the
# servers, the prepared venvs): end those, by pid, whatever way the test ends.
cleanup() {
    local pid
    for pid in $(processes_under "$tmp"); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# (grep -q reads here-strings, not pipes: with pipefail, a writer cut short by
# grep's early exit would fail the test.)
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '== %s (at %d s)\n' "$*" "$SECONDS"; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed: run installer/deps.sh (it installs $2)"; }
need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need python3 python3

app_id=io.github.stackadvisor.StackAdvisor
built_servers=${STACKADVISOR_SERVERS_DIR:-$build/servers}
[[ -f $built_servers/manifest.json ]] ||
    fail "the sample servers are not built ($built_servers/manifest.json is missing): run make servers"

# --------------------------------------------------------------- the package
step "cpack -G DEB"
if ! (cd "$build" && cpack -G DEB -B "$tmp/out" --config CPackConfig.cmake) > "$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    fail "cpack could not build the package (its output is above)"
fi
debs=("$tmp"/out/stackadvisor_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one stackadvisor_*.deb in $tmp/out, found: ${debs[*]}"
deb=${debs[0]}
printf 'package: %s (%s KiB)\n' "$(basename "$deb")" "$(( $(stat -c %s "$deb") / 1024 ))"

step "control fields"
field() { dpkg-deb -f "$deb" "$1"; }
version=$("$build/bin/stackadvisor" --version | awk '{print $2}')
[[ $(field Package) == stackadvisor ]] || fail "Package is '$(field Package)', expected stackadvisor"
[[ $(field Version) == "$version" ]] || fail "Version is '$(field Version)', the app says $version"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture is '$(field Architecture)'"
for name in Maintainer Description Section Homepage Installed-Size; do
    [[ -n $(field "$name") ]] || fail "control field $name is empty"
done
depends=$(field Depends)
recommends=$(field Recommends)
printf 'Depends: %s\nRecommends: %s\n' "$depends" "$recommends"
names() { sed -E 's/\([^)]*\)//g; s/[,|]/\n/g' <<<"$1" | tr -d ' ' | grep -v '^$'; }
# Linked libraries (from dpkg-shlibdeps) and the plugins Qt loads at run time.
for package in libc6 libstdc++6 libqt6core6 libqt6network6 libqt6sql6 libqt6gui6 libqt6widgets6 \
    libqt6charts6 libqt6sql6-sqlite qt6-qpa-plugins; do
    grep -qxF "$package" <<<"$(names "$depends")" || fail "Depends lacks $package: $depends"
done
for package in python3 python3-venv python3-pip nodejs npm; do
    grep -qxF "$package" <<<"$(names "$recommends")" || fail "Recommends lacks $package: $recommends"
done
# Every name in them is a real Debian package (no typo ships).
known=$(apt-cache show --no-all-versions $(names "$depends, $recommends") 2>/dev/null | awk '/^Package:/ {print $2}')
for package in $(names "$depends, $recommends"); do
    grep -qxF "$package" <<<"$known" || fail "'$package' (Depends/Recommends) is not a package apt knows"
done

step "file list"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$tmp/files"
share=/usr/share/stackadvisor
for path in /usr/bin/stackadvisor /usr/bin/stackadvisor-load \
    "/usr/share/applications/$app_id.desktop" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    "/usr/share/metainfo/$app_id.metainfo.xml" \
    /usr/share/man/man1/stackadvisor.1.gz /usr/share/man/man1/stackadvisor-load.1.gz \
    $share/resources/servers.json $share/resources/advisor/decision-table.json \
    $share/resources/advisor/questionnaire.json $share/resources/claims/article-2026.json \
    $share/servers/manifest.json $share/servers/build.sh $share/servers/footprint.py \
    $share/servers/go/go-gin $share/servers/go/go-fiber $share/servers/go/go-echo $share/servers/go/go-nethttp \
    $share/servers/python-common/env.sh \
    $share/servers/python-fastapi/requirements.txt $share/servers/python-django/app.py \
    $share/servers/python-flask/serve.sh $share/servers/node-express/package-lock.json \
    $share/servers/node-express/server.js; do
    grep -qxF "$path" "$tmp/files" || fail "the package lacks $path"
done
# Nothing built for this machine's Python or Node, nothing outside /usr.
if grep -E '/venv/|/node_modules/|__pycache__|\.pyc$|/\.stamps/' "$tmp/files"; then
    fail "the package ships the build machine's venvs, node_modules or caches (listed above)"
fi
if grep -vE '^/usr(/|$)' "$tmp/files" | grep -v '^/$'; then
    fail "the package installs outside /usr (listed above)"
fi

# ------------------------------------------------------- install into a root
step "dpkg --root install"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
# --force-depends: the private root's database knows no Qt; the machine has it.
dpkg --root="$root" --force-depends --force-not-root --log=/dev/null -i "$deb" > "$tmp/dpkg.log" 2>&1 ||
    { cat "$tmp/dpkg.log" >&2; fail "dpkg could not install the package"; }

step "desktop file, metainfo, icon, man page"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" ||
    fail "desktop-file-validate rejects $app_id.desktop (messages above)"
grep -qx 'Exec=stackadvisor' "$root/usr/share/applications/$app_id.desktop" || fail "the .desktop file does not start stackadvisor"
grep -qx "Icon=$app_id" "$root/usr/share/applications/$app_id.desktop" || fail "the .desktop file's Icon is not $app_id"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "appstreamcli rejects the metainfo (messages above)"
grep -q '<caption>' "$root/usr/share/metainfo/$app_id.metainfo.xml" || fail "the metainfo's screenshots have no captions"
grep -q '<svg' "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg" || fail "the icon is not an SVG file"
man=$(zcat "$root/usr/share/man/man1/stackadvisor.1.gz")
for text in '^\.TH STACKADVISOR' 'servers' 'bench' 'advise' '^\.SH FILES' 'stackadvisor servers setup'; do
    grep -q -- "$text" <<<"$man" || fail "the man page lacks '$text'"
done
grep -q 'statically linked' <<<"$(file "$root$share/servers/go/go-nethttp")" || fail "go-nethttp is not a static binary"

# ------------------------------------------------- run the installed app
step "run the installed app"
# As a user would: no STACKADVISOR_* variable (ctest sets some), a fresh home for
# data and settings; the pip and npm caches stay, so setup does not re-download.
run() {
    env -u STACKADVISOR_SERVERS_DIR -u STACKADVISOR_RESOURCES_DIR -u STACKADVISOR_USER_CATALOG \
        -u STACKADVISOR_SOURCE_DIR -u STACKADVISOR_BIN_DIR \
        XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" QT_QPA_PLATFORM=offscreen \
        "$root/usr/bin/stackadvisor" "$@"
}
[[ $(run --version) == "stackadvisor $version" ]] || fail "installed stackadvisor --version says '$(run --version)'"

run servers --json > "$tmp/servers.json" || fail "installed 'stackadvisor servers --json' failed"
run servers | tee "$tmp/servers.txt"
user_servers=$tmp/data/StackAdvisor/stackadvisor/servers
python3 - "$tmp/servers.json" "$root" <<'EOF' || fail "the installed server list is wrong (see above)"
import json, sys
listing, root = json.load(open(sys.argv[1])), sys.argv[2]
share = root + "/usr/share/stackadvisor"
problems = []
if listing["serversDir"] != share + "/servers":
    problems.append("serversDir is %s, expected %s/servers" % (listing["serversDir"], share))
if listing["catalog"] != share + "/resources/servers.json":
    problems.append("catalog is %s" % listing["catalog"])
servers = {s["id"]: s for s in listing["servers"]}
for id in ("go-gin", "go-fiber", "go-echo", "go-nethttp"):
    if not servers.get(id, {}).get("available"):
        problems.append("%s is not available: %s" % (id, servers.get(id)))
for id in ("python-fastapi", "python-django", "python-flask", "node-express"):
    entry = servers.get(id, {})
    if entry.get("available"):
        problems.append("%s is available before setup" % id)
    elif "stackadvisor servers setup" not in entry.get("fix", ""):
        problems.append("%s: the fix does not say `stackadvisor servers setup`: %s" % (id, entry.get("fix")))
print("\n".join(problems), file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

step "the menu entry starts the desktop app"
need xvfb-run xvfb
exec_line=$(sed -n 's/^Exec=//p' "$root/usr/share/applications/$app_id.desktop")
[[ $exec_line == stackadvisor ]] || fail "unexpected Exec line '$exec_line'"
# What the menu runs, resolved in the private root instead of on PATH; under a
# virtual display (its Xauthority in $tmp, so that cleanup() finds the Xvfb
# too). It must come up and stay up until asked to quit.
env -u STACKADVISOR_SERVERS_DIR -u STACKADVISOR_RESOURCES_DIR -u QT_QPA_PLATFORM \
    XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    xvfb-run -a -f "$tmp/xauthority" "$root/usr/bin/$exec_line" > "$tmp/gui.log" 2>&1 &
gui_runner=$!
gui=""
for _ in $(seq 50); do
    gui=$(processes_running "$root/usr/bin/stackadvisor")
    [[ -n $gui ]] && break
    sleep 0.1
done
[[ -n $gui ]] || { cat "$tmp/gui.log"; fail "the desktop app did not start"; }
sleep 3
kill -0 $gui 2>/dev/null || { cat "$tmp/gui.log"; fail "the desktop app quit on its own within 3 s"; }
kill -TERM $gui
wait "$gui_runner" || true
if grep -Ei 'could not (load|connect)|platform plugin|fatal|segmentation' "$tmp/gui.log"; then
    fail "the desktop app complained at start (above)"
fi

step "one-second benchmark of go-nethttp from the installed files"
bench=(bench --targets go-nethttp --rounds 1 --duration 1s --warmup 200ms --connections 16 --no-save --json "$tmp/run.json")
with_pdf=false
if grep -q -- '--pdf' <<<"$(run bench --help)"; then
    bench+=(--pdf "$tmp/report.pdf")
    with_pdf=true
fi
run "${bench[@]}" > "$tmp/bench.txt" 2> "$tmp/bench.err" ||
    { cat "$tmp/bench.txt" "$tmp/bench.err" >&2; fail "the installed 'stackadvisor ${bench[*]}' failed"; }
python3 - "$tmp/run.json" <<'EOF' || fail "the benchmark run of the installed app measured nothing"
import json, sys
text = open(sys.argv[1]).read()
run = json.loads(text)
def find_requests(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("requests", "totalRequests", "completedRequests") and isinstance(value, (int, float)):
                yield value
            else:
                yield from find_requests(value)
    elif isinstance(node, list):
        for value in node:
            yield from find_requests(value)
counts = list(find_requests(run))
ok = "go-nethttp" in text and counts and max(counts) > 0
print("requests measured: %s" % counts)
sys.exit(0 if ok else 1)
EOF
if $with_pdf; then
    [[ $(head -c 5 "$tmp/report.pdf") == "%PDF-" ]] || fail "--pdf did not write a PDF"
    if command -v pdftotext >/dev/null 2>&1; then
        grep -q 'net/http' <<<"$(pdftotext "$tmp/report.pdf" -)" || fail "the PDF report does not mention go-nethttp"
    fi
    echo "PDF report: $(stat -c %s "$tmp/report.pdf") bytes"
else
    echo "NOTE: this build's bench has no --pdf yet; the PDF part was not checked"
fi

# --------------------------------------------- Python and Node on first use
step "stackadvisor servers setup (bad input and missing tools)"
status=0; run servers setup --only ruby > /dev/null 2> "$tmp/err" || status=$?
[[ $status -eq 2 ]] && grep -q 'python or node' "$tmp/err" || fail "--only ruby: exit $status, $(cat "$tmp/err")"
status=0; NPM=/nonexistent/npm run servers setup --only node --dir "$tmp/nonpm" > "$tmp/out.txt" 2>&1 || status=$?
[[ $status -eq 1 ]] && grep -q 'npm is not installed.*apt install npm' "$tmp/out.txt" ||
    { cat "$tmp/out.txt"; fail "without npm: exit $status and no clear message"; }
status=0; PYTHON=/nonexistent/python3 run servers setup --only python --dir "$tmp/nopython" > "$tmp/out.txt" 2>&1 || status=$?
[[ $status -eq 1 ]] && grep -q 'Python 3 is not installed.*apt install python3' "$tmp/out.txt" ||
    { cat "$tmp/out.txt"; fail "without Python: exit $status and no clear message"; }

step "stackadvisor servers setup (registry unreachable)"
status=0
npm_config_registry=http://127.0.0.1:9/ npm_config_cache="$tmp/npm-cache" npm_config_fetch_retries=0 \
    run servers setup --only node --dir "$tmp/offline" > "$tmp/out.txt" 2>&1 || status=$?
[[ $status -eq 1 ]] && grep -q 'network seems unreachable: npm' "$tmp/out.txt" ||
    { cat "$tmp/out.txt"; fail "npm registry unreachable: exit $status and no clear message"; }
status=0
PIP_INDEX_URL=http://127.0.0.1:9/simple PIP_RETRIES=0 PIP_TIMEOUT=2 PIP_NO_CACHE_DIR=1 \
    run servers setup --only python --dir "$tmp/offline" > "$tmp/out.txt" 2>&1 || status=$?
[[ $status -eq 1 ]] && grep -q 'network seems unreachable: pip' "$tmp/out.txt" ||
    { cat "$tmp/out.txt"; fail "PyPI unreachable: exit $status and no clear message"; }

step "stackadvisor servers setup (for real, into the user's data folder)"
started=$SECONDS
run servers setup > "$tmp/setup.txt" 2>&1 || { cat "$tmp/setup.txt"; fail "stackadvisor servers setup failed"; }
tail -n 3 "$tmp/setup.txt"
echo "setup took $((SECONDS - started)) s"
run servers --json > "$tmp/servers.json"
python3 - "$tmp/servers.json" "$user_servers" <<'EOF' || fail "after setup the catalog does not find the prepared servers"
import json, sys
listing, prepared = json.load(open(sys.argv[1])), sys.argv[2]
servers = {s["id"]: s for s in listing["servers"]}
bad = [id for id in ("python-fastapi", "python-django", "python-flask", "node-express", "go-nethttp")
       if not servers[id]["available"]]
print("not available after setup: %s" % bad if bad else "all eight servers available", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
[[ -x $user_servers/python-fastapi/venv/bin/python && -f $user_servers/node-express/node_modules/express/package.json ]] ||
    fail "setup did not put the venvs and node_modules in $user_servers"
# Quick the second time: everything is up to date.
started=$SECONDS
run servers setup > "$tmp/setup.txt" 2>&1 || { cat "$tmp/setup.txt"; fail "a second setup failed"; }
(( SECONDS - started < 30 )) || fail "a second setup with nothing changed took $((SECONDS - started)) s"
run bench --targets python-fastapi --rounds 1 --duration 1s --warmup 200ms --connections 8 --no-save > "$tmp/bench.txt" 2>&1 ||
    { cat "$tmp/bench.txt"; fail "benchmarking the prepared python-fastapi failed"; }

# --------------------------------------------------------------- uninstall
step "dpkg --purge leaves nothing behind"
dpkg --root="$root" --force-not-root --log=/dev/null --purge stackadvisor > "$tmp/dpkg.log" 2>&1 ||
    { cat "$tmp/dpkg.log" >&2; fail "dpkg could not purge the package"; }
left=$(cd "$root" && find . -mindepth 1 -not -path './var' -not -path './var/lib' -not -path './var/lib/dpkg' \
    -not -path './var/lib/dpkg/*')
[[ -z $left ]] || fail "purging left files behind: $left"
left=$(processes_under "$root")
[[ -z $left ]] || fail "processes from the installed files are still running: $(ps -o pid=,args= -p "${left//$'\n'/,}")"
echo "PASS"
