"""The stages in order: load, validate, then (when there are no errors) build the site.

Everything is gathered in memory first and written last, through :class:`SiteWriter`, so that a
ledger with errors leaves the output folder exactly as it was.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .audit_changes import AuditLog, read_audit_log
from .audit_page import bulletin_corrections, changes_page, commit_labels
from .export import data_files
from .gitlog import source_stamp
from .load import load_ledger
from .model import Ledger
from .problems import Problem, errors_in, sort_problems
from .render_env import render
from .render_site import render_site
from .results import Point
from .score import score_ledger
from .validate import validate
from .writer import SiteWriter


def check_ledger(ledger_dir: Path,
                 progress: Callable[[str], None] | None = None) -> tuple[Ledger, list[Problem]]:
    """Load and validate; every problem found, sorted by path and line."""
    ledger, problems = load_ledger(ledger_dir, progress)
    if progress:
        progress("交叉校验（OA 编号、采用与批示引用）")
    problems += validate(ledger, problems)
    return ledger, sort_problems(problems)


def build_site(ledger_dir: Path, out_dir: Path,
               progress: Callable[[str], None] | None = None) -> list[Problem]:
    """Validate, render every page and data file, and swap the new site into ``out_dir``."""
    ledger, problems = check_ledger(ledger_dir, progress)
    if errors_in(problems):
        return problems
    writer = SiteWriter()
    if progress:
        progress("读取 git 历史（变更记录、记录来源）")
    audit = read_audit_log(ledger_dir)
    render_all(ledger, writer, progress, source=source_stamp(ledger_dir),
               point_commit=commit_labels(ledger, audit), audit=audit)
    if progress:
        progress(f"写入 {len(writer.files)} 个文件")
    writer.commit(out_dir)
    return problems


def render_all(ledger: Ledger, writer: SiteWriter,
               progress: Callable[[str], None] | None = None,
               source: dict | None = None,
               point_commit: Callable[[Point], str | None] | None = None,
               audit: AuditLog | None = None) -> None:
    """Every output file of the site: the data files, then the pages (:mod:`.render_site`).

    ``source`` stamps the data files and pages: ``{"commit": sha or None, "dirty": bool}``;
    ``point_commit`` (the audit's) names the commit of each point on the unit pages;
    ``audit``: the ledger's history, for the change log page and the bulletins' 更正.
    """
    if progress:
        progress("计分与排名")
    scores = score_ledger(ledger)
    for path, content in data_files(scores, source).items():
        writer.add(path, content)
    render_site(ledger, writer, progress, source, point_commit, scores=scores,
                corrections=bulletin_corrections(ledger, audit))
    writer.add("changes.html", render("changes.html", changes_page(ledger, source, audit)))
