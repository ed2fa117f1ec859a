"""The system area: the union profile (本工会信息), checks, the demo union; later backups,
settings and the audit log. Other areas use it only through the names exported here."""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.system.profile import ProfileData, get_profile, save_profile
    from app.services.system.settings import get_setting, set_setting

_EXPORTS = {
    "ProfileData": "profile",
    "get_profile": "profile",
    "save_profile": "profile",
    "get_setting": "settings",
    "set_setting": "settings",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "ProfileData",
    "get_profile",
    "get_setting",
    "save_profile",
    "set_setting",
]
