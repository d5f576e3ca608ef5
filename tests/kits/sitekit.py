"""Helpers of the page tests (no tests here): building sites, reading their HTML back."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scoring.audit.trail import Trail
from scoring.ledger.check import check_ledger
from scoring.ledger.problems import errors_in
from scoring.pipeline import build_site
from scoring.site.common import Source
from scoring.site.render import render_site, score_site
from scoring.site.writer import SiteWriter

REPO = Path(__file__).resolve().parent.parent.parent
GOLDEN_LEDGER = REPO / "tests" / "golden" / "ledger"
GOLDEN_SITE = REPO / "tests" / "golden" / "site"
DEMO_LEDGER = REPO / "ledger"
GOLDEN_SOURCE = Source("0123456789abcdef0123456789abcdef01234567", False)
NO_SOURCE = Source()  # outside git: no commit, not a draft
# The golden repository's one commit: fixed author, committer and dates, so the same id anywhere.
GOLDEN_GIT_ENV = {"GIT_AUTHOR_NAME": "信息室", "GIT_AUTHOR_EMAIL": "xxs@example.org",
                  "GIT_COMMITTER_NAME": "信息室", "GIT_COMMITTER_EMAIL": "xxs@example.org",
                  "GIT_AUTHOR_DATE": "2024-01-15T09:00:00+08:00",
                  "GIT_COMMITTER_DATE": "2024-01-15T09:00:00+08:00"}


def build_files(ledger_dir: Path, source: Source = NO_SOURCE,
                trail: Trail | None = None) -> dict[str, bytes]:
    """Validate and render a ledger (without its git history unless ``trail``); the site's
    files by relative path (nothing written)."""
    ledger, problems = check_ledger(ledger_dir)
    assert not errors_in(problems), [p.format() for p in problems]
    writer = SiteWriter()
    render_site(score_site(ledger, source, trail), writer)
    return writer.files


def build_into(ledger_dir: Path, out: Path, source: Source = NO_SOURCE) -> Path:
    """Validate, render and write a ledger's site into ``out``."""
    writer = SiteWriter()
    writer.files = build_files(ledger_dir, source)
    writer.commit(out)
    return out


def golden_repo(root: Path) -> Path:
    """``tests/golden/ledger`` committed into a new git repository at ``root``."""
    shutil.copytree(GOLDEN_LEDGER, root / "ledger")
    env = {**os.environ, **GOLDEN_GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "示例台账"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


def build_golden(root: Path) -> dict[str, bytes]:
    """The golden site as the build makes it (the real build path, in a git repository):
    every file by relative path."""
    golden_repo(root)
    problems = build_site(root / "ledger", root / "output")
    assert not errors_in(problems), [p.format() for p in problems]
    return {p.relative_to(root / "output").as_posix(): p.read_bytes()
            for p in sorted((root / "output").rglob("*")) if p.is_file()}


VNU_HOME = Path.home() / ".cache" / "kaoping-vnu"
VNU_JAR = VNU_HOME / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def link_problems(site: Path) -> list[str]:
    """Every link of the built site that leaves it, is absolute, or points at nothing."""
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in html_pages(site):
        parsed = Page(page.read_text(encoding="utf-8"))
        ids[page] = parsed.ids
        for attr, value in parsed.links():
            if EXTERNAL.match(value) or value.startswith("/"):
                problems.append(f"{page.relative_to(site)}: {attr}={value}")
                continue
            target, _, fragment = value.partition("#")
            path = (page.parent / target).resolve() if target else page
            if not path.is_file():
                problems.append(f"{page.relative_to(site)}: {value} does not exist")
            elif fragment and path.suffix == ".html":
                known = ids.get(path) or Page(path.read_text(encoding="utf-8")).ids
                if fragment not in known:
                    problems.append(f"{page.relative_to(site)}: no id {fragment} in {target}")
            if target and not (target.endswith((".html", ".css", ".js", ".svg", ".json", ".csv",
                                                ".xlsx"))):
                problems.append(f"{page.relative_to(site)}: {value} is not a file link")
    return problems


def vnu_jar() -> Path:
    """The Nu HTML Checker, installed from npm into a cache folder outside the repository."""
    if not VNU_JAR.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install vnu-jar (the Nu HTML Checker)")
        VNU_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(VNU_HOME), "--no-audit", "--no-fund",
                        "vnu-jar"], check=True, capture_output=True, timeout=300)
    return VNU_JAR


def demo_has_months() -> bool:
    """The demonstration year ships its months (they land with the demo data)."""
    return any(p.is_dir() and p.name.isdigit() for p in (DEMO_LEDGER / "2023").iterdir())


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, ids, tables, lang."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.tables: list[dict[str, Any]] = []
        self._open_tables: list[dict[str, Any]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "table":
            self._open_tables.append({"caption": False, "th_without_scope": 0, "th": 0})
        elif tag == "caption" and self._open_tables:
            self._open_tables[-1]["caption"] = True
        elif tag == "th" and self._open_tables:
            self._open_tables[-1]["th"] += 1
            if not a.get("scope"):
                self._open_tables[-1]["th_without_scope"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open_tables:
            self.tables.append(self._open_tables.pop())

    def links(self) -> list[tuple[str, str]]:
        """Every (attribute, value) of href and src on the page."""
        return [(k, str(v)) for _, a in self.tags for k, v in a.items()
                if k in ("href", "src") and v is not None]
