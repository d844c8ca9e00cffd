#!/usr/bin/env bash
# Builds and runs the peer sub-model in entmc, Rumur and SPIN, single-threaded
# and without symmetry reduction, and prints one table: distinct states, time,
# states/s, bytes per state. Exits 1 when the three state counts differ.
# (docs/peers.md explains the models and the columns.)
#
#   scripts/compare-peers.sh [--model submodel|dadmin] [--size default|big] [--entmc PATH]
#                            [--baseline PATH] [--expect auto|none|N] [--baseline-expect auto|none|N]
#                            [--peers-only] [--core] [--keep DIR] [--repeat N]
#
#   --model      submodel (default): bench/peers/submodel.{pml,m} and scenarios/models/peer-submodel.yaml;
#                dadmin: the delegated-administrator model, bench/peers/dadmin.pml and
#                scenarios/models/peer-dadmin.yaml, SPIN and entmc only (no Murphi twin); its sizes:
#                default max_grants 4, max_grant_version 2 (262,921 states), big version 3 (2,810,791)
#
#   --size       default: 3 accounts (management, 1 member, 1 outside), max_grants 3,
#                max_grant_version 2, max_running 1 (641,062 states);
#                big: max_grant_version 3 (3,920,081 states)
#   --entmc      the entmc binary (default: build-peers/cli/entmc, the release build made here by
#                scripts/build-release.sh: -O3, LTO, PGO)
#   --baseline   a second entmc binary (say, the branch point's), run in the same alternation
#                as "entmc-baseline": the speed-up of a change, measured beside the peers
#   --expect     auto (default), none or a count: entmc's --expect-states, the visited set sized up
#                front as SPIN's is by -w24 (auto: the states SPIN found in this invocation's first
#                run, as a CI job passes its last run's count; none: the table grows as states come)
#   --baseline-expect  the same for --baseline (default: as --expect); with --baseline the same binary
#                and --baseline-expect none, one alternation shows what the presized table gains
#   --peers-only compare Rumur and SPIN only
#   --core       also run entmc with one cover property and no invariant or transition check
#                ("entmc-core", -p delegated-admin-replaced), in the same alternation: what the
#                explorer costs without the property checks, and so what share of entmc's time they take
#   --keep DIR   keep the generated verifiers, outputs and scenario in DIR
#   --repeat N   run SPIN (-O2), SPIN tuned (-O3 -march=native -DNOBOUNDCHECK -DNOFAIR -DNOCOMP)
#                and entmc N times each, alternating (every other round in the reverse order, so that
#                no checker always follows the same one: on a virtual machine that changes a run's
#                system time), and report each one's fastest run and
#                every run's CPU seconds (they vary by +-30% on a shared machine), and each
#                ratio by medians and round by round (its spread); Rumur once. Every run's user
#                and system seconds are given apart too, with the ratios by user time alone
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=default
MODEL=submodel
ENTMC=""
BASELINE=""
PEERS_ONLY=0
CORE=0
KEEP=""
REPEAT=1
EXPECT=auto
BASELINE_EXPECT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    --entmc) ENTMC=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --expect) EXPECT=$2; shift 2 ;;
    --baseline-expect) BASELINE_EXPECT=$2; shift 2 ;;
    --peers-only) PEERS_ONLY=1; shift ;;
    --core) CORE=1; shift ;;
    --keep) KEEP=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "compare-peers: unknown argument $1" >&2; exit 2 ;;
  esac
done

# The sizes: accounts, members (besides the management account), and the caps max_grants,
# max_grant_version, max_running. GMAX: grant slots the peers need for states beyond the caps.
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "compare-peers: --repeat is a positive number" >&2; exit 2; }
BASELINE_EXPECT=${BASELINE_EXPECT:-$EXPECT}
for e in "$EXPECT" "$BASELINE_EXPECT"; do
  [[ "$e" =~ ^(auto|none|[1-9][0-9]*)$ ]] || { echo "compare-peers: --expect is auto, none or a positive count" >&2; exit 2; }
done
case "$SIZE" in
  default) NACC=3 NMEM=1 G=3 V=2 W=1 ;;
  big) NACC=3 NMEM=1 G=3 V=3 W=1 ;;
  *) echo "compare-peers: --size is default or big" >&2; exit 2 ;;
