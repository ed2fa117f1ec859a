"""Progress reporting and cancellation for long use cases, free of any GUI toolkit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


class Cancelled(Exception):
    """The user cancelled; the use case rolled back and nothing was written."""


@dataclass
class Progress:
    on_report: Callable[[int, int, str], None] | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def step(self, done: int, total: int, text: str = "") -> None:
        """Report progress; raise Cancelled if the user asked to stop."""
        if self.cancel_event.is_set():
            raise Cancelled("已取消，未写入任何数据")
        if self.on_report is not None:
            self.on_report(done, total, text)

    def cancel(self) -> None:
        self.cancel_event.set()


NO_PROGRESS = Progress()
