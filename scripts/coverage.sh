#!/usr/bin/env bash
# Branch coverage of the rules (model/*.cpp) under `entmc check` of the CI
# model set (scenarios/models/ci, issue 17): builds entmc with gcov
# instrumentation in build-cov/ (only that target), checks every CI model,
# and prints gcovr's branch summary for model/*.cpp plus every branch never
# taken, as FILE:LINE. Needs gcovr (scripts/setup.sh).
# Usage: scripts/coverage.sh [BUILD_DIR]   (JOBS=N threads for build and check, default 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dir="${1:-build-cov}"
jobs="${JOBS:-2}"
command -v gcovr >/dev/null || { echo "coverage.sh: gcovr is missing (scripts/setup.sh installs it)" >&2; exit 2; }

# -O0 so that every branch of the source is a branch of the binary; NDEBUG so
# that assertions are not counted; atomic counters since the explorer runs
# threads.
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=None -DENTMC_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-O0 -g -DNDEBUG --coverage -fprofile-update=atomic" \
  -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
cmake --build "$dir" --target entmc -j"$jobs"
find "$dir" -name '*.gcda' -delete

start=$(date +%s)
for m in scenarios/models/ci/*.yaml; do
  echo "coverage.sh: entmc check $m" >&2
  "$dir/cli/entmc" check -q -j"$jobs" "$m" >/dev/null
done
echo "coverage.sh: the CI model set checked in $(( $(date +%s) - start )) s (instrumented, -O0)" >&2

json="$dir/model-coverage.json"
gcovr -r . --object-directory "$dir" --filter 'model/.*\.cpp$' --exclude-throw-branches \
  --exclude-unreachable-branches --branches --json -o "$json" "$dir"
# (the search path before --txt: gcovr 5 reads a word after --txt as its output file)
gcovr -r . --object-directory "$dir" --filter 'model/.*\.cpp$' --exclude-throw-branches \
  --exclude-unreachable-branches --branches "$dir" --txt
python3 - "$json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
missed = []
for f in data["files"]:
    for line in f["lines"]:
        for i, b in enumerate(line.get("branches", [])):
            if b["count"] == 0:
                missed.append(f'{f["file"]}:{line["line_number"]}: branch {i} never taken')
print(f"branches never taken: {len(missed)}")
for m in missed:
    print("  " + m)
PY
