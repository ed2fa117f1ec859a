"""Hostile files (tests/fixtures/hostile.py) given to each `… import FILE` command as a
script would: exit code 1, a Chinese message, no traceback, and the 账套 file unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.db import open_database
from tests.fixtures.hostile import SHAPES, case, fingerprint, set_up_union

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = {
    "roster": ["roster", "import"],
    "payroll": ["dues", "bases", "import", "--month", "2026-11"],
    "dues_list": ["dues", "import"],
    "dues_grid": ["dues", "import", "--year", "2026"],
    "care": ["care", "import", "--year", "2026"],
    "ledger": ["events", "import", "--year", "2026"],
    "budget": ["budget", "import", "--year", "2026"],
}

# (shape, case, where the message goes, what it says): refused files on stderr, files
# planned with errors on stdout with the row named
RUNS = [
    ("roster", "zip_bomb", "stderr", "解压后过大"),
    ("roster", "far_cell", "stderr", "XFD1048576"),
    ("payroll", "cut_60", "stderr", "已损坏或不完整"),
    ("dues_list", "error_cells", "stdout", r"第 2 行“代扣会费”：显示为错误值 #N/A"),
    ("dues_grid", "zip_bomb_lying", "stderr", "无法读取"),
    ("care", "password", "stderr", "设置了打开密码"),
    ("ledger", "html_as_xls", "stderr", "网页（HTML）"),
    ("budget", "pdf_as_xlsx", "stderr", "PDF 文档"),
]


@pytest.fixture(scope="module")
def union(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "union.db"
    db = open_database(path)
    set_up_union(db, date(2026, 12, 1))
    db.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "name", "stream", "said"), RUNS)
def test_a_hostile_file_on_the_command_line(
    union: Path, tmp_path: Path, isolated_home: Path, shape: str, name: str, stream: str, said: str
) -> None:
    item = case(name)
    path = tmp_path / f"{shape}-{name}{item.suffix}"
    path.write_bytes(item.make(SHAPES[shape]))
    before = fingerprint(union)
    env = dict(os.environ, UNIONDESK_HOME=str(isolated_home), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(union), *COMMANDS[shape], str(path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert re.search(said, getattr(done, stream)), (done.stdout, done.stderr)
    if stream == "stderr":
        assert done.stderr.startswith("错误："), done.stderr
    assert fingerprint(union) == before
