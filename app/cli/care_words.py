"""`care words …`: 慰问事由用语 — how the registers write each occasion (病号慰问 → 住院): the
program's words and the union's own in their place; and `care import --word 写法=事由[:细分]`,
which answers an unknown word for one import and remembers it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, Parser, actions, command, print_json, reads, say, writes
from app.domain.care import Occasion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.imports import Answer

OCCASIONS = [o.value for o in Occasion]
WORD_FORM = "写法=事由[:细分]"
WORD_HELP = (
    "说明登记表中的一种写法指哪种事由，如 --word 病号问候=住院、--word 外婆去世=直系亲属去世:外祖母；"
    "可以写多个。导入时记住，以后不用再说明（见 care words list）"
)
_VARIANT_HELP = "细分：哪个节日、哪位亲属，或住院时写“手术”"


def register_words(care: argparse._SubParsersAction[Parser]) -> None:
    """`care words list [--json]`, `care words set WORD OCCASION [--variant V]`, `care words remove WORD`."""
    words = actions(
        care, "words", "慰问事由用语：登记表中事由的写法（如 病号慰问 → 住院），程序自带的和本单位的"
    )
    listing = command(words, "list", "列出认得的写法和它们的意思（标出本单位的）", _list)
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    setting = command(words, "set", "记住一种写法指哪种事由（代替程序自带的意思）", _set)
    setting.add_argument("word", metavar="WORD", help="登记表中的写法，如 病号问候")
    setting.add_argument(
        "occasion", metavar="OCCASION", choices=OCCASIONS, help="事由：" + "、".join(OCCASIONS)
    )
    setting.add_argument("--variant", default="", help=_VARIANT_HELP)
    removing = command(
        words,
        "remove",
        "删除本单位的一种写法（回到程序自带的意思；程序没有这种写法时，导入时不再认得）",
        _remove,
    )
    removing.add_argument("word", metavar="WORD", help="本单位添加的写法")


def add_word_option(parser: Parser) -> None:
    """`--word 写法=事由[:细分]` (repeatable) on `care import`; read with ``word_answers``."""
    parser.add_argument(
        "--word", action="append", type=parse_word, default=[], metavar=WORD_FORM, help=WORD_HELP
    )


def parse_word(value: str) -> tuple[tuple[str, str], Answer]:
    """An argparse type: `病号问候=住院`, `外婆去世=直系亲属去世:外祖母` (full-width ＝ and ：
    too), checked, as an answer for ``CareImportOptions.answers``."""
    from app.services.care import word_answer
    from app.services.errors import UserError

    word, equals, meaning = value.replace("＝", "=").partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"“{value}”应写成 {WORD_FORM}，如 病号问候=住院")
    occasion, _, variant = meaning.replace("：", ":").partition(":")
    try:
        return word_answer(word, occasion, variant)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def word_answers(args: argparse.Namespace) -> dict[tuple[str, str], Answer]:
    """The `--word` answers given (none when the command has no such option)."""
    return dict(getattr(args, "word", None) or ())


@reads
def _list(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import list_words

    words = list_words(session)
    if args.json:
        print_json({"words": [
            {"id": w.id, "word": w.word, "occasion": w.occasion.value, "variant": w.variant, "own": w.own,
             "source": w.source,
             "shipped": None if w.shipped is None else {"occasion": w.shipped[0].value, "variant": w.shipped[1]}}
            for w in words
        ]})  # fmt: skip
        return EXIT_OK
    say("写法\t意思\t来源")
    for w in words:
        instead = f"（代替程序自带的“{w.replaces}”）" if w.replaces else ""
        say(f"{w.word}\t{w.meaning}\t{w.source}{instead}")
    own = sum(1 for w in words if w.own)
    say(
        f"共 {len(words)} 种写法，其中本单位的 {own} 种。事由本身的名称（{'、'.join(OCCASIONS[:3])}……）总是认得。"
    )
    return EXIT_OK


@writes
def _set(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import set_word

    info = set_word(session, args.word, args.occasion, args.variant)
    instead = f"，代替程序自带的“{info.replaces}”" if info.replaces else ""
    say(f"已记住：“{info.word}”指{info.meaning}{instead}。以后导入慰问登记表时按这个意思读。")
    return EXIT_OK


@writes
def _remove(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import remove_word

    after = remove_word(session, args.word)
    word = "".join(args.word.split())
    if after is None:
        say(f"已删除本单位的写法“{word}”。以后导入时不再认得它，会请您说明。")
    else:
        say(f"已删除本单位的写法“{word}”。以后按程序自带的意思读：指{after.meaning}。")
    return EXIT_OK
