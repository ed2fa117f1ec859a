"""Files UnionDesk writes, opened by a second reader: LibreOffice (installed by scripts/test.sh)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database, open_database
from app.models import Member
from app.services.roster.export import export_roster, write_template
from app.services.roster.index import RosterFilter
from tests.conftest import make_demo_db


def soffice_to_csv(source: Path, out_dir: Path) -> list[list[str]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test: scripts/test.sh installs libreoffice-calc-nogui"
    env = dict(os.environ, HOME=str(out_dir))  # a fresh LibreOffice profile, never the user's
    subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    with (out_dir / (source.stem + ".csv")).open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def final_account_rows(db: Database, activity: int, folder: Path) -> list[list[str]]:
    """The activity's 决算表 workbook as LibreOffice works it out."""
    from app.services.activities.export import export_activity

    out = folder / "决算表.xlsx"
    with db.reader() as session:
        export_activity(session, activity, "final", out)
    return soffice_to_csv(out, folder)


@pytest.mark.slow
def test_export_reads_the_same_in_libreoffice(tmp_path: Path) -> None:
    db = open_database(make_demo_db(tmp_path / "demo.db", 60))
    out = tmp_path / "roster.xlsx"
    with db.session() as session:
        export_roster(session, out, flt=RosterFilter(), today=date(2026, 11, 20))
        members = {m.id_number: m for m in session.scalars(select(Member))}
    rows = soffice_to_csv(out, tmp_path)
    assert rows[0][0] == "华东精密机械有限公司工会委员会会员花名册"
    headers = rows[2]
    data = [r for r in rows[3:] if any(r)]
    assert len(data) == len(members)
    for row in data:
        record = dict(zip(headers, row, strict=False))
        member = members[record["身份证号"]]  # 18 digits intact: written as text, not a number
        assert record["姓名"] == member.name
        assert record["出生日期"] in (member.birth_date.isoformat(), member.birth_date.strftime("%m/%d/%y"))
        assert record["联系电话"] == member.phone


@pytest.mark.slow
def test_template_opens_in_libreoffice(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    out = tmp_path / "template.xlsx"
    with db.session() as session:
        write_template(session, out)
    rows = soffice_to_csv(out, tmp_path)
    assert rows[0][0] == "姓名 *" and "身份证号 *" in rows[0]


@pytest.mark.slow
def test_the_summary_draft_holds_28_characters_a_line_in_libreoffice(tmp_path: Path) -> None:
    """GB/T 9704: 28 characters to the line (26 after the two-character indent), and a
    number is never split across two lines."""
    from app.services.reports.summary_docx import render_docx
    from app.services.reports.summary_text import SummaryParagraph

    hanzi = "工会组织职工开展劳动竞赛"  # 12 different characters, to count them by
    plain = hanzi * 9  # 108 characters: four full lines and a short one
    # 24 characters, then a number three characters wide where the line has room for two
    number = "全年发放慰问金和慰问品合计二十四项共计金额总计为33,000元，" + hanzi * 3
    out = tmp_path / "总结.docx"
    render_docx(
        out, title="某某工会2026年工作总结", paragraphs=[SummaryParagraph("body", plain),
                                                     SummaryParagraph("body", number)],
        figures=[], attachment_note="", appendix_title="数据来源", period_of=lambda _f: "2026年",
    )  # fmt: skip
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test: scripts/test.sh installs libreoffice-writer-nogui"
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180, env=env)  # fmt: skip
    laid = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "总结.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    lines = ["".join(line.split()) for line in laid.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith(hanzi[:6]))
    assert [len(line) for line in lines[start : start + 4]] == [26, 28, 28, 26]
    assert (
        lines[start + 4] == "全年发放慰问金和慰问品合计二十四项共计金额总计为"
    )  # the number went down whole
    assert lines[start + 5].startswith("33,000元，")


@pytest.mark.slow
def test_a_final_account_without_a_budget_says_so_in_libreoffice(tmp_path: Path) -> None:
    """The 决算表 workbook of an activity that has expenses and no budget of its own (as one
    imported from the ledger) works out 无活动预算, not an overspend, in a second reader."""
    from app.domain.activities import Kind
    from app.services.activities import ActivityInput, ExpenseInput, add_expense, create_activity, load_tree
    from app.services.system import ProfileData, save_profile

    db = open_database(tmp_path / "t.db")
    with db.session() as session:
        save_profile(session, ProfileData(name="测试机械厂工会委员会"))
        sports = load_tree(session).by_code["50102"].id
        film = create_activity(session, ActivityInput("观影", Kind.MEMBERS, date(2026, 6, 1), headcount=35))
        add_expense(
            session, film, ExpenseInput(date(2026, 6, 1), "电影票", sports, 105_000, paid_by="李会计")
        )
    rows = final_account_rows(db, film, tmp_path)
    line = next(r for r in rows if "50102 文体活动费" in r)
    total = next(r for r in rows if "合计" in r)
    assert "无活动预算" in line and "无活动预算" in total
    assert not any("超支" in cell for r in rows for cell in r)


@pytest.mark.slow
def test_a_cancelled_activitys_final_account_saves_nothing_in_libreoffice(tmp_path: Path) -> None:
    """The 决算表 workbook of a cancelled activity works out 已取消 where a saving would be, and
    still 超支 where more was spent than the line's budget, in a second reader."""
    from app.domain.activities import Kind, Status
    from app.services.activities import (
        ActivityInput,
        ExpenseInput,
        ItemInput,
        add_expense,
        create_activity,
        load_tree,
        set_budget_items,
        set_status,
    )

    db = open_database(tmp_path / "t.db")
    with db.session() as session:
        tree = load_tree(session)
        sports, members = tree.by_code["50102"].id, tree.by_code["50106"].id
        trip = create_activity(session, ActivityInput("春游", Kind.MEMBERS, date(2026, 4, 18), headcount=40))
        set_budget_items(session, trip, [ItemInput("大巴", sports, amount_fen=300_000),
                                         ItemInput("保险", members, amount_fen=20_000)])  # fmt: skip
        add_expense(
            session, trip, ExpenseInput(date(2026, 4, 10), "大巴定金", sports, 50_000, paid_by="李会计")
        )
        add_expense(session, trip, ExpenseInput(date(2026, 4, 11), "保险", members, 24_000, paid_by="李会计"))
        set_status(session, trip, Status.CANCELLED)
    rows = final_account_rows(db, trip, tmp_path)
    bus = next(r for r in rows if "50102 文体活动费" in r)
    insurance = next(r for r in rows if "50106 会员活动费" in r)
    total = next(r for r in rows if "合计" in r)
    assert "已取消" in bus and "超支 40.00" in insurance and "已取消" in total
    assert not any("节约" in cell and "不算节约" not in cell for r in rows for cell in r)
