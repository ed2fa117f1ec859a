"""A small 安徽 union whose care year is known record by record, and the main window on it.

Everything happens in last year, so the tests hold whatever today is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.ui.main_window import MainWindow
from tests.ui.conftest import open_window, wait_idle
from tests.unit.dues.import_support import id_number

YEAR = date.today().year - 1


@dataclass(frozen=True)
class CareUnion:
    """The members and records of the test 账套.

    一车间 (with 甲班 under it): 张伟, 李娜 (甲班); 二车间: 王芳 (困难职工), 赵强.
    Records of YEAR: 张伟 住院 1,200 on 3-2, over the 1,000 cap with its reason; 李娜 节日慰问
    (春节) 年货 1,400 on 1-20 (100 short of the 1,500 a year); 王芳 生日 蛋糕券 200 on 5-20;
    赵强 结婚 500 on 6-1."""

    path: Path
    zhang: int
    li: int
    wang: int
    zhao: int
    workshop: int  # 一车间
    hospital: int  # 张伟's record
    birthday: int  # 王芳's
    wedding: int  # 赵强's


REASON = "手术住院，经工会委员会研究同意"


def build(path: Path) -> CareUnion:
    from app.domain.care import Occasion
    from app.domain.members import MemberInput
    from app.services.care import CareInput, record_care
    from app.services.roster import add_group, create_member
    from app.services.system import ProfileData, save_profile

    db = open_database(path, create=True)
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        one = add_group(session, "一车间")
        team = add_group(session, "甲班", parent_id=one)
        two = add_group(session, "二车间")

        def member(n: int, name: str, group: int, hardship: bool = False) -> int:
            data = MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 1, 1), group_id=group,
                               is_hardship=hardship)  # fmt: skip
            return create_member(session, data)

        zhang, li, wang, zhao = member(1, "张伟", one), member(2, "李娜", team), member(3, "王芳", two, True), member(4, "赵强", two)  # fmt: skip
        hospital = record_care(session, CareInput(Occasion.HOSPITAL, date(YEAR, 3, 2), zhang, cash_fen=120_000, reason=REASON))  # fmt: skip
        record_care(session, CareInput(Occasion.FESTIVAL, date(YEAR, 1, 20), li, variant="春节", goods="年货", goods_fen=140_000))  # fmt: skip
        birthday = record_care(session, CareInput(Occasion.BIRTHDAY, date(YEAR, 5, 20), wang, goods="蛋糕券（指定蛋糕店）", goods_fen=20_000))  # fmt: skip
        wedding = record_care(session, CareInput(Occasion.MARRIAGE, date(YEAR, 6, 1), zhao, cash_fen=50_000))
    db.close()
    return CareUnion(path, zhang, li, wang, zhao, one, hospital, birthday, wedding)


@pytest.fixture
def union(tmp_path: Path) -> CareUnion:
    return build(tmp_path / "care.db")


@pytest.fixture
def care_window(qtbot: QtBot, union: CareUnion) -> Iterator[MainWindow]:
    window = open_window(qtbot, union.path)
    window.show_page("慰问帮扶")
    page = window.care
    page.year.setValue(YEAR)
    qtbot.waitUntil(lambda: page.model.total_count == 4, timeout=10_000)
    wait_idle(qtbot)
    yield window
    wait_idle(qtbot)


def opened_db(window: MainWindow) -> Database:
    assert window.context.db is not None
    return window.context.db


def pdf_text(path: Path) -> str:
    """Every page's text (the documents embed a TrueType font with its Unicode map)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = []
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()
