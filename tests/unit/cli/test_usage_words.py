"""argparse's own messages, which the program shows for a mistyped command, in Chinese; and
dates of years no union record has, refused as they are typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import EXIT_USAGE, main


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["care", "print", "--out", "x.pdf"], "这几个参数必须给出其中一个：--batch --from"),
        (["member", "list", "--bogus"], "无法识别的参数"),
        (
            ["events", "print", "1", "--kind", "x", "--out", "x.pdf"],
            "“x”不是可选的打印：可选 预算表、决算表、签到表",
        ),
        (["roster", "import", "x.xlsx", "--on-existing", "覆盖"], "可选 跳过、更新"),
        (["dues", "roll"], "缺少必填的参数"),
        # a year no union record has: a slip of the keyboard, refused before anything is stored
        (["dues", "pay", "张三", "--amount", "10", "--date", "1899-01-01"], "“1899-01-01”的年份不对"),
        (["dues", "roll", "1899-01..2026-01"], "“1899-01”的年份不对"),
        (["roster", "import", "x.xlsx", "--wages-from", "2101-01"], "应在 1900 到 2100 年之间"),
        (["care", "add", "张三", "--occasion", "生日", "--date", "1899-12-31"], "年份不对"),
    ],
)
def test_usage_errors_are_told_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(tmp_path / "u.db"), *args])
    assert stopped.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert said in err
    for english in ("one of the arguments", "is required", "unrecognized", "invalid choice", "error:"):
        assert english not in err
