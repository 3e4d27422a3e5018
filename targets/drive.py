#!/usr/bin/env python3
"""drive.py — run a scenario on a remote target's adapter over protocol 1, without gcstress.

A test tool for the adapters in this folder (targets/README.md). It starts an adapter from its
manifest, sends hello / begin / thread_begin / apply / discard / thread_end / teardown / live / end
for a scenario under a fixed sequential schedule, checks every reply against the protocol, and
prints or compares the replies.

  drive.py run TARGET[@VERSION] SCENARIO [--schedule SPEC] [--executions N] [--processes N]
                                         [--print] [--expect leak|pass] [--expect-error NAME]
                                         [--no-error NAME]
  drive.py check            the adapters' regression checks (the expected results per version)
  drive.py bench TARGET[@VERSION] SCENARIO [--executions N]

The schedule: by default each thread runs to its end, the lowest-index runnable thread first (a
spawned worker becomes runnable at its spawn). --schedule "main:2,w:4,main" runs main for 2 steps,
then w for 4, then main to its end; threads left over then run as by default. --schedule random:SEED
runs one step at a time of a runnable thread picked at random (seeded: the same seed, the same
schedule). Variables are the
scenario's own: `as` binds the reply's value, `drop` unbinds and discards it (no apply), a
rebinding discards the old value after the new one is bound, and after every thread ended the
teardown thread discards what is still bound, in variable order.

Replies must be the same, byte for byte, across executions and processes (--executions,
--processes): that is the protocol's determinism rule.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

EVENT_KINDS = {
    "alloc", "free", "incref", "decref", "pool-queue", "pool-apply", "edge-set", "edge-clear",
    "finalize", "weak-clear", "collect-begin", "collect-unreachable", "collect-end", "enumerate",
    "use", "registry-register", "registry-unregister", "registry-callback", "export",
    "export-drop", "proxy-release", "proxy-invalidate", "message-send", "message-deliver",
    "call-begin", "call-serve", "call-settle", "attach", "detach", "vm-create-begin",
    "vm-create-end", "type-register", "vm-switch", "vm-destroy-begin", "vm-destroy-end",
    "terminate",
}
VAR_FIELDS = ("obj", "to", "weak", "held", "token", "from")
BINDS = {"new": "handle", "clone": "handle", "upgrade": "handle", "export": "handle",
         "weak": "weak", "register": "token"}
SITE = re.compile(r"^[a-z0-9._-]{1,64}$")
ERROR = re.compile(r"^[a-z0-9-]{1,64}$")


class ProtocolError(Exception):
    pass


# ---- the scenario ------------------------------------------------------------------------------

class Scenario:
    def __init__(self, path):
        with open(path) as f:
            doc = json.load(f)
        self.name = doc["name"]
        self.threads = []  # [{name, worker, steps}]
        for name, t in doc["threads"].items():
            if isinstance(t, list):
                self.threads.append({"name": name, "worker": False, "steps": t})
            else:
                self.threads.append({"name": name, "worker": bool(t.get("worker", False)),
                                     "steps": t["steps"]})
        self.index = {t["name"]: i for i, t in enumerate(self.threads)}
        # VMs: main, the workers' in thread order, then switch_vm names in order of appearance.
        self.vms = ["main"] + [t["name"] for t in self.threads if t["worker"]]
        for t in self.threads:
            for s in t["steps"]:
                if s["op"] == "switch_vm" and s["vm"] not in self.vms:
                    self.vms.append(s["vm"])
        spawned = {s["worker"] for t in self.threads for s in t["steps"] if s["op"] == "spawn"}
        for t in self.threads:
            t["vm"] = self.vms.index(t["name"]) if t["worker"] else 0
            t["spawned"] = t["worker"] and t["name"] in spawned
        # Variables in order of first appearance, with their kinds.
        self.vars = []
        self.kind = {}
        for t in self.threads:
            for s in t["steps"]:
                for f in VAR_FIELDS + ("as",):
                    v = s.get(f)
                    if v is not None and v not in self.vars:
                        self.vars.append(v)
                if "as" in s:
                    self.kind[s["as"]] = BINDS[s["op"]]
        for v in self.vars:
            self.kind.setdefault(v, "handle")

    def begin_request(self):
        return {"call": "begin",
                "scenario": {"name": self.name,
                             "threads": [{"name": t["name"], "worker": t["worker"], "vm": t["vm"],
                                          "spawned": t["spawned"]} for t in self.threads],
                             "vms": self.vms},
                "faults": []}


# ---- the adapter -------------------------------------------------------------------------------

class Adapter:
    def __init__(self, target):
        name, _, version = target.partition("@")
        folder = os.path.join(HERE, name)
        with open(os.path.join(folder, "target.json")) as f:
            self.manifest = json.load(f)
        versions = self.manifest.get("versions", [])
        self.version = version or (versions[0] if versions else "")
        if version and version not in versions:
            raise SystemExit(f"{name} has no version {version} (have {versions})")
        env = dict(os.environ, GCS_TARGET_VERSION=self.version)
        self.stderr = tempfile.TemporaryFile()  # shown when something goes wrong
        self.proc = subprocess.Popen(self.manifest["command"], cwd=folder, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        self.name = name
        self.latencies = []
        self.by_call = {}
        self.request({"call": "hello", "protocol": 1, "target": name, "version": self.version})

    def request(self, req):
        line = json.dumps(req, separators=(",", ":"))
        t0 = time.perf_counter()
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        out = self.proc.stdout.readline()
        self.latencies.append(time.perf_counter() - t0)
        key = req["call"] + ("/" + req["op"] if "op" in req else "")
        self.by_call.setdefault(key, []).append(time.perf_counter() - t0)
        if not out:
            raise ProtocolError(f"the adapter exited during {req['call']} (code {self.proc.wait()})"
                                + self.stderr_tail())
        text = out.decode()
        try:
            reply = json.loads(text)
        except ValueError as e:
            raise ProtocolError(f"bad JSON in reply to {req['call']}: {e}: {text[:120]!r}")
        if "fatal" in reply:
            raise ProtocolError(f"fatal reply to {req['call']}: {reply['fatal']}" + self.stderr_tail())
        return text.rstrip("\n"), reply

    def stderr_tail(self, n=2000):
        self.stderr.flush()
        self.stderr.seek(0, os.SEEK_END)
        size = self.stderr.tell()
        self.stderr.seek(max(0, size - n))
        tail = self.stderr.read().decode(errors="replace")
        return "\n--- adapter stderr (end) ---\n" + tail if tail else ""

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
        self.stderr.close()


def check_reply(req, reply, scenario, step_reply, known_ids):
    allowed = {"error", "bind", "events", "stopped"} if step_reply else \
        {"events", "protocol", "name", "library", "live", "alive", "refcount", "vm"}
    for k in reply:
        if k not in allowed:
            raise ProtocolError(f"{req['call']}: unknown reply field {k!r}")
    err = reply.get("error", "")
    if not isinstance(err, str) or (err and not ERROR.match(err)):
        raise ProtocolError(f"{req['call']}: bad error {err!r}")
    if "bind" in reply:
        b = reply["bind"]
        if set(b) != {"slot", "obj"} or not (0 < b["slot"] < 2**32) or not (0 <= b["obj"] < 2**24):
            raise ProtocolError(f"{req['call']}: bad bind {b}")
    for t in reply.get("stopped", []):
        if not (0 <= t < len(scenario.threads)) or not scenario.threads[t]["worker"]:
            raise ProtocolError(f"{req['call']}: stopped names a non-worker thread {t}")
    for i, e in enumerate(reply.get("events", [])):
        where = f"{req['call']}: /events/{i}"
        if e.get("kind") not in EVENT_KINDS:
            raise ProtocolError(f"{where}: unknown kind {e.get('kind')!r}")
        for k, v in e.items():
            if k == "kind":
                continue
            if k in ("vm", "current_vm"):
                if not isinstance(v, int) or not 0 <= v < len(scenario.vms):
                    raise ProtocolError(f"{where}: bad {k} {v}")
            elif k in ("obj", "other"):
                if not isinstance(v, int) or not 0 <= v < 2**24:
                    raise ProtocolError(f"{where}: bad {k} {v}")
            elif k in ("value", "aux"):
                if not isinstance(v, int):
                    raise ProtocolError(f"{where}: bad {k} {v}")
            elif k == "site":
                if not SITE.match(v):
                    raise ProtocolError(f"{where}: bad site {v!r}")
            else:
                raise ProtocolError(f"{where}: unknown event field {k!r}")
        if "vm" not in e:
            raise ProtocolError(f"{where}: no vm")
        if e["kind"] == "alloc":
            if e["obj"] in known_ids:
                raise ProtocolError(f"{where}: id {e['obj']} allocated twice")
            known_ids.add(e["obj"])


# ---- one execution -----------------------------------------------------------------------------

def parse_schedule(spec, scenario):
    if spec and spec.startswith("random:"):
        return int(spec.split(":", 1)[1])  # a seed: one step at a time, a random runnable thread
    plan = []
    for part in filter(None, (spec or "").split(",")):
        name, _, count = part.partition(":")
        if name not in scenario.index:
            raise SystemExit(f"--schedule: no thread {name!r}")
        plan.append((scenario.index[name], int(count) if count else None))
    return plan


def execute(adapter, scenario, plan, log):
    """Runs one execution; returns (reply lines, summary)."""
    lines = []
    n = len(scenario.threads)
    known_ids = set()
    summary = {"errors": [], "live": None}

    def send(req, step_reply=False):
        text, reply = adapter.request(req)
        check_reply(req, reply, scenario, step_reply, known_ids)
        lines.append(text)
        if log:
            print(json.dumps(req, separators=(",", ":")), file=log)
            print("  -> " + text, file=log)
        return reply

    bound = {}  # variable -> value
    started = [False] * n
    enabled = [not t["spawned"] for t in scenario.threads]
    pos = [0] * n
    done = [False] * n
    stopped = set()
    vm_exists = [True] * (1 + sum(t["worker"] for t in scenario.threads)) + \
        [False] * (len(scenario.vms) - 1 - sum(t["worker"] for t in scenario.threads))

    def discard(thread, kind, value):
        r = send({"call": "discard", "thread": thread, "kind": kind, "value": value},
                 step_reply=True)
        stopped.update(r.get("stopped", []))

    def step(t):
        s = scenario.threads[t]["steps"][pos[t]]
        index = pos[t]
        pos[t] += 1
        op = s["op"]
        if "vm" in s and op != "switch_vm" and not vm_exists[scenario.vms.index(s["vm"])]:
            return
        if op == "spawn":
            w = scenario.index[s["worker"]]
            if started[w] or enabled[w]:
                return
            enabled[w] = True
            return
        for f in VAR_FIELDS:
            if f in s and s[f] not in bound:
                return  # skipped: unbound
        if op == "drop":
            discard(t, scenario.kind[s["obj"]], bound.pop(s["obj"]))
            return
        req = {"call": "apply", "thread": t, "step": index, "op": op}
        for f in VAR_FIELDS:
            if f in s:
                req[f] = bound[s[f]]
        if "field" in s:
            req["field"] = s["field"]
        if "vm" in s:
            req["vm"] = scenario.vms.index(s["vm"])
        if "worker" in s:
            req["worker"] = scenario.index[s["worker"]]
        if op == "new":
            req["type"] = s.get("type", "object")
        r = send(req, step_reply=True)
        stopped.update(r.get("stopped", []))
        if r.get("error"):
            summary["errors"].append((scenario.threads[t]["name"], index, op, r["error"]))
            return
        if op == "switch_vm":
            vm_exists[scenario.vms.index(s["vm"])] = True
        if "as" in s and op in BINDS:
            old = bound.pop(s["as"], None)
            if "bind" in r:
                bound[s["as"]] = r["bind"]
            if old is not None:
                discard(t, scenario.kind[s["as"]], old)

    def run(t, count):
        if not started[t]:
            started[t] = True
            send({"call": "thread_begin", "thread": t})
        k = 0
        while pos[t] < len(scenario.threads[t]["steps"]) and (count is None or k < count):
            if t in stopped:
                break
            step(t)
            k += 1
        if pos[t] >= len(scenario.threads[t]["steps"]) or t in stopped:
            done[t] = True
            send({"call": "thread_end", "thread": t})

    send(scenario.begin_request())
    if isinstance(plan, int):
        rng = random.Random(plan)
        while True:
            ready = [t for t in range(n) if not done[t] and enabled[t]]
            if not ready:
                break
            run(rng.choice(ready), 1)
        plan = []
    for t, count in plan:
        if not done[t] and enabled[t]:
            run(t, count)
    while True:
        ready = [t for t in range(n) if not done[t] and enabled[t]]
        if not ready:
            break
        run(ready[0], None)
    for var in scenario.vars:
        if var in bound:
            discard(n, scenario.kind[var], bound.pop(var))
    send({"call": "teardown"})
    live = send({"call": "live"})["live"]
    if live != sorted(live):
        raise ProtocolError("live is not ascending")
    summary["live"] = live
    send({"call": "end"})
    return lines, summary


def run_scenario(target, path, schedule=None, executions=1, processes=1, log=None):
    """Returns (list of per-process lists of (lines, summary), latencies, wall seconds)."""
    scenario = Scenario(path)
    plan = parse_schedule(schedule, scenario)
    results = []
    latencies = []
    wall = 0.0
    for _ in range(processes):
        adapter = Adapter(target)
        try:
            per = []
            t0 = time.perf_counter()
            for _ in range(executions):
                per.append(execute(adapter, scenario, plan, log))
            wall += time.perf_counter() - t0
            latencies += adapter.latencies[1:]
            PROFILE.append(adapter.by_call)
        finally:
            adapter.close()
        results.append(per)
    return results, latencies, wall


PROFILE = []


def same_replies(results):
    first = results[0][0][0]
    for per in results:
        for lines, _ in per:
            if lines != first:
                for i, (a, b) in enumerate(zip(first, lines)):
                    if a != b:
                        return f"reply {i} differs:\n  {a}\n  {b}"
                return f"{len(first)} replies vs {len(lines)}"
    return None


# ---- commands ----------------------------------------------------------------------------------

def cmd_run(args):
    log = sys.stdout if args.print else None
    results, lat, wall = run_scenario(args.target, args.scenario, args.schedule, args.executions,
                                      args.processes, log)
    ok = True
    lines, summary = results[0][0]
    print(f"{args.target} {os.path.basename(args.scenario)}: errors {summary['errors']} "
          f"live {summary['live']}")
    diff = same_replies(results)
    n = args.executions * args.processes
    if n > 1:
        print(f"  determinism over {args.executions} executions x {args.processes} processes: "
              f"{'identical' if diff is None else 'DIFFERENT: ' + diff}")
        ok = ok and diff is None
    if args.expect == "leak" and not summary["live"]:
        print("  FAIL: expected a leak (live non-empty)")
        ok = False
    if args.expect == "pass" and (summary["live"] or summary["errors"]):
        print("  FAIL: expected a pass (no error, nothing live)")
        ok = False
    errors = {e[3] for e in summary["errors"]}
    for e in args.expect_error or []:
        if e not in errors:
            print(f"  FAIL: expected error {e}")
            ok = False
    for e in args.no_error or []:
        if e in errors:
            print(f"  FAIL: unexpected error {e}")
            ok = False
    return 0 if ok else 1


CHECKS = [
    # target, scenario, schedule, expectation (None: only determinism)
    ("comlink@4.4.1", "scenarios/terminate/terminate-minimal.json", "main:2,w,main", {"leak": True, "errors": []}),
    ("comlink@4.4.2", "scenarios/terminate/terminate-minimal.json", "main:2,w,main", {"leak": True, "errors": []}),
    ("comlink@4.4.1", "scenarios/terminate/terminate-release-workaround.json", None, {"leak": False, "errors": []}),
    ("comlink@4.4.2", "scenarios/terminate/terminate-release-workaround.json", None, {"leak": False, "errors": []}),
    # The termination lands while both calls are pending: the leak.
    ("comlink@4.4.1", "scenarios/terminate/terminate-reply-race.json", "w:3,main", {"leak": True, "errors": []}),
    ("comlink@4.4.2", "scenarios/terminate/terminate-reply-race.json", "w:3,main", {"leak": True, "errors": []}),
    # The worker answers each call before the termination: nothing leaks.
    ("comlink@4.4.1", "scenarios/terminate/terminate-reply-race.json", "w:3,main:4,w:1,main:2,w:1,main", {"leak": False, "errors": []}),
    ("comlink@4.4.2", "scenarios/terminate/terminate-reply-race.json", "w:3,main:4,w:1,main:2,w:1,main", {"leak": False, "errors": []}),
    # The termination lands before the export: main's steps fail cleanly, nothing leaks.
    ("comlink@4.4.1", "scenarios/terminate/terminate-collect-race.json", "killer,main,w", {"leak": False}),
    ("comlink@4.4.2", "scenarios/terminate/terminate-collect-race.json", "main:28,killer,main", {"leak": True}),
    ("comlink@4.4.1", "scenarios/examples/worker-terminate.json", "main:5,w1,main", None),  # attach/detach: not-supported
    ("coincident@2.1.4", "scenarios/proxy-table/proxy-table-minimal.json", None, {"leak": False, "error": "dangling-proxy"}),
    ("coincident@2.2.3", "scenarios/proxy-table/proxy-table-minimal.json", None, {"leak": False, "errors": []}),
    ("coincident@2.1.4", "scenarios/proxy-table/proxy-table-rage-click.json", None, {"leak": False, "error": "dangling-proxy"}),
    ("coincident@2.2.3", "scenarios/proxy-table/proxy-table-rage-click.json", None, {"leak": False, "errors": []}),
    ("coincident@2.1.4", "scenarios/examples/worker-proxy.json", None, None),
]


def cmd_check(args):
    failures = 0
    passed = 0
    for target, path, schedule, expect in CHECKS:
        if args.only and args.only not in target + path:
            continue
        try:
            results, lat, wall = run_scenario(target, os.path.join(ROOT, path), schedule, 2, 2)
        except ProtocolError as e:
            print(f"FAIL {target} {path}: {e}")
            failures += 1
            continue
        lines, summary = results[0][0]
        problems = []
        diff = same_replies(results)
        if diff is not None:
            problems.append("replies differ: " + diff)
        if expect is not None:
            if "leak" in expect and bool(summary["live"]) != expect["leak"]:
                problems.append(f"live {summary['live']}")
            if "errors" in expect and [e[3] for e in summary["errors"]] != expect["errors"]:
                problems.append(f"errors {summary['errors']}")
            if "error" in expect and expect["error"] not in {e[3] for e in summary["errors"]}:
                problems.append(f"no {expect['error']} (errors {summary['errors']})")
        verdict = "ok  " if not problems else "FAIL"
        print(f"{verdict} {target:17} {path}{' [' + schedule + ']' if schedule else ''}: "
              f"errors {[e[3] for e in summary['errors']]} live {summary['live']}"
              + ("".join("\n     " + p for p in problems)))
        if problems:
            failures += 1
        else:
            passed += 1
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


def cmd_bench(args):
    results, lat, wall = run_scenario(args.target, args.scenario, args.schedule, args.executions, 1)
    lat.sort()
    n = args.executions
    print(f"{args.target} {os.path.basename(args.scenario)}: {n} executions in {wall:.2f} s "
          f"({n / wall:.1f} exec/s, {1000 * wall / n:.1f} ms each); {len(lat)} replies, latency "
          f"median {1e6 * lat[len(lat) // 2]:.0f} us, p90 {1e6 * lat[int(len(lat) * 0.9)]:.0f} us, "
          f"max {1e6 * lat[-1]:.0f} us")
    for key, ls in sorted(PROFILE[0].items(), key=lambda kv: -sum(kv[1])):
        print(f"  {key:20} n={len(ls):5}  total {sum(ls):7.2f} s  mean {1000 * sum(ls) / len(ls):7.2f} ms")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("target")
    r.add_argument("scenario")
    r.add_argument("--schedule")
    r.add_argument("--executions", type=int, default=1)
    r.add_argument("--processes", type=int, default=1)
    r.add_argument("--print", action="store_true")
    r.add_argument("--expect", choices=["leak", "pass"])
    r.add_argument("--expect-error", action="append")
    r.add_argument("--no-error", action="append")
    c = sub.add_parser("check")
    c.add_argument("--only")
    b = sub.add_parser("bench")
    b.add_argument("target")
    b.add_argument("scenario")
    b.add_argument("--schedule")
    b.add_argument("--executions", type=int, default=20)
    args = ap.parse_args()
    try:
        return {"run": cmd_run, "check": cmd_check, "bench": cmd_bench}[args.cmd](args)
    except ProtocolError as e:
        print(f"protocol error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
