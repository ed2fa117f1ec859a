"""`budget …` and `events …`: the year's budget (经费收支预算) and how it is used, the category
tree and its words, the activity limits; activities (活动) with their budget lines,
participants, expenses and printouts; and the two imports (the 预算表, the expense ledger)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    actions,
    command,
    find_member,
    output_suffix,
    parse_date,
    parse_fen,
    parse_year,
    print_json,
    reads,
    say,
    word_choice,
    writes,
)
from app.domain.activities import RULE_UNITS, Kind, Rule, Status
from app.domain.care import Occasion
from app.services.activities.wording import (
    NO_BUDGET,
    budget_text,
    variance_so_far,
    variance_text,
    variance_words,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.activities import (
        ActivityDetail,
        ActivityRow,
        BudgetTable,
        CategoryInfo,
        ExpenseInfo,
        IncomeInfo,
    )
    from app.services.care import CareInfo
    from app.services.imports import Answer, Importer

KINDS = [k.value for k in Kind]
STATUSES = [s.value for s in Status]
OCCASIONS = [o.value for o in Occasion]
RULES = [r.value for r in Rule]
CATEGORY_FORM = "写法=编码"
CATEGORY_HELP = (
    "说明账上一种科目写法指哪个科目，如 --category 职工活动—球类=50102；可以写多个。"
    "导入时记住，以后不用再说明（见 budget categories）"
)
LINE_FORM = "项目,科目编码,金额[,人数[,原因]]"
PRINT_KINDS = {"budget": "活动经费预算表", "final": "活动经费决算表", "signin": "签到表"}


# ---------------------------------------------------------------- shared helpers


def parse_category(value: str) -> tuple[tuple[str, str], Answer]:
    """An argparse type: `职工活动—球类=50102` (full-width ＝ too), as an import answer."""
    from app.services.activities.import_budget import category_answer
    from app.services.errors import UserError

    word, equals, code = value.replace("＝", "=").partition("=")
    if not equals or not word.strip() or not code.strip():
        raise argparse.ArgumentTypeError(f"“{value}”应写成 {CATEGORY_FORM}，如 职工活动—球类=50102")
    try:
        return category_answer(word.strip(), code.strip())
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_category_option(parser: Parser) -> None:
    parser.add_argument(
        "--category",
        "--word",
        dest="category",
        action="append",
        type=parse_category,
        default=[],
        metavar=CATEGORY_FORM,
        help=CATEGORY_HELP,
    )


def _answers(args: argparse.Namespace) -> dict[tuple[str, str], Answer]:
    return dict(getattr(args, "category", None) or ())


def _find_category(session: Session, text: str, kind: str | None) -> CategoryInfo:
    """A category as the user typed it: its code (50102), its name (文体活动费, 文体活动) or its
    path (职工活动支出—文体活动)."""
    from app.services.activities import load_matcher
    from app.services.errors import UserError

    found = load_matcher(session, kind).find(text)
    if found is None:
        what = {"支出": "支出科目", "收入": "收入科目"}.get(kind or "", "科目")
        raise UserError(f"没有“{text}”这个{what}（用 budget categories 查看全部科目的编码和名称）")
    return found


def _pct(value: Any) -> float | None:
    return None if value is None else float(value)


def _money(fen: int | None, empty: str = "—") -> str:
    from app.domain.money import format_fen

    return empty if fen is None else format_fen(fen)


def _members(session: Session, keys: list[str]) -> list[int]:
    """Members as typed (身份证号、会员证号 or 姓名), each one or several separated by commas."""
    found: list[int] = []
    for key in keys:
        for part in key.replace("，", ",").replace("、", ",").split(","):
            if part.strip():
                member = find_member(session, part.strip())
                if member not in found:
                    found.append(member)
    return found


# ---------------------------------------------------------------- registration


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    _register_budget(sub)
    _register_events(sub)


def _budget_importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.activities.import_budget import BudgetImporter, BudgetImportOptions

    return BudgetImporter(BudgetImportOptions(year=args.year, answers=_answers(args)))


def _ledger_importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.activities.import_ledger import LedgerImporter, LedgerImportOptions

    return LedgerImporter(LedgerImportOptions(year=args.year, answers=_answers(args)))


def _listing_with_actions(parent: Any, name: str, help_text: str, handler: Any) -> tuple[Parser, Any]:
    """A command that lists when given no action (`budget categories`) and has actions of its
    own (`budget categories add …`)."""
    parser = command(parent, name, help_text, handler)
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    inner = parser.add_subparsers(dest="inner_action", required=False, metavar="操作", parser_class=Parser)
    return parser, inner


def _register_budget(sub: argparse._SubParsersAction[Parser]) -> None:
    from app.cli.imports import add_import_command

    budget = actions(
        sub, "budget", "年度经费收支预算：导入预算表、预算执行情况、其他收入、收支科目、活动开支标准"
    )
    imported = add_import_command(
        budget, "导入年度经费收支预算表（科目编号、名称、本年预算数；上年决算数、说明等列不导入）",
        "经费收支预算表（.xlsx / .xls / .csv）", _budget_importer,
    )  # fmt: skip
    imported.add_argument(
        "--year", type=parse_year, help="预算年度，如 2026（默认按表头标题中的年份，没有时为今年）"
    )
    _add_category_option(imported)

    show = command(
        budget, "show", "预算执行情况：各科目的预算、已安排、已支出、结余、执行率，以及收入", _show
    )
    show.add_argument("year", type=parse_year, metavar="YEAR", help="年度，如 2026")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")

    setting = command(
        budget, "set", "设定一个科目的本年预算数（或用 --clear 取消：未编预算不等于预算为零）", _set
    )
    setting.add_argument("year", type=parse_year, metavar="YEAR", help="年度，如 2026")
    setting.add_argument("code", metavar="CODE", help="科目编码或名称，如 50102 或 文体活动费")
    setting.add_argument("amount", nargs="?", metavar="AMOUNT", help="预算金额（元）")
    setting.add_argument("--clear", action="store_true", help="取消这个科目的预算（回到未编预算）")
    setting.add_argument("--note", default="", help="说明")

    income = actions(budget, "income", "会费以外的收入（拨缴经费、上级补助、行政补助……）：登记、列出、删除")
    adding = command(income, "add", "登记一笔收入", _income_add)
    adding.add_argument("--date", type=parse_date, required=True, metavar="YYYY-MM-DD", help="日期")
    adding.add_argument(
        "--line", required=True, metavar="CODE", help="收入科目编码或名称，如 402 或 拨缴经费收入"
    )
    adding.add_argument("--amount", required=True, metavar="YUAN", help="金额（元）")
    adding.add_argument("--source", default="", help="来源（谁拨付的）")
    adding.add_argument("--note", default="", help="备注")
    adding.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing = command(income, "list", "列出一年的其他收入", _income_list)
    listing.add_argument("year", type=parse_year, metavar="YEAR", help="年度，如 2026")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    removing = command(income, "delete", "删除一笔录错的收入", _income_delete)
    removing.add_argument("income_id", type=int, metavar="ID", help="收入编号（见 budget income list）")

    spent = command(budget, "spent", "一个科目已支出的明细：活动支出和计入它的慰问记录", _spent)
    spent.add_argument("year", type=parse_year, metavar="YEAR", help="年度，如 2026")
    spent.add_argument("code", metavar="CODE", help="支出科目编码或名称")
    spent.add_argument("--json", action="store_true", help="以 JSON 输出")

    _, categories = _listing_with_actions(
        budget, "categories", "收支科目：列出科目树；add 添加下级科目，edit 修改名称或编码", _categories
    )
    cat_add = command(categories, "add", "在一个科目下添加本单位的下级科目", _category_add)
    cat_add.add_argument("parent", metavar="PARENT_CODE", help="上级科目编码，如 50102")
    cat_add.add_argument("name", metavar="NAME", help="科目名称，如 球类活动")
    cat_add.add_argument("--code", default="", help="编码（默认上级编码后加两位）")
    cat_edit = command(categories, "edit", "修改科目的名称或编码（各省编码不同时）", _category_edit)
    cat_edit.add_argument("code", metavar="CODE", help="科目编码")
    cat_edit.add_argument("--name", help="新名称")
    cat_edit.add_argument("--new-code", help="新编码")

    care_map = command(budget, "care-map", "慰问支出计入哪个科目：不带参数时列出，带参数时设定", _care_map)
    care_map.add_argument("occasion", nargs="?", metavar="OCCASION", help="慰问事由：" + "、".join(OCCASIONS))
    care_map.add_argument("code", nargs="?", metavar="CODE", help="支出科目编码或名称，如 50106")
    care_map.add_argument("--json", action="store_true", help="以 JSON 输出")

    _, limits = _listing_with_actions(
        budget, "limits", "活动开支标准：列出正在使用的标准；set 自某日起使用本单位的标准", _limits
    )
    limit_set = command(limits, "set", "自某日起使用本单位的活动开支标准", _limit_set)
    limit_set.add_argument("rule", metavar="RULE", choices=RULES, help="标准：" + "、".join(RULES))
    limit_set.add_argument(
        "value",
        metavar="VALUE",
        help="工作餐、人均每天：元；奖励面：占参加人数的百分比（如 66.7）；外出天数：天",
    )
    limit_set.add_argument(
        "--from", dest="first", type=parse_date, required=True, metavar="YYYY-MM-DD", help="生效日期"
    )
    limit_set.add_argument("--kind", choices=KINDS, help="只对这类活动（默认所有活动）")
    limit_set.add_argument("--note", default="", help="依据")


def _register_events(sub: argparse._SubParsersAction[Parser]) -> None:
    from app.cli.imports import add_import_command

    events = actions(sub, "events", "活动：导入支出台账、列出、登记、预算、支出、参加人、打印")
    imported = add_import_command(
        events, "导入活动支出台账（每笔支出一行：日期、活动名称、支出内容、科目、金额、发票号、经办人、人数）",
        "活动支出台账（.xlsx / .xls / .csv）", _ledger_importer,
    )  # fmt: skip
    imported.add_argument("--year", type=parse_year, help="日期没有写年份时用的年份（默认今年）")
    _add_category_option(imported)

    listing = command(events, "list", "列出活动：状态、参加人数、预算、已支出、差额", _list)
    listing.add_argument("--year", type=parse_year, help="只列这一年开始的")
    listing.add_argument("--status", choices=STATUSES, help="只列这种状态的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")

    show = command(events, "show", "显示一项活动：预算明细、支出、参加人、预算与实际的差额", _show_activity)
    show.add_argument("activity_id", type=int, metavar="ID", help="活动编号（见 events list）")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")

    add = command(events, "add", "登记一项活动（状态为计划中）", _add)
    add.add_argument("name", metavar="NAME", help="活动名称")
    add.add_argument("--kind", required=True, choices=KINDS, help="活动类型")
    _activity_options(add, required_start=True)
    add.add_argument("--json", action="store_true", help="以 JSON 输出")

    edit = command(events, "edit", "修改一项活动（只改写出的项目）", _edit)
    edit.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    edit.add_argument("--name", help="活动名称")
    edit.add_argument("--kind", choices=KINDS, help="活动类型")
    _activity_options(edit, required_start=False)

    status = command(events, "status", "改变活动状态：计划中 → 已审批 → 进行中 → 已结束，或已取消", _status)
    status.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    status.add_argument("status", metavar="STATUS", choices=STATUSES, help="状态：" + "、".join(STATUSES))

    remove = command(events, "delete", "删除一项活动及其预算、参加人和支出（操作日志保留原内容）", _delete)
    remove.add_argument("activity_id", type=int, metavar="ID", help="活动编号")

    budget = command(events, "budget", "设定活动的预算明细（代替原有的明细）", _budget)
    budget.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    budget.add_argument(
        "--line",
        action="append",
        required=True,
        metavar=LINE_FORM,
        help="一行预算，如 --line 场地租赁,50102,3000；写了人数时金额是每人标准，合计为 金额×人数；"
        "超过开支标准的一行须写原因。可以写多个",
    )

    expense = actions(events, "expense", "活动的实际支出：登记、删除")
    exp_add = command(expense, "add", "登记一笔支出", _expense_add)
    exp_add.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    exp_add.add_argument("--date", type=parse_date, required=True, metavar="YYYY-MM-DD", help="日期")
    exp_add.add_argument("--item", required=True, help="支出内容")
    exp_add.add_argument("--category", required=True, metavar="CODE", help="支出科目编码或名称")
    exp_add.add_argument("--amount", required=True, metavar="YUAN", help="金额（元）")
    exp_add.add_argument("--invoice", default="", help="发票号")
    exp_add.add_argument("--payee", default="", help="收款方")
    exp_add.add_argument("--paid-by", default="", help="经办人")
    exp_add.add_argument("--note", default="", help="备注")
    exp_add.add_argument("--reason", default="", help="超过开支标准时的原因")
    exp_add.add_argument("--json", action="store_true", help="以 JSON 输出")
    exp_delete = command(expense, "delete", "删除一笔录错的支出", _expense_delete)
    exp_delete.add_argument("expense_id", type=int, metavar="EXPENSE_ID", help="支出编号（见 events show）")

    people = command(
        events,
        "participants",
        "设定活动的参加人（代替原有名单；活动开始那天不是本会会员的会提示）",
        _participants,
    )
    people.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    people.add_argument(
        "members", nargs="*", metavar="MEMBER", help="会员的身份证号、会员证号或姓名（可用逗号分隔多人）"
    )
    people.add_argument("--clear", action="store_true", help="清空名单（改用参加人数）")

    printing = command(
        events, "print", "打印活动经费预算表、决算表或签到表（.pdf，或可编辑的 .xlsx）", _print
    )
    printing.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    printing.add_argument(
        "--kind",
        required=True,
        type=word_choice({"预算表": "budget", "决算表": "final", "签到表": "signin"}, "打印"),
        metavar="预算表|决算表|签到表",
        help="预算表（活动经费预算表，也可写 budget）、决算表（活动经费决算表，final）或签到表（signin）",
    )
    printing.add_argument(
        "--out", type=Path, required=True, metavar="OUT.pdf|OUT.xlsx", help="保存为（.pdf 或 .xlsx）"
    )

    why = command(events, "reason", "为超过开支标准的活动（或其中一笔支出）写明原因", _reason)
    why.add_argument("activity_id", type=int, metavar="ID", help="活动编号")
    why.add_argument("text", metavar="TEXT", help="原因")
    why.add_argument("--expense", type=int, metavar="EID", help="支出编号（为这笔支出写原因）")


def _activity_options(parser: Parser, *, required_start: bool) -> None:
    parser.add_argument(
        "--start", type=parse_date, required=required_start, metavar="YYYY-MM-DD", help="开始日期"
    )
    parser.add_argument("--end", type=parse_date, metavar="YYYY-MM-DD", help="结束日期（一天的活动不写）")
    parser.add_argument("--place", help="地点")
    parser.add_argument("--organiser", help="组织者")
    parser.add_argument("--headcount", type=int, metavar="N", help="参加人数（不记名单时）")
    parser.add_argument("--note", help="备注")
    parser.add_argument("--reason", help="活动超过开支标准时的原因")


# ---------------------------------------------------------------- budget


def _table_json(table: BudgetTable) -> dict[str, Any]:
    return {
        "year": table.year,
        "categories": [
            {"id": r.category.id, "code": r.category.code, "name": r.category.name, "kind": r.category.kind,
             "depth": r.category.depth, "budget_fen": r.budget_fen, "own_line": r.own_line,
             "committed_fen": r.committed_fen, "spent_fen": r.spent_fen, "activity_fen": r.activity_fen,
             "care_fen": r.care_fen, "remaining_fen": r.remaining_fen, "used_pct": _pct(r.used_pct),
             "level": r.level}
            for r in table.spending
        ],
        "income": [
            {"id": r.category.id, "code": r.category.code, "name": r.category.name, "depth": r.category.depth,
             "budget_fen": r.budget_fen, "actual_fen": r.actual_fen, "from_dues_roll": r.from_dues_roll}
            for r in table.income
        ],
        "spending_budget_fen": table.spending_budget_fen,
        "committed_fen": table.committed_fen,
        "spent_fen": table.spent_fen,
        "execution_rate": _pct(table.execution_rate),
        "income_budget_fen": table.income_budget_fen,
        "income_actual_fen": table.income_actual_fen,
        "warnings": table.warnings,
    }  # fmt: skip


@reads
def _show(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import budget_table

    table = budget_table(session, args.year)
    if args.json:
        print_json(_table_json(table))
        return EXIT_OK
    say(f"{args.year}年经费收支预算执行情况（单位：元）")
    say("支出科目\n编码\t科目\t预算数\t已安排\t已支出\t结余\t执行率\t提示")
    for r in table.spending:
        pct = "—" if r.used_pct is None else f"{r.used_pct}%"
        name = "　" * r.category.depth + r.category.name
        say(
            f"{r.category.code}\t{name}\t{_money(r.budget_fen, '未编预算')}\t{_money(r.committed_fen)}"
            f"\t{_money(r.spent_fen)}\t{_money(r.remaining_fen)}\t{pct}\t{r.level}"
        )
    say("收入科目\n编码\t科目\t预算数\t实际收入")
    for i in table.income:
        name = "　" * i.category.depth + i.category.name
        roll = "（按会费台账应缴）" if i.from_dues_roll else ""
        say(f"{i.category.code}\t{name}\t{_money(i.budget_fen, '未编预算')}{roll}\t{_money(i.actual_fen)}")
    rate = "—" if table.execution_rate is None else f"{table.execution_rate}%"
    say(
        f"支出预算合计 {_money(table.spending_budget_fen)} 元，已支出 {_money(table.spent_fen)} 元，"
        f"已安排 {_money(table.committed_fen)} 元，执行率 {rate}；"
        f"收入预算合计 {_money(table.income_budget_fen)} 元，实际收入 {_money(table.income_actual_fen)} 元。"
    )
    for warning in table.warnings:
        say(f"提示：{warning}")
    return EXIT_OK


@writes
def _set(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import set_budget
    from app.services.errors import UserError

    if args.clear == (args.amount is not None):
        raise UserError("请给出预算金额（元），或用 --clear 取消这个科目的预算（两者只能选一）")
    category = _find_category(session, args.code, None)
    amount = None if args.clear else parse_fen("预算金额", args.amount)
    set_budget(session, args.year, category.id, amount, args.note)
    if amount is None:
        say(f"已取消 {args.year} 年“{category.label}”的预算（未编预算，不是零）。")
    else:
        say(f"已设定 {args.year} 年“{category.label}”的预算：{_money(amount)} 元。")
    return EXIT_OK


def _income_json(i: IncomeInfo, code: str) -> dict[str, Any]:
    return {"id": i.id, "date": i.day, "category_id": i.category_id, "code": code, "line": i.category,
            "amount_fen": i.amount_fen, "source": i.source, "note": i.note}  # fmt: skip


@writes
def _income_add(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import add_income

    line = _find_category(session, args.line, "收入")
    amount = parse_fen("金额", args.amount) or 0
    income_id = add_income(session, args.date, line.id, amount, args.source, args.note)
    if args.json:
        print_json({"id": income_id, "date": args.date, "category_id": line.id, "code": line.code,
                    "line": line.label, "amount_fen": amount})  # fmt: skip
        return EXIT_OK
    say(f"已登记收入：{args.date.isoformat()} {line.label} {_money(amount)} 元（编号 {income_id}）")
    return EXIT_OK


@reads
def _income_list(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import list_income, load_tree

    tree = load_tree(session)
    rows = list_income(session, args.year)
    total = sum(i.amount_fen for i in rows)
    if args.json:
        print_json({"year": args.year, "count": len(rows), "amount_fen": total,
                    "income": [_income_json(i, tree.by_id[i.category_id].code) for i in rows]})  # fmt: skip
        return EXIT_OK
    for i in rows:
        extra = "　".join(x for x in (i.source, i.note) if x)
        say(f"{i.id}\t{i.day.isoformat()}\t{i.category}\t{_money(i.amount_fen)}\t{extra}")
    say(f"{args.year}年会费以外的收入共 {len(rows)} 笔，合计 {_money(total)} 元（会费收入见会费台账）。")
    return EXIT_OK


@writes
def _income_delete(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import delete_income

    delete_income(session, args.income_id)
    say(f"已删除收入 {args.income_id}。")
    return EXIT_OK


def _expense_json(e: ExpenseInfo) -> dict[str, Any]:
    return {
        "id": e.id, "activity_id": e.activity_id, "activity": e.activity, "date": e.day, "item": e.item,
        "category_id": e.category_id, "category": e.category, "amount_fen": e.amount_fen, "payee": e.payee,
        "invoice_no": e.invoice_no, "paid_by": e.paid_by, "note": e.note, "over_limit": e.over_limit,
        "reason": e.reason, "source": e.source,
    }  # fmt: skip


def _care_json(r: CareInfo) -> dict[str, Any]:
    return {"id": r.id, "member_id": r.member_id, "name": r.recipient, "date": r.day, "occasion": r.occasion,
            "variant": r.variant, "amount_fen": r.amount_fen}  # fmt: skip


@reads
def _spent(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import spent_records

    category = _find_category(session, args.code, "支出")
    found = spent_records(session, args.year, category.id)
    activity = sum(e.amount_fen for e in found.expenses)
    care = sum(r.amount_fen for r in found.care)
    if args.json:
        print_json({
            "year": args.year, "code": category.code, "name": category.name, "spent_fen": activity + care,
            "activity_fen": activity, "care_fen": care,
            "expenses": [_expense_json(e) for e in found.expenses], "care": [_care_json(r) for r in found.care],
        })  # fmt: skip
        return EXIT_OK
    say(f"{args.year}年“{category.label}”已支出 {_money(activity + care)} 元：")
    say(f"活动支出 {len(found.expenses)} 笔，合计 {_money(activity)} 元")
    for e in found.expenses:
        say(f"  {e.id}\t{e.day.isoformat()}\t{e.activity}\t{e.item}\t{e.category}\t{_money(e.amount_fen)}")
    say(f"慰问 {len(found.care)} 人次，合计 {_money(care)} 元")
    for r in found.care:
        say(f"  {r.id}\t{r.day.isoformat()}\t{r.recipient}\t{r.occasion}\t{_money(r.amount_fen)}")
    return EXIT_OK


@reads
def _categories(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import care_categories, load_tree

    tree = load_tree(session)
    care: dict[int, list[str]] = {}
    for occasion, category_id in care_categories(session).items():
        care.setdefault(category_id, []).append(occasion)
    if args.json:
        print_json({"categories": [
            {"id": c.id, "code": c.code, "name": c.name, "kind": c.kind, "depth": c.depth,
             "parent_code": tree.by_id[c.parent_id].code if c.parent_id is not None else None,
             "shipped": c.shipped, "care_occasions": care.get(c.id, [])}
            for c in tree.items
        ]})  # fmt: skip
        return EXIT_OK
    for c in tree.items:
        own = "" if c.shipped else "\t（本单位添加）"
        occasions = f"\t慰问：{'、'.join(care[c.id])}" if c.id in care else ""
        say(f"{c.kind}\t{c.code}\t{'　' * c.depth}{c.name}{own}{occasions}")
    return EXIT_OK


@writes
def _category_add(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import add_category

    added = add_category(session, args.parent, args.name, args.code)
    say(f"已添加科目：{added.label}")
    return EXIT_OK


@writes
def _category_edit(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import edit_category, load_tree
    from app.services.errors import UserError

    found = load_tree(session).by_code.get(args.code.strip())
    if found is None:
        raise UserError(f"没有编码为“{args.code}”的科目（用 budget categories 查看）")
    if args.name is None and args.new_code is None:
        raise UserError("没有要修改的项目：请写出 --name 或 --new-code")
    edit_category(session, found.id, name=args.name, code=args.new_code)
    after = load_tree(session).by_id[found.id]
    say(f"已修改科目：{found.label} → {after.label}")
    return EXIT_OK


def _care_map(db: Database, args: argparse.Namespace) -> int:
    if (args.occasion is None) != (args.code is None):
        print("用法错误：设定时请同时写出事由和科目编码，如 budget care-map 住院 50106", file=sys.stderr)
        return EXIT_USAGE
    if args.occasion is not None and args.occasion not in OCCASIONS:
        print(f"用法错误：没有“{args.occasion}”这种慰问事由；可选：{'、'.join(OCCASIONS)}", file=sys.stderr)
        return EXIT_USAGE
    handler = _care_map_show if args.occasion is None else _care_map_set
    result: int = handler(db, args)
    return result


@reads
def _care_map_show(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import care_categories, load_tree

    tree = load_tree(session)
    mapping = care_categories(session)
    rows = [(o, tree.by_id.get(mapping[o]) if o in mapping else None) for o in OCCASIONS]
    if args.json:
        print_json({"care_map": [
            {"occasion": o, "code": c.code if c else None, "name": c.name if c else None} for o, c in rows
        ]})  # fmt: skip
        return EXIT_OK
    for occasion, category in rows:
        say(f"{occasion}\t{category.label if category else '（未指定科目，不计入预算执行）'}")
    return EXIT_OK


@writes
def _care_map_set(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import set_care_category

    category = _find_category(session, args.code, "支出")
    set_care_category(session, Occasion(args.occasion), category.code)
    say(f"已设定：{args.occasion}的慰问支出计入“{category.label}”。")
    return EXIT_OK


def _limit_value(rule: Rule, text: str) -> int:
    """What the user typed, in the rule's unit: yuan → fen, a percentage → per mille, days."""
    from decimal import Decimal, InvalidOperation

    from app.services.errors import UserError

    if rule in (Rule.MEAL, Rule.PER_HEAD):
        return parse_fen(rule.value, text) or 0
    cleaned = text.strip().removesuffix("%").removesuffix("％").removesuffix("天")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise UserError(f"{rule.value}：“{text}”不是数字") from None
    if rule is Rule.PRIZE_SHARE:
        if not 0 <= number <= 100:
            raise UserError(f"奖励面：“{text}”应是 0 到 100 之间的百分比")
        return int((number * 10).to_integral_value())
    if number != number.to_integral_value() or not 1 <= number <= 30:
        raise UserError(f"外出天数：“{text}”应是 1 到 30 之间的整数")
    return int(number)


