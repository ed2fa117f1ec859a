"""The shortcuts a large import takes write exactly what the ordinary way writes: the
payments' indexes built after the rows, the unpaid charges' index built after their paid
sums, values shared by every row written into the statement once. Forced here on a small
roster by lowering the thresholds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

import app.db as app_db
from app.db import Database, indexes_rebuilt, insert_values, open_database
from app.domain.dues import Period
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues import (
    DuesImporter,
    DuesImportOptions,
    PaymentInput,
    allocation,
    importer,
    list_arrears,
    record_payment,
    roll,
    summarize,
)
from app.services.dues.allocation import stale_charges
from tests.unit.dues.import_support import TODAY, add_member, id_number, import_file, write_xlsx

NAMES = ("张伟", "李娜", "赵敏", "王强", "钱进", "孙丽")


def _union(path: Path) -> Database:
    db = open_database(path)
    ids = [add_member(db, name, id_number(seq), "质检科") for seq, name in enumerate(NAMES, start=1)]
    with db.session() as session:
        roll(session, YearMonth(2026, 1), YearMonth(2026, 11), today=TODAY)
        # paid before by hand, oldest month first: the import's months come on top
        record_payment(session, PaymentInput(ids[0], 3000, date(2026, 2, 10)), today=TODAY)
        # one naming its month: this member's sums take the general (Python) way
        named = PaymentInput(ids[1], 2000, date(2026, 3, 10), months=(YearMonth(2026, 3),))
        record_payment(session, named, today=TODAY)
    return db


def _grid(path: Path) -> Path:
    header = ["序号", "姓名", "部门", *[f"{m}月" for m in range(1, 13)]]
    rows: list[list[Any]] = [["2026年会费台账"], header]
    for seq, name in enumerate(NAMES, start=1):
        months: list[Any] = [20] * 11 + [None]
        if seq == 3:
            months[4] = 60  # a lump for three months
        if seq == 4:
            months[6:] = [None] * 6  # stopped paying
        if seq == 5:
            months[1] = 19.5  # short
        rows.append([seq, name, "质检科", *months])
    return write_xlsx(path, rows)


def _state(db: Database) -> dict[str, Any]:
    with db.reader() as session:
        raw = session.connection()
        return {
            "payments": raw.execute(text("SELECT * FROM dues_payments ORDER BY id")).all(),
            "charges": raw.execute(
                text("SELECT id, member_id, month, due_fen, paid_fen FROM dues_charges ORDER BY id")
            ).all(),
            "indexes": sorted(
                raw.execute(text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")).all()
            ),
            "summary": summarize(session, Period.parse("2026"), people=True),
            "arrears": [(r.member_id, r.months, r.owed_fen) for r in list_arrears(session)],
            "stale": stale_charges(session),
        }


def _normalized(state: dict[str, Any]) -> dict[str, Any]:
    # created_at is the clock's
    return {**state, "payments": [tuple(row[:-1]) for row in state["payments"]]}


def test_a_large_import_writes_what_a_small_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid = _grid(tmp_path / "grid.xlsx")
    ordinary = _union(tmp_path / "ordinary.db")
    import_file(ordinary, DuesImporter(DuesImportOptions(today=TODAY)), grid)
    monkeypatch.setattr(importer, "_BULK", 0)
    monkeypatch.setattr(allocation, "_BULK", 0)
    monkeypatch.setattr(allocation, "_ROWS_PER_INSERT", 4)  # the members put beside in two statements
    bulk = _union(tmp_path / "bulk.db")
    rebuilt: list[str] = []
    real = app_db.indexes_rebuilt

    def counted(session: Any, table: str, names: Any = None) -> Any:
        rebuilt.append(table)
        return real(session, table, names)

    monkeypatch.setattr(app_db, "indexes_rebuilt", counted)  # insert_values's, for the payments
    monkeypatch.setattr(allocation, "indexes_rebuilt", counted)
    import_file(bulk, DuesImporter(DuesImportOptions(today=TODAY)), grid)
    assert rebuilt == ["dues_payments", "dues_charges"]
    before, after = _normalized(_state(ordinary)), _normalized(_state(bulk))
    assert after == before
    assert after["stale"] == 0
    # the summary's covered sum (what its charges lack, taken from what they are due) and
    # its people are those of the charges themselves
    summary, charges = after["summary"], after["charges"]
    assert summary.totals.covered_fen == sum(c.paid_fen for c in charges) > 0
    assert summary.totals.due_fen == sum(c.due_fen for c in charges)
    assert summary.members_in_arrears == len({c.member_id for c in charges if c.paid_fen < c.due_fen}) > 0
    assert summary.members_charged == len(NAMES)
    assert len(after["payments"]) == 6 * 11 - 5 + 2  # the file's (王强 stopped in July), and the two by hand
    ordinary.close()
    bulk.close()


def test_indexes_come_back_when_the_block_fails(db: Database) -> None:
    add_member(db, "张伟", id_number(1), "质检科")
    with db.session() as session:
        roll(session, YearMonth(2026, 1), YearMonth(2026, 3), today=TODAY)

    def indexes() -> list[tuple[str, str]]:
        with db.reader() as session:
            found = session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dues_charges'")
            )
            return sorted((name, sql or "") for name, sql in found)

    before = indexes()
    assert "ix_dues_charges_unpaid" in dict(before)
    with pytest.raises(RuntimeError), db.session() as session, indexes_rebuilt(session, "dues_charges"):
        names = session.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dues_charges' AND sql IS NOT NULL"
            )
        ).all()
        assert names == []  # all but the UNIQUE constraint's own
        session.connection().exec_driver_sql("UPDATE dues_charges SET paid_fen = due_fen")
        raise RuntimeError("half-way")
    assert indexes() == before
    with db.session() as session:
        with indexes_rebuilt(session, "dues_charges", {"ix_dues_charges_unpaid"}):
            session.connection().exec_driver_sql(
                "UPDATE dues_charges SET paid_fen = due_fen WHERE month = '2026-01-01'"
            )
        unpaid = session.execute(
            text(
                "SELECT count(*) FROM dues_charges INDEXED BY ix_dues_charges_unpaid WHERE paid_fen < due_fen"
            )
        ).scalar()
    assert indexes() == before
    assert unpaid == 2


def test_values_every_row_shares_are_stored_as_bound_ones_would_be(db: Database) -> None:
    member = add_member(db, "张伟", id_number(1), "质检科")
    odd = 'O\'Brien 的 "备注" ? :x -- ; DROP TABLE members'
    with db.session() as session:
        insert_values(
            session,
            DuesPayment.__table__,  # type: ignore[arg-type]
            ("member_id", "paid_on", "amount_fen"),
            [(member, "2026-01-31", 2000), (member, "2026-02-28", 2100)],
            shared={
                "method": "现金",
                "note": odd,
                "receipt_no": "A\x00B",
                "source": "导入",
                "source_month": None,
            },
        )
    with db.reader() as session:
        rows = session.execute(
            select(DuesPayment.paid_on, DuesPayment.amount_fen, DuesPayment.method, DuesPayment.note,
                   DuesPayment.receipt_no, DuesPayment.collector, DuesPayment.source_month, DuesPayment.created_at)
            .order_by(DuesPayment.id)
        ).all()  # fmt: skip
        typed = session.execute(
            text("SELECT DISTINCT typeof(amount_fen), typeof(source_month) FROM dues_payments")
        ).all()
    assert [r[:7] for r in rows] == [
        (date(2026, 1, 31), 2000, "现金", odd, "A\x00B", "", None),
        (date(2026, 2, 28), 2100, "现金", odd, "A\x00B", "", None),
    ]
    assert rows[0].created_at == rows[1].created_at  # the default, computed once
    assert typed == [("integer", "null")]
    with db.session() as session:
        assert session.scalar(select(DuesCharge.id).limit(1)) is None  # nothing else written


def test_an_insert_of_more_rows_than_the_table_held_rebuilds_its_indexes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rebuild_from``: from that many rows, and no fewer than the table holds, the indexes
    are built again after the rows, and are the same as before."""
    member = add_member(db, "张伟", id_number(1), "质检科")
    rebuilt: list[str] = []
    real = app_db.indexes_rebuilt

    def counted(session: Any, table: str, names: Any = None) -> Any:
        rebuilt.append(table)
        return real(session, table, names)

    monkeypatch.setattr(app_db, "indexes_rebuilt", counted)

    def insert(days: range, rebuild_from: int) -> None:
        with db.session() as session:
            insert_values(
                session,
                DuesPayment.__table__,  # type: ignore[arg-type]
                ("member_id", "paid_on", "amount_fen"),
                [(member, f"2026-01-{day:02d}", 100 * day) for day in days],
                shared={"method": "现金"},
                rebuild_from=rebuild_from,
            )

    def indexes() -> list[tuple[str, str]]:
        with db.reader() as session:
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dues_payments'"
            return sorted((name, sql or "") for name, sql in session.execute(text(query)))

    before = indexes()
    insert(range(1, 4), rebuild_from=5)  # fewer than rebuild_from
    assert rebuilt == []
    insert(range(4, 6), rebuild_from=2)  # fewer than the table holds (3)
    assert rebuilt == []
    insert(range(6, 16), rebuild_from=2)  # ten rows into five
    assert rebuilt == ["dues_payments"]
    assert indexes() == before
    with db.reader() as session:
        by_index = session.execute(
            text(
                "SELECT count(*), sum(amount_fen) FROM dues_payments "
                "INDEXED BY ix_dues_payments_member_paid_on_amount WHERE member_id = :m"
            ),
            {"m": member},
        ).one()
    assert tuple(by_index) == (15, 100 * sum(range(1, 16)))


def test_a_unique_index_is_kept_while_the_others_are_rebuilt(db: Database) -> None:
    """The roster's ID numbers are a unique index of their own: it stays in place and still
    refuses a second member with the same number inside the block."""
    add_member(db, "张伟", id_number(1), "质检科")
    with (
        pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: members\.id_number"),
        db.session() as session,
        indexes_rebuilt(session, "members"),
    ):
        names = {
            name
            for (name,) in session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'")
            )
        }
        assert "uq_members_id_number" in names and "ix_members_status" not in names
        raw = session.connection()
        listed = ", ".join(r[1] for r in raw.exec_driver_sql("PRAGMA table_info(members)") if r[1] != "id")
        raw.exec_driver_sql(f"INSERT INTO members ({listed}) SELECT {listed} FROM members")  # the same again
