#!/usr/bin/env bash
# How long `stackadvisor report` takes to export the PDF of a ten-target run.
# Target: under a second on the development machine (2 cores).
#
# The ten-target run is constructed: one real short run of two real servers
# (go-nethttp, python-flask: 1 s each, no warm-up) is loaded from its JSON and
# its targets are duplicated under other ids until there are ten, so that the
# report has ten table rows, ten bars, ten series per time line and ten
# percentile rows, as a full run would. Prints the figures side by side.
#
# Usage: tests/benchmarks/report_export.sh [BUILD_DIR]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
build_dir="${1:-$source_dir/build}"
app="$build_dir/bin/stackadvisor"
[[ -x "$app" ]] || { echo "report_export.sh: $app not found; build first (cmake --build $build_dir)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen

echo "Measuring a real two-target run (go-nethttp, python-flask; 1 s each)…" >&2
"$app" bench --targets go-nethttp,python-flask --rounds 1 --duration 1s --warmup 0s --connections 32 --no-save \
    --json "$work/run2.json" >"$work/bench.log" 2>&1 || { cat "$work/bench.log" >&2; exit 1; }

python3 - "$work/run2.json" "$work/run10.json" <<'PY'
import copy, json, sys
run = json.load(open(sys.argv[1]))
ids = ["go-gin", "go-fiber", "go-echo", "go-nethttp", "python-fastapi", "python-django",
       "python-flask", "node-express", "custom-a", "custom-b"]
source = run["targets"]
targets = []
for i, target_id in enumerate(ids):
    t = copy.deepcopy(source[i % len(source)])
    t["targetId"] = target_id
    t["displayName"] = f"{t.get('displayName', target_id)} #{i + 1}"
    targets.append(t)
run["targets"] = targets
run.setdefault("plan", {})["targetIds"] = ids
json.dump(run, open(sys.argv[2], "w"))
PY

answers="$source_dir/tests/data/high-traffic-go-team.json"
best=""
internal=""
for i in 1 2 3; do
    start=$(date +%s.%N)
    out="$("$app" report --answers "$answers" --run-json "$work/run10.json" --pdf "$work/report.pdf" 2>/dev/null)"
    end=$(date +%s.%N)
    wall=$(python3 -c "print(f'{$end - $start:.3f}')")
    ms=$(sed -n 's/.* in \([0-9]*\) ms\./\1/p' <<<"$out")
    echo "run $i: $wall s wall (process start included), $ms ms writing the document" >&2
    if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $wall < $best else 1)"; then
        best="$wall"; internal="$ms"
    fi
done
pages=$(pdfinfo "$work/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')

printf '\n%-44s %10s %10s %8s\n' "Ten-target report export" "measured" "target" "ratio"
printf '%-44s %9ss %9ss %8s\n' "whole command (best of 3, wall clock)" "$best" "1.000" \
    "$(python3 -c "print(f'{$best / 1.0:.2f}')")"
printf '%-44s %9ss %9ss %8s\n' "document built and written (in process)" \
    "$(python3 -c "print(f'{$internal / 1000:.3f}')")" "1.000" "$(python3 -c "print(f'{$internal / 1000:.2f}')")"
echo "Pages: ${pages:-?}; ten targets constructed from a real two-target run (see the header of this script)."
if [[ -n "${STACKADVISOR_ARTIFACTS_DIR:-}" ]]; then
    mkdir -p "$STACKADVISOR_ARTIFACTS_DIR" && cp "$work/report.pdf" "$STACKADVISOR_ARTIFACTS_DIR/report-ten-targets.pdf" \
        && cp "$work/run10.json" "$STACKADVISOR_ARTIFACTS_DIR/run-ten-targets.json"
fi
