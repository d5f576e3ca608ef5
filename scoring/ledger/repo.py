"""Where a ledger lives: the git work tree that holds it."""
from __future__ import annotations

from pathlib import Path


def repo_root_of(ledger_root: Path) -> Path:
    """The git work tree holding the ledger, else the ledger folder's parent."""
    for folder in (ledger_root, *ledger_root.parents):
        if (folder / ".git").exists():
            return folder
    return ledger_root.parent
