"""Git plumbing for the audit log: the stamp, one walk of the ledger's history, blobs, trees.

Everything here runs ``git`` as a subprocess and never raises for the ordinary cases of a ledger
outside any repository, a repository without commits, or a machine without ``git``: callers get
``None`` or an empty result and the build carries on unstamped.

History is read along the first-parent line (the office's main line): a merge counts as one
commit whose changes are its diff against its first parent.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

# Field and record separators of the log format; they cannot occur in paths or normal messages.
_REC, _FLD, _END = "\x1e", "\x1f", "\x1d"
_FORMAT = f"{_REC}%H{_FLD}%an{_FLD}%ae{_FLD}%aI{_FLD}%B{_END}"
# A fixed environment: no pager, no localisation of git's own output, no prompts.
_ENV = {"GIT_PAGER": "cat", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


class GitError(Exception):
    """A git command failed; ``args`` names it, the message is git's own stderr."""


class CommitInfo(NamedTuple):
    """One commit as the audit pages show it. ``date`` is the author date, ISO 8601."""

    sha: str
    author: str
    email: str
    date: str
    message: str

    @property
    def short(self) -> str:
        """A fixed-length short hash (git's own abbreviation grows with the repository)."""
        return self.sha[:7]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()


class FileChange(NamedTuple):
    """One file changed by a commit: blob ids before and after (None when added / deleted)."""

    path: str
    old: str | None
    new: str | None


class LogCommit(NamedTuple):
    """A commit of the ledger's history with the ledger files it changed."""

    info: CommitInfo
    changes: tuple[FileChange, ...]


def git_available() -> bool:
    return shutil.which("git") is not None


def run_git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    """Run ``git -C repo args``; its stdout, or :class:`GitError` with its stderr."""
    if not git_available():
        raise GitError("未找到 git 命令")
    env = {**os.environ, **_ENV}
    try:
        proc = subprocess.run(["git", "-c", "core.quotePath=false", "-C", str(repo), *args],
                              input=input, capture_output=True, env=env, check=False)
    except OSError as exc:
        raise GitError(str(exc)) from exc
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout


