"""报表 → 工作总结: the draft in the rich-text editor (title centred and bold, headings bold, body
indented, the 【请补充：…】 prompts highlighted), the secretary's edits mapped back to paragraphs
and into the saved .docx, the 数据来源 beneath, and no edited draft lost without asking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextBlock, QTextCursor
from pytestqt.qtbot import QtBot

from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.reports.records_dialog import RecordsDialog
from app.ui.reports.summary_editor import PROMPT, SummaryEditor, SummaryTab
from tests.ui.conftest import open_window, wait_idle
from tests.ui.reports.test_report_page import YEAR, ReportUnion, build

SAMPLE = [
    ("title", "测试工会2025年工作总结"),
    ("body", "2025年，测试工会围绕服务职工开展工作。"),
    ("heading1", "一、基本情况"),
    ("body", "全年新发展会员2人，会员总数达3人。【请补充：会员结构的变化】"),
    ("heading2", "（一）组织建设"),
    ("prompt", "【请补充：职代会召开次数、审议事项】"),
    ("signature", "测试工会"),
    ("date", "2026年1月8日"),
]


def block(editor: SummaryEditor, number: int) -> QTextBlock:
    found = editor.document().findBlockByNumber(number)
    assert found.isValid()
    return found


def bold(found: QTextBlock) -> bool:
    return found.begin().fragment().charFormat().fontWeight() >= QFont.Weight.Bold


def replace_text(editor: SummaryEditor, number: int, text: str) -> None:
    """Type ``text`` over block ``number``, as the secretary would."""
    cursor = QTextCursor(block(editor, number))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)


def test_the_editor_shows_each_kind_and_highlights_the_prompts(qtbot: QtBot) -> None:
    editor = SummaryEditor()
    qtbot.addWidget(editor)
    editor.set_paragraphs(SAMPLE)
    assert editor.document().blockCount() == len(SAMPLE)
    assert not editor.is_edited()
    title, opening, heading, basics, subheading, prompt, signature, day = (block(editor, n) for n in range(8))
    assert title.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter and bold(title)
    assert bold(heading) and bold(subheading) and not bold(opening)
    assert heading.blockFormat().textIndent() == 0
    assert opening.blockFormat().textIndent() > 0 and prompt.blockFormat().textIndent() > 0
    assert basics.blockFormat().textIndent() == opening.blockFormat().textIndent()
    assert signature.blockFormat().alignment() & Qt.AlignmentFlag.AlignRight
    assert day.blockFormat().alignment() & Qt.AlignmentFlag.AlignRight
    # the prompts, and only they, on the yellow ground — also one inside a body paragraph
    highlighted = {(n, start, length) for n, start, length in editor.prompt_ranges()}
    expected = {
        (n, m.start(), m.end() - m.start())
        for n, (_, text) in enumerate(SAMPLE)
        for m in PROMPT.finditer(text)
    }
    assert highlighted == expected and len(expected) == 2
    assert editor.edited_paragraphs() == SAMPLE

    # the secretary answers the prompt, adds a paragraph after the opening, empties the date
    replace_text(editor, 5, "全年召开职代会2次，审议通过集体合同。")
    cursor = QTextCursor(block(editor, 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertBlock()
    cursor.insertText("工会坚持以职工为中心。")
    replace_text(editor, 8, "")
    assert editor.is_edited()
    assert (
        editor.edited_paragraphs()
        == [
            SAMPLE[0],
            SAMPLE[1],
            ("body", "工会坚持以职工为中心。"),  # the new paragraph took the opening's kind
            *SAMPLE[2:5],
            ("body", "全年召开职代会2次，审议通过集体合同。"),  # an answered prompt is body text
            SAMPLE[6],
        ]
    )
    assert [n for n, _, _ in editor.prompt_ranges()] == [4]  # the body's prompt is left
    assert block(editor, 2).blockFormat().textIndent() > 0


@pytest.fixture
def summary_window(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, ReportUnion]]:
    union = build(tmp_path / "summary.db")
    window = open_window(qtbot, union.path)
    window.show_page("报表")
    window.reports.tabs.setCurrentWidget(window.reports.summary)
    wait_idle(qtbot)
    yield window, union
    wait_idle(qtbot)
    window.reports.summary.editor.document().setModified(False)  # nothing to ask about on close


def draft(qtbot: QtBot, tab: SummaryTab, **kwargs: object) -> None:
    with qtbot.waitSignal(tab.drafted, timeout=15_000):
        assert tab.draft(**kwargs)  # type: ignore[arg-type]
    wait_idle(qtbot)


def test_draft_edit_and_save_as_word(summary_window: tuple[MainWindow, ReportUnion], qtbot: QtBot,
                                     tmp_path: Path) -> None:  # fmt: skip
    from docx import Document

    from app.services.reports import draft_summary

    window, _union = summary_window
    tab = window.reports.summary
    tab.year.setValue(YEAR)
    tab.half.setCurrentIndex(0)  # 全年
    draft(qtbot, tab)
    assert window.context.db is not None
    with window.context.db.reader() as session:
        expected = draft_summary(session, YEAR)
    editor = tab.editor
    # the draft as the service wrote it, one block per paragraph, in its kinds
    assert editor.edited_paragraphs() == [(p.kind, p.text) for p in expected.paragraphs]
    title = block(editor, 0)
    assert title.text() == f"测试工会{YEAR}年工作总结" == expected.title
    assert title.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter and bold(title)
    prompts = [p.text for p in expected.paragraphs if p.kind == "prompt"]
    assert prompts and len(editor.prompt_ranges()) >= len(prompts)
    assert "需要您补充" in tab.outcome.text()
    # 数据来源: every figure the sentences use
    model = tab.sources_model
    assert model.rowCount() == len(expected.figures) > 0
    assert [model.row_at(i).item for i in range(model.rowCount())] == [f.label for f in expected.figures]
    items = {model.row_at(i).item: model.row_at(i) for i in range(model.rowCount())}
    closing = next(f for f in expected.figures if f.key == "members.closing")
    assert items[closing.label].value == "3人" and items[closing.label].period == f"{YEAR}年"
    # a double click on a line lists the records behind its figure, which add up to it
    line = model.position_of(items[closing.label].id)
    assert line is not None
    column = model.column_index("records")
    assert model.index(line, column).data() == "双击查看"
    tab.sources.doubleClicked.emit(tab.sources.proxy.mapFromSource(model.index(line, column)))
    dialog = tab.findChild(RecordsDialog)
    assert dialog is not None and dialog.key == "members.closing" and not dialog.year_to_date
    qtbot.waitUntil(lambda: dialog.records is not None or dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert dialog.records is not None and dialog.records.value == closing.period == 3
    assert "与报表一致" in dialog.status.text()
    dialog.close()
    # no command line on screen: every line either lists its records or says it has none
    shown = {model.index(i, column).data() for i in range(model.rowCount())}
    assert shown <= {"双击查看", "—"} and "双击查看" in shown

    # she fills one prompt and corrects a sentence
    numbers = {block(editor, n).text(): n for n in range(editor.document().blockCount())}
    shortfall = next(t for t in prompts if "不足" in t)
    replace_text(editor, numbers[shortfall], "个别车间会费收缴不够及时。")
    opening = next(p.text for p in expected.paragraphs if p.kind == "body")
    replace_text(editor, numbers[opening], opening + "工会干部认真履职。")
    assert tab.confirm_discard(lambda _t, _x: False) is False  # an edited draft is not dropped silently
    out = tmp_path / "总结.docx"
    assert tab.save_docx(out)
    qtbot.waitUntil(lambda: tab.saved_to == out, timeout=15_000)
    assert not editor.is_edited()
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "个别车间会费收缴不够及时。" in texts
    assert opening + "工会干部认真履职。" in texts
    assert shortfall not in texts
    assert texts.count(expected.title) == 1
    assert any("数据来源" in t for t in texts)


def test_an_edited_draft_is_replaced_only_when_she_agrees(
    summary_window: tuple[MainWindow, ReportUnion], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _union = summary_window
    tab = window.reports.summary
    tab.year.setValue(YEAR)

    def never(_title: str, _text: str) -> bool:
        raise AssertionError("nothing was edited: no question")

    draft(qtbot, tab, ask=never)
    draft(qtbot, tab, ask=never)  # a draft not edited is replaced without asking
    replace_text(tab.editor, 1, "我改过的开头。")
    asked: list[str] = []

    def refuse(title: str, _text: str) -> bool:
        asked.append(title)
        return False

    assert not tab.draft(ask=refuse)
    assert asked and block(tab.editor, 1).text() == "我改过的开头。"
    # the window keeps it too: closing asks, and stays open on 报表 → 工作总结 when refused
    monkeypatch.setattr(tab, "_ask", refuse)
    window.show_page("首页")
    window.close()
    assert window.isVisible() and window.stack.currentWidget() is window.reports
    assert window.reports.tabs.currentWidget() is tab
    draft(qtbot, tab, ask=lambda _t, _x: True)
    assert block(tab.editor, 1).text() != "我改过的开头。" and not tab.editor.is_edited()
    # the half-year draft is titled so
    tab.half.setCurrentIndex(tab.half.findText("上半年"))
    draft(qtbot, tab)
    assert block(tab.editor, 0).text() == f"测试工会{YEAR}年上半年工作总结"


def test_without_a_book_nothing_is_drafted(qtbot: QtBot) -> None:
    tab = SummaryTab(AppContext())
    qtbot.addWidget(tab)
    assert not tab.draft_button.isEnabled() and not tab.save_button.isEnabled()
    assert not tab.draft() and not tab.save_docx(Path("x.docx"))
