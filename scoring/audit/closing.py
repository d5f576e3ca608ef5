"""Closed months and corrections.

``build.py close 2023-05`` puts the annotated tag ``bulletin/2023-05`` on HEAD: the 2023年5月
bulletin is published as built from that commit, and can be rebuilt from the tag byte for byte.
A later commit that changes any file of ``ledger/2023/05/`` is a *correction* (更正). Its commit
message must say why, in a line of its own (a git trailer)::

    更正原因：区刊第18期采用漏记

(``更正原因:`` with an ASCII colon and ``Correction:`` are accepted too.) If a correction was
committed and published without one, a later commit may supply it by naming the commit:
``更正原因(a1b2c3d)：……``. ``check --strict`` fails with E501 on any correction without a
reason; the change log flags corrections; the next bulletin lists them (更正).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..ledger.check import check_ledger
from ..ledger.problems import Problem, errors_in
from .changelog import ScoreChange
from .git import (
    CommitInfo,
    GitError,
    LogCommit,
    commits_between,
    committer_identity,
    has_path,
    ledger_prefix,
    log_ledger,
    messages_since,
    repo_toplevel,
    rev_parse,
    run_git,
    source_stamp,
    tags,
)

TAG_PREFIX = "bulletin/"
# a year's configuration: changing it after a month of the year is closed corrects that month
CONFIG_FILES = ("rules.toml", "units.toml")
TRAILER = "更正原因"
_REASON = re.compile(r"^[ \t]*(?:更正原因|Correction)[ \t]*(?:[(（]([0-9a-fA-F]{7,40})[)）])?"
                     r"[ \t]*[:：][ \t]*(\S.*?)\s*$", re.MULTILINE)
NO_IDENTITY = ("本机未设置 git 身份，无法建立关账标签（标签须记明由谁关账）。"
               "请先设置经办人姓名和邮箱：\n"
               "  git config --global user.name \"姓名\"\n"
               "  git config --global user.email \"邮箱\"\n"
               "（只对本台账仓库设置时去掉 --global），然后重新关账。")
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


class CloseRefused(Exception):
    """``close`` cannot proceed; ``status`` is the exit code (1 state, 2 usage)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ClosedMonth(NamedTuple):
    """A month closed by the tag ``name`` on ``commit``."""

    name: str
    year: int
    month: int
    commit: str


class Correction(NamedTuple):
    """A commit that changed files of a closed month after its closing.

    reason: from the commit message trailer (or a later commit naming it), else None.
    scores: the score changes the commit caused (:class:`.changelog.ScoreChange`),
        empty when not computed. listed_in: the bulletin (year, month) that lists it, i.e. the
        first month closed after it; None while that bulletin is not yet closed.
    """

    year: int
    month: int
    commit: CommitInfo
    files: tuple[str, ...]
    reason: str | None
    scores: tuple[ScoreChange, ...] = ()
    listed_in: tuple[int, int] | None = None


def reasons(message: str) -> list[tuple[str | None, str]]:
    """The ``更正原因`` trailers of a commit message: (referenced commit or None, reason)."""
    return [(m[1], m[2]) for m in _REASON.finditer(message)]


def close_month(ledger_dir: Path, month: str) -> ClosedMonth:
    """Tag HEAD as the published state of ``month`` (YYYY-MM); see the module docstring."""
    m = _MONTH.match(month)
    if m is None:
        raise CloseRefused(f"月份“{month}”格式不对，应为 YYYY-MM（如 2023-05）。", 2)
    year, mon = int(m[1]), int(m[2])
    repo = repo_toplevel(Path(ledger_dir).resolve())
    if repo is None or rev_parse(repo, "HEAD") is None:
        raise CloseRefused(f"{ledger_dir} 不在已有提交的 git 仓库中，无法关账。", 2)
    folder = f"{ledger_prefix(repo, Path(ledger_dir))}/{m[1]}/{m[2]}".lstrip("/")
    if not (repo / folder).is_dir():
        raise CloseRefused(f"{folder} 不存在：{year} 年 {mon} 月还没有台账，不能关账。", 2)
    if source_stamp(ledger_dir)[1] or not has_path(repo, "HEAD", folder):
        raise CloseRefused("台账有未提交的修改（git status 可查看）：请先提交，再关账。", 1)
    name = f"{TAG_PREFIX}{month}"
    existing = rev_parse(repo, f"refs/tags/{name}")
    if existing is not None:
        raise CloseRefused(f"{year} 年 {mon} 月已关账（标签 {name} 在 {existing[:7]}）。", 1)
    _, problems = check_ledger(Path(ledger_dir))
    if errors_in(problems):
        raise CloseRefused(f"台账有 {len(errors_in(problems))} 个错误（python build.py check "
                           "可查看），不能关账。", 1)
    head = rev_parse(repo, "HEAD") or ""
    if committer_identity(repo) is None:
        raise CloseRefused(NO_IDENTITY, 1)
    try:
        run_git(repo, "tag", "-a", name, "-m", f"{year}年{mon}月通报关账", head)
    except GitError as exc:
        raise CloseRefused(f"无法建立标签 {name}：{exc}", 1) from exc
    return ClosedMonth(name, year, mon, head)


