"""报表: the monthly report (月报表) — for a month, a quarter, a half-year, a year or any span
of months — on screen, each section a table with the period's and the year-to-date figure
(and the 女 / 农民工 sub-counts of the member movements), every figure opening the records it
counts; the same report saved as a print-ready .xlsx or previewed and printed as PDF. The
second tab is the year-end summary draft (工作总结, app/ui/reports/summary_editor.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.ui.activities import BUDGET_TABLES
from app.ui.care import CARE_TABLES
from app.ui.context import GROUPS, MEMBER_EVENTS, MEMBERS, PROFILE, AppContext, RefreshWhenShown
from app.ui.date_fields import MonthEdit
from app.ui.dialog_parts import outcome_label, tell_failure
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.tables import RIGHT, Column, RowRole, RowTableModel, RowTableView
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.reports import Figure, PeriodReport, Section
    from app.ui.print_preview import PrintPreviewDialog
    from app.ui.reports.records_dialog import RecordsDialog
    from app.ui.reports.summary_editor import SummaryTab

__all__ = [
    "KINDS",
    "REPORT_TABLES",
    "FigureModel",
    "MonthlyReportTab",
    "PeriodChooser",
    "ReportPage",
    "figure_text",
    "last_finished_month",
    "unit_text",
]

# What the report is read from (by the tables' names in the database).
DUES_TABLES = ("dues_charges", "dues_payments", "dues_payment_months", "dues_exemptions")
HARDSHIP_TABLES = ("hardship_files", "hardship_relatives")
REPORT_TABLES = (
    MEMBERS, MEMBER_EVENTS, GROUPS, PROFILE, *DUES_TABLES, *CARE_TABLES, *HARDSHIP_TABLES, *BUDGET_TABLES,
)  # fmt: skip

MONTH, QUARTER, HALF, FULL_YEAR, SPAN = "月份", "季度", "半年", "全年", "自定义"
KINDS = (MONTH, QUARTER, HALF, FULL_YEAR, SPAN)
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
_HALVES = ("上半年", "下半年")
_LINK = QColor("#1a5fb4")
_GREY = QColor("#8a8a8a")
_SUBCOUNTS = ("female", "female_ytd", "migrant", "migrant_ytd")
_YEAR_TO_DATE = ("ytd", "female_ytd", "migrant_ytd")
NOTHING = "—"


# -- how a figure reads ----------------------------------------------------------------------
def figure_text(figure: Figure, value: int | Decimal | None) -> str:
    """Money in yuan (2 decimals, thousands), a rate as a per cent, a count as an integer;
    ``—`` for a figure that does not apply."""
    if value is None:
        return NOTHING
    if figure.unit == "fen":
        return format_fen(int(value))
    if figure.unit == "%":
        return f"{value}%"
    return str(int(value))


def unit_text(figure: Figure) -> str:
    return {"fen": "元", "%": ""}.get(figure.unit, figure.unit)


def _sub(figure: Figure, which: str, index: int) -> int | None:
    pair = getattr(figure, which)
    return None if pair is None else int(pair[index])


def _value(figure: Figure, key: str) -> int | Decimal | None:
    """The raw value behind the column ``key`` of a figure's row."""
    if key == "period":
        return figure.period
    if key == "ytd":
        return figure.year_to_date
    which, _, ytd = key.partition("_")
    return _sub(figure, which, 1 if ytd else 0)


def _number_column(key: str, title: str, width: int, *, subcount: bool = False) -> Column[Figure]:
    def display(f: Figure) -> str:
        value = _value(f, key)
        if subcount:
            return "" if value is None else str(value)
        return figure_text(f, value)

    def sort_key(f: Figure) -> tuple[bool, Any]:
        value = _value(f, key)
        return (value is not None, value if value is not None else 0)

    def tooltip(f: Figure) -> str | None:
        if _value(f, key) is None:
            return None
        span = "本年累计" if key in _YEAR_TO_DATE else "本期"
        return f"双击查看{span}这一项统计的记录" + (f"\n{f.counts}" if f.counts else "")

    return Column(
        key, title, width, display, sort_key, alignment=RIGHT,
        foreground=lambda f: _LINK if _value(f, key) not in (None, 0) else _GREY, tooltip=tooltip,
    )  # fmt: skip


