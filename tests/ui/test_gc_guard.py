import gc

from pytestqt.qtbot import QtBot

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
