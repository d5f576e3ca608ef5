"""Values as a Chinese keyboard types them: full-width characters, spaces around codes, ranges.

The rule, one for every file: a value that names something (an OA number, a channel, a level,
an event kind, a topic, a unit id) is compared exactly and must be written without spaces
around it, else E206 with the trimmed form as the fix; free text (a title, a note) is taken
trimmed. OA numbers are printable ASCII without spaces (the OA platform's form).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ledgerkit import DEMO_CONFIG, make_ledger

M = "ledger/2023/05"
INFO = '[[info]]\noa = "{oa}"\ntitle = "t"\ndate = 2023-05-02\n'
ADOPTION = '\n[[adoption]]\noa = "A1"\nby = "{by}"\ndate = 2023-05-09\n'

# (the unit file, the one problem expected, words of its message)
LEDGER = {
    "full-width digits in an OA number": (INFO.format(oa="KDL-２０２４-0003"),
                                          f"{M}/fgw.toml:2: E206", 'oa = "KDL-2024-0003"'),
    "space inside an OA number": (INFO.format(oa="KDL 2024"), f"{M}/fgw.toml:2: E206",
                                  "请按 OA 平台上的编号填写"),
    "space after an OA number": (INFO.format(oa="KDL-1 "), f"{M}/fgw.toml:2: E206",
                                 'oa = "KDL-1"'),
    "full-width space around an OA number": (INFO.format(oa="\u3000KDL-1"),
                                             f"{M}/fgw.toml:2: E206", 'oa = "KDL-1"'),
    "Chinese in an OA number": (INFO.format(oa="KDL-二〇二四"), f"{M}/fgw.toml:2: E206",
                                "只能由半角字母"),
    "full-width OA number of an adoption": (
        INFO.format(oa="A1") + ADOPTION.format(by="区刊").replace('"A1"\nby', '"Ａ1"\nby'),
        f"{M}/fgw.toml:7: E206", 'oa = "A1"'),
    "space after a channel": (INFO.format(oa="A1") + ADOPTION.format(by="区刊 "),
                              f"{M}/fgw.toml:8: E206", 'by = "区刊"'),
    "space before an event kind": ('[[event]]\nkind = " 轮训"\ndate = 2023-05-09\n',
                                   f"{M}/fgw.toml:2: E206", 'kind = "轮训"'),
    "space after a topic": (INFO.format(oa="A1") + 'kind = "专报"\ntopic = "问题建议 "\n',
                            f"{M}/fgw.toml:6: E206", 'topic = "问题建议"'),
    "full-width date in quotes": (INFO.format(oa="A1").replace("2023-05-02", '"２０２３-05-02"'),
                                  f"{M}/fgw.toml:4: E205", "应写作 date = 2023-05-02"),
    "date with slashes in quotes": (INFO.format(oa="A1").replace("2023-05-02", '"2023/5/2"'),
                                    f"{M}/fgw.toml:4: E205", "应写作 date = 2023-05-02"),
    "impossible date in quotes": (INFO.format(oa="A1").replace("2023-05-02", '"2023-02-30"'),
                                  f"{M}/fgw.toml:4: E205", "date = 2023-05-12 的形式"),
}


@pytest.mark.parametrize("name", list(LEDGER))
def test_a_mistyped_value_is_one_error_with_its_fix(refuses, tmp_path: Path,
                                                    name: str) -> None:
    text, head, words = LEDGER[name]
    make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    refuses([head], words)


def test_a_date_hint_is_itself_valid(run, tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO.format(oa="A1").replace(
        "2023-05-02", '"２０２３-05-02"')})
    hint = run("check").lines[0].split("应写作 ", 1)[1].rstrip("。")
    fixed = INFO.format(oa="A1").replace("date = 2023-05-02", hint)
    make_ledger(tmp_path, {"2023/05/fgw.toml": fixed})
    assert run("check").code == 0


def test_free_text_is_taken_trimmed(run, tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO.format(oa="A1").replace(
        '"t"', '"  我局召开会议\u3000"') + 'note = " 备注 "\n'})
    assert run("check").heads == []


def rules_with(tmp_path: Path, old: str, new: str, count: int = 1) -> None:
    root = make_ledger(tmp_path, months=("2023/05",))
    text = (DEMO_CONFIG / "rules.toml").read_text(encoding="utf-8")
    assert text.count(old) >= count
    (root / "2023/rules.toml").write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(old: str, nth: int = 1) -> int:
    lines = (DEMO_CONFIG / "rules.toml").read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines, 1) if line.startswith(old)]
    return found[nth - 1]


RULES = {
    "percent above 100": ("percent = 20", "percent = 150", 1, "1 到 100"),
    "negative target in a later table": ("submitted = 80", "submitted = -90", 1, "不能为负数"),
    "penalty written as a gain": ("missed_points = -30", "missed_points = 30", 1, "扣分写作负数"),
    "space after a channel": ('by = "区刊"', 'by = "区刊 "', 1, 'by = "区刊"'),
}


@pytest.mark.parametrize("name", list(RULES))
def test_rules_values_are_checked_at_the_key(refuses, tmp_path: Path,
                                             name: str) -> None:
    old, new, nth, words = RULES[name]
    rules_with(tmp_path, old, new)
    for first in refuses([f"ledger/2023/rules.toml:{line_of(old, nth)}: E206"], words):
        assert "('" not in first  # no Python reprs


def test_every_number_in_rules_toml_is_range_checked(run, tmp_path: Path) -> None:
    text = (DEMO_CONFIG / "rules.toml").read_text(encoding="utf-8")
    numbers = [(n, line) for n, line in enumerate(text.split("\n"), 1)
               if re.match(r"^\w+ = -?[0-9]+(\s|#|$)", line)]
    assert len(numbers) > 30
    for n, line in numbers:
        lines = text.split("\n")
        lines[n - 1] = re.sub(r"= -?[0-9]+", "= 1000000000", line, count=1)
        root = make_ledger(tmp_path)
        (root / "2023/rules.toml").write_text("\n".join(lines), encoding="utf-8")
        got = run("check")
        assert got.code == 1 and got.heads == [f"ledger/2023/rules.toml:{n}: E206"], line


def test_a_unit_id_with_spaces_is_one_error(run, tmp_path: Path) -> None:
    root = make_ledger(tmp_path, months=("2023/05",))
    text = (DEMO_CONFIG / "units.toml").read_text(encoding="utf-8")
    (root / "2023/units.toml").write_text(text.replace('id = "fgw"', 'id = "fgw "'),
                                          encoding="utf-8")
    got = run("check")
    assert got.heads == ["ledger/2023/units.toml:7: E206"]
    assert 'id = "fgw"' in got.lines[0]
