"""`init`, `demo`, `check`, `profile`: the 账套 itself and the union it belongs to."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Parser,
    actions,
    command,
    parse_year,
    print_json,
    reads,
    say,
    writes,
)
from app.domain.union import PROFILE_LABELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    init = command(sub, "init", "新建账套并填写本工会信息", _init, creates=True)
    init.add_argument("--name", required=True, help="工会名称")
    init.add_argument("--province", help="所在省份（决定慰问标准的默认值）")
    init.add_argument("--unit", default="", help="所在单位")
    init.add_argument("--chair", default="", help="工会主席")
    init.add_argument("--handler", dest="handler_name", default="", help="经办人")

    demo = command(sub, "demo", "生成一个演示工会（只用于新的空账套）", _demo, creates=True)
    demo.add_argument("--members", type=int, default=300, help="会员人数，默认 300")
    demo.add_argument("--year", type=parse_year, help="演示数据截至哪一年，默认今年")
    demo.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)

    check = command(
        sub, "check", "检查账套：文件完整性、引用、金额、会籍、身份证号，会费、慰问、经费的账目", _check
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出（ok、problem_count、checks）")

    profile = actions(sub, "profile", "查看或修改本工会信息")
    command(profile, "show", "显示本工会信息", _profile_show)
    profile_set = command(profile, "set", "修改本工会信息", _profile_set)
    for key, label in PROFILE_LABELS.items():
        profile_set.add_argument(f"--{key.replace('_', '-')}", dest=f"profile_{key}", help=label)


@writes
def _init(session: Session, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.system import ProfileData, get_profile, save_profile

    existing = get_profile(session).name
    if existing:
        raise UserError(f"账套已经建立过（{existing}）。修改信息请用 profile set")
    save_profile(
        session,
        ProfileData(name=args.name, unit_name=args.unit, chair=args.chair,
                    handler=args.handler_name, province=args.province or ""),
    )  # fmt: skip
    say(f"已建立账套：{args.db_path}")
    return EXIT_OK


@writes
def _demo(session: Session, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.system import get_profile
    from app.services.system.demo import build_demo

    existing = get_profile(session).name
    if existing:  # init was run: the demo would replace what the user typed
        raise UserError(f"账套已经建立过（{existing}）。演示工会只能生成在新的空账套中，请换一个文件名")
    result = build_demo(session, members=args.members, year=args.year, seed=args.seed)
    say(
        f"已生成演示工会：{result.members} 名会员，{result.groups} 个分组，{result.events} 条会籍变动记录，"
        f"两年的会费（{result.payments} 笔缴费），今年的慰问帮扶（{result.care} 人次，含困难职工档案和集中发放），"
        f"今年的经费预算和 {result.activities} 项活动"
    )
    say(f"账套文件：{args.db_path}")
    return EXIT_OK


@reads
def _check(session: Session, args: argparse.Namespace) -> int:
    from app.services.system.check import WHAT_TO_DO, run_checks

    report = run_checks(session)
    if args.json:
        print_json(report.as_json())
        return EXIT_OK if report.ok else EXIT_INPUT
    for item in report.items:
        say(f"已检查：{item.title}" + ("" if item.ok else f"——发现 {len(item.problems)} 个问题"))
    if report.ok:
        say("检查完成，没有发现问题。")
        return EXIT_OK
    say(f"发现 {len(report.problems)} 个问题：")
    for problem in report.problems:
        say(f"  - {problem}")
    say(WHAT_TO_DO)
    return EXIT_INPUT


@reads
def _profile_show(session: Session, _args: argparse.Namespace) -> int:
    from app.services.system import get_profile

    profile = get_profile(session)
    for key, label in PROFILE_LABELS.items():
        say(f"{label}：{getattr(profile, key)}")
    return EXIT_OK


@writes
def _profile_set(session: Session, args: argparse.Namespace) -> int:
    from app.services.system import get_profile, save_profile

    profile = get_profile(session)
    for key in PROFILE_LABELS:
        value = getattr(args, f"profile_{key}")
        if value is not None:
            setattr(profile, key, value)
    save_profile(session, profile)
    say("本工会信息已保存。")
    return EXIT_OK
