"""The import wizard's dues panels, and the roster's month the wages apply from."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.domain.yearmonth import YearMonth
from app.ui.dues.import_panel import DuesImportPanel, WageImportPanel
from app.ui.roster.import_panel import RosterImportPanel

THIS_MONTH = YearMonth.of(date.today())


def test_the_roster_panel_passes_the_month_wages_apply_from(qtbot: QtBot) -> None:
    panel = RosterImportPanel()
    qtbot.addWidget(panel)
    assert panel.importer().options.wages_from == THIS_MONTH  # this month unless changed
    with qtbot.waitSignal(panel.changed, timeout=2000):  # a new preview, once the month settles
        panel.wages_from.set_value(YearMonth(2026, 3))
    importer = panel.importer()
    assert importer.options.wages_from == YearMonth(2026, 3)
    assert importer.options.since == date(2026, 3, 1)
    panel.update_existing.setChecked(True)
    assert panel.importer().options.on_existing == "update"


def test_the_dues_panel_passes_month_and_year_only_when_ticked(qtbot: QtBot) -> None:
    panel = DuesImportPanel(year=2025)
    qtbot.addWidget(panel)
    options = panel.importer().options
    assert (options.month, options.year) == (None, None)  # the file says
    panel.use_month.setChecked(True)
    panel.month.set_value(YearMonth(2025, 7))
    panel.use_year.setChecked(True)
    options = panel.importer().options
    assert (options.month, options.year) == (YearMonth(2025, 7), 2025)


def test_the_wage_panel_passes_its_month(qtbot: QtBot) -> None:
    panel = WageImportPanel()
    qtbot.addWidget(panel)
    assert panel.importer().options.month == THIS_MONTH
    panel.month.set_value(YearMonth(2026, 1))
    assert panel.importer().options.month == YearMonth(2026, 1)
