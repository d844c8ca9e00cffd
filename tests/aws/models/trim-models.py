#!/usr/bin/env python3
"""Writes the trimmed AWS service models the aws tests read (tests/aws/models/*.json).

Each output keeps the model's metadata, the operations entmc's exporter, importer and auditor
use, and the shapes they reach, without documentation strings. Sources (both Apache License 2.0,
from the botocore repository): ../shared/reference/aws-models/ for License Manager and
Organizations (botocore commit 0e6e2404b), Debian's python3-botocore 1.29.27 for IAM, EC2 and CloudTrail.
Rerun after updating a source:  python3 tests/aws/models/trim-models.py [SHARED_DIR]
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared")
debian = "/usr/lib/python3/dist-packages/botocore/data"
SOURCES = {
    "license-manager": (os.path.join(shared, "reference/aws-models/license-manager/2018-08-01/service-2.json"),
                        ["CreateGrant", "CreateGrantVersion", "AcceptGrant", "RejectGrant", "DeleteGrant",
                         "UpdateServiceSettings", "GetServiceSettings", "ListLicenses", "ListReceivedLicenses",
                         "ListDistributedGrants", "ListReceivedGrants"]),
    "organizations": (os.path.join(shared, "reference/aws-models/organizations/2016-11-28/service-2.json"),
                      ["EnableAWSServiceAccess", "EnableAllFeatures", "InviteAccountToOrganization",
                       "AcceptHandshake", "RemoveAccountFromOrganization", "LeaveOrganization",
                       "RegisterDelegatedAdministrator", "DeregisterDelegatedAdministrator",
                       "DescribeOrganization", "ListAccounts", "ListDelegatedAdministrators",
                       "ListAWSServiceAccessForOrganization"]),
    "iam": (os.path.join(debian, "iam/2010-05-08/service-2.json"), ["CreateServiceLinkedRole"]),
    "ec2": (os.path.join(debian, "ec2/2016-11-15/service-2.json"), ["RunInstances", "TerminateInstances"]),
    "cloudtrail": (os.path.join(debian, "cloudtrail/2013-11-01/service-2.json"), ["LookupEvents"]),
}

def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x

for name, (path, ops) in SOURCES.items():
    model = json.load(open(path))
    shapes, todo = {}, []
    out_ops = {}
    for op in ops:
        o = model["operations"][op]
        out_ops[op] = strip(o)
        for io in ("input", "output"):
            if io in o:
                todo.append(o[io]["shape"])
    while todo:
        s = todo.pop()
        if s in shapes:
            continue
        shape = model["shapes"][s]
        shapes[s] = strip(shape)
        for m in shape.get("members", {}).values():
            todo.append(m["shape"])
        for k in ("member", "key", "value"):
            if k in shape:
                todo.append(shape[k]["shape"])
    out = {"version": model.get("version", "2.0"), "metadata": model["metadata"], "operations": out_ops,
           "shapes": dict(sorted(shapes.items()))}
    with open(os.path.join(here, name + ".json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    print(name, len(out_ops), "operations", len(shapes), "shapes")
