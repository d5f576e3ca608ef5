"""The ledger stage's product: a loaded ledger and every problem in it, sorted."""
from __future__ import annotations

from pathlib import Path

from ..progress import Progress
from ..reuse import Reuse
from .load import load_ledger
from .model import Ledger
from .problems import Problem, sort_problems
from .validate import validate


def check_ledger(ledger_dir: Path, progress: Progress | None = None,
                 reuse: Reuse | None = None) -> tuple[Ledger, list[Problem]]:
    """Load and validate ``ledger_dir``; every problem found, sorted by path and line.

    ``reuse``: the last load's parses, for ``serve`` (:mod:`scoring.reuse`)."""
    ledger, problems = load_ledger(ledger_dir, progress, reuse)
    if progress is not None:
        progress("交叉校验（OA 编号、采用与批示引用）")
    problems += validate(ledger, problems)
    return ledger, sort_problems(problems)
