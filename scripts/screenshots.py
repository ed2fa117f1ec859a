"""Screenshots of every window, for looking at the GUI as a user would.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots.py OUTDIR

Builds a demo 账套 in a temporary folder (nothing of the user's is touched).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.care.batch_dialog import CareBatchDialog
    from app.ui.care.batches_dialog import BatchesDialog
    from app.ui.care.record_dialog import CareRecordDialog
    from app.ui.dues.batch_dialog import BatchDialog
    from app.ui.dues.exemptions_dialog import ExemptionsDialog
    from app.ui.dues.payment_dialog import PaymentDialog
    from app.ui.dues.roll_dialog import RollDialog
    from app.ui.dues.rolls_dialog import RollsDialog
    from app.ui.dues.rule_dialog import RuleDialog
    from app.ui.imports.wizard import ImportWizard
    from app.ui.print_preview import PrintPreviewDialog


def write_deductions(session: object, path: Path) -> None:
    """A month's payroll deduction list as a payroll office sends it: who is behind, paying
    their last month (for the dues import wizard)."""
    from openpyxl import Workbook

    from app.services.dues import list_arrears

    rows = list_arrears(session)[:8]  # type: ignore[arg-type]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    last = max(m for r in rows for m, _ in r.months)
    sheet.append([f"{last.chinese()}工会会费代扣明细"])
    sheet.append(["序号", "姓名", "部门", "身份证号", "代扣会费"])
    for number, row in enumerate(rows, start=1):
        owed = dict(row.months).get(last, 0)
        sheet.append([number, row.name, row.group, row.id_number, owed / 100])
    book.save(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="uniondesk-shots-"))
    os.environ["UNIONDESK_HOME"] = str(home)

    from app.db import open_database
    from app.services.system.demo import build_demo

    db_path = home / "demo.db"
    db = open_database(db_path)
    with db.session() as session:
        build_demo(session, members=500)
    deductions = home / "会费代扣明细.xlsx"
    with db.reader() as session:
        write_deductions(session, deductions)
    db.close()

    from PySide6.QtCore import QTimer

    from app.ui.app import create_application

    app, _collector = create_application()
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1360, 820)
    window.show()
    shots: list[tuple[str, object]] = []

    def wait_then(delay: int, action: object) -> None:
        shots.append((str(delay), action))

    def grab(widget: object, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        print(out / f"{name}.png")

    def step_roster() -> None:
        window.roster.select_member(window.roster.model.row_at(3).id)
        QTimer.singleShot(600, step_roster_shot)

    def step_roster_shot() -> None:
        grab(window, "1-roster")
        window.roster.search.setText("zh")
        QTimer.singleShot(300, lambda: (grab(window, "2-roster-search-zh"), step_dialog()))

    def step_dialog() -> None:
        window.roster.search.clear()
        window.roster.select_member(window.roster.model.row_at(0).id)
        QTimer.singleShot(600, open_dialog)

    def open_dialog() -> None:
        window.roster.edit_member()
        QTimer.singleShot(500, shot_dialog)

    def shot_dialog() -> None:
        dialog = window.roster.findChild(
            __import__("app.ui.roster.member_dialog", fromlist=["x"]).MemberDialog
        )
        grab(dialog, "3-edit-dialog")
        dialog.id_number.setText("11010519491231002Y")
        dialog.phone.setText("12345")
        dialog.name.setText("")
        dialog.save()
        grab(dialog, "4-edit-dialog-errors")
        dialog.reject()
        window.roster.change_status()
        QTimer.singleShot(400, shot_status)

    def shot_status() -> None:
        from app.ui.roster.status_dialog import StatusDialog

        dialog = window.roster.findChild(StatusDialog)
        grab(dialog, "5-status-dialog")
        dialog.reject()
        window.show_page("首页")
        QTimer.singleShot(
            500,
            lambda: (grab(window, "6-home"), window.show_page("设置"), QTimer.singleShot(500, shot_settings)),
        )

    def shot_settings() -> None:
        grab(window, "7-settings")
        window.show_page("会费")
        when(lambda: window.dues.ledger.figures is not None and not window.dues.model.pending, shot_dues)

    # -- 会费 ---------------------------------------------------------------------------------
    def when(ready: Callable[[], bool], then: Callable[[], None], waited: int = 0) -> None:
        """``then`` once ``ready()`` (the page's background reads are in), checking every 100 ms."""
        if ready() or waited > 100:
            QTimer.singleShot(300, then)  # and the repaint after them
        else:
            QTimer.singleShot(100, lambda: when(ready, then, waited + 1))

    def shot_dues() -> None:
        grab(window, "8-dues-grid")
        ledger = window.dues.ledger
        model = window.dues.model
        # someone behind, for the payment dialog and the cell tooltips
        ledger.state.setCurrentIndex(ledger.state.findData("只看欠缴"))
        when(lambda: not model.pending, shot_dues_behind)

    def shot_dues_behind() -> None:
        grab(window, "9-dues-grid-behind")
        ledger = window.dues.ledger
        member = ledger.model.row_at(0).id
        ledger.select_member(member)
        dialog = window.dues.record_payment(member)
        assert dialog is not None
        when(lambda: dialog.fill_owed.isEnabled(), lambda: shot_payment(dialog))

    def shot_payment(dialog: PaymentDialog) -> None:
        dialog._fill_owed()
        grab(dialog, "10-payment-dialog")
        dialog.amount.setText("12.345")
        QTimer.singleShot(300, lambda: shot_payment_error(dialog))

    def shot_payment_error(dialog: PaymentDialog) -> None:
        grab(dialog, "11-payment-dialog-error")
        dialog.reject()
        window.dues.ledger.state.setCurrentIndex(0)
        batch = window.dues.batch()
        assert batch is not None
        batch.group.setCurrentIndex(2)
        batch.preview()
        when(lambda: batch.plan is not None, lambda: shot_batch(batch))

    def shot_batch(batch: BatchDialog) -> None:
        grab(batch, "12-batch-dialog")
        batch.reject()
        roll = window.dues.roll()
        assert roll is not None
        QTimer.singleShot(300, lambda: shot_roll(roll))

    def shot_roll(roll: RollDialog) -> None:
        grab(roll, "13-roll-dialog")
        roll.reject()
        rolls = window.dues.show_rolls()
        assert rolls is not None
        when(lambda: rolls.model.rowCount() > 0, lambda: shot_rolls(rolls))

    def shot_rolls(rolls: RollsDialog) -> None:
        rolls.table.select_id(rolls.model.rows[-1].id)
        QTimer.singleShot(200, lambda: grab(rolls, "13a-rolls-dialog"))
        QTimer.singleShot(400, rolls.reject)
        member = window.dues.model.row_at(0).id
        exemptions = window.dues.exemptions(member)
        assert exemptions is not None
        QTimer.singleShot(800, lambda: shot_exemptions(exemptions))

    def shot_exemptions(exemptions: ExemptionsDialog) -> None:
        exemptions.reason.setText("长期病休，经工会委员会同意")
        exemptions.has_last.setChecked(True)
        grab(exemptions, "13b-exemptions-dialog")
        exemptions.reject()
        rules = window.dues.rules()
        assert rules is not None
        when(lambda: rules.model.rowCount() > 0, lambda: shot_rules(rules))

    def shot_rules(rules: RuleDialog) -> None:
        rules.rate.setText("半个百分点")
        rules.save()
        QTimer.singleShot(200, lambda: grab(rules, "13c-rule-dialog"))
        QTimer.singleShot(400, rules.reject)
        QTimer.singleShot(500, after_rules)

    def after_rules() -> None:
        window.dues.show_arrears()
        arrears = window.dues.arrears
        when(lambda: arrears.model.rowCount() > 0, shot_arrears)

    def shot_arrears() -> None:
        grab(window, "14-arrears")
        window.show_page("会员名册")
        roster = window.roster
        roster.select_member(roster.model.row_at(5).id)
        QTimer.singleShot(800, shot_roster_dues)

    def shot_roster_dues() -> None:
        window.roster.detail.tabs.setCurrentIndex(1)
        QTimer.singleShot(300, shot_roster_charges)

    def shot_roster_charges() -> None:
        grab(window, "15-roster-dues-panel")
        window.roster.detail.tabs.setCurrentIndex(2)
        QTimer.singleShot(300, shot_roster_payments)

    def shot_roster_payments() -> None:
        grab(window.roster.detail, "16-roster-payments")
        wizard = window.dues.import_dues()
        assert wizard is not None
        wizard.file_page.load(home / "会费代扣明细.xlsx")
        when(lambda: wizard.file_page.isComplete(), lambda: shot_import_file(wizard))

    def shot_import_file(wizard: ImportWizard) -> None:
        grab(wizard, "17-dues-import-file")
        wizard.next()
        QTimer.singleShot(400, lambda: shot_import_mapping(wizard))

    def shot_import_mapping(wizard: ImportWizard) -> None:
        from app.ui.dues.import_panel import DuesImportPanel

        grab(wizard, "18-dues-import-mapping")
        panel = wizard.state.panel
        assert isinstance(panel, DuesImportPanel)
        panel.use_month.setChecked(True)
        panel.month.set_value(panel.month.value().add_months(-1))
        wizard.next()
        QTimer.singleShot(
            900, lambda: when(lambda: wizard.state.plan is not None, lambda: shot_import_preview(wizard))
        )

    def shot_import_preview(wizard: ImportWizard) -> None:
        grab(wizard, "19-dues-import-preview")
        wizard.reject()
        window.show_page("慰问帮扶")
        when(lambda: window.care.model.total_count > 0, shot_care)

    # -- 慰问帮扶 ----------------------------------------------------------------------------------
    def shot_care() -> None:
        page = window.care
        grab(window, "20-care-page")
        festival = page.occasion.findData("节日慰问")
        page.occasion.setCurrentIndex(festival)
        groups = [row.group.split(" / ")[0] for row in page.model.shown() if row.group]
        if groups:
            page.group.setCurrentIndex(page.group.findData(max(set(groups), key=groups.count)))
        QTimer.singleShot(300, shot_care_filtered)

    def shot_care_filtered() -> None:
        grab(window, "21-care-page-filtered")
        page = window.care
        page.occasion.setCurrentIndex(0)
        page.group.setCurrentIndex(0)
        dialog = page.batch()
        assert dialog is not None
        dialog.ready.connect(lambda: fill_batch(dialog))

    def fill_batch(dialog: CareBatchDialog) -> None:
        dialog.occasion.setCurrentIndex(dialog.occasion.findData("节日慰问"))
        dialog.variant.setCurrentText("元旦")
        dialog.goods.setText("大米一袋、食用油一桶")
        dialog.goods_value.setText("1400")  # with the 中秋 goods, over 1,500 a year for most
        dialog.approver.setText("工会主席")
        dialog.chooser.setCurrentText("分组")
        dialog.group.setCurrentIndex(1)
        dialog.previewed.connect(lambda: QTimer.singleShot(300, lambda: shot_batch_preview(dialog)))
        dialog.preview()

    def shot_batch_preview(dialog: CareBatchDialog) -> None:
        dialog.previewed.disconnect()
        over = [line for line in dialog.model.rows if line.over]
        if over:
            dialog.table.select_id(over[0].member_id)
        grab(dialog, "22-care-batch-preview")
        dialog.reason.setText("元旦慰问统一标准，经工会委员会研究同意")
        dialog.created.connect(lambda _id: QTimer.singleShot(300, lambda: shot_batch_given(dialog)))
        dialog.give()

    def shot_batch_given(dialog: CareBatchDialog) -> None:
        grab(dialog, "23-care-batch-given")
        sheet = dialog.print_sheet()
        assert sheet is not None
        sheet.shown.connect(lambda _pages: QTimer.singleShot(400, lambda: shot_sheet(dialog, sheet)))

    def shot_sheet(dialog: CareBatchDialog, sheet: PrintPreviewDialog) -> None:
        grab(sheet, "24-care-sign-sheet-preview")
        sheet.reject()
        dialog.reject()
        batches = window.care.show_batches()
        assert batches is not None
        when(lambda: batches.model.rowCount() > 0, lambda: shot_batches(batches))

    def shot_batches(batches: BatchesDialog) -> None:
        grab(batches, "25-care-batches")
        batches.reject()
        page = window.care
        over = next((r for r in page.model.shown() if r.over_cap), page.model.row_at(0))
        page.table.select_id(over.id)
        voucher = page.print_voucher()
        assert voucher is not None
        voucher.shown.connect(lambda _pages: QTimer.singleShot(400, lambda: shot_voucher(voucher)))

    def shot_voucher(voucher: PrintPreviewDialog) -> None:
        grab(voucher, "26-care-voucher-preview")
        voucher.reject()
        editor = window.care.edit_record()
        assert editor is not None
        editor.ready.connect(lambda: QTimer.singleShot(600, lambda: shot_editor(editor)))

    def shot_editor(editor: CareRecordDialog) -> None:
        grab(editor, "27-care-edit-dialog")
        editor.reject()
        row = window.care.table.current_row()
        window.show_page("会员名册")
        roster = window.roster
        roster.search.clear()
        if row is not None and row.member_id is not None:
            roster.select_member(row.member_id)
        QTimer.singleShot(800, shot_member_care)

    def shot_member_care() -> None:
        detail = window.roster.detail
        detail.tabs.setCurrentIndex(detail.tabs.count() - 1)
        QTimer.singleShot(500, lambda: (grab(window, "28-roster-care-tab"), shot_hardship()))

    def shot_hardship() -> None:
        window.show_page("慰问帮扶")
        care = window.care
        care.tabs.setCurrentWidget(care.hardship)
        QTimer.singleShot(1000, shot_hardship_editor)

    def shot_hardship_editor() -> None:
        grab(window, "29-care-hardship-files")
        panel = window.care.hardship
        panel.table.selectRow(0)
        editor = panel.edit_file()
        if editor is None:
            app.quit()
            return
        QTimer.singleShot(
            1000, lambda: (grab(editor, "30-care-hardship-editor"), editor.reject(), shot_policy())
        )

    def shot_policy() -> None:
        policy = window.care.show_policy()
        words = window.care.show_words()
        if policy is None or words is None:
            app.quit()
            return

        def both() -> None:
            grab(policy, "31-care-policy")
            grab(words, "32-care-words")
            policy.reject()
            words.reject()
            window.show_page("首页")
            QTimer.singleShot(800, lambda: (grab(window, "33-home-reminders"), app.quit()))

        QTimer.singleShot(1000, both)

    window.roster_ready.connect(lambda: QTimer.singleShot(1200, step_roster))
    window.open_database(db_path)
    QTimer.singleShot(150_000, app.quit)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
