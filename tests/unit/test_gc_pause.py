import gc
import threading
import weakref

from app.services.gc_pause import bulk_work_running, cyclic_gc_paused


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


def test_blocks_overlapping_in_two_threads_restore_collection_when_the_last_ends() -> None:
    first_inside, second_done = threading.Event(), threading.Event()

    def second() -> None:
        first_inside.wait()
        with cyclic_gc_paused():
            assert bulk_work_running()
        second_done.set()

    worker = threading.Thread(target=second)
    worker.start()
    with cyclic_gc_paused():
        first_inside.set()
        second_done.wait(5)
        assert not gc.isenabled()  # the other thread's block ended, this one has not
    worker.join()
    assert gc.isenabled()
    assert not bulk_work_running()
