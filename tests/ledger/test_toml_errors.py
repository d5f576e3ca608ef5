"""The TOML parser's errors reach the clerk in Chinese, at the line, without tracebacks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ledgerkit import make_ledger

from scoring import cli

M = "ledger/2023/05"
INFO = '[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\n'
NESTED = "x = " + "[" * 1000 + "]" * 1000 + "\n"

SYNTAX = {
    "full-width space in a key line": ('[[info]]\noa\u3000= "A1"\n', 2, "全角空格应改为半角空格"),
    "full-width equals sign": ('[[info]]\noa ＝ "A1"\n', 2, "全角字符 ＝ 应改为半角 ="),
    "curly quotes": ("[[info]]\ntitle = “会议”\n", 2, '全角字符 “ 应改为半角 "'),
    "full-width digits unquoted": ("[[info]]\ndate = ２０２４-01-05\n", 2,
                                   "全角字符 ２ 应改为半角 2"),
    "key written twice": (INFO + 'oa = "A2"\n', 5, "同一个字段写了两次"),
    "table declared twice": ("[x]\n[x]\n", 2, "表 [x] 重复定义"),
    "unterminated string": ('[[info]]\ntitle = "会议\n', 2, "文字缺少结尾的英文双引号"),
    "value without quotes": ("[[info]]\ntitle = 会议\n", 2, "值的写法不对"),
    "two values on a line": ('[[info]]\noa = "A1" "A2"\n', 2, "一行只能写一个"),
    "unclosed header": ("[[info]\n", 1, "缺少“]]”"),
}


@pytest.mark.parametrize("name", list(SYNTAX))
def test_syntax_errors_are_chinese_at_their_line(refuses, tmp_path: Path,
                                                 name: str) -> None:
    text, line, words = SYNTAX[name]
    make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    for first in refuses([f"{M}/fgw.toml:{line}: E101"], words):
        assert not re.search(r"[A-Za-z]{4,} [a-z]{2,}", first), first  # no English


@pytest.mark.parametrize("where", ["2023/05/fgw.toml", "2023/units.toml", "2023/rules.toml"])
def test_deep_nesting_is_an_error_not_a_traceback(refuses, tmp_path: Path,
                                                  where: str) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO})
    target = root / where
    target.write_text(target.read_text(encoding="utf-8") + NESTED, encoding="utf-8")
    line = target.read_text(encoding="utf-8").count("\n")
    refuses([f"ledger/{where}:{line}: E101"], "嵌套超过 400 层")


def test_textconv_shows_a_deeply_nested_file_as_it_is(tmp_path: Path, monkeypatch,
                                                      capsys) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO})
    copy = tmp_path / "XXXXXX_fgw.toml"  # as git hands an old version to the driver
    copy.write_text(NESTED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["textconv", "--ledger", str(root), str(copy)]) == 0
    assert capsys.readouterr().out == NESTED
    (root / "2023/05/fgw.toml").write_text(INFO + NESTED, encoding="utf-8")
    assert cli.main(["textconv", "--ledger", str(root), str(root / "2023/05/fgw.toml")]) == 0
    assert "E101" in capsys.readouterr().out