esac

GMAX=$((G + (NACC > G ? NACC : G)))

# ---------------------------------------------------------------- --model
# What each model runs: the SPIN source and its -D sizes, the entmc twin, and whether a Murphi
# twin exists (Rumur runs for the sub-model only).
case "$MODEL" in
  submodel)
    PML=submodel.pml SPIN_DEFS="-DNACC=$NACC -DNMEM=$NMEM -DG=$G -DV=$V -DW=$W"
    TWIN=peer-submodel.yaml RUMUR=1 ;;
  dadmin)
    G=4; [ "$SIZE" = big ] && V=3 || V=2
    PML=dadmin.pml SPIN_DEFS="-DG=$G -DV=$V" TWIN=peer-dadmin.yaml RUMUR=0 ;;
  *) echo "compare-peers: --model is submodel or dadmin" >&2; exit 2 ;;
esac

if [ -n "$KEEP" ]; then
  WORK=$KEEP
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
for tool in rumur spin cc python3; do
  command -v "$tool" >/dev/null || { echo "compare-peers: $tool is not installed (scripts/setup.sh)" >&2; exit 2; }
done
TIME=(/usr/bin/time -f '%e %U %S %M')  # wall, user, sys seconds; peak RSS in KiB
[ -x /usr/bin/time ] || { echo "compare-peers: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }

# Each run writes one line to $WORK/results:
#   tool states cpu_s wall_s rss_kib bytes_per_state state_size successful_calls note
# successful_calls: transitions taken from expanded states (Rumur: rules fired; SPIN: its
# transitions minus the one into its initial state; entmc: the calls that succeeded).
: > "$WORK/results"

# ---------------------------------------------------------------- Rumur
if [ "$RUMUR" -eq 1 ]; then
sed -e "s/^  NACC: [0-9]*;/  NACC: $NACC;/" -e "s/^  NMEM: [0-9]*;/  NMEM: $NMEM;/" \
    -e "s/^  G: [0-9]*; /  G: $G; /" -e "s/^  V: [0-9]*; /  V: $V; /" -e "s/^  W: [0-9]*; /  W: $W; /" \
    -e "s/^  GMAX: [0-9]*; /  GMAX: $GMAX; /" \
    "$ROOT/bench/peers/submodel.m" > "$WORK/submodel.m"
grep -q "^  V: $V; " "$WORK/submodel.m" && grep -q "^  GMAX: $GMAX; " "$WORK/submodel.m" || { echo "compare-peers: could not set the Murphi sizes" >&2; exit 2; }
echo "compare-peers: building the Rumur verifier" >&2
rumur --quiet --threads 1 --deadlock-detection off --output "$WORK/rumur.c" "$WORK/submodel.m"
cc -std=c11 -O2 -mcx16 -o "$WORK/rumur" "$WORK/rumur.c" -lpthread
echo "compare-peers: running Rumur" >&2
"${TIME[@]}" -o "$WORK/rumur.time" "$WORK/rumur" > "$WORK/rumur.out" 2>&1 || {
  tail -30 "$WORK/rumur.out" >&2; echo "compare-peers: Rumur failed" >&2; exit 1; }
python3 - "$WORK" <<'EOF'
import re, sys
work = sys.argv[1]
out = open(f"{work}/rumur.out").read()
m = re.search(r"(\d+) states, (\d+) rules fired", out)
size = re.search(r"size of each state is (\d+) bits \(rounded up to (\d+) bytes\)", out)
wall, user, sys_, rss = open(f"{work}/rumur.time").read().split()[-4:]
cpu = float(user) + float(sys_)
states = int(m.group(1))
print("Rumur", states, cpu, wall, rss, f"{int(rss) * 1024 / states:.1f}", f"{size.group(2)}",
      m.group(2), "bytes/state: peak RSS", file=open(f"{work}/results", "a"))
EOF
fi

# ---------------------------------------------------------------- SPIN
echo "compare-peers: building the SPIN verifier" >&2
cp "$ROOT/bench/peers/$PML" "$WORK/"
(cd "$WORK" && spin -a $SPIN_DEFS "$PML" > spin-gen.out \
  && cc -O2 -DSAFETY -o pan pan.c \
  && cc -O3 -march=native -DSAFETY -DNOBOUNDCHECK -DNOFAIR -DNOCOMP -o pan-tuned pan.c)
# run_spin BINARY LABEL: pan as the SPIN manual builds it for safety (-O2 -DSAFETY), and
# pan-tuned with SPIN's fastest safety flags (no bounds checks, no fairness, no state
# compression; -O3 -march=native), both from the same pan.c, in the same alternation.
run_spin() {
echo "compare-peers: running SPIN ($1)" >&2
(cd "$WORK" && "${TIME[@]}" -o spin.time "./$1" -m100000 -w24 > spin.out 2>&1) || {
  tail -30 "$WORK/spin.out" >&2; echo "compare-peers: SPIN failed" >&2; exit 1; }
grep -q "errors: 0" "$WORK/spin.out" || { cat "$WORK/spin.out" >&2; echo "compare-peers: SPIN found an error" >&2; exit 1; }
python3 - "$WORK" "$2" <<'EOF'
import re, sys
work, label = sys.argv[1], sys.argv[2]
out = open(f"{work}/spin.out").read()
states = int(re.search(r"(\d+) states, stored", out).group(1))
vec = re.search(r"State-vector (\d+) byte", out).group(1)
m = re.search(r"([\d.]+)\s+actual memory usage for states", out)
# -DNOCOMP's pan prints only its total memory usage (hash table and stack included).
mem = float(m.group(1) if m else re.search(r"([\d.]+)\s+memory usage \(Mbyte\)", out).group(1))
trans = re.search(r"([\d.e+]+) transitions", out).group(1)
wall, user, sys_, rss = open(f"{work}/spin.time").read().split()[-4:]
cpu = float(user) + float(sys_)
print(label, user, sys_, file=open(f"{work}/cpu-split", "a"))
# pan's own figure for the stored states (the hash table of -w24 and the DFS
# stack are excluded; the RSS column includes them).
print(label, states, cpu, wall, rss, f"{mem * 1048576 / states:.1f}", vec,
      f"{float(trans) - 1:.0f}", "-w24 hash table in RSS", file=open(f"{work}/results", "a"))
EOF

}

# ---------------------------------------------------------------- entmc
if [ "$PEERS_ONLY" -eq 0 ]; then
  if [ -z "$ENTMC" ]; then
    # The release build (scripts/build-release.sh: -O3, LTO, PGO), in a folder
    # of its own: the peers are compared at their fastest flags, and so is
    # entmc. Built again when a source or build file (or this script) is newer
    # than it. (-march=native, as SPIN tuned has, was measured: no gain,
    # 0.97x and 1.04x by medians on the two big models; docs/peers.md.)
    BUILD="$ROOT/build-peers"
    ENTMC="$BUILD/cli/entmc"
    newest=$(cd "$ROOT" && git ls-files -z -- '*.cpp' '*.h' '*CMakeLists.txt' '*.cmake' scripts/build-release.sh scripts/compare-peers.sh |
             xargs -0 -r stat -c %Y | sort -n | tail -1)
    if [ ! -x "$ENTMC" ] || [ "${newest:-0}" -gt "$(stat -c %Y "$ENTMC")" ]; then
      echo "compare-peers: building entmc (scripts/build-release.sh) in $BUILD" >&2
      ENTMC_RELEASE_DIR="$BUILD" JOBS="${JOBS:-2}" bash "$ROOT/scripts/build-release.sh" > "$WORK/build-release.log" 2>&1 ||
        { tail -n 40 "$WORK/build-release.log" >&2; echo "compare-peers: the release build failed" >&2; exit 2; }
    fi
  fi
  SCEN="$ROOT/scenarios/models/$TWIN"
  if [ "$SIZE" != default ]; then
    # Same world, other caps: rewrite the bounds' cap lines (marked in the file).
    sed -e "s/\(max_grant_version: \)[0-9]*\(.*# compare-peers: V\)/\1$V\2/" \
        -e "s/\(max_grants: \)[0-9]*\(.*# compare-peers: G\)/\1$G\2/" \
        -e "s/\(max_running: \)[0-9]*\(.*# compare-peers: W\)/\1$W\2/" "$SCEN" > "$WORK/$TWIN"
    SCEN="$WORK/$TWIN"
  fi
  # run_entmc [BINARY LABEL EXPECT EXTRA]: this entmc, or the --baseline one under its own label;
  # EXTRA: more arguments of entmc check (--core: the property selection).
  run_entmc() {
  local bin=${1:-$ENTMC} label=${2:-entmc} expect=${3:-$EXPECT} extra=${4:-}
  local size=()
  case "$expect" in
    none) ;;
    auto) size=(--expect-states "$(awk '$1 == "SPIN" { print $2; exit }' "$WORK/results")") ;;
    *) size=(--expect-states "$expect") ;;
  esac
  echo "compare-peers: running $label ${size[*]}" >&2
  rc=0
  # shellcheck disable=SC2086  # $extra: words, or nothing
  "${TIME[@]}" -o "$WORK/entmc.time" "$bin" check "$SCEN" --no-symmetry --threads 1 --json "${size[@]}" $extra \
    > "$WORK/entmc.json" 2> "$WORK/entmc.err" || rc=$?
  if [ $rc -ne 0 ]; then
    tail -30 "$WORK/entmc.err" >&2; echo "compare-peers: entmc check exited $rc" >&2; exit 1
  fi
  python3 - "$WORK" "$label" "${size[*]} $extra" <<'EOF'
