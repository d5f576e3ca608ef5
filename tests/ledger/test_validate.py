"""Every validation rule of SPEC §2: exit code, problem code and exact path:line, via build.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from ledgerkit import REPO, build_py, make_ledger

M = "ledger/2023/05"

INFO_A1 = """
[[info]]
oa = "A1"
title = "我局召开安全生产工作会议"
date = 2023-05-02
"""


def check(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[int, list[str]]:
    """Run ``build.py check`` on an inline ledger; return exit code and 'path:line: CODE' heads."""
    make_ledger(tmp_path, files)
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    heads = [" ".join(line.split(" ")[:2]) for line in (proc.stdout + proc.stderr).splitlines()
             if ": E" in line or ": W" in line]
    return proc.returncode, heads


CASES = {
    "syntax error": ({"2023/05/fgw.toml": 'a = 1\n[[info]\noa = "x"\n'}, f"{M}/fgw.toml:2: E101"),
    "unknown key": ({"2023/05/fgw.toml": INFO_A1 + 'colour = "red"\n'}, f"{M}/fgw.toml:6: E202"),
    "unknown table": ({"2023/05/fgw.toml": INFO_A1 + "\n[[adoptoin]]\noa = \"A1\"\n"},
                      f"{M}/fgw.toml:7: E201"),
    "missing required field": ({"2023/05/fgw.toml": '\n[[info]]\noa = "A1"\ndate = 2023-05-02\n'},
                               f"{M}/fgw.toml:2: E203"),
    "empty required field": ({"2023/05/fgw.toml": INFO_A1.replace("我局召开安全生产工作会议", " ")},
                             f"{M}/fgw.toml:4: E204"),
    "date as string": ({"2023/05/fgw.toml": INFO_A1.replace("2023-05-02", '"2023-05-02"')},
                       f"{M}/fgw.toml:5: E205"),
    "impossible date": ({"2023/02/fgw.toml": INFO_A1.replace("2023-05-02", "2023-02-30")},
                        "ledger/2023/02/fgw.toml:5: E105"),
    "date outside month": ({"2023/05/fgw.toml": INFO_A1.replace("2023-05-02", "2023-06-01")},
                           f"{M}/fgw.toml:5: E207"),
    "duplicate OA across units": ({"2023/05/fgw.toml": INFO_A1, "2023/05/gxj.toml": INFO_A1},
                                  f"{M}/gxj.toml:3: E301"),
    "adoption of unknown OA": ({"2023/05/fgw.toml": INFO_A1 + '\n[[adoption]]\noa = "A9"\n'
                                'by = "区刊"\ndate = 2023-05-09\n'}, f"{M}/fgw.toml:8: E302"),
    "adoption of another unit's item": (
        {"2023/05/fgw.toml": INFO_A1,
         "2023/05/gxj.toml": '[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-09\n'},
        f"{M}/gxj.toml:2: E303"),
    "adoption before the item": ({"2023/05/fgw.toml": INFO_A1.replace("05-02", "05-20")
                                  + '\n[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-09\n'},
                                 f"{M}/fgw.toml:10: E304"),
    "channel not fitting kind": ({"2023/05/fgw.toml": INFO_A1 + '\n[[adoption]]\noa = "A1"\n'
                                  'by = "上报"\ndate = 2023-05-09\n'}, f"{M}/fgw.toml:9: E305"),
    "unknown event kind": ({"2023/05/fgw.toml": '[[event]]\nkind = "聚餐"\ndate = 2023-05-09\n'},
                           f"{M}/fgw.toml:2: E206"),
    "专报 without topic": ({"2023/05/fgw.toml": INFO_A1 + 'kind = "专报"\n'},
                          f"{M}/fgw.toml:2: E208"),
    "topic on a 信息": ({"2023/05/fgw.toml": INFO_A1 + 'topic = "问题建议"\n'},
                      f"{M}/fgw.toml:6: E209"),
    "unit not in units.toml": ({"2023/05/nobody.toml": ""}, f"{M}/nobody.toml: E103"),
    "GBK file": ({"2023/05/fgw.toml": INFO_A1.encode("gbk")}, f"{M}/fgw.toml:4: E102"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule(tmp_path: Path, name: str) -> None:
    files, expected = CASES[name]
    code, heads = check(tmp_path, files)
    assert code == 1
    assert heads == [expected]


def test_second_adoption_on_a_channel_names_the_first(tmp_path: Path) -> None:
    adoption = '\n[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-{day}\n'
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1 + adoption.format(day="09")
                           + adoption.format(day="19")})
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0].startswith(f"{M}/fgw.toml:14: E306")
    assert f"{M}/fgw.toml:7）" in proc.stderr  # the first record's header


def test_second_instruction_at_a_level_names_the_first(tmp_path: Path) -> None:
    instr = '\n[[instruction]]\noa = "A1"\nlevel = "市"\ndate = 2023-05-{day}\n'
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1 + instr.format(day="09")
                           + instr.format(day="19")})
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0].startswith(f"{M}/fgw.toml:14: E307")
    assert f"{M}/fgw.toml:7）" in proc.stderr


def test_gbk_message_says_how_to_fix(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1.encode("gbk")})
    err = build_py("check", "--ledger", "ledger", cwd=tmp_path).stderr
    assert "GBK" in err and "UTF-8" in err and "另存为" in err


def test_bom_and_crlf_accepted(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + INFO_A1.replace("\n", "\r\n").encode("utf-8")
    code, heads = check(tmp_path, {"2023/05/fgw.toml": raw + b'[[adoption]]\r\noa = "A1"\r\n'
                                   b'by = "\xe5\x8c\xba\xe5\x88\x8a"\r\ndate = 2023-05-09\r\n'})
    assert (code, heads) == (0, [])


def test_empty_file_accepted(tmp_path: Path) -> None:
    assert check(tmp_path, {"2023/05/fgw.toml": ""}) == (0, [])


def test_missing_unit_file_is_a_warning(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1})
    (root / "2023/05/gxj.toml").unlink()
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0
    assert f"{M}/gxj.toml: W101" in proc.stdout
    assert "检查通过" in proc.stdout and "1 个警告" in proc.stdout


def test_config_typo_is_a_path_line_error(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    rules = root / "2023/rules.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("points = 30\nclause = \"三(二)2\"",
                                  "pionts = 30\nclause = \"三(二)2\""), encoding="utf-8")
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert any(line.startswith("ledger/2023/rules.toml:") and " E202 " in line for line in lines)
    assert "Traceback" not in proc.stderr


def test_all_problems_in_several_files_in_one_run(tmp_path: Path) -> None:
    code, heads = check(tmp_path, {
        "2023/05/fgw.toml": INFO_A1 + 'colour = "red"\n',
        "2023/05/gxj.toml": '[[event]]\nkind = "聚餐"\ndate = 2023-05-09\n',
        "2023/06/swj.toml": INFO_A1.replace("2023-05-02", '"2023-06-02"'),
    })
    assert code == 1
    assert heads == [f"{M}/fgw.toml:6: E202", f"{M}/gxj.toml:2: E206",
                     "ledger/2023/06/swj.toml:5: E205"]


def test_errors_leave_output_untouched(tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1 + 'colour = "red"\n'})
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("old site", encoding="utf-8")
    proc = build_py("build", "--ledger", "ledger", "--out", "output", cwd=tmp_path)
    assert proc.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old site"
    # no staging folder left behind (the build cache is kept, outside the output: by design)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".kaoping-cache") == [
        ".git", "ledger", "output"]


def test_usage_error_exits_2(tmp_path: Path) -> None:
    proc = build_py("frobnicate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "用法错误" in proc.stderr


def test_demo_year_checks_clean() -> None:
    proc = build_py("check", cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("检查通过：1 个年度，12 个月，564 个台账文件")
