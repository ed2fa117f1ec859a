"""The roster area (会员名册): members, groups, membership history, search, import, export.

Other areas use the roster only through the names exported here.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.roster.groups import (
        GroupInfo,
        add_group,
        delete_group,
        descendants,
        find_group_by_path,
        list_groups,
        update_group,
    )
    from app.services.roster.index import IN_ROLL, Roster, RosterFilter, RosterIndex, RosterRow, filter_rows
    from app.services.roster.matching import MEMBER_FIELDS, PERSON_READERS, Found, MemberIndex
    from app.services.roster.members import (
        create_member,
        find_member_ids,
        get_member,
        membership_histories,
        set_dues_wage,
    )
    from app.services.roster.peek import peek_roster
    from app.services.roster.search import load_roster

_EXPORTS = {
    "GroupInfo": "groups",
    "add_group": "groups",
    "delete_group": "groups",
    "descendants": "groups",
    "find_group_by_path": "groups",
    "list_groups": "groups",
    "update_group": "groups",
    "IN_ROLL": "index",
    "Roster": "index",
    "RosterFilter": "index",
    "RosterIndex": "index",
    "RosterRow": "index",
    "filter_rows": "index",
    "MEMBER_FIELDS": "matching",
    "PERSON_READERS": "matching",
    "Found": "matching",
    "MemberIndex": "matching",
    "create_member": "members",
    "find_member_ids": "members",
    "get_member": "members",
    "membership_histories": "members",
    "set_dues_wage": "members",
    "load_roster": "search",
    "peek_roster": "peek",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "IN_ROLL",
    "MEMBER_FIELDS",
    "PERSON_READERS",
    "Found",
    "GroupInfo",
    "MemberIndex",
    "Roster",
    "RosterFilter",
    "RosterIndex",
    "RosterRow",
    "add_group",
    "create_member",
    "delete_group",
    "descendants",
    "filter_rows",
    "find_group_by_path",
    "find_member_ids",
    "get_member",
    "list_groups",
    "load_roster",
    "membership_histories",
    "peek_roster",
    "set_dues_wage",
    "update_group",
]
