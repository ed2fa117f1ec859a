"""帮助 → 关于: the version, the open 账套, the folders the program keeps its files in (each
with a button that opens it), and the licences of the font and libraries the program ships
with, each readable in full on the 许可证 tab."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QIcon, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, __version__
from app.ui.dialog_parts import close_buttons, resize_within_screen

QT_NOTICE = (
    "本程序的窗口界面使用 Qt 6（The Qt Company Ltd. 及其他贡献者）和 PySide6 / Shiboken6"
    "（Qt for Python），按 GNU 宽通用公共许可证第 3 版（LGPL-3.0）使用。\n\n"
    "这些库以独立的动态链接库的形式放在程序文件夹里（_internal 文件夹中的 Qt6*、PySide6、"
    "shiboken6 文件），没有被改动；您可以用自己编译的兼容版本替换它们。\n"
    "Qt 的源代码：https://download.qt.io/official_releases/qt/\n"
    "PySide6 的源代码：https://code.qt.io/cgit/pyside/pyside-setup.git/\n\n"
    "下面是 LGPL-3.0 的全文，以及它所补充的 GNU 通用公共许可证第 3 版（GPL-3.0）的全文。\n"
)

FONT_NOTICE = (
    "打印和导出 PDF 时，程序把文泉驿微米黑（WenQuanYi Micro Hei）的子集嵌入文件中。"
    "这款字体可以按 Apache 许可证 2.0 版使用，也可以按附带字体嵌入例外的 GPL-3.0（或更新版本）使用。"
    "下面依次是字体的版权说明、Apache 许可证 2.0 版的全文和 GPL-3.0 的全文。\n"
)

OTHERS_NOTICE = (
    "随程序一起分发的其他系统库（例如 SQLite、OpenSSL、ICU、GLib、FreeType、HarfBuzz）"
    "各按其自己的许可证发布；它们都以独立的动态链接库的形式放在程序文件夹里。\n"
)


@dataclass(frozen=True)
class Component:
    """A font or library the program ships with."""

    name: str
    licence: str  # its licence, as the list shows it
    purpose: str
    distribution: str | None = None  # the Python package whose metadata has its version and licence files
    kind: str = "package"  # "font", "qt" and "python" have their texts found their own way


COMPONENTS = (
    Component(
        "文泉驿微米黑（WenQuanYi Micro Hei）",
        "Apache-2.0 或 GPL-3.0+（附字体例外）",
        "PDF 中的中文字体",
        kind="font",
    ),
    Component("Qt 6 与 PySide6（Qt for Python）", "LGPL-3.0", "窗口界面", "pyside6-essentials", kind="qt"),
    Component("Python", "PSF-2.0", "程序的运行环境", kind="python"),
    Component("SQLAlchemy", "MIT", "读写账套", "sqlalchemy"),
    Component("Alembic", "MIT", "升级账套", "alembic"),
    Component("Mako", "MIT", "Alembic 使用", "mako"),
    Component("MarkupSafe", "BSD-3-Clause", "Mako 使用", "markupsafe"),
    Component("typing_extensions", "PSF-2.0", "SQLAlchemy 使用", "typing-extensions"),
    Component("platformdirs", "MIT", "数据文件夹的位置", "platformdirs"),
    Component("python-calamine", "MIT", "读取 Excel 文件", "python-calamine"),
    Component("openpyxl", "MIT", "写出 Excel 文件", "openpyxl"),
    Component("et_xmlfile", "MIT", "openpyxl 使用", "et-xmlfile"),
    Component("defusedxml", "PSF-2.0", "安全地读取 XML", "defusedxml"),
    Component("ReportLab", "BSD", "生成 PDF", "reportlab"),
    Component("Pillow", "MIT-CMU", "ReportLab 使用的图像处理", "pillow"),
    Component("charset-normalizer", "MIT", "ReportLab 使用", "charset-normalizer"),
    Component("python-docx", "MIT", "生成 Word 文档", "python-docx"),
    Component("lxml", "BSD-3-Clause", "python-docx 使用", "lxml"),
    Component("pypdfium2（PDFium）", "Apache-2.0 或 BSD-3-Clause", "打印预览", "pypdfium2"),
)


# -- the folders -------------------------------------------------------------------------------
def backup_folder(db_path: Path | None) -> tuple[Path | None, str]:
    """Where the 账套's backups go, and a note when the folder set for it cannot be found
    (a USB drive not plugged in: backups then go to the default folder)."""
    if db_path is None:
        return None, ""
    from app.db_backup import configured_folder, default_folder

    default = default_folder(db_path)
    chosen = configured_folder(db_path)
    if chosen is None or chosen == default:
        return default, ""
    if chosen.is_dir():
        return chosen, ""
    return chosen, f"现在找不到这个文件夹（U 盘没有插好？），这期间的备份保存在“{default}”"


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the file manager, making it first (no log written yet, say)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


# -- the licences ------------------------------------------------------------------------------
def version_of(component: Component) -> str:
    if component.kind == "font":
        return "0.2.0-beta"
    if component.kind == "python":
        return ".".join(map(str, sys.version_info[:3]))
    if component.distribution is None:
        return ""
    try:
        version = metadata.version(component.distribution)
    except metadata.PackageNotFoundError:
        return ""
    if component.kind == "qt":
        from PySide6.QtCore import qVersion

        return f"Qt {qVersion()}，PySide6 {version}"
    return version


def licence_text(component: Component) -> str:
    """The full licence text(s) of ``component``, or a sentence saying where they are."""
    from app.paths import resource

    if component.kind == "font":
        files = [resource("fonts", "wqy-microhei-COPYRIGHT.txt"), resource("fonts", "LICENSE-Apache-2.0.txt")]
        return _joined(FONT_NOTICE, [*files, resource("licenses", "GPL-3.0.txt")])
    if component.kind == "qt":
        return _joined(QT_NOTICE, [resource("licenses", "LGPL-3.0.txt"), resource("licenses", "GPL-3.0.txt")])
    if component.kind == "python":
        found = _python_licence()
        if found is not None:
            return _joined("", [found])
    elif component.distribution is not None:
        text = _package_licences(component.distribution)
        if text:
            return text
    return f"{component.name} 按 {component.licence} 许可证发布；许可证全文见该项目的网站。"


def _joined(notice: str, files: list[Path]) -> str:
    parts = [notice] if notice else []
    for path in files:
        parts.append(f"──────── {path.name} ────────\n{_read(path)}")
    return "\n".join(parts)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return f"（无法读取 {path}）"


def _python_licence() -> Path | None:
    """Python's LICENSE.txt: beside the program in a bundle (packaging/uniondesk.spec puts it
    there), else in the standard library folder or the Python install (Windows)."""
    import sysconfig

    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen_root) / "licenses" / "python" / "LICENSE.txt"] if frozen_root else []
    candidates += [Path(sysconfig.get_path("stdlib")) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"]
    return next((path for path in candidates if path.is_file()), None)


def _package_licences(distribution: str) -> str:
    """The licence files a Python package's metadata names (PEP 639 keeps them in licenses/)."""
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return ""
    parts = []
    # older packages (defusedxml) name no License-File but ship the usual one
    for name in dist.metadata.get_all("License-File") or ["LICENSE", "LICENSE.txt", "LICENCE", "COPYING"]:
        for candidate in (f"licenses/{name}", name):
            text = _metadata_file(dist, candidate)
            if text:
                parts.append(f"──────── {name} ────────\n{text}")
                break
    return "\n".join(parts)


