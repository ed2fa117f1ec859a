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

On Python 3.11 (the one the program is bundled with) the class is made in one pass
(``_made_at_once``), as ``_simple_enum`` makes it but without its ``setattr`` for every
member: the window's ~200 enums up to the first page take about 20 ms that way, against 41–47 ms
through ``_simple_enum`` and 90 ms the stock way.
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
    """The enum ``base(name, members, boundary=boundary)`` makes, made in one pass on
    Python 3.11 and by ``_simple_enum`` on 3.12 and 3.13; None for anything but a name and
    (name, int) pairs the functional API takes as they are."""
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
    if sys.version_info[:2] == _AT_ONCE_ON:
        return _made_at_once(base, name, namespace, boundary)
    made: type[enum.Enum] = enum._simple_enum(base, boundary=boundary)(type(name, (), namespace))  # type: ignore[attr-defined]
    made.__doc__ = None  # as the functional API leaves it (_simple_enum writes one)
    return made


def _made_at_once(
    base: type[enum.Enum], name: str, namespace: dict[str, int], boundary: enum.FlagBoundary | None
) -> type[enum.Enum]:
    """What Python 3.11's ``_simple_enum`` makes of ``type(name, (), namespace)``, in one
    pass: it sets each member's lookup on the class with a ``setattr`` through
    ``EnumType.__setattr__`` once the class exists, and then the masks and methods one by
    one; here all of them go into the class body, where ``type()`` names the lookups
    (``__set_name__``) itself, and only the members are made after the class. Half the
    time; the result, attribute for attribute, is the same (tests/ui/test_qt_enums.py)."""
    flag = issubclass(base, enum.Flag)
    member_names: list[str] = []
    member_map: dict[str, enum.Enum] = {}
    value2member_map: dict[int, enum.Enum] = {}
    body = dict(_base_body(base))
    body.update(
        _member_names_=member_names,
        _member_map_=member_map,
        _value2member_map_=value2member_map,
        _unhashable_values_=[],
        __module__=__name__,  # as type(name, (), namespace) here records it
        __doc__=None,  # as the functional API leaves it
    )
    if flag:
        single_bits = multi_bits = 0
        for value in namespace.values():
            if _single_bit(value):
                single_bits |= value
            else:
                multi_bits |= value
        body.update(
            _boundary_=boundary or base._boundary_,  # type: ignore[attr-defined]
            _flag_mask_=single_bits | multi_bits,
            _singles_mask_=single_bits,
            _all_bits_=2 ** ((single_bits | multi_bits).bit_length()) - 1,
        )
    for key in namespace:
        body[key] = enum.property()
    made: type[enum.Enum] = type(name, (base,), body, boundary=boundary, _simple=True)
    new_member = body["_new_member_"]
    use_args = body["_use_args_"]
    for key, value in namespace.items():
        if value in value2member_map:  # an alias of a member made before
            member_map[key] = value2member_map[value]
            continue
        member = new_member(made, value) if use_args else new_member(made)
        member._value_ = value
        member._name_ = key
        member.__objclass__ = made
        member.__init__(value)
        member._sort_order_ = len(member_names)
        member_map[key] = member
        value2member_map[value] = member
        if not flag or _single_bit(value):  # a Flag lists its single bits only
            member_names.append(key)
    if flag:
        values = [member._value_ for member in made]
        if values != sorted(values):
            made._iter_member_ = made._iter_member_by_def_  # type: ignore[attr-defined]
    made.__new__ = enum.Enum.__new__  # type: ignore[method-assign]
    return made


def _single_bit(value: int) -> bool:
    return value != 0 and not value & (value - 1)


_AT_ONCE_ON = (3, 11)  # the one Python whose _simple_enum _made_at_once follows
_base_bodies: dict[type[enum.Enum], dict[str, Any]] = {}


def _base_body(base: type[enum.Enum]) -> dict[str, Any]:
    """What 3.11's ``_simple_enum`` puts into every class body made on ``base``: the same
    for each, so worked out once."""
    body = _base_bodies.get(base)
    if body is not None:
        return body
    member_type = base._member_type_  # type: ignore[attr-defined]
    body = {
        "_new_member_": member_type.__new__,
        "_use_args_": base._use_args_,  # type: ignore[attr-defined]
        "_generate_next_value_": base._generate_next_value_,
        "_member_type_": member_type,
        "_value_repr_": base._value_repr_,  # type: ignore[attr-defined]
    }
    if issubclass(base, enum.Flag):
        body.update(_boundary_=None, _flag_mask_=None, _all_bits_=None, _singles_mask_=None, _inverted_=None)
        for method in ("__or__", "__xor__", "__and__", "__ror__", "__rxor__", "__rand__", "__invert__"):
            body[method] = getattr(enum.Flag, method)
    # repr and friends: the enum's own where the class would find the mixin's or object's
    for method in ("__repr__", "__str__", "__format__", "__reduce_ex__"):
        found = getattr(base, method)
        if found in (getattr(member_type, method), getattr(object, method)):
            body[method] = found
    _base_bodies[base] = body
    return body
