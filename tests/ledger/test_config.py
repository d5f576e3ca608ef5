"""rules.toml and units.toml are checked like ledger files: every number's range and sign,
every problem at the line of its key, in Chinese, without Python's reprs."""
from __future__ import annotations

from pathlib import Path

import pytest
from ledgerkit import DEMO_CONFIG

from scoring.ledger.config import load_rules, load_units

RULES = (DEMO_CONFIG / "rules.toml").read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    rules, problems = load_rules(text.encode("utf-8"), "ledger/2023/rules.toml")
    assert rules is None or not any(p.is_error for p in problems)
    return [p.format() for p in problems]


def without(text: str, header: str) -> str:
    """``text`` with the table ``header`` removed (its lines up to the next blank line)."""
    start = text.index(f"\n{header}\n") + 1
    end = text.find("\n\n", start)
    return text[:start] + (text[end + 2:] if end >= 0 else "")


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def test_the_demo_rules_load() -> None:
    rules, problems = load_rules(RULES.encode("utf-8"), "ledger/2023/rules.toml")
    assert rules is not None and problems == []
    assert rules.penalty is not None and rules.penalty.percent == 20
    assert rules.wording.area == "全区" and rules.notice.number == "昆府办发〔2024〕3号"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("percent = 20", "percent = 150",
     "E206 percent = 150 超出允许范围（应为 1 到 100 之间的整数）。"),
    ("submitted = 90", "submitted = -90",
     "E206 submitted = -90 超出允许范围（应为 0 到 100000 之间的整数（不能为负数））。"),
    ("missed_points = -30", "missed_points = 30",
     "E206 missed_points = 30 超出允许范围（应为 -10000 到 0 之间的整数（扣分写作负数））。"),
    ('points = 10\nclause = "三(二)1"', 'points = -10\nclause = "三(二)1"',
     "E206 points = -10 超出允许范围"),
])
def test_numbers_are_range_checked_at_their_key(old: str, new: str, expected: str) -> None:
    text = RULES.replace(old, new, 1)
    found = problems_of(text)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].startswith(f"ledger/2023/rules.toml:{line_of(text, new)}: ")


def test_a_repeated_channel_names_its_first_line_in_chinese() -> None:
    extra = '\n[[channel]]\nkind = "信息"\nby = "要情"\nname = "要情"\npoints = 10\n'
    text = RULES + extra
    (found,) = problems_of(text)
    first = line_of(RULES, "[[channel]]")
    assert found == (f"ledger/2023/rules.toml:{line_of(text, '[[channel]]', RULES[-20:])}: "
                     f"E403 [[channel]] kind = “信息”、by = “要情” 重复：第 {first} 行已定义。")
    assert "('" not in found


def test_a_channel_of_an_unknown_kind_is_reported_at_its_key() -> None:
    text = RULES.replace('kind = "信息"\nby = "区刊"', 'kind = "快讯"\nby = "区刊"')
    (found,) = problems_of(text)
    line = line_of(text, 'kind = "快讯"')
    assert found.startswith(f"ledger/2023/rules.toml:{line}: E403 ")
    assert "“快讯”" in found


def test_a_penalty_event_needs_its_percentage() -> None:
    text = without(RULES, "[penalty]")
    (found,) = problems_of(text)
    assert "E403" in found and "[penalty]" in found
    assert f":{line_of(text, 'penalty = true')}:" in found


def test_a_missing_table_is_the_files_not_line_one() -> None:
    text = without(RULES, "[kinds]")
    assert problems_of(text) == ["ledger/2023/rules.toml: E403 rules.toml 缺少 [kinds]。"]


def test_optional_sections_may_be_left_out() -> None:
    text = RULES
    for table in ("[commission]", "[shortfall]", "[wording]", "[notice]", "[document]"):
        text = without(text, table)
    text = text.replace("penalty = true", "penalty = false")
    rules, problems = load_rules(text.encode("utf-8"), "r.toml")
    assert rules is not None and problems == []
    assert rules.commission is None and rules.shortfall is None and rules.wording.area == ""


def test_wording_titles_take_only_year_and_month() -> None:
    text = RULES.replace('bulletin_title = "{year}年{month}月', 'bulletin_title = "{year}年{day}日')
    (found,) = problems_of(text)
    assert "E206" in found and "{year}、{month}" in found


def test_an_empty_units_file_says_so(tmp_path: Path) -> None:
    units, problems = load_units(b"# nothing yet\n", "ledger/2024/units.toml")
    assert units is None and [p.format() for p in problems] == [
        "ledger/2024/units.toml: E402 units.toml 中没有任何 [[unit]]：请登记本年度考评的单位。"]
