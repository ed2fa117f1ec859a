"""Words for occasions in the GUI: the import wizard asks the words nothing recognises, with the
rows they are on; answered ones import and are remembered, unanswered ones stay error rows,
and the same file again asks nothing. The 慰问事由用语 dialog adds, changes and removes the
union's own words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import open_database
from app.models import CareRecord, CareWord
from app.ui.care.words_dialog import WORDS, CareWordsDialog
from app.ui.imports.wizard import PREVIEW, QUESTIONS, ImportWizard
from app.ui.main_window import MainWindow
from tests.ui.care.test_care_page import care_window, one_member_union
from tests.ui.conftest import wait_idle
from tests.unit.dues.import_support import id_number, write_xlsx

YEAR = date.today().year - 1


def register(tmp_path: Path) -> Path:
    """Rows 2–5: 看望 (twice), 外婆去世, and 添丁, which the program knows."""
    person = ["张伟", id_number(1)]
    return write_xlsx(tmp_path / "登记.xlsx", [
        ["日期", "姓名", "身份证号", "慰问事由", "慰问金"],
        ["3月2日", *person, "看望", 500],
        ["4月9日", *person, "外婆去世", 800],
        ["5月20日", *person, "添丁", 600],
        ["6月1日", *person, "看望", 300],
    ])  # fmt: skip


def open_wizard(qtbot: QtBot, window: MainWindow, path: Path) -> ImportWizard:
    page = window.care
    page.year.setValue(YEAR)
    wizard = page.import_register()
    assert wizard is not None
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    wizard.next()
    assert wizard.mapping_page.isComplete()
    wizard.next()  # the rows are checked, then the wizard goes on by itself
    qtbot.waitUntil(lambda: wizard.currentId() in (QUESTIONS, PREVIEW), timeout=15_000)
    return wizard


def preview_shown(qtbot: QtBot, wizard: ImportWizard) -> str:
    qtbot.waitUntil(
        lambda: wizard.currentId() == PREVIEW and wizard.preview_page.state.plan is not None, timeout=15_000
    )
    return wizard.preview_page.counts.text()


def test_the_wizard_asks_unknown_words_and_remembers_the_answers(qtbot: QtBot, tmp_path: Path) -> None:
    path = one_member_union(tmp_path)
    sheet = register(tmp_path)
    window = care_window(qtbot, path)
    wizard = open_wizard(qtbot, window, sheet)
    assert wizard.currentId() == QUESTIONS
    questions = wizard.questions_page
    assert questions.title() == "第 3 步：说明不认识的写法"
    shown = [[questions.table.item(r, c).text() for c in range(3)] for r in range(questions.table.rowCount())]
    assert shown == [["看望", "慰问事由", "第 2、5 行"], ["外婆去世", "慰问事由", "第 3 行"]]
    seen, died = questions.choices
    assert seen.currentText() == "（不说明）" and seen.count() == 14  # 13 occasions
    seen.setCurrentIndex(seen.findData("住院"))
    wizard.next()  # 外婆去世 not answered: its row stays an error
    counts = preview_shown(qtbot, wizard)
    assert wizard.preview_page.title() == "第 4 步：预览"
    assert "新增 3 行" in counts and "有错误 1 行" in counts and "“外婆去世”" in counts
    assert "将记住慰问事由的写法：“看望”指住院" in counts
    error_row = [wizard.preview_page.table.item(0, c).text() for c in (0, 3)]
    assert error_row[0] == "3" and "不认识的慰问事由“外婆去世”" in error_row[1]
    assert not wizard.preview_page.isComplete()
    wizard.back()
    assert wizard.currentId() == QUESTIONS
    died.setCurrentIndex(died.findData("直系亲属去世"))
    detail = questions.details[1]
    assert "父亲" in [detail.itemText(i) for i in range(detail.count())]  # the 细分 offered for it
    detail.setCurrentText("外祖母")
    wizard.next()
    counts = preview_shown(qtbot, wizard)
    assert "新增 4 行" in counts and "有错误 0 行" in counts
    assert wizard.preview_page.isComplete()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    assert (
        wizard.result_page.title() == "第 5 步：完成"
        and "已新增 4 条慰问记录" in wizard.result_page.summary.text()
    )
    wizard.accept()
    wait_idle(qtbot)
    db = open_database(path)
    try:
        with db.reader() as session:
            kept = {(w.word, w.occasion, w.variant) for w in session.scalars(select(CareWord))}
            occasions = list(
                session.execute(select(CareRecord.occasion, CareRecord.variant).order_by(CareRecord.day))
            )
    finally:
        db.close()
    assert kept == {("看望", "住院", ""), ("外婆去世", "直系亲属去世", "外祖母")}
    assert [tuple(o) for o in occasions] == [
        ("住院", ""),
        ("直系亲属去世", "外祖母"),
        ("生育", ""),
        ("住院", ""),
    ]
    again = open_wizard(qtbot, window, sheet)  # the same file: nothing to ask, nothing new
    assert again.currentId() == PREVIEW and again.preview_page.title() == "第 3 步：预览"
    assert "无变化 4 行" in preview_shown(qtbot, again)
    again.reject()


def test_the_words_table_is_the_models() -> None:
    assert CareWord.__tablename__ == WORDS


def test_the_words_dialog_adds_changes_and_removes_own_words(qtbot: QtBot, tmp_path: Path) -> None:
    window = care_window(qtbot, one_member_union(tmp_path))
    dialog = CareWordsDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.total_count > 0, timeout=10_000)
    shipped = dialog.model.total_count
    assert "本单位的 0 种" in dialog.counts.text()

    def row(word: str) -> tuple[str, str, str, str]:
        position = dialog.model.position_of(word)
        assert position is not None
        info = dialog.model.row_at(position)
        return info.occasion.value, info.variant, info.source, info.replaces

    dialog.word.setText("病号问候")
    dialog.occasion.setCurrentIndex(dialog.occasion.findData("住院"))
    dialog.variant.setCurrentText("手术")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.model.total_count == shipped + 1, timeout=10_000)
    assert row("病号问候") == ("住院", "手术", "本单位", "")
    assert dialog.table.current_row().word == "病号问候" and dialog.remove_button.isEnabled()
    assert "已保存：“病号问候”指住院（手术）" in dialog.outcome.text()
    dialog.table.select_id("添丁")  # a shipped word: changed in its place, not removable
    dialog._fill_from_selection()
    assert dialog.word.text() == "添丁" and dialog.occasion.currentData() == "生育"
    assert not dialog.remove_button.isEnabled() and not dialog.remove(ask=lambda *_: True)
    dialog.occasion.setCurrentIndex(dialog.occasion.findData("其他"))
    dialog.save()
    qtbot.waitUntil(lambda: row("添丁")[0] == "其他", timeout=10_000)
    assert row("添丁") == ("其他", "", "本单位", "生育") and dialog.model.total_count == shipped + 1
    dialog.own_only.setChecked(True)
    assert dialog.model.rowCount() == 2
    dialog.own_only.setChecked(False)
    dialog.word.setText("住院")  # an occasion's own name means itself
    dialog.occasion.setCurrentIndex(dialog.occasion.findData("结婚"))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "事由本身的名称" in dialog.error.text()
    asked: list[str] = []
    dialog.table.select_id("添丁")
    assert dialog.remove(ask=lambda _title, text: asked.append(text) or True)
    assert "按程序自带的意思认读：指生育" in asked[0]
    qtbot.waitUntil(lambda: row("添丁")[2] == "程序自带", timeout=10_000)
    dialog.table.select_id("病号问候")
    assert dialog.remove(ask=lambda *_: True)
    qtbot.waitUntil(lambda: dialog.model.total_count == shipped, timeout=10_000)
    wait_idle(qtbot)
    assert window.context.db is not None
    with window.context.db.reader() as session:
        assert list(session.scalars(select(CareWord))) == []
