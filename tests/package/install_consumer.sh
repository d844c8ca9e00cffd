#!/usr/bin/env bash
# cmake --install puts entmc, its man page, bash completion and the CMake
# package in a scratch prefix; a project outside the tree finds it with
# find_package(entmc), builds against entmc::scenario and replays a seed.
# Usage: install_consumer.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
test -x "$work/prefix/bin/entmc"
"$work/prefix/bin/entmc" --version
test -f "$work/prefix/share/bash-completion/completions/entmc"
bash -n "$work/prefix/share/bash-completion/completions/entmc"
test -f "$work/prefix/lib/cmake/entmc/entmcConfig.cmake"
test -f "$work/prefix/include/entmc/scenario/scenario.h"
if command -v help2man >/dev/null; then
  grep -q "entmc" "$work/prefix/share/man/man1/entmc.1"
  grep -q "replay" "$work/prefix/share/man/man1/entmc.1"
fi
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$src/tests/package/consumer" -B "$work/consumer" "${gen[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/consumer" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/consumer/consumer" "$src/scenarios/seed/accept_and_activate.yaml"
echo "the installed package works"
