"""The process a person's function runs in: `python _worker.py ...`.

It never imports gradcheck (its two helpers are loaded by path) and makes
gradcheck unimportable before the person's code loads, so nothing of the
references or of the expected answers can be reached from here. It receives
one case's inputs at a time, calls the function, and sends back what it
returned, the arguments after the call, and which of them it modified.
"""

import copy
import importlib.util
import os
import resource
import sys

import numpy  # noqa: F401 - loaded before the memory limit applies


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    wire = _load("gradcheck_worker_wire", os.path.join(here, "_wire.py"))
    target_module = _load("gradcheck_worker_target", os.path.join(here, "_target.py"))
    target, request_fd, response_fd, memory_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    requests, responses = os.fdopen(request_fd, "rb"), os.fdopen(response_fd, "wb")
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for name in [m for m in sys.modules if m == "gradcheck" or m.startswith("gradcheck.")]:
        del sys.modules[name]
    sys.modules["gradcheck"] = None  # `import gradcheck` now fails in the person's code
    try:
        fn = target_module.load_target(target)
    except BaseException as exc:  # noqa: BLE001 - anything the person's module does at import
        wire.send(responses, {"kind": "load_error", "message": str(exc) or target_module.describe_exception(exc)})
        return
    wire.send(responses, {"kind": "ready"})
    while True:
        message = wire.receive(requests)
        if message is None:
            return
        args, kwargs = wire.decode(message["call"])
        before = copy.deepcopy([args, kwargs])
        try:
            returned = fn(*args, **kwargs)
        except MemoryError:
            wire.send(responses, {"kind": "memory"})
            continue
        except SystemExit as exc:
            wire.send(responses, {"kind": "raised", "message": f"SystemExit: sys.exit({exc.code!r}) called", "text": ""})
            continue
        except BaseException as exc:  # noqa: BLE001 - the person's code may raise anything
            wire.send(responses, {"kind": "raised", "message": target_module.describe_exception(exc), "text": str(exc)})
            continue
        wire.send(responses, {
            "kind": "returned",
            "value": wire.encode(returned),
            "after": wire.encode([args, kwargs]),
            "changed": [list(p) for p in wire.changed_paths(before, [args, kwargs])],
        })


if __name__ == "__main__":
    main()