COLUMNS: tuple[Column[Figure], ...] = (
    Column(
        "label",
        "项目",
        230,
        attrgetter("label"),
        attrgetter("label"),
        hideable=False,
        tooltip=lambda f: f.counts or None,
    ),
    Column("unit", "单位", 50, unit_text, unit_text, alignment=Qt.AlignmentFlag.AlignCenter),
    _number_column("period", "本期", 120),
    _number_column("ytd", "本年累计", 120),
    _number_column("female", "其中女（本期）", 100, subcount=True),
    _number_column("female_ytd", "其中女（累计）", 100, subcount=True),
    _number_column("migrant", "农民工（本期）", 100, subcount=True),
    _number_column("migrant_ytd", "农民工（累计）", 100, subcount=True),
    Column(
        "counts",
        "统计口径",
        200,
        attrgetter("counts"),
        attrgetter("counts"),
        foreground=lambda _f: _GREY,
        tooltip=lambda f: f.counts or None,
    ),
)


class FigureModel(RowTableModel["Figure"]):
    """A section's figures in the report's order, whatever header is clicked."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("key"))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return


# -- the period -------------------------------------------------------------------------------
def last_finished_month(today: date) -> YearMonth:
    """The month a report is first asked for: the one before ``today``'s, whose records are
    all in (this month's figures are mostly still 0)."""
    return YearMonth.of(today).add_months(-1)


class PeriodChooser(QWidget):
    """A month, a quarter, a half-year, a year or any span of months; ``changed`` on any change.
    It starts on the last finished month (the quarter, half-year and year that hold it)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        today = today or date.today()
        month, this_month = last_finished_month(today), YearMonth.of(today)
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.kind.setToolTip("报哪一段时间：一个月、一个季度、半年、全年，或任意起止月份")
        self.month = MonthEdit(month, latest=this_month)  # a period not begun has nothing to report
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(month.year)
        self.year.setSuffix(" 年")
        self.quarter = QComboBox()
        self.quarter.addItems(_QUARTERS)
        self.quarter.setCurrentIndex((month.month - 1) // 3)
        self.half = QComboBox()
        self.half.addItems(_HALVES)
        self.half.setCurrentIndex(0 if month.month <= 6 else 1)
        self.first = MonthEdit(YearMonth(month.year, 1), latest=this_month)
        self.last = MonthEdit(month, latest=this_month)
        self._from_label, self._to_label = QLabel("从"), QLabel("到")
        # which fields each kind shows
        self._shown: dict[str, tuple[QWidget, ...]] = {
            MONTH: (self.month,),
            QUARTER: (self.year, self.quarter),
            HALF: (self.year, self.half),
            FULL_YEAR: (self.year,),
            SPAN: (self._from_label, self.first, self._to_label, self.last),
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("期间"))
        layout.addWidget(self.kind)
        for widget in (self.month, self.year, self.quarter, self.half, self._from_label, self.first,
                       self._to_label, self.last):  # fmt: skip
            layout.addWidget(widget)
        self._show_fields(MONTH)
        self.kind.currentTextChanged.connect(self._kind_changed)
        for combo in (self.quarter, self.half):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.year.valueChanged.connect(lambda _y: self.changed.emit())
        for edit in (self.month, self.first, self.last):
            edit.dateChanged.connect(lambda _d: self.changed.emit())

    def _show_fields(self, kind: str) -> None:
        shown = self._shown[kind]
        for widgets in self._shown.values():
            for widget in widgets:
                widget.setVisible(widget in shown)

    def _kind_changed(self, kind: str) -> None:
        self._show_fields(kind)
        self.changed.emit()

    def period(self) -> tuple[YearMonth, YearMonth]:
        kind, year = self.kind.currentText(), self.year.value()
        if kind == MONTH:
            month = self.month.value()
            return month, month
        if kind == QUARTER:
            start = self.quarter.currentIndex() * 3 + 1
            return YearMonth(year, start), YearMonth(year, start + 2)
        if kind == HALF:
            start = 1 if self.half.currentIndex() == 0 else 7
            return YearMonth(year, start), YearMonth(year, start + 5)
        if kind == FULL_YEAR:
            return YearMonth(year, 1), YearMonth(year, 12)
        return self.first.value(), self.last.value()

    def set_month(self, month: YearMonth) -> None:
        self.kind.setCurrentText(MONTH)
        self.month.set_value(month)

    def set_span(self, first: YearMonth, last: YearMonth) -> None:
        self.kind.setCurrentText(SPAN)
        self.first.set_value(first)
        self.last.set_value(last)

    def set_kind(self, kind: str, year: int, part: int = 0) -> None:
        """季度 (``part`` 0–3), 半年 (0 上半年, 1 下半年) or 全年 of ``year``."""
        self.year.setValue(year)
        if kind == QUARTER:
            self.quarter.setCurrentIndex(part)
        elif kind == HALF:
            self.half.setCurrentIndex(part)
        self.kind.setCurrentText(kind)


# -- the monthly report tab --------------------------------------------------------------------
LEAST_LAST = 160  # pixels at least for a section's last column (统计口径) before the report scrolls


class _SectionBox(QGroupBox):
    """One section of the report: its figures as a table as tall as its rows, its notes."""

    def __init__(self, section_key: str, title: str) -> None:
        super().__init__(title)
        self.key = section_key
        self.setStyleSheet("QGroupBox { font-weight: bold; } QGroupBox QTableView { font-weight: normal; }")
        self.model = FigureModel()
        self.table = RowTableView(f"report_{section_key}", self.model)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(
            False
        )  # a long 统计口径 ends in “…” (its tooltip says it whole), not cut mid-word
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._fit_columns())
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555; font-weight: normal;")
        self.notes.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)

    def show_section(self, section: Section) -> None:
        self.setTitle(section.title)
        self.model.set_rows(section.figures)
        subcounts = any(f.female is not None or f.migrant is not None for f in section.figures)
        for key in _SUBCOUNTS:
            self.table.setColumnHidden(self.model.column_index(key), not subcounts)
        self.notes.setText("\n".join(section.notes))
        self.notes.setVisible(bool(section.notes))
        header = self.table.horizontalHeader().height() or 28
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        self.table.setFixedHeight(header + rows + 2 * self.table.frameWidth() + 2)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The table is never narrower than its columns (the last, 统计口径, at least
        LEAST_LAST wide): in a narrow window the report scrolls sideways rather than cut
        columns off the right, as the table itself does not scroll."""
        header = self.table.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not shown:
            return
        columns = sum(header.sectionSize(c) for c in shown[:-1]) + max(
            LEAST_LAST, header.minimumSectionSize()
        )
        self.table.setMinimumWidth(columns + 2 * self.table.frameWidth() + 2)


class MonthlyReportTab(QWidget):
    """月报表: the report of the chosen period on screen, its export and its print."""

    loaded = Signal()  # a report is on screen

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.report: PeriodReport | None = None
        self._generation = 0
        self.chooser = PeriodChooser(today=today)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("按账套中现在的记录重新统计")
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("保存为可以直接打印上报的 Excel 表（A4，含填报人、审核人、填报日期）")
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("预览并打印这份报表（也可保存为 PDF）")
        for button in (self.refresh_button, self.export_button, self.print_button):
            button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.chooser)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        self.heading = QLabel("打开账套后显示报表")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.hint = QLabel("双击表中的任一数字，列出它统计的记录。")
        self.hint.setStyleSheet("color: #555;")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        self.sections: dict[str, _SectionBox] = {}
        self._sections_box = QVBoxLayout()
        self._sections_box.setSpacing(10)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self._sections_box)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.hint)
        layout.addLayout(heading_row)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(self.scroll_area, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.chooser.changed.connect(self._debounce.start)
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.export_button.clicked.connect(lambda: self.export_xlsx())
        self.print_button.clicked.connect(lambda: self.print_report())
        self.refresher = RefreshWhenShown(self, context, REPORT_TABLES, self.reload)
        context.database_opened.connect(self._opened)
        if context.db is not None:
            self._opened(context.db)

    def _opened(self, _db: object) -> None:
        self.refresh_button.setEnabled(True)
        self.refresher.mark_stale()

    def save_state(self) -> None:
        for box in self.sections.values():
            box.table.save_state()

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self._debounce.stop()
        if self.context.db is None:
            return
        first, last = self.chooser.period()
        self._generation += 1
        generation = self._generation
        self.error.show_message("")
        if last < first:
            self.error.show_message("起始月份不能晚于结束月份，请重新选择期间")
            return

        def work(session: Session) -> PeriodReport:
            from app.services.reports import period_report

            return period_report(session, first, last)

        def loaded(report: PeriodReport) -> None:
            if alive(self) and generation == self._generation:
                self.show_report(report)

        def failed(error: BaseException) -> None:
            if alive(self) and generation == self._generation:
                tell_failure(self, self.error, error)

        read_operation(self, self.context, work, on_success=loaded, on_failure=failed, label="正在统计报表……")

    def show_report(self, report: PeriodReport) -> None:
        self.report = report
        self.heading.setText(f"{report.union_name or '本工会'}　{report.label}报表")
        wanted = [s.key for s in report.sections]
        for key in list(self.sections):
            if key not in wanted:
                box = self.sections.pop(key)
                self._sections_box.removeWidget(box)
                box.deleteLater()
        for position, section in enumerate(report.sections):
            found = self.sections.get(section.key)
            if found is not None:
                box = found
            else:
                box = _SectionBox(section.key, section.title)
                box.table.doubleClicked.connect(lambda index, b=box: self._double_clicked(b, index))
                self.sections[section.key] = box
            self._sections_box.insertWidget(position, box)
            box.show_section(section)
        self.export_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.loaded.emit()

    # -- the records behind a figure --------------------------------------------------------------
    def _double_clicked(self, box: _SectionBox, index: QModelIndex) -> None:
        figure = index.data(RowRole)
        if figure is None:
            return
        key = box.model.columns[index.column()].key
        self.open_records(figure.key, year_to_date=key in _YEAR_TO_DATE)

    def open_records(self, key: str, *, year_to_date: bool = False) -> RecordsDialog | None:
        """The records the figure ``key`` counts, in its period or year to date."""
        from app.ui.reports.records_dialog import RecordsDialog

        report = self.report
        if report is None or self.context.db is None:
            return None
        try:
            figure = report.figure(key)
        except KeyError:
            return None
        value = figure.year_to_date if year_to_date else figure.period
        if value is None:
            self.outcome.setText(f"“{figure.label}”在这一期间不适用，没有明细。")
            return None
        dialog = RecordsDialog(
            self.context,
            report,
            key,
            year_to_date=year_to_date,
            figure=figure_text(figure, value) + unit_text(figure),  # 12,995.50元, 50人
            value=value,
            label=figure.label,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- the same report as files ----------------------------------------------------------------
    def _file_name(self, suffix: str) -> str:
        from app.ui.files import safe_name

        report = self.report
        assert report is not None
        return safe_name(f"{report.union_name}{report.label}报表") + suffix

    def export_xlsx(self, path: Path | None = None) -> bool:
        """The report on screen as a print-ready .xlsx (``path``: where, else the user chooses)."""
        from app.ui.files import XLSX, choose_file, write_file

        report = self.report
        if report is None or self.context.db is None:
            return False
        if path is None:
            path = choose_file(self, "导出报表", self._file_name(".xlsx"), XLSX)
            if path is None:
                return False

        keep = [self.context.db.path]

        def work(_session: Session, out: Path) -> None:
            from app.services.reports import write_period_xlsx

            write_period_xlsx(report, out, keep=keep)

        def written(out: Path) -> None:
            self.outcome.setText(f"报表已导出：{out}")

        write_file(
            self, self.context, path, work, done="报表已导出", label="正在导出报表……", on_written=written
        )
        return True

    def print_report(self) -> PrintPreviewDialog | None:
        """The report on screen as a PDF, in the print preview."""
        from app.ui.print_preview import show_print_preview

        report = self.report
        if report is None:
            return None

        def make(_session: Session, out: Path) -> None:
            from app.services.reports import write_period_pdf

            write_period_pdf(report, out)

        return show_print_preview(self, self.context, f"{report.label}报表", self._file_name(".pdf"), make)


# -- the page ------------------------------------------------------------------------------------
class ReportPage(QWidget):
    """报表: 月报表 and 工作总结."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.ui.reports.summary_editor import SummaryTab

        self.context = context
        self.monthly = MonthlyReportTab(context)
        self.summary: SummaryTab = SummaryTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.monthly, "月报表")
        self.tabs.addTab(self.summary, "工作总结")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def save_state(self) -> None:
        self.monthly.save_state()
        self.summary.save_state()

    def confirm_close(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Whether the window may close: an edited draft not saved is asked about."""
        return self.summary.confirm_discard(ask)
