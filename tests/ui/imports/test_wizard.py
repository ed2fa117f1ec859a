import sqlite3
from contextlib import closing
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
    # the longest 说明 is read whole below the table, for the chosen row
    longest = max(range(errors), key=lambda r: len(preview.table.item(r, 3).text()))
    preview.table.setCurrentCell(longest, 1)
    said = preview.table.item(longest, 3).text()
    assert (
        preview.detail.text() == f"第 {preview.table.item(longest, 0).text()} 行：{said}" and len(said) > 40
    )
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


def _large_roster(path: Path) -> Path:
    from openpyxl import Workbook

    from tests.fixtures.hostile import id_number

    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "部门"])
    for n in range(150):
        workbook.active.append([f"赵{'伟芳娜敏静丽强磊军洋'[n // 15]}{'一二三四五六七八九十甲乙丙丁戊'[n % 15]}",
                                id_number(500 + n), "新车间"])  # fmt: skip
    workbook.save(path)
    return path


def _bulk_backups(db: Database) -> list[Path]:
    from app.db_backup import KIND_BULK, default_folder, list_backups

    return [b.path for b in list_backups(default_folder(db.path), db.path.stem) if b.kind == KIND_BULK]


def _to_preview(window: MainWindow, qtbot: QtBot, source: Path) -> ImportWizard:
    window.roster.import_roster()
    wizard = window.roster.findChildren(ImportWizard)[-1]  # the newest: a closed one may linger
    wizard.file_page.load(source)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.state.plan is not None, timeout=15_000)
    return wizard


def test_a_large_imports_backup_is_made_while_the_preview_is_read(
    window: MainWindow, qtbot: QtBot, opened_db: Database, tmp_path: Path
) -> None:
    opened_db.auto_backup = True
    before = _bulk_backups(opened_db)  # e.g. the one taken before the demo was written
    source = _large_roster(tmp_path / "新车间.xlsx")
    wizard = _to_preview(window, qtbot, source)
    ahead = opened_db._ahead
    assert ahead is not None  # started as soon as the preview showed 150 new members
    wizard.reject()  # changed her mind: the backup goes too
    assert opened_db._ahead is None
    ahead.wait()
    assert _bulk_backups(opened_db) == before
    wizard = _to_preview(window, qtbot, source)
    ahead = opened_db._ahead
    assert ahead is not None
    ahead.wait()
    made = [p for p in _bulk_backups(opened_db) if p not in before]
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    wait_idle(qtbot)
    # that one, not a second taken at the write
    assert len(made) == 1 and set(_bulk_backups(opened_db)) == {*made, *before}
    with closing(sqlite3.connect(made[0])) as con:
        assert con.execute("SELECT count(*) FROM members").fetchone() == (120,)
    wizard.accept()
