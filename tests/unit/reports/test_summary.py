"""The year-end summary draft: its sentences from figures built by hand (an area without
records gets no section or a prompt, never an invented figure), the templates' checks, the
same draft for the same records, the Word file read back (styles, East-Asian fonts, margins,
odd and even page numbers, the 数据来源 table), and the whole path on a demo union."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.db import Database
from app.domain.yearmonth import YearMonth
from app.services.errors import UserError
from app.services.reports import (
    Figure,
    PeriodReport,
    Section,
    SummaryParagraph,
    draft_summary,
    period_report,
    templates_folder,
    write_summary,
)
from app.services.reports.summary_docx import (
    BODY_FONT,
    CHAR_TWIPS,
    HEADING1_FONT,
    HEADING2_FONT,
    LINE_TWIPS,
    STYLE_PROMPT,
    STYLE_TITLE,
    TITLE_FONT,
    render_docx,
)
from app.services.reports.summary_text import (
    Draft,
    Templates,
    compose,
    figure_text,
    load_templates,
    yuan,
)

TODAY = date(2026, 12, 28)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fig(key: str, value: int | Decimal | None, unit: str = "人", *, ytd: int | Decimal | None = None,
        female: tuple[int, int] | None = None, migrant: tuple[int, int] | None = None, label: str = "") -> Figure:  # fmt: skip
    return Figure(
        key, label or f"标签{key}", unit, value, value if ytd is None else ytd, female, migrant,
        counts=f"统计{key}", command=f"uniondesk report records {key} --from 2026-01 --to 2026-12",
    )  # fmt: skip


def report(*figures: Figure, name: str = "红星机械厂工会") -> PeriodReport:
    return PeriodReport(
        name, YearMonth(2026, 1), YearMonth(2026, 12), "2026年", [Section("all", "全部", list(figures))]
    )


def busy_union(name: str = "红星机械厂工会") -> PeriodReport:
    """A union that worked in every area the records know (the issue's example figures)."""
    return report(
        fig("members.closing", 131, female=(60, 60), migrant=(12, 12)),
        fig("members.joined", 9),
        fig("members.transfer_out", 2),
        fig("members.deaths", 0),
        fig("dues.due", 1_200_000, "fen"),
        fig("dues.paid", 1_050_000, "fen"),
        fig("dues.rate", Decimal("87.5"), "%"),
        fig("dues.arrears", 150_000, "fen"),
        fig("care.住院.count", 7, "人次"),
        fig("care.住院.amount", 560_000, "fen"),
        fig("care.金秋助学.count", 3, "人次"),
        fig("care.金秋助学.amount", 900_000, "fen"),
        fig("care.count", 10, "人次"),
        fig("care.amount", 1_460_000, "fen"),
        fig("hardship.files", 4, "户"),
        fig("activities.held", 8, "次"),
        fig("activities.participants", 450, "人次"),
        fig("activities.kind.文体活动.held", 6, "次"),
        fig("activities.kind.文体活动.participants", 410, "人次"),
        fig("activities.kind.劳动竞赛.held", 2, "次"),
        fig("activities.kind.劳动竞赛.participants", 40, "人次"),
        fig("budget.501.spent", 2_000_000, "fen", label="职工活动支出（支出）"),
        fig("budget.budget", None, "fen", ytd=4_000_000),
        fig("budget.spent", 3_500_000, "fen"),
        fig("budget.rate", Decimal("87.5"), "%"),
        name=name,
    )


@pytest.fixture(scope="module")
def templates() -> Templates:
    return load_templates()


def draft_of(
    source: PeriodReport,
    templates: Templates,
    *,
    half: int | None = None,
    seed: str = "s",
    today: date = TODAY,
) -> Draft:
    return compose(source, year=2026, half=half, today=today, seed=seed, templates=templates)


def text_of(draft: Draft, *kinds: str) -> str:
    return "\n".join(p.text for p in draft.paragraphs if not kinds or p.kind in kinds)


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,]*(?:\.\d+)?", text))


def allowed_numbers(draft: Draft) -> set[str]:
    """What a number in the text may be: a figure used (as written in sentences), or a date."""
    allowed = {"2026", "2027", "12", "31", "28", "6", "30"}
    for figure in draft.figures:
        value = figure.period if figure.period is not None else figure.year_to_date
        if figure.unit == "fen":
            allowed |= numbers(yuan(int(value or 0)))
        else:
            allowed.add(str(value))
    return allowed


