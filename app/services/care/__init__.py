"""The care area (慰问、帮扶): records checked against the caps, and the caps themselves
(the province's preset and the union's own, each dated).

Other areas use care only through the names exported here.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.care.batch import (
        PAY_BY,
        BatchInfo,
        BatchInput,
        BatchLine,
        BatchPreview,
        Chooser,
        create_batch,
        get_batch,
        list_batches,
        preview_batch,
        undo_batch,
    )
    from app.services.care.importer import CareImporter, CareImportOptions
    from app.services.care.policy import CapInfo, list_caps, load_policy, set_cap
    from app.services.care.printouts import print_batch, print_records, print_voucher
    from app.services.care.records import (
        CareCheck,
        CareInfo,
        CareInput,
        care_input,
        check_record,
        delete_care,
        get_care,
        list_care,
        record_care,
        set_reason,
        update_care,
    )

_EXPORTS = {
    "PAY_BY": "batch",
    "BatchInfo": "batch",
    "BatchInput": "batch",
    "BatchLine": "batch",
    "BatchPreview": "batch",
    "Chooser": "batch",
    "create_batch": "batch",
    "get_batch": "batch",
    "list_batches": "batch",
    "preview_batch": "batch",
    "undo_batch": "batch",
    "print_batch": "printouts",
    "print_records": "printouts",
    "print_voucher": "printouts",
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
    "care_input": "records",
    "delete_care": "records",
    "update_care": "records",
    "set_reason": "records",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "PAY_BY",
    "BatchInfo",
    "BatchInput",
    "BatchLine",
    "BatchPreview",
    "CapInfo",
    "CareCheck",
    "CareImportOptions",
    "CareImporter",
    "CareInfo",
    "CareInput",
    "Chooser",
    "care_input",
    "check_record",
    "create_batch",
    "delete_care",
    "get_batch",
    "get_care",
    "list_batches",
    "list_caps",
    "list_care",
    "load_policy",
    "preview_batch",
    "print_batch",
    "print_records",
    "print_voucher",
    "record_care",
    "set_cap",
    "set_reason",
    "undo_batch",
    "update_care",
]
