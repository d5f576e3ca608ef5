"""Git plumbing for the audit log: the stamp, one walk of the ledger's history, blobs, trees.

Everything here runs ``git`` as a subprocess and never raises for the ordinary cases of a ledger
outside any repository, a repository without commits, or a machine without ``git``: callers get
``None`` or an empty result and the build carries on unstamped.

History is read along the first-parent line (the office's main line): a merge counts as one
commit whose changes are its diff against its first parent.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
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


def committer_identity(repo: Path) -> str | None:
    """Who git would record as committer or tagger in ``repo``; None when no identity is set."""
    try:
        out = run_git(repo, "var", "GIT_COMMITTER_IDENT")
    except GitError:
        return None
    return out.decode("utf-8", "replace").strip() or None


def rev_parse(repo: Path, rev: str) -> str | None:
    """The commit a revision names, as 40 hex digits, or None when it names no commit."""
    try:
        out = run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        return None
    return out.decode().strip() or None


def source_stamp(ledger_dir: Path) -> tuple[str | None, bool]:
    """The ledger's commit (HEAD, or None) and whether it has uncommitted changes (SPEC §5).

    One ``git status`` in the ledger folder gives both: its ``# branch.oid`` header, and any
    entry under the folder."""
    folder = Path(ledger_dir).resolve()
    if not git_available() or not folder.is_dir():
        return None, False
    try:
        status = run_git(folder, "status", "--porcelain=v2", "--branch",
                         "--untracked-files=all", "--", ".")
    except GitError:
        return None, False
    commit, dirty = None, False
    for line in status.splitlines():
        if line.startswith(b"# branch.oid "):
            oid = line[len(b"# branch.oid "):].decode("ascii", "replace").strip()
            commit = oid if len(oid) == 40 else None  # "(initial)": no commit yet
        elif line and not line.startswith(b"#"):
            dirty = True
    return commit, dirty


def log_ledger(repo: Path, prefix: str, rev: str = "HEAD") -> list[LogCommit]:
    """Every first-parent commit up to ``rev`` that changed files under ``prefix``, oldest
    first, with the files it changed (a merge: its diff against its first parent)."""
    try:
        out = run_git(repo, "log", "--first-parent", "--diff-merges=first-parent", "--raw",
                      "--no-renames", "--no-abbrev", f"--format={_FORMAT}", rev, "--",
                      prefix or ".")
    except GitError:
        if rev_parse(repo, rev) is None:
            return []  # a repository without commits, or a revision that names none
        raise
    commits: list[LogCommit] = []
    for record in out.decode("utf-8", "replace").split(_REC)[1:]:
        head, _, raw = record.partition(_END)
        sha, author, email, date, message = head.split(_FLD, 4)
        changes = [c for c in map(_raw_change, raw.splitlines()) if c is not None]
        commits.append(LogCommit(CommitInfo(sha, author, email, date, message.strip()),
                                 tuple(changes)))
    commits.reverse()
    return commits


def _raw_change(line: str) -> FileChange | None:
    """``:100644 100644 <old> <new> M<TAB>path`` → FileChange (blobs only, no submodules)."""
    if not line.startswith(":"):
        return None
    meta, _, path = line.partition("\t")
    fields = meta[1:].split()
    if len(fields) < 5 or "160000" in fields[:2]:
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
    blobs: dict[str, bytes] = {}
    pos = 0
    for blob_id in unique:
        eol = out.find(b"\n", pos)
        if eol < 0:
            break
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


def export_index(repo: Path, prefix: str, dest: Path) -> Path:
    """Write ``prefix`` as it is in the index (what the next commit will hold) under ``dest``.

    The index is git's, or the one ``GIT_INDEX_FILE`` names (as during ``git commit -a``, for
    a pre-commit hook). ``dest`` is marked as a repository root, like :func:`export_tree`.
    """
    (dest / ".git").mkdir(parents=True, exist_ok=True)
    target = dest / prefix if prefix else dest
    target.mkdir(parents=True, exist_ok=True)
    names = run_git(repo, "ls-files", "-z", "--", prefix or ".")
    if names:
        run_git(repo, "checkout-index", "-z", "--stdin", f"--prefix={dest}{os.sep}", input=names)
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
