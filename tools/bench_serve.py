"""The ``serve`` benchmark: ``python tools/bench_serve.py [--runs N] [--workdir DIR]``.

For the demo repository (a copy of ``ledger/``) and the 10-year district ledger of
:mod:`benchgen` (generated once by ``tools/bench.py``'s ``prepare``), each committed to a git
repository of its own as a clerk's would be, measures in one run:

* a clean build, as a user runs it (``build.py build --no-cache``, a separate process);
* under ``serve``, a record appended to one unit file of the last year, timed from the write
  to the pages written (open pages reload then: watcher latency, reading the saved file,
  validation, scoring and rendering what changed, writing the changed files), and to the end
  of the rebuild (the year's workbook written too).

The first save after a commit is shown on its own: it turns every page's stamp to 草稿, so
every page is rendered again. Then medians of ``--runs`` further saves, with their ratio to
the clean build. Targets: 0.3 s (demo), 0.5 s (district), save to pages written. The output
after the edits is checked against a clean build of the same ledger, byte for byte.
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
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]  # this worktree's scoring, not the installed one

import bench  # noqa: E402

from scoring.ledger.problems import Problem  # noqa: E402
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


class Clock(LiveState):
    """The server's state, noting when the pages of a rebuild were published."""

    published = 0.0

    def publish(self, problems: Iterable[Problem]) -> None:
        self.published = time.perf_counter()
        super().publish(problems)


def commit_all(repo: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "台账"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


def serve_edits(ledger: Path, out: Path, runs: int
                ) -> tuple[list[tuple[float, float, float]], int, int]:
    """(save → pages written, save → rebuild done, rebuild start → pages written) in
    seconds for each save, the first one first; files written by the last rebuild, and by
    the first (whole) build."""
    live = LiveSite(ledger, out)
    first = live.rebuild()
    done = threading.Event()
    last: list[Rebuilt] = []

    def report(r: Rebuilt) -> None:
        last.append(r)
        done.set()
    stop = threading.Event()
    clock = Clock()
    watcher = threading.Thread(target=watch_loop, args=(live, clock, stop, False, report),
                               daemon=True)
    watcher.start()
    time.sleep(0.5)  # the watcher is watching
    path = edited_file(ledger)
    year = path.parent.parent.name
    times = []
    for run in range(runs + 1):
        done.clear()
        start = time.perf_counter()
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f'\n[[info]]\noa = "SERVE-{run}"\ntitle = "实时预览基准测试"\n'
                     f'date = {year}-{path.parent.name}-01\n')
        if not done.wait(60):
            raise SystemExit("监视器未触发重建！")
        times.append((clock.published - start, time.perf_counter() - start,
                      last[-1].pages_seconds))
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
    print(f"{'台账':<10}{'完整构建 s':>12}{'首次保存 s':>12}{'保存→页面 s':>14}{'比值':>8}"
          f"{'目标 s':>8}{'其中等待 s':>12}{'→全部 s':>10}{'写入文件':>10}")
    failed = False
    for name, source in sources.items():
        if args.only and name != args.only:
            continue
        ledger = work / name / "ledger"
        shutil.copytree(source, ledger)
        commit_all(work / name)
        clean = clean_build(ledger, work / name / "clean")
        times, written, total = serve_edits(ledger, work / name / "out", args.runs)
        clean_build(ledger, work / name / "check")
        if not same_tree(work / name / "out", work / name / "check"):
            raise SystemExit(f"{name}：serve 的输出与完整构建不同！")
        first_pages = times[0][0]
        pages = statistics.median(t[0] for t in times[1:])
        whole = statistics.median(t[1] for t in times[1:])
        waited = statistics.median(t[0] - t[2] for t in times[1:])
        failed |= pages > TARGETS[name]
        print(f"{name:<10}{clean:>12.2f}{first_pages:>12.2f}{pages:>14.3f}{pages / clean:>8.3f}"
              f"{TARGETS[name]:>8.1f}{waited:>12.3f}{whole:>10.3f}{f'{written}/{total}':>10}",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
