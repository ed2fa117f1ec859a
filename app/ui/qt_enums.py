"""PySide6's enums, made the quick way the standard library makes its own.

PySide6 turns each C++ enum into a Python enum when its class is first used, through the
functional API of ``enum`` — ``IntEnum(name, [(key, value), …], boundary=KEEP)`` — which
checks and sets up the members one at a time, about 35 µs each. Up to the first roster
page the window has about 200 of them made, 3,000 members; the ``Qt`` namespace alone is
93 enums and 1,195 members, 45 ms, and any table needs it. The standard library makes its
own enums (``re.RegexFlag``, ``http.HTTPStatus``) with ``enum._simple_enum``, which builds
the same class in one pass, in half the time.

``install()`` sends PySide6's calls there: one of the four base enums, a list of
(name, int) pairs and ``boundary`` alone. Every other call, and any list the functional API
would treat otherwise (a name beginning with "_", a name given twice, a value that is not
an int), goes to ``enum`` as before. The classes are the same: tests/ui/test_qt_enums.py makes
every enum of the Qt modules the program uses both ways and compares them member by member
(values, aliases, iteration, flag operations, unknown values, str and repr, pickling).
That comparison was made on Pythons 3.11 to 3.13; on any other the quick path stays off.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

_BASES = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)
_COMPARED_ON = ((3, 11), (3, 13))
_stock_call = enum.EnumType.__call__


def install() -> bool:
    """Make PySide6's enums the quick way from now on (once; later calls change nothing).
    False where this Python's ``enum`` was not compared (the stock way stays)."""
    if not _COMPARED_ON[0] <= sys.version_info[:2] <= _COMPARED_ON[1]:
        return False
    if not callable(getattr(enum, "_simple_enum", None)):
        return False
    enum.EnumType.__call__ = _call  # type: ignore[method-assign,assignment]
    return True


def installed() -> bool:
    return enum.EnumType.__call__ is _call


def _call(cls: type[enum.Enum], value: Any, *args: Any, **kwargs: Any) -> Any:
    if not args and not kwargs:  # a member looked up, Colour(1): by far the most frequent call
        return _stock_call(cls, value)
    if len(args) == 1 and type(args[0]) is list and kwargs.keys() == {"boundary"} and cls in _BASES:
        made = quick_enum(cls, value, args[0], kwargs["boundary"])
        if made is not None:
            return made
    return _stock_call(cls, value, *args, **kwargs)


def quick_enum(
    base: type[enum.Enum], name: object, members: list[Any], boundary: enum.FlagBoundary | None
) -> type[enum.Enum] | None:
    """The enum ``base(name, members, boundary=boundary)`` makes, made by ``_simple_enum``;
    None for anything but a name and (name, int) pairs the functional API takes as they are."""
    if type(name) is not str:
        return None
    namespace: dict[str, int] = {}
    for member in members:
        if type(member) is not tuple or len(member) != 2:
            return None
        key, value = member
        if type(key) is not str or key.startswith("_") or type(value) is not int or key in namespace:
            return None
        namespace[key] = value
    made: type[enum.Enum] = enum._simple_enum(base, boundary=boundary)(type(name, (), namespace))  # type: ignore[attr-defined]
    made.__doc__ = None  # as the functional API leaves it (_simple_enum writes one)
    return made
