"""What the names under ``ledger/`` are: a year, a month, a unit's file, or not ledger data.

The ledger's layout is exact (``<YYYY>/<MM>/<id>.toml``, half-width digits, lower case). A name
that looks like one of these but is not exactly one (``２０２３``, ``6``, ``13``, ``０３``,
``kjj.TOML``, ``Units.toml``) would otherwise have its records left out of a build that exits 0,
so it is an error (E104) naming the path and the right form. Only files that are plainly not
ledger data are passed over: dotfiles and README files silently, anything else with a W102
warning. Digits are matched as ``[0-9]``: ``\\d`` and ``int()`` also take full-width digits.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import NamedTuple

YEAR_DIR = re.compile(r"[0-9]{4}")
MONTH_DIR = re.compile(r"0[1-9]|1[0-2]")
YEAR_FILES = ("units.toml", "rules.toml", "notice.md")


class Verdict(NamedTuple):
    """What to do with one entry: ``use`` it, or report ``code`` with ``message``
    (``code`` empty and ``use`` false: passed over silently)."""

    use: bool
    code: str = ""
    message: str = ""


USE, SKIP = Verdict(True), Verdict(False)


def fold(name: str) -> str:
    """``name`` as a clerk may have meant it: half-width (NFKC), lower case."""
    return unicodedata.normalize("NFKC", name).casefold()


def _plainly_not_data(name: str) -> bool:
    return name.startswith(".") or fold(name).startswith("readme")


def _has_digit(name: str) -> bool:
    return any(ch.isdigit() for ch in name)


def year_entry(name: str, is_dir: bool) -> Verdict:
    """An entry of the ledger folder: a year folder is four half-width digits."""
    if is_dir and YEAR_DIR.fullmatch(name):
        return USE
    if _plainly_not_data(name):
        return SKIP
    folded = fold(name)
    if _has_digit(name):
        fix = f"，应改为 {folded}" if YEAR_DIR.fullmatch(folded) and folded != name else ""
        kind = "文件夹" if is_dir else "文件"
        return Verdict(False, "E104", f"{kind}名 {name} 不是年度文件夹："
                       f"年度文件夹名应为四位半角数字（如 2023）{fix}。此{kind}中的台账未被读取。")
    return Verdict(False, "W102", "无法识别的文件或文件夹，已忽略"
                   "（年度文件夹应为四位数字，如 2023）。")


def month_name(name: str) -> str | None:
    """The right form of a name that looks like a month folder (``6`` → ``06``), if any."""
    folded = fold(name)
    if re.fullmatch(r"[0-9]{1,2}", folded) and 1 <= int(folded) <= 12:
        return f"{int(folded):02d}"
    return None


def year_folder_entry(name: str, is_dir: bool) -> Verdict:
    """An entry of a year folder other than its month folders and YEAR_FILES."""
    if is_dir and MONTH_DIR.fullmatch(name) or name in YEAR_FILES:
        return USE
    if _plainly_not_data(name):
        return SKIP
    folded = fold(name)
    if folded in YEAR_FILES:
        return Verdict(False, "E104", f"文件名应为 {folded}（小写、半角），请改名；"
                       "否则此文件不会被读取。")
    if month_name(name) or (is_dir and _has_digit(name)):
        right = month_name(name)
        fix = f"，应改为 {right}" if right else ""
        return Verdict(False, "E104", f"{name} 不是月份文件夹："
                       f"月份文件夹名应为 01–12 的两位半角数字{fix}。此文件夹中的台账未被读取。")
    if ".toml" in folded:
        return Verdict(False, "E104", "年度文件夹中只能有 units.toml 与 rules.toml；"
                       "单位的台账文件应放在月份文件夹中（如 05/fgw.toml）。此文件未被读取。")
    return Verdict(False, "W102", "无法识别的文件或文件夹，已忽略（月份文件夹应为 01–12）。")


def month_folder_entry(name: str, is_dir: bool, units: Collection[str]) -> Verdict:
    """An entry of a month folder: ``<id>.toml`` for a unit of the year, or bulletin.md.

    A file named exactly ``<something>.toml`` whose stem is no unit is the caller's E103."""
    stem, dot, ext = name.rpartition(".")
    if not is_dir and dot and ext == "toml" and stem == fold(stem):
        return USE
    if name == "bulletin.md" or name == "notice.md" or _plainly_not_data(name):
        return USE if name == "bulletin.md" else SKIP
    folded = fold(name)
    first = folded.split(".", 1)[0]
    if folded == "bulletin.md":
        return Verdict(False, "E104", "通报按语文件名应为 bulletin.md（小写、半角），请改名；"
                       "否则此文件不会被读取。")
    if ".toml" in folded or (first in units and not is_dir):
        right = f"{first}.toml" if first in units else "<单位id>.toml"
        return Verdict(False, "E104", f"台账文件名应为 {right}（小写、半角，扩展名 .toml），"
                       "请改名；否则此文件中的记录不会计分；如是备份或副本，请移出台账文件夹。")
    return Verdict(False, "W102", "无法识别的文件或文件夹，已忽略"
                   "（台账文件应为 <单位id>.toml）。")
