#!/usr/bin/env bash
# Checks the CI model set (scenarios/models/ci/*.yaml, issue 17) with
# `entmc check --require-enabled` (each model: every operation of its bounds
# succeeds somewhere, no bounds domain it needs is empty) and fails unless
# every model passes and, over the whole set,
# every operation of the model succeeds somewhere, every cover property is
# reached, and every grant and license status the model can rest in is
# reached (no vacuous PASS). Prints each model's states and time.
# Usage: scripts/ci-models.sh [ENTMC]   (JOBS=N explorer threads, default 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
entmc="${1:-$root/build/cli/entmc}"
jobs="${JOBS:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { printf '%d.%01d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }
total_start=$(ms)
for m in "$root"/scenarios/models/ci/*.yaml; do
  name="$(basename "$m" .yaml)"
  start=$(ms)
  if ! "$entmc" check -q --json --require-enabled -j"$jobs" "$m" >"$out/$name.json"; then
    echo "ci-models: $name: entmc check failed" >&2
    status=1
  fi
  printf '%-28s %8s s\n' "$name" "$(secs $(( $(ms) - start )))"
done
printf '%-28s %8s s\n' "the whole set" "$(secs $(( $(ms) - total_start )))"
python3 - "$out" <<'PY' || status=1
import glob, json, sys
ops, covers, grants, licenses = {}, {}, set(), set()
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    j = json.load(open(path))
    name = path.rsplit("/", 1)[1][:-5]
    print(f"  {name}: {j['verdict']}, {j['statistics']['states']} states, {j['statistics']['transitions']} transitions")
    for op, c in j["check"]["coverage"].items():
        ops[op] = ops.get(op, 0) + c["succeeded"]
    for c in j["check"]["cover"]:
        covers[c["property"]] = covers.get(c["property"], False) or c["reached"]
    grants |= {s for s, r in j["check"]["grant_statuses_reached"].items() if r}
    licenses |= {s for s, r in j["check"]["license_statuses_reached"].items() if r}
ALL_OPS = ["Subscribe", "CancelSubscription", "DeactivateLicense", "ExpireLicense", "CreateGrant", "AcceptGrant",
           "RejectGrant", "AcceptAndActivateGrant", "CreateGrantVersion", "DeleteGrant", "UpdateServiceSettings",
           "EnableAWSServiceAccess", "CreateServiceLinkedRole", "EnableAllFeatures", "InviteAccountToOrganization",
           "AcceptHandshake", "RemoveAccountFromOrganization", "LeaveOrganization", "RegisterDelegatedAdministrator",
           "DeregisterDelegatedAdministrator", "LaunchWorkload", "StopWorkload"]
GRANTS = {"PENDING_ACCEPT", "REJECTED", "ACTIVE", "DELETED", "DISABLED", "WORKFLOW_COMPLETED"}
LICENSES = {"AVAILABLE", "DEACTIVATED", "EXPIRED", "DELETED"}
bad = [f"operation {o} never succeeds" for o in ALL_OPS if ops.get(o, 0) == 0]
bad += [f"cover property {p} never reached" for p, r in covers.items() if not r]
bad += [f"grant status {s} never reached" for s in sorted(GRANTS - grants)]
bad += [f"license status {s} never reached" for s in sorted(LICENSES - licenses)]
for b in bad:
    print("ci-models: " + b, file=sys.stderr)
print("ci-models: every operation succeeds, every cover property and every status is reached" if not bad else
      f"ci-models: {len(bad)} gap(s)")
sys.exit(1 if bad else 0)
PY
exit $status
