"""The benchmark: ``python -m scoring.bench [--district-only|--city-only] [--runs N]``.

Generates, once and deterministically, a district ledger (10 years × 47 units × 12 months) and a
city ledger (10 years × 450 units) under ``--workdir`` (default ``/tmp/kaoping-bench``, outside
the repository; each is a git repository with one commit), then measures side by side: the
parse-only floor (read every file and ``tomli.loads`` it), validation alone, a full build
without cache, a first build filling the cache, a rebuild with nothing changed and a rebuild
after one unit's month file changed. Every measurement is a separate process (as a user runs
it): wall time from start to exit, and the peak resident memory of the process tree (the largest
process, from ``wait4``, and the whole tree's PSS, sampled). A rebuild after one file changed is
measured twice: the first edit after a commit (the 草稿 stamp then changes on every page) and one
more edit while the tree is already being edited (only that year's pages change). Medians of
``--runs`` runs are printed with their ratio to the floor, and the output of cached builds is
compared with a clean build byte for byte. The package is byte-compiled first, as installing it
does, so that no run spends its time compiling Python modules (see :func:`compile_code`).
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

from . import benchgen

REPO = Path(__file__).resolve().parent.parent
BUILD = str(REPO / "build.py")
YEARS = range(2014, 2024)
SCALES = {"district": 47, "city": 450}
ROWS = (("floor", "只解析（tomli 下限）parse-only floor"),
        ("check", "只校验 validation alone (check --no-cache)"),
        ("clean", "完整构建，无缓存 full build --no-cache"),
        ("cold", "首次构建，写入缓存 first build, filling cache"),
        ("same", "重建，无改动 rebuild, nothing changed"),
        ("first", "提交后首次改动 first edit after a commit"),
        ("one", "编辑中再改一个文件 one more file edited"))
FLOOR = """\
import os, sys, tomli
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as fh:
                tomli.loads(fh.read().decode("utf-8-sig"))
