"""The command line: each command parses its options, calls one function, prints, and exits.

Exit status: 0 success (warnings allowed), 1 ledger errors, 2 usage errors (SPEC §4).

Each command imports its stage when it runs, not at start-up: ``build`` asks the build memo
(:mod:`scoring.memo`) first and loads the build (Jinja, Markdown, the scorer, the audit) only
when there is something to build. A rebuild with nothing changed then costs the memo alone:
on the demo repository 0.18 s instead of 0.39 s with every stage imported at start-up
(median of 7 whole-process runs, ratio 0.49; the imports alone were 0.22 s).
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .cache import open_cache
from .ledger.problems import Problem, errors_in, sort_problems
from .memo import BuildMemo
from .progress import Progress


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # usage errors: exit 2
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py",
                     description="政务信息工作考评：校验台账、计分排名、生成通报站点。")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text)
        p.add_argument("--ledger", type=Path, default=Path("ledger"),
                       help="台账文件夹（默认 ledger/）")
        return p
    b = command("build", "校验台账并生成站点（默认命令）")
    b.add_argument("--out", type=Path, default=Path("output"), help="输出文件夹（默认 output/）")
    b.add_argument("--quiet", action="store_true", help="不显示进度")
    b.add_argument("--no-cache", action="store_true",
                   help="不读不写缓存 .kaoping-cache/（缓存可随时删除）")
    c = command("check", "只校验台账（用于提交前检查与 CI）")
    c.add_argument("--quiet", action="store_true")
    c.add_argument("--strict", action="store_true",
                   help="同时审计 git 历史：已关账月份的更正须写明更正原因（E501）")
    c.add_argument("--staged", action="store_true",
                   help="校验暂存区（即将提交的内容）而非工作区，供提交前钩子使用")
    n = command("new-month", "建立某月的台账文件夹，每个单位一个模板文件")
    n.add_argument("month", metavar="YYYY-MM")
    n.add_argument("--copy-config", action="store_true",
                   help="新年度缺少 units.toml、rules.toml 时从上一年度复制")
    d = command("diff", "比较两个 git 修订版本之间各单位的总分与排名（默认 HEAD 与工作区）")
    d.add_argument("revs", nargs="*", metavar="REV", help="REV_A [REV_B]：提交号、分支或标签")
    d.add_argument("--json", action="store_true", help="按 SPEC §4 输出 JSON")
    k = command("close", "月度通报关账：在 HEAD 上建立注释标签 bulletin/YYYY-MM")
    k.add_argument("month", metavar="YYYY-MM")
    t = command("textconv", "git diff 的 textconv 驱动：逐条列出记录及其分值")
    t.add_argument("file", type=Path)
    i = command("import", "从 OA 平台导出的报送、采用、批示清单导入台账（全部成功才写入）")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="xlsx、xls（含网页格式）或 CSV（UTF-8、GBK）")
    i.add_argument("--map", type=Path, help="列名与取值的映射文件（TOML，见 README）")
    i.add_argument("--dry-run", action="store_true", help="只列出将添加的记录，不写入")
    i.add_argument("--quiet", action="store_true", help="不显示进度")
    s = command("serve", "在本机提供站点，台账或模板保存后即重新生成，打开的页面自动刷新")
    s.add_argument("--out", type=Path, default=Path("output"), help="输出文件夹（默认 output/）")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    s.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    s.add_argument("--poll", action="store_true",
                   help="轮询文件变化（网络共享盘上用；也可设环境变量 KAOPING_POLL=1）")
    f = command("pdf", "生成年度通报及该年度各月通报的 PDF（需安装 Chromium；先生成站点）")
    f.add_argument("year", nargs="?", type=int, metavar="YYYY", help="年度（默认最近的年度）")
    f.add_argument("--out", type=Path, default=Path("output"), help="输出文件夹（默认 output/）")
    return parser


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(p.format(), file=sys.stderr if p.is_error else sys.stdout)


def cmd_check(args: argparse.Namespace) -> int:
    if args.staged:
        return _check_staged(args)
    return _check(args.ledger, args)


def _check(ledger_dir: Path, args: argparse.Namespace, where: str = "") -> int:
    from .audit import closing
    from .ledger.check import check_ledger
    from .rulebook.figures import notice_problems
    progress = Progress(args.quiet)
    ledger, problems = check_ledger(ledger_dir, progress)
    if not errors_in(problems):  # the notices' figures need the scores of a valid ledger
        problems = sort_problems(problems + notice_problems(ledger))
    progress.done()
    unexplained = closing.unexplained_corrections(ledger_dir)
    if not args.strict:  # a plain check warns of them; --strict refuses them
        unexplained = [p._replace(code="W501") for p in unexplained]
    problems = sort_problems(problems + unexplained)
    print_problems(problems)
    errors = errors_in(problems)
    if errors:
        print(f"{where}发现 {len(errors)} 个错误、{len(problems) - len(errors)} 个警告。",
              file=sys.stderr)
        return 1
    months = sum(len(y.months) for y in ledger.years.values())
    files = sum(len(m) for y in ledger.years.values() for m in y.months.values())
    print(f"{where}检查通过：{len(ledger.years)} 个年度，{months} 个月，{files} 个台账文件，"
          f"{ledger.record_count()} 条记录，{len(problems)} 个警告。")
    return 0


def _check_staged(args: argparse.Namespace) -> int:
    """``check --staged``: the ledger as the index holds it, exported to a temporary folder
    (paths in problems read as in the repository)."""
    from .audit import git
    if args.strict:
        print("用法错误：--staged 不能与 --strict 同用（提交尚未产生，无从审计其说明）。",
              file=sys.stderr)
        return 2
    repo = git.repo_toplevel(args.ledger.resolve()) if args.ledger.is_dir() else None
    if repo is None:
        print(f"错误：{args.ledger} 不在 git 仓库中，无暂存区可查。", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kaoping-staged-") as tmp:
        try:
            ledger_dir = git.export_index(repo, git.ledger_prefix(repo, args.ledger), Path(tmp))
        except git.GitError as exc:
            print(f"错误：无法读取暂存区：{exc}", file=sys.stderr)
            return 2
        return _check(ledger_dir, args, "暂存区")


def cmd_build(args: argparse.Namespace) -> int:
    progress = Progress(args.quiet)
    cache = None if args.no_cache else open_cache(args.ledger)
    memo = None if cache is None else BuildMemo(cache, args.ledger, args.out)
    problems = None if memo is None else memo.unchanged()
    if problems is None:
        from .pipeline import build_site
        problems = build_site(args.ledger, args.out, progress, cache, memo)
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
    from .ledger.scaffold import new_month
    try:
        created, messages = new_month(args.ledger, args.month, args.copy_config)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for m in messages:
        print(m)
    print(f"已建立 {len(created)} 个台账模板文件。")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .audit import diff
    if len(args.revs) > 2:
        print("用法错误：diff 最多接受两个修订版本 REV_A REV_B。", file=sys.stderr)
        return 2
    rev_a = args.revs[0] if args.revs else "HEAD"
    rev_b = args.revs[1] if len(args.revs) > 1 else None
    try:
        result = diff.score_diff(args.ledger, rev_a, rev_b)
    except diff.DiffUsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if result.before.errors or result.after.errors:
        diff.report_errors(result)
        return 1
    if args.json:
        print(json.dumps(diff.to_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(diff.format_human(result, diff.use_color(sys.stdout)))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from .audit import closing
    try:
        tag = closing.close_month(args.ledger, args.month)
    except closing.CloseRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    print(f"已关账：在 {tag.commit[:7]} 上建立标签 {tag.name}。此后修改该月台账即为更正，"
          f"提交说明须写明“{closing.TRAILER}：……”。")
    return 0


def cmd_textconv(args: argparse.Namespace) -> int:
    from .audit import textconv
    sys.stdout.write(textconv.textconv(args.file, args.ledger))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .oa import importer
    progress = Progress(args.quiet)
    try:
        result = importer.import_files(args.files, args.ledger, args.map, args.dry_run, progress)
    except importer.ImportUsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    progress.done()
    print_problems(result.problems)
    if errors_in(result.problems):
        print(importer.failure(result), file=sys.stderr)
        return 1
    for line in importer.report(result):
        print(line)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .live.site import Rebuilt
    from .live.watch import serve

    def report(done: Rebuilt) -> None:
        print_problems(done.problems)
        if done.ok:
            print(f"已重新生成：写入 {len(done.written)} 个文件、删除 {len(done.removed)} 个，"
                  f"页面用时 {done.pages_seconds:.2f} 秒，共 {done.seconds:.2f} 秒。", flush=True)
        else:
            print(f"台账有 {len(errors_in(done.problems))} 个错误，页面保持上次通过校验的版本。",
                  file=sys.stderr, flush=True)

    def ready(url: str) -> None:
        print(f"站点地址：{url}（Ctrl-C 停止）", flush=True)
    try:
        serve(args.ledger, args.out, args.host, args.port, args.poll, report, ready)
    except OSError as exc:
        print(f"错误：无法在 {args.host}:{args.port} 提供站点：{exc}", file=sys.stderr)
        return 2
    print("已停止。", flush=True)
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    """Build (the memo makes an unchanged build cheap), then print the year's pages."""
    from .site import pdf
    status = cmd_build(argparse.Namespace(ledger=args.ledger, out=args.out, quiet=True,
                                          no_cache=False))
    if status:
        return status
    try:
        pdf.write_pdfs(args.out, args.year, lambda p: print(f"已生成 {p}"))
    except pdf.PdfError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": cmd_build, "check": cmd_check, "new-month": cmd_new_month, "diff": cmd_diff,
    "close": cmd_close, "textconv": cmd_textconv, "import": cmd_import,
    "pdf": cmd_pdf, "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    # The process's one garbage-collection policy. A command loads hundreds of thousands of
    # records that live to its end and makes few reference cycles; at Python's default
    # thresholds the collector scans them again and again (a tenth of a district build,
    # tools/bench.py). Collect far less often.
    gc.set_threshold(100_000, 50, 100)
    return COMMANDS[args.command](args)
