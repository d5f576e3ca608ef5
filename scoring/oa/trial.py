"""The ledger as the import would leave it, checked by the real checker before anything is written.

The ledger folder is copied to a temporary folder (with a ``.git`` marker at the same place
relative to it, so that problems name the same paths), the new files are written there, and
:func:`scoring.ledger.check.check_ledger` runs on the copy. An error inside a new record is
traced back to the export row the record came from; any other error is reported as it stands.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..ledger.check import check_ledger
from ..ledger.model import Ledger
from ..ledger.problems import Problem, errors_in
from ..progress import Progress
from .ledgertext import FileEdit
from .records import row_problem


def _dot_entries(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n.startswith(".")]  # .git and the like: never part of the ledger


def trial_check(ledger: Ledger, edits: list[FileEdit],
                progress: Progress | None = None) -> list[Problem]:
    """The errors of the would-be ledger, those in new records at their export rows."""
    try:
        rel = ledger.root.relative_to(ledger.repo_root)
    except ValueError:
        rel = Path(ledger.root.name)
    with tempfile.TemporaryDirectory(prefix="kaoping-import-") as tmp:
        copy = Path(tmp) / rel
        shutil.copytree(ledger.root, copy, ignore=_dot_entries, dirs_exist_ok=True)
        (Path(tmp) / ".git").mkdir(exist_ok=True)
        for edit in edits:
            target = copy / edit.path.relative_to(ledger.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(edit.after)
        if progress is not None:
            progress("校验导入后的台账")
        _, problems = check_ledger(copy, progress)
    by_path = {e.shown: e for e in edits}
    traced = []
    for p in errors_in(problems):
        found = by_path.get(p.path)
        rec = found.source_of(p.line) if found is not None else None
        if rec is None:
            traced.append(p)
        else:
            traced.append(row_problem(rec.source, p.code, f"导入后台账校验不通过"
                                      f"（{p.path}:{p.line}）：{p.message}"))
    return traced
