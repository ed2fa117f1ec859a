"""What the activities import tests share: a 账套 with a province, workbooks written on the spot,
and the pipeline's read → find → plan → apply run as the command line runs it (or planned
only, or cancelled half-way)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.models import Activity, ActivityExpense, BudgetLine, CategoryWord
from app.services.imports import (
    Answer,
    Importer,
    ImportPlan,
    ImportResult,
    apply_plan,
    find_sheet,
    plan_sheet,
    read_file,
)
from app.services.progress import Progress
from app.services.system import ProfileData, save_profile


def set_up_union(db: Database, province: str = "安徽") -> None:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province=province))


def write_sheet(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def plan_file(db: Database, importer: Importer[Any, Any], path: Path) -> ImportPlan[Any]:
    """The plan only (a dry run): the session commits, so anything planning wrote would stay."""
    with db.session() as session:
        found = find_sheet(session, importer, read_file(path))
        return plan_sheet(session, importer, found.sheet, found.mapping, path=path)


def import_file(
    db: Database,
    importer: Importer[Any, Any],
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> tuple[ImportPlan[Any], ImportResult]:
    with db.session() as session:
        found = find_sheet(session, importer, read_file(path))
        plan = plan_sheet(session, importer, found.sheet, found.mapping, path=path)
        result = apply_plan(
            session, importer, plan, skip_invalid=skip_invalid, progress=progress or Progress()
        )
        return plan, result


def cancelling() -> Progress:
    """A progress that the user cancels as soon as the first step is reported: the write is
    under way (something may already be flushed) when the next step raises Cancelled."""
    progress = Progress()
    progress.on_report = lambda done, total, text: progress.cancel()
    return progress


def issues(plan: ImportPlan[Any]) -> list[tuple[int, str, str]]:
    return [(i.row, i.column, i.message) for i in plan.errors]


def answers(**words: str) -> dict[tuple[str, str], Answer]:
    from app.services.activities.import_budget import category_answer

    return dict(category_answer(word, code) for word, code in words.items())


def counts(db: Database) -> dict[str, int]:
    """How many budget lines, activities, expenses and learnt words the 账套 holds."""
    with db.reader() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (BudgetLine, Activity, ActivityExpense, CategoryWord)
        }


def category_words(db: Database) -> dict[str, str]:
    """Every category word the 账套 knows (shipped and learnt): word → category code."""
    from app.models import BudgetCategory

    with db.reader() as session:
        query = select(CategoryWord.word, BudgetCategory.code).join(
            BudgetCategory, BudgetCategory.id == CategoryWord.category_id
        )
        return {word: code for word, code in session.execute(query)}
