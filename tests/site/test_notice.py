"""The annual notice's figures are live (SPEC §8) and its text reads as an official's: the
first three places with their ties, 文号待定 until the 文号 is given, and the 版记."""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

from ledgerkit import make_ledger
from sitekit import DEMO_LEDGER, build_files

from scoring.ledger.noticetext import PLACEHOLDER


def body_text(annual: str) -> str:
    """The notice's body (before the attachments) as plain text, one paragraph a line."""
    body = annual[annual.index('<div class="doc-body">'):annual.index('<section class="attachment')]
    return re.sub(r"<[^>]+>", "", body.replace("</p>", "\n"))


def demo_with_one_more_item(tmp_path: Path) -> Path:
    """The demonstration year with one more item of 发改委 in May, adopted by the 市刊."""
    (tmp_path / ".git").mkdir()
    root = tmp_path / "ledger"
    shutil.copytree(DEMO_LEDGER / "2023", root / "2023")
    with (root / "2023/05/fgw.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[info]]\noa = "KDL-2023-9999"\ntitle = "我委新增一条信息"\ndate = 2023-05-30\n'
                '\n[[adoption]]\noa = "KDL-2023-9999"\nby = "市刊"\ndate = 2023-05-31\n')
    return root


def ledger_counts(root: Path) -> dict[str, int]:
    """Adoptions per channel and instructions per level, counted from the TOML files."""
    counts: dict[str, int] = {}
    for path in sorted(root.glob("2023/[01][0-9]/*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for a in data.get("adoption", []):
            counts[a["by"] + "采用条数"] = counts.get(a["by"] + "采用条数", 0) + 1
        for i in data.get("instruction", []):
            counts[i["level"] + "级批示条数"] = counts.get(i["level"] + "级批示条数", 0) + 1
    return counts


def test_demo_notice_states_the_figures_of_the_data_export(tmp_path: Path) -> None:
    """Add an item to the demo and rebuild: every figure the notice states is the export's
    (and the ledger's), none is the figure before the item."""
    before = json.loads(build_files(DEMO_LEDGER)["data/2023.json"])
    root = demo_with_one_more_item(tmp_path)
    files = build_files(root)
    data = json.loads(files["data/2023.json"])
    units = data["units"]
    total = {k: sum(u["counts"][k] for u in units) for k in units[0]["counts"]}
    assert total["submitted"] == sum(u["counts"]["submitted"] for u in before["units"]) + 1
    expected = {"报送信息条数": total["submitted"], "报送专报篇数": total["special_submitted"],
                "采用条数": total["adopted"], "采用专报篇数": total["special_adopted"],
                "单位数": len(units),
                "未达标单位数": sum(u["below_target"] for u in units),
                "达标单位数": sum(not u["below_target"] for u in units),
                **ledger_counts(root)}
    notice_md = (root / "2023/notice.md").read_text(encoding="utf-8")
    used = {m[1].strip() for m in PLACEHOLDER.finditer(notice_md)} - {"考评结果"}
    assert {"报送信息条数", "采用条数", "市刊采用条数", "未达标单位数"} <= used <= set(expected)
    text = body_text(files["2023/annual.html"].decode())
    for para in notice_md.split("\n\n"):
        if PLACEHOLDER.search(para) and "考评结果" not in para:
            filled = PLACEHOLDER.sub(lambda m: str(expected[m[1].strip()]), para).strip()
            assert filled in text, filled
    old = sum(u["counts"]["submitted"] for u in before["units"])
    assert f"报送政务信息{old}条" not in text and f"共报送信息{old}条" not in text
    assert "{{" not in text
    # the generated paragraphs stand where {{考评结果}} is, after the office's totals
    assert text.index("全区共报送政务信息") < text.index("排名前三位") < text.index("对未达到")


def test_a_number_equal_to_a_total_does_not_hide_the_generated_totals(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/01/fgw.toml": '[[info]]\noa = "A1"\ntitle = "t"\n'
                                  'date = 2023-01-05\n', "2023/notice.md":
                                  "现将有关情况通报如下。\n\n请各单位落实以下1条要求。\n"})
    text = body_text(build_files(root)["2023/annual.html"].decode())
    assert "共报送信息1条（其中专报0篇）" in text and "落实以下1条要求" in text


TIES = {  # January only: no quarter complete, so a unit's total is its adoption points
    "2023/01/fgw.toml": [("区刊", "区刊")],        # 20
    "2023/01/gxj.toml": [("区刊",)],               # 10, tied with swj
    "2023/01/swj.toml": [("区刊",)],
    "2023/01/khz.toml": [("市刊", "区刊")],        # 30
    "2023/01/behtz.toml": [("市刊",)],             # 20
    "2023/01/kbjd.toml": [("区刊",)],              # 10, tied with lyjd
    "2023/01/lyjd.toml": [("区刊",)],
    "2023/01/gafj.toml": [("自治区刊",)],          # 30: the only one of category 4 with points
}


def adopted_items(unit: str, channels: tuple[str, ...]) -> str:
    """One item per channel, each adopted once by it."""
    out = []
    for n, by in enumerate(channels, 1):
        oa = f"{unit}-{n}"
        out.append(f'[[info]]\noa = "{oa}"\ntitle = "信息{n}"\ndate = 2023-01-05\n\n'
                   f'[[adoption]]\noa = "{oa}"\nby = "{by}"\ndate = 2023-01-10\n')
    return "\n".join(out)


def test_first_three_places_name_ties_and_never_a_whole_category(tmp_path: Path) -> None:
    files = {path: adopted_items(Path(path).stem, tuple(c for group in groups for c in group))
             for path, groups in TIES.items()}
    root = make_ledger(tmp_path, files)
    text = body_text(build_files(root)["2023/annual.html"].decode())
    [para] = [p for p in text.split("\n") if "排名前三位" in p]
    assert ("一类信息网点：第一名发改委，并列第二名工信局、商务局；"
            "二类信息网点：无总积分高于0分的单位；"
            "三类信息网点：第一名昆河镇，第二名卜尔汉图镇，并列第三名昆北街道办事处、林荫街道办事处；"
            "四类信息网点：第一名公安分局。") in para
    for zero in ("教育局", "民政局", "科技局", "前进街道办事处", "交管大队"):
        assert zero not in para


def test_empty_notice_number_reads_pending(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, months=("2023/01",))
    rules = root / "2023/rules.toml"
    text = rules.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^number = "[^"]*"', 'number = ""', text)
    text = re.sub(r"(?m)^(date|printed_on) = .*$", "", text)
    rules.write_text(text, encoding="utf-8")
    annual = build_files(root)["2023/annual.html"].decode()
    assert '<p class="doc-number">文号待定</p>' in annual
    assert '<span class="date">日期待定</span>' in annual and "印发日期待定" in annual
    assert "昆府办发〔2024〕3号" not in annual


