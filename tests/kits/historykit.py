"""Random ledger histories for the audit tests (no tests here), written with git fast-import.

    make_history(tmp_path, seed=7, commits=120)   # a repository at tmp_path, ledger/ in it

Unlike the benchmark's history (records appended to the current month), these commits do what
an office does now and then: edit, insert and delete records in earlier months, delete and
re-create files, adopt an item of the year before, change a 信息 into a 专报 after it was
adopted, record a second 轮训 or a 工作失误, deliver commissions late, write a broken file,
refer to unknown items, reuse an OA number, change rules.toml and units.toml, add bulletin.md,
lay records out in other key orders and with CRLF line ends.
"""
from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

from ledgerkit import DEMO_CONFIG

UNITS = ["fgw", "gxj", "kjj", "mw", "khz", "gafj"]   # categories 1, 1, 2, 2, 3, 4
EVENTS = ["轮训", "调研配合", "迟漏瞒错报", "失实滞后", "缺席会议", "工作失误"]
CHANNELS = {"信息": ["要情", "区刊", "市刊", "自治区刊"], "专报": ["上报", "市刊", "自治区刊"]}
WHO = "信息室 <xxs@example.org>"


class History:
    """The ledger's files as lists of record blocks, and the commits that change them."""

    def __init__(self, seed: int, config: bool = True) -> None:
        self.rng = random.Random(seed)
        self.config = config                        # commits change rules.toml and units.toml
        self.files: dict[str, list[str]] = {}      # ledger-relative path → record blocks
        self.plain: dict[str, str] = {}             # other files: config, bulletin.md
        self.items: dict[str, list[tuple[str, int, int, str]]] = {u: [] for u in UNITS}
        self.serial = 0
        self.stream: list[bytes] = []
        self.commits = 0
        self.years: list[int] = []
        self.months: dict[int, int] = {}            # year → last month folder

    # --- records ---------------------------------------------------------------------------

    def block(self, unit: str, year: int, month: int) -> str:
        """One record (sometimes an invalid one) for ``unit``'s file of ``year``-``month``."""
        rng = self.rng
        day = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        what = rng.choices(["info", "adoption", "instruction", "commission", "event", "bad"],
                           [30, 30, 8, 8, 12, 3])[0]
        if what == "info":
            self.serial += 1
            reuse = rng.random() < 0.05 and any(self.items.values())
            oa = rng.choice([i for v in self.items.values() for i in v])[0] if reuse \
                else f"H-{self.serial:04d}"
            kind = "专报" if rng.random() < 0.25 else "信息"
            self.items[unit].append((oa, year, month, kind))
            keys = [("oa", f'"{oa}"'), ("title", f'"信息 {oa}"'), ("date", day)]
            if kind == "专报":
                keys += [("kind", '"专报"'), ("topic", '"经验做法"')]
            return self.table("info", keys)
        if what in ("adoption", "instruction"):
            own = self.items[unit]
            pick = rng.random()
            if own and pick < 0.85:
                oa, _, _, kind = rng.choice(own)
            elif pick < 0.93 and any(self.items.values()):
                oa, _, _, kind = rng.choice([i for v in self.items.values() for i in v])
            else:
                oa, kind = "H-9999", "信息"
            if what == "instruction":
                return self.table("instruction", [("oa", f'"{oa}"'),
                                                  ("level", f'"{rng.choice(["区", "市"])}"'),
                                                  ("date", day)])
            channels = CHANNELS[kind] if rng.random() < 0.9 else CHANNELS["信息"]
            keys = [("oa", f'"{oa}"'), ("by", f'"{rng.choice(channels)}"'), ("date", day)]
            if rng.random() < 0.3:
                keys.append(("issue", f'"第{rng.randint(1, 30)}期"'))
            return self.table("adoption", keys)
        if what == "commission":
            keys = [("title", f'"约稿 {self.serial}"'), ("due", day)]
            late = rng.random()
            if late < 0.6:
                keys.append(("delivered", day))
            elif late < 0.8:
                keys.append(("delivered", f"{year}-{month:02d}-28" if day[-2:] != "28"
                             else f"{year}-{month:02d}-27"))
            return self.table("commission", keys)
        if what == "event":
            return self.table("event", [("kind", f'"{rng.choice(EVENTS)}"'), ("date", day)])
        return rng.choice([  # problems: the replay must score what remains, as the loader does
            f'\n[[info]]\noa = "H-bad"\ntitle = "日期不在本月"\n'
            f'date = {year}-{month % 12 + 1:02d}-01\n',
            '\n[[adoption]]\noa = "H-0001"\nby = "区刊"\n',
            '\n[[event]]\nkind = "未知事项"\ndate = ' + day + "\n",
            f'\n[[info]]\noa = "H-t"\ntitle = "专报缺主题"\ndate = {day}\nkind = "专报"\n',
        ])

    def table(self, kind: str, keys: list[tuple[str, str]]) -> str:
        """A record in the documented layout, or now and then laid out otherwise."""
        rng = self.rng
        style = rng.random()
        if style < 0.1:
            rng.shuffle(keys)
        lines = [f"{k} = {v}" for k, v in keys]
        if style > 0.95:
            lines = [f"{k}={v}  # 注释" for k, v in keys]
        head = f"[[{kind}]]" if rng.random() < 0.95 else f"[[ {kind} ]]  # 补录"
        return "\n" + head + "\n" + "\n".join(lines) + "\n"

    # --- commits ---------------------------------------------------------------------------

    def text(self, path: str) -> str:
        blocks = self.files[path]
        text = "".join(blocks)
        if blocks and blocks[0] == "CRLF":
            text = "".join(blocks[1:]).replace("\n", "\r\n")
        return text

    def commit(self, message: str, paths: list[str], deleted: list[str] = ()) -> None:
        self.commits += 1
        stamp = f"{1672700000 + self.commits * 3600} +0800"
        msg = message.encode()
        head = (f"commit refs/heads/main\nmark :{self.commits}\nauthor {WHO} {stamp}\n"
                f"committer {WHO} {stamp}\ndata {len(msg)}\n").encode() + msg + b"\n"
        if self.commits > 1:
            head += f"from :{self.commits - 1}\n".encode()
        self.stream.append(head)
        for path in dict.fromkeys(paths):
            text = self.plain[path] if path in self.plain else self.text(path)
            data = text.encode()
            self.stream.append(f"M 100644 inline ledger/{path}\ndata {len(data)}\n".encode()
                               + data + b"\n")
        for path in deleted:
            self.stream.append(f"D ledger/{path}\n".encode())

    def new_year(self, year: int) -> None:
        for name in ("units.toml", "rules.toml"):
            self.plain[f"{year}/{name}"] = (DEMO_CONFIG / name).read_text(encoding="utf-8")
        self.years.append(year)
        self.months[year] = 0
        self.commit(f"建立 {year} 年度配置", [f"{year}/units.toml", f"{year}/rules.toml"])

    def new_month(self, year: int) -> None:
        month = self.months[year] = self.months[year] + 1
        paths = []
        for unit in UNITS:
            if self.rng.random() < 0.85:
                path = f"{year}/{month:02d}/{unit}.toml"
                self.files[path] = ["CRLF"] if self.rng.random() < 0.05 else []
                paths.append(path)
        if not paths:
            self.plain[f"{year}/{month:02d}/bulletin.md"] = "本月按语\n"
            paths.append(f"{year}/{month:02d}/bulletin.md")
        self.commit(f"建立 {year} 年 {month} 月台账", paths)

    def step(self) -> None:
        """One random commit."""
        rng = self.rng
        year = self.years[-1] if rng.random() < 0.85 else rng.choice(self.years)
        files = [p for p in self.files if p.startswith(f"{year}/")]
        action = rng.choices(
            ["append", "month", "edit", "delete", "insert", "remove", "create", "bulletin",
             "rules", "units", "broken", "fix"],
            [50, 6 if self.months[year] < 12 else 0, 8, 5, 5, 2, 5, 2, self.config,
             self.config, 2, 2])[0]
        if not files or action == "month" and self.months[year] < 12:
            if self.months[year] < 12:
                self.new_month(year)
            return
        path = rng.choice(files)
        if action == "append":
            paths = [path] + (rng.sample(files, min(2, len(files))) if rng.random() < 0.3
                              else [])
            latest = [p for p in files if p.startswith(f"{year}/{self.months[year]:02d}/")]
            if latest and rng.random() < 0.7:
                paths[0] = rng.choice(latest)
            for p in paths:
                y, m, unit = self.where(p)
                self.files[p] += [self.block(unit, y, m) for _ in range(rng.randint(1, 3))]
            self.commit("登记", paths)
        elif action in ("edit", "delete", "insert"):
            blocks = self.files[path]
            y, m, unit = self.where(path)
            real = [i for i, b in enumerate(blocks) if b != "CRLF"]
            if action == "insert" or not real:
                blocks.insert(rng.randint(len(blocks) - len(real), len(blocks)),
                              self.block(unit, y, m))
            elif action == "delete":
                del blocks[rng.choice(real)]
            else:
                i = rng.choice(real)
                blocks[i] = self.edit(blocks[i], y, m)
            self.commit("更正", [path])
        elif action == "remove":
            del self.files[path]
            self.commit("删除文件", [], [path])
        elif action == "create":
            y, m = year, rng.randint(1, max(1, self.months[year]))
            free = [u for u in UNITS if f"{y}/{m:02d}/{u}.toml" not in self.files]
            if not free or not self.months[year]:
                return
            new = f"{y}/{m:02d}/{rng.choice(free)}.toml"
            self.files[new] = [self.block(self.where(new)[2], y, m)]
            self.commit("补建文件", [new])
        elif action == "bulletin":
            bulletin = f"{path[:7]}/bulletin.md"
            self.plain[bulletin] = self.plain.get(bulletin, "") + "按语\n"
            self.commit("按语", [bulletin])
        elif action == "rules":
            rules = f"{year}/rules.toml"
            text = self.plain[rules]
            self.plain[rules] = rng.choice([
                text.replace("points = 10\n", "points = 15\n", 1),
                text.replace("once_per_year = true", "once_per_year = false", 1),
                text.replace("percent = 20", "percent = 30"),
                text + "\n# 注释\n"])
            self.commit("修改计分规则", [rules])
        elif action == "units":
            units = f"{year}/units.toml"
            text = self.plain[units]
            self.plain[units] = text.replace('name = "科技局"', 'name = "科学技术局"') \
                if rng.random() < 0.5 else text.replace(
                    'id = "mw"\nname = "民委"\ncategory = 2',
                    'id = "mw"\nname = "民委"\ncategory = 3')
            self.commit("修改单位名录", [units])
        elif action == "broken":
            self.files[path].append('\noops = \n')
            self.commit("误提交", [path])
        elif action == "fix":
            broken = [p for p in files if '\noops = \n' in self.files[p]]
            if broken:
                self.files[broken[0]].remove('\noops = \n')
                self.commit("修复", [broken[0]])

    def edit(self, block: str, year: int, month: int) -> str:
        """A changed record: another day, another channel, a 信息 becoming a 专报…"""
        rng = self.rng
        if "[[info]]" in block and "专报" not in block and rng.random() < 0.6:
            return block.rstrip("\n") + '\nkind = "专报"\ntopic = "调研总结"\n'
        if "by = " in block:
            return re.sub(r'by = "[^"]*"', f'by = "{rng.choice(CHANNELS["信息"])}"', block)
        day = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        return re.sub(r"\d{4}-\d\d-\d\d", day, block, count=1)

    @staticmethod
    def where(path: str) -> tuple[int, int, str]:
        year, month, name = path.split("/")
        return int(year), int(month), name[:-5]


def make_history(root: Path, seed: int, commits: int = 120, years: int = 2,
                 config: bool = True) -> History:
    """A git repository at ``root`` whose ledger/ went through ``commits`` random commits
    (``config``: some of them change rules.toml or units.toml)."""
    history = History(seed, config)
    history.new_year(2022)
    for i in range(commits):
        if years > 1 and i == commits // 2:
            history.new_year(2023)
        history.step()
    stream = b"".join(history.stream) + b"done\n"
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet", "--done"], input=stream,
                   check=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    return history
