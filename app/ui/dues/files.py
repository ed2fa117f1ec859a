"""Files the 会费 page writes for the user: a receipt, the arrears list, the 催缴单 — each
chosen with a save dialog, written in the background, and said where it went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext

# The generic helpers live in app/ui/files.py, shared by every area; kept importable here.
from app.ui.files import PDF, XLSX, choose_file, safe_name, write_file

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["PDF", "XLSX", "choose_file", "print_receipt", "safe_name", "write_file"]


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
