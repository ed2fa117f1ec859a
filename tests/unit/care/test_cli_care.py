"""`uniondesk care …` through main(): a record over a cap needs --reason, a shopping card is
refused with the rule quoted, the caps in force are listed; messages in Chinese, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import EXIT_INPUT, EXIT_OK
from app.domain.care import FORBIDDEN_RULE
from tests.unit.care.cli_support import run


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    assert run(capsys, "--db", db, "profile", "set", "--province", "安徽")[0] == EXIT_OK
    code, out = run(capsys, "--db", db, "member", "add", "--name", "付怡", "--id", "11010519491231002X",
                    "--joined", "2010-05-01")  # fmt: skip
    assert code == EXIT_OK, out
    return db


def test_over_a_cap_needs_a_reason_then_is_listed_flagged(
    union: str, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = (
        "--db",
        union,
        "care",
        "add",
        "付怡",
        "--occasion",
        "住院",
        "--cash",
        "1200",
        "--date",
        "2026-09-12",
    )
    code, out = run(capsys, *visit)
    assert code == EXIT_INPUT and "超标准原因" in out and "每次不超过 1,000.00 元" in out
    code, out = run(capsys, *visit, "--reason", "手术住院，经工会委员会研究", "--json")
    assert code == EXIT_OK
    stored = json.loads(out)
    assert (stored["amount_fen"], stored["name"]) == (120_000, "付怡") and "1,200.00" in stored["over_cap"]
    code, out = run(capsys, "--db", union, "care", "list", "--year", "2026", "--json")
    listed = json.loads(out)
    assert (listed["count"], listed["amount_fen"], listed["over_cap"]) == (1, 120_000, 1)
    assert listed["records"][0]["id_number"] == "110105********002X"  # masked unless --reveal
    code, out = run(capsys, "--db", union, "care", "list", "--reveal", "--json")
    assert json.loads(out)["records"][0]["id_number"] == "11010519491231002X"
    record = str(listed["records"][0]["id"])
    code, out = run(capsys, "--db", union, "care", "reason", record, "--reason", "  ")
    assert code == EXIT_INPUT and "请写明超过标准的原因" in out
    code, out = run(capsys, "--db", union, "care", "reason", record, "--reason", "经职代会同意")
    assert code == EXIT_OK
    code, out = run(capsys, "--db", union, "care", "list", "--json")
    assert json.loads(out)["records"][0]["reason"] == "经职代会同意"


def test_a_shopping_card_is_refused(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--db", union, "care", "add", "付怡", "--occasion", "生日", "--goods", "超市购物卡",
                    "--goods-value", "300", "--date", "2026-09-28")  # fmt: skip
    assert code == EXIT_INPUT and FORBIDDEN_RULE in out and "Traceback" not in out
    code, out = run(capsys, "--db", union, "care", "list", "--json")
    assert json.loads(out)["count"] == 0


def test_the_caps_in_force_and_the_unions_own(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--db", union, "care", "policy", "set", "--occasion", "住院", "--from", "2026-07",
                    "--per-time", "1500", "--times", "2", "--note", "职代会决定")  # fmt: skip
    assert code == EXIT_OK, out
    code, out = run(capsys, "--db", union, "care", "policy", "show", "--json")
    caps = [
        (c["occasion"], c["from"], c["per_occurrence_fen"], c["per_year_count"], c["source"])
        for c in json.loads(out)["caps"]
    ]
    assert ("住院", "2018-01", 100_000, None, "省级标准（安徽）") in caps
    assert ("住院", "2026-07", 150_000, 2, "本单位标准") in caps
    code, out = run(capsys, "--db", union, "care", "add", "付怡", "--occasion", "住院", "--cash", "1200",
                    "--date", "2026-08-01")  # fmt: skip
    assert code == EXIT_OK and "超过标准" not in out
    code, out = run(
        capsys, "--db", union, "care", "add", "--occasion", "住院", "--cash", "1.234", "--to", "某人"
    )
    assert code == EXIT_INPUT and "慰问金" in out


@pytest.mark.parametrize(("who", "said"), [("--members", "名单里还没有人"), ("--group", "分组名称是空的")])
def test_an_empty_list_or_group_gives_to_nobody_not_to_everyone(
    union: str, capsys: pytest.CaptureFixture[str], who: str, said: str
) -> None:
    """``--members ""`` (a list that came out empty in a script) once gave the batch to every member."""
    code, out = run(capsys, "--db", union, "care", "batch", "add", "--name", "中秋", "--occasion", "节日慰问",
                    "--variant", "中秋", "--goods", "月饼", "--goods-value", "100", who, "")  # fmt: skip
    assert code == EXIT_INPUT and said in out
    code, out = run(capsys, "--db", union, "care", "list", "--json")
    assert json.loads(out)["records"] == []
