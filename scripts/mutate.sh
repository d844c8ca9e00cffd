#!/usr/bin/env bash
# Mutation score of the checks (issue 17): mechanical mutants of the rules
# (model/*.cpp, scripts/mutate/gen_mutants.py: negate a condition, swap ==/!=
# and </<=, drop a mutation helper call, drop an early `return fail(...)`,
# replace an enum value), each built (entmc target only, ccache) in a copy of
# the source tree and run against `entmc check` on the CI model set
# (scenarios/models/ci, fastest first, stopping at the first failure) and,
# when it survives, `entmc fuzz` with a fixed budget. A mutant is killed when a
# check exits non-zero (a violation, a crash or a timeout), stillborn when it
# does not compile, else it survives (a real gap, or an equivalent mutant to
# argue by hand).
#
# Usage: scripts/mutate.sh [--sample N] [--seed S] [--fuzz-runs R] [--min-score P] [--out FILE]
#   --sample N     a fixed pseudo-random sample of N mutants (same seed, same sample); default all
#   --fuzz-runs R  entmc fuzz runs for survivors (seed 1; 0 = no fuzz); default 200
#   --min-score P  exit 1 when fewer than P percent of the built mutants are killed
#   --out FILE     the per-mutant table (TSV); default mutants.tsv in the work directory
# Environment: MUTATE_WORK (default /tmp/entmc-mutate-$USER), JOBS (default 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sample=0 seed=17 fuzz_runs=200 min_score=0 out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sample) sample="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --fuzz-runs) fuzz_runs="$2"; shift 2 ;;
    --min-score) min_score="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "mutate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
work="${MUTATE_WORK:-/tmp/entmc-mutate-$(id -un)}"
jobs="${JOBS:-2}"
out="${out:-$work/mutants.tsv}"
src="$work/src" build="$work/build"
mkdir -p "$src"
tar -C "$root" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$src" -xf -
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENTMC_BUILD_BENCH=OFF \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" --target entmc -j"$jobs" >/dev/null
entmc="$build/cli/entmc"

# The CI models, fastest first (a mutant is usually killed by the first).
models=("$src"/scenarios/models/ci/prerequisites-govcloud.yaml "$src"/scenarios/models/ci/delegated-admin.yaml
        "$src"/scenarios/models/ci/grants-two-products.yaml "$src"/scenarios/models/ci/live-distribution.yaml)
for m in "$src"/scenarios/models/ci/*.yaml; do
  [[ " ${models[*]} " == *" $m "* ]] || models+=("$m")
done

list="$work/mutants.jsonl"
(cd "$src" && python3 scripts/mutate/gen_mutants.py) >"$list"
python3 - "$list" "$sample" "$seed" >"$work/selected" <<'PY'
import json, random, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
n, seed = int(sys.argv[2]), int(sys.argv[3])
if 0 < n < len(ids):
    ids = sorted(random.Random(seed).sample(ids, n))
print("\n".join(map(str, ids)))
PY
echo "mutate.sh: $(wc -l <"$work/selected") of $(wc -l <"$list") mutants; CI models: ${#models[@]}; fuzz runs: $fuzz_runs" >&2

# Applies mutant ID to the copy (or restores the file with `restore`).
mutant_field() { python3 -c 'import json,sys; m=[json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["id"]==int(sys.argv[2])][0]; print(m[sys.argv[3]])' "$list" "$1" "$2"; }
apply_mutant() {
  python3 - "$list" "$1" "$src" <<'PY'
import json, sys
m = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["id"] == int(sys.argv[2])][0]
path = sys.argv[3] + "/" + m["file"]
lines = open(path).read().split("\n")
assert lines[m["line"] - 1] == m["before"], "stale mutant"
lines[m["line"] - 1] = m["after"]
open(path, "w").write("\n".join(lines))
PY
}

printf 'id\tfile\tline\toperator\tresult\tby\tmutated line\n' >"$out"
while read -r id; do
  file=$(mutant_field "$id" file)
  cp "$src/$file" "$work/original.cpp"
  apply_mutant "$id"
  result="survived" by="-"
  if ! timeout 600 cmake --build "$build" --target entmc -j"$jobs" >"$work/build.log" 2>&1; then
    result="stillborn" by="compiler"
  else
    for m in "${models[@]}"; do
      rc=0
      timeout 300 "$entmc" check -q -j"$jobs" "$m" >/dev/null 2>&1 || rc=$?
      if [[ $rc -ne 0 ]]; then result="killed" by="check:$(basename "$m" .yaml):rc$rc"; break; fi
    done
    if [[ $result == survived && $fuzz_runs -gt 0 ]]; then
      rc=0
      timeout 600 "$entmc" fuzz --runs "$fuzz_runs" --seed 1 --no-round-trip --out "$work/fuzz-out" >/dev/null 2>&1 || rc=$?
      if [[ $rc -ne 0 ]]; then result="killed" by="fuzz:rc$rc"; fi
    fi
  fi
  cp "$work/original.cpp" "$src/$file"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$file" "$(mutant_field "$id" line)" "$(mutant_field "$id" op)" \
    "$result" "$by" "$(mutant_field "$id" after | sed 's/^ *//')" >>"$out"
  echo "mutate.sh: #$id $file:$(mutant_field "$id" line) $(mutant_field "$id" op): $result ($by)" >&2
done <"$work/selected"
cmake --build "$build" --target entmc -j"$jobs" >/dev/null  # back to the unmutated rules

python3 - "$out" "$min_score" <<'PY'
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ops = collections.OrderedDict()
for r in rows:
    o = ops.setdefault(r["operator"], collections.Counter())
    o["mutants"] += 1
    o[r["result"]] += 1
    if r["result"] == "killed":
        o["by check" if r["by"].startswith("check") else "by fuzz"] += 1
print(f"{'operator':<14} {'mutants':>7} {'stillborn':>9} {'killed':>6} {'by check':>8} {'by fuzz':>7} {'survived':>8}")
tot = collections.Counter()
for op, c in ops.items():
    tot.update(c)
    print(f"{op:<14} {c['mutants']:>7} {c['stillborn']:>9} {c['killed']:>6} {c['by check']:>8} {c['by fuzz']:>7} {c['survived']:>8}")
print(f"{'all':<14} {tot['mutants']:>7} {tot['stillborn']:>9} {tot['killed']:>6} {tot['by check']:>8} {tot['by fuzz']:>7} {tot['survived']:>8}")
built = tot["mutants"] - tot["stillborn"]
score = 100.0 * tot["killed"] / built if built else 100.0
check = 100.0 * tot["by check"] / built if built else 100.0
print(f"score: {score:.1f}% of {built} built mutants killed ({check:.1f}% by entmc check on the CI set alone)")
for r in rows:
    if r["result"] == "survived":
        print(f"survivor #{r['id']} {r['file']}:{r['line']} {r['operator']}: {r['mutated line']}")
sys.exit(1 if score < float(sys.argv[2]) else 0)
PY
