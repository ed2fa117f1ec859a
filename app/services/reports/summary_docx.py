"""The summary draft as a Word file laid out as an official document (GB/T 9704-2012, RULES §8).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text block);
title 方正小标宋简体 2号 centred; body 仿宋_GB2312 3号 at a fixed 28.95 pt (22 lines to the
block), first lines indented two characters; "一、" headings 黑体, "（一）" headings
楷体_GB2312, both 3号; issuer and date at the end on the right; "— 1 —" page numbers
宋体 4号 under the text, odd pages right, even pages left (different odd and even footers).
The 数据来源 appendix follows on its own page: one row per figure used.

python-docx has no East-Asian font setter: every style and run gets ``w:eastAsia`` (and the
other slots) on its ``w:rFonts``, and the theme-font attributes are dropped, or Word and WPS
fall back to a default font (DESIGN.md, known technical facts).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.services.errors import UserError
from app.services.reports.period import Figure
from app.services.reports.summary_text import SummaryParagraph, figure_text
from app.services.saving import os_reason, save_bytes

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22, 16, 14, 9
LINE_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm text block
# Each body character condensed by 0.25 pt: 28 of them (441 pt) fit the 156 mm (442.2 pt)
# line, where 28 at their full 16 pt (448 pt) do not. A character grid would do the same
# in Word, but LibreOffice lays such a grid out far wider (16 characters to the line).
CONDENSE_TWIPS = -5
CHAR_TWIPS = BODY_PT * 20 + CONDENSE_TWIPS  # one body character's advance
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_MM = 21  # the number's line starts about 7 mm below the text block

STYLE_TITLE = "公文标题"
STYLE_PROMPT = "提示文字"
STYLE_SIGNATURE = "落款"
STYLE_TABLE = "表格文字"
STYLE_APPENDIX = "附件标识"
STYLE_IDS = {STYLE_TITLE: "DocTitle", STYLE_PROMPT: "FillInPrompt", STYLE_SIGNATURE: "Signature",
             STYLE_TABLE: "TableText", STYLE_APPENDIX: "AttachmentMark"}  # fmt: skip
HEADING_STYLES = {"heading1": ("Heading 1", HEADING1_FONT), "heading2": ("Heading 2", HEADING2_FONT)}
APPENDIX_COLUMNS = (
    ("序号", 11),
    ("项目", 28),
    ("数值", 24),
    ("期间", 16),
    ("统计内容", 35),
    ("查看记录的命令", 42),
)

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_owner: Any, font: str) -> None:
    """Name ``font`` in every slot of the rFonts under ``rpr_owner`` (a style's, a run's or
    the document defaults' element) and drop the theme fonts that would override it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_owner.find(qn("w:rPr"))
    if rpr is None:
        rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else None
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_owner.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # rFonts comes first in rPr
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def _indent_chars(paragraph_format_element: Any, chars: int) -> None:
    """A first-line indent of ``chars`` characters (w:firstLineChars, with the twips for readers that ignore it)."""
    from docx.oxml.ns import qn

    ind = paragraph_format_element.get_or_add_ind()
    ind.set(qn("w:firstLine"), str(chars * CHAR_TWIPS))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


# w:pPr's children from w:autoSpaceDE on, in the schema's order (a flag goes before its successors)
_PPR_ORDER = ("w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange")  # fmt: skip


def _flag(ppr: Any, tag: str, on: bool) -> None:
    """Set an on/off paragraph property (w:snapToGrid, w:autoSpaceDE …) on a w:pPr."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in ppr.findall(qn(tag)):
        ppr.remove(old)
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "1" if on else "0")
    ppr.insert_element_before(flag, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _character_spacing(style: Any, twips: int) -> None:
    """Condense (negative) or expand the style's characters by ``twips`` (w:spacing in w:rPr)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
    spacing.set(qn("w:val"), str(twips))


# w:rPr's children after w:spacing, in the schema's order
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                      "w:specVanish", "w:oMath")  # fmt: skip


def _paragraph_style(document: Any, name: str, font: str, size: float, *, base: str = "Normal") -> Any:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = STYLE_IDS[name]  # an ASCII id: some readers mishandle others
    style.base_style = document.styles[base]
    style.quick_style = True
    style.font.size = Pt(size)
    set_fonts(style.element, font)
    return style


