"""The command line: `uniondesk` opens the window; subcommands run the same services.

One module per area registers its commands (``register``); each command carries its
handler (``set_defaults(handler=…)``), and ``main`` opens the 账套 and runs it. Only the
area of the command given is imported and registered (every area for ``--help``, no
command, or a command nobody knows), so a command starts without building the others.
Exit codes: 0 done; 1 the input had errors and nothing was written; 2 usage error;
3 the database cannot be used (not a 账套, missing, corrupt, newer version, read-only, locked, full).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from app.cli.common import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Parser, refuse

__all__ = ["EXIT_DATABASE", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "build_parser", "main", "run_program"]

_STARTED = time.perf_counter()
# each area's module under app/cli and the top-level commands its ``register`` adds
AREAS: dict[str, tuple[str, ...]] = {
    "system": ("init", "demo", "check", "profile"),
    "roster": ("group", "member", "roster"),
    "dues": ("dues",),
    "care": ("care",),
    "hardship": ("hardship",),
    "activities": ("budget", "events"),
    "reports": ("report",),
    "backup": ("backup", "restore"),
    "audit": ("audit",),
    "password": ("password",),
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``: "" for none at all (the window opens), None when an
    option such as --help comes first."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--db":
            skip = True  # its value follows
        elif token.startswith("--db="):
            continue
        elif token.startswith("-"):
            return None
        else:
            return token
    return ""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: with only the command's area when it names one."""
    parser = Parser(prog="uniondesk", description="UnionDesk 基层工会工作台。不带命令时打开程序窗口。")
    parser.add_argument("--db", type=Path, help="账套文件（默认：用户数据文件夹中的 union.db）")
    parser.add_argument("--version", action="version", version=_version(), help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    gui = sub.add_parser("gui", help="打开程序窗口")
    gui.add_argument("--quit-when-ready", action="store_true", help="名册显示后打印 ready <毫秒> 并退出")
    command = _command_in(sys.argv[1:] if argv is None else argv)
    areas = [area for area, commands in AREAS.items() if command in commands]
    if not areas and command not in ("gui", ""):
        areas = list(AREAS)  # --help lists them all; a mistyped command is told the choices
    for area in areas:
        importlib.import_module(f"app.cli.{area}").register(sub)
    return parser


def _version() -> str:
    from app import __version__

    return f"UnionDesk {__version__}"


def _db_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db)
    from app.paths import default_db_path

    return default_db_path()


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    unreadable = _unreadable_argument(given)
    if unreadable is not None:
        option = given[unreadable - 2] if unreadable > 1 and given[unreadable - 2].startswith("-") else ""
        where = f"（{option} 后面的值）" if option else ""
        print(
            f"用法错误：第 {unreadable} 个参数{where}中有不能识别的文字：终端或脚本多半不是 UTF-8 编码"
            "（例如 GBK）。请把终端或脚本改为 UTF-8 后再运行",
            file=sys.stderr,
        )
        return EXIT_USAGE
    args = build_parser(argv).parse_args(argv)
    if getattr(args, "handler", None) is None:  # no command, or `gui`
        from app.ui.app import run_gui

        quit_when_ready = bool(getattr(args, "quit_when_ready", False))
        return run_gui(_db_path(args), quit_when_ready=quit_when_ready, started=_STARTED)
    from app.cli.logged import run_logged  # the log, and no traceback for an unexpected error

    return run_logged(args, _run_command, argv)


def _unreadable_argument(argv: Sequence[str]) -> int | None:
    """The place (from 1) of the first argument with bytes the system's encoding could not
    read (kept as lone surrogates), unless it names a file that is there: a file named in
    another encoding still opens."""
    for place, argument in enumerate(argv, start=1):
        if any("\udc80" <= ch <= "\udcff" for ch in argument) and not _exists(Path(argument)):
            return place
    return None


def run_program(argv: Sequence[str] | None = None) -> int:
    """``main`` as the program runs it (the `uniondesk` command, ``python -m app``, the bundles):
    the process ends once it returns."""
    code = main(argv)
    # Python's clean-up at exit collects the whole heap — SQLAlchemy's and ours — once more:
    # a quarter of a second added to every command, for memory the system takes back anyway.
    # Frozen objects are left to it; files and the 账套 are closed by then, and stdout and the
    # log are still flushed at exit.
    import gc

    gc.freeze()
    return code


def _run_command(args: argparse.Namespace) -> int:
    if not getattr(args, "opens", True):  # backup, restore: the file itself, which may be damaged or missing
        args.db_path = _db_path(args)
        return int(args.handler(args))
    before_open = getattr(args, "before_open", None)
    if before_open is not None:
        before_open(args)  # e.g. start parsing the file to import while the database layer loads
    args.db_path = _db_path(args)
    new = bool(args.creates) and not _exists(args.db_path)
    code = _open_and_run(args)
    if new and code != EXIT_OK:  # `init --name ""` refused: no empty 账套 left behind to open later
        _discard_new(args.db_path)
    return code


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return True  # not ours to remove


def _discard_new(path: Path) -> None:
    """The 账套 file a failed command created, with what SQLite and the lock left beside it."""
    from app.db_backup import discard_backup
    from app.instance_lock import lock_file_of

    discard_backup(path)  # the file and its journals, as for a backup given up
    with contextlib.suppress(OSError):
        lock_file_of(path).unlink(missing_ok=True)


def _open_and_run(args: argparse.Namespace) -> int:
    from app.db import DatabaseOpenError, open_database
    from app.services.errors import UserError

    try:
        db = open_database(args.db_path, create=args.creates)
    except DatabaseOpenError as exc:
        return refuse(args, f"无法打开账套：{exc}", EXIT_DATABASE)
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links …
        return refuse(args, f"无法打开账套“{args.db_path}”：{_reason(exc)}", EXIT_DATABASE)
    try:
        from app.cli.access import run_guarded

        # a network share is noted; a window holding the 账套 or its 启动密码 may refuse (exit 3)
        code: int = run_guarded(db, args)
        return code
    except DatabaseOpenError as exc:  # the file became unusable while working: locked, full, damaged
        return refuse(args, f"账套无法使用：{exc}", EXIT_DATABASE)
    except UserError as exc:
        return refuse(args, f"错误：{exc}", EXIT_INPUT)
    except BrokenPipeError:  # `uniondesk member list | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return EXIT_OK
    except OSError as exc:  # a file given on the command line cannot be read or written
        name = f"“{exc.filename}”" if exc.filename else ""
        return refuse(args, f"错误：文件{name}无法读写：{_reason(exc)}", EXIT_INPUT)
    finally:
        db.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return "文件名或路径太长"
    if isinstance(exc, OSError) and exc.strerror:
        return f"操作系统拒绝（{exc.strerror}）"
    return "路径无法解析（可能是互相指向的快捷方式或链接）"
