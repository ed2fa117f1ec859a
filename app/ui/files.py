"""Files the pages write for the user, shared by every area: the save dialog (with the
suffix added when it is typed without one), a file name Windows accepts, and writing in the
background with a plain Chinese message when the file cannot be written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.errors import UserError
from app.services.saving import os_reason
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


def unwritable(path: Path, exc: OSError) -> UserError:
    """What the user reads when ``path`` cannot be written."""
    return UserError(f"无法写入“{path}”：{os_reason(exc)}")


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
        except OSError as exc:
            raise unwritable(path, exc) from exc
        return path

    def written(result: Path) -> None:
        if on_written is not None:
            on_written(result)
        else:
            QMessageBox.information(parent, "完成", f"{done}：\n{result}")

    read_operation(parent, context, run, on_success=written, label=label)
