#!/usr/bin/env bash
# The properties are independent oracles (issue 17; properties/README.md):
# they read the state, the call, its outcome and its change log, and state
# every fact they need themselves. This check fails when a file of
# properties/ includes a model header other than the data ones, or names one
# of the model's decision helpers, its operation table or its rule table.
# Comments are left out before matching. Usage: check-oracle-independence.sh [REPO_ROOT]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

# The model headers a property may include: the records and the call.
allowed='model/(world|types|call|errors|names)\.h'
# Decision helpers (model/entitlement.h, model/rules.h, model/apply.h,
# model/changes_log.h), the operation table (spec(), kOpSpecTable,
# OpSpec::license_manager_call), the rule table and the derived counters.
forbidden='\bspec\(|kOpSpecTable|\.license_manager_call\b|\bRules\b|rules::|\bmut::|\bprecheck\(|\bapply\(|active_licenses\b|\bentitled\(|is_org_administrator|has_marketplace_role|has_license_manager_role|entitlement_account|find_org_child|has_own_available_subscription|activation_blocker|\bactive_license_count\(|on_account_joined|on_account_left|on_admin_deregistered|bulk_set_status'

status=0
for f in properties/*.h properties/*.cpp; do
  code=$(sed -e 's://.*$::' "$f")
  while IFS= read -r inc; do
    [[ -z "$inc" ]] && continue
    if ! [[ "$inc" =~ $allowed ]]; then
      echo "$f: includes $inc (a property reads only $allowed from model/)"
      status=1
    fi
  done < <(grep -oE '#include "model/[^"]+"' <<<"$code" | sed -e 's/#include "//' -e 's/"$//' || true)
  if hits=$(grep -nE "$forbidden" <<<"$code"); then
    while IFS= read -r h; do echo "$f:$h  (a model decision helper or table)"; done <<<"$hits"
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "properties/: independent of the model's decision helpers and tables"
exit $status