import json, sys
work, label, size = sys.argv[1], sys.argv[2], sys.argv[3].strip()
rep = json.load(open(f"{work}/entmc.json"))
st = rep.get("statistics", rep)
def pick(*names):
    for n in names:
        if n in st:
            return st[n]
    raise SystemExit(f"compare-peers: entmc --json has none of {names}")
states = int(pick("distinct_states", "states"))
bps = float(pick("bytes_per_state", "bytes_per_stored_state"))
succeeded = sum(c["succeeded"] for c in rep["check"]["coverage"].values())
rate = pick("states_per_second")
wall, user, sys_, rss = open(f"{work}/entmc.time").read().split()[-4:]
cpu = float(user) + float(sys_)
print(label, user, sys_, file=open(f"{work}/cpu-split", "a"))
print(label, states, cpu, wall, rss, f"{bps:.1f}", "-", succeeded,
      f"verdict {rep['verdict']}; own states/s (wall) {rate:,.0f}" + (f"; {size}" if size else ""),
      file=open(f"{work}/results", "a"))
EOF
  }
fi
# The runs of a round, in order, and every other round in the reverse order
# (round 1: SPIN first). On a virtual machine what ran just before a run
# decides part of its system time (docs/peers.md, "Fresh memory": the pages
# a process freed a moment ago come warm, others cold), so no checker keeps
# the same predecessor round after round (a rotation would: the order is a
# cycle).
order=(spin spin-tuned)
[ "$PEERS_ONLY" -eq 1 ] || order+=(entmc)
[ "$PEERS_ONLY" -eq 1 ] || [ -z "$BASELINE" ] || order+=(entmc-baseline)
[ "$PEERS_ONLY" -eq 1 ] || [ "$CORE" -eq 0 ] || order+=(entmc-core)
run_one() {
  case "$1" in
    spin) run_spin pan SPIN ;;
    spin-tuned) run_spin pan-tuned SPIN-tuned ;;
    entmc) run_entmc ;;
    entmc-baseline) run_entmc "$BASELINE" entmc-baseline "$BASELINE_EXPECT" ;;
    entmc-core) run_entmc "$ENTMC" entmc-core "$EXPECT" "-p delegated-admin-replaced" ;;
  esac
}
# The machine and its load, for the table's heading: figures from different days are only
# comparable on the same machine (this one is a shared virtual machine whose host varies).
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
machine="${cpu_model:-unknown CPU}, $(nproc) CPUs; load average $(load) at the start; $(date -u '+%Y-%m-%d %H:%M UTC')"
for ((i = 0; i < REPEAT; i++)); do
  n=${#order[@]}
  for ((k = 0; k < n; k++)); do
    if ((i % 2 == 0)); then run_one "${order[k]}"; else run_one "${order[n - 1 - k]}"; fi
  done
done

# ---------------------------------------------------------------- the table
echo "$machine; load average $(load) at the end" > "$WORK/machine"
python3 - "$WORK" "$SIZE" "$MODEL" <<'EOF'
import sys
work, size, model = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
cpus = {}  # every run's CPU seconds, by tool: the spread
for line in open(f"{work}/results"):  # with --repeat, each tool's fastest run (least CPU seconds)
    r = line.split(None, 8)
    cpus.setdefault(r[0], []).append(float(r[2]))
    same = [i for i, o in enumerate(rows) if o[0] == r[0]]
    if not same:
        rows.append(r)
    elif float(r[2]) < float(rows[same[0]][2]):
        rows[same[0]] = r
print(f"peer {'sub-model' if model == 'submodel' else 'delegated-administrator model'}, size {size}: "
      "single-threaded, no symmetry reduction")
print(f"machine: {open(f'{work}/machine').read().strip()}")
print("| checker | distinct states | successful calls | CPU s | wall s | states/s (CPU) "
      "| bytes/state (stored) | state size B | peak RSS MiB | RSS B/state | notes |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for tool, states, cpu, wall, rss, bps, vec, succ, note in rows:
    states, cpu, rss = int(states), float(cpu), int(rss)
    rate = states / cpu if cpu > 0 else float("inf")
    print(f"| {tool} | {states:,} | {int(succ):,} | {cpu:.2f} | {float(wall):.2f} | {rate:,.0f} | {bps} | {vec} | "
          f"{rss / 1024:.1f} | {rss * 1024 / states:.1f} | {note.strip()} |")
counts = {int(r[1]) for r in rows}
calls = {int(r[7]) for r in rows}
if len(counts) != 1 or len(calls) != 1:
    print("compare-peers: the state counts or the successful calls DIFFER", file=sys.stderr)
    sys.exit(1)
print(f"all {len(rows)} agree: {counts.pop():,} distinct states, {calls.pop():,} successful calls")
med = lambda v: sorted(v)[len(v) // 2]
for tool, v in cpus.items():
    print(f"{tool}: CPU s of {len(v)} run(s), in run order: {', '.join(f'{x:.2f}' for x in v)}"
          f" (fastest {min(v):.2f}, median {med(v):.2f}, slowest {max(v):.2f})")
for ours in ("entmc", "entmc-baseline", "entmc-core"):
    for peer in ("SPIN", "SPIN-tuned", "entmc-baseline"):
        if ours in cpus and peer in cpus and peer != ours:
            rounds = [p / o for p, o in zip(cpus[peer], cpus[ours])]  # the same alternation round
            print(f"{ours} against {peer}: {min(cpus[peer]) / min(cpus[ours]):.2f}x by fastest runs, "
                  f"{med(cpus[peer]) / med(cpus[ours]):.2f}x by medians, {min(rounds):.2f}x-{max(rounds):.2f}x "
                  f"round by round (above 1: {ours} faster)")
# User and system time apart: the system part is mostly the kernel supplying
# fresh pages, which on a virtual machine can cost the host's work too and
# moves from run to run (docs/peers.md, "Fresh memory"; scripts/first-touch-cost.sh).
split = {}
for line in open(f"{work}/cpu-split"):
    tool, user, sys_ = line.split()
    split.setdefault(tool, ([], []))
    split[tool][0].append(float(user))
    split[tool][1].append(float(sys_))
for tool, (us, ss) in split.items():
    print(f"{tool}: user s {', '.join(f'{x:.2f}' for x in us)} (median {med(us):.2f}); "
          f"system s {', '.join(f'{x:.2f}' for x in ss)} (median {med(ss):.2f})")
for ours in ("entmc", "entmc-baseline", "entmc-core"):
    for peer in ("SPIN-tuned", "entmc-baseline"):
        if ours in split and peer in split and peer != ours:
            rounds = [p / o for p, o in zip(split[peer][0], split[ours][0])]
            print(f"{ours} against {peer}, user time alone: {med(split[peer][0]) / med(split[ours][0]):.2f}x by medians, "
                  f"{min(rounds):.2f}x-{max(rounds):.2f}x round by round")
if "entmc" in cpus and "entmc-core" in cpus:
    shares = [1 - c / a for c, a in zip(cpus["entmc-core"], cpus["entmc"])]
    print(f"the property checks' share of entmc's CPU time: {1 - med(cpus['entmc-core']) / med(cpus['entmc']):.0%} "
          f"by medians, {min(shares):.0%}-{max(shares):.0%} round by round (entmc-core: one cover property, "
          "no invariant or transition check)")
EOF
