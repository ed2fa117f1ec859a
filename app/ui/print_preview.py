"""打印预览: a document the services write as PDF (a 签领表, a 领取单, a receipt), made in the
background into a temporary folder and shown page by page, to print, to save as PDF or to
open in the system's PDF program.

Qt's own PDF view (QtPdf) is in PySide6-Addons, which the program does not ship; the pages
are rendered with pypdfium2 (PDFium, as in Chrome) into images. PDFium is not thread-safe:
every use goes through one lock. Printing paints each page rendered at the printer's
resolution (at most 300 dpi), fitted to the printable area.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.dialog_parts import outcome_label, resize_within_screen, tell_failure
from app.ui.files import PDF, choose_file, safe_name, unwritable
from app.ui.operations import read_operation, run_operation
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter
    from sqlalchemy.orm import Session

    from app.services.progress import Progress

ZOOMS = (50, 75, 100, 125, 150, 200)
SCREEN_DPI = 96  # 100% shows the page at its printed size on an ordinary screen
MAX_PRINT_DPI = 300  # enough for text; a 1200 dpi A4 page would be a 500 MB image
NO_VIEWER = "无法在程序内显示预览（缺少 PDF 显示组件 pypdfium2），可以“保存为PDF”或“用系统程序打开”后打印。"
_PDFIUM = threading.Lock()

# The work that writes the document: ``make(session, path)``, e.g. app.services.care.print_batch.
MakePdf = Callable[["Session", Path], object]


# -- PDFium --------------------------------------------------------------------------------------
def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's (width, height) in points (1/72 inch)."""
    import pypdfium2

    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            sizes = []
            for i in range(len(document)):
                page = document[i]
                sizes.append(page.get_size())
                page.close()
            return sizes
        finally:
            document.close()


def _image(page: object, scale: float) -> QImage:
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)  # type: ignore[attr-defined]
    try:
        return QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
        ).copy()  # the bitmap's memory goes with it
    finally:
        bitmap.close()


def render_pages(path: Path, scale: float, pages: Sequence[int] | None = None) -> list[QImage]:
    """The pages (all, or these indexes) as images, ``scale`` pixels per point."""
    import pypdfium2

    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            images = []
            for i in range(len(document)) if pages is None else pages:
                page = document[i]
                images.append(_image(page, scale))
                page.close()
            return images
        finally:
            document.close()


def fit(size: QSizeF, area: QRectF) -> QRectF:
    """``size`` scaled to fit ``area`` keeping its proportions, centred in it."""
    factor = min(area.width() / size.width(), area.height() / size.height())
    width, height = size.width() * factor, size.height() * factor
    return QRectF(
        area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height
    )


