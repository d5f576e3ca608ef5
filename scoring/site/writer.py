"""Writing the site: every file into a new folder, then the new tree swapped in at once.

The build writes into a fresh folder beside the output folder and renames it into place only
when complete, so a failed or interrupted build never leaves a half-written site, and a build
with ledger errors changes nothing. Two writes to one path are refused (pelican's rule), and
so is a path that would leave the site's folder.

``SiteWriter(out_dir)`` writes each file as it comes (a city's pages need not sit in memory);
``SiteWriter()`` keeps them in ``files`` (for tests and for ``serve``).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath


class OutputConflict(Exception):
    """Two pages of one build claimed the same output path."""


class SiteWriter:
    """Collects output files by relative POSIX path; ``commit`` swaps them in."""

    def __init__(self, out_dir: Path | None = None) -> None:
        self.files: dict[str, bytes] = {}
        self.written: set[str] = set()
        self.out_dir: Path | None = None
        self.staging: Path | None = None
        if out_dir is not None:
            self._stage(out_dir)

    def _stage(self, out_dir: Path) -> None:
        """Make the new folder beside ``out_dir``, where files are written from now on."""
        self.out_dir = out_dir.resolve()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".kaoping-new-{self.out_dir.name}-",
                                             dir=self.out_dir.parent))

    def __len__(self) -> int:
        return len(self.files) + len(self.written)

    def add(self, relpath: str, content: str | bytes) -> None:
        path = PurePosixPath(relpath)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"unsafe output path: {relpath!r}")
        key = path.as_posix()
        if key in self.files or key in self.written:
            raise OutputConflict(f"two writes to {key}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        if self.staging is None:
            self.files[key] = data
            return
        target = self.staging.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.add(key)

    def contents(self) -> Mapping[str, bytes]:
        """What has been added so far, by path (read back from the new folder if written)."""
        return self.files if self.staging is None else FolderFiles(self.staging)

    def commit(self, out_dir: Path | None = None) -> None:
        """Replace the output folder with the new one (``out_dir``: where a writer that kept
        its files in memory writes them)."""
        if self.staging is None:
            assert out_dir is not None, "a writer in memory needs the folder to write"
            memory, self.files = self.files, {}
            self._stage(out_dir)
            for rel in sorted(memory):
                self.add(rel, memory[rel])
        assert self.staging is not None and self.out_dir is not None
        try:
            os.chmod(self.staging, 0o755)
            swap_in(self.staging, self.out_dir)
        except BaseException:
            self.discard()
            raise
        self.staging = None

    def discard(self) -> None:
        """Remove the new folder (a build that failed leaves nothing behind)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


class FolderFiles(Mapping[str, bytes]):
    """The files under a folder by relative POSIX path, each read when asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                            if p.is_file()) if root.is_dir() else []
        self.known = set(self.paths)

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self.known:
            raise KeyError(rel)
        return (self.root / rel).read_bytes()

    def __contains__(self, rel: object) -> bool:
        return rel in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames, then remove the old tree."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".kaoping-old-{out_dir.name}-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
