from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.models import Member
from app.ui.imports.wizard import ImportWizard
from app.ui.main_window import MainWindow
from tests.conftest import MessyRosters
from tests.fixtures.rosters import MESSY_XLSX
from tests.ui.conftest import wait_idle


def test_wizard_file_columns_preview_import(
    window: MainWindow, qtbot: QtBot, opened_db: Database, messy_rosters: MessyRosters
) -> None:
    fixture, truth = messy_rosters[MESSY_XLSX].path, messy_rosters[MESSY_XLSX].truth
    headers, new, errors = truth["headers"], len(truth["valid"]), len(truth["must_report"])
    before = window.roster.model.total_count
    window.roster.import_roster()
    wizard = window.roster.findChild(ImportWizard)
    assert wizard is not None
    wizard.file_page.load(fixture)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    assert f"表头在第 {truth['header_row']} 行" in wizard.file_page.status.text()
    wizard.next()
    mapping = wizard.mapping_page
    labels = {
        mapping.table.item(r, 0).text(): mapping._combos[r].currentText()
        for r in range(mapping.table.rowCount())
    }
    assert labels[headers["id_number"]] == "身份证号" and labels[headers["group"]] == "分组"
    assert labels[headers["wage"]] == "月工资"
    assert mapping.isComplete()
    name_row = next(
        r for r in range(mapping.table.rowCount()) if mapping.table.item(r, 0).text() == headers["name"]
    )
    mapping._combos[name_row].setCurrentIndex(0)  # no 姓名: cannot go on
    assert not mapping.isComplete() and "姓名" in mapping.warning.text()
    mapping._combos[name_row].setCurrentIndex(mapping._combos[name_row].findData("name"))
    wizard.next()
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.state.plan is not None, timeout=15_000)
    assert f"新增 {new} 人" in preview.counts.text() and f"有错误 {errors} 行" in preview.counts.text()
    assert not preview.isComplete()  # errors, and not told to skip them
    assert preview.table.rowCount() == errors  # showing the rows with errors
    preview.skip_invalid.setChecked(True)
    assert preview.isComplete()
    announced: list[tuple[object, object]] = []
    window.context.changed.connect(lambda changes, initiator: announced.append((changes, initiator)))
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    wait_idle(qtbot)
    # one announcement, derived from what the import wrote, naming the wizard as its initiator
    assert len(announced) == 1
    changes, initiator = announced[0]
    assert changes.touches("members") and changes.touches("groups") and initiator is wizard
    assert not changes.touches("union_profile")
    assert f"已新增 {new} 名会员" in wizard.result_page.summary.text()
    wizard.accept()
    qtbot.waitUntil(lambda: window.roster.model.total_count == before + new, timeout=10_000)
    with opened_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == before + new


def test_export_from_the_roster_page(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "导出.xlsx"
    shown: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.roster.female.setChecked(True)
    women = window.roster.proxy.rowCount()
    window.roster.export_roster(mask=True)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert f"已导出 {women} 名会员" in shown[0]
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    headers = [c.value for c in sheet[3]]
    ids = [row[headers.index("身份证号")].value for row in sheet.iter_rows(min_row=4)]
    assert len(ids) == women and all("********" in i for i in ids)
    genders = {row[headers.index("性别")].value for row in sheet.iter_rows(min_row=4)}
    assert genders == {"女"}
