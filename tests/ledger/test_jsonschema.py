"""The editors' JSON Schemas: generated from the checker's fields, true of every demo file,
written by ``new-month`` and named by its ``#:schema`` line, and obeyed by taplo as an editor
(VS Code's Even Better TOML) runs it."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from exportkit import write_csv
from ledgerkit import REPO, build_py, make_ledger
from schemakit import errors, validator

from scoring.ledger.config import load_rules
from scoring.ledger.jsonschema import (
    PACKAGED,
    SCHEMA_LINE,
    config_schemas,
    dumps,
    unit_month_schema,
)

DEMO = REPO / "ledger"
TAPLO = shutil.which("taplo")
needs_taplo = pytest.mark.skipif(TAPLO is None, reason="taplo 未安装（pip install taplo）")


def demo_rules() -> Any:
    rules, problems = load_rules((DEMO / "2023/rules.toml").read_bytes(), "2023/rules.toml")
    assert rules is not None, problems
    return rules


def test_every_demo_file_is_valid() -> None:
    unit = validator(unit_month_schema(demo_rules(), 2023))
    files = sorted(DEMO.glob("2023/[01][0-9]/*.toml"))
    assert len(files) >= 47 * 6
    bad = {f.name: errors(unit, f.read_text(encoding="utf-8")) for f in files}
    assert {k: v for k, v in bad.items() if v} == {}
    for name, schema in config_schemas().items():
        target = DEMO / "2023" / name.replace(".schema.json", ".toml")
        assert errors(validator(json.loads(schema)), target.read_text(encoding="utf-8")) == []


def test_misspelt_key_wrong_value_and_quoted_nonsense_fail() -> None:
    unit = validator(unit_month_schema(demo_rules(), 2023))
    good = '[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-20\n'
    assert errors(unit, good) == []
    assert any("titel" in m for m in errors(
        unit, '[[info]]\noa = "A1"\ntitel = "t"\ndate = 2023-05-02\n'))
    assert any("区报" in m for m in errors(unit, good.replace("区刊", "区报")))
    assert any("date" in m for m in errors(unit, good.replace("2023-05-20", '"5月20日"')))
    assert any("infos" in m for m in errors(unit, good.replace("adoption", "infos")))
    rules = validator(json.loads(config_schemas()["rules.schema.json"]))
    text = (DEMO / "2023/rules.toml").read_text(encoding="utf-8")
    negative = text.replace("points = 50\n", "points = -50\n", 1)
    assert any("-50" in m for m in errors(rules, negative))


def test_enumerations_come_from_the_years_rules() -> None:
    rules = demo_rules()
    schema = unit_month_schema(rules, 2023)["properties"]
    assert schema["instruction"]["items"]["properties"]["level"]["enum"] == list(rules.levels)
    assert schema["event"]["items"]["properties"]["kind"]["enum"] == list(rules.events)
    assert schema["info"]["items"]["properties"]["topic"]["enum"] == list(rules.topics)


def test_shipped_and_ledger_copies_are_the_generated_ones() -> None:
    for name, data in config_schemas().items():
        assert (PACKAGED / name).read_bytes() == data, f"请重新生成 scoring/ledger/schemas/{name}"
        assert (DEMO / ".schema" / name).read_bytes() == data
    assert (DEMO / "2023/.schema/unit.schema.json").read_bytes() == dumps(
        unit_month_schema(demo_rules(), 2023))


def taplo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert TAPLO is not None
    return subprocess.run([TAPLO, "check", "--no-auto-config", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


@needs_taplo
def test_new_month_files_name_their_schema_and_taplo_follows_it(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    proc = build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    target = root / "2023/07/fgw.toml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)
    assert (root / "2023/07" / SCHEMA_LINE.split()[1]).resolve() == (
        root / "2023/.schema/unit.schema.json")
    again = build_py("new-month", "2023-08", "--ledger", "ledger", cwd=tmp_path)
    assert "JSON Schema" not in again.stdout  # unchanged rules: the schema is not rewritten
    record = '[[info]]\noa = "A1"\ntitle = "我局召开安全生产工作会议"\ndate = 2023-07-03\n'
    target.write_text(text + record, encoding="utf-8")
    ok = taplo("2023/07/fgw.toml", cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert build_py("check", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    misspelt = text + record.replace("title", "titel")
    target.write_text(misspelt, encoding="utf-8")
    bad = taplo("2023/07/fgw.toml", cwd=root)
    assert bad.returncode == 1
    said = bad.stdout + bad.stderr
    line = misspelt.splitlines().index('titel = "我局召开安全生产工作会议"') + 1
    assert "'titel' was unexpected" in said and f"fgw.toml:{line}:" in said


@needs_taplo
def test_taplo_checks_demo_files_and_config_against_the_ledger_schemas() -> None:
    unit = (DEMO / "2023/.schema/unit.schema.json").as_uri()
    ok = taplo("--schema", unit, "2023/05/fgw.toml", "2023/12/fgw.toml", cwd=DEMO)
    assert ok.returncode == 0, ok.stderr
    # units.toml and rules.toml: by the repository's .taplo.toml, as VS Code finds it.
    ok = subprocess.run([TAPLO, "check", "ledger/2023/units.toml", "ledger/2023/rules.toml",
                         "ledger/2023/05/fgw.toml"],
                        cwd=REPO, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ".taplo.toml" in ok.stderr, ok.stderr


@needs_taplo
def test_repository_taplo_config_flags_a_misspelt_unit_key(tmp_path: Path) -> None:
    shutil.copyfile(REPO / ".taplo.toml", tmp_path / ".taplo.toml")
    shutil.copytree(DEMO / ".schema", tmp_path / "ledger/.schema")
    (tmp_path / "ledger/2023").mkdir()
    text = (DEMO / "2023/units.toml").read_text(encoding="utf-8")
    (tmp_path / "ledger/2023/units.toml").write_text(text.replace("\nname =", "\nnmae =", 1),
                                                      encoding="utf-8")
    assert TAPLO is not None
    bad = subprocess.run([TAPLO, "check", "ledger/2023/units.toml"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "'nmae' was unexpected" in bad.stdout + bad.stderr


@needs_taplo
def test_import_keeps_the_schema_line_and_the_loader_accepts_it(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    assert build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    target = root / "2023/07/fgw.toml"
    before = target.read_bytes()
    write_csv(tmp_path / "a.csv", [["信息编号", "标题", "报送单位", "报送时间"],
                                   ["K1", "我局召开安全生产工作会议", "发改委", "2023-07-03"]])
    proc = build_py("import", "a.csv", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    after = target.read_bytes()
    assert after.startswith(before) and after.startswith(SCHEMA_LINE.encode()) and b"K1" in after
    assert build_py("check", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    ok = taplo("2023/07/fgw.toml", cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_new_month_rewrites_the_schema_when_the_rules_change(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    assert build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    schema = root / "2023/.schema/unit.schema.json"
    assert "轮训" in json.loads(schema.read_text(encoding="utf-8"))["properties"]["event"][
        "items"]["properties"]["kind"]["enum"]
    rules = root / "2023/rules.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('kind = "轮训"', 'kind = "集中培训"'), encoding="utf-8")
    proc = build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0 and "2023/.schema/unit.schema.json" in proc.stdout
    kinds = json.loads(schema.read_text(encoding="utf-8"))["properties"]["event"]["items"][
        "properties"]["kind"]["enum"]
    assert "集中培训" in kinds and "轮训" not in kinds
