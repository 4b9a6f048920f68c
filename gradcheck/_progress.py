"""A one-line progress display on standard error for runs longer than a
couple of seconds; silent when standard error is not a terminal, under CI,
and in JSON mode."""

from __future__ import annotations

import os
import sys
import time

DELAY = 2.0  # seconds before anything is shown


class Progress:
    def __init__(self, what: str, *, enabled: bool, stream=None):
        self.what, self.stream = what, stream or sys.stderr
        self.enabled = enabled and self.stream.isatty() and not os.environ.get("CI")
        self.start, self.shown = time.monotonic(), False

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled or time.monotonic() - self.start < DELAY:
            return
        self.stream.write(f"\r\033[K{self.what} {done + 1}/{total}: {name}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
