#!/usr/bin/env python3
# gcstress tests — the nightly's CI configuration parses as YAML and has what its runners need:
# .github/workflows/nightly.yml (schedule + manual trigger, the preset x shard matrix running
# tools/nightly, reports uploaded) and .clusterfuzzlite/ (project.yaml, Dockerfile, build.sh
# calling fuzz/build.sh). Exit 0 pass, 1 fail, 77 skipped (PyYAML missing: tools/setup installs
# python3-yaml).
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("PyYAML (python3-yaml) is not installed: skipped")
    sys.exit(77)

root = sys.argv[1]
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def load(rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


wf = load(".github/workflows/nightly.yml")
need(isinstance(wf, dict), "nightly.yml: not a mapping")
# YAML 1.1 reads a bare `on` key as the boolean true.
on = wf.get("on", wf.get(True))
need(isinstance(on, dict), "nightly.yml: no `on` triggers")
on = on or {}
crons = [s.get("cron", "") for s in on.get("schedule") or []]
need(crons and all(len(c.split()) == 5 for c in crons), "nightly.yml: on.schedule needs a 5-field cron")
need("workflow_dispatch" in on, "nightly.yml: no workflow_dispatch (manual runs)")
job = (wf.get("jobs") or {}).get("nightly") or {}
matrix = (job.get("strategy") or {}).get("matrix") or {}
need(sorted(matrix.get("preset") or []) == ["asan", "tsan"], "nightly.yml: matrix.preset must be [asan, tsan]")
shards = matrix.get("shard") or []
need(len(shards) >= 2 and sorted(shards) == list(range(1, len(shards) + 1)), "nightly.yml: matrix.shard must be 1..N")
steps = job.get("steps") or []
runs = [s.get("run", "") for s in steps if isinstance(s, dict)]
nightly = [r for r in runs if "tools/nightly" in r]
need(len(nightly) == 1, "nightly.yml: exactly one step runs tools/nightly")
if nightly:
    r = nightly[0]
    need("--preset ${{ matrix.preset }}" in r, "nightly.yml: tools/nightly without --preset ${{ matrix.preset }}")
    m = re.search(r"--shard \$\{\{ matrix\.shard \}\}/(\d+)", r)
    need(m is not None and int(m.group(1)) == len(shards), "nightly.yml: --shard I/N must match the matrix")
    out = re.search(r"--out (\S+)", r)
    need(out is not None, "nightly.yml: tools/nightly without --out")
    uploads = [s for s in steps if isinstance(s, dict) and str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    need(len(uploads) == 1, "nightly.yml: one actions/upload-artifact step")
    if uploads and out:
        need(uploads[0].get("if") == "always()", "nightly.yml: upload reports even when the night fails (if: always())")
        need((uploads[0].get("with") or {}).get("path") == out.group(1), "nightly.yml: upload path != --out")
need(any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps if isinstance(s, dict)),
     "nightly.yml: no checkout")
need(any("tools/setup" in r for r in runs), "nightly.yml: dependencies not installed with tools/setup")
cfl = (wf.get("jobs") or {}).get("fuzz-at-scale") or {}
uses = [str(s.get("uses", "")) for s in cfl.get("steps") or [] if isinstance(s, dict)]
need(any(u.startswith("google/clusterfuzzlite/actions/build_fuzzers@") for u in uses), "nightly.yml: no ClusterFuzzLite build")
need(any(u.startswith("google/clusterfuzzlite/actions/run_fuzzers@") for u in uses), "nightly.yml: no ClusterFuzzLite run")

project = load(".clusterfuzzlite/project.yaml")
need(isinstance(project, dict) and project.get("language") == "c++", "project.yaml: language must be c++")
need("address" in (project or {}).get("sanitizers", []), "project.yaml: address sanitizer missing")
with open(os.path.join(root, ".clusterfuzzlite/Dockerfile"), encoding="utf-8") as f:
    docker = f.read()
need(re.search(r"^FROM gcr\.io/oss-fuzz-base/base-builder", docker, re.M) is not None, "Dockerfile: not FROM base-builder")
need("COPY .clusterfuzzlite/build.sh $SRC/" in docker, "Dockerfile: build.sh not copied to $SRC")
build_sh = os.path.join(root, ".clusterfuzzlite/build.sh")
need(os.access(build_sh, os.X_OK), "build.sh: not executable")
with open(build_sh, encoding="utf-8") as f:
    need("fuzz/build.sh" in f.read(), "build.sh: does not call fuzz/build.sh")
need(os.access(os.path.join(root, "tools/nightly"), os.X_OK), "tools/nightly: not executable")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("nightly.yml and .clusterfuzzlite/ OK")
