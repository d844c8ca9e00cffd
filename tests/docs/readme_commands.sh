#!/usr/bin/env bash
# The README's command examples work as written: every line of its ``` blocks
# that starts with `entmc ` runs (in a scratch directory holding the
# repository's scenarios/, with the built entmc first on PATH) and exits 0.
# Lines listed in SLOW are skipped (they take minutes); everything else runs.
# Usage: readme_commands.sh SOURCE_DIR ENTMC_BINARY
set -uo pipefail
src=$1
bin=$2
SLOW=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$src/scenarios" "$work/scenarios"
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/entmc"
export PATH="$work/bin:$PATH"
cd "$work"
failed=0
ran=0
in_block=0
while IFS= read -r line; do
  if [[ $line == '```'* ]]; then
    in_block=$((1 - in_block))
    continue
  fi
  [[ $in_block == 1 && $line == entmc\ * ]] || continue
  cmd=${line%%#*}  # drop the trailing comment
  skip=0
  for s in "${SLOW[@]}"; do [[ $cmd == *"$s"* ]] && skip=1; done
  if [[ $skip == 1 ]]; then
    echo "skipped (slow): $cmd"
    continue
  fi
  ran=$((ran + 1))
  if bash -c "$cmd" >"$work/out.txt" 2>&1; then
    echo "ok: $cmd"
  else
    rc=$?
    echo "FAILED (exit $rc): $cmd"
    tail -20 "$work/out.txt"
    failed=$((failed + 1))
  fi
done <"$src/README.md"
echo "$ran README commands run, $failed failed"
[[ $ran -gt 0 && $failed == 0 ]]
