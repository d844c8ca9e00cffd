#!/usr/bin/env bash
# Mutation score of the checks (issue 17): mechanical mutants of the rules
# (model/*.cpp, scripts/mutate/gen_mutants.py: negate a condition, swap ==/!=
# and </<=, drop a mutation helper call, drop an early `return fail(...)`,
# replace an enum value), all compiled into ONE schemata build
# (scripts/mutate/schemata.py: site K behaves mutated only under
# ENTMC_MUTANT=K), so the sweep builds once. Each mutant then runs
# (scripts/mutate/run_one.sh) `entmc check` on the CI model set
# (scenarios/models/ci, fastest first, stopping at the first failure), and when
# it survives, `entmc fuzz` with a fixed budget and the seed scenarios
# (`entmc replay scenarios/seed`). A mutant is killed when a run exits non-zero
# (a violation, a crash or a timeout); equivalent when
# scripts/mutate/equivalent.tsv argues it is (checked only if it survives);
# else it survived, and the table says whether the models ever reached its site.
# The schemata build lives in the work directory (a copy of the tree); the
# ordinary build never sees a schema. It is built with -D_GLIBCXX_ASSERTIONS,
# so a mutant that reads one past a table's end (`>` for `>=` in a bounds
# check) aborts instead of reading whatever lies there: the abort is a non-zero
# exit, so it counts as killed like a violation.
#
# Usage: scripts/mutate.sh [--sample N] [--seed S] [--fuzz-runs R] [--min-score P] [--min-check-score P] [--out FILE]
#   --sample N          a fixed pseudo-random sample of N mutants (same seed, same sample); default all
#   --ids A,B,...       only these mutants (e.g. the survivors of an earlier sweep, after a fix);
#                       with --sample, these in addition to the sample
#   --fuzz-runs R       entmc fuzz runs on generated worlds for survivors (R/4+1 on each CI model's
#                       world; seed 1; 0 = no fuzz, no replays); default 1000
#   --min-score P       exit 1 when fewer than P percent of the non-equivalent mutants are killed
#   --min-check-score P exit 1 when fewer than P percent of them are killed by check alone
#   --out FILE          the per-mutant table (TSV); default mutants.tsv in the work directory
# Environment: MUTATE_WORK (default /tmp/entmc-mutate-$USER), JOBS (mutants run at once and build
# threads, default 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sample=0 seed=17 fuzz_runs=1000 min_score=0 min_check=0 out="" ids=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sample) sample="$2"; shift 2 ;;
    --ids) ids="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --fuzz-runs) fuzz_runs="$2"; shift 2 ;;
    --min-score) min_score="$2"; shift 2 ;;
    --min-check-score) min_check="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "mutate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
work="${MUTATE_WORK:-/tmp/entmc-mutate-$(id -un)}"
jobs="${JOBS:-2}"
out="${out:-$work/mutants.tsv}"
src="$work/src" build="$work/build" header="$work/mutant_schema.h"
mkdir -p "$src" "$work/reached"
tar -C "$root" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$src" -xf -
list="$work/mutants.jsonl"
(cd "$src" && python3 scripts/mutate/gen_mutants.py) >"$list"

# The schemata build; a line the compiler rejects drops its mutants from the
# schema (they are then reported as `unbuilt`), and the build is retried.
skip=""
# ccache speeds up the retries and later sweeps where it is installed; the
# project's setup does not install it, so the build must not need it (an
# empty launcher also clears one an earlier sweep's cache may hold).
launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=
command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
for attempt in 1 2 3 4 5; do
  tar -C "$root" -cf - model | tar -C "$src" -xf -   # pristine rules
  skip=$(python3 "$src/scripts/mutate/schemata.py" "$list" "$src" "$header" "$skip" | paste -sd, -)
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENTMC_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="-include $header -D_GLIBCXX_ASSERTIONS" "$launcher" >/dev/null
  if cmake --build "$build" --target entmc -j"$jobs" >"$work/build.log" 2>&1; then break; fi
  bad=$(python3 - "$list" "$work/build.log" <<'PY'
import json, re, sys
errs = set(re.findall(r"(model/\w+\.cpp):(\d+):\d+: error", open(sys.argv[2]).read()))
print(",".join(str(m["id"]) for m in map(json.loads, open(sys.argv[1])) if (m["file"], str(m["line"])) in errs))
PY
)
  if [[ -z $bad ]]; then echo "mutate.sh: the schemata build failed (see $work/build.log)" >&2; exit 2; fi
  echo "mutate.sh: schema rejected on the lines of mutants $bad; left out" >&2
  skip="${skip:+$skip,}$bad"
done
entmc="$build/cli/entmc"
# Unmutated, the schemata binary must pass the CI set (else every mutant would look killed).
for m in "$src"/scenarios/models/ci/*.yaml; do
  "$entmc" check -q -j"$jobs" "$m" >/dev/null || { echo "mutate.sh: the unmutated schemata build fails $m" >&2; exit 2; }
done

# The CI models, fastest first (a mutant is usually killed by the first).
models=("$src"/scenarios/models/ci/prerequisites-govcloud.yaml "$src"/scenarios/models/ci/delegated-admin.yaml
        "$src"/scenarios/models/ci/grants-two-products.yaml "$src"/scenarios/models/ci/live-distribution.yaml)
for m in "$src"/scenarios/models/ci/*.yaml; do
  [[ " ${models[*]} " == *" $m "* ]] || models+=("$m")
done

python3 - "$list" "$sample" "$seed" "$ids" >"$work/selected" <<'PY'
import json, random, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
n, seed = int(sys.argv[2]), int(sys.argv[3])
listed = [i for i in ids if str(i) in sys.argv[4].split(",")] if sys.argv[4] else []
if 0 < n < len(ids):
    ids = sorted(set(random.Random(seed).sample(ids, n)) | set(listed))
elif listed:
    ids = listed
print("\n".join(map(str, ids)))
PY
echo "mutate.sh: $(wc -l <"$work/selected") of $(wc -l <"$list") mutants (${skip:-none} outside the schema); CI models: ${#models[@]}; fuzz runs: $fuzz_runs" >&2

seeds=""
[[ $fuzz_runs -gt 0 ]] && seeds="$src/scenarios/seed"
start=$(date +%s)
grep -vxF -f <(tr , '\n' <<<"${skip:-0}") "$work/selected" |
  xargs -P "$jobs" -I{} bash "$src/scripts/mutate/run_one.sh" "$entmc" "$work" {} "$fuzz_runs" "$seeds" "${models[@]}" \
  >"$work/results.tsv"
echo "mutate.sh: ran in $(( $(date +%s) - start )) s" >&2

python3 "$src/scripts/mutate/summary.py" "$list" "$work/selected" "$work/results.tsv" "$src/scripts/mutate/equivalent.tsv" \
  "$out" "$min_score" "$min_check" "${skip}"
