"""Dates as registers write them, some without their year (1月2日, 1-2): the year the user
gave (default this year) is used, and the plan says so. A register records what has
happened: a date after today, or one from before anyone kept such a register (a mistyped
Excel serial reads as 1900), is the row's error."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.domain.text import quoted
from app.services.excel.values import CellError, read_date, text

_NO_YEAR = re.compile(r"^\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?\s*$")
EARLIEST = date(1950, 1, 1)


def before_registers(what: str) -> str:
    """The error of ``what`` (a date, a month) from before EARLIEST."""
    return f"{what}早于 {EARLIEST.year} 年，请检查是否填错"


class DayReader:
    """A column reader for dates up to ``latest`` (today; None: any); ``assumed`` says whether
    a date without its year was read."""

    def __init__(self, year: int, latest: date | None = None) -> None:
        self.year = year
        self.latest = latest
        self.assumed = False

    def __call__(self, raw: Any) -> tuple[date | None, str | None]:
        match = _NO_YEAR.match(text(raw)) if isinstance(raw, str) else None
        day: date | None
        try:
            if match:
                self.assumed = True
                day = date(self.year, int(match[1]), int(match[2]))
            else:
                day = read_date(raw)
        except (CellError, ValueError):
            return None, f"“{quoted(text(raw))}”不是日期"
        if day is None:
            return None, "请填写日期"
        if self.latest is not None and day > self.latest:
            read_as = f"（没有写年份，按 {self.year} 年读）" if match else ""
            return (
                None,
                f"日期 {day.isoformat()}{read_as}晚于今天（{self.latest.isoformat()}），登记的应是已经发生的事",
            )
        if day < EARLIEST:
            return None, before_registers(f"日期 {day.isoformat()} ")
        return day, None

    def note(self) -> str:
        """What the plan tells the user when a date had no year."""
        return f"表中有的日期没有写年份，按 {self.year} 年导入；不对时请指定年份（命令行用 --year）"
