"""Window geometry, recent files and column layout, kept in an ini file in the config folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.paths import config_dir

MAX_RECENT = 8


def ui_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "uniondesk.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[Path]:
    value = ui_settings().value("recent_files", [])
    # QSettings gives back a bare string when the list held a single entry.
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [Path(str(p)) for p in items if p]


def remember_recent(path: Path) -> list[Path]:
    items = [p for p in recent_files() if p != path]
    items.insert(0, path)
    items = items[:MAX_RECENT]
    ui_settings().setValue("recent_files", [str(p) for p in items])
    return items


def forget_recent(path: Path) -> None:
    ui_settings().setValue("recent_files", [str(p) for p in recent_files() if p != path])


def _header_key(table: str) -> str:
    return f"{table}/header_state"


def header_state(table: str) -> QByteArray | None:
    """The saved QHeaderView state of the list called ``table`` (column order, widths,
    hidden columns, sort), or None when nothing was saved."""
    state = ui_settings().value(_header_key(table))
    return state if isinstance(state, QByteArray) and not state.isEmpty() else None


def save_header_state(table: str, state: QByteArray) -> None:
    ui_settings().setValue(_header_key(table), state)


def _splitter_key(name: str) -> str:
    return f"{name}/splitter_state"


def splitter_state(name: str) -> QByteArray | None:
    """Where the user left the handles of the splitter called ``name``, or None."""
    state = ui_settings().value(_splitter_key(name))
    return state if isinstance(state, QByteArray) and not state.isEmpty() else None


def save_splitter_state(name: str, state: QByteArray) -> None:
    ui_settings().setValue(_splitter_key(name), state)
