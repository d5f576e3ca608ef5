"""The change log page (``changes.html``), and the 更正 lists of bulletins, from the audit trail.

Functions from :class:`scoring.audit.trail.Trail` to plain dicts of strings, so the templates
need no logic.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..audit.changelog import LIST_LIMIT, ChangeEntry, ScoreChange
from ..audit.closing import Correction
from ..audit.git import CommitInfo
from ..audit.provenance import UNCOMMITTED
from ..audit.trail import Trail
from ..ledger.model import Ledger
from .common import Source, current_is_demo, short_commit
from .env import PageBase


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


def commit_label(commit: CommitInfo | None) -> str:
    """A record's commit as the unit pages show it: ``a1b2c3d 张三 2023-05-12``, or 未提交."""
    if commit is None:
        return UNCOMMITTED
    return f"{commit.short} {commit.author} {commit.date[:10]}"


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
            "scores": [score_dict(s) for s in c.scores]}


def entry_dict(e: ChangeEntry, corrections: list[Correction],
               pages: set[tuple[int, str]] | None = None) -> dict[str, Any]:
    """One commit of the change log page (a bulk import lists its first records and files)."""
    records = []
    for r in e.records:
        if r.points_before is not None and r.points_after is not None:
            shown = f"{points(r.points_before, True)} → {points(r.points_after, True)}"
        else:
            shown = points(r.points_after if r.points_after is not None else r.points_before,
                           True)
        records.append({"status": r.status, "where": f"{r.path}:{r.line}", "text": r.text,
                        "points": shown})
    return {"commit": commit_dict(e.commit), "files": list(e.files[:LIST_LIMIT]),
            "files_count": len(e.files), "records_count": e.record_count,
            "scores": [score_dict(s, pages) for s in e.scores], "records": records,
            "corrections": [correction_dict(c) for c in corrections]}


class ChangesContext(PageBase):
    """Context of ``changes.html``. ``note``: why there is no history, when there is none."""

    entries: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    note: str | None


def changes_page(ledger: Ledger, source: Source, trail: Trail | None) -> ChangesContext:
    """The change log page: every commit that touched the ledger, newest first."""
    base = PageBase(title="台账变更记录", root="", year=None, draft=source.dirty,
                    demo=current_is_demo(ledger),
                    commit=short_commit(source))
    if trail is None:
        return ChangesContext(**base, entries=[], corrections=[],
                              note="台账不在 git 仓库中，或尚无提交。")
    pages = {(y, u.id) for y, year in ledger.years.items() if year.months for u in year.units}
    entries = [entry_dict(e, trail.corrections_of(e.commit.sha), pages) for e in trail.entries]
    note = trail.error or (None if trail.entries else "台账不在 git 仓库中，或尚无提交。")
    return ChangesContext(**base, entries=entries,
                          corrections=[correction_dict(c) for c in trail.corrections],
                          note=note)

