"""Building the site year by year: both cores, and no work for a year whose inputs are unchanged.

A year's output files (its bulletins, annual notice, rules and unit pages, data files) depend on
that year's ledger files, the items of other years its records refer to, and the stamp every
page carries (code, templates, git HEAD and tags, 草稿). :func:`year_view` hands the year's job a
ledger that holds only that year and only those items, so that a page reaching for anything else
fails loudly instead of being cached with a key that misses it. :func:`build_years` then runs
the jobs of the years whose key is not in the cache, shared with a forked helper
(:mod:`scoring.forkwork`), writes their files (each process its own, straight into the new
output folder) and keeps them for the next build.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from .forkwork import IndexQueue, share_work
from .model import Info, Ledger
from .progress import count

if TYPE_CHECKING:
    from .cache import Cache
    from .writer import SiteWriter

YearFiles = dict[str, bytes]
WORKERS = 2


def referenced_items(ledger: Ledger, year: int, items: dict[str, Info]) -> dict[str, Info]:
    """The items a year's pages may name: its own, and those its records adopt or instruct."""
    out: dict[str, Info] = {}
    for folder in ledger.years[year].months.values():
        for um in folder.values():
            for item in um.info:
                out.setdefault(item.oa, items.get(item.oa, item))
            for rec in (*um.adoptions, *um.instructions):
                if rec.oa in items:
                    out.setdefault(rec.oa, items[rec.oa])
    return out


def year_view(ledger: Ledger, year: int, items: dict[str, Info]) -> tuple[Ledger, dict[str, Info]]:
    """The ledger and item index as one year's job may see them (see the module docstring)."""
    return Ledger(ledger.root, ledger.repo_root, {year: ledger.years[year]}), \
        referenced_items(ledger, year, items)


def year_key(ledger: Ledger, year: int, items: dict[str, Info], files: list[tuple[str, bytes]],
             stamp: bytes) -> bytes:
    """A hash of everything year ``year``'s files are made from: ``files`` (each file of the
    year's folder with its SHA-1, see :func:`files_by_year`), the items of other years its
    records name, the month folders of all years (the 更正 lists), and ``stamp``
    (:meth:`~scoring.memo.BuildMemo.stamp_digest`)."""
    h = hashlib.sha1(stamp + str(year).encode())
    # Which bulletin lists a correction (更正) depends on the months of every year.
    h.update(repr(sorted((y, m) for y, yl in ledger.years.items() for m in yl.months)).encode())
    for name, digest in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + digest)
    own = ledger.years[year].path + "/"
    for _, item in sorted(referenced_items(ledger, year, items).items()):
        if not item.path.startswith(own):
            h.update(repr(tuple(item)).encode())
    return h.digest()


def files_by_year(ledger: Ledger, digests: dict[str, bytes]) -> dict[int, list[tuple[str, bytes]]]:
    """``digests`` (absolute path → SHA-1) grouped by year folder, sorted by path."""
    root = str(ledger.root) + "/"
    out: dict[int, list[tuple[str, bytes]]] = {}
    for path in sorted(digests):
        if path.startswith(root):
            head, _, rest = path[len(root):].partition("/")
            if head.isdigit() and int(head) in ledger.years:
                out.setdefault(int(head), []).append((rest, digests[path]))
    return out


class YearCache(NamedTuple):
    """Where year outputs are kept, and what their keys are made of (see :func:`year_key`)."""

    cache: Cache
    digests: dict[str, bytes]
    stamp: bytes


class YearOutput:
    """Makes a year's files, or takes them from the cache, and writes them (in whichever
    process makes the year: the writer's new folder is shared, see :class:`SiteWriter`)."""

    def __init__(self, ledger: Ledger, items: dict[str, Info], writer: SiteWriter,
                 kept: YearCache | None) -> None:
        self.ledger, self.items, self.writer, self.kept = ledger, items, writer, kept
        self.grouped = files_by_year(ledger, kept.digests) if kept is not None else {}
        self.keys: dict[int, bytes] = {}

    def key(self, year: int) -> bytes:
        assert self.kept is not None
        if year not in self.keys:
            self.keys[year] = year_key(self.ledger, year, self.items,
                                       self.grouped.get(year, []), self.kept.stamp)
        return self.keys[year]

    def cached(self, year: int) -> YearFiles | None:
        """The year's files as kept by an earlier build, when their key is unchanged."""
        if self.kept is None:
            return None
        found = self.kept.cache.load(f"year-{year}")
        if isinstance(found, tuple) and len(found) == 2 and found[0] == self.key(year):
            return found[1]  # type: ignore[no-any-return]
        return None

    def make(self, year: int, make: Callable[[int], YearFiles],
             look: bool = True) -> YearFiles | list[str]:
        """The year's files (``look``: from the cache when kept there, else ``make(year)``,
        kept for the next build); written, and only their paths returned, when the writer
        writes as it goes."""
        files = self.cached(year) if look else None
        if files is None:
            files = make(year)
            if self.kept is not None:
                self.kept.cache.save(f"year-{year}", (self.key(year), files))
        if self.writer.staging is None:
            return files
        for path, content in files.items():
            self.writer.write_raw(path, content)
        return list(files)

    def add(self, made: YearFiles | list[str]) -> None:
        """Take a year's files into the writer (paths: written already)."""
        if isinstance(made, list):
            self.writer.adopt(made)
        else:
            for path, content in made.items():
                self.writer.add(path, content)


class YearQueue:
    """The years of a build, in an :class:`~scoring.forkwork.IndexQueue` that this process
    and a forked helper take from whenever they are free: newest first. Made before the helper
    is forked; filled (:meth:`fill`) when the years are known, once loaded."""

    def __init__(self, years: list[int] | None = None) -> None:
        self.years: list[int] = []
        self.queue = IndexQueue()
        if years is not None:
            self.fill(years)

    def order(self, years: Iterable[int]) -> None:
        """The years the indices stand for (in a helper that loaded the ledger itself)."""
        self.years = sorted(years, reverse=True)

    def fill(self, years: Iterable[int]) -> None:
        """Put every year in the queue (in this process, which holds the writing end)."""
        self.order(years)
        self.queue.put(len(self.years))

    def child(self) -> None:
        """In a forked helper: let go of the writing end, so that an empty queue ends."""
        self.queue.close_writing()

    def take(self) -> int | None:
        """The next year nobody has taken, or None (blocks until the queue is filled)."""
        index = self.queue.take()
        return self.years[index] if index is not None else None

    def close(self) -> None:
        self.queue.close()


def build_years(ledger: Ledger, items: dict[str, Info], make: Callable[[int], YearFiles],
                writer: SiteWriter, kept: YearCache | None = None,
                progress: Callable[[str], None] | None = None,
                workers: int | None = None) -> None:
    """Add every year's files to ``writer``: from the cache when the year's key matches, else
    from ``make(year)``. When ``writer`` writes as it goes, whichever process made a year
    writes its files (and its cache entry) itself; only the paths come back here."""
    output = YearOutput(ledger, items, writer, kept)
    todo: list[int] = []
    for year in sorted(ledger.years):
        cached = output.cached(year)
        if cached is None:
            todo.append(year)
        else:
            output.add(cached)
    total = len(ledger.years)
    count(progress, "计分并生成年度页面", total - len(todo), total, "个年度")
    done = total - len(todo)
    for _, made in share_work(lambda year: output.make(year, make, look=False), todo,
                              WORKERS if workers is None else workers):
        output.add(made)
        done += 1
        count(progress, "计分并生成年度页面", done, total, "个年度")
