"""Parsing every unit file of the ledger: from the cache, on one core, or on two.

A file's parse depends only on its bytes and its year's configuration, so a file whose content
hash and configuration hash are unchanged is taken from the :class:`~scoring.cache.ParseCache`.
The rest is parsed here, optionally shared with a forked helper (:mod:`scoring.forkwork`; off
by default, see ``WORKERS``). The results are identical either way: each file is parsed by the
same function, and results are keyed by path, never by completion order.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from . import fastunit
from .forkwork import share_work
from .model import UnitMonth
from .problems import Problem
from .progress import count
from .source import blob_id
from .unitfile import Schema, parse_unit_month

if TYPE_CHECKING:
    from .cache import ParseCache
    from .load import UnitFile, YearPlan

Parsed = tuple[UnitMonth, list[Problem]]
Task = tuple[str, str, str, int, int, "bytes | None"]  # abs, path, unit, year, month, raw
# Parsing on two cores does not pay since the fast reader: a helper's results must be pickled
# and unpickled, which costs about as much as parsing them (bench, district: 0.47 s on one
# core, 0.51-0.57 s on two). The option stays for machines where reading files is slow.
WORKERS = 1
PARALLEL_MIN = 1500
CHUNK = 250


def parse_files(files: Sequence[UnitFile], plans: dict[int, YearPlan],
                cache: ParseCache | None = None,
                progress: Callable[[str], None] | None = None,
                workers: int | None = None,
                digests: dict[str, bytes] | None = None) -> dict[str, Parsed]:
    """``path → (UnitMonth, problems)`` for every file of ``files``.

    ``digests``: git blob ids (:func:`~scoring.source.blob_id`) of files already hashed by the
    caller (absolute path → digest); the ids of the files read here are added to it, so that
    afterwards it names the content of every file parsed.
    """
    results: dict[str, Parsed] = {}
    tasks: list[Task] = []
    keys: dict[str, tuple[int, bytes]] = {}
    for f in files:
        raw = None
        digest = digests.get(f.abs) if digests is not None else None
        if digest is None and (cache is not None or digests is not None):
            raw = _read(f.abs)
            digest = _identify(f.abs, raw, digests)
        if cache is not None and digest is not None:
            key = digest + plans[f.year].config_digest
            hit = cache.get(f.year, f.path, key)
            if hit is not None:
                results[f.path] = hit
                continue
            if raw is None:  # hashed by the caller: read now, and key what is parsed
                raw = _read(f.abs)
                digest = _identify(f.abs, raw, digests)
                if digest is not None:
                    key = digest + plans[f.year].config_digest
            keys[f.path] = (f.year, key)
        tasks.append((f.abs, f.path, f.unit, f.year, f.month, raw))
    total, done = len(files), len(results)
    count(progress, "读取台账", done, total, "文件")
    schemas = {year: plan.schema for year, plan in plans.items()}
    for path, parsed in _parse(tasks, schemas, workers, fastunit.Dates()):
        results[path] = parsed
        done += 1
        if cache is not None and path in keys:
            cache.put(*keys[path][:1], path, keys[path][1], parsed)
        if done % 200 == 0 or done == total:
            count(progress, "读取台账", done, total, "文件")
    if cache is not None:
        cache.keep_only({f.path for f in files})
    return results


def _parse(tasks: list[Task], schemas: dict[int, Schema], workers: int | None,
           dates: fastunit.Dates) -> Iterator[tuple[str, Parsed]]:
    """Yield ``(path, parsed)`` for every task, sharing the work with a helper when it pays."""
    workers = WORKERS if workers is None else workers
    if workers < 2 or len(tasks) < PARALLEL_MIN:
        for task in tasks:
            yield task[1], parse_task(task, schemas, dates)
        return
    chunks = [tasks[i:i + CHUNK] for i in range(0, len(tasks), CHUNK)]

    def parse_chunk(chunk: list[Task]) -> list[tuple[str, Parsed]]:
        return [(task[1], parse_task(task, schemas, dates)) for task in chunk]
    for _, parsed in share_work(parse_chunk, chunks, workers):
        yield from parsed


def parse_task(task: Task, schemas: dict[int, Schema],
               dates: fastunit.Dates | None = None) -> Parsed:
    """Read (unless already read) and parse one file: by :func:`scoring.fastunit.parse` when
    it takes the text (exactly the loader's records, and no problem), else by the loader.
    ``dates``: the dates already made by the load (its records share them: ten years of
    records name 3,650 days, 49,000 times)."""
    abs_path, path, unit, year, month, raw = task
    if raw is None:
        raw = _read(abs_path)
    if raw is None:
        return UnitMonth(unit, year, month, path), [
            Problem(path, 0, "E101", "无法读取文件（权限或磁盘错误），请检查该文件。")]
    schema = schemas[year]
    um = fastunit.parse(raw, path, unit, year, month, schema.rules, dates=dates)
    if um is not None:  # the usual layout, without problems: read at once
        return um, []
    return parse_unit_month(raw, path, unit, year, month, schema)


def _identify(abs_path: str, raw: bytes | None, digests: dict[str, bytes] | None) -> bytes | None:
    """The blob id of ``raw``, noted in ``digests``."""
    if raw is None:
        return None
    digest = blob_id(raw)
    if digests is not None:
        digests[abs_path] = digest
    return digest


def _read(abs_path: str) -> bytes | None:
    """The file's bytes, or None when it cannot be read. Unbuffered: a ledger file is a few
    kilobytes, and ``open()`` would ask its size and whether it is a terminal first (twice
    the system calls, a twentieth of reading 5,640 files)."""
    try:
        fd = os.open(abs_path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
