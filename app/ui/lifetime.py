"""Results that come back after their widget is gone (the window or dialog closed while a
read or write was under way) are dropped instead of touching deleted Qt objects."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject


def alive(obj: QObject) -> bool:
    """Whether the Qt object behind ``obj`` still exists."""
    return bool(shiboken6.isValid(obj))
