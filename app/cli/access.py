"""What a command respects once its 账套 is open, before it runs: a note when the 账套 lies
on a network share; the instance lock for a command that may write (a window that has the
账套 open refuses it); the 启动密码, when the 账套 has one."""

from __future__ import annotations

import argparse
import os
import sys
from getpass import getpass
from typing import TYPE_CHECKING

from app.cli.common import EXIT_DATABASE, Handler

if TYPE_CHECKING:
    from pathlib import Path

    from app.db import Database
    from app.instance_lock import InstanceLock

_TRIES = 3
OWN_PASSWORD_COMMANDS = ("password",)  # they ask for the 启动密码 themselves, where needed


def run_guarded(db: Database, args: argparse.Namespace) -> int:
    """Run the command's handler under the guards; exit 3 with a Chinese message when one
    refuses (the 账套 is not touched)."""
    from app.db_file import on_network_share
    from app.instance_lock import InstanceLockedError, lock_for_command
    from app.services.system import network_note

    if on_network_share(db.path):
        print(network_note(db.path.name), file=sys.stderr)
    lock: InstanceLock | None = None
    if not only_reads(args.handler):
        try:
            lock = lock_for_command(db.path)
        except InstanceLockedError as exc:
            print(exc, file=sys.stderr)
            return EXIT_DATABASE
    try:
        if args.command not in OWN_PASSWORD_COMMANDS:
            refusal = password_refusal(db)
            if refusal is not None:
                print(refusal, file=sys.stderr)
                return EXIT_DATABASE
        code: int = args.handler(db, args)
        return code
    finally:
        if lock is not None:
            lock.release()


def only_reads(handler: Handler) -> bool:
    """Whether the handler was made by ``@reads``: every function ``reads`` returns runs the
    same code. Anything else may write (``@writes``, imports, handlers of their own)."""
    from app.cli.common import reads

    return getattr(handler, "__code__", None) is getattr(reads(_nothing), "__code__", False)


def _nothing(_session: object, _args: argparse.Namespace) -> int:
    return 0


def password_refusal(db: Database) -> str | None:
    """None when the command may go on: the 账套 has no 启动密码, or it was given — in the
    environment (scripts) or typed at the terminal; else why not."""
    from app.services.errors import UserError
    from app.services.system import password_hash

    with db.reader() as session:
        stored = password_hash(session)
    if stored is None:
        return None
    try:
        return _ask(db.path.name, stored)
    except UserError as exc:  # a damaged record: nobody can be let in
        return str(exc)


def file_password_refusal(path: Path) -> str | None:
    """``password_refusal`` for a command that does not open the 账套 (restore): read with
    sqlite3 alone. A file that is missing or cannot be read — damaged, what restoring is
    for — asks nothing."""
    from app.db_file import DatabaseOpenError
    from app.services.errors import UserError
    from app.services.system import read_stored_password

    try:
        stored = read_stored_password(path).hash
    except (DatabaseOpenError, UserError):
        return None
    return None if stored is None else _ask(path.name, stored)


def _ask(name: str, stored: str) -> str | None:
    from app.services.system import ENV_PASSWORD, verify_password

    given = os.environ.get(ENV_PASSWORD)
    if given is not None:
        if verify_password(stored, given):
            return None
        return f"环境变量 {ENV_PASSWORD} 中的启动密码不对，命令没有执行。"
    if not sys.stdin.isatty():
        return (
            f"账套“{name}”设有启动密码，命令没有执行。请在终端（命令提示符）中运行并输入密码；"
            f"脚本中请把密码放在环境变量 {ENV_PASSWORD} 中。"
        )
    for attempt in range(1, _TRIES + 1):
        try:
            typed = getpass(f"账套“{name}”设有启动密码，请输入：")
        except EOFError:
            break
        if verify_password(stored, typed):
            return None
        if attempt < _TRIES:
            print(f"密码不对，还可以再试 {_TRIES - attempt} 次。", file=sys.stderr)
    return "启动密码不对，命令没有执行。"