# ---------------------------------------------------------------- the text


def test_sentences_weave_count_and_sum(templates: Templates) -> None:
    draft = draft_of(busy_union(), templates)
    body = text_of(draft, "body")
    assert draft.title == "红星机械厂工会2026年工作总结"
    assert draft.paragraphs[0] == SummaryParagraph("title", draft.title)
    for words in ("9人", "131人", "7人次", "5,600元", "6次", "410人次", "87.5%", "40,000元", "35,000元",
                  "女会员60人", "农民工会员12人", "转出2人", "3人次", "9,000元", "4户",
                  "职工活动支出20,000元"):  # fmt: skip
        assert words in body, words
    # no zero is ever written: the 0 deaths do not appear
    assert "去世" not in body
    # a number is either a figure used or part of a date
    assert numbers(body) <= allowed_numbers(draft)
    # every figure used is in the appendix list once
    keys = [f.key for f in draft.figures]
    assert len(keys) == len(set(keys))
    assert {
        "members.joined",
        "care.住院.amount",
        "activities.kind.文体活动.participants",
        "budget.rate",
    } <= set(keys)
    assert "members.deaths" not in keys


def test_structure_numbering_prompts_and_signature(templates: Templates) -> None:
    draft = draft_of(busy_union(), templates)
    kinds = [p.kind for p in draft.paragraphs]
    headings1 = [p.text for p in draft.paragraphs if p.kind == "heading1"]
    assert [h[:2] for h in headings1] == ["一、", "二、", "三、", "四、", "五、"]
    assert "基本情况" in headings1[0] and "不足" in headings1[3] and "2027年" in headings1[4]
    headings2 = [p.text for p in draft.paragraphs if p.kind == "heading2"]
    assert [h[:3] for h in headings2] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    # 不足 and 打算 are prompts only: between their headings nothing but prompts (and 打算's opening line)
    start = next(n for n, p in enumerate(draft.paragraphs) if p.kind == "heading1" and "不足" in p.text)
    shortcomings = draft.paragraphs[start + 1 : kinds.index("heading1", start + 1)]
    assert shortcomings and all(p.kind == "prompt" and p.text.startswith("【请补充") for p in shortcomings)
    # 民主管理与维权: the records know nothing, so prompts
    democracy = next(n for n, p in enumerate(draft.paragraphs) if p.kind == "heading2" and "民主" in p.text)
    assert draft.paragraphs[democracy + 1].kind == "prompt"
    assert draft.paragraphs[democracy + 2].kind in ("prompt", "heading2")
    assert draft.paragraphs[-2] == SummaryParagraph("signature", "红星机械厂工会")
    assert draft.paragraphs[-1] == SummaryParagraph("date", "2026年12月28日")


def test_a_union_without_activities_gets_no_activity_section(templates: Templates) -> None:
    quiet = report(
        fig("members.closing", 40, female=(10, 10)),
        fig("members.joined", 0),
        fig("care.生日.count", 5, "人次"),
        fig("care.生日.amount", 100_000, "fen"),
        fig("care.count", 5, "人次"),
        fig("care.amount", 100_000, "fen"),
        fig("activities.held", 0, "次"),
        fig("activities.participants", 0, "人次"),
        fig("budget.budget", None, "fen", ytd=0),
        fig("budget.spent", 0, "fen"),
        fig("budget.rate", None, "%"),
    )
    draft = draft_of(quiet, templates)
    headings = [p.text for p in draft.paragraphs if p.kind in ("heading1", "heading2")]
    assert not any("文体" in h or "劳动竞赛" in h or "组织建设" in h for h in headings)
    assert any("关爱" in h or "关心" in h for h in headings)
    # the areas left out are named in one prompt; 经费 without records is a prompt
    prompts = text_of(draft, "prompt")
    assert "文体活动" in prompts and "组织建设" in prompts
    body = text_of(draft, "body")
    assert "活动" not in body.replace("各类慰问", "")
    assert "执行率" not in body and "预算" not in body
    assert numbers(body) <= allowed_numbers(draft)
    assert {f.key for f in draft.figures} >= {"members.closing", "care.生日.count"}
    assert not any(f.key.startswith(("activities", "budget")) for f in draft.figures)


