"""``build.py new-month``: one commented template per unit, never overwriting, new-year config."""
from __future__ import annotations

from pathlib import Path

from ledgerkit import build_py, make_ledger, unit_ids_2023


def test_scaffolds_every_unit_and_checks_clean(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    proc = build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.stem for p in (root / "2023/07").iterdir())
    assert files == sorted(unit_ids_2023())
    text = (root / "2023/07/fgw.toml").read_text(encoding="utf-8")
    for table in ("[[info]]", "[[adoption]]", "[[instruction]]", "[[commission]]", "[[event]]"):
        assert f"# {table}" in text
    assert "发改委" in text and "date = 2023-07-15" in text
    assert build_py("check", "--ledger", "ledger", cwd=tmp_path).returncode == 0


def test_uncommented_template_example_is_valid(tmp_path: Path) -> None:
    """The example records of the template, uncommented, pass the checker (they teach the
    format)."""
    root = make_ledger(tmp_path)
    build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path)
    path = root / "2023/07/fgw.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line[2:] for line in lines if line.startswith("# [[") or line.startswith("# ")
            and "=" in line and not line.startswith("# 日期")]
    body = [line for line in body if not line.startswith(("kind = \"信息\"", "topic", "note"))]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    proc = build_py("check", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_never_overwrites(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/07/fgw.toml": "# 已填写\n"})
    proc = build_py("new-month", "2023-07", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0
    assert (root / "2023/07/fgw.toml").read_text(encoding="utf-8") == "# 已填写\n"
    assert "已建立 0 个" in proc.stdout


def test_new_year_needs_config_or_copies_it(tmp_path: Path) -> None:
    root = make_ledger(tmp_path)
    proc = build_py("new-month", "2024-01", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--copy-config" in proc.stderr and not (root / "2024").exists()
    proc = build_py("new-month", "2024-01", "--copy-config", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (root / "2024/units.toml").read_bytes() == (root / "2023/units.toml").read_bytes()
    assert len(list((root / "2024/01").iterdir())) == 47


def test_bad_month_is_a_usage_error(tmp_path: Path) -> None:
    make_ledger(tmp_path)
    proc = build_py("new-month", "2024-13", "--ledger", "ledger", cwd=tmp_path)
    assert proc.returncode == 2 and "YYYY-MM" in proc.stderr
