"""``build.py import``: every rule of SPEC §6 through the command line, with real export files."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
import tomli
from exportkit import tree_digest, write_csv, write_html_xls, write_xls, write_xlsx
from gitkit import GitLedger
from ledgerkit import build_py, make_ledger
from schemakit import errors, validator

from scoring.ledger.jsonschema import SCHEMA_LINE

SUB = ["信息编号", "标题", "报送单位", "报送时间"]
ADO = ["信息编号", "采用刊物", "采用时间"]
INS = ["信息编号", "批示级别", "批示时间"]
ITEM_A1 = '[[info]]\noa = "A1"\ntitle = "已登记的信息"\ndate = 2023-05-02\n'


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return build_py("import", *args, "--ledger", "ledger", cwd=tmp_path)


def heads(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """``FILE:ROW: CODE`` of each problem printed."""
    return [" ".join(line.split(" ")[:2]) for line in proc.stderr.splitlines() if ": E" in line]


def test_dry_run_lists_the_records_and_writes_nothing(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    write_csv(tmp_path / "a.csv", [SUB, ["K1", "甲", "发改委", "2023-05-02"]])
    before = tree_digest(ledger)
    proc = run(tmp_path, "a.csv", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "ledger/2023/05/fgw.toml（新建）：" in proc.stdout
    assert "[[info]] K1  甲  2023-05-02  ← a.csv:2" in proc.stdout
    assert "报送：将添加 1 条" in proc.stdout and "未写入任何文件" in proc.stdout
    assert tree_digest(ledger) == before


def test_records_are_appended_after_what_a_file_holds(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": b"\xef\xbb\xbf# \xe6\x89\x8b\xe5\xbd\x95"
                                    b"\r\n" + ITEM_A1.replace("\n", "\r\n").encode()})
    (ledger / "2023/05/gxj.toml").unlink()
    write_csv(tmp_path / "a.csv", [ADO + ["期数"], ["A1", "区刊", "2023-05-09", "第3期"]])
    write_csv(tmp_path / "b.csv", [SUB, ["B1", 'He said "hi" \\ ok', "gxj", "2023-05-03"]])
    before = (ledger / "2023/05/fgw.toml").read_bytes()
    files_before = set(tree_digest(ledger))
    proc = run(tmp_path, "a.csv", "b.csv")
    assert proc.returncode == 0, proc.stderr
    after = (ledger / "2023/05/fgw.toml").read_bytes()
    assert after == before + ('\r\n# 导入：a.csv 第2行\r\n[[adoption]]\r\noa = "A1"\r\n'
                              'by = "区刊"\r\ndate = 2023-05-09\r\nissue = "第3期"\r\n').encode()
    gxj = (ledger / "2023/05/gxj.toml").read_text(encoding="utf-8")
    assert gxj.startswith(SCHEMA_LINE + "# 工信局（gxj）2023年5月")  # as new-month's starts
    assert tomli.loads(gxj)["info"] == [{"oa": "B1", "title": 'He said "hi" \\ ok',
                                         "date": dt.date(2023, 5, 3)}]
    assert set(tree_digest(ledger)) - files_before == {  # no other file but the schemas
        "2023/05/gxj.toml", "2023/.schema/unit.schema.json", ".schema/units.schema.json",
        ".schema/rules.schema.json"}


def test_a_new_file_names_the_years_schema_and_is_valid_by_it(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": ITEM_A1})
    (ledger / "2023/05/gxj.toml").unlink()
    old = (ledger / "2023/05/fgw.toml").read_bytes()
    write_csv(tmp_path / "a.csv", [SUB, ["K1", "甲", "发改委", "2023-05-03"],
                                   ["K2", "乙", "gxj", "2023-05-04"],
                                   ["K3", "丙", "发改委", "2023-06-02"]])
    assert run(tmp_path, "a.csv", "--dry-run").returncode == 0
    assert not (ledger / ".schema").exists() and not (ledger / "2023/.schema").exists()
    proc = run(tmp_path, "a.csv")
    assert proc.returncode == 0, proc.stderr
    assert "已写入编辑器用的 JSON Schema：2023/.schema/unit.schema.json。" in proc.stdout
    for rel in ("2023/05/gxj.toml", "2023/06/fgw.toml", "2023/06/gxj.toml"):
        target = ledger / rel
        text = target.read_text(encoding="utf-8")
        assert text.startswith(SCHEMA_LINE), rel
        schema = target.parent / SCHEMA_LINE.split()[1]
        assert schema.resolve() == (ledger / "2023/.schema/unit.schema.json").resolve()
        assert errors(validator(json.loads(schema.read_text(encoding="utf-8"))), text) == [], rel
    assert '"K3"' in (ledger / "2023/06/fgw.toml").read_text(encoding="utf-8")
    fgw = (ledger / "2023/05/fgw.toml").read_bytes()
    assert fgw.startswith(old) and b"#:schema" not in fgw  # an existing file keeps its start
    before = tree_digest(ledger)
    again = run(tmp_path, "a.csv")
    assert again.returncode == 0 and "JSON Schema" not in again.stdout
    assert tree_digest(ledger) == before


def test_a_real_biff_xls_with_dates_and_a_merged_title(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    write_xls(tmp_path / "报送.xls", [
        ["2023年5月报送清单", None, None, None], [None] * 4, SUB,
        ["K1", "甲", "发改委", dt.datetime(2023, 5, 12, 9, 30)],
        ["K2", "乙", "工信局", dt.date(2023, 5, 9)], ["K3", "丙", "gxj", 45060],
    ], merge=[(0, 0, 0, 3)])
    proc = run(tmp_path, "报送.xls")
    assert proc.returncode == 0, proc.stderr
    gxj = tomli.loads((ledger / "2023/05/gxj.toml").read_text(encoding="utf-8"))
    assert [(i["oa"], i["date"]) for i in gxj["info"]] == [
        ("K2", dt.date(2023, 5, 9)), ("K3", dt.date(2023, 5, 14))]  # sorted by date in a file
    assert "# 导入：报送.xls 第4行" in (ledger / "2023/05/fgw.toml").read_text(encoding="utf-8")


def test_an_adoption_goes_to_its_month_in_the_file_of_the_items_unit(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/gxj.toml": ITEM_A1}, months=("2023/06",))
    write_html_xls(tmp_path / "采用.xls", [ADO + ["期数"], ["A1", "市刊", "2023/6/8", "第9期"]])
    assert run(tmp_path, "采用.xls").returncode == 0
    text = (ledger / "2023/06/gxj.toml").read_text(encoding="utf-8")
    assert text == '# 导入：采用.xls 第2行\n[[adoption]]\noa = "A1"\nby = "市刊"\n' \
                   'date = 2023-06-08\nissue = "第9期"\n'  # the empty file: records only


def test_a_map_file_renames_columns_and_values(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": ITEM_A1})
    (tmp_path / "map.toml").write_text(
        '[columns]\n"文章编号" = "信息编号"\n"载体" = "采用刊物"\n"日期" = "采用时间"\n'
        '"来稿单位" = "报送单位"\n"标 题" = "标题"\n"报送日期" = "报送时间"\n\n'
        '[values.\"采用刊物\"]\n"区政府信息" = "区刊"\n\n'
        '[values.\"报送单位\"]\n"区发改委" = "fgw"\n\n[values.\"专报类别\"]\n"无" = ""\n',
        encoding="utf-8")
    write_xlsx(tmp_path / "采用.xlsx", [["文章编号", "载体", "日期"], ["A1", "区政府信息", 45056]])
    write_xlsx(tmp_path / "报送.xlsx", [["文章编号", "标题", "来稿单位", "报送日期", "专报类别"],
                                        ["A2", "乙", "区发改委", "2023-05-03", "无"]])
    proc = run(tmp_path, "采用.xlsx", "报送.xlsx", "--map", "map.toml")
    assert proc.returncode == 0, proc.stderr
    data = tomli.loads((ledger / "2023/05/fgw.toml").read_text(encoding="utf-8"))
    assert data["adoption"] == [{"oa": "A1", "by": "区刊", "date": dt.date(2023, 5, 10)}]
    assert data["info"][1] == {"oa": "A2", "title": "乙", "date": dt.date(2023, 5, 3)}


def test_map_file_problems_name_their_lines(tmp_path: Path) -> None:
    make_ledger(tmp_path)
    write_csv(tmp_path / "a.csv", [SUB])
    (tmp_path / "map.toml").write_text(
        '[columns]\n"单位" = "报送部门"\n\n[values."刊物"]\n"x" = "区刊"\n\n'
        '[values."批示级别"]\n"x" = 3\n\n[other]\n', encoding="utf-8")
    proc = run(tmp_path, "a.csv", "--map", "map.toml")
    assert proc.returncode == 1
    assert heads(proc) == ["map.toml:2: E611", "map.toml:4: E611", "map.toml:8: E611",
                           "map.toml:10: E611"]


def test_problems_the_checker_finds_are_traced_to_their_rows(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": ITEM_A1})
    write_csv(tmp_path / "a.csv", [["采用清单"], ADO, ["A1", "区刊", "2023-05-01"],
                                   ["A1", "上报", "2023-05-09"]], encoding="gbk")
    before = tree_digest(ledger)
    proc = run(tmp_path, "a.csv")
    assert proc.returncode == 1
    assert heads(proc) == ["a.csv:3: E304", "a.csv:4: E305"]
    assert "导入后台账校验不通过（ledger/2023/05/fgw.toml:" in proc.stderr
    assert tree_digest(ledger) == before


def test_rows_repeated_within_an_import_count_once_or_conflict(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    rows = [SUB, ["K1", "甲", "发改委", "2023-05-02"], ["K1", "甲", "fgw", "2023-05-02 10:00"]]
    write_csv(tmp_path / "a.csv", rows)
    write_csv(tmp_path / "b.csv", rows[:2])
    proc = run(tmp_path, "a.csv", "b.csv")
    assert proc.returncode == 0, proc.stderr
    assert "报送：添加 1 条，已在台账中 0 条（跳过），本次重复 2 条。" in proc.stdout
    assert (ledger / "2023/05/fgw.toml").read_text(encoding="utf-8").count("\n[[info]]") == 1
    write_csv(tmp_path / "c.csv", [SUB, ["K2", "乙", "发改委", "2023-05-02"],
                                   ["K2", "乙（修改）", "发改委", "2023-05-02"]])
    proc = run(tmp_path, "c.csv")
    assert heads(proc) == ["c.csv:3: E609"]
    assert "与本次导入的 c.csv:2 重复，但标题：前者“乙”，本行“乙（修改）”" in proc.stderr


def test_adoptions_and_instructions_conflict_on_their_dates(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": ITEM_A1 + '\n[[adoption]]\noa = "A1"\nby = "区刊"\n'
                           'date = 2023-05-09\n\n[[instruction]]\noa = "A1"\nlevel = "区"\n'
                           'date = 2023-05-10\nleader = "区长"\n'})
    write_csv(tmp_path / "a.csv", [ADO + ["期数"], ["A1", "区刊", "2023-05-09", "第2期"],
                                   ["A1", "区刊", "2023-05-19", ""]])
    write_csv(tmp_path / "b.csv", [INS, ["A1", "区级", "2023-05-10"], ["A1", "区", "2023-05-11"]])
    proc = run(tmp_path, "a.csv", "b.csv")
    # an issue the hand-typed ledger lacks is still the same record; another date is not
    assert heads(proc) == ["a.csv:3: E608", "b.csv:3: E608"]


def test_every_row_problem_has_its_code(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": ITEM_A1})
    write_xlsx(tmp_path / "a.xlsx", [
        SUB + ["信息类型", "专报类别"],
        ["K1", "", "发改委", "2023-05-02"],                   # 2 E603 empty title
        ["K2", "乙", "发改委", "2023-02-30"],                 # 3 E604 impossible date
        ["K3", "丙", "发改委", "2022-12-30"],                 # 4 E607 no 2022 in the ledger
        ["K4", "丁", "财务科", "2023-05-02"],                 # 5 E605 unknown unit
        ["K5", "戊", "发改委", "2023-05-02", "简报"],         # 6 E606 unknown kind
        ["K6", "己", "发改委", "2023-05-02", "专报"],         # 7 E603 专报 without topic
        ["K7", "庚", "发改委", "2023-05-02", "专报", "其他"],  # 8 E606 unknown topic
        ["K8", "辛", "发改委", "2023-05-02", "信息", "问题建议"],  # 9 E606 topic on a 信息
    ])
    write_csv(tmp_path / "b.csv", [ADO, ["A1", "内刊", "2023-05-09"],  # 2 E606 unknown channel
                                   ["A9", "区刊", "2023-05-09"],       # 3 E610 unknown item
                                   ["K4", "区刊", "2023-05-09"]])      # 4 E610 its row failed
    write_csv(tmp_path / "c.csv", [INS, ["A1", "省级", "2023-05-09"]])  # 2 E606 unknown level
    before = tree_digest(ledger)
    proc = run(tmp_path, "a.xlsx", "b.csv", "c.csv")
    assert proc.returncode == 1
    assert heads(proc) == [
        "a.xlsx:2: E603", "a.xlsx:3: E604", "a.xlsx:4: E607", "a.xlsx:5: E605", "a.xlsx:6: E606",
        "a.xlsx:7: E603", "a.xlsx:8: E606", "a.xlsx:9: E606", "b.csv:2: E606", "b.csv:3: E610",
        "b.csv:4: E610", "c.csv:2: E606"]
    assert "b.csv:4: E610 信息编号 K4 的报送行 a.xlsx:5 有错误" in proc.stderr
    assert tree_digest(ledger) == before


def test_unreadable_files_and_files_without_a_table(tmp_path: Path) -> None:
    make_ledger(tmp_path)
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(200))
    write_xlsx(tmp_path / "无表.xlsx", [["报送清单"], ["信息编号", "题目", "报送单位", "报送时间"]])
    proc = run(tmp_path, "坏.xlsx", "无表.xlsx")
    assert proc.returncode == 1
    assert heads(proc) == ["坏.xlsx: E601", "无表.xlsx: E602"]
    assert "第2行像是报送表的表头，但缺少列：标题" in proc.stderr


def test_several_sheets_are_named_in_problems_and_comments(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    write_xlsx(tmp_path / "汇总.xlsx", [SUB, ["K1", "甲", "发改委", "2023-05-02"]], sheet="报送",
               more={"采用": [ADO, ["K1", "区刊", "2023-05-09"], ["K1", "市刊", "昨天"]]})
    proc = run(tmp_path, "汇总.xlsx")
    assert proc.stderr.splitlines()[0].startswith("汇总.xlsx:3: E604 工作表“采用”：采用时间“昨天”")
    write_xlsx(tmp_path / "汇总.xlsx", [SUB, ["K1", "甲", "发改委", "2023-05-02"]], sheet="报送",
               more={"采用": [ADO, ["K1", "区刊", "2023-05-09"]]})
    assert run(tmp_path, "汇总.xlsx").returncode == 0
    assert "# 导入：汇总.xlsx 工作表“采用” 第2行" in \
        (ledger / "2023/05/fgw.toml").read_text(encoding="utf-8")


def test_a_file_name_cannot_break_out_of_its_comment(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path)
    write_csv(tmp_path / 'x\n[[event]]\nkind = "轮训".csv', [SUB, ["K1", "甲\n乙", "发改委",
                                                                   "2023-05-02"]])
    assert run(tmp_path, 'x\n[[event]]\nkind = "轮训".csv').returncode == 0
    data = tomli.loads((ledger / "2023/05/fgw.toml").read_text(encoding="utf-8"))
    assert list(data) == ["info"] and data["info"][0]["title"] == "甲\n乙"


def test_a_ledger_with_errors_is_not_imported_into(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": "[[info]\n"})
    write_csv(tmp_path / "a.csv", [SUB, ["K1", "甲", "发改委", "2023-05-02"]])
    proc = run(tmp_path, "a.csv")
    assert proc.returncode == 1 and heads(proc) == ["ledger/2023/05/fgw.toml:1: E101"]
    assert "台账本身有错误" in proc.stderr


@pytest.mark.parametrize("args", [("nothere.xlsx",), ("a.csv", "--map", "nothere.toml"), ()])
def test_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    make_ledger(tmp_path)
    write_csv(tmp_path / "a.csv", [SUB])
    proc = run(tmp_path, *args)
    assert proc.returncode == 2


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    rows = [SUB + ["信息类型", "专报类别"], ["K2", "乙", "gxj", "2023-07-02", "专报", "经验做法"],
            ["K1", "甲", "发改委", "2023-07-02"], ["K3", "丙", "发改委", "2023-07-01"]]
    digests = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        ledger = make_ledger(folder)
        write_csv(folder / "a.csv", rows, encoding="utf-8-sig")
        assert run(folder, "a.csv").returncode == 0
        digests.append(tree_digest(ledger))
    assert digests[0] == digests[1]


def test_imports_are_commits_and_a_second_import_is_no_change(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    write_csv(tmp_path / "a.csv", [SUB, ["K1", "甲", "发改委", "2023-05-02"]], encoding="gbk")
    assert run(tmp_path, "a.csv").returncode == 0
    repo.commit("导入 OA 报送清单")
    assert run(tmp_path, "a.csv").returncode == 0
    assert repo.git("status", "--porcelain", "ledger") == ""
    assert "导入：a.csv 第2行" in repo.git("show", "HEAD:ledger/2023/05/fgw.toml")
