"""帮助 → 关于: version, 账套, the data, log and backup folders with their buttons, and the
licence texts of the bundled font and libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

import app
from app import __version__
from app.db import Database
from app.db_backup import FOLDER_KEY, default_folder
from app.paths import data_dir, log_dir
from app.services.system import set_setting
from app.ui import about_dialog
from app.ui.about_dialog import COMPONENTS, AboutDialog, open_folder
from app.ui.main_window import MainWindow

SPEC = Path(app.__file__).resolve().parent.parent / "packaging" / "uniondesk.spec"


def _dialog(qtbot: QtBot, db_path: Path | None, opened: list[Path] | None = None) -> AboutDialog:
    def opener(folder: Path) -> bool:
        if opened is None:
            return False
        opened.append(folder)
        return True

    dialog = AboutDialog(None, db_path, opener=opener)
    qtbot.addWidget(dialog)
    return dialog


def _texts(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.tabs.widget(0).findChildren(QLabel))


def test_shows_version_the_open_db_and_the_folders(qtbot: QtBot, db: Database, isolated_home: Path) -> None:
    dialog = _dialog(qtbot, db.path)
    shown = _texts(dialog)
    assert f"版本 {__version__}" in shown
    assert str(db.path) in shown
    assert str(data_dir()) in shown and data_dir() == isolated_home / "data"
    assert str(log_dir()) in shown and log_dir() == isolated_home / "log"
    assert str(default_folder(db.path)) in shown  # no folder chosen: the default backup folder
    assert dialog.open_backup.isEnabled()


def test_a_chosen_backup_folder_is_shown_and_a_missing_one_explained(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    usb = tmp_path / "U盘" / "备份"
    usb.mkdir(parents=True)
    with db.session() as session:
        set_setting(session, FOLDER_KEY, str(usb))
    assert str(usb) in _texts(_dialog(qtbot, db.path))
    usb.rmdir()  # the drive is unplugged
    shown = _texts(_dialog(qtbot, db.path))
    assert str(usb) in shown and "现在找不到这个文件夹" in shown and str(default_folder(db.path)) in shown


def test_without_a_db_there_is_no_backup_folder(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, None)
    assert "没有打开账套" in _texts(dialog)
    assert not dialog.open_backup.isEnabled()


def test_buttons_open_the_folders(qtbot: QtBot, db: Database) -> None:
    opened: list[Path] = []
    dialog = _dialog(qtbot, db.path, opened)
    dialog.open_data.click()
    dialog.open_log.click()
    dialog.open_backup.click()
    assert opened == [data_dir(), log_dir(), default_folder(db.path)]
    assert dialog.note.text() == ""

    failing = _dialog(qtbot, db.path, None)
    failing.open_log.click()
    assert failing.note.text() == f"无法打开文件夹，请自己打开：{log_dir()}"


def test_open_folder_makes_a_missing_folder_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    asked: list[QUrl] = []

    class Desktop:
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            asked.append(url)
            return True

    monkeypatch.setattr(about_dialog, "QDesktopServices", Desktop)
    folder = tmp_path / "还没有日志" / "log"
    assert open_folder(folder)
    assert folder.is_dir()
    assert asked == [QUrl.fromLocalFile(str(folder))]


def _licence(dialog: AboutDialog, name: str) -> str:
    row = next(i for i, component in enumerate(COMPONENTS) if component.name.startswith(name))
    dialog.components.setCurrentRow(row)
    return dialog.licence.toPlainText()


def test_font_and_qt_licences_are_shown_in_full(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, None)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.components.currentRow() == 0  # the font first
    font = dialog.licence.toPlainText()
    assert "WenQuanYi Micro Hei" in font and "文泉驿微米黑" in font
    assert "Apache License" in font and "Version 2.0, January 2004" in font
    assert "GPL-3+ with Font exception" in font and "GNU GENERAL PUBLIC LICENSE" in font
    qt = _licence(dialog, "Qt 6")
    assert "LGPL-3.0" in qt and "GNU LESSER GENERAL PUBLIC LICENSE" in qt and "Version 3, 29 June 2007" in qt
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in _licence(dialog, "Python")


def test_every_library_shows_its_version_and_licence_text(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, None)
    for row, component in enumerate(COMPONENTS):
        assert component.name in dialog.components.item(row).text()
        assert component.licence in dialog.components.item(row).text()
        text = _licence(dialog, component.name)
        assert len(text) > 300, component.name  # a licence, not the "see the website" sentence
        assert "许可证全文见" not in text, component.name
        if component.distribution is not None:
            assert any(ch.isdigit() for ch in dialog.components.item(row).text().split("\n")[0]), (
                component.name
            )
    assert dialog.components.count() == len(COMPONENTS) + 1  # and the note on the system libraries


def test_the_bundle_carries_the_metadata_the_licences_are_read_from() -> None:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    (licensed,) = [
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "LICENSED" for t in node.targets)
    ]
    assert {c.distribution for c in COMPONENTS if c.distribution} <= set(licensed)


def test_the_help_menu_opens_it_on_the_open_db(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window.about()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert window.context.db is not None
    assert dialog.db_label.text() == str(window.context.db.path)
    assert dialog.parent() is window
