"""PySide6's enums made the quick way (app.ui.qt_enums) are the classes the functional API
of ``enum`` makes: every enum of the Qt modules the program uses, made both ways, compared."""

from __future__ import annotations

import enum
import importlib
import pickle
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from app.ui import qt_enums
from app.ui.qt_enums import install, installed, quick_enum

QT_MODULES = ["QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg", "QtCharts"]
BASES = (enum.IntFlag, enum.Flag, enum.IntEnum, enum.Enum)  # the most derived first


def _enums_in(owner: object, depth: int = 0) -> Iterator[type[enum.Enum]]:
    for name in dir(owner):
        if name.startswith("_"):
            continue
        value = getattr(owner, name, None)
        if isinstance(value, enum.EnumType) and value.__module__.startswith("PySide6"):
            yield value
        elif isinstance(value, type) and depth < 2 and value.__module__.startswith("PySide6"):
            yield from _enums_in(value, depth + 1)


def qt_enum_calls() -> list[tuple[type[enum.Enum], str, list[tuple[str, int]]]]:
    """What PySide6 passed to make each of its enums: the base, the name, the members in
    their order (aliases too), as read back from the enums themselves."""
    found: dict[str, tuple[type[enum.Enum], str, list[tuple[str, int]]]] = {}
    for module in QT_MODULES:
        for made in _enums_in(importlib.import_module(f"PySide6.{module}")):
            base = next(b for b in BASES if issubclass(made, b))
            members = [(key, member.value) for key, member in made.__members__.items()]
            found[f"{made.__module__}.{made.__qualname__}"] = (base, made.__name__, members)
    return list(found.values())


def _outcome(call: Any) -> str:
    try:
        return repr(call())
    except (ValueError, TypeError) as error:
        return f"{type(error).__name__}: {error}"


def described(made: type[enum.Enum], own_name: str) -> dict[str, Any]:
    """Everything a program can see of an enum, its own name written as X."""
    members = list(made.__members__.values())
    seen: dict[str, Any] = {
        "members": [(key, member.name, member.value) for key, member in made.__members__.items()],
        "iteration": [(member.name, member.value) for member in made],
        "length": len(made),
        "by value": sorted((value, member.name) for value, member in made._value2member_map_.items()),
        "mro": [base.__name__ for base in made.__mro__[1:]],
        "dir": sorted(dir(made)),
        "attributes": sorted(key for key in vars(made) if not key.startswith("__")),
        # the members' names are in the class (the stock way holds the member there, the
        # quick way a lookup of it, as the standard library's own enums have it)
        "class dict": sorted(
            (key, "member" if key in made.__members__ else type(value).__name__)
            for key, value in vars(made).items()
        ),
        "by attribute": [getattr(made, key) is member for key, member in made.__members__.items()],
        "member dicts": [sorted((key, repr(value)) for key, value in vars(m).items()) for m in members],
        "doc": made.__doc__,
        "text": [(str(m), repr(m), format(m), f"{m!s:>12}") for m in members],
        "pickled": [pickle.loads(pickle.dumps(m)) is m for m in members],
    }
    for name in ("_member_names_", "_flag_mask_", "_all_bits_", "_singles_mask_", "_boundary_", "_use_args_"):
        seen[name] = getattr(made, name, None)
    if issubclass(made, enum.Flag):
        few = members[:10]
        seen["operations"] = [(repr(~a), repr(a | b), repr(a & b), repr(a ^ b)) for a in few for b in few]
        seen["unknown values"] = [_outcome(lambda v=v: made(v)) for v in (0, 3, 12345, 0x7FFFFFFF, -1)]
    else:
        seen["lookups"] = [_outcome(lambda v=m.value: made(v)) for m in members]
        seen["unknown value"] = _outcome(lambda: made(987_654_321))
    return {key: repr(value).replace(own_name, "X") for key, value in seen.items()}