def repo_toplevel(path: Path) -> Path | None:
    """The work tree root of the git repository holding ``path``, or None."""
    folder = path if path.is_dir() else path.parent
    try:
        return Path(run_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except (GitError, FileNotFoundError, NotADirectoryError):
        return None


def ledger_prefix(repo: Path, ledger_dir: Path) -> str:
    """The ledger folder relative to the repository root, in POSIX form (``ledger``)."""
    rel = ledger_dir.resolve().relative_to(repo.resolve()).as_posix()
    return "" if rel == "." else rel


def rev_parse(repo: Path, rev: str) -> str | None:
    """The commit a revision names, as 40 hex digits, or None when it names no commit."""
    try:
        out = run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        return None
    return out.decode().strip() or None


def source_stamp(ledger_dir: Path) -> dict[str, object]:
    """``{"commit": HEAD sha or None, "dirty": ledger has uncommitted changes}`` (SPEC §5)."""
    return start_source_stamp(ledger_dir)()


def start_source_stamp(ledger_dir: Path) -> Callable[[], dict[str, object]]:
    """:func:`source_stamp`, asked of git now and read when called (the build loads the
    ledger meanwhile).

    One ``git status`` in the ledger folder gives both: its ``# branch.oid`` header, and any
    entry under the folder."""
    unstamped: dict[str, object] = {"commit": None, "dirty": False}
    folder = Path(ledger_dir).resolve()
    if not git_available() or not folder.is_dir():
        return lambda: dict(unstamped)
    try:
        proc = subprocess.Popen(["git", "-c", "core.quotePath=false", "-C", str(folder),
                                 "status", "--porcelain=v2", "--branch", "--untracked-files=all",
                                 "--", "."], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env={**os.environ, **_ENV})
    except OSError:
        return lambda: dict(unstamped)
    found: list[dict[str, object]] = []

    def stamp() -> dict[str, object]:
        if not found:
            status, _ = proc.communicate()
            found.append(_stamp_of(status) if proc.returncode == 0 else unstamped)
        return dict(found[0])
    return stamp


def _stamp_of(status: bytes) -> dict[str, object]:
    commit, dirty = None, False
    for line in status.splitlines():
        if line.startswith(b"# branch.oid "):
            oid = line[len(b"# branch.oid "):].decode("ascii", "replace").strip()
            commit = oid if len(oid) == 40 else None  # "(initial)": no commit yet
        elif line and not line.startswith(b"#"):
            dirty = True
    return {"commit": commit, "dirty": dirty}


def log_ledger(repo: Path, prefix: str, rev: str = "HEAD") -> list[LogCommit]:
    """Every commit up to ``rev`` that changed files under ``prefix``, oldest first (one walk)."""
    return log_with_blobs(repo, prefix, rev, None)[0]


def log_with_blobs(repo: Path, prefix: str, rev: str,
                   wanted: Callable[[FileChange], bool] | None
                   ) -> tuple[list[LogCommit], dict[str, bytes]]:
    """:func:`log_ledger`, and the new blobs of the ``wanted`` changes (:func:`read_blobs`).

    The blobs are asked of ``git cat-file --batch`` while ``git log`` is still writing (newest
    commit first), so reading them costs little more than the log itself.
    """
    if not git_available():
        raise GitError("未找到 git 命令")
    env = {**os.environ, **_ENV}
    args = ["git", "-c", "core.quotePath=false", "-C", str(repo)]
    try:
        log = subprocess.Popen([*args, "log", "--first-parent", "--diff-merges=first-parent",
                                "--raw", "--no-renames", "--no-abbrev", f"--format={_FORMAT}",
                                rev, "--", prefix or "."], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    except OSError as exc:
        raise GitError(str(exc)) from exc
    commits: list[LogCommit] = []
    batch = None
    try:
        batch = _BlobReader(args, env) if wanted is not None else None
        pending = b""
        assert log.stdout is not None and log.stderr is not None
        while True:
            chunk = log.stdout.read1(1 << 16)
            if not chunk:
                break
            records = (pending + chunk).split(_REC_B)
            pending = records.pop()
            _parse_records(records, commits, batch, wanted)
        _parse_records([pending], commits, batch, wanted)
        error = log.stderr.read()
        failed = log.wait() != 0
    except BaseException:
        log.kill()
        log.wait()
        raise
    finally:
        blobs = batch.finish() if batch is not None else {}
    if failed:
        if rev_parse(repo, rev) is None:
            return [], {}  # a repository without commits, or a revision that names none
        raise GitError(error.decode("utf-8", "replace").strip())
    commits.reverse()
    return commits, blobs


_REC_B = _REC.encode()
# the usual raw line: modes, blob ids, status, path (anything else goes through _raw_change)
_RAW = re.compile(r":[0-7]{6} ([0-7]{6}) ([0-9a-f]{40}) ([0-9a-f]{40}) [A-Z][0-9]*\t(.+)")
_ZERO = "0" * 40
_new = tuple.__new__  # a NamedTuple from a tuple, without its keyword-parsing __new__


def _parse_records(records: list[bytes], commits: list[LogCommit], batch: _BlobReader | None,
                   wanted: Callable[[FileChange], bool] | None) -> None:
    fullmatch = _RAW.fullmatch
    ask = batch.ask if batch is not None else None
    for record in records:
        if not record:
            continue
        head, _, raw = record.decode("utf-8", "replace").partition(_END)
        sha, author, email, date, message = head.split(_FLD, 4)
        changes: list[FileChange] = []
        for line in raw.splitlines():
            if not line.startswith(":"):
                continue
            m = fullmatch(line)
            if m is None:
                change = _raw_change(line)
                if change is None:
                    continue
            else:
                mode, old, new, path = m.groups()
                if mode == "160000":
                    continue
                change = _new(FileChange, (path, None if old == _ZERO else old,
                                           None if new == _ZERO else new))
            changes.append(change)
            if ask is not None and change.new is not None and wanted(change):  # type: ignore[misc]
                ask(change.new)
        commits.append(_new(LogCommit, (_new(CommitInfo, (sha, author, email, date,
                                                          message.strip())),
                                        tuple(changes))))
    if batch is not None:
        batch.flush()  # once per chunk of the log: cat-file works while the next is read


class _BlobReader:
    """One ``git cat-file --batch`` process: ids written as they come, output read aside."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.asked: dict[str, None] = {}
        self.queue: list[bytes] = []
        self.chunks: list[bytes] = []
        self.proc = subprocess.Popen([*args, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            chunk = out.read1(1 << 16)
            if not chunk:
                return
            self.chunks.append(chunk)

    def ask(self, blob: str) -> None:
        if blob not in self.asked:
            self.asked[blob] = None
            self.queue.append(blob.encode() + b"\n")

    def flush(self) -> None:
        if self.queue:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"".join(self.queue))
            self.proc.stdin.flush()
            self.queue = []

    def finish(self) -> dict[str, bytes]:
        """Close the request stream; every blob asked for (missing ones left out)."""
        try:
            self.flush()
        finally:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.thread.join()
            self.proc.wait()
        return _split_batch(b"".join(self.chunks), list(self.asked))


def _raw_change(line: str) -> FileChange | None:
    """``:100644 100644 <old> <new> M<TAB>path`` → FileChange (blobs only, no submodules)."""
    meta, _, path = line.partition("\t")
    fields = meta[1:].split()
    if len(fields) < 5 or fields[1] == "160000":
        return None
    zero = "0" * len(fields[2])
    old = None if fields[2] == zero else fields[2]
    new = None if fields[3] == zero else fields[3]
    return FileChange(path, old, new)


def read_blobs(repo: Path, ids: list[str]) -> dict[str, bytes]:
    """The content of many blobs through one ``git cat-file --batch`` process."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return {}
    out = run_git(repo, "cat-file", "--batch", input="".join(f"{i}\n" for i in unique).encode())
    return _split_batch(out, unique)


def _split_batch(out: bytes, unique: list[str]) -> dict[str, bytes]:
    blobs: dict[str, bytes] = {}
    pos = 0
    for blob_id in unique:
        eol = out.find(b"\n", pos)
        if eol < 0:
            break  # cat-file stopped early: the caller reads what is missing again
        header = out[pos:eol].split()
        if len(header) < 3 or header[1] == b"missing":
            pos = eol + 1
            continue
        size = int(header[2])
        blobs[blob_id] = out[eol + 1:eol + 1 + size]
        pos = eol + 1 + size + 1  # content is followed by a newline
    return blobs


def has_path(repo: Path, rev: str, path: str) -> bool:
    if not rev:
        return False  # the empty tree (see export_tree)
    try:
        return bool(run_git(repo, "ls-tree", rev, "--", path).strip())
    except GitError:
        return False


def parents(repo: Path, sha: str) -> list[str]:
    """The parent commits of ``sha`` (none for a repository's first commit)."""
    try:
        return run_git(repo, "rev-list", "--parents", "-n", "1", sha).decode().split()[1:]
    except GitError:
        return []


def export_tree(repo: Path, rev: str, prefix: str, dest: Path) -> Path:
    """Write ``prefix`` as it is at ``rev`` under ``dest`` (a git-archive export); return it.

    ``rev`` empty: nothing, the ledger before the first commit (an empty folder).

    ``dest`` is marked as a repository root (an empty ``.git`` folder), so the loader shows
    paths relative to it, exactly as in the real repository.
    """
    (dest / ".git").mkdir(parents=True, exist_ok=True)
    target = dest / prefix if prefix else dest
    target.mkdir(parents=True, exist_ok=True)
    if has_path(repo, rev, prefix or "."):
        data = run_git(repo, "archive", "--format=tar", rev, "--", prefix or ".")
        with tarfile.open(fileobj=BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
    return target


def tags(repo: Path, pattern: str, rev: str = "HEAD") -> dict[str, str]:
    """Tags matching ``pattern`` reachable from ``rev``: tag name → the commit it points at."""
    try:
        out = run_git(repo, "tag", "--merged", rev, "--list", pattern,
                      "--format=%(refname:short) %(objectname) %(*objectname)").decode()
    except GitError:
        return {}
    found: dict[str, str] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            found[parts[0]] = parts[2] if len(parts) > 2 else parts[1]
    return found


def messages_since(repo: Path, since: str, until: str = "HEAD") -> list[tuple[str, str]]:
    """(sha, message) of the first-parent commits after ``since`` up to ``until``, newest first."""
    try:
        out = run_git(repo, "log", "--first-parent", f"--format={_REC}%H{_FLD}%B",
                      f"{since}..{until}").decode("utf-8", "replace")
    except GitError:
        return []
    return [tuple(chunk.split(_FLD, 1)) for chunk in out.split(_REC)[1:]]  # type: ignore[misc]


def commits_between(repo: Path, since: str, until: str = "HEAD") -> set[str]:
    """First-parent commits reachable from ``until`` and not from ``since``."""
    try:
        out = run_git(repo, "rev-list", "--first-parent", f"{since}..{until}").decode()
    except GitError:
        return set()
    return set(out.split())
