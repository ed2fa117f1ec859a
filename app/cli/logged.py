"""Every command line run goes into the log (which command, how it ended, how long it took),
and an error nobody expected ends in one plain Chinese line naming the log, never a traceback."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence

from app.cli.common import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, EXIT_USAGE, refuse

log = logging.getLogger("uniondesk.cli")

OUTCOMES = {EXIT_OK: "完成", EXIT_INPUT: "输入有错误或出错，没有写入", EXIT_USAGE: "用法错误",
            EXIT_DATABASE: "账套无法使用"}  # fmt: skip
EXIT_INTERRUPTED = 130  # as shells report Ctrl+C
_MAX_WORDS = 3


def command_words(argv: Sequence[str]) -> str:
    """The command's own words (``roster import``, ``care batch add``), without the values
    typed after them: those may be names or ID numbers, which the log does not keep."""
    words: list[str] = []
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--db":
            skip = True
        elif token.startswith("-") or not token.isascii() or not token.replace("-", "").isalpha():
            if words:
                break
        else:
            words.append(token)
            if len(words) == _MAX_WORDS:
                break
    return " ".join(words)


def run_logged(
    args: argparse.Namespace, run: Callable[[argparse.Namespace], int], argv: Sequence[str] | None
) -> int:
    """``run(args)`` with its start and end in the log; an unexpected exception is logged with
    its traceback and told in one line (exit 3 when SQLite itself failed, else 1)."""
    from app.log_setup import configure_logging, where_the_log_is

    configure_logging()
    _warnings_still_shown()
    name = command_words(sys.argv[1:] if argv is None else argv) or "（无命令）"
    log.info("开始：uniondesk %s（账套 %s）", name, getattr(args, "db", None) or "默认账套")
    started = time.perf_counter()
    try:
        code = run(args)
    except KeyboardInterrupt:
        log.info("中断：uniondesk %s（Ctrl+C）", name)
        print("已中断。这次操作没有完成，没有完成的操作不会写入账套。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        log.exception("出错：uniondesk %s，用时 %.1f 秒", name, time.perf_counter() - started)
        error = sys.exc_info()[1]
        code = EXIT_DATABASE if _sqlite_failed(error) else EXIT_INPUT
        return refuse(
            args,
            f"程序出错：“{name}”没有完成。已经保存的数据不受影响——没有完成的操作不会写入账套。"
            f"详细情况已记下（{where_the_log_is()}），如果问题反复出现，请把这个文件发给技术支持。",
            code,
        )
    log.info("结束：uniondesk %s，退出码 %d（%s），用时 %.1f 秒", name, code,
             OUTCOMES.get(code, "其他"), time.perf_counter() - started)  # fmt: skip
    return code


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """The program's warnings on the terminal, one line each, as Python printed them before
    the log was set up (a backup that could not be made, say). Our own lines and anything
    with a traceback stay in the log only."""

    def __init__(self) -> None:
        super().__init__()
        self.setLevel(logging.WARNING)
        self.addFilter(lambda record: not record.name.startswith("uniondesk") and not record.exc_info)

    @property
    def stream(self) -> object:
        return sys.stderr  # the one in use now (tests swap it)

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def _warnings_still_shown() -> None:
    root = logging.getLogger()
    if not any(isinstance(handler, _Stderr) for handler in root.handlers):
        root.addHandler(_Stderr())


def _sqlite_failed(error: BaseException | None) -> bool:
    """SQLite itself failed (not a bug in a statement): the 账套 may not be usable now."""
    import sqlite3

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if (
            isinstance(error, sqlite3.OperationalError | sqlite3.InternalError)
            or type(error) is sqlite3.DatabaseError
        ):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return False