def _both_ways(base: type[enum.Enum], name: str, members: list[tuple[str, int]]) -> tuple[Any, Any]:
    stock = qt_enums._stock_call(base, name, members, boundary=enum.KEEP)
    quick = quick_enum(base, name, members, enum.KEEP)
    assert quick is not None, name
    module = sys.modules[__name__]
    for made, own_name in ((stock, "StockMade"), (quick, "QuickMade")):
        # as PySide6 does once the enum is made: where it lives, so its members pickle
        made.__module__, made.__qualname__ = __name__, own_name
        setattr(module, own_name, made)
    return stock, quick


def test_every_qt_enum_is_the_same_made_the_quick_way() -> None:
    calls = qt_enum_calls()
    assert len(calls) > 600  # the modules' enums were found (651 in PySide6 6.11)
    assert {base for base, _name, _members in calls} == set(BASES)
    different = []
    for base, name, members in calls:
        stock, quick = _both_ways(base, name, members)
        left, right = described(stock, "StockMade"), described(quick, "QuickMade")
        different += [f"{name}: {key}" for key in left if left[key] != right[key]]
    assert different == []


def test_a_flag_with_aliases_and_masks_is_the_same() -> None:
    # Qt's alignment: single bits, an alias of one of them, masks of several
    members = [("Left", 1), ("Leading", 1), ("Right", 2), ("HCenter", 4), ("Horizontal_Mask", 7), ("Top", 32)]
    stock, quick = _both_ways(enum.IntFlag, "Alignment", members)
    assert described(quick, "QuickMade") == described(stock, "StockMade")
    assert quick.Leading is quick.Left
    assert list(quick) == [quick.Left, quick.Right, quick.HCenter, quick.Top]
    assert int(quick.Left | quick.Top) == 33


def test_the_installed_path_makes_pyside6_s_calls_quickly_and_leaves_every_other_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(enum.EnumType, "__call__", qt_enums._stock_call)
    quick: list[str] = []
    original = qt_enums.quick_enum

    def counted(base: type[enum.Enum], name: object, members: list[Any], boundary: Any) -> Any:
        made = original(base, name, members, boundary)
        if made is not None:
            quick.append(str(name))
        return made

    monkeypatch.setattr(qt_enums, "quick_enum", counted)
    assert install() and installed()

    colour = enum.IntEnum("Colour", [("RED", 1), ("GREEN", 2)], boundary=enum.KEEP)  # PySide6's form
    assert quick == ["Colour"]
    assert colour(2) is colour.GREEN and colour(value=1) is colour.RED and colour.RED == 1
    with pytest.raises(ValueError):
        colour(3)

    enum.Enum("Named", "RED GREEN")  # names in a string
    enum.IntEnum("NoBoundary", [("RED", 1)])
    enum.IntEnum("Private", [("_RED", 1)], boundary=enum.KEEP)  # the functional API's own rules
    enum.IntEnum("Truth", [("YES", True)], boundary=enum.KEEP)  # not an int
    assert quick == ["Colour"]
    twice = [("RED", 1), ("RED", 2)]
    with pytest.raises(TypeError) as stock:
        qt_enums._stock_call(enum.IntEnum, "Twice", twice, boundary=enum.KEEP)
    with pytest.raises(TypeError) as installed_path:  # refused as before, not quietly kept
        enum.IntEnum("Twice", twice, boundary=enum.KEEP)
    assert str(installed_path.value) == str(stock.value)


def test_what_the_quick_path_does_not_take() -> None:
    keep = enum.KEEP
    assert quick_enum(enum.IntEnum, "Twice", [("RED", 1), ("RED", 2)], keep) is None
    assert quick_enum(enum.IntEnum, "Private", [("_RED", 1)], keep) is None
    assert quick_enum(enum.IntEnum, "Truth", [("YES", True)], keep) is None
    assert quick_enum(enum.IntEnum, "Lists", [["RED", 1]], keep) is None
    assert quick_enum(enum.IntEnum, b"Bytes", [("RED", 1)], keep) is None
    assert quick_enum(enum.IntEnum, "Fine", [("RED", 1)], keep) is not None


def test_an_uncompared_python_keeps_the_stock_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enum.EnumType, "__call__", qt_enums._stock_call)
    monkeypatch.setattr(sys, "version_info", (3, 14, 0, "final", 0))
    assert install() is False
    assert not installed()
