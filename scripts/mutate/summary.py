#!/usr/bin/env python3
"""The mutation table of scripts/mutate.sh: per operator, mutants / unbuilt /
equivalent / killed (by check, fuzz, replay) / survived, the score over the
non-equivalent mutants, and every survivor with whether its site was reached.
Writes the per-mutant TSV to OUT.

    summary.py MUTANTS.jsonl SELECTED RESULTS.tsv EQUIVALENT.tsv OUT MIN_SCORE MIN_CHECK [UNBUILT_IDS]
"""
import collections, json, sys
mutants = {m["id"]: m for m in map(json.loads, open(sys.argv[1]))}
selected = [int(x) for x in open(sys.argv[2]).read().split()]
runs = {int(r[0]): r[1:] for r in (l.rstrip("\n").split("\t") for l in open(sys.argv[3])) if r[0]}
equivalent = {}
for l in open(sys.argv[4]):
    if l.strip() and not l.startswith("#"):
        f, op, before, after, why = l.rstrip("\n").split("\t")
        equivalent[(f, op, before, after)] = why
out, min_score, min_check = sys.argv[5], float(sys.argv[6]), float(sys.argv[7])
unbuilt = {int(x) for x in sys.argv[8].split(",") if x} if len(sys.argv) > 8 else set()
rows = []
for i in selected:
    m = mutants[i]
    key = (m["file"], m["op"], m["before"].strip(), m["after"].strip())
    if i in unbuilt:
        result, by, reached = "unbuilt", "-", "-"
    elif i not in runs:  # a sweep still running, or stopped: the table covers what ran
        continue
    else:
        result, by, reached = runs[i]
    why = ""
    if result == "survived" and key in equivalent:
        result, why = "equivalent", equivalent[key]
    rows.append((i, m, result, by, reached, why))
with open(out, "w") as f:
    f.write("id\tfile\tline\toperator\tresult\tby\treached\tmutated line\twhy equivalent\n")
    for i, m, result, by, reached, why in rows:
        line = m["after"].strip() or "(removed) " + m["before"].strip()
        f.write(f"{i}\t{m['file']}\t{m['line']}\t{m['op']}\t{result}\t{by}\t{reached}\t{line}\t{why}\n")
ops = collections.OrderedDict()
for i, m, result, by, reached, why in rows:
    c = ops.setdefault(m["op"], collections.Counter())
    c["mutants"] += 1
    c[result] += 1
    if result == "killed":
        c["by " + by.split(":")[0]] += 1
cols = ["mutants", "unbuilt", "equivalent", "killed", "by check", "by fuzz", "by replay", "survived"]
print(f"{'operator':<14} " + " ".join(f"{c:>10}" for c in cols))
tot = collections.Counter()
for op, c in ops.items():
    tot.update(c)
    print(f"{op:<14} " + " ".join(f"{c[k]:>10}" for k in cols))
print(f"{'all':<14} " + " ".join(f"{tot[k]:>10}" for k in cols))
judged = tot["mutants"] - tot["unbuilt"] - tot["equivalent"]
score = 100.0 * tot["killed"] / judged if judged else 100.0
check = 100.0 * tot["by check"] / judged if judged else 100.0
print(f"score: {score:.1f}% of {judged} non-equivalent mutants killed; {check:.1f}% by entmc check on the CI set alone")
for i, m, result, by, reached, why in rows:
    if result == "survived":
        print(f"survivor #{i} {m['file']}:{m['line']} {m['op']} (site {'reached' if reached == 'yes' else 'never reached'}): "
              f"{m['after'].strip() or '(removed) ' + m['before'].strip()}")
sys.exit(1 if score < min_score or check < min_check else 0)
