"""The fast reader returns exactly what tomli returns, or None (then tomli reads the file)."""
from __future__ import annotations

import tomli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scoring.fasttoml import loads
from scoring.unitfile import header_lines

KEYS = st.sampled_from(["oa", "title", "date", "kind", "by", "note", "a-b", "x_1", "日期",
                        '"oa"', "a.b", "info", ""])
TEXTS = st.text(alphabet=st.sampled_from('ab 我区"\\\t\x00\x7f#=[]\r\u3000-'), max_size=6)
DATES = st.sampled_from(["2023-05-12", "2023-02-30", "2023-5-12", "0000-01-01", "２０２３-05-12",
                         "2023-05-12T10:00", "2023-05-12 10:00", "1979-05-27T07:32:00Z"])
VALUES = (TEXTS.map(lambda t: f'"{t}"') | DATES | st.sampled_from(
    ["1", "true", "'lit'", '"""multi"""', "[1, 2]", "{a = 1}", '""', '"a" "b"', "-3"]))
HEADERS = st.sampled_from(["[[info]]", "[[adoption]]", "  [[ info ]]  ", "[info]", "[[info]",
                           "[[a.b]]", "[[ \"q\" ]]", "[[event]] # 注释", "[[info]]x"])
LINES = st.one_of(
    HEADERS,
    st.builds(lambda k, v, sp, c: f"{k}{sp}={sp}{v}{c}", KEYS, VALUES,
              st.sampled_from(["", " ", "\t", "  "]),
              st.sampled_from(["", " # 备注", "#", " #\x01", "  "])),
    st.sampled_from(["", "# 示例数据（演示用）", "   ", "\t# c", "#\x7f", "\ufeff", "\r"]),
    TEXTS,
)
DOCS = st.tuples(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\r\n"]),
                 st.booleans()).map(lambda t: t[1].join(t[0]) + (t[1] if t[2] else ""))


@settings(max_examples=1500, deadline=None)
@given(DOCS)
@example('[[info]]\noa = "A1"\ntitle = "我局"\ndate = 2023-05-12\n\n[[info]]\noa = "A2"\n')
@example('info = "x"\n[[info]]\n')
@example('[[info]]\noa = "A"\noa = "B"\n')
@example('a = "x"\n\n[[info]]\na = "y"\n')
@example("")
def test_exactly_tomli_or_none(text: str) -> None:
    fast = loads(text)
    try:
        expected = tomli.loads(text)
    except tomli.TOMLDecodeError:
        assert fast is None
        return
    if fast is not None:
        data, headers = fast
        assert data == expected
        assert {k: [type(v) for v in vs] if isinstance(vs, list) else type(vs)
                for k, vs in data.items()} == {
            k: [type(v) for v in vs] if isinstance(vs, list) else type(vs)
            for k, vs in expected.items()}
        assert headers == header_lines(text)


def test_plain_ledger_file_takes_the_fast_path() -> None:
    text = ('# 示例数据\n\n[[info]]\noa = "KDL-2023-00001"\ntitle = "区发改委召开会议"\n'
            'date = 2023-05-04\nnote = "附图片2张"  # 备注\n\n[[adoption]]\r\noa = "KDL-2023-00001"\n'
            'by = "区刊"\ndate = 2023-05-20\n')
    result = loads(text)
    assert result is not None
    assert result[0] == tomli.loads(text)
    assert result[1] == {"info": [3], "adoption": [9]}
