"""``db_file.read_selects``: the start-up's reads in one step a query give exactly the rows,
in exactly the order, that a plain query fetched row by row gives."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.db_file import DatabaseOpenError, Select, read_selects

VALUES = [
    None, 0, -7, 2**62, 1.5, "", "张三", 'a "quoted" \\ back', "two\nlines", "tab\there", "\x01control",
    "emoji 👷‍♀️", "[1, 2]", "null",
]  # fmt: skip


def table(tmp_path: Path, rows: list[tuple[object, ...]]) -> Path:
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, n INTEGER, v)")
        connection.executemany("INSERT INTO t (id, k, n, v) VALUES (?, ?, ?, ?)", rows)
    connection.close()
    return path


def plain(path: Path, select: Select) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(*select.plain()).fetchall()
    connection.close()
    return rows


@pytest.fixture
def shuffled(tmp_path: Path) -> Path:
    """500 rows stored in an order unlike the one asked for."""
    rng = random.Random(12)
    ids = list(range(1, 501))
    rng.shuffle(ids)
    return table(
        tmp_path, [(i, f"k{rng.randrange(50):02d}", rng.randrange(-5, 5), rng.choice(VALUES)) for i in ids]
    )


def test_the_order_asked_for_is_kept(shuffled: Path) -> None:
    select = Select(("id", "k", "n", "v"), "FROM t", order="k, n DESC, id")
    (rows,) = read_selects(shuffled, [select])
    assert rows == plain(shuffled, select)
    assert [r[0] for r in rows] != sorted(r[0] for r in rows)  # not the order the rows are stored in


def test_a_limit_takes_the_first_rows_in_that_order(shuffled: Path) -> None:
    select = Select(("id", "k"), "FROM t WHERE n >= ?", order="k, id", limit=37, params=(0,))
    (rows,) = read_selects(shuffled, [select])
    assert len(rows) == 37
    assert rows == plain(shuffled, select)


def test_several_queries_each_get_their_own_rows(shuffled: Path) -> None:
    counts = Select(("k", "count(*)"), "FROM t GROUP BY k")
    none = Select(("id",), "FROM t WHERE id < 0", order="id")
    firsts = Select(("id",), "FROM t", order="id", limit=3)
    got = read_selects(shuffled, [counts, none, firsts])
    assert sorted(got[0]) == sorted(plain(shuffled, counts))
    assert got[1] == []
    assert got[2] == [(1,), (2,), (3,)]


def test_every_kind_of_value_comes_back_as_it_is(tmp_path: Path) -> None:
    path = table(tmp_path, [(i, "k", i, value) for i, value in enumerate(VALUES, start=1)])
    (rows,) = read_selects(path, [Select(("v",), "FROM t", order="id")])
    assert [r[0] for r in rows] == VALUES
    assert [type(r[0]) for r in rows] == [type(v) for v in VALUES]


def test_a_blob_is_read_row_by_row(tmp_path: Path) -> None:
    path = table(tmp_path, [(1, "b", 1, b"\x00\xff"), (2, "a", 2, "text")])
    (rows,) = read_selects(path, [Select(("k", "v"), "FROM t", order="k")])
    assert rows == [("a", "text"), ("b", b"\x00\xff")]


def test_a_file_that_is_not_a_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "名册.db"
    path.write_bytes(b"not a database at all, " * 100)
    with pytest.raises(DatabaseOpenError):
        read_selects(path, [Select(("id",), "FROM t")])