def test_an_empty_year_invents_nothing(templates: Templates) -> None:
    draft = draft_of(report(fig("members.closing", 0), fig("care.count", 0, "人次")), templates)
    body = text_of(draft, "body")
    assert draft.figures == []
    assert numbers(body) <= {"2026", "2027"}
    assert "【请补充" in text_of(draft, "prompt")
    assert [p.text[:2] for p in draft.paragraphs if p.kind == "heading1"] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
    ]


def test_activities_without_a_headcount_use_the_phrasing_without_one(templates: Templates) -> None:
    draft = draft_of(report(fig("activities.held", 1, "次"), fig("activities.participants", 0, "人次"),
                            fig("activities.kind.宣传活动.held", 1, "次"),
                            fig("activities.kind.宣传活动.participants", 0, "人次")), templates)  # fmt: skip
    body = text_of(draft, "body")
    assert "宣传" in body and "人次" not in body
    assert "0" not in numbers(body)


def test_half_year_wording(templates: Templates) -> None:
    draft = draft_of(busy_union(), templates, half=1)
    assert draft.title == "红星机械厂工会2026年上半年工作总结"
    text = text_of(draft)
    assert "下半年" in text and "全年" not in text and "2027年" not in text


def test_same_records_same_draft_and_other_seeds_vary(templates: Templates) -> None:
    one = draft_of(busy_union(), templates, seed="2026|红星机械厂工会")
    again = draft_of(busy_union(), templates, seed="2026|红星机械厂工会")
    assert one.paragraphs == again.paragraphs and one.figures == again.figures
    others = {text_of(draft_of(busy_union(), templates, seed=str(n))) for n in range(6)}
    assert len(others) > 1
    # whatever the phrasing, the same figures are said
    for n in range(6):
        body = text_of(draft_of(busy_union(), templates, seed=str(n)), "body")
        assert "5,600元" in body and "410人次" in body and "87.5%" in body


def test_money_words() -> None:
    assert yuan(560_000) == "5,600元"
    assert yuan(560_050) == "5,600.50元"
    assert yuan(13_500_000) == "135,000元"  # below a million: in 元, as the sums beside it
    assert yuan(135_500_000) == "135.5万元"
    assert yuan(135_520_000) == "1,355,200元"  # not exact in tenths of 万: exact in yuan
    assert yuan(12_345_600) == "123,456元"  # not a whole hundred: kept exact in yuan
    assert figure_text(fig("x", 13_500_000, "fen")) == "135,000.00元"
    assert figure_text(fig("x", Decimal("69.6"), "%")) == "69.6%"
    assert figure_text(fig("x", 51, "人次")) == "51人次"


# ---------------------------------------------------------------- the templates


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "summary"
    shutil.copytree(templates_folder(), folder)
    return folder


def test_every_template_file_is_explained_and_has_several_phrasings(templates: Templates) -> None:
    for path in templates_folder().glob("*.txt"):
        assert path.read_text(encoding="utf-8").startswith("#"), path.name
    several = [e for e, ps in templates.files["care"].items() if len(ps) >= 2]
    assert len(several) == len(templates.files["care"])
    assert all(len(templates.phrasings("opening", "开头")) >= 2 for _ in [0])


