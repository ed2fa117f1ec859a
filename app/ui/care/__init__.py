"""The 慰问帮扶 page, its dialogs, and the tables they watch (by their names in the database;
tests/ui/care keeps them equal to the models' ``__tablename__``: this module loads before
SQLAlchemy does)."""

RECORDS = "care_records"
BATCHES = "care_batches"
CARE_TABLES = (RECORDS, BATCHES)

__all__ = ["BATCHES", "CARE_TABLES", "RECORDS"]
