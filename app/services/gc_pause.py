"""Bulk work without the cyclic garbage collector.

Planning a 50,000-row import builds about a million objects that all live until the
import ends. Python's cyclic collector, triggered by allocation counts, would walk them
again and again for nothing: measured, 1.3 s of a 4.8 s import. Reference counting still
frees everything as usual; the collector only finds cycles, and this work makes none
worth waiting for.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # blocks inside cyclic_gc_paused, in any thread
_enabled_before = False  # automatic collection, when the first of them began


def bulk_work_running() -> bool:
    """Whether some thread is inside ``cyclic_gc_paused``: the GUI's own collector
    (``app/ui/gc_guard.py``) waits, or it would scan the work's objects on the GUI thread."""
    return _running > 0


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Automatic collection off for the block (and any block overlapping it in another
    thread), then back as it was before the first began."""
    global _running, _enabled_before
    with _lock:
        if _running == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                # Everything allocated meanwhile sits in the youngest generation and the next
                # collection would scan it all (0.1 s after a 50,000-row plan). freeze() +
                # unfreeze() moves it to the oldest generation unscanned instead, where the
                # usual full collections will see it.
                gc.freeze()
                gc.unfreeze()
                if _enabled_before:
                    gc.enable()
