#!/usr/bin/env python3
"""null — the do-nothing remote target: the protocol benchmark's adapter (targets/README.md).

Answers every call at once. Ops that bind a handle bind a fresh slot (new, export: a fresh
allocation too, reported as `alloc`; clone, upgrade: the same allocation); weak and register bind a
fresh slot. Nothing is ever freed, used or held: no other events, and `live` is empty.
"""
import json
import sys

ALLOC_KIND = {"new": 0, "export": 3}  # the alloc's value: ObjectKind (plain, proxy)


def main():
    read = sys.stdin.buffer.readline
    out = sys.stdout.buffer
    dumps = json.dumps
    loads = json.loads
    last_id = 0
    last_slot = 0
    current = []  # thread -> its current VM
    while True:
        line = read()
        if not line:
            return
        try:
            req = loads(line)
            call = req["call"]
            if call == "apply":
                op = req["op"]
                if op == "new" or op == "export":
                    last_id += 1
                    last_slot += 1
                    vm = req["vm"] if op == "export" else current[req["thread"]]
                    kind = 1 if req.get("type") == "subclass" else ALLOC_KIND[op]
                    alloc = {"kind": "alloc", "vm": vm, "obj": last_id, "site": "null." + op}
                    if kind:
                        alloc["value"] = kind
                    reply = {"bind": {"slot": last_slot, "obj": last_id}, "events": [alloc]}
                elif op == "clone" or op == "upgrade" or op == "weak":
                    last_slot += 1
                    src = req["weak"] if op == "upgrade" else req["obj"]
                    reply = {"bind": {"slot": last_slot, "obj": src["obj"]}}
                elif op == "register":
                    last_slot += 1
                    reply = {"bind": {"slot": last_slot, "obj": 0}}
                elif op == "switch_vm":
                    current[req["thread"]] = req["vm"]
                    reply = {}
                else:
                    reply = {}
            elif call == "discard" or call == "thread_begin" or call == "thread_end":
                reply = {}
            elif call == "begin":
                last_id = 0
                last_slot = 0
                threads = req["scenario"]["threads"]
                current = [t["vm"] for t in threads] + [0]
                reply = {}
            elif call == "live":
                reply = {"live": []}
            elif call == "hello":
                reply = {"protocol": 1, "name": "null", "library": "nothing (the protocol benchmark)"}
            elif call == "inspect":
                reply = {"alive": False, "refcount": -1, "vm": 0}
            else:  # teardown, end
                reply = {}
        except Exception as e:  # noqa: BLE001 - any failure is the adapter's own
            reply = {"fatal": f"{type(e).__name__}: {e}"}
        out.write(dumps(reply, separators=(",", ":")).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
