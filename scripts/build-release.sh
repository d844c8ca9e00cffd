#!/usr/bin/env bash
# The fast build of `entmc`, for long checks and large simulations, and the
# build behind the README's throughput figures: -O3, link-time optimisation
# and GCC profile-guided optimisation (cmake/pgo.cmake). Two builds of one
# folder: an instrumented `entmc` runs the training below (a short run of
# each command on the shipped inputs) and writes profiles, then `entmc` is
# built again from them. Result: build-release/cli/entmc (ENTMC_RELEASE_DIR
# names another folder). Same results as every other build: scripts/test.sh
# (stage `release`) compares them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
JOBS=${JOBS:-$(nproc)}
DIR=${ENTMC_RELEASE_DIR:-build-release}
# GCC needs the profiles' folder as an absolute path; ENTMC_RELEASE_DIR may
# be either (compare-peers.sh passes an absolute one).
PROFILES="$(realpath -m "$DIR")/pgo-profiles"

configure() {  # PGO phase
  cmake -S . -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON \
    -DENTMC_BUILD_BENCH=OFF -DENTMC_PGO_DIR="$PROFILES" -DENTMC_PGO="$1" >/dev/null
}

echo "build-release: instrumented build" >&2
rm -rf "$PROFILES"
configure generate
cmake --build "$DIR" -j "$JOBS" --target entmc

echo "build-release: training" >&2
E="$DIR/cli/entmc"
"$E" simulate scenarios/sim/large.yaml --accounts 100000 --events 2000000 --no-progress --json >/dev/null
"$E" simulate scenarios/sim/small.yaml --no-progress --json >/dev/null
"$E" replay --quiet scenarios/seed/*.yaml >/dev/null
"$E" check scenarios/models/default.yaml -j 2 >/dev/null
"$E" fuzz --runs 100 --seed 1 --out "$DIR/pgo-fuzz-out" >/dev/null

echo "build-release: optimised build" >&2
configure use
cmake --build "$DIR" -j "$JOBS" --target entmc
echo "build-release: $E"
