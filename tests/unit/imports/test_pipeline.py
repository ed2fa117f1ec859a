"""The import pipeline with an importer that is not the roster's: what every importer gets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Group, ImportMapping
from app.services.errors import UserError
from app.services.excel.reader import Sheet, read_sheets
from app.services.excel.table import ColumnMapping, FieldSpec, apply_mapping
from app.services.imports import (
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    PlannedRow,
    RowIssue,
    apply_plan,
    check_report_path,
    find_sheet,
    plan_sheet,
    write_error_report,
)
from app.services.imports.columns import read_columns, table_rows
from app.services.progress import NO_PROGRESS, Cancelled, Progress


def _number(raw: Any) -> tuple[Any, str | None]:
    if raw in ("", None):
        return None, "请填写人数"
    try:
        return int(float(raw)), None
    except (TypeError, ValueError):
        return None, f"“{raw}”不是人数"


READERS = {
    "name": lambda raw: (str(raw).strip(), None if str(raw).strip() else "请填写名称"),
    "size": _number,
}
READ_COUNT: list[Any] = []


@dataclass(slots=True)
class GroupRow(PlannedRow):
    name: str = ""

    def title(self) -> str:
        return self.name


class GroupImporter(Importer[GroupRow, ImportOptions]):
    """A toy sheet of 分组名称 / 人数 that creates groups: shaped like any area's importer."""

    kind = "test-groups"
    title = "分组表"
    fields: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("name", "分组名称", ("名称",), required=True),
        FieldSpec("size", "人数", ("职工人数",), required=True),
    )
    noun = "个分组"

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[GroupRow]:
        rows, ignored = table_rows(sheet, mapping, "name")
        values, errors = read_columns(mapping, rows, READERS, mapping.header_of, progress)
        READ_COUNT.append(len(rows))
        existing = set(session.scalars(select(Group.name)))
        planned = []
        for index, (number, cells) in enumerate(rows):
            row = GroupRow(number, cells, name=values["name"][index])
            for key, message in errors.get(index, {}).items():
                row.issues.append(RowIssue(number, mapping.header_of(key), message))
            row.action = "error" if row.issues else ("unchanged" if row.name in existing else "new")
            planned.append(row)
        return ImportPlan(self.kind, Path(sheet.name), sheet.name, mapping, planned, ignored_rows=ignored)

    def apply(
        self, session: Session, plan: ImportPlan[GroupRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        new = [r for r in plan.rows if r.action == "new"]
        for index, row in enumerate(new):
            progress.step(index, len(new), "")
            session.add(Group(name=row.name, kind="部门"))
        counts = plan.counts()
        return ImportResult(len(new), 0, counts["unchanged"], 0, counts["error"])


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


GOOD = [
    ["某公司工会分组统计"],
    [],
    ["序号", "名称", "职工人数"],
    [1, "财务科", 12],
    [2, "销售部", 30],
    ["合计", "", 42],
]


def _plan(session: Session, path: Path) -> ImportPlan[Any]:
    importer = GroupImporter(ImportOptions(today=date(2026, 12, 1)))
    found = find_sheet(session, importer, read_sheets(path))
    return plan_sheet(session, importer, found.sheet, found.mapping, path=path)


def test_any_importer_gets_header_detection_footers_and_all_or_nothing(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "groups.xlsx", [*GOOD[:5], [3, "质检科", "很多"], GOOD[5]])
    importer = GroupImporter(ImportOptions())
    with db.session() as session:
        plan = _plan(session, path)
        assert plan.mapping.header_row == 3
        assert plan.ignored_rows == [7]  # 合计
        assert [(r.row, r.action) for r in plan.rows] == [(4, "new"), (5, "new"), (6, "error")]
        assert plan.errors == [RowIssue(6, "职工人数", "“很多”不是人数")]
        with pytest.raises(UserError, match="没有导入任何数据"):
            apply_plan(session, importer, plan)
        assert session.scalar(select(func.count()).select_from(Group)) == 0
        result = apply_plan(session, importer, plan, skip_invalid=True)
    assert (result.new, result.invalid) == (2, 1)
    with db.session() as session:
        assert set(session.scalars(select(Group.name))) == {"财务科", "销售部"}
        assert session.scalar(select(ImportMapping.kind)) == "test-groups"  # remembered under its own kind


def test_a_mapping_confirmed_once_is_used_next_time(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "odd.xlsx", [["名称", "人头", "备注"], ["财务科", 12, ""]])
    importer = GroupImporter(ImportOptions())
    with db.session() as session, pytest.raises(UserError, match="找不到分组表的表头"):
        find_sheet(session, importer, read_sheets(path))
    [sheet] = read_sheets(path)
    from app.services.imports import mapping_for_header_row

    mapping = apply_mapping(mapping_for_header_row(importer, sheet, 1), {0: "name", 1: "size"})
    with db.session() as session:
        plan = plan_sheet(session, importer, sheet, mapping, path=path)
        assert [r.action for r in plan.rows] == ["new"]
        apply_plan(session, importer, plan)
        with pytest.raises(UserError, match="没有指定哪一列是“人数”"):
            plan_sheet(session, importer, sheet, apply_mapping(mapping, {0: "name"}), path=path)


def test_cancel_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "groups.xlsx", GOOD)
    progress = Progress()
    progress.cancel()
    with db.session() as session:
        plan = _plan(session, path)
    with pytest.raises(Cancelled), db.session() as session:
        apply_plan(session, GroupImporter(ImportOptions()), plan, progress=progress)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Group)) == 0


