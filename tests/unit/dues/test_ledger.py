"""The roll, payments, batches, summaries and arrears against a real 账套."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.db import Database
from app.domain.dues import Period
from app.domain.members import MemberInput
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues import (
    PaymentInput,
    apply_batch,
    delete_payment,
    get_payment,
    list_arrears,
    list_rolls,
    member_dues,
    payment_notes,
    plan_batch,
    reconcile,
    record_payment,
    roll,
    summarize,
    undo_roll,
    year_grid,
)
from app.services.dues.ledger import CellState
from app.services.errors import UserError, ValidationError
from app.services.roster import add_group, create_member, set_dues_wage
from app.services.roster.members import change_status

TODAY = date(2026, 12, 1)
JAN, JUN, NOV = YearMonth(2026, 1), YearMonth(2026, 6), YearMonth(2026, 11)


def add(
    db: Database, name: str, id_number: str, joined: date, wage_fen: int | None = 308500, **kw: object
) -> int:
    with db.session() as session:
        data = MemberInput(name=name, id_number=id_number, joined_on=joined, dues_wage_fen=None)
        for key, value in kw.items():
            setattr(data, key, value)
        member_id = create_member(session, data, today=TODAY)
        if wage_fen is not None:
            set_dues_wage(session, member_id, wage_fen, date(2026, 1, 1))
        return member_id


@pytest.fixture
def three(db: Database) -> dict[str, int]:
    """张伟 since 2010 (15.40 a month), 李娜 joined 15 March 2026, 王芳 without a wage."""
    return {
        "zhang": add(db, "张伟", "11010519491231002X", date(2010, 5, 1)),
        "li": add(db, "李娜", "440524199003150022", date(2026, 3, 15), wage_fen=500000),
        "wang": add(db, "王芳", "110101199003074477", date(2015, 1, 1), wage_fen=None),
    }


def charges(db: Database, member_id: int) -> list[tuple[int, int, int]]:
    with db.reader() as session:
        return [
            (m.month, due, paid)
            for m, due, paid in session.execute(
                select(DuesCharge.month, DuesCharge.due_fen, DuesCharge.paid_fen)
                .where(DuesCharge.member_id == member_id)
                .order_by(DuesCharge.month)
            )
        ]


def test_the_roll_charges_paying_months_once_and_names_who_has_no_wage(
    db: Database, three: dict[str, int]
) -> None:
    with db.session() as session:
        result = roll(session, JAN, NOV, today=TODAY)
    assert result.created == 11 + 8  # 张伟 Jan–Nov, 李娜 Apr–Nov
    assert result.due_fen == 11 * 1540 + 8 * 2500
    assert result.missing_wage == {"王芳": [JAN.add_months(i) for i in range(11)]}
    assert charges(db, three["li"])[0] == (4, 2500, 0)
    with db.session() as session:
        again = roll(session, JAN, NOV, today=TODAY)
    assert (again.roll_id, again.created, again.changed) == (None, 0, False)
    with db.reader() as session:
        assert len(list_rolls(session)) == 1


def test_future_months_and_reversed_ranges_are_refused(db: Database, three: dict[str, int]) -> None:
    with pytest.raises(UserError, match="还没有到"), db.session() as session:
        roll(session, JAN, YearMonth(2027, 1), today=TODAY)
    with pytest.raises(UserError, match="早于"), db.session() as session:
        roll(session, NOV, JAN, today=TODAY)


def test_a_changed_wage_recalculates_only_unpaid_months(db: Database, three: dict[str, int]) -> None:
    zhang = three["zhang"]
    with db.session() as session:
        roll(session, JAN, NOV, today=TODAY)
        record_payment(session, PaymentInput(zhang, 3 * 1540, date(2026, 3, 31), "工资代扣"), today=TODAY)
        set_dues_wage(session, zhang, 600000, date(2026, 1, 1))  # a correction for the whole year
    with db.session() as session:
        result = roll(session, JAN, NOV, today=TODAY)
    assert result.recalculated == 8
    dues = charges(db, zhang)
    assert [d for _, d, _ in dues[:3]] == [1540] * 3  # paid months keep theirs
    assert [d for _, d, _ in dues[3:]] == [3000] * 8


def test_retirement_entered_later_removes_unpaid_charges(db: Database, three: dict[str, int]) -> None:
    zhang = three["zhang"]
    with db.session() as session:
        roll(session, JAN, NOV, today=TODAY)
        change_status(session, zhang, "退休保留会籍", date(2026, 6, 15), "退休", today=TODAY)
    with db.session() as session:
        result = roll(session, JAN, NOV, today=TODAY)
    assert result.removed == 5  # July–November; June is still owed (a member on 1 June)
    assert [m for m, _, _ in charges(db, zhang)] == [1, 2, 3, 4, 5, 6]


def test_a_roll_can_be_undone_only_while_nothing_is_paid(db: Database, three: dict[str, int]) -> None:
    with db.session() as session:
        first = roll(session, JAN, JUN, today=TODAY)
        second = roll(session, YearMonth(2026, 7), NOV, today=TODAY)
        record_payment(session, PaymentInput(three["zhang"], 1540, date(2026, 2, 1)), today=TODAY)
    assert first.roll_id is not None and second.roll_id is not None
    with pytest.raises(UserError, match="不能撤销"), db.session() as session:
        undo_roll(session, first.roll_id)
    with db.session() as session:
        assert undo_roll(session, second.roll_id) == 5 + 5
    assert [m for m, _, _ in charges(db, three["zhang"])] == [1, 2, 3, 4, 5, 6]


def test_payments_cover_oldest_first_and_keep_the_rest_as_credit(db: Database, three: dict[str, int]) -> None:
    zhang = three["zhang"]
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        record_payment(session, PaymentInput(zhang, 2000, date(2026, 2, 10)), today=TODAY)  # 1 month + 4.60
    assert [(d, p) for _, d, p in charges(db, zhang)][:3] == [(1540, 1540), (1540, 460), (1540, 0)]
    with db.session() as session:
        record_payment(session, PaymentInput(zhang, 10_000, date(2026, 6, 30)), today=TODAY)
        dues = member_dues(session, zhang)
    assert all(c.paid_fen == c.due_fen for c in dues.charges)
    assert dues.balance_fen == 6 * 1540 - 12_000  # paid ahead: negative
    with db.session() as session:  # the credit covers the months rolled later
        roll(session, YearMonth(2026, 7), NOV, today=TODAY)
    paid = [p for _, _, p in charges(db, zhang)]
    assert sum(paid) == 12_000 and paid[6] == 1540 and paid[7] == 12_000 - 7 * 1540 and paid[8] == 0


def test_named_months_are_covered_and_deleting_a_payment_uncovers_them(
    db: Database, three: dict[str, int]
) -> None:
    zhang = three["zhang"]
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        payment = record_payment(
            session, PaymentInput(zhang, 1540, date(2026, 6, 1), "现金", months=(JUN,)), today=TODAY
        )
    assert [p for _, _, p in charges(db, zhang)] == [0, 0, 0, 0, 0, 1540]
    with db.session() as session:
        delete_payment(session, payment)
    assert [p for _, _, p in charges(db, zhang)] == [0] * 6


def test_a_payment_with_nothing_to_cover_says_why(db: Database, three: dict[str, int]) -> None:
    zhang, li = three["zhang"], three["li"]
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        ahead = record_payment(
            session,
            PaymentInput(zhang, 3080, date(2026, 6, 1), months=(JUN, YearMonth(2026, 7))),
            today=TODAY,
        )
        assert payment_notes(session, get_payment(session, ahead)) == [
            "2026年7月还没有生成应缴，生成后这笔钱会先冲抵这些月份"
        ]
        before_joining = record_payment(
            session, PaymentInput(li, 1000, date(2026, 6, 1), months=(YearMonth(2026, 2),)), today=TODAY
        )
        assert payment_notes(session, get_payment(session, before_joining)) == [
            "2026年2月这名会员没有应缴（当时不是缴费会员、已免缴或没有会费基数）"
        ]
        change_status(session, three["wang"], "退休保留会籍", date(2026, 7, 1), "退休", today=TODAY)
        retired = record_payment(session, PaymentInput(three["wang"], 500, date(2026, 7, 2)), today=TODAY)
        (note,) = payment_notes(session, get_payment(session, retired))
        assert note.startswith("这名会员的会籍状态是“保留会籍”，现在不需缴纳会费")
        covering = record_payment(session, PaymentInput(li, 2500, date(2026, 6, 2)), today=TODAY)
        assert payment_notes(session, get_payment(session, covering)) == []
        slip = record_payment(session, PaymentInput(li, 2500 * 100, date(2026, 6, 3)), today=TODAY)
        assert payment_notes(session, get_payment(session, slip)) == [
            "余下的 2,460.00 元超过这名会员一年的会费（每月 25.00 元），请核对金额是否多写了位数"
        ]


def test_bad_payments_name_the_field_and_write_nothing(db: Database, three: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        record_payment(session, PaymentInput(three["zhang"], 0, date(2027, 1, 1), "支票"), today=TODAY)
    assert set(caught.value.errors) == {"amount_fen", "paid_on", "method"}
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(DuesPayment)) == 0


def test_cash_payments_get_receipt_numbers_and_duplicates_are_refused(
    db: Database, three: dict[str, int]
) -> None:
    with db.session() as session:
        first = record_payment(session, PaymentInput(three["zhang"], 1540, date(2026, 3, 1)), today=TODAY)
        second = record_payment(session, PaymentInput(three["zhang"], 1540, date(2026, 3, 2)), today=TODAY)
        payroll = record_payment(
            session, PaymentInput(three["zhang"], 1540, date(2026, 3, 3), "工资代扣"), today=TODAY
        )
        numbers = [session.get(DuesPayment, i).receipt_no for i in (first, second, payroll)]  # type: ignore[union-attr]
    assert numbers == ["2026-0001", "2026-0002", ""]
    with pytest.raises(ValidationError, match="已用于张伟"), db.session() as session:
        record_payment(session, PaymentInput(three["zhang"], 1540, date(2026, 3, 4), receipt_no="2026-0001"))


def test_batch_preview_and_apply_cover_exactly_what_is_owed(db: Database) -> None:
    with db.session() as session:
        office = add_group(session, "办公室")
    a = add(db, "甲", "11010519491231002X", date(2010, 1, 1), group_id=office)
    b = add(db, "乙", "440524199003150022", date(2010, 1, 1), wage_fen=500000, group_id=office)
    c = add(db, "丙", "110101199003074477", date(2010, 1, 1))  # not in the group
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        record_payment(session, PaymentInput(a, 1540, date(2026, 1, 5)), today=TODAY)
        plan = plan_batch(session, JAN, YearMonth(2026, 3), office)
    assert [(line.name, line.amount_fen) for line in plan.lines] == [("乙", 3 * 2500), ("甲", 2 * 1540)]
    with db.session() as session:
        written = apply_batch(session, plan, paid_on=date(2026, 3, 31), today=TODAY)
    assert written == 2
    assert [p for _, _, p in charges(db, a)][:3] == [1540] * 3
    assert [p for _, _, p in charges(db, b)] == [2500, 2500, 2500, 0, 0, 0]
    assert all(p == 0 for _, _, p in charges(db, c))
    with pytest.raises(UserError, match="无需批量"), db.session() as session:
        apply_batch(session, plan_batch(session, JAN, YearMonth(2026, 3), office), paid_on=date(2026, 3, 31))


def test_summary_arrears_grid_and_the_check_agree(db: Database, three: dict[str, int]) -> None:
    zhang, li = three["zhang"], three["li"]
    with db.session() as session:
        roll(session, JAN, NOV, today=TODAY)
        record_payment(session, PaymentInput(zhang, 6 * 1540, date(2026, 6, 20), "现金"), today=TODAY)
        record_payment(session, PaymentInput(li, 2500, date(2026, 4, 30), "工资代扣"), today=TODAY)
    with db.reader() as session:
        year = summarize(session, Period.parse("2026"))
        june = summarize(session, Period.parse("2026-06"))
        arrears = {row.name: row for row in list_arrears(session)}
        grid = year_grid(session, 2026, [zhang, li, three["wang"]])
        assert reconcile(session) == []
    assert year.totals.due_fen == 11 * 1540 + 8 * 2500
    assert year.totals.paid_fen == 6 * 1540 + 2500
    assert year.totals.arrears_fen == 5 * 1540 + 7 * 2500
    assert (june.totals.paid_fen, june.totals.covered_fen) == (6 * 1540, 1540 + 2500 * 0)
    assert (arrears["张伟"].months_unpaid, arrears["张伟"].consecutive_months) == (5, 5)
    assert arrears["李娜"].consecutive_months == 7 and arrears["李娜"].long
    assert [c.state for c in grid[zhang][5:7]] == [CellState.PAID, CellState.UNPAID]
    assert [c.state for c in grid[li][1:4]] == [CellState.NOT_MEMBER, CellState.NOT_MEMBER, CellState.PAID]
    assert grid[three["wang"]][0].state == CellState.NOT_ROLLED
    assert grid[zhang][11].state == CellState.NOT_ROLLED  # December is not rolled yet


def test_the_check_finds_a_paid_sum_that_disagrees_with_the_payments(
    db: Database, three: dict[str, int]
) -> None:
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        record_payment(session, PaymentInput(three["zhang"], 1540, date(2026, 1, 31)), today=TODAY)
        session.execute(update(DuesCharge).where(DuesCharge.paid_fen > 0).values(paid_fen=1000))
    with db.reader() as session:
        problems = reconcile(session)
    assert any("1 笔应缴记下的已缴金额与按缴费记录重算的结果不符" in p for p in problems)


def test_sql_and_python_cover_the_same_months(db: Database, three: dict[str, int]) -> None:
    """Members whose payments name no months are covered by one SQL statement; those who
    named months by ``allocate``. Both must give what the rule says, to the fen."""
    from app.services.dues.allocation import covered_months, stale_charges

    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        for fen, day in ((2000, 10), (1000, 20), (700, 25)):  # 37.00 oldest first: Jan, Feb, 6.20 of Mar
            record_payment(session, PaymentInput(three["zhang"], fen, date(2026, 6, day)), today=TODAY)
        named = record_payment(
            session, PaymentInput(three["li"], 3000, date(2026, 6, 1), months=(JUN,)), today=TODAY
        )
        record_payment(session, PaymentInput(three["li"], 2000, date(2026, 6, 2)), today=TODAY)
    assert [paid for _m, _due, paid in charges(db, three["zhang"])] == [1540, 1540, 620, 0, 0, 0]
    # 李娜 owes from April: June's named 25.00 first, its 5.00 left and the 20.00 then cover April
    assert [paid for _m, _due, paid in charges(db, three["li"])] == [2500, 0, 2500]
    with db.reader() as session:
        assert stale_charges(session) == 0
        assert covered_months(session, [named])[named] == [(date(2026, 4, 1), 500), (date(2026, 6, 1), 2500)]
    with db.session() as session:  # the stored sums off: the check recomputes and disagrees
        session.execute(update(DuesCharge).where(DuesCharge.paid_fen == 620).values(paid_fen=600))
    with db.reader() as session:
        assert stale_charges(session) == 1


def test_a_deduction_set_too_low_is_told_apart_from_months_not_paid(
    db: Database, three: dict[str, int]
) -> None:
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
        for m in range(1, 7):  # 15.00 a month against 15.40: 2.40 short by June
            record_payment(
                session, PaymentInput(three["zhang"], 1500, date(2026, m, 25), "工资代扣"), today=TODAY
            )
    with db.reader() as session:
        rows = {r.name: r for r in list_arrears(session)}
    zhang, li = rows["张伟"], rows["李娜"]
    assert (zhang.owed_fen, zhang.months_unpaid, zhang.months_partly_paid, zhang.short_only) == (
        240,
        1,
        1,
        True,
    )
    assert (li.months_unpaid, li.months_partly_paid, li.short_only) == (3, 0, False)
