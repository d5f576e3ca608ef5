"""The benchmark: ``python tools/bench.py [--scale district|city] [--style generated|hand]``.

Generates, once and deterministically, ledgers of 10 years under ``--workdir`` (default
``/tmp/kaoping-bench``, outside the repository; each a git repository with one commit): a
district (47 units) or a city (450 units), in the generator's style or a clerk's hand style
(:mod:`benchgen`). Then measures side by side, every command a separate process as a user runs
it: the parse-only floor (read every file and ``tomli.loads`` it), validation alone, a clean
build (``--no-cache``), a first build filling the cache, a rebuild with nothing changed, and a
rebuild after one unit file changed. Medians of ``--runs`` runs are printed with their ratio to
the floor (in the same run), CPU time and peak memory; the cached builds' output is compared
with a clean build byte for byte.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import benchgen

REPO = Path(__file__).resolve().parent.parent
BUILD = str(REPO / "build.py")
YEARS = range(2014, 2024)
SCALES = {"district": 47, "city": 450}
ROWS = (("floor", "只解析（tomli 下限）parse-only floor"),
        ("check", "只校验 check"),
        ("clean", "完整构建，无缓存 build --no-cache"),
        ("cold", "首次构建，写入缓存 first build"),
        ("same", "重建，无改动 nothing changed"),
        ("edit", "改动一个文件后重建 one file edited"))
FLOOR = """\
import os, sys, tomli
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as fh:
                tomli.loads(fh.read().decode("utf-8-sig"))
"""
Measured = tuple[float, float, int]   # wall seconds, CPU seconds, peak RSS bytes


def prepare(workdir: Path, scale: str, style: str) -> Path:
    """The repository of a scale and style (generated unless present and current)."""
    repo = workdir / f"{scale}-{style}"
    stamp = f"{benchgen.STAMP} {SCALES[scale]} {style} {YEARS.start}-{YEARS.stop - 1}\n"
    if (repo / "STAMP").is_file() and (repo / "STAMP").read_text() == stamp:
        return repo
    print(f"生成 {scale} {style} 台账（只在第一次运行时）…", file=sys.stderr, flush=True)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    config = REPO / "ledger" / "2023"
    units = (benchgen.district_units(config) if scale == "district"
             else benchgen.synthetic_units(SCALES[scale]))
    benchgen.generate_ledger(repo / "ledger", YEARS, units, config)
    if style == "hand":
        benchgen.hand_edit(repo / "ledger")
    (repo / ".gitignore").write_text("/output*/\n/.kaoping-cache/\n/STAMP\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "基准测试台账"]):
        subprocess.run(git + args, cwd=repo, check=True)
    (repo / "STAMP").write_text(stamp)
    return repo


def measure(args: list[str], cwd: Path) -> Measured:
    """Run one command to its end: wall and CPU seconds, its peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"命令失败：{' '.join(args)}\n{err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def build(out: str, *flags: str) -> list[str]:
    return [sys.executable, BUILD, "build", "--ledger", "ledger", "--out", out, "--quiet",
            *flags]


def one_run(repo: Path, run: int, results: dict[str, list[Measured]]) -> None:
    """Every measurement once, in an order that leaves the cache warm for the rebuilds."""
    ledger = repo / "ledger"
    results["floor"].append(measure([sys.executable, "-c", FLOOR, str(ledger)], repo))
    results["check"].append(measure([sys.executable, BUILD, "check", "--ledger", "ledger",
                                     "--quiet"], repo))
    results["clean"].append(measure(build("output-clean", "--no-cache"), repo))
    shutil.rmtree(repo / ".kaoping-cache", ignore_errors=True)
    results["cold"].append(measure(build("output"), repo))
    results["same"].append(measure(build("output"), repo))
    month = ledger / str(YEARS[-1]) / "06"
    path = month / sorted(p for p in os.listdir(month) if p.endswith(".toml"))[0]
    original = path.read_bytes()
    try:
        path.write_bytes(original + f'\n[[info]]\noa = "BENCH-{run}-{time.time_ns()}"\n'
                         f'title = "基准测试改动"\ndate = {YEARS[-1]}-06-28\n'.encode())
        results["edit"].append(measure(build("output"), repo))
        measure(build("output-edited-clean", "--no-cache"), repo)
        if not same_tree(repo / "output", repo / "output-edited-clean"):
            raise SystemExit("缓存构建与无缓存构建的输出不同！")
    finally:
        path.write_bytes(original)
    measure(build("output"), repo)
    if not same_tree(repo / "output", repo / "output-clean"):
        raise SystemExit("缓存构建与无缓存构建的输出不同！")


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def report(name: str, repo: Path, results: dict[str, list[Measured]]) -> None:
    floor = statistics.median(r[0] for r in results["floor"])
    files = sum(1 for p in (repo / "ledger").rglob("*.toml") if len(p.parent.name) == 2)
    size = sum(p.stat().st_size for p in (repo / "ledger").rglob("*.toml"))
    print(f"\n{name}: {len(YEARS)} 年，{files} 个台账文件，{size / 1e6:.1f} MB")
    print(f"{'':<36}{'中位数':>8}{'×下限':>8}{'CPU':>8}{'内存峰值':>10}   各次 (s)")
    for key, label in ROWS:
        runs = results[key]
        if runs:
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs) / 2**20
            each = " ".join(f"{r[0]:.2f}" for r in runs)
            print(f"{label:<36}{wall:7.2f}s{wall / floor:7.2f}×{cpu:7.2f}s{peak:7.0f} MB   {each}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/bench.py",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kaoping-bench"))
    parser.add_argument("--scale", choices=sorted(SCALES), action="append")
    parser.add_argument("--style", choices=("generated", "hand"), action="append")
    parser.add_argument("--runs", type=int, default=None,
                        help="每项测量次数（默认：区 5 次，市 1 次）")
    args = parser.parse_args(argv)
    print(f"kaoping bench: {os.cpu_count()} 核，负载 {os.getloadavg()[0]:.2f}，"
          f"Python {sys.version.split()[0]}")
    import compileall  # installed code is byte-compiled: measure that, not compiling
    compileall.compile_dir(str(REPO / "scoring"), quiet=1)
    for scale in args.scale or ["district"]:
        for style in args.style or ["generated", "hand"]:
            repo = prepare(args.workdir.resolve(), scale, style)
            results: dict[str, list[Measured]] = {key: [] for key, _ in ROWS}
            for run in range(args.runs or (5 if scale == "district" else 1)):
                one_run(repo, run, results)
            report(f"{scale} · {style}", repo, results)
    print(f"\n负载 load average {os.getloadavg()[0]:.2f}（其他程序占用 CPU 时墙钟时间偏高）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
