"""``build.py import``: OA exports into the ledger, exactly once and all or nothing (SPEC §6).

Top to bottom: read the map file and every export → rows; check the ledger as it is (an import
into a ledger with errors would hide whose they are); rows → records; records against the ledger
(skipped when already there, conflicts); the text of each unit file; the would-be ledger checked
by the real checker; then, unless it is a dry run or anything was wrong, every file written at
once and the ledger checked again. Problems are values; the command line decides the exit status.

A year in which the import creates a file gets its editors' JSON Schemas (re)written first, as
``new-month`` writes them, so that the file's ``#:schema`` line names a schema that exists. They
sit in dot-folders the loader ignores, and are rewritten only where the year's rules changed them.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..ledger.check import check_ledger
from ..ledger.jsonschema import write_schemas
from ..ledger.model import Ledger
from ..ledger.problems import Problem, errors_in, sort_problems
from ..progress import Progress
from .ledgertext import FileEdit, plan_edits
from .mapfile import NO_MAP, ColumnMap, load_map
from .plan import Plan, plan_import
from .records import make_records
from .tables import TABLES, Row, find_header, near_miss, table_rows
from .trial import trial_check
from .workbook import UnreadableFile, read_sheets
from .write import write_edits


class ImportUsageError(Exception):
    """A file named on the command line does not exist (exit status 2)."""


class ImportResult(NamedTuple):
    """What an import did or would do.

    problems: the errors that stopped it (nothing written), or the warnings of the check after
    writing; ledger_errors: the errors are the ledger's own, found before importing; plan: the
    records added and the rows skipped; edits: the files written (or that a dry run would write);
    schemas: the JSON Schema files written, relative to the ledger folder.
    """

    problems: list[Problem]
    ledger_errors: bool
    plan: Plan | None
    edits: list[FileEdit]
    dry_run: bool
    written: bool
    schemas: tuple[str, ...] = ()


def read_rows(files: Sequence[Path], mapping: ColumnMap,
              progress: Progress | None = None) -> tuple[list[Row], list[Problem]]:
    """The table rows of every export file (E601 unreadable, E602 no table found)."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, path in enumerate(files, 1):
        if progress is not None:
            progress.count("读取导入文件", n, len(files), "个")
        shown = str(path)
        try:
            sheets = read_sheets(path.read_bytes())
        except UnreadableFile as exc:
            problems.append(Problem(shown, 0, "E601", str(exc)))
            continue
        except OSError as exc:
            problems.append(Problem(shown, 0, "E601", f"无法读取文件：{exc.strerror}。"))
            continue
        found = False
        for sheet in sheets:
            header = find_header(sheet, mapping.columns)
            if header is not None:
                found = True
                label = sheet.name if len(sheets) > 1 else None
                rows += table_rows(sheet, header, shown, path.name, label)
        if not found:
            hints = [h for h in (near_miss(s, mapping.columns) for s in sheets) if h]
            needed = "；".join(f"{t.name}表：{'、'.join(t.required)}" for t in TABLES)
            problems.append(Problem(shown, 0, "E602", "找不到报送、采用或批示表：没有一行同时含有"
                                    f"某表的全部必需列（{needed}）。"
                                    + (f"{hints[0]}；" if hints else "")
                                    + "列名不同时可用 --map 文件的 [columns] 对应。"))
    return rows, problems


def import_files(files: Sequence[Path], ledger_dir: Path, map_file: Path | None = None,
                 dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Import ``files`` into the ledger at ``ledger_dir`` (only check, with ``dry_run``)."""
    for path in (*files, *([map_file] if map_file else [])):
        if not path.is_file():
            raise ImportUsageError(f"找不到文件 {path}。")
    mapping, problems = load_map(map_file, str(map_file)) if map_file else (NO_MAP, [])
    if errors_in(problems):
        return ImportResult(problems, False, None, [], dry_run, False)
    rows, found = read_rows(files, mapping, progress)
    problems += found
    ledger, ledger_problems = check_ledger(ledger_dir, progress)
    if errors_in(ledger_problems):
        return ImportResult(errors_in(ledger_problems), True, None, [], dry_run, False)
    records, found = make_records(rows, ledger, mapping)
    problems += found
    plan, found = plan_import(records, ledger)
    problems += found
    # The records without problems are tried too, so that one run reports every problem.
    edits = plan_edits(plan.added, ledger)
    if edits:
        problems += trial_check(ledger, edits, progress)
    if errors_in(problems) or dry_run or not edits:
        return ImportResult(sort_problems(problems), False, plan, edits, dry_run, False)
    if progress is not None:
        progress(f"写入 {len(edits)} 个台账文件")
    try:
        schemas = refresh_schemas(edits, ledger)
        write_edits(edits)
    except OSError as exc:
        return ImportResult([Problem(str(ledger_dir), 0, "E612", f"写入台账失败，未写入任何文件："
                                     f"{exc}")], False, plan, edits, dry_run, False)
    _, after = check_ledger(ledger_dir, progress)
    return ImportResult(after, False, plan, edits, dry_run, True, schemas)


def refresh_schemas(edits: list[FileEdit], ledger: Ledger) -> tuple[str, ...]:
    """The JSON Schemas of each year a new file goes to, written where they differ."""
    years = sorted({int(e.path.relative_to(ledger.root).parts[0]) for e in edits
                    if e.before is None})
    return tuple(rel for year in years
                 for rel in write_schemas(ledger.root, year, ledger.years[year].rules))


def failure(result: ImportResult) -> str:
    """The line printed after the errors of an import."""
    n = len(errors_in(result.problems))
    if result.written:  # only if the ledger was changed by someone else meanwhile
        return f"已写入台账，但校验发现 {n} 个错误，请运行 python build.py check 核对。"
    fix = "台账本身有错误，请先运行 python build.py check 修正；" if result.ledger_errors else ""
    return f"发现 {n} 个错误，{fix}未写入任何文件。"


def report(result: ImportResult) -> list[str]:
    """The lines printed after an import without errors: what was (or would be) added."""
    plan = result.plan
    assert plan is not None
    lines = []
    if result.dry_run:
        for edit in result.edits:
            if edit.spans:
                lines.append(f"{edit.shown}{'（新建）' if edit.before is None else ''}：")
            for first, _last, rec in edit.spans:
                detail = "  ".join(str(v) for k, v in rec.fields.items() if k != "oa")
                lines.append(f"  + 第{first}行 [[{rec.kind}]] {rec.key[0]}  {detail}"
                             f"  ← {rec.source.file}:{rec.source.row}")
    for table in TABLES:
        added = sum(r.table == table.name for r in plan.added)
        lines.append(f"{table.name}：{'将添加' if result.dry_run else '添加'} {added} 条，"
                     f"已在台账中 {plan.skipped[table.name]} 条（跳过）"
                     + (f"，本次重复 {plan.repeated[table.name]} 条" if plan.repeated[table.name]
                        else "") + "。")
    lines += [f"已写入编辑器用的 JSON Schema：{rel}。" for rel in result.schemas]
    created = sum(e.before is None for e in result.edits)
    if not result.edits:
        lines.append("没有需要添加的记录，台账未改动。")
    elif not result.dry_run:
        lines.append(f"已写入 {len(result.edits)} 个台账文件（其中新建 {created} 个），"
                     "校验通过；请核对后提交（git commit）。")
    else:
        lines.append(f"试运行：将写入 {len(result.edits)} 个台账文件（其中新建 {created} 个）；"
                     "未写入任何文件。")
    return lines
