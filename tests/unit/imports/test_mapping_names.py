"""The audit log names a remembered column mapping by the table it reads, in Chinese."""

from __future__ import annotations

from app.models import ImportMapping
from app.models.imports import KIND_TITLES
from app.services.activities.import_budget import BudgetImporter
from app.services.activities.import_ledger import LedgerImporter
from app.services.care.importer import CareImporter
from app.services.dues.bases import WageImporter
from app.services.dues.importer import DuesImporter
from app.services.roster.importer import RosterImporter


def test_every_importer_kind_has_its_title() -> None:
    importers = (RosterImporter, DuesImporter, WageImporter, CareImporter, LedgerImporter, BudgetImporter)
    assert {importer.kind: importer.title for importer in importers} == KIND_TITLES
    assert ImportMapping(kind="events", signature="", fields_json="{}").name == "活动经费支出台账"
