"""Problems found in the ledger: small values, collected by every stage, printed once.

A problem is ``path:line: CODE message``. Codes are stable (scripts and the README rely on them):
E1xx file level, E2xx record schema, E3xx references between records, E4xx year configuration,
E5xx history (git), E6xx import from the OA platform (``FILE:ROW`` of the export file),
W… warnings, which never fail a build.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One error or warning.

    path: the file, relative to the ledger's repository root, in POSIX form.
    line: 1-based line of the offending key (or its table header), 0 when the file as a whole.
    code: stable code such as ``E201``; an initial ``W`` marks a warning.
    message: Chinese text that says what is wrong and how to fix it.
    """

    path: str
    line: int
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return not self.code.startswith("W")

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.code} {self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order they are printed: by path, then line, then code."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message))


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


# Every code, with a one-line Chinese summary; the README's table is checked against this.
CODES: dict[str, str] = {
    "E101": "TOML 语法错误",
    "E102": "文件编码不是 UTF-8（如 GBK）",
    "E103": "文件名不是本年度 units.toml 中的单位",
    "E104": "年度或月份文件夹、文件名不合规则",
    "E105": "日期不存在（如 2023-02-30）",
    "E106": "文件超过 2 MB，未读取",
    "E201": "未知的表（记录种类）",
    "E202": "未知的字段",
    "E203": "缺少必填字段",
    "E204": "必填字段为空",
    "E205": "字段类型错误（如日期写成了带引号的字符串）",
    "E206": "取值不在允许范围内",
    "E207": "日期不在本文件所属月份内",
    "E208": "专报缺少 topic",
    "E209": "非专报信息不应填写 topic",
    "E301": "OA 编号重复",
    "E302": "引用了不存在的 OA 编号",
    "E303": "引用了其他单位的信息",
    "E304": "采用或批示日期早于信息报送日期",
    "E305": "采用渠道与信息种类不符",
    "E306": "同一信息在同一渠道重复采用",
    "E307": "同一信息在同一层级重复批示",
    "E401": "缺少年度配置文件 units.toml 或 rules.toml",
    "E402": "单位配置错误（重复或非法的 id、未知类别）",
    "E403": "规则配置错误（重复或缺失的渠道、层级、类别）",
    "E501": "已关账月份的台账被修改，提交说明缺少更正原因",
    "E601": "导入文件无法读取（不是 xlsx、xls、网页格式的 xls 或 CSV，或已损坏）",
    "E602": "导入文件中找不到报送、采用或批示表（缺少必需的列）",
    "E603": "导入行的必填单元格为空",
    "E604": "导入行的日期无法识别或不存在",
    "E605": "导入行的单位不在该年度 units.toml 中",
    "E606": "导入行的取值不在允许范围内（采用刊物、批示级别、信息类型、专报类别）",
    "E607": "导入记录的日期所属年度不在台账中",
    "E608": "导入行与台账中已有的记录冲突（同一编号，标题、日期或单位不同）",
    "E609": "导入行与本次导入的另一行冲突",
    "E610": "采用或批示的信息编号在台账和本次导入中都找不到",
    "E611": "映射文件（--map）有错误",
    "E612": "写入台账失败（未写入任何文件）",
    "E701": "年度通报正文（notice.md）中有未知的占位符",
    "E702": "年度通报正文中的占位符写法不对（全角或单个花括号、未闭合）",
    "W101": "月份文件夹中缺少某单位的台账文件",
    "W102": "台账目录中有无法识别的文件，已忽略",
    "W401": "年度通报的发文字号或成文日期尚未填写",
    "W501": "已关账月份的台账被修改，提交说明缺少更正原因（check --strict 时为错误 E501）",
    "W701": "年度通报正文中的数字与计算结果相同，疑为手工填写（应改用占位符）",
}
