"""The 报表 page's 月报表: a small union built by hand, its September of last year on screen
equal to the service's report (and to what was recorded), every figure opening records that
add up to it, the same report exported as .xlsx and previewed for print."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.yearmonth import YearMonth
from app.ui.main_window import MainWindow
from app.ui.reports.records_dialog import RecordsDialog
from app.ui.reports.report_page import (
    FULL_YEAR,
    HALF,
    MONTH,
    QUARTER,
    SPAN,
    MonthlyReportTab,
    PeriodChooser,
    figure_text,
)
from tests.ui.conftest import open_window, wait_idle
from tests.unit.dues.import_support import id_number

YEAR = date.today().year - 1
SEPTEMBER = YearMonth(YEAR, 9)
REASON = "手术住院，经工会委员会研究同意"


@dataclass(frozen=True)
class ReportUnion:
    """测试工会, everything in YEAR:

    张伟 (男, in since 2010), 王芳 (女, in since 2010, 转出 on 9-15), 李娜 (女, 农民工, joined
    3-10), 赵强 (男, joined 9-5). Dues charged January to December (25 元 a month each, from a
    5,000 元 wage); 张伟 paid 300 元 on 9-10. Care: 张伟 住院 1,200 元 on 9-2 (over the cap, with
    its reason), 李娜 生日 200 元 of goods on 5-20."""

    path: Path
    zhang: int
    wang: int
    li: int
    zhao: int


def build(path: Path) -> ReportUnion:
    from app.domain.care import Occasion
    from app.domain.members import Category, MemberInput
    from app.services.care import CareInput, record_care
    from app.services.dues import PaymentInput, record_payment, roll
    from app.services.roster import create_member
    from app.services.roster.members import change_status
    from app.services.system import ProfileData, save_profile

    db = open_database(path, create=True)
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="安徽"))

        def member(n: int, name: str, joined: date, migrant: bool = False) -> int:
            data = MemberInput(
                name=name,
                id_number=id_number(n),
                joined_on=joined,
                dues_wage_fen=500_000,
                is_migrant_worker=migrant,
                category=Category.MIGRANT if migrant else Category.ON_POST,
            )
            return create_member(s, data)

        zhang = member(1, "张伟", date(2010, 1, 1))
        wang = member(4, "王芳", date(2010, 1, 1))
        li = member(2, "李娜", date(YEAR, 3, 10), migrant=True)
        zhao = member(5, "赵强", date(YEAR, 9, 5))
        change_status(s, wang, "转出", date(YEAR, 9, 15), "调往分公司")
        roll(s, YearMonth(YEAR, 1), YearMonth(YEAR, 12))
        record_payment(s, PaymentInput(zhang, 30_000, date(YEAR, 9, 10)))
        record_care(s, CareInput(Occasion.HOSPITAL, date(YEAR, 9, 2), zhang, cash_fen=120_000, reason=REASON))
        record_care(s, CareInput(Occasion.BIRTHDAY, date(YEAR, 5, 20), li, goods="蛋糕券", goods_fen=20_000))
    db.close()
    return ReportUnion(path, zhang, wang, li, zhao)


@pytest.fixture
def union(tmp_path: Path) -> ReportUnion:
    return build(tmp_path / "report.db")


@pytest.fixture
def report_window(qtbot: QtBot, union: ReportUnion) -> Iterator[MainWindow]:
    window = open_window(qtbot, union.path)
    window.show_page("报表")
    tab = window.reports.monthly
    tab.chooser.set_month(SEPTEMBER)
    show(qtbot, tab, SEPTEMBER, SEPTEMBER)
    yield window
    wait_idle(qtbot)


def show(qtbot: QtBot, tab: MonthlyReportTab, first: YearMonth, last: YearMonth) -> None:
    """Until the report of first..last is on screen."""
    qtbot.waitUntil(
        lambda: tab.report is not None and (tab.report.first, tab.report.last) == (first, last),
        timeout=10_000,
    )
    wait_idle(qtbot)


def db_of(window: MainWindow) -> Database:
    assert window.context.db is not None
    return window.context.db


def cell(tab: MonthlyReportTab, key: str, column: str) -> str:
    """The text shown for figure ``key`` in ``column`` (period, ytd, female, …)."""
    for box in tab.sections.values():
        position = box.model.position_of(key)
        if position is not None:
            text = box.model.index(position, box.model.column_index(column)).data()
            assert isinstance(text, str)
            return text
    raise AssertionError(f"{key} is not on screen")


def test_the_page_shows_the_report_of_the_month(report_window: MainWindow) -> None:
    from app.services.reports import period_report

    tab = report_window.reports.monthly
    assert report_window.stack.currentWidget() is report_window.reports
    with db_of(report_window).reader() as session:
        expected = period_report(session, SEPTEMBER, SEPTEMBER)
    assert tab.report is not None
    assert [s.key for s in tab.report.sections] == [s.key for s in expected.sections]
    assert f"{YEAR}年9月" in tab.heading.text() and "测试工会" in tab.heading.text()
    # every figure of every section, as the service computes it, in its own table
    shown = 0
    for section in expected.sections:
        box = tab.sections[section.key]
        assert box.title() == section.title
        assert box.model.rowCount() == len(section.figures)
        for figure in section.figures:
            assert cell(tab, figure.key, "label") == figure.label
            assert cell(tab, figure.key, "period") == figure_text(figure, figure.period)
            assert cell(tab, figure.key, "ytd") == figure_text(figure, figure.year_to_date)
            if figure.female is not None:
                assert cell(tab, figure.key, "female") == str(figure.female[0])
                assert cell(tab, figure.key, "female_ytd") == str(figure.female[1])
            if figure.migrant is not None:
                assert cell(tab, figure.key, "migrant_ytd") == str(figure.migrant[1])
            shown += 1
    assert shown > 10
    # and what was recorded, read off the screen: 赵强 joined in September, 李娜 in March
    assert (cell(tab, "members.joined", "period"), cell(tab, "members.joined", "ytd")) == ("1", "2")
    assert (cell(tab, "members.joined", "female"), cell(tab, "members.joined", "female_ytd")) == ("0", "1")
    assert cell(tab, "members.joined", "migrant_ytd") == "1"
    assert (cell(tab, "members.transfer_out", "period"), cell(tab, "members.transfer_out", "female")) == (
        "1",
        "1",
    )
    assert cell(tab, "members.closing", "period") == "3"
    # money in yuan with two decimals and thousands; a rate in per cent
    care_amounts = [f for f in expected.sections[2].figures if f.unit == "fen" and f.period]
    assert care_amounts and all(cell(tab, f.key, "period").endswith(".00") for f in care_amounts)
    assert "1,200.00" in [cell(tab, f.key, "period") for f in care_amounts]
    rate = expected.figure("dues.rate")
    assert cell(tab, "dues.rate", "period") == ("—" if rate.period is None else f"{rate.period}%")
    # the 女 / 农民工 columns only where there are sub-counts
    members, dues = tab.sections["members"], tab.sections["dues"]
    assert not members.table.isColumnHidden(members.model.column_index("female"))
    assert dues.table.isColumnHidden(dues.model.column_index("female"))


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 12, 4), YearMonth(2026, 11)),  # December under way: November's report
        (date(2027, 1, 15), YearMonth(2026, 12)),  # January: last year's December
        (date(2026, 7, 31), YearMonth(2026, 6)),
    ],
)
def test_the_period_starts_on_the_last_finished_month(qtbot: QtBot, today: date, month: YearMonth) -> None:
    chooser = PeriodChooser(today=today)
    qtbot.addWidget(chooser)
    assert chooser.kind.currentText() == MONTH and chooser.period() == (month, month)
    # the other kinds start on the quarter, half-year and year that hold that month
    quarter = (month.month - 1) // 3 * 3 + 1
    half = 1 if month.month <= 6 else 7
    expected = {
        QUARTER: (YearMonth(month.year, quarter), YearMonth(month.year, quarter + 2)),
        HALF: (YearMonth(month.year, half), YearMonth(month.year, half + 5)),
        FULL_YEAR: (YearMonth(month.year, 1), YearMonth(month.year, 12)),
        SPAN: (YearMonth(month.year, 1), month),
    }
    for kind, period in expected.items():
        chooser.kind.setCurrentText(kind)
        assert chooser.period() == period, kind


def test_the_page_opens_on_last_months_report(qtbot: QtBot, union: ReportUnion) -> None:
    window = open_window(qtbot, union.path)
    window.show_page("报表")
    tab = window.reports.monthly
    last_month = YearMonth.of(date.today()).add_months(-1)
    show(qtbot, tab, last_month, last_month)
    assert f"{last_month.chinese()}报表" in tab.heading.text()


def test_each_figure_opens_records_that_add_up_to_it(report_window: MainWindow, qtbot: QtBot) -> None:
    tab = report_window.reports.monthly
    report = tab.report
    assert report is not None
    # a double-click on a year-to-date cell opens that figure's records of the year
    box = tab.sections["members"]
    row = box.model.position_of("members.joined")
    assert row is not None
    index = box.table.proxy.mapFromSource(box.model.index(row, box.model.column_index("ytd")))
    box.table.doubleClicked.emit(index)
    dialog = tab.findChild(RecordsDialog)
    assert dialog is not None and dialog.year_to_date and dialog.key == "members.joined"
    qtbot.waitUntil(lambda: dialog.records is not None, timeout=10_000)
    assert dialog.records is not None
    assert sorted(r[dialog.records.columns.index("姓名")] for r in dialog.records.rows) == ["李娜", "赵强"]
    assert dialog.row_count == 2 and "与报表一致" in dialog.status.text()
    shown = [dialog.model.index(r, 1).data() for r in range(2)]  # in the service's order, under 序号
    assert shown == [row[0] for row in dialog.records.rows]
    dialog.close()
    # every figure with a value: its records add up to it, in the period and in the year
    checked = 0
    for figure in report.figures():
        for year_to_date, value in ((False, figure.period), (True, figure.year_to_date)):
            if value is None or figure.unit == "%":
                continue
            opened = tab.open_records(figure.key, year_to_date=year_to_date)
            assert opened is not None

            def answered(d: RecordsDialog = opened) -> bool:
                return d.records is not None or d.error.isVisibleTo(d)

            qtbot.waitUntil(answered, timeout=10_000)
            assert opened.records is not None, (figure.key, opened.error.text())
            assert opened.records.value == value, (figure.key, year_to_date)
            assert "与报表一致" in opened.status.text()
            opened.close()
            checked += 1
    assert checked > 10


def test_other_periods_and_a_span(report_window: MainWindow, qtbot: QtBot) -> None:
    tab = report_window.reports.monthly
    tab.chooser.set_kind(QUARTER, YEAR, 2)
    show(qtbot, tab, YearMonth(YEAR, 7), YearMonth(YEAR, 9))
    assert tab.report is not None and tab.report.label == f"{YEAR}年第三季度"
    assert cell(tab, "members.joined", "period") == "1"
    tab.chooser.set_kind(HALF, YEAR, 0)
    show(qtbot, tab, YearMonth(YEAR, 1), YearMonth(YEAR, 6))
    assert cell(tab, "members.joined", "period") == "1"  # 李娜 in March
    tab.chooser.set_kind(FULL_YEAR, YEAR)
    show(qtbot, tab, YearMonth(YEAR, 1), YearMonth(YEAR, 12))
    assert cell(tab, "members.joined", "period") == "2"
    tab.chooser.set_span(YearMonth(YEAR, 5), YearMonth(YEAR, 9))
    show(qtbot, tab, YearMonth(YEAR, 5), YearMonth(YEAR, 9))
    assert cell(tab, "members.joined", "period") == "1"
    # a span the wrong way round is refused in words, the last report stays
    tab.chooser.set_span(YearMonth(YEAR, 9), YearMonth(YEAR, 5))
    qtbot.waitUntil(lambda: tab.error.isVisibleTo(tab), timeout=5_000)
    assert "起始月份" in tab.error.text()
    assert tab.report is not None and tab.report.first == YearMonth(YEAR, 5)


def test_export_writes_the_report_as_xlsx(report_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    tab = report_window.reports.monthly
    out = tmp_path / "九月报表.xlsx"
    assert tab.export_xlsx(out)
    qtbot.waitUntil(lambda: "已导出" in tab.outcome.text(), timeout=15_000)
    assert out.exists()
    sheet = load_workbook(out).worksheets[0]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    joined = " ".join(texts)
    assert "测试工会" in joined and f"{YEAR}年9月" in joined
    assert "新入会" in joined and "填报人" in joined


def test_print_previews_the_same_report(report_window: MainWindow, qtbot: QtBot) -> None:
    tab = report_window.reports.monthly
    preview = tab.print_report()
    assert preview is not None
    with qtbot.waitSignal(preview.shown, timeout=20_000) as pages:
        pass
    assert pages.args is not None and pages.args[0] >= 1
    assert preview.print_button.isEnabled()
    preview.close()


def test_in_a_narrow_window_the_report_scrolls_sideways_rather_than_cut_columns(
    report_window: MainWindow, qtbot: QtBot
) -> None:
    """The section tables do not scroll themselves: at 1024 pixels the 会员 section's last
    columns (农民工, 统计口径) were cut off the right with no way to see them."""
    from app.ui.reports.report_page import LEAST_LAST

    tab = report_window.reports.monthly

    def at_1024() -> bool:
        report_window.resize(1024, 768)
        return report_window.width() == 1024

    qtbot.waitUntil(at_1024, timeout=5_000)
    members = tab.sections["members"].table
    header = members.horizontalHeader()
    shown = [c for c in range(header.count()) if not members.isColumnHidden(c)]
    columns = sum(header.sectionSize(c) for c in shown[:-1])
    qtbot.waitUntil(lambda: members.width() >= columns + LEAST_LAST, timeout=5_000)
    bar = tab.scroll_area.horizontalScrollBar()
    assert bar.maximum() > 0  # wider than the window: the report scrolls to the rest
    bar.setValue(bar.maximum())
    last = shown[-1]  # 统计口径, in view once scrolled
    right = members.mapTo(tab.scroll_area.viewport(), members.rect().topRight()).x()
    assert right <= tab.scroll_area.viewport().width()
    assert header.sectionViewportPosition(last) + LEAST_LAST <= members.viewport().width()
    header.resizeSection(shown[0], header.sectionSize(shown[0]) + 100)  # a column made wider
    qtbot.waitUntil(lambda: members.minimumWidth() >= columns + 100 + LEAST_LAST, timeout=5_000)
