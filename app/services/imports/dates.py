"""Dates as registers write them, some without their year (1月2日, 1-2): the year the user
gave (default this year) is used, and the plan says so."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.services.excel.values import CellError, read_date, text

_NO_YEAR = re.compile(r"^\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?\s*$")


class DayReader:
    """A column reader for dates; ``assumed`` says whether a date without its year was read."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.assumed = False

    def __call__(self, raw: Any) -> tuple[date | None, str | None]:
        match = _NO_YEAR.match(text(raw)) if isinstance(raw, str) else None
        try:
            if match:
                self.assumed = True
                return date(self.year, int(match[1]), int(match[2])), None
            day = read_date(raw)
        except (CellError, ValueError):
            return None, f"“{text(raw)}”不是日期"
        return (day, None) if day else (None, "请填写日期")

    def note(self) -> str:
        """What the plan tells the user when a date had no year."""
        return f"表中有的日期没有写年份，按 {self.year} 年导入；不对时请指定年份（命令行用 --year）"
