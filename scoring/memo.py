"""Skipping a build whose inputs and output are exactly those of the last build.

The build's output is a function of its inputs: every file and folder under the ledger, the
site's templates and assets, the code (the cache's version), and what it reads from git (HEAD,
the ledger's status for the 草稿 stamp, the tags of closed months). The memo keeps
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
from .source import blob_id
from .yearjobs import YearCache

SITE_SRC = PACKAGE.parent / "site_src"


class Memo(NamedTuple):
    """What the last successful build into one output folder saw and wrote."""

    key: bytes
    manifest: dict[str, tuple[int, int, int]]  # relative path → (size, mtime_ns, inode)
    problems: list[Problem]


def hash_tree(root: Path, digests: dict[str, bytes] | None = None) -> bytes:
    """A hash of every folder and file (name and bytes) under ``root``, in sorted order.

    With ``digests``, each file's git blob id is also stored there by absolute path (and each folder,
    as ``b"folder"``).
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
        if digests is not None and folder != str(root):
            digests[folder] = b"folder"  # an empty month folder is an input too
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                stack.append(entry.path)
                continue
            try:
                with open(entry.path, "rb") as fh:
                    digest = blob_id(fh.read())
            except OSError:
                digest = b"unreadable"
            if digests is not None:
                digests[entry.path] = digest
            h.update(entry.name.encode("utf-8", "surrogateescape") + b"\0" + digest)
    return h.digest()


class GitState:
    """What the pages take from git: HEAD, the ledger's status (the 草稿 stamp, as the index
    sees it) and every tag (closed months). The git commands start at once and run while the
    ledger is hashed; :meth:`result` collects them (empty outside git)."""

    COMMANDS = (["rev-parse", "-q", "--verify", "HEAD"],
                ["status", "--porcelain", "--untracked-files=all", "--", "{ledger}"],
                ["for-each-ref", "--format=%(objectname) %(refname)", "refs/tags"])

    def __init__(self, repo: Path, ledger: Path) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.failed = False
        if not (repo / ".git").exists():
            return
        env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
        try:
            for args in self.COMMANDS:
                self.procs.append(subprocess.Popen(
                    ["git", "-C", str(repo), *(a.format(ledger=ledger) for a in args)],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env))
        except OSError:
            self.failed = True

    def result(self) -> list[bytes]:
        """Each command's output and exit status: HEAD, status, tags ([] outside git)."""
        out = [b"unknown"] if self.failed else []
        for proc in self.procs:
            stdout, _ = proc.communicate()
            out.append(stdout + b"\0" + str(proc.returncode).encode())
        return out


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
        self.ledger_root = ledger_dir.resolve()
        git = GitState(repo, ledger_dir.resolve())
        h = hashlib.sha1(code_version().encode())
        h.update(hash_tree(ledger_dir.resolve(), self.digests))
        self.site_digest = hash_tree(SITE_SRC) if SITE_SRC.is_dir() else b""
        self.git = git.result()
        h.update(self.site_digest + b"\1".join(self.git))
        self.key = h.digest()

    def stamp_digest(self, dirty_too: bool = True) -> bytes:
        """What every page takes from outside its year: code, templates, and from git HEAD, the
        tags and whether the ledger is dirty (not which files are: that is in their hashes)."""
        if len(self.git) == 3:
            head, status, tags = self.git
        else:  # outside git, or git failed
            head, status, tags = b"".join(self.git), b"", b""
        dirty = b"dirty" if status.split(b"\0")[0].strip() else b"clean"
        dirty = dirty if dirty_too else b""
        return hashlib.sha1(b"\1".join((code_version().encode(), self.site_digest, head, tags,
                                        dirty))).digest()

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

    def year_cache(self) -> YearCache:
        """What :func:`scoring.yearjobs.build_years` needs to reuse unchanged years."""
        return YearCache(self.cache, self.digests, self.stamp_digest())

    def audit_key(self) -> bytes:
        """The key of the audit log's parts for the site (:func:`scoring.auditjob.parts_key`)."""
        from .auditjob import parts_key
        return parts_key(self.ledger_root, self.digests, self.stamp_digest(dirty_too=False))
