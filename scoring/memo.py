"""Skipping a build whose inputs and output are exactly those of the last build.

The build's output is a function of its inputs: every file and folder under the ledger, the
site's templates and assets, the code (the cache's version), and the git commit the ledger is
at (the stamp on every page; a dirty working tree shows in the files' content). The memo keeps
the hash of all of that with the list of files the build wrote (size, mtime, inode) and the
problems it reported. When a new build finds the same hash and an output folder that still
holds exactly those files, untouched, there is nothing to do: the build reports the same
problems and leaves the output alone. Otherwise the hashes of the ledger files computed here are
handed to the parse cache, so no file is read twice.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

from .cache import PACKAGE, Cache, code_version
from .problems import Problem

SITE_SRC = PACKAGE.parent / "site_src"


class Memo(NamedTuple):
    """What the last successful build into one output folder saw and wrote."""

    key: bytes
    manifest: dict[str, tuple[int, int, int]]  # relative path → (size, mtime_ns, inode)
    problems: list[Problem]


def hash_tree(root: Path, digests: dict[str, bytes] | None = None) -> bytes:
    """A hash of every folder and file (name and bytes) under ``root``, in sorted order.

    With ``digests``, each file's SHA-1 is also stored there by absolute path.
    """
    h = hashlib.sha1()
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        h.update(b"D" + folder.encode("utf-8", "surrogateescape") + b"\0")
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                stack.append(entry.path)
                continue
            try:
                with open(entry.path, "rb") as fh:
                    digest = hashlib.sha1(fh.read()).digest()
            except OSError:
                digest = b"unreadable"
            if digests is not None:
                digests[entry.path] = digest
            h.update(entry.name.encode("utf-8", "surrogateescape") + b"\0" + digest)
    return h.digest()


def git_head(repo: Path) -> str:
    """The commit checked out in ``repo`` ('' outside git or without commits)."""
    if not (repo / ".git").exists():
        return ""
    try:
        proc = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=repo,
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return proc.stdout.strip()


def manifest_of(out_dir: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under ``out_dir`` with its size, modification time and inode."""
    found: dict[str, tuple[int, int, int]] = {}
    stack = [(str(out_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                st = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


class BuildMemo:
    """The memo of builds from ``ledger_dir`` into ``out_dir``, kept in ``cache``."""

    def __init__(self, cache: Cache, ledger_dir: Path, repo: Path, out_dir: Path) -> None:
        self.cache = cache
        self.out_dir = out_dir.resolve()
        self.name = "build-" + hashlib.sha1(str(self.out_dir).encode()).hexdigest()[:16]
        self.digests: dict[str, bytes] = {}
        h = hashlib.sha1(code_version().encode() + b"\0" + git_head(repo).encode())
        h.update(hash_tree(ledger_dir.resolve(), self.digests))
        if SITE_SRC.is_dir():
            h.update(hash_tree(SITE_SRC))
        self.key = h.digest()

    def unchanged(self) -> list[Problem] | None:
        """The last build's problems when nothing changed since it; else None."""
        memo: Any = self.cache.load(self.name)
        if not isinstance(memo, Memo) or memo.key != self.key:
            return None
        try:
            if manifest_of(self.out_dir) != memo.manifest:
                return None
        except OSError:
            return None
        return list(memo.problems)

    def record(self, problems: list[Problem]) -> None:
        """Remember this build (call after the new output is in place)."""
        try:
            self.cache.save(self.name, Memo(self.key, manifest_of(self.out_dir), problems))
        except OSError:
            pass
