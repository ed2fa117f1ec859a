"""The Qt binding must not consume references to None/True/False.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call to a Qt method
that returns nothing, and one to True on every emit; after enough calls the interpreter
aborts ("deallocating None"). pyproject.toml keeps that version out; this test notices if a
future one brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    flag = Signal(bool)


def test_calls_and_emits_keep_the_singletons_references(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    received: list[bool] = []
    emitter.flag.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("会费")
        emitter.flag.emit(True)
    received.clear()
    # A few references may come and go elsewhere; a leak would show as -2000.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