# -- the dialog ---------------------------------------------------------------------------------
class PrintPreviewDialog(QDialog):
    """``make(session, path)`` writes the PDF (in a read operation); its pages are then shown.

    ``shown(pages)`` once they are on screen; a refusal of the service (UserError: nothing to
    print) is said in the dialog in its own words, and the buttons stay off."""

    shown = Signal(int)  # how many pages
    refused = Signal(str)  # the message the user read

    def __init__(
        self,
        context: AppContext,
        title: str,
        default_name: str,
        make: MakePdf,
        parent: QWidget | None = None,
        *,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # the page images go with it
        self._context = context
        self._title = title
        self._make = make
        self._generation = 0
        self._keep_folder = False  # opened in another program, which may still be reading it
        self._closed = threading.Event()
        self._folder = Path(tempfile.mkdtemp(prefix="uniondesk-print-"))
        self.default_name = safe_name(
            default_name if default_name.lower().endswith(".pdf") else f"{default_name}.pdf"
        )
        self.path = self._folder / self.default_name
        self.sizes: list[tuple[float, float]] = []  # each page, in points
        self.page_labels: list[QLabel] = []
        self.setWindowTitle(f"打印预览 — {title}")
        self.status = QLabel(f"正在生成{title}……")
        self.zoom = QComboBox()
        for percent in ZOOMS:
            self.zoom.addItem(f"{percent}%", percent)
        self.zoom.setCurrentIndex(ZOOMS.index(100))
        self.zoom.setToolTip("显示比例（100% 约为打印出来的大小）")
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(QLabel("显示比例"))
        top.addWidget(self.zoom)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setVisible(bool(note))
        self.sheet = QWidget()
        self.sheet.setObjectName("pages")
        self.sheet.setStyleSheet("#pages { background: #8a8f96; }")
        self._pages_layout = QVBoxLayout(self.sheet)
        self._pages_layout.setSpacing(14)
        self._pages_layout.setContentsMargins(14, 14, 14, 14)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.sheet)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("选择打印机，按纸张大小打印")
        self.save_button = QPushButton("保存为PDF…")
        self.save_button.setToolTip("把这份文件另存一份，以后可以再打印或发给别人")
        self.open_button = QPushButton("用系统程序打开")
        self.open_button.setToolTip("用电脑上的 PDF 阅读器（WPS、浏览器等）打开这份文件")
        for button in (self.print_button, self.save_button, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(False)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(lambda: self.save_as())
        self.open_button.clicked.connect(self.open_externally)
        self.zoom.currentIndexChanged.connect(lambda _i: self.rerender())
        self.finished.connect(lambda _r: self._clean_up())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        resize_within_screen(self, 900, 780)
        self.generate()

    # -- making the document ---------------------------------------------------------------
    def _scale(self) -> float:
        """Pixels per point at the chosen zoom, sharp on a high-DPI screen."""
        return int(self.zoom.currentData()) / 100 * SCREEN_DPI / 72 * self.devicePixelRatioF()

    def generate(self) -> None:
        make, path, scale, closed = self._make, self.path, self._scale(), self._closed
        self._generation += 1
        generation = self._generation

        def work(session: Session) -> tuple[list[tuple[float, float]], list[QImage]] | None:
            try:
                make(session, path)
            except OSError as exc:
                raise unwritable(path, exc) from exc
            if closed.is_set():  # closed meanwhile: nobody will look
                shutil.rmtree(path.parent, ignore_errors=True)
                return None
            try:
                return page_sizes(path), render_pages(path, scale)
            except ImportError:
                return None

        def made(result: tuple[list[tuple[float, float]], list[QImage]] | None) -> None:
            if generation == self._generation:
                self._made(result)

        read_operation(self, self._context, work, on_success=made, on_failure=self._failed,
                       label=f"正在生成{self._title}……")  # fmt: skip

    def _made(self, result: tuple[list[tuple[float, float]], list[QImage]] | None) -> None:
        self.save_button.setEnabled(True)
        self.open_button.setEnabled(True)
        if result is None:
            self.status.setText("文件已生成")
            self.error.show_message(NO_VIEWER)
            self.zoom.setEnabled(False)
            return
        self.sizes, images = result
        self._show_images(images)
        self.print_button.setEnabled(bool(self.sizes))
        self.status.setText(f"{self._title}：共 {len(self.sizes)} 页")
        self.shown.emit(len(self.sizes))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"没有生成{self._title}")
        self.zoom.setEnabled(False)
        tell_failure(self, self.error, error)
        if isinstance(error, UserError):
            self.refused.emit(str(error))

    def _show_images(self, images: list[QImage]) -> None:
        ratio = self.devicePixelRatioF()
        while len(self.page_labels) < len(images):
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #5f6368;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        for label, image in zip(self.page_labels, images, strict=False):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.deviceIndependentSize().toSize())

    def rerender(self) -> None:
        """The pages again at the chosen zoom."""
        if not self.sizes:
            return
        self._generation += 1
        generation, path, scale = self._generation, self.path, self._scale()

        def shown(images: list[QImage]) -> None:
            if generation == self._generation:
                self._show_images(images)

        def work(_progress: Progress) -> list[QImage]:
            return render_pages(path, scale)

        run_operation(self, work, on_success=shown, on_failure=lambda e: tell_failure(self, self.error, e),
                      label="正在显示……")  # fmt: skip

    # -- what the user does with it ------------------------------------------------------------
    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        if not self.sizes:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare_printer(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, len(self.sizes))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def prepare_printer(self, printer: QPrinter) -> None:
        """The paper and orientation of the document's first page (A4, or A5 landscape)."""
        from PySide6.QtGui import QPageLayout, QPageSize

        printer.setDocName(self._title)
        if not self.sizes:
            return
        width, height = self.sizes[0]
        size = QPageSize(
            QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point, "",
            QPageSize.SizeMatchPolicy.FuzzyMatch,
        )  # fmt: skip
        printer.setPageSize(size)
        landscape = width > height
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )

    def print_to(self, printer: QPrinter) -> int:
        """Paint the pages (those the print dialog chose, else all) on ``printer``; how many."""
        first, last = printer.fromPage(), printer.toPage()
        count = len(self.sizes)
        pages = list(range(first - 1, min(last, count))) if first > 0 and last > 0 else list(range(count))
        if not pages:
            return 0
        scale = min(printer.resolution(), MAX_PRINT_DPI) / 72
        painter = QPainter()
        if not painter.begin(printer):
            self.error.show_message("打印机没有准备好，无法开始打印。请检查打印机后再试。")
            return 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for n, index in enumerate(pages):
                if n and not printer.newPage():
                    break
                (image,) = render_pages(self.path, scale, [index])
                area = QRectF(painter.viewport())
                painter.drawImage(fit(QSizeF(image.size()), area), image)
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        self.outcome.setText(f"已送往打印机：{len(pages)} 页")
        return len(pages)

    def save_as(self, target: Path | None = None) -> Path | None:
        """A copy of the document where the user chooses (None: not saved)."""
        if target is None:
            target = choose_file(self, "保存为PDF", self.default_name, PDF)
            if target is None:
                return None
        db = self._context.db
        if db is not None and target.resolve() == db.path.resolve():
            self.error.show_message("不能保存到账套文件本身，请换一个文件名")
            return None
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            self.error.show_message(str(unwritable(target, exc)))
            return None
        self.error.show_message("")
        self.outcome.setText(f"已保存：{target}")
        return target

    def open_externally(self) -> bool:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))):
            self._keep_folder = True
            return True
        self.error.show_message("没有找到能打开 PDF 文件的程序。请先“保存为PDF”，再用 WPS 或浏览器打开。")
        return False

    def _clean_up(self) -> None:
        self._closed.set()
        if not self._keep_folder:
            shutil.rmtree(self._folder, ignore_errors=True)


def show_print_preview(
    parent: QWidget,
    context: AppContext,
    title: str,
    default_name: str,
    make: MakePdf,
    *,
    note: str = "",
) -> PrintPreviewDialog | None:
    """Open the preview of the document ``make`` writes (None when no 账套 is open)."""
    if context.db is None:
        return None
    dialog = PrintPreviewDialog(context, title, default_name, make, parent, note=note)
    dialog.open()
    return dialog
