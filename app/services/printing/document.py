"""A PDF on A4 (or A5) written whole or not at all, with "第 x 页 共 y 页" at the foot of each page.

The file is built in a temporary file beside the target and moved over it only when it is
complete, so a failure (a full disk, a PDF reader holding the old file) never leaves half a
document, and never spoils the copy that was there before.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus.doctemplate import LayoutError

from app.services.errors import UserError
from app.services.printing.fonts import pdf_fonts
from app.services.saving import os_reason, save_bytes

FRAME_PADDING = 6  # points: reportlab's frame keeps this much inside the margins on every side


@dataclass(frozen=True)
class PageSetup:
    """A4 (or A5) paper; margins in millimetres."""

    landscape: bool = False
    a5: bool = False
    top_mm: float = 15
    bottom_mm: float = 18  # room for the page footer
    left_mm: float = 15
    right_mm: float = 15

    @property
    def size(self) -> tuple[float, float]:
        width, height = (float(A5[0]), float(A5[1])) if self.a5 else (float(A4[0]), float(A4[1]))
        return (height, width) if self.landscape else (width, height)

    @property
    def frame_width(self) -> float:
        """The width text and tables may use, in points (less the frame's padding of 6 points a side)."""
        return float(self.size[0] - (self.left_mm + self.right_mm) * mm - 2 * FRAME_PADDING)

    @property
    def frame_height(self) -> float:
        """The height text and tables may use on one page, in points (less the frame's padding)."""
        return float(self.size[1] - (self.top_mm + self.bottom_mm) * mm - 2 * FRAME_PADDING)


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no types
    """reportlab's two-pass canvas: pages are kept until the end, when the total is known and
    every page gets "第 x 页 共 y 页" (and ``footer_note`` on the left) before it is written."""

    def __init__(
        self, *args: Any, footer_font: str, footer_note: str = "", page_numbers: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer_font = footer_font
        self._footer_note = footer_note
        self._page_numbers = page_numbers
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width = self._pagesize[0]
        y = 10 * mm
        self.saveState()
        self.setFont(self._footer_font, 9)
        if self._page_numbers:
            self.drawCentredString(width / 2, y, f"第 {self._pageNumber} 页 共 {total} 页")
        if self._footer_note:
            self.drawString(15 * mm, y, self._footer_note)
        self.restoreState()


def _check_target(path: Path, title: str) -> None:
    if path.suffix.lower() != ".pdf":
        raise UserError(f"{title}“{path.name}”应保存为 .pdf 文件，例如 {title}.pdf")
    if path.is_dir():
        raise UserError(f"{title}的位置“{path}”是一个文件夹，请给出文件名，例如 {title}.pdf")
    if not path.parent.is_dir():
        raise UserError(f"{title}无法保存：文件夹“{path.parent}”不存在，请先建立这个文件夹或另选保存位置")


def write_pdf(
    path: Path,
    story: Sequence[Any],
    *,
    title: str,
    page: PageSetup | None = None,
    page_numbers: bool = True,
    footer_note: str = "",
) -> None:
    """Lay out ``story`` (reportlab flowables) on its paper and write it to ``path`` atomically.

    ``title`` names the document in messages and in the PDF's properties (e.g. "会费收据").
    Raises ``UserError`` with a Chinese message when the folder does not exist, the file
    cannot be written, or a single item is too large for a page; nothing is left behind.
    """
    path = Path(path)
    page = page or PageSetup()
    _check_target(path, title)
    fonts = pdf_fonts()
    buffer = io.BytesIO()  # laid out in memory, then saved whole (``saving.save_bytes``)
    try:
        width, height = page.size
        document = SimpleDocTemplate(
            buffer,
            pagesize=(width, height),
            topMargin=page.top_mm * mm,
            bottomMargin=page.bottom_mm * mm,
            leftMargin=page.left_mm * mm,
            rightMargin=page.right_mm * mm,
            title=title,
            subject=title,
            author="UnionDesk",
            creator="UnionDesk",
            # the canvas starts every page in this font: no unembedded Helvetica in the file
            initialFontName=fonts.body,
        )
        canvas = functools.partial(
            NumberedCanvas, footer_font=fonts.body, footer_note=footer_note, page_numbers=page_numbers
        )
        document.build(list(story), canvasmaker=canvas)
        save_bytes(path, buffer.getvalue())
    except LayoutError as exc:
        raise UserError(f"{title}中有一项内容过长，一页纸放不下，请缩短后再打印") from exc
    except OSError as exc:
        raise UserError(f"{title}无法写入“{path}”：{os_reason(exc)}") from exc
