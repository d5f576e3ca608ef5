"""The issue's showcase: three OA exports in three formats into a ledger with no month folders,
then a build whose data/2023.json shows the counts and points; exactly once; all or nothing."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from exportkit import tree_digest, write_csv, write_html_xls, write_xlsx
from ledgerkit import build_py, make_ledger

SUBMITTED = [  # an xlsx with a merged title row, a blank row and an extra column
    ["2023年5—6月信息报送清单"], [],
    ["序号", "信息编号", "标题", "报送单位", "报送时间", "信息类型", "专报类别"],
    [1, "KDL-2023-0501", "区发改委召开项目调度会", "发改委", "2023年5月9日", "信息", None],
    [2, "KDL-2023-0502", "关于优化营商环境的建议", "fgw", dt.datetime(2023, 5, 12, 9, 30),
     "专报", "问题建议"],
    [3, " KDL-2023-0503 ", "区工信局开展企业走访 ", "工信局", 45070, None, None],
    [4, "KDL-2023-0601", "区发改委推进重点项目", "发改委", "2023/6/2", "信息", None],
]
ADOPTED = [  # a GBK CSV with a title row
    ["信息采用情况"], ["信息编号", "采用刊物", "采用时间", "期数"],
    ["KDL-2023-0501", "区刊", "2023/5/20", "第18期"],
    ["KDL-2023-0501", "市刊", "2023-06-05", ""],
    ["KDL-2023-0502", "上报", "2023-05-15 10:00", ""],
    ["KDL-2023-0503", "要情", "2023-05-25", ""],
]
INSTRUCTED = [  # an HTML table saved as .xls, GBK
    ["领导批示情况", None, None, None], ["信息编号", "批示级别", "批示时间", "批示领导"],
    ["KDL-2023-0501", "市级", "2023年5月26日", "副市长"],
    ["KDL-2023-0502", "区级", "2023-06-10 09:30", None],
]


def exports(folder: Path) -> list[str]:
    write_xlsx(folder / "报送清单.xlsx", SUBMITTED, merge=["A1:G1"])
    write_csv(folder / "采用清单.csv", ADOPTED, encoding="gbk")
    write_html_xls(folder / "批示清单.xls", INSTRUCTED, encoding="gbk",
                   spans={(0, 0): 'colspan="4"'})
    return ["报送清单.xlsx", "采用清单.csv", "批示清单.xls"]


def test_three_formats_into_an_empty_year_then_a_build(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    files = exports(tmp_path)
    proc = build_py("import", *files, "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "报送：添加 4 条" in proc.stdout and "采用：添加 4 条" in proc.stdout
    assert "批示：添加 2 条" in proc.stdout
    assert sorted(p.name for p in (ledger / "2023").iterdir()) == \
        [".schema", "05", "06", "rules.toml", "units.toml"]
    assert len(list((ledger / "2023/06").iterdir())) == 47  # every unit, as new-month makes it
    fgw = (ledger / "2023/05/fgw.toml").read_text(encoding="utf-8")
    assert "# 导入：报送清单.xlsx 第5行\n[[info]]\noa = \"KDL-2023-0502\"\n" \
           "title = \"关于优化营商环境的建议\"\ndate = 2023-05-12\nkind = \"专报\"\n" \
           "topic = \"问题建议\"\n" in fgw
    assert "# 导入：批示清单.xls 第3行\n[[instruction]]\noa = \"KDL-2023-0501\"\n" \
           "level = \"市\"\ndate = 2023-05-26\nleader = \"副市长\"\n" in fgw
    assert "date = 2023-05-24" in (ledger / "2023/05/gxj.toml").read_text(encoding="utf-8")

    check = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert check.returncode == 0 and ": W" not in check.stdout, check.stdout + check.stderr
    build = build_py("build", "--ledger", "ledger", "--out", "out", "--quiet", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    data = json.loads((tmp_path / "out/data/2023.json").read_text(encoding="utf-8"))
    units = {u["id"]: u for u in data["units"]}
    assert data["through"] == "2023-06"
    fgw_score, gxj_score = units["fgw"], units["gxj"]
    assert fgw_score["counts"] == {"submitted": 3, "adopted": 3, "special_submitted": 1,
                                   "special_adopted": 1}
    # 区刊 10 + 市刊 20 + 专报上报 20 + 市级批示 100 + 区级批示 50
    assert fgw_score["adoption_points"] == 200
    assert fgw_score["months"]["2023-05"]["adoption_points"] == 130  # 10 + 20 + 100
    assert fgw_score["months"]["2023-06"]["adoption_points"] == 70   # 20 + 50
    # the second quarter is complete (06 exists): −10 × (23 − 3) − 20 × (9 − 3)
    assert fgw_score["comprehensive_points"] == -320 and fgw_score["total"] == -120
    assert gxj_score["counts"]["submitted"] == 1 and gxj_score["adoption_points"] == 10

    before = tree_digest(ledger)
    again = build_py("import", *files, "--ledger", "ledger", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "报送：添加 0 条，已在台账中 4 条（跳过）" in again.stdout
    assert "批示：添加 0 条，已在台账中 2 条（跳过）" in again.stdout
    assert tree_digest(ledger) == before


def test_a_conflicting_row_and_an_unknown_unit_write_nothing(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    files = exports(tmp_path)
    assert build_py("import", *files, "--ledger", "ledger", cwd=tmp_path).returncode == 0
    before = tree_digest(ledger)
    write_csv(tmp_path / "第二批.csv", [
        ["信息编号", "标题", "报送单位", "报送时间"],
        ["KDL-2023-0701", "新的一条", "发改委", "2023-07-03"],          # fine on its own
        ["KDL-2023-0501", "区发改委召开项目调度会", "发改委", "2023-05-10"],  # other date
        ["KDL-2023-0702", "另一条", "区发展和改革委员会", "2023-07-04"],  # unknown unit
    ], encoding="gbk")
    proc = build_py("import", "第二批.csv", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("第二批.csv:3: E608 信息 KDL-2023-0501 已在台账中"
                               "（ledger/2023/05/fgw.toml:")
    assert "日期：台账“2023-05-09”，导入“2023-05-10”" in lines[0]
    assert lines[1].startswith("第二批.csv:4: E605 报送单位“区发展和改革委员会”")
    assert lines[-1] == "发现 2 个错误，未写入任何文件。"
    assert tree_digest(ledger) == before and not (ledger / "2023/07").exists()
