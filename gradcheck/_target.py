"""Finding the function to check: ``path/to/file.py:name`` or ``module:name``,
where ``name`` may be dotted (``Class.method``).

The worker process loads this file by path, outside the package, so that it
never imports gradcheck; it then uses a plain exception in place of TargetError."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from pathlib import Path

try:
    from ._errors import TargetError
except ImportError:  # loaded by path in the worker, outside the package

    class TargetError(Exception):
        pass


def _internal(filename: str) -> bool:
    """A frame of gradcheck's own machinery (the bundled demo code is not)."""
    path = filename.replace("\\", "/")
    return "/gradcheck/_" in path and not path.endswith("/_demo.py") or path.endswith("/gradcheck_worker_target.py")


def describe_exception(exc: BaseException) -> str:
    """``Type: message (at file:line)``, the line the person's code raised from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _internal(f.filename)]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}{': ' + message if message else ''}{where}"


def load_target(target: str):
    """The callable named by ``target``."""
    if ":" not in target:
        raise TargetError(f"target {target!r} needs the form path/to/file.py:function or module:function")
    location, _, name = target.rpartition(":")
    if not name:
        raise TargetError(f"target {target!r} names no function after the colon")
    if location.endswith(".py") or "/" in location or "\\" in location:
        path = Path(location)
        if not path.is_file():
            raise TargetError(f"no such file: {location}; give the path of the .py file that defines {name}")
        module_name = f"_gradcheck_target_{abs(hash(str(path.resolve())))}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(path.resolve().parent))  # so the file can import its neighbours
        try:
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - the person's code may raise anything, SystemExit included
            raise TargetError(f"importing {location} failed: {describe_exception(exc)}; fix the file so that `python {location}` runs") from None
        finally:
            sys.path.remove(str(path.resolve().parent))
    else:
        try:
            module = importlib.import_module(location)
        except BaseException as exc:  # noqa: BLE001
            raise TargetError(f"importing module {location!r} failed: {describe_exception(exc)}") from None
    obj = module
    for part in name.split("."):
        if not hasattr(obj, part):
            available = sorted(n for n in dir(obj) if not n.startswith("_") and callable(getattr(obj, n)))
            raise TargetError(f"{location} has no {name!r}; callables defined there: {', '.join(available) or 'none'}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise TargetError(f"{target} is a {type(obj).__name__}, not a function")
    return obj
