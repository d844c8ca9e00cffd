#!/usr/bin/env bash
# One mutant of the schemata build (scripts/mutate.sh): ENTMC_MUTANT=ID runs
# `entmc check` on the CI models (fastest first, stopping at the first non-zero
# exit: a violation, a crash, a limit or a timeout), then, if it survived,
# `entmc fuzz` with a fixed budget (generated worlds, then each CI model's
# world), then the seed scenarios with `entmc replay`. Prints one TSV line:
#   ID  RESULT(killed|survived)  BY(check:MODEL:rcN|fuzz:...|replay:rcN|-)  REACHED(yes|no)
# Usage: run_one.sh ENTMC WORK ID FUZZ_RUNS SEED_DIR MODEL...
set -uo pipefail
entmc="$1" work="$2" id="$3" fuzz_runs="$4" seeds="$5"
shift 5
reached="$work/reached/$id"
rm -f "$reached"
export ENTMC_MUTANT="$id" ENTMC_MUTANT_REACHED="$reached"
result=survived by=-
for m in "$@"; do
  rc=0
  timeout 300 "$entmc" check -q -j1 "$m" >/dev/null 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then result=killed by="check:$(basename "$m" .yaml):rc$rc"; break; fi
done
if [[ $result == survived && $fuzz_runs -gt 0 ]]; then
  # Generated worlds, then the CI models' worlds (their products, organization and bounds).
  for world in "" "$@"; do
    rc=0
    runs=$fuzz_runs
    [[ -n $world ]] && runs=$(( fuzz_runs / 4 + 1 ))
    timeout 300 "$entmc" fuzz $world --runs "$runs" --seed 1 --no-round-trip --out "$work/fuzz-out/$id" \
      >/dev/null 2>&1 || rc=$?
    if [[ $rc -ne 0 ]]; then
      result=killed by="fuzz:${world:+$(basename "$world" .yaml):}rc$rc"
      break
    fi
  done
fi
if [[ $result == survived && -n $seeds ]]; then
  rc=0
  timeout 300 "$entmc" replay -q "$seeds"/*.yaml >/dev/null 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then result=killed by="replay:rc$rc"; fi
fi
printf '%s\t%s\t%s\t%s\n' "$id" "$result" "$by" "$([[ -e $reached ]] && echo yes || echo no)"