def _setup_styles(document: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            set_fonts(rpr_default, BODY_FONT)
            rpr = rpr_default.find(qn("w:rPr"))
            lang = rpr.find(qn("w:lang")) if rpr is not None else None
            if lang is not None:  # as Chinese Word's own defaults: Chinese text, Western text
                # in English, whose line breaking keeps a number such as 33,000 whole (under
                # zh-CN LibreOffice splits it across two lines)
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "zh-CN")
            for size in (rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs"))) if rpr is not None else []:
                size.set(qn("w:val"), str(BODY_PT * 2))
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY_FONT)
    _character_spacing(normal, CONDENSE_TWIPS)
    body = normal.paragraph_format
    body.space_before = Pt(0)
    body.space_after = Pt(0)
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = Twips(LINE_TWIPS)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.widow_control = False
    _indent_chars(normal.element.get_or_add_pPr(), 2)
    # no extra space between Chinese and digits: a line holds 28 characters, dates read 2026年12月28日
    _flag(normal.element.get_or_add_pPr(), "w:autoSpaceDE", False)
    _flag(normal.element.get_or_add_pPr(), "w:autoSpaceDN", False)

    for style_name, font in HEADING_STYLES.values():
        heading = styles[style_name]
        rpr = heading.element.get_or_add_rPr()
        for child in list(rpr):
            if child.tag in (qn("w:color"), qn("w:b"), qn("w:bCs"), qn("w:i"), qn("w:iCs")):
                rpr.remove(child)
        heading.font.size = Pt(BODY_PT)
        heading.font.bold = False
        set_fonts(heading.element, font)
        _character_spacing(heading, CONDENSE_TWIPS)
        fmt = heading.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(LINE_TWIPS)
        fmt.keep_with_next = True
        _indent_chars(heading.element.get_or_add_pPr(), 2)

    title = _paragraph_style(document, STYLE_TITLE, TITLE_FONT, TITLE_PT)
    fmt = title.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Twips(0)
    fmt.space_after = Twips(LINE_TWIPS)  # 标题下空一行
    fmt.keep_with_next = True
    _character_spacing(title, 0)

    _paragraph_style(document, STYLE_PROMPT, BODY_FONT, BODY_PT)

    signature = _paragraph_style(document, STYLE_SIGNATURE, BODY_FONT, BODY_PT)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Twips(0)

    appendix = _paragraph_style(document, STYLE_APPENDIX, HEADING1_FONT, BODY_PT)
    appendix.paragraph_format.first_line_indent = Twips(0)
    appendix.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    cell = _paragraph_style(document, STYLE_TABLE, BODY_FONT, TABLE_PT)
    _character_spacing(cell, 0)
    fmt = cell.paragraph_format
    fmt.first_line_indent = Twips(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    _flag(cell.element.get_or_add_pPr(), "w:snapToGrid", False)  # table lines are smaller than the grid


def _run(paragraph: Any, text: str, font: str, *, size: float | None = None, highlight: bool = False) -> Any:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    run = paragraph.add_run(text)
    set_fonts(run._r, font)
    if size is not None:
        run.font.size = Pt(size)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _width(text: str) -> float:
    """Width in body characters: ASCII digits and letters are half a character."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def _page_number_footer(footer: Any, *, odd: bool) -> None:
    """The page number "— 1 —" in 宋体 4号: odd pages on the right, even pages on the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Twips(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    _flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)

    def field_char(kind: str) -> None:
        run = _run(paragraph, "", PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    _run(paragraph, "— ", PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT)
    field_char("begin")
    instruction = _run(paragraph, "", PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction._r.append(text)
    field_char("separate")
    _run(paragraph, "1", PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT)
    field_char("end")
    _run(paragraph, " —", PAGE_NUMBER_FONT, size=PAGE_NUMBER_PT)


def _setup_page(document: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_MM)
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        # the fixed line spacing gives the 22 lines; no character grid: LibreOffice lays out
        # w:type="linesAndChars" with a far wider pitch than Word (16 characters to the line)
        grid.attrib.pop(qn("w:type"), None)
        grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, odd=True)
    _page_number_footer(section.even_page_footer, odd=False)


# How each named font is declared in word/fontTable.xml: the font Word takes where it is not
# installed (Windows 10/11 have 仿宋 and 楷体 but not the _GB2312 fonts of the standard, and
# no 方正小标宋简体), its PANOSE class and the GB2312 character set, so that the text keeps the
# look the standard means instead of falling back to the default font.
FONT_DECLARATIONS: dict[str, tuple[str, str, str, str]] = {  # name: (alternative, panose, family, pitch)
    BODY_FONT: ("仿宋", "02010609030101010101", "modern", "fixed"),
    HEADING2_FONT: ("楷体", "02010609030101010101", "modern", "fixed"),
    TITLE_FONT: ("宋体", "02010600030101010101", "auto", "variable"),
    HEADING1_FONT: ("", "02010609060101010101", "modern", "fixed"),
    PAGE_NUMBER_FONT: ("", "02010600030101010101", "auto", "variable"),
}
_GB2312_CHARSET = "86"


def _declare_fonts(document: Any) -> None:
    """Declare the document's Chinese fonts in word/fontTable.xml (python-docx has no API
    for that part: its XML is rewritten)."""
    from docx.oxml.ns import qn
    from lxml import etree

    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    fonts = etree.fromstring(part.blob)
    for name, (alternative, panose, family, pitch) in FONT_DECLARATIONS.items():
        for old in fonts.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                fonts.remove(old)
        font = etree.SubElement(fonts, qn("w:font"))
        font.set(qn("w:name"), name)
        children = [("w:altName", alternative)] if alternative else []
        children += [
            ("w:panose1", panose),
            ("w:charset", _GB2312_CHARSET),
            ("w:family", family),
            ("w:pitch", pitch),
        ]
        for tag, value in children:
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _signature(document: Any, name: str, day: str) -> None:
    """署名 right, two characters in; the date under it, its first character two to the right
    of the name's (GB/T 9704 7.3.5.2, no seal); a blank line above the name."""
    from docx.shared import Twips

    name_width, date_width = _width(name), _width(day)
    name_right = max(2.0, date_width - name_width + 4.0)
    date_right = name_right + name_width - 2.0 - date_width
    first = True
    for text, right in ((name, name_right), (day, max(date_right, 0.0))):
        if not text:
            continue
        paragraph = document.add_paragraph(style=STYLE_SIGNATURE)
        paragraph.paragraph_format.right_indent = Twips(round(right * CHAR_TWIPS))
        if first:
            paragraph.paragraph_format.space_before = Twips(LINE_TWIPS)
            first = False
        _run(paragraph, text, BODY_FONT)


def _appendix(
    document: Any, title: str, note: str, figures: Sequence[Figure], period_of: Callable[[Figure], str]
) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    mark = document.add_paragraph(style=STYLE_APPENDIX)
    _run(mark, "", HEADING1_FONT).add_break(WD_BREAK.PAGE)
    _run(mark, "附件", HEADING1_FONT)
    heading = document.add_paragraph(style=STYLE_TITLE)
    _run(heading, title, TITLE_FONT)
    if note:
        _run(document.add_paragraph(style=STYLE_PROMPT), note, BODY_FONT, highlight=True)
    table = document.add_table(rows=1, cols=len(APPENDIX_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    rows = [
        [str(n), f.label, figure_text(f), period_of(f), f.counts, f.command]
        for n, f in enumerate(figures, start=1)
    ]
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            _run(cell.paragraphs[0], value, BODY_FONT)
    for index, row in enumerate(table.rows):
        for cell, (label, width) in zip(row.cells, APPENDIX_COLUMNS, strict=True):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[STYLE_TABLE]
            if index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(paragraph, label, HEADING1_FONT)
            elif label in ("序号", "数值", "期间"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for column, (_, width) in zip(table.columns, APPENDIX_COLUMNS, strict=True):
        column.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def render_docx(
    out: Path,
    *,
    title: str,
    paragraphs: Sequence[SummaryParagraph],
    figures: Sequence[Figure],
    attachment_note: str,
    appendix_title: str,
    period_of: Callable[[Figure], str],
    author: str = "",
    appendix_note: str = "",
) -> None:
    """Write the draft to ``out`` (.docx) atomically: nothing is left behind on failure."""
    import docx
    from docx.shared import Twips

    out = Path(out)
    _check_target(out)
    document = docx.Document()
    _setup_styles(document)
    _setup_page(document)
    _declare_fonts(document)
    document.core_properties.title = title
    document.core_properties.author = author or "UnionDesk"
    document.core_properties.language = "zh-CN"
    # the template's one empty paragraph goes: the title is the first line of the page
    body = document.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)

    signature, day = "", ""
    for paragraph in paragraphs:
        kind, text = paragraph.kind, paragraph.text
        if kind == "signature":
            signature = text
        elif kind == "date":
            day = text
        elif kind == "title":
            _run(document.add_paragraph(style=STYLE_TITLE), text, TITLE_FONT)
        elif kind in HEADING_STYLES:
            style_name, font = HEADING_STYLES[kind]
            _run(document.add_paragraph(style=style_name), text, font)
        elif kind == "prompt":
            _run(document.add_paragraph(style=STYLE_PROMPT), text, BODY_FONT, highlight=True)
        else:
            _run(document.add_paragraph(style="Normal"), text, BODY_FONT)
    if figures:  # 附件说明: a blank line under the text, two characters in
        note = document.add_paragraph(style="Normal")
        note.paragraph_format.space_before = Twips(LINE_TWIPS)
        _run(note, attachment_note, BODY_FONT)
    _signature(document, signature, day)
    if figures:
        _appendix(document, appendix_title, appendix_note, figures, period_of)
    _save(document, out)


def _check_target(path: Path) -> None:
    if path.suffix.lower() != ".docx":
        raise UserError(f"工作总结“{path.name}”应保存为 .docx 文件，例如 工作总结.docx")
    if path.is_dir():
        raise UserError(f"工作总结的位置“{path}”是一个文件夹，请给出文件名，例如 工作总结.docx")
    if not path.parent.is_dir():
        raise UserError(f"工作总结无法保存：文件夹“{path.parent}”不存在，请先建立这个文件夹或另选保存位置")


def _save(document: Any, path: Path) -> None:
    """Whole or not at all (``saving.save_bytes``): a full disk leaves no broken .docx."""
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        save_bytes(path, buffer.getvalue())
    except OSError as exc:
        raise UserError(f"工作总结无法写入“{path}”：{os_reason(exc)}") from exc
