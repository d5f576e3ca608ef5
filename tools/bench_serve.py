"""The ``serve`` benchmark: ``python tools/bench_serve.py [--runs N] [--workdir DIR]``.

For the demo repository (a copy of ``ledger/``) and the 10-year district ledger of
:mod:`benchgen` (generated once by ``tools/bench.py``'s ``prepare``), measures in one run:

* a clean build, as a user runs it (``build.py build --no-cache``, a separate process);
* save-to-page-written under ``serve``: a record appended to one unit file of the last year,
  timed from the write to the end of the rebuild the watcher started (watcher latency,
  validation, scoring, rendering every page in memory, writing the changed files).

Medians of ``--runs`` edits, with their ratio to the clean build. Targets: 0.3 s (demo),
0.5 s (district). The output after the edits is checked against a clean build of the same
ledger, byte for byte (the git trail aside, which ``serve`` reads once per session).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]  # this worktree's scoring, not the installed one

import bench  # noqa: E402

from scoring.live.server import LiveState  # noqa: E402
from scoring.live.site import LiveSite, Rebuilt  # noqa: E402
from scoring.live.watch import watch_loop  # noqa: E402

TARGETS = {"demo": 0.3, "district": 0.5}


def clean_build(ledger: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--ledger", str(ledger),
                    "--out", str(out), "--quiet", "--no-cache"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def edited_file(ledger: Path) -> Path:
    last = max((p for p in ledger.iterdir() if p.name.isdigit()), key=lambda p: p.name)
    month = max((p for p in last.iterdir() if p.is_dir()), key=lambda p: p.name)
    return min(p for p in month.iterdir() if p.suffix == ".toml")


def serve_edits(ledger: Path, out: Path, runs: int) -> tuple[list[float], int, int]:
    """Seconds from each save to the end of its rebuild; files written by the last one,
    and by the first (whole) build."""
    live = LiveSite(ledger, out, trail=False)
    first = live.rebuild()
    done = threading.Event()
    last: list[Rebuilt] = []

    def report(r: Rebuilt) -> None:
        last.append(r)
        done.set()
    stop = threading.Event()
    watcher = threading.Thread(target=watch_loop, args=(live, LiveState(), stop, False, report),
                               daemon=True)
    watcher.start()
    time.sleep(0.5)  # the watcher is watching
    path = edited_file(ledger)
    year = path.parent.parent.name
    times = []
    for run in range(runs):
        done.clear()
        start = time.perf_counter()
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f'\n[[info]]\noa = "SERVE-{run}"\ntitle = "实时预览基准测试"\n'
                     f'date = {year}-{path.parent.name}-01\n')
        if not done.wait(30):
            raise SystemExit("监视器未触发重建！")
        times.append(time.perf_counter() - start)
        if not last[-1].ok:
            raise SystemExit("\n".join(p.format() for p in last[-1].problems))
        time.sleep(0.3)
    stop.set()
    watcher.join(5)
    return times, len(last[-1].written), len(first.written)


def same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in root.rglob("*") if p.is_file()}
    return files(a) == files(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kaoping-bench"))
    parser.add_argument("--only", choices=sorted(TARGETS))
    args = parser.parse_args()
    work = args.workdir / "serve"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sources = {"demo": REPO / "ledger",
               "district": bench.prepare(args.workdir, "district", "generated") / "ledger"}
    print(f"{'台账':<10}{'完整构建 s':>12}{'保存→写入 s':>14}{'比值':>8}{'目标 s':>8}"
          f"{'写入文件':>10}")
    failed = False
    for name, source in sources.items():
        if args.only and name != args.only:
            continue
        ledger = work / name / "ledger"
        shutil.copytree(source, ledger)
        clean = clean_build(ledger, work / name / "clean")
        times, written, total = serve_edits(ledger, work / name / "out", args.runs)
        clean_build(ledger, work / name / "check")
        if not same_tree(work / name / "out", work / name / "check"):
            raise SystemExit(f"{name}：serve 的输出与完整构建不同！")
        median = statistics.median(times)
        failed |= median > TARGETS[name]
        print(f"{name:<10}{clean:>12.2f}{median:>14.3f}{median / clean:>8.2f}"
              f"{TARGETS[name]:>8.1f}{f'{written}/{total}':>10}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