def test_an_edited_template_is_used(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = folder / "care.txt"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\[住院\]\n(?:[^\n]+\n)+", "[住院]\n住院的会员有{人次}人次得到慰问，共{金额}。\n", text)
    path.write_text(text, encoding="utf-8")
    draft = draft_of(busy_union(), load_templates(folder))
    assert "住院的会员有7人次得到慰问，共5,600元。" in text_of(draft, "body")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("care.txt", "发放慰问金{金额}", "发放慰问金{钱数}", "不认识的占位符 {钱数}"),
        ("care.txt", "\n[住院]\n", "\n[住院治疗]\n", "没有“[住院治疗]”这个条目"),
        ("opening.txt", "现将{期间}工作情况总结如下。", "现将{期间工作情况总结如下。", "花括号不成对"),
    ],
)
def test_a_broken_template_is_reported_with_file_and_line(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = copy_templates(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UserError, match=re.escape(message)) as raised:
        load_templates(folder)
    assert file in str(raised.value) and "行" in str(raised.value)


def test_a_missing_template_file_is_reported(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "funds.txt").unlink()
    with pytest.raises(UserError, match=r"funds\.txt"):
        load_templates(folder)


# ---------------------------------------------------------------- the Word file


def write_draft(tmp_path: Path, templates: Templates) -> tuple[Path, Draft]:
    draft = draft_of(busy_union(), templates)
    out = tmp_path / "总结.docx"
    render_docx(
        out, title=draft.title, paragraphs=draft.paragraphs, figures=draft.figures,
        attachment_note=draft.attachment_note, appendix_title=draft.appendix_title,
        period_of=lambda f: "2026年", author="红星机械厂工会", appendix_note=draft.appendix_note,
    )  # fmt: skip
    return out, draft


def east_asia(element: object) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts")  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_docx_page_styles_and_fonts(tmp_path: Path, templates: Templates) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, Twips

    out, draft = write_draft(tmp_path, templates)
    document = docx.Document(str(out))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.05) and abs(section.page_height - Mm(297)) < Mm(0.05)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.05), side

    styles = document.styles
    normal = styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.twips == LINE_TWIPS  # 28.95 pt
    # two characters, each condensed so that 28 fill the 156 mm line (pdf test: tests/e2e/test_second_reader.py)
    assert normal.paragraph_format.first_line_indent == Twips(2 * CHAR_TWIPS)
    assert 28 * CHAR_TWIPS <= Mm(156).twips < 29 * CHAR_TWIPS
    for name, font, size in (("Normal", BODY_FONT, 16), (STYLE_TITLE, TITLE_FONT, 22),
                             ("Heading 1", HEADING1_FONT, 16), ("Heading 2", HEADING2_FONT, 16)):  # fmt: skip
        assert east_asia(styles[name].element) == font, name
        assert styles[name].font.size == Pt(size), name
        assert not styles[name].font.bold
    assert styles[STYLE_TITLE].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    styles_xml = out.read_bytes()
    assert styles_xml  # the file exists
    theme_fonts = [s.name for s in (normal, styles["Heading 1"], styles["Heading 2"])
                   if s.element.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsiaTheme")]  # fmt: skip
    assert theme_fonts == []

    body = [p for p in document.paragraphs if p.text]
    by_kind = {p.kind: p.text for p in draft.paragraphs}
    first = {p.text: p for p in body}
    assert first[by_kind["title"]].style.name == STYLE_TITLE
    assert first[by_kind["heading1"]].style.name == "Heading 1"
    assert first[by_kind["heading2"]].style.name == "Heading 2"
    # every run names its East-Asian font; headings 黑体 / 楷体, the rest 仿宋 or the title's
    for paragraph in body:
        for run in paragraph.runs:
            font = east_asia(run._r)
            assert font in (BODY_FONT, TITLE_FONT, HEADING1_FONT, HEADING2_FONT), paragraph.text
    assert {east_asia(r._r) for r in first[by_kind["heading1"]].runs} == {HEADING1_FONT}
    assert {east_asia(r._r) for r in first[by_kind["heading2"]].runs} == {HEADING2_FONT}
    prompt = first[by_kind["prompt"]]
    assert prompt.style.name == STYLE_PROMPT and prompt.runs[0].font.highlight_color is not None
    # issuer and date at the end, right; the draft's text in order
    texts = [p.text for p in body]
    assert texts.index("红星机械厂工会", 1) < texts.index("2026年12月28日")
    signature = body[texts.index("2026年12月28日") - 1]
    assert signature.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT or signature.style.name == "落款"
    assert [t for t in texts if t in {p.text for p in draft.paragraphs}] == [
        p.text for p in draft.paragraphs if p.text
    ]


def test_docx_page_numbers_odd_right_even_left(tmp_path: Path, templates: Templates) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out, _ = write_draft(tmp_path, templates)
    document = docx.Document(str(out))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert {r.font.size for r in paragraph.runs} == {Pt(14)}  # 4号
        assert all(east_asia(r._r) == "宋体" for r in paragraph.runs)


def test_docx_appendix_lists_every_figure(tmp_path: Path, templates: Templates) -> None:
    import docx

    out, draft = write_draft(tmp_path, templates)
    document = docx.Document(str(out))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "项目",
        "数值",
        "期间",
        "统计内容",
        "查看记录的命令",
    ]
    assert len(table.rows) == len(draft.figures) + 1
    for row, figure in zip(table.rows[1:], draft.figures, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[1:] == [figure.label, figure_text(figure), "2026年", figure.counts, figure.command]
    assert any(p.text == "附件：数据来源" for p in document.paragraphs)
    # the table is for checking at home, and the page says so, highlighted, under its title
    texts = [p.text for p in document.paragraphs]
    note = texts.index(draft.appendix_note)
    assert "报送上级时请删去本附件" in draft.appendix_note and texts[note - 1] == draft.appendix_title
    (run,) = document.paragraphs[note].runs
    assert run.font.highlight_color is not None


def test_docx_target_is_checked(tmp_path: Path, templates: Templates) -> None:
    draft = draft_of(busy_union(), templates)
    arguments = dict(title="t", paragraphs=draft.paragraphs, figures=[], attachment_note="", appendix_title="",
                     period_of=lambda f: "")  # fmt: skip
    with pytest.raises(UserError, match=r"\.docx"):
        render_docx(tmp_path / "总结.pdf", **arguments)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="不存在"):
        render_docx(tmp_path / "无此文件夹" / "总结.docx", **arguments)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- on a demo union


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_demo_db

    return make_demo_db(tmp_path_factory.mktemp("demo") / "demo.db", 80)


