"""`uniondesk audit` and the exports' --mask, as a user runs them: a demo union, a member's phone
and a hardship file's bank account and family changed on the command line, the log listed with
each filter, and every masked export read back for any full ID or bank number."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.db import open_database
from app.models import HardshipFile, Member
from tests.e2e.test_second_reader import soffice_to_csv
from tests.unit.dues.import_support import id_number

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "6222020200112233445"
PHONE = "13912345678"
RELATIVE_ID = id_number(901, born="19850203")  # the spouse's, written into the hardship file


@dataclass
class Union:
    db: Path
    home: Path
    ids: list[str]  # every member's full ID number
    edited_id: str  # the member whose phone was changed
    file_id: int  # the hardship file given a bank account

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, UNIONDESK_HOME=str(self.home), QT_QPA_PLATFORM="offscreen")
        return subprocess.run(
            [sys.executable, "-m", "app", "--db", str(self.db), *args],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=180, encoding="utf-8",
        )  # fmt: skip

    def json(self, *args: str) -> dict[str, Any]:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        found: dict[str, Any] = json.loads(done.stdout)
        return found


@pytest.fixture(scope="module")
def union(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Union]:
    folder = tmp_path_factory.mktemp("audit_cli")
    made = Union(folder / "demo.db", folder / "home", [], "", 0)
    assert made.run("demo", "--members", "40").returncode == 0
    db = open_database(made.db)
    with db.reader() as session:
        made.ids = [str(n) for n in session.scalars(select(Member.id_number)) if n]
        made.file_id = int(session.scalars(select(HardshipFile.id).order_by(HardshipFile.id)).first() or 0)
    db.close()
    assert made.ids and made.file_id
    made.edited_id = made.ids[3]
    for args in (
        ("member", "edit", made.edited_id, "--phone", PHONE),
        (
            "hardship",
            "edit",
            str(made.file_id),
            "--account",
            ACCOUNT,
            "--bank",
            "中国工商银行某某支行",
            "--family",
            f"李芳,配偶,{RELATIVE_ID},健康",
        ),
    ):
        done = made.run(*args)
        assert done.returncode == 0, done.stderr
    yield made


def _text_of(path: Path) -> str:
    sheet = load_workbook(path).active
    assert sheet is not None
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def _masked(number: str) -> str:
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


@pytest.mark.slow
def test_audit_list_filters_by_type_action_text_and_date(union: Union) -> None:
    everything = union.json("audit", "list", "--limit", "100000")
    assert everything["total_exact"] and everything["count"] == everything["total"] > 40
    stamps = [e["at"] for e in everything["entries"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    latest = everything["entries"][0]  # the hardship file's edit, with its new family member
    assert latest["type"] in ("hardship_files", "hardship_relatives")
    filed = next(e for e in everything["entries"] if e["type"] == "hardship_files")
    assert filed["type_label"] == "困难职工档案" and filed["action"] == "修改"
    assert filed["after"]["bank_account"] == ACCOUNT and filed["before"]["bank_account"] == ""

    changed = union.json("audit", "list", "--type", "会员", "--action", "修改")
    assert changed["count"] == 1
    entry = changed["entries"][0]
    assert (entry["type"], entry["action"], entry["after"]["phone"]) == ("members", "修改", PHONE)
    assert {
        "field": "phone",
        "label": "联系电话",
        "before": entry["changes"][0]["before"],
        "after": PHONE,
    } in entry["changes"]
    assert isinstance(entry["id"], int) and isinstance(entry["entity_id"], int)

    found = union.json("audit", "list", "--search", PHONE)
    assert [e["id"] for e in found["entries"]] == [entry["id"]]
    added = union.json("audit", "list", "--action", "新增", "--limit", "5")
    assert added["count"] == 5 and {e["action"] for e in added["entries"]} == {"新增"}
    assert all(e["before"] is None for e in added["entries"])

    today = date.today()
    same_day = union.json(
        "audit", "list", "--from", today.isoformat(), "--to", today.isoformat(), "--limit", "100000"
    )
    assert same_day["total"] == everything["total"]  # everything was written today
    assert union.json("audit", "list", "--from", (today + timedelta(days=1)).isoformat())["count"] == 0
    assert union.json("audit", "list", "--to", (today - timedelta(days=1)).isoformat())["count"] == 0


@pytest.mark.slow
def test_audit_list_masks_numbers_on_request(union: Union) -> None:
    plain = union.run("audit", "list", "--type", "hardship_files", "--json").stdout
    masked = union.run("audit", "list", "--type", "hardship_files", "--json", "--mask").stdout
    assert ACCOUNT in plain  # the test can fail: without --mask the number is there
    assert ACCOUNT not in masked and "6222***********3445" in masked
    words = union.run("audit", "list", "--type", "会员", "--action", "修改", "--mask")
    assert words.returncode == 0 and "联系电话：" in words.stdout and PHONE in words.stdout
    assert "操作日志（记录类型：会员，操作：修改）：共 1 条" in words.stdout


@pytest.mark.slow
def test_bad_filters_are_told_in_chinese(union: Union) -> None:
    unknown = union.run("audit", "list", "--type", "工资条")
    assert unknown.returncode == 1 and "没有“工资条”这种记录类型" in unknown.stderr
    backwards = union.run("audit", "list", "--from", "2026-03-02", "--to", "2026-03-01")
    assert backwards.returncode == 1 and "早于开始日期" in backwards.stderr
    bad_day = union.run("audit", "list", "--from", "2026-13-01")
    assert bad_day.returncode == 2 and "不是日期" in bad_day.stderr
    assert "Traceback" not in unknown.stderr + backwards.stderr + bad_day.stderr


@pytest.mark.slow
def test_audit_export_with_and_without_mask(union: Union, tmp_path: Path) -> None:
    full, masked = tmp_path / "日志.xlsx", tmp_path / "日志_隐去.xlsx"
    done = union.run("audit", "export", str(full))
    assert done.returncode == 0 and "已导出" in done.stdout and str(full) in done.stdout
    assert union.run("audit", "export", str(masked), "--mask").returncode == 0
    assert ACCOUNT in _text_of(full) and RELATIVE_ID in _text_of(full)
    text = _text_of(masked)
    assert ACCOUNT not in text and "6222***********3445" in text
    assert RELATIVE_ID not in text and _masked(RELATIVE_ID) in text
    assert not [n for n in union.ids if n in text]
    only = tmp_path / "会员修改.xlsx"
    assert union.run("audit", "export", str(only), "--type", "会员", "--action", "修改").returncode == 0
    sheet = load_workbook(only).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1 and rows[0][2] == "修改" and rows[0][3] == "会员" and PHONE in str(rows[0][7])


@pytest.mark.slow
def test_the_audit_export_reads_the_same_in_libreoffice(union: Union, tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    assert union.run("audit", "export", str(out), "--mask", "--type", "困难职工档案").returncode == 0
    rows = soffice_to_csv(out, tmp_path)
    assert rows[2] == ["时间", "操作人", "操作", "记录类型", "记录编号", "摘要", "修改前", "修改后"]
    changed = [r for r in rows[3:] if r[2] == "修改"]
    assert changed and changed[0][3] == "困难职工档案"
    assert "银行账号：（空）" in changed[0][6] and "银行账号：6222***********3445" in changed[0][7]
    assert changed[0][0].startswith(str(date.today().year))  # a real date-time, not a number


@pytest.mark.slow
def test_masked_roster_and_arrears_exports_hold_no_full_id_number(union: Union, tmp_path: Path) -> None:
    roster, arrears = tmp_path / "花名册.xlsx", tmp_path / "欠缴名单.xlsx"
    assert union.run("roster", "export", str(roster), "--mask").returncode == 0
    done = union.run("dues", "arrears", "--out", str(arrears), "--mask")
    assert done.returncode == 0, done.stderr
    for path in (roster, arrears):
        text = _text_of(path)
        assert not [n for n in union.ids if n in text], path.name
        assert "********" in text, path.name
    plain = tmp_path / "欠缴名单_完整.xlsx"
    assert union.run("dues", "arrears", "--out", str(plain)).returncode == 0
    assert [n for n in union.ids if n in _text_of(plain)]  # without --mask the numbers are there