def test_imprint_follows_the_attachments(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, months=("2023/01",))
    annual = build_files(root)["2023/annual.html"].decode()
    imprint = annual[annual.index('<footer class="imprint"'):]
    assert annual.index('id="att3"') < annual.index('<footer class="imprint"')
    assert imprint.index("</footer>") < imprint.index("</section>") < imprint.index("</article>")
    assert ('<span class="label">抄送：</span><span class="to">'
            "区委办公室，区人大常委会办公室，区政协办公室。</span>") in imprint
    assert ('<span class="by">昆都仑区人民政府办公室</span>'
            '<span class="on">2024年1月15日印发</span>') in imprint


def test_results_placeholder_places_the_generated_paragraphs(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/01/fgw.toml": '[[info]]\noa = "A1"\ntitle = "t"\n'
                                  'date = 2023-01-05\n', "2023/notice.md":
                                  "现将有关情况通报如下。\n\n全年报送{{报送信息条数}}条。\n\n"
                                  "{{ 考评结果 }}\n\n希望各单位再接再厉。\n"})
    text = body_text(build_files(root)["2023/annual.html"].decode())
    assert "{{" not in text and "共报送信息1条" not in text  # the office states the total
    assert (text.index("如下。") < text.index("全年报送1条。") < text.index("排名前三位")
            < text.index("希望各单位"))
