"""The error report: the rows that could not be imported, as they were in the file, with an
added 错误原因 column. Fix them in Excel and import the report itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.services.imports.base import ImportPlan

REASON_HEADER = "错误原因"


def write_error_report(plan: ImportPlan[Any], out: Path) -> Path:
    from app.services.excel.writer import column_letter, new_workbook, safe_row, save_workbook, styled_cell

    workbook = new_workbook()
    sheet = workbook.create_sheet("有错误的行")
    headers = [h for h in plan.mapping.headers if h != REASON_HEADER]
    reason_col = len(headers)
    for index in range(1, reason_col + 2):
        sheet.column_dimensions[column_letter(index)].width = 14
    sheet.column_dimensions[column_letter(reason_col + 1)].width = 60
    sheet.append(
        [styled_cell(sheet, h, bold=True, fill="F8D7DA", border=True) for h in [*headers, REASON_HEADER]]
    )
    for row in plan.rows:
        if not row.issues:
            continue
        cells = list(row.cells[: len(headers)]) + [""] * max(0, len(headers) - len(row.cells))
        reasons = "；".join(
            f"第 {i.row} 行“{i.column}”：{i.message}" if i.column else f"第 {i.row} 行：{i.message}"
            for i in row.issues
        )
        sheet.append(safe_row(sheet, [*cells, reasons]))
    return save_workbook(workbook, out, "错误报告")
