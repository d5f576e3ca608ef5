"""Writing the site: gather every file first, then swap the new tree in at once.

The build writes into a fresh folder beside the output folder and renames it into place only
when complete, so a failed or interrupted build never leaves a half-written site, and a build
with ledger errors changes nothing. Two writes to one path are refused (pelican's rule).

``SiteWriter()`` keeps the files in memory until :meth:`~SiteWriter.commit` (tests read them
from ``files``). ``SiteWriter(out_dir)`` creates the new folder at once and writes each file as
it comes, so a city's 230 MB of pages need not sit in memory, and a forked helper can write its
pages there itself (:meth:`~SiteWriter.write_raw`, then :meth:`~SiteWriter.adopt` here).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # (0 on Windows: nothing is linked there)


class OutputConflict(Exception):
    """Two pages of one build claimed the same output path."""


class SiteWriter:
    """Collects output files by relative POSIX path; ``commit`` writes and swaps them in."""

    def __init__(self, out_dir: Path | None = None) -> None:
        self.files: dict[str, bytes] = {}
        self.written: set[str] = set()  # paths already in the staging folder
        self.staging: Path | None = None
        self._folders: set[str] = set()  # folders made in the staging folder
        self.out_dir = out_dir.resolve() if out_dir is not None else None
        # unchanged files are linked from the site being replaced (see _link_same)
        self.linking = self.out_dir is not None and self.out_dir.is_dir() and _NO_FOLLOW != 0
        if self.out_dir is not None:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-",
                                                 dir=self.out_dir.parent))

    def __len__(self) -> int:
        return len(self.files) + len(self.written)

    def _key(self, relpath: str) -> str:
        path = PurePosixPath(relpath)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"unsafe output path: {relpath!r}")
        key = path.as_posix()
        if key in self.files or key in self.written:
            raise OutputConflict(f"two writes to {key}")
        return key

    def add(self, relpath: str, content: str | bytes) -> None:
        key = self._key(relpath)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if self.staging is None:
            self.files[key] = data
        else:
            self.write_raw(key, data)
            self.written.add(key)

    def write_raw(self, relpath: str, data: bytes) -> None:
        """Write one file into the staging folder, without bookkeeping (a forked helper does
        this; the parent then calls :meth:`adopt` with the paths)."""
        assert self.staging is not None, "write_raw needs SiteWriter(out_dir)"
        path = PurePosixPath(relpath)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"unsafe output path: {relpath!r}")
        target = os.path.join(self.staging, *path.parts)
        folder = os.path.dirname(target)
        if folder not in self._folders:  # a site has a few folders and hundreds of pages
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if self.linking and self._link_same(path.parts, data, target):
            return
        # unbuffered: open() would also ask the file's size and whether it is a terminal
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                     0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def _link_same(self, parts: tuple[str, ...], data: bytes, target: str) -> bool:
        """Link the site being replaced's file at the same path into the new folder when its
        bytes are ``data``: no new file is made (most of a rebuild's files are unchanged, and
        making a file costs the file system far more than reading one). The new site is the
        same either way; its unchanged files keep their date. False when there is no such
        file, it differs, or the file system cannot link (then nothing links again)."""
        assert self.out_dir is not None
        previous = os.path.join(self.out_dir, *parts)
        try:
            fd = os.open(previous, os.O_RDONLY | _NO_FOLLOW)  # a regular file, not a link
        except OSError:
            return False
        try:
            same = os.read(fd, len(data) + 1) == data
        except OSError:
            same = False
        finally:
            os.close(fd)
        if not same:
            return False
        try:
            os.link(previous, target, follow_symlinks=False)
        except OSError:
            self.linking = False
            return False
        return True

    def adopt(self, relpaths: Iterable[str]) -> None:
        """Take over files that a helper wrote into the staging folder (refusing conflicts)."""
        for rel in relpaths:
            self.written.add(self._key(rel))

    def commit(self, out_dir: Path, later: bool = False) -> None:
        """Write what is still in memory into the new folder, then replace ``out_dir`` with it
        (``later``: the replaced site is removed by a detached process, see :func:`swap_in`)."""
        out_dir = out_dir.resolve()
        if self.staging is None:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-",
                                                 dir=out_dir.parent))
        elif out_dir != self.out_dir:
            raise ValueError(f"this writer writes {self.out_dir}, not {out_dir}")
        try:
            for rel in sorted(self.files):
                self.write_raw(rel, self.files[rel])
            os.chmod(self.staging, 0o755)
            swap_in(self.staging, out_dir, later)
        except BaseException:
            self.discard()
            raise
        self.staging = None
        self._folders.clear()

    def discard(self) -> None:
        """Remove the new folder (a build that failed leaves nothing behind)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            self._folders.clear()


def swap_in(staging: Path, out_dir: Path, later: bool = False) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; the old tree is removed after.

    ``later``: by a detached ``rm -rf``, which the command line does not wait for: the new
    site is in place, and removing the old one's 600 files takes up to a tenth of a second
    (more when the disk discards the freed blocks). A replaced site left behind by an
    interrupted removal (``.output.old-<pid>``) is removed with the next one."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    if old is None:
        return
    stale = sorted(str(p) for p in out_dir.parent.glob(f".{glob.escape(out_dir.name)}.old-*")
                   if p != old)
    if later:
        try:
            subprocess.Popen(["rm", "-rf", "--", str(old), *stale], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
            return
        except OSError:  # no rm: here, now
            pass
    for path in (str(old), *stale):
        shutil.rmtree(path, ignore_errors=True)
