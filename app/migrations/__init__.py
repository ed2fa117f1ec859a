"""Alembic migrations shipped inside the package.

HEAD and KNOWN_REVISIONS let the program decide without importing Alembic (~0.3 s)
whether a file needs migrating or was written by a newer UnionDesk; a test keeps
them equal to the scripts in ``versions/``.
"""

HEAD = "0011"
KNOWN_REVISIONS = frozenset(
    {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011"}
)
