#!/usr/bin/env bash
# Installs the Debian packages that building and testing Stack Advisor need, and
# only those that are missing. Safe to run again: with everything present it
# installs nothing and takes well under a second.
#
#   installer/deps.sh           build + test dependencies
#   installer/deps.sh --check   only report what is missing (exit 1 if anything is)
set -euo pipefail

packages=(
    # toolchain
    g++ make cmake ninja-build pkg-config git
    # Qt 6 (Core, Network, Sql+SQLite, Widgets, Charts, Svg, Pdf); libgl-dev is
    # needed by find_package(Qt6 Gui); Qt6Charts needs the Qt6OpenGL CMake package,
    # of which qt6-base-dev ships only a stub: the real one is libqt6opengl6-dev
    qt6-base-dev libqt6opengl6-dev qt6-charts-dev libqt6sql6-sqlite qt6-svg-dev qt6-pdf-dev libgl-dev
    # headless GUI tests, screenshots, fonts for the UI and the PDF report
    xvfb xauth fonts-dejavu-core fonts-noto-core
    # reading the PDF report back in tests
    poppler-utils
    # comparison load generator for the benchmarks, fuzzing with libFuzzer
    wrk clang libclang-rt-14-dev
    # tests/benchmarks/loadgen_vs_wrk.sh: h2load (a third generator to compare)
    # and nginx (the generator-limited target); strace for its syscall counts
    nghttp2-client nginx-light strace
    # the code format check of .ci/run (clang-format --dry-run -Werror)
    clang-format
    # process inspection used by the no-orphan tests
    procps
    # the private PostgreSQL of the database scenarios (core/bench/postgrescluster.h):
    # initdb, postgres and pg_stat_statements (postgresql-15 ships it; the old
    # postgresql-contrib is only a name for it now), psql (postgresql-client-15).
    # The app never uses the system service: it runs its own cluster in its data
    # folder. On a machine with systemd the package's post-install creates and
    # starts the system cluster 15/main on port 5432; left alone, as the machine's
    # own business (idle, it costs a few MB and no CPU to speak of; stop it with
    # systemctl stop postgresql if it should not run beside benchmarks)
    postgresql-15 postgresql-client-15
    # the Debian package (make package): dependencies from dpkg-shlibdeps (which
    # CPack finds ELF files for with `file`), man pages from --help, and the
    # validators of the .desktop file and the AppStream metainfo
    dpkg-dev file help2man desktop-file-utils appstream
)

# The sample servers' toolchains: Python with venv, Node with npm. Go is checked
# by servers/build.sh, which needs a newer Go than Debian 12 ships (see README).
if ! command -v python3 >/dev/null 2>&1; then
    packages+=(python3 python3-venv python3-pip)
elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv python3-pip)
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

say() { printf 'deps: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "this script needs a Debian-based system with apt-get and dpkg (Debian 12 is supported)."
    say "install the equivalents of these packages by hand: ${packages[*]}"
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    say "all build and test dependencies are installed."
    exit 0
fi

if [[ "${1:-}" == "--check" ]]; then
    say "missing: ${missing[*]}"
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
elif command -v sudo >/dev/null 2>&1; then
    say "installing needs root; sudo will ask for your password."
    as_root=(sudo)
else
    say "missing packages: ${missing[*]}"
    say "installing them needs root, and this user is not root and has no sudo."
    say "ask an administrator to run: apt-get install ${missing[*]}"
    exit 1
fi

say "installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -qq; then
    say "'apt-get update' failed: check the network and /etc/apt/sources.list, then run make again."
    exit 1
fi
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    say "'apt-get install' failed for: ${missing[*]} (see the messages above)."
    exit 1
fi
say "installed: ${missing[*]}"
