# gcstress tests — a protocol-1 adapter that misbehaves on purpose (targets/README.md,
# "Failures"). Its version picks how: ok answers every call; the others answer until their
# third `apply`, then crash (exit 3), abort (SIGABRT), print garbage, never answer, report an
# unknown event kind, or report `fatal`. crash-once crashes only in the first process that runs
# (a marker file under $GCS_TEST_MARKER_DIR), to show that the next execution gets a new adapter.
import json
import os
import sys
import time

mode = os.environ.get("GCS_TARGET_VERSION", "ok")
applies = 0
slot = 0
obj = 0


def reply(obj_):
    sys.stdout.write(json.dumps(obj_) + "\n")
    sys.stdout.flush()


def misbehave():
    sys.stderr.write("faulty adapter: misbehaving now (%s)\n" % mode)
    sys.stderr.flush()
    if mode == "crash":
        sys.exit(3)
    if mode == "crash-once":
        marker = os.path.join(os.environ["GCS_TEST_MARKER_DIR"], "crashed")
        if not os.path.exists(marker):
            open(marker, "w").close()
            sys.exit(3)
        return False
    if mode == "abort":
        os.abort()
    if mode == "garbage":
        sys.stdout.write("{\"bind\": nope}\n")
        sys.stdout.flush()
        return True
    if mode == "hang":
        time.sleep(3600)
    if mode == "bad-event":
        reply({"events": [{"kind": "frobnicate", "vm": 0}]})
        return True
    if mode == "fatal":
        reply({"fatal": "the adapter lost track of its slots"})
        return True
    return False


for line in sys.stdin:
    request = json.loads(line)
    call = request["call"]
    if call == "hello":
        reply({"protocol": 1, "name": "faulty", "library": "faulty " + mode})
    elif call == "begin":
        applies = slot = obj = 0
        reply({})
    elif call == "apply":
        applies += 1
        if applies == 3 and mode != "ok" and misbehave():
            continue
        if request["op"] == "new":
            slot += 1
            obj += 1
            reply({"bind": {"slot": slot, "obj": obj},
                   "events": [{"kind": "alloc", "vm": 0, "obj": obj, "site": "faulty.new"}]})
        elif request["op"] == "clone":
            slot += 1
            reply({"bind": {"slot": slot, "obj": request["obj"]["obj"]}})
        else:
            reply({})
    elif call == "discard":
        reply({})
    elif call == "live":
        reply({"live": []})
    else:
        reply({})
