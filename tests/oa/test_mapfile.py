"""The ``--map`` file: the README's example is valid and does what it says."""
from __future__ import annotations

import re
from pathlib import Path

from ledgerkit import REPO

from scoring.oa.mapfile import load_map


def test_the_readme_example_loads_without_problems(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[columns\].*?)```", readme, re.S)
    assert example is not None
    path = tmp_path / "map.toml"
    path.write_text(example[1], encoding="utf-8")
    mapping, problems = load_map(path, "map.toml")
    assert problems == []
    assert mapping.columns["文章编号"] == "信息编号"
    assert mapping.value("采用刊物", "区政府信息") == "区刊"
    assert mapping.value("报送单位", "区发改委") == "fgw"
    assert mapping.value("专报类别", "无") == ""
    assert mapping.value("采用刊物", "市刊") == "市刊"


def test_column_names_in_the_map_ignore_spaces(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"来稿 单位" = "报送单位"\n', encoding="utf-8")
    mapping, problems = load_map(path, "map.toml")
    assert problems == [] and mapping.columns == {"来稿单位": "报送单位"}


def test_a_gbk_map_file_is_e102(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_bytes('[columns]\n"来稿单位" = "报送单位"\n'.encode("gbk"))
    _, problems = load_map(path, "map.toml")
    assert [p.code for p in problems] == ["E102"]
