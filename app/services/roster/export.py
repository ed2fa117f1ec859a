"""Writing the roster to Excel: the 花名册 export and the empty import template. Headers are
the ones the importer reads, so a file UnionDesk wrote imports back without a change."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.idcard import mask_id_number
from app.domain.members import EDUCATIONS, POLITICAL_STATUSES, Category, ModelWorkerLevel
from app.models import DuesBaseWage, Member
from app.services.excel.writer import (
    Column,
    check_output_path,
    column_letter,
    new_workbook,
    save_workbook,
    table_sheet,
    writable,
)
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster.groups import list_groups
from app.services.roster.index import RosterFilter, RosterIndex
from app.services.roster.search import load_roster
from app.services.system import get_profile


@dataclass(frozen=True)
class ExportColumn:
    key: str  # a RosterRow / member attribute, or one of the computed keys below
    column: Column


EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("seq", Column("序号", 6, "number")),
    ExportColumn("name", Column("姓名", 10)),
    ExportColumn("gender", Column("性别", 6)),
    ExportColumn("ethnicity", Column("民族", 8)),
    ExportColumn("birth_date", Column("出生日期", 12, "date")),
    ExportColumn("id_number", Column("身份证号", 21)),
    ExportColumn("political_status", Column("政治面貌", 12)),
    ExportColumn("education", Column("学历", 11)),
    ExportColumn("household_type", Column("户籍类型", 9)),
    ExportColumn("group", Column("分组", 20)),
    ExportColumn("position", Column("职务/岗位", 11)),
    ExportColumn("category", Column("人员类别", 13)),
    ExportColumn("is_migrant_worker", Column("是否农民工", 10)),
    ExportColumn("joined_on", Column("入会时间", 12, "date")),
    ExportColumn("card_number", Column("会员证号", 15)),
    ExportColumn("phone", Column("联系电话", 14)),
    ExportColumn("model_worker_level", Column("劳模类型", 9)),
    ExportColumn("is_hardship", Column("是否困难职工", 12)),
    ExportColumn("wage", Column("月工资", 11, "money")),
    ExportColumn("status", Column("会籍状态", 10)),
    ExportColumn("remark", Column("备注", 20)),
)
# The roster page's column keys that name the same data under another key.
_PAGE_KEYS = {
    "group": "group",
    "migrant": "is_migrant_worker",
    "hardship": "is_hardship",
    "model_worker": "model_worker_level",
}


def export_keys_for_page(visible: Sequence[str]) -> list[str]:
    """The export columns for the roster page's visible columns (序号 and 姓名 always)."""
    wanted = {"seq", "name"} | {_PAGE_KEYS.get(k, k) for k in visible}
    return [c.key for c in EXPORT_COLUMNS if c.key in wanted]


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    if len(digits) == 11 and digits.isdigit():
        return digits[:3] + "****" + digits[7:]
    return phone[:-4] + "****" if len(phone) > 4 else phone


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _member_extras(session: Session) -> dict[int, tuple[str, str, int | None]]:
    """household type, remark and current dues base wage of every member."""
    latest = select(func.max(DuesBaseWage.id)).group_by(DuesBaseWage.member_id)
    wages = dict(
        session.execute(
            select(DuesBaseWage.member_id, DuesBaseWage.wage_fen).where(DuesBaseWage.id.in_(latest))
        ).all()
    )
    return {
        mid: (household, remark, wages.get(mid))
        for mid, household, remark in session.execute(select(Member.id, Member.household_type, Member.remark))
    }


