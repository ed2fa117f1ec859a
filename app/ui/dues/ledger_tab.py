"""会费台账: the member × month grid of a year, its filters, the legend, the rule in words,
and the totals of the year for everyone or the chosen group."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import describe_months, month_span
from app.domain.money import format_fen
from app.domain.union import descendants
from app.domain.yearmonth import YearMonth
from app.services.roster import Roster
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.dues.cells import LOOKS
from app.ui.dues.changes import CELL_TABLES, MEMBER_TABLES
from app.ui.dues.grid_model import SCOPES, STATES, DuesGridModel, GridFilter
from app.ui.dues.totals import TotalsModel, TotalsView
from app.ui.flow_layout import FlowLayout
from app.ui.lifetime import alive
from app.ui.operations import read_operation, show_error
from app.ui.tables import ColumnChooserButton, RowRole, RowTableView
from app.ui.widgets import add_group_items, remember_splitter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.union import GroupInfo
    from app.services.dues.page_data import DuesFigures, DuesMembers, MemberYear
    from app.ui.dues.grid_model import Deliver

_HINT = "background: #fff8e1; border: 1px solid #f0d58c; padding: 8px; font-size: 11pt;"


def legend() -> QWidget:
    """已缴 部分 未缴 免缴 — 未生成: each state's text on its colour, with its meaning."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(QLabel("图例："))
    for look in LOOKS.values():
        chip = QLabel(look.text)
        chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chip.setMinimumWidth(44)
        chip.setStyleSheet(
            f"background: {look.background.color().name()}; color: {look.foreground.color().name()};"
            "border: 1px solid #c8c8c8; padding: 1px 4px;"
        )
        chip.setToolTip(look.meaning)
        row.addWidget(chip)
        if look.short:
            meaning = QLabel(look.short)
            meaning.setStyleSheet("color: #555;")
            meaning.setToolTip(look.meaning)
            row.addWidget(meaning)
    tip = QLabel("双击一行可为这名会员登记缴费")
    tip.setStyleSheet("color: #777; margin-left: 12px;")
    row.addWidget(tip)
    row.addStretch(1)
    return box


