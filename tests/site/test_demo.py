"""The demonstration-year generator: reproducible, committed, and a valid, plausible ledger."""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
import tomli

from scoring.demo import generate_year

REPO = Path(__file__).resolve().parent.parent.parent
COMMITTED = REPO / "ledger" / "2023"
CHANNELS = {"信息": {"要情", "区刊", "市刊", "自治区刊"}, "专报": {"上报", "市刊", "自治区刊"}}
KEYS = {"info": {"oa", "title", "date", "kind", "topic", "note"},
        "adoption": {"oa", "by", "date", "issue", "note"},
        "instruction": {"oa", "level", "date", "leader", "note"},
        "commission": {"title", "due", "delivered", "note"},
        "event": {"kind", "date", "note"}}
MONTH_KEY = {"info": "date", "adoption": "date", "instruction": "date", "commission": "due",
             "event": "date"}


def _ledger_with_config(root: Path) -> Path:
    (root / "2023").mkdir(parents=True)
    for name in ("units.toml", "rules.toml"):
        shutil.copyfile(COMMITTED / name, root / "2023" / name)
    return root


def _tree(year_dir: Path) -> dict[str, bytes]:
    """The generator's output: the 12 month folders and notice.md, as bytes by relative path."""
    files = {"notice.md": (year_dir / "notice.md").read_bytes()}
    for month in range(1, 13):
        for path in sorted((year_dir / f"{month:02d}").iterdir()):
            files[path.relative_to(year_dir).as_posix()] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _ledger_with_config(tmp_path_factory.mktemp("demo") / "ledger")
    generate_year(root, 2023)
    return root / "2023"


@pytest.fixture(scope="module")
def units() -> list[dict]:
    return tomli.loads((COMMITTED / "units.toml").read_text(encoding="utf-8"))["unit"]


@pytest.fixture(scope="module")
def parsed(generated: Path, units: list[dict]) -> dict[tuple[int, str], dict]:
    """(month, unit id) -> the parsed file."""
    return {(m, u["id"]): tomli.loads((generated / f"{m:02d}" / f"{u['id']}.toml")
                                      .read_text(encoding="utf-8"))
            for m in range(1, 13) for u in units}


def test_rerun_is_byte_identical(generated: Path, tmp_path: Path) -> None:
    root = _ledger_with_config(tmp_path / "ledger")
    generate_year(root, 2023)
    assert _tree(root / "2023") == _tree(generated)


def test_committed_demo_year_is_the_generators_output(generated: Path) -> None:
    committed, fresh = _tree(COMMITTED), _tree(generated)
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"ledger/2023 differs from python -m scoring.demo in {stale[:5]}"


def test_partial_year_is_a_prefix_of_the_full_year(generated: Path, tmp_path: Path) -> None:
    root = _ledger_with_config(tmp_path / "ledger")
    generate_year(root, 2023, months=range(1, 4))
    written = sorted(p.name for p in (root / "2023").iterdir())
    assert written == ["01", "02", "03", "rules.toml", "units.toml"]
    for month in ("01", "02", "03"):
        for path in (root / "2023" / month).iterdir():
            assert path.read_bytes() == (generated / month / path.name).read_bytes()


def test_every_unit_month_has_a_labelled_well_formed_file(generated: Path, units: list[dict],
                                                           parsed: dict) -> None:
    order = list(KEYS)
    for (month, uid), data in parsed.items():
        text = (generated / f"{month:02d}" / f"{uid}.toml").read_text(encoding="utf-8")
        name = next(u["name"] for u in units if u["id"] == uid)
        assert text.startswith(f"# 示例数据（演示用，非真实考评记录）— {name} 2023年{month}月\n")
        assert set(data) <= set(KEYS)
        tables = [line.strip("[]") for line in text.splitlines() if line.startswith("[[")]
        assert tables == sorted(tables, key=order.index)  # info, adoption, ... grouped
        for kind, records in data.items():
            for rec in records:
                assert set(rec) <= KEYS[kind], (month, uid, rec)
                assert type(rec[MONTH_KEY[kind]]) is dt.date
                assert (rec[MONTH_KEY[kind]].year, rec[MONTH_KEY[kind]].month) == (2023, month)
            keys = [(r[MONTH_KEY[kind]], r.get("oa", "")) for r in records]
            assert keys == sorted(keys)
    for month in (3, 6, 9, 12):
        bulletin = generated / f"{month:02d}" / "bulletin.md"
        assert "示例数据" in bulletin.read_text(encoding="utf-8")
    assert "示例数据" in (generated / "notice.md").read_text(encoding="utf-8")


def test_oa_numbers_and_references_are_valid(parsed: dict) -> None:
    items: dict[str, tuple[str, dict]] = {}
    for (_, uid), data in parsed.items():
        for info in data.get("info", []):
            assert info["oa"] not in items, info["oa"]
            assert info["oa"].startswith("KDL-2023-") and info["title"].strip()
            kind = info.get("kind", "信息")
            assert ("topic" in info) == (kind == "专报")
            assert info.get("topic", "问题建议") in {"问题建议", "经验做法", "调研总结"}
            items[info["oa"]] = (uid, info)
    channels, levels = Counter(), Counter()
    for (_, uid), data in parsed.items():
        for rec in data.get("adoption", []) + data.get("instruction", []):
            owner, info = items[rec["oa"]]
            assert owner == uid and rec["date"] >= info["date"]
        for rec in data.get("adoption", []):
            assert rec["by"] in CHANNELS[items[rec["oa"]][1].get("kind", "信息")]
            channels[rec["oa"], rec["by"]] += 1
        for rec in data.get("instruction", []):
            assert rec["level"] in {"区", "市", "自治区"}
            levels[rec["oa"], rec["level"]] += 1
    assert max(channels.values()) == 1 and max(levels.values()) == 1


def test_volumes_and_events_are_plausible(parsed: dict) -> None:
    info = sum(len(d.get("info", [])) for d in parsed.values())
    adoptions = sum(len(d.get("adoption", [])) for d in parsed.values())
    assert 0.3 <= adoptions / info <= 0.45
    events = Counter(e["kind"] for d in parsed.values() for e in d.get("event", []))
    units_with = {kind: {uid for (_, uid), d in parsed.items()
                         for e in d.get("event", []) if e["kind"] == kind} for kind in events}
    assert 13 <= len(units_with["轮训"]) < events["轮训"]  # one unit trained twice
    assert 1 <= len(units_with["工作失误"]) <= 2 and 1 <= len(units_with["迟漏瞒错报"]) <= 2
    by = Counter(a["by"] for d in parsed.values() for a in d.get("adoption", []))
    assert by["区刊"] > by["要情"] > by["市刊"] > by["自治区刊"] > 0


def test_synthetic_units_and_years_for_benchmarks(tmp_path: Path) -> None:
    synthetic = [{"id": f"u{i:03d}", "name": f"测试单位{i}", "category": i % 4 + 1}
                 for i in range(12)]
    for year in (2031, 2032):
        generate_year(tmp_path, year, seed=7, units=synthetic, months=range(1, 13), label=False)
    oas = []
    for path in sorted(tmp_path.glob("*/*/*.toml")):
        text = path.read_text(encoding="utf-8")
        assert not text.startswith("#")
        oas += [rec["oa"] for rec in tomli.loads(text).get("info", [])]
    assert len(oas) == len(set(oas)) > 12 * 2 * 12
    assert not list(tmp_path.glob("*/*/bulletin.md")) and not list(tmp_path.glob("*/notice.md"))