def export_roster(
    session: Session,
    out: Path,
    *,
    flt: RosterFilter | None = None,
    keys: Sequence[str] | None = None,
    mask: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ExportResult:
    """The members ``flt`` keeps (default: 在册), in pinyin order, as a printable 花名册."""
    check_output_path(out, "花名册", keep=database_files(session))
    today = today or date.today()
    flt = flt if flt is not None else RosterFilter(status="在册")
    chosen = [c for c in EXPORT_COLUMNS if keys is None or c.key in keys]
    progress.step(0, 1, "正在读取名册……")
    roster = load_roster(session)
    shown = [roster.rows[i] for i in RosterIndex(roster.rows, roster.groups).apply(flt)]
    extras = _member_extras(session)
    profile = get_profile(session)

    def values() -> Iterator[list[Any]]:
        for number, row in enumerate(shown, start=1):
            if number % 5000 == 0:
                progress.step(number, len(shown), "正在写入 Excel……")
            household, remark, wage = extras.get(row.id, ("", "", None))
            record: dict[str, Any] = {
                "seq": number,
                "group": row.group_path,
                "household_type": household,
                "remark": remark,
                "wage": Decimal(wage) / 100 if wage is not None else None,
                "is_migrant_worker": "是" if row.is_migrant_worker else "否",
                "is_hardship": "是" if row.is_hardship else "否",
                "id_number": mask_id_number(row.id_number) if mask else row.id_number,
                "phone": mask_phone(row.phone) if mask else row.phone,
            }
            yield [record[c.key] if c.key in record else getattr(row, c.key) for c in chosen]

    workbook = new_workbook()
    title = f"{profile.name or '本工会'}会员花名册"
    subtitle = f"导出日期：{today.year}年{today.month}月{today.day}日　　共 {len(shown)} 人" + (
        "　　（已隐去身份证号和电话的中间部分）" if mask else ""
    )
    count = table_sheet(
        workbook, "会员花名册", [c.column for c in chosen], values(), title=title, subtitle=subtitle
    )
    progress.step(1, 1, "正在保存文件……")
    save_workbook(workbook, out, "花名册")
    return ExportResult(out, count)


_INSTRUCTIONS = (
    ("填表说明", ""),
    ("1", "第 1 行是表头，请不要修改表头文字；从第 2 行开始，每行填写一名会员。"),
    (
        "2",
        "“姓名”和“身份证号”必须填写。身份证号一列已设为文本格式，请直接输入 18 位号码，不要输入成数字（否则最后几位会丢失）。",
    ),
    (
        "3",
        "填写身份证号后，“性别”和“出生日期”可以不填，程序会从身份证号读出；如果填写了，必须与身份证号一致。",
    ),
    ("4", "日期写成 1985-03-12、1985/3/12、1985.03.12、1985年3月12日 都可以。"),
    ("5", "“分组”填写部门或工会小组，多级用“/”分隔，例如“生产部/一车间”；名册中没有的分组会自动新建。"),
    ("6", "“月工资”填写计算会费的月工资收入（元），不含奖金和津贴补贴。"),
    ("7", "性别、政治面貌、学历、人员类别、是否农民工、劳模类型、是否困难职工可以从下拉列表中选择。"),
    ("8", "表格下方的“合计”“制表人”等行会被自动忽略。"),
    ("9", "填好后，在 UnionDesk 的“会员名册”中点“导入”，或运行 uniondesk roster import 文件名。"),
)
TEMPLATE_KEYS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "political_status", "education",
    "household_type", "group", "position", "category", "is_migrant_worker", "joined_on",
    "card_number", "phone", "model_worker_level", "is_hardship", "wage", "remark",
)  # fmt: skip
TEMPLATE_ROWS = 1000


def write_template(session: Session, out: Path) -> Path:
    """An empty import template: headers, the ID column as text, drop-down lists, instructions."""
    check_output_path(out, "导入模板", keep=database_files(session))
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = {c.key: c.column for c in EXPORT_COLUMNS}
    workbook = new_workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "会员信息"
    groups = [g.path.replace(" / ", "/") for g in list_groups(session)]
    lists: dict[str, Sequence[str]] = {
        "gender": ("男", "女"),
        "political_status": POLITICAL_STATUSES,
        "education": EDUCATIONS,
        "category": [c.value for c in Category],
        "is_migrant_worker": ("是", "否"),
        "model_worker_level": [m.value for m in ModelWorkerLevel if m.value],
        "is_hardship": ("是", "否"),
        "household_type": ("城镇", "农村"),
    }
    choices = workbook.create_sheet("下拉选项")
    if groups:
        lists["group"] = groups
    for index, key in enumerate(TEMPLATE_KEYS, start=1):
        letter = column_letter(index)
        column = columns[key]
        sheet.cell(row=1, column=index, value=column.header + (" *" if key in ("name", "id_number") else ""))
        sheet.column_dimensions[letter].width = column.width
        rows = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if key in ("id_number", "phone", "card_number"):
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if key in lists:
            values = list(lists[key])
            choices.cell(row=1, column=index, value=column.header)
            for offset, value in enumerate(values, start=2):
                # group names come from the 账套: never a formula, never a character openpyxl refuses
                choices.cell(row=offset, column=index, value=writable(value)).data_type = "s"
            source = f"'下拉选项'!${letter}$2:${letter}${len(values) + 1}"
            validation = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=key != "group"
            )
            validation.error = f"请从下拉列表中选择{column.header}"
            validation.errorTitle = "输入有误"
            sheet.add_data_validation(validation)
            validation.add(rows)
    header_font = Font(name="宋体", bold=True)
    for cell in sheet[1]:
        cell.font = header_font
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    choices.sheet_state = "hidden"
    notes = workbook.create_sheet("填表说明")
    notes.column_dimensions["A"].width = 6
    notes.column_dimensions["B"].width = 100
    for row, (number, line) in enumerate(_INSTRUCTIONS, start=1):
        notes.cell(row=row, column=1, value=number)
        notes.cell(row=row, column=2, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    notes["A1"].font = Font(name="宋体", bold=True, size=14)
    save_workbook(workbook, out, "导入模板")
    return out
