#!/usr/bin/env bash
# The main job on the defaults that ship with entmc: installs what is missing,
# builds `entmc`, replays every seed scenario, then model-checks the default
# model exhaustively. Extra arguments go to `entmc check`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DENTMC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "${JOBS:-$(nproc)}" --target entmc
./build/cli/entmc replay --quiet scenarios/seed/*.yaml
./build/cli/entmc check scenarios/models/default.yaml "$@"