def _metadata_file(dist: metadata.Distribution, name: str) -> str | None:
    try:
        return dist.read_text(name)
    except UnicodeDecodeError:  # a licence in Latin-1: read it as well as it goes
        for file in dist.files or ():
            if file.as_posix().endswith("/" + name):
                return Path(str(file.locate())).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        pass
    return None


# -- the dialog --------------------------------------------------------------------------------
class AboutDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        db_path: Path | None,
        *,
        opener: Callable[[Path], bool] = open_folder,
    ) -> None:
        super().__init__(parent)
        from app.paths import data_dir, log_dir

        self.setWindowTitle("关于 UnionDesk")
        self._opener = opener
        self.data_folder = data_dir()
        self.log_folder = log_dir()
        self.backup_folder, backup_note = backup_folder(db_path)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(db_path, backup_note), "关于")
        self.tabs.addTab(self._licences_tab(), "许可证")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 980, 600)  # the licence texts are 72 to 80 columns wide

    # -- 关于 -----------------------------------------------------------------------------------
    def _about_tab(self, db_path: Path | None, backup_note: str) -> QWidget:
        from app.paths import resource

        icon = QLabel()
        icon.setPixmap(QIcon(str(resource("icons", "uniondesk.svg"))).pixmap(QSize(64, 64)))
        title = QLabel(f"<b style='font-size: 15pt'>{APP_TITLE}</b><br>版本 {__version__}")
        title.setTextFormat(Qt.TextFormat.RichText)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(title, 1)

        form = QFormLayout()
        self.db_label = _path_label(str(db_path) if db_path is not None else "没有打开账套")
        form.addRow("当前账套：", self.db_label)
        self.open_data = QPushButton("打开数据文件夹")
        form.addRow("数据文件夹：", self._folder_row(self.data_folder, self.open_data))
        self.open_log = QPushButton("打开日志文件夹")
        form.addRow("日志文件夹：", self._folder_row(self.log_folder, self.open_log))
        self.open_backup = QPushButton("打开备份文件夹")
        if self.backup_folder is None:
            self.open_backup.setEnabled(False)
            form.addRow("备份文件夹：", self._folder_row(None, self.open_backup))
        else:
            form.addRow("备份文件夹：", self._folder_row(self.backup_folder, self.open_backup, backup_note))
        self.open_data.clicked.connect(lambda: self._open(self.data_folder))
        self.open_log.clicked.connect(lambda: self._open(self.log_folder))
        self.open_backup.clicked.connect(lambda: self._open(self.backup_folder))

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #c0392b;")
        about = QLabel(
            "UnionDesk 不联网，账套（.db 文件）和备份只保存在这台电脑（或您选定的备份文件夹）上。"
            "卸载或升级程序不会删除数据文件夹。遇到问题时，请把日志文件夹中的 uniondesk.log 发给技术支持。"
        )
        about.setWordWrap(True)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addSpacing(8)
        layout.addWidget(about)
        layout.addStretch(1)
        return page

    def _folder_row(self, folder: Path | None, button: QPushButton, note: str = "") -> QWidget:
        text = str(folder) if folder is not None else "打开账套后显示（每个账套有自己的备份文件夹）"
        label = _path_label(f"{text}\n{note}" if note else text)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _open(self, folder: Path | None) -> None:
        if folder is None:
            return
        opened = self._opener(folder)
        self.note.setText("" if opened else f"无法打开文件夹，请自己打开：{folder}")

    # -- 许可证 ---------------------------------------------------------------------------------
    def _licences_tab(self) -> QWidget:
        intro = QLabel(
            "UnionDesk 随程序附带下面这些字体和软件库，它们各按自己的许可证发布。点选一项查看许可证全文。"
        )
        intro.setWordWrap(True)
        self.components = QListWidget()
        self.components.setWordWrap(True)
        self.components.setSpacing(2)
        self.components.setAlternatingRowColors(True)
        self.components.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for component in COMPONENTS:
            version = version_of(component)
            name = f"{component.name} {version}" if version else component.name
            self.components.addItem(f"{name}\n{component.licence} · {component.purpose}")
        self.components.addItem("其他系统库\n各按自己的许可证 · SQLite、OpenSSL、ICU 等")
        self.components.setFixedWidth(280)
        self.licence = QPlainTextEdit()
        self.licence.setReadOnly(True)
        self.licence.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.components.currentRowChanged.connect(self._show_licence)
        self.components.setCurrentRow(0)

        body = QHBoxLayout()
        body.addWidget(self.components)
        body.addWidget(self.licence, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        return page

    def _show_licence(self, row: int) -> None:
        text = licence_text(COMPONENTS[row]) if 0 <= row < len(COMPONENTS) else OTHERS_NOTICE
        self.licence.setPlainText(text)
        self.licence.moveCursor(QTextCursor.MoveOperation.Start)


def _path_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
