"""Running a person's function on one case's arguments: in gradcheck's own
process (a function object, e.g. from a notebook) or isolated in a worker
process with limits (a target such as file.py:name, for untrusted code).

Both answer a call with a Call: what came back, the arguments after the
call, and which of them the function modified; or raise CallFailed saying
why there is no answer.
"""

from __future__ import annotations

import copy
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import _wire
from ._errors import TargetError
from ._target import describe_exception

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Limits:
    """Per-call limits of an isolated function."""

    timeout: float = 10.0  # seconds of wall time per case
    memory_mb: int = 2048  # address space of the worker process
    max_output: int = 1_000_000  # bytes the function may print, stdout and stderr together


class Call(NamedTuple):
    returned: object
    after: list  # [args, kwargs] after the call
    changed: tuple  # paths into [args, kwargs] of arguments the call modified


class CallFailed(Exception):
    """The call gave no result; ``message`` says why, ``text`` is the raw error text."""

    def __init__(self, message: str, text: str = "", *, raised: bool = False):
        super().__init__(message)
        self.message, self.text, self.raised = message, text, raised


class InProcess:
    """Calls a function object in this process: no isolation, no limits."""

    def __init__(self, fn):
        self.fn = fn
        self.name = getattr(fn, "__qualname__", repr(fn))

    def __call__(self, args, kwargs) -> Call:
        before = copy.deepcopy([args, kwargs])
        try:
            returned = self.fn(*args, **kwargs)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - the person's code may raise anything
            raise CallFailed(describe_exception(exc), str(exc), raised=True) from None
        return Call(returned, [args, kwargs], tuple(_wire.changed_paths(before, [args, kwargs])))

    def close(self):
        pass


class Isolated:
    """Calls ``target`` in a worker process, one case at a time, within ``limits``.

    A worker serves calls until one breaks a limit or kills it; the next call
    starts a fresh one. Only the call's arguments go in, only its results come out.
    """

    def __init__(self, target: str, limits: Limits = Limits()):
        self.target, self.limits, self.name = target, limits, target
        self._proc = None

    # -- the worker -----------------------------------------------------------------------------------
    def _start(self):
        request_read, request_write = os.pipe()
        response_read, response_write = os.pipe()
        self._output = tempfile.TemporaryFile()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self._proc = subprocess.Popen(
            [sys.executable, str(_HERE / "_worker.py"), self.target, str(request_read), str(response_write),
             str(self.limits.memory_mb)],
            pass_fds=(request_read, response_write), stdin=subprocess.DEVNULL, stdout=self._output,
            stderr=self._output, env=env, start_new_session=True,
        )
        os.close(request_read)
        os.close(response_write)
        self._requests = os.fdopen(request_write, "wb")
        self._responses = os.fdopen(response_read, "rb")
        hello = self._wait(max(self.limits.timeout, 60.0), starting=True)
        if hello.get("kind") == "load_error":
            self.close()
            raise TargetError(hello["message"])

    def _kill(self):
        if self._proc is not None and self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()

    def close(self):
        if self._proc is None:
            return
        self._kill()
        for stream in (self._requests, self._responses, self._output):
            try:
                stream.close()
            except OSError:
                pass
        self._proc = None

    def _death(self) -> str:
        code = self._proc.wait()
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"killed by signal {name}" + (" (a crash, e.g. a segmentation fault)" if name == "SIGSEGV" else "")
        return f"exited with code {code} (os._exit or a crash)"

    def _wait(self, seconds: float, *, starting: bool = False) -> dict:
        answers: queue.Queue = queue.Queue()
        reader = threading.Thread(target=lambda: answers.put(_safe_receive(self._responses)), daemon=True)
        reader.start()
        deadline = time.monotonic() + seconds
        while True:
            try:
                answer = answers.get(timeout=0.05)
                break
            except queue.Empty:
                pass
            if os.fstat(self._output.fileno()).st_size > self.limits.max_output:
                self.close()
                raise CallFailed(f"printed more than {self.limits.max_output} bytes (the output limit)")
            if time.monotonic() > deadline:
                self.close()
                what = "loading your file" if starting else "the case"
                raise CallFailed(f"timed out after {seconds:g} s ({what}; --timeout sets the limit)")
        if answer is None:
            reason = self._death()
            self.close()
            raise CallFailed(f"the worker running your function {reason}")
        if isinstance(answer, Exception):
            self.close()
            raise CallFailed(f"your function's process sent something unreadable ({answer})")
        return answer

    # -- one call -------------------------------------------------------------------------------------
    def __call__(self, args, kwargs) -> Call:
        if self._proc is None:
            self._start()
        try:
            _wire.send(self._requests, {"call": _wire.encode([args, kwargs])})
        except BrokenPipeError:
            reason = self._death()
            self.close()
            raise CallFailed(f"the worker running your function {reason}") from None
        answer = self._wait(self.limits.timeout)
        kind = answer.get("kind")
        if kind == "memory":
            raise CallFailed(f"exceeded the memory limit of {self.limits.memory_mb} MiB (MemoryError; --memory sets the limit)")
        if kind == "raised":
            raise CallFailed(answer.get("message", "an error"), answer.get("text", ""), raised=True)
        if kind != "returned":
            self.close()
            raise CallFailed("your function's process answered out of turn")
        after = _wire.decode(answer["after"])
        changed = tuple(tuple(p) for p in answer.get("changed", []))
        return Call(_wire.decode(answer["value"]), after, changed)


def _safe_receive(stream):
    try:
        return _wire.receive(stream)
    except Exception as exc:  # noqa: BLE001 - a malformed message is the worker's fault, reported as such
        return exc