def test_draft_and_file_on_a_demo_union(demo: Path, tmp_path: Path) -> None:
    import docx

    from app.db import open_database

    database: Database = open_database(demo)
    try:
        with database.reader() as session:
            result = draft_summary(session, 2026, today=TODAY)
            again = draft_summary(session, 2026, today=TODAY)
            figures = period_report(session, YearMonth(2026, 1), YearMonth(2026, 12), today=TODAY)
            written = write_summary(session, 2026, None, tmp_path / "总结.docx", today=TODAY)
            edited = [
                *result.paragraphs[:1],
                SummaryParagraph("body", "秘书改写的一段。"),
                *result.paragraphs[1:],
            ]
            rewritten = write_summary(
                session, 2026, None, tmp_path / "改过.docx", today=TODAY, paragraphs=edited
            )
            with pytest.raises(UserError, match="半年"):
                draft_summary(session, 2026, 3)
    finally:
        database.close()
    assert result.path is None and result.paragraphs == again.paragraphs
    body = "\n".join(p.text for p in result.paragraphs if p.kind == "body")
    closing = figures.figure("members.closing").period
    assert f"{closing}人" in body
    care = figures.figure("care.count").period
    if care:
        assert f"{care}人次" in body and yuan(int(figures.figure("care.amount").period or 0)) in body
    held = figures.figure("activities.held").period
    if held:
        assert f"{held}次" in body
    used = {f.key: f for f in result.figures}
    for key, figure in used.items():
        if not key.startswith(("activities.kind.", "members.closing.")):
            assert figures.figure(key) == figure  # the report's own figure, unchanged
    # what came in: the dues received in the year (the report's 实缴) plus the income entered
    received = figures.figure("income.received")
    lines = [
        f
        for f in figures.section("activities").figures
        if f.key.endswith(".received") and f.key.count(".") == 2
    ]
    assert received.period == sum(int(f.period or 0) for f in lines)
    assert figures.figure("income.401.received").period == figures.figure("dues.paid").period  # 401 会费收入
    assert f"已登记的工会经费收入{yuan(int(received.period or 0))}" in body or (
        f"已登记的经费收入共{yuan(int(received.period or 0))}" in body
    )
    # the per-kind activity figures add up to the report's total
    kinds = [f for f in result.figures if f.key.startswith("activities.kind.") and f.key.endswith(".held")]
    if kinds:
        assert sum(int(f.period or 0) for f in kinds) <= int(held or 0)
    assert written.path == tmp_path / "总结.docx" and written.figures == result.figures
    document = docx.Document(str(written.path))
    assert len(document.tables[0].rows) == len(result.figures) + 1
    assert document.paragraphs[0].text == result.title
    assert rewritten.paragraphs == edited
    assert "秘书改写的一段。" in [p.text for p in docx.Document(str(tmp_path / "改过.docx")).paragraphs]


