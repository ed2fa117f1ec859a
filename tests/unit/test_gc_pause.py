import gc
import weakref

from app.services.gc_pause import cyclic_gc_paused


def test_collection_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        young = [[] for _ in range(10_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1000  # what was allocated inside is not waiting in generation 0
    del young


def test_where_collection_was_off_it_stays_off() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_inside_are_still_collected_later() -> None:
    class Node:
        me: object = None

    with cyclic_gc_paused():
        node = Node()
        node.me = node
        ref = weakref.ref(node)
        del node
        assert ref() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert ref() is None
