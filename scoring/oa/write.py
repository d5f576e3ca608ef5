"""Writing the import: every file, or none.

New month folders are made, each new file is staged beside its target (a dot-file, which the
loader ignores), every target is checked to be as it was when the import was planned, and only
then are the staged files moved into place, one rename each. Any failure before that removes
what was staged and made, and leaves the ledger as it was.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .ledgertext import FileEdit


class LedgerChanged(OSError):
    """A file changed on disk while the import was being prepared."""


def write_edits(edits: list[FileEdit]) -> None:
    """Write every edit, or (raising ``OSError``) none of them."""
    made: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for edit in edits:
            folder = edit.path.parent
            if not folder.is_dir():
                folder.mkdir()
                made.append(folder)
            temp = folder / f".{edit.path.name}.import-tmp"
            temp.write_bytes(edit.after)
            staged.append((temp, edit.path))
            if edit.before is not None:
                shutil.copymode(edit.path, temp)
        for edit in edits:
            now = edit.path.read_bytes() if edit.path.exists() else None
            if now != edit.before:
                raise LedgerChanged(f"{edit.shown} 在导入过程中被修改，请重新导入。")
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for temp, target in staged:
        os.replace(temp, target)
