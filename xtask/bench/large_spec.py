"""Writes a large spec for the diff benchmark: openapi.yaml repeated under /v0, /v1, ... with
renamed schemas and operationIds, until the file reaches the requested size.

usage: python3 large_spec.py openapi.yaml BYTES OUT.yaml

Run by hand only, by diff_speed.sh (benchmark 7 in BENCHMARKS.md); CI never runs it. It needs
PyYAML (`pip install pyyaml`), which CI does not install: it reads openapi.yaml, and it writes
YAML on purpose, laid out like the spec users compare (block style), so the benchmark times the
same kind of input.
"""
import copy
import json
import re
import sys

import yaml

source = yaml.safe_load(open(sys.argv[1]))
target = int(sys.argv[2])
out = copy.deepcopy(source)
out["paths"] = {}
out["components"]["schemas"] = dict(source["components"]["schemas"])
copies = 0
while True:
    suffix = f"V{copies}"
    text = re.sub(
        r"#/components/schemas/([A-Za-z0-9]+)",
        lambda match: f"#/components/schemas/{match.group(1)}{suffix}",
        json.dumps(source),
    )
    renamed = json.loads(text)
    for path, item in renamed["paths"].items():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                operation["operationId"] += suffix
        out["paths"][f"/v{copies}{path}"] = item
    for name, schema in renamed["components"]["schemas"].items():
        out["components"]["schemas"][name + suffix] = schema
    copies += 1
    text = yaml.safe_dump(out, sort_keys=False, width=100)
    if len(text) >= target:
        break
open(sys.argv[3], "w").write(text)
print(f"{sys.argv[3]}: {len(text)} bytes, {len(out['paths'])} paths")
