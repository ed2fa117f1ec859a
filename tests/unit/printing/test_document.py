"""The building blocks: a table over many pages keeps its header and numbers its pages; money
is right-aligned; totals in capitals; the file is written whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from reportlab.platypus import Flowable

from app.services.errors import UserError
from app.services.printing import (
    Column,
    PageSetup,
    para,
    signature_line,
    styles,
    table,
    totals_line,
    write_pdf,
)
from tests.unit.printing.pdf_tools import fonts, page_count, text, words

COLUMNS = [
    Column("序号", 12, "center"),
    Column("姓名", 30),
    Column("所在部门", 50),
    Column("金额（元）", 30, "money"),
    Column("领取人签名", 38, "signature"),
]


def squeeze(extracted: str) -> str:
    return "".join(extracted.split())


def amount(index: int) -> int:
    return 100 if index % 2 else 1_234_567  # 1.00 and 12,345.67: short and long, to see the alignment


def sign_sheet(path: Path, rows: int = 120) -> None:
    data = [[str(i), f"会员{i:03d}", "第一车间 / 装配班", amount(i), None] for i in range(1, rows + 1)]
    total = sum(amount(i) for i in range(1, rows + 1))
    page = PageSetup()
    story = [
        para("慰问金签领表", styles().title),
        table(COLUMNS, data, width=page.frame_width, total_row=["", "合计", "", total, ""]),
        totals_line(total),
        signature_line(width=page.frame_width),
    ]
    write_pdf(path, story, title="慰问金签领表", page=page, footer_note="示例工会")


def test_a_long_table_repeats_its_header_and_numbers_its_pages(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    sign_sheet(out)
    pages = page_count(out)
    assert pages >= 3  # 120 rows at least 10 mm high: more than two A4 pages
    first, second, last = text(out, 1), text(out, 2), text(out, pages)
    # pdftotext drops the spaces between Chinese characters: compare without them
    assert f"第1页共{pages}页" in squeeze(first)
    assert f"第2页共{pages}页" in squeeze(second)
    assert f"第{pages}页共{pages}页" in squeeze(last)
    for header in ("序号", "姓名", "所在部门", "金额（元）", "领取人签名"):
        assert header in first and header in second and header in last, header
    assert "慰问金签领表" in first and "慰问金签领表" not in second  # the title is printed once
    assert "会员001" in first and "会员001" not in second
    assert "会员120" in last
    assert "示例工会" in first and "示例工会" in second
    assert [f.name for f in fonts(out) if not f.embedded] == []


def test_totals_in_capitals_and_signature_line(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    sign_sheet(out, rows=3)
    content = text(out)
    total = 100 + 1_234_567 + 100  # 12,347.67
    assert total == 1_234_767
    assert "合计（大写）：壹万贰仟叁佰肆拾柒元陆角柒分" in content
    assert "￥12,347.67" in content
    for role in ("经办人：", "审核人：", "负责人："):
        assert role in content
    assert "第1页共1页" in squeeze(content)


def test_a_saved_pdf_is_an_ordinary_file_others_may_read(tmp_path: Path) -> None:
    """Written through a private temporary file, it is saved as .docx and .xlsx files are."""
    out = tmp_path / "签领表.pdf"
    sign_sheet(out, rows=1)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_money_is_right_aligned(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    sign_sheet(out, rows=6)
    found = [w for w in words(out) if w.text in ("1.00", "12,345.67")]
    assert len(found) == 6
    right_edges = {round(w.x_max) for w in found}
    left_edges = {round(w.x_min) for w in found}
    assert max(right_edges) - min(right_edges) <= 1, right_edges
    assert len(left_edges) == 2  # short and long amounts start at different places


def test_a_row_of_the_wrong_length_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="3 cells for 5 columns"):
        table(COLUMNS, [["1", "张三", "办公室"]])


def test_a_missing_folder_is_refused_in_chinese_and_nothing_is_left(tmp_path: Path) -> None:
    out = tmp_path / "没有这个文件夹" / "签领表.pdf"
    with pytest.raises(UserError, match=r"文件夹.*不存在") as caught:
        sign_sheet(out, rows=2)
    assert "没有这个文件夹" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_or_a_name_without_pdf_is_refused(tmp_path: Path) -> None:
    (tmp_path / "旧的.pdf").mkdir()
    with pytest.raises(UserError, match="是一个文件夹"):
        sign_sheet(tmp_path / "旧的.pdf", rows=2)
    with pytest.raises(UserError, match=r"应保存为 \.pdf 文件"):
        sign_sheet(tmp_path / "签领表.docx", rows=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["旧的.pdf"]


class Exploding(Flowable):  # type: ignore[misc]  # reportlab has no types
    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (10, 10)

    def draw(self) -> None:
        raise OSError(28, "No space left on device")


def test_a_failure_halfway_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    out.write_bytes(b"the copy printed yesterday")
    story: list[Any] = [para("第一段", styles().body), Exploding()]
    with pytest.raises(UserError, match="无法写入") as caught:
        write_pdf(out, story, title="签领表")
    assert "磁盘已满" in str(caught.value) and "No space" not in str(caught.value)  # said in Chinese
    assert out.read_bytes() == b"the copy printed yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["签领表.pdf"]


def test_a_cell_longer_than_a_page_is_a_chinese_error(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    story = [table([Column("备注", 40)], [["很长的备注。" * 2000]])]
    with pytest.raises(UserError, match="过长"):
        write_pdf(out, story, title="签领表")
    assert list(tmp_path.iterdir()) == []


def test_the_file_replaces_an_older_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "签领表.pdf"
    out.write_bytes(b"old")
    sign_sheet(out, rows=2)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["签领表.pdf"]
    assert os.access(out, os.R_OK)


def test_signature_lines_never_stand_alone_on_a_last_page(tmp_path: Path) -> None:
    """The closing words and the lines to sign go over together when there is no room for both."""
    from reportlab.platypus import Spacer

    from app.services.printing.blocks import signed

    page = PageSetup()
    out = tmp_path / "决算表.pdf"
    body = [Spacer(1, page.frame_height - 18), para("实际支出合计 1,050.00 元。", styles().body)]
    write_pdf(out, signed(body, signature_line(width=page.frame_width)), title="决算表", page=page)
    assert page_count(out) == 2
    last = squeeze(text(out, 2))
    assert "实际支出合计" in last and "经办人" in last


def test_what_a_cell_cuts_is_written_out_under_the_sheet(tmp_path: Path) -> None:
    """A sheet people sign keeps its rows one size; a 备注 too long for its cell ends in … there
    and is written out whole under the table, so no word of a signed record is lost."""
    from app.services.printing import SignSheet, write_sign_sheet

    long_note = "已故会员雷辉辉的配偶，代为领取，经工会委员会研究同意，并由社区出具证明" * 2
    columns = [Column("序号", 10, "center"), Column("姓名", 20), Column("金额（元）", 20, "money"),
               Column("签字", 30, "signature"), Column("备注", 20)]  # fmt: skip
    out = tmp_path / "签领表.pdf"
    write_sign_sheet(SignSheet(title="慰问金发放签领表", columns=columns, rows=[["1", "张某", 50_000, None, long_note]],
                               money=2), out)  # fmt: skip
    flat = squeeze(text(out))
    assert "…" in flat  # the cell, cut
    assert squeeze(f"第 1 行“备注”：{long_note}") in flat
