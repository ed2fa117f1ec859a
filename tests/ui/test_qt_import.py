"""PySide6's question about each imported module is answered without reading its source; its
enums are made the quick way from the first import on."""

from __future__ import annotations

import enum
import inspect
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.ui import qt_enums
from app.ui.qt_import import import_qt, uses_qt


def test_a_module_imported_after_qt_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_qt()
    read: list[object] = []
    original = inspect.getsource

    def getsource(target: object) -> str:
        read.append(target)
        return original(target)  # type: ignore[arg-type]

    monkeypatch.setattr(inspect, "getsource", getsource)
    (tmp_path / "module_after_qt.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "module_after_qt", raising=False)

    imported = __import__("module_after_qt")  # as an import statement does: PySide6 hooks __import__

    assert imported.VALUE == 1
    assert read == []


def test_only_the_windows_are_said_to_use_qt() -> None:
    assert uses_qt(ModuleType("app.ui.main_window"))
    assert uses_qt(ModuleType("PySide6.QtWidgets"))
    assert not uses_qt(ModuleType("app.services.care.importer"))
    assert not uses_qt(ModuleType("sqlalchemy.orm"))


def test_the_first_import_makes_qt_s_enums_the_quick_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enum.EnumType, "__call__", qt_enums._stock_call)
    assert not qt_enums.installed()
    import_qt()
    assert qt_enums.installed() == (sys.version_info[:2] <= (3, 13))
