"""`uniondesk report …` through main() on the hand-built union of test_period_report: the
monthly and period reports as JSON (every figure as the service computes it, counts and fen
as integers, rates as numbers, money marked), as text and as .xlsx / .pdf files; the records
behind a figure; every command a figure names runs; the summary's figures and their sources;
bad input gets a Chinese message and exit codes 1 and 2."""

from __future__ import annotations

import json
import shlex
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from app.db import Database
from app.domain.yearmonth import YearMonth
from app.services.reports import period_report
from tests.unit.care.cli_support import run
from tests.unit.reports.test_period_report import SEP, union

__all__ = ["union"]


def as_json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> dict[str, Any]:
    code, out = run(capsys, "--db", db, *args, "--json")
    assert code == EXIT_OK, out
    found: dict[str, Any] = json.loads(out)
    return found


@pytest.fixture
def path(db: Database, union: dict[str, int]) -> str:
    return str(db.path)


def test_monthly_json_is_the_report(capsys: pytest.CaptureFixture[str], db: Database, path: str) -> None:
    found = as_json(capsys, path, "report", "monthly", "2026-09")
    with db.reader() as session:
        report = period_report(session, SEP, SEP)
    assert found["period"] == {"from": "2026-09", "to": "2026-09", "label": "2026年9月"}
    assert [s["key"] for s in found["sections"]] == ["members", "dues", "care", "hardship", "activities"]
    figures = {f["key"]: f for s in found["sections"] for f in s["figures"]}
    assert set(figures) == {f.key for f in report.figures()}
    for f in report.figures():
        shown = figures[f.key]
        assert shown["period"] == (None if f.period is None else f.period if isinstance(f.period, int)
                                   else float(f.period))  # fmt: skip
        assert shown["label"] == f.label and shown["command"] == f.command and shown["counts"]
        assert shown.get("money", False) == (f.unit == "fen")
    closing = figures["members.closing"]
    assert closing["period"] == 8 and isinstance(closing["period"], int)
    assert closing["female"] == {"period": 4, "year_to_date": 4}
    assert closing["migrant"] == {"period": 4, "year_to_date": 4}
    assert figures["dues.paid"]["period"] == 30_000 and figures["dues.paid"]["money"] is True
    assert isinstance(figures["dues.rate"]["period"], float) and figures["dues.rate"]["unit"] == "%"
    assert figures["budget.501.budget"]["period"] is None
    # a month (other than January) has no budget of its own: no 执行率 either (null), only
    # the year's to date
    assert figures["budget.rate"]["period"] is None and figures["budget.spent"]["period"] > 0
    assert isinstance(figures["budget.rate"]["year_to_date"], float)


def test_period_json_and_text(capsys: pytest.CaptureFixture[str], path: str) -> None:
    found = as_json(capsys, path, "report", "period", "--from", "2026-07", "--to", "2026-09")
    assert found["period"]["label"] == "2026年第三季度"
    figures = {f["key"]: f for s in found["sections"] for f in s["figures"]}
    assert figures["members.opening"]["period"] == 7 and figures["members.transfer_out"]["period"] == 1
    code, out = run(capsys, "--db", path, "report", "monthly", "2026-09")
    assert code == EXIT_OK
    assert "测试工会2026年9月月报表" in out and "【会员】" in out
    assert "期末会员数\t人\t8\t8\t其中女 4/4，农民工 4/4" in out
    assert "【会员】\t单位\t本期\t本年累计\t其中女、农民工（本期/本年累计）" in out  # what 4/4 means


def test_records_behind_a_figure(capsys: pytest.CaptureFixture[str], path: str) -> None:
    joined = as_json(capsys, path, "report", "records", "members.joined", "--from", "2026-09", "--ytd")
    assert [r[0] for r in joined["rows"]] == ["赵敏", "刘洋"] and joined["value"] == 2 == joined["count"]
    paid = as_json(capsys, path, "report", "records", "dues.paid", "--from", "2026-09")
    assert paid["value"] == 30_000 and paid["count"] == 2
    code, out = run(capsys, "--db", path, "report", "records", "care.住院.count", "--from", "2026-09")
    assert code == EXIT_OK and "李娜" in out and "共 1 人次" in out
    # a month has no 执行率 of its own (— in the report): said, and its year to date listed
    code, out = run(capsys, "--db", path, "report", "records", "budget.rate", "--from", "2026-09")
    assert code == EXIT_INPUT and "不适用" in out and "--ytd" in out
    rate = as_json(capsys, path, "report", "records", "budget.rate", "--from", "2026-09", "--ytd")
    assert rate["count"] > 0


