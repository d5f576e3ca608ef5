"""Benchmark: the audit trail over a realistic year of history (``python tools/bench_history.py``).

Builds a temporary repository with ``git fast-import``: the 2023 units and rules, then 1,000
ledger commits over the year (a ``new-month`` commit with 47 empty files at each month's start,
the rest each adding records to one to three unit files: items, adoptions, instructions,
commissions, events, about 140 records per unit for the year). Then it times, side by side:

- ``git log --raw`` over the same history (the walk the audit log starts from), and
- the change log data with per-commit scores plus record provenance (one walk, as the site
  build does), and the provenance of the working tree's records.

Targets (issue #5): under 10 s, and under 5× the ``git log`` time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scoring.audit.trail import read_trail  # noqa: E402
from scoring.cache import Cache  # noqa: E402
from scoring.ledger.load import load_ledger  # noqa: E402

CONFIG = REPO / "ledger" / "2023"
WHO = "信息室 <xxs@example.org>"
BY = ["区刊", "区刊", "要情", "市刊", "自治区刊"]


class LedgerHistory:
    """Files of the ledger as commits add records, written as a fast-import stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        units = tomli.loads((CONFIG / "units.toml").read_text(encoding="utf-8"))["unit"]
        self.units = [u["id"] for u in units]
        self.files: dict[str, str] = {}
        self.items: dict[str, list[tuple[str, dt.date, str]]] = {u: [] for u in self.units}
        self.serial = 0
        self.stream: list[bytes] = []
        self.commits = 0

    def commit(self, when: dt.datetime, message: str, changed: dict[str, str]) -> None:
        self.commits += 1
        stamp = f"{int(when.timestamp())} +0800"
        msg = message.encode()
        head = (f"commit refs/heads/main\nmark :{self.commits}\n"
                f"author {WHO} {stamp}\ncommitter {WHO} {stamp}\n"
                f"data {len(msg)}\n").encode() + msg + b"\n"
        if self.commits > 1:
            head += f"from :{self.commits - 1}\n".encode()
        self.stream.append(head)
        for path, text in changed.items():
            data = text.encode()
            head = f"M 100644 inline {path}\ndata {len(data)}\n".encode()
            self.stream.append(head + data + b"\n")

    def records(self, unit: str, day: dt.date) -> str:
        """A few plausible records of ``unit`` dated ``day``."""
        rng, out = self.rng, []
        for _ in range(rng.choice((1, 2, 3, 3))):
            self.serial += 1
            oa = f"KDL-2023-{self.serial:05d}"
            special = rng.random() < 0.06
            kind = "专报" if special else "信息"
            out.append(f'\n[[info]]\noa = "{oa}"\ntitle = "示例信息 {oa}"\ndate = {day}\n'
                       + ('kind = "专报"\ntopic = "经验做法"\n' if special else ""))
            self.items[unit].append((oa, day, kind))
        for oa, when, kind in rng.sample(self.items[unit], min(2, len(self.items[unit]))):
            if rng.random() < 0.45 and when <= day:
                by = rng.choice(["上报", "市刊"]) if kind == "专报" else rng.choice(BY)
                out.append(f'\n[[adoption]]\noa = "{oa}"\nby = "{by}"\ndate = {day}\n'
                           f'issue = "第{rng.randint(1, 40)}期"\n')
                self.items[unit].remove((oa, when, kind))  # one channel each, no duplicates
        if rng.random() < 0.05 and self.items[unit]:
            oa = self.items[unit].pop(0)[0]   # at most one instruction per item and level
            out.append(f'\n[[instruction]]\noa = "{oa}"\nlevel = "区"\ndate = {day}\n')
        if rng.random() < 0.04:
            late = rng.random() < 0.3
            out.append(f'\n[[commission]]\ntitle = "约稿 {self.serial}"\ndue = {day}\n'
                       + ("" if late else f"delivered = {day}\n"))
        if rng.random() < 0.04:
            kind = rng.choice(["轮训", "调研配合", "失实滞后", "缺席会议"])
            out.append(f'\n[[event]]\nkind = "{kind}"\ndate = {day}\n')
        return "".join(out)

    def build(self, commits: int) -> bytes:
        """The whole history as one fast-import stream."""
        start = dt.datetime(2023, 1, 3, 9, 0)
        config = {f"ledger/2023/{n}": (CONFIG / n).read_text(encoding="utf-8")
                  for n in ("units.toml", "rules.toml")}
        self.commit(start, "建立 2023 年度配置", config)
        month = 0
        for i in range(commits - 1):
            when = start + dt.timedelta(days=360 * i / (commits - 1))
            if when.month != month:
                month = when.month
                scaffold = {f"ledger/2023/{month:02d}/{u}.toml": "" for u in self.units}
                self.files.update(scaffold)
                self.commit(when, f"建立 2023 年 {month} 月台账", scaffold)
                continue
            changed = {}
            for unit in self.rng.sample(self.units, self.rng.choice((1, 1, 2, 3))):
                path = f"ledger/2023/{month:02d}/{unit}.toml"
                self.files[path] += self.records(unit, when.date())
                changed[path] = self.files[path]
            self.commit(when, f"登记 {'、'.join(p.split('/')[-1][:-5] for p in changed)}", changed)
        return b"".join(self.stream) + b"done\n"


def make_repo(root: Path, commits: int, seed: int = 2023) -> LedgerHistory:
    """A git repository at ``root`` holding ``commits`` ledger commits, checked out."""
    history = LedgerHistory(seed)
    stream = history.build(commits)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet", "--done"], input=stream,
                   check=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    return history


def timed_together(runs: dict[str, object], repeat: int) -> dict[str, list[float]]:
    """Each of ``runs`` run ``repeat`` times, in turn (so that a busy moment of the machine
    falls on all of them alike): name → its times in seconds."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            t = time.perf_counter()
            fn()  # type: ignore[operator]
            times[name].append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/bench_history.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kaoping-bench-") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        history = make_repo(root, args.commits)
        made = time.perf_counter() - t
        ledger, _ = load_ledger(root / "ledger")
        cache = Cache(root / ".kaoping-cache")
        trail = read_trail(ledger, cache)   # fills the commit cache
        assert trail is not None
        times = timed_together({
            "git": lambda: subprocess.run(
                ["git", "-C", str(root), "log", "--first-parent", "--raw", "--no-renames",
                 "--no-abbrev", "--", "ledger"], check=True, capture_output=True),
            "warm": lambda: read_trail(ledger, cache),
            "cold": lambda: read_trail(ledger, None)}, args.repeat)
        git_log, warm, cold = (statistics.median(times[k]) for k in ("git", "warm", "cold"))
        print(f"历史：{history.commits} 次提交，{len(history.units)} 个单位，"
              f"{ledger.record_count()} 条记录（fast-import 生成 {made:.2f} s）")
        print(f"{'git log --raw':<40}{git_log:8.3f} s")
        for name, value, target in (("变更记录与记录来源，缓存已有各提交", warm, "≤ 5×"),
                                    ("变更记录与记录来源，无缓存（逐提交计分）", cold, "≤ 10 s")):
            ratios = sorted(v / g for v, g in zip(times["warm" if value is warm else "cold"],
                                                  times["git"], strict=True))
            print(f"{name:<26}{value:8.3f} s  {value / git_log:6.1f} × git log（目标 {target}）  "
                  f"各轮之比 {' '.join(f'{r:.1f}' for r in ratios)}")
        print(f"（{args.repeat} 轮交替运行的中位数）变更记录条目 {len(trail.entries)}，"
              f"含分数变化 {sum(1 for e in trail.entries if e.scores)} 条")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
