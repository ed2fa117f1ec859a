"""Garbage collection only on the GUI thread.

Python's cyclic collector runs in whichever thread happens to allocate. When that is a
worker thread and the garbage holds Qt widgets (a closed dialog, a page's lambdas), Qt
objects are destroyed off the GUI thread and the process crashes. So automatic collection
is switched off and a timer collects on the GUI thread instead (the calibre / Anki recipe).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from app.services.gc_pause import bulk_work_running

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect the generations that have passed their usual thresholds."""
        if bulk_work_running():
            return
        counts = gc.get_count()
        if counts[0] > self._thresholds[0]:
            gc.collect(0)
            if counts[1] > self._thresholds[1]:
                gc.collect(1)
                if counts[2] > self._thresholds[2]:
                    gc.collect(2)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
