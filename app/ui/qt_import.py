"""PySide6's first import, without the source scan it adds to every later import.

Importing PySide6.QtCore replaces Python's ``__import__`` with one that asks, of each module
imported from then on, whether its source mentions "PySide6" (``inspect.getsource``: the
module's file read, or in the bundle a search for a file that is not there). The answer
only matters to modules that turn on a PySide6 ``__feature__`` (snake_case names), which
nothing in this program does. Asked of the hundred-odd modules the window and the 账套
bring in, it cost about 20 ms of the start from a pip installation, which has the sources
to read. Here the question is answered from the module's name instead.
"""

from __future__ import annotations

import sys
from types import ModuleType

_QT_USERS = ("app.ui", "PySide6", "shiboken6")


def import_qt() -> None:
    """Import PySide6.QtCore (once; later calls cost nothing), its enums made the quick way
    (app.ui.qt_enums: QtCore makes 900 members as it loads), and answer PySide6's question
    about each module without reading its source."""
    from app.ui.qt_enums import install

    install()
    import PySide6.QtCore  # noqa: F401  (the import installs the question)

    feature = sys.modules.get("shibokensupport.feature")
    # another PySide6 than the ones this was written for (6.6–6.11): leave it as it is
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = uses_qt  # type: ignore[attr-defined]


def uses_qt(module: ModuleType) -> bool:
    """Whether PySide6 should follow the module's __feature__ choice: for this program's
    windows (none chooses one), not for the libraries and services beneath them."""
    return getattr(module, "__name__", "").startswith(_QT_USERS)
