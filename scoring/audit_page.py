"""Page data for the audit log: the change log page and record provenance on unit pages.

Pure functions from :class:`scoring.audit_changes.AuditLog` to plain dicts of strings, so the
templates need no logic and the site can call them whatever its renderer looks like.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .audit_changes import AuditLog, ChangeEntry, ScoreChange
from .closing import Correction
from .gitlog import CommitInfo
from .provenance import UNCOMMITTED, describe_record


def points(value: Decimal | None, sign: bool = False) -> str:
    """``480``, ``483.2``, ``+10``; an em dash for a figure that does not exist."""
    if value is None:
        return "—"
    n = int(value) if value == value.to_integral_value() else value.normalize()
    return f"{n:+}" if sign and n else f"{n}"


def commit_dict(commit: CommitInfo | None) -> dict[str, str]:
    """What a page shows of a commit; an uncommitted record gets ``未提交``."""
    if commit is None:
        return {"sha": "", "short": UNCOMMITTED, "author": "", "date": "", "subject": ""}
    return {"sha": commit.sha, "short": commit.short, "author": commit.author,
            "date": commit.date[:10], "time": commit.date[11:16], "subject": commit.subject,
            "body": commit.message.partition("\n")[2].strip()}


def score_dict(c: ScoreChange) -> dict[str, Any]:
    delta = c.delta
    return {"year": c.year, "id": c.id, "name": c.name, "before": points(c.before),
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


def entry_dict(e: ChangeEntry) -> dict[str, Any]:
    """One commit of the change log page."""
    records = []
    for r in e.records:
        rec = r.delta.after or r.delta.before
        assert rec is not None
        shown = (f"{points(r.points_before, True)} → {points(r.points_after, True)}"
                 if r.delta.before and r.delta.after
                 else points(r.points_after if r.delta.after else r.points_before, True))
        records.append({"status": r.delta.status, "where": f"{rec.path}:{rec.line}",
                        "text": describe_record(rec), "points": shown})
    return {"commit": commit_dict(e.commit), "files": list(e.files),
            "scores": [score_dict(s) for s in e.scores], "records": records,
            "corrections": [correction_dict(c) for c in e.corrections]}


def changes_context(log: AuditLog) -> dict[str, Any]:
    """The context of ``changes.html``: every ledger commit, newest first."""
    return {"entries": [entry_dict(e) for e in log.entries],
            "corrections": [correction_dict(c) for c in log.corrections]}