def closed_months(repo: Path, rev: str = "HEAD") -> list[ClosedMonth]:
    """The months closed in the history of ``rev``, in month order."""
    out = []
    for name, commit in tags(repo, f"{TAG_PREFIX}*", rev).items():
        m = _MONTH.match(name[len(TAG_PREFIX):])
        if m:
            out.append(ClosedMonth(name, int(m[1]), int(m[2]), commit))
    return sorted(out, key=lambda c: (c.year, c.month))


def find_corrections(repo: Path, prefix: str, commits: Iterable[LogCommit], rev: str = "HEAD",
                     closed: list[ClosedMonth] | None = None) -> list[Correction]:
    """Every commit (oldest first) that changed a month's files, or its year's rules.toml or
    units.toml, after the month was closed."""
    commits = list(commits)
    closed = closed_months(repo, rev) if closed is None else closed
    after = {c.name: commits_between(repo, c.commit, rev) for c in closed}
    # reasons given afterwards, by a commit naming the correction (it need not touch the ledger)
    late = [(ref.lower(), r) for _, message in (messages_since(repo, closed[0].commit, rev)
                                                if closed else [])
            for ref, r in reasons(message) if ref]
    out = []
    for log in commits:
        for month in closed:
            if log.info.sha not in after[month.name]:
                continue
            folder = f"{prefix}/{month.year}/{month.month:02d}/".lstrip("/")
            config = {f"{prefix}/{month.year}/{name}".lstrip("/") for name in CONFIG_FILES}
            files = tuple(c.path for c in log.changes
                          if c.path.startswith(folder) or c.path in config)
            if not files:
                continue
            own = [r for ref, r in reasons(log.info.message) if ref is None]
            reason = own[0] if own else next((r for ref, r in late
                                              if log.info.sha.startswith(ref)), None)
            listed = [(c.year, c.month) for c in closed if log.info.sha not in after[c.name]]
            out.append(Correction(month.year, month.month, log.info, files, reason,
                                  listed_in=min(listed) if listed else None))
    return out


def unexplained_corrections(ledger_dir: Path) -> list[Problem]:
    """E501 for every file changed by a correction that gives no reason (``check --strict``)."""
    repo = repo_toplevel(Path(ledger_dir).resolve())
    if repo is None:
        return []
    prefix = ledger_prefix(repo, Path(ledger_dir))
    problems = []
    seen: set[tuple[str, str]] = set()  # a configuration file corrects every closed month
    for c in find_corrections(repo, prefix, log_ledger(repo, prefix)):
        if c.reason is None:
            for path in c.files:
                if (c.commit.sha, path) in seen:
                    continue
                seen.add((c.commit.sha, path))
                problems.append(Problem(path, 0, "E501", (
                    f"{c.year} 年 {c.month} 月已关账，提交 {c.commit.short}（{c.commit.author}，"
                    f"{c.commit.date[:10]}）修改了该月台账，但提交说明中没有“{TRAILER}：……”一行。"
                    f"尚未推送的提交请用 git commit --amend 补写；已发布的提交请另行提交，"
                    f"在说明中写“{TRAILER}({c.commit.short})：……”。")))
    return problems


def corrections_for_bulletin(found: Iterable[Correction], year: int, month: int,
                             months: Iterable[tuple[int, int]],
                             closed: set[tuple[int, int]]) -> list[Correction]:
    """The corrections the bulletin of ``year``-``month`` lists under 更正.

    A correction is listed by the first bulletin closed after it (``listed_in``); until one
    is, by the earliest month of ``months`` (the ledger's months) after the corrected month
    that is not closed yet: the bulletin being prepared.
    """
    order = sorted(months)

    def target(c: Correction) -> tuple[int, int] | None:
        if c.listed_in is not None:
            return c.listed_in
        pending = [ym for ym in order if ym > (c.year, c.month) and ym not in closed]
        return pending[0] if pending else None
    return [c for c in found if target(c) == (year, month)]
