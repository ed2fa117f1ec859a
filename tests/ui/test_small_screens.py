"""Dialogs on a small screen: no larger than the screen, their buttons in view."""

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.ui.dialog_parts import resize_within_screen
from app.ui.main_window import MainWindow


def test_a_dialog_asked_larger_than_the_screen_fits_it(qtbot: QtBot) -> None:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    room = screen.availableGeometry()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    resize_within_screen(dialog, room.width() + 500, room.height() + 300)
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    resize_within_screen(dialog, 300, 200)  # a small one keeps its size
    assert (dialog.width(), dialog.height()) == (300, 200)


def test_the_care_record_dialog_scrolls_rather_than_push_its_buttons_off(window: MainWindow) -> None:
    window.show_page("慰问帮扶")
    dialog = window.care.add_record()
    assert dialog is not None
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height()
    assert dialog.minimumSizeHint().height() < 300  # its form scrolls
    dialog.reject()
