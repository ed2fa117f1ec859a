"""The print preview: a PDF made in the background is shown page by page (PDFium, not QtPdf),
printed page for page, saved byte for byte, opened in the system's program; a refusal of the
service is said in its own words, and the temporary file goes when the dialog closes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.print_preview import PrintPreviewDialog, page_sizes, show_print_preview
from tests.ui.conftest import wait_idle

A4 = (595.28, 841.89)
A5_LANDSCAPE = (595.28, 419.53)


def three_pages(_session: object, path: Path) -> None:
    """Two A4 pages, the first with a black block in its middle, and an A5 landscape one."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(A4[0] / 2 - 50, A4[1] / 2 - 50, 100, 100, stroke=0, fill=1)
    pdf.showPage()
    pdf.drawString(72, 720, "page 2")
    pdf.showPage()
    pdf.setPageSize(A5_LANDSCAPE)
    pdf.drawString(72, 300, "page 3")
    pdf.showPage()
    pdf.save()


@pytest.fixture
def context(db: Database) -> AppContext:
    ctx = AppContext()
    ctx.db = db
    return ctx


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog (deleted on close) goes with it at the latest
    widget.show()
    return widget


def open_preview(
    qtbot: QtBot, parent: QWidget, context: AppContext, make: Callable[[object, Path], None] = three_pages
) -> PrintPreviewDialog:
    dialog = show_print_preview(parent, context, "测试文件", "测试 文件:1", make)
    assert dialog is not None
    return dialog


def shown(qtbot: QtBot, parent: QWidget, context: AppContext) -> PrintPreviewDialog:
    dialog = open_preview(qtbot, parent, context)
    with qtbot.waitSignal(dialog.shown, timeout=10_000) as pages:
        pass
    assert pages.args == [3]
    return dialog


def test_every_page_is_shown_in_its_shape(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    dialog = shown(qtbot, parent, context)
    assert dialog.path.name == "测试 文件_1.pdf"  # what Windows refuses in a name is replaced
    assert len(dialog.page_labels) == 3
    sizes = [label.size() for label in dialog.page_labels]
    assert sizes[0].height() > sizes[0].width() and sizes[2].width() > sizes[2].height()
    assert abs(sizes[0].width() - round(A4[0] * 96 / 72)) <= 2  # 100%: the printed size
    image = dialog.page_labels[0].pixmap().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2) == QColor("black")
    assert image.pixelColor(5, 5) == QColor("white")
    assert "共 3 页" in dialog.status.text()
    assert all(b.isEnabled() for b in (dialog.print_button, dialog.save_button, dialog.open_button))
    dialog.zoom.setCurrentIndex(dialog.zoom.findData(200))
    qtbot.waitUntil(lambda: dialog.page_labels[0].width() > 2 * sizes[0].width() - 4, timeout=10_000)


def test_save_copies_the_document_byte_for_byte(
    qtbot: QtBot, parent: QWidget, context: AppContext, db: Database, tmp_path: Path
) -> None:
    dialog = shown(qtbot, parent, context)
    target = tmp_path / "另存.pdf"
    assert dialog.save_as(target) == target
    assert target.read_bytes() == dialog.path.read_bytes() and target.read_bytes().startswith(b"%PDF")
    assert str(target) in dialog.outcome.text()
    assert dialog.save_as(db.path) is None  # never over the 账套
    assert "账套文件本身" in dialog.error.text()
    assert dialog.save_as(tmp_path / "没有这个文件夹" / "x.pdf") is None
    assert "无法写入" in dialog.error.text()


def test_printing_paints_each_page_chosen(
    qtbot: QtBot, parent: QWidget, context: AppContext, tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    dialog = shown(qtbot, parent, context)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog.prepare_printer(printer)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == 3
    assert len(page_sizes(tmp_path / "printed.pdf")) == 3
    assert "3 页" in dialog.outcome.text()
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer) == 2
    assert len(page_sizes(tmp_path / "two.pdf")) == 2


def test_the_paper_follows_the_first_page(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    def voucher(_session: object, path: Path) -> None:
        from reportlab.pdfgen import canvas

        pdf = canvas.Canvas(str(path), pagesize=A5_LANDSCAPE)
        pdf.drawString(72, 300, "voucher")
        pdf.save()

    dialog = open_preview(qtbot, parent, context, voucher)
    qtbot.waitSignal(dialog.shown, timeout=10_000).wait()
    printer = QPrinter()
    dialog.prepare_printer(printer)
    layout = printer.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A5
    assert layout.orientation() == QPageLayout.Orientation.Landscape


def test_a_refusal_is_said_in_its_words_and_nothing_can_be_printed(
    qtbot: QtBot, parent: QWidget, context: AppContext
) -> None:
    def nothing(_session: object, _path: Path) -> None:
        raise UserError("没有可打印的慰问记录：请换一个时间段或事由")

    dialog = open_preview(qtbot, parent, context, nothing)
    with qtbot.waitSignal(dialog.refused, timeout=10_000):
        pass
    assert dialog.error.text() == "没有可打印的慰问记录：请换一个时间段或事由" and not dialog.error.isHidden()
    assert not any(b.isEnabled() for b in (dialog.print_button, dialog.save_button, dialog.open_button))
    assert dialog.page_labels == [] and "没有生成" in dialog.status.text()


def test_open_hands_the_file_to_the_system_and_keeps_it(
    qtbot: QtBot, parent: QWidget, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = shown(qtbot, parent, context)
    assert dialog.open_externally()
    assert [Path(u.toLocalFile()) for u in opened] == [dialog.path]
    path = dialog.path
    dialog.reject()
    wait_idle(qtbot)
    assert path.is_file()  # the PDF reader may still be reading it
    path.unlink()
    path.parent.rmdir()


def test_closing_removes_the_temporary_file(qtbot: QtBot, parent: QWidget, context: AppContext) -> None:
    dialog = shown(qtbot, parent, context)
    folder = dialog.path.parent
    assert folder.is_dir()
    dialog.reject()
    assert not folder.exists()


def test_without_an_opened_union_there_is_no_preview(parent: QWidget) -> None:
    assert show_print_preview(parent, AppContext(), "测试文件", "测试.pdf", three_pages) is None
