"""Writing the site: gather every file first, then swap the new tree in at once.

The build writes into a fresh folder beside the output folder and renames it into place only
when complete, so a failed or interrupted build never leaves a half-written site, and a build
with ledger errors changes nothing. Two writes to one path are refused (pelican's rule).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class OutputConflict(Exception):
    """Two pages of one build claimed the same output path."""


class SiteWriter:
    """Collects output files by relative POSIX path; ``commit`` writes and swaps them in."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, relpath: str, content: str | bytes) -> None:
        path = PurePosixPath(relpath)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"unsafe output path: {relpath!r}")
        key = path.as_posix()
        if key in self.files:
            raise OutputConflict(f"two writes to {key}")
        self.files[key] = content.encode("utf-8") if isinstance(content, str) else content

    def commit(self, out_dir: Path) -> None:
        """Write everything into a new sibling folder, then replace ``out_dir`` with it."""
        out_dir = out_dir.resolve()
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
        try:
            for rel in sorted(self.files):
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.files[rel])
            os.chmod(staging, 0o755)
            swap_in(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; the old tree is removed after."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