def _limit_text(rule: Rule, value: int) -> str:
    if rule in (Rule.MEAL, Rule.PER_HEAD):
        return f"{_money(value)} 元"
    if rule is Rule.PRIZE_SHARE:
        return f"{value / 10:.1f}%"
    return f"{value} 天"


@reads
def _limits(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import list_limits

    found = list_limits(session)
    if args.json:
        print_json({"limits": [
            {"rule": i.limit.rule.value, "kind": i.limit.kind, "from": i.limit.effective_from,
             "value": i.limit.value, "unit": RULE_UNITS[i.limit.rule], "text": i.limit.text(),
             "source": i.source, "note": i.note}
            for i in found
        ]})  # fmt: skip
        return EXIT_OK
    if not found:
        say("没有活动开支标准。可用 budget limits set 设定本单位的标准。")
    for i in found:
        kind = f"（{i.limit.kind}）" if i.limit.kind else ""
        say(
            f"{i.limit.rule.value}{kind}\t{_limit_text(i.limit.rule, i.limit.value)}\t"
            f"自{i.limit.effective_from.isoformat()}\t{i.source}\t{i.limit.text()}"
        )
    return EXIT_OK


@writes
def _limit_set(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import set_limit

    rule = Rule(args.rule)
    value = _limit_value(rule, args.value)
    set_limit(session, rule, value, args.first, args.kind or "", args.note)
    kind = f"（{args.kind}）" if args.kind else ""
    say(
        f"已设定本单位的{rule.value}标准{kind}：{_limit_text(rule, value)}，自{args.first.isoformat()}起使用。"
    )
    return EXIT_OK


# ---------------------------------------------------------------- events


def _row_json(r: ActivityRow) -> dict[str, Any]:
    return {
        "id": r.id, "name": r.name, "kind": r.kind, "start": r.start, "end": r.end, "status": r.status,
        # no budget lines (an activity imported from the ledger): no budget, not a budget of 0
        "place": r.place, "organiser": r.organiser, "participants": r.participants,
        "budget_fen": r.budget_fen or None, "spent_fen": r.spent_fen,
        "variance_fen": r.variance_fen if r.budget_fen else None, "over_limit": r.over_limit,
        "awaiting_reason": r.awaiting_reason,
    }  # fmt: skip


def _when(r: ActivityRow) -> str:
    if r.end is None or r.end == r.start:
        return r.start.isoformat()
    return f"{r.start.isoformat()}～{r.end.isoformat()}"


@reads
def _list(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import list_activities

    status = Status(args.status) if args.status else None
    rows = list_activities(session, year=args.year, status=status)
    totals = {
        "count": len(rows), "participants": sum(r.participants for r in rows),
        "budget_fen": sum(r.budget_fen for r in rows), "spent_fen": sum(r.spent_fen for r in rows),
    }  # fmt: skip
    if args.json:
        print_json({**totals, "activities": [_row_json(r) for r in rows]})
        return EXIT_OK
    if not rows:
        say("没有活动。")
    for r in rows:
        flag = "\t超过开支标准" + ("（待写原因）" if r.awaiting_reason else "") if r.over_limit else ""
        say(
            f"{r.id}\t{_when(r)}\t{r.name}\t{r.kind}\t{r.status}\t{r.participants} 人\t"
            f"预算 {budget_text(r.budget_fen)}\t已支出 {_money(r.spent_fen)}\t"
            f"{variance_so_far(r.status, r.budget_fen, r.spent_fen) or '未支出'}{flag}"
        )
    say(
        f"共 {totals['count']} 项活动，{totals['participants']} 人次参加，预算 {_money(totals['budget_fen'])} 元，"
        f"已支出 {_money(totals['spent_fen'])} 元。"
    )
    return EXIT_OK


def _detail_json(d: ActivityDetail) -> dict[str, Any]:
    return {
        **_row_json(d.row), "participant_count": d.row.participants, "headcount": d.headcount, "note": d.note, "limits_exceeded": d.over_limit,
        "reason": d.reason, "source": d.source,
        "items": [
            {"id": i.id, "item": i.item, "category_id": i.category_id, "category": i.category,
             "amount_fen": i.amount_fen, "per_head_fen": i.per_head_fen, "heads": i.heads,
             "over_limit": i.over_limit, "reason": i.reason}
            for i in d.items
        ],
        "expenses": [_expense_json(e) for e in d.expenses],
        "participants": [{"id": p.member_id, "member_id": p.member_id, "name": p.name, "group": p.group}
                         for p in d.participants],
        "variance": [
            {"category_id": v.category_id, "category": v.category, "budget_fen": v.budget_fen,
             "spent_fen": v.spent_fen, "variance_fen": v.variance_fen}
            for v in (d.variance if d.row.budget_fen else [])  # nothing to compare without a budget
        ],
    }  # fmt: skip


@reads
def _show_activity(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import get_activity

    d = get_activity(session, args.activity_id)
    if args.json:
        print_json(_detail_json(d))
        return EXIT_OK
    r = d.row
    say(f"{r.name}（编号 {r.id}）\t{r.kind}\t{r.status}\t{_when(r)}")
    place = "　".join(
        x for x in (r.place and f"地点：{r.place}", r.organiser and f"组织者：{r.organiser}") if x
    )
    if place:
        say(place)
    say(f"参加：{r.participants} 人" + ("（名单见下）" if d.participants else ""))
    if d.over_limit:
        say(f"超过开支标准：{d.over_limit}；原因：{d.reason or '（待写）'}")
    say(f"预算明细（合计 {_money(r.budget_fen)} 元）：")
    for i in d.items:
        each = (
            f"（{_money(i.per_head_fen)} 元 × {i.heads} 人）"
            if i.per_head_fen is not None and i.heads
            else ""
        )
        flag = f"\t超过标准：{i.over_limit}（{i.reason}）" if i.over_limit else ""
        say(f"  {i.item}\t{i.category}\t{_money(i.amount_fen)}{each}{flag}")
    say(f"实际支出（合计 {_money(r.spent_fen)} 元）：")
    for e in d.expenses:
        flag = f"\t超过标准：{e.over_limit}（{e.reason}）" if e.over_limit else ""
        extra = "　".join(x for x in (e.payee, e.invoice_no and f"发票 {e.invoice_no}", e.paid_by) if x)
        say(f"  {e.id}\t{e.day.isoformat()}\t{e.item}\t{e.category}\t{_money(e.amount_fen)}\t{extra}{flag}")
    if r.budget_fen:
        say("预算与实际（按科目）：")
        for v in d.variance:
            say(
                f"  {v.category}\t预算 {_money(v.budget_fen)}\t实际 {_money(v.spent_fen)}\t{variance_text(v.variance_fen)}"
            )
        say(f"合计：{variance_words(r.budget_fen, r.spent_fen)}")
    elif r.spent_fen:
        say(
            f"{NO_BUDGET}：这项活动没有编列自己的预算（从台账导入的活动只有支出），支出计入年度预算中所属科目的执行数"
        )
    if d.participants:
        say("参加人：" + "、".join(p.name for p in d.participants))
    return EXIT_OK


@writes
def _add(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import ActivityInput, create_activity, get_activity

    data = ActivityInput(
        args.name, Kind(args.kind), args.start, args.end, args.place or "", args.organiser or "",
        args.headcount, args.note or "", args.reason or "",
    )  # fmt: skip
    activity_id = create_activity(session, data)
    if args.json:
        print_json(_detail_json(get_activity(session, activity_id)))
        return EXIT_OK
    say(f"已登记活动：{data.name}（编号 {activity_id}，计划中）")
    return EXIT_OK


@writes
def _edit(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import ActivityInput, get_activity, update_activity

    old = get_activity(session, args.activity_id)
    r = old.row
    given = [args.name, args.kind, args.start, args.end, args.place, args.organiser, args.headcount, args.note,
             args.reason]  # fmt: skip
    if all(value is None for value in given):
        say("没有要修改的项目：请写出要改的内容，例如 --place 职工之家")
        return EXIT_OK

    def pick(new: Any, current: Any) -> Any:
        return current if new is None else new

    data = ActivityInput(
        pick(args.name, r.name), Kind(pick(args.kind, r.kind)), pick(args.start, r.start), pick(args.end, r.end),
        pick(args.place, r.place), pick(args.organiser, r.organiser), pick(args.headcount, old.headcount),
        pick(args.note, old.note), pick(args.reason, ""),
    )  # fmt: skip
    update_activity(session, args.activity_id, data)
    say(f"已修改活动 {args.activity_id}：{data.name}")
    return EXIT_OK


@writes
def _status(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import get_activity, set_status

    set_status(session, args.activity_id, Status(args.status))
    say(f"活动“{get_activity(session, args.activity_id).row.name}”的状态已改为：{args.status}")
    return EXIT_OK


@writes
def _delete(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import delete_activity

    name = delete_activity(session, args.activity_id)
    say(f"已删除活动“{name}”（编号 {args.activity_id}）及其预算、参加人和支出。")
    return EXIT_OK


def _budget_line(session: Session, number: int, text: str) -> Any:
    from app.services.activities import ItemInput
    from app.services.errors import UserError

    parts = [p.strip() for p in re.split("[,，]", text, maxsplit=4)]  # the reason may hold commas
    if not 3 <= len(parts) <= 5:
        raise UserError(f"第 {number} 行预算“{text}”应写成 {LINE_FORM}")
    item, code, amount = parts[:3]
    category = _find_category(session, code, "支出")
    fen = parse_fen(f"第 {number} 行预算的金额", amount) or 0
    heads: int | None = None
    if len(parts) >= 4 and parts[3]:
        try:
            heads = int(parts[3].removesuffix("人"))
        except ValueError:
            raise UserError(f"第 {number} 行预算的人数“{parts[3]}”不是整数") from None
        if heads <= 0:
            raise UserError(f"第 {number} 行预算的人数应大于 0")
    reason = parts[4] if len(parts) == 5 else ""
    if heads is None:
        return ItemInput(item, category.id, amount_fen=fen, reason=reason)
    return ItemInput(item, category.id, per_head_fen=fen, heads=heads, reason=reason)


@writes
def _budget(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import get_activity, set_budget_items

    items = [_budget_line(session, n, text) for n, text in enumerate(args.line, start=1)]
    set_budget_items(session, args.activity_id, items)
    d = get_activity(session, args.activity_id)
    say(f"已设定活动“{d.row.name}”的预算：{len(items)} 行，合计 {_money(d.row.budget_fen)} 元。")
    for i in d.items:
        if i.over_limit:
            say(f"  超过开支标准：{i.item}：{i.over_limit}（原因：{i.reason}）")
    return EXIT_OK


@writes
def _expense_add(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import ExpenseInput, add_expense, list_expenses

    category = _find_category(session, args.category, "支出")
    data = ExpenseInput(
        args.date, args.item, category.id, parse_fen("金额", args.amount) or 0, args.payee, args.invoice,
        args.paid_by, args.note, args.reason,
    )  # fmt: skip
    expense_id = add_expense(session, args.activity_id, data)
    (stored,) = [e for e in list_expenses(session, activity_id=args.activity_id) if e.id == expense_id]
    if args.json:
        print_json(_expense_json(stored))
        return EXIT_OK
    say(
        f"已登记支出：{stored.activity} {stored.day.isoformat()} {stored.item} {stored.category} "
        f"{_money(stored.amount_fen)} 元（编号 {stored.id}）"
    )
    if stored.over_limit:
        say(f"超过开支标准：{stored.over_limit}；原因：{stored.reason}")
    return EXIT_OK


@writes
def _expense_delete(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import delete_expense

    delete_expense(session, args.expense_id)
    say(f"已删除支出 {args.expense_id}。")
    return EXIT_OK


@writes
def _participants(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import get_activity, participant_warnings, set_participants
    from app.services.errors import UserError

    if args.clear == bool(args.members):
        raise UserError("请写出参加人（身份证号、会员证号或姓名），或用 --clear 清空名单（两者只能选一）")
    members = [] if args.clear else _members(session, args.members)
    set_participants(session, args.activity_id, members)
    d = get_activity(session, args.activity_id)
    if args.clear:
        say(f"已清空活动“{d.row.name}”的参加人名单；参加人数按 {d.headcount or 0} 人计。")
    else:
        say(f"已设定活动“{d.row.name}”的参加人：{len(d.participants)} 人。")
    for warning in participant_warnings(session, d.row.start, members):
        say(f"提示：{warning}")
    return EXIT_OK


@reads
def _print(session: Session, args: argparse.Namespace) -> int:
    out: Path = args.out
    if output_suffix(out, PRINT_KINDS[args.kind]) == ".pdf":
        from app.services.activities.printouts import print_activity

        print_activity(session, args.activity_id, args.kind, out)
    else:
        from app.services.activities.export import export_activity

        export_activity(session, args.activity_id, args.kind, out)
    say(f"{PRINT_KINDS[args.kind]}已保存：{out}")
    return EXIT_OK


@writes
def _reason(session: Session, args: argparse.Namespace) -> int:
    from app.services.activities import set_reason

    set_reason(session, args.activity_id, args.text, expense_id=args.expense)
    which = f"支出 {args.expense}" if args.expense is not None else f"活动 {args.activity_id}"
    say(f"已为{which}写明超过开支标准的原因。")
    return EXIT_OK
