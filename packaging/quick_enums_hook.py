# PyInstaller runtime hook (packaging/uniondesk.spec): runs before any other code of the
# bundle, and so before PyInstaller's own PySide6 hook, which imports PySide6.QtCore to set
# up Qt's paths. QtCore makes some 900 enum members as it loads (QLocale's languages,
# countries and scripts among them): from here on they are made the quick way, as every
# later PySide6 enum is (app/ui/qt_enums.py; the window's own install is then a no-op).
from app.ui.qt_enums import install

install()
