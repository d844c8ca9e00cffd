#!/usr/bin/env bash
# Do two builds of `entmc` give the same results? Used by scripts/test.sh
# (stage `release`) to hold the release build (-O3, LTO, PGO) to the tested
# one: the same verdict, state and transition counts and coverage from
# `check`, the same final digests from `simulate`, the same replays.
# Usage: scripts/compare-builds.sh ENTMC_A ENTMC_B
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 ENTMC_A ENTMC_B" >&2; exit 2; }

results() {  # entmc binary -> one line per figure
  local e=$1
  "$e" check scenarios/models/default.yaml -j 1 -q --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
s = r["statistics"]
print("check default:", r["verdict"], s["states"], "states", s["transitions"], "transitions, depth", s["depth"])
print("check default coverage:", json.dumps(r["check"]["coverage"], sort_keys=True))'
  for args in "scenarios/sim/small.yaml" "scenarios/sim/large.yaml --accounts 10000 --events 300000"; do
    # shellcheck disable=SC2086
    "$e" simulate $args --no-progress --json | python3 -c '
import hashlib, json, sys
r = json.load(sys.stdin)["simulate"]
tallies = json.dumps([r["operations"], r["grants_by_status"]], sort_keys=True).encode()
print("simulate '"$args"':", r["digest"], r["events"], "events, tallies", hashlib.sha256(tallies).hexdigest()[:16])'
  done
  "$e" replay --quiet scenarios/seed/*.yaml >/dev/null && echo "replay seeds: pass"
}

a=$(results "$1")
b=$(results "$2")
if [ "$a" != "$b" ]; then
  echo "compare-builds: $1 and $2 differ:" >&2
  diff <(echo "$a") <(echo "$b") >&2 || true
  exit 1
fi
echo "$a"
echo "compare-builds: $1 and $2 give the same results"