def test_docx_declares_its_chinese_fonts_with_what_to_use_where_they_are_missing(
    tmp_path: Path, templates: Templates
) -> None:
    """Windows 10/11 have 仿宋 and 楷体 but not the _GB2312 fonts the standard names: the font
    table names the one to take instead, and every Chinese font is declared GB2312."""
    import zipfile

    from lxml import etree

    out, _ = write_draft(tmp_path, templates)
    with zipfile.ZipFile(out) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
    declared = {
        font.get(f"{W}name"): {child.tag.removeprefix(W): child.get(f"{W}val") for child in font}
        for font in table.findall(f"{W}font")
    }
    assert declared[BODY_FONT]["altName"] == "仿宋" and declared[HEADING2_FONT]["altName"] == "楷体"
    assert declared[TITLE_FONT]["altName"] == "宋体"
    for name in (BODY_FONT, HEADING2_FONT, TITLE_FONT, HEADING1_FONT, "宋体"):
        assert declared[name]["charset"] == "86", name
    assert list(declared).count(BODY_FONT) == 1


def test_a_draft_made_before_the_period_ends_says_its_figures_stop_that_day(templates: Templates) -> None:
    source = report(fig("members.closing", 180))
    early = draft_of(source, templates, today=date(2026, 12, 4))
    after_opening = early.paragraphs[2]  # title, opening, then this
    assert after_opening.kind == "prompt"
    assert "2026年12月4日生成" in after_opening.text and "会费只算到已经生成应缴的月份" in after_opening.text
    # a count "as at the end" is the count of the day it was drafted, not of a day still to come
    assert "2026年12月31日" not in text_of(early)
    assert "2026年12月4日，红星机械厂工会在册会员180人" in text_of(early, "body")
    # once the year is over there is nothing to warn of, and the end is the end
    late = draft_of(source, templates, today=date(2027, 1, 8))
    assert not any("生成，文中的数字" in p.text for p in late.paragraphs)
    assert "2026年12月31日" in text_of(late, "body")
    # a half year's draft made in July is past its end (30 June)
    first_half = draft_of(source, templates, half=1, today=date(2026, 7, 3))
    assert not any("生成，文中的数字" in p.text for p in first_half.paragraphs)
    assert "2026年6月30日" in text_of(first_half, "body")
    assert any(
        "生成，文中的数字" in p.text
        for p in draft_of(source, templates, half=2, today=date(2026, 7, 3)).paragraphs
    )


def test_a_second_half_states_the_years_execution_rate_to_date(templates: Templates) -> None:
    """July to December has no 执行率 of its own (the half's spending over the year's budget
    would be none anyone reports): the draft gives the year's to date."""
    second_half = report(
        fig("budget.budget", None, "fen", ytd=4_000_000),
        fig("budget.spent", 1_500_000, "fen", ytd=3_500_000),
        fig("budget.rate", None, "%", ytd=Decimal("87.5")),
    )
    draft = draft_of(second_half, templates, half=2)
    # beside the half's own spending (15,000), said to be the year's: not 15,000 against 87.5 %
    assert "87.5%（全年累计）" in text_of(draft, "body") and "15,000元" in text_of(draft, "body")
    assert "budget.rate" in {f.key for f in draft.figures}
    # with no budget to execute there is still no rate
    none = report(
        fig("budget.budget", None, "fen", ytd=0), fig("budget.spent", 0, "fen"), fig("budget.rate", None, "%")
    )
    assert "执行率" not in text_of(draft_of(none, templates, half=2), "body")


