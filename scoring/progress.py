"""Progress on long work: stage names and counts on a terminal, silence elsewhere."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints ``[1.2s] stage`` lines to stderr when it is a terminal and not ``quiet``.

    Lines appear only once the work has run for ``after`` seconds, so a quick build stays quiet.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None,
                 after: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.after = after
        self.start = time.monotonic()
        self.pending: list[str] = []

    def __call__(self, message: str) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        line = f"[{elapsed:5.1f}s] {message}"
        if elapsed < self.after:
            self.pending[:] = [line]  # remember the stage we are in, in case it runs long
            return
        for earlier in self.pending:
            print(earlier, file=self.stream)
        self.pending.clear()
        print(line, file=self.stream, flush=True)


def count(progress: object, label: str, done: int, total: int, unit: str) -> None:
    """Report ``done`` of ``total`` to a :class:`Progress` (other callables get nothing)."""
    method = getattr(progress, "count", None)
    if method is not None:
        method(label, done, total, unit)
