"""What every command module shares: the Chinese argparse, option types, output, and
finding a member or a group from what the user typed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app.domain.yearmonth import YearMonth

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DATABASE = 0, 1, 2, 3

Handler = Callable[["Database", argparse.Namespace], int]
FileHandler = Callable[[argparse.Namespace], int]  # works on the 账套 file itself (args.db_path)
SessionHandler = Callable[["Session", argparse.Namespace], int]

_ARGPARSE_WORDS = (
    ("the following arguments are required:", "缺少必填的参数："),
    ("unrecognized arguments:", "无法识别的参数："),
    ("invalid choice:", "不是可选的值："),
    ("choose from", "可选"),
    ("expected one argument", "需要一个值"),
    ("expected at least one argument", "至少需要一个值"),
    ("not allowed with argument", "不能与这个参数同时使用："),
    ("one of the arguments ", "这几个参数必须给出其中一个："),
    (" is required", ""),
    ("invalid int value:", "应当是整数（如 12），不能是"),
    ("invalid float value:", "应当是数字，不能是"),
    ("argument ", "参数 "),
)


class Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: every word on screen is Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n（用 uniondesk --help 查看全部命令）\n")


def actions(parent: argparse._SubParsersAction[Parser], name: str, help_text: str) -> Any:
    """A command with sub-actions (`roster import`, `member list` …)."""
    command = parent.add_parser(name, help=help_text)
    return command.add_subparsers(dest="action", required=True, metavar="操作", parser_class=Parser)


def command(
    parent: argparse._SubParsersAction[Parser],
    name: str,
    help_text: str,
    handler: Handler | FileHandler,
    *,
    creates: bool = False,
    opens: bool = True,
) -> Parser:
    """Register a command. Only commands that create a 账套 may be given a file that does
    not exist yet (``creates``); every other command says the file is missing. A command
    that must work on a file that may not open (``restore`` of a damaged one) is given
    ``opens=False`` and a FileHandler: it gets ``args.db_path`` and opens nothing."""
    parser: Parser = parent.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler, creates=creates, opens=opens)
    return parser


def writes(handler: SessionHandler) -> Handler:
    """The command runs in one write transaction: all of it happens, or none of it."""

    @wraps(handler)
    def run(db: Database, args: argparse.Namespace) -> int:
        with db.session() as session:
            return handler(session, args)

    return run


def writes_in_bulk(handler: SessionHandler) -> Handler:
    """``writes`` for a command that changes many rows (a dues roll): the backup that must
    come before such a write starts at once, beside the command's own work."""

    write = writes(handler)

    @wraps(handler)
    def run(db: Database, args: argparse.Namespace) -> int:
        db.back_up_ahead()
        return write(db, args)

    return run


def reads(handler: SessionHandler) -> Handler:
    """The command only reads: it never takes the write lock."""

    @wraps(handler)
    def run(db: Database, args: argparse.Namespace) -> int:
        with db.reader() as session:
            return handler(session, args)

    return run


def add_reveal_option(parser: argparse.ArgumentParser) -> None:
    """``--reveal``: a listing shows ID numbers masked, as the program's lists do, unless asked."""
    parser.add_argument(
        "--reveal",
        action="store_true",
        help="显示完整的身份证号（默认只显示前 6 位和后 4 位，如 110105********002X）",
    )


def shown_id_number(args: argparse.Namespace, number: str) -> str:
    """The ID number as a listing shows it: masked unless ``--reveal`` was given."""
    from app.domain.idcard import mask_id_number

    return number if getattr(args, "reveal", False) else mask_id_number(number)


# No record of a union is older than this, nor this far ahead: 1899-01-01 is a slip of the keyboard
# that would otherwise be stored (and a payment dated then would cover the oldest months first).
YEARS = range(1900, 2101)


def plausible_year(year: int, text: str) -> None:
    """A usage error unless ``year`` lies in ``YEARS``; ``text`` is what was typed."""
    if year not in YEARS:
        raise argparse.ArgumentTypeError(f"“{text}”的年份不对：应在 {YEARS[0]} 到 {YEARS[-1]} 年之间")