"""


def prepare(workdir: Path, scale: str) -> Path:
    """The scale's repository (generated unless present and current); returns its root."""
    repo = workdir / scale
    stamp = f"{benchgen.STAMP} {SCALES[scale]} {YEARS.start}-{YEARS.stop - 1}\n"
    if (repo / "STAMP").is_file() and (repo / "STAMP").read_text() == stamp:
        return repo
    print(f"生成 {scale} 台账（只在第一次运行时）…", file=sys.stderr, flush=True)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    config = REPO / "ledger" / "2023"
    units = (benchgen.district_units(config) if scale == "district"
             else benchgen.synthetic_units(SCALES[scale]))
    benchgen.generate_ledger(repo / "ledger", YEARS, units, config)
    (repo / ".gitignore").write_text("/output*/\n/.kaoping-cache/\n/STAMP\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "基准测试台账"]):
        subprocess.run(git + args, cwd=repo, check=True)
    (repo / "STAMP").write_text(stamp)
    return repo


def measure(args: list[str], cwd: Path) -> tuple[float, int, float, int]:
    """Run one command: (wall seconds, peak RSS of its largest process, CPU seconds of it and
    its helpers, peak of the whole process tree's memory (PSS, sampled every 0.2 s))."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"命令失败（{proc.returncode}）：{' '.join(args)}\n{err}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, peak[0]


def _sample_tree(pid: int, peak: list[int]) -> None:
    """Keep the highest total PSS of ``pid`` and its descendants (Linux /proc) in ``peak``."""
    while True:
        total, stack = 0, [pid]
        while stack:
            p = stack.pop()
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    total += next(int(line.split()[1]) * 1024 for line in fh
                                  if line.startswith("Pss:"))
                with open(f"/proc/{p}/task/{p}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
            except (OSError, StopIteration, ValueError):
                if p == pid:
                    return
        peak[0] = max(peak[0], total)
        time.sleep(0.2)


def build(repo: Path, out: str, *flags: str) -> list[str]:
    return [sys.executable, BUILD, "build", "--ledger", "ledger", "--out", out, "--quiet",
            *flags]


Measured = tuple[float, int, float, int]


def one_run(repo: Path, run: int, results: dict[str, list[Measured]]) -> None:
    """Every measurement once, in an order that leaves the cache warm for the rebuilds."""
    ledger = repo / "ledger"
    results["floor"].append(measure([sys.executable, "-c", FLOOR, str(ledger)], repo))
    results["check"].append(measure([sys.executable, BUILD, "check", "--ledger", "ledger",
                                     "--quiet", "--no-cache"], repo))
    results["clean"].append(measure(build(repo, "output-clean", "--no-cache"), repo))
    shutil.rmtree(repo / ".kaoping-cache", ignore_errors=True)
    results["cold"].append(measure(build(repo, "output"), repo))
    results["same"].append(measure(build(repo, "output"), repo))
    edits = [edit(ledger / str(YEARS[-1]) / "06", run), edit(ledger / str(YEARS[-3]) / "03", run)]
    try:
        edits[0].apply()  # the first change after a commit: every page's 草稿 stamp changes
        results["first"].append(measure(build(repo, "output"), repo))
        edits[1].apply()  # another change while editing: only that year's pages change
        results["one"].append(measure(build(repo, "output"), repo))
        measure(build(repo, "output-edited-clean", "--no-cache"), repo)
        if not same_tree(repo / "output", repo / "output-edited-clean"):
            raise SystemExit("缓存构建与无缓存构建的输出不同！")
    finally:
        for e in edits:
            e.restore()
    measure(build(repo, "output"), repo)
    if not same_tree(repo / "output", repo / "output-clean"):
        raise SystemExit("缓存构建与无缓存构建的输出不同！")


class edit:
    """Appends a new item to the first unit file of ``month_dir``; ``restore`` undoes it."""

    def __init__(self, month_dir: Path, run: int) -> None:
        self.path = month_dir / sorted(p for p in os.listdir(month_dir) if p.endswith(".toml"))[0]
        self.original = self.path.read_bytes()
        year, month = month_dir.parent.name, month_dir.name
        self.added = (f'\n[[info]]\noa = "BENCH-{run}-{time.time_ns()}"\ntitle = "基准测试改动"\n'
                      f"date = {year}-{month}-28\n").encode()

    def apply(self) -> None:
        self.path.write_bytes(self.original + self.added)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def describe(repo: Path) -> str:
    ledger = repo / "ledger"
    files = sum(1 for p in ledger.rglob("*.toml") if p.parent.name.isdigit()
                and len(p.parent.name) == 2)
    size = sum(p.stat().st_size for p in ledger.rglob("*.toml"))
    return f"{len(YEARS)} 年 × {SCALES[repo.name]} 单位 × 12 月 = {files} 个文件，{size / 1e6:.1f} MB"


def report(scale: str, repo: Path, results: dict[str, list[Measured]]) -> None:
    floor = statistics.median(r[0] for r in results["floor"])
    print(f"\n{scale}: {describe(repo)}")
    print(f"{pad('', 46)}{pad('中位数', 8, True)}{pad('×下限', 8, True)}{pad('CPU', 8, True)}"
          f"{pad('内存峰值', 10, True)}{pad('（整棵）', 10, True)}   各次 runs (s)")
    for key, label in ROWS:
        runs = results[key]
        if not runs:
            continue
        median = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        rss = max(r[1] for r in runs) / 2**20
        tree = max(r[3] for r in runs) / 2**20
        each = " ".join(f"{r[0]:.2f}" for r in runs)
        print(f"{pad(label, 46)}{median:7.2f}s{median / floor:7.2f}×{cpu:7.2f}s"
              f"{rss:7.0f} MB{tree:7.0f} MB   {each}")


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(0, width - used)
    return space + text if right else text + space


def compile_code() -> str:
    """Byte-compile the package, as installing it does, so that every measured run imports
    compiled code like the floor's tomli (an editable install under PYTHONDONTWRITEBYTECODE,
    as on this machine, would otherwise compile every module again in every run: 0.06 s)."""
    import compileall
    ok = compileall.compile_dir(str(REPO / "scoring"), quiet=1)
    return "scoring/__pycache__" if ok else "部分失败"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.bench", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kaoping-bench"))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--district-only", action="store_true")
    which.add_argument("--city-only", action="store_true")
    parser.add_argument("--runs", type=int, default=None,
                        help="每项测量次数（默认：区 3 次，市 1 次）")
    args = parser.parse_args(argv)
    scales = (["district"] if args.district_only else ["city"] if args.city_only
              else ["district", "city"])
    print(f"kaoping bench: {os.cpu_count()} 核，负载 {os.getloadavg()[0]:.2f}，"
          f"Python {sys.version.split()[0]}")
    compiled = compile_code()
    print(f"代码已预编译为字节码（{compiled}，与 pip 安装时相同；"
          "PYTHONDONTWRITEBYTECODE 下否则每次运行都要重新编译）")
    for scale in scales:
        repo = prepare(args.workdir.resolve(), scale)
        runs = args.runs or (3 if scale == "district" else 1)
        results: dict[str, list[Measured]] = {key: [] for key, _ in ROWS}
        for run in range(runs):
            one_run(repo, run, results)
        report(scale, repo, results)
    print(f"\n负载 load average {os.getloadavg()[0]:.2f}（其他程序占用 CPU 时墙钟时间偏高）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
