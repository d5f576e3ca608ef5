"""The command line: each command parses its options and calls one function of the engine.

Exit status: 0 success (warnings allowed), 1 ledger errors, 2 usage errors (SPEC §4).
"""
from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Sequence

from . import audit_cli, pipeline
from .cache import Cache
from .newmonth import new_month
from .problems import Problem, errors_in, sort_problems
from .progress import Progress

COMMANDS = ("build", "check", "new-month", "diff", "close", "textconv")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: Chinese, exit 2
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py", description="政务信息工作考评：校验台账、计分排名、生成通报站点。")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    b = sub.add_parser("build", help="校验台账并生成站点（默认命令）")
    b.add_argument("--ledger", type=Path, default=Path("ledger"), help="台账文件夹（默认 ledger/）")
    b.add_argument("--out", type=Path, default=Path("output"), help="输出文件夹（默认 output/）")
    b.add_argument("--quiet", action="store_true", help="不显示进度")
    b.add_argument("--no-cache", action="store_true",
                   help="不读不写构建缓存 .kaoping-cache/（缓存可随时删除）")
    c = sub.add_parser("check", help="只校验台账（用于提交前检查与 CI）")
    c.add_argument("--ledger", type=Path, default=Path("ledger"))
    c.add_argument("--quiet", action="store_true")
    c.add_argument("--no-cache", action="store_true")
    c.add_argument("--strict", action="store_true",
                   help="同时审计 git 历史：已关账月份的更正须写明更正原因（E501）")
    n = sub.add_parser("new-month", help="建立某月的台账文件夹，每个单位一个模板文件")
    n.add_argument("month", metavar="YYYY-MM")
    n.add_argument("--ledger", type=Path, default=Path("ledger"))
    n.add_argument("--copy-config", action="store_true",
                   help="新年度缺少 units.toml、rules.toml 时从上一年度复制")
    audit_cli.add_commands(sub)
    return parser


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(p.format(), file=sys.stderr if p.is_error else sys.stdout)


def _cache(args: argparse.Namespace) -> Cache | None:
    return None if args.no_cache else pipeline.open_cache(args.ledger)


def cmd_check(args: argparse.Namespace) -> int:
    progress = Progress(args.quiet)
    ledger, problems = pipeline.check_ledger(args.ledger, progress, _cache(args))
    progress.done()
    if args.strict:
        problems = sort_problems(problems + audit_cli.strict_problems(args.ledger))
    print_problems(problems)
    errors = errors_in(problems)
    if errors:
        print(f"发现 {len(errors)} 个错误、{len(problems) - len(errors)} 个警告。", file=sys.stderr)
        return 1
    months = sum(len(y.months) for y in ledger.years.values())
    files = sum(len(m) for y in ledger.years.values() for m in y.months.values())
    print(f"检查通过：{len(ledger.years)} 个年度，{months} 个月，{files} 个台账文件，"
          f"{ledger.record_count()} 条记录，{len(problems)} 个警告。")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    progress = Progress(args.quiet)
    problems = pipeline.build_site(args.ledger, args.out, progress, _cache(args),
                                   remove_later=True)
    progress.done()
    print_problems(problems)
    errors = errors_in(problems)
    if errors:
        print(f"发现 {len(errors)} 个错误，未生成站点（{args.out} 保持不变）。", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"站点已生成：{args.out}/index.html（{len(problems)} 个警告）")
    return 0


def cmd_new_month(args: argparse.Namespace) -> int:
    try:
        created, messages = new_month(args.ledger, args.month, args.copy_config)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for m in messages:
        print(m)
    print(f"已建立 {len(created)} 个台账模板文件。")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    # A build allocates millions of small objects that live to its end: collecting garbage
    # less often saves a tenth of its time (bench).
    gc.set_threshold(100_000, 50, 100)
    handler = {"build": cmd_build, "check": cmd_check, "new-month": cmd_new_month,
               **audit_cli.HANDLERS}[args.command]
    return handler(args)
