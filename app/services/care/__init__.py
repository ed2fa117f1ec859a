"""The care area (慰问、帮扶): records checked against the caps, and the caps themselves
(the province's preset and the union's own, each dated).

Other areas use care only through the names exported here.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.care.importer import CareImporter, CareImportOptions
    from app.services.care.policy import CapInfo, list_caps, load_policy, set_cap
    from app.services.care.records import (
        CareCheck,
        CareInfo,
        CareInput,
        check_record,
        get_care,
        list_care,
        record_care,
    )

_EXPORTS = {
    "CareImporter": "importer",
    "CareImportOptions": "importer",
    "CapInfo": "policy",
    "list_caps": "policy",
    "load_policy": "policy",
    "set_cap": "policy",
    "CareCheck": "records",
    "CareInfo": "records",
    "CareInput": "records",
    "check_record": "records",
    "get_care": "records",
    "list_care": "records",
    "record_care": "records",
    "set_reason": "records",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "CapInfo",
    "CareCheck",
    "CareImportOptions",
    "CareImporter",
    "CareInfo",
    "CareInput",
    "check_record",
    "get_care",
    "list_caps",
    "list_care",
    "load_policy",
    "record_care",
    "set_cap",
    "set_reason",
]
