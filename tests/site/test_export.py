"""The data export: JSON in the SPEC §5 schema, exact numbers, the CSV for Excel/WPS, the build."""
from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from ledgerkit import REPO, make_ledger

from scoring.ledger.check import check_ledger
from scoring.ledger.problems import errors_in
from scoring.pipeline import build_site
from scoring.rulebook.score import score_ledger
from scoring.site.common import Source
from scoring.site.export import data_files, export_year, json_number

SCHEMA_FILE = REPO / "scoring" / "site" / "year.schema.json"
year_schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))  # shipped with the package

# 487 = 200 + 100 + 100 + 50 + 30 + 7 (要情 set to 7 points in this test's rules)
PENALTY_LEDGER = """
[[info]]
oa = "A1"
title = "甲"
date = 2023-05-01

[[info]]
oa = "A2"
title = "乙"
date = 2023-05-01

[[info]]
oa = "A3"
title = "丙"
date = 2023-05-01
kind = "专报"
topic = "调研总结"

[[instruction]]
oa = "A1"
level = "自治区"
date = 2023-05-02

[[instruction]]
oa = "A1"
level = "市"
date = 2023-05-02

[[instruction]]
oa = "A2"
level = "市"
date = 2023-05-02

[[instruction]]
oa = "A2"
level = "区"
date = 2023-05-02

[[adoption]]
oa = "A1"
by = "自治区刊"
date = 2023-05-03

[[adoption]]
oa = "A2"
by = "要情"
date = 2023-05-03

[[event]]
kind = "工作失误"
date = 2023-05-09
note = "报送材料出现差错"
"""


@pytest.fixture
def penalty_year(tmp_path):
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": PENALTY_LEDGER}, months=("2023/04",))
    rules = root / "2023" / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'name = "要情上报"\npoints = 10', 'name = "要情上报"\npoints = 7'), encoding="utf-8")
    ledger, problems = check_ledger(root)
    assert not errors_in(problems), problems
    return score_ledger(ledger)[2023]


def test_json_validates_and_carries_exact_numbers(penalty_year):
    text, _ = export_year(penalty_year, Source("ab" * 20, True))
    doc = json.loads(text)
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert (doc["year"], doc["through"], doc["final"]) == (2023, "2023-05", False)
    assert doc["source"] == {"commit": "ab" * 20, "dirty": True}
    fgw = doc["units"][0]
    assert list(fgw) == ["id", "name", "category", "counts", "adoption_points",
                         "comprehensive_points", "penalty_points", "total", "rank_in_category",
                         "rank_overall", "criticisms", "below_target", "months"]
    assert (fgw["adoption_points"], fgw["penalty_points"], fgw["total"]) == (487, 97.4, 389.6)
    assert '"penalty_points": 97.4,' in text and '"total": 389.6,' in text
    assert '"adoption_points": 487,' in text
    assert fgw["counts"] == {"submitted": 3, "adopted": 2, "special_submitted": 1,
                             "special_adopted": 0}
    assert fgw["criticisms"] == [{"reason": "未按考评办法要求实施或因工作失误造成不良影响："
                                            "报送材料出现差错", "date": "2023-05-09"}]
    assert list(fgw["months"]) == [f"2023-0{m}" for m in range(1, 6)]
    assert fgw["months"]["2023-05"] == {"submitted": 3, "adopted": 2, "special_submitted": 1,
                                        "special_adopted": 0, "adoption_points": 487}
    assert fgw["months"]["2023-01"]["adoption_points"] == 0
    assert [u["id"] for u in doc["units"]][:4] == ["fgw", "gxj", "swj", "jyj"]  # registry order
    assert len(doc["units"]) == 47


def test_schema_is_strict(penalty_year):
    doc = json.loads(export_year(penalty_year, Source())[0])
    schema = year_schema
    jsonschema.validate(doc, schema)
    doc["units"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)
    del doc["units"][0]["extra"], doc["units"][0]["total"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_csv_for_excel(penalty_year):
    _, table = export_year(penalty_year, Source())
    assert table.startswith(b"\xef\xbb\xbf")
    lines = table.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ("单位代码,单位名称,类别,报送信息,采用信息,报送专报,采用专报,信息采用积分,"
                        "综合考评积分,扣分(工作失误),总积分,类别排名,总排名,未达标")
    assert lines[1] == "fgw,发改委,1,3,2,1,0,487,0,97.4,389.6,1,1,"  # provisional: 未达标 empty
    assert lines[-1] == "" and len(lines) == 1 + 47 + 1
    assert b"\n" not in table.replace(b"\r\n", b"")


def test_json_number_is_exact():
    assert json_number(Decimal("100.0")) == 100 and isinstance(json_number(Decimal("100.0")), int)
    assert repr(json_number(Decimal("97.40"))) == "97.4"
    assert json_number(Decimal("-0.05")) == -0.05
    with pytest.raises(ValueError):
        json_number(Decimal("0.12345678901234567890123"))


def test_build_writes_the_data_files(tmp_path):
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": PENALTY_LEDGER})
    assert not errors_in(build_site(root, tmp_path / "out"))
    doc = json.loads((tmp_path / "out/data/2023.json").read_text(encoding="utf-8"))
    assert doc["source"] == {"commit": None, "dirty": False}
    jsonschema.validate(doc, year_schema)
    assert (tmp_path / "out/data/2023.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "out/index.html").is_file()
    # deterministic: the same ledger gives the same bytes
    ledger, _ = check_ledger(root)
    again = data_files(score_ledger(ledger), Source())
    assert again["data/2023.json"] == (tmp_path / "out/data/2023.json").read_bytes()


def test_year_without_months(tmp_path):
    ledger, problems = check_ledger(make_ledger(tmp_path))
    assert not errors_in(problems)
    doc = json.loads(data_files(score_ledger(ledger), Source())["data/2023.json"])
    jsonschema.validate(doc, year_schema)
    assert doc["through"] is None and doc["units"][0]["months"] == {}
    assert doc["units"][0]["rank_overall"] == 1


def test_demo_year_build_writes_valid_data_files(tmp_path):
    """``python build.py`` on the demo year: both files, schema-valid, figures consistent."""
    assert not errors_in(build_site(REPO / "ledger", tmp_path / "out"))
    doc = json.loads((tmp_path / "out/data/2023.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, year_schema)
    assert doc["final"] is True and doc["through"] == "2023-12" and len(doc["units"]) == 47
    for unit in doc["units"]:
        assert unit["total"] == (unit["adoption_points"] + unit["comprehensive_points"]
                                 - unit["penalty_points"])
    assert any(u["below_target"] for u in doc["units"])  # the demo has 未达标 units
    assert any(u["penalty_points"] for u in doc["units"])  # and a 工作失误 penalty
    csv = (tmp_path / "out/data/2023.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert csv[0].startswith("单位代码,单位名称") and len(csv) == 48
