"""Page data for the audit log: the change log page, provenance on unit pages, 更正 lists.

Functions from :class:`scoring.audit_changes.AuditLog` to plain dicts of strings, so the
templates need no logic: :func:`changes_page` (``changes.html``), :func:`commit_labels` (the
site's ``point_commit`` hook of the unit pages) and :func:`bulletin_corrections` (the 更正
section of the bulletin that lists a correction).
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .audit_changes import AuditLog, ChangeEntry, ScoreChange
from .closing import Correction, corrections_for_bulletin
from .gitlog import CommitInfo
from .model import Ledger
from .pages_common import is_demo, short_commit
from .provenance import UNCOMMITTED, describe_record, provenance
from .render_env import PageBase
from .results import Point

LIST_LIMIT = 50   # records and files shown per commit; `build.py diff` lists them all


def points(value: Decimal | None, sign: bool = False) -> str:
    """``480``, ``483.2``, ``+10``; an em dash for a figure that does not exist."""
    if value is None:
        return "—"
    n = int(value) if value == value.to_integral_value() else value.normalize()
    return f"{n:+}" if sign and n else f"{n}"


def commit_dict(commit: CommitInfo | None) -> dict[str, str]:
    """What a page shows of a commit; an uncommitted record gets ``未提交``."""
    if commit is None:
        return {"sha": "", "short": UNCOMMITTED, "author": "", "date": "", "time": "",
                "subject": "", "body": ""}
    return {"sha": commit.sha, "short": commit.short, "author": commit.author,
            "date": commit.date[:10], "time": commit.date[11:16], "subject": commit.subject,
            "body": commit.message.partition("\n")[2].strip()}


def score_dict(c: ScoreChange, pages: set[tuple[int, str]] | None = None) -> dict[str, Any]:
    """A unit's change; ``href`` links its page when the site has one (``pages``)."""
    delta = c.delta
    href = f"{c.year}/units/{c.id}.html" if pages and (c.year, c.id) in pages else None
    return {"year": c.year, "href": href, "id": c.id, "name": c.name, "before": points(c.before),
            "after": points(c.after), "delta": points(delta, sign=True) if delta is not None
            else "—", "up": bool(delta and delta > 0), "down": bool(delta and delta < 0),
            "rank_before": "—" if c.rank_before is None else str(c.rank_before),
            "rank_after": "—" if c.rank_after is None else str(c.rank_after),
            "rank_changed": c.rank_before != c.rank_after}


def correction_dict(c: Correction) -> dict[str, Any]:
    return {"year": c.year, "month": c.month, "label": f"{c.year} 年 {c.month} 月",
            "reason": c.reason or "（未写明更正原因）", "explained": c.reason is not None,
            "commit": commit_dict(c.commit), "files": list(c.files),
            "scores": [score_dict(s) for s in c.scores if isinstance(s, ScoreChange)]}


def entry_dict(e: ChangeEntry, pages: set[tuple[int, str]] | None = None) -> dict[str, Any]:
    """One commit of the change log page (a bulk import lists its first records and files)."""
    records = []
    for r in e.records[:LIST_LIMIT]:
        rec = r.delta.after or r.delta.before
        assert rec is not None
        shown = (f"{points(r.points_before, True)} → {points(r.points_after, True)}"
                 if r.delta.before and r.delta.after
                 else points(r.points_after if r.delta.after else r.points_before, True))
        records.append({"status": r.delta.status, "where": f"{rec.path}:{rec.line}",
                        "text": describe_record(rec), "points": shown})
    return {"commit": commit_dict(e.commit), "files": list(e.files[:LIST_LIMIT]),
            "files_count": len(e.files), "records_count": e.record_count,
            "scores": [score_dict(s, pages) for s in e.scores], "records": records,
            "corrections": [correction_dict(c) for c in e.corrections]}


def changes_context(log: AuditLog, pages: set[tuple[int, str]] | None = None) -> dict[str, Any]:
    """Every ledger commit, newest first, and every correction (for ``changes.html``)."""
    return {"entries": [entry_dict(e, pages) for e in log.entries],
            "corrections": [correction_dict(c) for c in log.corrections]}


class ChangesContext(PageBase):
    """Context of ``changes.html``. ``note``: why there is no history, when there is none."""

    entries: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    note: str | None


def changes_page(ledger: Ledger, source: dict[str, Any] | None,
                 log: AuditLog | None) -> ChangesContext:
    """The change log page: every commit that touched the ledger, newest first."""
    source = source or {"commit": None, "dirty": False}
    base = PageBase(title="台账变更记录", root="", year=None, draft=bool(source.get("dirty")),
                    demo=any(is_demo(y) for y in ledger.years.values()),
                    commit=short_commit(source))
    if log is None:
        return ChangesContext(**base, entries=[], corrections=[],
                              note="本次构建未读取 git 历史，没有变更记录。")
    pages = {(y, u.id) for y, year in ledger.years.items() if year.months for u in year.units}
    data = changes_context(log, pages)
    note = log.error or (None if log.entries else "台账不在 git 仓库中，或尚无提交。")
    return ChangesContext(**base, **data, note=note)


def commit_labels(ledger: Ledger, log: AuditLog | None) -> Callable[[Point], str | None]:
    """The unit pages' ``point_commit``: ``a1b2c3d 张三 2023-05-12`` for a record's points.

    Computed charges (shortfalls, penalty) have no record and get None; records changed since
    the last commit get 未提交.
    """
    found = provenance(ledger, log.provenance if log else None)

    def label(point: Point) -> str | None:
        if point.path is None or point.line is None:
            return None
        return commit_label(found.get((point.path, point.line)))
    return label


def commit_label(commit: CommitInfo | None) -> str:
    """A record's commit as the unit pages show it: ``a1b2c3d 张三 2023-05-12``, or 未提交."""
    if commit is None:
        return UNCOMMITTED
    return f"{commit.short} {commit.author} {commit.date[:10]}"


def bulletin_corrections(ledger: Ledger,
                         log: AuditLog | None) -> Callable[[int, int], list[dict[str, Any]]]:
    """year, month → the corrections that month's bulletin lists under 更正."""
    months = [(y, m) for y, year in ledger.years.items() for m in year.months]
    closed = set(log.closed) if log else set()
    found = log.corrections if log else []

    def listed(year: int, month: int) -> list[dict[str, Any]]:
        return [correction_dict(c)
                for c in corrections_for_bulletin(found, year, month, months, closed)]
    return listed
