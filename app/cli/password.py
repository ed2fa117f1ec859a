"""`password status|set|change|remove|idle`: the 账套's 启动密码 on the command line.

Passwords are typed at the terminal (not shown), or — for scripts — read from standard input
with ``--password-stdin``, one a line: the old one first (change, remove, idle), then the new
one (set, change). The old one may also come from the environment variable
UNIONDESK_PASSWORD, the same one every other command takes. A new password is never read
from the environment.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from getpass import getpass
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, EXIT_USAGE, Parser, actions, command, print_json, reads, say

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database

_NOT_ENCRYPTED = "注意：启动密码不会加密账套文件，请照样保管好账套文件和备份。"


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    password = actions(sub, "password", "启动密码：查看、设置、修改、取消（设置后打开账套要先输入）")
    status = command(password, "status", "显示是否设有启动密码、多久无操作自动锁定", _status)
    status.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    for name, help_text, handler in (
        ("set", "设置启动密码（账套还没有启动密码时）", _set),
        ("change", "修改启动密码（要输入原密码）", _change),
        ("remove", "取消启动密码（要输入原密码）", _remove),
    ):
        parser = command(password, name, help_text, handler)
        _stdin_option(parser)
        if name != "remove":
            parser.add_argument(
                "--idle-minutes",
                type=int,
                metavar="分钟",
                help="无操作多少分钟后锁定程序窗口（0 表示不锁定，默认 10）",
            )
    idle = command(password, "idle", "设置无操作多少分钟后锁定程序窗口（要输入启动密码）", _idle)
    idle.add_argument("minutes", type=int, help="分钟数，0 表示不自动锁定")
    _stdin_option(idle)


def _stdin_option(parser: Parser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读密码（用于脚本），每行一个：先原密码，再新密码",
    )


class _NoWayToAsk(Exception):
    """No terminal to type a password at, and none given otherwise."""


class _Passwords:
    """Where this command's passwords come from: standard input, the environment, the terminal."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._lines: Iterator[str] | None = None
        if args.password_stdin:
            self._lines = iter(sys.stdin.read().splitlines())

    def old(self) -> str:
        from app.services.system import ENV_PASSWORD

        if self._lines is not None:
            return self._next("原密码")
        given = os.environ.get(ENV_PASSWORD)
        if given is not None:
            return given
        return self._typed("原密码：")

    def new(self) -> tuple[str, str]:
        if self._lines is not None:
            line = self._next("新密码")
            return line, line
        return self._typed("新密码：", new=True), self._typed("再输入一次新密码：", new=True)

    def _next(self, what: str) -> str:
        from app.services.errors import UserError

        assert self._lines is not None
        line = next(self._lines, None)
        if line is None:
            raise UserError(f"标准输入中缺少{what}（--password-stdin：每行一个，先原密码，再新密码）")
        return line

    def _typed(self, prompt: str, *, new: bool = False) -> str:
        if not sys.stdin.isatty():
            raise _NoWayToAsk(
                "没有可以输入密码的终端：请在终端（命令提示符）中运行，或加 --password-stdin 从标准输入读入密码"
                + ("" if new else "（原密码也可以放在环境变量 UNIONDESK_PASSWORD 中）")
            )
        try:
            return getpass(prompt)
        except EOFError:
            raise _NoWayToAsk("没有输入密码，什么也没有改动") from None


def _usage(exc: _NoWayToAsk) -> int:
    print(f"用法错误：{exc}", file=sys.stderr)
    return EXIT_USAGE


@reads
def _status(session: Session, args: argparse.Namespace) -> int:
    from app.services.system import password_state

    state = password_state(session)
    if args.json:
        print_json({"password_set": state.is_set, "idle_minutes": state.idle_minutes})
        return EXIT_OK
    say(f"启动密码：{'已设置' if state.is_set else '未设置'}")
    if state.is_set:
        idle = f"无操作 {state.idle_minutes} 分钟后锁定程序窗口" if state.idle_minutes else "不自动锁定"
        say(f"自动锁定：{idle}")
    return EXIT_OK


def _is_set(db: Database) -> bool:
    from app.services.system import password_state

    with db.reader() as session:
        return password_state(session).is_set


def _old_password(db: Database, passwords: _Passwords) -> str:
    """The old password, checked before anything else is asked."""
    from app.services.errors import UserError, ValidationError
    from app.services.system import check_password

    if not _is_set(db):
        raise UserError("这个账套没有设启动密码（用 password set 设置）")
    old = passwords.old()
    with db.reader() as session:
        if not check_password(session, old):
            raise ValidationError({"old": "不对，什么也没有改动"}, {"old": "原密码"})
    return old


def _set(db: Database, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.system import set_password

    if _is_set(db):
        raise UserError("这个账套已经设有启动密码。要换一个，请用 password change（需要原密码）")
    try:
        new, confirm = _Passwords(args).new()
    except _NoWayToAsk as exc:
        return _usage(exc)
    with db.session() as session:
        set_password(session, new, confirm, args.idle_minutes)
    say("已设置启动密码。以后打开这个账套（程序窗口和命令）都要先输入它；忘记了就无法在程序中取消，请记牢。")
    say(_NOT_ENCRYPTED)
    return EXIT_OK


def _change(db: Database, args: argparse.Namespace) -> int:
    from app.services.system import change_password

    passwords = _Passwords(args)
    try:
        old = _old_password(db, passwords)
        new, confirm = passwords.new()
    except _NoWayToAsk as exc:
        return _usage(exc)
    with db.session() as session:
        change_password(session, old, new, confirm, args.idle_minutes)
    say("启动密码已修改。")
    return EXIT_OK


def _remove(db: Database, args: argparse.Namespace) -> int:
    from app.services.system import remove_password

    try:
        old = _old_password(db, _Passwords(args))
    except _NoWayToAsk as exc:
        return _usage(exc)
    with db.session() as session:
        remove_password(session, old)
    say("启动密码已取消：打开这个账套不再需要密码，程序窗口也不再自动锁定。")
    return EXIT_OK


def _idle(db: Database, args: argparse.Namespace) -> int:
    from app.services.system import set_idle_minutes

    try:
        _old_password(db, _Passwords(args))
    except _NoWayToAsk as exc:
        return _usage(exc)
    with db.session() as session:
        set_idle_minutes(session, args.minutes)
    say(f"程序窗口将在无操作 {args.minutes} 分钟后锁定。" if args.minutes else "程序窗口不再自动锁定。")
    return EXIT_OK
