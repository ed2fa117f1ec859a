"""Where UnionDesk keeps its files: one module wraps platformdirs and the resources folder.

``UNIONDESK_HOME`` moves every user folder under one directory — tests use it, and it
gives a portable install (e.g. a USB stick) for free.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app import APP_NAME

_APP_AUTHOR = "UnionDesk"


def _home_override() -> Path | None:
    value = os.environ.get("UNIONDESK_HOME")
    return Path(value) if value else None


def _platform_dir(kind: str) -> Path:
    override = _home_override()
    if override is not None:
        return override / kind
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_NAME, _APP_AUTHOR))
    if kind == "log":
        return Path(platformdirs.user_log_dir(APP_NAME, _APP_AUTHOR))
    return Path(platformdirs.user_data_dir(APP_NAME, _APP_AUTHOR))


def data_dir() -> Path:
    return _platform_dir("data")


def config_dir() -> Path:
    return _platform_dir("config")


def log_dir() -> Path:
    return _platform_dir("log")


def default_db_path() -> Path:
    """The default 账套: ``union.db`` in the user data folder."""
    return data_dir() / "union.db"


def _resource_candidates() -> list[Path]:
    """Where the resources may be, most specific first.

    A wheel carries ``resources/`` inside the package (``app/resources``); a checkout,
    editable install included, keeps it at the top of the repository beside ``app/``;
    a PyInstaller bundle unpacks it under ``sys._MEIPASS``.
    """
    package = Path(__file__).resolve().parent
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        candidates += [Path(frozen_root) / "resources", Path(frozen_root) / "app" / "resources"]
    candidates.append(package / "resources")
    if (package.parent / "pyproject.toml").is_file():
        candidates.append(package.parent / "resources")
    return candidates


def resources_dir() -> Path:
    """The resources folder, whether installed from a wheel, run from a checkout, or frozen by PyInstaller."""
    candidates = _resource_candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"程序资源缺失：{path}（请重新安装 UnionDesk）")
    return path