def parse_year(text: str) -> int:
    """A year given on the command line for the records it reads or lists (2026, 2026年):
    a usage error outside 2000–2100, where no register of this program's belongs."""
    try:
        year = int(text.strip().removesuffix("年"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份，请写成 2026") from None
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"年份“{text}”不对，应在 2000 到 2100 之间")
    return year


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，请写成 2026-03-15") from None
    plausible_year(day.year, text)
    return day


def parse_month(text: str) -> YearMonth:
    try:
        month = YearMonth.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年月，请写成 2026-03") from None
    plausible_year(month.year, text)
    return month


def word_choice(words: dict[str, str], what: str) -> Callable[[str], str]:
    """An option's value typed as its Chinese word or as its key: the key; anything else a
    Chinese usage error listing the words (``words``: Chinese word → key)."""

    def read(text: str) -> str:
        key = words.get(text.strip(), text.strip())
        if key not in words.values():
            raise argparse.ArgumentTypeError(f"“{text}”不是可选的{what}：可选 {'、'.join(words)}")
        return key

    return read


def parse_fen(label: str, text: str | None) -> int | None:
    """A yuan amount typed on the command line, in fen (None when not given); a bad one is a
    UserError naming ``label``."""
    from app.domain.money import MoneyError, yuan_to_fen
    from app.services.errors import UserError

    if text is None:
        return None
    try:
        return yuan_to_fen(text)
    except MoneyError as exc:
        raise UserError(f"{label}：{exc}") from None


def output_suffix(out: Path, what: str, allowed: tuple[str, ...] = (".pdf", ".xlsx")) -> str:
    """``out``'s suffix (lower case) when it is one of ``allowed``; else a UserError saying what
    is wrong with it (a folder given, another kind of file), before anything is computed."""
    from app.services.errors import UserError

    if out.is_dir():
        raise UserError(f"{what}的位置“{out}”是一个文件夹，请给出文件名，例如 {what}{allowed[0]}")
    suffix = out.suffix.lower()
    if suffix not in allowed:
        kinds = "（.pdf 用来打印，.xlsx 可以修改）" if set(allowed) == {".pdf", ".xlsx"} else ""
        raise UserError(f"{what}“{out.name}”应保存为 {' 或 '.join(allowed)} 文件{kinds}")
    return suffix


def say(text: str = "") -> None:
    print(text, flush=True)


def print_json(payload: dict[str, Any]) -> None:
    """One JSON object, as DESIGN.md's command line promises (money in `_fen` keys)."""
    print(json.dumps(payload, ensure_ascii=False, default=plain), flush=True)


def refuse(args: argparse.Namespace, message: str, code: int) -> int:
    """A command that could not be done: ``message`` on standard error and, with ``--json``,
    the one object the command promises on standard output too (``{"error": …}``), so that
    a script reading it is not left with nothing. Returns ``code``."""
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        print_json({"error": message, "exit_code": code})
    return code


def plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def find_member(session: Session, key: str) -> int:
    from app.services.errors import UserError
    from app.services.roster import find_member_ids

    if not key.strip():
        raise UserError("请给出会员的身份证号、会员证号或姓名")
    ids = find_member_ids(session, key)
    if not ids:
        raise UserError(f"找不到会员“{key}”（可用身份证号、会员证号或姓名查找）")
    if len(ids) > 1:
        raise UserError(f"有 {len(ids)} 名会员叫“{key}”，请改用身份证号或会员证号指明是哪一位")
    return ids[0]


def find_group(session: Session, path: str) -> int:
    from app.services.errors import UserError
    from app.services.roster import find_group_by_path

    if not path.strip():  # an empty --group "" must not read as no group, that is everyone
        raise UserError("分组名称是空的：请写出分组的名称（用 group list 查看全部分组）")
    found = find_group_by_path(session, path)
    if found is None:
        raise UserError(f"没有名为“{path}”的分组（用 group list 查看全部分组）")
    return found
