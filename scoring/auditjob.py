"""Reading the ledger's git history beside the loading of the ledger, on the other core.

The audit log (:func:`scoring.audit_changes.read_audit_log`) replays every commit: for ten years
of a city's ledger it takes longer than loading the ledger, and its change log is large. It
depends on git alone, so a child forked before loading reads it while this process loads and
validates the ledger. The child also makes what the site takes from the change log — the
``changes.html`` page and each bulletin's 更正 list — and sends back only those and the
provenance tracker (what the unit pages' commit column needs, resolved here against the loaded
ledger). The change log itself never crosses, nor stays in this process's memory.

The child sees the ledger's folders without parsing unit files (:func:`folders_only`): the
change log page and the corrections use its years, months, units and Markdown texts only, as
``tests/test_auditjob.py`` checks by comparing with the page made from the full ledger. If
anything fails in the child, the same work is done here: the output never depends on it.
With the build cache, the parts are kept under a key of their inputs (:func:`parts_key`), so
a rebuild after editing the ledger (no new commit) does not read the history again.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit_changes import AuditLog, read_audit_log
from .audit_page import bulletin_corrections, changes_page, commit_labels
from .gitlog import source_stamp
from .load import plan_ledger, repo_root_of
from .model import Ledger, YearLedger
from .results import Point

if TYPE_CHECKING:
    from .cache import Cache

Corrections = Callable[[int, int], list[dict[str, Any]]]


def folders_only(ledger_dir: Path) -> Ledger:
    """The ledger's years with their units, rules, month folders and Markdown texts, but no
    unit files read (every month folder is an empty mapping)."""
    root = ledger_dir.resolve()
    repo = repo_root_of(root)
    plans, _ = plan_ledger(root, repo)
    return Ledger(root, repo, {p.year: YearLedger(p.year, p.path, p.units, p.rules,
                                                  {m: {} for m in p.months}, p.notice_md,
                                                  p.bulletins_md) for p in plans})


def site_parts(ledger: Ledger, log: AuditLog, source: dict[str, Any]
               ) -> tuple[dict[bool, bytes], dict[tuple[int, int], list[dict[str, Any]]]]:
    """The change log page (with and without the 草稿 stamp: the first edit after a commit
    need not read the history again) and every bulletin's 更正 list, made from ``log``."""
    from .render_env import render
    listed = bulletin_corrections(ledger, log)
    corrections = {(y, m): listed(y, m) for y, year in ledger.years.items() for m in year.months}
    pages = {dirty: render("changes.html", changes_page(ledger, {**source, "dirty": dirty},
                                                        log)).encode("utf-8")
             for dirty in (False, True)}
    return pages, corrections


class AuditJob:
    """The audit log's parts for the site, read in a forked child (see the module docstring)."""

    def __init__(self, ledger_dir: Path, kept: tuple[Cache, bytes] | None = None) -> None:
        """``kept``: the build cache and the key of these parts (:func:`parts_key`)."""
        self.ledger_dir = ledger_dir
        self.kept = kept
        self.pid = 0
        self.pipe = -1
        self.cached = kept[0].load(f"audit-{kept[1].hex()}") if kept is not None else None
        if self.cached is not None or not hasattr(os, "fork"):
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read the history, send the parts, exit
            os.close(read_end)
            gc.disable()  # short-lived, and what it builds lives to its end (see gc_paused)
            code = 1
            try:
                log = read_audit_log(ledger_dir)
                pages, corrections = site_parts(folders_only(ledger_dir), log,
                                                source_stamp(ledger_dir))
                tracker = log.provenance
                del log  # the change log is done with: free it before pickling (memory peak)
                with os.fdopen(write_end, "wb") as fh:
                    pickle.dump((pages, corrections, tracker), fh,
                                protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent does the work again
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.pipe = pid, read_end

    def result(self, ledger: Ledger, source: dict[str, Any]
               ) -> tuple[bytes, Corrections, Callable[[Point], str | None]]:
        """``(changes.html, corrections, point_commit)`` for the loaded ``ledger``."""
        parts = self.cached if _valid(self.cached) else self._collect()
        if parts is None:  # no child, or it failed: the same work, here
            log = read_audit_log(self.ledger_dir)
            page, corrections = site_parts(ledger, log, source)
            parts = page, corrections, log.provenance
        if self.kept is not None and parts is not self.cached:
            self.kept[0].save_later({f"audit-{self.kept[1].hex()}": parts})
        pages, corrections, tracker = parts
        page = pages[bool(source.get("dirty"))]
        labels = commit_labels(ledger, AuditLog([], tracker, []))
        return page, lambda year, month: corrections.get((year, month), []), labels

    def _collect(self) -> tuple[dict[bool, bytes], dict[tuple[int, int], list[dict[str, Any]]],
                                Any] | None:
        if not self.pid:
            return None
        with os.fdopen(self.pipe, "rb") as fh:
            payload = fh.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0:
            return None
        try:
            return pickle.loads(payload)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001
            return None

    def cancel(self) -> None:
        """End the child (the build stops: ledger errors)."""
        if self.pid:
            import signal
            os.close(self.pipe)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _valid(parts: Any) -> bool:
    return isinstance(parts, tuple) and len(parts) == 3 and isinstance(parts[0], dict) \
        and isinstance(parts[1], dict)


def parts_key(root_dir: Path, digests: dict[str, bytes], stamp: bytes) -> bytes:
    """What the audit's parts are made of: git (HEAD, tags) and code in ``stamp``
    (:meth:`~scoring.memo.BuildMemo.stamp_digest`), and the ledger as :func:`folders_only` sees
    it: each year's units, rules and Markdown files, and its month folders."""
    h = hashlib.sha1(stamp)
    root = str(root_dir) + "/"
    for path in sorted(digests):
        rel = path[len(root):] if path.startswith(root) else ""
        parts = rel.split("/")
        if len(parts) <= 2 or (len(parts) == 3 and not parts[2].endswith(".toml")):
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + digests[path])
        elif len(parts) == 3:
            h.update(f"{parts[0]}/{parts[1]}/".encode())  # a month folder with unit files
    return h.digest()
