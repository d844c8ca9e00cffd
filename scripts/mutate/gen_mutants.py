#!/usr/bin/env python3
"""Mechanical mutants of the rules (model/*.cpp), one per site and operator,
never picked by hand (issue 17). Prints one JSON object per line:
{"id", "file", "line", "op", "before", "after", "start", "end"}: replace line
`line` (1-based) of `file` by `after`; [start, end) is the mutated site in
`before` (used by schemata.py, which puts every mutant in one build).

Operators:
  negate-if     if (C)            -> if (!(C))           (conditions on one line)
  eq-swap       a == b / a != b   -> the other
  rel-swap      a < b / a <= b / a > b / a >= b -> the other of its pair
  drop-mutation a statement calling a mutation helper (mut::..., activate,
                set_grant_status, on_account_*, bulk_set_status, ...) -> removed
  drop-fail     if (C) return fail(R);  -> removed (the refusal is skipped)
  enum-replace  GrantStatus::X / LicenseStatus::X / Membership::X /
                FeatureSet::X / ActivationOverride::X -> the next value used
Comments, #include lines and lines inside string literals are skipped.
"""
import json
import re
import sys

FILES = ["model/activation.cpp", "model/apply.cpp", "model/entitlement.cpp", "model/grant_lifecycle.cpp",
         "model/org_grants.cpp", "model/organization.cpp", "model/prerequisites.cpp", "model/subscriptions.cpp",
         "model/workloads.cpp"]

ENUMS = {
    "GrantStatus": ["PENDING_ACCEPT", "REJECTED", "ACTIVE", "DELETED", "DISABLED", "WORKFLOW_COMPLETED"],
    "LicenseStatus": ["AVAILABLE", "DEACTIVATED", "EXPIRED", "DELETED"],
    "Membership": ["OUTSIDE", "MEMBER", "MANAGEMENT"],
    "FeatureSet": ["ALL", "CONSOLIDATED_BILLING"],
    "ActivationOverride": ["NONE", "DISTRIBUTED_GRANTS_ONLY", "ALL_GRANTS_PERMITTED_BY_ISSUER"],
}
MUTATORS = re.compile(r"\b(mut::\w+|activate|on_account_joined|on_account_left|on_admin_deregistered|"
                      r"bulk_set_status|try_activate_child|add_child)\s*\(")


def code_part(line):
    i = line.find("//")
    return line if i < 0 else line[:i]


def if_condition(line):
    """(start, end) of C in `if (C)` when C closes on this line."""
    m = re.search(r"\bif \(", line)
    if not m:
        return None
    depth, start = 0, m.end() - 1
    for i in range(start, len(line)):
        if line[i] == "(":
            depth += 1
        elif line[i] == ")":
            depth -= 1
            if depth == 0:
                return start + 1, i
    return None


def mutants_of(lines):
    """[(op, after, line number, before, start, end)] for every site of every operator; [start, end) is
    the site in `before`: the condition (negate-if), the operator (eq-swap, rel-swap), `Type::VALUE`
    (enum-replace) or the whole statement (drop-*), which scripts/mutate/schemata.py rewrites."""
    out = []
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        code = code_part(line)
        s = code.strip()
        if not s or s.startswith("#") or s.startswith("*") or '"' in code:
            continue
        rest = line[len(code):]
        here = []
        cond = if_condition(code)
        if cond:
            a, b = cond
            here.append(("negate-if", code[:a] + "!(" + code[a:b] + ")" + code[b:] + rest, a, b))
        for m in re.finditer(r" (==|!=) ", code):
            rep = "!=" if m.group(1) == "==" else "=="
            here.append(("eq-swap", code[:m.start(1)] + rep + code[m.end(1):] + rest, m.start(1), m.end(1)))
        for m in re.finditer(r" (<=|<|>=|>) ", code):
            rep = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}[m.group(1)]
            here.append(("rel-swap", code[:m.start(1)] + rep + code[m.end(1):] + rest, m.start(1), m.end(1)))
        if re.match(r"\s*if \(.*\) return fail\(.*\);\s*$", code):
            here.append(("drop-fail", "", len(code) - len(code.lstrip()), len(code.rstrip())))
        elif (MUTATORS.search(code) and s.endswith(";") and not s.startswith("return")
              and s.count("(") == s.count(")") and "=" not in s.split("(")[0]):
            here.append(("drop-mutation", "", len(code) - len(code.lstrip()), len(code.rstrip())))  # a whole statement calling a mutation helper
        for m in re.finditer(r"\b(GrantStatus|LicenseStatus|Membership|FeatureSet|ActivationOverride)::(\w+)", code):
            values = ENUMS[m.group(1)]
            if m.group(2) in values:
                nxt = values[(values.index(m.group(2)) + 1) % len(values)]
                here.append(("enum-replace", code[:m.start(2)] + nxt + code[m.end(2):] + rest, m.start(), m.end()))
        out += [(op, after, n, line, a, b) for op, after, a, b in here]
    return out


def main():
    ident = 0
    for path in FILES:
        with open(path) as f:
            lines = f.readlines()
        for op, after, n, before, start, end in mutants_of(lines):
            ident += 1
            print(json.dumps({"id": ident, "file": path, "line": n, "op": op, "before": before, "after": after,
                              "start": start, "end": end}))


if __name__ == "__main__":
    main()