def test_each_distinct_cell_is_read_once(db: Database, tmp_path: Path) -> None:
    seen: list[Any] = []

    def counting(raw: Any) -> tuple[Any, str | None]:
        seen.append(raw)
        return _number(raw)

    rows = [["名称", "人数"]] + [[f"组{i}", 5] for i in range(300)]
    path = _xlsx(tmp_path / "many.xlsx", rows)
    [sheet] = read_sheets(path)
    importer = GroupImporter(ImportOptions())
    with db.session() as session:
        mapping = find_sheet(session, importer, [sheet]).mapping
    data, _ignored = table_rows(sheet, mapping, "name")
    values, errors = read_columns(mapping, data, {"size": counting}, mapping.header_of)
    assert values["size"] == [5] * 300 and not errors
    assert seen == [5.0]  # 300 cells, one distinct value, one read


def test_the_error_report_holds_the_bad_rows_and_reimports(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "groups.xlsx", [*GOOD[2:4], ["2", "销售部", "很多"]])
    with db.session() as session:
        plan = _plan(session, path)
    report = write_error_report(plan, tmp_path / "errors.xlsx")
    [sheet] = read_sheets(report)
    assert sheet.rows[0] == ["序号", "名称", "职工人数", "错误原因"]
    assert sheet.rows[1][:3] == ["2", "销售部", "很多"]
    assert "第 3 行“职工人数”：“很多”不是人数" in sheet.rows[1][3]
    with db.session() as session:
        again = _plan(session, report)
    assert [(r.name, r.action) for r in again.rows] == [
        ("销售部", "error")
    ]  # the 错误原因 column is not a field


def test_the_report_never_overwrites_the_input_nor_lands_in_a_folder(tmp_path: Path) -> None:
    source = _xlsx(tmp_path / "a.xlsx", GOOD)
    with pytest.raises(UserError, match="不能保存为正在导入的文件"):
        check_report_path(source, source)
    with pytest.raises(UserError, match="不能保存为正在导入的文件"):
        check_report_path(tmp_path / "." / "a.xlsx", source)
    folder = tmp_path / "报告.xlsx"
    folder.mkdir()
    with pytest.raises(UserError, match="是一个文件夹"):
        check_report_path(folder, source)
    with pytest.raises(UserError, match=r"应保存为 \.xlsx"):
        check_report_path(tmp_path / "r.csv", source)
    assert check_report_path(tmp_path / "new" / "r.xlsx", source) == tmp_path / "new" / "r.xlsx"


def test_a_second_column_with_the_same_header_is_named_not_lost(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "twice.xlsx", [["名称", "人数", "名称"], ["财务科", 12, "销售部"]])
    with db.session() as session:
        plan = _plan(session, path)
    assert plan.warnings == [RowIssue(1, "名称", "有两列都叫“名称”，只导入了第 1 列，第 3 列没有导入")]
    assert plan.summary()["warnings"][0]["column"] == "名称"


def test_reading_the_file_is_bulk_work_the_collector_leaves_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.services.imports.pipeline as pipeline
    from app.services.gc_pause import bulk_work_running

    seen: list[bool] = []

    def reading(path: Path, only: str | None = None) -> list[Sheet]:
        seen.append(bulk_work_running())
        return read_sheets(path, only)

    monkeypatch.setattr(pipeline, "read_sheets", reading)
    sheets = pipeline.read_file(_xlsx(tmp_path / "groups.xlsx", GOOD))

    assert sheets[0].rows[-1][0] == "合计"  # read whole
    assert seen == [True]
    assert not bulk_work_running()
