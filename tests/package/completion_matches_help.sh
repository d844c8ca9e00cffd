#!/usr/bin/env bash
# The bash completion (packaging/entmc.bash-completion) offers every
# subcommand of `entmc --help` and, for each, every option its --help lists:
# a new option or command fails this test until the completion has it.
# Usage: completion_matches_help.sh ENTMC COMPLETION_FILE
set -euo pipefail
entmc=$1
completion=$2
bash -n "$completion"
fail=0
commands=$("$entmc" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}')
top=$(grep -o 'compgen -W "[^"]*--version"' "$completion")
for cmd in $commands; do
  if ! grep -qw -- "$cmd" <<<"$top"; then
    echo "completion: the command '$cmd' is not offered"
    fail=1
    continue
  fi
  line=$(grep -E "^ +$cmd\) opts=" "$completion" || true)
  if [[ -z $line ]]; then
    echo "completion: no options for '$cmd'"
    fail=1
    continue
  fi
  for opt in $("$entmc" "$cmd" --help | grep -oE '^ +(-[a-zA-Z],)?--[a-z0-9-]+' | tr ',' ' '); do
    [[ $opt == -h ]] && continue
    if ! grep -q -- " $opt[ \"]" <<<" ${line#*opts=\"}"; then
      echo "completion: '$cmd $opt' is not offered"
      fail=1
    fi
  done
done
exit $fail
