"""Files the 会费 page writes for the user: a receipt, the arrears list, the 催缴单 — each
chosen with a save dialog, written in the background, and said where it went."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.operations import read_operation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PDF = "PDF 文件 (*.pdf)"
XLSX = "Excel 文件 (*.xlsx)"


def safe_name(text: str) -> str:
    """A file name part without the characters Windows refuses."""
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text).strip() or "未命名"


def choose_file(parent: QWidget, title: str, default_name: str, kind: str) -> Path | None:
    """The file the user picks to write (None: cancelled), with its suffix added if missing."""
    suffix = ".pdf" if kind == PDF else ".xlsx"
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / default_name), kind)
    if not name:
        return None
    return Path(name if name.lower().endswith(suffix) else name + suffix)


def write_file(
    parent: QWidget,
    context: AppContext,
    path: Path,
    work: Callable[[Session, Path], object],
    *,
    done: str,
    label: str = "正在生成文件……",
    on_written: Callable[[Path], None] | None = None,
) -> None:
    """``work(session, path)`` in a read operation; then “``done``：path” for the user."""
    keep = context.db.path if context.db is not None else None

    def run(session: Session) -> Path:
        if keep is not None and path.resolve() == keep.resolve():
            raise UserError("不能保存到账套文件本身，请换一个文件名")
        try:
            work(session, path)
        except ImportError as exc:  # a service this version does not have yet
            raise UserError("这个版本还不能生成这种文件，请升级 UnionDesk") from exc
        except PermissionError as exc:
            raise UserError(f"无法写入“{path}”：文件可能正在 Excel 或 WPS 中打开，请关闭后再试") from exc
        except OSError as exc:
            raise UserError(f"无法写入“{path}”：{exc.strerror or exc}") from exc
        return path

    def written(result: Path) -> None:
        if on_written is not None:
            on_written(result)
        else:
            QMessageBox.information(parent, "完成", f"{done}：\n{result}")

    read_operation(parent, context, run, on_success=written, label=label)


def print_receipt(parent: QWidget, context: AppContext, payment_id: int, receipt_no: str, name: str) -> None:
    path = choose_file(
        parent, "保存会费收据", safe_name(f"会费收据_{receipt_no or payment_id}_{name}.pdf"), PDF
    )
    if path is None:
        return

    def work(session: Session, out: Path) -> None:
        from app.services.dues.receipt import print_receipt as write_receipt

        write_receipt(session, payment_id, out)

    write_file(parent, context, path, work, done="收据已保存，可以打开后打印", label="正在生成收据……")
