"""``build.py diff``: the score changes between two revisions of the ledger (SPEC §4).

Each revision's ledger folder is exported from git (``git archive``) into a temporary folder
and goes through the normal loader, validator and scorer, so a diff shows exactly what two
builds would show. The working tree is the default newer side.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TextIO

from ..ledger.check import check_ledger
from ..ledger.model import Ledger, UnitMonth
from ..ledger.problems import Problem, errors_in
from ..rulebook.results import YearScore
from ..rulebook.score import score_ledger
from .changelog import RecordLine, ScoreChange, compare_totals, record_lines
from .git import export_tree, ledger_prefix, parents, repo_toplevel, rev_parse


class DiffUsageError(Exception):
    """A revision that names no commit, or a ledger outside any git repository (exit 2)."""


class Side(NamedTuple):
    """One revision, loaded and scored. ``sha`` is None for the working tree."""

    label: str
    sha: str | None
    ledger: Ledger
    scores: dict[int, YearScore]
    errors: list[Problem]


class RuleChange(NamedTuple):
    """What one rule (a penalty, a charge, a channel's points) is worth to a unit, each side."""

    id: str
    rule: str
    clause: str
    before: Decimal
    after: Decimal


class ConfigChange(NamedTuple):
    """A year's rules.toml or units.toml changed: the units it moved by itself (the older
    side's records scored with the newer side's configuration), and the rules behind that.
    ``units`` is None when the older records do not load under the newer configuration."""

    year: int
    files: tuple[str, ...]
    units: list[ScoreChange] | None
    rules: list[RuleChange]


class ScoreDiff(NamedTuple):
    before: Side
    after: Side
    scores: list[ScoreChange]
    records: list[RecordLine]
    config: list[ConfigChange] = []


def load_side(ledger_dir: Path, rev: str | None, tmp: Path) -> Side:
    """Load and score ``ledger_dir`` as it is at ``rev`` (None: the working tree)."""
    if rev is None:
        ledger, problems = check_ledger(ledger_dir)
        sha, label = None, "工作区"
    else:
        repo = repo_toplevel(ledger_dir.resolve())
        assert repo is not None
        sha = rev_parse(repo, rev)
        prefix = ledger_prefix(repo, ledger_dir)
        if sha is not None:
            root = export_tree(repo, sha, prefix, tmp / sha)
            label = f"{rev}（{sha[:7]}）"
        elif before_root(repo, rev):  # the change log's "X~1 X" for the first commit
            root = export_tree(repo, "", prefix, tmp / "empty")
            label = f"{rev}（首次提交之前，空台账）"
        else:
            raise DiffUsageError(f"无法识别的修订版本“{rev}”："
                                 "请使用提交号、分支名或标签（如 HEAD~1）。")
        ledger, problems = check_ledger(root)
    errors = errors_in(problems)
    scores = {} if errors else score_ledger(ledger)
    return Side(label, sha, ledger, scores, errors)


def before_root(repo: Path, rev: str) -> bool:
    """Whether ``rev`` is ``X~1`` or ``X^`` of a commit ``X`` without parents: the empty
    ledger before the repository's first commit."""
    m = re.fullmatch(r"(.+?)(?:~1?|\^1?)", rev)
    base = rev_parse(repo, m[1]) if m else None
    return base is not None and not parents(repo, base)


def score_diff(ledger_dir: Path, rev_a: str = "HEAD", rev_b: str | None = None) -> ScoreDiff:
    """Compare ``rev_a`` with ``rev_b`` (None: the working tree)."""
    ledger_dir = Path(ledger_dir)
    if repo_toplevel(ledger_dir.resolve()) is None:
        raise DiffUsageError(f"{ledger_dir} 不在 git 仓库中，无法比较修订版本。")
    with tempfile.TemporaryDirectory(prefix="kaoping-diff-") as tmp:
        a = load_side(ledger_dir, rev_a, Path(tmp))
        b = load_side(ledger_dir, rev_b, Path(tmp))
        if a.errors or b.errors:
            return ScoreDiff(a, b, [], [])
        config = config_changes(a, b, Path(tmp) / "mixed")
    return ScoreDiff(a, b, score_changes(a, b), record_changes(a, b), config)


CONFIG_FILES = ("rules.toml", "units.toml")


def config_changes(a: Side, b: Side, dest: Path) -> list[ConfigChange]:
    """Each year whose configuration differs, scored apart from the records that changed."""
    changed = {year: tuple(name for name in CONFIG_FILES
                           if _read(a, year, name) != _read(b, year, name))
               for year in sorted(set(a.ledger.years) & set(b.ledger.years))}
    changed = {year: files for year, files in changed.items() if files}
    if not changed:
        return []
    rel = a.ledger.root.relative_to(a.ledger.repo_root)
    (dest / ".git").mkdir(parents=True)
    shutil.copytree(a.ledger.root, dest / rel, ignore=shutil.ignore_patterns(".git"),
                    dirs_exist_ok=True)
    for year, files in changed.items():
        for name in files:
            (dest / rel / str(year) / name).write_bytes(_read(b, year, name) or b"")
    ledger, problems = check_ledger(dest / rel)
    mixed = None if errors_in(problems) else score_ledger(ledger)
    out = []
    prefix = f"{rel.as_posix()}/" if rel.parts else ""
    for year, files in changed.items():
        paths = tuple(f"{prefix}{year}/{name}" for name in files)
        if mixed is None or year not in mixed or year not in a.scores:
            out.append(ConfigChange(year, paths, None, []))
            continue
        names = {s.unit.id: s.unit.name for s in mixed[year].units}
        units = compare_totals(year, _totals(a.scores[year]), _totals(mixed[year]), names)
        out.append(ConfigChange(year, paths, units, _rule_changes(a.scores[year], mixed[year])))
    return out


def _read(side: Side, year: int, name: str) -> bytes | None:
    path = side.ledger.root / str(year) / name
    return path.read_bytes() if path.is_file() else None


def _by_rule(score: YearScore) -> dict[tuple[str, str, str], Decimal]:
    out: dict[tuple[str, str, str], Decimal] = {}
    for us in score.units:
        for p in us.points:
            key = (us.unit.id, p.rule, p.clause)
            out[key] = out.get(key, Decimal(0)) + p.points
    return out


def _rule_changes(before: YearScore, after: YearScore) -> list[RuleChange]:
    """Per unit and rule, the points that differ (registry order of the newer side)."""
    old, new = _by_rule(before), _by_rule(after)
    order = {us.unit.id: i for i, us in enumerate(after.units)}
    keys = sorted(set(old) | set(new), key=lambda k: (order.get(k[0], len(order)), k))
    return [RuleChange(k[0], k[1], k[2], old.get(k, Decimal(0)), new.get(k, Decimal(0)))
            for k in keys if old.get(k, Decimal(0)) != new.get(k, Decimal(0))]


def _totals(score: YearScore) -> dict[str, tuple[Decimal, int]]:
    return {s.unit.id: (s.total, s.rank_in_category) for s in score.units}


def score_changes(a: Side, b: Side) -> list[ScoreChange]:
    out: list[ScoreChange] = []
    for year in sorted(set(a.scores) | set(b.scores)):
        names = {s.unit.id: s.unit.name for side in (a, b) if year in side.scores
                 for s in side.scores[year].units}
        out += compare_totals(year, _totals(a.scores[year]) if year in a.scores else {},
                              _totals(b.scores[year]) if year in b.scores else {}, names)
    return out


def _files(ledger: Ledger) -> dict[str, UnitMonth]:
    return {um.path: um for um in ledger.unit_months()}


def _points(side: Side) -> dict[tuple[str, int], Decimal]:
    out: dict[tuple[str, int], Decimal] = {}
    for ys in side.scores.values():
        for us in ys.units:
            for p in us.points:
                if p.path is not None and p.line is not None:
                    out[(p.path, p.line)] = out.get((p.path, p.line), Decimal(0)) + p.points
    return out


def record_changes(a: Side, b: Side) -> list[RecordLine]:
    """Records added, removed or changed between the sides, with their points on each side."""
    fa, fb = _files(a.ledger), _files(b.ledger)
    pa, pb = _points(a), _points(b)
    out: list[RecordLine] = []
    for path in sorted(set(fa) | set(fb)):
        before = fa[path].records() if path in fa else ()
        after = fb[path].records() if path in fb else ()
        out += record_lines(path, before, after, pa, pb)[0]
    return out


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: an int when integral (480), else a float (483.2)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_json(diff: ScoreDiff) -> dict[str, object]:
    """The SPEC §4 object: from, to (null for the working tree), changes; and, only when a
    year's rules.toml/units.toml changed, config_changes: that change scored by itself."""
    out: dict[str, object] = {"from": diff.before.sha, "to": diff.after.sha,
                              "changes": [_change_json(c) for c in diff.scores]}
    if diff.config:
        out["config_changes"] = [
            {"year": c.year, "files": list(c.files),
             "changes": None if c.units is None else [_change_json(u) for u in c.units],
             "rules": [{"id": r.id, "rule": r.rule, "clause": r.clause,
                        "before": number(r.before), "after": number(r.after)}
                       for r in c.rules]} for c in diff.config]
    return out


def _change_json(c: ScoreChange) -> dict[str, object]:
    return {"year": c.year, "id": c.id, "before": number(c.before), "after": number(c.after),
            "rank_before": c.rank_before, "rank_after": c.rank_after}


def width(text: str) -> int:
    """Columns a string takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    fill = " " * max(0, cols - width(text))
    return fill + text if right else text + fill


def _fmt(value: Decimal | int | None, sign: bool = False) -> str:
    if value is None:
        return "—"
    n = number(Decimal(value))
    return f"{n:+}" if sign and n else f"{n}"


def format_human(diff: ScoreDiff, color: bool) -> str:
    """An aligned table of the units that changed, then the records behind the change."""
    def paint(text: str, delta: Decimal | None) -> str:
        if not color or not delta:
            return text
        return f"\x1b[{'32' if delta > 0 else '31'}m{text}\x1b[0m"
    lines = [f"比较 {diff.before.label} → {diff.after.label}"]
    if not diff.scores:
        lines.append("没有单位的总分或类内排名发生变化。")
    else:
        head = ["年度", "单位", "之前", "之后", "增减", "类内排名"]
        rows = [[str(c.year), f"{c.name}（{c.id}）", _fmt(c.before), _fmt(c.after),
                 _fmt(c.delta, sign=True), _fmt(c.rank_after) if c.rank_before == c.rank_after
                 else f"{_fmt(c.rank_before)} → {_fmt(c.rank_after)}"]
                for c in diff.scores]
        cols = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]
        right = (False, False, True, True, True, False)
        for row, change in zip([head, *rows], [None, *diff.scores], strict=True):
            cells = [pad(v, w, r) for v, w, r in zip(row, cols, right, strict=True)]
            if change is not None:
                cells[4] = paint(cells[4], change.delta)
            lines.append("  ".join(cells).rstrip())
    for c in diff.config:
        lines += ["", f"{c.year} 年配置变化（{'、'.join(c.files)}），单独计算的影响："]
        if c.units is None:
            lines.append("  原台账记录在新配置下无法通过校验，无法单独计算配置变化的影响。")
        elif not c.units:
            lines.append("  没有单位的总分或类内排名因此变化。")
        for u in c.units or []:
            rank = (_fmt(u.rank_after) if u.rank_before == u.rank_after
                    else f"{_fmt(u.rank_before)} → {_fmt(u.rank_after)}")
            lines.append(f"  {u.name}（{u.id}）：总分 {_fmt(u.before)} → {_fmt(u.after)}，"
                         f"类内排名 {rank}")
            for rc in (rc for rc in c.rules if rc.id == u.id):
                lines.append(f"    {rc.rule} {rc.clause}：{_fmt(rc.before, sign=True)} → "
                             f"{_fmt(rc.after, sign=True)} 分")
    if diff.records:
        lines += ["", "记录变化："]
        for r in diff.records:
            pts = _fmt(r.points_after if r.points_after is not None else r.points_before,
                       sign=True)
            if r.points_before is not None and r.points_after is not None:
                pts = f"{_fmt(r.points_before, sign=True)} → {pts}"
            delta = (r.points_after or Decimal(0)) - (r.points_before or Decimal(0))
            lines.append(f"{r.status}  {r.path}:{r.line}  {r.text}  "
                         f"{paint(pts + ' 分', delta)}")
    return "\n".join(lines) + "\n"


def use_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def report_errors(diff: ScoreDiff, stream: TextIO = sys.stderr) -> None:
    for side in (diff.before, diff.after):
        if side.errors:
            print(f"{side.label} 的台账有 {len(side.errors)} 个错误，无法比较：", file=stream)
            for p in side.errors:
                print(p.format(), file=stream)
