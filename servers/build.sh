#!/usr/bin/env bash
# Builds the eight sample servers of servers/CONTRACT.md into one folder:
#
#   servers/build.sh [OUT]      OUT defaults to <repo>/build/servers; a relative
#                               OUT is taken from the current directory
#
#   OUT/go/<id>                 go-gin, go-fiber, go-echo, go-nethttp: static binaries
#   OUT/<id>/serve.sh           python-fastapi, python-django, python-flask: the
#   OUT/<id>/venv, OUT/<id>/app   launcher, its own venv, the app's code
#   OUT/node-express/server.js  node-express with its node_modules (npm ci)
#   OUT/manifest.json           readiness, versions and footprint of every server
#   OUT/.stamps/                what each server was last built from
#
# Each server is rebuilt only when what it is built from changed (sources,
# lockfiles, toolchain version, this script), so a rerun with nothing changed
# takes about a second. A missing toolchain skips its family with a line saying
# what to install (exit status 0, the manifest says why those servers are not
# ready); a build that was attempted and failed makes the exit status 1.
#
# Environment: GO, PYTHON, NODE, NPM override the toolchains found on PATH.
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$src")
if [[ $# -gt 1 || "${1:-}" == -* ]]; then
    echo "usage: servers/build.sh [OUT]   (OUT defaults to $repo/build/servers)" >&2
    exit 2
fi
out=${1:-$repo/build/servers}
mkdir -p "$out/.stamps" || { echo "servers: cannot create $out" >&2; exit 2; }
out=$(cd "$out" && pwd)
# One build at a time per folder (make servers from two shells, the app's setup).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$out/.lock"
    flock -n 9 || { echo "servers: another build.sh is writing $out; waiting for it" >&2; flock 9; }
fi

GO_IDS=(go-gin go-fiber go-echo go-nethttp)
PY_IDS=(python-fastapi python-django python-flask)
NODE_IDS=(node-express)
ALL_IDS=("${GO_IDS[@]}" "${PY_IDS[@]}" "${NODE_IDS[@]}")
declare -A FRAMEWORK=(
    [go-gin]=gin [go-fiber]=fiber [go-echo]=echo [go-nethttp]=net/http
    [python-fastapi]=fastapi [python-django]=django [python-flask]=flask
    [node-express]=express
)
# Module path (Go) or distribution name (Python) that carries the framework's version.
declare -A PACKAGE=(
    [go-gin]=github.com/gin-gonic/gin [go-fiber]=github.com/gofiber/fiber/v2
    [go-echo]=github.com/labstack/echo/v5
    [python-fastapi]=fastapi [python-django]=Django [python-flask]=Flask
)
# The WSGI/ASGI server, the database driver and the template engine beside
# each Python framework, also recorded.
declare -A PY_SERVER=(
    [python-fastapi]="uvicorn uvloop httptools asyncpg Jinja2"
    [python-django]="gunicorn psycopg psycopg-binary"
    [python-flask]="gunicorn psycopg psycopg-binary psycopg-pool Jinja2"
)
# The Go servers' other pinned parts recorded in the manifest: the database
# driver (and Fiber's template engine).
GO_COMPONENTS=(github.com/jackc/pgx/v5 github.com/gofiber/template/html/v2)
# The Node server's: its database driver and template engine.
NODE_COMPONENTS=(pg pug)

MIN_PYTHON=3.10   # Django 5.2 and the pinned wheels
MIN_NODE=18       # Express 5

declare -A READY=() REASON=()
failed=0
say() { printf 'servers: %s\n' "$*"; }

json_escape() {
    local s=$1
    s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}
    printf '%s' "$s"
}

version_at_least() {  # version_at_least HAVE NEED
    [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

# The stamp of a server: a hash of everything its build depends on.
stamp_of() {  # stamp_of TOOLCHAIN_VERSION FILE...
    { printf '%s\n' "$1"; shift; sha256sum "$src/build.sh" "$@"; } | sha256sum | cut -d' ' -f1
}

up_to_date() {  # up_to_date ID STAMP ARTIFACT
    [[ -e "$3" && -f "$out/.stamps/$1" && -f "$out/.stamps/$1.json" \
        && "$(cat "$out/.stamps/$1")" == "$2" ]]
}

# Records a built server: its manifest entry, then its stamp (last, so that an
# interrupted build never looks up to date).
record() {  # record ID STAMP FRAMEWORK_VERSION RUNTIME_VERSION BYTES WHAT PARTS_JSON COMPONENTS_JSON
    local id=$1
    printf '{"ready": true, "reason": "", "framework": "%s", "frameworkVersion": "%s", "runtimeVersion": "%s", "footprintBytes": %s, "footprintWhat": "%s", "footprintParts": %s, "components": %s}' \
        "$(json_escape "${FRAMEWORK[$id]}")" "$(json_escape "$3")" "$(json_escape "$4")" "$5" \
        "$(json_escape "$6")" "$7" "$8" > "$out/.stamps/$id.json.tmp" &&
        mv "$out/.stamps/$id.json.tmp" "$out/.stamps/$id.json" &&
        printf '%s\n' "$2" > "$out/.stamps/$id"
}

forget() { rm -f "$out/.stamps/$1" "$out/.stamps/$1.json"; }

not_ready() {  # not_ready ID REASON
    READY[$1]=false
    REASON[$1]=$2
}

build_failed() {  # build_failed ID WHAT
    forget "$1"
    not_ready "$1" "build failed: $2; run servers/build.sh and read its messages"
    say "$1: FAILED: $2"
    failed=1
}

tree_bytes() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

# ---------------------------------------------------------------- Go
find_go() {
    if [[ -n "${GO:-}" ]]; then printf '%s' "$GO"
    elif command -v go >/dev/null 2>&1; then command -v go
    elif [[ -x /usr/local/go/bin/go ]]; then printf '%s' /usr/local/go/bin/go
    fi
}

build_go() {
    local go need have
    go=$(find_go)
    need=$(awk '$1 == "go" {print $2; exit}' "$src/go.mod")
    if [[ -n "$go" ]] && ! command -v "$go" >/dev/null 2>&1; then
        for id in "${GO_IDS[@]}"; do
            not_ready "$id" "Go not found at GO=$go: install Go >= $need or point GO at it, then run make servers"
        done
        say "Go: $go not found: install Go >= $need; skipping ${GO_IDS[*]}"
        return
    fi
    if [[ -z "$go" ]]; then
        for id in "${GO_IDS[@]}"; do
            not_ready "$id" "Go not found: install Go >= $need (https://go.dev/dl, into /usr/local/go) or set GO=/path/to/go, then run make servers"
        done
        say "Go: not found (looked on PATH and in /usr/local/go/bin): install Go >= $need; skipping ${GO_IDS[*]}"
        return
    fi
    if ! have=$("$go" env GOVERSION 2>/dev/null) || [[ -z "$have" ]]; then
        for id in "${GO_IDS[@]}"; do
            not_ready "$id" "Go at $go does not run ('go env GOVERSION' failed): install Go >= $need, then run make servers"
        done
        say "Go: $go does not run; install Go >= $need; skipping ${GO_IDS[*]}"
        return
    fi
    if ! version_at_least "${have#go}" "$need"; then
        for id in "${GO_IDS[@]}"; do
            not_ready "$id" "Go ${have#go} at $go is too old: install Go >= $need, then run make servers"
        done
        say "Go: $go is ${have:-unusable}, the servers need Go >= $need; skipping ${GO_IDS[*]}"
        return
    fi
    mkdir -p "$out/go"
    # Only the module proxy and the committed go.sum; never a newer toolchain
    # download, never a go.mod rewrite.
    export GOFLAGS=-mod=readonly GOTOOLCHAIN=local CGO_ENABLED=0
    local id bin stamp size fwv components module v
    for id in "${GO_IDS[@]}"; do
        bin="$out/go/$id"
        stamp=$(stamp_of "$have" "$src/go.mod" "$src/go.sum" "$src"/internal/contract/* "$src/$id"/*.go)
        if ! up_to_date "$id" "$stamp" "$bin"; then
            say "$id: building with $have"
            forget "$id"
            if ! (cd "$src" && "$go" build -trimpath -ldflags "-s -w" -o "$bin.tmp" "./$id") >&2; then
                rm -f "$bin.tmp"
                build_failed "$id" "go build ./$id"
                continue
            fi
            mv -f "$bin.tmp" "$bin"
            size=$(stat -c %s "$bin")
            if [[ -n "${PACKAGE[$id]:-}" ]]; then
                fwv=$("$go" version -m "$bin" | awk -v m="${PACKAGE[$id]}" '$1 == "dep" && $2 == m {print $3}')
            else
                fwv=$have   # net/http ships with Go
            fi
            components=""
            for module in "${GO_COMPONENTS[@]}"; do
                v=$("$go" version -m "$bin" | awk -v m="$module" '$1 == "dep" && $2 == m {print $3}')
                [[ -n "$v" ]] && components+="${components:+, }\"$module\": \"$v\""
            done
            record "$id" "$stamp" "$fwv" "$have" "$size" "static binary (CGO_ENABLED=0, -trimpath, -s -w)" \
                "{\"binary\": $size}" "{$components}" || { build_failed "$id" "cannot write $out/.stamps"; continue; }
        fi
        READY[$id]=true
    done
}

# ---------------------------------------------------------------- Python
build_python() {
    local py=${PYTHON:-python3} have
    if ! command -v "$py" >/dev/null 2>&1; then
        for id in "${PY_IDS[@]}"; do
            not_ready "$id" "$py not found: install python3 (>= $MIN_PYTHON), python3-venv and python3-pip, then run make servers"
        done
        say "Python: $py not found: install python3 python3-venv python3-pip; skipping ${PY_IDS[*]}"
        return
    fi
    have=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
    if [[ -z "$have" ]] || ! version_at_least "$have" "$MIN_PYTHON"; then
        for id in "${PY_IDS[@]}"; do
            not_ready "$id" "Python ${have:-?} is too old: install Python >= $MIN_PYTHON, then run make servers"
        done
        say "Python: $py is ${have:-unusable}, the servers need >= $MIN_PYTHON; skipping ${PY_IDS[*]}"
        return
    fi
    if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        for id in "${PY_IDS[@]}"; do
            not_ready "$id" "Python $have cannot create venvs (no venv or ensurepip module): install python3-venv, then run make servers"
        done
        say "Python: $py cannot create venvs: install python3-venv; skipping ${PY_IDS[*]}"
        return
    fi
    local pyreal id dir stamp venv_bytes interp_bytes fwv components name v check_log outer_pip_targets=no
    # pip's --python (install into another environment) exists from pip 22.3 on.
    "$py" -c 'import pip, sys; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (22, 3))' \
        2>/dev/null && outer_pip_targets=yes
    pyreal=$("$py" -c 'import os, sys; print(os.path.realpath(sys.executable))')
    for id in "${PY_IDS[@]}"; do
        dir="$out/$id"
        stamp=$(stamp_of "python $have $pyreal" "$src/$id/requirements.txt" "$src/$id/app.py" "$src/footprint.py" \
            "$src/$id/serve.sh" "$src"/python-common/*)
        if ! up_to_date "$id" "$stamp" "$dir/venv/bin/python"; then
            say "$id: creating its venv with Python $have and installing requirements.txt"
            forget "$id"
            rm -rf "$dir"
            mkdir -p "$dir/app"
            # A venv without pip: the servers do not need it, so neither does
            # their footprint. The outer pip installs into it (pip >= 22.3);
            # with an older pip the venv gets its own, removed afterwards.
            local venv_args=(--without-pip) pip=("$py" -m pip --python "$dir/venv/bin/python")
            if [[ $outer_pip_targets != yes ]]; then
                venv_args=()
                pip=("$dir/venv/bin/python" -m pip)
            fi
            if ! "$py" -m venv "${venv_args[@]}" "$dir/venv" >&2 ||
                ! "${pip[@]}" install --quiet --disable-pip-version-check \
                    --no-input --no-deps --no-compile -r "$src/$id/requirements.txt" >&2 ||
                ! check_log=$("${pip[@]}" check --disable-pip-version-check 2>&1) ||
                { [[ $outer_pip_targets != yes ]] &&
                    ! "${pip[@]}" uninstall --quiet --yes pip setuptools >&2; }; then
                printf '%s\n' "${check_log:-}" >&2
                rm -rf "$dir"
                build_failed "$id" "pip install -r servers/$id/requirements.txt"
                continue
            fi
            cp "$src/$id/app.py" "$src"/python-common/* "$dir/app/" && cp "$src/$id/serve.sh" "$dir/serve.sh" &&
                chmod +x "$dir/serve.sh" || { build_failed "$id" "copying the app into $dir"; continue; }
            if ! venv_bytes=$(footprint "$py" "$dir/venv") || ! interp_bytes=$(python_prefix_bytes "$py" "$dir/venv/bin/python"); then
                build_failed "$id" "measuring its footprint (servers/footprint.py)"
                continue
            fi
            fwv=$("$dir/venv/bin/python" -c "import importlib.metadata as m; print(m.version('${PACKAGE[$id]}'))")
            components=""
            for name in ${PY_SERVER[$id]}; do
                v=$("$dir/venv/bin/python" -c "import importlib.metadata as m; print(m.version('$name'))")
                components+="${components:+, }\"$name\": \"$v\""
            done
            record "$id" "$stamp" "$fwv" "CPython $have" "$((venv_bytes + interp_bytes))" \
                "venv + interpreter (binary, libpython, stdlib without tests and .pyc; ELF files stripped)" \
                "{\"venv\": $venv_bytes, \"interpreter\": $interp_bytes}" "{$components}" ||
                { build_failed "$id" "cannot write $out/.stamps"; continue; }
        fi
        READY[$id]=true
    done
}

# What a container would carry of the interpreter: its binary, libpython if
# shared, and the standard library without what slim images drop (see
# footprint.py).
python_prefix_bytes() {  # python_prefix_bytes PYTHON VENV_PYTHON
    local files stdlib_bytes file_bytes
    mapfile -t files < <("$2" - <<'EOF'
import os, sys, sysconfig
print(sysconfig.get_paths()["stdlib"])
print(os.path.realpath(sys.executable))
if sysconfig.get_config_var("Py_ENABLE_SHARED"):
    lib = os.path.join(sysconfig.get_config_var("LIBDIR") or "", sysconfig.get_config_var("LDLIBRARY") or "")
    if os.path.isfile(lib):
        print(os.path.realpath(lib))
EOF
    )
    stdlib_bytes=$(footprint "$1" --stdlib "${files[0]}") && file_bytes=$(footprint "$1" "${files[@]:1}") &&
        printf '%s' "$((stdlib_bytes + file_bytes))"
}

# Deployable bytes of files and folders (ELF files as stripped): footprint.py
# when a Python is at hand, else plain du.
footprint() {  # footprint PYTHON|"" [--stdlib] PATH...
    local py=$1
    shift
    if [[ -n "$py" ]] && command -v "$py" >/dev/null 2>&1; then
        "$py" "$src/footprint.py" "$@"
    else
        [[ "$1" == --stdlib ]] && shift
        tree_bytes "$@"
    fi
}

# ---------------------------------------------------------------- Node
build_node() {
    local node=${NODE:-node} npm=${NPM:-npm} have id=node-express
    local missing_tool
    for missing_tool in "$node" "$npm" ""; do
        [[ -n "$missing_tool" ]] && ! command -v "$missing_tool" >/dev/null 2>&1 && break
    done
    if [[ -n "$missing_tool" ]]; then
        not_ready "$id" "$missing_tool not found: install nodejs (>= $MIN_NODE) and npm, then run make servers"
        say "Node: $missing_tool not found: install nodejs npm; skipping $id"
        return
    fi
    have=$("$node" --version)
    if ! version_at_least "${have#v}" "$MIN_NODE"; then
        not_ready "$id" "Node $have is too old: install Node >= $MIN_NODE, then run make servers"
        say "Node: $have is too old, Express 5 needs Node >= $MIN_NODE; skipping $id"
        return
    fi
    local dir="$out/$id" stamp modules_bytes node_bytes fwv components="" name v
    stamp=$(stamp_of "node $have" "$src/footprint.py" "$src/$id/package.json" "$src/$id/package-lock.json" "$src/$id/server.js" \
        "$src/$id"/views/*)
    if ! up_to_date "$id" "$stamp" "$dir/node_modules/express/package.json"; then
        say "$id: npm ci with Node $have"
        forget "$id"
        rm -rf "$dir"
        mkdir -p "$dir"
        cp "$src/$id/package.json" "$src/$id/package-lock.json" "$src/$id/server.js" "$dir/" &&
            cp -r "$src/$id/views" "$dir/" &&
            (cd "$dir" && "$npm" ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
        if [[ $? -ne 0 || ! -f "$dir/node_modules/express/package.json" ]]; then
            rm -rf "$dir"
            build_failed "$id" "npm ci in $dir"
            return
        fi
        # The runtime: the node binary and a shared libnode if this build uses one.
        local runtime_files
        mapfile -t runtime_files < <(command -v "$node"; ldd "$(command -v "$node")" 2>/dev/null |
            awk '$1 ~ /^libnode/ {print $3}')
        local measure_py=python3
        command -v "${PYTHON:-}" >/dev/null 2>&1 && measure_py=$PYTHON
        if ! modules_bytes=$(footprint "$measure_py" "$dir/node_modules" "$dir/server.js" "$dir/package.json" "$dir/views") ||
            ! node_bytes=$(footprint "$measure_py" "${runtime_files[@]}"); then
            build_failed "$id" "measuring its footprint (servers/footprint.py)"
            return
        fi
        fwv=$("$node" -p "require('$dir/node_modules/express/package.json').version")
        for name in "${NODE_COMPONENTS[@]}"; do
            v=$("$node" -p "require('$dir/node_modules/$name/package.json').version")
            components+="${components:+, }\"$name\": \"$v\""
        done
        record "$id" "$stamp" "$fwv" "node $have" "$((modules_bytes + node_bytes))" \
            "node_modules + node runtime (ELF files stripped)" "{\"app\": $modules_bytes, \"runtime\": $node_bytes}" "{$components}" ||
            { build_failed "$id" "cannot write $out/.stamps"; return; }
    fi
    READY[$id]=true
}

write_manifest() {
    local tmp="$out/manifest.json.tmp" id sep="" entry
    {
        printf '{\n  "schemaVersion": 1,\n  "builtAt": "%s",\n  "servers": {\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        for id in "${ALL_IDS[@]}"; do
            if [[ "${READY[$id]:-false}" == true ]]; then
                entry=$(cat "$out/.stamps/$id.json")
            else
                entry=$(printf '{"ready": false, "reason": "%s", "framework": "%s"}' \
                    "$(json_escape "${REASON[$id]:-not built}")" "$(json_escape "${FRAMEWORK[$id]}")")
            fi
            printf '%s    "%s": %s' "$sep" "$id" "$entry"
            sep=$',\n'
        done
        printf '\n  }\n}\n'
    } > "$tmp" && mv "$tmp" "$out/manifest.json"
}

build_go
build_python
build_node
write_manifest || { say "cannot write $out/manifest.json"; failed=1; }

ready=() missing=()
for id in "${ALL_IDS[@]}"; do
    if [[ "${READY[$id]:-false}" == true ]]; then ready+=("$id"); else missing+=("$id"); fi
done
say "ready (${#ready[@]}/8): ${ready[*]:-none}"
for id in "${missing[@]}"; do
    say "NOT ready: $id: ${REASON[$id]:-not built}"
done
say "manifest: $out/manifest.json"
exit "$failed"
