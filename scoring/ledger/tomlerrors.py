"""The TOML parser's messages, told to the clerk in Chinese.

tomli explains a syntax error in English, sometimes with Python reprs (``Cannot declare
('info',) twice``). Every message it has is translated here; the rare one not known (a newer
tomli) still gets a Chinese sentence, never the English. The commonest cause of all on a Chinese
keyboard, a full-width character where TOML needs ASCII (``＝``, a full-width space, ``“``), is
named with its half-width form. A file nested deeper than the parser allows (its
``RecursionError``) is explained as such, at the line where the nesting gets too deep.
"""
from __future__ import annotations

import re
import unicodedata

# Characters an input method gives for the ASCII ones TOML needs, beyond what NFKC maps.
_LOOKALIKES = {"“": '"', "”": '"', "‘": "'", "’": "'", "。": ".", "、": ","}
_NAMES = {" ": "空格"}
ADVICE = "。请检查引号、方括号是否成对，文字值是否用英文双引号括起"

_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Cannot overwrite a value", "同一个字段写了两次（或字段与表同名），请删除重复的一行"),
    (r"Cannot declare (.*) twice", "表 [{0}] 重复定义（一个 [表] 只能出现一次；"
     "记录用 [[表]] 书写）"),
    (r"Duplicate inline table key '?([^']*)'?", "行内表中的字段 {0} 写了两次"),
    (r"Cannot mutate immutable namespace.*", "不能向已写成行内表或数组的值中再添加字段或记录"),
    (r"Cannot redefine namespace.*", "此表与前面的表或字段冲突"),
    (r"An object other than list found behind this key", "[[表]] 与前面同名的字段或 [表] 冲突"),
    (r"There is no nest behind this key", "此处的键与前面的值冲突"),
    (r"Expected '=' after a key in a key/value pair", "字段名后应为等号“=”"),
    (r"Expected ']' at the end of a table declaration", "表名后缺少右方括号“]”"),
    (r"Expected ']]' at the end of an array declaration", "表名后缺少“]]”"),
    (r"Expected newline or end of document after a statement",
     "一行只能写一个“字段 = 值”，值之后有多余的内容（文字须用英文双引号括起）"),
    (r"Invalid initial character for a key part", "字段名只能用英文字母、数字、下划线或连字符"),
    (r"Invalid statement", "无法识别的一行（应为 [[表]]、[表] 或 字段 = 值）"),
    (r"Invalid value", "值的写法不对（文字用英文双引号括起，日期写作 2023-05-12，不加引号）"),
    (r"Invalid date or datetime", "日期或时间的写法不对（日期写作 2023-05-12）"),
    (r"Invalid hex value", "转义字符 \\u 或 \\U 后的十六进制数字不对"),
    (r"Escaped character is not a Unicode scalar value", "转义字符表示的不是有效字符"),
    (r"Unescaped '\\' in a string", "文字中的反斜杠“\\”须写作“\\\\”"),
    (r"Unterminated string", "文字缺少结尾的英文双引号"),
    (r"Unclosed array", "列表缺少右方括号“]”"),
    (r"Unclosed inline table", "行内表缺少右花括号“}}”"),
    (r"Illegal character '\\n'", "文字缺少结尾的英文双引号（文字须在同一行内结束）"),
    (r"Illegal character .*", "文字中含有不可见的控制字符，请删除后重新输入"),
    (r"Found invalid character .*", "此处有不允许的字符"),
    (r"Expected '?([^']*)'?", "此处应为“{0}”"),
)


def half_width(ch: str) -> str | None:
    """The ASCII character a full-width (or input-method) character stands for, if any."""
    if ch in _LOOKALIKES:
        return _LOOKALIKES[ch]
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded != ch and folded.isascii() and len(folded) == 1 else None


def _key(part: str) -> str:
    """``('info', 'x')`` (a Python repr in tomli's message) as ``info.x``."""
    names = re.findall(r"'([^']*)'", part)
    return ".".join(names) if names else part


def _named(ch: str) -> str:
    return _NAMES.get(ch, f" {ch} ")


def explain(msg: str, line_text: str, col: int) -> str:
    """A Chinese sentence for tomli's ``msg`` about column ``col`` (1-based) of ``line_text``."""
    for ch in (line_text[col - 1:col], line_text[col - 2:col - 1] if col > 1 else ""):
        half = half_width(ch)
        if ch and half is not None:
            what = "全角空格" if ch == "\u3000" else f"全角字符{_named(ch)}"
            return (f"此处的{what}应改为半角{_named(half)}"
                    "（请切换到英文输入法后重新输入）")
    for pattern, text in _MESSAGES:
        m = re.fullmatch(pattern, msg)
        if m:
            return text.format(*(_key(g) for g in m.groups())) + ADVICE
    return "此处的写法不符合 TOML 格式" + ADVICE


MAX_DEPTH = 400  # tomli refuses deeper nesting of inline arrays and tables


def deep_line(text: str) -> int:
    """The line where brackets first nest deeper than the parser allows (1 if never)."""
    depth, line = 0, 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return 1


def nesting_message() -> str:
    return (f"TOML 语法错误：方括号或花括号嵌套超过 {MAX_DEPTH} 层，无法读取；"
            "台账中的值不需要嵌套，请检查是否误粘贴了大段内容。")
