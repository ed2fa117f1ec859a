"""One import pipeline for every kind of sheet (花名册, 会费代扣表, 慰问登记表 …).

An ``Importer`` (``base.py``) says what its sheet holds and how its rows become records;
the pipeline gives every importer the same reading, header detection, remembered
mappings, column-wise checking, preview, all-or-nothing writing and error report.
Shared machinery: it imports no area; each area brings its importer.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.imports.base import (
        Answer,
        FieldChange,
        Importer,
        ImportOptions,
        ImportPlan,
        ImportResult,
        PlannedRow,
        Preloaded,
        Question,
        RowIssue,
    )
    from app.services.imports.pipeline import (
        Found,
        apply_plan,
        check_report_path,
        find_sheet,
        mapping_for_header_row,
        may_write_in_bulk,
        plan_sheet,
        read_file,
        remember_mapping,
    )
    from app.services.imports.report import write_error_report

_BASE = ("Answer", "FieldChange", "ImportOptions", "ImportPlan", "ImportResult", "Importer", "PlannedRow",
         "Preloaded", "Question", "RowIssue")  # fmt: skip
_PIPELINE = ("Found", "apply_plan", "check_report_path", "find_sheet", "mapping_for_header_row",
             "may_write_in_bulk", "plan_sheet")  # fmt: skip
_PIPELINE_READING = ("read_file", "remember_mapping")
_EXPORTS = {
    **dict.fromkeys(_BASE, "base"),
    **dict.fromkeys(_PIPELINE + _PIPELINE_READING, "pipeline"),
    "write_error_report": "report",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "Answer",
    "FieldChange",
    "Found",
    "ImportOptions",
    "ImportPlan",
    "ImportResult",
    "Importer",
    "PlannedRow",
    "Preloaded",
    "Question",
    "RowIssue",
    "apply_plan",
    "check_report_path",
    "find_sheet",
    "mapping_for_header_row",
    "may_write_in_bulk",
    "plan_sheet",
    "read_file",
    "remember_mapping",
    "write_error_report",
]
