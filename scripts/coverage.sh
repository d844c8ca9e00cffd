#!/usr/bin/env bash
# Branch coverage of the rules (model/*.cpp) under `entmc check` of the CI
# model set (scenarios/models/ci, issue 17): builds entmc with gcov
# instrumentation in build-cov/ (only that target), checks every CI model,
# prints gcovr's branch summary for model/*.cpp, the figure for the rule files
# and every branch never taken, as FILE:LINE, and fails (exit 1) unless every
# branch never taken is listed, with the reason it cannot be reached, in
# docs/coverage-unreached.tsv (docs/coverage.md explains each), and every
# listed branch is still never taken. Needs gcovr (scripts/setup.sh).
# Usage: scripts/coverage.sh [BUILD_DIR]   (JOBS=N threads for build and check, default 2)
#        scripts/coverage.sh --list-only [BUILD_DIR]   (no build, no checks: the last run's counts)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
list_only=0
if [[ "${1:-}" == "--list-only" ]]; then list_only=1; shift; fi
dir="${1:-build-cov}"
jobs="${JOBS:-2}"
command -v gcovr >/dev/null || { echo "coverage.sh: gcovr is missing (scripts/setup.sh installs it)" >&2; exit 2; }

if [[ $list_only == 0 ]]; then
  # -O0 so that every branch of the source is a branch of the binary; NDEBUG so
  # that assertions are not counted; atomic counters since the explorer runs
  # threads.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=None -DENTMC_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="-O0 -g -DNDEBUG --coverage -fprofile-update=atomic" \
    -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
  cmake --build "$dir" --target entmc -j"$jobs"
  find "$dir" -name '*.gcda' -delete

  ms() { echo $(( $(date +%s%N) / 1000000 )); }
  start=$(ms)
  for m in scenarios/models/ci/*.yaml; do
    t=$(ms)
    "$dir/cli/entmc" check -q -j"$jobs" "$m" >/dev/null
    echo "coverage.sh: entmc check $m: $(( ($(ms) - t) / 1000 )) s" >&2
  done
  echo "coverage.sh: the CI model set checked in $(( ($(ms) - start) / 1000 )) s (instrumented, -O0)" >&2
fi

json="$dir/model-coverage.json"
gcovr -r . --object-directory "$dir" --filter 'model/.*\.cpp$' --exclude-throw-branches \
  --exclude-unreachable-branches --branches --json -o "$json" "$dir"
# (the search path before --txt: gcovr 5 reads a word after --txt as its output file)
gcovr -r . --object-directory "$dir" --filter 'model/.*\.cpp$' --exclude-throw-branches \
  --exclude-unreachable-branches --branches "$dir" --txt
python3 - "$json" docs/coverage-unreached.tsv <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
# Printing and bookkeeping the explorer does not call: reported, not required.
NOT_RULES = {"model/names.cpp", "model/world.cpp", "model/errors.cpp", "model/types.cpp", "model/call.cpp"}
listed = {}
for n, row in enumerate(open(sys.argv[2]), 1):
    if row.startswith("#") or not row.strip():
        continue
    f = row.rstrip("\n").split("\t")
    if len(f) != 5:
        sys.exit(f"{sys.argv[2]}:{n}: expected 5 tab-separated fields (file, line, branch, source, reason)")
    listed[(f[0], f[3].strip(), int(f[2]))] = f"{f[0]}:{f[1]}"
missed, taken_listed = [], []
rules_total = rules_taken = 0
per_file = []
for fl in sorted(data["files"], key=lambda x: x["file"]):
    name = fl["file"]
    src = open(name).read().split("\n")
    total = taken = 0
    for line in fl["lines"]:
        text = src[line["line_number"] - 1].strip()
        for i, b in enumerate(line.get("branches", [])):
            total += 1
            key = (name, text, i)
            if b["count"] == 0:
                if name not in NOT_RULES:
                    missed.append((key, f'{name}:{line["line_number"]}: branch {i} never taken: {text}'))
            else:
                taken += 1
                if key in listed:
                    taken_listed.append(f"{listed[key]}: branch {i} is listed as unreachable but taken: {text}")
    per_file.append((name, taken, total))
    if name not in NOT_RULES:
        rules_total += total
        rules_taken += taken
print("branches taken per file:")
for name, taken, total in per_file:
    print(f"  {name:28} {taken:4} / {total:4}  {100.0 * taken / max(total, 1):5.1f}%" +
          ("  (not a rule file)" if name in NOT_RULES else ""))
unlisted = [m for k, m in missed if k not in listed]
print(f"the rule files: {rules_taken} of {rules_total} branches taken ({100.0 * rules_taken / max(rules_total, 1):.1f}%); "
      f"{len(missed)} never taken, of which {len(missed) - len(unlisted)} listed as unreachable in {sys.argv[2]}")
reachable = rules_total - (len(missed) - len(unlisted))
print(f"reachable branches of the rule files: {rules_taken} of {reachable} taken ({100.0 * rules_taken / max(reachable, 1):.1f}%)")
for m in unlisted:
    print("coverage.sh: not reached and not listed: " + m, file=sys.stderr)
for m in taken_listed:
    print("coverage.sh: " + m + " (drop it from the list)", file=sys.stderr)
sys.exit(1 if unlisted or taken_listed else 0)
PY
