"""The collector pause of bulk steps: counted across nesting and threads, and never
turning on a collector that was off before."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from crosswalk.bulk import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_the_collector_resumes_when_the_outermost_step_ends() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_step_that_fails_resumes_the_collector() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a bad file")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_threads_resume_the_collector_when_the_last_step_ends() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other_step() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_step)
    thread.start()
    inside.wait(10)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's step still runs
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_package_is_written_with_the_collector_paused_and_resumed_after() -> None:
    """What ``bench/exchange.py`` times as export: records are made while it is off."""
    import io

    from crosswalk.formats.case_stream import Parts, write_package

    gc.enable()
    seen: list[bool] = []

    def items() -> Iterator[dict[str, str]]:
        seen.append(gc.isenabled())
        yield {"identifier": "x"}

    write_package(Parts({}, items(), [], {}), io.BytesIO())
    assert seen == [False]
    assert gc.isenabled()
