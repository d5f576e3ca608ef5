"""Reading the ledger's git history while the site renders, on the other core.

The audit log (:func:`scoring.audit_changes.read_audit_log`) replays every commit of the
ledger's history. The site takes three things from it: the ``changes.html`` page, each
bulletin's 更正 list, and every record's commit label on the unit pages. A child forked before
the ledger is loaded makes all three: it loads the ledger too, so the history's file versions
that equal the working tree's
files are neither read from git nor parsed again (``known``, by git blob id), and it sends back
only the page, the lists and the labels, then makes years of the site with this process. The
change log itself never crosses, nor stays in this process's memory.

If anything fails in the child, the same work is done here: the output never depends on it.
With the build cache, the parts are kept under a key of their inputs (:func:`parts_key`) with
the provenance tracker instead of the labels, so that a rebuild after editing the ledger (no
new commit) resolves the labels against the edited files without reading the history again.
The child writes that entry after sending its parts, while this process renders.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from .audit_changes import AuditLog, read_audit_log
from .audit_page import LIST_LIMIT, bulletin_corrections, changes_page, commit_label, commit_labels
from .gitlog import CommitInfo
from .model import Ledger, UnitMonth
from .provenance import ProvenanceTracker, unit_months
from .results import Point

if TYPE_CHECKING:
    from .cache import Cache
    from .yearjobs import YearQueue

Corrections = Callable[[int, int], list[dict[str, Any]]]
Parts = tuple[dict[bool, bytes], dict[tuple[int, int], list[dict[str, Any]]], Any]


def working_parses(ledger: Ledger, digests: Mapping[str, bytes]
                   ) -> tuple[dict[tuple[str, str], UnitMonth], dict[int, str]]:
    """``known`` and ``known_rules`` for :func:`read_audit_log`: every loaded unit file by
    (ledger-relative path, blob id), and the blob id of each year's rules.toml they were parsed
    under. ``digests``: absolute path → blob id of the files as parsed (the loader's)."""
    from .source import blob_id
    root, repo = Path(ledger.root), Path(ledger.repo_root)
    try:
        prefix = root.relative_to(repo).as_posix()
    except ValueError:
        return {}, {}
    cut = len(prefix) + 1 if prefix not in ("", ".") else 0
    known: dict[tuple[str, str], UnitMonth] = {}
    rules: dict[int, str] = {}
    top = str(repo).rstrip("/") + "/"  # digests are keyed by str(repo / um.path)
    for year, yl in ledger.years.items():
        try:
            rules[year] = blob_id((root / str(year) / "rules.toml").read_bytes()).hex()
        except OSError:
            continue
        for folder in yl.months.values():
            for um in folder.values():
                digest = digests.get(top + um.path)
                if digest is not None:
                    known[(um.path[cut:], digest.hex())] = um
    return known, rules


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
    """The audit log's parts for the site, made in a forked child (see the module docstring)."""

    def __init__(self, ledger: Ledger | None, digests: Mapping[str, bytes],
                 kept: tuple[Cache, bytes] | None = None,
                 years: SharedYears | None = None,
                 load: Callable[[], tuple[Ledger, dict[str, bytes]]] | None = None) -> None:
        """``digests``: the loader's blob ids; ``kept``: the build cache and the key of the
        parts (:func:`parts_key`). ``years``: the site's years, which the child helps make once
        it has sent its parts (:attr:`years` is None when there is no child to help).

        ``ledger``, loaded: no child, :meth:`result` reads the history here (a large ledger:
        a child would hold a second copy of it, see the pipeline).

        ``ledger=None`` and ``load``: the child is forked before this process loads the
        ledger, and loads it itself with ``load`` (the two processes then share no ledger
        objects, and the child reads the history while this process validates); call
        :meth:`loaded` once this process has loaded it, with the build's commit stamp. The
        child's files must be the ones this process loaded: each sends the other a hash of
        their blob ids (:func:`files_id`), and a child whose files differ (edited in between)
        sends nothing.
        """
        self.ledger = ledger
        self.digests = digests
        self.kept = kept
        self.forks = ledger is None  # (a child may still not be forked: see below)
        self.pid = 0
        self.pipe = -1
        self.stream: BinaryIO | None = None
        self.collected = False
        self.years: SharedYears | None = None
        self.years_collected = False
        self.check = (-1, -1)  # this process → the child: the hash of its files
        self.files: bytes | None = None  # that hash
        self.cached = kept[0].load(f"audit-{kept[1].hex()}") if kept is not None else None
        if _valid(self.cached) or ledger is not None or not hasattr(os, "fork"):
            if years is not None:
                years.queue.close()  # this process makes every year
            return
        assert load is not None
        check_r, check_w = os.pipe()
        self.check = (check_r, check_w)

        def prepare() -> tuple[Ledger, Any, Any, bytes]:
            os.close(check_w)
            mine, mine_digests = load()
            return (mine, *working_parses(mine, mine_digests), files_id(mine_digests))
        self._fork(prepare, years)
        os.close(check_r)

    def _fork(self, prepare: Callable[[], tuple[Ledger, Any, Any, bytes]],
              years: SharedYears | None) -> None:
        kept = self.kept
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read the history, send the parts, help, keep them, exit
            os.close(read_end)
            if years is not None:
                years.queue.child()
            gc.disable()  # short-lived, and what it builds lives to its end
            code = 1
            try:
                ledger, known, known_rules, files = prepare()
                log = read_audit_log(ledger.root, known=known, known_rules=known_rules,
                                     keep_records=LIST_LIMIT)
                del known
                source = self._stamp_if_same(files)
                if source is None:  # other files than this process's, or it stopped
                    return
                pages, corrections = site_parts(ledger, log, source)
                labels = record_labels(ledger, log.provenance)
                with os.fdopen(write_end, "wb") as fh:
                    pickle.dump((pages, corrections, labels, files), fh,
                                protocol=pickle.HIGHEST_PROTOCOL)
                    if years is not None:
                        fh.flush()
                        years.queue.order(ledger.years)
                        make = years.job(ledger, _point_label(labels), _corrections(corrections),
                                         source)
                        done = []
                        while (year := years.queue.take()) is not None:
                            done.append((year, make(year)))
                        pickle.dump(done, fh, protocol=pickle.HIGHEST_PROTOCOL)
                if kept is not None:
                    kept[0].save(f"audit-{kept[1].hex()}", (pages, corrections, log.provenance))
                code = 0
            except BaseException:  # noqa: BLE001, S110 - the parent does the work again
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.pipe, self.years = pid, read_end, years

    def _stamp_if_same(self, files: bytes) -> dict[str, Any] | None:
        """In the child: the build's commit stamp, once this process has loaded the same
        files (it sends their hash and the stamp through the check pipe when it has loaded
        them; nothing comes when it found errors); None if they differ."""
        with os.fdopen(self.check[0], "rb") as fh:
            sent = fh.read()
        if sent[:len(files)] != files:
            return None
        try:
            source = pickle.loads(sent[len(files):])
        except Exception:  # noqa: BLE001 - nothing whole came
            return None
        return source if isinstance(source, dict) else None

    def loaded(self, ledger: Ledger, digests: Mapping[str, bytes],
               source: dict[str, Any]) -> None:
        """This process has loaded ``ledger``: tell the child which files it read, and the
        build's commit stamp (``source``)."""
        self.ledger, self.digests = ledger, digests
        if self.check[1] >= 0:
            mine = files_id(digests)
            try:
                os.write(self.check[1], mine + pickle.dumps(source))
            except OSError:  # the child has ended already (it failed): nobody reads it
                pass
            os.close(self.check[1])
            self.check = (-1, -1)
            self.files = mine

    def result(self, source: dict[str, Any]
               ) -> tuple[bytes, Corrections, Callable[[Point], str | None]]:
        """``(changes.html, corrections, point_commit)`` for the loaded ledger."""
        ledger = self.ledger
        if _valid(self.cached):
            pages, corrections, tracker = self.cached
            label = commit_labels(ledger, AuditLog([], tracker, []))
        else:
            parts = self._collect()
            if parts is None:  # no child, or it failed: the same work, here
                known, known_rules = working_parses(ledger, self.digests)
                log = read_audit_log(ledger.root, known=known, known_rules=known_rules,
                                     keep_records=LIST_LIMIT)
                del known
                pages, corrections = site_parts(ledger, log, source)
                label = commit_labels(ledger, log)
                # (a large ledger's parts are not kept: pickling its provenance takes
                # more memory than the rest of the build, see the pipeline)
                if self.kept is not None and self.forks:
                    self.kept[0].save_later({f"audit-{self.kept[1].hex()}":
                                             (pages, corrections, log.provenance)})
            else:
                pages, corrections, labels = parts
                label = _point_label(labels)
        page = pages[bool(source.get("dirty"))]
        return page, _corrections(corrections), label

    def ready(self) -> bool:
        """True when :meth:`result` will not wait: the parts are cached, the child has sent
        them (or ended), or there is no child."""
        if not self.pid or self.collected:
            return True
        import select
        return bool(select.select([self.pipe], [], [], 0)[0])

    def _collect(self) -> Parts | None:
        if not self.pid:
            return None
        self.collected = True
        self.stream = os.fdopen(self.pipe, "rb")
        try:
            parts = pickle.load(self.stream)
        except Exception:  # noqa: BLE001 - a child that failed sends nothing whole
            return None
        ok = isinstance(parts, tuple) and len(parts) == 4 and isinstance(parts[2], dict) \
            and parts[3] == self.files
        if not ok:  # nor are its years to be used
            self.years_collected = True
            return None
        return parts[:3]  # type: ignore[no-any-return]

    def year_results(self) -> list[tuple[int, Any]]:
        """``(year, what the years' job returned)`` for every year the child made (after
        :meth:`result`; nothing when it failed: those years are to be made here)."""
        if self.years is None or self.stream is None or self.years_collected:
            return []
        self.years_collected = True
        try:
            done = pickle.load(self.stream)
        except Exception:  # noqa: BLE001
            return []
        return done if isinstance(done, list) else []

    def finish(self) -> None:
        """End the child: wait for it once everything it sends is in (it may still be writing
        its parts to the cache), else stop it (the build stopped early)."""
        if self.years is not None:
            self.years.queue.close()
        if self.check[1] >= 0:  # the child waits for this process's files: none
            os.close(self.check[1])
            self.check = (-1, -1)
        if not self.pid:
            return
        if not self.collected or (self.years is not None and not self.years_collected):
            import signal
            os.kill(self.pid, signal.SIGKILL)
        if self.stream is not None:
            self.stream.close()
        elif not self.collected:
            os.close(self.pipe)
        os.waitpid(self.pid, 0)
        self.pid = 0


def _corrections(found: dict[tuple[int, int], list[dict[str, Any]]]) -> Corrections:
    return lambda year, month: found.get((year, month), [])


class SharedYears(NamedTuple):
    """The site's years, for the audit child to help make once it has sent its parts: the
    queue it takes years from, and ``job(ledger, point_commit, corrections, source)``, which
    gives what makes one year (with the child's ledger, labels and 更正 lists, and the
    build's commit stamp)."""

    queue: YearQueue
    job: Callable[[Ledger, Callable[[Point], str | None], Corrections, dict[str, Any]],
                  Callable[[int], Any]]


def files_id(digests: Mapping[str, bytes]) -> bytes:
    """One hash of every file a loader read (path and blob id)."""
    h = hashlib.sha1()
    for path in sorted(digests):
        h.update(path.encode("utf-8", "surrogateescape") + b"\0" + digests[path])
    return h.digest()


FileLabels = dict[str, str | dict[int, str]]


def record_labels(ledger: Ledger, tracker: ProvenanceTracker) -> FileLabels:
    """path → the commit label of the records of that file: one label when one commit wrote
    them all (most files), else line → label. Each commit's label is made once (one string per
    commit: the child's labels pickle as references to a few strings)."""
    made: dict[int, str] = {}

    def label_of(commit: CommitInfo | None) -> str:
        label = made.get(id(commit))
        if label is None:
            label = made[id(commit)] = commit_label(commit)
        return label
    out: FileLabels = {}
    lines: dict[tuple[str, int], CommitInfo | None] = {}
    sole_commit, lookup_into = tracker.sole_commit, tracker.lookup_into
    for um in unit_months(ledger):
        sole = sole_commit(um)
        if sole is not None:
            label = made.get(id(sole))
            out[um.path] = label if label is not None else label_of(sole)
            continue
        lines.clear()
        lookup_into(um, lines)
        if lines:  # (a file without records has no points)
            by_line = {line: label_of(commit) for (_, line), commit in lines.items()}
            distinct = set(by_line.values())
            out[um.path] = distinct.pop() if len(distinct) == 1 else by_line
    return out


def _point_label(labels: FileLabels) -> Callable[[Point], str | None]:
    uncommitted = commit_label(None)

    def label(point: Point) -> str | None:
        if point.path is None or point.line is None:
            return None
        found = labels.get(point.path)
        if found is None:
            return uncommitted
        return found if type(found) is str else found.get(point.line, uncommitted)
    return label


def _valid(parts: Any) -> bool:
    return isinstance(parts, tuple) and len(parts) == 3 and isinstance(parts[0], dict) \
        and isinstance(parts[1], dict) and isinstance(parts[2], ProvenanceTracker)


def parts_key(root_dir: Path, digests: dict[str, bytes], stamp: bytes) -> bytes:
    """What the audit's parts are made of: git (HEAD, tags) and code in ``stamp``
    (:meth:`~scoring.memo.BuildMemo.stamp_digest`), and the ledger's years: each year's units,
    rules and Markdown files, and its month folders. (The unit files' records enter only
    through the labels, which are resolved against the loaded ledger on every build.)"""
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
