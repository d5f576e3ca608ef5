"""Placeholders in ``notice.md`` (SPEC §8): unknown or miswritten ones are errors with their
line, a typed number equal to a computed figure is a warning, and a new year's notice starts
without the year before's 文号 and dates."""
from __future__ import annotations

from pathlib import Path

from ledgerkit import build_py, make_ledger

ONE_ITEM = """\
[[info]]
oa = "A1"
title = "我局召开会议"
date = 2023-01-05

[[adoption]]
oa = "A1"
by = "区刊"
date = 2023-01-10
"""


def check(tmp_path: Path) -> tuple[int, list[str]]:
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    return proc.returncode, (proc.stdout + proc.stderr).splitlines()


def test_unknown_placeholder_is_an_error_at_its_line(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/01/fgw.toml": ONE_ITEM, "2023/notice.md":
                           "现将有关情况通报如下。\n\n共报送信息{{报送信息条数}}条，"
                           "采用{{采用总数}}条。\n"})
    code, lines = check(tmp_path)
    assert code == 1
    [line] = [x for x in lines if "E701" in x]
    assert line.startswith("ledger/2023/notice.md:3: E701 ")
    assert "{{采用总数}}" in line and "{{采用条数}}" in line  # names the known ones
    out = tmp_path / "output"
    out.mkdir()
    (out / "keep.txt").write_text("旧站点", encoding="utf-8")
    assert build_py("--ledger", "ledger", "--out", "output", cwd=tmp_path).returncode == 1
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # output untouched


def test_miswritten_placeholders_are_errors(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/01/fgw.toml": ONE_ITEM, "2023/notice.md":
                           "共报送信息｛｛报送信息条数｝｝条。\n\n采用{采用条数}条。\n\n"
                           "批示{{批示条数条。\n\n正文中提到{{考评结果}}。\n"})
    code, lines = check(tmp_path)
    assert code == 1
    found = sorted(x.split(": ")[0] + " " + x.split(": ")[1][:4] for x in lines if "E70" in x)
    assert found == ["ledger/2023/notice.md:1 E702", "ledger/2023/notice.md:3 E702",
                     "ledger/2023/notice.md:5 E702", "ledger/2023/notice.md:7 E702"]
    assert any("{{报送信息条数}}" in x for x in lines if ":1: E702" in x)


def test_typed_number_equal_to_a_figure_warns(tmp_path: Path) -> None:
    """1 item submitted: "落实以下1条要求" warns (at its line), a 文号, a date, a month range and
    a placeholder do not; the check still passes."""
    make_ledger(tmp_path, {"2023/01/fgw.toml": ONE_ITEM, "2023/notice.md":
                           "根据（昆府办发〔2023〕1号），2024年1月1日起，1—{{截至月份}}月共报送"
                           "{{报送信息条数}}条。\n\n请各单位落实以下1条要求。\n"})
    code, lines = check(tmp_path)
    assert code == 0, lines
    [w] = [x for x in lines if "W701" in x]
    assert w.startswith("ledger/2023/notice.md:3: W701 通报正文中的数字 1 ")
    assert "{{报送信息条数}}" in w and "{{采用条数}}" in w


def test_plain_numbers_do_not_warn(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/01/fgw.toml": ONE_ITEM, "2023/notice.md":
                           "请各单位落实以下5条要求。\n"})
    code, lines = check(tmp_path)
    assert code == 0 and not [x for x in lines if "W701" in x]


def test_copied_config_leaves_the_notice_number_and_dates_empty(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    proc = build_py("new-month", "2024-01", "--copy-config", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "发文字号" in proc.stdout
    text = (root / "2024/rules.toml").read_text(encoding="utf-8")
    old = (root / "2023/rules.toml").read_text(encoding="utf-8")
    assert "昆府办发〔2024〕3号" in old and "昆府办发〔2024〕3号" not in text
    assert "2024-01-15" not in text.split("[notice]")[1].split("[[")[0]
    assert 'issuer = "昆都仑区人民政府办公室"' in text  # the rest is kept
    code, lines = check(tmp_path)
    assert code == 0, lines
    header = text.split("\n").index("[notice]") + 1
    [w] = [x for x in lines if "W401" in x]
    assert w.startswith(f"ledger/2024/rules.toml:{header}: W401 ")
    assert "发文字号" in w and "成文日期" in w
    assert not [x for x in lines if "2023/rules.toml" in x]  # the filled year is quiet


def test_results_placeholder_stands_alone_and_once(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/01/fgw.toml": ONE_ITEM, "2023/notice.md":
                           "开头。\n\n{{ 考评结果 }}\n\n结尾。\n\n{{考评结果}}\n"})
    code, lines = check(tmp_path)
    assert code == 1
    assert [x.split(" ")[0] for x in lines if "E702" in x] == ["ledger/2023/notice.md:7:"]
    assert "只能出现一次（第一次在第 3 行）" in lines[0]
