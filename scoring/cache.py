"""The cache folder ``.kaoping-cache/`` in the ledger's repository root: JSON entries by name.

Git-ignored, outside the output folder, safe to delete at any time. Entries live in a folder
named after a hash of the package's code, so a change to the code starts afresh (the folders
of other versions are removed). An entry is written atomically (temporary file, then
``os.replace``); one that cannot be read for any reason is treated as missing, and one that
cannot be written is simply not kept. The speed-ups that use it say what they keep:
:mod:`scoring.memo` and :mod:`scoring.audit.commitcache`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .ledger.repo import repo_root_of

DIRNAME = ".kaoping-cache"
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's source and of the interpreter that runs it."""
    h = hashlib.sha1(sys.version.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


class Cache:
    """Named JSON entries in ``<root>/<code version>/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / code_version()

    def load(self, name: str) -> Any | None:
        """The entry ``name``, or None when absent or unreadable."""
        try:
            return json.loads((self.dir / f"{name}.json").read_bytes())
        except (OSError, ValueError):
            return None

    def save(self, name: str, value: Any) -> None:
        """Keep ``value`` under ``name`` (atomically; nothing when the folder is not writable)."""
        try:
            self._prune()
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.dir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(value, fh, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, self.dir / f"{name}.json")
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove the folders of other code versions (they can never be read again)."""
        if self.root.is_dir():
            for entry in self.root.iterdir():
                if entry.is_dir() and entry.name != self.dir.name:
                    shutil.rmtree(entry, ignore_errors=True)


def open_cache(ledger_dir: Path) -> Cache:
    """The cache folder of the repository holding ``ledger_dir`` (``.kaoping-cache/``)."""
    return Cache(repo_root_of(ledger_dir.resolve()) / DIRNAME)