def test_records_show_id_numbers_masked_unless_revealed(
    capsys: pytest.CaptureFixture[str], path: str
) -> None:
    due = as_json(capsys, path, "report", "records", "dues.due", "--from", "2026-09")
    shown = [row[due["columns"].index("身份证号")] for row in due["rows"]]
    full = as_json(capsys, path, "report", "records", "dues.due", "--from", "2026-09", "--reveal")
    revealed = [row[full["columns"].index("身份证号")] for row in full["rows"]]
    assert shown and all("*" in number for number in shown)
    assert all(len(number) == 18 and "*" not in number for number in revealed)
    assert [(n[:6], n[-4:]) for n in shown] == [(n[:6], n[-4:]) for n in revealed]
    code, out = run(capsys, "--db", path, "report", "records", "dues.due", "--from", "2026-09")
    assert code == EXIT_OK and shown[0] in out and revealed[0] not in out


def test_every_figure_names_a_command_that_runs(capsys: pytest.CaptureFixture[str], path: str) -> None:
    for month in ("2026-09", "2026-01"):
        found = as_json(capsys, path, "report", "period", "--from", month, "--to", "2026-09")
        commands = {
            c.strip() for s in found["sections"] for f in s["figures"] for c in f["command"].split("；")
        }
        assert any(c.startswith("uniondesk care list --from") for c in commands)
        for line in sorted(commands):
            words = shlex.split(line)
            assert words[0] == "uniondesk", line
            code, out = run(capsys, "--db", path, *words[1:])
            assert code == EXIT_OK, (line, out)


def test_files(capsys: pytest.CaptureFixture[str], path: str, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "九月.xlsx", tmp_path / "九月.pdf"
    code, out = run(capsys, "--db", path, "report", "monthly", "2026-09", "--out", str(xlsx))
    assert code == EXIT_OK and xlsx.stat().st_size > 0 and f"已保存：{xlsx}" in out
    found = as_json(
        capsys, path, "report", "period", "--from", "2026-01", "--to", "2026-06", "--out", str(pdf)
    )
    assert found["path"] == str(pdf) and pdf.read_bytes().startswith(b"%PDF")
    code, out = run(
        capsys, "--db", path, "report", "monthly", "2026-09", "--out", str(tmp_path / "九月.docx")
    )
    assert code == EXIT_INPUT and "报表“九月.docx”应保存为 .xlsx 或 .pdf 文件" in out
    code, out = run(capsys, "--db", path, "report", "monthly", "2026-09", "--out", str(tmp_path))
    assert code == EXIT_INPUT and f"报表的位置“{tmp_path}”是一个文件夹，请给出文件名，例如 报表.xlsx" in out
    code, out = run(
        capsys, "--db", path, "report", "monthly", "2026-09", "--out", path.replace(".db", ".xlsx")
    )
    assert code == EXIT_OK


def test_summary_lists_its_figures_and_their_sources(
    capsys: pytest.CaptureFixture[str], db: Database, path: str, tmp_path: Path
) -> None:
    out = tmp_path / "总结.docx"
    found = as_json(capsys, path, "report", "summary", "2026", "--out", str(out))
    assert found["path"] == str(out) and out.stat().st_size > 0
    assert found["figures"], found
    with db.reader() as session:
        year = period_report(session, YearMonth(2026, 1), YearMonth(2026, 12))
    keys = {f.key for f in year.figures()}
    for f in found["figures"]:
        assert {"key", "label", "unit", "value", "period", "counts", "command"} <= set(f)
        assert f["period"] == "2026年" and f["command"].startswith("uniondesk ")
        if f["key"] in keys:
            figure = year.figure(f["key"])
            expected = figure.period if figure.period is not None else figure.year_to_date
            assert f["value"] == (
                expected if isinstance(expected, int) or expected is None else float(expected)
            )
            assert f.get("money", False) == (figure.unit == "fen")


def test_bad_input(capsys: pytest.CaptureFixture[str], path: str) -> None:
    code, out = run(capsys, "--db", path, "report", "monthly", "2026-13")
    assert code == EXIT_USAGE and "不是年月" in out
    code, out = run(capsys, "--db", path, "report", "period", "--from", "2026-10", "--to", "2026-09")
    assert code == EXIT_INPUT and "晚于截止月份" in out
    code, out = run(capsys, "--db", path, "report", "records", "members.nothing", "--from", "2026-09")
    assert code == EXIT_INPUT and "报表中没有“members.nothing”" in out
    code, out = run(capsys, "--db", path, "report", "summary", "2026", "--half", "3", "--out", "x.docx")
    assert code == EXIT_USAGE
    next_year = str(date.today().year + 1)
    code, out = run(
        capsys, "--db", path, "report", "summary", next_year, "--out", str(Path(path).with_name("s.docx"))
    )
    assert code == EXIT_INPUT and f"{next_year}年还没有开始" in out
    assert not Path(path).with_name("s.docx").exists()
    code, out = run(capsys, "--db", path, "report", "monthly", f"{next_year}-05")
    assert code == EXIT_INPUT and f"{next_year}年5月还没有开始" in out
    assert "Traceback" not in out
