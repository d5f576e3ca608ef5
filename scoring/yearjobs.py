"""Building the site year by year: both cores, and no work for a year whose inputs are unchanged.

A year's output files (its bulletins, annual notice, rules and unit pages, data files) depend on
that year's ledger files, the items of other years its records refer to, and the stamp every
page carries (code, templates, git HEAD and tags, 草稿). :func:`year_view` hands the year's job a
ledger that holds only that year and only those items, so that a page reaching for anything else
fails loudly instead of being cached with a key that misses it. :func:`build_years` then runs
the jobs of the years whose key is not in the cache, shared with a forked helper
(:mod:`scoring.forkwork`), and keeps their files for the next build.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Callable, Iterable

from .forkwork import share_work
from .model import Info, Ledger

if TYPE_CHECKING:
    from .cache import Cache

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


def year_key(ledger: Ledger, year: int, items: dict[str, Info], digests: dict[str, bytes],
             stamp: bytes) -> bytes:
    """A hash of everything year ``year``'s files are made from (``digests``: SHA-1 of every
    ledger file by absolute path, ``stamp``: :meth:`BuildMemo.stamp_digest`)."""
    h = hashlib.sha1(stamp + str(year).encode())
    prefix = str(ledger.root / str(year)) + "/"
    for path in sorted(p for p in digests if p.startswith(prefix)):
        h.update(path[len(prefix):].encode("utf-8", "surrogateescape") + b"\0" + digests[path])
    own = ledger.years[year].path + "/"
    for oa, item in sorted(referenced_items(ledger, year, items).items()):
        if not item.path.startswith(own):
            h.update(repr(tuple(item)).encode())
    return h.digest()


def build_years(years: Iterable[int], job: Callable[[int], YearFiles],
                keys: dict[int, bytes] | None = None, cache: Cache | None = None,
                progress: Callable[[str], None] | None = None,
                workers: int | None = None) -> YearFiles:
    """Every year's files: from the cache when its key matches, else from ``job(year)``."""
    files: YearFiles = {}
    todo: list[int] = []
    for year in years:
        cached = cache.load(f"year-{year}") if cache is not None and keys else None
        if isinstance(cached, tuple) and len(cached) == 2 and keys and cached[0] == keys[year]:
            files.update(cached[1])
        else:
            todo.append(year)
    fresh: dict[str, tuple[bytes, YearFiles]] = {}
    for i, made in share_work(job, todo, WORKERS if workers is None else workers):
        if progress:
            progress(f"生成 {todo[i]} 年度通报与单位页面")
        files.update(made)
        if keys:
            fresh[f"year-{todo[i]}"] = (keys[todo[i]], made)
    if cache is not None and fresh:
        cache.save_later(fresh)
    return files