class LedgerTab(QWidget):
    loaded = Signal()  # the members of the year are in the grid
    pay_cell = Signal(int, object)  # member id, the month double-clicked (or None)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._members_generation = 0
        self._figures_generation = 0
        self._loaded = False
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self.figures: DuesFigures | None = None
        self.model = DuesGridModel(self._fetch)
        self._build()
        self.model.fetch_failed.connect(
            lambda: self.count_label.setText("有些会员的会费记录没能读出，请稍后重试")
        )
        self.members_refresher = RefreshWhenShown(self, context, MEMBER_TABLES, self.reload_members)
        # a change to the members is the members' refresher's: it reloads the cells too
        self.cells_refresher = RefreshWhenShown(
            self, context, CELL_TABLES, self.reload_cells, handled=lambda c, _i: c.touches(*MEMBER_TABLES)
        )

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        this_year = date.today().year
        self.year = QComboBox()
        self.year.addItem(f"{this_year}年", this_year)
        self.group = QComboBox()
        self.group.setMinimumWidth(150)
        self.group.addItem("全部分组", None)
        self.scope = QComboBox()
        for scope in SCOPES:
            self.scope.addItem(scope, scope)
        self.scope.setToolTip(
            "本年会员：现在在册的会员，加上本年有应缴记录的会员（年内转出、退会的也列出）\n"
            "在册会员：现在在会或退休保留会籍的会员\n全部会员：名册中所有人"
        )
        self.state = QComboBox()
        for state in STATES:
            self.state.addItem(state, state)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：姓名、拼音首字母（如 zw）、全拼、身份证号")
        self.search.setClearButtonEnabled(True)
        bar = FlowLayout()  # wraps in a narrow window rather than widen it
        for caption, widget in (("年度", self.year), ("分组", self.group), ("范围", self.scope),
                                ("缴费情况", self.state)):  # fmt: skip
            bar.addWidget(QLabel(caption))
            bar.addWidget(widget)
        bar.addWidget(self.search)

        self.table = RowTableView("dues_grid", self.model, default_sort=("name", Qt.SortOrder.AscendingOrder))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setMinimumSectionSize(30)
        self.columns_button = ColumnChooserButton(self.table)
        bar.addWidget(self.columns_button)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #444;")
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(_HINT)
        self.hint.hide()
        self.count_label = QLabel("正在载入……")
        self.totals_title = QLabel()
        self.totals_title.setStyleSheet("font-weight: bold;")
        self.totals_summary = QLabel()
        self.totals_summary.setWordWrap(True)
        self.totals = TotalsModel()
        self.totals_view = TotalsView(self.totals)
        # the two rows count months differently, and a secretary checking them against each
        # other would otherwise think the table wrong
        self.totals_note = QLabel(
            "实缴按收到的日期记入月份（一次缴几个月的，全部记在缴费的那个月）；"
            "欠缴按会费所属的月份计，是那个月的应缴中至今还没缴的部分。所以某月实缴少于应缴时，欠缴也可能是 0。"
        )
        self.totals_note.setWordWrap(True)
        self.totals_note.setStyleSheet("color: #555;")
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.totals_title)
        title_row.addWidget(self.totals_summary, 1)
        bottom_layout.addLayout(title_row)
        bottom_layout.addWidget(self.totals_view)
        bottom_layout.addWidget(self.totals_note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setCollapsible(0, False)
        remember_splitter(splitter, "dues_ledger")
        status = FlowLayout()
        status.addWidget(legend())
        status.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.info_label)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        layout.addLayout(status)

        self.year.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.group.currentIndexChanged.connect(lambda _i: self._group_changed())
        for box in (self.scope, self.state):
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.table.rows_reset.connect(self._show_count)
        self.table.doubleClicked.connect(self._double_clicked)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sort_requested)
        self._sort = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        if self.model.is_lazy(self._sort[0]):
            self._sort = (0, Qt.SortOrder.AscendingOrder)

    def save_state(self) -> None:
        self.table.save_state()

    # -- filters ----------------------------------------------------------------------------
    @property
    def chosen_year(self) -> int:
        year = self.year.currentData()
        return int(year) if year is not None else date.today().year

    @property
    def group_id(self) -> int | None:
        value = self.group.currentData()
        return None if value is None else int(value)

    def current_filter(self) -> GridFilter:
        return GridFilter(
            text=self.search.text(),
            group_id=self.group_id,
            scope=str(self.scope.currentData()),
            state=str(self.state.currentData()),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _year_changed(self) -> None:
        self.reload_members()

    def _group_changed(self) -> None:
        self.apply_filter()
        self.reload_figures()

    def _sort_requested(self, section: int, order: Qt.SortOrder) -> None:
        """Months and sums cannot order the grid (they are read a block at a time): the
        indicator goes back to the column the grid is sorted by."""
        if not self.model.is_lazy(section):
            self._sort = (section, order)
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(*self._sort)
        header.blockSignals(False)
        self.count_label.setText("月份和金额列不能排序；要看欠缴最多的会员，请看“欠缴名单”")

    # -- loading --------------------------------------------------------------------------------
    def reload_members(self) -> None:
        """The members of the year (names, groups, base wages), then the figures."""
        if self.context.db is None:
            return
        self._members_generation += 1
        generation = self._members_generation
        year = self.chosen_year

        def work(session: Session) -> DuesMembers:
            from app.services.dues.page_data import load_members

            return load_members(session, year)

        def loaded(members: DuesMembers) -> None:
            if not alive(self) or generation != self._members_generation:
                return
            self._set_groups(members.roster.groups)
            self._set_years(members.years)
            self._loaded = True
            self.model.set_members(members, self.current_filter())
            self.model.drop_cells()
            self.reload_figures()
            self.loaded.emit()

        self.count_label.setText("正在载入……")
        read_operation(self, self.context, work, on_success=loaded, label="正在载入会费台账……")

    def reload_cells(self) -> None:
        """The ledger changed: the rows on screen are read again, and the figures."""
        if not self._loaded:
            self.reload_members()
            return
        self.model.drop_cells()
        self.reload_figures()

    def reload_figures(self) -> None:
        if self.context.db is None:
            return
        self._figures_generation += 1
        generation = self._figures_generation
        year, group_id = self.chosen_year, self.group_id

        def work(session: Session) -> DuesFigures:
            from app.services.dues.page_data import load_figures

            return load_figures(session, year, group_id)

        def loaded(figures: DuesFigures) -> None:
            if alive(self) and generation == self._figures_generation:
                self._show_figures(figures)

        read_operation(self, self.context, work, on_success=loaded, label="正在统计……")

    def _fetch(self, year: int, member_ids: list[int], deliver: Deliver) -> None:
        def work(session: Session) -> dict[int, MemberYear]:
            from app.services.dues.page_data import grid_rows

            return grid_rows(session, year, member_ids)

        def delivered(rows: dict[int, MemberYear]) -> None:
            if alive(self):
                deliver(rows)

        def failed(error: BaseException) -> None:
            if alive(self):
                deliver(None)
                show_error(self, error)

        if read_operation(self, self.context, work, on_success=delivered, on_failure=failed) is None:
            deliver({})  # no 账套 open

    def _set_groups(self, groups: list[GroupInfo]) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部分组", None)
        add_group_items(self.group, groups)
        self.group.setCurrentIndex(max(self.group.findData(current), 0))
        self.group.blockSignals(False)

    def _set_years(self, years: tuple[int, ...]) -> None:
        current = self.chosen_year
        self.year.blockSignals(True)
        self.year.clear()
        for year in sorted({*years, current}, reverse=True):
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)

    def set_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(f"{year}年", year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    # -- what the figures say -----------------------------------------------------------------------
    def _show_figures(self, figures: DuesFigures) -> None:
        self.figures = figures
        self.model.set_behind(figures.behind)
        self.rule_label.setText(f"会费标准　{figures.rule.describe()}")
        year = figures.year
        months = [YearMonth(year, m) for m in range(1, 13)]
        now = YearMonth.of(date.today())
        due_months = [m for m in months if m <= now]
        missing = [m for m in due_months if m not in figures.rolled]
        parts = []
        if figures.rolled:
            parts.append(f"{year}年已生成应缴的月份：{describe_months(figures.rolled)}")
        if missing and figures.rolled:
            parts.append(f"还没有生成：{describe_months(missing)}")
        no_wage = self._active_without_wage()
        if no_wage:
            parts.append(
                f"有 {no_wage} 名在会会员没有会费基数（“会费基数”列显示“未填写”），生成应缴时会跳过他们"
            )
        self.info_label.setText("；".join(parts) + ("。" if parts else ""))
        self.info_label.setVisible(bool(parts))
        if self.model.total_count == 0:
            self.hint.setText(
                "名册里还没有会员。请先在“会员名册”中录入或导入会员，并填写每人的会费基数工资（月工资）。"
            )
        elif not figures.rolled:
            span = describe_months(month_span(months[0], min(months[-1], now))) if months[0] <= now else ""
            self.hint.setText(
                f"{year}年还没有生成应缴会费。点上面的“生成应缴…”，按每人的会费基数生成{span or '各月'}的应缴；"
                "之后就可以“登记缴费”，或用“批量收缴”一次记下工资代扣。"
            )
        self.hint.setVisible(self.model.total_count == 0 or not figures.rolled)
        self._show_totals(figures)

    def _active_without_wage(self) -> int:
        model = self.model
        return sum(
            1 for r in model.rows if r.status == "在会" and r.category != "学徒" and not model.has_wage(r.id)
        )

    def _show_totals(self, figures: DuesFigures) -> None:
        summary = figures.summary
        self.totals.show_summary(summary)
        group = self.group.currentText().strip() if figures.group_id is not None else ""
        who = f"{group}（含下级分组）" if group else "全体会员"
        self.totals_title.setText(f"{figures.year}年合计：{who}")
        scope = descendants(self.model.groups, figures.group_id) if figures.group_id is not None else None
        charged, behind = self.model.people(scope)
        t = summary.totals
        rate = "—" if t.rate is None else f"{t.rate * 100:.1f}%"
        self.totals_summary.setText(
            f"全年应缴 {format_fen(t.due_fen)} 元，实缴 {format_fen(t.paid_fen)} 元{t.unmatched_note()}，"
            f"收缴率 {rate}，欠缴 {format_fen(t.arrears_fen)} 元；应缴会员 {charged} 人，其中有欠缴的 {behind} 人"
        )

    def _show_count(self) -> None:
        if not self._loaded:
            return
        self.count_label.setText(f"显示 {self.model.rowCount()} 人 / 名册共 {self.model.total_count} 人")

    # -- selection and double-click -----------------------------------------------------------------
    def current_member_id(self) -> int | None:
        row = self.table.current_row()
        return None if row is None else int(row.id)

    def select_member(self, member_id: int) -> bool:
        return self.table.select_id(member_id)

    @property
    def roster(self) -> Roster | None:
        """The members read for the grid, for a dialog's member search (None before they are)."""
        return Roster(rows=list(self.model.rows), groups=self.model.groups) if self._loaded else None

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.table.proxy.data(index, RowRole)
        if row is None:
            return
        self.pay_cell.emit(int(row.id), self.model.month_of(self.table.proxy.mapToSource(index).column()))

    def member_year(self, member_id: int) -> MemberYear | None:
        return self.model.member_year(member_id)
