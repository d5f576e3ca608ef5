"""The build cache: results of earlier builds, keyed by the hash of everything they came from.

It lives outside the output folder (default ``.kaoping-cache/`` in the ledger's repository root,
git-ignored) and is safe to delete at any time. Its folder is named after a hash of the kaoping
package's source, so any change to the code starts a fresh cache. Each entry is one pickle file
with a versioned header and a checksum, written atomically (temporary file, then
``os.replace``); an entry that cannot be read for any reason is treated as missing. The cache
only ever saves work: every value it returns is the value the build would compute, because its
key covers every input.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomli

DIRNAME = ".kaoping-cache"
MAGIC = b"kaoping-cache 1\n"
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's source and of the parser and interpreter that run it."""
    h = hashlib.sha1(f"{sys.version}\0{tomli.__version__}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json", ".toml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


class _Hashed:
    """A file to write to that keeps the SHA-1 of what was written."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.sha1 = fh, hashlib.sha1()

    def write(self, data: bytes) -> int:
        self.sha1.update(data)
        return self.fh.write(data)  # type: ignore[no-any-return]


class Cache:
    """Named entries in ``<root>/<code version>/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / code_version()
        self._pruned = False
        self._writers: list[int] = []

    def load(self, name: str) -> Any | None:
        """The entry ``name``, or None when absent, from another version, or damaged."""
        try:
            with open(self.dir / name, "rb") as fh:
                blob = fh.read()
            head = MAGIC + code_version().encode()
            digest, payload = blob[len(head):len(head) + 20], blob[len(head) + 20:]
            if not blob.startswith(head) or hashlib.sha1(payload).digest() != digest:
                return None
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged cache must never fail the build
            return None

    def save(self, name: str, value: Any) -> None:
        """Store ``value`` atomically; a cache that cannot be written is simply not used.

        The pickle is streamed to the file (hashed as it goes, the digest written last into
        its place in the header), never held whole in memory."""
        try:
            if not self._pruned:
                self._prune()
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.dir)
            try:
                with os.fdopen(fd, "wb") as fh:
                    head = MAGIC + code_version().encode()
                    fh.write(head + bytes(20))
                    out = _Hashed(fh)
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                    fh.seek(len(head))
                    fh.write(out.sha1.digest())
                os.replace(tmp, self.dir / name)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass

    def save_later(self, entries: dict[str, Any], fork: bool = True) -> None:
        """Save ``entries`` in a forked child while this process goes on; see :meth:`wait`.

        Pickling a year's parsed files takes longer than parsing a few of them, so on a
        POSIX system the second core does it. Elsewhere, or with ``fork=False`` (a large
        ledger: the child would copy the memory it pickles), the entries are saved at once.
        """
        if not entries:
            return
        if not fork or not hasattr(os, "fork"):
            for name, value in entries.items():
                self.save(name, value)
            return
        if not self._pruned:
            self._prune()
        pid = os.fork()
        if pid == 0:  # the child: save, then leave without running the parent's exit handlers
            code = 0
            try:
                for name, value in entries.items():
                    self.save(name, value)
            except BaseException:  # noqa: BLE001 - never let a child unwind into the build
                code = 1
            os._exit(code)
        self._writers.append(pid)

    def wait(self) -> None:
        """Wait until the entries given to :meth:`save_later` are written."""
        while self._writers:
            pid = self._writers.pop()
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass

    def _prune(self) -> None:
        """Remove the folders of other code versions (they can never be read again)."""
        self._pruned = True
        if self.root.is_dir():
            for entry in self.root.iterdir():
                if entry.is_dir() and entry.name != self.dir.name:
                    shutil.rmtree(entry, ignore_errors=True)


class ParseCache:
    """Parsed unit files: one pack per year, ``path → (key, (UnitMonth, problems))``.

    The key is the SHA-1 of the file's bytes followed by the hash of its year's units.toml and
    rules.toml (:attr:`scoring.load.YearPlan.config_digest`); records carry their path, so the
    path is part of the key too.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.packs: dict[int, dict[str, tuple[bytes, Any]]] = {}
        self.changed: set[int] = set()

    def _pack(self, year: int) -> dict[str, tuple[bytes, Any]]:
        pack = self.packs.get(year)
        if pack is None:
            loaded = self.cache.load(f"parse-{year}")
            pack = self.packs[year] = loaded if isinstance(loaded, dict) else {}
        return pack

    def get(self, year: int, path: str, key: bytes) -> Any | None:
        entry = self._pack(year).get(path)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, year: int, path: str, key: bytes, parsed: Any) -> None:
        self._pack(year)[path] = (key, parsed)
        self.changed.add(year)

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that no longer exist (deleted or renamed)."""
        for year, pack in self.packs.items():
            gone = [p for p in pack if p not in paths]
            for p in gone:
                del pack[p]
            if gone:
                self.changed.add(year)

    def save(self, fork: bool = True) -> None:
        """Write the packs that changed (in the background: call ``cache.wait()`` later)."""
        self.cache.save_later({f"parse-{year}": self.packs[year] for year in sorted(self.changed)},
                              fork)
        self.changed.clear()
