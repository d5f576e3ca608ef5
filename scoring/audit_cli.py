"""The audit commands of ``build.py``: diff, close, textconv (and ``check --strict``'s part).

:mod:`scoring.cli` registers them with :func:`add_commands`; each handler parses nothing itself
and calls one function of the audit modules. Exit status as SPEC §4: 0 success, 1 ledger
errors (or a refused close), 2 usage errors.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from .problems import Problem

Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the audit subcommands to the parser (their handlers: :data:`HANDLERS`)."""
    d = sub.add_parser("diff",
                       help="比较两个 git 修订版本之间各单位的总分与排名（默认 HEAD 与工作区）")
    d.add_argument("revs", nargs="*", metavar="REV", help="REV_A [REV_B]：提交号、分支或标签")
    d.add_argument("--ledger", type=Path, default=Path("ledger"))
    d.add_argument("--json", action="store_true", help="按 SPEC §4 输出 JSON")
    c = sub.add_parser("close", help="月度通报关账：在 HEAD 上建立注释标签 bulletin/YYYY-MM")
    c.add_argument("month", metavar="YYYY-MM")
    c.add_argument("--ledger", type=Path, default=Path("ledger"))
    t = sub.add_parser("textconv", help="git diff 的 textconv 驱动：逐条列出记录及其分值")
    t.add_argument("file", type=Path)
    t.add_argument("--ledger", type=Path, default=Path("ledger"))


def cmd_diff(args: argparse.Namespace) -> int:
    from . import scorediff  # imported here: `build` need not load the audit tools
    if len(args.revs) > 2:
        print("用法错误：diff 最多接受两个修订版本 REV_A REV_B。", file=sys.stderr)
        return 2
    rev_a = args.revs[0] if args.revs else "HEAD"
    rev_b = args.revs[1] if len(args.revs) > 1 else None
    try:
        diff = scorediff.score_diff(args.ledger, rev_a, rev_b)
    except scorediff.DiffUsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if diff.before.errors or diff.after.errors:
        scorediff.report_errors(diff)
        return 1
    if args.json:
        print(json.dumps(scorediff.to_json(diff), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(scorediff.format_human(diff, scorediff.use_color(sys.stdout)))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from . import closing  # imported here: `build` need not load the audit tools
    try:
        tag = closing.close_month(args.ledger, args.month)
    except closing.CloseRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    print(f"已关账：在 {tag.commit[:7]} 上建立标签 {tag.name}。此后修改该月台账即为更正，"
          f"提交说明须写明“{closing.TRAILER}：……”。")
    return 0


def cmd_textconv(args: argparse.Namespace) -> int:
    from . import textconv  # imported here: `build` need not load the audit tools
    sys.stdout.write(textconv.textconv(args.file, args.ledger))
    return 0


def strict_problems(ledger_dir: Path) -> list[Problem]:
    from . import closing  # imported here: `build` need not load the audit tools
    """What ``check --strict`` adds to ``check``: corrections of closed months without reason."""
    return closing.unexplained_corrections(ledger_dir)


HANDLERS: dict[str, Handler] = {"diff": cmd_diff, "close": cmd_close, "textconv": cmd_textconv}
