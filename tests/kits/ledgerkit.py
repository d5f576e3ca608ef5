"""Small inline ledgers for tests: the 2023 units and rules, plus the files a test writes.

    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": '''
    [[info]]
    oa = "A1"
    title = "t"
    date = 2023-05-02
    '''})

Paths in problems then read ``ledger/2023/05/fgw.toml`` (the repository root is ``tmp_path``).
``months`` creates empty month folders (every unit gets an empty file, so no W101 warnings).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DEMO_CONFIG = REPO / "ledger" / "2023"


def make_ledger(tmp_path: Path, files: dict[str, str | bytes] | None = None,
                months: tuple[str, ...] = (), years: tuple[int, ...] = (2023,)) -> Path:
    """Write a ledger under ``tmp_path/ledger`` and return that folder."""
    root = tmp_path / "ledger"
    (tmp_path / ".git").mkdir(exist_ok=True)  # marks tmp_path as the repository root
    for year in years:
        (root / str(year)).mkdir(parents=True, exist_ok=True)
        for name in ("units.toml", "rules.toml"):
            shutil.copyfile(DEMO_CONFIG / name, root / str(year) / name)
    unit_ids = unit_ids_2023()
    for ym in months:  # "2023/05"
        folder = root / ym
        folder.mkdir(parents=True, exist_ok=True)
        for uid in unit_ids:
            (folder / f"{uid}.toml").touch()
    for rel, content in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        else:
            target.write_bytes(content)
        if target.parent.name.isdigit() and len(target.parent.name) == 2:
            for uid in unit_ids:  # fill the rest of the month so only the test's problems show
                (target.parent / f"{uid}.toml").touch()
    return root


def unit_ids_2023() -> list[str]:
    import tomli
    data = tomli.loads((DEMO_CONFIG / "units.toml").read_text(encoding="utf-8"))
    return [u["id"] for u in data["unit"]]


def build_py(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python build.py args`` in ``cwd`` (the test's repository), as a user would."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")
