import gc
import threading

from pytestqt.qtbot import QtBot

from app.services.gc_pause import cyclic_gc_paused
from app.ui.gc_guard import GuiThreadCollector


def test_collection_happens_only_when_the_gui_thread_asks(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()

        class Node:
            def __init__(self) -> None:
                self.me = self  # a cycle only the collector can free

        before = gc.get_count()[0]
        for _ in range(gc.get_threshold()[0] + 10):
            Node()
        assert gc.get_count()[0] > before  # nothing collected them on the way
        collector.check()
        assert gc.get_count()[0] < gc.get_threshold()[0]
    finally:
        collector.stop()
    assert gc.isenabled() or not was_enabled


def test_the_gui_thread_does_not_collect_while_bulk_work_runs(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    release = threading.Event()
    inside = threading.Event()

    def bulk() -> None:
        with cyclic_gc_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=bulk)
    worker.start()
    try:
        inside.wait(5)
        junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
        pending = gc.get_count()[0]
        collector.check()
        assert gc.get_count()[0] >= pending  # left for later: the import's objects are not scanned
        release.set()
        worker.join()
        collector.check()
        assert gc.get_count()[0] < gc.get_threshold()[0]
        del junk
    finally:
        release.set()
        collector.stop()