def test_a_second_half_states_what_is_still_owed_since_january(templates: Templates) -> None:
    """截至12月31日尚有…未收缴: the first half's unpaid months are owed too; the appendix line
    (the year's to date) says the same figure."""
    second_half = report(
        fig("dues.due", 600_000, "fen", ytd=1_200_000),
        fig("dues.paid", 550_000, "fen", ytd=1_100_000),
        fig("dues.rate", Decimal("91.7"), "%", ytd=Decimal("91.7")),
        fig("dues.arrears", 40_000, "fen", ytd=52_000),
    )
    draft = draft_of(second_half, templates, half=2)
    body = text_of(draft, "body")
    assert "520元" in body and "400元" not in body
    owed = next(f for f in draft.figures if f.key == "dues.arrears")
    assert (owed.period, owed.year_to_date) == (None, 52_000)
    first_half = draft_of(second_half, templates, half=1)
    assert "400元" in text_of(first_half, "body")  # January to June: its own is the year's to date


def test_a_half_years_draft_calls_the_budget_the_years(templates: Templates) -> None:
    """The budget is the whole year's: never written as 上半年的预算, whichever wording comes up."""
    first_half = report(
        fig("budget.budget", 4_000_000, "fen"),
        fig("budget.spent", 1_500_000, "fen"),
        fig("budget.rate", Decimal("37.5"), "%"),
    )
    for seed in map(str, range(40)):
        body = text_of(draft_of(first_half, templates, half=1, seed=seed), "body")
        assert "40,000元" in body and "15,000元" in body
        assert not re.search(r"上半年[^，。]*预算[^，。]*40,000元", body), body


def test_care_over_its_caps_is_flagged_in_the_draft_and_its_appendix(templates: Templates) -> None:
    """RULES §2: a 慰问 over a cap is flagged wherever it appears — the summary sent upward too."""
    plain = draft_of(busy_union(), templates)
    assert "超过慰问标准" not in text_of(plain)
    over = [fig("care.over_cap.count", 2, "人次"), fig("care.over_cap.amount", 270_000, "fen")]
    source = busy_union()
    source.sections[0].figures.extend(over)
    explained = draft_of(source, templates)
    (flag,) = [p for p in explained.paragraphs if "超过慰问标准" in p.text]
    assert flag.kind == "prompt"
    assert "2人次（2,700元）超过慰问标准，已在慰问记录中标出并写明原因" in flag.text
    assert {"care.over_cap.count", "care.over_cap.amount"} <= {f.key for f in explained.figures}
    source.sections[0].figures.append(fig("care.over_cap.unexplained", 1, "人次"))
    waiting = text_of(draft_of(source, templates), "prompt")
    assert "2人次（2,700元）超过慰问标准，其中1人次还没有写明原因" in waiting


def test_money_paid_beyond_the_period_s_dues_is_why_due_less_paid_is_not_the_arrears(
    templates: Templates,
) -> None:
    """应收 12,000, 实收 10,500, 欠缴 1,500: they add up, and nothing more is said."""
    assert "预缴、多缴或补缴往年" not in text_of(draft_of(busy_union(), templates))
    source = busy_union()  # 100 元 of the 10,500 paid ahead or for last year: 1,600 still owed
    figures = source.sections[0].figures
    figures[[f.key for f in figures].index("dues.arrears")] = fig("dues.arrears", 160_000, "fen")
    said = text_of(draft_of(source, templates), "body")
    assert "1,600元" in said and "100元" in said and "预缴、多缴或补缴往年" in said
    # a second half's 欠缴 is the year's to date: the three figures are not one sum there
    assert "预缴、多缴或补缴往年" not in text_of(draft_of(source, templates, half=2))


def test_income_entered_is_said_as_entered_and_the_rest_is_asked_for(templates: Templates) -> None:
    without = draft_of(busy_union(), templates)
    assert "已登记" not in text_of(without) and "经费收入" in text_of(without, "prompt")
    income = [
        fig("income.401.received", 1_050_000, "fen", label="会费收入（收入）"),
        fig("income.402.received", 5_000_000, "fen", label="拨缴经费收入（收入）"),
        fig("income.received", 6_050_000, "fen"),
    ]
    draft = compose(
        busy_union(), year=2026, half=None, today=TODAY, seed="s", templates=templates, extra=income
    )
    body = text_of(draft, "body")
    assert "60,500元" in body and "会费收入10,500元、拨缴经费收入50,000元" in body
    assert "已登记" in body  # only what was entered: the draft does not call it the union's income
    assert "程序中没有登记的收入" in text_of(draft, "prompt")
    assert {"income.received", "income.401.received", "income.402.received"} <= {f.key for f in draft.figures}
