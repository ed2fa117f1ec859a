"""Printed documents as PDF (reportlab): 会费收据, sheets signed row by row (签领表; 签到表
later), one-payment slips (领取单); 档案表, 预算表 and the monthly report later, all on the same building blocks — the embedded Chinese font
(``fonts``), an A4 file written atomically with "第 x 页 共 y 页" (``document``), and the
styles, ruled table, totals in capitals and signature line (``blocks``).

Shared machinery: it imports no area. Opening this package does not import reportlab;
each name below loads its module on first use, so the window's start-up never pays for it.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.printing.blocks import (
        Column,
        Styles,
        chinese_date,
        para,
        signature_line,
        styles,
        table,
        table_style,
        totals_line,
        yuan,
    )
    from app.services.printing.document import PageSetup, write_pdf
    from app.services.printing.fonts import FontFile, PdfFonts, choose_font, pdf_fonts
    from app.services.printing.receipt import ReceiptData, write_receipt
    from app.services.printing.sign_sheet import SignSheet, write_sign_sheet
    from app.services.printing.voucher import VoucherData, write_voucher

_EXPORTS = {
    "Column": "blocks",
    "Styles": "blocks",
    "chinese_date": "blocks",
    "para": "blocks",
    "signature_line": "blocks",
    "styles": "blocks",
    "table": "blocks",
    "table_style": "blocks",
    "totals_line": "blocks",
    "yuan": "blocks",
    "PageSetup": "document",
    "write_pdf": "document",
    "FontFile": "fonts",
    "PdfFonts": "fonts",
    "choose_font": "fonts",
    "pdf_fonts": "fonts",
    "ReceiptData": "receipt",
    "write_receipt": "receipt",
    "SignSheet": "sign_sheet",
    "write_sign_sheet": "sign_sheet",
    "VoucherData": "voucher",
    "write_voucher": "voucher",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "Column",
    "FontFile",
    "PageSetup",
    "PdfFonts",
    "ReceiptData",
    "SignSheet",
    "Styles",
    "VoucherData",
    "chinese_date",
    "choose_font",
    "para",
    "pdf_fonts",
    "signature_line",
    "styles",
    "table",
    "table_style",
    "totals_line",
    "write_pdf",
    "write_receipt",
    "write_sign_sheet",
    "write_voucher",
    "yuan",
]
