"""会费: the ledger of a year (会费台账) and the arrears list (欠缴名单), with the actions —
生成应缴, 登记缴费, 批量收缴 and the imports of collected dues and of payroll wages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.domain.yearmonth import YearMonth
from app.ui.context import AppContext
from app.ui.dues.arrears_tab import ArrearsTab
from app.ui.dues.ledger_tab import LedgerTab
from app.ui.widgets import menu_button

if TYPE_CHECKING:
    from app.ui.dues.batch_dialog import BatchDialog
    from app.ui.dues.exemptions_dialog import ExemptionsDialog
    from app.ui.dues.payment_dialog import PaymentDialog
    from app.ui.dues.payments_dialog import PaymentsDialog
    from app.ui.dues.roll_dialog import RollDialog
    from app.ui.dues.rolls_dialog import RollsDialog
    from app.ui.dues.rule_dialog import RuleDialog
    from app.ui.imports.wizard import ImportWizard


class DuesPage(QWidget):
    ready = Signal()  # the year's members are in the grid

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ledger = LedgerTab(context)
        self.model = self.ledger.model
        self.arrears = ArrearsTab(context)
        self.roll_button = QPushButton("生成应缴…")
        self.roll_button.setToolTip("按会费基数为每名会员生成所选月份的应缴会费（已生成的月份可以重新计算）")
        self.pay_button = QPushButton("登记缴费…")
        self.pay_button.setToolTip("登记一名会员交来的会费（现金、转账、微信支付宝或工资代扣），可打印收据")
        self.payments_button = QPushButton("缴费记录…")
        self.payments_button.setToolTip("查看一名会员的每一笔缴费：补打收据，删除录错的缴费")
        self.batch_button = QPushButton("批量收缴…")
        self.batch_button.setToolTip("把一个分组（或全体）几个月的未缴会费一次记为工资代扣已缴")
        self.import_button = menu_button("导入")
        menu = QMenu(self)
        menu.addAction("导入已收会费（代扣明细或会费台账）…", self.import_dues)
        menu.addAction("导入工资表（更新会费基数）…", self.import_wages)
        self.import_button.setMenu(menu)
        self.more_button = menu_button("会费设置")
        self.more_button.setToolTip("应缴生成记录（可撤销）、免缴登记、会费标准（费率、应缴月份规则）")
        more = QMenu(self)
        more.addAction("应缴生成记录…", self.show_rolls)
        more.addAction("免缴设置…", lambda: self.exemptions())
        more.addAction("会费标准…", self.rules)
        self.more_button.setMenu(more)
        self.roll_button.clicked.connect(self.roll)
        self.pay_button.clicked.connect(lambda: self.record_payment())
        self.payments_button.clicked.connect(lambda: self.show_payments())
        self.batch_button.clicked.connect(self.batch)
        self._buttons: tuple[QWidget, ...] = (self.roll_button, self.pay_button, self.payments_button,
                                              self.batch_button, self.import_button, self.more_button)  # fmt: skip
        for button in self._buttons:
            button.setEnabled(False)  # until the 账套 is open
        top = QHBoxLayout()
        for button in self._buttons:
            top.addWidget(button)
        top.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ledger, "会费台账")
        self.tabs.addTab(self.arrears, "欠缴名单")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.ledger.loaded.connect(self._ledger_loaded)
        self.ledger.pay_cell.connect(self._pay_cell)
        self.arrears.pay_member.connect(lambda member_id: self.record_payment(member_id))
        context.follow_database(self._database_opened)  # built after the open: read when shown

    def save_state(self) -> None:
        self.ledger.save_state()
        self.arrears.table.save_state()

    def _database_opened(self, _db: object) -> None:
        for button in self._buttons:
            button.setEnabled(True)
        self.ledger.members_refresher.mark_stale()  # read when the page is first shown
        self.arrears.refresher.mark_stale()

    def _ledger_loaded(self) -> None:
        self.arrears.set_groups(self.model.groups)
        self.ready.emit()

    def show_arrears(self) -> None:
        self.tabs.setCurrentWidget(self.arrears)

    # -- actions -----------------------------------------------------------------------------
    def roll(self) -> RollDialog | None:
        from app.ui.dues.roll_dialog import RollDialog

        if self.context.db is None:
            return None
        figures = self.ledger.figures
        rolled = figures.rolled if figures is not None else ()
        dialog = RollDialog(self.context, self, year=self.ledger.chosen_year, rolled=rolled)
        dialog.open()
        return dialog

    def record_payment(
        self, member_id: int | None = None, month: YearMonth | None = None
    ) -> PaymentDialog | None:
        from app.ui.dues.payment_dialog import PaymentDialog

        if self.context.db is None:
            return None
        chosen = member_id if member_id is not None else self.ledger.current_member_id()
        dialog = PaymentDialog(
            self.context, self.ledger.roster, self, member_id=chosen, year=self.ledger.chosen_year
        )
        if month is not None and chosen is not None:
            dialog.months.set_months([month])
            year = self.ledger.member_year(chosen)
            if year is not None:
                cell = year.cells[month.month - 1]
                if cell.due_fen > cell.paid_fen:
                    from app.domain.money import format_fen

                    dialog.amount.setText(format_fen(cell.due_fen - cell.paid_fen, thousands=False))
        dialog.open()
        return dialog

    def show_payments(self, member_id: int | None = None) -> PaymentsDialog | None:
        """缴费记录 of a member (the one selected in the ledger, unless named)."""
        from app.ui.dues.payments_dialog import PaymentsDialog

        if self.context.db is None:
            return None
        chosen = member_id if member_id is not None else self.ledger.current_member_id()
        dialog = PaymentsDialog(self.context, self.ledger.roster, self, member_id=chosen)
        dialog.open()
        return dialog

    def _pay_cell(self, member_id: int, month: YearMonth | None) -> None:
        year = self.ledger.member_year(member_id)
        owed = month is not None and year is not None and year.cells[month.month - 1].due_fen > (
            year.cells[month.month - 1].paid_fen
        )  # fmt: skip
        self.record_payment(member_id, month if owed else None)

    def batch(self) -> BatchDialog | None:
        from app.ui.dues.batch_dialog import BatchDialog

        if self.context.db is None:
            return None
        year = self.ledger.chosen_year
        figures = self.ledger.figures
        last = max(figures.rolled) if figures is not None and figures.rolled else None
        # one month, the latest rolled: a payroll deduction is a month's; a wider span, which
        # would mark every arrear of the year paid, has to be chosen
        dialog = BatchDialog(
            self.context,
            self.model.groups,
            self,
            group_id=self.ledger.group_id,
            first=last or YearMonth(year, 1),
            last=last,
        )
        dialog.open()
        return dialog

    def import_dues(self) -> ImportWizard | None:
        from app.ui.dues.import_panel import DuesImportPanel
        from app.ui.imports.wizard import ImportWizard

        if self.context.db is None:
            return None
        wizard = ImportWizard(self.context, DuesImportPanel(self.ledger.chosen_year), self)
        wizard.open()
        return wizard

    def import_wages(self) -> ImportWizard | None:
        from app.ui.dues.import_panel import WageImportPanel
        from app.ui.imports.wizard import ImportWizard

        if self.context.db is None:
            return None
        wizard = ImportWizard(self.context, WageImportPanel(), self)
        wizard.open()
        return wizard

    def show_rolls(self) -> RollsDialog | None:
        from app.ui.dues.rolls_dialog import RollsDialog

        if self.context.db is None:
            return None
        dialog = RollsDialog(self.context, self)
        dialog.open()
        return dialog

    def exemptions(self, member_id: int | None = None) -> ExemptionsDialog | None:
        """All exemptions, or one member's; adding one starts from the member chosen."""
        from app.ui.dues.exemptions_dialog import ExemptionsDialog

        if self.context.db is None:
            return None
        chosen = member_id if member_id is not None else self.ledger.current_member_id()
        dialog = ExemptionsDialog(self.context, self.ledger.roster, self, member_id=member_id)
        if member_id is None and chosen is not None:
            dialog.picker.choose(chosen)
        dialog.open()
        return dialog

    def rules(self) -> RuleDialog | None:
        from app.ui.dues.rule_dialog import RuleDialog

        if self.context.db is None:
            return None
        dialog = RuleDialog(self.context, self)
        dialog.open()
        return dialog
