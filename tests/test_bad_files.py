"""The bad-input catalogue, part 2: files gone wrong (docs/design.md §4, issue 4).

Deleted, renamed, empty, half-written, non-UTF-8 and huge files, a directory in a module's
place, and a burst of saves through the real watcher. Same checks as test_bad_input.py: the
host runs on, the message names the file (and line), the state is kept, a fix resumes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from bad_input import (
    DRAW_LINE,
    NEW_RGB,
    OLD_RGB,
    assert_old_code_runs_on,
    assert_stays_paused,
    save_fix,
    state,
    warm,
)

from sandbox.host import Host


@pytest.fixture
def host(bounce_copy: Path) -> Iterator[Host]:
    """A headless host over the bounce copy (no watcher: each test reloads when it wants)."""
    with Host(bounce_copy, headless=True, watch=False, hang_timeout=1.0) as h:
        yield h


def failed_reload(host: Host, message: str) -> None:
    """Reload; it must fail with ``message`` and leave the game running (not paused)."""
    report = host.reload()
    assert not report.ok and str(report).startswith(f"reload failed: {message}"), str(report)
    assert host.last_error is not None and not host.paused
    assert "the running code is kept" in str(report) or "fix" in str(report)


def test_a_deleted_module_keeps_its_running_code(host: Host) -> None:
    physics = host.root / "physics.py"
    good = physics.read_text()
    before = warm(host)
    physics.unlink()
    report = host.reload()
    assert report.ok and "physics.py is missing — its running code is kept" in str(report)
    assert host.last_error is None
    assert_old_code_runs_on(host, before)
    save_fix(host, physics, good)


def test_a_renamed_module_keeps_its_running_code_until_imported_by_its_new_name(
    host: Host,
) -> None:
    root = host.root
    main = root / "main.py"
    before = warm(host)
    (root / "physics.py").rename(root / "walls.py")
    report = host.reload()
    assert report.ok and "physics.py is missing" in str(report), str(report)
    assert_old_code_runs_on(host, before)
    save_fix(host, main, main.read_text().replace("import physics\n", "import walls as physics\n"))
    assert host.game.physics.__name__ == "walls"


def test_an_empty_file_never_wipes_the_running_module(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    main.write_text("")
    failed_reload(host, "main.py is empty — the running code is kept; save it again")
    assert host.last_error is not None and host.last_error.where == "main.py"
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_truncate_then_write_ends_on_the_written_file_through_the_watcher(
    bounce_copy: Path,
) -> None:
    """The editor's truncate is reloaded (and fails) on its own; its write lands after it.

    Nothing waits for the write: the empty file is an error at once, and the write is another
    change the watcher sees, so the game ends on the new code with no error left.
    """
    main = bounce_copy / "main.py"
    new = main.read_text().replace(repr(OLD_RGB), repr(NEW_RGB))
    with Host(bounce_copy, headless=True, watch=True) as host:
        before = warm(host)
        main.write_text("")  # the editor truncated...
        assert host.wait_for_change(5.0)
        host.step(1)  # ...and the frame reloaded the empty file: an error, held or shown
        assert host.game.pos_x != before.x or host.game.pos_y != before.y  # the game went on
        main.write_text(new)  # ...then wrote the content
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            host.wait_for_change(0.2)
            host.step(1)
            if host.pixel(host.game.pos_x, host.game.pos_y)[:3] == NEW_RGB:
                break
        host.step(2)
        assert host.last_error is None and not host.paused
        assert host.pixel(host.game.pos_x, host.game.pos_y)[:3] == NEW_RGB
        assert state(host).hits == before.hits


def test_a_half_written_file_that_does_not_parse_is_a_clear_syntax_error(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    main.write_text(good[:good.index(DRAW_LINE) + 20])  # cut inside renderer.fill((
    failed_reload(host, "SyntaxError: '(' was never closed")
    line = good[:good.index(DRAW_LINE)].count("\n") + 1
    assert host.last_error is not None and host.last_error.where == f"main.py:{line}"
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_a_half_written_file_that_parses_pauses_until_the_rest_is_saved(host: Host) -> None:
    """The first half of bounce's main.py is valid Python: it is applied like any edit."""
    main = host.root / "main.py"
    good = main.read_text()
    warm(host)
    half = good[:len(good) // 2]
    assert half.endswith("dx, dy = physics.bounce")
    main.write_text(half)
    assert host.reload().ok
    before = state(host)
    host.step(1)
    assert host.last_error is not None
    assert str(host.last_error) == (
        "TypeError: cannot unpack non-iterable function object at main.py:26")
    # The half's update() moved the rectangle, then failed on the unfinished line.
    stopped = state(host)
    assert stopped == replace(before, x=before.x + before.dx, y=before.y + before.dy)
    assert_stays_paused(host, stopped)
    save_fix(host, main, good)


def test_non_utf8_bytes_name_the_line(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    data = good.encode().replace(b"pos_y = 0\n", b"pos_y = 0  # caf\xe9\n")
    main.write_bytes(data)
    at = data.index(b"\xe9")
    line = data[:at].count(b"\n") + 1
    failed_reload(host, f"main.py is not valid UTF-8 (byte {at})")
    assert host.last_error is not None and host.last_error.where == f"main.py:{line}"
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_a_directory_where_a_module_was(host: Host) -> None:
    physics = host.root / "physics.py"
    good = physics.read_text()
    before = warm(host)
    physics.unlink()
    physics.mkdir()
    failed_reload(host, "physics.py cannot be read: it is a directory — the running code")
    assert host.last_error is not None and host.last_error.where == "physics.py"
    assert "sandbox" not in str(host.last_error)  # no internals in the message
    assert_old_code_runs_on(host, before)
    physics.rmdir()
    save_fix(host, physics, good)


def test_a_10_mb_file_is_refused_quickly(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    main.write_text(good + "\nDATA = [\n" + "    1234567,\n" * 800_000 + "]\n")
    assert main.stat().st_size > 10_000_000
    started = time.perf_counter()
    failed_reload(host, "main.py is 10.4 MB, too big to reload (the limit is 1 MB)")
    assert time.perf_counter() - started < 3.0  # parsing it would freeze the game ~10 s
    assert host.last_error is not None and "JSON" in host.last_error.hint
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_a_burst_of_100_saves_through_the_watcher(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    good = main.read_text()
    broken = good.replace("dy = 1\n", "dy = 1\ndef broken(:\n")
    with Host(bounce_copy, headless=True, watch=True) as host:
        warm(host)
        for i in range(100):  # every other save is broken, the last one is the fix
            colour = f"({i % 200}, 255, 128)" if i < 99 else repr(NEW_RGB)
            text = broken if i % 2 == 0 else good.replace(repr(OLD_RGB), colour)
            main.write_text(text)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            host.wait_for_change(0.2)
            host.step(1)
            x, y = host.game.pos_x, host.game.pos_y
            if host.pixel(x, y)[:3] == NEW_RGB and not host.wait_for_change(0.3):
                break
        before = state(host)
        assert host.step(5) == 5 and not host.paused and host.last_error is None
        after = state(host)
        assert (after.x, after.y) == (before.x + 5 * before.dx, before.y + 5 * before.dy)
        assert host.pixel(after.x, after.y)[:3] == NEW_RGB
        assert after.hits >= 1  # the state of before the burst lives on
        reloads = [e for e in host.events if "reload" in str(e)]
        assert 1 <= len(reloads) < 100  # saves in a burst are coalesced


def test_a_half_written_save_completed_a_moment_later_ends_on_the_whole_file(
    bounce_copy: Path,
) -> None:
    """Through the real watcher: whatever the half did, the completed save wins."""
    main = bounce_copy / "main.py"
    good = main.read_text()
    with Host(bounce_copy, headless=True, watch=True) as host:
        before = warm(host)
        main.write_text(good[:len(good) // 2])
        host.wait_for_change(2.0)
        host.step(2)  # the half may be reloaded (and pause update) or not yet seen
        main.write_text(good.replace(repr(OLD_RGB), repr(NEW_RGB)))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            host.wait_for_change(0.2)
            host.step(1)
            if not host.paused and host.pixel(host.game.pos_x, host.game.pos_y)[:3] == NEW_RGB:
                break
        assert not host.paused and host.last_error is None
        assert host.pixel(host.game.pos_x, host.game.pos_y)[:3] == NEW_RGB
        assert state(host).hits == before.hits  # the game went on from where it was
