"""The documented-layout reader returns exactly the loader's records, or None."""
from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scoring import fastunit
from scoring.config import load_rules
from scoring.load import parse_unit_month, record_fields

REPO = Path(__file__).resolve().parent.parent
RULES = load_rules(REPO / "ledger/2023/rules.toml", "ledger/2023/rules.toml")[0]
assert RULES is not None
FIELDS = record_fields(RULES)
PATH = "ledger/2023/05/fgw.toml"

def mostly(valid: list[str], invalid: list[str]) -> st.SearchStrategy[str]:
    """A valid value most of the time."""
    return st.sampled_from(valid * (9 * len(invalid)) + invalid)


TEXTS = mostly(['"A1"', '"KDL-2023-0001"', '"区发改委召开会议"', '"a\tb"', '" A1 "'],
               ['""', '"  "', '"\u3000"', '"a\\"b"', '"a\\\\b"', "'lit'", "1"])
DATES = mostly(["2023-05-12", "2023-05-01", "2023-05-31"],
               ["2023-06-01", "2023-04-30", "2023-02-30", "2023-5-12", "2023-05-12T10:00:00",
                '"2023-05-12"', "２０２３-05-12"])
CHOICES = {"kind": mostly(['"信息"', '"专报"'], ['"其他"', '""']),
           "topic": mostly(['"经验做法"', '"问题建议"'], ['"无"']),
           "by": mostly(['"区刊"', '"市刊"', '"上报"', '"要情"'], ['"报纸"']),
           "level": mostly(['"区"', '"市"', '"自治区"'], ['"县"']),
           "event_kind": mostly(['"轮训"', '"工作失误"', '"失实滞后"'], ['"旅游"'])}
KEYS = {"info": ["oa", "title", "date", "kind", "topic", "note"],
        "adoption": ["oa", "by", "date", "issue", "note"],
        "instruction": ["oa", "level", "date", "leader", "note"],
        "commission": ["title", "due", "delivered", "note"],
        "event": ["kind", "date", "note"]}
REQUIRED = {"info": 3, "adoption": 3, "instruction": 3, "commission": 2, "event": 2}


@st.composite
def tables(draw: st.DrawFn) -> str:
    """A table, often in the documented layout with allowed values (then ``clean``)."""
    kind = draw(st.sampled_from(list(KEYS)))
    keys = KEYS[kind][:REQUIRED[kind]] + [k for k in KEYS[kind][REQUIRED[kind]:]
                                           if draw(st.booleans())]
    if draw(st.booleans()):  # clean
        values = {"oa": '"A1"', "title": '"标题"', "date": "2023-05-02", "due": "2023-05-09",
                  "delivered": "2023-05-20", "by": '"区刊"', "level": '"市"', "leader": '"张"',
                  "issue": '"第2期"', "note": '"备注"', "topic": '"调研总结"',
                  "kind": '"轮训"' if kind == "event" else '"专报"'}
        if kind == "info":
            keys = [k for k in keys if k not in ("kind", "topic")] + (
                ["kind", "topic"] if draw(st.booleans()) else [])
            keys.sort(key=KEYS["info"].index)
        return f"[[{kind}]]\n" + "".join(f"{k} = {values[k]}\n" for k in keys)
    if draw(st.integers(0, 9)) == 0:
        keys = draw(st.permutations(keys))
    if draw(st.integers(0, 14)) == 0:
        keys = keys[1:] + ["extra"]
    lines = []
    for key in keys:
        if key in ("date", "due", "delivered"):
            value = draw(DATES)
        elif key == "kind":
            value = draw(CHOICES["event_kind" if kind == "event" else "kind"])
        elif key in CHOICES:
            value = draw(CHOICES[key])
        else:
            value = draw(TEXTS)
        sep = draw(mostly([" = "], ["=", "  =  "]))
        lines.append(f"{key}{sep}{value}" + draw(mostly([""], ["  # 注"])))
    header = draw(mostly([f"[[{kind}]]"], [f"[[ {kind} ]]", f"[[{kind}]] # 补", f" [[{kind}]]",
                                           f"[{kind}]"]))
    return header + "\n" + "\n".join(lines) + "\n"


GAPS = mostly(["", "\n", "\n", "# 示例\n", "  \n", "\t# c\n", "\n\n"], ["#\x01\n"])
DOCS = st.tuples(st.lists(st.tuples(GAPS, tables()), max_size=4), GAPS,
                 mostly([""], ["\ufeff"]), mostly(["\n"], ["\r\n"]), mostly([""], ["cut"])).map(
    lambda t: (t[2] + "".join(g + b for g, b in t[0]).replace("\n", t[3]) + t[1])
    [:-1 if t[4] else None])  # "cut": no line end at the end


def same_as_loader(raw: bytes, first_line: int = 1) -> bool:
    """Check the property; True when the fast reader accepted the text."""
    fast = fastunit.parse(raw, PATH, "fgw", 2023, 5, RULES, first_line)
    full, problems = parse_unit_month(b"\n" * (first_line - 1) + raw, PATH, "fgw", 2023, 5,
                                      RULES, FIELDS)
    if fast is None:
        return False
    assert problems == []
    assert [(type(r), r) for r in fast.records()] == [(type(r), r) for r in full.records()]
    assert fast == full
    return True


@settings(max_examples=1500, deadline=None)
@given(DOCS, st.sampled_from([1, 1, 7]))
@example('\n[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\n', 1)
@example('\n[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\nkind = "专报"\n', 1)
@example('[[event]]\nkind = "轮训"\ndate = 2023-05-02\nnote = " "\n', 3)
@example("", 1)
def test_exactly_the_loader_or_none(text: str, first_line: int) -> None:
    same_as_loader(text.encode(), first_line)


def test_the_demo_ledger_takes_the_fast_path() -> None:
    files = sorted((REPO / "ledger/2023").glob("[01]*/*.toml"))
    assert len(files) == 12 * 47
    for file in files:
        raw = file.read_bytes()
        month = int(file.parent.name)
        fast = fastunit.parse(raw, "p", file.stem, 2023, month, RULES)
        full, problems = parse_unit_month(raw, "p", file.stem, 2023, month, RULES, FIELDS)
        assert fast == full and not problems, file


def test_common_layouts_take_the_fast_path() -> None:
    text = ('# 发改委 5 月\n\n[[info]]\noa = "A1"\ntitle = "会议"\ndate = 2023-05-02\n'
            'kind = "专报"\ntopic = "经验做法"\nnote = "附图"\n\n[[adoption]]\noa = "A1"\n'
            'by = "上报"\ndate = 2023-05-03\nissue = "第1期"\n[[instruction]]\noa = "A1"\n'
            'level = "市"\ndate = 2023-05-04\nleader = "张"\n\n[[commission]]\ntitle = "约"\n'
            'due = 2023-05-05\ndelivered = 2023-06-01\n\n[[event]]\nkind = "轮训"\n'
            'date = 2023-05-06\n')
    assert same_as_loader(text.encode())
    assert same_as_loader(text.encode(), first_line=40)
    assert not same_as_loader(text.replace("level", "leader = \"x\"\nlevel").encode())
    assert not same_as_loader(text.replace("2023-05-06", "2023-06-06").encode())   # E207
    assert not same_as_loader(text.replace('topic = "经验做法"\n', "").encode())      # E208
