"""Progress on long work: stage names and counts on a terminal, silence elsewhere.

A build that takes more than a second shows where it is::

    [  1.0s] 读取台账 12000/54000 文件
    [  4.1s] 交叉校验（OA 编号、采用与批示引用）

Counts rewrite their own line (carriage return), at most ten times a second. Nothing is shown
when stderr is not a terminal (CI, pipes, logs) or with ``--quiet``, and nothing at all for work
that finishes within the first second.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

AFTER = 1.0  # seconds of work before anything is shown


class Progress:
    """Prints ``[1.2s] stage`` lines to stderr when it is a terminal and not ``quiet``.

    Lines appear only once the work has run for ``after`` seconds, so a quick build stays quiet.
    Call it with a stage name; call :meth:`count` for counted work within a stage.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None,
                 after: float | None = None, interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and _isatty(self.stream)
        self.after = AFTER if after is None else after
        self.interval = interval
        self.start = time.monotonic()
        self.pending: list[str] = []
        self._open = False  # a count line is shown without its newline yet
        self._last = 0.0

    def _elapsed(self) -> float:
        return time.monotonic() - self.start

    def __call__(self, message: str) -> None:
        if not self.enabled:
            return
        elapsed = self._elapsed()
        line = f"[{elapsed:5.1f}s] {message}"
        if elapsed < self.after:
            self.pending[:] = [line]  # remember the stage we are in, in case it runs long
            return
        self._close()
        for earlier in self.pending:
            print(earlier, file=self.stream)
        self.pending.clear()
        print(line, file=self.stream, flush=True)

    def count(self, label: str, done: int, total: int, unit: str = "") -> None:
        """Show ``label done/total unit`` on one line that updates in place."""
        if not self.enabled:
            return
        now = self._elapsed()
        finished = done >= total
        if now < self.after or (not finished and now - self._last < self.interval):
            return
        self._last = now
        if self.pending:
            self._close()
            print("\n".join(self.pending), file=self.stream)
            self.pending.clear()
        text = f"[{now:5.1f}s] {label} {done}/{total}{' ' + unit if unit else ''}"
        self.stream.write("\r" + text + ("\n" if finished else ""))
        self.stream.flush()
        self._open = not finished

    def _close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False

    def done(self) -> None:
        """End an unfinished count line (call before printing results)."""
        if self.enabled:
            self._close()
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
